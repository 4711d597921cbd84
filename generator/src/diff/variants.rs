//! Enum values and union variants of a type present in both specs. Values are matched by their wire
//! value, union variants by their Rust name.

use super::report::{Kind, Severity, Subject};
use crate::model::types::{
    EnumValue, TaggedUnion, TypeId, TypeKind, TypeRef, TypeSpace, UntaggedVariant,
};
use crate::surface::RustType;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;

/// String or integer enum values. Generated enums are `#[non_exhaustive]` with an `Unknown` fallback.
pub fn enum_values<T: Ord + Display>(
    old: &[EnumValue<T>],
    new: &[EnumValue<T>],
    in_request: bool,
    out: &mut Subject<'_>,
) {
    let before: BTreeMap<&T, &str> = old.iter().map(|v| (&v.value, v.name.as_str())).collect();
    let after: BTreeMap<&T, &str> = new.iter().map(|v| (&v.value, v.name.as_str())).collect();
    for (value, name) in &before {
        let member = value.to_string();
        match after.get(value) {
            None => {
                let reason = if in_request {
                    "code naming the variant stops compiling, and requests can no longer send the value"
                } else {
                    "code naming the variant stops compiling; the value now reads as `Unknown`"
                };
                out.change(
                    Some(&member),
                    Kind::ValueRemoved,
                    Severity::Breaking,
                    format!("`{name}`"),
                    reason,
                );
            }
            Some(now) if now != name => out.change(
                Some(&member),
                Kind::RustName,
                Severity::Breaking,
                format!("`{name}` → `{now}`"),
                "same value on the wire, another variant name",
            ),
            Some(_) => {}
        }
    }
    for (value, name) in &after {
        if !before.contains_key(value) {
            out.change(
                Some(&value.to_string()),
                Kind::ValueAdded,
                Severity::Compatible,
                format!("`{name}`"),
                "the enum is #[non_exhaustive]; the value used to read as `Unknown`",
            );
        }
    }
}

/// For a field whose type went from one enum to another (an inline enum renamed because it changed):
/// the values gained and lost, so the reviewer sees what the rename is about.
pub fn value_delta(
    old: &TypeSpace,
    was: &TypeRef,
    new: &TypeSpace,
    now: &TypeRef,
) -> Option<String> {
    let values = |space: &TypeSpace, t: &TypeRef| -> Option<BTreeSet<String>> {
        let TypeRef::Named(id) = t else {
            return None;
        };
        match &space.get(*id).kind {
            TypeKind::StringEnum(vs) => Some(vs.iter().map(|v| v.value.clone()).collect()),
            TypeKind::IntEnum(vs) => Some(vs.iter().map(|v| v.value.to_string()).collect()),
            _ => None,
        }
    };
    let (a, b) = (values(old, was)?, values(new, now)?);
    let mut parts: Vec<String> = b.difference(&a).map(|v| format!("+{v}")).collect();
    parts.extend(a.difference(&b).map(|v| format!("-{v}")));
    Some(if parts.is_empty() {
        "same values".to_owned()
    } else {
        format!("values {}", parts.join(" "))
    })
}

/// A side of a tagged union comparison.
pub struct TaggedSide<'a> {
    pub space: &'a TypeSpace,
    pub union: &'a TaggedUnion,
}

/// `oneOf`/`anyOf` with a discriminator: `#[non_exhaustive]`, unknown tags read as `Unknown`.
pub fn tagged(old: TaggedSide<'_>, new: TaggedSide<'_>, out: &mut Subject<'_>) {
    if old.union.tag != new.union.tag {
        out.change(
            None,
            Kind::Tag,
            Severity::Breaking,
            format!("`{}` → `{}`", old.union.tag, new.union.tag),
            "the tag property on the wire changed",
        );
    }
    let payload = |space: &TypeSpace, ty: Option<TypeId>| match ty {
        Some(id) => RustType::of(space, &TypeRef::Named(id)).to_string(),
        None => "(no fields)".to_owned(),
    };
    let before: BTreeMap<&str, _> = old
        .union
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v))
        .collect();
    let after: BTreeMap<&str, _> = new
        .union
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v))
        .collect();
    for (name, was) in &before {
        let Some(now) = after.get(name) else {
            out.change(
                Some(name),
                Kind::VariantRemoved,
                Severity::Breaking,
                format!("tags {}", was.tags.join(", ")),
                "code naming the variant stops compiling; its values now read as `Unknown`",
            );
            continue;
        };
        let (p_was, p_now) = (payload(old.space, was.ty), payload(new.space, now.ty));
        if p_was != p_now {
            out.change(
                Some(name),
                Kind::VariantChanged,
                Severity::Breaking,
                format!("`{p_was}` → `{p_now}`"),
                "the variant holds another type",
            );
        }
        let tags_was: BTreeSet<&String> = was.tags.iter().collect();
        let tags_now: BTreeSet<&String> = now.tags.iter().collect();
        let lost: Vec<&str> = tags_was.difference(&tags_now).map(|t| t.as_str()).collect();
        let gained: Vec<&str> = tags_now.difference(&tags_was).map(|t| t.as_str()).collect();
        if !lost.is_empty() {
            out.change(
                Some(name),
                Kind::Tag,
                Severity::Breaking,
                format!("tag values removed: {}", lost.join(", ")),
                "those values no longer select the variant",
            );
        }
        if !gained.is_empty() {
            out.change(
                Some(name),
                Kind::Tag,
                Severity::Compatible,
                format!("tag values added: {}", gained.join(", ")),
                "more values select the variant",
            );
        }
    }
    for (name, now) in &after {
        if !before.contains_key(name) {
            out.change(
                Some(name),
                Kind::VariantAdded,
                Severity::Compatible,
                format!("`{}`", payload(new.space, now.ty)),
                "the union is #[non_exhaustive]; these values used to read as `Unknown`",
            );
        }
    }
}

/// `oneOf`/`anyOf` without a discriminator: a plain (exhaustive) enum.
pub fn untagged(
    old: (&TypeSpace, &[UntaggedVariant]),
    new: (&TypeSpace, &[UntaggedVariant]),
    out: &mut Subject<'_>,
) {
    let before: BTreeMap<&str, String> = old
        .1
        .iter()
        .map(|v| (v.name.as_str(), RustType::of(old.0, &v.ty).to_string()))
        .collect();
    let after: BTreeMap<&str, String> = new
        .1
        .iter()
        .map(|v| (v.name.as_str(), RustType::of(new.0, &v.ty).to_string()))
        .collect();
    for (name, was) in &before {
        match after.get(name) {
            None => out.change(
                Some(name),
                Kind::VariantRemoved,
                Severity::Breaking,
                format!("`{was}`"),
                "code naming the variant stops compiling",
            ),
            Some(now) if now != was => out.change(
                Some(name),
                Kind::VariantChanged,
                Severity::Breaking,
                format!("`{was}` → `{now}`"),
                "the variant holds another type",
            ),
            Some(_) => {}
        }
    }
    for (name, now) in &after {
        if !before.contains_key(name) {
            out.change(
                Some(name),
                Kind::VariantAdded,
                Severity::Breaking,
                format!("`{now}`"),
                "untagged unions are exhaustive enums: a `match` without a wildcard stops compiling",
            );
        }
    }
}

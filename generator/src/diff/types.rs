//! Named types of two models, matched by Rust name (the name users write; a schema renamed upstream
//! shows as one type removed and one added): added, removed, kind changed, and per kind the members.

use super::fields::{self, Side};
use super::report::{Collector, Kind, Section, Severity, Subject};
use super::rust_types::{derives_default, kind_name, render};
use super::variants::{self, TaggedSide};
use crate::model::types::{Struct, TypeDef, TypeKind, TypeSpace};
use std::collections::BTreeMap;

/// The emitted types of a space by Rust name.
pub fn by_name(space: &TypeSpace) -> BTreeMap<&str, &TypeDef> {
    space
        .emitted()
        .into_iter()
        .map(|(_, d)| (d.name.as_str(), d))
        .collect()
}

pub fn compare(old: &TypeSpace, new: &TypeSpace, out: &mut Collector) {
    let before = by_name(old);
    let after = by_name(new);
    for (name, was) in &before {
        let mut subject = out.subject(Section::Types, name);
        match after.get(name) {
            None => subject.change(
                None,
                Kind::Removed,
                Severity::Breaking,
                kind_name(was),
                "code naming the type stops compiling",
            ),
            Some(now) => type_changed((old, was), (new, now), &mut subject),
        }
    }
    for (name, now) in &after {
        if !before.contains_key(name) {
            out.subject(Section::Types, name).change(
                None,
                Kind::Added,
                Severity::Compatible,
                kind_name(now),
                "a new type",
            );
        }
    }
}

fn type_changed(
    (old, was): (&TypeSpace, &TypeDef),
    (new, now): (&TypeSpace, &TypeDef),
    out: &mut Subject<'_>,
) {
    match (&was.kind, &now.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            structure((old, was, a), (new, now, b), out);
        }
        (TypeKind::StringEnum(a), TypeKind::StringEnum(b)) => {
            variants::enum_values(a, b, was.in_request, out);
        }
        (TypeKind::IntEnum(a), TypeKind::IntEnum(b)) => {
            variants::enum_values(a, b, was.in_request, out);
        }
        (TypeKind::Tagged(a), TypeKind::Tagged(b)) => variants::tagged(
            TaggedSide {
                space: old,
                union: a,
            },
            TaggedSide {
                space: new,
                union: b,
            },
            out,
        ),
        (TypeKind::Untagged(a), TypeKind::Untagged(b)) => {
            variants::untagged((old, a), (new, b), out);
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) => {
            let (a, b) = (render(old, a), render(new, b));
            if a != b {
                out.change(
                    None,
                    Kind::AliasChanged,
                    Severity::Breaking,
                    format!("`{a}` → `{b}`"),
                    "the alias stands for another type",
                );
            }
        }
        _ => out.change(
            None,
            Kind::KindChanged,
            Severity::Breaking,
            format!("{} → {}", kind_name(was), kind_name(now)),
            "code using the type must change",
        ),
    }
    if was.doc != now.doc || was.example != now.example {
        out.docs_only(None);
    }
}

fn structure(
    (old, was, a): (&TypeSpace, &TypeDef, &Struct),
    (new, now, b): (&TypeSpace, &TypeDef, &Struct),
    out: &mut Subject<'_>,
) {
    if was.in_request != now.in_request {
        request_use(now, b, out);
    }
    if derives_default(a) && !derives_default(b) {
        out.change(
            None,
            Kind::DefaultLost,
            Severity::Breaking,
            "",
            "a field became required: `Default::default()` (and `new()`) stop compiling",
        );
    }
    let extra = |space: &TypeSpace, s: &Struct| s.additional.as_ref().map(|t| render(space, t));
    match (extra(old, a), extra(new, b)) {
        (Some(x), None) => out.change(
            None,
            Kind::AdditionalProperties,
            Severity::Breaking,
            format!("`{x}` → none"),
            "the `additional_properties` field is gone",
        ),
        (None, Some(y)) => out.change(
            None,
            Kind::AdditionalProperties,
            Severity::Compatible,
            format!("none → `{y}`"),
            "a new `additional_properties` field keeps undeclared keys",
        ),
        (Some(x), Some(y)) if x != y => out.change(
            None,
            Kind::AdditionalProperties,
            Severity::Breaking,
            format!("`{x}` → `{y}`"),
            "the `additional_properties` values have another type",
        ),
        _ => {}
    }
    fields::compare(
        Side {
            space: old,
            def: was,
            fields: a,
        },
        Side {
            space: new,
            def: now,
            fields: b,
        },
        out,
    );
    if a.constraints != b.constraints {
        out.docs_only(None);
    }
}

/// A struct reached from request bodies gets construction helpers, and its optional nullable fields
/// get three states (`Option<Option<T>>`).
fn request_use(now: &TypeDef, s: &Struct, out: &mut Subject<'_>) {
    let three_state = s.fields.iter().any(|f| !f.required && f.nullable);
    let (severity, detail, reason) = if !now.in_request {
        (
            Severity::Breaking,
            "no longer used in requests",
            "its builder, `new()` and setters are gone",
        )
    } else if three_state {
        (
            Severity::Breaking,
            "now used in requests",
            "its optional nullable fields become `Option<Option<T>>`",
        )
    } else {
        (
            Severity::Compatible,
            "now used in requests",
            "it gains construction helpers",
        )
    };
    out.change(None, Kind::RequestUse, severity, detail, reason);
}

//! Named types of two models, matched by location: a component by its place in `components/schemas`,
//! an inline schema by its JSON pointer, a parameter struct by its operation. So a change inside a type
//! is reported under the type's name and never looks like a rename, a type whose name moved shows as
//! renamed, and a schema written in place that became a `$ref` (or the reverse) is one change naming
//! both types. A type that shares another's definition is compared by that definition.

use super::fields::{self, moved, Side};
use super::report::{Collector, Kind, Section, Severity, Subject};
use super::variants::{self, TaggedSide};
use crate::model::types::{Field, Origin, Struct, TypeDef, TypeId, TypeKind, TypeSpace};
use crate::surface::{RustType, StructSurface};
use std::collections::{BTreeMap, BTreeSet};

/// The emitted types of a space by location (the JSON pointer of their schema).
pub fn by_location(space: &TypeSpace) -> BTreeMap<String, TypeId> {
    space
        .emitted()
        .into_iter()
        .map(|(id, d)| (d.pointer.to_string(), id))
        .collect()
}

/// A field whose type moved between a schema written in place and a component: the type before and
/// the type after.
pub struct Move {
    pub was: TypeId,
    pub now: TypeId,
}

/// Fields typed by the inline schema written at the field on one side and by a component on the
/// other (matched by the field's JSON pointer).
pub fn moves(old: &TypeSpace, new: &TypeSpace) -> Vec<Move> {
    fn fields(space: &TypeSpace) -> BTreeMap<String, &Field> {
        let mut out = BTreeMap::new();
        for (_, d) in space.emitted() {
            if let TypeKind::Struct(s) = &d.kind {
                for f in &s.fields {
                    out.insert(f.pointer.to_string(), f);
                }
            }
        }
        out
    }
    let after = fields(new);
    fields(old)
        .into_iter()
        .filter_map(|(at, was)| {
            let (a, b) = moved((old, was), (new, after.get(&at)?))?;
            Some(Move { was: a, now: b })
        })
        .collect()
}

/// Why a shared definition's coming and going is no change of the API: it is hidden, and every place
/// that used it keeps its own name.
const HIDDEN: &str =
    "the hidden definition places of one shape share; each place keeps its own name";

pub fn compare(old: &TypeSpace, new: &TypeSpace, moves: &[Move], out: &mut Collector) {
    let before = by_location(old);
    let after = by_location(new);
    // The two ends of a move are reported once, on the field (see `fields`).
    let moved_out: BTreeSet<TypeId> = moves.iter().map(|m| m.was).collect();
    let moved_in: BTreeSet<TypeId> = moves.iter().map(|m| m.now).collect();
    let mut pairs: Vec<(TypeId, TypeId)> = Vec::new();
    let mut removed: BTreeMap<&str, TypeId> = BTreeMap::new();
    for (at, &id) in &before {
        match after.get(at) {
            Some(&now) => pairs.push((id, now)),
            None if !moved_out.contains(&id) => {
                removed.insert(old.name(id), id);
            }
            None => {}
        }
    }
    let mut added: BTreeMap<&str, TypeId> = BTreeMap::new();
    for (at, &id) in &after {
        if !before.contains_key(at) && !moved_in.contains(&id) {
            added.insert(new.name(id), id);
        }
    }
    // A schema that moved but kept its Rust name is the same type to a user.
    let same_name: Vec<&str> = removed
        .keys()
        .filter(|n| added.contains_key(*n))
        .copied()
        .collect();
    for name in same_name {
        if let (Some(was), Some(now)) = (removed.remove(name), added.remove(name)) {
            pairs.push((was, now));
        }
    }
    for (id, now_id) in pairs {
        let (name, now_name) = (old.name(id), new.name(now_id));
        let mut subject = out.subject(Section::Types, now_name);
        if name != now_name {
            subject.change(
                None,
                Kind::Renamed,
                Severity::Breaking,
                format!("`{name}` → `{now_name}`"),
                "the same schema under another Rust name: code naming it must change",
            );
        }
        compare_pair((old, id), (new, now_id), &mut subject);
        let (own_was, own_now) = (&old.defs[id.0], &new.defs[now_id.0]);
        if own_was.doc != own_now.doc || own_was.example != own_now.example {
            subject.docs_only(None);
        }
    }
    for (name, id) in removed {
        let (severity, reason) = match old.defs[id.0].origin {
            Origin::Shared { .. } => (Severity::Compatible, HIDDEN),
            _ => (Severity::Breaking, "code naming the type stops compiling"),
        };
        out.subject(Section::Types, name).change(
            None,
            Kind::Removed,
            severity,
            kind_name(old.get(id)),
            reason,
        );
    }
    for (name, id) in added {
        let reason = match new.defs[id.0].origin {
            Origin::Shared { .. } => HIDDEN,
            _ => "a new type",
        };
        out.subject(Section::Types, name).change(
            None,
            Kind::Added,
            Severity::Compatible,
            kind_name(new.get(id)),
            reason,
        );
    }
}

/// A type compared with itself across the two specs. When both are aliases of the same type, that
/// type is compared under its own name. When the alias target changed, that is the change: breaking
/// for a `pub type` (code may use the target's name for it), compatible for a shared definition (the
/// crate docs say to use each type's own name). When one side is an alias and the other a type of its
/// own, the change is noted and the shapes are compared through the alias.
fn compare_pair(
    (old, was): (&TypeSpace, TypeId),
    (new, now): (&TypeSpace, TypeId),
    out: &mut Subject<'_>,
) {
    let shared = |space: &TypeSpace, id: TypeId| space.defs[id.0].shared;
    let describe = |space: &TypeSpace, target: Option<TypeId>| match target {
        Some(t) => format!("an alias of `{}`", space.name(t)),
        None => "a type of its own".to_owned(),
    };
    let (a, b) = (old.alias_target(was), new.alias_target(now));
    if a.map(|x| old.name(x)) == b.map(|y| new.name(y)) {
        // Both a type of their own, compared below, or aliases of the same type, compared under its
        // own name.
        if a.is_none() {
            type_changed((old, old.get(was)), (new, new.get(now)), out);
        }
        return;
    }
    let detail = format!("{} → {}", describe(old, a), describe(new, b));
    let (severity, reason) = match a {
        // Was a type of its own: the name stays and the shape is compared through the alias.
        None if shared(new, now) => (Severity::Compatible, SHARED),
        None => (Severity::Compatible, "this name stays"),
        // Was an alias: code may have used the target's name for it, unless the alias only shared a
        // shape (the crate docs say to use each type's own name) or the target is gone (reported on
        // its own).
        Some(_) if shared(old, was) => (Severity::Compatible, SHARED),
        Some(x) if !new.emitted().iter().any(|(_, d)| d.name == old.name(x)) => (
            Severity::Compatible,
            "the old target is gone (reported on its own); this name stays",
        ),
        Some(_) => (
            Severity::Breaking,
            "code that uses the old target's name for this type must change",
        ),
    };
    out.change(None, Kind::Sharing, severity, detail, reason);
    if a.is_some() && b.is_some() {
        // Both aliases: each target is compared under its own name.
        return;
    }
    // The shapes a user's code meets, past the alias.
    type_changed((old, old.get(was)), (new, new.get(now)), out);
}

/// Why a change of shared definition breaks nothing.
const SHARED: &str =
    "identical shapes share a definition; code uses this type's own name, which stays";

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
            let (a, b) = (
                RustType::of(old, a).to_string(),
                RustType::of(new, b).to_string(),
            );
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
}

fn structure(
    (old, was, a): (&TypeSpace, &TypeDef, &Struct),
    (new, now, b): (&TypeSpace, &TypeDef, &Struct),
    out: &mut Subject<'_>,
) {
    let (lowered_was, lowered_now) = (
        StructSurface::of(old, was, a),
        StructSurface::of(new, now, b),
    );
    if was.in_request != now.in_request {
        request_use(now, b, out);
    }
    if lowered_was.has_default && !lowered_now.has_default {
        out.change(
            None,
            Kind::DefaultLost,
            Severity::Breaking,
            "",
            "a field became required: `Default::default()` (and `new()`) stop compiling",
        );
    }
    let extra = |s: &StructSurface<'_>| s.additional.as_ref().map(RustType::to_string);
    match (extra(&lowered_was), extra(&lowered_now)) {
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
            surface: &lowered_was,
        },
        Side {
            space: new,
            surface: &lowered_now,
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

/// The kind of a type, in words.
pub fn kind_name(def: &TypeDef) -> &'static str {
    match def.kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::StringEnum(_) => "string enum",
        TypeKind::IntEnum(_) => "integer enum",
        TypeKind::Tagged(_) => "tagged union",
        TypeKind::Untagged(_) => "untagged union",
        TypeKind::Alias(_) => "alias",
    }
}

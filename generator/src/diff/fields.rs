//! Fields of a struct present in both specs: added, removed, renamed-looking, and for fields in both,
//! Rust name, type, required and nullable. Fields are matched by their wire name.

use super::report::{Kind, Severity, Subject};
use super::variants::value_delta;
use crate::model::types::{Field, Origin, TypeId, TypeSpace};
use crate::surface::{FieldSurface, Storage, StructSurface};
use std::collections::BTreeMap;

/// One side of the comparison: the type space and the struct as the crate has it.
#[derive(Clone, Copy)]
pub struct Side<'a, 'm> {
    pub space: &'a TypeSpace,
    pub surface: &'a StructSurface<'m>,
}

impl<'a, 'm> Side<'a, 'm> {
    fn by_wire_name(&self) -> BTreeMap<&'m str, &'a FieldSurface<'m>> {
        self.surface
            .fields
            .iter()
            .map(|f| (f.field.json_name.as_str(), f))
            .collect()
    }

    fn lowered(&self, f: &Field) -> Option<&'a FieldSurface<'m>> {
        self.surface
            .fields
            .iter()
            .find(|s| s.field.json_name == f.json_name)
    }

    /// The field's Rust type in its struct.
    fn stored(&self, f: &Field) -> String {
        self.lowered(f)
            .map(|s| s.stored().to_string())
            .unwrap_or_default()
    }

    /// Whether the request builder asks for the field.
    fn builder_takes(&self, f: &Field) -> bool {
        self.lowered(f).is_some_and(FieldSurface::builder_takes)
    }

    fn in_request(&self) -> bool {
        self.surface.def.in_request
    }
}

pub fn compare(old: Side<'_, '_>, new: Side<'_, '_>, out: &mut Subject<'_>) {
    let before = old.by_wire_name();
    let after = new.by_wire_name();
    let mut removed: Vec<&Field> = before
        .iter()
        .filter(|(k, _)| !after.contains_key(*k))
        .map(|(_, f)| f.field)
        .collect();
    let mut added: Vec<&Field> = after
        .iter()
        .filter(|(k, _)| !before.contains_key(*k))
        .map(|(_, f)| f.field)
        .collect();
    for (r, a) in renamed_looking(old, new, &removed, &added) {
        out.change(
            Some(&format!("{} → {}", r.json_name, a.json_name)),
            Kind::FieldRenamed,
            Severity::Breaking,
            format!("`{}`", old.stored(r)),
            format!(
                "`{}` was removed and `{}` added with the same type: code using `{}` must move to `{}`",
                r.json_name, a.json_name, r.json_name, a.json_name
            ),
        );
        removed.retain(|f| f.json_name != r.json_name);
        added.retain(|f| f.json_name != a.json_name);
    }
    for f in removed {
        out.change(
            Some(&f.json_name),
            Kind::FieldRemoved,
            Severity::Breaking,
            format!("`{}`", old.stored(f)),
            "code that reads or sets it stops compiling",
        );
    }
    for f in added {
        field_added(new, f, out);
    }
    for (name, was) in &before {
        if let Some(now) = after.get(name) {
            field_changed(old, new, was, now, out);
        }
    }
}

/// Pairs a removed field with an added one when they are the only two of that Rust type.
fn renamed_looking<'a>(
    old: Side<'_, '_>,
    new: Side<'_, '_>,
    removed: &[&'a Field],
    added: &[&'a Field],
) -> Vec<(&'a Field, &'a Field)> {
    let ty_old = |f: &Field| old.stored(f);
    let ty_new = |f: &Field| new.stored(f);
    removed
        .iter()
        .filter_map(|r| {
            let t = ty_old(r);
            let same_added: Vec<&&Field> = added.iter().filter(|a| ty_new(a) == t).collect();
            let same_removed = removed.iter().filter(|o| ty_old(o) == t).count();
            match same_added.as_slice() {
                [a] if same_removed == 1 => Some((*r, **a)),
                _ => None,
            }
        })
        .collect()
}

fn field_added(new: Side<'_, '_>, f: &Field, out: &mut Subject<'_>) {
    let ty = format!("`{}`", new.stored(f));
    if new.builder_takes(f) {
        out.change(
            Some(&f.json_name),
            Kind::FieldAdded,
            Severity::Breaking,
            ty,
            "a new required field of a request type: `builder()` needs it before `build()`",
        );
    } else {
        let reason = if new.in_request() {
            "optional: a new setter; the struct is #[non_exhaustive]"
        } else {
            "a new field to read; the struct is #[non_exhaustive]"
        };
        out.change(
            Some(&f.json_name),
            Kind::FieldAdded,
            Severity::Compatible,
            ty,
            reason,
        );
    }
}

fn field_changed(
    old: Side<'_, '_>,
    new: Side<'_, '_>,
    lowered_was: &FieldSurface<'_>,
    lowered_now: &FieldSurface<'_>,
    out: &mut Subject<'_>,
) {
    let (was, now) = (lowered_was.field, lowered_now.field);
    let member = Some(now.json_name.as_str());
    let before = out.recorded();
    if was.name != now.name {
        out.change(
            member,
            Kind::RustName,
            Severity::Breaking,
            format!("`{}` → `{}`", was.name, now.name),
            "same key on the wire, another Rust field name",
        );
    }
    let (value_was, value_now) = (lowered_was.value.to_string(), lowered_now.value.to_string());
    if let Some((a, b)) = moved((old.space, was), (new.space, now)) {
        let delta = value_delta(old.space, &was.ty, new.space, &now.ty)
            .map(|d| format!("; {d}"))
            .unwrap_or_default();
        let (from, to) = (old.space.name(a), new.space.name(b));
        let direction = if matches!(new.space.defs[b.0].origin, Origin::Component(_)) {
            "the schema written here became a `$ref` to a component"
        } else {
            "the `$ref` became a schema written here"
        };
        out.change(
            member,
            Kind::Moved,
            Severity::Breaking,
            format!("`{from}` → `{to}`{delta}"),
            format!("{direction}: code naming `{from}` must name `{to}`"),
        );
    } else if value_was != value_now {
        let delta = value_delta(old.space, &was.ty, new.space, &now.ty)
            .map(|d| format!("; {d}"))
            .unwrap_or_default();
        out.change(
            member,
            Kind::FieldType,
            Severity::Breaking,
            format!("`{value_was}` → `{value_now}`{delta}"),
            "code that reads or sets it must change",
        );
    }
    presence((old, lowered_was), (new, lowered_now), out);
    out.deprecation(member, was.deprecated, now.deprecated);
    if out.recorded() == before && (was.doc != now.doc || was.example != now.example) {
        out.docs_only(Some(&now.json_name));
    }
}

/// Required and nullable flags: whether a change matters depends on what the crate makes of it, so
/// the storage rule is applied to the old value type with the new flags (a type change is reported on
/// its own, a change of request use at the type level), and so is what the builder asks for.
fn presence(
    (old, lowered_was): (Side<'_, '_>, &FieldSurface<'_>),
    (new, lowered_now): (Side<'_, '_>, &FieldSurface<'_>),
    out: &mut Subject<'_>,
) {
    let (was, now) = (lowered_was.field, lowered_now.field);
    let member = Some(now.json_name.as_str());
    let in_request = new.in_request();
    let stored =
        |f: &Field| Storage::of(f.required, f.nullable, in_request).wrap(lowered_was.value.clone());
    let (stored_was, stored_now) = (stored(was), stored(now));
    let (stored_was, stored_now) = (stored_was.to_string(), stored_now.to_string());
    let builder_changed = in_request && old.builder_takes(was) != new.builder_takes(now);
    let classify = |what: &str| -> (Severity, String) {
        if stored_was != stored_now {
            (
                Severity::Breaking,
                format!("the field's Rust type changes: `{stored_was}` → `{stored_now}`"),
            )
        } else if builder_changed {
            let verb = if lowered_now.builder_takes() {
                "now needs"
            } else {
                "no longer takes"
            };
            (
                Severity::Breaking,
                format!("`builder()` {verb} `{}`", now.json_name),
            )
        } else {
            (
                Severity::Compatible,
                format!("{what}; the Rust type stays `{stored_now}`"),
            )
        }
    };
    if was.required != now.required {
        let (severity, reason) = classify(if now.required {
            "now always sent"
        } else {
            "may be absent now"
        });
        out.change(
            member,
            Kind::FieldRequired,
            severity,
            flag("required", was.required, now.required),
            reason,
        );
    }
    if was.nullable != now.nullable {
        let (severity, reason) = classify(if now.nullable {
            "may be null now"
        } else {
            "never null now"
        });
        out.change(
            member,
            Kind::FieldNullable,
            severity,
            flag("nullable", was.nullable, now.nullable),
            reason,
        );
    }
}

/// `required → optional`, `nullable → not nullable`, ...
fn flag(name: &str, was: bool, now: bool) -> String {
    let word = |on: bool| match (name, on) {
        ("required", true) => "required".to_owned(),
        ("required", false) => "optional".to_owned(),
        (n, true) => n.to_owned(),
        (n, false) => format!("not {n}"),
    };
    format!("{} → {}", word(was), word(now))
}

/// The types before and after when a field's type moved between the schema written at the field and
/// a component (`$ref`), in either direction.
pub fn moved(
    (old, was): (&TypeSpace, &Field),
    (new, now): (&TypeSpace, &Field),
) -> Option<(TypeId, TypeId)> {
    let (a, b) = (was.ty.named()?, now.ty.named()?);
    let written_at = |space: &TypeSpace, id: TypeId, f: &Field| {
        matches!(space.defs[id.0].origin, Origin::Inline { .. })
            && space.defs[id.0].pointer == f.pointer
    };
    let component =
        |space: &TypeSpace, id: TypeId| matches!(space.defs[id.0].origin, Origin::Component(_));
    let inline_to_ref = written_at(old, a, was) && component(new, b);
    let ref_to_inline = component(old, a) && written_at(new, b, now);
    (inline_to_ref || ref_to_inline).then_some((a, b))
}

//! Where a webhook event keeps the fields every application reads (`call_control_id`, `client_state`,
//! the event's `id`), found in each event's own schema rather than listed by hand.
//!
//! A delivery is an envelope around a record (`data`: `id`, `occurred_at`, `event_type`) around a
//! payload (`data.payload`: the call's ids and state). Events that skip a level (no `data` wrapper, no
//! `payload`) are read one level up: the record is then the body itself, the payload the record.

pub use super::conventions::Level;
use super::conventions::{PAYLOAD, RECORD};
use crate::model::types::{Field, TypeId, TypeKind, TypeRef, TypeSpace};

/// One field access on the way to a value: field `field` of struct `owner`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub owner: TypeId,
    pub field: usize,
}

impl Step {
    pub fn field<'a>(&self, space: &'a TypeSpace) -> Option<&'a Field> {
        match &space.get(self.owner).kind {
            TypeKind::Struct(s) => s.fields.get(self.field),
            _ => None,
        }
    }
}

/// The steps from an event body to the string field `json_name` at `level`, or `None` when the event
/// has no such field or it is not a string.
pub fn string_field(
    space: &TypeSpace,
    body: &TypeRef,
    level: Level,
    json_name: &str,
) -> Option<Vec<Step>> {
    let mut steps = level_steps(space, body, level)?;
    let owner = steps
        .last()
        .and_then(|s| s.field(space))
        .map_or(body, |f| &f.ty);
    let step = struct_field(space, owner, json_name)?;
    let field = step.field(space)?;
    if !matches!(strip_nullable(&field.ty), TypeRef::String) {
        return None;
    }
    steps.push(step);
    Some(steps)
}

/// The steps from the body to the object at `level` (empty when it is the body itself).
pub fn level_steps(space: &TypeSpace, body: &TypeRef, level: Level) -> Option<Vec<Step>> {
    struct_id(space, body)?;
    let mut steps = Vec::new();
    let mut at = body;
    let wanted: &[&str] = match level {
        Level::Record => &[RECORD],
        Level::Payload => &[RECORD, PAYLOAD],
    };
    for key in wanted {
        if let Some(step) = struct_field(space, at, key) {
            let field = step.field(space)?;
            if struct_id(space, &field.ty).is_some() {
                steps.push(step);
                at = &field.ty;
            }
        }
    }
    Some(steps)
}

/// The steps along the JSON keys `keys` from the body (each key a field of a struct), if the body's
/// types have them all.
pub fn path_of(space: &TypeSpace, body: &TypeRef, keys: &[String]) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    let mut at = body;
    for key in keys {
        let step = struct_field(space, at, key)?;
        at = &step.field(space)?.ty;
        steps.push(step);
    }
    Some(steps)
}

/// The JSON keys of a path of steps (`["data", "payload", "call_control_id"]`).
pub fn json_path(space: &TypeSpace, steps: &[Step]) -> Vec<String> {
    steps
        .iter()
        .filter_map(|s| s.field(space).map(|f| f.json_name.clone()))
        .collect()
}

fn strip_nullable(t: &TypeRef) -> &TypeRef {
    match t {
        TypeRef::Nullable(inner) => strip_nullable(inner),
        other => other,
    }
}

/// The struct a reference names (through aliases and `null`), if it names one.
pub(crate) fn struct_id(space: &TypeSpace, t: &TypeRef) -> Option<TypeId> {
    match strip_nullable(t) {
        TypeRef::Named(id) => {
            let id = space.definition(*id);
            match &space.get(id).kind {
                TypeKind::Struct(_) => Some(id),
                TypeKind::Alias(inner) => struct_id(space, inner),
                _ => None,
            }
        }
        _ => None,
    }
}

fn struct_field(space: &TypeSpace, owner: &TypeRef, json_name: &str) -> Option<Step> {
    let id = struct_id(space, owner)?;
    let TypeKind::Struct(s) = &space.get(id).kind else {
        return None;
    };
    let field = s.fields.iter().position(|f| f.json_name == json_name)?;
    Some(Step { owner: id, field })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{build, Scope};
    use crate::spec::normalize;
    use serde_json::{json, Value};

    /// A spec whose only content is webhooks with these body schemas.
    fn webhooks(events: &[(&str, Value)]) -> crate::model::Model {
        let mut map = serde_json::Map::new();
        for (name, schema) in events {
            map.insert(
                (*name).to_owned(),
                json!({"post": {
                    "requestBody": {"content": {"application/json": {"schema": schema}}},
                    "responses": {"200": {"description": "ok"}}
                }}),
            );
        }
        let spec = normalize(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "webhooks": map,
        }))
        .unwrap();
        build(&spec, &Scope::all()).unwrap()
    }

    fn path_of(m: &crate::model::Model, key: &str, level: Level, name: &str) -> Option<String> {
        let w = m.webhooks.iter().find(|w| w.key == key)?;
        string_field(&m.types, &w.body, level, name).map(|s| json_path(&m.types, &s).join("."))
    }

    #[test]
    fn fields_are_found_at_their_level_whatever_the_wrapping() {
        let m = webhooks(&[
            (
                "wrapped",
                json!({"type": "object", "properties": {"data": {"type": "object", "properties": {
                    "event_type": {"type": "string", "enum": ["a.b"]},
                    "id": {"type": "string"},
                    "payload": {"type": "object", "properties": {
                        "call_control_id": {"type": ["string", "null"]},
                        "client_state": {"type": "integer"}
                    }}
                }}}}),
            ),
            (
                "bare",
                json!({"type": "object", "properties": {
                    "event_type": {"type": "string", "enum": ["c.d"]},
                    "id": {"type": "string"},
                    "payload": {"type": "object", "properties": {"call_control_id": {"type": "string"}}}
                }}),
            ),
            (
                "flat",
                json!({"type": "object", "properties": {
                    "event_type": {"type": "string", "enum": ["e.f"]},
                    "call_control_id": {"type": "string"}
                }}),
            ),
        ]);
        let at = |key, level, name| path_of(&m, key, level, name);
        assert_eq!(
            at("wrapped", Level::Payload, "call_control_id").as_deref(),
            Some("data.payload.call_control_id")
        );
        assert_eq!(
            at("wrapped", Level::Record, "id").as_deref(),
            Some("data.id")
        );
        // Not a string: no accessor reads it.
        assert_eq!(at("wrapped", Level::Payload, "client_state"), None);
        assert_eq!(
            at("bare", Level::Payload, "call_control_id").as_deref(),
            Some("payload.call_control_id")
        );
        assert_eq!(at("bare", Level::Record, "id").as_deref(), Some("id"));
        assert_eq!(
            at("flat", Level::Payload, "call_control_id").as_deref(),
            Some("call_control_id")
        );
        assert_eq!(at("flat", Level::Record, "id"), None);
    }
}

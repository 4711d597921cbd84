//! JSON values for emitted tests: the spec's own examples when they fit the generated types, otherwise
//! values synthesized from the types. `canonical` predicts what the generated types write back, so a test
//! can demand an exact round trip.

use super::types::*;
use serde_json::{json, Map, Value};

/// How deep a synthesized value goes before it keeps to required fields only (cycles end there).
const FULL_DEPTH: usize = 4;
/// How deep a synthesized value may go at all.
const MAX_DEPTH: usize = 12;

/// A value of type `t` with every field filled in (to a depth), preferring field examples that fit.
pub fn synthesize(space: &TypeSpace, t: &TypeRef) -> Value {
    synth(space, t, 0)
}

fn synth(space: &TypeSpace, t: &TypeRef, depth: usize) -> Value {
    match t {
        TypeRef::String => json!("string"),
        TypeRef::Integer { .. } => json!(1),
        TypeRef::Number => json!(1.5),
        TypeRef::Boolean => json!(true),
        TypeRef::Json | TypeRef::JsonObject => json!({"key": "value"}),
        // Deep down (recursive types), empty collections end the value.
        TypeRef::Array(_) if depth > FULL_DEPTH => json!([]),
        TypeRef::Map(_) if depth > FULL_DEPTH => json!({}),
        TypeRef::Array(item) => json!([synth(space, item, depth + 1)]),
        TypeRef::Map(v) => json!({"key": synth(space, v, depth + 1)}),
        TypeRef::Nullable(inner) => synth(space, inner, depth),
        TypeRef::Named(id) => synth_named(space, *id, depth),
    }
}

fn synth_named(space: &TypeSpace, id: TypeId, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    let def = space.get(id);
    match &def.kind {
        TypeKind::Struct(s) => Value::Object(synth_fields(space, s, depth)),
        TypeKind::StringEnum(values) => values.first().map_or(json!("value"), |v| json!(v.value)),
        TypeKind::IntEnum(values) => values.first().map_or(json!(0), |v| json!(v.value)),
        TypeKind::Tagged(u) => {
            let Some(v) = u.variants.first() else {
                return json!({});
            };
            let mut obj = match v.ty {
                Some(ty) => match synth_named(space, ty, depth + 1) {
                    Value::Object(m) => m,
                    _ => Map::new(),
                },
                None => Map::new(),
            };
            obj.insert(u.tag.clone(), json!(v.tags[0]));
            Value::Object(obj)
        }
        TypeKind::Untagged(vs) => vs
            .first()
            .map_or(Value::Null, |v| synth(space, &v.ty, depth + 1)),
        TypeKind::Alias(t) => synth(space, t, depth + 1),
    }
}

fn synth_fields(space: &TypeSpace, s: &Struct, depth: usize) -> Map<String, Value> {
    let mut obj = Map::new();
    for f in &s.fields {
        let include = f.required || (depth < FULL_DEPTH && !f.boxed);
        if !include || depth > MAX_DEPTH {
            continue;
        }
        let value = match &f.example {
            Some(e) if conforms(space, e, &f.ty) && !e.is_null() => e.clone(),
            _ => synth(space, &f.ty, depth + 1),
        };
        obj.insert(f.json_name.clone(), value);
    }
    obj
}

/// The spec's example of a value of type `t`: the type's own `example` when it fits, else an object
/// built from its fields' examples (and their types' examples), else a synthesized value.
pub fn example(space: &TypeSpace, t: &TypeRef) -> Value {
    example_at(space, t, 0)
}

fn example_at(space: &TypeSpace, t: &TypeRef, depth: usize) -> Value {
    match t {
        TypeRef::Nullable(inner) => example_at(space, inner, depth),
        TypeRef::Array(item) if depth <= FULL_DEPTH => json!([example_at(space, item, depth + 1)]),
        TypeRef::Named(id) => {
            let def = space.get(*id);
            if let Some(e) = def.example.as_ref().filter(|e| conforms(space, e, t)) {
                return e.clone();
            }
            match &def.kind {
                TypeKind::Struct(s) if depth <= FULL_DEPTH => {
                    let mut obj = Map::new();
                    for f in &s.fields {
                        if !f.required && (f.boxed || depth == FULL_DEPTH) {
                            continue;
                        }
                        let value = match &f.example {
                            Some(e) if conforms(space, e, &f.ty) && !e.is_null() => e.clone(),
                            _ => example_at(space, &f.ty, depth + 1),
                        };
                        obj.insert(f.json_name.clone(), value);
                    }
                    Value::Object(obj)
                }
                TypeKind::Alias(inner) => example_at(space, inner, depth + 1),
                _ => synth(space, t, depth),
            }
        }
        _ => synth(space, t, depth),
    }
}

/// Whether `value` deserializes into `t` and writes back without losing anything.
pub fn conforms(space: &TypeSpace, value: &Value, t: &TypeRef) -> bool {
    conforms_at(space, value, t, 0)
}

/// How deep the checks follow types: unions that contain themselves would loop without an end.
const MAX_CHECK_DEPTH: usize = 64;

fn conforms_at(space: &TypeSpace, value: &Value, t: &TypeRef, depth: usize) -> bool {
    if depth > MAX_CHECK_DEPTH {
        return false;
    }
    let depth = depth + 1;
    match t {
        TypeRef::String => value.is_string(),
        TypeRef::Integer { bits32 } => match value.as_i64() {
            Some(n) => !bits32 || i32::try_from(n).is_ok(),
            None => false,
        },
        TypeRef::Number => value.is_number(),
        TypeRef::Boolean => value.is_boolean(),
        TypeRef::Json => true,
        TypeRef::JsonObject => value.is_object(),
        TypeRef::Array(item) => value
            .as_array()
            .is_some_and(|a| a.iter().all(|v| conforms_at(space, v, item, depth))),
        TypeRef::Map(v) => value
            .as_object()
            .is_some_and(|m| m.values().all(|x| conforms_at(space, x, v, depth))),
        TypeRef::Nullable(inner) => value.is_null() || conforms_at(space, value, inner, depth),
        TypeRef::Named(id) => conforms_named(space, value, *id, depth),
    }
}

fn conforms_named(space: &TypeSpace, value: &Value, id: TypeId, depth: usize) -> bool {
    let def = space.get(id);
    match &def.kind {
        TypeKind::Struct(s) => value
            .as_object()
            .is_some_and(|m| struct_conforms(space, m, s, depth)),
        TypeKind::StringEnum(_) => value.is_string(),
        TypeKind::IntEnum(_) => value.is_i64(),
        TypeKind::Tagged(u) => tagged_variant(u, value).is_some_and(|(v, rest)| match v.ty {
            Some(ty) => conforms_named(space, &Value::Object(rest), ty, depth),
            None => rest.is_empty(),
        }),
        TypeKind::Untagged(vs) => vs.iter().any(|v| conforms_at(space, value, &v.ty, depth)),
        TypeKind::Alias(t) => conforms_at(space, value, t, depth),
    }
}

fn struct_conforms(space: &TypeSpace, m: &Map<String, Value>, s: &Struct, depth: usize) -> bool {
    for (k, v) in m {
        match s.fields.iter().find(|f| f.json_name == *k) {
            Some(f) => {
                // `null` needs a nullable field; on an optional one it reads as absent (see `canonical`).
                if v.is_null() {
                    if !f.nullable {
                        return false;
                    }
                } else if !conforms_at(space, v, &f.ty, depth) {
                    return false;
                }
            }
            None => match &s.additional {
                Some(a) => {
                    if !conforms_at(space, v, a, depth) {
                        return false;
                    }
                }
                None => return false,
            },
        }
    }
    s.fields
        .iter()
        .filter(|f| f.required && !f.nullable)
        .all(|f| m.contains_key(&f.json_name))
}

/// The variant a tagged value selects and the value without its tag.
fn tagged_variant<'u>(
    u: &'u TaggedUnion,
    value: &Value,
) -> Option<(&'u TaggedVariant, Map<String, Value>)> {
    let obj = value.as_object()?;
    let tag = obj.get(&u.tag)?.as_str()?;
    let v = u
        .variants
        .iter()
        .find(|v| v.tags.iter().any(|t| t == tag))?;
    let mut rest = obj.clone();
    rest.shift_remove(&u.tag);
    Some((v, rest))
}

/// What the generated types write back after reading `value` (which must conform): numbers declared as
/// `number` come back as floats, and a tag always as the variant's first tag value.
pub fn canonical(space: &TypeSpace, value: &Value, t: &TypeRef) -> Value {
    canonical_at(space, value, t, 0)
}

fn canonical_at(space: &TypeSpace, value: &Value, t: &TypeRef, depth: usize) -> Value {
    if depth > MAX_CHECK_DEPTH {
        return value.clone();
    }
    let depth = depth + 1;
    match (t, value) {
        (TypeRef::Number, Value::Number(n)) => n.as_f64().map_or(value.clone(), |f| json!(f)),
        (TypeRef::Array(item), Value::Array(a)) => Value::Array(
            a.iter()
                .map(|v| canonical_at(space, v, item, depth))
                .collect(),
        ),
        (TypeRef::Map(vt), Value::Object(m)) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), canonical_at(space, v, vt, depth)))
                .collect(),
        ),
        (TypeRef::Nullable(inner), v) if !v.is_null() => canonical_at(space, v, inner, depth),
        (TypeRef::Named(id), v) => canonical_named(space, v, *id, depth),
        _ => value.clone(),
    }
}

fn canonical_named(space: &TypeSpace, value: &Value, id: TypeId, depth: usize) -> Value {
    let def = space.get(id);
    match (&def.kind, value) {
        (TypeKind::Struct(s), Value::Object(m)) => {
            let mut out = Map::new();
            // Serde writes fields in declaration order, then the extra keys.
            // An explicit `null` of an optional field is kept only where the field has three states.
            let keeps_null = |f: &Field| f.required || def.in_request;
            for f in &s.fields {
                if let Some(v) = m.get(&f.json_name) {
                    if v.is_null() && !keeps_null(f) {
                        continue;
                    }
                    out.insert(
                        f.json_name.clone(),
                        if v.is_null() {
                            Value::Null
                        } else {
                            canonical_at(space, v, &f.ty, depth)
                        },
                    );
                }
            }
            if let Some(a) = &s.additional {
                for (k, v) in m
                    .iter()
                    .filter(|(k, _)| !s.fields.iter().any(|f| f.json_name == **k))
                {
                    out.insert(k.clone(), canonical_at(space, v, a, depth));
                }
            }
            Value::Object(out)
        }
        (TypeKind::Tagged(u), v) => match tagged_variant(u, v) {
            Some((variant, rest)) => {
                let mut out = Map::new();
                out.insert(u.tag.clone(), json!(variant.tags[0]));
                if let Some(ty) = variant.ty {
                    if let Value::Object(fields) =
                        canonical_named(space, &Value::Object(rest), ty, depth)
                    {
                        out.extend(fields);
                    }
                }
                Value::Object(out)
            }
            None => v.clone(),
        },
        (TypeKind::Untagged(vs), v) => {
            match vs
                .iter()
                .find(|variant| conforms_at(space, v, &variant.ty, depth))
            {
                Some(variant) => canonical_at(space, v, &variant.ty, depth),
                None => v.clone(),
            }
        }
        (TypeKind::Alias(t), v) => canonical_at(space, v, t, depth),
        _ => value.clone(),
    }
}

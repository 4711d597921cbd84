//! Rewrites an OpenAPI 3.1 document into the 3.0 form (the one `openapiv3` models), so the model reads one
//! dialect only:
//!
//! - `type: [T, "null"]` becomes `type: T` + `nullable: true`; several non-null types become a `oneOf`;
//!   `type: "null"` becomes `nullable: true` + `enum: [null]`;
//! - `const: v` becomes `enum: [v]`; `null` in an `enum` becomes `nullable: true`;
//! - schema `examples: [..]` becomes `example`;
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` become `minimum`/`maximum` + `true`;
//! - a `$ref` with sibling keys becomes `allOf: [{$ref}]` with the siblings kept (for docs, `nullable`,
//!   `default`);
//! - `oneOf`/`anyOf` branches that only allow `null` are dropped and make the schema nullable;
//! - the top-level `webhooks` map (3.1 only) is normalized like path items; `openapiv3` has no place for
//!   it, so [`Normalized::without_webhooks`] gives the strict 3.0 document.
//!
//! Only schema positions are rewritten: examples and defaults are data and stay as written.

use crate::diagnostic::{Class, Diagnostics};
use crate::error::{Error, Result};
use crate::pointer::Pointer;
use serde_json::{Map, Value};

/// Which OpenAPI version the input declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    V3_0,
    V3_1,
}

/// The document in 3.0 form (plus the 3.1 `webhooks` map, normalized the same way).
#[derive(Debug, Clone)]
pub struct Normalized {
    pub doc: Value,
    pub version: SpecVersion,
    pub diagnostics: Diagnostics,
}

impl Normalized {
    /// The strict 3.0 document: everything but `webhooks`.
    pub fn without_webhooks(&self) -> Value {
        let mut doc = self.doc.clone();
        if let Some(obj) = doc.as_object_mut() {
            obj.shift_remove("webhooks");
        }
        doc
    }
}

/// The operation keys of a path item, in the order the spec lists them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Normalizes a loaded document. Fails only when the document is not OpenAPI 3 at all.
pub fn normalize(mut doc: Value) -> Result<Normalized> {
    let root = Pointer::root();
    let Some(obj) = doc.as_object_mut() else {
        return Err(Error::spec(&root, "the document is not a mapping"));
    };
    let mut diagnostics = Diagnostics::default();
    let version = match (obj.get("openapi"), obj.get("swagger")) {
        (Some(Value::String(v)), _) if v.starts_with("3.1") => SpecVersion::V3_1,
        (Some(Value::String(v)), _) if v.starts_with("3.0") => {
            diagnostics.warn(
                Class::OpenApi30,
                &root.push("openapi"),
                format!("OpenAPI {v}: the generator is made for 3.1"),
                "read as 3.0",
            );
            SpecVersion::V3_0
        }
        (None, Some(v)) => {
            return Err(Error::spec(
                &root.push("swagger"),
                format!(
                    "Swagger {} is not supported: convert the spec to OpenAPI 3 first",
                    display(v)
                ),
            ))
        }
        (Some(v), _) => {
            return Err(Error::spec(
                &root.push("openapi"),
                format!(
                    "unsupported OpenAPI version {}: expected 3.0.x or 3.1.x",
                    display(v)
                ),
            ))
        }
        (None, None) => {
            return Err(Error::spec(
                &root,
                "not an OpenAPI document: there is no `openapi` field",
            ))
        }
    };
    for key in ["paths", "components", "webhooks"] {
        if let Some(v) = obj.get(key) {
            if !v.is_object() && !v.is_null() {
                return Err(Error::spec(&root.push(key), "expected a mapping"));
            }
        }
    }
    // Every path item and component is rewritten on its own, so they are shared out over the cores.
    let mut parts: Vec<Part<'_>> = Vec::new();
    for (key, value) in obj.iter_mut() {
        match (key.as_str(), value) {
            ("paths" | "webhooks", Value::Object(items)) => {
                parts.extend(items.values_mut().map(|v| (path_item as Rewrite, v)));
            }
            ("components", Value::Object(components)) => component_parts(components, &mut parts),
            _ => {}
        }
    }
    crate::parallel::map(parts, |(rewrite, value)| rewrite(value)).ok_or_else(|| {
        Error::spec(
            &root,
            "a part of the document was lost while normalizing it",
        )
    })?;
    Ok(Normalized {
        doc,
        version,
        diagnostics,
    })
}

fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// How one part of the document is rewritten.
type Rewrite = fn(&mut Value);
/// A part of the document that is rewritten independently of every other.
type Part<'a> = (Rewrite, &'a mut Value);

/// Every component with the rewrite its section calls for.
fn component_parts<'a>(c: &'a mut Map<String, Value>, parts: &mut Vec<Part<'a>>) {
    for (section, items) in c.iter_mut() {
        let rewrite: Rewrite = match section.as_str() {
            "schemas" => schema,
            "responses" => response,
            "parameters" | "headers" => parameter,
            "requestBodies" => content_holder,
            "pathItems" => path_item,
            "callbacks" => callback,
            _ => continue,
        };
        if let Value::Object(m) = items {
            parts.extend(m.values_mut().map(|v| (rewrite, v)));
        }
    }
}

fn path_item(item: &mut Value) {
    let Some(obj) = item.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(params)) = obj.get_mut("parameters") {
        params.iter_mut().for_each(parameter);
    }
    for method in METHODS {
        if let Some(op) = obj.get_mut(method) {
            operation(op);
        }
    }
}

fn operation(op: &mut Value) {
    let Some(obj) = op.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(params)) = obj.get_mut("parameters") {
        params.iter_mut().for_each(parameter);
    }
    if let Some(body) = obj.get_mut("requestBody") {
        content_holder(body);
    }
    if let Some(Value::Object(responses)) = obj.get_mut("responses") {
        responses.values_mut().for_each(response);
    }
    if let Some(Value::Object(callbacks)) = obj.get_mut("callbacks") {
        callbacks.values_mut().for_each(callback);
    }
}

fn callback(cb: &mut Value) {
    if let Value::Object(m) = cb {
        m.values_mut().for_each(path_item);
    }
}

/// Parameters and headers: a `schema` or a `content` map.
fn parameter(p: &mut Value) {
    if let Some(s) = p.get_mut("schema") {
        schema(s);
    }
    content_holder(p);
}

fn response(r: &mut Value) {
    content_holder(r);
    if let Some(Value::Object(headers)) = r.get_mut("headers") {
        headers.values_mut().for_each(parameter);
    }
}

/// Request bodies, responses and parameters: `content: {media type: {schema}}`.
fn content_holder(v: &mut Value) {
    if let Some(Value::Object(content)) = v.get_mut("content") {
        for media in content.values_mut() {
            if let Some(s) = media.get_mut("schema") {
                schema(s);
            }
        }
    }
}

const SUBSCHEMA_KEYS: [&str; 11] = [
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentSchema",
];
const SUBSCHEMA_MAP_KEYS: [&str; 4] = [
    "properties",
    "patternProperties",
    "$defs",
    "dependentSchemas",
];
const SUBSCHEMA_LIST_KEYS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];

/// Normalizes one schema and, first, everything below it.
pub fn schema(v: &mut Value) {
    let Some(obj) = v.as_object_mut() else {
        return;
    };
    for key in SUBSCHEMA_KEYS {
        if let Some(child) = obj.get_mut(key) {
            schema(child);
        }
    }
    for key in SUBSCHEMA_MAP_KEYS {
        if let Some(Value::Object(m)) = obj.get_mut(key) {
            m.values_mut().for_each(schema);
        }
    }
    for key in SUBSCHEMA_LIST_KEYS {
        if let Some(Value::Array(list)) = obj.get_mut(key) {
            list.iter_mut().for_each(schema);
        }
    }
    wrap_ref_with_siblings(obj);
    type_list(obj);
    const_to_enum(obj);
    null_in_enum(obj);
    examples_to_example(obj);
    exclusive_bounds(obj);
    drop_null_branches(obj);
}

fn wrap_ref_with_siblings(obj: &mut Map<String, Value>) {
    if obj.len() < 2 || !obj.contains_key("$ref") {
        return;
    }
    let Some(reference) = obj.shift_remove("$ref") else {
        return;
    };
    let mut wrapper = Map::new();
    wrapper.insert("$ref".into(), reference);
    match obj.get_mut("allOf") {
        Some(Value::Array(list)) => list.insert(0, Value::Object(wrapper)),
        _ => {
            obj.insert("allOf".into(), Value::Array(vec![Value::Object(wrapper)]));
        }
    }
}

/// Keywords that only apply to one JSON type, moved into that type's branch when a type list is split.
fn keyword_type(key: &str) -> Option<&'static str> {
    Some(match key {
        "format" | "minLength" | "maxLength" | "pattern" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "number",
        "items" | "minItems" | "maxItems" | "uniqueItems" | "prefixItems" => "array",
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => {
            "object"
        }
        _ => return None,
    })
}

fn type_list(obj: &mut Map<String, Value>) {
    match obj.get("type") {
        Some(Value::String(t)) if t == "null" => {
            obj.shift_remove("type");
            obj.insert("nullable".into(), Value::Bool(true));
            obj.insert("enum".into(), Value::Array(vec![Value::Null]));
        }
        Some(Value::Array(list)) if list.iter().all(Value::is_string) => {
            let mut types: Vec<String> = list
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect();
            let had_null = types.iter().any(|t| t == "null");
            types.retain(|t| t != "null");
            types.dedup();
            if had_null {
                obj.insert("nullable".into(), Value::Bool(true));
            }
            match types.len() {
                0 => {
                    obj.shift_remove("type");
                    obj.insert("enum".into(), Value::Array(vec![Value::Null]));
                }
                1 => {
                    obj.insert("type".into(), Value::String(types.remove(0)));
                }
                _ => split_types(obj, types),
            }
        }
        _ => {}
    }
}

/// `type: [string, integer]` becomes `oneOf: [{type: string, ..}, {type: integer, ..}]`, each branch taking
/// the keywords (and enum values) that apply to its type.
fn split_types(obj: &mut Map<String, Value>, types: Vec<String>) {
    obj.shift_remove("type");
    let enum_values = match obj.shift_remove("enum") {
        Some(Value::Array(v)) => Some(v),
        _ => None,
    };
    let specific: Vec<String> = obj
        .keys()
        .filter(|k| keyword_type(k).is_some())
        .cloned()
        .collect();
    let moved: Vec<(String, Value)> = specific
        .into_iter()
        .filter_map(|k| obj.shift_remove(&k).map(|v| (k, v)))
        .collect();
    let branches = types
        .iter()
        .map(|t| {
            let mut branch = Map::new();
            branch.insert("type".into(), Value::String(t.clone()));
            let family = if t == "integer" { "number" } else { t.as_str() };
            for (k, v) in &moved {
                if keyword_type(k) == Some(family) {
                    branch.insert(k.clone(), v.clone());
                }
            }
            if let Some(values) = &enum_values {
                let own: Vec<Value> = values
                    .iter()
                    .filter(|v| json_type_matches(v, t))
                    .cloned()
                    .collect();
                if !own.is_empty() {
                    branch.insert("enum".into(), Value::Array(own));
                }
            }
            Value::Object(branch)
        })
        .collect();
    obj.insert("oneOf".into(), Value::Array(branches));
}

fn json_type_matches(v: &Value, t: &str) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

fn const_to_enum(obj: &mut Map<String, Value>) {
    let Some(value) = obj.shift_remove("const") else {
        return;
    };
    if !obj.contains_key("type") {
        let inferred = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_f64() => Some("number"),
            Value::Number(_) => Some("integer"),
            _ => None,
        };
        if let Some(t) = inferred {
            obj.insert("type".into(), Value::String(t.into()));
        }
    }
    if !obj.contains_key("enum") {
        obj.insert("enum".into(), Value::Array(vec![value]));
    }
}

fn null_in_enum(obj: &mut Map<String, Value>) {
    let Some(Value::Array(values)) = obj.get_mut("enum") else {
        return;
    };
    if values.len() > 1 && values.iter().any(Value::is_null) {
        values.retain(|v| !v.is_null());
        obj.insert("nullable".into(), Value::Bool(true));
    }
}

fn examples_to_example(obj: &mut Map<String, Value>) {
    if !matches!(obj.get("examples"), Some(Value::Array(_))) {
        return;
    }
    if let Some(Value::Array(mut list)) = obj.shift_remove("examples") {
        if !obj.contains_key("example") && !list.is_empty() {
            obj.insert("example".into(), list.swap_remove(0));
        }
    }
}

fn exclusive_bounds(obj: &mut Map<String, Value>) {
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(n)) = obj.get(exclusive) {
            let n = n.clone();
            obj.insert(bound.into(), Value::Number(n));
            obj.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

/// Whether a (normalized) schema admits only `null`.
pub fn is_null_only(v: &Value) -> bool {
    let Some(obj) = v.as_object() else {
        return false;
    };
    matches!(obj.get("enum"), Some(Value::Array(values)) if values.len() == 1 && values[0].is_null())
        && !obj.contains_key("type")
        && !obj.contains_key("properties")
        && !obj.contains_key("$ref")
}

fn drop_null_branches(obj: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = obj.get_mut(key) else {
            continue;
        };
        let before = branches.len();
        branches.retain(|b| !is_null_only(b));
        if branches.len() == before {
            continue;
        }
        obj.insert("nullable".into(), Value::Bool(true));
        // `oneOf: [{$ref: X}, {type: null}]` is "X or null": keep X as the single allOf member.
        let single_ref = match obj.get(key) {
            Some(Value::Array(b)) if b.len() == 1 => {
                b[0].get("$ref").is_some() && b[0].as_object().is_some_and(|m| m.len() == 1)
            }
            _ => false,
        };
        if single_ref && !obj.contains_key("allOf") {
            if let Some(list) = obj.shift_remove(key) {
                obj.insert("allOf".into(), list);
            }
        }
    }
}

#[cfg(test)]
mod tests;

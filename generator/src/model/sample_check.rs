//! Whether a JSON value satisfies a schema of the normalized spec, as a JSON Schema validator (Prism's
//! ajv) would judge it: types, `enum`, string formats, patterns and lengths, numeric bounds, array and
//! object facets, `required`, `allOf`/`oneOf`/`anyOf`/`not`. Used to decide whether a spec example can
//! stand as a request sample.
//!
//! One rule is stricter than JSON Schema: in [`Checker::fits`] an object may only use property names its
//! schema declares somewhere (unless it allows additional properties), because the generated types keep
//! only declared fields; a sample with other keys would not be sent as written.

use super::sample_strings::{format_ok, pattern_ok};
use crate::pointer::Pointer;
use serde_json::{Map, Value};

/// How deep checks follow schemas (`$ref` cycles through objects end here).
const MAX_DEPTH: usize = 64;

/// Checks values against the schemas of one document.
pub struct Checker<'a> {
    doc: &'a Value,
}

impl<'a> Checker<'a> {
    pub fn new(doc: &'a Value) -> Self {
        Checker { doc }
    }

    /// The document the schemas are in.
    pub fn doc(&self) -> &'a Value {
        self.doc
    }

    /// The schema a `$ref` chain ends at (`None` for a dangling or remote reference or a cycle).
    pub fn resolve(&self, schema: &'a Value) -> Option<&'a Value> {
        let mut current = schema;
        for _ in 0..MAX_DEPTH {
            match current.get("$ref").and_then(Value::as_str) {
                Some(r) => current = Pointer::from_ref(r)?.resolve(self.doc)?,
                None => return Some(current),
            }
        }
        None
    }

    /// Whether `value` satisfies `schema` and uses only declared property names.
    pub fn fits(&self, schema: &'a Value, value: &Value) -> bool {
        self.check(schema, value, Mode::Strict, 0)
    }

    /// Whether `value` satisfies `schema` under JSON Schema's own rules.
    pub fn valid(&self, schema: &'a Value, value: &Value) -> bool {
        self.check(schema, value, Mode::Lenient, 0)
    }

    fn check(&self, schema: &'a Value, value: &Value, mode: Mode, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let depth = depth + 1;
        let Some(schema) = self.resolve(schema) else {
            return false;
        };
        let obj = match schema {
            Value::Bool(b) => return *b,
            Value::Object(m) => m,
            _ => return false,
        };
        if value.is_null() {
            return self.null_ok(obj, depth);
        }
        if let Some(Value::Array(values)) = obj.get("enum") {
            if !values.iter().any(|v| same(v, value)) {
                return false;
            }
        }
        if let Some(ty) = obj.get("type").and_then(Value::as_str) {
            if !type_ok(ty, value) {
                return false;
            }
        }
        let own = match value {
            Value::String(s) => string_ok(obj, s),
            Value::Number(_) => number_ok(obj, value),
            Value::Array(items) => self.array_ok(obj, items, mode, depth),
            Value::Object(m) => self.object_ok(obj, m, mode, depth),
            _ => true,
        };
        own && self.combinators_ok(obj, value, mode, depth)
            && (mode != Mode::Strict
                || !value.is_object()
                || self.keys_declared(schema, value, depth))
    }

    fn combinators_ok(
        &self,
        obj: &'a Map<String, Value>,
        value: &Value,
        mode: Mode,
        depth: usize,
    ) -> bool {
        let list = |k: &str| obj.get(k).and_then(Value::as_array);
        // allOf members judge the value together; each may see keys another declares.
        let member_mode = if mode == Mode::Strict {
            Mode::StrictBelow
        } else {
            mode
        };
        if let Some(members) = list("allOf") {
            if !members
                .iter()
                .all(|m| self.check(m, value, member_mode, depth))
            {
                return false;
            }
        }
        // Branch counts follow JSON Schema exactly, or a value that matches two branches would pass.
        if let Some(branches) = list("oneOf") {
            let matching = branches
                .iter()
                .filter(|b| self.check(b, value, Mode::Lenient, depth))
                .count();
            if matching != 1 {
                return false;
            }
        }
        if let Some(branches) = list("anyOf") {
            if !branches
                .iter()
                .any(|b| self.check(b, value, Mode::Lenient, depth))
            {
                return false;
            }
        }
        if let Some(not) = obj.get("not") {
            if self.check(not, value, Mode::Lenient, depth) {
                return false;
            }
        }
        true
    }

    /// `null` fits a nullable schema, an enum that lists it, or a schema without a type whose
    /// combinators all accept it.
    fn null_ok(&self, obj: &'a Map<String, Value>, depth: usize) -> bool {
        if obj.get("nullable").and_then(Value::as_bool) == Some(true)
            || matches!(obj.get("type").and_then(Value::as_str), Some("null"))
        {
            return true;
        }
        if let Some(Value::Array(values)) = obj.get("enum") {
            return values.iter().any(Value::is_null);
        }
        if obj.contains_key("type") || obj.contains_key("properties") {
            return false;
        }
        let has_combinator = ["allOf", "oneOf", "anyOf"]
            .iter()
            .any(|k| obj.contains_key(*k));
        !has_combinator || self.combinators_ok(obj, &Value::Null, Mode::Lenient, depth)
    }

    fn array_ok(
        &self,
        obj: &'a Map<String, Value>,
        items: &[Value],
        mode: Mode,
        depth: usize,
    ) -> bool {
        let n = items.len() as u64;
        if obj
            .get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|min| n < min)
            || obj
                .get("maxItems")
                .and_then(Value::as_u64)
                .is_some_and(|max| n > max)
        {
            return false;
        }
        if obj.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
            for (i, a) in items.iter().enumerate() {
                if items[i + 1..].iter().any(|b| same(a, b)) {
                    return false;
                }
            }
        }
        let child = mode.child();
        match obj.get("items") {
            Some(schema) => items.iter().all(|v| self.check(schema, v, child, depth)),
            None => true,
        }
    }

    fn object_ok(
        &self,
        obj: &'a Map<String, Value>,
        m: &Map<String, Value>,
        mode: Mode,
        depth: usize,
    ) -> bool {
        let n = m.len() as u64;
        if obj
            .get("minProperties")
            .and_then(Value::as_u64)
            .is_some_and(|min| n < min)
            || obj
                .get("maxProperties")
                .and_then(Value::as_u64)
                .is_some_and(|max| n > max)
        {
            return false;
        }
        let required_present = obj
            .get("required")
            .and_then(Value::as_array)
            .is_none_or(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .all(|k| m.contains_key(k))
            });
        if !required_present {
            return false;
        }
        let props = obj.get("properties").and_then(Value::as_object);
        let child = mode.child();
        m.iter().all(|(k, v)| match props.and_then(|p| p.get(k)) {
            Some(schema) => self.check(schema, v, child, depth),
            None => match obj.get("additionalProperties") {
                Some(Value::Bool(false)) => false,
                Some(schema @ Value::Object(_)) => self.check(schema, v, child, depth),
                _ => true,
            },
        })
    }

    /// Every key of `value` is a property some part of `schema` declares, or the schema allows more.
    fn keys_declared(&self, schema: &'a Value, value: &Value, depth: usize) -> bool {
        let mut names = Vec::new();
        if self.declared(schema, &mut names, depth) {
            return true;
        }
        value
            .as_object()
            .is_none_or(|m| m.keys().all(|k| names.iter().any(|n| n == k)))
    }

    /// Collects the property names `schema` and its combinators declare; `true` when additional
    /// properties are allowed (then any key is declared).
    fn declared(&self, schema: &'a Value, names: &mut Vec<&'a str>, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let Some(Value::Object(obj)) = self.resolve(schema) else {
            return false;
        };
        match obj.get("additionalProperties") {
            Some(Value::Bool(true)) | Some(Value::Object(_)) => return true,
            _ => {}
        }
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            names.extend(props.keys().map(String::as_str));
        }
        let mut open = false;
        for key in ["allOf", "oneOf", "anyOf"] {
            for member in obj.get(key).and_then(Value::as_array).into_iter().flatten() {
                open |= self.declared(member, names, depth + 1);
            }
        }
        open
    }
}

/// How strictly a value is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// JSON Schema's rules.
    Lenient,
    /// Also: the value's own keys must be declared.
    Strict,
    /// Inside an `allOf` member: the value's own keys are judged at the merged level, values below
    /// strictly.
    StrictBelow,
}

impl Mode {
    fn child(self) -> Mode {
        match self {
            Mode::StrictBelow => Mode::Strict,
            other => other,
        }
    }
}

/// JSON equality where `1` and `1.0` are the same number.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn type_ok(ty: &str, value: &Value) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    }
}

fn string_ok(obj: &Map<String, Value>, s: &str) -> bool {
    let len = s.chars().count() as u64;
    obj.get("minLength")
        .and_then(Value::as_u64)
        .is_none_or(|min| len >= min)
        && obj
            .get("maxLength")
            .and_then(Value::as_u64)
            .is_none_or(|max| len <= max)
        && obj
            .get("format")
            .and_then(Value::as_str)
            .is_none_or(|f| format_ok(f, s))
        && obj
            .get("pattern")
            .and_then(Value::as_str)
            .is_none_or(|p| pattern_ok(p, s))
}

/// Numeric bounds in the 3.0 form the spec is normalized to (`exclusiveMinimum: true` beside
/// `minimum`), or the 3.1 form (a number).
fn number_ok(obj: &Map<String, Value>, value: &Value) -> bool {
    let Some(x) = value.as_f64() else {
        return false;
    };
    let bound = |key: &str, exclusive_key: &str| -> Option<(f64, bool)> {
        match (obj.get(key).and_then(Value::as_f64), obj.get(exclusive_key)) {
            (_, Some(Value::Number(n))) => n.as_f64().map(|b| (b, true)),
            (Some(b), Some(Value::Bool(true))) => Some((b, true)),
            (Some(b), _) => Some((b, false)),
            (None, _) => None,
        }
    };
    let above = match bound("minimum", "exclusiveMinimum") {
        Some((min, true)) => x > min,
        Some((min, false)) => x >= min,
        None => true,
    };
    let below = match bound("maximum", "exclusiveMaximum") {
        Some((max, true)) => x < max,
        Some((max, false)) => x <= max,
        None => true,
    };
    let multiple = obj
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|m| *m > 0.0)
        .is_none_or(|m| ((x / m) - (x / m).round()).abs() < 1e-9);
    above && below && multiple
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "Id": {"type": "string", "format": "uuid"},
            "Base": {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            "Both": {"allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "properties": {"b": {"type": "integer", "minimum": 1, "maximum": 5}}}
            ]},
            "Either": {"oneOf": [{"type": "string"}, {"type": "string", "format": "uuid"}]},
            "Open": {"type": "object", "additionalProperties": {"type": "integer"}}
        }}})
    }

    fn schema(name: &str) -> Value {
        json!({ "$ref": format!("#/components/schemas/{name}") })
    }

    #[test]
    fn formats_bounds_and_required_members_are_checked() {
        let doc = doc();
        let c = Checker::new(&doc);
        assert!(c.fits(
            &schema("Id"),
            &json!("3fa85f64-5717-4562-b3fc-2c963f66afa6")
        ));
        assert!(!c.fits(&schema("Id"), &json!("v3:call/1 2")));
        assert!(c.fits(&schema("Both"), &json!({"a": "x", "b": 5})));
        assert!(!c.fits(&schema("Both"), &json!({"a": "x", "b": 6})));
        assert!(!c.fits(&schema("Both"), &json!({"b": 1})));
        assert!(!c.fits(&schema("Both"), &json!({"a": "x", "b": 1.5})));
    }

    #[test]
    fn undeclared_keys_fail_only_the_strict_check() {
        let doc = doc();
        let c = Checker::new(&doc);
        let extra = json!({"a": "x", "c": true});
        assert!(!c.fits(&schema("Both"), &extra));
        assert!(c.valid(&schema("Both"), &extra));
        assert!(c.fits(&schema("Open"), &json!({"any": 1})));
        assert!(!c.fits(&schema("Open"), &json!({"any": "text"})));
    }

    #[test]
    fn one_of_needs_exactly_one_branch() {
        let doc = doc();
        let c = Checker::new(&doc);
        assert!(c.fits(&schema("Either"), &json!("plain")));
        assert!(!c.fits(
            &schema("Either"),
            &json!("3fa85f64-5717-4562-b3fc-2c963f66afa6")
        ));
    }

    #[test]
    fn null_needs_a_nullable_schema() {
        let doc = doc();
        let c = Checker::new(&doc);
        assert!(!c.fits(&json!({"type": "string"}), &Value::Null));
        assert!(c.fits(&json!({"type": "string", "nullable": true}), &Value::Null));
        assert!(c.fits(&json!({"enum": ["a", null]}), &Value::Null));
    }

    #[test]
    fn exclusive_bounds_in_both_forms() {
        let doc = doc();
        let c = Checker::new(&doc);
        let old = json!({"type": "number", "minimum": 0, "exclusiveMinimum": true});
        let new = json!({"type": "number", "exclusiveMinimum": 0});
        for s in [&old, &new] {
            assert!(!c.fits(s, &json!(0)));
            assert!(c.fits(s, &json!(0.5)));
        }
        assert!(!c.fits(&json!({"type": "integer", "multipleOf": 5}), &json!(7)));
    }
}

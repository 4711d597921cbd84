//! Request samples read from the schema itself rather than from the generated types, so that they
//! satisfy what the spec says (formats, patterns, bounds, lengths, required members, `oneOf`
//! exclusivity) and a mistake the types make shows up as a difference from the spec instead of being
//! repeated in the sample.
//!
//! At each schema the spec's own `example` wins when it satisfies the schema (see
//! [`Checker::fits`]); otherwise a value is built: every property to a depth (required ones always),
//! the first value of an enum, the first discriminator mapping, the first `oneOf` branch that no other
//! branch also accepts, a value for the `format` or `pattern` of a string, a number inside its bounds.
//! `readOnly` properties are left out: these are requests.

use super::sample_check::Checker;
use super::sample_strings::{format_value, pattern_value};
use super::schema::constraint_branches;
use crate::pointer::Pointer;
use crate::spec::view::Node;
use serde_json::{json, Map, Value};

/// How deep objects and arrays are filled with optional members; below, only required ones.
const FULL_NESTING: usize = 4;
/// How deep a sample may nest at all.
const MAX_NESTING: usize = 12;
/// How many schemas (references, combinators) a sample follows on one path.
const MAX_STEPS: usize = 96;

/// A path parameter value with characters that must be percent-encoded, taken wherever the parameter's
/// schema accepts it (any string), so that tests see the encoding.
pub const PATH_VALUE: &str = "v3:call/1 2";

/// The value of a path parameter: [`PATH_VALUE`] when its schema accepts that, else a sample of the
/// schema, as the text that goes into the path.
pub fn path_sample<'a>(sampler: &Sampler<'a>, schema: Option<&'a Value>) -> String {
    let Some(schema) = schema else {
        return PATH_VALUE.to_owned();
    };
    let any = json!(PATH_VALUE);
    if sampler.checker().fits(schema, &any) {
        return PATH_VALUE.to_owned();
    }
    match sampler.value(schema) {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// Builds request samples from the schemas of one document.
pub struct Sampler<'a> {
    check: Checker<'a>,
}

/// Where the sampler is in a value: schema steps taken and object/array nesting.
#[derive(Clone, Copy)]
struct At {
    steps: usize,
    nesting: usize,
}

impl At {
    fn step(self) -> At {
        At {
            steps: self.steps + 1,
            ..self
        }
    }

    fn nest(self) -> At {
        At {
            steps: self.steps + 1,
            nesting: self.nesting + 1,
        }
    }
}

impl<'a> Sampler<'a> {
    pub fn new(doc: &'a Value) -> Self {
        Sampler {
            check: Checker::new(doc),
        }
    }

    /// The checker the samples are judged by.
    pub fn checker(&self) -> &Checker<'a> {
        &self.check
    }

    /// A value that satisfies `schema`.
    pub fn value(&self, schema: &'a Value) -> Value {
        self.at(
            schema,
            At {
                steps: 0,
                nesting: 0,
            },
        )
    }

    fn at(&self, schema: &'a Value, at: At) -> Value {
        if at.steps > MAX_STEPS || at.nesting > MAX_NESTING {
            return Value::Null;
        }
        let obj = match schema {
            Value::Object(m) => m,
            _ => return json!({"key": "value"}),
        };
        if let Some(example) = obj.get("example") {
            if !example.is_null() && self.check.fits(schema, example) {
                return example.clone();
            }
        }
        if obj.contains_key("$ref") {
            return match self.check.resolve(schema) {
                Some(target) => self.at(target, at.step()),
                None => Value::Null,
            };
        }
        if let Some(Value::Array(values)) = obj.get("enum") {
            let fitting = values
                .iter()
                .find(|v| !v.is_null() && self.check.fits(schema, v));
            if let Some(v) = fitting.or_else(|| values.iter().find(|v| !v.is_null())) {
                return v.clone();
            }
        }
        if obj.contains_key("oneOf") || obj.contains_key("anyOf") {
            return self.union(schema, obj, at);
        }
        let ty = obj.get("type").and_then(Value::as_str);
        if let (Some(Value::Array(members)), None) = (obj.get("allOf"), obj.get("properties")) {
            // `allOf` of scalars (a `$ref` with a sibling `description`): the members decide.
            let scalar = members
                .iter()
                .filter_map(|m| self.check.resolve(m))
                .find(|m| !is_object_schema(m));
            if let (Some(member), None | Some("string" | "integer" | "number" | "boolean")) =
                (scalar, ty)
            {
                return self.at(member, at.step());
            }
        }
        match ty {
            Some("string") => string_value(obj),
            Some("integer") => number_value(obj, true),
            Some("number") => number_value(obj, false),
            Some("boolean") => json!(true),
            Some("array") => self.array(obj, at),
            Some("null") => Value::Null,
            _ if is_object_schema(schema) => Value::Object(self.object(schema, &[], &[], at)),
            _ => json!({"key": "value"}),
        }
    }

    /// An object with the members of `schema` (its `allOf` members merged), plus those `also_required`
    /// lists, minus those `excluded` names.
    fn object(
        &self,
        schema: &'a Value,
        also_required: &[&str],
        excluded: &[&str],
        at: At,
    ) -> Map<String, Value> {
        let mut members = Members::default();
        self.members(schema, &mut members, at.steps);
        let mut out = Map::new();
        for (name, prop) in &members.properties {
            let required = members.required.contains(name) || also_required.contains(name);
            let wanted = required || (at.nesting < FULL_NESTING && !self.read_only(prop));
            if !wanted || excluded.contains(name) {
                continue;
            }
            let value = self.at(prop, at.nest());
            if value.is_null() && !required {
                continue;
            }
            out.insert((*name).to_owned(), value);
        }
        if members.properties.is_empty() {
            if let Some(additional) = members.additional {
                if at.nesting < FULL_NESTING {
                    out.insert("key".to_owned(), self.at(additional, at.nest()));
                }
            }
        }
        out
    }

    /// Collects the properties, required names and additional-properties schema of `schema` and its
    /// `allOf` members (later members override earlier ones, as in the generated types).
    fn members(&self, schema: &'a Value, into: &mut Members<'a>, steps: usize) {
        if steps > MAX_STEPS {
            return;
        }
        let Some(Value::Object(obj)) = self.check.resolve(schema) else {
            return;
        };
        for member in obj
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.members(member, into, steps + 1);
        }
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                match into
                    .properties
                    .iter_mut()
                    .find(|(n, _)| *n == name.as_str())
                {
                    Some(slot) => slot.1 = prop,
                    None => into.properties.push((name.as_str(), prop)),
                }
            }
        }
        for name in obj
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = name.as_str() {
                into.required.push(name);
            }
        }
        if let Some(ap @ Value::Object(_)) = obj.get("additionalProperties") {
            into.additional = Some(ap);
        }
    }

    /// `oneOf`/`anyOf`: required-lists on the schema's own properties, a tagged union, or plain
    /// alternatives.
    fn union(&self, schema: &'a Value, obj: &'a Map<String, Value>, at: At) -> Value {
        let one_of = obj.contains_key("oneOf");
        let key = if one_of { "oneOf" } else { "anyOf" };
        let branches: &'a [Value] = obj
            .get(key)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice);
        let node = Node::new(schema, Pointer::root());
        if let Some((_, lists)) = constraint_branches(&node) {
            return self.constrained(schema, branches, &lists, one_of, at);
        }
        if let Some(disc) = obj.get("discriminator") {
            if let Some(v) = self.tagged(disc, branches, at) {
                return v;
            }
        }
        let samples: Vec<Value> = branches.iter().map(|b| self.at(b, at.step())).collect();
        let base = (obj.contains_key("properties") || obj.contains_key("allOf"))
            .then(|| self.object(schema, &[], &[], at));
        let with_base = |v: &Value| match (&base, v) {
            (Some(base), Value::Object(m)) => {
                let mut merged = base.clone();
                merged.extend(m.clone());
                Value::Object(merged)
            }
            _ => v.clone(),
        };
        samples
            .iter()
            .map(with_base)
            .find(|v| self.check.valid(schema, v))
            .or_else(|| samples.first().map(with_base))
            .unwrap_or(Value::Null)
    }

    /// Properties with `oneOf`/`anyOf` branches that only say which of them are required: the first
    /// branch's names are filled in; for `oneOf`, names only other branches require are left out.
    fn constrained(
        &self,
        schema: &'a Value,
        branches: &'a [Value],
        lists: &[Vec<String>],
        one_of: bool,
        at: At,
    ) -> Value {
        let chosen: Vec<&str> = lists
            .first()
            .map(|l| l.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let mut excluded: Vec<&str> = Vec::new();
        if one_of {
            for other in lists.iter().skip(1) {
                excluded.extend(
                    other
                        .iter()
                        .map(String::as_str)
                        .filter(|n| !chosen.contains(n)),
                );
            }
        }
        // Properties a branch forbids (`not: {}`) are left out too.
        if let Some(props) = branches
            .first()
            .and_then(|b| b.get("properties"))
            .and_then(Value::as_object)
        {
            excluded.extend(props.keys().map(String::as_str));
        }
        Value::Object(self.object(schema, &chosen, &excluded, at))
    }

    /// The first variant a discriminator names, with its tag value set.
    fn tagged(&self, disc: &'a Value, branches: &'a [Value], at: At) -> Option<Value> {
        let tag = disc.get("propertyName")?.as_str()?;
        let mapped = disc
            .get("mapping")
            .and_then(Value::as_object)
            .and_then(|m| m.iter().next())
            .and_then(|(value, target)| {
                let target = Pointer::from_ref(target.as_str()?)?;
                let schema = target.resolve(self.check.doc())?;
                Some((value.clone(), schema))
            });
        let (tag_value, target) = match mapped {
            Some(found) => found,
            None => {
                let branch = branches.first()?;
                let value = self
                    .check
                    .resolve(branch)
                    .and_then(|b| b.pointer(&format!("/properties/{tag}/enum/0")))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .or_else(|| {
                        let r = branch.get("$ref")?.as_str()?;
                        Pointer::from_ref(r)?.last()
                    })?;
                (value, branch)
            }
        };
        let mut sample = self.at(target, at.step());
        if let Value::Object(m) = &mut sample {
            m.insert(tag.to_owned(), Value::String(tag_value));
        }
        Some(sample)
    }

    /// An array of as many items as it must have (at least one while optional members are filled).
    fn array(&self, obj: &'a Map<String, Value>, at: At) -> Value {
        let min = obj.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = obj
            .get("maxItems")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        let wanted = if at.nesting < FULL_NESTING {
            min.max(1)
        } else {
            min
        };
        let count = max.map_or(wanted, |m| wanted.min(m));
        let Some(items) = obj.get("items") else {
            return Value::Array(vec![json!("value"); count]);
        };
        let unique = obj.get("uniqueItems").and_then(Value::as_bool) == Some(true);
        let first = self.at(items, at.nest());
        let mut out = Vec::with_capacity(count);
        for i in 0..count {
            let item = if i == 0 || !unique {
                first.clone()
            } else {
                distinct(&first, i, self.check.resolve(items))
            };
            out.push(item);
        }
        Value::Array(out)
    }

    fn read_only(&self, prop: &'a Value) -> bool {
        let flag = |v: &Value| v.get("readOnly").and_then(Value::as_bool) == Some(true);
        flag(prop) || self.check.resolve(prop).is_some_and(flag)
    }
}

/// Properties, required names and additional properties gathered over `allOf`.
#[derive(Default)]
struct Members<'a> {
    properties: Vec<(&'a str, &'a Value)>,
    required: Vec<&'a str>,
    additional: Option<&'a Value>,
}

fn is_object_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        || schema.get("properties").is_some()
        || schema.get("allOf").is_some()
        || schema
            .get("additionalProperties")
            .is_some_and(Value::is_object)
}

/// A string for the schema's format, else its pattern, else `"string"` fitted to its lengths.
fn string_value(obj: &Map<String, Value>) -> Value {
    let pattern = obj.get("pattern").and_then(Value::as_str);
    if let Some(v) = obj
        .get("format")
        .and_then(Value::as_str)
        .and_then(format_value)
    {
        if pattern.is_none_or(|p| super::sample_strings::pattern_ok(p, v)) {
            return json!(v);
        }
    }
    if let Some(v) = pattern.and_then(pattern_value) {
        return json!(v);
    }
    let min = obj.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = obj
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|m| m as usize);
    let mut s = String::from("string");
    while s.len() < min {
        s.push('x');
    }
    if let Some(max) = max {
        s.truncate(max);
    }
    json!(s)
}

/// `1` (or `1.5`) moved inside the schema's bounds and onto its `multipleOf`.
fn number_value(obj: &Map<String, Value>, integer: bool) -> Value {
    let num = |k: &str| obj.get(k).and_then(Value::as_f64);
    let exclusive = |k: &str, base: &str| match obj.get(k) {
        Some(Value::Number(n)) => n.as_f64().map(|b| (b, true)),
        Some(Value::Bool(true)) => num(base).map(|b| (b, true)),
        _ => num(base).map(|b| (b, false)),
    };
    let low = exclusive("exclusiveMinimum", "minimum");
    let high = exclusive("exclusiveMaximum", "maximum");
    let step = if integer { 1.0 } else { 0.5 };
    let mut x: f64 = if integer { 1.0 } else { 1.5 };
    if let Some((min, excl)) = low {
        if x < min || (excl && x <= min) {
            x = if integer { min.ceil() } else { min };
            if excl && x <= min {
                x += step;
            }
        }
    }
    if let Some((max, excl)) = high {
        if x > max || (excl && x >= max) {
            x = if integer { max.floor() } else { max };
            if excl && x >= max {
                x = match low {
                    Some((min, _)) if !integer => (min + max) / 2.0,
                    _ => x - step,
                };
            }
        }
    }
    if let Some(m) = num("multipleOf").filter(|m| *m > 0.0) {
        x = (x / m).ceil() * m;
    }
    if integer {
        json!(x as i64)
    } else {
        json!(x)
    }
}

/// The `i`-th of several items that must differ: another enum value, or the first one changed.
fn distinct(first: &Value, i: usize, items: Option<&Value>) -> Value {
    if let Some(Value::Array(values)) = items.and_then(|s| s.get("enum")) {
        if let Some(v) = values.iter().filter(|v| !v.is_null()).nth(i) {
            return v.clone();
        }
    }
    match first {
        Value::String(s) => json!(format!("{s}{i}")),
        Value::Number(n) if n.is_i64() => json!(n.as_i64().unwrap_or(0) + i as i64),
        Value::Number(n) => json!(n.as_f64().unwrap_or(0.0) + i as f64),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "Id": {"type": "string", "format": "uuid"},
            "Req": {
                "type": "object",
                "required": ["to", "count"],
                "properties": {
                    "to": {"type": "string", "pattern": "^\\+\\d{7,15}$"},
                    "count": {"type": "integer", "minimum": 10, "maximum": 20},
                    "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
                    "id": {"$ref": "#/components/schemas/Id"},
                    "when": {"type": "string", "format": "date-time", "example": "yesterday"},
                    "from": {"type": "string", "example": "+13125550100"},
                    "server_id": {"type": "string", "readOnly": true},
                    "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}, "minItems": 2, "uniqueItems": true}
                }
            },
            "Pick": {
                "type": "object",
                "properties": {"url": {"type": "string"}, "settings": {"type": "string"}},
                "oneOf": [{"required": ["url"]}, {"required": ["settings"]}]
            },
            "Cat": {"type": "object", "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}}},
            "Dog": {"type": "object", "properties": {"kind": {"type": "string"}, "bark": {"type": "boolean"}}},
            "Pet": {
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "kind", "mapping": {"dog": "#/components/schemas/Dog", "cat": "#/components/schemas/Cat"}}
            },
            "Scalar": {"oneOf": [{"type": "string", "format": "uuid"}, {"type": "string"}]}
        }}})
    }

    fn sample(doc: &Value, name: &str) -> Value {
        Sampler::new(doc).value(&doc["components"]["schemas"][name])
    }

    #[test]
    fn samples_satisfy_formats_patterns_bounds_and_required_members() {
        let doc = doc();
        let v = sample(&doc, "Req");
        assert_eq!(v["to"], json!("+0000000"));
        assert_eq!(v["count"], json!(10));
        assert_eq!(v["ratio"], json!(0.5));
        assert_eq!(v["id"], json!("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        // An example that breaks its own format is not used; one that fits is.
        assert_eq!(v["when"], json!("2024-01-02T03:04:05Z"));
        assert_eq!(v["from"], json!("+13125550100"));
        assert!(v.get("server_id").is_none(), "readOnly is not sent");
        assert_eq!(v["tags"], json!(["a", "b"]));
        assert!(Checker::new(&doc).fits(&doc["components"]["schemas"]["Req"], &v));
    }

    #[test]
    fn one_of_required_lists_fill_one_branch_only() {
        let doc = doc();
        assert_eq!(sample(&doc, "Pick"), json!({"url": "string"}));
    }

    #[test]
    fn tagged_unions_take_the_first_mapping_with_its_tag() {
        let doc = doc();
        let v = sample(&doc, "Pet");
        assert_eq!(v["kind"], json!("dog"));
        assert_eq!(v["bark"], json!(true));
    }

    #[test]
    fn one_of_takes_a_branch_no_other_branch_accepts() {
        let doc = doc();
        // The uuid also matches the plain string branch, so the plain string is taken.
        assert_eq!(sample(&doc, "Scalar"), json!("string"));
    }

    /// Every parameter and request body schema of the pinned spec gets a sample that satisfies it.
    #[test]
    fn every_request_sample_of_the_pinned_spec_satisfies_its_schema() {
        let Some(text) = crate::test_support::pinned_spec_text() else {
            eprintln!("TELNYX_OPENAPI_SPEC not set: skipped");
            return;
        };
        let spec =
            crate::spec::normalize(crate::spec::load(&text).expect("loads")).expect("normalizes");
        let doc = &spec.doc;
        let sampler = Sampler::new(doc);
        let check = sampler.checker();
        let mut schemas: Vec<(String, &Value)> = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                let params = item
                    .get("parameters")
                    .into_iter()
                    .chain(op.get("parameters"));
                for p in params.filter_map(Value::as_array).flatten() {
                    let p = check.resolve(p).unwrap_or(p);
                    if let Some(schema) = p.get("schema") {
                        schemas.push((format!("{method} {path} {}", p["name"]), schema));
                    }
                }
                let body = op.get("requestBody").map(|b| check.resolve(b).unwrap_or(b));
                let content = body
                    .and_then(|b| b.get("content"))
                    .and_then(Value::as_object);
                for (media_type, media) in content.into_iter().flatten() {
                    if let Some(schema) = media.get("schema") {
                        schemas.push((format!("{method} {path} {media_type}"), schema));
                    }
                }
            }
        }
        assert!(schemas.len() > 2000, "{} schemas", schemas.len());
        let failing: Vec<&str> = schemas
            .iter()
            .filter(|(_, schema)| !check.valid(schema, &sampler.value(schema)))
            .map(|(what, _)| what.as_str())
            .collect();
        assert!(
            failing.is_empty(),
            "{} samples break their schema: {failing:#?}",
            failing.len()
        );
    }
}

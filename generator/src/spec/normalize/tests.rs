use super::*;
use serde_json::json;

/// Normalizes `s` as a component schema of a minimal 3.1 document and returns it.
fn norm(s: Value) -> Value {
    let doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": s}}});
    normalize(doc).unwrap().doc["components"]["schemas"]["S"].clone()
}

#[test]
fn type_list_with_null_becomes_nullable() {
    assert_eq!(
        norm(json!({"type": ["string", "null"], "description": "d"})),
        json!({"type": "string", "description": "d", "nullable": true})
    );
    assert_eq!(
        norm(json!({"type": ["array"], "items": {"type": "integer"}})),
        json!({"type": "array", "items": {"type": "integer"}})
    );
}

#[test]
fn null_type_alone_admits_only_null() {
    let n = norm(json!({"type": "null"}));
    assert!(is_null_only(&n), "{n}");
    let n = norm(json!({"type": ["null"]}));
    assert!(is_null_only(&n), "{n}");
}

#[test]
fn several_types_split_into_one_of_with_their_keywords() {
    let n = norm(
        json!({"type": ["string", "integer", "null"], "maxLength": 3, "minimum": 1, "enum": ["a", 1], "description": "d"}),
    );
    assert_eq!(
        n,
        json!({"description": "d", "nullable": true, "oneOf": [
            {"type": "string", "maxLength": 3, "enum": ["a"]},
            {"type": "integer", "minimum": 1, "enum": [1]}
        ]})
    );
}

#[test]
fn const_becomes_a_one_value_enum_with_its_type() {
    assert_eq!(
        norm(json!({"const": "arithmetic"})),
        json!({"type": "string", "enum": ["arithmetic"]})
    );
    assert_eq!(
        norm(json!({"type": "integer", "const": 3})),
        json!({"type": "integer", "enum": [3]})
    );
}

#[test]
fn null_in_enum_becomes_nullable() {
    assert_eq!(
        norm(json!({"type": ["string", "null"], "enum": [null, "auto"]})),
        json!({"type": "string", "enum": ["auto"], "nullable": true})
    );
}

#[test]
fn examples_list_becomes_example() {
    assert_eq!(
        norm(json!({"type": "string", "examples": ["a", "b"]})),
        json!({"type": "string", "example": "a"})
    );
    assert_eq!(
        norm(json!({"type": "string", "example": "x", "examples": ["a"]})),
        json!({"type": "string", "example": "x"})
    );
}

#[test]
fn numeric_exclusive_bounds_become_the_3_0_form() {
    assert_eq!(
        norm(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5})),
        json!({"type": "number", "exclusiveMinimum": true, "exclusiveMaximum": true, "minimum": 0, "maximum": 1.5})
    );
}

#[test]
fn ref_with_siblings_keeps_the_siblings_around_an_all_of() {
    assert_eq!(
        norm(json!({"$ref": "#/components/schemas/T", "description": "why"})),
        json!({"description": "why", "allOf": [{"$ref": "#/components/schemas/T"}]})
    );
    // A bare $ref stays a bare $ref.
    assert_eq!(
        norm(json!({"$ref": "#/components/schemas/T"})),
        json!({"$ref": "#/components/schemas/T"})
    );
}

#[test]
fn null_branch_of_one_of_makes_the_schema_nullable() {
    assert_eq!(
        norm(json!({"oneOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]})),
        json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
    );
    assert_eq!(
        norm(json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})),
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
    );
}

#[test]
fn nested_schemas_are_normalized_everywhere_but_examples_are_not() {
    let doc = json!({
        "openapi": "3.1.0",
        "paths": {"/a": {
            "parameters": [{"name": "p", "in": "query", "schema": {"type": ["integer", "null"]}}],
            "post": {
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"x": {"type": ["boolean", "null"]}, "type": {"const": "k"}},
                    "example": {"type": ["string", "null"]}
                }}}},
                "responses": {"200": {"description": "ok", "headers": {"h": {"schema": {"const": 1}}},
                    "content": {"application/json": {"schema": {"items": {"type": ["number", "null"]}, "type": "array"}}}}}
            }
        }},
        "webhooks": {"w": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": ["object", "null"]}}}}}}}
    });
    let n = normalize(doc).unwrap();
    let op = &n.doc["paths"]["/a"]["post"];
    assert_eq!(
        n.doc["paths"]["/a"]["parameters"][0]["schema"],
        json!({"type": "integer", "nullable": true})
    );
    let body = &op["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(
        body["properties"]["x"],
        json!({"type": "boolean", "nullable": true})
    );
    assert_eq!(
        body["properties"]["type"],
        json!({"type": "string", "enum": ["k"]})
    );
    assert_eq!(
        body["example"],
        json!({"type": ["string", "null"]}),
        "examples are data"
    );
    let resp = &op["responses"]["200"];
    assert_eq!(
        resp["headers"]["h"]["schema"],
        json!({"type": "integer", "enum": [1]})
    );
    assert_eq!(
        resp["content"]["application/json"]["schema"]["items"],
        json!({"type": "number", "nullable": true})
    );
    assert_eq!(
        n.doc["webhooks"]["w"]["post"]["requestBody"]["content"]["application/json"]["schema"],
        json!({"type": "object", "nullable": true})
    );
    assert!(n.without_webhooks().get("webhooks").is_none());
}

#[test]
fn version_rules() {
    let v30 = normalize(json!({"openapi": "3.0.3"})).unwrap();
    assert_eq!(v30.version, SpecVersion::V3_0);
    let d: Vec<_> = v30.diagnostics.iter().collect();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].class, crate::diagnostic::Class::OpenApi30);
    assert_eq!(d[0].pointer.to_string(), "#/openapi");
    let err = normalize(json!({"swagger": "2.0"}))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("#/swagger: Swagger 2.0 is not supported"),
        "{err}"
    );
    let err = normalize(json!({"openapi": "4.0.0"}))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("#/openapi: unsupported OpenAPI version 4.0.0"),
        "{err}"
    );
    let err = normalize(json!({"info": {}})).unwrap_err().to_string();
    assert!(err.contains("no `openapi` field"), "{err}");
    let err = normalize(json!(["not", "a", "map"]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a mapping"), "{err}");
}

/// The point of normalizing: `openapiv3` (a 3.0 model) accepts the result, including every construct
/// the 3.1 spec uses that it would otherwise reject.
#[test]
fn the_3_0_model_accepts_normalized_3_1_constructs() {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {
            "AudioChunkFrame": {"type": "object", "properties": {
                "type": {"const": "audio_chunk"},
                "seq": {"type": ["integer", "null"], "exclusiveMinimum": 0},
                "tags": {"type": ["array", "null"], "items": {"type": "string"}, "examples": [["a"]]}
            }},
            "Maybe": {"oneOf": [{"$ref": "#/components/schemas/AudioChunkFrame"}, {"type": "null"}]},
            "Nothing": {"type": "null"}
        }}
    });
    let n = normalize(doc).unwrap();
    let parsed: Result<openapiv3::OpenAPI, _> = serde_json::from_value(n.without_webhooks());
    let api = parsed.expect("normalized document parses as OpenAPI 3.0");
    assert_eq!(api.components.unwrap().schemas.len(), 3);
}

/// The pinned spec, when it is available, normalizes into something the 3.0 model accepts as a whole.
#[test]
fn the_pinned_spec_normalizes_into_the_3_0_model() {
    let text = crate::test_support::pinned_spec_text();
    let n = normalize(crate::spec::load(&text).unwrap()).unwrap();
    assert_eq!(n.version, SpecVersion::V3_1);
    assert_eq!(n.doc["webhooks"].as_object().map(|w| w.len()), Some(66));
    let api: openapiv3::OpenAPI =
        serde_json::from_value(n.without_webhooks()).expect("parses as 3.0");
    assert_eq!(api.paths.paths.len(), 782);
    assert_eq!(api.components.unwrap().schemas.len(), 1875);
}

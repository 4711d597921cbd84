//! A spec of a hundred operations and schemas, with or without one defect each (six kinds in turn):
//! shared by the test that the defects give a hundred diagnostics and the bench that times both.

use serde_json::{json, Map, Value};

pub const DEFECTS: usize = 100;

/// One operation and one schema per `i`; with `defective`, each has one defect, of six kinds in turn.
pub fn spec(defective: bool) -> String {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    schemas.insert(
        "Google".into(),
        json!({"type": "string", "enum": ["en", "de"]}),
    );
    schemas.insert("Deepgram".into(), json!({"type": "string", "enum": ["fr"]}));
    for i in 0..DEFECTS {
        let kind = if defective { i % 6 } else { usize::MAX };
        let mut properties = json!({"id": {"type": "string"}, "count": {"type": "integer"}});
        let mut required = vec![json!("id")];
        match kind {
            0 => required.push(json!(format!("nmae{i}"))),
            1 => properties["count"] = json!({"type": "integr"}),
            2 => properties["owner"] = json!({"$ref": format!("#/components/schemas/Gone{i}")}),
            3 => {
                properties["language"] = json!({
                    "oneOf": [{"$ref": "#/components/schemas/Google"}, {"$ref": "#/components/schemas/Deepgram"}],
                    "discriminator": {"propertyName": "model", "mapping": {
                        "google": "#/components/schemas/Google", "deepgram": "#/components/schemas/Deepgram"}}
                })
            }
            _ => {}
        }
        schemas.insert(
            format!("Thing{i}"),
            json!({"type": "object", "required": required, "properties": properties}),
        );
        let (path, parameters) = match kind {
            4 => (
                format!("/things{i}"),
                json!([{"name": "thing_id", "in": "path", "required": true, "schema": {"type": "string"}}]),
            ),
            5 => (format!("/things{i}/{{thing_id}}"), json!([])),
            _ => (
                format!("/things{i}/{{thing_id}}"),
                json!([{"name": "thing_id", "in": "path", "required": true, "schema": {"type": "string"}}]),
            ),
        };
        let body = json!({"$ref": format!("#/components/schemas/Thing{i}")});
        paths.insert(
            path,
            json!({"post": {
                "operationId": format!("CreateThing{i}"),
                "parameters": parameters,
                "requestBody": {"required": true, "content": {"application/json": {"schema": body}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": body}}}}
            }}),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "many defects", "version": "1"},
        "paths": Value::Object(paths),
        "components": {"schemas": Value::Object(schemas)}
    })
    .to_string()
}

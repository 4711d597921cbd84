//! A spec with a hundred defects gives a hundred diagnostics in one run, in about the time of the same
//! spec without them: a defect costs its diagnostic, not a slower path for the rest.

use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};
use telnyx_codegen::diagnostic::Class;
use telnyx_codegen::{generate, Config, EmitOptions, Generated, Scope};

const DEFECTS: usize = 100;

/// One operation and one schema per `i`; with `defective`, each has one defect, of six kinds in turn.
fn spec(defective: bool) -> String {
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

/// The generation and the fastest of three runs.
fn timed(text: &str) -> (Generated, Duration) {
    let config = Config {
        scope: Scope::all(),
        emit: EmitOptions::default(),
        overlays: Vec::new(),
    };
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..3 {
        let start = Instant::now();
        let generated = generate(text, &config).unwrap_or_else(|e| panic!("{e}"));
        best = best.min(start.elapsed());
        last = Some(generated);
    }
    (last.unwrap(), best)
}

#[test]
fn a_hundred_defects_are_a_hundred_diagnostics_in_about_the_time_of_none() {
    let (clean, clean_time) = timed(&spec(false));
    let (defective, defective_time) = timed(&spec(true));
    assert!(
        clean.summary.diagnostics.is_empty(),
        "{:?}",
        clean.summary.diagnostics
    );
    let diagnostics = &defective.summary.diagnostics;
    assert_eq!(diagnostics.len(), DEFECTS, "{}", diagnostics.summary());
    let places: BTreeSet<String> = diagnostics.iter().map(|d| d.pointer.to_string()).collect();
    assert_eq!(places.len(), DEFECTS, "each defect at its own place");
    let counts = diagnostics.counts();
    assert_eq!(counts[&Class::RequiredNotAProperty], 17);
    assert_eq!(counts[&Class::UnreadableSchema], 34);
    assert_eq!(counts[&Class::UnusableDiscriminator], 17);
    assert_eq!(counts[&Class::PathParameterNotInPath], 16);
    assert_eq!(counts[&Class::PlaceholderWithoutParameter], 16);
    assert_eq!(
        defective.summary.operations, DEFECTS,
        "no operation is lost"
    );
    eprintln!("clean: {clean_time:?}, {DEFECTS} defects: {defective_time:?}");
    // Loose, for a shared machine: a defect must not send the run down a slow path.
    assert!(
        defective_time < clean_time * 3 + Duration::from_millis(500),
        "clean {clean_time:?}, defective {defective_time:?}"
    );
}

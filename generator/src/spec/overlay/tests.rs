use super::*;
use serde_json::json;

fn doc() -> Value {
    json!({
        "openapi": "3.1.0",
        "paths": {"/a": {"get": {}}, "/b": {"get": {}}, "/c": {"get": {}}},
        "components": {"schemas": {
            "Thing": {"type": "object", "required": ["id", "nmae"], "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
            "Other": {"type": "string", "description": "old"}
        }}
    })
}

fn apply(overlay: &str, doc: &mut Value) -> Result<Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    Overlay::parse("fix.yaml", overlay)?.apply(doc, &mut diagnostics)?;
    Ok(diagnostics)
}

const HEAD: &str = "overlay: 1.1.0\ninfo: {title: fixes, version: 1.0.0}\nactions:\n";

#[test]
fn update_merges_recursively_and_appends_to_lists() {
    let mut d = doc();
    let overlay = format!(
        "{HEAD}- target: $.components.schemas.Thing\n  update: {{required: [extra], properties: {{name: {{description: a name}}}}, title: T}}\n- target: $.components.schemas.Thing.required\n  update: more\n"
    );
    let diagnostics = apply(&overlay, &mut d).unwrap();
    assert!(diagnostics.is_empty());
    let thing = &d["components"]["schemas"]["Thing"];
    assert_eq!(thing["required"], json!(["id", "nmae", "extra", "more"]));
    assert_eq!(
        thing["properties"]["name"],
        json!({"type": "string", "description": "a name"})
    );
    assert_eq!(thing["title"], "T");
}

#[test]
fn remove_keeps_the_order_of_what_stays() {
    let mut d = doc();
    let overlay = format!(
        "{HEAD}- target: $.paths['/a']\n  remove: true\n- target: $.components.schemas.Thing.required[?@ == 'nmae']\n  remove: true\n"
    );
    apply(&overlay, &mut d).unwrap();
    let paths: Vec<&String> = d["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/b", "/c"]);
    assert_eq!(
        d["components"]["schemas"]["Thing"]["required"],
        json!(["id"])
    );
}

#[test]
fn copy_and_primitive_updates_are_1_1() {
    let mut d = doc();
    let overlay = format!(
        "{HEAD}- target: $.paths['/c'].get\n  copy: $.components.schemas.Other\n- target: $.components.schemas.Other.description\n  update: new\n"
    );
    apply(&overlay, &mut d).unwrap();
    assert_eq!(d["paths"]["/c"]["get"]["type"], "string");
    assert_eq!(d["components"]["schemas"]["Other"]["description"], "new");

    let v10 = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n";
    let err = apply(
        &format!("{v10}- target: $.paths['/c'].get\n  copy: $.components.schemas.Other\n"),
        &mut doc(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("actions[0]: `copy` is an Overlay 1.1 action"),
        "{err}"
    );
    let err = apply(
        &format!("{v10}- target: $.components.schemas.Other.description\n  update: x\n"),
        &mut doc(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("Overlay 1.0 updates only mappings and lists"),
        "{err}"
    );
}

#[test]
fn a_target_that_matches_nothing_is_a_warning_and_changes_nothing() {
    let mut d = doc();
    let overlay = format!("{HEAD}- target: $.components.schemas.Gone\n  remove: true\n");
    let diagnostics = apply(&overlay, &mut d).unwrap();
    assert_eq!(d, doc());
    let only: Vec<&Diagnostic> = diagnostics.iter().collect();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].class, Class::StaleOverlayAction);
    assert_eq!(only[0].document, Document::Overlay("fix.yaml".into()));
    assert_eq!(only[0].pointer.to_string(), "#/actions/0/target");
}

#[test]
fn broken_overlays_are_errors_naming_the_action() {
    let cases = [
        ("openapi: 3.1.0\n", "there is no `overlay` field"),
        (
            "overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: []\n",
            "unsupported Overlay version",
        ),
        (
            "overlay: 1.0.0\nactions:\n- {target: $, remove: true}\n",
            "`info` must be a mapping",
        ),
        (
            &format!("{HEAD}- target: $.a[\n  remove: true\n"),
            "actions[0]: `target` `$.a[` is not a JSONPath",
        ),
        (
            &format!("{HEAD}- target: $.paths\n  remove: true\n- target: $.x\n"),
            "actions[1]: the action has none of",
        ),
        (
            &format!("{HEAD}- target: $.paths\n  updte: {{}}\n"),
            "actions[0]: unknown field `updte`",
        ),
        (
            &format!("{HEAD}- target: $.paths\n  update: [1]\n"),
            "actions[0] (target `$.paths`): #/paths is a mapping, so the update must be one too",
        ),
        (
            &format!(
                "{HEAD}- target: $.components.schemas.Other\n  update: {{description: {{a: 1}}}}\n"
            ),
            "#/components/schemas/Other/description is a string and the update has a mapping there",
        ),
        (
            &format!("{HEAD}- target: $\n  remove: true\n"),
            "the document root cannot be removed",
        ),
        (
            &format!("{HEAD}- target: $.paths['/a']\n  copy: $.paths.*\n"),
            "`copy` `$.paths.*` matches 3 nodes",
        ),
        ("overlay: [1\n", "YAML syntax error"),
    ];
    for (overlay, expected) in cases {
        let err = apply(overlay, &mut doc()).unwrap_err().to_string();
        assert!(err.starts_with("overlay fix.yaml: "), "{err}");
        assert!(err.contains(expected), "expected `{expected}` in: {err}");
    }
}

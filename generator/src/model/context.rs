//! Names for schemas written in place, derived from where they are in the document (never from which
//! operation happened to reach them first): `#/components/schemas/CallRequest/properties/to` is
//! `CallRequestTo`, an operation's inline request body is `<OperationId>Request`.

use crate::naming::upper_camel;
use crate::pointer::Pointer;
use serde_json::Value;

/// The context name of the schema at `pointer` and its last word.
pub fn context_name(doc: &Value, pointer: &Pointer) -> (String, String) {
    let tokens: Vec<String> = pointer.tokens().collect();
    let (mut name, rest) = match tokens.as_slice() {
        [c, kind, key, rest @ ..] if c == "components" => (component_base(kind, key), rest),
        [p, path, method, rest @ ..] if p == "paths" || p == "webhooks" => {
            let op = if p == "paths" { doc.get("paths") } else { None }
                .and_then(|paths| paths.get(path))
                .and_then(|item| item.get(method));
            let id = op
                .and_then(|o| o.get("operationId"))
                .and_then(Value::as_str)
                .map(upper_camel)
                .unwrap_or_else(|| upper_camel(&format!("{method} {path}")));
            (id, rest)
        }
        [first, rest @ ..] => (upper_camel(first), rest),
        [] => ("Root".to_owned(), &[][..]),
    };
    let base_len = name.len();
    let mut leaf_start = 0;
    let mut i = 0;
    let mut node = pointer_prefix_value(doc, &tokens[..tokens.len() - rest.len()]);
    while i < rest.len() {
        let token = rest[i].as_str();
        let next = rest.get(i + 1).map(String::as_str);
        let before = name.len();
        match (token, next) {
            ("properties", Some(prop)) => {
                name.push_str(&part(prop));
                i += 2;
            }
            ("items", _) => {
                name.push_str("Item");
                i += 1;
            }
            ("additionalProperties", _) => {
                name.push_str("Value");
                i += 1;
            }
            ("allOf", Some(_)) => i += 2,
            ("oneOf" | "anyOf", Some(index)) => {
                let branch = node
                    .and_then(|n| n.get(token))
                    .and_then(|b| b.get(index.parse::<usize>().unwrap_or(usize::MAX)));
                if let Some(title) = branch.and_then(|b| b.get("title")).and_then(Value::as_str) {
                    name.push_str(&part(title));
                } else if named_branches(node.and_then(|n| n.get(token))) > 1 {
                    name.push_str(&format!(
                        "Variant{}",
                        index.parse::<usize>().map(|n| n + 1).unwrap_or(0)
                    ));
                }
                i += 2;
            }
            ("requestBody", _) => {
                name.push_str("Request");
                i += 1;
            }
            ("responses", Some(code)) => {
                name.push_str("Response");
                if !code.starts_with('2') {
                    name.push_str(&part(code));
                }
                i += 2;
            }
            ("parameters", Some(index)) => {
                let param_name = node
                    .and_then(|n| n.get("parameters"))
                    .and_then(|p| p.get(index.parse::<usize>().unwrap_or(usize::MAX)))
                    .and_then(|p| p.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or(index);
                name.push_str(&part(param_name));
                i += 2;
            }
            ("content", Some(_)) => i += 2,
            _ => i += 1,
        }
        if name.len() > before {
            // A property starts a new leaf; `Item`/`Value` extend the current one (`MessagesItem`).
            if token == "properties" || leaf_start < base_len {
                leaf_start = before;
            }
        }
        node = pointer_prefix_value(
            doc,
            &tokens[..tokens.len() - rest.len() + i.min(rest.len())],
        );
    }
    let leaf = if leaf_start >= base_len {
        name[leaf_start..].to_owned()
    } else {
        name.clone()
    };
    (name, leaf)
}

fn component_base(_kind: &str, key: &str) -> String {
    upper_camel(key)
}

/// A word appended to a name: no `_` guard needed after the first letter (`Response422`, not
/// `Response_422`).
fn part(word: &str) -> String {
    upper_camel(word).trim_start_matches('_').to_owned()
}

fn pointer_prefix_value<'a>(doc: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    let mut node = doc;
    for t in tokens {
        node = match node {
            Value::Object(m) => m.get(t)?,
            Value::Array(a) => a.get(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// How many branches of a union would become named types of their own (objects and enums).
fn named_branches(branches: Option<&Value>) -> usize {
    branches
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter(|b| {
                    b.get("$ref").is_none()
                        && (b.get("properties").is_some()
                            || b.get("enum").is_some()
                            || b.get("oneOf").is_some()
                            || b.get("anyOf").is_some())
                })
                .count()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ptr(s: &str) -> Pointer {
        Pointer::from_ref(s).unwrap()
    }

    #[test]
    fn names_follow_the_location() {
        let doc = json!({
            "paths": {"/calls": {"post": {"operationId": "DialCall", "parameters": [{"name": "page[size]"}]}}},
            "components": {"schemas": {"U": {"oneOf": [{"properties": {}}, {"properties": {}}, {"title": "Named Branch", "enum": ["a"]}]}}}
        });
        let cases = [
            (
                "#/components/schemas/CallRequest/properties/to",
                "CallRequestTo",
            ),
            (
                "#/components/schemas/call-control_Error/properties/source",
                "CallControlErrorSource",
            ),
            ("#/components/schemas/A/properties/list/items", "AListItem"),
            (
                "#/components/schemas/A/properties/m/additionalProperties",
                "AMValue",
            ),
            ("#/components/schemas/A/allOf/1/properties/x", "AX"),
            ("#/components/schemas/U/oneOf/1", "UVariant2"),
            ("#/components/schemas/U/oneOf/2", "UNamedBranch"),
            (
                "#/paths/~1calls/post/requestBody/content/application~1json/schema",
                "DialCallRequest",
            ),
            (
                "#/paths/~1calls/post/responses/200/content/application~1json/schema",
                "DialCallResponse",
            ),
            (
                "#/paths/~1calls/post/responses/422/content/application~1json/schema",
                "DialCallResponse422",
            ),
            (
                "#/paths/~1calls/post/parameters/0/schema",
                "DialCallPageSize",
            ),
        ];
        for (p, want) in cases {
            assert_eq!(context_name(&doc, &ptr(p)).0, want, "{p}");
        }
        let leaf = |p: &str| context_name(&doc, &ptr(p)).1;
        assert_eq!(
            leaf("#/components/schemas/SpeakRequest/properties/voice_settings"),
            "VoiceSettings"
        );
        assert_eq!(
            leaf("#/components/schemas/A/properties/messages/items"),
            "MessagesItem"
        );
        assert_eq!(
            leaf("#/components/schemas/A/properties/b/properties/c"),
            "C"
        );
        assert_eq!(leaf("#/components/schemas/A"), "A");
    }
}

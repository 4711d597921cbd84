//! Names for schemas written in place, derived only from where they are in the document: never from
//! which operation reached them first, from their `title`, or from another schema of the same shape.
//! The owner's name, then one word per step: a property adds its name
//! (`#/components/schemas/CallRequest/properties/to` is `CallRequestTo`), array items add `Item`, map
//! values `Value`, a union branch its own `title` within its union (else `Variant<n>` when the union
//! has several such branches), an operation's request body `Request`, a response `Response` (plus the
//! status when it is not a success), a parameter its name. The owner is the component's name or the
//! operation's place ([`super::placement`]: `CallSpeak` for `calls().actions().speak()`), never its
//! operationId.

use super::placement::Placements;
use crate::naming::upper_camel;
use crate::pointer::Pointer;
use serde_json::Value;

/// The location name of the schema at `pointer`; an operation's schemas are named after its place
/// in `placements`.
pub fn context_name(doc: &Value, pointer: &Pointer, placements: &Placements) -> String {
    let tokens: Vec<String> = pointer.tokens().collect();
    let (mut name, rest) = match tokens.as_slice() {
        [c, _, key, rest @ ..] if c == "components" => (upper_camel(key), rest),
        [p, path, method, rest @ ..] if p == "paths" || p == "webhooks" => {
            let owner = match p.as_str() {
                "paths" => placements.get(method, path).map(|pl| pl.owner.clone()),
                _ => None,
            };
            (
                owner.unwrap_or_else(|| upper_camel(&format!("{method} {path}"))),
                rest,
            )
        }
        [first, rest @ ..] => (upper_camel(first), rest),
        [] => ("Root".to_owned(), &[][..]),
    };
    let mut i = 0;
    let mut node = pointer_prefix_value(doc, &tokens[..tokens.len() - rest.len()]);
    while i < rest.len() {
        let token = rest[i].as_str();
        let next = rest.get(i + 1).map(String::as_str);
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
                } else if branch_count(node.and_then(|n| n.get(token))) > 1 {
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
        node = pointer_prefix_value(
            doc,
            &tokens[..tokens.len() - rest.len() + i.min(rest.len())],
        );
    }
    name
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

/// How many branches a union has. A branch of a one-branch union stands for the union itself (the
/// union is only a wrapper), so it needs no word of its own; in a larger union it does, even when it is
/// the only branch with a type of its own, or it would take the union's name.
fn branch_count(branches: Option<&Value>) -> usize {
    branches.and_then(Value::as_array).map_or(0, Vec::len)
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
                "CallCreateRequest",
            ),
            (
                "#/paths/~1calls/post/responses/200/content/application~1json/schema",
                "CallCreateResponse",
            ),
            (
                "#/paths/~1calls/post/responses/422/content/application~1json/schema",
                "CallCreateResponse422",
            ),
            (
                "#/paths/~1calls/post/parameters/0/schema",
                "CallCreatePageSize",
            ),
        ];
        for (p, want) in cases {
            let placements = Placements::of(&doc, &Default::default());
            assert_eq!(context_name(&doc, &ptr(p), &placements), want, "{p}");
        }
    }
}

//! A read-only view of the normalized document where every node knows its JSON pointer, so each accessor
//! can say exactly where a value has the wrong shape instead of a generic deserialization error.

use crate::error::{Error, Result};
use crate::pointer::Pointer;
use serde_json::{Map, Value};

/// A node of the document and where it is.
#[derive(Clone, Debug)]
pub struct Node<'a> {
    pub value: &'a Value,
    pub pointer: Pointer,
}

impl<'a> Node<'a> {
    pub fn new(value: &'a Value, pointer: Pointer) -> Self {
        Node { value, pointer }
    }

    /// The node as a mapping, or an error naming what was expected.
    pub fn object(&self) -> Result<&'a Map<String, Value>> {
        self.value.as_object().ok_or_else(|| {
            Error::spec(
                &self.pointer,
                format!("expected a mapping, found {}", kind(self.value)),
            )
        })
    }

    /// A child by key (`None` when absent).
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        self.value
            .get(key)
            .map(|v| Node::new(v, self.pointer.push(key)))
    }

    /// A string child; present but not a string is an error.
    pub fn str(&self, key: &str) -> Result<Option<&'a str>> {
        match self.value.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(Error::spec(
                &self.pointer.push(key),
                format!("expected a string, found {}", kind(other)),
            )),
        }
    }

    /// A boolean child; absent is `false`.
    pub fn flag(&self, key: &str) -> Result<bool> {
        match self.value.get(key) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            // Some specs write `nullable: 'true'`; accept the obvious spellings.
            Some(Value::String(s)) if s == "true" || s == "false" => Ok(s == "true"),
            Some(other) => Err(Error::spec(
                &self.pointer.push(key),
                format!("expected true or false, found {}", kind(other)),
            )),
        }
    }

    /// The items of a list child, each with its pointer.
    pub fn list(&self, key: &str) -> Result<Vec<Node<'a>>> {
        match self.value.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => {
                let base = self.pointer.push(key);
                Ok(items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Node::new(v, base.index(i)))
                    .collect())
            }
            Some(other) => Err(Error::spec(
                &self.pointer.push(key),
                format!("expected a list, found {}", kind(other)),
            )),
        }
    }

    /// The entries of a mapping child, in file order, each with its pointer.
    pub fn entries(&self, key: &str) -> Result<Vec<(&'a str, Node<'a>)>> {
        match self.value.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Object(map)) => {
                let base = self.pointer.push(key);
                Ok(map
                    .iter()
                    .map(|(k, v)| (k.as_str(), Node::new(v, base.push(k))))
                    .collect())
            }
            Some(other) => Err(Error::spec(
                &self.pointer.push(key),
                format!("expected a mapping, found {}", kind(other)),
            )),
        }
    }

    /// The strings of a list child (`required`, `enum` of strings).
    pub fn strings(&self, key: &str) -> Result<Vec<&'a str>> {
        self.list(key)?
            .into_iter()
            .map(|n| {
                n.value.as_str().ok_or_else(|| {
                    Error::spec(
                        &n.pointer,
                        format!("expected a string, found {}", kind(n.value)),
                    )
                })
            })
            .collect()
    }

    /// The `$ref` of this node, if it is a reference.
    pub fn reference(&self) -> Result<Option<&'a str>> {
        self.str("$ref")
    }

    /// The `description`; a `title` is not read as a description (nor, since names come from places,
    /// as a name). A blank one (`description: ''`) describes nothing and reads as none.
    pub fn description(&self) -> Option<&'a str> {
        self.value
            .get("description")
            .and_then(Value::as_str)
            .filter(|d| !d.trim().is_empty())
    }
}

/// A short name of a JSON value's kind, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Follows local `$ref`s from `node` to the node they finally name. Returns the target and the last
/// reference followed (the name-giving one). A reference to nothing, a remote reference and a cycle of
/// references with nothing in between are errors at the referring node; only the cycle
/// ([`Error::RefCycle`]) stops the run, since no part of it has a reading.
pub fn resolve<'a>(doc: &'a Value, node: Node<'a>) -> Result<(Node<'a>, Option<&'a str>)> {
    let start = node.pointer.clone();
    let mut current = node;
    let mut last = None;
    let mut seen: Vec<Pointer> = Vec::new();
    while let Some(reference) = current.reference()? {
        let target = Pointer::from_ref(reference).ok_or_else(|| {
            Error::spec(
                &current.pointer.push("$ref"),
                format!("only local references (`#/...`) are supported, found `{reference}`"),
            )
        })?;
        if seen.contains(&target) {
            let chain: Vec<String> = seen.iter().map(ToString::to_string).collect();
            return Err(Error::RefCycle {
                pointer: current.pointer.push("$ref"),
                message: format!(
                    "`$ref` cycle with nothing in between: {} → {reference} (reached from {start})",
                    chain.join(" → ")
                ),
            });
        }
        let value = target.resolve(doc).ok_or_else(|| {
            Error::spec(
                &current.pointer.push("$ref"),
                format!("`$ref` points to nothing: {reference}"),
            )
        })?;
        seen.push(target.clone());
        last = Some(reference);
        current = Node::new(value, target);
    }
    Ok((current, last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accessors_report_the_pointer_of_a_wrong_shape() {
        let doc = json!({"a": {"b": 3, "c": ["x", 1]}});
        let a = Node::new(&doc, Pointer::root()).get("a").unwrap();
        assert_eq!(
            a.str("b").unwrap_err().to_string(),
            "#/a/b: expected a string, found a number"
        );
        assert_eq!(
            a.strings("c").unwrap_err().to_string(),
            "#/a/c/1: expected a string, found a number"
        );
        assert_eq!(
            a.list("b").unwrap_err().to_string(),
            "#/a/b: expected a list, found a number"
        );
        assert!(a.str("missing").unwrap().is_none());
    }

    #[test]
    fn a_blank_description_describes_nothing() {
        let doc = json!({"a": {"description": " "}, "b": {"description": "Text."}});
        let node = |k: &str| Node::new(&doc[k], Pointer::root().push(k));
        assert_eq!(node("a").description(), None);
        assert_eq!(node("b").description(), Some("Text."));
    }

    #[test]
    fn resolve_follows_chains_and_reports_dangling_and_cyclic_refs() {
        let doc = json!({
            "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"type": "string"},
                "C": {"$ref": "#/components/schemas/D"},
                "D": {"$ref": "#/components/schemas/C"},
                "E": {"$ref": "#/components/schemas/Nope"}
            }}
        });
        let schemas = Pointer::root().push("components").push("schemas");
        let node = |n: &str| Node::new(&doc["components"]["schemas"][n], schemas.push(n));
        let (target, name) = resolve(&doc, node("A")).unwrap();
        assert_eq!(target.value, &json!({"type": "string"}));
        assert_eq!(name, Some("#/components/schemas/B"));
        let err = resolve(&doc, node("C")).unwrap_err().to_string();
        assert!(
            err.starts_with("#/components/schemas/C/$ref: `$ref` cycle with nothing in between: #/components/schemas/D → #/components/schemas/C → #/components/schemas/D"),
            "{err}"
        );
        let err = resolve(&doc, node("E")).unwrap_err().to_string();
        assert_eq!(
            err,
            "#/components/schemas/E/$ref: `$ref` points to nothing: #/components/schemas/Nope"
        );
    }
}

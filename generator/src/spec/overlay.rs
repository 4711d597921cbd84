//! OpenAPI Overlays 1.0 and 1.1: the reviewed way to fix a vendor's spec without editing it. An overlay
//! is a list of actions, each an RFC 9535 JSONPath `target` and an `update` (merged in), a `remove` or
//! (1.1) a `copy` of another node. They are applied in order to the loaded document, before it is
//! normalized, so a target names the spec as it is published.
//!
//! JSONPath comes from `serde_json_path`, which implements RFC 9535 and gives the location of every
//! match; applying the actions is done here so that a removal keeps the order of the keys around it
//! (the generator reads the spec in file order).
//!
//! A target that matches nothing is a warning (the defect was fixed upstream, the action can go). A
//! document that is not an Overlay, a JSONPath that does not parse, or an action that cannot be applied
//! is an error naming the action's index.

use crate::diagnostic::{Class, Diagnostic, Diagnostics, Document, Severity};
use crate::error::{Error, Result};
use crate::pointer::Pointer;
use crate::spec::view::kind;
use serde_json::{Map, Value};
use serde_json_path::{JsonPath, PathElement};

/// A parsed overlay, ready to apply.
#[derive(Debug, Clone)]
pub struct Overlay {
    name: String,
    version: Version,
    actions: Vec<Action>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V1_0,
    V1_1,
}

#[derive(Debug, Clone)]
struct Action {
    target_text: String,
    target: JsonPath,
    modifier: Modifier,
}

/// What an action does to each node its target selects (`remove` wins over `update`, which wins over
/// `copy`, as the specification orders them).
#[derive(Debug, Clone)]
enum Modifier {
    Remove,
    Update(Value),
    Copy { text: String, source: JsonPath },
}

/// One step of a match's location.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

const ROOT_FIELDS: [&str; 4] = ["overlay", "info", "extends", "actions"];
const ACTION_FIELDS: [&str; 5] = ["target", "description", "update", "remove", "copy"];

impl Overlay {
    /// Reads an overlay (YAML or JSON); `name` is how messages and diagnostics call it (its path).
    pub fn parse(name: impl Into<String>, text: &str) -> Result<Overlay> {
        let name = name.into();
        let fail = |message: String| Error::Overlay {
            overlay: name.clone(),
            message,
        };
        let doc = super::load(text).map_err(|e| fail(e.to_string()))?;
        let Some(root) = doc.as_object() else {
            return Err(fail(format!(
                "not an Overlay document: expected a mapping, found {}",
                kind(&doc)
            )));
        };
        let version = match root.get("overlay") {
            Some(Value::String(v)) if v.starts_with("1.0.") => Version::V1_0,
            Some(Value::String(v)) if v.starts_with("1.1.") => Version::V1_1,
            Some(other) => {
                return Err(fail(format!(
                    "unsupported Overlay version {other} (1.0.x and 1.1.x are read)"
                )))
            }
            None => {
                return Err(fail(
                    "not an Overlay document: there is no `overlay` field".into(),
                ))
            }
        };
        unknown_fields(root, &ROOT_FIELDS).map_err(|f| fail(format!("unknown field `{f}`")))?;
        let info = root.get("info").and_then(Value::as_object);
        let info_ok = info.is_some_and(|i| {
            i.get("title").is_some_and(Value::is_string)
                && i.get("version")
                    .is_some_and(|v| v.is_string() || v.is_number())
        });
        if !info_ok {
            return Err(fail(
                "`info` must be a mapping with a `title` and a `version`".into(),
            ));
        }
        let actions = match root.get("actions") {
            Some(Value::Array(list)) if !list.is_empty() => list,
            _ => {
                return Err(fail(
                    "`actions` must be a list of at least one action".into(),
                ))
            }
        };
        let actions = actions
            .iter()
            .enumerate()
            .map(|(i, a)| action(a, version).map_err(|m| fail(format!("actions[{i}]: {m}"))))
            .collect::<Result<Vec<_>>>()?;
        Ok(Overlay {
            name,
            version,
            actions,
        })
    }

    /// The name the overlay was given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Applies every action in order to `doc`. An action whose target matches nothing is skipped with
    /// a warning in `diagnostics`.
    pub fn apply(&self, doc: &mut Value, diagnostics: &mut Diagnostics) -> Result<()> {
        for (i, a) in self.actions.iter().enumerate() {
            let targets = locations(&a.target, doc);
            if targets.is_empty() {
                diagnostics.push(Diagnostic {
                    class: Class::StaleOverlayAction,
                    severity: Severity::Warning,
                    document: Document::Overlay(self.name.clone()),
                    pointer: Pointer::root().push("actions").index(i).push("target"),
                    message: format!("the target `{}` matches nothing in the spec", a.target_text),
                    action: "skipped the action (if upstream fixed the spec, remove it)".into(),
                });
                continue;
            }
            self.act(a, &targets, doc).map_err(|m| Error::Overlay {
                overlay: self.name.clone(),
                message: format!("actions[{i}] (target `{}`): {m}", a.target_text),
            })?;
        }
        Ok(())
    }

    fn act(
        &self,
        a: &Action,
        targets: &[Vec<Step>],
        doc: &mut Value,
    ) -> std::result::Result<(), String> {
        let value = match &a.modifier {
            Modifier::Remove => return remove(targets, doc),
            Modifier::Update(value) => value.clone(),
            Modifier::Copy { text, source } => {
                let found = locations(source, doc);
                let [one] = found.as_slice() else {
                    return Err(format!(
                        "`copy` `{text}` matches {} nodes; it must match exactly one",
                        found.len()
                    ));
                };
                node(doc, one).cloned().unwrap_or(Value::Null)
            }
        };
        let kinds: Vec<&str> = targets
            .iter()
            .filter_map(|t| node(doc, t))
            .map(container)
            .collect();
        if kinds.windows(2).any(|w| w[0] != w[1]) {
            return Err("the target selects nodes of different kinds (mappings, lists, primitives); an update needs one kind".into());
        }
        for t in targets {
            let at = pointer_of(t);
            let Some(slot) = node_mut(doc, t) else {
                continue;
            };
            match slot {
                Value::Object(target) => {
                    let Value::Object(update) = &value else {
                        return Err(format!(
                            "{at} is a mapping, so the update must be one too (found {})",
                            kind(&value)
                        ));
                    };
                    merge(target, update, &at)?;
                }
                Value::Array(items) => match &value {
                    Value::Array(more) => items.extend(more.iter().cloned()),
                    other => items.push(other.clone()),
                },
                primitive => {
                    if self.version == Version::V1_0 {
                        return Err(format!("{at} is {}: Overlay 1.0 updates only mappings and lists (1.1 replaces primitives)", kind(primitive)));
                    }
                    if matches!(value, Value::Object(_) | Value::Array(_)) {
                        return Err(format!(
                            "{at} is {}, so the update must be a primitive too (found {})",
                            kind(primitive),
                            kind(&value)
                        ));
                    }
                    *primitive = value.clone();
                }
            }
        }
        Ok(())
    }
}

/// Reads one action; errors are the message after `actions[i]: `.
fn action(a: &Value, version: Version) -> std::result::Result<Action, String> {
    let Some(obj) = a.as_object() else {
        return Err(format!("expected a mapping, found {}", kind(a)));
    };
    unknown_fields(obj, &ACTION_FIELDS).map_err(|f| format!("unknown field `{f}`"))?;
    let target_text = match obj.get("target") {
        Some(Value::String(t)) => t.clone(),
        Some(other) => return Err(format!("`target` must be a string, found {}", kind(other))),
        None => return Err("there is no `target`".into()),
    };
    let target = JsonPath::parse(&target_text)
        .map_err(|e| format!("`target` `{target_text}` is not a JSONPath (RFC 9535): {e}"))?;
    let remove = match obj.get("remove") {
        None | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => true,
        Some(other) => {
            return Err(format!(
                "`remove` must be true or false, found {}",
                kind(other)
            ))
        }
    };
    let copy = match obj.get("copy") {
        None => None,
        Some(_) if version == Version::V1_0 => {
            return Err("`copy` is an Overlay 1.1 action (this overlay says 1.0)".into())
        }
        Some(Value::String(c)) => Some(c.clone()),
        Some(other) => return Err(format!("`copy` must be a string, found {}", kind(other))),
    };
    let modifier = if remove {
        Modifier::Remove
    } else if let Some(update) = obj.get("update") {
        Modifier::Update(update.clone())
    } else if let Some(text) = copy {
        let source = JsonPath::parse(&text)
            .map_err(|e| format!("`copy` `{text}` is not a JSONPath (RFC 9535): {e}"))?;
        Modifier::Copy { text, source }
    } else {
        return Err("the action has none of `update`, `remove: true` or `copy`".into());
    };
    Ok(Action {
        target_text,
        target,
        modifier,
    })
}

/// The first field that is neither one of `known` nor an extension (`x-…`).
fn unknown_fields(obj: &Map<String, Value>, known: &[&str]) -> std::result::Result<(), String> {
    match obj
        .keys()
        .find(|k| !known.contains(&k.as_str()) && !k.starts_with("x-"))
    {
        Some(k) => Err(k.clone()),
        None => Ok(()),
    }
}

/// Where `path` matches in `doc`, each place once, in document order.
fn locations(path: &JsonPath, doc: &Value) -> Vec<Vec<Step>> {
    let mut out: Vec<Vec<Step>> = path
        .query_located(doc)
        .iter()
        .map(|n| {
            n.location()
                .iter()
                .map(|e| match e {
                    PathElement::Name(k) => Step::Key((*k).to_owned()),
                    PathElement::Index(i) => Step::Index(*i),
                })
                .collect()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn node<'a>(doc: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    steps.iter().try_fold(doc, |v, s| match (v, s) {
        (Value::Object(m), Step::Key(k)) => m.get(k),
        (Value::Array(a), Step::Index(i)) => a.get(*i),
        _ => None,
    })
}

fn node_mut<'a>(doc: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    steps.iter().try_fold(doc, |v, s| match (v, s) {
        (Value::Object(m), Step::Key(k)) => m.get_mut(k),
        (Value::Array(a), Step::Index(i)) => a.get_mut(*i),
        _ => None,
    })
}

fn pointer_of(steps: &[Step]) -> Pointer {
    steps.iter().fold(Pointer::root(), |p, s| match s {
        Step::Key(k) => p.push(k),
        Step::Index(i) => p.index(*i),
    })
}

fn container(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "mapping",
        Value::Array(_) => "list",
        _ => "primitive",
    }
}

/// Removes every target, the last in document order first, so earlier list indices stay valid; a key
/// keeps its neighbours' order.
fn remove(targets: &[Vec<Step>], doc: &mut Value) -> std::result::Result<(), String> {
    for t in targets.iter().rev() {
        let Some((last, parent)) = t.split_last() else {
            return Err("the document root cannot be removed".into());
        };
        match (node_mut(doc, parent), last) {
            (Some(Value::Object(m)), Step::Key(k)) => {
                m.shift_remove(k);
            }
            (Some(Value::Array(a)), Step::Index(i)) if *i < a.len() => {
                a.remove(*i);
            }
            // Inside a node this action already removed.
            _ => {}
        }
    }
    Ok(())
}

/// Merges `update` into `target` as Overlay 1.1 defines it (and 1.0 means it): new keys are added,
/// primitives replaced, lists concatenated and mappings merged the same way.
fn merge(
    target: &mut Map<String, Value>,
    update: &Map<String, Value>,
    at: &Pointer,
) -> std::result::Result<(), String> {
    for (k, u) in update {
        let Some(t) = target.get_mut(k) else {
            target.insert(k.clone(), u.clone());
            continue;
        };
        match (t, u) {
            (Value::Object(t), Value::Object(u)) => merge(t, u, &at.push(k))?,
            (Value::Array(t), Value::Array(u)) => t.extend(u.iter().cloned()),
            (t, u) if container(t) == "primitive" && container(u) == "primitive" => *t = u.clone(),
            (t, u) => {
                return Err(format!(
                    "{} is {} and the update has {} there: they cannot be merged",
                    at.push(k),
                    kind(t),
                    kind(u)
                ))
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;

//! Webhook events from the spec's `webhooks` map. The spec has no union of all events, so one is built
//! here: each event's body type, and how a delivery is recognized, read from the schema itself:
//!
//! - `data.event_type` (the usual wrapper) or a top-level `event_type` (events without the wrapper),
//!   with the values its `enum` lists, or its `example` when it has no enum;
//! - for events with no event type at all, the keys (at the top level, or under `data`) that no other
//!   event declares there.

use super::operations::{Operation, METHODS};
use super::schema::TypeBuilder;
use super::types::TypeRef;
use super::{Dispatch, Scope, Unmodeled, Webhook};
use crate::diagnostic::{Class, Diagnostics};
use crate::error::{Error, Result};
use crate::naming::{disambiguate, upper_camel, Style};
use crate::pointer::Pointer;
use crate::spec::view::{resolve, Node};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The webhooks in scope, and the keys of those left out for a defect (each with a warning).
pub fn build_webhooks<'a>(
    doc: &'a Value,
    scope: &Scope,
    types: &mut TypeBuilder<'a>,
    unmodeled: &mut Unmodeled,
    diagnostics: &mut Diagnostics,
) -> Result<(Vec<Webhook>, Vec<String>)> {
    let root = Node::new(doc, Pointer::root());
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    for (key, item) in root.entries("webhooks")? {
        if !scope.includes_webhook(key) {
            continue;
        }
        match webhook(doc, key, item, types, unmodeled) {
            Ok(Some(w)) => out.push(w),
            Ok(None) => {}
            Err(e) => {
                let (at, message) = e.into_defect()?;
                diagnostics.warn(
                    Class::UnreadableWebhook,
                    &at,
                    message,
                    format!("left out the webhook `{key}`"),
                );
                left_out.push(key.to_owned());
            }
        }
    }
    let items: Vec<(String, String)> = out
        .iter()
        .map(|w| (w.key.clone(), w.variant.clone()))
        .collect();
    let reserved: BTreeSet<String> = ["Unknown".to_string()].into();
    for (w, name) in out
        .iter_mut()
        .zip(disambiguate(&items, &reserved, Style::UpperCamel))
    {
        w.variant = name;
    }
    Ok((out, left_out))
}

/// One webhook event; `None` for one the model does not carry (recorded as unmodeled).
fn webhook<'a>(
    doc: &'a Value,
    key: &str,
    item: Node<'a>,
    types: &mut TypeBuilder<'a>,
    unmodeled: &mut Unmodeled,
) -> Result<Option<Webhook>> {
    let (item, _) = resolve(doc, item)?;
    let Some(op) = METHODS.iter().find_map(|m| item.get(m)) else {
        unmodeled.record("webhook without an operation", &item.pointer);
        return Ok(None);
    };
    let Some(schema) = body_schema(doc, &op, unmodeled)? else {
        return Ok(None);
    };
    let body = types.shape(&schema)?.ty;
    // The union of events needs objects.
    if !matches!(
        body,
        TypeRef::Named(_) | TypeRef::Json | TypeRef::JsonObject
    ) {
        return Err(Error::spec(
            &schema.pointer,
            format!("webhook `{key}`: the body is not an object"),
        ));
    }
    let (event, _) = resolve(doc, schema)?;
    let data = match event.get("properties").and_then(|p| p.get("data")) {
        Some(d) => Some(resolve(doc, d)?.0),
        None => None,
    };
    let dispatch = match data.as_ref().map(event_types).transpose()?.flatten() {
        Some(values) => Dispatch::EventType {
            path: vec!["data".into(), "event_type".into()],
            values,
        },
        None => match event_types(&event)? {
            Some(values) => Dispatch::EventType {
                path: vec!["event_type".into()],
                values,
            },
            None => {
                let place = data.as_ref().unwrap_or(&event);
                let path = if data.is_some() {
                    vec!["data".to_owned()]
                } else {
                    Vec::new()
                };
                let keys = place
                    .entries("properties")?
                    .iter()
                    .map(|(k, _)| (*k).to_owned())
                    .collect();
                Dispatch::Shape { path, keys }
            }
        },
    };
    let example = event.value.get("example").cloned().or_else(|| {
        data.as_ref()
            .and_then(|d| d.value.get("example"))
            .map(|e| json!({ "data": e }))
    });
    Ok(Some(Webhook {
        key: key.to_owned(),
        pointer: item.pointer.clone(),
        variant: upper_camel(key),
        summary: op.str("summary")?.map(str::to_owned),
        description: op.description().map(str::to_owned),
        body,
        dispatch,
        produced_by: Vec::new(),
        example,
    }))
}

/// The JSON body schema of a webhook's operation.
fn body_schema<'a>(
    doc: &'a Value,
    op: &Node<'a>,
    unmodeled: &mut Unmodeled,
) -> Result<Option<Node<'a>>> {
    let Some(body) = op.get("requestBody") else {
        unmodeled.record("webhook without a request body", &op.pointer);
        return Ok(None);
    };
    let (body, _) = resolve(doc, body)?;
    for (media_type, media) in body.entries("content")? {
        if media_type.starts_with("application/json") {
            return Ok(media.get("schema"));
        }
    }
    unmodeled.record("webhook body that is not JSON", &body.pointer);
    Ok(None)
}

/// The event type values of an object schema's `event_type` property: its enum, else its example.
fn event_types(object: &Node<'_>) -> Result<Option<Vec<String>>> {
    let Some(prop) = object.get("properties").and_then(|p| p.get("event_type")) else {
        return Ok(None);
    };
    let values: Vec<String> = prop
        .strings("enum")
        .unwrap_or_default()
        .into_iter()
        .map(str::to_owned)
        .collect();
    if !values.is_empty() {
        return Ok(Some(values));
    }
    Ok(prop.str("example")?.map(|e| vec![e.to_owned()]))
}

/// Narrows shape-dispatched events to the keys no other event declares at the same place, fills in the
/// operations that produce each event, and gives an event type claimed twice to its first claimant.
pub fn link(
    webhooks: &mut [Webhook],
    ops: &[Operation],
    doc: &Value,
    diagnostics: &mut Diagnostics,
) {
    let mut keys_at: BTreeMap<Vec<String>, BTreeMap<String, usize>> = BTreeMap::new();
    for w in webhooks.iter() {
        for (path, keys) in declared_keys(w, doc) {
            for k in keys {
                *keys_at
                    .entry(path.clone())
                    .or_default()
                    .entry(k)
                    .or_default() += 1;
            }
        }
    }
    for w in webhooks.iter_mut() {
        if let Dispatch::Shape { path, keys } = &mut w.dispatch {
            let counts = keys_at.get(path);
            let unique: Vec<String> = keys
                .iter()
                .filter(|k| counts.and_then(|c| c.get(*k)).copied().unwrap_or(0) == 1)
                .cloned()
                .collect();
            if unique.is_empty() {
                diagnostics.warn(
                    Class::UnrecognizableWebhook,
                    &w.pointer,
                    format!(
                        "webhook `{}` has no event type and no property of its own",
                        w.key
                    ),
                    "deliveries of it read as `Unknown`",
                );
            }
            *keys = unique;
        }
    }
    // An event type claimed twice goes to the first claimant only, so the dispatch has one arm for it.
    let mut claimed: BTreeMap<String, String> = BTreeMap::new();
    for w in webhooks.iter_mut() {
        let Dispatch::EventType { path, values } = &mut w.dispatch else {
            continue;
        };
        let mut producers: Vec<String> = ops
            .iter()
            .filter(|op| op.webhooks.iter().any(|e| values.contains(e)))
            .map(|op| format!("{}().{}", op.service.join("()."), op.name))
            .collect();
        producers.dedup();
        w.produced_by = producers;
        let mut own = Vec::new();
        for v in values.drain(..) {
            match claimed.get(&v) {
                Some(first) if *first != w.key => diagnostics.warn(
                    Class::EventTypeClaimedTwice,
                    &w.pointer,
                    format!("event type `{v}` is also claimed by webhook `{first}`"),
                    format!("deliveries of `{v}` read as `{first}`"),
                ),
                Some(_) => {}
                None => {
                    claimed.insert(v.clone(), w.key.clone());
                    own.push(v);
                }
            }
        }
        if own.is_empty() {
            let mut place = std::mem::take(path);
            place.pop();
            w.dispatch = Dispatch::Shape {
                path: place,
                keys: Vec::new(),
            };
        } else {
            *values = own;
        }
    }
}

/// `(place, property names)` an event declares: the top level and, for wrapped events, `data`.
fn declared_keys(w: &Webhook, doc: &Value) -> Vec<(Vec<String>, Vec<String>)> {
    let TypeRef::Named(_) = &w.body else {
        return Vec::new();
    };
    let schema = doc
        .pointer(&format!(
            "{}/post/requestBody/content/application~1json/schema",
            w.pointer.as_json_pointer()
        ))
        .map(|s| follow(doc, s));
    let Some(schema) = schema else {
        return Vec::new();
    };
    let props = |v: &Value| -> Vec<String> {
        v.get("properties")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut out = vec![(Vec::new(), props(schema))];
    if let Some(data) = schema.get("properties").and_then(|p| p.get("data")) {
        out.push((vec!["data".to_owned()], props(follow(doc, data))));
    }
    out
}

fn follow<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(Pointer::from_ref)
        {
            Some(p) => match p.resolve(doc) {
                Some(next) => v = next,
                None => break,
            },
            None => break,
        }
    }
    v
}

//! `WebhookEvent` as the crate declares it: one variant per event, how a delivery is dispatched to its
//! variant, and where each accessor (`call_control_id()`, `client_state()`, ...) reads its field in
//! each event.

use super::conventions::{Accessor, ACCESSORS, PAYLOAD, RECORD};
use super::event_paths::{json_path, level_steps, path_of, string_field, struct_id, Level, Step};
use super::{RustType, Storage};
use crate::model::types::{TypeRef, TypeSpace};
use crate::model::{Dispatch, Model, Webhook};
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};

/// Every event and the dispatch over them.
#[derive(Debug, Clone)]
pub struct WebhooksSurface<'m> {
    pub events: Vec<EventSurface<'m>>,
    /// The events selected by the record's event type (`data.event_type`), with their values; an
    /// event type two events claim selects the first.
    pub by_record_type: Vec<(usize, Vec<&'m str>)>,
    /// The events selected by a top-level event type.
    pub by_top_type: Vec<(usize, Vec<&'m str>)>,
    /// The events without an event type, recognized by keys no other event declares.
    pub by_keys: Vec<KeyRule<'m>>,
    /// The accessors every event has.
    pub accessors: Vec<AccessorSurface>,
    /// The description most events share: said once on the enum, not on each variant.
    pub shared_description: Option<&'m str>,
}

/// One event.
#[derive(Debug, Clone)]
pub struct EventSurface<'m> {
    /// The key in the spec's `webhooks` (`callGatherEnded`).
    pub key: &'m str,
    pub variant: &'m str,
    /// The name of the event's generated test (unique).
    pub test: String,
    /// The body's type.
    pub body: RustType,
    /// The body is plain JSON (the spec gives no shape).
    pub json_body: bool,
    pub summary: Option<&'m str>,
    /// The event's own description (`None` when it is the shared one).
    pub description: Option<&'m str>,
    /// The event types that select the event (empty for one recognized by keys).
    pub event_types: &'m [String],
    /// Where the event type is written (`["data", "event_type"]`).
    pub event_type_path: &'m [String],
    /// The keys that recognize an event without an event type.
    pub keys: &'m [String],
    /// The call paths of the operations documented to send it (`calls().actions().speak`).
    pub producers: &'m [String],
    /// The spec's example of a delivery.
    pub example: Option<&'m serde_json::Value>,
    /// `payload()` on the body's type (its definition, past aliases): the steps to the event's
    /// payload object and its type, when the event has one and the body is not also a request type
    /// (whose setters could take the name).
    pub payload: Option<PayloadAccess>,
    /// How `event_type()` answers for this event.
    pub event_type: EventTypeRead<'m>,
    /// The model's event, for the test samples.
    pub model: &'m Webhook,
}

/// `payload()` of an event's body type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadAccess {
    /// The type that gets the method.
    pub body: RustType,
    pub steps: Vec<FieldStep>,
    /// The JSON keys of the steps (`["data", "payload"]`).
    pub json: Vec<String>,
    pub payload: RustType,
}

/// Where the wire name of an event (`call.answered`) comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventTypeRead<'m> {
    /// The event has one event type.
    Fixed(&'m str),
    /// Read from the event's own field (an open enum) at these steps: the event has several.
    Field(Vec<FieldStep>),
    /// The spec gives the event no event type.
    None,
}

/// An event recognized by its keys.
#[derive(Debug, Clone)]
pub struct KeyRule<'m> {
    pub event: usize,
    /// The keys are looked for in the record (`data`), else at the top level.
    pub in_record: bool,
    pub keys: &'m [String],
}

/// An accessor and where each event keeps its field.
#[derive(Debug, Clone)]
pub struct AccessorSurface {
    pub accessor: &'static Accessor,
    /// Per event (in event order): the read, or `None` where the event's schema has no such field.
    pub reads: Vec<Option<FieldPath>>,
    /// The JSON path most events keep the field at: where unknown events (and events typed as plain
    /// JSON) are read.
    pub common: Option<Vec<String>>,
}

/// A string field reached through struct fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    /// The JSON keys on the way (`["data", "payload", "call_control_id"]`).
    pub json: Vec<String>,
    /// The Rust fields on the way, the last being the string.
    pub steps: Vec<FieldStep>,
}

/// One Rust field access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    pub field: String,
    pub storage: Storage,
    pub boxed: bool,
}

impl EventSurface<'_> {
    /// Whether a delivery can be told to be this event (by an event type or by keys of its own).
    pub fn recognizable(&self) -> bool {
        !self.event_types.is_empty() || !self.keys.is_empty()
    }
}

impl AccessorSurface {
    /// How many events have the field.
    pub fn count(&self) -> usize {
        self.reads.iter().filter(|r| r.is_some()).count()
    }
}

impl<'m> WebhooksSurface<'m> {
    pub fn of(model: &'m Model) -> Self {
        let space = &model.types;
        let shared_description = shared_description(&model.webhooks);
        let tests = test_names(&model.webhooks);
        let events: Vec<EventSurface<'m>> = model
            .webhooks
            .iter()
            .zip(tests)
            .map(|(w, test)| event(space, w, test, shared_description))
            .collect();
        let (mut by_record_type, mut by_top_type, mut by_keys) =
            (Vec::new(), Vec::new(), Vec::new());
        for (i, w) in model.webhooks.iter().enumerate() {
            match &w.dispatch {
                Dispatch::EventType { path, values } => {
                    let values = values.iter().map(String::as_str).collect();
                    if path.first().is_some_and(|p| p == RECORD) {
                        by_record_type.push((i, values));
                    } else {
                        by_top_type.push((i, values));
                    }
                }
                Dispatch::Shape { path, keys } if !keys.is_empty() => by_keys.push(KeyRule {
                    event: i,
                    in_record: path.first().is_some_and(|p| p == RECORD),
                    keys,
                }),
                Dispatch::Shape { .. } => {}
            }
        }
        let accessors = ACCESSORS
            .iter()
            .map(|a| accessor(space, &model.webhooks, a))
            .collect();
        WebhooksSurface {
            events,
            by_record_type,
            by_top_type,
            by_keys,
            accessors,
            shared_description,
        }
    }
}

fn event<'m>(
    space: &TypeSpace,
    w: &'m Webhook,
    test: String,
    shared: Option<&str>,
) -> EventSurface<'m> {
    let (event_types, event_type_path, keys): (&[String], &[String], &[String]) = match &w.dispatch
    {
        Dispatch::EventType { path, values } => (values, path, &[]),
        Dispatch::Shape { keys, .. } => (&[], &[], keys),
    };
    let body_id = struct_id(space, &w.body);
    let payload = level_steps(space, &w.body, Level::Payload)
        .filter(|steps| {
            steps
                .last()
                .and_then(|s| s.field(space))
                .is_some_and(|f| f.json_name == PAYLOAD)
        })
        .filter(|_| body_id.is_some_and(|id| !space.get(id).in_request))
        .and_then(|steps| {
            Some(PayloadAccess {
                body: RustType::of(space, &TypeRef::Named(body_id?)),
                payload: RustType::of(space, &strip(&steps.last()?.field(space)?.ty)),
                json: json_path(space, &steps),
                steps: field_steps(space, &steps)?,
            })
        });
    let event_type = match (event_types, path_of(space, &w.body, event_type_path)) {
        ([one], _) => EventTypeRead::Fixed(one),
        ([], _) => EventTypeRead::None,
        (_, Some(steps)) => match field_steps(space, &steps) {
            Some(steps) => EventTypeRead::Field(steps),
            None => EventTypeRead::None,
        },
        (_, None) => EventTypeRead::None,
    };
    EventSurface {
        payload,
        event_type,
        key: &w.key,
        variant: &w.variant,
        test,
        body: RustType::of(space, &w.body),
        json_body: matches!(w.body, TypeRef::Json | TypeRef::JsonObject),
        summary: w.summary.as_deref(),
        description: w.description.as_deref().filter(|d| Some(*d) != shared),
        event_types,
        event_type_path,
        keys,
        producers: &w.produced_by,
        example: w.example.as_ref(),
        model: w,
    }
}

/// The description most events share (more than half of them, and at least two), which the spec
/// repeats on each: said once, on the enum.
fn shared_description(events: &[Webhook]) -> Option<&str> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in events.iter().filter_map(|w| w.description.as_deref()) {
        *counts.entry(d).or_default() += 1;
    }
    let (text, n) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    (n >= 2 && n * 2 > events.len()).then_some(text)
}

/// One test per event, named after the key; keys that convert alike are told apart by the variant.
fn test_names(events: &[Webhook]) -> Vec<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for w in events {
        *counts.entry(naming::snake(&w.key)).or_default() += 1;
    }
    let mut taken = BTreeSet::new();
    events
        .iter()
        .map(|w| {
            let plain = naming::snake(&w.key);
            let name = if counts[&plain] > 1 {
                naming::snake(&w.variant)
            } else {
                plain
            };
            // Variants are unique, so only a variant meeting another key's name can repeat.
            let mut unique = name.clone();
            let mut n = 2;
            while !taken.insert(unique.clone()) {
                unique = format!("{name}_{n}");
                n += 1;
            }
            unique
        })
        .collect()
}

fn accessor(space: &TypeSpace, events: &[Webhook], a: &'static Accessor) -> AccessorSurface {
    let reads: Vec<Option<FieldPath>> = events
        .iter()
        .map(|w| {
            if matches!(w.body, TypeRef::Json | TypeRef::JsonObject) {
                return None;
            }
            let steps = string_field(space, &w.body, a.level, a.key)?;
            Some(FieldPath {
                json: json_path(space, &steps),
                steps: field_steps(space, &steps)?,
            })
        })
        .collect();
    let mut places: BTreeMap<&[String], usize> = BTreeMap::new();
    for r in reads.iter().flatten() {
        *places.entry(&r.json).or_default() += 1;
    }
    // The place most events use (ties: the first in order).
    let common = places
        .iter()
        .max_by(|x, y| x.1.cmp(y.1).then_with(|| y.0.cmp(x.0)))
        .map(|(path, _)| path.to_vec());
    AccessorSurface {
        accessor: a,
        reads,
        common,
    }
}

/// A reference without its nullability.
fn strip(t: &TypeRef) -> TypeRef {
    match t {
        TypeRef::Nullable(inner) => strip(inner),
        other => other.clone(),
    }
}

fn field_steps(space: &TypeSpace, steps: &[Step]) -> Option<Vec<FieldStep>> {
    steps
        .iter()
        .map(|step| {
            let field = step.field(space)?;
            let def = space.get(step.owner);
            Some(FieldStep {
                field: field.name.clone(),
                storage: Storage::of(field.required, field.nullable, def.in_request),
                boxed: field.boxed,
            })
        })
        .collect()
}

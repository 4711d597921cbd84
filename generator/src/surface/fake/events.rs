//! The event builders of the fake's `testing::events`: where each event keeps the fields a test (or
//! the simulator) sets by name, the setters each builder gets, and which builder's example answers an
//! event type the simulator sends.

use super::super::conventions::CLIENT_STATE;
use super::super::event_paths::{json_path, level_steps, struct_id, Level};
use super::super::{RustType, WebhooksSurface};
use crate::model::types::{Struct, TypeKind, TypeSpace};
use crate::model::Webhook;
use std::collections::BTreeSet;

/// The word a builder's type name adds to its event's.
const DELIVERY: &str = "Delivery";

/// Method names every builder has.
const RESERVED: [&str; 3] = ["example", "into_event", "client_state_json"];

/// One event's builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventBuilder {
    /// The builder's type: the event's variant and `Delivery` (`CallHangupDelivery`), because
    /// `types::CallHangup` is the event as the application reads it and this is a delivery the fake
    /// sends; one name for both would mean two things to a reader.
    pub name: String,
    /// Where the event keeps each accessor's field, by accessor method (`call_control_id`): each is a
    /// setter of that name.
    pub accessors: Vec<(&'static str, Vec<String>)>,
    /// Where the event keeps `client_state`, which `client_state_json` sets.
    pub client_state: Option<Vec<String>>,
    /// The JSON path of the event's payload object and its fields' JSON names.
    pub payload: Option<(Vec<String>, Vec<String>)>,
    /// A typed setter per payload field no accessor sets (`digits` of `call.gather.ended`).
    pub setters: Vec<Setter>,
}

/// A typed setter of a payload field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setter {
    /// The method's word: the field's, or `set_` and the field's where that is taken.
    pub method: String,
    pub path: Vec<String>,
    pub ty: RustType,
}

/// An event type the simulator sends, answered with the example of `event`; `retype` is where to
/// write the event type when the event has several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup<'m> {
    pub event_type: &'m str,
    pub event: usize,
    pub retype: Option<&'m [String]>,
}

pub(super) fn builders(space: &TypeSpace, webhooks: &WebhooksSurface<'_>) -> Vec<EventBuilder> {
    (0..webhooks.events.len())
        .map(|i| builder(space, webhooks, i))
        .collect()
}

fn builder(space: &TypeSpace, webhooks: &WebhooksSurface<'_>, i: usize) -> EventBuilder {
    let accessors: Vec<(&'static str, Vec<String>)> = webhooks
        .accessors
        .iter()
        .filter_map(|a| Some((a.accessor.method, a.reads[i].as_ref()?.json.clone())))
        .collect();
    let client_state = webhooks
        .accessors
        .iter()
        .find(|a| a.accessor.key == CLIENT_STATE)
        .and_then(|a| Some(a.reads[i].as_ref()?.json.clone()));
    let payload = payload_struct(space, webhooks.events[i].model);
    let setters = payload
        .as_ref()
        .map(|(prefix, s)| setters(space, prefix, s, &accessors))
        .unwrap_or_default();
    EventBuilder {
        name: format!("{}{DELIVERY}", webhooks.events[i].variant),
        client_state,
        payload: payload
            .map(|(path, s)| (path, s.fields.iter().map(|f| f.json_name.clone()).collect())),
        setters,
        accessors,
    }
}

/// The event's payload: its JSON path and its struct.
fn payload_struct<'m>(space: &'m TypeSpace, w: &Webhook) -> Option<(Vec<String>, &'m Struct)> {
    let steps = level_steps(space, &w.body, Level::Payload)?;
    let owner = match steps.last().and_then(|s| s.field(space)) {
        Some(f) => &f.ty,
        None => &w.body,
    };
    match &space.get(struct_id(space, owner)?).kind {
        TypeKind::Struct(s) => Some((json_path(space, &steps), s)),
        _ => None,
    }
}

/// The payload fields' setters, past the fields an accessor already sets and the names taken.
fn setters(
    space: &TypeSpace,
    prefix: &[String],
    s: &Struct,
    accessors: &[(&'static str, Vec<String>)],
) -> Vec<Setter> {
    let mut used: BTreeSet<String> = RESERVED.iter().map(|s| (*s).to_owned()).collect();
    used.extend(accessors.iter().map(|(method, _)| (*method).to_owned()));
    let mut out = Vec::new();
    for f in &s.fields {
        let mut path = prefix.to_vec();
        path.push(f.json_name.clone());
        if accessors.iter().any(|(_, covered)| *covered == path) {
            continue;
        }
        let method = if used.contains(&f.name) {
            format!("set_{}", f.name)
        } else {
            f.name.clone()
        };
        if !used.insert(method.clone()) {
            continue;
        }
        out.push(Setter {
            method,
            path,
            ty: RustType::of(space, &f.ty),
        });
    }
    out
}

/// The lookup from each event type to its event: the first event claiming a type wins, as in
/// `WebhookEvent` dispatch.
pub(super) fn lookups<'m>(webhooks: &WebhooksSurface<'m>) -> Vec<Lookup<'m>> {
    let mut claimed = BTreeSet::new();
    let mut out = Vec::new();
    for (i, e) in webhooks.events.iter().enumerate() {
        let retype = (e.event_types.len() > 1).then_some(e.event_type_path);
        for v in e.event_types.iter().filter(|v| claimed.insert(v.as_str())) {
            out.push(Lookup {
                event_type: v,
                event: i,
                retype,
            });
        }
    }
    out
}

//! Webhook events of two models, matched by their key in the spec's `webhooks` map: added, removed,
//! and for events in both, the `WebhookEvent` variant, the body type and how a delivery is recognized.
//! Changes inside the body types are reported with the types (and listed under "affected").

use super::report::{Collector, Kind, Section, Severity, Subject};
use crate::model::types::TypeSpace;
use crate::model::{Dispatch, Webhook};
use crate::surface::RustType;
use std::collections::{BTreeMap, BTreeSet};

/// One model's webhook events and the types they refer to.
#[derive(Clone, Copy)]
pub struct Events<'a> {
    pub space: &'a TypeSpace,
    pub list: &'a [Webhook],
}

impl<'a> Events<'a> {
    fn by_key(&self) -> BTreeMap<&'a str, &'a Webhook> {
        self.list.iter().map(|w| (w.key.as_str(), w)).collect()
    }
}

pub fn compare(old: Events<'_>, new: Events<'_>, out: &mut Collector) {
    let before = old.by_key();
    let after = new.by_key();
    for (key, was) in &before {
        let mut subject = out.subject(Section::Webhooks, key);
        match after.get(key) {
            Some(now) => pair(old.space, new.space, was, now, &mut subject),
            None => subject.change(
                None,
                Kind::Removed,
                Severity::Breaking,
                format!("`WebhookEvent::{}`", was.variant),
                "code matching the variant stops compiling; deliveries read as `Unknown`",
            ),
        }
    }
    for (key, now) in &after {
        if !before.contains_key(key) {
            out.subject(Section::Webhooks, key).change(
                None,
                Kind::Added,
                Severity::Compatible,
                format!("`WebhookEvent::{}`", now.variant),
                "`WebhookEvent` is #[non_exhaustive]; these deliveries used to read as `Unknown`",
            );
        }
    }
}

fn pair(old: &TypeSpace, new: &TypeSpace, was: &Webhook, now: &Webhook, out: &mut Subject<'_>) {
    let before = out.recorded();
    if was.variant != now.variant {
        out.change(
            None,
            Kind::RustName,
            Severity::Breaking,
            format!(
                "`WebhookEvent::{}` → `WebhookEvent::{}`",
                was.variant, now.variant
            ),
            "code matching the variant must be renamed",
        );
    }
    let (b_was, b_now) = (
        RustType::of(old, &was.body).to_string(),
        RustType::of(new, &now.body).to_string(),
    );
    if b_was != b_now {
        out.change(
            None,
            Kind::Body,
            Severity::Breaking,
            format!("`{b_was}` → `{b_now}`"),
            "the variant holds another type",
        );
    }
    dispatch(&was.dispatch, &now.dispatch, out);
    let docs_changed = was.summary != now.summary
        || was.description != now.description
        || was.example != now.example
        || was.produced_by != now.produced_by;
    if docs_changed && out.recorded() == before {
        out.docs_only(None);
    }
}

fn dispatch(was: &Dispatch, now: &Dispatch, out: &mut Subject<'_>) {
    match (was, now) {
        (
            Dispatch::EventType {
                path: p_was,
                values: v_was,
            },
            Dispatch::EventType {
                path: p_now,
                values: v_now,
            },
        ) => {
            let (a, b): (BTreeSet<&String>, BTreeSet<&String>) =
                (v_was.iter().collect(), v_now.iter().collect());
            for v in a.difference(&b) {
                out.change(
                    Some(v),
                    Kind::EventTypeRemoved,
                    Severity::Breaking,
                    "",
                    "deliveries with this event type no longer parse as this variant",
                );
            }
            for v in b.difference(&a) {
                out.change(
                    Some(v),
                    Kind::EventTypeAdded,
                    Severity::Compatible,
                    "",
                    "deliveries with this event type parse as this variant now",
                );
            }
            if p_was != p_now {
                out.change(
                    None,
                    Kind::Dispatch,
                    Severity::Compatible,
                    format!("`{}` → `{}`", p_was.join("."), p_now.join(".")),
                    "the event type is read from another place; same variant",
                );
            }
        }
        _ if was != now => out.change(
            None,
            Kind::Dispatch,
            Severity::Compatible,
            format!("{} → {}", describe(was), describe(now)),
            "deliveries are recognized another way; same variant",
        ),
        _ => {}
    }
}

fn describe(d: &Dispatch) -> String {
    match d {
        Dispatch::EventType { path, .. } => format!("by `{}`", path.join(".")),
        Dispatch::Shape { path, keys } if path.is_empty() => {
            format!("by keys {}", keys.join(", "))
        }
        Dispatch::Shape { path, keys } => {
            format!("by keys {} under `{}`", keys.join(", "), path.join("."))
        }
    }
}

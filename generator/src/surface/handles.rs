//! The handles on one call and on one conference: which operations each sends, and under which method
//! names. `CallHandle` sends every operation whose path starts `/calls/{call_control_id}`,
//! `ConferenceHandle` every one whose path starts `/conferences/{id}` (or `{conference_id}`), without
//! repeating the id (`client.call(id).speak(body)`); further path parameters stay arguments.
//!
//! The types are `...Handle` because the spec has schemas named `Call` and `Conference` (what the
//! API says about a call), and `types::Call` beside a root `Call` that sends commands would mean two
//! things to a reader.
//!
//! Methods keep the operation's method name (`speak`, `gather_using_speak`), less the word the handle
//! already says (`retrieve_call_status` becomes `retrieve_status`, `list_conference_participants`
//! `list_participants`) when that leaves a name no other method of the handle has.

use super::conventions::CALL_ID;
use super::operations::{Argument, OperationSurface};
use super::RustType;
use std::collections::BTreeMap;

/// A handle type: a client and one id, with every operation on what the id names as a method.
#[derive(Debug, Clone)]
pub struct HandleSurface<'m> {
    /// The type (`CallHandle`) and the `Client` method that makes one (`call`).
    pub type_name: &'static str,
    pub client_method: &'static str,
    /// The id's field and accessor (`call_control_id`).
    pub id: &'static str,
    /// What the id names (`call`), for docs.
    pub noun: &'static str,
    /// The type's doc, after its first line.
    pub doc: &'static str,
    pub methods: Vec<HandleMethod<'m>>,
}

/// One method of a handle: a service method with the handle's id as its first argument.
#[derive(Debug, Clone)]
pub struct HandleMethod<'m> {
    /// The handle's method name (`retrieve_status`).
    pub name: String,
    /// The service method it calls (`retrieve_call_status`) and the service's path from the client.
    pub target: &'m str,
    pub service: &'m [String],
    /// The arguments after the id.
    pub args: &'m [Argument],
    /// The parameters are all optional: `name` leaves them out, `name_with` takes them (as the
    /// service's methods do).
    pub optional_params: bool,
    pub returns: &'m RustType,
    pub summary: Option<&'m str>,
    pub http_method: &'m str,
    pub path: &'m str,
}

/// What makes one handle: its names and which operations are its own.
struct HandleKind {
    type_name: &'static str,
    client_method: &'static str,
    id: &'static str,
    /// The first path segment of its operations (`calls`) and the names the id has as their first
    /// path parameter.
    root: &'static str,
    id_params: &'static [&'static str],
    noun: &'static str,
    doc: &'static str,
}

const HANDLES: [HandleKind; 2] = [
    HandleKind {
        type_name: "CallHandle",
        client_method: "call",
        id: CALL_ID,
        root: "calls",
        id_params: &[CALL_ID],
        noun: "call",
        doc:
            "It holds the client and the call's `call_control_id`: `client.call(id).speak(body)`, \
              `call.hangup(body)`.",
    },
    HandleKind {
        type_name: "ConferenceHandle",
        client_method: "conference",
        id: "id",
        root: "conferences",
        id_params: &["id", "conference_id"],
        noun: "conference",
        doc:
            "It holds the client and the conference's `id` (from `conference_id()` of its events, \
              or the answer of `conferences().create()`): `client.conference(id).join(body)`, \
              `conference.mute(body)`.",
    },
];

impl HandleKind {
    /// Whether the handle sends the operation: its path starts with the handle's root and id.
    fn sends(&self, op: &OperationSurface<'_>) -> bool {
        let root = op.path.trim_start_matches('/').split('/').next();
        root == Some(self.root)
            && op
                .path_params
                .first()
                .is_some_and(|p| self.id_params.contains(p))
    }
}

/// The handles that have at least one operation.
pub fn handles<'s>(operations: &'s [OperationSurface<'_>]) -> Vec<HandleSurface<'s>> {
    HANDLES
        .iter()
        .filter_map(|kind| handle(kind, operations))
        .collect()
}

fn handle<'s>(
    kind: &HandleKind,
    operations: &'s [OperationSurface<'_>],
) -> Option<HandleSurface<'s>> {
    let mut methods: Vec<HandleMethod<'s>> = operations
        .iter()
        .filter(|op| kind.sends(op))
        .flat_map(|op| {
            op.methods.iter().map(move |m| HandleMethod {
                name: short_name(&m.name, kind.noun),
                target: &m.name,
                service: op.service,
                args: m.args.get(1..).unwrap_or_default(),
                optional_params: m.optional_params,
                returns: &m.returns,
                summary: op.summary,
                http_method: op.http_method,
                path: op.path,
            })
        })
        .collect();
    if methods.is_empty() {
        return None;
    }
    // A shortened name that meets another method's keeps its full name.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for m in &methods {
        *counts.entry(m.name.clone()).or_default() += 1;
        if m.name != m.target {
            *counts.entry(m.target.to_owned()).or_default() += 1;
        }
    }
    for m in &mut methods {
        if counts.get(&m.name).copied().unwrap_or(0) > 1 {
            m.name = m.target.to_owned();
        }
    }
    Some(HandleSurface {
        type_name: kind.type_name,
        client_method: kind.client_method,
        id: kind.id,
        noun: kind.noun,
        doc: kind.doc,
        methods,
    })
}

/// The method name without the handle's word (`retrieve_call_status` → `retrieve_status`), or the name
/// itself when nothing would be left.
fn short_name(name: &str, noun: &str) -> String {
    let words: Vec<&str> = name.split('_').filter(|w| *w != noun).collect();
    if words.is_empty() || words.len() == name.split('_').count() {
        return name.to_owned();
    }
    words.join("_")
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn the_handles_word_is_dropped_when_something_is_left() {
        assert_eq!(
            short_name("retrieve_call_status", "call"),
            "retrieve_status"
        );
        assert_eq!(short_name("speak", "call"), "speak");
        assert_eq!(short_name("call", "call"), "call");
        assert_eq!(
            short_name("gather_using_speak", "call"),
            "gather_using_speak"
        );
        assert_eq!(
            short_name("list_conference_participants", "conference"),
            "list_participants"
        );
        assert_eq!(short_name("retrieve_conference", "conference"), "retrieve");
    }
}

//! The Telnyx conventions the crate builds on, in one place: names the spec does not mark as special
//! but every Call Control application relies on.

use crate::model::types::{TypeKind, TypeRef, TypeSpace};

/// The path parameter that names a call.
pub const CALL_ID: &str = "call_control_id";

/// The request field a call action de-duplicates retries by.
pub const COMMAND_ID: &str = "command_id";

/// The request field whose value events caused by the request carry back.
pub const CLIENT_STATE: &str = "client_state";

/// The key of a webhook delivery's record (`{"data": {"event_type": ..., "payload": ...}}`).
pub const RECORD: &str = "data";

/// The key of a record's payload.
pub const PAYLOAD: &str = "payload";

/// The key of an event's type.
pub const EVENT_TYPE: &str = "event_type";

/// The level of an event a field is looked up at: the envelope's record or its payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// `data` (or the body when it has no `data` object).
    Record,
    /// `data.payload` (or the record when it has no `payload` object).
    Payload,
}

/// Whether the runtime fills the body's `command_id` once per logical request, so that a retried
/// command is not executed twice: the body has an optional string `command_id`.
pub fn fills_command_id(space: &TypeSpace, body: &TypeRef) -> bool {
    let TypeRef::Named(id) = body else {
        return false;
    };
    match &space.get(*id).kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .any(|f| f.json_name == COMMAND_ID && !f.required && matches!(f.ty, TypeRef::String)),
        _ => false,
    }
}

/// An accessor every event gets: its method name, the level it reads and the JSON key there, and what
/// it is for.
#[derive(Debug)]
pub struct Accessor {
    pub method: &'static str,
    pub level: Level,
    pub key: &'static str,
    pub doc: &'static str,
}

/// The fields a voice application needs on each event.
pub static ACCESSORS: [Accessor; 7] = [
    Accessor {
        method: "call_control_id",
        level: Level::Payload,
        key: CALL_ID,
        doc: "The id to send commands to the call with.",
    },
    Accessor {
        method: "call_leg_id",
        level: Level::Payload,
        key: "call_leg_id",
        doc: "The id of this leg of the call, for correlating events.",
    },
    Accessor {
        method: "call_session_id",
        level: Level::Payload,
        key: "call_session_id",
        doc: "The id of the call session (the legs of one phone call), for correlating events.",
    },
    Accessor {
        method: "connection_id",
        level: Level::Payload,
        key: "connection_id",
        doc: "The Call Control application (connection) the call belongs to.",
    },
    Accessor {
        method: "client_state",
        level: Level::Payload,
        key: CLIENT_STATE,
        doc: "The raw `client_state` (base64) the last command set; \
              [`WebhookEvent::client_state_json`] decodes it.",
    },
    Accessor {
        method: "occurred_at",
        level: Level::Record,
        key: "occurred_at",
        doc: "When the event occurred (ISO 8601).",
    },
    Accessor {
        method: "id",
        level: Level::Record,
        key: "id",
        doc: "The event's own id: the same on every redelivery of one event, so it de-duplicates them.",
    },
];

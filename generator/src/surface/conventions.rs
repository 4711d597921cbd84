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

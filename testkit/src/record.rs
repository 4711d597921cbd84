//! What the fake keeps of the requests it received: every request as it arrived, and the commands it
//! accepted with their bodies as sent and as typed.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::Value;

use telnyx_call_control_runtime::client_state::{decode_json, ClientStateError};

use crate::contract::Operation;
use telnyx_call_control_contract::Field;

/// One request the fake received, whatever it answered, recorded when it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest<O> {
    /// The HTTP method.
    pub method: String,
    /// The path as received (percent-encoded), without the base URL's path.
    pub path: String,
    /// The operation it matched, if any.
    pub operation: Option<O>,
    /// The status the fake answered, or held back (see `dropped`).
    pub status: u16,
    /// The body's `command_id`, when it has one (retries carry the same one).
    pub command_id: Option<String>,
    /// Whether the fake never sent the answer ([`Fault::drop_answer`](super::Fault::drop_answer)).
    pub dropped: bool,
}

/// A command the fake accepted: its operation, its call, and its body as sent and as typed.
#[derive(Clone)]
pub struct Command<O> {
    pub(crate) operation: O,
    pub(crate) call_control_id: Option<String>,
    pub(crate) json: Value,
    pub(crate) typed: Option<Arc<dyn Any + Send + Sync>>,
    /// The request type's path (`std::any::type_name`), when the body is JSON.
    pub(crate) type_name: Option<&'static str>,
}

/// [`Command::body`] was asked for a type that is not the command's request type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the body of {operation:?} is {}, not a `{asked}`", .actual.as_ref().map_or_else(|| "not JSON (or absent)".to_owned(), |t| format!("a `{t}`")))]
#[non_exhaustive]
pub struct BodyError<O: std::fmt::Debug> {
    /// The command's operation.
    pub operation: O,
    /// The command's request type (`SpeakRequest`), when its body is JSON.
    pub actual: Option<String>,
    /// The type asked for.
    pub asked: String,
}

impl<O: Operation> Command<O> {
    /// The operation the command was sent to.
    pub fn operation(&self) -> O {
        self.operation
    }

    /// The call it was sent to, or the call it created (`POST /calls`).
    pub fn call_control_id(&self) -> Option<&str> {
        self.call_control_id.as_deref()
    }

    /// The JSON body as received (`Null` without one).
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The body as the operation's request type (`GatherUsingSpeakRequest`); asking for another type
    /// is an error that names the right one.
    pub fn body<T: Any>(&self) -> Result<&T, BodyError<O>> {
        self.typed
            .as_deref()
            .and_then(|typed| typed.downcast_ref())
            .ok_or_else(|| BodyError {
                operation: self.operation,
                actual: self.type_name.map(short_type_name),
                asked: short_type_name(std::any::type_name::<T>()),
            })
    }

    /// The body's `client_state`, raw.
    pub fn client_state(&self) -> Option<&str> {
        crate::sim::read(&self.json, Field::ClientState)?.as_str()
    }

    /// The body's `client_state` decoded (base64, then JSON).
    pub fn client_state_json<T: DeserializeOwned>(&self) -> Result<Option<T>, ClientStateError> {
        self.client_state().map(decode_json).transpose()
    }
}

impl<O: fmt::Debug> fmt::Debug for Command<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Command")
            .field("operation", &self.operation)
            .field("call_control_id", &self.call_control_id)
            .field("json", &self.json)
            .finish_non_exhaustive()
    }
}

/// A type's name without module paths (`Option<SpeakRequest>`, not
/// `core::option::Option<telnyx_call_control::types::speak_request::SpeakRequest>`).
fn short_type_name(full: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    for c in full.chars() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            word.push(c);
        } else {
            out.push_str(word.rsplit("::").next().unwrap_or_default());
            word.clear();
            out.push(c);
        }
    }
    out.push_str(word.rsplit("::").next().unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::short_type_name;

    #[test]
    fn type_names_lose_their_module_paths() {
        assert_eq!(
            short_type_name("telnyx_call_control::types::speak_request::SpeakRequest"),
            "SpeakRequest"
        );
        assert_eq!(
            short_type_name("core::option::Option<alloc::vec::Vec<a::B>>"),
            "Option<Vec<B>>"
        );
        assert_eq!(short_type_name("(u8, &str)"), "(u8, &str)");
    }
}

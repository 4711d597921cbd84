//! Typed client state.
//!
//! `client_state` travels with a call: a command sets it, and the events that command causes carry it
//! back. The API takes it as "a valid Base-64 encoded string", so an application that keeps anything
//! structured in it (a menu level, a retry count) writes JSON, then base64, and reverses both on every
//! event. These two functions do that once, with an error that says which step failed; request types
//! with a `client_state` field offer `client_state_json(&state)`, and `WebhookEvent` offers
//! `client_state_json::<T>()`.
//!
//! ```
//! use telnyx_call_control_runtime::client_state::{decode_json, encode_json};
//!
//! #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
//! struct Menu {
//!     level: u8,
//! }
//!
//! let encoded = encode_json(&Menu { level: 2 }).unwrap();
//! assert_eq!(encoded, "eyJsZXZlbCI6Mn0=");
//! assert_eq!(decode_json::<Menu>(&encoded).unwrap(), Menu { level: 2 });
//! assert!(decode_json::<Menu>("not base64!").is_err());
//! ```

use base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT};
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a client state could not be encoded or decoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientStateError {
    /// The value could not be written as JSON (a map with keys that are not strings, say).
    #[error("the client state could not be written as JSON: {0}")]
    Encode(#[source] serde_json::Error),
    /// The `client_state` received is not base64.
    #[error("the client state is not base64: {0}")]
    Base64(#[source] base64::DecodeError),
    /// The `client_state` is base64, but what it holds is not the expected JSON.
    #[error("the client state is base64 but not the expected JSON: {0}")]
    Json(#[source] serde_json::Error),
}

/// `state` as JSON, base64-encoded (standard alphabet, padded): a value for `client_state`.
pub fn encode_json<T: Serialize + ?Sized>(state: &T) -> Result<String, ClientStateError> {
    let json = serde_json::to_vec(state).map_err(ClientStateError::Encode)?;
    Ok(STANDARD.encode(json))
}

/// A `client_state` read back: base64 (padded or not), then JSON into `T`.
pub fn decode_json<T: DeserializeOwned>(client_state: &str) -> Result<T, ClientStateError> {
    let bytes = STANDARD_PAD_INDIFFERENT
        .decode(client_state.trim())
        .map_err(ClientStateError::Base64)?;
    serde_json::from_slice(&bytes).map_err(ClientStateError::Json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn round_trips_and_accepts_missing_padding() {
        let state = BTreeMap::from([("step", "menu")]);
        let encoded = encode_json(&state).unwrap();
        assert_eq!(encoded, "eyJzdGVwIjoibWVudSJ9");
        let back: BTreeMap<String, String> = decode_json(&encoded).unwrap();
        assert_eq!(back["step"], "menu");
        let padded = encode_json(&"ab").unwrap();
        assert_eq!(padded, "ImFiIg==");
        let unpadded = padded.trim_end_matches('=');
        assert_eq!(decode_json::<String>(unpadded).unwrap(), "ab");
    }

    #[test]
    fn each_failing_step_has_its_own_error() {
        assert!(matches!(
            decode_json::<String>("%%%"),
            Err(ClientStateError::Base64(_))
        ));
        // The spec's example client state: base64 of plain text, not JSON.
        let err = decode_json::<String>("aGF2ZSBhIG5pY2UgZGF5ID1d").unwrap_err();
        assert!(matches!(err, ClientStateError::Json(_)), "{err}");
        assert!(err.to_string().contains("not the expected JSON"), "{err}");
        let err = decode_json::<u32>(&encode_json(&"text").unwrap()).unwrap_err();
        assert!(matches!(err, ClientStateError::Json(_)), "{err}");
        let map = BTreeMap::from([((1, 2), 3)]);
        assert!(matches!(
            encode_json(&map),
            Err(ClientStateError::Encode(_))
        ));
    }
}

//! The accessors every event answers, on deliveries shaped as Telnyx sends them, on events that lack
//! the fields, and on events this crate does not know.

use telnyx_call_control::webhooks::WebhookEvent;
use telnyx_call_control::ClientStateError;

fn event(json: &str) -> WebhookEvent {
    WebhookEvent::from_slice(json.as_bytes()).expect("the delivery parses")
}

#[test]
fn a_call_event_answers_its_ids_time_and_state() {
    let e = event(
        r#"{"data":{"event_type":"call.speak.ended","id":"e1","occurred_at":"2024-01-01T00:00:00Z",
            "payload":{"call_control_id":"v3:abc","call_leg_id":"leg","call_session_id":"session",
                       "connection_id":"conn","client_state":"eyJzdGVwIjoibWVudSJ9"}},
            "meta":{"attempt":2,"delivered_to":"https://example.com"}}"#,
    );
    assert!(matches!(e, WebhookEvent::CallSpeakEnded(_)), "{}", e.kind());
    assert_eq!(e.call_control_id(), Some("v3:abc"));
    assert_eq!(e.call_leg_id(), Some("leg"));
    assert_eq!(e.call_session_id(), Some("session"));
    assert_eq!(e.connection_id(), Some("conn"));
    assert_eq!(e.client_state(), Some("eyJzdGVwIjoibWVudSJ9"));
    assert_eq!(e.occurred_at(), Some("2024-01-01T00:00:00Z"));
    assert_eq!(e.id(), Some("e1"));
    let state: serde_json::Value = e.client_state_json().unwrap().unwrap();
    assert_eq!(state, serde_json::json!({"step": "menu"}));
}

#[test]
fn missing_fields_are_none_not_a_panic() {
    for json in [
        r#"{"data":{"event_type":"call.hangup"}}"#,
        r#"{"data":{"event_type":"call.hangup","payload":{}}}"#,
        r#"{"data":{"event_type":"call.hangup","payload":null,"id":null}}"#,
    ] {
        let e = event(json);
        assert!(matches!(e, WebhookEvent::CallHangup(_)), "{}", e.kind());
        assert_eq!(e.call_control_id(), None, "{json}");
        assert_eq!(e.client_state(), None, "{json}");
        assert_eq!(e.id(), None, "{json}");
        assert!(matches!(e.client_state_json::<u8>(), Ok(None)), "{json}");
    }
}

#[test]
fn an_event_without_the_field_in_its_schema_answers_none() {
    // `call.recording.saved` declares no call_control_id; one sent anyway is not read.
    let e = event(
        r#"{"data":{"event_type":"call.recording.saved","payload":{"call_control_id":"v3:x","call_leg_id":"leg"}}}"#,
    );
    assert!(
        matches!(e, WebhookEvent::CallRecordingSaved(_)),
        "{}",
        e.kind()
    );
    assert_eq!(e.call_control_id(), None);
    assert_eq!(e.call_leg_id(), Some("leg"));
}

#[test]
fn unknown_events_are_read_where_call_events_keep_the_fields() {
    let e = event(
        r#"{"data":{"event_type":"call.brand.new","id":"e9","payload":{"call_control_id":"v3:new","client_state":12}}}"#,
    );
    assert!(matches!(e, WebhookEvent::Unknown(_)));
    assert_eq!(e.call_control_id(), Some("v3:new"));
    assert_eq!(e.id(), Some("e9"));
    // Not a string: not a client state.
    assert_eq!(e.client_state(), None);
}

#[test]
fn a_client_state_that_is_not_ours_is_an_error_naming_the_step() {
    let with_state = |state: &str| {
        event(&format!(
            r#"{{"data":{{"event_type":"call.answered","payload":{{"client_state":"{state}"}}}}}}"#
        ))
    };
    let not_base64 = with_state("not base64!").client_state_json::<serde_json::Value>();
    assert!(
        matches!(not_base64, Err(ClientStateError::Base64(_))),
        "{not_base64:?}"
    );
    // The spec's own example: base64 of "have a nice day =]", not JSON.
    let not_json = with_state("aGF2ZSBhIG5pY2UgZGF5ID1d").client_state_json::<serde_json::Value>();
    assert!(
        matches!(not_json, Err(ClientStateError::Json(_))),
        "{not_json:?}"
    );
    // JSON, but not the type asked for.
    let wrong_type = with_state("eyJzdGVwIjoibWVudSJ9").client_state_json::<Vec<u32>>();
    assert!(
        matches!(wrong_type, Err(ClientStateError::Json(_))),
        "{wrong_type:?}"
    );
}

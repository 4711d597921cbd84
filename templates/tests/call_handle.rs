//! `client.call(id)` and `client.conference(id)`: every call and conference operation without
//! repeating the id, against a local mock server; and typed client state from a request to the event
//! that carries it back.

use serde::{Deserialize, Serialize};
use serde_json::json;
use telnyx_call_control::types::{
    ConferenceMuteRequest, GatherUsingSpeakRequest, HangupRequest, SpeakRequest,
};
use telnyx_call_control::webhooks::WebhookEvent;
use telnyx_call_control::{CallHandle, Client, ConferenceHandle};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CALL: &str = "v3:call/1 2";
const ENCODED: &str = "v3%3Acall%2F1%202";

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .api_key("KEY_TEST")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .expect("client");
    (server, client)
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": {"result": "ok"}}))
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Menu {
    level: u8,
    tries: u8,
}

#[tokio::test]
async fn commands_go_to_the_handles_call() {
    let (server, client) = setup().await;
    for action in ["speak", "hangup"] {
        Mock::given(method("POST"))
            .and(path(format!("/calls/{ENCODED}/actions/{action}")))
            .and(header("authorization", "Bearer KEY_TEST"))
            .respond_with(ok())
            .expect(1)
            .mount(&server)
            .await;
    }
    let call: CallHandle = client.call(CALL);
    assert_eq!(call.call_control_id(), CALL);
    let speak = SpeakRequest::builder()
        .payload("hello")
        .voice("female")
        .build();
    let answer = call.speak(speak).await.expect("speak");
    assert_eq!(answer.data.and_then(|d| d.result).as_deref(), Some("ok"));
    // A clone is the same call.
    call.clone()
        .hangup(HangupRequest::new())
        .await
        .expect("hangup");
}

#[tokio::test]
async fn conference_commands_go_to_the_handles_conference_with_their_other_arguments() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(format!("/conferences/{ENCODED}/actions/mute")))
        .and(body_partial_json(json!({"call_control_ids": ["v3:agent"]})))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/conferences/{ENCODED}/participants/p%2F1")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {}})))
        .expect(1)
        .mount(&server)
        .await;
    let conference: ConferenceHandle = client.conference(CALL);
    assert_eq!(conference.id(), CALL);
    let mute = ConferenceMuteRequest::new().call_control_ids(vec!["v3:agent".to_owned()]);
    conference.mute(mute).await.expect("mute");
    conference
        .retrieve_participant("p/1")
        .await
        .expect("participant");
}

#[tokio::test]
async fn retrieve_status_reads_the_call() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("/calls/{ENCODED}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"data": {"call_control_id": CALL, "call_leg_id": "leg", "call_session_id": "session", "is_alive": true, "record_type": "call"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let status = client.call(CALL).retrieve_status().await.expect("status");
    let data = status.data.expect("data");
    assert_eq!(data.call_control_id, CALL);
    assert!(data.is_alive);
}

#[tokio::test]
async fn typed_client_state_goes_out_as_base64_json_and_comes_back() {
    let (server, client) = setup().await;
    let menu = Menu { level: 2, tries: 1 };
    let encoded = "eyJsZXZlbCI6MiwidHJpZXMiOjF9";
    Mock::given(method("POST"))
        .and(path(format!("/calls/{ENCODED}/actions/gather_using_speak")))
        .and(body_partial_json(json!({"client_state": encoded})))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let request = GatherUsingSpeakRequest::builder()
        .payload("Press 1")
        .voice("female")
        .build()
        .client_state_json(&menu)
        .expect("a struct is JSON");
    client
        .call(CALL)
        .gather_using_speak(request)
        .await
        .expect("gather");
    // The event the command causes carries the same string back.
    let delivery = json!({"data": {"event_type": "call.gather.ended",
        "payload": {"call_control_id": CALL, "client_state": encoded, "digits": "1"}}});
    let event = WebhookEvent::from_slice(delivery.to_string().as_bytes()).expect("parses");
    assert_eq!(event.client_state_json::<Menu>().unwrap(), Some(menu));
}

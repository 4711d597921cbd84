//! The eight voice-gather calls of Telnyx's Voice Gather guide, written as an application would write
//! them, against a local mock server that checks each request body and answers like the API.

use serde_json::{json, Value};
use telnyx_call_control::types::{
    AiAssistantAddMessagesRequest, AiAssistantStartRequest, AiAssistantStopRequest,
    CallAssistantRequest, GatherRequest, GatherUsingAiRequest, GatherUsingAudioRequest,
    GatherUsingSpeakRequest, StopGatherRequest, UserMessage,
};
use telnyx_call_control::Client;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CALL: &str = "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg";
const CALL_PATH: &str =
    "/calls/v3%3AMdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg/actions";

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .api_key("KEY_TEST")
        .base_url(server.uri())
        .build()
        .expect("client");
    (server, client)
}

/// Expects one POST of `body` to `action` and answers `{"data": data}`.
async fn expect(server: &MockServer, action: &str, body: Value, data: Value) {
    Mock::given(method("POST"))
        .and(path(format!("{CALL_PATH}/{action}")))
        .and(header("authorization", "Bearer KEY_TEST"))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "data": data })))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn gather_collects_dtmf() {
    let (server, client) = setup().await;
    let body = json!({"command_id": "c1", "minimum_digits": 1, "maximum_digits": 4, "terminating_digit": "#"});
    expect(&server, "gather", body, json!({"result": "ok"})).await;
    let request = GatherRequest::new()
        .command_id("c1")
        .minimum_digits(1)
        .maximum_digits(4)
        .terminating_digit("#");
    let response = client
        .calls()
        .actions()
        .gather(CALL, request)
        .await
        .unwrap();
    assert_eq!(response.data.unwrap().result.as_deref(), Some("ok"));
}

#[tokio::test]
async fn gather_stop_ends_a_gather() {
    let (server, client) = setup().await;
    let body = json!({"command_id": "c2", "client_state": "aGF2ZSBhIG5pY2UgZGF5ID1d"});
    expect(&server, "gather_stop", body, json!({"result": "ok"})).await;
    let request = StopGatherRequest::new()
        .command_id("c2")
        .client_state("aGF2ZSBhIG5pY2UgZGF5ID1d");
    let response = client
        .calls()
        .actions()
        .gather_stop(CALL, request)
        .await
        .unwrap();
    assert_eq!(response.data.unwrap().result.as_deref(), Some("ok"));
}

#[tokio::test]
async fn gather_using_ai_sends_the_json_schema_of_what_to_collect() {
    let (server, client) = setup().await;
    let parameters = json!({
        "type": "object",
        "properties": {"age": {"type": "integer", "description": "The caller's age"}},
        "required": ["age"]
    });
    let body =
        json!({"command_id": "c3", "parameters": parameters, "greeting": "How old are you?"});
    let data = json!({"result": "ok", "conversation_id": "d7e9c1d4-8b2a-4b8f-b3a7-9a671c9e9b0a"});
    expect(&server, "gather_using_ai", body, data).await;
    let request = GatherUsingAiRequest::builder()
        .parameters(parameters)
        .build()
        .command_id("c3")
        .greeting("How old are you?");
    let response = client
        .calls()
        .actions()
        .gather_using_ai(CALL, request)
        .await
        .unwrap();
    let data = response.data.unwrap();
    assert_eq!(
        data.conversation_id.as_deref(),
        Some("d7e9c1d4-8b2a-4b8f-b3a7-9a671c9e9b0a")
    );
}

#[tokio::test]
async fn gather_using_audio_plays_a_prompt() {
    let (server, client) = setup().await;
    let body = json!({"command_id": "c4", "audio_url": "http://example.com/menu.wav", "valid_digits": "123", "maximum_tries": 3});
    expect(&server, "gather_using_audio", body, json!({"result": "ok"})).await;
    let request = GatherUsingAudioRequest::new()
        .command_id("c4")
        .audio_url("http://example.com/menu.wav")
        .valid_digits("123")
        .maximum_tries(3);
    let response = client
        .calls()
        .actions()
        .gather_using_audio(CALL, request)
        .await
        .unwrap();
    assert_eq!(response.data.unwrap().result.as_deref(), Some("ok"));
}

#[tokio::test]
async fn gather_using_speak_names_its_required_fields() {
    let (server, client) = setup().await;
    let body = json!({"command_id": "c5", "payload": "Press 1 for sales", "voice": "female", "valid_digits": "12"});
    expect(&server, "gather_using_speak", body, json!({"result": "ok"})).await;
    let request = GatherUsingSpeakRequest::builder()
        .voice("female")
        .payload("Press 1 for sales")
        .build()
        .command_id("c5")
        .valid_digits("12");
    let response = client
        .calls()
        .actions()
        .gather_using_speak(CALL, request)
        .await
        .unwrap();
    assert_eq!(response.data.unwrap().result.as_deref(), Some("ok"));
}

#[tokio::test]
async fn ai_assistant_start_with_an_inline_assistant() {
    let (server, client) = setup().await;
    let body = json!({
        "command_id": "c6",
        "assistant": {"id": "assistant-1", "instructions": "You are a helpful receptionist."},
        "greeting": "Hello!"
    });
    let data = json!({"result": "ok", "conversation_id": "d7e9c1d4-8b2a-4b8f-b3a7-9a671c9e9b0a"});
    expect(&server, "ai_assistant_start", body, data).await;
    let request = AiAssistantStartRequest::new()
        .command_id("c6")
        .assistant(
            CallAssistantRequest::builder()
                .id("assistant-1")
                .build()
                .instructions("You are a helpful receptionist."),
        )
        .greeting("Hello!");
    let response = client
        .calls()
        .actions()
        .ai_assistant_start(CALL, request)
        .await
        .unwrap();
    assert!(response.data.unwrap().conversation_id.is_some());
}

#[tokio::test]
async fn ai_assistant_stop_ends_the_assistant() {
    let (server, client) = setup().await;
    expect(
        &server,
        "ai_assistant_stop",
        json!({"command_id": "c7"}),
        json!({"result": "ok"}),
    )
    .await;
    let request = AiAssistantStopRequest::new().command_id("c7");
    let response = client
        .calls()
        .actions()
        .ai_assistant_stop(CALL, request)
        .await
        .unwrap();
    assert_eq!(response.data.unwrap().result.as_deref(), Some("ok"));
}

#[tokio::test]
async fn ai_assistant_add_messages_sends_tagged_messages() {
    let (server, client) = setup().await;
    let body = json!({
        "command_id": "c8",
        "messages": [{"role": "user", "content": "I would like to book a table."}]
    });
    expect(
        &server,
        "ai_assistant_add_messages",
        body,
        json!({"result": "ok"}),
    )
    .await;
    let message = UserMessage::builder()
        .content("I would like to book a table.")
        .build();
    let request = AiAssistantAddMessagesRequest::new()
        .command_id("c8")
        .messages(vec![message.into()]);
    let response = client
        .calls()
        .actions()
        .ai_assistant_add_messages(CALL, request)
        .await
        .unwrap();
    assert_eq!(response.data.unwrap().result.as_deref(), Some("ok"));
}

#[tokio::test]
async fn api_errors_carry_the_documented_fields() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(format!("{CALL_PATH}/gather_stop")))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "errors": [{"code": "90018", "title": "Call has already ended",
                        "detail": "This call is no longer active and can't receive commands."}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = client
        .calls()
        .actions()
        .gather_stop(CALL, StopGatherRequest::new())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    let first = &err.api_errors()[0];
    assert_eq!(
        (first.code.as_str(), first.title.as_str()),
        ("90018", "Call has already ended")
    );
}

//! The fake's call simulator: one test per far-end behaviour (answers after a while, busy, no answer,
//! a machine or a person for detection, presses digits, hangs up), commands refused once a call has
//! ended, events that follow from what happened (recordings, transcriptions, transfers, bridges,
//! conferences, queues), and scripts that contradict themselves reported instead of hanging.
#![cfg(feature = "testing")]

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use telnyx_call_control::client_state::decode_json;
use telnyx_call_control::testing::{
    events, CallState, FakeBuilder, FakeTelnyx, FarEnd, Fault, Operation, ScriptError, SettleError,
};
use telnyx_call_control::types::{
    AnswerRequest, BridgeRequest, CallRequest, CallRequestAnsweringMachineDetection,
    CallRequestWebhookRetriesPoliciesValue, ConferenceMuteRequest, CreateConferenceRequest,
    EnqueueRequest, GatherUsingSpeakRequest, HangupRequest, JoinConferenceRequest,
    LeaveConferenceRequest, LeaveQueueRequest, SpeakRequest, StartRecordingRequest,
    StartRecordingRequestChannels, StartRecordingRequestFormat, StopRecordingRequest,
    TransferCallRequest,
};
use telnyx_call_control::webhooks::Verifier;
use telnyx_call_control::{Client, Error};

const ME: &str = "+15550199";
const THEM: &str = "+15550123";
const SEC: Duration = Duration::from_secs(1);

/// What the test application does with one event: `(client, event type, JSON body)`.
type Handler = Arc<
    dyn Fn(Client, String, Value) -> Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>
        + Send
        + Sync,
>;

/// An application on a loopback port: it verifies every delivery with the fake's key, keeps
/// `(event type, body)`, runs the handler, and answers 200 only when the handler's commands were
/// accepted.
#[derive(Clone)]
struct App {
    verifier: Verifier,
    client: Client,
    handler: Handler,
    got: Arc<Mutex<Vec<(String, Value)>>>,
}

impl App {
    fn events(&self) -> Vec<String> {
        self.got
            .lock()
            .unwrap()
            .iter()
            .map(|(t, _)| t.clone())
            .collect()
    }

    /// The payloads of the events of `event_type`, in order.
    fn payloads(&self, event_type: &str) -> Vec<Value> {
        self.got
            .lock()
            .unwrap()
            .iter()
            .filter(|(t, _)| t == event_type)
            .map(|(_, body)| body["data"]["payload"].clone())
            .collect()
    }
}

async fn receive(State(app): State<App>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Ok(event) = app.verifier.verify_and_parse_headers(&headers, &body) else {
        return StatusCode::UNAUTHORIZED;
    };
    let json: Value = serde_json::from_slice(&body).unwrap_or_default();
    let event_type = json["data"]["event_type"]
        .as_str()
        .unwrap_or(event.kind())
        .to_owned();
    app.got
        .lock()
        .unwrap()
        .push((event_type.clone(), json.clone()));
    match (app.handler)(app.client.clone(), event_type, json).await {
        Ok(()) => StatusCode::OK,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A simulating fake and an application whose handler is `handler`.
async fn start<F, Fut>(handler: F) -> (FakeTelnyx, App)
where
    F: Fn(Client, String, Value) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), Error>> + Send + 'static,
{
    start_with(FakeTelnyx::builder().simulate(true), |_| handler).await
}

/// The fake `builder` starts, and an application whose handler `make` makes from it (to give it
/// the fake's clock, say).
async fn start_with<M, F, Fut>(builder: FakeBuilder, make: M) -> (FakeTelnyx, App)
where
    M: FnOnce(&FakeTelnyx) -> F,
    F: Fn(Client, String, Value) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), Error>> + Send + 'static,
{
    let fake = builder.start().await.unwrap();
    let handler = make(&fake);
    let app = App {
        verifier: Verifier::new(&fake.public_key()).unwrap(),
        client: fake.client(),
        handler: Arc::new(move |client, t, body| Box::pin(handler(client, t, body))),
        got: Arc::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhooks", listener.local_addr().unwrap());
    let router = Router::new()
        .route("/webhooks", post(receive))
        .with_state(app.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    fake.set_webhook_url(&url).unwrap();
    (fake, app)
}

/// An application that does nothing but acknowledge.
async fn quiet() -> (FakeTelnyx, App) {
    start(|_, _, _| async { Ok(()) }).await
}

/// The call an event is about.
fn call_of(body: &Value) -> String {
    body["data"]["payload"]["call_control_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Answers incoming calls.
async fn answering(client: Client, event_type: String, body: Value) -> Result<(), Error> {
    if event_type == "call.initiated" && body["data"]["payload"]["direction"] == "incoming" {
        client
            .call(call_of(&body))
            .answer(AnswerRequest::new())
            .await?;
    }
    Ok(())
}

fn dial(to: &str) -> CallRequest {
    CallRequest::builder()
        .connection_id("conn")
        .from(ME)
        .to(to)
        .build()
}

async fn dial_with(fake: &FakeTelnyx, request: CallRequest) -> String {
    let created = fake.client().calls().dial(request).await.unwrap();
    created.data.expect("data").call_control_id
}

fn speak(text: &str) -> SpeakRequest {
    SpeakRequest::builder()
        .payload(text)
        .voice("female")
        .build()
}

#[tokio::test]
async fn a_dialled_number_that_answers_after_a_while() {
    let (fake, app) = quiet().await;
    fake.far_end(THEM, FarEnd::new().answers_after(3 * SEC))
        .unwrap();
    let call = dial_with(&fake, dial(THEM)).await;
    assert_eq!(fake.call(&call).unwrap().state, CallState::Ringing);
    fake.settle().await.unwrap();
    assert_eq!(app.events(), ["call.initiated", "call.answered"]);
    assert_eq!(fake.call(&call).unwrap().state, CallState::Answered);
    assert_eq!(fake.now(), 3 * SEC);
    let answered = &app.payloads("call.answered")[0];
    assert_eq!(answered["call_control_id"], call.as_str());
    assert_eq!(answered["to"], THEM);
}

#[tokio::test]
async fn an_unscripted_number_answers_at_once() {
    let (fake, app) = quiet().await;
    let call = dial_with(&fake, dial("+15550000")).await;
    fake.settle().await.unwrap();
    assert_eq!(app.events(), ["call.initiated", "call.answered"]);
    assert_eq!(fake.call(&call).unwrap().state, CallState::Answered);
    assert_eq!(fake.now(), Duration::ZERO);
}

#[tokio::test]
async fn a_busy_number_hangs_up_and_refuses_commands_after() {
    let (fake, app) = quiet().await;
    fake.far_end(THEM, FarEnd::new().busy()).unwrap();
    let call = dial_with(&fake, dial(THEM)).await;
    fake.settle().await.unwrap();
    assert_eq!(app.events(), ["call.initiated", "call.hangup"]);
    assert_eq!(app.payloads("call.hangup")[0]["hangup_cause"], "user_busy");
    let view = fake.call(&call).unwrap();
    assert_eq!(
        (view.state, view.hangup_cause.as_deref()),
        (CallState::HungUp, Some("user_busy"))
    );
    // As the API refuses it: 422, 90018.
    let refused = fake
        .client()
        .call(&call)
        .speak(speak("hello?"))
        .await
        .unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(refused.api_errors()[0].code, "90018");
    assert_eq!(refused.api_errors()[0].title, "Call has already ended");
    assert_eq!(
        fake.commands().len(),
        1,
        "a refused command is not a command"
    );
}

#[tokio::test]
async fn a_command_refused_before_the_call_is_answered_changes_nothing() {
    let (fake, app) = quiet().await;
    let call = fake.incoming_call(THEM, ME, FarEnd::new()).unwrap();
    fake.settle().await.unwrap();
    let early = speak("too soon")
        .client_state_json(&json!({"said": true}))
        .unwrap();
    let refused = fake.client().call(&call).speak(early).await.unwrap_err();
    assert_eq!(refused.api_errors()[0].code, "90034");
    fake.settle().await.unwrap();
    let view = fake.call(&call).unwrap();
    assert_eq!(
        (view.state, view.client_state),
        (CallState::Initiated, None)
    );
    assert_eq!(app.events(), ["call.initiated"]);
}

#[tokio::test]
async fn a_number_that_does_not_answer_times_out_after_timeout_secs() {
    let (fake, app) = quiet().await;
    fake.far_end(THEM, FarEnd::new().no_answer()).unwrap();
    let call = dial_with(&fake, dial(THEM).timeout_secs(12)).await;
    fake.settle().await.unwrap();
    assert_eq!(app.events(), ["call.initiated", "call.hangup"]);
    assert_eq!(app.payloads("call.hangup")[0]["hangup_cause"], "timeout");
    assert_eq!(fake.call(&call).unwrap().ended_at, Some(12 * SEC));
}

#[tokio::test]
async fn a_machine_is_detected_only_when_detection_was_asked_for() {
    let (fake, app) = quiet().await;
    fake.far_end(THEM, FarEnd::new().machine()).unwrap();
    let detect =
        dial(THEM).answering_machine_detection(CallRequestAnsweringMachineDetection::DetectBeep);
    dial_with(&fake, detect).await;
    fake.settle().await.unwrap();
    assert_eq!(
        app.events(),
        [
            "call.initiated",
            "call.answered",
            "call.machine.detection.ended",
            "call.machine.greeting.ended"
        ]
    );
    assert_eq!(
        app.payloads("call.machine.detection.ended")[0]["result"],
        "machine"
    );
    assert_eq!(
        app.payloads("call.machine.greeting.ended")[0]["result"],
        "beep_detected"
    );

    // The same machine, dialled without detection: no detection event.
    dial_with(&fake, dial(THEM)).await;
    fake.settle().await.unwrap();
    assert_eq!(app.events().len(), 6);
    assert_eq!(app.events()[4..], ["call.initiated", "call.answered"]);
}

#[tokio::test]
async fn a_person_is_detected_as_human() {
    let (fake, app) = quiet().await;
    fake.far_end(THEM, FarEnd::new().human().answers_after(SEC))
        .unwrap();
    let detect =
        dial(THEM).answering_machine_detection(CallRequestAnsweringMachineDetection::Detect);
    dial_with(&fake, detect).await;
    fake.settle().await.unwrap();
    assert_eq!(
        app.events(),
        [
            "call.initiated",
            "call.answered",
            "call.machine.detection.ended"
        ]
    );
    assert_eq!(
        app.payloads("call.machine.detection.ended")[0]["result"],
        "human"
    );
}

/// Answers, then gathers one digit with a spoken menu.
async fn menu(client: Client, event_type: String, body: Value) -> Result<(), Error> {
    answering(client.clone(), event_type.clone(), body.clone()).await?;
    if event_type == "call.answered" {
        let gather = GatherUsingSpeakRequest::builder()
            .payload("Press one.")
            .voice("female")
            .build()
            .maximum_digits(1)
            .valid_digits("12");
        client
            .call(call_of(&body))
            .gather_using_speak(gather)
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn a_caller_presses_a_digit_at_the_menu() {
    let (fake, app) = start(menu).await;
    let call = fake
        .incoming_call(THEM, ME, FarEnd::new().presses("1"))
        .unwrap();
    fake.settle().await.unwrap();
    assert_eq!(
        app.events(),
        [
            "call.initiated",
            "call.answered",
            "call.dtmf.received",
            "call.gather.ended"
        ]
    );
    assert_eq!(app.payloads("call.dtmf.received")[0]["digit"], "1");
    let ended = &app.payloads("call.gather.ended")[0];
    assert_eq!(
        (&ended["digits"], &ended["status"]),
        (&json!("1"), &json!("valid"))
    );
    assert_eq!(ended["call_control_id"], call.as_str());
    assert_eq!(ended["from"], THEM);
}

#[tokio::test]
async fn a_caller_who_presses_what_the_menu_does_not_offer_is_asked_again() {
    let (fake, app) = start(menu).await;
    fake.incoming_call(THEM, ME, FarEnd::new().presses("7").presses("2"))
        .unwrap();
    fake.settle().await.unwrap();
    let ended = app.payloads("call.gather.ended");
    assert_eq!(ended.len(), 1, "the second try is within the same gather");
    assert_eq!(
        (&ended[0]["digits"], &ended[0]["status"]),
        (&json!("2"), &json!("valid"))
    );
    assert_eq!(app.payloads("call.dtmf.received").len(), 2);
}

#[tokio::test]
async fn a_caller_hangs_up_after_a_while_and_later_commands_are_refused() {
    let (fake, app) = start(answering).await;
    let call = fake
        .incoming_call(THEM, ME, FarEnd::new().hangs_up_after(5 * SEC))
        .unwrap();
    fake.settle().await.unwrap();
    assert_eq!(
        app.events(),
        ["call.initiated", "call.answered", "call.hangup"]
    );
    let hangup = &app.payloads("call.hangup")[0];
    assert_eq!(hangup["hangup_source"], "caller");
    assert_eq!(hangup["hangup_cause"], "normal_clearing");
    assert_eq!(fake.call(&call).unwrap().ended_at, Some(5 * SEC));
    let refused = fake
        .client()
        .call(&call)
        .hangup(HangupRequest::new())
        .await
        .unwrap_err();
    assert_eq!(refused.api_errors()[0].code, "90018");
}

#[tokio::test]
async fn advance_runs_only_what_is_due_in_that_time() {
    let (fake, app) = start(answering).await;
    fake.incoming_call(THEM, ME, FarEnd::new().hangs_up_after(60 * SEC))
        .unwrap();
    fake.advance(10 * SEC).await.unwrap();
    assert_eq!(app.events(), ["call.initiated", "call.answered"]);
    assert_eq!(fake.now(), 10 * SEC);
    fake.settle().await.unwrap();
    assert_eq!(app.events().last().map(String::as_str), Some("call.hangup"));
    assert_eq!(fake.now(), 60 * SEC);
}

#[tokio::test]
async fn speech_plays_one_after_another_and_ends_with_call_hangup_when_the_call_does() {
    let (fake, app) = start(answering).await;
    let call = fake
        .incoming_call(THEM, ME, FarEnd::new().hangs_up_after(3 * SEC))
        .unwrap();
    fake.advance(Duration::ZERO).await.unwrap();
    let handle = fake.client().call(&call);
    // Two seconds of speech each (five words at 0.4 s): the second starts when the first ends.
    handle
        .speak(speak("one two three four five"))
        .await
        .unwrap();
    handle
        .speak(speak("six seven eight nine ten"))
        .await
        .unwrap();
    fake.settle().await.unwrap();
    assert_eq!(
        app.events()[2..],
        [
            "call.speak.started",
            "call.speak.ended",
            "call.speak.started",
            "call.speak.ended",
            "call.hangup"
        ]
    );
    let ended = app.payloads("call.speak.ended");
    assert_eq!(ended[0]["status"], "completed");
    assert_eq!(ended[1]["status"], "call_hangup");
}

fn recording() -> StartRecordingRequest {
    StartRecordingRequest::builder()
        .channels(StartRecordingRequestChannels::Single)
        .format(StartRecordingRequestFormat::Mp3)
        .build()
}

#[tokio::test]
async fn a_recording_is_saved_when_it_stops_or_the_call_ends_and_only_then() {
    let (fake, app) = start(answering).await;
    let call = fake.incoming_call(THEM, ME, FarEnd::new()).unwrap();
    fake.settle().await.unwrap();
    let handle = fake.client().call(&call);
    handle.record_start(recording()).await.unwrap();
    fake.settle().await.unwrap();
    assert!(
        app.payloads("call.recording.saved").is_empty(),
        "not before it stops"
    );
    handle
        .record_stop(StopRecordingRequest::new())
        .await
        .unwrap();
    fake.settle().await.unwrap();
    assert_eq!(app.payloads("call.recording.saved").len(), 1);
    // Started again, saved at hangup, after `call.hangup`; never a transcription unasked.
    handle.record_start(recording()).await.unwrap();
    handle.hangup(HangupRequest::new()).await.unwrap();
    fake.settle().await.unwrap();
    assert_eq!(
        app.events()[app.events().len() - 2..],
        ["call.hangup", "call.recording.saved"]
    );
    assert!(app
        .payloads("call.recording.transcription.saved")
        .is_empty());
}

#[tokio::test]
async fn a_transcription_comes_only_when_the_recording_asked_for_one() {
    let (fake, app) = start(answering).await;
    let call = fake.incoming_call(THEM, ME, FarEnd::new()).unwrap();
    fake.settle().await.unwrap();
    let handle = fake.client().call(&call);
    handle
        .record_start(recording().transcription(true))
        .await
        .unwrap();
    handle.hangup(HangupRequest::new()).await.unwrap();
    fake.settle().await.unwrap();
    assert!(app.events().ends_with(&[
        "call.hangup".to_owned(),
        "call.recording.saved".to_owned(),
        "call.recording.transcription.saved".to_owned()
    ]));
    // A plain hangup saves nothing.
    let other = fake.incoming_call(THEM, ME, FarEnd::new()).unwrap();
    fake.settle().await.unwrap();
    fake.client()
        .call(&other)
        .hangup(HangupRequest::new())
        .await
        .unwrap();
    fake.settle().await.unwrap();
    assert_eq!(app.payloads("call.recording.saved").len(), 1);
}

#[tokio::test]
async fn a_bridge_joins_two_calls_and_a_hangup_ends_both() {
    let (fake, app) = start(answering).await;
    let caller = fake.incoming_call(THEM, ME, FarEnd::new()).unwrap();
    fake.settle().await.unwrap();
    let agent = dial_with(&fake, dial("+15550111")).await;
    fake.settle().await.unwrap();
    fake.client()
        .call(&caller)
        .bridge(
            BridgeRequest::builder()
                .call_control_id(agent.as_str())
                .build(),
        )
        .await
        .unwrap();
    fake.settle().await.unwrap();
    let bridged: Vec<String> = app
        .payloads("call.bridged")
        .iter()
        .map(|p| p["call_control_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(bridged, [caller.clone(), agent.clone()]);
    assert_eq!(
        fake.call(&caller).unwrap().bridged_with.as_deref(),
        Some(agent.as_str())
    );
    fake.client()
        .call(&agent)
        .hangup(HangupRequest::new())
        .await
        .unwrap();
    fake.settle().await.unwrap();
    let hung_up: Vec<String> = app
        .payloads("call.hangup")
        .iter()
        .map(|p| p["call_control_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(hung_up, [agent, caller.clone()]);
    assert_eq!(fake.call(&caller).unwrap().state, CallState::HungUp);
}

#[tokio::test]
async fn a_transfer_makes_a_new_leg_with_its_own_id_that_is_bridged_when_it_answers() {
    let (fake, app) = start(answering).await;
    let caller = fake.incoming_call(THEM, ME, FarEnd::new()).unwrap();
    fake.settle().await.unwrap();
    fake.far_end("+15550111", FarEnd::new().answers_after(2 * SEC))
        .unwrap();
    fake.client()
        .call(&caller)
        .transfer(TransferCallRequest::builder().to("+15550111").build())
        .await
        .unwrap();
    fake.settle().await.unwrap();

    let initiated: Vec<String> = app
        .payloads("call.initiated")
        .iter()
        .map(|p| p["call_control_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(initiated.len(), 2, "{initiated:?}");
    let leg = initiated[1].clone();
    assert_ne!(leg, caller);
    let (a, b) = (fake.call(&caller).unwrap(), fake.call(&leg).unwrap());
    assert_eq!(b.to, "+15550111");
    assert_eq!(b.call_session_id, a.call_session_id);
    assert_eq!(a.bridged_with.as_deref(), Some(leg.as_str()));
    assert_eq!(b.bridged_with.as_deref(), Some(caller.as_str()));
    let bridged: Vec<String> = app
        .payloads("call.bridged")
        .iter()
        .map(|p| p["call_control_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(bridged.len(), 2, "{bridged:?}");
    assert!(bridged.contains(&caller) && bridged.contains(&leg));
}

#[tokio::test]
async fn a_conference_keeps_who_is_in_it_muted_or_on_hold_and_ends_when_everyone_left() {
    let (fake, app) = start(answering).await;
    let first = fake.incoming_call(THEM, ME, FarEnd::new()).unwrap();
    let second = fake.incoming_call("+15550124", ME, FarEnd::new()).unwrap();
    fake.settle().await.unwrap();
    let client = fake.client();
    let created = client
        .conferences()
        .create(
            CreateConferenceRequest::builder()
                .call_control_id(first.as_str())
                .name("standup")
                .build(),
        )
        .await
        .unwrap();
    let id = created.data.expect("data").id;
    let conference = client.conference(&id);
    conference
        .join(
            JoinConferenceRequest::builder()
                .call_control_id(second.as_str())
                .build()
                .hold(true),
        )
        .await
        .unwrap();
    conference
        .mute(ConferenceMuteRequest::new().call_control_ids(vec![second.clone()]))
        .await
        .unwrap();
    fake.settle().await.unwrap();
    let view = fake.conference("standup").expect("by name");
    assert_eq!(view.id, id);
    let members: Vec<(&str, bool, bool)> = view
        .participants
        .iter()
        .map(|p| (p.call_control_id.as_str(), p.muted, p.on_hold))
        .collect();
    assert_eq!(
        members,
        [
            (first.as_str(), false, false),
            (second.as_str(), true, true)
        ]
    );
    let listed = conference.list_participants().await.unwrap();
    assert_eq!(listed.data.map(|d| d.len()), Some(2));

    conference
        .leave(
            LeaveConferenceRequest::builder()
                .call_control_id(second.as_str())
                .build(),
        )
        .await
        .unwrap();
    client
        .call(&first)
        .hangup(HangupRequest::new())
        .await
        .unwrap();
    fake.settle().await.unwrap();
    let conference_events: Vec<String> = app
        .events()
        .into_iter()
        .filter(|e| e.starts_with("conference."))
        .collect();
    assert_eq!(
        conference_events,
        [
            "conference.created",
            "conference.participant.joined",
            "conference.participant.joined",
            "conference.participant.left",
            "conference.participant.left",
            "conference.ended"
        ]
    );
    assert!(fake.conference(&id).unwrap().ended);
    let refused = conference
        .mute(ConferenceMuteRequest::new())
        .await
        .unwrap_err();
    assert_eq!(refused.api_errors()[0].code, "90019");
}

#[tokio::test]
async fn a_queue_keeps_its_order_and_positions_move_up() {
    let (fake, app) = start(answering).await;
    let first = fake.incoming_call(THEM, ME, FarEnd::new()).unwrap();
    let second = fake.incoming_call("+15550124", ME, FarEnd::new()).unwrap();
    fake.settle().await.unwrap();
    let client = fake.client();
    for call in [&first, &second] {
        client
            .call(call)
            .enqueue(EnqueueRequest::builder().queue_name("support").build())
            .await
            .unwrap();
    }
    let again = client
        .call(&first)
        .enqueue(EnqueueRequest::builder().queue_name("support").build())
        .await
        .unwrap_err();
    assert_eq!(again.api_errors()[0].code, "90038");
    let positions: Vec<Value> = app
        .payloads("call.enqueued")
        .iter()
        .map(|p| p["current_position"].clone())
        .collect();
    assert_eq!(positions, [json!(1), json!(2)]);
    client
        .call(&first)
        .leave_queue(LeaveQueueRequest::new())
        .await
        .unwrap();
    fake.settle().await.unwrap();
    assert_eq!(
        fake.queue("support").unwrap().calls,
        std::slice::from_ref(&second)
    );
    assert_eq!(
        fake.call(&second).unwrap().queue,
        Some(("support".to_owned(), 1))
    );
    let waiting = client
        .queues()
        .retrieve_call("support", &second)
        .await
        .unwrap();
    assert_eq!(waiting.data.expect("data").queue_position, 1);
    assert_eq!(app.payloads("call.dequeued")[0]["reason"], "leave");
}

#[tokio::test]
async fn a_script_that_contradicts_itself_is_refused_naming_the_step() {
    let (fake, _app) = quiet().await;
    let refused = fake
        .incoming_call(THEM, ME, FarEnd::new().hangs_up_after(SEC).presses("1"))
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "step 2 `presses(\"1\")`: nothing can follow `hangs_up_after(1s)` at step 1"
    );
    let refused = fake
        .far_end(THEM, FarEnd::new().human().presses("1").busy())
        .unwrap_err();
    assert!(
        matches!(refused, ScriptError::Step { step: 3, .. }),
        "{refused}"
    );
    let plain = FakeTelnyx::start().await.unwrap();
    assert_eq!(
        plain.incoming_call(THEM, ME, FarEnd::new()).unwrap_err(),
        ScriptError::NotSimulating
    );
}

#[tokio::test]
async fn a_step_no_one_used_is_reported_by_settle_naming_it() {
    // The application answers and hangs up at once: the caller's digits have no gather to go to.
    let (fake, _app) = start(|client, event_type, body| async move {
        answering(client.clone(), event_type.clone(), body.clone()).await?;
        if event_type == "call.answered" {
            client
                .call(call_of(&body))
                .hangup(HangupRequest::new())
                .await?;
        }
        Ok(())
    })
    .await;
    let call = fake
        .incoming_call(THEM, ME, FarEnd::new().presses("1"))
        .unwrap();
    let report = fake.settle().await.unwrap_err();
    let SettleError::Script {
        unused, given_up, ..
    } = &report
    else {
        panic!("{report}");
    };
    assert!(given_up.is_empty());
    assert_eq!(
        (unused[0].call.as_str(), unused[0].step),
        (call.as_str(), 1)
    );
    let message = report.to_string();
    assert!(
        message.starts_with(&format!("the far end of {call} ({THEM}): step 1 `presses(\"1\")` was never used: the call ended first (at 0.0s: hung up by the application)")),
        "{message}"
    );
    // Reported once.
    fake.settle().await.unwrap();
}

#[tokio::test]
async fn a_gather_on_a_call_the_caller_hung_up_first_is_an_error_not_a_hang() {
    // Greets at length, then gathers when the greeting ends: the caller is gone by then.
    let (fake, _app) = start(|client, event_type, body| async move {
        answering(client.clone(), event_type.clone(), body.clone()).await?;
        let call = client.call(call_of(&body));
        match event_type.as_str() {
            "call.answered" => {
                call.speak(speak("Welcome to a very long and winding greeting indeed"))
                    .await?;
            }
            "call.speak.ended" => {
                let gather = GatherUsingSpeakRequest::builder()
                    .payload("Press 1")
                    .voice("female")
                    .build();
                call.gather_using_speak(gather).await?;
            }
            _ => {}
        }
        Ok(())
    })
    .await;
    fake.incoming_call(THEM, ME, FarEnd::new().hangs_up_after(SEC))
        .unwrap();
    let report = fake.settle().await.unwrap_err();
    assert!(
        matches!(report, SettleError::Deliveries { ref given_up, .. } if given_up.len() == 1),
        "{report}"
    );
    // The delivery and its redelivery each got one 90018, which the client does not retry.
    let gathers: Vec<u16> = fake
        .requests()
        .iter()
        .filter(|r| r.operation == Some(Operation::GatherUsingSpeak))
        .map(|r| r.status)
        .collect();
    assert_eq!(gathers, [422, 422], "refused as 90018, not retried");
}

#[tokio::test]
async fn settle_says_what_it_was_still_waiting_for() {
    let fake = FakeTelnyx::builder()
        .simulate(true)
        .settle_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    // An application that never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhooks", listener.local_addr().unwrap());
    let router = Router::new().route(
        "/webhooks",
        post(|| async { std::future::pending::<StatusCode>().await }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    fake.set_webhook_url(&url).unwrap();
    fake.incoming_call(THEM, ME, FarEnd::new().hangs_up_after(SEC))
        .unwrap();
    let report = fake.settle().await.unwrap_err();
    let SettleError::Timeout {
        waiting_for, next, ..
    } = &report
    else {
        panic!("{report}");
    };
    assert_eq!(waiting_for, &["the delivery of `callInitiated`"]);
    assert!(
        next.as_deref()
            .is_some_and(|n| n.starts_with("step 1 of the far end of v3:")),
        "{next:?}"
    );
}

#[tokio::test]
async fn what_each_operation_does_is_documented() {
    assert!(Operation::Hangup
        .simulation()
        .contains("`call.recording.saved`"));
    assert!(Operation::RecordStart
        .simulation()
        .contains("nothing is sent until the recording stops"));
    let unmodelled = Operation::ALL
        .iter()
        .filter(|op| op.simulation().starts_with("Not modelled"))
        .count();
    assert!(unmodelled < Operation::ALL.len() / 2, "{unmodelled}");
}

/// The client state of an event's payload, decoded.
fn state_of(payload: &Value) -> Option<Value> {
    payload["client_state"]
        .as_str()
        .map(|s| decode_json(s).expect("JSON in base64"))
}

/// When, in the simulation's time, the first delivery of `event_type` was made.
fn delivered_at(fake: &FakeTelnyx, event_type: &str) -> Option<Duration> {
    fake.deliveries()
        .into_iter()
        .find(|d| d.event_type.as_deref() == Some(event_type))
        .map(|d| d.at)
}

#[tokio::test]
async fn a_dial_retried_after_a_lost_answer_names_the_one_call_it_made() {
    let builder = FakeTelnyx::builder()
        .simulate(true)
        .client_timeout(Duration::from_millis(300));
    let (fake, app) = start_with(builder, |_| |_, _, _| async { Ok(()) }).await;
    fake.fail(Operation::Dial, Fault::drop_answer());
    let call = dial_with(&fake, dial(THEM)).await;
    fake.settle().await.unwrap();
    let calls = fake.calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(
        call, calls[0].call_control_id,
        "the retry's answer names the call"
    );
    assert_eq!(
        app.payloads("call.answered")[0]["call_control_id"],
        call.as_str()
    );
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn conference_webhooks_carry_the_conferences_client_state_not_the_joining_legs() {
    let (fake, app) = start(answering).await;
    let host = fake.incoming_call(THEM, ME, FarEnd::new()).unwrap();
    let guest = fake.incoming_call("+15550124", ME, FarEnd::new()).unwrap();
    fake.settle().await.unwrap();
    let client = fake.client();
    let create = CreateConferenceRequest::builder()
        .call_control_id(host.as_str())
        .name("room")
        .build()
        .client_state_json(&json!({"room": 1}))
        .unwrap();
    let id = client
        .conferences()
        .create(create)
        .await
        .unwrap()
        .data
        .expect("data")
        .id;
    let join = JoinConferenceRequest::builder()
        .call_control_id(guest.as_str())
        .build()
        .client_state_json(&json!({"guest": true}))
        .unwrap();
    client.conference(&id).join(join).await.unwrap();
    client.call(&guest).speak(speak("hi")).await.unwrap();
    fake.settle().await.unwrap();
    // Every conference webhook carries the conference's state, the guest's joining included.
    let joined = app.payloads("conference.participant.joined");
    assert_eq!(joined.len(), 2);
    assert_eq!(joined[1]["call_control_id"], guest.as_str());
    for payload in app.payloads("conference.created").iter().chain(&joined) {
        assert_eq!(state_of(payload), Some(json!({"room": 1})), "{payload}");
    }
    // The guest's leg carries its own from the join on.
    let spoke = &app.payloads("call.speak.started")[0];
    assert_eq!(state_of(spoke), Some(json!({"guest": true})));
    assert_eq!(
        fake.call(&host)
            .unwrap()
            .client_state
            .map(|s| decode_json::<Value>(&s).unwrap()),
        Some(json!({"room": 1})),
        "the create's state is the creator leg's too"
    );
}

#[tokio::test]
async fn speech_queued_behind_speech_starts_when_it_ends_and_ends_with_the_call() {
    // Hangs up when the first speech ends: the second has started by then, in the same moment.
    let (fake, app) = start(|client, event_type, body| async move {
        let payload = &body["data"]["payload"];
        if event_type == "call.speak.ended" && payload["status"] == "completed" {
            client
                .call(call_of(&body))
                .hangup(HangupRequest::new())
                .await?;
        }
        Ok(())
    })
    .await;
    let call = fake.incoming_call(THEM, ME, FarEnd::new()).unwrap();
    fake.settle().await.unwrap();
    let handle = fake.client().call(&call);
    handle.answer(AnswerRequest::new()).await.unwrap();
    handle.speak(speak("first words")).await.unwrap();
    handle.speak(speak("second words")).await.unwrap();
    fake.settle().await.unwrap();
    assert_eq!(
        app.events()[2..],
        [
            "call.speak.started",
            "call.speak.ended",
            "call.speak.started",
            "call.speak.ended",
            "call.hangup"
        ]
    );
    let statuses: Vec<Value> = app
        .payloads("call.speak.ended")
        .iter()
        .map(|p| p["status"].clone())
        .collect();
    assert_eq!(statuses, [json!("completed"), json!("call_hangup")]);
}

#[tokio::test]
async fn on_replaces_the_simulators_reaction_wholly_and_the_simulation_takes_in_its_events() {
    // Speaks when a call is answered.
    let (fake, app) = start(|client, event_type, body| async move {
        if event_type == "call.answered" {
            client.call(call_of(&body)).speak(speak("hello")).await?;
        }
        Ok(())
    })
    .await;
    fake.far_end(THEM, FarEnd::new().machine()).unwrap();
    fake.on(Operation::Dial, |_| {
        vec![
            events::CallInitiatedDelivery::example().into(),
            events::CallAnsweredDelivery::example().into(),
        ]
    });
    let detect =
        dial(THEM).answering_machine_detection(CallRequestAnsweringMachineDetection::DetectBeep);
    let call = dial_with(&fake, detect).await;
    fake.settle().await.expect("the speak was accepted");
    // The test's events, once each; nothing of the simulator's (no second answer, no detection).
    assert_eq!(
        app.events(),
        [
            "call.initiated",
            "call.answered",
            "call.speak.started",
            "call.speak.ended"
        ]
    );
    // The test's `call.answered` answered the simulated call, so the speak was not refused.
    assert_eq!(fake.call(&call).unwrap().state, CallState::Answered);
    let answered = &app.payloads("call.answered")[0];
    assert_eq!(answered["call_control_id"], call.as_str());
    // In the simulation's time, as the simulator's own events.
    let occurred = |t: &str| {
        app.got
            .lock()
            .unwrap()
            .iter()
            .find(|(e, _)| e == t)
            .map(|(_, b)| b["data"]["occurred_at"].clone())
    };
    assert_eq!(occurred("call.answered"), occurred("call.speak.started"));

    // A gather the test answers: the simulator opens none, so the hangup ends nothing more.
    fake.on(Operation::GatherUsingSpeak, |_| {
        vec![events::CallGatherEndedDelivery::example()
            .digits("1")
            .into()]
    });
    let handle = fake.client().call(&call);
    let gather = GatherUsingSpeakRequest::builder()
        .payload("Press one.")
        .voice("female")
        .build();
    handle.gather_using_speak(gather).await.unwrap();
    fake.settle().await.unwrap();
    handle.hangup(HangupRequest::new()).await.unwrap();
    fake.settle().await.unwrap();
    assert_eq!(app.payloads("call.gather.ended").len(), 1);
    assert_eq!(app.events().last().map(String::as_str), Some("call.hangup"));

    // Refused as the simulator refuses it: the call has ended.
    let refused = handle
        .gather_using_speak(
            GatherUsingSpeakRequest::builder()
                .payload("Again?")
                .voice("female")
                .build(),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.api_errors()[0].code, "90018");
}

#[tokio::test]
async fn machine_detection_and_the_greeting_take_their_time() {
    let (fake, _app) = quiet().await;
    fake.far_end(
        THEM,
        FarEnd::new()
            .machine()
            .greeting(Duration::from_secs(8))
            .answers_after(2 * SEC),
    )
    .unwrap();
    let detect =
        dial(THEM).answering_machine_detection(CallRequestAnsweringMachineDetection::DetectBeep);
    dial_with(&fake, detect).await;
    fake.settle().await.unwrap();
    // Answered at 2 s; a greeting longer than 3.5 s is a machine's; its beep 8 s into it.
    assert_eq!(delivered_at(&fake, "call.answered"), Some(2 * SEC));
    assert_eq!(
        delivered_at(&fake, "call.machine.detection.ended"),
        Some(Duration::from_millis(5500))
    );
    assert_eq!(
        delivered_at(&fake, "call.machine.greeting.ended"),
        Some(10 * SEC)
    );

    // A person: their "Hello?" and a silence, then the verdict.
    fake.far_end("+15550777", FarEnd::new().human()).unwrap();
    let detect =
        dial("+15550777").answering_machine_detection(CallRequestAnsweringMachineDetection::Detect);
    let start = fake.now();
    dial_with(&fake, detect).await;
    fake.settle().await.unwrap();
    let human = fake
        .deliveries()
        .into_iter()
        .filter(|d| d.event_type.as_deref() == Some("call.machine.detection.ended"))
        .nth(1)
        .expect("the person's detection");
    assert_eq!(human.at - start, Duration::from_millis(1800));
}

#[tokio::test]
async fn a_busy_number_is_called_back_ten_minutes_later_on_the_simulations_clock() {
    const LATER: Duration = Duration::from_secs(600);
    let builder = FakeTelnyx::builder().simulate(true);
    let (fake, app) = start_with(builder, |fake| {
        let clock = fake.clock();
        move |client: Client, event_type: String, body: Value| {
            let clock = clock.clone();
            async move {
                let busy = body["data"]["payload"]["hangup_cause"] == "user_busy";
                if event_type == "call.hangup" && busy {
                    // "Call back in ten minutes", on the simulation's time.
                    clock.after(LATER, async move {
                        client.calls().dial(dial(THEM)).await.expect("dialled");
                    });
                }
                Ok(())
            }
        }
    })
    .await;
    fake.far_end_sequence(
        THEM,
        [
            FarEnd::new().busy(),
            FarEnd::new().busy(),
            FarEnd::new().answers_after(SEC),
        ],
    )
    .unwrap();
    dial_with(&fake, dial(THEM)).await;
    fake.advance(LATER - SEC).await.unwrap();
    assert_eq!(fake.calls().len(), 1, "not yet");
    fake.advance(SEC).await.unwrap();
    assert_eq!(fake.calls().len(), 2, "ten minutes on");
    fake.settle().await.unwrap();
    let calls = fake.calls();
    let started: Vec<Duration> = calls.iter().map(|c| c.started_at).collect();
    assert_eq!(started, [Duration::ZERO, LATER, 2 * LATER]);
    let causes: Vec<Option<&str>> = calls.iter().map(|c| c.hangup_cause.as_deref()).collect();
    assert_eq!(causes, [Some("user_busy"), Some("user_busy"), None]);
    assert_eq!(calls[2].state, CallState::Answered);
    assert_eq!(app.payloads("call.answered").len(), 1);
    assert_eq!(fake.now(), 2 * LATER + SEC);
}

#[tokio::test]
async fn a_transfers_new_leg_carries_the_target_leg_client_state() {
    let (fake, app) = start(answering).await;
    let caller = fake.incoming_call(THEM, ME, FarEnd::new()).unwrap();
    fake.settle().await.unwrap();
    let transfer = TransferCallRequest::builder()
        .to("+15550111")
        .build()
        .target_leg_client_state_json(&json!({"leg": "operator"}))
        .unwrap();
    fake.client()
        .call(&caller)
        .transfer(transfer)
        .await
        .unwrap();
    fake.settle().await.unwrap();
    let initiated = app.payloads("call.initiated");
    assert_eq!(initiated.len(), 2);
    assert_eq!(state_of(&initiated[1]), Some(json!({"leg": "operator"})));
    assert_eq!(
        state_of(&initiated[0]),
        None,
        "the caller's leg keeps its own"
    );
}

#[tokio::test]
async fn advance_until_stops_at_the_command_the_test_waits_for() {
    let (fake, app) = start(menu).await;
    let call = fake
        .incoming_call(THEM, ME, FarEnd::new().presses("1"))
        .unwrap();
    let gather = fake
        .advance_until(|c| c.operation() == Operation::GatherUsingSpeak)
        .await
        .unwrap();
    assert_eq!(gather.call_control_id(), Some(call.as_str()));
    assert!(
        app.payloads("call.gather.ended").is_empty(),
        "the caller has not pressed yet"
    );
    let report = fake
        .advance_until(|c| c.operation() == Operation::Transfer)
        .await
        .unwrap_err();
    assert!(
        matches!(report, SettleError::NoSuchCommand { .. }),
        "{report}"
    );
    assert_eq!(
        app.payloads("call.gather.ended").len(),
        1,
        "it ran to the end"
    );
}

#[tokio::test]
async fn a_failed_settle_shows_the_timeline_of_the_calls_involved() {
    // Answers, then hangs up at once: the caller's digit has no gather to go to.
    let (fake, _app) = start(|client, event_type, body| async move {
        answering(client.clone(), event_type.clone(), body.clone()).await?;
        if event_type == "call.answered" {
            client
                .call(call_of(&body))
                .hangup(HangupRequest::new())
                .await?;
        }
        Ok(())
    })
    .await;
    let call = fake
        .incoming_call(THEM, ME, FarEnd::new().presses("1"))
        .unwrap();
    let report = fake.settle().await.unwrap_err();
    let message = report.to_string();
    let timeline = message
        .split_once("\n\ntimeline:\n")
        .map(|(_, t)| t)
        .unwrap_or_else(|| panic!("{message}"));
    let lines: Vec<&str> = timeline.lines().map(str::trim).collect();
    let expected = [
        format!("0.0s  {call}  call from {THEM} to {ME}: Initiated"),
        format!("0.0s  {call}  event call.initiated → 200 (attempt 1)"),
        format!("0.0s  {call}  command Answer → 200"),
        format!("0.0s  {call}  state Initiated → Answered"),
        format!("0.0s  {call}  event call.answered → 200 (attempt 1)"),
    ];
    for line in &expected {
        assert!(
            lines.contains(&line.as_str()),
            "no `{line}` in:\n{timeline}"
        );
    }
    assert!(timeline.contains("command Hangup → 200"), "{timeline}");
    assert!(timeline.contains("state Answered → HungUp"), "{timeline}");
    assert_eq!(report.timeline().entries.len(), lines.len());
}

#[tokio::test]
async fn a_calls_webhook_retries_policy_schedules_the_redeliveries_of_its_events() {
    // Refuses the first two `call.answered` it gets: its command for them fails (a call the
    // simulation does not know, 90015).
    let refused = Arc::new(Mutex::new(0));
    let (fake, _app) = start({
        let refused = refused.clone();
        move |client: Client, event_type, _| {
            let refused = refused.clone();
            async move {
                let refuse = {
                    let mut refused = refused.lock().unwrap();
                    *refused += usize::from(event_type == "call.answered");
                    event_type == "call.answered" && *refused <= 2
                };
                if refuse {
                    client
                        .call("v3:no-such-call")
                        .hangup(HangupRequest::new())
                        .await?;
                }
                Ok(())
            }
        }
    })
    .await;
    let policy = CallRequestWebhookRetriesPoliciesValue::new().retries_ms(vec![500, 1500]);
    let request = dial(THEM).webhook_retries_policies([("call.answered".to_owned(), policy)]);
    dial_with(&fake, request).await;
    fake.settle().await.expect("accepted on the third attempt");
    let answered: Vec<(Duration, Option<u16>, u32)> = fake
        .deliveries()
        .into_iter()
        .filter(|d| d.event_type.as_deref() == Some("call.answered"))
        .map(|d| (d.at, d.status, d.attempt))
        .collect();
    assert_eq!(
        answered,
        [
            (Duration::ZERO, Some(500), 1),
            (Duration::from_millis(500), Some(500), 2),
            (Duration::from_secs(2), Some(200), 3)
        ]
    );
}

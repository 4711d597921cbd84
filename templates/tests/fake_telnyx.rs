//! The fake Telnyx without its call simulator: requests checked as the API checks them and recorded
//! as they arrive, faults on demand (a lost answer among them), signed and forged deliveries, and the
//! events a test says follow a command. The simulator has `tests/simulator.rs`.
#![cfg(feature = "testing")]

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use telnyx_call_control::reqwest::Method;
use telnyx_call_control::testing::{
    events, Event, FakeTelnyx, Fault, Forgery, Operation, SendError, SettleError,
};
use telnyx_call_control::types::{
    CallRequest, HangupRequest, SpeakRequest, SpeakRequestPayloadType, StopRecordingRequest,
};
use telnyx_call_control::webhooks::{Verifier, WebhookEvent};
use telnyx_call_control::{Client, Error};

const CALL: &str = "v3:fake-test-call";
/// The `id` of the spec's examples of events.
const EXAMPLE_ID: &str = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0";

fn speak(text: &str) -> SpeakRequest {
    SpeakRequest::builder()
        .payload(text)
        .voice("female")
        .build()
}

/// Posts `body` as JSON to a call action, bypassing the types.
async fn raw(fake: &FakeTelnyx, action: &str, body: Value) -> Error {
    fake.client()
        .request::<Value, Value>(
            Method::POST,
            &format!("/calls/{CALL}/actions/{action}"),
            Some(&body),
        )
        .await
        .expect_err("the fake refuses it")
}

fn pointers(error: &Error) -> Vec<String> {
    error
        .api_errors()
        .iter()
        .map(|e| {
            e.source
                .as_ref()
                .and_then(|s| s.pointer.clone())
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn a_valid_command_is_recorded_typed_and_answered_with_the_example() {
    let fake = FakeTelnyx::start().await.unwrap();
    let answer = fake
        .client()
        .call(CALL)
        .speak(speak("hello"))
        .await
        .unwrap();
    assert_eq!(answer.data.and_then(|d| d.result).as_deref(), Some("ok"));
    let commands = fake.commands();
    assert_eq!(commands.len(), 1);
    assert_eq!(commands[0].operation(), Operation::Speak);
    assert_eq!(commands[0].call_control_id(), Some(CALL));
    let body: &SpeakRequest = commands[0].body().expect("typed as the request type");
    assert_eq!(body.payload, "hello");
    // The client filled a command_id, and the fake saw it.
    assert!(body.command_id.as_deref().is_some_and(|id| id.len() == 36));
    // The wrong type is an error that names the right one.
    let wrong = commands[0].body::<HangupRequest>().unwrap_err();
    assert_eq!(
        wrong.to_string(),
        "the body of Speak is a `SpeakRequest`, not a `HangupRequest`"
    );
}

#[tokio::test]
async fn bodies_the_api_would_refuse_get_422_naming_the_field() {
    let fake = FakeTelnyx::start().await.unwrap();
    let missing = raw(&fake, "speak", json!({"voice": "female"})).await;
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(pointers(&missing), ["/payload"]);
    assert_eq!(missing.api_errors()[0].code, "10004");

    let wrong_type = raw(&fake, "speak", json!({"payload": 1, "voice": "female"})).await;
    assert_eq!(pointers(&wrong_type), ["/payload"]);
    assert!(wrong_type.api_errors()[0]
        .detail
        .as_deref()
        .is_some_and(|d| d.contains("must be a string")));

    // An enum value the spec does not list, sent through the types (they keep unknown values).
    let unknown = fake
        .client()
        .call(CALL)
        .speak(speak("hi").payload_type(SpeakRequestPayloadType::Unknown("markdown".into())))
        .await
        .unwrap_err();
    assert_eq!(pointers(&unknown), ["/payload_type"]);

    let nested = raw(
        &fake,
        "speak",
        json!({"payload": "x", "voice": "female", "voice_settings": {"type": "elevenlabs", "api_key_ref": 5}}),
    )
    .await;
    assert_eq!(pointers(&nested), ["/voice_settings/api_key_ref"]);
    assert!(fake.commands().is_empty(), "{:?}", fake.commands());
}

#[tokio::test]
async fn keys_paths_and_garbage_are_refused_and_the_fake_keeps_serving() {
    let fake = FakeTelnyx::start().await.unwrap();
    let stranger = Client::builder()
        .api_key("KEY_SOMEONE_ELSE")
        .base_url(fake.base_url())
        .max_retries(0)
        .build()
        .unwrap();
    let err = stranger.call(CALL).speak(speak("x")).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));

    let err = fake
        .client()
        .request::<Value, ()>(Method::POST, "/calls/x/actions/teleport", None)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));

    let http = telnyx_call_control::reqwest::Client::new();
    let url = format!("{}/calls/{CALL}/actions/speak", fake.base_url());
    for body in [
        &b"\xff\xfe not json"[..],
        b"[1, 2",
        b"{\"payload\": null, \"voice\": \"female\"}",
    ] {
        let status = http
            .post(&url)
            .bearer_auth(fake.api_key())
            .header("content-type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .unwrap()
            .status();
        assert!(status == 400 || status == 422, "{status}");
    }
    let statuses: Vec<u16> = fake.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [401, 404, 400, 400, 422]);
    fake.client()
        .call(CALL)
        .speak(speak("still here"))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_fault_n_times_is_retried_with_the_same_command_id() {
    let fake = FakeTelnyx::start().await.unwrap();
    fake.fail(Operation::Speak, Fault::status(503).times(2));
    fake.client()
        .call(CALL)
        .speak(speak("again"))
        .await
        .unwrap();
    let attempts: Vec<(u16, Option<String>)> = fake
        .requests()
        .into_iter()
        .map(|r| (r.status, r.command_id))
        .collect();
    assert_eq!(attempts.len(), 3);
    assert_eq!(
        attempts.iter().map(|a| a.0).collect::<Vec<_>>(),
        [503, 503, 200]
    );
    assert!(attempts
        .iter()
        .all(|a| a.1.is_some() && a.1 == attempts[0].1));
    assert_eq!(fake.commands().len(), 1);

    fake.fail(
        Operation::Hangup,
        Fault::status(422)
            .body(json!({"errors": [{"code": "90018", "title": "Call has already ended"}]})),
    );
    let err = fake
        .client()
        .call(CALL)
        .hangup(HangupRequest::new())
        .await
        .unwrap_err();
    assert_eq!(err.api_errors()[0].code, "90018");
}

#[tokio::test]
async fn a_slow_answer_times_the_client_out() {
    let fake = FakeTelnyx::start().await.unwrap();
    fake.fail(Operation::Speak, Fault::delay(Duration::from_secs(2)));
    let err = fake
        .client()
        .call(CALL)
        .speak(speak("slow"))
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
}

/// The lost-answer case `command_id` exists for: the command ran, its answer never reached the client
/// (here held past the client's 400 ms timeout, or dropped), the client retried with the same
/// `command_id` and saw success, and the command ran once.
async fn lost_answer(fault: Fault) {
    let fake = FakeTelnyx::start().await.unwrap();
    fake.fail(Operation::Speak, fault);
    fake.client()
        .call(CALL)
        .speak(speak("once only"))
        .timeout(Duration::from_millis(400))
        .max_retries(1)
        .await
        .expect("the retry succeeds");
    let requests = fake.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(requests[0].command_id.is_some());
    assert_eq!(requests[0].command_id, requests[1].command_id);
    assert_eq!(
        requests.iter().map(|r| r.status).collect::<Vec<_>>(),
        [200, 200]
    );
    let commands = fake.commands();
    assert_eq!(commands.len(), 1, "run once: {commands:?}");
    assert_eq!(
        commands[0].body::<SpeakRequest>().unwrap().payload,
        "once only"
    );
}

#[tokio::test]
async fn a_delayed_answer_is_retried_and_the_command_runs_once() {
    lost_answer(Fault::delay(Duration::from_secs(1))).await;
}

#[tokio::test]
async fn a_dropped_answer_is_retried_and_the_command_runs_once() {
    lost_answer(Fault::drop_answer()).await;
}

#[tokio::test]
async fn requests_are_recorded_in_the_order_they_arrive() {
    let fake = FakeTelnyx::start().await.unwrap();
    fake.fail(Operation::Speak, Fault::drop_answer());
    let client = fake.client();
    let held =
        tokio::spawn(async move { client.call(CALL).speak(speak("first")).max_retries(0).await });
    // The held request is recorded (and its command run) before it is answered.
    while fake.commands().is_empty() {
        tokio::task::yield_now().await;
    }
    fake.client()
        .call(CALL)
        .hangup(HangupRequest::new())
        .await
        .unwrap();
    let order: Vec<(Option<Operation>, bool)> = fake
        .requests()
        .iter()
        .map(|r| (r.operation, r.dropped))
        .collect();
    assert_eq!(
        order,
        [
            (Some(Operation::Speak), true),
            (Some(Operation::Hangup), false)
        ]
    );
    held.abort();
}

#[tokio::test]
async fn a_repeated_command_id_runs_once() {
    let fake = FakeTelnyx::start().await.unwrap();
    let call = fake.client().call(CALL);
    for _ in 0..2 {
        call.speak(speak("once").command_id("same-id"))
            .await
            .unwrap();
    }
    assert_eq!(fake.requests().len(), 2);
    assert_eq!(fake.commands().len(), 1);
}

#[tokio::test]
async fn dialing_creates_a_call_and_status_names_the_asked_call() {
    let fake = FakeTelnyx::start().await.unwrap();
    let client = fake.client();
    let dial = CallRequest::builder()
        .connection_id("conn")
        .from("+15550100")
        .to("+15550101")
        .build();
    let created = client.calls().dial(dial).await.unwrap();
    let id = created.data.expect("data").call_control_id;
    assert_eq!(fake.commands()[0].call_control_id(), Some(id.as_str()));
    let again = CallRequest::builder()
        .connection_id("conn")
        .from("+15550100")
        .to("+15550102")
        .build();
    let second = client.calls().dial(again).await.unwrap();
    assert_ne!(second.data.expect("data").call_control_id, id);

    let status = client.call(&id).retrieve_status().await.unwrap();
    assert_eq!(status.data.expect("data").call_control_id, id);
}

/// A receiver that verifies with the fake's key and keeps what it got.
#[derive(Clone)]
struct Receiver {
    verifier: Verifier,
    status: StatusCode,
    got: Arc<Mutex<Vec<WebhookEvent>>>,
    url: String,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    match r.verifier.verify_and_parse_headers(&headers, &body) {
        Ok(event) => {
            r.got.lock().unwrap().push(event);
            r.status
        }
        Err(_) => StatusCode::UNAUTHORIZED,
    }
}

async fn receiver(fake: &FakeTelnyx, key: &str, status: StatusCode) -> Receiver {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let r = Receiver {
        verifier: Verifier::new(key).unwrap(),
        status,
        got: Arc::default(),
        url: url.clone(),
    };
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(r.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    fake.set_webhook_url(&url).unwrap();
    r
}

#[tokio::test]
async fn deliveries_are_signed_and_a_refusal_is_reported() {
    let fake = FakeTelnyx::start().await.unwrap();
    assert!(matches!(
        fake.send(events::CallHangupDelivery::example()).await,
        Err(SendError::NoWebhookUrl)
    ));
    assert!(matches!(
        fake.set_webhook_url("https://example.com/webhooks"),
        Err(SendError::NotLoopback(_))
    ));
    let r = receiver(&fake, &fake.public_key(), StatusCode::OK).await;
    let sent = events::CallGatherEndedDelivery::example()
        .call_control_id("v3:mine")
        .digits("7")
        .client_state_json(&json!({"menu": 2}));
    let delivery = fake.send(sent).await.unwrap();
    assert_eq!(
        (delivery.kind.as_str(), delivery.status),
        ("callGatherEnded", Some(200))
    );
    let got = r.got.lock().unwrap().clone();
    let WebhookEvent::CallGatherEnded(e) = &got[0] else {
        panic!("{}", got[0].kind())
    };
    let digits = e
        .data
        .as_ref()
        .and_then(|d| d.payload.as_ref())
        .and_then(|p| p.digits.clone());
    assert_eq!(digits.as_deref(), Some("7"));
    assert_eq!(got[0].call_control_id(), Some("v3:mine"));
    assert_eq!(
        got[0].client_state_json::<Value>().unwrap(),
        Some(json!({"menu": 2}))
    );
    // A delivery of its own: not the spec's example id.
    assert!(
        got[0].id().is_some_and(|id| id != EXAMPLE_ID),
        "{:?}",
        got[0].id()
    );

    // A key the application does not trust: refused, and the test hears of it.
    let other = FakeTelnyx::start().await.unwrap();
    let _r = receiver(&other, &fake.public_key(), StatusCode::OK).await;
    let refused = other
        .send(events::CallHangupDelivery::example())
        .await
        .unwrap_err();
    assert!(
        matches!(refused, SendError::Rejected { status: 401, .. }),
        "{refused}"
    );
}

#[tokio::test]
async fn a_tests_events_follow_a_command_with_its_call_and_state() {
    let fake = FakeTelnyx::start().await.unwrap();
    let r = receiver(&fake, &fake.public_key(), StatusCode::OK).await;
    fake.on(Operation::Speak, |_| {
        vec![
            events::CallSpeakStartedDelivery::example().into(),
            events::CallSpeakEndedDelivery::example().into(),
        ]
    });
    let call = fake.client().call(CALL);
    call.speak(speak("hi").client_state_json(&json!({"n": 1})).unwrap())
        .await
        .unwrap();
    fake.settle().await.unwrap();
    let got = r.got.lock().unwrap().clone();
    let kinds: Vec<&str> = got.iter().map(WebhookEvent::kind).collect();
    assert_eq!(kinds, ["callSpeakStarted", "callSpeakEnded"]);
    for event in &got {
        assert_eq!(event.call_control_id(), Some(CALL));
        assert_eq!(
            event.client_state_json::<Value>().unwrap(),
            Some(json!({"n": 1}))
        );
    }

    // What the test sets on an event stays.
    fake.on(Operation::Hangup, |command| {
        vec![events::CallHangupDelivery::example()
            .client_state(command.client_state().unwrap_or("none"))
            .into()]
    });
    call.hangup(HangupRequest::new()).await.unwrap();
    fake.settle().await.unwrap();
    let got = r.got.lock().unwrap().clone();
    assert_eq!(got.len(), 3);
    assert_eq!(got[2].kind(), "callHangup");
    assert_eq!(got[2].client_state(), Some("none"));
    assert_eq!(got[2].call_control_id(), Some(CALL));
    // Without the simulator and without `on`, a command is followed by nothing (not even the
    // `call.recording.saved` its documentation lists).
    call.record_stop(StopRecordingRequest::new()).await.unwrap();
    fake.settle().await.unwrap();
    assert_eq!(r.got.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn webhooks_refused_on_every_attempt_are_given_up_and_each_attempt_is_kept() {
    let fake = FakeTelnyx::start().await.unwrap();
    let _r = receiver(&fake, &fake.public_key(), StatusCode::INTERNAL_SERVER_ERROR).await;
    fake.on(Operation::Speak, |_| {
        vec![
            events::CallSpeakStartedDelivery::example().into(),
            events::CallSpeakEndedDelivery::example().into(),
        ]
    });
    fake.client().call(CALL).speak(speak("x")).await.unwrap();
    match fake.settle().await {
        Err(SettleError::Deliveries { given_up, .. }) => {
            let types: Vec<Option<&str>> =
                given_up.iter().map(|g| g.event_type.as_deref()).collect();
            assert_eq!(
                types,
                [Some("call.speak.started"), Some("call.speak.ended")]
            );
            assert!(given_up.iter().all(|g| g.attempts == 2), "{given_up:?}");
            assert!(
                given_up.iter().all(|g| g.last.contains("500")),
                "{given_up:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    // Every attempt is kept, refused ones with the event they carried: one redelivery each, a
    // second of the simulation's time after the first.
    let attempts = fake.deliveries();
    assert_eq!(attempts.len(), 4, "{attempts:?}");
    assert!(attempts
        .iter()
        .all(|d| d.status == Some(500) && !d.accepted()));
    let first = &attempts[0];
    let again: Vec<_> = attempts[1..]
        .iter()
        .filter(|d| d.event_id == first.event_id)
        .collect();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempt, 2);
    assert_eq!(again[0].at - first.at, Duration::from_secs(1));
    // A refused delivery can be replayed, byte for byte.
    let replayed = fake.replay(first).await.unwrap_err();
    assert!(matches!(replayed, SendError::Rejected { status: 500, .. }));
    assert_eq!(
        fake.deliveries().last().map(|d| d.event_id.clone()),
        Some(first.event_id.clone())
    );
    // Reported once.
    fake.settle().await.unwrap();
}

/// A receiver that refuses the first `refusals` deliveries with `500`, then accepts, keeping the
/// `(id, attempt)` of each it accepted.
async fn flaky_receiver(fake: &FakeTelnyx, refusals: usize) -> Arc<Mutex<Vec<(String, u64)>>> {
    slow_or_flaky_receiver(fake, refusals, Duration::ZERO).await
}

/// As [`flaky_receiver`], and it takes `pause` to answer the first delivery.
async fn slow_or_flaky_receiver(
    fake: &FakeTelnyx,
    refusals: usize,
    pause: Duration,
) -> Arc<Mutex<Vec<(String, u64)>>> {
    let got: Arc<Mutex<Vec<(String, u64)>>> = Arc::default();
    let seen = Arc::new(Mutex::new(0usize));
    let verifier = Verifier::new(&fake.public_key()).unwrap();
    let kept = got.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let (verifier, kept, seen) = (verifier.clone(), kept.clone(), seen.clone());
            async move {
                let event = verifier.verify_and_parse_headers(&headers, &body).unwrap();
                let count = {
                    let mut seen = seen.lock().unwrap();
                    *seen += 1;
                    *seen
                };
                if count == 1 {
                    tokio::time::sleep(pause).await;
                }
                if count <= refusals {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                let json: Value = serde_json::from_slice(&body).unwrap();
                let attempt = json["meta"]["attempt"].as_u64().unwrap_or_default();
                kept.lock()
                    .unwrap()
                    .push((event.id().unwrap_or_default().to_owned(), attempt));
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    fake.set_webhook_url(&url).unwrap();
    got
}

#[tokio::test]
async fn a_refused_webhook_is_redelivered_with_its_id_on_the_fakes_schedule() {
    let fake = FakeTelnyx::builder()
        .webhook_retries([Duration::from_secs(2), Duration::from_secs(30)])
        .start()
        .await
        .unwrap();
    let got = flaky_receiver(&fake, 2).await;
    fake.on(Operation::Hangup, |_| {
        vec![events::CallHangupDelivery::example().into()]
    });
    fake.client()
        .call(CALL)
        .hangup(HangupRequest::new())
        .await
        .unwrap();
    fake.settle().await.expect("accepted on the third attempt");
    let attempts = fake.deliveries();
    let statuses: Vec<Option<u16>> = attempts.iter().map(|d| d.status).collect();
    assert_eq!(statuses, [Some(500), Some(500), Some(200)]);
    let at: Vec<Duration> = attempts.iter().map(|d| d.at).collect();
    assert_eq!(
        at,
        [
            Duration::ZERO,
            Duration::from_secs(2),
            Duration::from_secs(32)
        ]
    );
    let got = got.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(
        Some(got[0].0.clone()),
        attempts[0].event_id,
        "the same event"
    );
    assert_eq!(got[0].1, 3, "meta.attempt counts");
}

#[tokio::test]
async fn a_webhook_the_webhook_url_refuses_goes_to_the_failover_url() {
    let fake = FakeTelnyx::start().await.unwrap();
    let backup = receiver(&fake, &fake.public_key(), StatusCode::OK).await;
    let _primary = receiver(&fake, &fake.public_key(), StatusCode::SERVICE_UNAVAILABLE).await;
    fake.set_webhook_failover_url(&backup.url).unwrap();
    fake.on(Operation::Hangup, |_| {
        vec![events::CallHangupDelivery::example().into()]
    });
    fake.client()
        .call(CALL)
        .hangup(HangupRequest::new())
        .await
        .unwrap();
    fake.settle().await.expect("the failover URL accepted it");
    let attempts = fake.deliveries();
    assert_eq!(attempts.len(), 2, "{attempts:?}");
    assert_eq!(attempts[0].status, Some(503));
    assert_eq!(attempts[1].url, backup.url);
    assert_eq!(attempts[1].status, Some(200));
    assert_eq!(
        attempts[0].at, attempts[1].at,
        "at once, not after a retry delay"
    );
    assert_eq!(backup.got.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn every_delivery_gets_a_fresh_id_and_the_simulations_time() {
    let fake = FakeTelnyx::start().await.unwrap();
    let r = receiver(&fake, &fake.public_key(), StatusCode::OK).await;
    // The same builder twice: two events, two ids.
    fake.send(events::CallHangupDelivery::example())
        .await
        .unwrap();
    fake.send(events::CallHangupDelivery::example())
        .await
        .unwrap();
    // Events a test gives after a command, too.
    fake.on(Operation::Speak, |_| {
        vec![
            events::CallSpeakStartedDelivery::example().into(),
            events::CallSpeakEndedDelivery::example().into(),
        ]
    });
    fake.client().call(CALL).speak(speak("hi")).await.unwrap();
    fake.settle().await.unwrap();
    // An id the test sets is kept.
    fake.send(events::CallHangupDelivery::example().id("mine"))
        .await
        .unwrap();
    let got = r.got.lock().unwrap().clone();
    let ids: Vec<&str> = got.iter().filter_map(WebhookEvent::id).collect();
    assert_eq!(ids.len(), 5);
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), 5, "{ids:?}");
    assert!(!ids.contains(&EXAMPLE_ID));
    assert_eq!(ids[4], "mine");
    // `occurred_at` is the simulation's time (today), not the example's (2018).
    let occurred: Vec<&str> = got.iter().filter_map(WebhookEvent::occurred_at).collect();
    assert_eq!(occurred.len(), 5);
    assert!(
        occurred.iter().all(|t| !t.starts_with("2018")),
        "{occurred:?}"
    );
}

#[tokio::test]
async fn a_dial_retried_after_a_lost_answer_gets_the_call_it_created() {
    let fake = FakeTelnyx::builder()
        .client_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    fake.fail(Operation::Dial, Fault::drop_answer());
    let dial = CallRequest::builder()
        .connection_id("conn")
        .from("+15550100")
        .to("+15550101")
        .build();
    let started = std::time::Instant::now();
    // The client's own timeout (from the fake's builder) ends the lost attempt; its retry, with the
    // same command_id, gets the first attempt's answer.
    let created = fake.client().calls().dial(dial).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let id = created.data.expect("data").call_control_id;
    let commands = fake.commands();
    assert_eq!(commands.len(), 1, "run once");
    assert_eq!(commands[0].call_control_id(), Some(id.as_str()));
    assert_eq!(id, "v3:fake-call-1");
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn forged_deliveries_are_refused_by_a_verifying_application() {
    let fake = FakeTelnyx::start().await.unwrap();
    let r = receiver(&fake, &fake.public_key(), StatusCode::OK).await;
    for forgery in [
        Forgery::BadSignature,
        Forgery::TamperedBody,
        Forgery::OtherKey,
        Forgery::Stale(Duration::from_secs(600)),
        Forgery::Unsigned,
    ] {
        let sent = fake
            .send_forged(events::CallHangupDelivery::example(), forgery.clone())
            .await;
        assert!(
            matches!(sent, Err(SendError::Rejected { status: 401, .. })),
            "{forgery:?}: {sent:?}"
        );
    }
    assert!(r.got.lock().unwrap().is_empty());
    // Within the tolerance, a stale-ish timestamp is still good.
    fake.send_forged(
        events::CallHangupDelivery::example(),
        Forgery::Stale(Duration::from_secs(60)),
    )
    .await
    .expect("a minute old is within 300 s");

    // A replay is byte for byte what was sent: the signature holds, so only the event's id tells.
    let delivery = fake
        .send(events::CallAnsweredDelivery::example().call_control_id("v3:replayed"))
        .await
        .unwrap();
    fake.replay(&delivery)
        .await
        .expect("the verifier alone accepts it");
    let got = r.got.lock().unwrap().clone();
    let answered: Vec<&WebhookEvent> = got.iter().filter(|e| e.kind() == "callAnswered").collect();
    assert_eq!(answered.len(), 2);
    assert_eq!(answered[0].id(), answered[1].id());
    assert_eq!(answered[1].call_control_id(), Some("v3:replayed"));
}

#[tokio::test]
async fn any_json_can_be_sent_to_see_how_an_application_takes_it() {
    let fake = FakeTelnyx::start().await.unwrap();
    let r = receiver(&fake, &fake.public_key(), StatusCode::OK).await;
    let odd = Event::from_json(
        json!({"data": {"event_type": "call.brand.new", "payload": {"call_control_id": "v3:n"}}}),
    )
    .set_json("/data/id", json!("e-1"));
    fake.send(odd).await.unwrap();
    let got = r.got.lock().unwrap().clone();
    assert!(matches!(got[0], WebhookEvent::Unknown(_)));
    assert_eq!(got[0].id(), Some("e-1"));
    assert_eq!(got[0].call_control_id(), Some("v3:n"));
}

#[tokio::test]
async fn a_redirect_is_reported_not_followed_off_the_machine() {
    let fake = FakeTelnyx::start().await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let app = Router::new().route(
        "/hook",
        post(|| async {
            (
                StatusCode::TEMPORARY_REDIRECT,
                [(axum::http::header::LOCATION, "https://example.com/hook")],
            )
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    fake.set_webhook_url(&url).unwrap();
    let sent = fake.send(events::CallHangupDelivery::example()).await;
    assert!(
        matches!(sent, Err(SendError::Rejected { status: 307, .. })),
        "{sent:?}"
    );
}

#[tokio::test]
async fn a_delivery_not_answered_within_the_webhook_timeout_is_redelivered() {
    let fake = FakeTelnyx::builder()
        .webhook_timeout(Duration::from_millis(200))
        .start()
        .await
        .unwrap();
    let got = slow_or_flaky_receiver(&fake, 0, Duration::from_secs(2)).await;
    fake.on(Operation::Hangup, |_| {
        vec![events::CallHangupDelivery::example().into()]
    });
    fake.client()
        .call(CALL)
        .hangup(HangupRequest::new())
        .await
        .unwrap();
    fake.settle()
        .await
        .expect("the redelivery was answered in time");
    let attempts = fake.deliveries();
    assert_eq!(attempts.len(), 2, "{attempts:?}");
    assert_eq!(
        attempts[0].status, None,
        "no answer in time: {}",
        attempts[0].body
    );
    assert_eq!(attempts[1].status, Some(200));
    assert_eq!(attempts[1].at, Duration::from_secs(1));
    assert_eq!(attempts[0].event_id, attempts[1].event_id);
    assert_eq!(
        got.lock().unwrap().len(),
        1,
        "the late answer to the first counts for nothing here"
    );
}

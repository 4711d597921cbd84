//! Whole calls through the IVR example against the fake Telnyx, on loopback only: the test places the
//! call (`call.initiated`), says what the caller presses, and the fake sends every other event the
//! documentation lists after each command. Every delivery is signed by the fake and verified by the
//! application; every command is checked, in order, with its body.
#![cfg(feature = "testing")]

use std::time::Instant;
use telnyx_call_control::testing::{events, Command, FakeTelnyx, Fault, Operation, SendError};
use telnyx_call_control::types::{GatherUsingSpeakRequest, SpeakRequest, TransferCallRequest};
use telnyx_call_control::webhooks::Verifier;

#[allow(dead_code)]
#[path = "../examples/ivr.rs"]
mod ivr;

use ivr::{Ivr, MenuState, MAX_ATTEMPTS};

const CALL: &str = "v3:ivr-test-call";
const OPERATOR: &str = "+15550100";

/// The fake, and the IVR on a loopback port trusting the fake's key, with its client on the fake.
async fn start(app_key: Option<String>) -> FakeTelnyx {
    let fake = FakeTelnyx::builder()
        .auto_webhooks(true)
        .start()
        .await
        .expect("the fake starts");
    let key = app_key.unwrap_or_else(|| fake.public_key());
    let app = ivr::app(Ivr {
        client: fake.client(),
        verifier: Verifier::new(&key).expect("a valid key"),
        operator: OPERATOR.into(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!("http://{}/webhooks", listener.local_addr().expect("bound"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    fake.set_webhook_url(&url).expect("a loopback URL");
    fake
}

/// The caller presses `digits` whenever the IVR gathers (a `call.gather.ended` instead of the
/// documented events of `gather_using_speak`).
fn caller_presses(fake: &FakeTelnyx, digits: &'static [&'static str]) {
    let count = std::sync::atomic::AtomicUsize::new(0);
    fake.on(Operation::GatherUsingSpeak, move |_| {
        let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let gathered = match digits.get(n) {
            Some(d) if !d.is_empty() => events::CallGatherEnded::example()
                .digits(*d)
                .status("valid"),
            _ => events::CallGatherEnded::example()
                .digits("")
                .status("timeout"),
        };
        vec![gathered.into()]
    });
}

fn operations(commands: &[Command]) -> Vec<Operation> {
    commands.iter().map(Command::operation).collect()
}

fn spoken(command: &Command) -> String {
    command
        .body::<SpeakRequest>()
        .expect("a speak body")
        .payload
        .clone()
}

/// Places the call and waits until the fake has nothing more to send.
async fn place_call(fake: &FakeTelnyx) {
    fake.send(events::CallInitiated::example().call_control_id(CALL))
        .await
        .expect("the IVR takes the call");
    fake.settle().await.expect("every delivery accepted");
}

#[tokio::test]
async fn a_caller_choosing_sales_hears_it_and_is_hung_up() {
    let started = Instant::now();
    let fake = start(None).await;
    caller_presses(&fake, &["1"]);
    place_call(&fake).await;

    let commands = fake.commands();
    assert_eq!(
        operations(&commands),
        [
            Operation::Answer,
            Operation::GatherUsingSpeak,
            Operation::Speak,
            Operation::Hangup
        ]
    );
    assert!(commands.iter().all(|c| c.call_control_id() == Some(CALL)));
    let gather: &GatherUsingSpeakRequest = commands[1].body().expect("typed");
    assert_eq!(gather.valid_digits.as_deref(), Some("012"));
    assert_eq!(gather.maximum_digits, Some(1));
    assert_eq!(
        commands[1].client_state_json::<MenuState>().unwrap(),
        Some(MenuState { attempt: 1 })
    );
    assert_eq!(spoken(&commands[2]), "You chose sales. Goodbye.");

    // Every event reached the IVR, signed by the fake and verified by the IVR (it answers 401
    // otherwise). The fake's own deliveries come in the order of the call; the test's
    // `call.initiated` may finish after the first of them.
    let mut kinds: Vec<String> = fake
        .deliveries()
        .into_iter()
        .map(|d| d.expect("accepted").kind)
        .collect();
    let initiated = kinds.iter().position(|k| k == "callInitiated");
    kinds.remove(initiated.expect("the test's delivery"));
    assert_eq!(
        kinds,
        [
            "callAnswered",
            "callGatherEnded",
            "callSpeakStarted",
            "callSpeakEnded",
            "callHangup",
            "callRecordingSaved"
        ]
    );
    // Nothing left the machine: every command came to the fake, on loopback.
    assert!(fake.base_url().starts_with("http://127.0.0.1:"));
    assert_eq!(fake.requests().len(), commands.len());
    eprintln!("a whole call in {:?}", started.elapsed());
}

#[tokio::test]
async fn zero_transfers_to_the_operator() {
    let fake = start(None).await;
    caller_presses(&fake, &["0"]);
    // The transfer's documented events are the new leg's; here the operator's leg just bridges.
    fake.on(Operation::Transfer, |_| {
        vec![events::CallBridged::example().into()]
    });
    place_call(&fake).await;

    let commands = fake.commands();
    assert_eq!(
        operations(&commands),
        [
            Operation::Answer,
            Operation::GatherUsingSpeak,
            Operation::Transfer
        ]
    );
    let transfer: &TransferCallRequest = commands[2].body().expect("typed");
    assert_eq!(transfer.to, OPERATOR);
}

#[tokio::test]
async fn no_choice_replays_the_menu_then_says_goodbye() {
    let fake = start(None).await;
    caller_presses(&fake, &["", "9"]);
    place_call(&fake).await;

    let commands = fake.commands();
    let gathers = commands
        .iter()
        .filter(|c| c.operation() == Operation::GatherUsingSpeak);
    let attempts: Vec<u8> = gathers
        .map(|c| c.client_state_json::<MenuState>().unwrap().unwrap().attempt)
        .collect();
    assert_eq!(attempts, (1..=MAX_ATTEMPTS).collect::<Vec<_>>());
    let last = commands.len() - 2;
    assert_eq!(
        spoken(&commands[last]),
        "Sorry, we did not get that. Goodbye."
    );
    assert_eq!(commands[last + 1].operation(), Operation::Hangup);
}

#[tokio::test]
async fn deliveries_signed_by_another_key_are_refused_and_reported() {
    let stranger = FakeTelnyx::start().await.expect("the fake starts");
    let fake = start(Some(stranger.public_key())).await;
    let refused = fake
        .send(events::CallInitiated::example().call_control_id(CALL))
        .await
        .expect_err("the IVR does not trust the key");
    assert!(
        matches!(refused, SendError::Rejected { status: 401, .. }),
        "{refused}"
    );
    assert!(fake.commands().is_empty());
}

#[tokio::test]
async fn a_command_the_api_refuses_fails_the_delivery_and_the_test_hears_of_it() {
    let fake = start(None).await;
    fake.fail(Operation::Answer, Fault::status(500).times(3));
    let refused = fake
        .send(events::CallInitiated::example().call_control_id(CALL))
        .await
        .expect_err("the answer failed, so the delivery does");
    assert!(
        matches!(refused, SendError::Rejected { status: 500, .. }),
        "{refused}"
    );
    // The client retried twice with one command_id; nothing was accepted.
    let statuses: Vec<u16> = fake.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [500, 500, 500]);
    assert!(fake.commands().is_empty());
}

//! Whole calls through the IVR example against the fake Telnyx's call simulator, on loopback only: a
//! scripted caller rings the IVR and presses what it presses, the simulator sends the events that
//! follow from each command, and every delivery is signed by the fake and verified by the
//! application. Every command is checked, in order, with its body.
#![cfg(feature = "testing")]

use std::time::Duration;
use telnyx_call_control::testing::{
    CallState, Command, FakeTelnyx, FarEnd, Fault, Operation, SettleError,
};
use telnyx_call_control::types::{GatherUsingSpeakRequest, SpeakRequest, TransferCallRequest};
use telnyx_call_control::webhooks::Verifier;

#[allow(dead_code)]
mod app;

use app::{Ivr, MenuState, MAX_ATTEMPTS};

const CALLER: &str = "+15550123";
const IVR_NUMBER: &str = "+15550199";
const OPERATOR: &str = "+15550100";

/// The simulating fake, and the IVR on a loopback port trusting `app_key` (default: the fake's),
/// with its client on the fake.
async fn start(app_key: Option<String>) -> FakeTelnyx {
    let fake = FakeTelnyx::builder()
        .simulate(true)
        .start()
        .await
        .expect("the fake starts");
    let key = app_key.unwrap_or_else(|| fake.public_key());
    let app = app::app(Ivr {
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

/// Every delivery's kind, in order; each one accepted.
fn delivered(fake: &FakeTelnyx) -> Vec<String> {
    fake.deliveries()
        .into_iter()
        .map(|d| {
            assert!(d.accepted(), "{d:?}");
            d.kind
        })
        .collect()
}

#[tokio::test]
async fn a_caller_choosing_sales_hears_it_and_is_hung_up() {
    let fake = start(None).await;
    let call = fake
        .incoming_call(CALLER, IVR_NUMBER, FarEnd::new().presses("1"))
        .expect("a script that can happen");
    fake.settle().await.expect("every delivery accepted");

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
    assert!(commands
        .iter()
        .all(|c| c.call_control_id() == Some(call.as_str())));
    let gather: &GatherUsingSpeakRequest = commands[1].body().expect("typed");
    assert_eq!(gather.valid_digits.as_deref(), Some("012"));
    assert_eq!(gather.maximum_digits, Some(1));
    assert_eq!(
        commands[1].client_state_json::<MenuState>().unwrap(),
        Some(MenuState { attempt: 1 })
    );
    assert_eq!(spoken(&commands[2]), "You chose sales. Goodbye.");

    // Every event reached the IVR, signed by the fake and verified by the IVR (it answers 401
    // otherwise), in the order of the call; nothing was recorded, so nothing is saved.
    assert_eq!(
        delivered(&fake),
        [
            "callInitiated",
            "callAnswered",
            "callDtmfReceived",
            "callGatherEnded",
            "callSpeakStarted",
            "callSpeakEnded",
            "callHangup",
        ]
    );
    let ended = fake.call(&call).expect("a simulated call");
    assert_eq!(ended.state, CallState::HungUp);
    assert_eq!(ended.hangup_cause.as_deref(), Some("normal_clearing"));
    // Nothing left the machine: every command came to the fake, on loopback.
    assert!(fake.base_url().starts_with("http://127.0.0.1:"));
    assert_eq!(fake.requests().len(), commands.len());
}

#[tokio::test]
async fn zero_transfers_to_the_operator_on_a_leg_of_its_own() {
    let fake = start(None).await;
    fake.far_end(
        OPERATOR,
        FarEnd::new().answers_after(Duration::from_secs(4)),
    )
    .expect("a script that can happen");
    let call = fake
        .incoming_call(CALLER, IVR_NUMBER, FarEnd::new().presses("0"))
        .expect("a script that can happen");
    fake.settle().await.expect("every delivery accepted");

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
    let legs = fake.calls();
    assert_eq!(legs.len(), 2);
    let operator = &legs[1];
    assert_ne!(operator.call_control_id, call);
    assert_eq!(operator.to, OPERATOR);
    assert_eq!(operator.call_session_id, legs[0].call_session_id);
    assert_eq!(operator.bridged_with.as_deref(), Some(call.as_str()));
    assert_eq!(legs[0].state, CallState::Bridged);
    assert!(delivered(&fake).ends_with(&[
        "callInitiated".to_owned(),
        "callAnswered".to_owned(),
        "callBridged".to_owned(),
        "callBridged".to_owned()
    ]));
}

#[tokio::test]
async fn no_choice_replays_the_menu_then_says_goodbye() {
    let fake = start(None).await;
    // Silent at the first menu; at the second presses 9, which the menu does not offer.
    let caller = FarEnd::new().times_out().presses("9");
    fake.incoming_call(CALLER, IVR_NUMBER, caller)
        .expect("a script that can happen");
    fake.settle().await.expect("every step used");

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
    // Eight tries of a minute timed out (three a menu, less the one with the 9): minutes of the
    // caller's time, none of the test's.
    assert!(fake.now() > Duration::from_secs(8 * 60), "{:?}", fake.now());
}

#[tokio::test]
async fn a_caller_who_hangs_up_during_the_menu_gets_no_more_commands() {
    let fake = start(None).await;
    let caller = FarEnd::new().hangs_up_after(Duration::from_secs(2));
    let call = fake
        .incoming_call(CALLER, IVR_NUMBER, caller)
        .expect("a script that can happen");
    // A command after the hangup would be refused (90018) and fail the delivery: settle says so.
    fake.settle().await.expect("nothing refused");
    assert_eq!(
        operations(&fake.commands()),
        [Operation::Answer, Operation::GatherUsingSpeak]
    );
    let ended = fake.call(&call).expect("a simulated call");
    assert_eq!(ended.ended_at, Some(Duration::from_secs(2)));
    assert!(delivered(&fake).ends_with(&["callGatherEnded".to_owned(), "callHangup".to_owned()]));
}

#[tokio::test]
async fn deliveries_signed_by_another_key_are_refused_and_reported() {
    let stranger = FakeTelnyx::start().await.expect("the fake starts");
    let fake = start(Some(stranger.public_key())).await;
    fake.incoming_call(CALLER, IVR_NUMBER, FarEnd::new())
        .expect("a script that can happen");
    match fake.settle().await {
        Err(SettleError::Deliveries { given_up, .. }) => {
            assert_eq!(given_up.len(), 1, "{given_up:?}");
            assert_eq!(given_up[0].event_type.as_deref(), Some("call.initiated"));
            assert!(given_up[0].last.contains("401"), "{given_up:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(fake.commands().is_empty());
}

#[tokio::test]
async fn a_command_the_api_refuses_fails_the_delivery_and_its_redelivery_runs_it() {
    let fake = start(None).await;
    // The client's three attempts of the first answer are refused, so the IVR answers `500`;
    // Telnyx delivers `call.initiated` again, and the IVR's second answer goes through.
    fake.fail(Operation::Answer, Fault::status(500).times(3));
    let call = fake
        .incoming_call(CALLER, IVR_NUMBER, FarEnd::new().presses("2"))
        .expect("a script that can happen");
    fake.settle().await.expect("the redelivery was accepted");
    let statuses: Vec<u16> = fake
        .requests()
        .iter()
        .filter(|r| r.operation == Some(Operation::Answer))
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [500, 500, 500, 200]);
    let initiated: Vec<_> = fake
        .deliveries()
        .into_iter()
        .filter(|d| d.kind == "callInitiated")
        .collect();
    assert_eq!(initiated.len(), 2, "{initiated:?}");
    assert_eq!(
        (initiated[0].status, initiated[1].status),
        (Some(500), Some(200))
    );
    assert_eq!(
        initiated[0].event_id, initiated[1].event_id,
        "one event, twice"
    );
    assert_eq!(initiated[1].attempt, 2);
    assert!(initiated[1].at > initiated[0].at, "redelivered later");
    assert_eq!(fake.call(&call).map(|c| c.state), Some(CallState::HungUp));
}

#[tokio::test]
async fn a_delivery_refused_on_every_attempt_is_given_up_and_named() {
    let fake = start(None).await;
    fake.fail(Operation::Answer, Fault::status(500).times(6));
    let call = fake
        .incoming_call(CALLER, IVR_NUMBER, FarEnd::new())
        .expect("a script that can happen");
    match fake.settle().await {
        Err(SettleError::Deliveries { given_up, timeline }) => {
            assert_eq!(given_up.len(), 1, "{given_up:?}");
            assert_eq!(given_up[0].call_control_id.as_deref(), Some(call.as_str()));
            assert_eq!(given_up[0].attempts, 2, "the delivery and one redelivery");
            assert!(given_up[0].last.contains("500"), "{given_up:?}");
            assert!(!timeline.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert!(fake.commands().is_empty());
}

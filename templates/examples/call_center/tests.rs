//! Whole calls through the call-centre example against the fake Telnyx's call simulator, on loopback
//! only: a scripted caller rings the centre, scripted agents answer, are busy or do not answer, and
//! every delivery is signed by the fake and verified by the application (forged and replayed ones
//! are tried too). The queue, the hold music, the conference and who hangs up are checked.
#![cfg(feature = "testing")]

use std::time::Duration;
use telnyx_call_control::testing::{
    events, CallState, Command, FakeTelnyx, FarEnd, Forgery, Operation, SendError,
};
use telnyx_call_control::types::{
    CallRequest, CallRequestTo, JoinConferenceRequest, PlayAudioUrlRequest, SpeakRequest,
};
use telnyx_call_control::webhooks::Verifier;

#[allow(dead_code)]
mod app;

use app::{Config, Role, QUEUE, SORRY};

const CALLER: &str = "+15550123";
const CENTER: &str = "+15550199";
const ALICE: &str = "+15550101";
const BOB: &str = "+15550102";
const MUSIC: &str = "https://example.com/hold.mp3";
const SEC: Duration = Duration::from_secs(1);

/// The simulating fake, and the centre on a loopback port with its client on the fake.
async fn start() -> FakeTelnyx {
    let fake = FakeTelnyx::builder()
        .simulate(true)
        .start()
        .await
        .expect("the fake starts");
    let app = app::app(Config {
        client: fake.client(),
        verifier: Verifier::new(&fake.public_key()).expect("a valid key"),
        connection_id: "fake-connection".into(),
        number: CENTER.into(),
        agents: vec![ALICE.into(), BOB.into()],
        hold_music: MUSIC.into(),
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

/// The numbers the centre dialled, in order.
fn dialled(commands: &[Command]) -> Vec<String> {
    commands
        .iter()
        .filter_map(|c| c.body::<CallRequest>().ok())
        .filter_map(|dial| match &dial.to {
            CallRequestTo::String(to) => Some(to.clone()),
            _ => None,
        })
        .collect()
}

/// The kinds of every delivery, each one accepted (verified by the centre).
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
async fn a_caller_waits_with_music_then_talks_with_an_agent_in_a_conference() {
    let fake = start().await;
    fake.far_end(ALICE, FarEnd::new().answers_after(8 * SEC))
        .unwrap();
    let caller = FarEnd::new().hangs_up_after(60 * SEC);
    let call = fake.incoming_call(CALLER, CENTER, caller).unwrap();

    // While Alice's phone rings, the caller waits in the queue with music.
    fake.advance(5 * SEC)
        .await
        .expect("every delivery accepted");
    assert_eq!(
        fake.queue(QUEUE).unwrap().calls,
        std::slice::from_ref(&call)
    );
    let commands = fake.commands();
    let music: &PlayAudioUrlRequest = commands
        .iter()
        .find_map(|c| c.body().ok())
        .expect("hold music");
    assert_eq!(music.audio_url.as_deref(), Some(MUSIC));

    // Alice answers at 8 s: both in a conference of their own, the queue empty.
    fake.advance(5 * SEC)
        .await
        .expect("every delivery accepted");
    let conference = fake
        .conference(&format!("{QUEUE}-{call}"))
        .expect("a conference");
    let agent = fake.calls()[1].call_control_id.clone();
    let members: Vec<&str> = conference
        .participants
        .iter()
        .map(|p| p.call_control_id.as_str())
        .collect();
    assert_eq!(members, [call.as_str(), agent.as_str()]);
    assert!(fake.queue(QUEUE).unwrap().calls.is_empty());

    // The caller hangs up at 60 s; the centre hangs up Alice.
    fake.settle().await.expect("every delivery accepted");
    let commands = fake.commands();
    assert_eq!(
        operations(&commands),
        [
            Operation::Answer,
            Operation::Enqueue,
            Operation::PlaybackStart,
            Operation::Dial,
            Operation::PlaybackStop,
            Operation::LeaveQueue,
            Operation::ConferenceCreate,
            Operation::ConferenceJoin,
            Operation::Hangup,
        ]
    );
    assert_eq!(dialled(&commands), [ALICE]);
    let join: &JoinConferenceRequest = commands[7].body().unwrap();
    assert_eq!(join.call_control_id, agent);
    assert_eq!(commands[8].call_control_id(), Some(agent.as_str()));
    assert_eq!(
        commands[3].client_state_json::<Role>().unwrap(),
        Some(Role::Agent {
            caller: call.clone(),
            index: 0
        })
    );
    for leg in fake.calls() {
        assert_eq!(leg.state, CallState::HungUp, "{leg:?}");
    }
    assert!(fake.conference(&conference.id).unwrap().ended);
    // Every event, verified by the centre, in the order of the two calls.
    assert_eq!(
        delivered(&fake),
        [
            "callInitiated",
            "callAnswered",
            "callEnqueued",
            "callPlaybackStarted",
            "callInitiated",
            "callAnswered",
            "callPlaybackEnded",
            "callLeftQueue",
            "conferenceCreated",
            "conferenceParticipantJoined",
            "conferenceParticipantJoined",
            "conferenceParticipantLeft",
            "callHangup",
            "conferenceParticipantLeft",
            "conferenceEnded",
            "callHangup",
        ]
    );
}

#[tokio::test]
async fn when_the_agent_hangs_up_the_caller_is_hung_up_too() {
    let fake = start().await;
    fake.far_end(
        ALICE,
        FarEnd::new()
            .answers_after(2 * SEC)
            .hangs_up_after(30 * SEC),
    )
    .unwrap();
    let call = fake.incoming_call(CALLER, CENTER, FarEnd::new()).unwrap();
    fake.settle().await.expect("every delivery accepted");
    let ended = fake.call(&call).unwrap();
    assert_eq!(ended.state, CallState::HungUp);
    assert_eq!(ended.ended_at, Some(32 * SEC));
    assert_eq!(
        fake.commands()
            .last()
            .map(|c| (c.operation(), c.call_control_id())),
        Some((Operation::Hangup, Some(call.as_str())))
    );
}

#[tokio::test]
async fn a_busy_agent_is_passed_over_for_the_next() {
    let fake = start().await;
    fake.far_end(ALICE, FarEnd::new().busy()).unwrap();
    fake.far_end(BOB, FarEnd::new().answers_after(3 * SEC))
        .unwrap();
    let call = fake
        .incoming_call(CALLER, CENTER, FarEnd::new().hangs_up_after(20 * SEC))
        .unwrap();
    fake.settle().await.expect("every delivery accepted");
    let commands = fake.commands();
    assert_eq!(dialled(&commands), [ALICE, BOB]);
    let bob = fake
        .calls()
        .into_iter()
        .find(|c| c.to == BOB)
        .expect("Bob's leg");
    let joined: Vec<&JoinConferenceRequest> =
        commands.iter().filter_map(|c| c.body().ok()).collect();
    assert_eq!(joined.len(), 1);
    assert_eq!(joined[0].call_control_id, bob.call_control_id);
    assert_eq!(
        fake.call(&call).unwrap().hangup_cause.as_deref(),
        Some("normal_clearing")
    );
}

#[tokio::test]
async fn with_no_agent_answering_the_caller_hears_an_apology_and_is_hung_up() {
    let fake = start().await;
    fake.far_end(ALICE, FarEnd::new().no_answer()).unwrap();
    fake.far_end(BOB, FarEnd::new().busy()).unwrap();
    let call = fake.incoming_call(CALLER, CENTER, FarEnd::new()).unwrap();
    fake.settle().await.expect("every delivery accepted");
    let commands = fake.commands();
    assert_eq!(dialled(&commands), [ALICE, BOB]);
    let tail: Vec<Operation> = operations(&commands).split_off(commands.len() - 3);
    assert_eq!(
        tail,
        [Operation::PlaybackStop, Operation::Speak, Operation::Hangup]
    );
    let sorry: &SpeakRequest = commands[commands.len() - 2].body().unwrap();
    assert_eq!(sorry.payload, SORRY);
    // Alice rang for the dial's 20 s; the apology took its time after.
    let ended = fake.call(&call).unwrap();
    assert_eq!(ended.state, CallState::HungUp);
    assert!(ended.ended_at > Some(20 * SEC), "{ended:?}");
    assert!(fake.queue(QUEUE).unwrap().calls.is_empty());
}

#[tokio::test]
async fn a_caller_who_hangs_up_while_waiting_cancels_the_agent_call() {
    let fake = start().await;
    fake.far_end(ALICE, FarEnd::new().answers_after(30 * SEC))
        .unwrap();
    fake.incoming_call(CALLER, CENTER, FarEnd::new().hangs_up_after(10 * SEC))
        .unwrap();
    fake.settle().await.expect("every delivery accepted");
    let alice = fake
        .calls()
        .into_iter()
        .find(|c| c.to == ALICE)
        .expect("Alice's leg");
    assert_eq!(alice.hangup_cause.as_deref(), Some("originator_cancel"));
    assert_eq!(alice.ended_at, Some(10 * SEC));
    assert!(fake.conference(&format!("{QUEUE}-x")).is_none());
    assert!(!operations(&fake.commands()).contains(&Operation::ConferenceCreate));
}

#[tokio::test]
async fn forged_deliveries_are_refused_and_a_replay_is_not_run_twice() {
    let fake = start().await;
    for forgery in [
        Forgery::OtherKey,
        Forgery::BadSignature,
        Forgery::TamperedBody,
        Forgery::Stale(600 * SEC),
        Forgery::Unsigned,
    ] {
        let sent = fake
            .send_forged(
                events::CallInitiatedDelivery::example().call_control_id("v3:forged"),
                forgery.clone(),
            )
            .await;
        assert!(
            matches!(sent, Err(SendError::Rejected { status: 401, .. })),
            "{forgery:?}: {sent:?}"
        );
    }
    assert!(fake.commands().is_empty());

    fake.incoming_call(CALLER, CENTER, FarEnd::new()).unwrap();
    fake.settle().await.expect("every delivery accepted");
    let before = fake.commands().len();
    let first = fake
        .deliveries()
        .into_iter()
        .find(|d| d.kind == "callInitiated" && d.accepted())
        .expect("the caller's call.initiated");
    fake.replay(&first).await.expect("acknowledged");
    fake.settle().await.expect("every delivery accepted");
    assert_eq!(fake.commands().len(), before, "the replay answered nothing");
}

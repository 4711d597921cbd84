//! The metrics example against the fake Telnyx: a command answered `503` and then accepted is two
//! attempts, one of them a retry, each counted under its outcome.
#![cfg(feature = "testing")]

use std::time::Duration;
use telnyx_call_control::testing::{FakeTelnyx, Fault, Operation};
use telnyx_call_control::types::HangupRequest;
use telnyx_call_control::{encode_path_segment, Client};

#[allow(dead_code)]
mod app;

use app::{Key, Metrics};

const CALL: &str = "v3:metrics-example-call";

/// A client of `fake` whose attempts `metrics` counts, retrying at once.
fn client(fake: &FakeTelnyx, metrics: &Metrics) -> Client {
    Client::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .retry_sleep(|_| std::future::ready(()))
        .interceptor(metrics.clone())
        .build()
        .expect("a client of the fake")
}

fn key(outcome: &str, route: &str) -> Key {
    Key {
        method: "POST".into(),
        route: route.into(),
        outcome: outcome.into(),
    }
}

#[tokio::test]
async fn a_retried_command_is_two_attempts_one_of_them_a_retry() {
    let fake = FakeTelnyx::start().await.unwrap();
    fake.fail(Operation::Hangup, Fault::status(503));
    let metrics = Metrics::default();

    client(&fake, &metrics)
        .call(CALL)
        .hangup(HangupRequest::new())
        .await
        .unwrap();

    let tallies = metrics.snapshot();
    assert_eq!(tallies.len(), 2, "{tallies:?}");
    let route = tallies
        .keys()
        .next()
        .map(|k| k.route.clone())
        .unwrap_or_default();
    // The template when the operation gives it, else the path (with the call's id in it).
    assert!(
        route == "/calls/{call_control_id}/actions/hangup"
            || route == format!("/calls/{}/actions/hangup", encode_path_segment(CALL)),
        "{route}"
    );
    let failed = tallies[&key("503", &route)];
    let accepted = tallies[&key("200", &route)];
    assert_eq!((failed.attempts, failed.retries), (1, 0));
    assert_eq!((accepted.attempts, accepted.retries), (1, 1));
    assert!(failed.time > Duration::ZERO && accepted.time > Duration::ZERO);

    let text = metrics.render();
    assert!(
        text.contains(&format!(
            "telnyx_attempts_total{{method=\"POST\",route=\"{route}\",outcome=\"503\"}} 1"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "telnyx_retries_total{{method=\"POST\",route=\"{route}\",outcome=\"200\"}} 1"
        )),
        "{text}"
    );
}

#[tokio::test]
async fn a_lost_answer_is_counted_as_a_timeout() {
    let fake = FakeTelnyx::start().await.unwrap();
    fake.fail(Operation::Hangup, Fault::drop_answer());
    let metrics = Metrics::default();
    let client = client(&fake, &metrics);

    client
        .call(CALL)
        .hangup(HangupRequest::new())
        .timeout(Duration::from_millis(200))
        .await
        .unwrap();

    let outcomes: Vec<String> = metrics.snapshot().into_keys().map(|k| k.outcome).collect();
    assert_eq!(outcomes, ["200", "timeout"]);
}

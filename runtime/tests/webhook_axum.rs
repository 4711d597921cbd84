//! The axum extractor of verified webhooks, in a router on a loopback port: a signed delivery
//! reaches the handler, a forged or stale one gets `401`, a malformed one `400`, and neither says why.
#![cfg(feature = "axum")]

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::routing::post;
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::{Signer as _, SigningKey};
use telnyx_call_control_runtime::webhooks::{
    Verified, Verifier, WebhookRejection, SIGNATURE_HEADER, TIMESTAMP_HEADER,
};

const BODY: &str = r#"{"data":{"event_type":"call.hangup","id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","payload":{},"record_type":"event"}}"#;

fn key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn sign(key: &SigningKey, timestamp: &str, body: &str) -> String {
    STANDARD.encode(
        key.sign(format!("{timestamp}|{body}").as_bytes())
            .to_bytes(),
    )
}

/// What the handlers saw: event types received, and rejections as text.
#[derive(Clone)]
struct App {
    verifier: Verifier,
    received: Arc<Mutex<Vec<String>>>,
    rejected: Arc<Mutex<Vec<String>>>,
}

impl axum::extract::FromRef<App> for Verifier {
    fn from_ref(app: &App) -> Verifier {
        app.verifier.clone()
    }
}

async fn receive(State(app): State<App>, Verified(event): Verified) {
    let event_type = event["data"]["event_type"].as_str().unwrap_or_default();
    if let Ok(mut received) = app.received.lock() {
        received.push(event_type.to_owned());
    }
}

async fn receive_or_log(
    State(app): State<App>,
    delivery: Result<Verified, WebhookRejection>,
) -> Result<(), WebhookRejection> {
    let Verified(_) = delivery.inspect_err(|rejection| {
        if let Ok(mut rejected) = app.rejected.lock() {
            rejected.push(rejection.to_string());
        }
    })?;
    Ok(())
}

/// Starts the router on 127.0.0.1 and returns its base URL and state.
async fn start() -> Result<(String, App), Box<dyn std::error::Error>> {
    let app = App {
        verifier: Verifier::new(&STANDARD.encode(key().verifying_key().as_bytes()))?,
        received: Arc::default(),
        rejected: Arc::default(),
    };
    let router = Router::new()
        .route("/webhooks", post(receive))
        .route("/logged", post(receive_or_log))
        .with_state(app.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok((format!("http://{address}"), app))
}

/// Posts `body` with the given headers; the status and the response's body.
async fn post_to(
    url: &str,
    headers: &[(&str, String)],
    body: &'static str,
) -> Result<(u16, String), Box<dyn std::error::Error>> {
    let mut request = reqwest::Client::new().post(url).body(body);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    Ok((status, response.text().await?))
}

fn signed(key: &SigningKey, timestamp: u64, body: &str) -> Vec<(&'static str, String)> {
    let timestamp = timestamp.to_string();
    vec![
        (SIGNATURE_HEADER, sign(key, &timestamp, body)),
        (TIMESTAMP_HEADER, timestamp),
    ]
}

#[tokio::test]
async fn a_signed_delivery_reaches_the_handler() -> Result<(), Box<dyn std::error::Error>> {
    let (url, app) = start().await?;

    let answer = post_to(
        &format!("{url}/webhooks"),
        &signed(&key(), now(), BODY),
        BODY,
    )
    .await?;

    assert_eq!(answer, (200, String::new()));
    let received = app.received.lock().map_err(|e| e.to_string())?.clone();
    assert_eq!(received, ["call.hangup"]);
    Ok(())
}

#[tokio::test]
async fn forged_stale_and_malformed_deliveries_are_refused_without_a_reason(
) -> Result<(), Box<dyn std::error::Error>> {
    let (url, app) = start().await?;
    let url = format!("{url}/webhooks");
    let forger = SigningKey::from_bytes(&[8; 32]);

    let forged = post_to(&url, &signed(&forger, now(), BODY), BODY).await?;
    let stale = post_to(&url, &signed(&key(), now() - 3600, BODY), BODY).await?;
    let unsigned = post_to(&url, &[], BODY).await?;
    let not_json = post_to(&url, &signed(&key(), now(), "not json"), "not json").await?;

    assert_eq!(forged, (401, String::new()));
    assert_eq!(stale, (401, String::new()));
    assert_eq!(unsigned, (400, String::new()));
    assert_eq!(not_json, (400, String::new()));
    let received = app.received.lock().map_err(|e| e.to_string())?.clone();
    assert!(received.is_empty(), "{received:?}");
    Ok(())
}

#[tokio::test]
async fn a_handler_taking_the_result_sees_why() -> Result<(), Box<dyn std::error::Error>> {
    let (url, app) = start().await?;

    let answer = post_to(&format!("{url}/logged"), &[], BODY).await?;

    assert_eq!(answer, (400, String::new()));
    let rejected = app.rejected.lock().map_err(|e| e.to_string())?.clone();
    assert_eq!(rejected, ["missing `telnyx-signature-ed25519` header"]);
    Ok(())
}

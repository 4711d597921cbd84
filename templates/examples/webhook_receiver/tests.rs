//! The example receiver, started on a loopback port: a signed event is accepted, an unsigned or
//! wrongly signed one is rejected, and rejections carry no detail.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::{Signer as _, SigningKey};
use std::time::{SystemTime, UNIX_EPOCH};
use telnyx_call_control::webhooks::Verifier;

#[allow(dead_code)]
mod app;

const EVENT: &str = r#"{"data":{"event_type":"call.gather.ended","id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","payload":{"digits":"123","status":"valid"},"record_type":"event"}}"#;

fn key() -> SigningKey {
    SigningKey::from_bytes(&[11; 32])
}

fn now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    secs.to_string()
}

fn sign(key: &SigningKey, timestamp: &str, body: &str) -> String {
    let message = format!("{timestamp}|{body}");
    STANDARD.encode(key.sign(message.as_bytes()).to_bytes())
}

/// Starts the receiver on 127.0.0.1 and returns its URL.
async fn start() -> String {
    let verifier = Verifier::new(&STANDARD.encode(key().verifying_key().to_bytes())).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app::app(verifier)).await });
    format!("http://{addr}/webhooks")
}

async fn post(url: &str, headers: &[(&str, String)], body: &'static str) -> (u16, String) {
    let mut request = telnyx_call_control::reqwest::Client::new()
        .post(url)
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn a_signed_event_is_accepted() {
    let url = start().await;
    let ts = now();
    let headers = [
        ("telnyx-timestamp", ts.clone()),
        ("telnyx-signature-ed25519", sign(&key(), &ts, EVENT)),
    ];
    assert_eq!(post(&url, &headers, EVENT).await.0, 200);
}

#[tokio::test]
async fn an_unsigned_event_is_rejected_without_detail() {
    let url = start().await;
    let (status, body) = post(&url, &[("telnyx-timestamp", now())], EVENT).await;
    assert_eq!(status, 400);
    assert!(body.is_empty(), "leaked: {body}");
}

#[tokio::test]
async fn a_wrongly_signed_event_is_unauthorized_without_detail() {
    let url = start().await;
    let ts = now();
    let other = SigningKey::from_bytes(&[12; 32]);
    let headers = [
        ("telnyx-timestamp", ts.clone()),
        ("telnyx-signature-ed25519", sign(&other, &ts, EVENT)),
    ];
    let (status, body) = post(&url, &headers, EVENT).await;
    assert_eq!(status, 401);
    assert!(body.is_empty(), "leaked: {body}");
}

#[tokio::test]
async fn a_signed_body_that_is_not_json_is_a_bad_request() {
    let url = start().await;
    let ts = now();
    let body = "not json";
    let headers = [
        ("telnyx-timestamp", ts.clone()),
        ("telnyx-signature-ed25519", sign(&key(), &ts, body)),
    ];
    assert_eq!(post(&url, &headers, body).await.0, 400);
}

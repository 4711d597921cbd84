//! Interceptors run around every attempt: before it (method, path, attempt number; headers to add)
//! and after it (status, headers, time taken), without ever seeing the API key.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use telnyx_call_control_runtime::reqwest::header::{HeaderValue, AUTHORIZATION};
use telnyx_call_control_runtime::reqwest::Method;
use telnyx_call_control_runtime::{AttemptOutcome, AttemptRequest, Client, Interceptor};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "KEY_interceptor_secret";

/// What an interceptor saw of one attempt.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    method: String,
    path: String,
    url_template: Option<&'static str>,
    attempt: u32,
    saw_authorization: bool,
}

/// What it saw after one attempt.
#[derive(Debug, Clone, PartialEq)]
struct Ended {
    attempt: u32,
    status: Option<u16>,
    error_type: Option<String>,
    request_id: Option<String>,
    elapsed: Duration,
}

/// Counts attempts, tags each with its number, and records what it saw.
#[derive(Clone, Default)]
struct Recorder {
    before: Arc<Mutex<Vec<Seen>>>,
    after: Arc<Mutex<Vec<Ended>>>,
}

impl Interceptor for Recorder {
    fn before_attempt(&self, request: &mut AttemptRequest<'_>) {
        let seen = Seen {
            method: request.method().to_string(),
            path: request.path().to_owned(),
            url_template: request.url_template(),
            attempt: request.attempt(),
            saw_authorization: request.headers().contains_key(AUTHORIZATION),
        };
        let tag = HeaderValue::from(request.attempt());
        request.headers_mut().insert("x-attempt", tag);
        if let Ok(mut before) = self.before.lock() {
            before.push(seen);
        }
    }

    fn after_attempt(&self, outcome: &AttemptOutcome<'_>) {
        let ended = Ended {
            attempt: outcome.attempt(),
            status: outcome.status().map(|s| s.as_u16()),
            error_type: outcome.error_type().map(str::to_owned),
            request_id: outcome
                .headers()
                .and_then(|h| h.get("x-request-id"))
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            elapsed: outcome.elapsed(),
        };
        if let Ok(mut after) = self.after.lock() {
            after.push(ended);
        }
    }
}

/// Sets its own `Authorization`, as a custom auth scheme would.
struct CustomAuth;

impl Interceptor for CustomAuth {
    fn before_attempt(&self, request: &mut AttemptRequest<'_>) {
        request
            .headers_mut()
            .insert(AUTHORIZATION, HeaderValue::from_static("Token custom"));
    }
}

#[tokio::test]
async fn an_interceptor_counts_attempts_and_adds_a_header() -> Result<(), Box<dyn std::error::Error>>
{
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("x-attempt", "1"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("x-request-id", "first")
                .set_delay(Duration::from_millis(20)),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("x-attempt", "2"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "second")
                .set_body_json(json!({"data": {"result": "ok"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let recorder = Recorder::default();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .retry_sleep(|_| std::future::ready(()))
        .interceptor(recorder.clone())
        .build()?;

    let body: Value = client
        .request(
            Method::POST,
            "/calls/v3:abc/actions/hangup",
            Some(&json!({})),
        )
        .fill_command_id()
        .url_template("/calls/{call_control_id}/actions/hangup")
        .await?;

    assert_eq!(body["data"]["result"], "ok");
    let before = recorder.before.lock().map_err(|e| e.to_string())?.clone();
    let seen = |attempt| Seen {
        method: "POST".into(),
        path: "/calls/v3:abc/actions/hangup".into(),
        url_template: Some("/calls/{call_control_id}/actions/hangup"),
        attempt,
        saw_authorization: false,
    };
    assert_eq!(before, vec![seen(1), seen(2)]);
    let after = recorder.after.lock().map_err(|e| e.to_string())?.clone();
    assert_eq!(after.len(), 2, "{after:?}");
    assert_eq!(
        (
            after[0].attempt,
            after[0].status,
            after[0].error_type.as_deref()
        ),
        (1, Some(503), Some("503"))
    );
    assert_eq!(
        (
            after[1].attempt,
            after[1].status,
            after[1].error_type.as_deref()
        ),
        (2, Some(200), None)
    );
    assert_eq!(after[0].request_id.as_deref(), Some("first"));
    assert_eq!(after[1].request_id.as_deref(), Some("second"));
    assert!(after[0].elapsed >= Duration::from_millis(20), "{after:?}");
    Ok(())
}

#[tokio::test]
async fn an_interceptor_sees_attempts_that_got_no_response(
) -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let recorder = Recorder::default();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .timeout(Duration::from_millis(50))
        .max_retries(1)
        .retry_sleep(|_| std::future::ready(()))
        .interceptor(recorder.clone())
        .build()?;

    let error = client
        .request::<Value, ()>(Method::GET, "/balance", None)
        .await
        .err();

    assert!(error.is_some_and(|e| e.is_timeout()));
    let after = recorder.after.lock().map_err(|e| e.to_string())?.clone();
    let ends: Vec<(u32, Option<u16>, Option<&str>)> = after
        .iter()
        .map(|e| (e.attempt, e.status, e.error_type.as_deref()))
        .collect();
    assert_eq!(
        ends,
        [(1, None, Some("timeout")), (2, None, Some("timeout"))]
    );
    Ok(())
}

#[tokio::test]
async fn an_interceptor_can_replace_the_authorization() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Token custom"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .interceptor(CustomAuth)
        .build()?;

    let answer: Value = client
        .request::<_, ()>(Method::GET, "/balance", None)
        .await?;

    assert_eq!(answer, json!({}));
    let sent = server.received_requests().await.unwrap_or_default();
    let everything = format!("{sent:?}");
    assert!(
        !everything.contains(KEY),
        "the API key was sent: {everything}"
    );
    Ok(())
}

#[tokio::test]
async fn interceptors_run_in_the_order_they_were_added() -> Result<(), Box<dyn std::error::Error>> {
    /// Appends its name to `x-order`.
    struct Named(&'static str);

    impl Interceptor for Named {
        fn before_attempt(&self, request: &mut AttemptRequest<'_>) {
            let order = request
                .headers()
                .get("x-order")
                .and_then(|v| v.to_str().ok())
                .map_or_else(|| self.0.to_owned(), |o| format!("{o}>{}", self.0));
            if let Ok(value) = HeaderValue::try_from(order) {
                request.headers_mut().insert("x-order", value);
            }
        }
    }

    let server = MockServer::start().await;
    Mock::given(header("x-order", "first>second"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .interceptor(Named("first"))
        .interceptor(Named("second"))
        .build()?;

    let answer: Value = client
        .request::<_, ()>(Method::GET, "/balance", None)
        .await?;

    assert_eq!(answer, json!({}));
    Ok(())
}

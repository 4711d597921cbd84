//! Retry policy seen from outside: which responses are retried, how long the client waits,
//! when it gives up, and that retries of a command carry one `command_id`.
//!
//! Waits go through an injected sleeper that records each delay and returns at once, so
//! the tests assert the computed delays without spending them.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde_json::{json, Value};
use telnyx_call_control_runtime::reqwest::Method;
use telnyx_call_control_runtime::{Client, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const SPEAK: &str = "/calls/v3:abc/actions/speak";

/// Delays the client asked to wait, in order.
#[derive(Clone, Default)]
struct Delays(Arc<Mutex<Vec<Duration>>>);

impl Delays {
    fn taken(&self) -> Vec<Duration> {
        self.0.lock().map(|d| d.clone()).unwrap_or_default()
    }
}

fn client(base_url: &str, delays: &Delays, max_retries: u32) -> Result<Client, Error> {
    let record = delays.clone();
    Client::builder()
        .api_key("KEY_test")
        .base_url(base_url)
        .max_retries(max_retries)
        .retry_sleep(move |delay| {
            if let Ok(mut taken) = record.0.lock() {
                taken.push(delay);
            }
            std::future::ready(())
        })
        .build()
}

/// A command request like the generated ones: JSON body, idempotent.
async fn speak(client: &Client) -> Result<Value, Error> {
    client
        .request::<Value, _>(Method::POST, SPEAK, Some(&json!({"payload": "hi"})))
        .fill_command_id()
        .await
}

fn ok_body() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": {"result": "ok"}}))
}

async fn mount_sequence(server: &MockServer, first: ResponseTemplate, times: u64) {
    Mock::given(method("POST"))
        .and(path(SPEAK))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(SPEAK))
        .respond_with(ok_body())
        .with_priority(2)
        .mount(server)
        .await;
}

async fn sent_command_ids(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
        .filter_map(|b| {
            b.get("command_id")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect()
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

#[tokio::test]
async fn rate_limited_request_succeeds_after_retry_after() -> TestResult {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("Retry-After", "3");
    mount_sequence(&server, limited, 1).await;
    let delays = Delays::default();
    let client = client(&server.uri(), &delays, 2)?;

    let body = speak(&client).await?;

    assert_eq!(body["data"]["result"], "ok");
    assert_eq!(delays.taken(), [Duration::from_secs(3)]);
    assert_eq!(request_count(&server).await, 2);
    Ok(())
}

#[tokio::test]
async fn retry_after_ms_takes_precedence() -> TestResult {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429)
        .insert_header("Retry-After-Ms", "150")
        .insert_header("Retry-After", "9");
    mount_sequence(&server, limited, 1).await;
    let delays = Delays::default();

    speak(&client(&server.uri(), &delays, 2)?).await?;

    assert_eq!(delays.taken(), [Duration::from_millis(150)]);
    Ok(())
}

#[tokio::test]
async fn retry_after_http_date_becomes_a_delay() -> TestResult {
    let server = MockServer::start().await;
    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
    let unavailable = ResponseTemplate::new(503).insert_header("Retry-After", at.as_str());
    mount_sequence(&server, unavailable, 1).await;
    let delays = Delays::default();

    speak(&client(&server.uri(), &delays, 2)?).await?;

    let taken = delays.taken();
    assert_eq!(taken.len(), 1);
    // The date has one-second resolution and some time passes before it is read.
    assert!(
        taken[0] > Duration::from_secs(27) && taken[0] <= Duration::from_secs(30),
        "{taken:?}"
    );
    Ok(())
}

#[tokio::test]
async fn retry_after_beyond_a_minute_is_capped() -> TestResult {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("Retry-After", "3600");
    mount_sequence(&server, limited, 1).await;
    let delays = Delays::default();

    speak(&client(&server.uri(), &delays, 2)?).await?;

    assert_eq!(delays.taken(), [Duration::from_secs(60)]);
    Ok(())
}

#[tokio::test]
async fn server_errors_give_up_after_the_configured_retries() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("x-request-id", "req-500")
                .set_body_json(json!({"errors": [{"code": "10000", "title": "Internal error"}]})),
        )
        .mount(&server)
        .await;
    let delays = Delays::default();

    let err = speak(&client(&server.uri(), &delays, 2)?)
        .await
        .err()
        .ok_or("expected an error")?;

    assert_eq!(request_count(&server).await, 3);
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.request_id(), Some("req-500"));
    assert!(err.is_retryable());
    let shown = err.to_string();
    assert!(shown.contains("3 attempts"), "{shown}");
    // Exponential backoff with up to 25 % jitter: ~0.5 s, then ~1 s.
    let taken = delays.taken();
    assert_eq!(taken.len(), 2);
    assert!(taken[0] > Duration::from_millis(374) && taken[0] <= Duration::from_millis(500));
    assert!(taken[1] > Duration::from_millis(749) && taken[1] <= Duration::from_millis(1000));
    Ok(())
}

#[tokio::test]
async fn per_request_max_retries_overrides_the_client() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let client = client(&server.uri(), &Delays::default(), 5)?;

    let err = client
        .request::<Value, ()>(Method::GET, "/balance", None)
        .max_retries(1)
        .await
        .err()
        .ok_or("expected an error")?;

    assert_eq!(err.attempts(), 2);
    assert_eq!(request_count(&server).await, 2);
    Ok(())
}

#[tokio::test]
async fn zero_retries_disables_retrying() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let delays = Delays::default();

    let err = speak(&client(&server.uri(), &delays, 0)?)
        .await
        .err()
        .ok_or("expected an error")?;

    assert_eq!(err.attempts(), 1);
    assert_eq!(request_count(&server).await, 1);
    assert!(delays.taken().is_empty());
    Ok(())
}

#[tokio::test]
async fn retryable_statuses_are_retried() -> TestResult {
    for status in [408, 409, 429, 500, 503, 504] {
        let server = MockServer::start().await;
        mount_sequence(&server, ResponseTemplate::new(status), 1).await;

        let response = client(&server.uri(), &Delays::default(), 2)?
            .request::<Value, _>(Method::POST, SPEAK, Some(&json!({})))
            .send_with_response()
            .await?;

        assert_eq!(response.attempts(), 2, "status {status}");
    }
    Ok(())
}

#[tokio::test]
async fn client_errors_are_not_retried_and_expose_the_error_fields() -> TestResult {
    for status in [400, 422] {
        let server = MockServer::start().await;
        let body = json!({"errors": [{
            "code": "10015",
            "title": "Invalid value",
            "detail": "The 'to' field must be E.164.",
            "source": {"pointer": "/to", "parameter": "to"},
            "meta": {"url": "https://developers.telnyx.com/docs/overview/errors/10015"}
        }]});
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&server)
            .await;
        let delays = Delays::default();

        let err = speak(&client(&server.uri(), &delays, 2)?)
            .await
            .err()
            .ok_or("expected an error")?;

        assert_eq!(request_count(&server).await, 1, "status {status}");
        assert!(delays.taken().is_empty());
        assert!(!err.is_retryable());
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let detail = err.api_errors().first().ok_or("no error detail")?;
        assert_eq!(detail.code, "10015");
        assert_eq!(detail.title, "Invalid value");
        assert_eq!(
            detail.detail.as_deref(),
            Some("The 'to' field must be E.164.")
        );
        let source = detail.source.as_ref().ok_or("no source")?;
        assert_eq!(source.pointer.as_deref(), Some("/to"));
        assert_eq!(source.parameter.as_deref(), Some("to"));
        assert!(detail.meta.as_ref().is_some_and(|m| m.contains_key("url")));
        let shown = err.to_string();
        assert!(
            shown.starts_with(&format!("POST {SPEAK}: HTTP {status}")),
            "{shown}"
        );
        assert!(
            shown.contains("Invalid value: The 'to' field must be E.164."),
            "{shown}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn numeric_error_codes_are_accepted() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(
                json!({"errors": [{"code": 90018, "title": "Call has already ended"}]}),
            ),
        )
        .mount(&server)
        .await;

    let err = speak(&client(&server.uri(), &Delays::default(), 2)?)
        .await
        .err()
        .ok_or("expected an error")?;

    assert_eq!(
        err.api_errors().first().map(|e| e.code.as_str()),
        Some("90018")
    );
    Ok(())
}

#[tokio::test]
async fn should_retry_false_stops_a_retryable_status() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("x-should-retry", "false"))
        .mount(&server)
        .await;

    let err = speak(&client(&server.uri(), &Delays::default(), 2)?)
        .await
        .err()
        .ok_or("expected an error")?;

    assert_eq!(request_count(&server).await, 1);
    assert_eq!(err.attempts(), 1);
    assert!(!err.is_retryable());
    Ok(())
}

#[tokio::test]
async fn should_retry_true_retries_a_client_error() -> TestResult {
    let server = MockServer::start().await;
    let bad = ResponseTemplate::new(400).insert_header("x-should-retry", "true");
    mount_sequence(&server, bad, 1).await;

    let response = client(&server.uri(), &Delays::default(), 2)?
        .request::<Value, _>(Method::POST, SPEAK, Some(&json!({})))
        .send_with_response()
        .await?;

    assert_eq!(response.attempts(), 2);
    assert_eq!(request_count(&server).await, 2);
    Ok(())
}

#[tokio::test]
async fn retries_resend_the_same_command_id() -> TestResult {
    let server = MockServer::start().await;
    mount_sequence(&server, ResponseTemplate::new(500), 2).await;
    let client = client(&server.uri(), &Delays::default(), 2)?;

    speak(&client).await?;
    let first = sent_command_ids(&server).await;
    speak(&client).await?;
    let both = sent_command_ids(&server).await;

    assert_eq!(first.len(), 3);
    assert!(first.iter().all(|id| id == &first[0]), "{first:?}");
    let id = uuid::Uuid::parse_str(&first[0])?;
    assert_eq!(id.get_version_num(), 4);
    assert_eq!(both.len(), 4);
    assert_ne!(both[3], first[0], "a new logical request needs a new id");
    Ok(())
}

#[tokio::test]
async fn callers_command_id_is_kept() -> TestResult {
    let server = MockServer::start().await;
    mount_sequence(&server, ResponseTemplate::new(503), 1).await;
    let client = client(&server.uri(), &Delays::default(), 2)?;

    client
        .request::<Value, _>(
            Method::POST,
            SPEAK,
            Some(&json!({"payload": "hi", "command_id": "my-own-id"})),
        )
        .fill_command_id()
        .await?;

    assert_eq!(sent_command_ids(&server).await, ["my-own-id", "my-own-id"]);
    Ok(())
}

#[tokio::test]
async fn no_command_id_without_fill() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok_body())
        .mount(&server)
        .await;
    let client = client(&server.uri(), &Delays::default(), 2)?;

    client
        .request::<Value, _>(Method::POST, SPEAK, Some(&json!({"payload": "hi"})))
        .await?;

    assert!(sent_command_ids(&server).await.is_empty());
    Ok(())
}

#[tokio::test]
async fn timeouts_are_retried_then_reported_as_timeouts() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok_body().set_delay(Duration::from_millis(500)))
        .mount(&server)
        .await;
    let delays = Delays::default();

    let err = speak_with_timeout(&client(&server.uri(), &delays, 2)?, 50).await;
    let err = err.err().ok_or("expected an error")?;

    assert!(err.is_timeout(), "{err:?}");
    assert!(matches!(err, Error::Timeout { timeout, .. } if timeout == Duration::from_millis(50)));
    assert_eq!(err.attempts(), 3);
    assert!(err.is_retryable());
    assert_eq!(delays.taken().len(), 2);
    assert_eq!(sent_command_ids(&server).await.len(), 3);
    Ok(())
}

#[tokio::test]
async fn a_timed_out_attempt_is_retried_to_success() -> TestResult {
    let server = MockServer::start().await;
    let slow = ok_body().set_delay(Duration::from_millis(500));
    mount_sequence(&server, slow, 1).await;

    let body = speak_with_timeout(&client(&server.uri(), &Delays::default(), 2)?, 100).await?;

    assert_eq!(body["data"]["result"], "ok");
    let ids = sent_command_ids(&server).await;
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0], ids[1]);
    Ok(())
}

#[tokio::test]
async fn client_timeout_applies_to_every_request() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok_body().set_delay(Duration::from_millis(500)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("KEY_test")
        .base_url(server.uri())
        .timeout(Duration::from_millis(50))
        .max_retries(0)
        .build()?;

    let err = speak(&client).await.err().ok_or("expected an error")?;

    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), 1);
    Ok(())
}

async fn speak_with_timeout(client: &Client, millis: u64) -> Result<Value, Error> {
    client
        .request::<Value, _>(Method::POST, SPEAK, Some(&json!({"payload": "hi"})))
        .fill_command_id()
        .timeout(Duration::from_millis(millis))
        .await
}

#[tokio::test]
async fn connection_errors_are_retried_then_reported() -> TestResult {
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let delays = Delays::default();
    let client = client(&format!("http://127.0.0.1:{port}"), &delays, 2)?;

    let err = speak(&client).await.err().ok_or("expected an error")?;

    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert!(err.is_retryable());
    assert_eq!(delays.taken().len(), 2);
    assert!(!err.to_string().contains("KEY_test"));
    Ok(())
}

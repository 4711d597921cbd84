//! With the `tracing` feature, each attempt gets a span named and filled by OpenTelemetry's HTTP
//! client conventions, and nothing traced contains the API key or a body.
#![cfg(feature = "tracing")]

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use telnyx_call_control_runtime::reqwest::Method;
use telnyx_call_control_runtime::Client;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "KEY_tracing_secret";
const SECRET_PAYLOAD: &str = "the secret payload";
const TEMPLATE: &str = "/calls/{call_control_id}/actions/speak";
const COMMAND_ID: &str = "0b7b8e7a-6d34-4a8e-9c1f-2f0d6a3c5e11";

/// A span as recorded: its name and `field=value` pairs.
#[derive(Debug, Clone, Default)]
struct SpanRecord {
    name: String,
    fields: Vec<(String, String)>,
}

impl SpanRecord {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Collects every span and event in memory.
#[derive(Clone, Default)]
struct Recorder {
    spans: Arc<Mutex<Vec<SpanRecord>>>,
    events: Arc<Mutex<Vec<String>>>,
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut record = SpanRecord {
            name: attributes.metadata().name().to_owned(),
            fields: Vec::new(),
        };
        attributes.record(&mut Fields(&mut record.fields));
        // Span ids are 1-based positions in `spans`.
        let position = self.spans.lock().map_or(u64::MAX, |mut spans| {
            spans.push(record);
            spans.len() as u64
        });
        Id::from_u64(position)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Ok(mut spans) = self.spans.lock() {
            let index = usize::try_from(span.into_u64()).unwrap_or(usize::MAX);
            if let Some(record) = spans.get_mut(index.wrapping_sub(1)) {
                values.record(&mut Fields(&mut record.fields));
            }
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        if let Ok(mut events) = self.events.lock() {
            events.push(format!("{} {fields:?}", event.metadata().name()));
        }
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn each_attempt_has_a_span_without_secrets() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {}})))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .retry_sleep(|_| std::future::ready(()))
        .build()?;
    let recorder = Recorder::default();
    // The test runtime is single-threaded, so a thread-local subscriber sees every attempt.
    let _guard = tracing::subscriber::set_default(recorder.clone());

    client
        .request::<Value, _>(
            Method::POST,
            "/calls/v3:abc/actions/speak",
            Some(&json!({"payload": SECRET_PAYLOAD, "command_id": COMMAND_ID})),
        )
        .url_template(TEMPLATE)
        .await?;

    let spans = recorder.spans.lock().map_err(|e| e.to_string())?.clone();
    let attempts: Vec<&SpanRecord> = spans
        .iter()
        .filter(|s| s.name == "telnyx.request")
        .collect();
    assert_eq!(attempts.len(), 2, "{spans:?}");
    let address = server.address();
    let port = address.port().to_string();
    for span in &attempts {
        assert_eq!(
            span.field("otel.name"),
            Some("POST /calls/{call_control_id}/actions/speak")
        );
        assert_eq!(span.field("url.template"), Some(TEMPLATE));
        assert_eq!(span.field("otel.kind"), Some("client"));
        assert_eq!(span.field("http.request.method"), Some("POST"));
        assert_eq!(span.field("url.path"), Some("/calls/v3:abc/actions/speak"));
        assert_eq!(span.field("server.address"), Some("127.0.0.1"));
        assert_eq!(span.field("server.port"), Some(port.as_str()));
        assert_eq!(span.field("telnyx.command_id"), Some(COMMAND_ID));
    }
    let (first, second) = (attempts[0], attempts[1]);
    assert_eq!(first.field("http.response.status_code"), Some("503"));
    assert_eq!(first.field("error.type"), Some("503"));
    assert_eq!(first.field("http.request.resend_count"), None);
    assert_eq!(second.field("http.response.status_code"), Some("200"));
    assert_eq!(second.field("error.type"), None);
    assert_eq!(second.field("http.request.resend_count"), Some("1"));
    let events = recorder.events.lock().map_err(|e| e.to_string())?.clone();
    let everything = format!("{spans:?} {events:?}");
    assert!(!everything.contains(KEY), "{everything}");
    assert!(!everything.contains(SECRET_PAYLOAD), "{everything}");
    Ok(())
}

#[tokio::test]
async fn an_attempt_without_a_response_names_why() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v2", server.uri()))
        .timeout(std::time::Duration::from_millis(50))
        .max_retries(0)
        .build()?;
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());

    let result = client
        .request::<Value, ()>(Method::GET, "/calls/v3:abc", None)
        .await;

    assert!(result.is_err_and(|e| e.is_timeout()));
    let spans = recorder.spans.lock().map_err(|e| e.to_string())?.clone();
    let span = spans.iter().find(|s| s.name == "telnyx.request");
    assert_eq!(span.and_then(|s| s.field("error.type")), Some("timeout"));
    assert_eq!(
        span.and_then(|s| s.field("http.response.status_code")),
        None
    );
    // The whole path, the base URL's included; no body, so no command id.
    assert_eq!(
        span.and_then(|s| s.field("url.path")),
        Some("/v2/calls/v3:abc")
    );
    assert_eq!(span.and_then(|s| s.field("telnyx.command_id")), None);
    // Without a template, the span is named after the method alone.
    assert_eq!(span.and_then(|s| s.field("otel.name")), Some("GET"));
    assert_eq!(span.and_then(|s| s.field("url.template")), None);
    Ok(())
}

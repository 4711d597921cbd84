//! With the `tracing` feature, each attempt gets a span with method, path, attempt and
//! status, and nothing traced contains the API key or a body.
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
            Some(&json!({"payload": SECRET_PAYLOAD})),
        )
        .await?;

    let spans = recorder.spans.lock().map_err(|e| e.to_string())?.clone();
    let attempts: Vec<&SpanRecord> = spans
        .iter()
        .filter(|s| s.name == "telnyx.request")
        .collect();
    assert_eq!(attempts.len(), 2, "{spans:?}");
    for (number, (span, status)) in attempts.iter().zip(["503", "200"]).enumerate() {
        assert_eq!(span.field("method"), Some("POST"));
        assert_eq!(span.field("path"), Some("/calls/v3:abc/actions/speak"));
        assert_eq!(
            span.field("attempt"),
            Some((number + 1).to_string().as_str())
        );
        assert_eq!(span.field("status"), Some(status));
    }
    let events = recorder.events.lock().map_err(|e| e.to_string())?.clone();
    let everything = format!("{spans:?} {events:?}");
    assert!(!everything.contains(KEY), "{everything}");
    assert!(!everything.contains(SECRET_PAYLOAD), "{everything}");
    Ok(())
}

//! Signed webhook deliveries, as Telnyx makes them: `telnyx-timestamp` (Unix seconds) and
//! `telnyx-signature-ed25519` (base64 Ed25519 over `"{timestamp}|{body}"`), to loopback URLs only;
//! and forged ones, for testing an application's verifier.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::{Signer as _, SigningKey};
use serde_json::{json, Value};

use super::event::Event;
use telnyx_call_control_runtime::webhooks::{signed_message, SIGNATURE_HEADER, TIMESTAMP_HEADER};

/// One attempt to deliver a webhook: what was sent, where and when, and what came of it. Every
/// attempt is kept ([`FakeTelnyx::deliveries`](super::FakeTelnyx::deliveries)), refused ones
/// too, and each can be posted again ([`FakeTelnyx::replay`](super::FakeTelnyx::replay)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// The event's `kind` (`callGatherEnded`).
    pub kind: String,
    /// Its `data.event_type` (`call.gather.ended`), when it has one.
    pub event_type: Option<String>,
    /// Its `id`, the same on every attempt.
    pub event_id: Option<String>,
    /// The call it is about, when it names one.
    pub call_control_id: Option<String>,
    /// 1 for the first attempt; redeliveries (and the failover URL's turn) count on.
    pub attempt: u32,
    /// Where it was posted.
    pub url: String,
    /// When, in the simulation's time.
    pub at: std::time::Duration,
    /// The application's status; `None` when no answer came (connection refused, timeout).
    pub status: Option<u16>,
    /// The application's answer, or why none came.
    pub body: String,
    /// What was posted, to post it again.
    pub(crate) sent: Signed,
}

impl Delivery {
    /// Whether the application accepted it (a 2xx status).
    pub fn accepted(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// A webhook the fake gave up on: every attempt failed, redeliveries and failover included.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{}` (id {}{}) was given up after {attempts} attempt(s); the last: {last}", .event_type.as_deref().unwrap_or(.kind), .event_id.as_deref().unwrap_or("none"), .call_control_id.as_ref().map(|c| format!(", about {c}")).unwrap_or_default())]
#[non_exhaustive]
pub struct GivenUp {
    pub kind: String,
    pub event_type: Option<String>,
    pub event_id: Option<String>,
    pub call_control_id: Option<String>,
    pub attempts: u32,
    /// What the last attempt came to.
    pub last: String,
}

/// A signed delivery as posted: body and headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Signed {
    pub(crate) kind: String,
    body: Vec<u8>,
    timestamp: String,
    signature: String,
}

/// A delivery that is not what Telnyx would send, for testing the application's verifier: it should
/// refuse each of these (and [`FakeTelnyx::replay`](super::FakeTelnyx::replay)ed ones it has seen).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Forgery {
    /// A signature that is valid base64 of the right length but signs nothing.
    BadSignature,
    /// The body was changed after it was signed.
    TamperedBody,
    /// Signed with another Ed25519 key than the fake's.
    OtherKey,
    /// Signed correctly, `age` ago (the verifier's default tolerance is 300 s).
    Stale(std::time::Duration),
    /// No signature header at all.
    Unsigned,
}

/// Why a delivery did not reach the application, or was refused by it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// No webhook URL is set ([`super::FakeTelnyx::set_webhook_url`]).
    #[error("no webhook URL is set")]
    NoWebhookUrl,
    /// The URL is not `http(s)://` to `localhost` or a loopback address: the fake sends nothing
    /// outside the machine.
    #[error("webhook URL {0:?} is not a loopback http(s) URL")]
    NotLoopback(String),
    /// A value set on the event could not be written as JSON.
    #[error("event `{kind}` could not be built: {message}")]
    Build { kind: String, message: String },
    /// The request did not get an answer (connection refused, timeout).
    #[error("delivering `{kind}` failed: {source}")]
    Http {
        kind: String,
        #[source]
        source: reqwest::Error,
    },
    /// The application answered with a status that is not 2xx: Telnyx would retry, or give up.
    #[error("the application answered `{kind}` with {status}: {body:?}")]
    Rejected {
        kind: String,
        status: u16,
        body: String,
    },
}

/// Checks that a webhook URL stays on this machine.
pub(crate) fn loopback_url(url: &str) -> Result<url::Url, SendError> {
    let parsed = url::Url::parse(url).map_err(|_| SendError::NotLoopback(url.to_owned()))?;
    let loopback = match parsed.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if loopback && matches!(parsed.scheme(), "http" | "https") {
        Ok(parsed)
    } else {
        Err(SendError::NotLoopback(url.to_owned()))
    }
}

/// The bytes sent for an event: its JSON, with the `meta` real deliveries add (`attempt`,
/// `delivered_to`) when the event is wrapped in `data` and has none.
fn body(event: &Event, url: &url::Url, attempt: u32) -> Result<Vec<u8>, SendError> {
    if let Some(message) = event.error() {
        return Err(SendError::Build {
            kind: event.kind().to_owned(),
            message: message.to_owned(),
        });
    }
    let mut value = event.json().clone();
    if let Value::Object(map) = &mut value {
        if map.contains_key("data") && !map.contains_key("meta") {
            map.insert(
                "meta".into(),
                json!({"attempt": attempt, "delivered_to": url.as_str()}),
            );
        }
    }
    serde_json::to_vec(&value).map_err(|e| SendError::Build {
        kind: event.kind().to_owned(),
        message: e.to_string(),
    })
}

/// Seconds since the Unix epoch, `age` ago.
fn timestamp(age: std::time::Duration) -> String {
    SystemTime::now()
        .checked_sub(age)
        .unwrap_or(UNIX_EPOCH)
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
        .to_string()
}

/// `event` signed with `key` as Telnyx signs its `attempt`, or forged as `forgery` says.
pub(crate) fn sign(
    key: &SigningKey,
    url: &url::Url,
    event: &Event,
    attempt: u32,
    forgery: Option<&Forgery>,
) -> Result<Signed, SendError> {
    let mut body = body(event, url, attempt)?;
    let age = match forgery {
        Some(Forgery::Stale(age)) => *age,
        _ => std::time::Duration::ZERO,
    };
    let timestamp = timestamp(age);
    let signer = match forgery {
        Some(Forgery::OtherKey) => SigningKey::from_bytes(&[7; 32]),
        _ => key.clone(),
    };
    let signature = match forgery {
        Some(Forgery::Unsigned) => String::new(),
        Some(Forgery::BadSignature) => STANDARD.encode([0u8; 64]),
        _ => STANDARD.encode(signer.sign(&signed_message(&timestamp, &body)).to_bytes()),
    };
    if forgery == Some(&Forgery::TamperedBody) {
        body.extend_from_slice(b" ");
    }
    Ok(Signed {
        kind: event.kind().to_owned(),
        body,
        timestamp,
        signature,
    })
}

/// Posts a signed delivery, waiting `timeout` at most: the status and body of the answer.
pub(crate) async fn post(
    http: &reqwest::Client,
    url: &url::Url,
    sent: &Signed,
    timeout: std::time::Duration,
) -> Result<(u16, String), reqwest::Error> {
    let mut request = http
        .post(url.clone())
        .timeout(timeout)
        .header("content-type", "application/json")
        .header(TIMESTAMP_HEADER, &sent.timestamp);
    if !sent.signature.is_empty() {
        request = request.header(SIGNATURE_HEADER, &sent.signature);
    }
    let response = request.body(sent.body.clone()).send().await?;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    Ok((status, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_urls_are_accepted() {
        for ok in [
            "http://127.0.0.1:3000/webhooks",
            "http://localhost/x",
            "https://[::1]:8443/",
            "http://127.8.0.1/",
        ] {
            assert!(loopback_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "https://example.com/webhooks",
            "http://10.0.0.1/",
            "ftp://127.0.0.1/",
            "not a url",
            "http://localhost.example.com/",
        ] {
            assert!(
                matches!(loopback_url(bad), Err(SendError::NotLoopback(_))),
                "{bad}"
            );
        }
    }
}

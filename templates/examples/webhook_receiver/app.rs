//! A webhook receiver: verifies each delivery's Ed25519 signature, dispatches the event and answers
//! `200`. A request that is malformed gets `400`, one whose signature or timestamp does not check out
//! gets `401`; neither says why in the response (the reason is logged here instead).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use std::sync::Arc;
use telnyx_call_control::webhooks::{Verifier, WebhookError, WebhookEvent};

/// The receiver's routes: `POST /webhooks`.
pub fn app(verifier: Verifier) -> Router {
    Router::new()
        .route("/webhooks", post(receive))
        .with_state(Arc::new(verifier))
}

async fn receive(
    State(verifier): State<Arc<Verifier>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    match verifier.verify_and_parse_headers(&headers, &body) {
        Ok(event) => {
            handle(&event);
            StatusCode::OK
        }
        Err(e) => {
            eprintln!("rejected a delivery: {e}");
            status_for(&e)
        }
    }
}

/// Malformed requests are the sender's mistake (400); a signature or timestamp that does not check out
/// means the request is not from Telnyx or is replayed (401).
fn status_for(error: &WebhookError) -> StatusCode {
    match error {
        WebhookError::SignatureMismatch
        | WebhookError::TimestampTooOld { .. }
        | WebhookError::TimestampTooNew { .. } => StatusCode::UNAUTHORIZED,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// What an application does with events; here, a line per event.
fn handle(event: &WebhookEvent) {
    match event {
        WebhookEvent::CallGatherEnded(e) => {
            let payload = e.data.as_ref().and_then(|d| d.payload.as_ref());
            let digits = payload.and_then(|p| p.digits.as_deref()).unwrap_or("");
            println!("gather ended: digits {digits:?}");
        }
        WebhookEvent::CallDtmfReceived(e) => {
            let payload = e.data.as_ref().and_then(|d| d.payload.as_ref());
            println!("dtmf: {:?}", payload.and_then(|p| p.digit.as_deref()));
        }
        WebhookEvent::Unknown(raw) => println!("an event this crate does not know: {raw}"),
        other => println!("event: {}", other.kind()),
    }
}

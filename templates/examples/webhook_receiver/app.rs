//! A webhook receiver: verifies each delivery's Ed25519 signature, dispatches the event and answers
//! `200`. A request that is malformed gets `400`, one whose signature or timestamp does not check out
//! gets `401`; neither says why in the response (the reason is logged here instead). The extractor
//! `Verified` (feature `axum`) does the checking and chooses the status.

use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use telnyx_call_control::webhooks::{Verified, Verifier, WebhookEvent, WebhookRejection};

/// The receiver's routes: `POST /webhooks`.
pub fn app(verifier: Verifier) -> Router {
    Router::new()
        .route("/webhooks", post(receive))
        .with_state(verifier)
}

/// Taking the `Result` rather than `Verified` alone lets the handler log why a delivery was refused;
/// the response is the rejection's status, with an empty body.
async fn receive(
    delivery: Result<Verified<WebhookEvent>, WebhookRejection>,
) -> Result<StatusCode, WebhookRejection> {
    let Verified(event) = delivery.inspect_err(|e| eprintln!("rejected a delivery: {e}"))?;
    handle(&event);
    Ok(StatusCode::OK)
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

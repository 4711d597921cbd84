//! An IVR on Call Control, following Telnyx's Voice Gather guide: answer an incoming call, speak a
//! menu and gather one digit, then say the choice (or transfer to an operator on `0`), and hang up once
//! the speech ends. Which menu attempt a call is on travels in its client state, so the server keeps
//! nothing per call. `tests.rs` beside it runs whole calls through it against the crate's fake Telnyx.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use telnyx_call_control::types::{
    AnswerRequest, CallInitiatedPayloadDirection, GatherUsingSpeakRequest, HangupRequest,
    SpeakRequest, TransferCallRequest,
};
use telnyx_call_control::webhooks::{Verifier, WebhookEvent};
use telnyx_call_control::{CallHandle, Client};

/// How many times the menu is offered before the IVR gives up.
pub const MAX_ATTEMPTS: u8 = 3;
const VOICE: &str = "female";

/// What the IVR keeps in a call's `client_state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuState {
    pub attempt: u8,
}

/// The application: a client for commands, a verifier for deliveries, the operator's number.
pub struct Ivr {
    pub client: Client,
    pub verifier: Verifier,
    pub operator: String,
}

/// The IVR's routes: `POST /webhooks`.
pub fn app(ivr: Ivr) -> Router {
    Router::new()
        .route("/webhooks", post(receive))
        .with_state(Arc::new(ivr))
}

/// Verifies the delivery, runs the command it calls for, and answers `200` only once the command
/// was accepted; otherwise Telnyx retries the delivery.
async fn receive(State(ivr): State<Arc<Ivr>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let event = match ivr.verifier.verify_and_parse_headers(&headers, &body) {
        Ok(event) => event,
        Err(e) => {
            eprintln!("rejected a delivery: {e}");
            return StatusCode::UNAUTHORIZED;
        }
    };
    match ivr.handle(&event).await {
        Ok(()) => StatusCode::OK,
        Err(e) => {
            eprintln!("{}: {e}", event.kind());
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

impl Ivr {
    /// Whether the event is about the operator's leg of a transfer (it is the operator's call now).
    fn is_operator(&self, event: &WebhookEvent) -> bool {
        let WebhookEvent::CallAnswered(e) = event else {
            return false;
        };
        e.payload().and_then(|p| p.to.as_deref()) == Some(self.operator.as_str())
    }

    async fn handle(&self, event: &WebhookEvent) -> Result<(), Failure> {
        let Some(id) = event.call_control_id() else {
            return Ok(()); // not about a call
        };
        let call = self.client.call(id);
        match event {
            WebhookEvent::CallInitiated(e) => {
                let incoming = e
                    .payload()
                    .and_then(|p| p.direction.as_ref())
                    .is_some_and(|d| *d == CallInitiatedPayloadDirection::Incoming);
                // The operator's leg of a transfer starts here too; only callers are answered.
                if incoming {
                    call.answer(AnswerRequest::new()).await?;
                }
            }
            WebhookEvent::CallAnswered(_) if !self.is_operator(event) => menu(&call, 1).await?,
            WebhookEvent::CallGatherEnded(e) => {
                let payload = e.payload();
                let status = payload.and_then(|p| p.status.as_ref()).map(|s| s.as_str());
                if status == Some("call_hangup") {
                    return Ok(()); // the caller hung up during the menu: nothing to say to anyone
                }
                let valid = status == Some("valid");
                let digits = payload.and_then(|p| p.digits.as_deref()).filter(|_| valid);
                let attempt = match event.client_state_json::<MenuState>() {
                    Ok(state) => state.map_or(1, |s| s.attempt),
                    Err(e) => {
                        eprintln!("a client state that is not ours ({e}): starting over");
                        1
                    }
                };
                match digits {
                    Some("0") => {
                        let to = TransferCallRequest::builder()
                            .to(self.operator.as_str())
                            .build();
                        call.transfer(to).await?;
                    }
                    Some("1") => say(&call, "You chose sales. Goodbye.").await?,
                    Some("2") => say(&call, "You chose support. Goodbye.").await?,
                    _ if attempt < MAX_ATTEMPTS => menu(&call, attempt + 1).await?,
                    _ => say(&call, "Sorry, we did not get that. Goodbye.").await?,
                }
            }
            WebhookEvent::CallSpeakEnded(_) => {
                call.hangup(HangupRequest::new()).await?;
            }
            _ => {} // acknowledged, nothing to do
        }
        Ok(())
    }
}

/// Speaks the menu and gathers one digit; the attempt goes along in the client state.
async fn menu(call: &CallHandle, attempt: u8) -> Result<(), Failure> {
    let gather = GatherUsingSpeakRequest::builder()
        .payload("Press 1 for sales, 2 for support, or 0 for an operator.")
        .voice(VOICE)
        .valid_digits("012")
        .maximum_digits(1)
        .client_state_json(&MenuState { attempt })?
        .build();
    call.gather_using_speak(gather).await?;
    Ok(())
}

async fn say(call: &CallHandle, text: &str) -> Result<(), Failure> {
    call.speak(SpeakRequest::builder().payload(text).voice(VOICE).build())
        .await?;
    Ok(())
}

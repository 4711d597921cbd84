//! An axum extractor for verified webhook deliveries: the handler gets the parsed event only when
//! the signature and the timestamp check out.

use std::fmt;

use axum_core::extract::{FromRef, FromRequest, Request};
use axum_core::response::{IntoResponse, Response};
use bytes::Bytes;
use http::StatusCode;

use super::{Verifier, Webhook, WebhookError};

/// A webhook delivery whose Ed25519 signature and timestamp were checked, parsed into `E` (a
/// generated crate's `WebhookEvent`).
///
/// The [`Verifier`] comes from the router's state (the state itself, or a part of it through
/// [`FromRef`]). A delivery that does not check out is refused with an empty body: `401` when the
/// signature or the timestamp is wrong (not from Telnyx, or replayed), `400` when the request is
/// malformed (a header missing, a body that is not an event). Take
/// `Result<Verified<E>, WebhookRejection>` to see why, e.g. to log it.
///
/// ```
/// use axum::{routing::post, Router};
/// use telnyx_call_control_runtime::webhooks::{Verified, Verifier};
///
/// async fn receive(Verified(event): Verified<serde_json::Value>) {
///     println!("{}", event["data"]["event_type"]);
/// }
///
/// fn app(verifier: Verifier) -> Router {
///     Router::new().route("/webhooks", post(receive)).with_state(verifier)
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Verified<E = serde_json::Value>(pub E);

impl<S, E> FromRequest<S> for Verified<E>
where
    S: Send + Sync,
    E: Webhook + Send,
    Verifier<E>: FromRef<S>,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = Verifier::<E>::from_ref(state);
        let headers = request.headers().clone();
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|_| WebhookRejection::Body)?;
        verifier
            .verify_and_parse_headers(&headers, &body)
            .map(Verified)
            .map_err(WebhookRejection::Webhook)
    }
}

/// Why [`Verified`] refused a delivery; as a response, its status and an empty body.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// The body could not be read (too large, or the connection failed).
    Body,
    /// The delivery did not verify or parse.
    Webhook(WebhookError),
}

impl WebhookRejection {
    /// `401` when the signature or the timestamp does not check out (not from Telnyx, or a replay),
    /// else `400` (the request is malformed).
    pub fn status(&self) -> StatusCode {
        match self {
            WebhookRejection::Webhook(
                WebhookError::SignatureMismatch
                | WebhookError::TimestampTooOld { .. }
                | WebhookError::TimestampTooNew { .. },
            ) => StatusCode::UNAUTHORIZED,
            WebhookRejection::Body | WebhookRejection::Webhook(_) => StatusCode::BAD_REQUEST,
        }
    }
}

impl fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookRejection::Body => f.write_str("the webhook body could not be read"),
            WebhookRejection::Webhook(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for WebhookRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookRejection::Body => None,
            WebhookRejection::Webhook(e) => Some(e),
        }
    }
}

impl IntoResponse for WebhookRejection {
    /// The status alone: a sender that is not Telnyx learns nothing of why.
    fn into_response(self) -> Response {
        self.status().into_response()
    }
}

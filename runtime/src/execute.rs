//! The attempt loop: send, classify the outcome, wait, and send the same bytes again while
//! the retry policy allows.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::{StatusCode, Url};

use super::backoff;
use super::client::Config;
use super::error::{ApiError, Error, RequestContext};
use super::response::request_id;

/// Everything an attempt sends; built once per logical request so retries resend it unchanged.
pub(crate) struct Prepared {
    pub(crate) context: RequestContext,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
}

/// A success response, not yet decoded.
pub(crate) struct Raw {
    pub(crate) context: RequestContext,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

/// How one attempt ended.
enum Outcome {
    Response {
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
    },
    Timeout,
    Transport(reqwest::Error),
}

/// Sends `request`, retrying as the policy allows, until a success or a final error.
pub(crate) async fn execute(config: &Config, request: Prepared) -> Result<Raw, Error> {
    let mut context = request.context.clone();
    loop {
        context.attempts = context.attempts.saturating_add(1);
        let retry = context.attempts - 1;
        let retries_left = retry < request.max_retries;
        let outcome = traced_attempt(config, &request, context.attempts).await;
        let delay = match outcome {
            Outcome::Response {
                status,
                headers,
                body,
            } => {
                if let Some(id) = request_id(&headers) {
                    context.request_id = Some(id.to_owned());
                }
                if status.is_success() {
                    return Ok(Raw {
                        context,
                        status,
                        headers,
                        body,
                    });
                }
                if !(retries_left && backoff::should_retry_status(status, &headers)) {
                    let error = ApiError::from_response(context, status, headers, &body);
                    return Err(Error::Api(Box::new(error)));
                }
                backoff::retry_delay(retry, &headers, SystemTime::now(), fastrand::f64())
            }
            Outcome::Timeout if retries_left => backoff::backoff_delay(retry, fastrand::f64()),
            Outcome::Timeout => {
                return Err(Error::Timeout {
                    context: Box::new(context),
                    timeout: request.timeout,
                })
            }
            Outcome::Transport(e) if e.is_builder() => {
                let message = format!("the HTTP client rejected the request: {e}");
                return Err(Error::build(context, message, Some(Box::new(e))));
            }
            Outcome::Transport(e) if retries_left && !e.is_redirect() => {
                backoff::backoff_delay(retry, fastrand::f64())
            }
            Outcome::Transport(source) => {
                return Err(Error::Connection {
                    context: Box::new(context),
                    source,
                })
            }
        };
        trace_retry(&context, delay);
        (config.sleep)(delay).await;
    }
}

/// One attempt, bounded by the request's timeout (connect, send and whole body).
async fn attempt(config: &Config, request: &Prepared) -> Outcome {
    let mut builder = config
        .http
        .request(request.context.method.clone(), request.url.clone())
        .headers(request.headers.clone());
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    let exchange = async {
        let mut response = builder.send().await?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok::<_, reqwest::Error>((status, headers, Vec::from(body)))
    };
    match tokio::time::timeout(request.timeout, exchange).await {
        Ok(Ok((status, headers, body))) => Outcome::Response {
            status,
            headers,
            body,
        },
        Ok(Err(e)) if e.is_timeout() => Outcome::Timeout,
        Ok(Err(e)) => Outcome::Transport(e),
        Err(_elapsed) => Outcome::Timeout,
    }
}

/// [`attempt`] inside a span carrying method, path, attempt number and status.
#[cfg(feature = "tracing")]
async fn traced_attempt(config: &Config, request: &Prepared, attempt_number: u32) -> Outcome {
    use tracing::Instrument;

    let span = tracing::debug_span!(
        "telnyx.request",
        method = %request.context.method,
        path = %request.context.path,
        attempt = attempt_number,
        status = tracing::field::Empty,
    );
    let outcome = attempt(config, request).instrument(span.clone()).await;
    match &outcome {
        Outcome::Response { status, .. } => {
            span.record("status", status.as_u16());
        }
        Outcome::Timeout => tracing::debug!(parent: &span, "attempt timed out"),
        Outcome::Transport(_) => tracing::debug!(parent: &span, "attempt failed to connect"),
    }
    outcome
}

#[cfg(not(feature = "tracing"))]
async fn traced_attempt(config: &Config, request: &Prepared, _attempt_number: u32) -> Outcome {
    attempt(config, request).await
}

#[cfg(feature = "tracing")]
fn trace_retry(context: &RequestContext, delay: Duration) {
    tracing::debug!(
        method = %context.method,
        path = %context.path,
        attempt = context.attempts,
        delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
        "retrying",
    );
}

#[cfg(not(feature = "tracing"))]
fn trace_retry(_context: &RequestContext, _delay: Duration) {}

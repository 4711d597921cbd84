//! The attempt loop: send, classify the outcome, wait, and send the same bytes again while
//! the retry policy allows.

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, AUTHORIZATION};
use reqwest::{StatusCode, Url};

use super::backoff;
use super::config::Config;
use super::error::{ApiError, Error, RequestContext};
use super::interceptor::{AttemptOutcome, AttemptRequest, Ended};
use super::response::request_id;

/// Everything an attempt sends; built once per logical request so retries resend it unchanged.
pub(crate) struct Prepared {
    pub(crate) context: RequestContext,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Vec<u8>>,
    /// The body's `command_id`, for traces.
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub(crate) command_id: Option<String>,
    /// The path as the spec writes it, when the operation said.
    pub(crate) url_template: Option<&'static str>,
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

/// One attempt, bounded by the request's timeout (connect, send and whole body), between the
/// interceptors' hooks.
async fn attempt(config: &Config, request: &Prepared, attempt_number: u32) -> Outcome {
    let context = &request.context;
    let mut headers = request.headers.clone();
    for interceptor in &config.interceptors {
        interceptor.before_attempt(&mut AttemptRequest {
            method: &context.method,
            path: &context.path,
            url_template: request.url_template,
            attempt: attempt_number,
            headers: &mut headers,
        });
    }
    if !headers.contains_key(AUTHORIZATION) {
        headers.insert(AUTHORIZATION, config.authorization.clone());
    }
    let mut builder = config
        .http
        .request(context.method.clone(), request.url.clone())
        .headers(headers);
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
    let started = Instant::now();
    let outcome = match tokio::time::timeout(request.timeout, exchange).await {
        Ok(Ok((status, headers, body))) => Outcome::Response {
            status,
            headers,
            body,
        },
        Ok(Err(e)) if e.is_timeout() => Outcome::Timeout,
        Ok(Err(e)) => Outcome::Transport(e),
        Err(_elapsed) => Outcome::Timeout,
    };
    if !config.interceptors.is_empty() {
        let ended = AttemptOutcome {
            method: &context.method,
            path: &context.path,
            url_template: request.url_template,
            attempt: attempt_number,
            elapsed: started.elapsed(),
            ended: outcome.ended(),
        };
        for interceptor in &config.interceptors {
            interceptor.after_attempt(&ended);
        }
    }
    outcome
}

impl Outcome {
    /// What the attempt ended with, as interceptors and traces see it.
    fn ended(&self) -> Ended<'_> {
        match self {
            Outcome::Response {
                status, headers, ..
            } => Ended::Response {
                status: *status,
                headers,
            },
            Outcome::Timeout => Ended::Timeout,
            Outcome::Transport(_) => Ended::Connection,
        }
    }
}

/// [`attempt`] inside a span named and filled by OpenTelemetry's HTTP client conventions: named
/// `{method} {url.template}` (or `{method}`), with `http.request.method`, `url.template` when the
/// operation gives it, `url.path` (the base URL's path included; no query), `server.address`,
/// `server.port`, `http.request.resend_count` (on retries), `http.response.status_code`,
/// `error.type`, and `telnyx.command_id` when the body has one. Bodies and headers are never
/// recorded.
#[cfg(feature = "tracing")]
async fn traced_attempt(config: &Config, request: &Prepared, attempt_number: u32) -> Outcome {
    use tracing::field::Empty;
    use tracing::Instrument;

    let context = &request.context;
    let (host, port) = &config.server;
    let name = match request.url_template {
        Some(template) => format!("{} {template}", context.method),
        None => context.method.to_string(),
    };
    let span = tracing::debug_span!(
        "telnyx.request",
        otel.name = name,
        otel.kind = "client",
        http.request.method = %context.method,
        url.template = request.url_template,
        url.path = request.url.path(),
        server.address = %host,
        server.port = port,
        http.request.resend_count = Empty,
        http.response.status_code = Empty,
        error.type = Empty,
        telnyx.command_id = Empty,
    );
    if attempt_number > 1 {
        span.record("http.request.resend_count", attempt_number - 1);
    }
    if let Some(id) = &request.command_id {
        span.record("telnyx.command_id", id.as_str());
    }
    let outcome = attempt(config, request, attempt_number)
        .instrument(span.clone())
        .await;
    let ended = outcome.ended();
    if let Some(status) = ended.status() {
        span.record("http.response.status_code", status.as_u16());
    }
    if let Some(error_type) = ended.error_type() {
        span.record("error.type", error_type);
    }
    outcome
}

#[cfg(not(feature = "tracing"))]
async fn traced_attempt(config: &Config, request: &Prepared, attempt_number: u32) -> Outcome {
    attempt(config, request, attempt_number).await
}

#[cfg(feature = "tracing")]
fn trace_retry(context: &RequestContext, delay: Duration) {
    tracing::debug!(
        http.request.method = %context.method,
        url.path = %context.path,
        http.request.resend_count = context.attempts,
        delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
        "retrying",
    );
}

#[cfg(not(feature = "tracing"))]
fn trace_retry(_context: &RequestContext, _delay: Duration) {}

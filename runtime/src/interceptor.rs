//! Hooks around every attempt of a request, for metrics, custom headers and custom auth: before an
//! attempt is sent (its headers can change) and after it ends (status, headers, time taken).
//!
//! A small trait rather than a `tower::Layer` over the transport: a layer sees the request as sent,
//! `Authorization` header and all, and neither the attempt number nor the path the request was made
//! for. An interceptor sees these, and never the API key unless the application put it there.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// Runs around every attempt of every request a client sends, retries included.
///
/// Both methods do nothing by default; implement the ones you need. Interceptors run in the order
/// they were added to the [`ClientBuilder`](crate::ClientBuilder), inside the attempt's `tracing`
/// span (with the `tracing` feature). They run on the task sending the request, so they should be
/// quick: record a metric, set a header, no blocking I/O.
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use telnyx_call_control_runtime::{AttemptOutcome, AttemptRequest, Interceptor};
///
/// /// Counts attempts and tags each with the service that sent it.
/// #[derive(Default)]
/// struct Tagged {
///     attempts: AtomicU64,
/// }
///
/// impl Interceptor for Tagged {
///     fn before_attempt(&self, request: &mut AttemptRequest<'_>) {
///         self.attempts.fetch_add(1, Ordering::Relaxed);
///         request.headers_mut().insert("x-service", "billing".parse().unwrap());
///     }
///
///     fn after_attempt(&self, outcome: &AttemptOutcome<'_>) {
///         if let Some(kind) = outcome.error_type() {
///             eprintln!("{} {} failed: {kind}", outcome.method(), outcome.path());
///         }
///     }
/// }
/// ```
pub trait Interceptor: Send + Sync + 'static {
    /// Before each attempt: read the method, path and attempt number, add or change headers.
    ///
    /// The headers are those the attempt will send, without `Authorization` unless the request set
    /// one itself; setting `Authorization` here replaces the API key (custom auth).
    fn before_attempt(&self, request: &mut AttemptRequest<'_>) {
        let _ = request;
    }

    /// After each attempt: the response's status and headers, or why there was none, and how long
    /// the attempt took (sending, and reading the whole body).
    fn after_attempt(&self, outcome: &AttemptOutcome<'_>) {
        let _ = outcome;
    }
}

/// An attempt about to be sent, as an [`Interceptor`] sees it.
pub struct AttemptRequest<'a> {
    pub(crate) method: &'a Method,
    pub(crate) path: &'a str,
    pub(crate) url_template: Option<&'static str>,
    pub(crate) attempt: u32,
    pub(crate) headers: &'a mut HeaderMap,
}

impl AttemptRequest<'_> {
    /// The HTTP method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The path relative to the base URL, percent-encoded, without the query string.
    pub fn path(&self) -> &str {
        self.path
    }

    /// The path as the spec writes it (`/calls/{call_control_id}/actions/speak`), when the
    /// operation gives it: a label with no ids in it, for metrics.
    pub fn url_template(&self) -> Option<&'static str> {
        self.url_template
    }

    /// Which attempt this is: 1 for the first, 2 for the first retry, and so on.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The headers the attempt will send (no `Authorization` unless the request set one).
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The headers, to add or change some.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.headers
    }
}

impl fmt::Debug for AttemptRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttemptRequest")
            .field("method", self.method)
            .field("path", &self.path)
            .field("url_template", &self.url_template)
            .field("attempt", &self.attempt)
            .field("headers", &self.headers)
            .finish()
    }
}

/// How an attempt ended, as an [`Interceptor`] sees it.
#[derive(Debug)]
pub struct AttemptOutcome<'a> {
    pub(crate) method: &'a Method,
    pub(crate) path: &'a str,
    pub(crate) url_template: Option<&'static str>,
    pub(crate) attempt: u32,
    pub(crate) elapsed: Duration,
    pub(crate) ended: Ended<'a>,
}

/// What an attempt ended with.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ended<'a> {
    Response {
        status: StatusCode,
        headers: &'a HeaderMap,
    },
    Timeout,
    Connection,
}

impl AttemptOutcome<'_> {
    /// The HTTP method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The path relative to the base URL, percent-encoded, without the query string.
    pub fn path(&self) -> &str {
        self.path
    }

    /// The path as the spec writes it (`/calls/{call_control_id}/actions/speak`), when the
    /// operation gives it: a label with no ids in it, for metrics.
    pub fn url_template(&self) -> Option<&'static str> {
        self.url_template
    }

    /// Which attempt this was: 1 for the first, 2 for the first retry, and so on.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// How long the attempt took, from sending to reading the whole body (or giving up).
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// The response's status, when one came.
    pub fn status(&self) -> Option<StatusCode> {
        self.ended.status()
    }

    /// The response's headers, when one came.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self.ended {
            Ended::Response { headers, .. } => Some(headers),
            Ended::Timeout | Ended::Connection => None,
        }
    }

    /// Why the attempt failed, in OpenTelemetry's `error.type` terms: the status code for an HTTP
    /// error (`"503"`), `"timeout"`, or `"connection"` (DNS, connect, TLS, reset); `None` for a
    /// success.
    pub fn error_type(&self) -> Option<&str> {
        self.ended.error_type()
    }
}

impl Ended<'_> {
    pub(crate) fn status(&self) -> Option<StatusCode> {
        match self {
            Ended::Response { status, .. } => Some(*status),
            Ended::Timeout | Ended::Connection => None,
        }
    }

    pub(crate) fn error_type(&self) -> Option<&str> {
        match self {
            Ended::Response { status, .. }
                if status.is_client_error() || status.is_server_error() =>
            {
                Some(status.as_str())
            }
            Ended::Response { .. } => None,
            Ended::Timeout => Some("timeout"),
            Ended::Connection => Some("connection"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_types_name_the_status_or_the_failure() {
        let headers = HeaderMap::new();
        let response = |code: u16| Ended::Response {
            status: StatusCode::from_u16(code).unwrap_or_default(),
            headers: &headers,
        };
        assert_eq!(response(200).error_type(), None);
        assert_eq!(response(302).error_type(), None);
        assert_eq!(response(400).error_type(), Some("400"));
        assert_eq!(response(503).error_type(), Some("503"));
        assert_eq!(response(599).error_type(), Some("599"));
        assert_eq!(Ended::Timeout.error_type(), Some("timeout"));
        assert_eq!(Ended::Connection.error_type(), Some("connection"));
    }
}

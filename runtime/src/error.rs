//! The error type of every request: it keeps what was asked (method, path, request id,
//! attempts) next to why it failed, so one `Display` line is enough to act on.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::backoff;

/// Largest part of a response body kept in an error, in bytes.
pub(crate) const SNIPPET_LIMIT: usize = 512;

/// Boxed error source of a request that could not be built.
type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a request failed.
///
/// Every variant except [`Error::Config`] knows the request it belongs to; use
/// [`Error::context`], [`Error::request_id`] and [`Error::attempts`] to reach it whatever the
/// variant.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-success status after any retries.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// The last attempt did not finish within its timeout.
    #[error("{context}: timed out after {timeout:?} ({})", Attempts(context.attempts))]
    #[non_exhaustive]
    Timeout {
        /// The request that timed out.
        context: Box<RequestContext>,
        /// The per-attempt timeout that elapsed.
        timeout: Duration,
    },

    /// The request could not be sent or its response not read (DNS, connect, TLS, reset).
    #[error("{context}: connection failed ({}): {source}", Attempts(context.attempts))]
    #[non_exhaustive]
    Connection {
        /// The request that failed.
        context: Box<RequestContext>,
        /// The HTTP client's error.
        #[source]
        source: reqwest::Error,
    },

    /// A success response's body did not match the expected type.
    #[error("{context}: could not decode HTTP {status} response: {source}")]
    #[non_exhaustive]
    Decode {
        /// The request whose response could not be decoded.
        context: Box<RequestContext>,
        /// The response's status.
        status: StatusCode,
        /// The start of the body (at most 512 bytes, cut at a character boundary).
        body_snippet: String,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },

    /// The request could not be built (body serialization, bad header, bad path); nothing was sent.
    #[error("{context}: could not build request: {message}")]
    #[non_exhaustive]
    Build {
        /// The request that could not be built (no attempt was made).
        context: Box<RequestContext>,
        /// What was wrong.
        message: String,
        /// The underlying error, when there is one.
        #[source]
        source: Option<BoxError>,
    },

    /// The client is misconfigured (missing `TELNYX_API_KEY`, bad base URL, …).
    #[error("invalid client configuration: {message}")]
    #[non_exhaustive]
    Config {
        /// What was wrong.
        message: String,
    },
}

impl Error {
    /// Whether sending the same request again later could succeed: timeouts, connection
    /// errors and API errors the retry policy retries (408, 409, 429, 5xx, or
    /// `x-should-retry: true`).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => backoff::should_retry_status(api.status, &api.headers),
            Error::Timeout { .. } | Error::Connection { .. } => true,
            Error::Decode { .. } | Error::Build { .. } | Error::Config { .. } => false,
        }
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API error, when the server answered with a non-success status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The `errors[]` entries of an API error response; empty for other errors.
    pub fn api_errors(&self) -> &[ApiErrorDetail] {
        self.api_error().map_or(&[], |api| &api.errors)
    }

    /// The request this error belongs to; `None` for configuration errors.
    pub fn context(&self) -> Option<&RequestContext> {
        match self {
            Error::Api(api) => Some(&api.context),
            Error::Timeout { context, .. }
            | Error::Connection { context, .. }
            | Error::Decode { context, .. }
            | Error::Build { context, .. } => Some(context),
            Error::Config { .. } => None,
        }
    }

    /// The server's `x-request-id` of the last response, when there was one. Quote it to
    /// Telnyx support.
    pub fn request_id(&self) -> Option<&str> {
        self.context().and_then(|c| c.request_id.as_deref())
    }

    /// How many attempts were made; 0 when nothing was sent.
    pub fn attempts(&self) -> u32 {
        self.context().map_or(0, |c| c.attempts)
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    pub(crate) fn build(
        context: RequestContext,
        message: impl Into<String>,
        source: Option<BoxError>,
    ) -> Self {
        Error::Build {
            context: Box::new(context),
            message: message.into(),
            source,
        }
    }
}

/// The request an error belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestContext {
    /// HTTP method.
    pub method: Method,
    /// Path relative to the base URL, without the query string.
    pub path: String,
    /// The `x-request-id` header of the last response, when there was one.
    pub request_id: Option<String>,
    /// Attempts made (first try plus retries); 0 when nothing was sent.
    pub attempts: u32,
}

impl RequestContext {
    pub(crate) fn new(method: Method, path: String) -> Self {
        RequestContext {
            method,
            path,
            request_id: None,
            attempts: 0,
        }
    }
}

impl fmt::Display for RequestContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// A non-success response from the API.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The request that failed.
    pub context: RequestContext,
    /// The response status.
    pub status: StatusCode,
    /// The response headers (rate-limit headers, `x-request-id`, …).
    pub headers: HeaderMap,
    /// The `errors[]` of the body; empty when the body was not the documented error shape.
    pub errors: Vec<ApiErrorDetail>,
    /// The start of the body (at most 512 bytes, cut at a character boundary).
    pub body_snippet: String,
}

impl ApiError {
    /// Builds the error from a response, reading `errors[]` leniently.
    pub(crate) fn from_response(
        context: RequestContext,
        status: StatusCode,
        headers: HeaderMap,
        body: &[u8],
    ) -> Self {
        let errors = serde_json::from_slice::<Value>(body)
            .ok()
            .as_ref()
            .and_then(|v| v.get("errors"))
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(ApiErrorDetail::from_value)
                    .collect()
            })
            .unwrap_or_default();
        ApiError {
            context,
            status,
            headers,
            errors,
            body_snippet: snippet(body),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.context, self.status)?;
        if let Some(first) = self.errors.first() {
            write!(f, ": {}", OneLine(&first.title))?;
            if let Some(detail) = first.detail.as_deref().filter(|d| !d.is_empty()) {
                write!(f, ": {}", OneLine(detail))?;
            }
            if !first.code.is_empty() {
                write!(f, " (code {})", OneLine(&first.code))?;
            }
            if self.errors.len() > 1 {
                write!(f, " (+{} more)", self.errors.len() - 1)?;
            }
        } else if !self.body_snippet.trim().is_empty() {
            write!(f, ": {}", OneLine(&self.body_snippet))?;
        }
        write!(f, " [")?;
        if let Some(id) = &self.context.request_id {
            write!(f, "request id {}, ", OneLine(id))?;
        }
        write!(f, "{}]", Attempts(self.context.attempts))
    }
}

impl std::error::Error for ApiError {}

/// One entry of an error response's `errors[]`.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ApiErrorDetail {
    /// Telnyx error code (a string in the spec; a JSON number is accepted and kept as text).
    pub code: String,
    /// Short summary.
    pub title: String,
    /// Longer explanation (`detail`, or `description` in some of Telnyx's schemas).
    pub detail: Option<String>,
    /// Which part of the request was at fault.
    pub source: Option<ApiErrorSource>,
    /// Extra information, such as a documentation URL.
    pub meta: Option<serde_json::Map<String, Value>>,
}

impl ApiErrorDetail {
    /// Reads one entry without failing on unexpected field types.
    fn from_value(value: &Value) -> Option<Self> {
        let object = value.as_object()?;
        let text = |key: &str| match object.get(key) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let source = object
            .get("source")
            .and_then(Value::as_object)
            .map(|s| ApiErrorSource {
                pointer: s.get("pointer").and_then(Value::as_str).map(str::to_owned),
                parameter: s
                    .get("parameter")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            });
        Some(ApiErrorDetail {
            code: text("code").unwrap_or_default(),
            title: text("title").unwrap_or_default(),
            detail: text("detail").or_else(|| text("description")),
            source,
            meta: object.get("meta").and_then(Value::as_object).cloned(),
        })
    }
}

/// Where in the request an [`ApiErrorDetail`] points.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ApiErrorSource {
    /// JSON pointer (RFC 6901) into the request body, e.g. `/to`.
    pub pointer: Option<String>,
    /// The query parameter at fault.
    pub parameter: Option<String>,
}

/// The start of a body as text: at most [`SNIPPET_LIMIT`] bytes, cut at a character boundary,
/// invalid UTF-8 replaced.
pub(crate) fn snippet(body: &[u8]) -> String {
    // Lossy decoding never shrinks text, so a few bytes past the limit are enough to fill it.
    let prefix = &body[..body.len().min(SNIPPET_LIMIT + 4)];
    let mut text = String::from_utf8_lossy(prefix).into_owned();
    if text.len() > SNIPPET_LIMIT {
        let mut end = SNIPPET_LIMIT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

/// Shows text from the server on one line: runs of whitespace (newlines included) become a
/// space and control characters are dropped.
struct OneLine<'a>(&'a str);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut words = self.0.split_whitespace();
        if let Some(first) = words.next() {
            write_visible(f, first)?;
            for word in words {
                f.write_str(" ")?;
                write_visible(f, word)?;
            }
        }
        Ok(())
    }
}

fn write_visible(f: &mut fmt::Formatter<'_>, word: &str) -> fmt::Result {
    word.chars()
        .filter(|c| !c.is_control())
        .try_for_each(|c| fmt::Write::write_char(f, c))
}

/// "1 attempt" / "3 attempts".
struct Attempts(u32);

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("1 attempt"),
            n => write!(f, "{n} attempts"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn context() -> RequestContext {
        RequestContext {
            method: Method::POST,
            path: "/calls/abc/actions/speak".to_owned(),
            request_id: Some("req-1".to_owned()),
            attempts: 1,
        }
    }

    #[test]
    fn snippet_is_bounded_at_a_char_boundary() {
        let body = "é".repeat(1000);
        let text = snippet(body.as_bytes());
        assert_eq!(text.len(), SNIPPET_LIMIT);
        assert!(text.chars().all(|c| c == 'é'));

        let body = format!("a{}", "é".repeat(1000));
        let text = snippet(body.as_bytes());
        assert_eq!(text.len(), SNIPPET_LIMIT - 1);

        assert_eq!(snippet(b"short"), "short");
        assert_eq!(snippet(b"\xff ok"), "\u{fffd} ok");
    }

    #[test]
    fn error_fields_are_read_leniently() {
        let body = br#"{"errors":[
            {"code":10015,"title":"Bad to","detail":"The 'to' is invalid","source":{"pointer":"/to"},"meta":{"url":"u"}},
            {"code":"20207","title":"Other","description":"From description","source":{"parameter":"page"}},
            "not an object",
            {"title":null}
        ]}"#;
        let err = ApiError::from_response(
            context(),
            StatusCode::UNPROCESSABLE_ENTITY,
            HeaderMap::new(),
            body,
        );
        assert_eq!(err.errors.len(), 3);
        assert_eq!(err.errors[0].code, "10015");
        assert_eq!(err.errors[0].detail.as_deref(), Some("The 'to' is invalid"));
        let source = err.errors[0].source.clone().unwrap_or_default();
        assert_eq!(source.pointer.as_deref(), Some("/to"));
        assert_eq!(
            err.errors[0].meta.as_ref().and_then(|m| m.get("url")),
            Some(&Value::from("u"))
        );
        assert_eq!(err.errors[1].detail.as_deref(), Some("From description"));
        assert_eq!(
            err.errors[1]
                .source
                .as_ref()
                .and_then(|s| s.parameter.as_deref()),
            Some("page")
        );
        assert_eq!(err.errors[2], ApiErrorDetail::default());
    }

    #[test]
    fn display_is_one_line_with_the_first_error() {
        let body = br#"{"errors":[{"code":"10015","title":"Bad\nto","detail":"Invalid  'to'"},{"code":"1","title":"x"}]}"#;
        let err = ApiError::from_response(
            context(),
            StatusCode::UNPROCESSABLE_ENTITY,
            HeaderMap::new(),
            body,
        );
        assert_eq!(
            err.to_string(),
            "POST /calls/abc/actions/speak: HTTP 422 Unprocessable Entity: Bad to: Invalid 'to' \
             (code 10015) (+1 more) [request id req-1, 1 attempt]"
        );
    }

    #[test]
    fn display_falls_back_to_the_body_snippet() {
        let mut ctx = context();
        ctx.request_id = None;
        ctx.attempts = 3;
        let err = ApiError::from_response(
            ctx,
            StatusCode::BAD_GATEWAY,
            HeaderMap::new(),
            b"<html>\r\n<h1>Bad gateway</h1>\n</html>",
        );
        assert!(err.errors.is_empty());
        assert_eq!(
            err.to_string(),
            "POST /calls/abc/actions/speak: HTTP 502 Bad Gateway: <html> <h1>Bad gateway</h1> </html> [3 attempts]"
        );
    }

    #[test]
    fn error_stays_small_and_thread_safe() {
        fn thread_safe<T: Send + Sync + 'static>() {}
        thread_safe::<Error>();
        assert!(std::mem::size_of::<Error>() <= 64);
    }

    proptest! {
        #[test]
        fn snippet_is_a_bounded_prefix(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let text = snippet(&body);
            prop_assert!(text.len() <= SNIPPET_LIMIT);
            let lossy = String::from_utf8_lossy(&body);
            prop_assert!(lossy.starts_with(&text));
            if lossy.len() <= SNIPPET_LIMIT {
                prop_assert_eq!(text, lossy);
            }
        }
    }
}

//! One logical request: what the generated operations build, what callers tune per request,
//! and what is awaited.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::body::{self, Part};
use super::client::Client;
use super::command_id;
use super::error::{snippet, Error, RequestContext};
use super::execute::{execute, Prepared};
use super::path::has_dot_segment;
use super::query::{self, QueryStyle};
use super::response::Response;

/// Turns a success body into the response type.
type Decoder<T> = fn(&[u8]) -> Result<T, serde_json::Error>;

/// A request ready to be awaited.
///
/// Awaiting it sends the request (with retries) and yields the decoded body. Before that,
/// per-request settings can be changed:
///
/// ```no_run
/// # async fn run(client: telnyx_call_control_runtime::Client) -> Result<(), telnyx_call_control_runtime::Error> {
/// use std::time::Duration;
/// use telnyx_call_control_runtime::reqwest::Method;
///
/// let response = client
///     .request::<serde_json::Value, ()>(Method::GET, "/balance", None)
///     .timeout(Duration::from_secs(5))
///     .max_retries(0)
///     .header("x-trace", "abc")
///     .send_with_response()
///     .await?;
/// println!("{} {:?}", response.status(), response.request_id());
/// # Ok(())
/// # }
/// ```
#[must_use = "a request does nothing until it is awaited"]
pub struct RequestBuilder<T> {
    client: Client,
    context: RequestContext,
    query: Vec<(String, String)>,
    body: Option<Value>,
    /// A body that is not JSON, already encoded, with its media type.
    encoded_body: Option<(Vec<u8>, String)>,
    fill_command_id: bool,
    /// The path as the spec writes it (`/calls/{call_control_id}/actions/speak`), when known.
    url_template: Option<&'static str>,
    headers: HeaderMap,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    /// The first problem met while building; returned when the request is awaited.
    error: Option<Error>,
    decode: Decoder<T>,
    response: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> RequestBuilder<T> {
    /// A request for `path`, which must be percent-encoded, relative to the base URL, and
    /// start with `/`; the success body is decoded as JSON. Generated operations start here.
    #[doc(hidden)]
    pub fn new(client: &Client, method: Method, path: String) -> Self {
        Self::with_decoder(client, method, path, decode)
    }
}

impl<T> RequestBuilder<T> {
    /// A request whose success body is decoded by `decode` (raw bytes, text).
    fn with_decoder(client: &Client, method: Method, path: String, decode: Decoder<T>) -> Self {
        RequestBuilder {
            client: client.clone(),
            context: RequestContext::new(method, path),
            query: Vec::new(),
            body: None,
            encoded_body: None,
            fill_command_id: false,
            url_template: None,
            headers: HeaderMap::new(),
            timeout: None,
            max_retries: None,
            error: None,
            decode,
            response: PhantomData,
        }
    }

    /// Returns the success body as raw bytes instead of decoding JSON (files, audio, PDF).
    pub fn bytes(self) -> RequestBuilder<Vec<u8>> {
        self.with_response_decoder(decode_bytes)
    }

    /// Returns the success body as text instead of decoding JSON (`text/plain`, `text/csv`).
    pub fn text(self) -> RequestBuilder<String> {
        self.with_response_decoder(decode_text)
    }

    fn with_response_decoder<U>(self, decode: Decoder<U>) -> RequestBuilder<U> {
        RequestBuilder {
            client: self.client,
            context: self.context,
            query: self.query,
            body: self.body,
            encoded_body: self.encoded_body,
            fill_command_id: self.fill_command_id,
            url_template: self.url_template,
            headers: self.headers,
            timeout: self.timeout,
            max_retries: self.max_retries,
            error: self.error,
            decode,
            response: PhantomData,
        }
    }

    /// Appends a typed query parameter written in `style` (`filter` as
    /// `filter[status]=active` with [`QueryStyle::DeepObject`]); an unset (`None`) value
    /// writes nothing.
    // For the generated operations, not part of the API (hidden from the docs).
    #[doc(hidden)]
    pub fn query_value<V: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &V,
        style: QueryStyle,
    ) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => self.query.extend(query::pairs(name, &value, style)),
            Err(e) => {
                let message = format!("could not serialize the query parameter `{name}`: {e}");
                self.fail(message, Some(Box::new(e)));
            }
        }
        self
    }

    /// Adds a typed header parameter (`style: simple`: arrays comma-joined); an unset
    /// (`None`) value sends nothing.
    // For the generated operations, not part of the API (hidden from the docs).
    #[doc(hidden)]
    pub fn header_value<V: Serialize + ?Sized>(self, name: &str, value: &V) -> Self {
        match serde_json::to_value(value) {
            Ok(Value::Null) => self,
            Ok(Value::Array(items)) => {
                let joined: Vec<String> = items.iter().map(body::text).collect();
                self.header(name, joined.join(","))
            }
            Ok(other) => self.header(name, body::text(&other)),
            Err(e) => {
                let mut this = self;
                let message = format!("could not serialize the header `{name}`: {e}");
                this.fail(message, Some(Box::new(e)));
                this
            }
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body from a serializable object.
    // For the generated operations, not part of the API (hidden from the docs).
    #[doc(hidden)]
    pub fn form_body<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_value(body) {
            Ok(value) => {
                let bytes = body::form_urlencoded(&value);
                self.encoded_body = Some((bytes, "application/x-www-form-urlencoded".to_owned()));
            }
            Err(e) => {
                let message = format!("could not serialize the body: {e}");
                self.fail(message, Some(Box::new(e)));
            }
        }
        self
    }

    /// Sets a `multipart/form-data` body (encoded once, so a retry sends the same bytes).
    // For the generated operations, not part of the API (hidden from the docs).
    #[doc(hidden)]
    pub fn multipart_body(mut self, parts: Vec<Part>) -> Self {
        let boundary = format!("telnyx-{}", uuid::Uuid::new_v4().simple());
        let (bytes, content_type) = body::multipart(&parts, &boundary);
        self.encoded_body = Some((bytes, content_type));
        self
    }

    /// Sets a raw body with its media type.
    // For the generated operations, not part of the API (hidden from the docs).
    #[doc(hidden)]
    pub fn bytes_body(mut self, bytes: Vec<u8>, content_type: &str) -> Self {
        self.encoded_body = Some((bytes, content_type.to_owned()));
        self
    }

    /// Appends a query parameter; parameters are sent in call order and encoded here, so
    /// names like `filter[status]` and `page[number]` are passed as they are.
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push((name.to_owned(), value.into()));
        self
    }

    /// Sets the JSON body; a serialization error is returned when the request is awaited.
    #[doc(hidden)]
    pub fn json_body<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_value(body) {
            Ok(value) => self.body = Some(value),
            Err(e) => {
                let message = format!("could not serialize the body: {e}");
                self.fail(message, Some(Box::new(e)));
            }
        }
        self
    }

    /// Makes the request idempotent: when the JSON body is an object whose `command_id` is
    /// absent, `null` or empty, a UUID v4 is inserted once, so every retry carries the same
    /// id and Telnyx runs the command at most once. A `command_id` set by the caller is kept.
    pub fn fill_command_id(mut self) -> Self {
        self.fill_command_id = true;
        self
    }

    /// The path as the spec writes it (`/calls/{call_control_id}/actions/speak`): what traces
    /// (`url.template`) and interceptors group requests by, with no ids in it.
    // For the generated operations, not part of the API (hidden from the docs).
    #[doc(hidden)]
    pub fn url_template(mut self, template: &'static str) -> Self {
        self.url_template = Some(template);
        self
    }

    /// Time allowed for each attempt of this request, overriding the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        if timeout.is_zero() {
            self.fail("the timeout must be greater than zero".to_owned(), None);
        }
        self.timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt for this request, overriding the client's; 0 disables
    /// retries.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Adds a header to this request. It replaces a default header of the same name
    /// (`Authorization`, `User-Agent`, …); calling it twice with one name sends both values.
    /// An invalid name or value is reported when the request is awaited.
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        HeaderName: TryFrom<K>,
        <HeaderName as TryFrom<K>>::Error: std::error::Error + Send + Sync + 'static,
        HeaderValue: TryFrom<V>,
        <HeaderValue as TryFrom<V>>::Error: std::error::Error + Send + Sync + 'static,
    {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            (Err(e), _) => self.fail("invalid header name".to_owned(), Some(Box::new(e))),
            (_, Err(e)) => self.fail("invalid header value".to_owned(), Some(Box::new(e))),
        }
        self
    }

    /// Sends the request and returns the decoded body with the response's status and headers.
    pub async fn send_with_response(self) -> Result<Response<T>, Error> {
        let client = self.client.clone();
        let decode = self.decode;
        let prepared = self.prepare()?;
        let raw = execute(&client.inner, prepared).await?;
        let data = decode(&raw.body).map_err(|source| Error::Decode {
            context: Box::new(raw.context.clone()),
            status: raw.status,
            body_snippet: snippet(&raw.body),
            source,
        })?;
        Ok(Response::new(
            raw.status,
            raw.headers,
            raw.context.attempts,
            data,
        ))
    }

    /// Records the first building error; later ones are usually consequences of it.
    fn fail(&mut self, message: String, source: Option<Box<dyn std::error::Error + Send + Sync>>) {
        if self.error.is_none() {
            self.error = Some(Error::build(self.context.clone(), message, source));
        }
    }

    /// Resolves the URL, headers and body bytes that every attempt will send.
    fn prepare(self) -> Result<Prepared, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let context = self.context;
        let config = &self.client.inner;
        if has_dot_segment(&context.path) {
            let message = "the path has a `.` or `..` segment".to_owned();
            return Err(Error::build(context, message, None));
        }
        let mut url = match reqwest::Url::parse(&format!("{}{}", config.base_url, context.path)) {
            Ok(url) => url,
            Err(e) => {
                let message = format!("invalid URL: {e}");
                return Err(Error::build(context, message, Some(Box::new(e))));
            }
        };
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }

        let mut command_id = None;
        let body = match self.body {
            Some(mut value) => {
                if self.fill_command_id {
                    command_id::fill(&mut value);
                }
                command_id = command_id::of(&value);
                match serde_json::to_vec(&value) {
                    Ok(bytes) => Some(bytes),
                    Err(e) => {
                        let message = format!("could not serialize the body: {e}");
                        return Err(Error::build(context, message, Some(Box::new(e))));
                    }
                }
            }
            None => None,
        };
        let (body, content_type) = match (body, self.encoded_body) {
            (Some(json), _) => (Some(json), Some("application/json".to_owned())),
            (None, Some((bytes, content_type))) => (Some(bytes), Some(content_type)),
            (None, None) => (None, None),
        };

        // `Authorization` is added to each attempt after the interceptors ran, so that they never see
        // the API key (unless this request set the header itself).
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, config.user_agent.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(content_type) = content_type {
            match HeaderValue::from_str(&content_type) {
                Ok(value) => {
                    headers.insert(CONTENT_TYPE, value);
                }
                Err(e) => {
                    let message = "invalid content type".to_owned();
                    return Err(Error::build(context, message, Some(Box::new(e))));
                }
            }
        }
        for name in self.headers.keys() {
            headers.remove(name);
        }
        for (name, value) in &self.headers {
            headers.append(name, value.clone());
        }

        Ok(Prepared {
            context,
            url,
            headers,
            body,
            command_id,
            url_template: self.url_template,
            timeout: self.timeout.unwrap_or(config.timeout),
            max_retries: self.max_retries.unwrap_or(config.max_retries),
        })
    }
}

/// The raw bytes of a success body (files, audio, PDF).
fn decode_bytes(body: &[u8]) -> Result<Vec<u8>, serde_json::Error> {
    Ok(body.to_vec())
}

/// A success body that is text (`text/plain`, `text/csv`).
fn decode_text(body: &[u8]) -> Result<String, serde_json::Error> {
    String::from_utf8(body.to_vec()).map_err(|e| {
        <serde_json::Error as serde::de::Error>::custom(format!("the body is not UTF-8: {e}"))
    })
}

/// Decodes a success body; an empty body decodes as JSON `null`, so `()` and `Option<_>`
/// accept a `204 No Content`.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::from_slice(b"null")
    } else {
        serde_json::from_slice(body)
    }
}

impl<T> IntoFuture for RequestBuilder<T>
where
    T: Send + 'static,
{
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.send_with_response().await.map(Response::into_data) })
    }
}

impl<T> fmt::Debug for RequestBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("method", &self.context.method)
            .field("path", &self.context.path)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A request to any endpoint, for operations this crate does not cover.
    ///
    /// `path` is relative to the base URL (a leading `/` is added if missing) and must already
    /// be percent-encoded: use [`encode_path_segment`](crate::encode_path_segment) for path
    /// parameters. The request has the same authentication, retries and errors as the typed
    /// operations; await it for the decoded body, or use [`RequestBuilder::send_with_response`].
    pub fn request<T, B>(&self, method: Method, path: &str, body: Option<&B>) -> RequestBuilder<T>
    where
        T: DeserializeOwned,
        B: Serialize + ?Sized,
    {
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        let request = RequestBuilder::new(self, method, path);
        match body {
            Some(body) => request.json_body(body),
            None => request,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn empty_bodies_decode_as_null() {
        assert!(decode::<()>(b"").is_ok());
        assert!(decode::<()>(b" \n").is_ok());
        assert_eq!(decode::<Option<u8>>(b"").ok(), Some(None));
        assert!(decode::<Vec<u8>>(b"").is_err());
        assert_eq!(decode::<Vec<u8>>(b"[1]").ok(), Some(vec![1]));
    }
}

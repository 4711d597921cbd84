//! The client handle and its builder: authentication, base URL and the defaults every
//! request starts from.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::config::{Config, SleepFn};
use super::error::Error;
use super::interceptor::Interceptor;

/// Default time allowed for one attempt (connect, send, and read the whole response).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// Telnyx's API, where [`Client`] sends requests unless told otherwise.
pub const TELNYX_BASE_URL: &str = "https://api.telnyx.com/v2";

/// What a client crate generated for one API tells the runtime: where the API is and who is calling.
/// A generated crate's `Client` implements it (and wraps a [`Client`]), so that
/// [`ClientBuilder::build`] returns the generated client with the generated crate's defaults.
pub trait Api: From<Client> {
    /// The base URL requests go to unless the builder or `TELNYX_BASE_URL` says otherwise.
    const DEFAULT_BASE_URL: &'static str;
    /// The `User-Agent` header unless the builder says otherwise.
    const USER_AGENT: &'static str;
}

impl Api for Client {
    const DEFAULT_BASE_URL: &'static str = TELNYX_BASE_URL;
    const USER_AGENT: &'static str =
        concat!("telnyx-call-control-runtime/", env!("CARGO_PKG_VERSION"));
}

/// Environment variable holding the API key read by [`Client::from_env`].
const API_KEY_VAR: &str = "TELNYX_API_KEY";
/// Environment variable that overrides the base URL in [`Client::from_env`].
const BASE_URL_VAR: &str = "TELNYX_BASE_URL";

/// A Telnyx API client: authentication, base URL, timeouts and retries, for any endpoint.
///
/// A generated crate wraps it in its own `Client`, which adds the typed operations. Cloning is cheap and clones share one connection pool, so create one client and pass it
/// around. Requests run on Tokio and need its time driver (on by default with
/// `#[tokio::main]`), which enforces per-attempt timeouts and waits between retries.
///
/// ```no_run
/// # async fn run() -> Result<(), telnyx_call_control_runtime::Error> {
/// use std::time::Duration;
/// use telnyx_call_control_runtime::Client;
///
/// // Reads TELNYX_API_KEY (and TELNYX_BASE_URL, if set).
/// let client = Client::from_env()?;
///
/// // Or configure it explicitly.
/// let client = Client::builder()
///     .api_key("KEY...")
///     .timeout(Duration::from_secs(10))
///     .max_retries(3)
///     .build()?;
///
/// // Any endpoint, typed or not, with the same auth, retries and errors.
/// let balance: serde_json::Value = client
///     .request::<_, ()>(reqwest::Method::GET, "/balance", None)
///     .await?;
/// # let _ = balance;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Config>,
}

impl Client {
    /// A client with the given API key and default settings.
    ///
    /// Fails only if the key is not a valid header value or the HTTP client cannot start.
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// A client configured from the environment: `TELNYX_API_KEY` (required) and
    /// `TELNYX_BASE_URL` (optional override of [`TELNYX_BASE_URL`]).
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// A builder to configure every setting.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The default time allowed for one attempt.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The default number of retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.inner.max_retries
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &config.base_url)
            .field("api_key", &"<redacted>")
            .field("user_agent", &config.user_agent)
            .field("timeout", &config.timeout)
            .field("max_retries", &config.max_retries)
            .field("interceptors", &config.interceptors.len())
            .finish_non_exhaustive()
    }
}

/// Configures a client: a [`Client`], or the generated client `C` that wraps one (a generated crate
/// names it `ClientBuilder`). Start from `Client::builder()`.
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder<C = Client> {
    api_key: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
    sleep: Option<SleepFn>,
    interceptors: Vec<Arc<dyn Interceptor>>,
    client: PhantomData<fn() -> C>,
}

impl<C: Api> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            base_url: None,
            timeout: None,
            max_retries: None,
            user_agent: None,
            http: None,
            sleep: None,
            interceptors: Vec::new(),
            client: PhantomData,
        }
    }
}

impl<C: Api> ClientBuilder<C> {
    /// A builder with every setting at its default; the API key must still be given.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder from the environment: `TELNYX_API_KEY` (required) and `TELNYX_BASE_URL` (optional).
    pub fn from_env() -> Result<Self, Error> {
        builder_from(|name| std::env::var(name).ok())
    }

    /// The API key, sent as `Authorization: Bearer <key>`. Required.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// The base URL (default: the API's, [`Api::DEFAULT_BASE_URL`]); must be `http` or `https` and
    /// have no query string or fragment.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Time allowed for one attempt, from connecting to reading the whole response (default
    /// 60 s). A timed-out attempt is retried like a connection error.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt (default 2); 0 disables retries.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// The `User-Agent` header (default [`Api::USER_AGENT`], `telnyx-call-control-rust/<version>` for
    /// the generated crate).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends requests through this HTTP client, e.g. to set a proxy or share a pool.
    ///
    /// Its own default headers are kept unless a request sets the same header.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Replaces how the client waits between retries (default `tokio::time::sleep`).
    ///
    /// The function receives each computed delay; tests can record delays and return at once,
    /// and applications can plug in another timer.
    pub fn retry_sleep<F, Fut>(mut self, sleep: F) -> Self
    where
        F: Fn(Duration) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.sleep = Some(Arc::new(move |delay| Box::pin(sleep(delay))));
        self
    }

    /// Runs `interceptor` around every attempt of every request (see [`Interceptor`]): for metrics,
    /// custom headers or custom auth. Several run in the order they were added.
    pub fn interceptor(mut self, interceptor: impl Interceptor) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Checks the settings and creates the client.
    pub fn build(self) -> Result<C, Error> {
        let api_key = self
            .api_key
            .filter(|key| !key.trim().is_empty())
            .ok_or_else(|| {
                Error::config(format!(
                    "no API key: set {API_KEY_VAR} or call ClientBuilder::api_key"
                ))
            })?;
        let mut authorization = HeaderValue::try_from(format!("Bearer {}", api_key.trim()))
            .map_err(|_| {
                Error::config("the API key contains characters not allowed in a header")
            })?;
        authorization.set_sensitive(true);

        let (base_url, server) =
            check_base_url(self.base_url.as_deref().unwrap_or(C::DEFAULT_BASE_URL))?;

        let user_agent = self.user_agent.unwrap_or_else(|| C::USER_AGENT.to_owned());
        let user_agent = HeaderValue::try_from(user_agent)
            .map_err(|_| Error::config("the user agent is not a valid header value"))?;

        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if timeout.is_zero() {
            return Err(Error::config("the timeout must be greater than zero"));
        }

        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .build()
                .map_err(|e| Error::config(format!("could not start the HTTP client: {e}")))?,
        };

        let sleep = self
            .sleep
            .unwrap_or_else(|| Arc::new(|delay| Box::pin(tokio::time::sleep(delay))));

        let client = Client {
            inner: Arc::new(Config {
                http,
                base_url,
                authorization,
                user_agent,
                timeout,
                max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
                sleep,
                interceptors: self.interceptors,
                server,
            }),
        };
        Ok(C::from(client))
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("user_agent", &self.user_agent)
            .field("interceptors", &self.interceptors.len())
            .finish_non_exhaustive()
    }
}

/// A builder from environment variables, read through `lookup` so tests need not touch the
/// process environment.
fn builder_from<C: Api>(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<ClientBuilder<C>, Error> {
    let api_key = lookup(API_KEY_VAR)
        .filter(|key| !key.trim().is_empty())
        .ok_or_else(|| Error::config(format!("{API_KEY_VAR} is not set")))?;
    let mut builder = ClientBuilder::new().api_key(api_key);
    if let Some(base_url) = lookup(BASE_URL_VAR).filter(|url| !url.trim().is_empty()) {
        builder = builder.base_url(base_url);
    }
    Ok(builder)
}

/// Validates a base URL and returns it without a trailing `/`, with its host and port.
fn check_base_url(raw: &str) -> Result<(String, (String, u16)), Error> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = reqwest::Url::parse(trimmed)
        .map_err(|e| Error::config(format!("invalid base URL {trimmed:?}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(Error::config(format!(
            "invalid base URL {trimmed:?}: expected http(s)://host[/path]"
        )));
    }
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(Error::config(format!(
            "invalid base URL {trimmed:?}: no query, fragment or credentials allowed"
        )));
    }
    let host = url.host_str().unwrap_or_default().to_owned();
    let port = url.port_or_known_default().unwrap_or_default();
    Ok((trimmed.to_owned(), (host, port)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn from_env_requires_the_api_key() {
        let err = builder_from::<Client>(env(&[]))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("invalid client configuration: TELNYX_API_KEY is not set")
        );
        assert!(builder_from::<Client>(env(&[("TELNYX_API_KEY", " ")])).is_err());
    }

    #[test]
    fn from_env_reads_the_base_url_override() -> Result<(), Error> {
        let client: Client = builder_from(env(&[
            ("TELNYX_API_KEY", "k"),
            ("TELNYX_BASE_URL", "http://127.0.0.1:9/v2/"),
        ]))?
        .build()?;
        assert_eq!(client.base_url(), "http://127.0.0.1:9/v2");
        let client: Client = builder_from(env(&[("TELNYX_API_KEY", "k")]))?.build()?;
        assert_eq!(client.base_url(), TELNYX_BASE_URL);
        Ok(())
    }

    #[test]
    fn bad_base_urls_are_rejected() {
        for url in [
            "",
            "not a url",
            "ftp://x",
            "https://x/v2?a=1",
            "https://u:p@x",
            "mailto:a@b",
        ] {
            let result = Client::builder().api_key("k").base_url(url).build();
            assert!(
                matches!(result, Err(Error::Config { .. })),
                "{url:?} was accepted"
            );
        }
    }

    #[test]
    fn defaults_and_overrides() -> Result<(), Error> {
        let client = Client::new("k")?;
        assert_eq!(client.timeout(), DEFAULT_TIMEOUT);
        assert_eq!(client.max_retries(), 2);
        assert_eq!(
            client.inner.user_agent.to_str().ok(),
            Some(concat!(
                "telnyx-call-control-runtime/",
                env!("CARGO_PKG_VERSION")
            ))
        );
        let client = Client::builder()
            .api_key("k")
            .timeout(Duration::from_secs(5))
            .max_retries(0)
            .user_agent("me/1")
            .build()?;
        assert_eq!(client.timeout(), Duration::from_secs(5));
        assert_eq!(client.max_retries(), 0);
        assert_eq!(client.inner.user_agent.to_str().ok(), Some("me/1"));
        assert!(client.inner.authorization.is_sensitive());
        Ok(())
    }

    #[test]
    fn bad_settings_are_config_errors_without_the_key() {
        let secret = "sk\nsecret";
        let err = Client::new(secret)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("invalid client configuration"), "{err}");
        assert!(!err.contains("secret"), "{err}");
        assert!(Client::builder().build().is_err());
        assert!(Client::builder()
            .api_key("k")
            .timeout(Duration::ZERO)
            .build()
            .is_err());
    }

    #[test]
    fn builder_debug_hides_the_key() {
        let shown = format!("{:?}", Client::builder().api_key("KEY_sekrit"));
        assert!(!shown.contains("sekrit"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
}

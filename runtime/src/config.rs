//! What every request of a client shares: the settings a [`ClientBuilder`](crate::ClientBuilder)
//! fixed, read by the request builder and by each attempt.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::interceptor::Interceptor;

/// How the client waits between retries.
pub(crate) type SleepFn =
    Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// Settings shared by every request of a client.
pub(crate) struct Config {
    pub(crate) http: reqwest::Client,
    /// Base URL without a trailing `/`.
    pub(crate) base_url: String,
    /// `Bearer <key>`, marked sensitive so that no header dump shows it.
    pub(crate) authorization: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) sleep: SleepFn,
    /// Run around every attempt, in the order they were added.
    pub(crate) interceptors: Vec<Arc<dyn Interceptor>>,
    /// The base URL's host and port, for the `server.address` and `server.port` of traces.
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub(crate) server: (String, u16),
}

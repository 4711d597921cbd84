//! The runtime of the Telnyx clients that telnyx-codegen generates (`telnyx-call-control` and the
//! whole-API crate): client configuration, authentication, retries with backoff, idempotent command
//! ids, timeouts and errors ([`Client`], [`RequestBuilder`], [`Error`]); webhook verification
//! ([`webhooks`]); typed client state ([`client_state`]); and the serde support the generated types
//! are written against.
//!
//! Applications use it through a generated crate, which re-exports what they need; it is released in
//! lockstep with them (the same version), so a generated crate always pairs with the runtime it was
//! generated for. `Client` here reaches any endpoint untyped:
//!
//! ```no_run
//! # async fn run() -> Result<(), telnyx_call_control_runtime::Error> {
//! use telnyx_call_control_runtime::{Client, Error};
//!
//! let client = Client::from_env()?;
//! let result = client
//!     .request::<serde_json::Value, _>(
//!         telnyx_call_control_runtime::reqwest::Method::POST,
//!         "/calls/v3:abc/actions/hangup",
//!         Some(&serde_json::json!({})),
//!     )
//!     .fill_command_id()
//!     .await;
//! match result {
//!     Ok(body) => println!("{body}"),
//!     Err(Error::Api(api)) => {
//!         for detail in &api.errors {
//!             eprintln!("{} {}: {:?}", detail.code, detail.title, detail.detail);
//!         }
//!     }
//!     Err(other) => eprintln!("{other}"),
//! }
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod backoff;
mod body;
mod client;
mod command_id;
mod config;
mod error;
mod execute;
mod interceptor;
mod pages;
mod path;
mod query;
mod request;
mod response;
mod serde_support;

pub mod client_state;
pub mod webhooks;

pub use body::{Part, Upload};
pub use client::{
    Api, Client, ClientBuilder, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, TELNYX_BASE_URL,
};
pub use client_state::ClientStateError;
pub use error::{ApiError, ApiErrorDetail, ApiErrorSource, Error, RequestContext};
pub use interceptor::{AttemptOutcome, AttemptRequest, Interceptor};
pub use pages::{Items, Pages, Paginated};
pub use path::encode_path_segment;
pub use request::RequestBuilder;
/// The HTTP client crate this runtime is built on, for `Method`, `StatusCode` and headers.
pub use reqwest;
pub use response::Response;

/// What generated code calls and applications do not: the serde support the generated types are
/// written against, query styles, the webhook dispatch scan. Hidden from the docs and free to change
/// in any release: a generated crate depends on the exact runtime version it was generated for.
#[doc(hidden)]
pub mod __private {
    pub use crate::query::{pairs as query_pairs, QueryStyle};
    pub use crate::serde_support::*;
    pub use crate::webhooks::scan::data_event_type;
}

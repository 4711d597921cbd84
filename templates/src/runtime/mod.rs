//! The HTTP runtime shared by every operation: client configuration, authentication,
//! retries with backoff, idempotent command ids, timeouts and errors.
//!
//! ```no_run
//! # async fn run() -> Result<(), telnyx_call_control::Error> {
//! use telnyx_call_control::{Client, Error};
//!
//! let client = Client::from_env()?;
//! let result = client
//!     .request::<serde_json::Value, _>(
//!         telnyx_call_control::reqwest::Method::POST,
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

mod backoff;
mod body;
mod client;
mod command_id;
mod error;
mod execute;
mod pages;
mod path;
mod query;
mod request;
mod response;

pub use body::{Part, Upload};
pub use client::{Client, ClientBuilder, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT};
pub use error::{ApiError, ApiErrorDetail, ApiErrorSource, Error, RequestContext};
pub use pages::{Pages, Paginated};
pub use path::encode_path_segment;
// For the generated operations, not part of the API (hidden from the docs).
#[doc(hidden)]
pub use query::QueryStyle;
pub use request::RequestBuilder;
/// The HTTP client crate this runtime is built on, for `Method`, `StatusCode` and headers.
pub use reqwest;
pub use response::Response;

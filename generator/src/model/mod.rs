//! The intermediate representation: operations, named types and webhook events, built from the
//! normalized spec. It knows names (already sanitized by [`crate::naming`]) but no Rust syntax.

mod build;
mod context;
mod finalize;
mod media;
mod media_class;
pub mod operations;
pub mod overrides;
pub mod pagination;
pub mod placement;
pub mod schema;
pub mod scope;
pub mod types;
pub mod unmodeled;
pub mod webhooks;

pub use build::build;
pub use scope::Scope;
pub use unmodeled::Unmodeled;

use crate::diagnostic::Diagnostics;
use crate::pointer::Pointer;

/// What the spec says, for the scope: what the surface plans the crate from and the change report compares.
#[derive(Debug, Clone)]
pub struct Model {
    pub operations: Vec<operations::Operation>,
    /// The top-level services the crate's default features turn on (`None`: every one), from the
    /// scope.
    pub default_services: Option<Vec<String>>,
    pub types: types::TypeSpace,
    pub webhooks: Vec<Webhook>,
    /// The spec's first server URL.
    pub base_url: String,
    /// The spec's `info.title` and `info.version`, for the crate docs.
    pub api_title: String,
    pub api_version: String,
    pub unmodeled: Unmodeled,
    /// Every defect met, with what was done about it (sorted, each once).
    pub diagnostics: Diagnostics,
}

/// One webhook event of the spec's `webhooks` map.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// The key in `webhooks` (`callGatherEnded`).
    pub key: String,
    pub pointer: Pointer,
    /// The Rust variant name (`CallGatherEnded`).
    pub variant: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The body type (the `*Event` schema).
    pub body: types::TypeRef,
    /// Where `event_type` is found in the body and the values that select this event; empty when the
    /// spec gives none.
    pub dispatch: Dispatch,
    /// Operations whose docs name this event as an expected webhook.
    pub produced_by: Vec<String>,
    /// The spec's example of a delivery, when it has one.
    pub example: Option<serde_json::Value>,
}

/// How a delivery is recognized as this event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dispatch {
    /// `body[path...] == one of values`.
    EventType {
        path: Vec<String>,
        values: Vec<String>,
    },
    /// The spec gives no event type: the event is recognized by keys no other event declares at `path`
    /// (`[]` for the top level, `["data"]` under the wrapper).
    Shape {
        path: Vec<String>,
        keys: Vec<String>,
    },
}

#[cfg(test)]
mod tests;

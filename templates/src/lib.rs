//! The runtime templates as a crate of their own, compiled together with the committed generated
//! modules (`generated/src/{types,services,webhooks,testing}`), so that an edit here is compiled, and
//! seen by an IDE, before `cargo xtask regenerate` copies it: a runtime name the generated code uses
//! and this file renames fails to compile at once. The generator writes the generated crate's own
//! `lib.rs`; this one is not copied. Its manifest is `templates/check/Cargo.toml`.

#![forbid(unsafe_code)]
// What the committed crate leaves unused here (a spec may not use every helper) is not this
// crate's business: the generated crate is linted as it is.
#![allow(dead_code, unused_imports)]

/// The base URL of the committed crate, as `lib.rs` there says it.
pub const DEFAULT_BASE_URL: &str = "https://api.telnyx.com/v2";
/// A version for the check; the committed crate states the spec's.
pub const API_VERSION: &str = "check";

mod runtime;
pub use runtime::*;
mod serde_support;

pub mod client_state;
pub use client_state::ClientStateError;

#[rustfmt::skip]
#[path = "../../generated/src/services/mod.rs"]
pub mod services;
#[rustfmt::skip]
#[path = "../../generated/src/types/mod.rs"]
pub mod types;

/// As the generated `webhooks/mod.rs` declares it.
pub mod webhooks {
    #[rustfmt::skip]
    #[path = "../../../generated/src/webhooks/events.rs"]
    mod events;
    mod scan;
    mod verify;
    pub use events::*;
    pub use verify::*;
}

/// As `testing/mod.rs` declares it, with the generated modules taken from the committed crate.
#[cfg(feature = "testing")]
pub mod testing {
    mod deliver;
    mod event;
    #[rustfmt::skip]
    #[path = "../../../generated/src/testing/events.rs"]
    pub mod events;
    mod fake;
    mod fault;
    mod record;
    mod schema;
    mod script;
    mod server;
    mod sim;
    #[rustfmt::skip]
    #[path = "../../../generated/src/testing/spec.rs"]
    mod spec;
    mod views;

    pub use deliver::{Delivery, Forgery, SendError};
    pub use event::Event;
    pub(crate) use event::Places;
    pub use fake::{FakeBuilder, FakeTelnyx, SettleError};
    pub use fault::Fault;
    pub use record::{BodyError, Command, RecordedRequest};
    pub use script::{FarEnd, ScriptError};
    pub use sim::UnusedStep;
    pub use spec::Operation;
    pub use views::{CallState, CallView, ConferenceView, Direction, ParticipantView, QueueView};
}

#[rustfmt::skip]
#[path = "../../generated/src/call.rs"]
mod call;
pub use call::*;

//! telnyx-codegen: the Telnyx OpenAPI spec in, a typed Rust client crate out.
//!
//! One direction, one pass each: [`spec`] (load + normalize) → [`model`] → [`emit`] → [`format`].
//! The generator never touches the disk or the network: it takes spec text and returns files.

pub mod error;
pub mod naming;
pub mod pointer;
pub mod spec;

pub use error::{Error, Result};

#[cfg(test)]
pub(crate) mod test_support {
    /// The pinned spec's text when `TELNYX_OPENAPI_SPEC` names it (CI sets it; tests that need the real
    /// spec say so and skip without it).
    pub fn pinned_spec_text() -> Option<String> {
        let path = std::env::var_os("TELNYX_OPENAPI_SPEC")?;
        std::fs::read_to_string(path).ok()
    }
}

//! Receiving webhooks: [`Verifier`] checks the Ed25519 signature and age of a delivery, then parses
//! it into a [`Webhook`] type (a generated crate's `WebhookEvent`); with the `axum` feature,
//! `Verified` does both as an axum extractor.

#[cfg(feature = "axum")]
mod extract;
pub(crate) mod scan;
mod verify;

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use extract::{Verified, WebhookRejection};
pub use verify::*;

/// A webhook body a [`Verifier`] can parse once the signature is good: a generated crate's
/// `WebhookEvent`, or [`serde_json::Value`] for the raw JSON.
pub trait Webhook: Sized {
    /// Reads a delivery's body.
    fn parse(body: &[u8]) -> Result<Self, serde_json::Error>;
}

impl Webhook for serde_json::Value {
    fn parse(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(body)
    }
}

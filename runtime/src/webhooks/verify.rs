//! Ed25519 verification of Telnyx webhook deliveries.
//!
//! Telnyx signs `"{telnyx-timestamp}|{raw body}"` with the account's Ed25519
//! key and sends the base64 signature in `telnyx-signature-ed25519`. Checking
//! the signature proves the body came from Telnyx; checking the timestamp
//! against a window stops a captured delivery from being replayed later.

use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::{Signature, VerifyingKey, PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH};

use super::Webhook;

/// Header carrying the base64 Ed25519 signature.
pub const SIGNATURE_HEADER: &str = "telnyx-signature-ed25519";

/// Header carrying the Unix time (seconds) at which Telnyx signed the delivery.
pub const TIMESTAMP_HEADER: &str = "telnyx-timestamp";

/// Environment variable read by [`Verifier::from_env`]: the base64 public key
/// shown in the Telnyx portal.
pub const PUBLIC_KEY_ENV: &str = "TELNYX_PUBLIC_KEY";

/// How far the signed timestamp may be from the local clock, in either
/// direction, unless changed with [`Verifier::with_tolerance`]. Matches
/// Telnyx's own SDKs.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// Why a webhook delivery was rejected.
///
/// Messages never quote the body, the signature or the key, so they are safe
/// to log.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A required header is absent.
    #[error("missing `{0}` header")]
    MissingHeader(&'static str),

    /// A header that must appear once appears more than once, which would
    /// leave it ambiguous which value was signed.
    #[error("`{0}` header appears more than once")]
    DuplicateHeader(&'static str),

    /// A header value contains bytes outside visible ASCII.
    #[error("`{0}` header value is not visible ASCII")]
    InvalidHeaderValue(&'static str),

    /// The timestamp is not a Unix time in whole seconds (digits only).
    #[error("webhook timestamp is not a Unix time in seconds")]
    MalformedTimestamp,

    /// The timestamp is older than the tolerance allows; possibly a replay.
    #[error("webhook timestamp is {age:?} old, beyond the {tolerance:?} tolerance")]
    TimestampTooOld {
        /// How far the timestamp lies behind the local clock.
        age: Duration,
        /// The tolerance in force.
        tolerance: Duration,
    },

    /// The timestamp is further in the future than the tolerance allows.
    #[error("webhook timestamp is {ahead:?} in the future, beyond the {tolerance:?} tolerance")]
    TimestampTooNew {
        /// How far the timestamp lies ahead of the local clock.
        ahead: Duration,
        /// The tolerance in force.
        tolerance: Duration,
    },

    /// The public key is not standard base64.
    #[error("public key is not valid base64")]
    PublicKeyEncoding,

    /// The public key decodes to the wrong number of bytes.
    #[error("public key is {len} bytes, expected 32")]
    PublicKeyLength {
        /// Decoded length.
        len: usize,
    },

    /// The public key bytes are not a point usable for verification (not on
    /// the curve, or of small order so that no signature could ever verify).
    #[error("public key is not a valid Ed25519 point")]
    PublicKeyInvalid,

    /// The signature is not standard base64.
    #[error("signature is not valid base64")]
    SignatureEncoding,

    /// The signature decodes to the wrong number of bytes.
    #[error("signature is {len} bytes, expected 64")]
    SignatureLength {
        /// Decoded length.
        len: usize,
    },

    /// The signature does not match the timestamp and body under this key.
    #[error("webhook signature does not match")]
    SignatureMismatch,

    /// [`PUBLIC_KEY_ENV`] is unset or empty.
    #[error("environment variable TELNYX_PUBLIC_KEY is not set")]
    MissingPublicKey,

    /// The signature was good but the body is not a webhook event.
    ///
    /// The source error may quote fragments of the body.
    #[error("verified webhook body could not be parsed")]
    Parse(#[source] serde_json::Error),
}

/// Checks that webhook deliveries were signed by Telnyx and are recent, and parses them into `E`:
/// a generated crate's `WebhookEvent` (its `webhooks::Verifier` is this type with it), or
/// [`serde_json::Value`] by default.
///
/// Cheap to clone and safe to share between threads.
///
/// ```no_run
/// use telnyx_call_control_runtime::webhooks::{Verifier, WebhookError};
///
/// fn handle(headers: &http::HeaderMap, body: &[u8]) -> Result<serde_json::Value, WebhookError> {
///     // Build once at start-up in real code.
///     let verifier: Verifier = Verifier::from_env()?;
///     verifier.verify_and_parse_headers(headers, body)
/// }
/// ```
pub struct Verifier<E = serde_json::Value> {
    key: VerifyingKey,
    tolerance: Duration,
    event: PhantomData<fn() -> E>,
}

impl<E> Clone for Verifier<E> {
    fn clone(&self) -> Self {
        Verifier {
            key: self.key,
            tolerance: self.tolerance,
            event: PhantomData,
        }
    }
}

impl<E> fmt::Debug for Verifier<E> {
    // The key is public, but a prefix is enough to tell keys apart in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let encoded = STANDARD.encode(self.key.as_bytes());
        let prefix = encoded.get(..8).unwrap_or(&encoded);
        f.debug_struct("Verifier")
            .field("public_key", &format_args!("{prefix}…"))
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl<E: Webhook> Verifier<E> {
    /// Builds a verifier from the base64 public key shown in the Telnyx portal.
    ///
    /// Surrounding whitespace is ignored, since keys pasted into files and
    /// environment variables often pick up a trailing newline.
    pub fn new(public_key_b64: &str) -> Result<Self, WebhookError> {
        let decoded = STANDARD
            .decode(public_key_b64.trim())
            .map_err(|_| WebhookError::PublicKeyEncoding)?;
        let bytes: [u8; PUBLIC_KEY_LENGTH] = decoded
            .as_slice()
            .try_into()
            .map_err(|_| WebhookError::PublicKeyLength { len: decoded.len() })?;
        Self::from_bytes(&bytes)
    }

    /// Builds a verifier from the key in [`PUBLIC_KEY_ENV`].
    pub fn from_env() -> Result<Self, WebhookError> {
        match std::env::var(PUBLIC_KEY_ENV) {
            Ok(value) if !value.trim().is_empty() => Self::new(&value),
            Ok(_) | Err(std::env::VarError::NotPresent) => Err(WebhookError::MissingPublicKey),
            Err(std::env::VarError::NotUnicode(_)) => Err(WebhookError::PublicKeyEncoding),
        }
    }

    /// Builds a verifier from the raw 32-byte public key.
    pub fn from_bytes(public_key: &[u8; PUBLIC_KEY_LENGTH]) -> Result<Self, WebhookError> {
        let key =
            VerifyingKey::from_bytes(public_key).map_err(|_| WebhookError::PublicKeyInvalid)?;
        // `verify_strict` rejects every signature under a small-order key, so
        // such a key is a configuration error, not a stream of mismatches.
        if key.is_weak() {
            return Err(WebhookError::PublicKeyInvalid);
        }
        Ok(Verifier {
            key,
            tolerance: DEFAULT_TOLERANCE,
            event: PhantomData,
        })
    }

    /// Sets how far the signed timestamp may be from the local clock, in
    /// either direction.
    #[must_use]
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// The replay window in force.
    pub fn tolerance(&self) -> Duration {
        self.tolerance
    }

    /// Verifies a delivery against the system clock.
    ///
    /// `body` must be the raw request bytes, before any JSON parsing, and
    /// `timestamp` the header value exactly as received.
    pub fn verify(
        &self,
        body: &[u8],
        signature: &str,
        timestamp: &str,
    ) -> Result<(), WebhookError> {
        self.verify_at(body, signature, timestamp, SystemTime::now())
    }

    /// Verifies a delivery as of `now`.
    ///
    /// The signature is checked before the timestamp window, so a
    /// [`WebhookError::TimestampTooOld`] or [`WebhookError::TimestampTooNew`]
    /// means an authentic delivery arrived outside the window.
    pub fn verify_at(
        &self,
        body: &[u8],
        signature: &str,
        timestamp: &str,
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let signature = decode_signature(signature)?;
        let signed_at = parse_timestamp(timestamp)?;

        self.key
            .verify_strict(&signed_message(timestamp, body), &signature)
            .map_err(|_| WebhookError::SignatureMismatch)?;

        self.check_window(signed_at, now)
    }

    /// Verifies a delivery from its request headers against the system clock.
    ///
    /// Header names are matched case-insensitively.
    pub fn verify_headers(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        self.verify_headers_at(headers, body, SystemTime::now())
    }

    /// Verifies a delivery from its request headers as of `now`.
    pub fn verify_headers_at(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let signature = single_header(headers, SIGNATURE_HEADER)?;
        let timestamp = single_header(headers, TIMESTAMP_HEADER)?;
        self.verify_at(body, signature, timestamp, now)
    }

    /// Verifies a delivery against the system clock, then parses it.
    pub fn verify_and_parse(
        &self,
        body: &[u8],
        signature: &str,
        timestamp: &str,
    ) -> Result<E, WebhookError> {
        self.verify_and_parse_at(body, signature, timestamp, SystemTime::now())
    }

    /// Verifies a delivery as of `now`, then parses it.
    pub fn verify_and_parse_at(
        &self,
        body: &[u8],
        signature: &str,
        timestamp: &str,
        now: SystemTime,
    ) -> Result<E, WebhookError> {
        self.verify_at(body, signature, timestamp, now)?;
        E::parse(body).map_err(WebhookError::Parse)
    }

    /// Verifies a delivery from its request headers against the system clock,
    /// then parses it.
    pub fn verify_and_parse_headers(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<E, WebhookError> {
        self.verify_and_parse_headers_at(headers, body, SystemTime::now())
    }

    /// Verifies a delivery from its request headers as of `now`, then parses
    /// it.
    pub fn verify_and_parse_headers_at(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<E, WebhookError> {
        self.verify_headers_at(headers, body, now)?;
        E::parse(body).map_err(WebhookError::Parse)
    }

    /// Renamed [`Self::verify_and_parse`]: it returns a `Result`, and `unwrap` reads as a panic.
    #[deprecated(since = "0.2.0", note = "renamed `verify_and_parse`")]
    pub fn unwrap(&self, body: &[u8], signature: &str, timestamp: &str) -> Result<E, WebhookError> {
        self.verify_and_parse(body, signature, timestamp)
    }

    /// Renamed [`Self::verify_and_parse_at`].
    #[deprecated(since = "0.2.0", note = "renamed `verify_and_parse_at`")]
    pub fn unwrap_at(
        &self,
        body: &[u8],
        signature: &str,
        timestamp: &str,
        now: SystemTime,
    ) -> Result<E, WebhookError> {
        self.verify_and_parse_at(body, signature, timestamp, now)
    }

    /// Renamed [`Self::verify_and_parse_headers`].
    #[deprecated(since = "0.2.0", note = "renamed `verify_and_parse_headers`")]
    pub fn unwrap_headers(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<E, WebhookError> {
        self.verify_and_parse_headers(headers, body)
    }

    /// Renamed [`Self::verify_and_parse_headers_at`].
    #[deprecated(since = "0.2.0", note = "renamed `verify_and_parse_headers_at`")]
    pub fn unwrap_headers_at(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<E, WebhookError> {
        self.verify_and_parse_headers_at(headers, body, now)
    }

    fn check_window(&self, signed_at: SystemTime, now: SystemTime) -> Result<(), WebhookError> {
        match now.duration_since(signed_at) {
            Ok(age) if age > self.tolerance => Err(WebhookError::TimestampTooOld {
                age,
                tolerance: self.tolerance,
            }),
            Ok(_) => Ok(()),
            Err(early) if early.duration() > self.tolerance => Err(WebhookError::TimestampTooNew {
                ahead: early.duration(),
                tolerance: self.tolerance,
            }),
            Err(_) => Ok(()),
        }
    }
}

/// What Telnyx signs: `"{timestamp}|{body}"`, the header's text and the raw body.
pub fn signed_message(timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(timestamp.len() + 1 + body.len());
    message.extend_from_slice(timestamp.as_bytes());
    message.push(b'|');
    message.extend_from_slice(body);
    message
}

fn decode_signature(signature: &str) -> Result<Signature, WebhookError> {
    let decoded = STANDARD
        .decode(signature)
        .map_err(|_| WebhookError::SignatureEncoding)?;
    let bytes: [u8; SIGNATURE_LENGTH] = decoded
        .as_slice()
        .try_into()
        .map_err(|_| WebhookError::SignatureLength { len: decoded.len() })?;
    Ok(Signature::from_bytes(&bytes))
}

/// Telnyx sends bare digits; a sign or whitespace (which `u64::from_str`
/// would partly accept) is rejected rather than guessed at.
fn parse_timestamp(timestamp: &str) -> Result<SystemTime, WebhookError> {
    if timestamp.is_empty() || !timestamp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WebhookError::MalformedTimestamp);
    }
    let seconds: u64 = timestamp
        .parse()
        .map_err(|_| WebhookError::MalformedTimestamp)?;
    UNIX_EPOCH
        .checked_add(Duration::from_secs(seconds))
        .ok_or(WebhookError::MalformedTimestamp)
}

fn single_header<'a>(
    headers: &'a http::HeaderMap,
    name: &'static str,
) -> Result<&'a str, WebhookError> {
    let mut values = headers.get_all(name).iter();
    let value = values.next().ok_or(WebhookError::MissingHeader(name))?;
    if values.next().is_some() {
        return Err(WebhookError::DuplicateHeader(name));
    }
    value
        .to_str()
        .map_err(|_| WebhookError::InvalidHeaderValue(name))
}

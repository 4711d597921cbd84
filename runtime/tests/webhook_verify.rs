//! Webhook signature verification through the public API.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::{Signer as _, SigningKey};
use http::{HeaderMap, HeaderName, HeaderValue};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde_json::Value;
use telnyx_call_control_runtime::webhooks::{
    WebhookError, DEFAULT_TOLERANCE, PUBLIC_KEY_ENV, SIGNATURE_HEADER, TIMESTAMP_HEADER,
};

/// The verifier reading raw JSON, as a generated crate's reads its `WebhookEvent`.
type Verifier = telnyx_call_control_runtime::webhooks::Verifier<Value>;

const SIGNED_AT: u64 = 1_700_000_000;
/// A complete delivery envelope with an event type no schema describes.
const BODY: &[u8] = br#"{"data":{"event_type":"example.unrecognised","id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","occurred_at":"2023-11-14T22:13:20.000000Z","payload":{},"record_type":"event"},"meta":{"attempt":1,"delivered_to":"https://example.com/webhooks"}}"#;

fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

fn other_signing_key() -> SigningKey {
    SigningKey::from_bytes(&[8; 32])
}

fn public_key_b64(key: &SigningKey) -> String {
    STANDARD.encode(key.verifying_key().as_bytes())
}

fn verifier() -> Verifier {
    Verifier::new(&public_key_b64(&signing_key())).expect("valid test key")
}

/// Signs the way Telnyx does: `"{timestamp}|{body}"`.
fn sign_with(key: &SigningKey, timestamp: &str, body: &[u8]) -> String {
    let mut message = timestamp.as_bytes().to_vec();
    message.push(b'|');
    message.extend_from_slice(body);
    STANDARD.encode(key.sign(&message).to_bytes())
}

fn sign(timestamp: &str, body: &[u8]) -> String {
    sign_with(&signing_key(), timestamp, body)
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn signed_headers(timestamp: &str, body: &[u8]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        SIGNATURE_HEADER,
        HeaderValue::from_str(&sign(timestamp, body)).expect("base64 is ASCII"),
    );
    headers.insert(
        TIMESTAMP_HEADER,
        HeaderValue::from_str(timestamp).expect("digits are ASCII"),
    );
    headers
}

#[test]
fn good_signature_is_accepted() {
    let ts = SIGNED_AT.to_string();
    let result = verifier().verify_at(BODY, &sign(&ts, BODY), &ts, at(SIGNED_AT));
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn good_signature_is_accepted_by_system_clock_variants() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
        .to_string();
    let sig = sign(&now, BODY);
    let verifier = verifier();
    assert!(verifier.verify(BODY, &sig, &now).is_ok());
    assert!(verifier
        .verify_headers(&signed_headers(&now, BODY), BODY)
        .is_ok());
    let parses = serde_json::from_slice::<Value>(BODY).is_ok();
    assert_eq!(verifier.verify_and_parse(BODY, &sig, &now).is_ok(), parses);
    assert_eq!(
        verifier
            .verify_and_parse_headers(&signed_headers(&now, BODY), BODY)
            .is_ok(),
        parses
    );
}

#[test]
fn tampered_body_is_rejected() {
    let ts = SIGNED_AT.to_string();
    let sig = sign(&ts, BODY);
    let mut tampered = BODY.to_vec();
    tampered[10] ^= 0x01;
    let result = verifier().verify_at(&tampered, &sig, &ts, at(SIGNED_AT));
    assert!(
        matches!(result, Err(WebhookError::SignatureMismatch)),
        "{result:?}"
    );
}

#[test]
fn tampered_timestamp_is_rejected() {
    let sig = sign(&SIGNED_AT.to_string(), BODY);
    let shifted = (SIGNED_AT + 1).to_string();
    let result = verifier().verify_at(BODY, &sig, &shifted, at(SIGNED_AT));
    assert!(
        matches!(result, Err(WebhookError::SignatureMismatch)),
        "{result:?}"
    );
}

#[test]
fn timestamp_is_signed_as_received_not_as_parsed() {
    // Same instant, different text: the signature covers the text.
    let sig = sign(&SIGNED_AT.to_string(), BODY);
    let padded = format!("0{SIGNED_AT}");
    let result = verifier().verify_at(BODY, &sig, &padded, at(SIGNED_AT));
    assert!(
        matches!(result, Err(WebhookError::SignatureMismatch)),
        "{result:?}"
    );
}

#[test]
fn signature_from_other_key_is_rejected() {
    let ts = SIGNED_AT.to_string();
    let sig = sign_with(&other_signing_key(), &ts, BODY);
    let result = verifier().verify_at(BODY, &sig, &ts, at(SIGNED_AT));
    assert!(
        matches!(result, Err(WebhookError::SignatureMismatch)),
        "{result:?}"
    );
}

#[test]
fn timestamp_301_seconds_old_is_rejected() {
    let ts = SIGNED_AT.to_string();
    let result = verifier().verify_at(BODY, &sign(&ts, BODY), &ts, at(SIGNED_AT + 301));
    match result {
        Err(WebhookError::TimestampTooOld { age, tolerance }) => {
            assert_eq!(age, Duration::from_secs(301));
            assert_eq!(tolerance, DEFAULT_TOLERANCE);
        }
        other => panic!("expected TimestampTooOld, got {other:?}"),
    }
}

#[test]
fn timestamp_301_seconds_ahead_is_rejected() {
    let ts = SIGNED_AT.to_string();
    let result = verifier().verify_at(BODY, &sign(&ts, BODY), &ts, at(SIGNED_AT - 301));
    match result {
        Err(WebhookError::TimestampTooNew { ahead, tolerance }) => {
            assert_eq!(ahead, Duration::from_secs(301));
            assert_eq!(tolerance, DEFAULT_TOLERANCE);
        }
        other => panic!("expected TimestampTooNew, got {other:?}"),
    }
}

#[test]
fn timestamp_299_seconds_either_way_is_accepted() {
    let ts = SIGNED_AT.to_string();
    let sig = sign(&ts, BODY);
    let verifier = verifier();
    assert!(verifier
        .verify_at(BODY, &sig, &ts, at(SIGNED_AT + 299))
        .is_ok());
    assert!(verifier
        .verify_at(BODY, &sig, &ts, at(SIGNED_AT - 299))
        .is_ok());
}

#[test]
fn window_edges_are_inclusive_to_the_subsecond() {
    let ts = SIGNED_AT.to_string();
    let sig = sign(&ts, BODY);
    let verifier = verifier();
    let edge = at(SIGNED_AT + 300);
    assert!(verifier.verify_at(BODY, &sig, &ts, edge).is_ok());
    let past_edge = edge + Duration::from_millis(1);
    assert!(matches!(
        verifier.verify_at(BODY, &sig, &ts, past_edge),
        Err(WebhookError::TimestampTooOld { .. })
    ));
}

#[test]
fn custom_tolerance_is_honoured() {
    let ts = SIGNED_AT.to_string();
    let sig = sign(&ts, BODY);
    let verifier = verifier().with_tolerance(Duration::from_secs(10));
    assert_eq!(verifier.tolerance(), Duration::from_secs(10));

    assert!(verifier
        .verify_at(BODY, &sig, &ts, at(SIGNED_AT + 10))
        .is_ok());
    match verifier.verify_at(BODY, &sig, &ts, at(SIGNED_AT + 11)) {
        Err(WebhookError::TimestampTooOld { age, tolerance }) => {
            assert_eq!(age, Duration::from_secs(11));
            assert_eq!(tolerance, Duration::from_secs(10));
        }
        other => panic!("expected TimestampTooOld, got {other:?}"),
    }
    assert!(matches!(
        verifier.verify_at(BODY, &sig, &ts, at(SIGNED_AT - 11)),
        Err(WebhookError::TimestampTooNew { .. })
    ));

    // A wider window accepts what the default rejects.
    let wide = self::verifier().with_tolerance(Duration::from_secs(3600));
    assert!(wide
        .verify_at(BODY, &sig, &ts, at(SIGNED_AT + 3000))
        .is_ok());
}

#[test]
fn headers_are_verified() {
    let ts = SIGNED_AT.to_string();
    let headers = signed_headers(&ts, BODY);
    assert!(verifier()
        .verify_headers_at(&headers, BODY, at(SIGNED_AT))
        .is_ok());
    assert!(matches!(
        verifier().verify_headers_at(&headers, b"{}", at(SIGNED_AT)),
        Err(WebhookError::SignatureMismatch)
    ));
}

#[test]
fn missing_signature_header_is_reported() {
    let ts = SIGNED_AT.to_string();
    let mut headers = signed_headers(&ts, BODY);
    headers.remove(SIGNATURE_HEADER);
    let result = verifier().verify_headers_at(&headers, BODY, at(SIGNED_AT));
    assert!(
        matches!(result, Err(WebhookError::MissingHeader(SIGNATURE_HEADER))),
        "{result:?}"
    );
}

#[test]
fn missing_timestamp_header_is_reported() {
    let ts = SIGNED_AT.to_string();
    let mut headers = signed_headers(&ts, BODY);
    headers.remove(TIMESTAMP_HEADER);
    let result = verifier().verify_headers_at(&headers, BODY, at(SIGNED_AT));
    assert!(
        matches!(result, Err(WebhookError::MissingHeader(TIMESTAMP_HEADER))),
        "{result:?}"
    );
}

#[test]
fn duplicated_signature_header_is_rejected() {
    let ts = SIGNED_AT.to_string();
    let mut headers = signed_headers(&ts, BODY);
    // Even a second copy of the right value is ambiguous.
    let again = headers[SIGNATURE_HEADER].clone();
    headers.append(SIGNATURE_HEADER, again);
    let result = verifier().verify_headers_at(&headers, BODY, at(SIGNED_AT));
    assert!(
        matches!(result, Err(WebhookError::DuplicateHeader(SIGNATURE_HEADER))),
        "{result:?}"
    );
}

#[test]
fn duplicated_timestamp_header_is_rejected() {
    let ts = SIGNED_AT.to_string();
    let mut headers = signed_headers(&ts, BODY);
    headers.append(TIMESTAMP_HEADER, HeaderValue::from_static("1700000001"));
    let result = verifier().verify_headers_at(&headers, BODY, at(SIGNED_AT));
    assert!(
        matches!(result, Err(WebhookError::DuplicateHeader(TIMESTAMP_HEADER))),
        "{result:?}"
    );
}

#[test]
fn upper_case_header_names_are_accepted() {
    let ts = SIGNED_AT.to_string();
    let mut headers = HeaderMap::new();
    headers.insert(
        HeaderName::from_bytes(b"Telnyx-Signature-Ed25519").expect("valid name"),
        HeaderValue::from_str(&sign(&ts, BODY)).expect("ASCII"),
    );
    headers.insert(
        HeaderName::from_bytes(b"TELNYX-TIMESTAMP").expect("valid name"),
        HeaderValue::from_str(&ts).expect("ASCII"),
    );
    let result = verifier().verify_headers_at(&headers, BODY, at(SIGNED_AT));
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn non_visible_ascii_header_value_is_rejected() {
    let ts = SIGNED_AT.to_string();
    let mut headers = signed_headers(&ts, BODY);
    headers.insert(
        TIMESTAMP_HEADER,
        HeaderValue::from_bytes(b"1700000000\xff").expect("obs-text is a valid value"),
    );
    let result = verifier().verify_headers_at(&headers, BODY, at(SIGNED_AT));
    assert!(
        matches!(
            result,
            Err(WebhookError::InvalidHeaderValue(TIMESTAMP_HEADER))
        ),
        "{result:?}"
    );
}

#[test]
fn non_numeric_timestamp_is_rejected() {
    let verifier = verifier();
    for ts in [
        "",
        "abc",
        "17000000x0",
        "+1700000000",
        "-1700000000",
        " 1700000000",
        "1700000000 ",
        "1700000000.5",
        "99999999999999999999999",
    ] {
        // Signed correctly, so only the timestamp's shape can fail.
        let result = verifier.verify_at(BODY, &sign(ts, BODY), ts, at(SIGNED_AT));
        assert!(
            matches!(result, Err(WebhookError::MalformedTimestamp)),
            "{ts:?}: {result:?}"
        );
    }
}

#[test]
fn bad_base64_signature_is_rejected() {
    let ts = SIGNED_AT.to_string();
    let verifier = verifier();
    let good = sign(&ts, BODY);
    let url_safe = good.replace('+', "-").replace('/', "_");
    for sig in ["not base64!", "====", &good[1..], &format!("{good}\n")] {
        let result = verifier.verify_at(BODY, sig, &ts, at(SIGNED_AT));
        assert!(
            matches!(result, Err(WebhookError::SignatureEncoding)),
            "{sig:?}: {result:?}"
        );
    }
    if url_safe != good {
        assert!(matches!(
            verifier.verify_at(BODY, &url_safe, &ts, at(SIGNED_AT)),
            Err(WebhookError::SignatureEncoding)
        ));
    }
}

#[test]
fn wrong_length_signature_is_rejected() {
    let ts = SIGNED_AT.to_string();
    let verifier = verifier();
    for len in [0, 63, 65] {
        let sig = STANDARD.encode(vec![0x42; len]);
        match verifier.verify_at(BODY, &sig, &ts, at(SIGNED_AT)) {
            Err(WebhookError::SignatureLength { len: got }) => assert_eq!(got, len),
            other => panic!("{len} bytes: expected SignatureLength, got {other:?}"),
        }
    }
}

#[test]
fn bad_base64_key_is_rejected() {
    for key in ["not base64!", "====", "AAAA$AAA"] {
        let result = Verifier::new(key);
        assert!(
            matches!(result, Err(WebhookError::PublicKeyEncoding)),
            "{key:?}: {result:?}"
        );
    }
}

#[test]
fn wrong_length_key_is_rejected() {
    for len in [0, 31, 33, 64] {
        match Verifier::new(&STANDARD.encode(vec![9; len])) {
            Err(WebhookError::PublicKeyLength { len: got }) => assert_eq!(got, len),
            other => panic!("{len} bytes: expected PublicKeyLength, got {other:?}"),
        }
    }
}

#[test]
fn key_that_is_not_a_usable_point_is_rejected() {
    // y = 2 has no x on the curve.
    let mut off_curve = [0u8; 32];
    off_curve[0] = 2;
    // y = 1 is the identity, a small-order point.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    for bytes in [off_curve, identity] {
        assert!(matches!(
            Verifier::from_bytes(&bytes),
            Err(WebhookError::PublicKeyInvalid)
        ));
        assert!(matches!(
            Verifier::new(&STANDARD.encode(bytes)),
            Err(WebhookError::PublicKeyInvalid)
        ));
    }
}

#[test]
fn key_whitespace_is_trimmed_and_from_bytes_matches() {
    let b64 = format!("  {}\n", public_key_b64(&signing_key()));
    let ts = SIGNED_AT.to_string();
    let sig = sign(&ts, BODY);
    let from_b64 = Verifier::new(&b64).expect("trimmed key is valid");
    let from_raw =
        Verifier::from_bytes(signing_key().verifying_key().as_bytes()).expect("valid key");
    assert!(from_b64.verify_at(BODY, &sig, &ts, at(SIGNED_AT)).is_ok());
    assert!(from_raw.verify_at(BODY, &sig, &ts, at(SIGNED_AT)).is_ok());
}

#[test]
fn from_env_reads_telnyx_public_key() {
    // The only test that touches this variable, so there is no race.
    std::env::remove_var(PUBLIC_KEY_ENV);
    assert!(matches!(
        Verifier::from_env(),
        Err(WebhookError::MissingPublicKey)
    ));

    std::env::set_var(PUBLIC_KEY_ENV, "");
    assert!(matches!(
        Verifier::from_env(),
        Err(WebhookError::MissingPublicKey)
    ));

    std::env::set_var(PUBLIC_KEY_ENV, "not base64!");
    assert!(matches!(
        Verifier::from_env(),
        Err(WebhookError::PublicKeyEncoding)
    ));

    std::env::set_var(PUBLIC_KEY_ENV, public_key_b64(&signing_key()));
    let from_env = Verifier::from_env();
    std::env::remove_var(PUBLIC_KEY_ENV);
    let ts = SIGNED_AT.to_string();
    let verified =
        from_env
            .expect("valid key in env")
            .verify_at(BODY, &sign(&ts, BODY), &ts, at(SIGNED_AT));
    assert!(verified.is_ok(), "{verified:?}");
}

#[test]
fn verify_and_parse_agrees_with_unverified_parse_once_verified() {
    let ts = SIGNED_AT.to_string();
    let sig = sign(&ts, BODY);
    let headers = signed_headers(&ts, BODY);
    let verifier = verifier();
    let unwrapped = verifier.verify_and_parse_at(BODY, &sig, &ts, at(SIGNED_AT));
    let from_headers = verifier.verify_and_parse_headers_at(&headers, BODY, at(SIGNED_AT));
    match serde_json::from_slice::<Value>(BODY) {
        Ok(_) => {
            assert!(unwrapped.is_ok(), "{unwrapped:?}");
            assert!(from_headers.is_ok(), "{from_headers:?}");
        }
        Err(_) => {
            assert!(matches!(unwrapped, Err(WebhookError::Parse(_))));
            assert!(matches!(from_headers, Err(WebhookError::Parse(_))));
        }
    }
}

#[test]
fn verify_and_parse_of_non_json_with_good_signature_is_a_parse_error() {
    let ts = SIGNED_AT.to_string();
    let body = b"definitely not json";
    let sig = sign(&ts, body);
    let result = verifier().verify_and_parse_at(body, &sig, &ts, at(SIGNED_AT));
    let err = match result {
        Err(err @ WebhookError::Parse(_)) => err,
        other => panic!("expected Parse, got {other:?}"),
    };
    assert!(std::error::Error::source(&err).is_some());

    let headers = signed_headers(&ts, body);
    assert!(matches!(
        verifier().verify_and_parse_headers_at(&headers, body, at(SIGNED_AT)),
        Err(WebhookError::Parse(_))
    ));
}

#[test]
fn verify_and_parse_does_not_parse_an_unverified_body() {
    let ts = SIGNED_AT.to_string();
    let sig = sign(&ts, BODY);
    let result = verifier().verify_and_parse_at(b"not json", &sig, &ts, at(SIGNED_AT));
    assert!(
        matches!(result, Err(WebhookError::SignatureMismatch)),
        "{result:?}"
    );
}

#[test]
fn error_messages_never_quote_the_body_or_signature() {
    let ts = SIGNED_AT.to_string();
    let body = br#"{"secret":"hunter2-body-marker"}"#;
    let sig = sign(&ts, body);
    let verifier = verifier();
    let errors = [
        verifier.verify_at(b"hunter2-body-marker", &sig, &ts, at(SIGNED_AT)),
        verifier.verify_at(body, &sig, &ts, at(SIGNED_AT + 10_000)),
        verifier.verify_at(body, "hunter2-body-marker", &ts, at(SIGNED_AT)),
        verifier
            .verify_and_parse_at(
                b"hunter2-body-marker",
                &sign(&ts, b"hunter2-body-marker"),
                &ts,
                at(SIGNED_AT),
            )
            .map(drop),
    ];
    for result in errors {
        let message = result.expect_err("each case fails").to_string();
        assert!(!message.contains("hunter2"), "{message}");
        assert!(!message.contains(&sig), "{message}");
    }
}

#[test]
fn debug_output_is_short_and_shows_only_a_key_prefix() {
    let verifier = verifier();
    let full_key = public_key_b64(&signing_key());
    let debug = format!("{verifier:?}");
    assert!(debug.contains(&full_key[..8]), "{debug}");
    assert!(!debug.contains(&full_key), "{debug}");
    assert!(debug.len() < 80, "{debug}");
}

fn proptest_config() -> Config {
    Config {
        cases: 256,
        rng_seed: RngSeed::Fixed(0x7e1e_7e1e),
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(proptest_config())]

    #[test]
    fn arbitrary_inputs_never_panic(
        body in proptest::collection::vec(any::<u8>(), 0..512),
        signature in any::<String>(),
        timestamp in any::<String>(),
        now in any::<u64>(),
    ) {
        let now = UNIX_EPOCH.checked_add(Duration::from_secs(now)).unwrap_or(UNIX_EPOCH);
        let verifier = verifier();
        prop_assert!(verifier.verify_at(&body, &signature, &timestamp, now).is_err());
        prop_assert!(verifier.verify_and_parse_at(&body, &signature, &timestamp, now).is_err());
    }

    #[test]
    fn arbitrary_header_bytes_never_panic(
        signature in proptest::collection::vec(any::<u8>(), 0..128),
        timestamp in proptest::collection::vec(any::<u8>(), 0..32),
    ) {
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_bytes(&signature) {
            headers.insert(SIGNATURE_HEADER, value);
        }
        if let Ok(value) = HeaderValue::from_bytes(&timestamp) {
            headers.insert(TIMESTAMP_HEADER, value);
        }
        prop_assert!(verifier().verify_headers_at(&headers, BODY, at(SIGNED_AT)).is_err());
    }

    #[test]
    fn arbitrary_key_strings_never_panic(key in any::<String>()) {
        // Most strings are rejected; the point is that none panics.
        let _ = Verifier::new(&key);
    }

    #[test]
    fn valid_signature_over_arbitrary_body_verifies(
        body in proptest::collection::vec(any::<u8>(), 0..2048),
        seconds in 0u64..4_000_000_000,
        flip in any::<proptest::sample::Index>(),
    ) {
        let ts = seconds.to_string();
        let sig = sign(&ts, &body);
        let verifier = verifier();
        prop_assert!(verifier.verify_at(&body, &sig, &ts, at(seconds)).is_ok());

        if !body.is_empty() {
            let mut tampered = body.clone();
            tampered[flip.index(body.len())] ^= 0x80;
            prop_assert!(matches!(
                verifier.verify_at(&tampered, &sig, &ts, at(seconds)),
                Err(WebhookError::SignatureMismatch)
            ));
        }
    }
}

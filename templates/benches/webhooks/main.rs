//! Webhook handling, on every example delivery of the spec, next to its baselines: the typed parse
//! against parsing the same bytes into a `serde_json::Value`, and verify + parse against a bare
//! Ed25519 `verify_strict` (what `Verifier` uses) of the same signed message.
//!
//! One iteration handles every example once; the throughput is in events.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use telnyx_call_control::webhooks::{Verifier, WebhookEvent};

#[rustfmt::skip]
mod samples;

/// The benchmark group; `cargo xtask bench` looks results up under this name.
const GROUP: &str = "webhooks";
const SIGNED_AT: u64 = 1_700_000_000;

/// One example as it arrives: body, headers, and the pieces a bare verify needs.
struct Delivery {
    body: &'static [u8],
    signature_b64: String,
    signature: Signature,
    signed_message: Vec<u8>,
}

fn deliveries(key: &SigningKey, timestamp: &str) -> Vec<Delivery> {
    samples::WEBHOOK_EXAMPLES
        .iter()
        .map(|(_, body)| {
            let body = body.as_bytes();
            let mut signed_message = format!("{timestamp}|").into_bytes();
            signed_message.extend_from_slice(body);
            let signature = key.sign(&signed_message);
            Delivery {
                body,
                signature_b64: STANDARD.encode(signature.to_bytes()),
                signature,
                signed_message,
            }
        })
        .collect()
}

fn webhooks(c: &mut Criterion) {
    let key = SigningKey::from_bytes(&[7; 32]);
    // From bytes, as a receiver has it (and as `Verifier` holds it).
    let public = VerifyingKey::from_bytes(key.verifying_key().as_bytes()).expect("a valid key");
    let verifier = Verifier::new(&STANDARD.encode(public.as_bytes())).expect("a valid key");
    let timestamp = SIGNED_AT.to_string();
    // A fixed clock inside the replay window: the bench never depends on the wall clock.
    let now = UNIX_EPOCH + Duration::from_secs(SIGNED_AT) + Duration::from_secs(1);
    let deliveries = deliveries(&key, &timestamp);
    if deliveries.is_empty() {
        eprintln!("webhooks bench: the spec gives no webhook examples");
        return;
    }
    // A bench of failures would measure the error path: every example must be known and verify.
    for (d, (event, _)) in deliveries.iter().zip(samples::WEBHOOK_EXAMPLES) {
        match verifier.verify_and_parse_at(d.body, &d.signature_b64, &timestamp, now) {
            Ok(WebhookEvent::Unknown(_)) => panic!("{event}: the example is not recognised"),
            Ok(_) => {}
            Err(e) => panic!("{event}: {e}"),
        }
    }

    let mut group = c.benchmark_group(GROUP);
    group.throughput(Throughput::Elements(deliveries.len() as u64));
    group.bench_function("value_parse", |b| {
        b.iter(|| {
            for d in &deliveries {
                black_box(serde_json::from_slice::<serde_json::Value>(black_box(d.body)).ok());
            }
        })
    });
    group.bench_function("typed_parse", |b| {
        b.iter(|| {
            for d in &deliveries {
                black_box(WebhookEvent::from_slice(black_box(d.body)).ok());
            }
        })
    });
    group.bench_function("bare_verify", |b| {
        b.iter(|| {
            for d in &deliveries {
                black_box(
                    public
                        .verify_strict(black_box(&d.signed_message), &d.signature)
                        .is_ok(),
                );
            }
        })
    });
    group.bench_function("verify_and_parse", |b| {
        b.iter(|| {
            for d in &deliveries {
                black_box(
                    verifier
                        .verify_and_parse_at(black_box(d.body), &d.signature_b64, &timestamp, now)
                        .ok(),
                );
            }
        })
    });
    group.finish();
}

criterion_group!(benches, webhooks);
criterion_main!(benches);

//! Request building: serializing the request body of every operation that takes JSON (the samples the
//! operation tests send, already typed), to bytes as a caller's value becomes a request body, and
//! along the runtime's own path (to a `serde_json::Value`, where `command_id` is filled, then bytes).
//!
//! One iteration serializes every body once; the throughput is in bodies.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde::Serialize;

#[rustfmt::skip]
mod samples;

/// The benchmark group; `cargo xtask bench` looks results up under this name.
const GROUP: &str = "requests";

/// Serializes each body into one reused buffer.
struct ToBytes(Vec<u8>);

impl samples::Visit for ToBytes {
    fn visit<B: Serialize>(&mut self, operation: &'static str, body: &B) {
        self.0.clear();
        if let Err(e) = serde_json::to_writer(&mut self.0, black_box(body)) {
            panic!("{operation}: {e}");
        }
        black_box(&self.0);
    }
}

/// Serializes each body the way the runtime does: into a `Value`, then bytes.
struct ViaValue(Vec<u8>);

impl samples::Visit for ViaValue {
    fn visit<B: Serialize>(&mut self, operation: &'static str, body: &B) {
        self.0.clear();
        let written = serde_json::to_value(black_box(body))
            .and_then(|value| serde_json::to_writer(&mut self.0, &value));
        if let Err(e) = written {
            panic!("{operation}: {e}");
        }
        black_box(&self.0);
    }
}

fn requests(c: &mut Criterion) {
    if samples::COUNT == 0 {
        eprintln!("requests bench: no operation takes a JSON body");
        return;
    }
    let bodies = samples::RequestBodies::parse();
    let mut group = c.benchmark_group(GROUP);
    group.throughput(Throughput::Elements(samples::COUNT as u64));
    group.bench_function("to_bytes", |b| {
        let mut visitor = ToBytes(Vec::with_capacity(1 << 16));
        b.iter(|| bodies.visit(&mut visitor))
    });
    group.bench_function("via_value", |b| {
        let mut visitor = ViaValue(Vec::with_capacity(1 << 16));
        b.iter(|| bodies.visit(&mut visitor))
    });
    group.finish();
}

criterion_group!(benches, requests);
criterion_main!(benches);

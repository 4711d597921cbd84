//! The vendor's older specs (`history/` beside the pinned spec, see its README) generate whole, every
//! defect a diagnostic; the counts by class are the record of what each version carries. Without the
//! specs each test fails, naming where it looked.
//!
//! `spec/overrides.toml` is written for the pinned spec: in an older one, places that share a shape
//! it does not name stay apart, each a warning (`unnamed-shared-shape`), and operations that a place
//! gives one name are told apart by their operationIds (`name-collision`).

use telnyx_codegen::test_support::vendor_spec;
use telnyx_codegen::{generate, Config, EmitOptions, Scope};

/// Generates `date`'s spec for `scope` and returns its diagnostics' summary by class.
fn summary(date: &str, scope: Scope) -> String {
    let text = vendor_spec(&format!("history/spec3-{date}.yml"));
    let config = Config {
        scope,
        emit: EmitOptions::default(),
        overlays: Vec::new(),
    };
    let generated = generate(&text, &config).unwrap_or_else(|e| panic!("{date}: {e}"));
    assert!(!generated.files.is_empty());
    generated.summary.diagnostics.summary()
}

fn calls() -> Scope {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/scope.toml");
    Scope::from_toml(&std::fs::read_to_string(file).unwrap()).unwrap()
}

#[test]
fn september_2021_generates_whole() {
    let summary = summary("2021-09-28", Scope::all());
    assert_eq!(
        summary,
        "1 openapi-3-0, 4 required-not-a-property, 3 duplicate-operation-id, 6 name-collision, \
         44 unnamed-shared-shape, 9 simulator-field"
    );
}

#[test]
fn december_2023_generates_whole() {
    let summary = summary("2023-12-11", Scope::all());
    assert_eq!(
        summary,
        "1 openapi-3-0, 11 required-not-a-property, 11 path-parameter-not-in-path, \
         9 placeholder-without-parameter, 4 ref-to-non-schema, 3 duplicate-operation-id, \
         25 name-collision, 64 unnamed-shared-shape, 7 simulator-field, 2 duplicate-parameter, \
         1 required-on-property"
    );
}

#[test]
fn september_2025_generates_whole_and_its_call_scope() {
    let summary = summary("2025-09-30", Scope::all());
    assert_eq!(
        summary,
        "3 required-not-a-property, 1 unusable-discriminator, 5 ref-to-non-schema, \
         20 name-collision, 95 unnamed-shared-shape, 3 event-type-claimed-twice, 3 simulator-field, \
         9 duplicate-parameter"
    );
    // The call scope was refused for five months of 2025 (GoogleTranscriptionLanguage). Its queue
    // calls then required an `is_alive` they did not describe; dials, answers and transfers had no
    // `webhook_retries_policies` yet, which the simulator's redeliveries read.
    let calls = self::summary("2025-09-30", calls());
    assert_eq!(
        calls,
        "1 required-not-a-property, 1 unusable-discriminator, 10 unnamed-shared-shape, \
         3 event-type-claimed-twice, 3 simulator-field"
    );
}

#[test]
fn january_2026_generates_whole_and_its_call_scope() {
    // Its crates did not build: a tagged union whose branch is an untagged one
    // (`TranscriptionStartRequest.transcription_engine_config`), see tests/constructs.rs.
    let summary = summary("2026-01-27", Scope::all());
    assert_eq!(
        summary,
        "2 unusable-discriminator, 27 name-collision, 103 unnamed-shared-shape, 3 simulator-field"
    );
    let calls = self::summary("2026-01-27", calls());
    assert_eq!(
        calls,
        "1 unusable-discriminator, 1 name-collision, 11 unnamed-shared-shape, 3 simulator-field"
    );
}

//! The generated crate's own tests and bench data, apart from the product's code: each test target
//! is a directory, `tests/<target>/main.rs` (text: the target's docs and its modules) beside the
//! generated `cases.rs` (and, where one is hand-written, `harness.rs`).

mod bench_samples;
mod conformance;
mod fake;
mod operations;
mod serde_oracle;
mod webhook_events;

use super::{File, Plan, GENERATED_LINE};

/// The hand-written harness of the conformance tests: a crate without it gets no conformance cases.
pub(super) const CONFORMANCE_HARNESS: &str = "tests/conformance/harness.rs";
/// The hand-written harness of the serde oracle, beside its generated types and cases.
pub(super) const SERDE_ORACLE_HARNESS: &str = "tests/serde_oracle/main.rs";

/// `tests/<target>/main.rs`: the target's doc, the feature it needs, and its modules.
fn main_rs(doc: &str, feature: Option<&str>, modules: &[&str]) -> String {
    let mut s = format!("// {GENERATED_LINE}\n");
    for line in doc.lines() {
        s.push_str(&format!("//! {line}\n"));
    }
    if let Some(feature) = feature {
        s.push_str(&format!("#![cfg(feature = \"{feature}\")]\n"));
    }
    s.push('\n');
    for module in modules {
        if *module == "cases" {
            s.push_str("#[rustfmt::skip]\n");
        }
        s.push_str(&format!("mod {module};\n"));
    }
    s
}

/// A test target: its `main.rs` and its generated `cases.rs`.
fn target(
    name: &str,
    doc: &str,
    feature: Option<&str>,
    modules: &[&str],
    cases: proc_macro2::TokenStream,
) -> Vec<(String, File)> {
    vec![
        (
            format!("tests/{name}/main.rs"),
            File::Text(main_rs(doc, feature, modules)),
        ),
        (format!("tests/{name}/cases.rs"), File::Rust(cases)),
    ]
}

pub(super) fn operations(p: &Plan<'_, '_>) -> Vec<(String, File)> {
    target(
        "operations",
        "One test per operation against a local mock server: method, path, auth and exact body out; typed\nresponse in.",
        None,
        &["cases"],
        operations::emit_operation_tests(p.surface, p.samples, &p.lib()),
    )
}

/// The derived twins of the types (`tests/serde_oracle/types.rs`), for the hand-written
/// `tests/serde_oracle/main.rs`.
pub(super) fn serde_oracle_types(p: &Plan<'_, '_>) -> Vec<(String, File)> {
    vec![(
        "tests/serde_oracle/types.rs".into(),
        File::Rust(serde_oracle::emit_types(p.surface)),
    )]
}

pub(super) fn serde_oracle_cases(p: &Plan<'_, '_>) -> Vec<(String, File)> {
    vec![(
        "tests/serde_oracle/cases.rs".into(),
        File::Rust(serde_oracle::emit_cases(p.surface, p.samples, &p.lib())),
    )]
}

pub(super) fn fake_operations(p: &Plan<'_, '_>) -> Vec<(String, File)> {
    target(
        "fake_operations",
        "Every operation against the fake Telnyx: the sample body accepted, recorded and answered\nwith the spec's example; bodies without a required field or with an unlisted enum value refused.",
        Some("testing"),
        &["cases"],
        fake::emit(p.surface, p.samples, &p.lib()),
    )
}

pub(super) fn conformance(p: &Plan<'_, '_>) -> Vec<(String, File)> {
    target(
        "conformance",
        "Every operation against a Prism mock server of the spec (`scripts/conformance.sh` starts it\nand sets `TELNYX_PRISM_URL`; without it each test says so and fails): Prism validates the\nrequest against the spec, and its answer must decode into the typed response.",
        None,
        &["harness", "cases"],
        conformance::emit_conformance_tests(p.surface, p.samples, &p.lib()),
    )
}

pub(super) fn webhook_events(p: &Plan<'_, '_>) -> Vec<(String, File)> {
    target(
        "webhook_events",
        "Every webhook example of the spec parses into its own variant and writes back what it read.",
        None,
        &["cases"],
        webhook_events::emit_event_tests(&p.surface.webhooks, p.samples, &p.lib()),
    )
}

pub(super) use bench_samples::samples as bench_samples;

//! Regeneration of the pinned spec (`TELNYX_OPENAPI_SPEC`), phase by phase, for the call scope and the
//! whole spec, next to the baseline every total is judged against: parsing the same YAML into a
//! `serde_yaml::Value`. Without the spec there is nothing to measure and the bench says so.
//!
//! Each phase gets its input ready-made and its output is dropped outside the timed section, so the
//! phases add up to one regeneration. Load and normalize read the whole file whatever the scope. Emit
//! and format are one phase, as in `telnyx_codegen::generate`: each part of the crate is formatted on
//! the thread that emitted it. `cargo xtask bench` reads the medians criterion saves and adds the
//! write phase.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode};
use std::time::Duration;
use telnyx_codegen::samples::Samples;
use telnyx_codegen::spec::Normalized;
use telnyx_codegen::surface::Surface;
use telnyx_codegen::{emit, format, model, spec, EmitOptions, Scope};

/// The allocator `cargo xtask regenerate` runs with, so the phases and the baseline are measured as
/// xtask runs them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The benchmark group; `cargo xtask bench` looks results up under this name.
const GROUP: &str = "regenerate";

fn spec_text() -> Option<String> {
    let path = std::env::var_os("TELNYX_OPENAPI_SPEC").filter(|p| !p.is_empty())?;
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            eprintln!(
                "regenerate bench: cannot read {}: {e}",
                path.to_string_lossy()
            );
            None
        }
    }
}

fn call_scope() -> Scope {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/scope.toml");
    let text = std::fs::read_to_string(file).expect("spec/scope.toml is in the repository");
    Scope::from_toml(&text).expect("spec/scope.toml is valid")
}

fn regenerate(c: &mut Criterion) {
    let Some(text) = spec_text() else {
        eprintln!(
            "regenerate bench: set TELNYX_OPENAPI_SPEC to the pinned spec to measure regeneration"
        );
        return;
    };
    let loaded = spec::load(&text).expect("the pinned spec loads");
    let normalized = spec::normalize(loaded.clone()).expect("the pinned spec normalizes");

    let mut group = c.benchmark_group(GROUP);
    // One iteration takes tens to hundreds of milliseconds: a few flat samples give a steady median.
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2));
    group.bench_function("baseline_yaml_value", |b| {
        b.iter_with_large_drop(|| {
            serde_yaml::from_str::<serde_yaml::Value>(&text).expect("the spec is YAML")
        })
    });
    group.bench_function("load", |b| {
        b.iter_with_large_drop(|| spec::load(&text).expect("loads"))
    });
    group.bench_function("normalize", |b| {
        b.iter_batched(
            || loaded.clone(),
            |value| spec::normalize(value).expect("normalizes"),
            BatchSize::LargeInput,
        )
    });
    for (name, scope) in [("calls", call_scope()), ("all", Scope::all())] {
        scope_phases(&mut group, name, &normalized, &scope);
    }
    group.finish();
}

/// Model, surface, samples, then emit and format, for one scope; a scope the generator cannot build
/// yet is reported and skipped.
fn scope_phases(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    normalized: &Normalized,
    scope: &Scope,
) {
    let options = EmitOptions::default();
    let built = match model::build(normalized, scope) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("regenerate bench: scope `{name}` does not generate: {e}");
            return;
        }
    };
    let surface = Surface::of(&built);
    let samples = Samples::of(&normalized.doc, &built.types, &surface);
    let emit_and_format = || format::format(emit::parts(&surface, &samples, &options));
    if let Err(e) = emit_and_format() {
        eprintln!("regenerate bench: scope `{name}` does not format: {e}");
        return;
    }
    group.bench_function(format!("{name}/model"), |b| {
        b.iter_with_large_drop(|| model::build(normalized, scope).expect("builds"))
    });
    group.bench_function(format!("{name}/surface"), |b| {
        b.iter_with_large_drop(|| Surface::of(&built))
    });
    group.bench_function(format!("{name}/samples"), |b| {
        b.iter_with_large_drop(|| Samples::of(&normalized.doc, &built.types, &surface))
    });
    group.bench_function(format!("{name}/emit_and_format"), |b| {
        b.iter_with_large_drop(|| emit_and_format().expect("formats"))
    });
}

criterion_group!(benches, regenerate);
criterion_main!(benches);

//! A spec with a hundred defects against the same spec without them, generated whole: a defect should
//! cost its diagnostic, not a slower path for the rest, so the two medians should be close.

#[path = "../tests/support/many_defects.rs"]
mod many_defects;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use telnyx_codegen::{generate, Config, EmitOptions, Scope};

fn defects(c: &mut Criterion) {
    let config = Config {
        scope: Scope::all(),
        emit: EmitOptions::default(),
        overlays: Vec::new(),
    };
    let mut group = c.benchmark_group("defects");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    for (name, defective) in [("clean", false), ("hundred_defects", true)] {
        let text = many_defects::spec(defective);
        group.bench_function(name, |b| {
            b.iter(|| generate(&text, &config).expect("generates"))
        });
    }
    group.finish();
}

criterion_group!(benches, defects);
criterion_main!(benches);

//! A spec with a hundred defects gives a hundred diagnostics in one run, each at its own place, and
//! loses no operation (its time beside the clean spec's is a bench: `cargo bench -p telnyx-codegen
//! --bench defects`).

#[path = "support/many_defects.rs"]
mod many_defects;

use many_defects::{spec, DEFECTS};
use std::collections::BTreeSet;
use telnyx_codegen::diagnostic::Class;
use telnyx_codegen::{generate, Config, EmitOptions, Generated, Scope};

fn generated(text: &str) -> Generated {
    let config = Config {
        scope: Scope::all(),
        emit: EmitOptions::default(),
        overlays: Vec::new(),
    };
    generate(text, &config).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_hundred_defects_are_a_hundred_diagnostics() {
    let clean = generated(&spec(false));
    let defective = generated(&spec(true));
    assert!(
        clean.summary.diagnostics.is_empty(),
        "{:?}",
        clean.summary.diagnostics
    );
    let diagnostics = &defective.summary.diagnostics;
    assert_eq!(diagnostics.len(), DEFECTS, "{}", diagnostics.summary());
    let places: BTreeSet<String> = diagnostics.iter().map(|d| d.pointer.to_string()).collect();
    assert_eq!(places.len(), DEFECTS, "each defect at its own place");
    let counts = diagnostics.counts();
    assert_eq!(counts[&Class::RequiredNotAProperty], 17);
    assert_eq!(counts[&Class::UnreadableSchema], 34);
    assert_eq!(counts[&Class::UnusableDiscriminator], 17);
    assert_eq!(counts[&Class::PathParameterNotInPath], 16);
    assert_eq!(counts[&Class::PlaceholderWithoutParameter], 16);
    assert_eq!(
        defective.summary.operations, DEFECTS,
        "no operation is lost"
    );
}

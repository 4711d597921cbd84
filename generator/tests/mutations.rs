//! Mutated specs never panic the generator: every valid fixture, with keys deleted, values of the
//! wrong type, `$ref`s swapped or broken and subtrees grafted elsewhere, gives `Ok` or `Err`.
//! (`PROPTEST_CASES` sets how many cases run.)

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, RngSeed};
use serde_json::{json, Value};
use std::path::Path;
use telnyx_codegen::{generate, Config, EmitOptions, Scope};

/// The valid fixtures, parsed.
fn bases() -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/fixtures");
    let mut out = Vec::new();
    for dir in ["constructs", "accepted"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            out.push(serde_yaml::from_str(&text).unwrap());
        }
    }
    out
}

/// JSON pointers of every node, in a stable order.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let token = k.replace('~', "~0").replace('/', "~1");
                pointers(child, format!("{at}/{token}"), out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Applies one mutation, chosen by `kind`, at the node picked by `at`.
fn mutate(doc: &mut Value, at: usize, kind: u8, seed: usize) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let target = all[at % all.len()].clone();
    let refs: Vec<String> = all
        .iter()
        .filter(|p| p.ends_with("/$ref"))
        .cloned()
        .collect();
    match kind {
        // Delete the key (or array item).
        0 => {
            if let Some((parent, last)) = target.rsplit_once('/') {
                let last = last.replace("~1", "/").replace("~0", "~");
                match doc.pointer_mut(parent) {
                    Some(Value::Object(m)) => {
                        m.remove(&last);
                    }
                    Some(Value::Array(a)) => {
                        if let Ok(i) = last.parse::<usize>() {
                            if i < a.len() {
                                a.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        // A value of another type.
        1 => {
            let replacements = [
                json!(null),
                json!(7),
                json!("text"),
                json!(true),
                json!([1, "a"]),
                json!({"x": {}}),
            ];
            if let Some(node) = doc.pointer_mut(&target) {
                *node = replacements[seed % replacements.len()].clone();
            }
        }
        // A `$ref` pointed elsewhere: at another schema, at a non-schema, or at nothing.
        2 => {
            if refs.is_empty() {
                return;
            }
            let place = refs[seed % refs.len()].clone();
            let choices = [
                "#/components/schemas/Missing".to_owned(),
                format!("#{}", all[seed % all.len()]),
                "#/paths".to_owned(),
                "other.yaml#/components/schemas/X".to_owned(),
                "#".to_owned(),
            ];
            if let Some(node) = doc.pointer_mut(&place) {
                *node = Value::String(choices[(seed / 7) % choices.len()].clone());
            }
        }
        // Graft a copy of some subtree over this node.
        _ => {
            let source = all[seed % all.len()].clone();
            if let Some(copy) = doc.pointer(&source).cloned() {
                if let Some(node) = doc.pointer_mut(&target) {
                    *node = copy;
                }
            }
        }
    }
}

fn config() -> Config {
    Config {
        scope: Scope::all(),
        emit: EmitOptions::default(),
        overlays: Vec::new(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x7e1_2024),
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_specs_give_ok_or_err_never_a_panic(
        base in any::<prop::sample::Index>(),
        mutations in prop::collection::vec((any::<usize>(), 0u8..4, any::<usize>()), 1..5),
    ) {
        let bases = bases();
        let mut doc = bases[base.index(bases.len())].clone();
        for (at, kind, seed) in mutations {
            mutate(&mut doc, at, kind, seed);
        }
        let text = doc.to_string();
        let outcome = std::panic::catch_unwind(|| generate(&text, &config()).map(|g| g.files.len()));
        prop_assert!(outcome.is_ok(), "the generator panicked on:\n{text}");
    }
}

#[test]
fn the_unmutated_fixtures_generate() {
    for (i, base) in bases().iter().enumerate() {
        let result = generate(&base.to_string(), &config());
        assert!(result.is_ok(), "fixture {i}: {:?}", result.err());
    }
}

//! Each fixture in `spec/fixtures/constructs/` exercises one construct. Its emitted types and services are
//! compared with a stored snapshot (review changes with `cargo insta review`), and every fixture crate
//! must compile without warnings, generated tests included, and read and write as `serde_derive` does.

#[path = "support/scratch_crates.rs"]
mod scratch_crates;

use scratch_crates::{generate_crate, lint_and_test, root, write_workspace};
use telnyx_codegen::FileSet;

/// `(name, spec text)` of every construct fixture, sorted by name.
fn fixtures() -> Vec<(String, String)> {
    let dir = root().join("spec/fixtures/constructs");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("fixtures directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(out.len() >= 10, "fixtures missing from {}", dir.display());
    out
}

fn generate_fixture(name: &str, text: &str) -> FileSet {
    match generate_crate(name, text) {
        Ok(g) => {
            assert_eq!(
                g.summary.unmodeled.total(),
                0,
                "{name}: {}",
                g.summary.unmodeled
            );
            g.files
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

#[test]
fn emitted_code_matches_the_snapshots() {
    for (name, text) in fixtures() {
        let files = generate_fixture(&name, &text);
        let code: String = files
            .iter()
            .filter(|(p, _)| p.starts_with("src/types/") || p.starts_with("src/services/"))
            .map(|(p, t)| format!("// ==== {p}\n{t}\n"))
            .collect();
        insta::assert_snapshot!(name, code);
    }
}

#[test]
fn generation_is_deterministic() {
    for (name, text) in fixtures() {
        assert_eq!(
            generate_fixture(&name, &text),
            generate_fixture(&name, &text),
            "{name}"
        );
    }
}

/// Writes every fixture crate into one scratch workspace, lints all targets with clippy, then runs each crate's
/// generated operation tests (request bodies and responses round-trip through a mock server) and its
/// serde oracle (every sample, and mutations of it, read and written as `serde_derive` does).
#[test]
fn fixture_crates_compile_without_warnings_and_pass_their_tests() {
    let crates: Vec<(String, FileSet)> = fixtures()
        .into_iter()
        .map(|(name, text)| {
            let files = generate_fixture(&name, &text);
            (name, files)
        })
        .collect();
    let scratch = root().join("target/fixture-crates");
    write_workspace(&scratch, &crates);
    lint_and_test(&scratch);
}

//! Each fixture in `spec/fixtures/constructs/` exercises one construct. Its emitted types and services are
//! compared with a stored snapshot (review changes with `cargo insta review`), and every fixture crate
//! must compile without warnings, generated tests included.

use std::path::{Path, PathBuf};
use std::process::Command;
use telnyx_codegen::{generate, Config, EmitOptions, FileSet, Scope};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

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

fn crate_name(fixture: &str) -> String {
    format!("fixture-{}", fixture.replace('_', "-"))
}

fn generate_fixture(name: &str, text: &str) -> FileSet {
    let config = Config {
        scope: Scope::all(),
        emit: EmitOptions {
            crate_name: crate_name(name),
            // Beside the runtime and test kit of this workspace, so that they are the ones it builds on.
            crates_dir: Some(root().canonicalize().unwrap().display().to_string()),
            ..EmitOptions::default()
        },
        overlays: Vec::new(),
    };
    match generate(text, &config) {
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
    let scratch = root().join("target/fixture-crates");
    let _ = std::fs::remove_dir_all(&scratch);
    let mut members = Vec::new();
    for (name, text) in fixtures() {
        let dir = scratch.join(&name);
        for (rel, content) in generate_fixture(&name, &text) {
            // Hand-written tests of the Call Control crate name its types; fixtures have their own.
            let own_tests = ["tests/operations/", "tests/serde_oracle/"];
            if rel.starts_with("tests/") && !own_tests.iter().any(|t| rel.starts_with(t)) {
                continue;
            }
            let path = dir.join(&rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, content).unwrap();
        }
        members.push(format!("{name:?}"));
    }
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    // The project's lock file pins the same dependency versions, so this works offline.
    std::fs::copy(root().join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    let cargo = |args: &[&str]| {
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(args)
            .current_dir(&scratch)
            // Shared with scripts/check-whole-spec.sh: same dependencies, built once.
            .env("CARGO_TARGET_DIR", root().join("target/standalone-crates"))
            .env_remove("RUSTFLAGS")
            // Without debug info, as scripts/check-whole-spec.sh: a check, nothing to debug.
            .env("CARGO_PROFILE_DEV_DEBUG", "false")
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "cargo {args:?} failed:\n{stdout}\n{stderr}"
        );
        stderr
    };
    let stderr = cargo(&[
        "clippy",
        "--offline",
        "--workspace",
        "--all-targets",
        "--message-format",
        "short",
        "--",
        "-D",
        "warnings",
    ]);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert!(warnings.is_empty(), "warnings:\n{}", warnings.join("\n"));
    cargo(&[
        "test",
        "--offline",
        "--workspace",
        // Every crate's failures at once.
        "--no-fail-fast",
        "--test",
        "operations",
        "--test",
        "serde_oracle",
    ]);
}

//! Generated crates in one scratch workspace, built and tested by one cargo run: each crate costs its
//! own compile, the dependencies are built once (in the target dir every standalone crate shares).
//! Shared by the construct fixtures and the composed-schema property test.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use telnyx_codegen::{generate, Config, EmitOptions, FileSet, Generated, Scope};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The package name of the crate for `name` (`nested_unions` → `fixture-nested-unions`).
pub fn crate_name(name: &str) -> String {
    format!("fixture-{}", name.replace('_', "-"))
}

/// Generates the crate `name` from `text` (every operation and webhook), beside this workspace's
/// runtime and test kit.
pub fn generate_crate(name: &str, text: &str) -> Result<Generated, telnyx_codegen::Error> {
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
    generate(text, &config)
}

/// A workspace in `dir` (replaced) holding `crates`, by directory name. Of each crate's tests only
/// the generated operation tests and serde oracle are kept: the hand-written ones of the Call Control
/// crate name its types.
pub fn write_workspace(dir: &Path, crates: &[(String, FileSet)]) {
    let _ = std::fs::remove_dir_all(dir);
    let mut members = Vec::new();
    for (name, files) in crates {
        for (rel, content) in files {
            let own_tests = ["tests/operations/", "tests/serde_oracle/"];
            if rel.starts_with("tests/") && !own_tests.iter().any(|t| rel.starts_with(t)) {
                continue;
            }
            let path = dir.join(name).join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, content).unwrap();
        }
        members.push(format!("{name:?}"));
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    // The project's lock file pins the same dependency versions, so this works offline.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

/// Runs cargo in the workspace `dir`: its stderr, or a panic with everything cargo printed.
pub fn cargo(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
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
        "cargo {args:?} failed in {}:\n{stdout}\n{stderr}",
        dir.display()
    );
    stderr
}

/// Lints every crate of the workspace (all targets, warnings denied), then runs their operation
/// tests and serde oracles, every crate's failures at once.
pub fn lint_and_test(dir: &Path) {
    let stderr = cargo(
        dir,
        &[
            "clippy",
            "--offline",
            "--workspace",
            "--all-targets",
            "--message-format",
            "short",
            "--",
            "-D",
            "warnings",
        ],
    );
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert!(warnings.is_empty(), "warnings:\n{}", warnings.join("\n"));
    cargo(
        dir,
        &[
            "test",
            "--offline",
            "--workspace",
            "--no-fail-fast",
            "--test",
            "operations",
            "--test",
            "serde_oracle",
        ],
    );
}

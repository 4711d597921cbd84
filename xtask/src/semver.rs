//! What `cargo-semver-checks`, the ecosystem's judge of a Rust API change, says a new generated crate
//! needs against the committed one. `update-spec` bumps the version by the stronger of its verdict
//! and the change report's: the report knows the spec (an optional field made required), the
//! checker knows Rust (a struct that became an alias of a hidden one).

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::Command;
use telnyx_codegen::diff::Level;

/// The version of `cargo-semver-checks` CI installs and this command expects.
pub const VERSION: &str = "0.51.0";

/// Runs the check of the crate at `new` (a directory with its `Cargo.toml`) against the crate at
/// `baseline`: the level of change it finds. Tests stand in for it.
pub type Check<'a> = &'a dyn Fn(&Path, &Path) -> Result<Level>;

/// `cargo semver-checks` of `new` against `baseline`, both at the same version, as if `new` were a
/// patch release: what it would need instead. Builds in `target_dir`.
pub fn check(baseline: &Path, new: &Path, target_dir: &Path) -> Result<Level> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["semver-checks", "check-release", "--release-type", "patch"])
        .arg("--all-features")
        .arg("--manifest-path")
        .arg(new.join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(baseline)
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .context("running cargo semver-checks")?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if text.contains("no such command: `semver-checks`") {
        bail!(
            "cargo-semver-checks is not installed: `cargo install cargo-semver-checks --locked \
             --version {VERSION}`, or pass --no-semver-checks to bump by the change report alone"
        );
    }
    verdict(&text)
}

/// The level of change in the summary line of `cargo semver-checks check-release`.
pub fn verdict(output: &str) -> Result<Level> {
    let Some(summary) = output
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("Summary"))
    else {
        let tail: Vec<&str> = output.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        bail!("cargo semver-checks gave no verdict:\n{}", tail.join("\n"));
    };
    Ok(if summary.contains("requires new major version") {
        Level::Breaking
    } else if summary.contains("requires new minor version") {
        Level::Compatible
    } else if summary.contains("no semver update required") {
        Level::Unchanged
    } else {
        bail!("cargo semver-checks: a verdict not understood: {summary}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_gives_the_level() {
        let breaking = "--- failure struct_missing: pub struct removed or renamed ---\n\
             \x20    Summary semver requires new major version: 3 major and 0 minor checks failed\n";
        assert_eq!(verdict(breaking).unwrap(), Level::Breaking);
        let minor =
            "     Summary semver requires new minor version: 0 major and 1 minor checks failed";
        assert_eq!(verdict(minor).unwrap(), Level::Compatible);
        let none =
            "     Summary no semver update required\n    Finished [ 280.311s] telnyx-call-control";
        assert_eq!(verdict(none).unwrap(), Level::Unchanged);
        let failed = "error: failed to build rustdoc for crate telnyx-call-control v0.2.0";
        let error = verdict(failed).unwrap_err().to_string();
        assert!(
            error.contains("no verdict") && error.contains("failed to build rustdoc"),
            "{error}"
        );
    }
}

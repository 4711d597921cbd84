//! Runs the criterion benches (generator and generated crate) into a fresh output directory and reads
//! back each benchmark's median and throughput.
//!
//! xtask has no JSON parser, and criterion's two files have a fixed shape, so the few fields needed are
//! picked out by key.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One benchmark's result.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    /// The median time of one iteration, in nanoseconds.
    pub median_ns: f64,
    /// Elements handled per iteration, when the bench declares a throughput.
    pub elements: Option<u64>,
}

/// Results by criterion id (`regenerate/calls/model`).
pub type Results = BTreeMap<String, Measured>;

/// The benches `cargo xtask bench` runs: `(package, bench targets)`.
const BENCHES: &[(&str, &[&str])] = &[
    ("telnyx-codegen", &["regenerate"]),
    ("telnyx-call-control", &["webhooks", "requests"]),
];

pub fn run(root: &Path, spec: &Path, home: &Path, quick: bool) -> Result<Results> {
    if home.exists() {
        std::fs::remove_dir_all(home).with_context(|| format!("clearing {}", home.display()))?;
    }
    std::fs::create_dir_all(home)?;
    for (package, benches) in BENCHES {
        eprintln!("bench: cargo bench -p {package}");
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.current_dir(root).args(["bench", "-p", package]);
        for b in *benches {
            cmd.args(["--bench", b]);
        }
        cmd.args(["--", "--noplot"]);
        if quick {
            cmd.args(["--warm-up-time", "1", "--measurement-time", "2"]);
        }
        // Criterion reports on stdout; the table is this command's only stdout.
        let stderr = std::io::stderr().as_fd().try_clone_to_owned()?;
        let status = cmd
            .env("TELNYX_OPENAPI_SPEC", spec)
            .env("CRITERION_HOME", home)
            .stdout(Stdio::from(stderr))
            .status()
            .context("running cargo bench")?;
        if !status.success() {
            bail!("cargo bench -p {package} failed ({status})");
        }
    }
    read(home)
}

/// Every `<id>/new/benchmark.json` under `home` with its `estimates.json`.
pub fn read(home: &Path) -> Result<Results> {
    let mut out = Results::new();
    for file in files_named(home, "benchmark.json")? {
        let Some(dir) = file.parent().filter(|d| d.ends_with("new")) else {
            continue;
        };
        let benchmark = std::fs::read_to_string(&file)?;
        let estimates = std::fs::read_to_string(dir.join("estimates.json"))?;
        let id = string_field(&benchmark, "full_id")
            .with_context(|| format!("no full_id in {}", file.display()))?;
        let median_ns = number_after(&estimates, &["\"median\"", "\"point_estimate\""])
            .with_context(|| format!("no median in {}", dir.display()))?;
        let elements =
            number_after(&benchmark, &["\"throughput\"", "\"Elements\""]).map(|n| n as u64);
        out.insert(
            id,
            Measured {
                median_ns,
                elements,
            },
        );
    }
    Ok(out)
}

fn files_named(dir: &Path, name: &str) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == name) {
                out.push(path);
            }
        }
    }
    Ok(out)
}

/// `"key":"value"` (criterion ids contain no escapes).
fn string_field(json: &str, key: &str) -> Option<String> {
    let start = json.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let len = json[start..].find('"')?;
    Some(json[start..start + len].to_owned())
}

/// The number after the last of `keys`, each found after the one before (`"median"` … `"point_estimate"`).
fn number_after(json: &str, keys: &[&str]) -> Option<f64> {
    let mut at = 0;
    for key in keys {
        at += json[at..].find(key)? + key.len();
    }
    let rest = json[at..].trim_start().strip_prefix(':')?.trim_start();
    let len = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(rest.len());
    rest[..len].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_criterion_files() {
        let estimates = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":1.5,"standard_error":0.1},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":1.25e3,"standard_error":0.1},"median_abs_dev":{"point_estimate":9.0},"slope":null}"#;
        assert_eq!(
            number_after(estimates, &["\"median\"", "\"point_estimate\""]),
            Some(1250.0)
        );
        let benchmark = r#"{"group_id":"webhooks","function_id":"typed_parse","value_str":null,"throughput":{"Elements":66},"full_id":"webhooks/typed_parse","directory_name":"webhooks/typed_parse"}"#;
        assert_eq!(
            string_field(benchmark, "full_id").as_deref(),
            Some("webhooks/typed_parse")
        );
        assert_eq!(
            number_after(benchmark, &["\"throughput\"", "\"Elements\""]),
            Some(66.0)
        );
        let no_throughput = r#"{"throughput":null,"full_id":"regenerate/load"}"#;
        assert_eq!(
            number_after(no_throughput, &["\"throughput\"", "\"Elements\""]),
            None
        );
    }
}

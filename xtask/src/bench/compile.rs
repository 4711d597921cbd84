//! Runs `scripts/compile-cost.sh` (so the table and anyone repeating it by hand use the same steps) and
//! reads its `calls: 2.41  (runs: …)`, `calls build: 14.10  (runs: …)` and `all: n/a (error: …)`
//! lines.

use anyhow::{Context, Result};
use std::path::Path;
use std::process::{Command, Stdio};

/// Median seconds of a crate-only `cargo check` after a touch and of a clean crate-only
/// `cargo build`, or why there is none.
pub struct CompileCost {
    pub calls: Result<f64, String>,
    pub all: Result<f64, String>,
    pub calls_build: Result<f64, String>,
    pub all_build: Result<f64, String>,
}

pub fn run(root: &Path, spec: &Path, runs: usize) -> Result<CompileCost> {
    let output = Command::new("bash")
        .arg(root.join("scripts/compile-cost.sh"))
        .arg(runs.to_string())
        .current_dir(root)
        .env("TELNYX_OPENAPI_SPEC", spec)
        .stderr(Stdio::inherit())
        .output()
        .context("running scripts/compile-cost.sh")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    eprint!("{stdout}");
    if !output.status.success() {
        anyhow::bail!("scripts/compile-cost.sh failed ({})", output.status);
    }
    Ok(CompileCost {
        calls: parse(&stdout, "calls"),
        all: parse(&stdout, "all"),
        calls_build: parse(&stdout, "calls build"),
        all_build: parse(&stdout, "all build"),
    })
}

fn parse(stdout: &str, name: &str) -> Result<f64, String> {
    let prefix = format!("{name}: ");
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .ok_or_else(|| "not measured".to_owned())?;
    let value = line.split_whitespace().next().unwrap_or_default();
    match value.parse() {
        Ok(seconds) => Ok(seconds),
        Err(_) => Err(line
            .strip_prefix("n/a (error: ")
            .and_then(|l| l.strip_suffix(')'))
            .unwrap_or(line)
            .to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn reads_medians_and_errors() {
        let out = "calls: 2.41  (runs: 2.38 2.41 2.45)\ncalls build: 14.10  (runs: 14.10)\nall: n/a (error: model failed)\n";
        assert_eq!(parse(out, "calls"), Ok(2.41));
        assert_eq!(parse(out, "calls build"), Ok(14.10));
        assert_eq!(parse(out, "all"), Err("model failed".to_owned()));
        assert_eq!(parse(out, "all build"), Err("not measured".to_owned()));
        assert_eq!(parse("", "calls"), Err("not measured".to_owned()));
    }
}

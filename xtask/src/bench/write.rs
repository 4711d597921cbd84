//! Regeneration as `cargo xtask regenerate` runs it: timed here, in the profile xtask is built in
//! (dev, where only the YAML and JSON parsers are optimized), and the write phase, which only exists in
//! xtask: `tree::write` over an existing tree in which one file changed, as after an edit to the
//! generator or the spec (a tree that did not change at all is not written, which would time nothing
//! but the comparison). Generating also tells why a scope does not generate, which the table shows in
//! place of its numbers.

use crate::scope;
use crate::tree;
use anyhow::Result;
use std::path::Path;
use std::time::{Duration, Instant};
use telnyx_codegen::{Config, EmitOptions};

/// Medians for one scope.
pub struct InProcess {
    /// `telnyx_codegen::generate` (load to format) in xtask's profile.
    pub generate: Duration,
    pub write: Duration,
}

/// Per scope: the medians, or why the scope did not generate.
pub struct Writes {
    pub calls: Result<InProcess, String>,
    pub all: Result<InProcess, String>,
}

/// `generate_runs` generations and `write_runs` writes per scope.
pub fn measure(
    spec_text: &str,
    root: &Path,
    scratch: &Path,
    generate_runs: usize,
    write_runs: usize,
) -> Result<Writes> {
    let one = |name: &str| -> Result<Result<InProcess, String>> {
        let config = Config {
            scope: scope::load(name, root)?,
            emit: EmitOptions::default(),
            overlays: Vec::new(),
        };
        let mut generate_times = Vec::with_capacity(generate_runs);
        let mut files = None;
        for _ in 0..generate_runs.max(1) {
            let start = Instant::now();
            match telnyx_codegen::generate(spec_text, &config) {
                Ok(generated) => files = Some(generated.files),
                Err(e) => return Ok(Err(e.to_string())),
            }
            generate_times.push(start.elapsed());
        }
        let files = files.unwrap_or_default();
        let mut edited = files.clone();
        if let Some(text) = edited.get_mut("src/lib.rs") {
            text.push_str("// edited\n");
        }
        let dir = scratch.join(format!("write-{name}"));
        // The first write creates the tree; each timed one replaces it, changing one file.
        tree::write(&dir, &files)?;
        let mut write_times = Vec::with_capacity(write_runs);
        for run in 0..write_runs.max(1) {
            let next = if run % 2 == 0 { &edited } else { &files };
            let start = Instant::now();
            tree::write(&dir, next)?;
            write_times.push(start.elapsed());
        }
        std::fs::remove_dir_all(&dir)?;
        Ok(Ok(InProcess {
            generate: median(generate_times),
            write: median(write_times),
        }))
    };
    Ok(Writes {
        calls: one("calls")?,
        all: one("all")?,
    })
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    match times.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => times[n / 2],
        n => (times[n / 2 - 1] + times[n / 2]) / 2,
    }
}

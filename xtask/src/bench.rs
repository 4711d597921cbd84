//! `cargo xtask bench`: one table, from one run, of what regeneration, webhook handling, request
//! building and compiling the generated crate cost on the pinned spec, each next to its baseline.
//!
//! The measuring is done by criterion (`cargo bench`, optimized, in this run's own output directory),
//! by timing `tree::write` here (the write phase only exists in xtask), and by
//! `scripts/compile-cost.sh`; this module runs them and reads their medians.

mod compile;
mod criterion;
mod report;
mod table;
mod write;

use crate::{pin, root};
use anyhow::{Context, Result};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct BenchArgs {
    /// A spec file (YAML or JSON) to use instead of the pinned one.
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,
    /// Shorter criterion runs and fewer repetitions: a rough table in a few minutes.
    #[arg(long)]
    pub quick: bool,
    /// Leave out the compile cost of the generated crates (its first run builds their dependencies).
    #[arg(long)]
    pub no_compile: bool,
}

pub fn run(args: BenchArgs) -> Result<std::process::ExitCode> {
    let root = root();
    let spec = pin::resolve(&root, args.spec.as_deref())?;
    let spec_path = std::fs::canonicalize(&spec.origin)
        .with_context(|| format!("resolving {}", spec.origin.display()))?;
    let scratch = root.join("target/bench");
    let machine = report::Machine::now();

    let results = criterion::run(&root, &spec_path, &scratch.join("criterion"), args.quick)?;
    eprintln!("bench: regenerating in xtask's profile, and the write phase");
    let (generate_runs, write_runs) = if args.quick { (1, 5) } else { (3, 15) };
    let writes = write::measure(&spec.text, &root, &scratch, generate_runs, write_runs)?;
    let compile = if args.no_compile {
        None
    } else {
        eprintln!("bench: crate-only cargo check and clean cargo build (scripts/compile-cost.sh)");
        Some(compile::run(
            &root,
            &spec_path,
            if args.quick { 3 } else { 5 },
        )?)
    };

    let rows = report::rows(&results, &writes, compile.as_ref());
    println!("{}", report::heading(&spec_path, &spec.text, &machine));
    println!();
    println!("{}", table::render(&rows));
    Ok(std::process::ExitCode::SUCCESS)
}

//! `cargo xtask`: the project's command line. Thin by design: it finds the spec, calls the generator,
//! writes the result atomically and prints a summary.

mod api_diff;
mod bench;
mod changelog;
mod compile_check;
mod manifest_version;
mod overlays;
mod pin;
mod pin_file;
mod regenerate;
mod report;
mod scope;
mod tree;
mod update_spec;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

/// Regeneration allocates and frees millions of small values (syn's syntax trees, the spec's tree):
/// with mimalloc instead of glibc's allocator, formatting takes 28% fewer instructions, emitting 25%
/// and loading 13% (see docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(about = "Generate and maintain the Telnyx Call Control crate")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the crate from the pinned spec (or --spec).
    Regenerate(regenerate::RegenerateArgs),
    /// Measure regeneration, webhook handling, request building and compile cost in one table.
    Bench(bench::BenchArgs),
    /// Move the spec pin to another upstream commit, regenerate, bump the crate version and report
    /// the API changes.
    UpdateSpec(update_spec::UpdateSpecArgs),
    /// Print the API change report between two spec files (the tree is not touched).
    ApiDiff(api_diff::ApiDiffArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Regenerate(args) => regenerate::run(args),
        Command::Bench(args) => bench::run(args),
        Command::UpdateSpec(args) => update_spec::run(args),
        Command::ApiDiff(args) => api_diff::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

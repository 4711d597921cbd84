//! `cargo xtask regenerate`: find the spec, generate, write atomically (or compare with `--check`).

use crate::{overlays, pin, report, root, scope, tree};
use anyhow::{bail, Result};
use std::path::PathBuf;
use std::time::Instant;
use telnyx_codegen::{Config, EmitOptions};

#[derive(clap::Args)]
pub struct RegenerateArgs {
    /// Compare instead of writing; exit 1 listing the stale files.
    #[arg(long)]
    pub check: bool,
    /// A spec file (YAML or JSON) to use instead of the pinned one.
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,
    /// `calls` (spec/scope.toml), `all` (every operation), or a scope file.
    #[arg(long, default_value = "calls")]
    pub scope: String,
    /// Where to write the crate (default: generated/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The package name of the generated crate.
    #[arg(long, default_value = "telnyx-call-control")]
    pub crate_name: String,
    /// Treat every diagnostic as an error: fail, before anything is written, when there is one.
    #[arg(long)]
    pub deny_warnings: bool,
    #[command(flatten)]
    pub overlays: overlays::OverlayArgs,
}

pub fn run(args: RegenerateArgs) -> Result<std::process::ExitCode> {
    let started = Instant::now();
    let root = root();
    let spec = pin::resolve(&root, args.spec.as_deref())?;
    let config = Config {
        scope: scope::load(&args.scope, &root)?,
        emit: EmitOptions {
            crate_name: args.crate_name.clone(),
        },
        overlays: args.overlays.load(&root)?,
    };
    let mut generated = telnyx_codegen::generate(&spec.text, &config)
        .map_err(|e| anyhow::anyhow!("{}: {e}", spec.origin.display()))?;
    let out = args.out.clone().unwrap_or_else(|| root.join("generated"));
    if args.deny_warnings {
        generated.summary.diagnostics.deny_warnings();
    }
    let s = &generated.summary;
    report::print(&s.diagnostics, &spec.origin);
    if s.diagnostics.errors() > 0 {
        bail!(
            "{}: warnings denied by --deny-warnings; {} left as it was",
            spec.origin.display(),
            out.display()
        );
    }
    if s.unmodeled.total() > 0 {
        eprintln!("unmodeled constructs in scope:\n{}", s.unmodeled);
    }
    if args.check {
        let diff = tree::check(&out, &generated.files)?;
        if !diff.is_empty() {
            let mut lines = Vec::new();
            lines.extend(diff.changed.iter().map(|f| format!("  changed: {f}")));
            lines.extend(diff.missing.iter().map(|f| format!("  missing: {f}")));
            lines.extend(
                diff.extra
                    .iter()
                    .map(|f| format!("  not generated any more: {f}")),
            );
            bail!(
                "{} is out of date with the spec:\n{}\nRun `cargo xtask regenerate` to fix it.",
                out.display(),
                lines.join("\n")
            );
        }
    } else {
        tree::write(&out, &generated.files)?;
    }
    println!(
        "{} {}: {} operations, {} types, {} webhooks, {} unmodeled constructs, {} diagnostics, {} files, {} ms",
        if args.check { "checked" } else { "regenerated" },
        out.strip_prefix(&root).unwrap_or(&out).display(),
        s.operations,
        s.types,
        s.webhooks,
        s.unmodeled.total(),
        s.diagnostics.len(),
        generated.files.len(),
        started.elapsed().as_millis()
    );
    Ok(std::process::ExitCode::SUCCESS)
}

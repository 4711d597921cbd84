//! `cargo xtask regenerate`: find the spec, generate, write atomically (or compare with `--check`).

use crate::compile_check::{self, Checker};
use crate::{manifest_version, overlays, pin, report, root, scope, tree};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
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
    /// Build the crate first (`cargo check` in a scratch workspace, target/compile-check/) and refuse
    /// it, writing nothing, when it does not build: the compiler's first error is printed with the
    /// spec's place of each type it names.
    #[arg(long)]
    pub cargo_check: bool,
    #[command(flatten)]
    pub overlays: overlays::OverlayArgs,
}

pub fn run(args: RegenerateArgs) -> Result<std::process::ExitCode> {
    let started = Instant::now();
    let root = root();
    let spec = pin::resolve(&root, args.spec.as_deref())?;
    let out = args.out.clone().unwrap_or_else(|| root.join("generated"));
    let config = Config {
        scope: scope::load(&args.scope, &root)?,
        emit: emit_options(&root, &out, &args.crate_name)?,
        overlays: args.overlays.load(&root)?,
    };
    let mut generated = telnyx_codegen::generate(&spec.text, &config)
        .map_err(|e| anyhow::anyhow!("{}: {e}", spec.origin.display()))?;
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
    if args.cargo_check {
        let target = compile_check::target_dir(&root);
        let cargo = |dir: &Path| compile_check::cargo_check(dir, &target);
        let checker = Checker {
            crates: &root,
            cargo: &cargo,
        };
        checker
            .check(
                &compile_check::scratch(&root, "regenerate"),
                &spec.text,
                &config,
            )
            .with_context(|| {
                format!(
                    "{}: {} left as it was",
                    spec.origin.display(),
                    out.display()
                )
            })?;
        println!(
            "cargo check: the crate builds ({} s)",
            started.elapsed().as_secs()
        );
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

/// The changelog of the released crates, which the generated crate carries.
pub const CHANGELOG: &str = "CHANGELOG.md";

/// How the crate named `crate_name` is emitted into `out`: at the workspace's version, depending on
/// the runtime and the test kit of this workspace by a path relative to `out` (so the committed
/// crate's manifest says `../runtime` on every machine).
pub fn emit_options(root: &Path, out: &Path, crate_name: &str) -> Result<EmitOptions> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .with_context(|| format!("reading {}", root.join("Cargo.toml").display()))?;
    let changelog = root.join(CHANGELOG);
    let changelog = match changelog.exists() {
        true => Some(
            std::fs::read_to_string(&changelog)
                .with_context(|| format!("reading {}", changelog.display()))?,
        ),
        false => None,
    };
    Ok(EmitOptions {
        crate_name: crate_name.to_owned(),
        version: manifest_version::read_in(&manifest, manifest_version::WORKSPACE)?,
        rust_version: EmitOptions::default().rust_version,
        crates_dir: Some(relative_root(root, out)?),
        changelog,
    })
}

/// The path from `out` back to `root`: `..` per level when `out` is inside the workspace, else the
/// workspace's absolute path.
fn relative_root(root: &Path, out: &Path) -> Result<String> {
    let root = root
        .canonicalize()
        .with_context(|| format!("resolving {}", root.display()))?;
    let out = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir()?.join(out)
    };
    // `out` may not exist yet: resolve its nearest existing ancestor, then add the rest back.
    let mut existing = out.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        resolved.push(name);
    }
    Ok(match resolved.strip_prefix(&root) {
        Ok(inside) => {
            let depth = inside.components().count();
            vec![".."; depth].join("/")
        }
        Err(_) => root.display().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::relative_root;

    #[test]
    fn the_runtime_is_found_from_where_the_crate_is_written() {
        let root = crate::root();
        assert_eq!(relative_root(&root, &root.join("generated")).unwrap(), "..");
        assert_eq!(
            relative_root(&root, &root.join("target/whole-spec/crate")).unwrap(),
            "../../.."
        );
        let elsewhere = std::env::temp_dir().join("telnyx-elsewhere");
        assert_eq!(
            relative_root(&root, &elsewhere).unwrap(),
            root.canonicalize().unwrap().display().to_string()
        );
    }
}

//! `cargo xtask update-spec`: move the pin to another upstream commit, regenerate the crate, bump its
//! version as the API change report says, and write the report as Markdown for the pull request.
//!
//! The new spec is downloaded from the pinned URL pattern at `--commit`, or read from `--file` (then
//! `--commit` still names the upstream commit it is a copy of, so the pin stays exact). Everything is
//! read, checked, compared, generated and built before anything is written: a failed download, a hash
//! mismatch, a spec the generator refuses or a crate that does not build (`cargo check` in a scratch
//! workspace, [`crate::compile_check`]) leaves the tree as it was.
//!
//! The crate version is the workspace's (`[workspace.package] version` in `Cargo.toml`), shared by the
//! runtime and the test kit the crate depends on exactly. This command rewrites that line and generates
//! the crate at the new version, so `regenerate --check` agrees.

use crate::compile_check::{self, Checker};
use crate::pin::{self, Pin};
use crate::regenerate::CHANGELOG;
use crate::{changelog, manifest_version, overlays, pin_file, report, scope, tree};
use anyhow::{anyhow, bail, Context, Result};
use std::path::{Path, PathBuf};
use telnyx_codegen::diff::{self, Report, VersionChange};
use telnyx_codegen::{Config, EmitOptions, FileSet, Overlay};

#[derive(clap::Args)]
pub struct UpdateSpecArgs {
    /// The upstream commit to pin (40 hex digits).
    #[arg(long)]
    pub commit: String,
    /// A local copy of the spec at that commit, instead of downloading it.
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// The expected sha256 of the new spec; checked when given.
    #[arg(long)]
    pub sha256: Option<String>,
    /// `calls` (spec/scope.toml), `all`, or a scope file: what the report covers and what is generated.
    #[arg(long, default_value = "calls")]
    pub scope: String,
    /// Leave the crate version alone (for example when reverting a pin, or when this release already
    /// has its bump).
    #[arg(long)]
    pub keep_version: bool,
    /// Where to write the Markdown report (default: target/api-changes/OLD..NEW.md).
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Refuse the update, before anything is written, when the new spec has any diagnostic.
    #[arg(long)]
    pub deny_warnings: bool,
    #[command(flatten)]
    pub overlays: overlays::OverlayArgs,
}

/// Where the spec texts come from; the command passes the network and the environment, tests their
/// stand-ins.
pub struct Sources<'a> {
    pub download: &'a dyn Fn(&str) -> Result<Vec<u8>>,
    /// Files that may hold the currently pinned spec besides the cache (`$TELNYX_OPENAPI_SPEC`); the
    /// first whose sha256 matches the pin is used.
    pub pinned_candidates: Vec<PathBuf>,
    /// Where the new crate is built before it is accepted: beside these runtime sources, by this
    /// `cargo check`.
    pub crates: PathBuf,
    pub cargo: compile_check::Cargo<'a>,
}

/// What an update did.
#[derive(Debug)]
pub struct Outcome {
    pub old: Pin,
    pub new: Pin,
    pub report: Report,
    pub version: VersionChange,
    pub text: String,
    pub report_file: PathBuf,
    pub files: usize,
}

pub fn run(args: UpdateSpecArgs) -> Result<std::process::ExitCode> {
    let root = crate::root();
    let target = compile_check::target_dir(&root);
    let cargo = |dir: &Path| compile_check::cargo_check(dir, &target);
    let sources = Sources {
        crates: root.clone(),
        cargo: &cargo,
        download: &pin::download,
        pinned_candidates: std::env::var_os(pin::SPEC_ENV)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .into_iter()
            .collect(),
    };
    let outcome = update(&root, &args, &sources)?;
    print!("{}", outcome.text);
    let v = &outcome.version;
    let version = if v.bump == diff::Bump::None {
        format!("crate version stays {}", v.from)
    } else {
        format!(
            "crate version {} → {} ({} bump; Cargo.toml and generated/Cargo.toml)",
            v.from, v.to, v.bump
        )
    };
    println!(
        "\npin moved: {} → {}\nregenerated generated/ ({} files)\nchanges: {}; {version}\nreport (Markdown): {}",
        outcome.old.commit,
        outcome.new.commit,
        outcome.files,
        outcome.report.level(),
        outcome.report_file.display()
    );
    Ok(std::process::ExitCode::SUCCESS)
}

/// The whole update on the tree under `root` (`spec/`, `Cargo.toml`, `generated/`).
pub fn update(root: &Path, args: &UpdateSpecArgs, sources: &Sources<'_>) -> Result<Outcome> {
    let plan = plan(root, args, sources)?;
    // Everything is read, checked and made; now write, the pin last.
    tree::write(&root.join("generated"), &plan.files)?;
    pin::write_atomically(&root.join(WORKSPACE_MANIFEST), plan.manifest.as_bytes())?;
    if let Some(changelog) = &plan.changelog {
        pin::write_atomically(&root.join(CHANGELOG), changelog.as_bytes())?;
    }
    pin::write_atomically(&root.join(CACHE), plan.spec.as_bytes())?;
    pin::write_atomically(&root.join(PIN), plan.pin_file.as_bytes())?;
    let report_file = args.report.clone().unwrap_or_else(|| {
        root.join(format!(
            "target/api-changes/{}..{}.md",
            short(&plan.old.commit),
            short(&plan.new.commit)
        ))
    });
    if let Some(dir) = report_file.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&report_file, &plan.markdown)
        .with_context(|| format!("writing {}", report_file.display()))?;
    Ok(Outcome {
        files: plan.files.len(),
        old: plan.old,
        new: plan.new,
        report: plan.report,
        version: plan.version,
        text: plan.text,
        report_file,
    })
}

const PIN: &str = "spec/source.toml";
const CACHE: &str = "spec/openapi.yml";
/// Where the release version is.
const WORKSPACE_MANIFEST: &str = "Cargo.toml";

/// Everything an update writes, made without writing anything.
struct Plan {
    old: Pin,
    new: Pin,
    /// The new spec's text (for the cache).
    spec: String,
    report: Report,
    version: VersionChange,
    files: FileSet,
    /// The workspace manifest at the new version.
    manifest: String,
    /// `CHANGELOG.md` with the update recorded, when the tree has one.
    changelog: Option<String>,
    pin_file: String,
    text: String,
    markdown: String,
}

fn plan(root: &Path, args: &UpdateSpecArgs, sources: &Sources<'_>) -> Result<Plan> {
    pin_file::check_commit(&args.commit)?;
    let old = Pin::read(&root.join(PIN))?;
    let url = pin_file::url_at(&old, &args.commit)?;
    let bytes = match &args.file {
        Some(path) => std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
        None => (sources.download)(&url)?,
    };
    let sha256 = pin::sha256_hex(&bytes);
    if let Some(expected) = &args.sha256 {
        if !expected.eq_ignore_ascii_case(&sha256) {
            bail!("the new spec does not have the expected hash:\n  expected sha256 {expected}\n  found    sha256 {sha256}");
        }
    }
    let spec = String::from_utf8(bytes).context("the new spec is not UTF-8")?;
    let old_spec = pinned_text(&old, &root.join(CACHE), sources)?;
    let new = Pin {
        commit: args.commit.clone(),
        url,
        sha256,
        ..old.clone()
    };

    let scope = scope::load(&args.scope, root)?;
    let overlays = args.overlays.load(root)?;
    let old_model = telnyx_codegen::model_of(&old_spec, &overlays, &scope)
        .map_err(|e| anyhow!("the pinned spec ({}): {e}", old.commit))?;
    let new_model = telnyx_codegen::model_of(&spec, &overlays, &scope)
        .map_err(|e| anyhow!("the new spec ({}): {e}", new.commit))?;
    if args.deny_warnings && !new_model.diagnostics.is_empty() {
        let mut denied = new_model.diagnostics.clone();
        denied.deny_warnings();
        report::print(
            &denied,
            Path::new(&format!("{}@{}", new.path, short(&new.commit))),
        );
        bail!(
            "the new spec ({}) has diagnostics, denied by --deny-warnings; nothing was written",
            new.commit
        );
    }
    let report = diff::compare(&old_model, &new_model);

    let manifest = std::fs::read_to_string(root.join(WORKSPACE_MANIFEST))
        .with_context(|| format!("reading {WORKSPACE_MANIFEST}"))?;
    let version = version_change(
        &manifest_version::read_in(&manifest, manifest_version::WORKSPACE)?,
        &report,
        args.keep_version,
    )?;
    let changelog = match std::fs::read_to_string(root.join(CHANGELOG)) {
        Ok(text) => Some(changelog::record_update(
            &text,
            (version.to != version.from).then_some(version.to.as_str()),
            &changelog::today(),
            &format!("the spec at {}@{}", new.repo, short(&new.commit)),
            &report,
        )?),
        Err(_) => None,
    };
    let config = crate_config(&scope, &overlays, &version.to, changelog.clone());
    let files = crate_files(&spec, &config)
        .with_context(|| format!("generating from the spec at {}", new.commit))?;
    let checker = Checker {
        crates: &sources.crates,
        cargo: sources.cargo,
    };
    let scratch = compile_check::scratch(root, "update-spec");
    checker.check(&scratch, &spec, &config).with_context(|| {
        format!(
            "refusing the spec at {}: nothing was written",
            short(&new.commit)
        )
    })?;
    let pin_text =
        std::fs::read_to_string(root.join(PIN)).with_context(|| format!("reading {PIN}"))?;

    let ctx = diff::Context {
        old: format!("{}@{}", old.repo, short(&old.commit)),
        new: format!("{}@{}", new.repo, short(&new.commit)),
        scope: args.scope.clone(),
        version: Some(version.clone()),
    };
    Ok(Plan {
        text: diff::render::text(&report, &ctx),
        markdown: diff::render::markdown(&report, &ctx),
        manifest: [
            telnyx_codegen::emit::RUNTIME_PACKAGE,
            telnyx_codegen::emit::CONTRACT_PACKAGE,
        ]
        .into_iter()
        .try_fold(
            manifest_version::replace_in(&manifest, manifest_version::WORKSPACE, &version.to)?,
            |manifest, package| {
                manifest_version::replace_exact_requirement(&manifest, package, &version.to)
            },
        )?,
        changelog,
        pin_file: pin_file::rewrite(&pin_text, &new)?,
        old,
        new,
        spec,
        report,
        version,
        files,
    })
}

/// The crate version after the update: bumped as the report says, unless asked to keep it.
fn version_change(current: &str, report: &Report, keep: bool) -> Result<VersionChange> {
    let (bump, to) = if keep {
        (diff::Bump::None, current.to_owned())
    } else {
        diff::next_version(current, report.level())?
    };
    Ok(VersionChange {
        from: current.to_owned(),
        bump,
        to,
    })
}

/// How the committed crate is generated for `scope`, with `overlays` applied, at `version`, carrying
/// `changelog`.
pub fn crate_config(
    scope: &telnyx_codegen::Scope,
    overlays: &[Overlay],
    version: &str,
    changelog: Option<String>,
) -> Config {
    Config {
        scope: scope.clone(),
        emit: EmitOptions {
            version: version.to_owned(),
            changelog,
            ..EmitOptions::default()
        },
        overlays: overlays.to_vec(),
    }
}

/// The committed crate generated from `spec_text` as `config` says.
pub fn crate_files(spec_text: &str, config: &Config) -> Result<FileSet> {
    let files = telnyx_codegen::generate(spec_text, config)
        .map_err(|e| anyhow!("{e}"))?
        .files;
    Ok(files)
}

/// The spec the pin names now: the cache or a candidate file with the pinned hash, else a download.
fn pinned_text(pin: &Pin, cache: &Path, sources: &Sources<'_>) -> Result<String> {
    let candidates =
        std::iter::once(cache.to_owned()).chain(sources.pinned_candidates.iter().cloned());
    for path in candidates {
        if let Ok(bytes) = std::fs::read(&path) {
            if pin::sha256_hex(&bytes).eq_ignore_ascii_case(&pin.sha256) {
                return String::from_utf8(bytes)
                    .with_context(|| format!("{} is not UTF-8", path.display()));
            }
        }
    }
    let bytes = (sources.download)(&pin.url).with_context(|| {
        format!(
            "the currently pinned spec ({} at {}) is needed for the report; put it at {} or name it with ${}",
            pin.path,
            pin.commit,
            cache.display(),
            pin::SPEC_ENV
        )
    })?;
    pin::check_hash(pin, Path::new(&pin.url), &bytes)?;
    String::from_utf8(bytes).context("the pinned spec is not UTF-8")
}

fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

#[cfg(test)]
#[path = "update_spec_tests.rs"]
mod tests;

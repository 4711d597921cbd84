//! `cargo xtask api-diff OLD NEW`: the API change report for any two spec files, printed; the tree is
//! not touched.

use crate::{overlays, pin, root, scope};
use anyhow::{anyhow, Result};
use std::path::PathBuf;
use telnyx_codegen::diff;

#[derive(clap::Args)]
pub struct ApiDiffArgs {
    /// The spec before (YAML or JSON).
    pub old: PathBuf,
    /// The spec after.
    pub new: PathBuf,
    /// `calls` (spec/scope.toml), `all`, or a scope file.
    #[arg(long, default_value = "calls")]
    pub scope: String,
    /// Print Markdown (as for a pull request) instead of text.
    #[arg(long)]
    pub markdown: bool,
    // The same overlays for both specs (`--raw` compares the specs as published).
    #[command(flatten)]
    pub overlays: overlays::OverlayArgs,
}

pub fn run(args: ApiDiffArgs) -> Result<std::process::ExitCode> {
    let old = pin::read_explicit(&args.old)?;
    let new = pin::read_explicit(&args.new)?;
    let root = root();
    let scope = scope::load(&args.scope, &root)?;
    let overlays = args.overlays.load(&root)?;
    let model = |spec: &pin::SpecText| {
        telnyx_codegen::model_of(&spec.text, &overlays, &scope)
            .map_err(|e| anyhow!("{}: {e}", spec.origin.display()))
    };
    let report = diff::compare(&model(&old)?, &model(&new)?);
    let ctx = diff::Context {
        old: args.old.display().to_string(),
        new: args.new.display().to_string(),
        scope: args.scope.clone(),
        version: None,
    };
    if args.markdown {
        print!("{}", diff::render::markdown(&report, &ctx));
    } else {
        print!("{}", diff::render::text(&report, &ctx));
    }
    Ok(std::process::ExitCode::SUCCESS)
}

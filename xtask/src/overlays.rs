//! Which overlays a command applies to the spec: the project's `spec/overlay.yaml` when it exists,
//! the files named with `--overlay` instead, or none with `--raw`. Shared by `regenerate`,
//! `update-spec` and `api-diff`, so all three read the spec the same way.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use telnyx_codegen::Overlay;

/// The project's overlay, applied when no `--overlay` is given.
pub const PROJECT_OVERLAY: &str = "spec/overlay.yaml";

#[derive(clap::Args, Debug, Clone, Default)]
pub struct OverlayArgs {
    /// An OpenAPI Overlay (1.0 or 1.1) to apply to the spec, instead of spec/overlay.yaml; repeat it
    /// to apply several, in order.
    #[arg(long = "overlay", value_name = "PATH")]
    pub overlays: Vec<PathBuf>,
    /// Apply no overlay: read the spec as published.
    #[arg(long, conflicts_with = "overlays")]
    pub raw: bool,
}

impl OverlayArgs {
    /// The overlays to apply, parsed (a broken one is an error naming the file and the action).
    pub fn load(&self, root: &Path) -> Result<Vec<Overlay>> {
        if self.raw {
            return Ok(Vec::new());
        }
        let files = if self.overlays.is_empty() {
            let project = root.join(PROJECT_OVERLAY);
            if project.exists() {
                vec![project]
            } else {
                Vec::new()
            }
        } else {
            self.overlays.clone()
        };
        files
            .iter()
            .map(|file| {
                let text = std::fs::read_to_string(file)
                    .with_context(|| format!("reading the overlay {}", file.display()))?;
                Ok(Overlay::parse(display_name(file, root), &text)?)
            })
            .collect()
    }
}

/// How messages name an overlay: its path in the project when it is in it, else as given.
fn display_name(file: &Path, root: &Path) -> String {
    let inside = std::fs::canonicalize(file)
        .ok()
        .zip(std::fs::canonicalize(root).ok())
        .and_then(|(file, root)| file.strip_prefix(root).ok().map(Path::to_path_buf));
    inside
        .unwrap_or_else(|| file.to_owned())
        .display()
        .to_string()
}

//! telnyx-codegen: the Telnyx OpenAPI spec in, a typed Rust client crate out.
//!
//! One direction, one pass each: [`spec`] (load + normalize) → [`model`] → [`surface`] (the Rust
//! plan of the crate) → [`samples`] (test data) → [`emit`] → [`format`].
//! The generator never touches the disk or the network: it takes spec text and returns files.

pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod error;
pub mod format;
pub mod model;
pub mod naming;
mod parallel;
pub mod pointer;
pub mod samples;
mod spacing;
pub mod spec;
pub mod surface;
mod templates;

pub use diagnostic::{Diagnostic, Diagnostics};
pub use emit::EmitOptions;
pub use error::{Error, Result};
pub use format::FileSet;
pub use model::Scope;
pub use spec::Overlay;

use std::time::{Duration, Instant};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    pub scope: Scope,
    pub emit: EmitOptions,
    /// Applied in order to the loaded spec, before it is normalized.
    pub overlays: Vec<Overlay>,
}

/// Time spent in each phase of one generation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub load: Duration,
    pub normalize: Duration,
    pub model: Duration,
    pub surface: Duration,
    pub samples: Duration,
    /// Emitting and formatting: they run together, each part of the crate formatted on the thread
    /// that emitted it (see [`format`]).
    pub emit_and_format: Duration,
}

impl Timings {
    pub fn total(&self) -> Duration {
        self.load + self.normalize + self.model + self.surface + self.samples + self.emit_and_format
    }
}

/// What a generation produced besides files: counts, the unmodeled-construct report and the
/// diagnostics.
#[derive(Debug, Clone)]
pub struct Summary {
    pub operations: usize,
    pub types: usize,
    pub webhooks: usize,
    pub unmodeled: model::Unmodeled,
    pub diagnostics: Diagnostics,
    pub timings: Timings,
    /// Each emitted type's place in the spec (a JSON pointer), by its Rust name: what a message about
    /// the crate's code points a reader to.
    pub places: std::collections::BTreeMap<String, String>,
}

/// The generated crate and its summary.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: FileSet,
    pub summary: Summary,
}

/// Runs the whole pipeline on spec text (YAML or JSON).
pub fn generate(spec_text: &str, config: &Config) -> Result<Generated> {
    let mut timings = Timings::default();
    let normalized = normalized_of(spec_text, &config.overlays, &mut timings)?;
    let start = Instant::now();
    let model = checked_model(&normalized, &config.scope)?;
    timings.model = start.elapsed();
    let start = Instant::now();
    let surface = surface::Surface::of(&model);
    timings.surface = start.elapsed();
    let start = Instant::now();
    let samples = samples::Samples::of(&normalized.doc, &model.types, &surface);
    timings.samples = start.elapsed();
    let start = Instant::now();
    let files = format::format(emit::parts(&surface, &samples, &config.emit))?;
    timings.emit_and_format = start.elapsed();
    Ok(Generated {
        files,
        summary: Summary {
            operations: model.operations.len(),
            types: model.types.emitted().len(),
            webhooks: model.webhooks.len(),
            unmodeled: model.unmodeled,
            places: model
                .types
                .emitted()
                .into_iter()
                .map(|(_, def)| (def.name.clone(), def.pointer.to_string()))
                .collect(),
            diagnostics: model.diagnostics,
            timings,
        },
    })
}

/// The first three phases (load, with `overlays` applied, normalize, model): what a generation
/// starts from, and all the API change report needs.
pub fn model_of(spec_text: &str, overlays: &[Overlay], scope: &Scope) -> Result<model::Model> {
    let normalized = normalized_of(spec_text, overlays, &mut Timings::default())?;
    checked_model(&normalized, scope)
}

/// The model, with the diagnostics of the request fields the fake's call simulator reads (which
/// the fake's surface decides, from the model).
fn checked_model(normalized: &spec::Normalized, scope: &Scope) -> Result<model::Model> {
    let mut model = model::build(normalized, scope)?;
    let readings = surface::fake::readings::check(&model);
    model.diagnostics.absorb(readings);
    model.diagnostics.settle();
    Ok(model)
}

/// Load, apply `overlays` and normalize, timed into `timings`.
fn normalized_of(
    spec_text: &str,
    overlays: &[Overlay],
    timings: &mut Timings,
) -> Result<spec::Normalized> {
    let start = Instant::now();
    let mut loaded = spec::load(spec_text)?;
    let mut overlaid = Diagnostics::default();
    for overlay in overlays {
        overlay.apply(&mut loaded, &mut overlaid)?;
    }
    timings.load = start.elapsed();
    let start = Instant::now();
    let mut normalized = spec::normalize(loaded)?;
    normalized.diagnostics.absorb(overlaid);
    timings.normalize = start.elapsed();
    Ok(normalized)
}

/// Where tests find the real specs they need, the way xtask finds the pinned one. Not part of the
/// generator's API.
#[doc(hidden)]
pub mod test_support {
    use std::path::{Path, PathBuf};

    /// The variable that names the pinned spec (CI sets it).
    pub const SPEC_ENV: &str = "TELNYX_OPENAPI_SPEC";
    /// The variable that names the spec of the update before the pinned one (CI sets it).
    pub const OLD_SPEC_ENV: &str = "TELNYX_OPENAPI_SPEC_OLD";

    /// The workspace root.
    pub fn workspace() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// The pinned spec: `$TELNYX_OPENAPI_SPEC`, else the cache `spec/openapi.yml` that
    /// `cargo xtask regenerate` fills. A test that needs it and finds neither fails, saying how to get
    /// it: it never passes without having run.
    pub fn pinned_spec_path() -> PathBuf {
        if let Some(path) = std::env::var_os(SPEC_ENV).filter(|p| !p.is_empty()) {
            return PathBuf::from(path);
        }
        let cache = workspace().join("spec/openapi.yml");
        if cache.is_file() {
            return cache;
        }
        panic!(
            "this test needs the pinned spec: run `cargo xtask regenerate` (it downloads the spec into \
             spec/openapi.yml) or set {SPEC_ENV} to the spec's path"
        );
    }

    /// The pinned spec's text (see [`pinned_spec_path`]).
    pub fn pinned_spec_text() -> String {
        let path = pinned_spec_path();
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading the pinned spec {}: {e}", path.display()))
    }

    /// Where the vendor's published specs are: beside the pinned spec when `$TELNYX_OPENAPI_SPEC`
    /// names one there, else `../shared/telnyx-openapi` beside the workspace (where CI has them).
    fn vendor_dirs() -> Vec<PathBuf> {
        let mut dirs = Vec::new();
        if let Some(path) = std::env::var_os(SPEC_ENV).filter(|p| !p.is_empty()) {
            if let Some(dir) = Path::new(&path).parent() {
                dirs.push(dir.to_path_buf());
            }
        }
        dirs.push(workspace().join("../shared/telnyx-openapi"));
        dirs
    }

    /// A published spec of the vendor's, by its path among them (`spec3-2026-06-10.yml`,
    /// `history/spec3-2021-09-28.yml`). A test that needs it and finds it nowhere fails, naming
    /// where it looked.
    pub fn vendor_spec(relative: &str) -> String {
        let dirs = vendor_dirs();
        for dir in &dirs {
            if let Ok(text) = std::fs::read_to_string(dir.join(relative)) {
                return text;
            }
        }
        let looked: Vec<String> = dirs
            .iter()
            .map(|d| d.join(relative).display().to_string())
            .collect();
        panic!(
            "this test needs the vendor's spec {relative}, found in none of: {}; .ci/run has them in \
             ../shared/telnyx-openapi",
            looked.join(", ")
        );
    }

    /// The spec of the update before the pinned one: `$TELNYX_OPENAPI_SPEC_OLD`, else the vendor's
    /// 2026-06-16 spec.
    pub fn old_spec_text() -> String {
        match std::env::var_os(OLD_SPEC_ENV).filter(|p| !p.is_empty()) {
            Some(path) => std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{OLD_SPEC_ENV}={}: {e}", Path::new(&path).display())),
            None => vendor_spec("spec3-2026-06-16.yml"),
        }
    }
}

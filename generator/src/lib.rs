//! telnyx-codegen: the Telnyx OpenAPI spec in, a typed Rust client crate out.
//!
//! One direction, one pass each: [`spec`] (load + normalize) → [`model`] → [`surface`] (the Rust
//! plan of the crate) → [`fixtures`] (test data) → [`emit`] → [`format`].
//! The generator never touches the disk or the network: it takes spec text and returns files.

pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod error;
pub mod fixtures;
pub mod format;
pub mod model;
pub mod naming;
mod parallel;
pub mod pointer;
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
    pub fixtures: Duration,
    /// Emitting and formatting: they run together, each part of the crate formatted on the thread
    /// that emitted it (see [`format`]).
    pub emit_and_format: Duration,
}

impl Timings {
    pub fn total(&self) -> Duration {
        self.load
            + self.normalize
            + self.model
            + self.surface
            + self.fixtures
            + self.emit_and_format
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
    let model = model::build(&normalized, &config.scope)?;
    timings.model = start.elapsed();
    let start = Instant::now();
    let surface = surface::Surface::of(&model);
    timings.surface = start.elapsed();
    let start = Instant::now();
    let fixtures = fixtures::Fixtures::of(&normalized.doc, &model.types, &surface);
    timings.fixtures = start.elapsed();
    let start = Instant::now();
    let files = format::format(emit::parts(&surface, &fixtures, &config.emit))?;
    timings.emit_and_format = start.elapsed();
    Ok(Generated {
        files,
        summary: Summary {
            operations: model.operations.len(),
            types: model.types.emitted().len(),
            webhooks: model.webhooks.len(),
            unmodeled: model.unmodeled,
            diagnostics: model.diagnostics,
            timings,
        },
    })
}

/// The first three phases (load, normalize, model), timed into `timings`: what both a generation and
/// the API change report start from.
pub fn model_of(spec_text: &str, scope: &Scope, timings: &mut Timings) -> Result<model::Model> {
    model_with_overlays(spec_text, &[], scope, timings)
}

/// [`model_of`] with `overlays` applied to the loaded spec (their time counts as loading).
pub fn model_with_overlays(
    spec_text: &str,
    overlays: &[Overlay],
    scope: &Scope,
    timings: &mut Timings,
) -> Result<model::Model> {
    let normalized = normalized_of(spec_text, overlays, timings)?;
    let start = Instant::now();
    let model = model::build(&normalized, scope)?;
    timings.model = start.elapsed();
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

#[cfg(test)]
pub(crate) mod test_support {
    /// The pinned spec's text when `TELNYX_OPENAPI_SPEC` names it (CI sets it; tests that need the real
    /// spec say so and skip without it).
    pub fn pinned_spec_text() -> Option<String> {
        let path = std::env::var_os("TELNYX_OPENAPI_SPEC")?;
        std::fs::read_to_string(path).ok()
    }
}

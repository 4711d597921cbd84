//! What changed for users of the generated crate between two specs: the two specs are modelled for the
//! same scope and the models compared (not their text), so a change shows up as the Rust a user sees
//! (`Option<String>` → `String`), classified breaking or compatible, with the version bump it calls for.
//!
//! Operations are matched by their call path from the client, types by their place in the spec (see
//! [`types`]), webhook events by their key in the spec's `webhooks`.

mod affected;
pub mod diagnostics;
mod fields;
mod operations;
pub mod render;
pub mod report;
mod types;
mod variants;
pub mod version;
mod webhooks;

pub use diagnostics::DiagnosticChanges;
pub use render::{Context, VersionChange};
pub use report::{Affected, Change, DocsOnly, Kind, Level, Report, Section, Severity};
pub use version::{next_version, Bump, VersionError};

use crate::error::Result;
use crate::model::{Model, Scope};
use report::Collector;

/// Compares two models built for the same scope.
pub fn compare(old: &Model, new: &Model) -> Report {
    let mut out = Collector::default();
    operations::compare(
        operations::Ops {
            space: &old.types,
            list: &old.operations,
        },
        operations::Ops {
            space: &new.types,
            list: &new.operations,
        },
        &mut out,
    );
    webhooks::compare(
        webhooks::Events {
            space: &old.types,
            list: &old.webhooks,
        },
        webhooks::Events {
            space: &new.types,
            list: &new.webhooks,
        },
        &mut out,
    );
    let moves = types::moves(&old.types, &new.types);
    types::compare(&old.types, &new.types, &moves, &mut out);
    let affected = affected::affected(old, new, out.changes());
    let mut report = out.finish(affected);
    report.diagnostics = diagnostics::compare(&old.diagnostics, &new.diagnostics);
    report
}

/// Compares two specs' texts for `scope`.
pub fn compare_specs(old: &str, new: &str, scope: &Scope) -> Result<Report> {
    Ok(compare(
        &crate::model_of(old, &[], scope)?,
        &crate::model_of(new, &[], scope)?,
    ))
}

//! Prints a run's diagnostics the way rustc prints its own: `warning[class]: what is wrong`, then where
//! (the file and the JSON pointer) and what the generator did, then one line counting them by class.

use std::path::Path;
use telnyx_codegen::diagnostic::{Document, Severity};
use telnyx_codegen::Diagnostics;

/// Writes every diagnostic and the summary line to stderr; `spec` names the spec file.
pub fn print(diagnostics: &Diagnostics, spec: &Path) {
    if diagnostics.is_empty() {
        return;
    }
    eprint!("{}", render(diagnostics, &spec.display().to_string()));
}

/// The text [`print`] writes.
pub fn render(diagnostics: &Diagnostics, spec: &str) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let file = match &d.document {
            Document::Spec => spec,
            Document::Overlay(name) => name.as_str(),
        };
        out.push_str(&format!(
            "{}[{}]: {}\n  --> {file}{}\n   = {}\n",
            d.severity.label(),
            d.class,
            d.message,
            d.pointer,
            d.action
        ));
    }
    let errors = diagnostics.errors();
    let level = if errors > 0 {
        Severity::Error
    } else {
        Severity::Warning
    };
    out.push_str(&format!(
        "{}: {} {}: {}\n",
        level.label(),
        diagnostics.len(),
        if diagnostics.len() == 1 {
            "diagnostic"
        } else {
            "diagnostics"
        },
        diagnostics.summary()
    ));
    out
}

//! A report as text for the terminal and as Markdown for a pull request description. Both list breaking
//! changes first, then compatible ones, by section; docs-only changes are counted.

use super::report::{Change, Report, Section, Severity};
use super::version::Bump;
use crate::diagnostic::{Diagnostic, Document};
use std::fmt::Write;

/// What the report is about, for its heading.
#[derive(Debug, Clone)]
pub struct Context {
    /// Names of the old and new spec (a commit, a file).
    pub old: String,
    pub new: String,
    /// The scope the models were built for (`calls`, `all`, a file).
    pub scope: String,
    /// The crate version and its suggested successor, when known.
    pub version: Option<VersionChange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionChange {
    pub from: String,
    pub bump: Bump,
    pub to: String,
}

const SECTIONS: [Section; 3] = [Section::Operations, Section::Webhooks, Section::Types];
const SEVERITIES: [Severity; 2] = [Severity::Breaking, Severity::Compatible];

fn counts(report: &Report) -> String {
    format!(
        "{} breaking, {} compatible, {} docs-only (counted, not listed)",
        report.breaking(),
        report.compatible(),
        report.docs_only.total()
    )
}

fn version_line(ctx: &Context, report: &Report) -> String {
    match &ctx.version {
        Some(v) if v.bump == Bump::None => format!("version stays {}", v.from),
        Some(v) => format!("suggested version bump: {} ({} → {})", v.bump, v.from, v.to),
        None => format!("overall: {}", report.level()),
    }
}

/// `Subject` or `Subject` `member`, then what changed and why.
fn line(c: &Change, code: &dyn Fn(&str) -> String) -> String {
    let mut s = code(&c.subject);
    if let Some(m) = &c.member {
        let _ = write!(s, " {}", code(m));
    }
    let _ = write!(s, ": {}", c.kind.label());
    if !c.detail.is_empty() {
        let _ = write!(s, ", {}", c.detail);
    }
    let _ = write!(s, " ({})", c.reason);
    s
}

fn docs_only(report: &Report) -> String {
    let d = &report.docs_only;
    format!(
        "{} operations, {} webhook events, {} types or fields",
        d.count(Section::Operations),
        d.count(Section::Webhooks),
        d.count(Section::Types)
    )
}

/// The report for a terminal.
pub fn text(report: &Report, ctx: &Context) -> String {
    let plain = |s: &str| s.to_owned();
    let mut out = format!(
        "API changes {} → {} (scope {}): {}\n{}\n",
        ctx.old,
        ctx.new,
        ctx.scope,
        counts(report),
        version_line(ctx, report)
    );
    for severity in SEVERITIES {
        if report.count(severity) == 0 {
            continue;
        }
        let _ = writeln!(out, "\n{} ({}):", severity.label(), report.count(severity));
        for section in SECTIONS {
            let items: Vec<&Change> = of(report, severity, section).collect();
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(out, "  {}:", section.title().to_lowercase());
            for c in items {
                let _ = writeln!(out, "    {}", line(c, &plain));
            }
        }
    }
    if report.docs_only.total() > 0 {
        let _ = writeln!(out, "\ndocs only: {}", docs_only(report));
    }
    if !report.diagnostics.is_empty() {
        let d = &report.diagnostics;
        let _ = writeln!(
            out,
            "\nspec diagnostics: {} new, {} gone, {} unchanged",
            d.new.len(),
            d.gone.len(),
            d.kept
        );
        for (label, list) in [("new", &d.new), ("gone", &d.gone)] {
            for diagnostic in list {
                let _ = writeln!(out, "  {label}: {}", diagnostic_line(diagnostic, &plain));
            }
        }
    }
    if !report.affected.is_empty() {
        let _ = writeln!(out, "\naffected through their types:");
        for a in &report.affected {
            let _ = writeln!(
                out,
                "  {} [{}]: {}",
                a.subject,
                a.severity.label(),
                a.via.join(", ")
            );
        }
    }
    out
}

/// The report as Markdown (for a pull request description).
pub fn markdown(report: &Report, ctx: &Context) -> String {
    let code = |s: &str| format!("`{}`", s.replace('`', "'"));
    let mut out = format!(
        "## API changes: {} → {}\n\nScope `{}`: {}.\n\n{}.\n",
        ctx.old,
        ctx.new,
        ctx.scope,
        counts(report),
        capitalize(&version_line(ctx, report))
    );
    for severity in SEVERITIES {
        if report.count(severity) == 0 {
            continue;
        }
        let _ = write!(
            out,
            "\n### {} ({})\n",
            capitalize(severity.label()),
            report.count(severity)
        );
        for section in SECTIONS {
            let items: Vec<&Change> = of(report, severity, section).collect();
            if items.is_empty() {
                continue;
            }
            let _ = write!(out, "\n#### {}\n\n", section.title());
            for c in items {
                let _ = writeln!(out, "- {}", line(c, &code));
            }
        }
    }
    if report.docs_only.total() > 0 {
        let _ = write!(
            out,
            "\n### Docs only ({})\n\n{}.\n",
            report.docs_only.total(),
            capitalize(&docs_only(report))
        );
    }
    if !report.diagnostics.is_empty() {
        let d = &report.diagnostics;
        let _ = write!(
            out,
            "\n### Spec diagnostics\n\n{} new, {} gone, {} unchanged.\n",
            d.new.len(),
            d.gone.len(),
            d.kept
        );
        for (title, list) in [("New in the new spec", &d.new), ("Gone", &d.gone)] {
            if list.is_empty() {
                continue;
            }
            let _ = write!(out, "\n{title}:\n\n");
            for diagnostic in list {
                let _ = writeln!(out, "- {}", diagnostic_line(diagnostic, &code));
            }
        }
    }
    if !report.affected.is_empty() {
        out.push_str("\n### Affected through their types\n\n");
        for a in &report.affected {
            let via: Vec<String> = a.via.iter().map(|v| code(v)).collect();
            let _ = writeln!(
                out,
                "- {} ({}): {}",
                code(&a.subject),
                a.severity.label(),
                via.join(", ")
            );
        }
    }
    out
}

/// `class` at `pointer`: what is wrong (what was done).
fn diagnostic_line(d: &Diagnostic, code: &dyn Fn(&str) -> String) -> String {
    let place = match &d.document {
        Document::Spec => d.pointer.to_string(),
        Document::Overlay(name) => format!("{name}{}", d.pointer),
    };
    format!(
        "{} at {}: {} ({})",
        code(d.class.name()),
        code(&place),
        d.message,
        d.action
    )
}

fn of(report: &Report, severity: Severity, section: Section) -> impl Iterator<Item = &Change> {
    report
        .changes
        .iter()
        .filter(move |c| c.severity == severity && c.section == section)
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

//! `cargo xtask semver-verdicts`: the change report's verdict beside `cargo-semver-checks`' for each
//! real update of the vendor's spec, on the call scope, written to `docs/update-verdicts.md`. The
//! report decides a release's version together with the checker (see [`crate::update_spec`]); this
//! record shows where they agree and where one sees what the other does not.
//!
//! Each spec's crate is generated into a scratch workspace beside the runtime as it is; each
//! consecutive pair is compared by both. A spec whose crate the generator refuses is a row saying so.

use crate::compile_check::{self, Checker};
use crate::semver;
use anyhow::{anyhow, Context, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use telnyx_codegen::diff::{self, Level};
use telnyx_codegen::model::Model;
use telnyx_codegen::{Config, EmitOptions, Scope};

/// The vendor's published specs, oldest first, by their path in the folder of specs.
pub const SPECS: &[&str] = &[
    "history/spec3-2021-09-28.yml",
    "history/spec3-2023-12-11.yml",
    "history/spec3-2025-09-30.yml",
    "history/spec3-2026-01-27.yml",
    "spec3-2026-04-01.yml",
    "spec3-2026-05-01.yml",
    "spec3-2026-06-01.yml",
    "spec3-2026-06-10.yml",
    "spec3-2026-06-16.yml",
    "spec3.yml",
];

/// Where the record is kept.
pub const RECORD: &str = "docs/update-verdicts.md";

#[derive(clap::Args)]
pub struct VerdictsArgs {
    /// The folder of the vendor's specs (default: the folder of $TELNYX_OPENAPI_SPEC).
    #[arg(long, value_name = "DIR")]
    pub specs: Option<PathBuf>,
}

/// One update: what each judge says.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub from: String,
    pub to: String,
    /// The change report's verdict, or why the pair could not be compared.
    pub report: Result<Level, String>,
    /// `cargo-semver-checks`' verdict, or why it has none.
    pub semver: Result<Level, String>,
}

pub fn run(args: VerdictsArgs) -> Result<std::process::ExitCode> {
    let root = crate::root();
    let dir = match args.specs {
        Some(dir) => dir,
        None => std::env::var_os(crate::pin::SPEC_ENV)
            .map(PathBuf::from)
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .ok_or_else(|| {
                anyhow!(
                    "where are the vendor's specs? pass --specs DIR or set {}",
                    crate::pin::SPEC_ENV
                )
            })?,
    };
    let scope = crate::scope::load("calls", &root)?;
    let target = root.join("target/semver-checks");
    let rows = rows(&root, &dir, &scope, &|old: &Path, new: &Path| {
        semver::check(old, new, &target)
    })?;
    let text = render(&rows);
    print!("{text}");
    std::fs::write(root.join(RECORD), text).with_context(|| format!("writing {RECORD}"))?;
    eprintln!("written to {RECORD}");
    Ok(std::process::ExitCode::SUCCESS)
}

/// The spec at `name` in `dir`.
fn read(dir: &Path, name: &str) -> Result<String> {
    let path = dir.join(name);
    std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
}

/// The report's verdict on each update, and the checker's (`check`) on the crates generated from it.
pub fn rows(root: &Path, dir: &Path, scope: &Scope, check: semver::Check<'_>) -> Result<Vec<Row>> {
    let no_build: compile_check::Cargo<'_> = &|_| Ok(None);
    let writer = Checker {
        crates: root,
        cargo: no_build,
    };
    // Each spec's crate, generated once into its own scratch workspace.
    let mut crates: Vec<Result<PathBuf, String>> = Vec::new();
    for name in SPECS {
        let text = read(dir, name)?;
        let scratch = root.join("target/update-verdicts").join(label(name));
        let config = Config {
            scope: scope.clone(),
            emit: EmitOptions::default(),
            overlays: Vec::new(),
        };
        crates.push(
            writer
                .check(&scratch, &text, &config)
                .map(|()| scratch.join("crate"))
                .map_err(|e| format!("{e:#}")),
        );
    }
    let reports = report_levels(dir, scope);
    let mut rows = Vec::new();
    for ((i, pair), report) in SPECS.windows(2).enumerate().zip(reports) {
        let semver = match (&crates[i], &crates[i + 1]) {
            (Ok(old), Ok(new)) => check(old, new).map_err(|e| format!("{e:#}")),
            (Err(e), _) | (_, Err(e)) => Err(e.clone()),
        };
        rows.push(Row {
            from: label(pair[0]),
            to: label(pair[1]),
            report,
            semver,
        });
    }
    Ok(rows)
}

/// The change report's verdict on each consecutive update of [`SPECS`], each spec modelled once.
pub fn report_levels(dir: &Path, scope: &Scope) -> Vec<Result<Level, String>> {
    let models: Vec<Result<Model, String>> = SPECS
        .iter()
        .map(|name| {
            let text = read(dir, name).map_err(|e| format!("{e:#}"))?;
            telnyx_codegen::model_of(&text, &[], scope).map_err(|e| format!("{}: {e}", label(name)))
        })
        .collect();
    models
        .windows(2)
        .map(|pair| match pair {
            [Ok(old), Ok(new)] => Ok(diff::compare(old, new).level()),
            [Err(e), _] | [_, Err(e)] => Err(e.clone()),
            _ => unreachable!("windows of two"),
        })
        .collect()
}

/// `2026-06-10`, or `2026-07-16 (pinned)`.
pub fn label(name: &str) -> String {
    let date = name
        .trim_start_matches("history/")
        .trim_start_matches("spec3-")
        .trim_end_matches(".yml");
    if date == "spec3" {
        "2026-07-16 (pinned)".to_owned()
    } else {
        date.to_owned()
    }
}

fn cell(verdict: &Result<Level, String>) -> String {
    match verdict {
        Ok(level) => level.to_string(),
        // One line of the reason: a table cell.
        Err(e) => format!("none: {}", e.lines().next().unwrap_or_default()),
    }
}

/// Whether two verdicts ask for the same bump (docs-only and unchanged both ask for none beyond a
/// patch).
fn agree(report: &Result<Level, String>, semver: &Result<Level, String>) -> &'static str {
    let bump = |l: Level| match l {
        Level::Unchanged | Level::DocsOnly => Level::Unchanged,
        other => other,
    };
    match (report, semver) {
        (Ok(a), Ok(b)) if bump(*a) == bump(*b) => "yes",
        (Ok(_), Ok(_)) => "no",
        _ => "-",
    }
}

/// The record as Markdown.
pub fn render(rows: &[Row]) -> String {
    let mut out = String::from(
        "# The change report beside cargo-semver-checks\n\n\
         Every real update of the vendor's spec, call scope (`spec/scope.toml`): the change report's \
         verdict and `cargo-semver-checks`' on the two generated crates. `update-spec` bumps by the \
         stronger. Written by `cargo xtask semver-verdicts`; a test holds the report's column to the \
         generator as it is.\n\n\
         Where they differ, the report is the stricter: `cargo-semver-checks` asks for no minor \
         version for additions, and does not see a changed field or variant type (2026-06-16's \
         `VoiceSettings::Inworld` came to hold a struct). A spec whose scope selects nothing is \
         refused by both (`none`).\n\n\
         | from | to | change report | cargo-semver-checks | same bump |\n\
         |---|---|---|---|---|\n",
    );
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            row.from,
            row.to,
            cell(&row.report),
            cell(&row.semver),
            agree(&row.report, &row.semver)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed record's report column is what the generator says today: a change to the
    /// report's rules that moves a verdict shows here, and the record is written again.
    #[test]
    fn the_recorded_report_verdicts_are_the_generators() {
        let record = std::fs::read_to_string(crate::root().join(RECORD)).unwrap();
        let dir = vendor_dir();
        let scope = crate::scope::load("calls", &crate::root()).unwrap();
        let lines: Vec<&str> = record.lines().filter(|l| l.starts_with("| 20")).collect();
        assert_eq!(
            lines.len(),
            SPECS.len() - 1,
            "one row per update:\n{record}"
        );
        let reports = report_levels(&dir, &scope);
        for ((pair, line), report) in SPECS.windows(2).zip(lines).zip(reports) {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            assert_eq!(
                (cells[1], cells[2]),
                (label(pair[0]).as_str(), label(pair[1]).as_str())
            );
            assert_eq!(cells[3], cell(&report), "{} → {}", cells[1], cells[2]);
        }
    }

    /// The folder of the vendor's specs: beside `$TELNYX_OPENAPI_SPEC`, else `../shared/telnyx-openapi`.
    fn vendor_dir() -> PathBuf {
        let beside_pin = std::env::var_os(crate::pin::SPEC_ENV)
            .map(PathBuf::from)
            .and_then(|p| p.parent().map(Path::to_path_buf));
        let shared = crate::root().join("../shared/telnyx-openapi");
        let dirs: Vec<PathBuf> = beside_pin.into_iter().chain([shared]).collect();
        dirs.iter()
            .find(|d| SPECS.iter().all(|s| d.join(s).is_file()))
            .cloned()
            .unwrap_or_else(|| {
                panic!("this test needs the vendor's specs ({SPECS:?}), found in none of {dirs:?}")
            })
    }

    #[test]
    fn verdicts_agree_on_the_bump_they_ask_for() {
        let ok = Ok::<Level, String>;
        assert_eq!(agree(&ok(Level::DocsOnly), &ok(Level::Unchanged)), "yes");
        assert_eq!(agree(&ok(Level::Compatible), &ok(Level::Breaking)), "no");
        assert_eq!(agree(&ok(Level::Breaking), &Err("refused".into())), "-");
        let rows = [Row {
            from: label("spec3-2026-06-16.yml"),
            to: label("spec3.yml"),
            report: ok(Level::Compatible),
            semver: Err("the crate does not build\nmore".into()),
        }];
        assert!(render(&rows).contains(
            "| 2026-06-16 | 2026-07-16 (pinned) | compatible | none: the crate does not build | - |"
        ));
    }
}

//! Turns the measurements into rows: each measurement next to its baseline, and each target met or
//! missed. The targets are ratios (and seconds for compiling), so they hold on any machine.

use super::compile::CompileCost;
use super::criterion::{Measured, Results};
use super::table::{duration, rate, ratio, Row};
use super::write::Writes;
use std::path::Path;
use std::time::Duration;

/// Regeneration (scope total) ≤ this many times the YAML parse.
const REGENERATE_CALLS_MAX: f64 = 1.5;
const REGENERATE_ALL_MAX: f64 = 3.0;
/// Typed parse ≤ this many times the `serde_json::Value` parse of the same bytes.
const TYPED_PARSE_MAX: f64 = 1.0;
/// Verify + parse ≤ this many times a bare verify.
const VERIFY_PARSE_MAX: f64 = 1.1;
/// Crate-only `cargo check` after a touch, in seconds.
const CHECK_CALLS_MAX_S: f64 = 3.0;
const CHECK_ALL_MAX_S: f64 = 11.0;

/// What the numbers were measured on.
pub struct Machine {
    cpus: usize,
    busy_compilers: Option<usize>,
}

impl Machine {
    pub fn now() -> Machine {
        Machine {
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
            busy_compilers: running("rustc"),
        }
    }
}

/// How many processes named `name` run now (Linux `/proc`; `None` elsewhere).
fn running(name: &str) -> Option<usize> {
    let entries = std::fs::read_dir("/proc").ok()?;
    Some(
        entries
            .flatten()
            .filter(|e| {
                std::fs::read_to_string(e.path().join("comm")).is_ok_and(|c| c.trim() == name)
            })
            .count(),
    )
}

pub fn heading(spec: &Path, text: &str, machine: &Machine) -> String {
    let busy = match machine.busy_compilers {
        Some(n) => format!("; {n} other rustc processes running at the start"),
        None => String::new(),
    };
    format!(
        "cargo xtask bench: {} ({:.1} MB, sha256 {}…), {} CPUs{busy}.\nMedians from this one run; each ratio is to the baseline row above it.",
        spec.display(),
        text.len() as f64 / 1e6,
        &crate::pin::sha256_hex(text.as_bytes())[..12],
        machine.cpus,
    )
}

pub fn rows(results: &Results, writes: &Writes, compile: Option<&CompileCost>) -> Vec<Row> {
    let mut rows = Vec::new();
    regeneration(&mut rows, results, writes);
    webhooks(&mut rows, results);
    requests(&mut rows, results);
    if let Some(c) = compile {
        rows.push(check_row("calls crate", &c.calls, CHECK_CALLS_MAX_S));
        rows.push(check_row("whole-spec crate", &c.all, CHECK_ALL_MAX_S));
        rows.push(build_row("calls crate", &c.calls_build));
        rows.push(build_row("whole-spec crate", &c.all_build));
    }
    rows
}

fn regeneration(rows: &mut Vec<Row>, results: &Results, writes: &Writes) {
    let baseline = results.get("regenerate/baseline_yaml_value");
    rows.push(measured_row(
        "regenerate: baseline, spec YAML → serde_yaml::Value",
        baseline,
        None,
    ));
    for (scope, label, write, max) in [
        ("calls", "call scope", &writes.calls, REGENERATE_CALLS_MAX),
        ("all", "whole spec", &writes.all, REGENERATE_ALL_MAX),
    ] {
        let in_process = match write {
            Ok(w) => w,
            Err(e) => {
                rows.push(Row {
                    what: format!("regenerate {label}"),
                    median: format!("n/a (error: {e})"),
                    target: format!("≤ {max:.1}×"),
                    status: "n/a".into(),
                    ..Row::default()
                });
                continue;
            }
        };
        let mut phases: Vec<(&str, Option<f64>)> = ["load", "normalize"]
            .iter()
            .map(|p| {
                (
                    *p,
                    results.get(&format!("regenerate/{p}")).map(|m| m.median_ns),
                )
            })
            .collect();
        for (p, id) in [
            ("model", "model"),
            ("surface", "surface"),
            ("samples", "samples"),
            ("emit + format", "emit_and_format"),
        ] {
            let id = format!("regenerate/{scope}/{id}");
            phases.push((p, results.get(&id).map(|m| m.median_ns)));
        }
        phases.push(("write", Some(nanos(in_process.write))));
        let base = baseline.map(|b| b.median_ns);
        for (phase, ns) in &phases {
            rows.push(Row {
                what: format!("regenerate {label}: {phase}"),
                median: ns.map_or("n/a (not measured)".into(), duration),
                ratio: ns.zip(base).map_or(String::new(), |(n, b)| ratio(n / b)),
                ..Row::default()
            });
        }
        let total: Option<f64> = phases.iter().map(|(_, ns)| *ns).sum();
        rows.push(target_row(
            format!("regenerate {label}: total"),
            total,
            base,
            max,
        ));
        let dev = nanos(in_process.generate + in_process.write);
        rows.push(Row {
            what: format!(
                "regenerate {label}: total as `cargo xtask regenerate` runs (dev profile)"
            ),
            median: duration(dev),
            ratio: base.map_or(String::new(), |b| ratio(dev / b)),
            ..Row::default()
        });
    }
}

fn webhooks(rows: &mut Vec<Row>, results: &Results) {
    let value = results.get("webhooks/value_parse");
    let typed = results.get("webhooks/typed_parse");
    let bare = results.get("webhooks/bare_verify");
    let both = results.get("webhooks/verify_and_parse");
    let events = value.and_then(|m| m.elements).unwrap_or(0);
    let label = |what: &str| format!("webhooks ({events} spec examples): {what}");
    rows.push(measured_row(
        &label("serde_json::Value parse"),
        value,
        Some("events"),
    ));
    rows.push(ratio_row(
        &label("typed parse"),
        typed,
        value,
        "events",
        TYPED_PARSE_MAX,
    ));
    rows.push(measured_row(
        &label("bare ed25519 verify_strict"),
        bare,
        Some("events"),
    ));
    rows.push(ratio_row(
        &label("verify + parse"),
        both,
        bare,
        "events",
        VERIFY_PARSE_MAX,
    ));
}

fn requests(rows: &mut Vec<Row>, results: &Results) {
    let bytes = results.get("requests/to_bytes");
    let via_value = results.get("requests/via_value");
    let bodies = bytes.and_then(|m| m.elements).unwrap_or(0);
    rows.push(measured_row(
        &format!("requests ({bodies} JSON bodies): serialize to bytes"),
        bytes,
        Some("bodies"),
    ));
    let mut runtime = measured_row(
        &format!("requests ({bodies} JSON bodies): runtime path (to Value, then bytes)"),
        via_value,
        Some("bodies"),
    );
    if let (Some(v), Some(b)) = (via_value, bytes) {
        runtime.ratio = ratio(v.median_ns / b.median_ns);
    }
    rows.push(runtime);
}

/// A measurement shown as it is (a baseline, or a number without a target).
fn measured_row(what: &str, m: Option<&Measured>, unit: Option<&str>) -> Row {
    let Some(m) = m else {
        return Row {
            what: what.to_owned(),
            median: "n/a (not measured)".into(),
            ..Row::default()
        };
    };
    Row {
        what: what.to_owned(),
        median: duration(m.median_ns),
        throughput: throughput(m, unit),
        ratio: "baseline".into(),
        ..Row::default()
    }
}

/// A measurement against its baseline, with a target on the ratio.
fn ratio_row(
    what: &str,
    m: Option<&Measured>,
    base: Option<&Measured>,
    unit: &str,
    max: f64,
) -> Row {
    let mut row = target_row(
        what.to_owned(),
        m.map(|m| m.median_ns),
        base.map(|b| b.median_ns),
        max,
    );
    if let Some(m) = m {
        row.throughput = throughput(m, Some(unit));
    }
    row
}

fn target_row(what: String, ns: Option<f64>, base: Option<f64>, max: f64) -> Row {
    let r = ns.zip(base).map(|(n, b)| n / b);
    Row {
        what,
        median: ns.map_or("n/a (not measured)".into(), duration),
        ratio: r.map_or(String::new(), ratio),
        target: format!("≤ {max:.1}×"),
        status: status(r, max),
        ..Row::default()
    }
}

fn check_row(what: &str, seconds: &Result<f64, String>, max: f64) -> Row {
    let (median, status) = match seconds {
        Ok(s) => (format!("{s:.2} s"), self::status(Some(*s), max)),
        Err(e) => (format!("n/a (error: {e})"), "n/a".into()),
    };
    Row {
        what: format!("compile: {what}, cargo check --lib after touching lib.rs"),
        median,
        target: format!("≤ {max} s"),
        status,
        ..Row::default()
    }
}

/// A clean build has no target in seconds: its goal is relative to an earlier run of this table.
fn build_row(what: &str, seconds: &Result<f64, String>) -> Row {
    Row {
        what: format!("compile: {what}, clean cargo build --lib, dependencies built"),
        median: match seconds {
            Ok(s) => format!("{s:.2} s"),
            Err(e) => format!("n/a (error: {e})"),
        },
        ..Row::default()
    }
}

fn throughput(m: &Measured, unit: Option<&str>) -> String {
    match (m.elements, unit) {
        (Some(n), Some(unit)) if m.median_ns > 0.0 => rate(n as f64 * 1e9 / m.median_ns, unit),
        _ => String::new(),
    }
}

fn status(value: Option<f64>, max: f64) -> String {
    match value {
        Some(v) if v <= max => "met".into(),
        Some(_) => "missed".into(),
        None => "n/a".into(),
    }
}

fn nanos(d: Duration) -> f64 {
    d.as_secs_f64() * 1e9
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::write::InProcess;

    fn measured(ms: f64, elements: Option<u64>) -> Measured {
        Measured {
            median_ns: ms * 1e6,
            elements,
        }
    }

    #[test]
    fn a_scope_that_does_not_generate_reads_as_its_error() {
        let mut results = Results::new();
        for (id, ms) in [
            ("regenerate/baseline_yaml_value", 100.0),
            ("regenerate/load", 90.0),
            ("regenerate/normalize", 10.0),
            ("regenerate/calls/model", 5.0),
            ("regenerate/calls/surface", 2.0),
            ("regenerate/calls/samples", 3.0),
            ("regenerate/calls/emit_and_format", 30.0),
        ] {
            results.insert(id.to_owned(), measured(ms, None));
        }
        let writes = Writes {
            calls: Ok(InProcess {
                generate: Duration::from_millis(500),
                write: Duration::from_millis(10),
            }),
            all: Err("model: boom".to_owned()),
        };
        let rows = rows(&results, &writes, None);
        let total = rows
            .iter()
            .find(|r| r.what == "regenerate call scope: total")
            .expect("a total row");
        assert_eq!(
            (total.ratio.as_str(), total.status.as_str()),
            ("1.50×", "met")
        );
        let whole: Vec<&Row> = rows
            .iter()
            .filter(|r| r.what.starts_with("regenerate whole spec"))
            .collect();
        assert_eq!(whole.len(), 1);
        assert_eq!(whole[0].median, "n/a (error: model: boom)");
        // Benches that did not run read as not measured, never as zero.
        let typed = rows
            .iter()
            .find(|r| r.what.ends_with("typed parse"))
            .expect("a typed parse row");
        assert_eq!(
            (typed.median.as_str(), typed.status.as_str()),
            ("n/a (not measured)", "n/a")
        );
    }
}

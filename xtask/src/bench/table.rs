//! The one table `cargo xtask bench` prints: Markdown, so it pastes into docs/benchmarks.md as it is.

/// One line of the table.
#[derive(Debug, Default)]
pub struct Row {
    pub what: String,
    pub median: String,
    pub throughput: String,
    pub ratio: String,
    pub target: String,
    pub status: String,
}

const HEADER: [&str; 6] = [
    "measurement",
    "median",
    "throughput",
    "ratio",
    "target",
    "status",
];

pub fn render(rows: &[Row]) -> String {
    let cells: Vec<[&str; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.what.as_str(),
                r.median.as_str(),
                r.throughput.as_str(),
                r.ratio.as_str(),
                r.target.as_str(),
                r.status.as_str(),
            ]
        })
        .collect();
    let mut widths = HEADER.map(|h| h.chars().count());
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |row: &[&str; 6]| {
        let padded: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        format!("| {} |", padded.join(" | "))
    };
    let mut out = vec![line(&HEADER)];
    out.push(format!(
        "|{}|",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("|")
    ));
    out.extend(cells.iter().map(line));
    out.join("\n")
}

/// `140.5 ms`, `212 µs`, `2.41 s`.
pub fn duration(ns: f64) -> String {
    match ns {
        n if n >= 1e9 => format!("{:.2} s", n / 1e9),
        n if n >= 1e6 => format!("{:.1} ms", n / 1e6),
        n if n >= 1e3 => format!("{:.1} µs", n / 1e3),
        n => format!("{n:.0} ns"),
    }
}

/// `312.4 k events/s`.
pub fn rate(per_second: f64, unit: &str) -> String {
    match per_second {
        r if r >= 1e6 => format!("{:.2} M {unit}/s", r / 1e6),
        r if r >= 1e3 => format!("{:.1} k {unit}/s", r / 1e3),
        r => format!("{r:.1} {unit}/s"),
    }
}

/// `2.56×`.
pub fn ratio(r: f64) -> String {
    format!("{r:.2}×")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_columns() {
        assert_eq!(duration(140_540_000.0), "140.5 ms");
        assert_eq!(duration(2_410_000_000.0), "2.41 s");
        assert_eq!(rate(312_400.0, "events"), "312.4 k events/s");
        let table = render(&[Row {
            what: "x".into(),
            median: "1.0 ms".into(),
            ..Row::default()
        }]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines
            .iter()
            .all(|l| l.chars().count() == lines[0].chars().count()));
    }
}

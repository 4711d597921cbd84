//! `CHANGELOG.md` (Keep a Changelog): `update-spec` records each spec update in it, under the version
//! the update releases, with the change report's counts and its breaking changes.

use anyhow::{bail, Result};
use std::time::{SystemTime, UNIX_EPOCH};
use telnyx_codegen::diff::{Report, Severity};

/// The heading every entry goes under until it is released.
const UNRELEASED: &str = "## [Unreleased]";

/// The changelog with the spec update recorded: under a new `## [version] - date` section when the
/// update bumps the version, else under `## [Unreleased]`.
pub fn record_update(
    changelog: &str,
    version: Option<&str>,
    date: &str,
    update: &str,
    report: &Report,
) -> Result<String> {
    let Some(at) = changelog.find(UNRELEASED) else {
        bail!("CHANGELOG.md has no `{UNRELEASED}` heading to add the update under");
    };
    let after_heading = at + UNRELEASED.len();
    let mut entry = String::new();
    if let Some(version) = version {
        entry.push_str(&format!("\n\n## [{version}] - {date}"));
    }
    entry.push_str(&format!(
        "\n\n### Spec update\n\n- {update}: {} breaking, {} compatible, {} documentation-only changes.",
        report.breaking(),
        report.compatible(),
        report.docs_only.total()
    ));
    for change in report
        .changes
        .iter()
        .filter(|c| c.severity == Severity::Breaking)
    {
        let member = change
            .member
            .as_ref()
            .map(|m| format!(" {m}"))
            .unwrap_or_default();
        entry.push_str(&format!(
            "\n  - `{}`{member}: {} ({})",
            change.subject, change.detail, change.reason
        ));
    }
    let mut out = String::with_capacity(changelog.len() + entry.len());
    out.push_str(&changelog[..after_heading]);
    out.push_str(&entry);
    out.push_str(&changelog[after_heading..]);
    Ok(out)
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    date_of(days as i64)
}

/// The civil date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn date_of(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(20_794), "2026-12-07");
        assert_eq!(date_of(19_782), "2024-02-29");
    }

    #[test]
    fn an_update_goes_under_its_version_or_unreleased() {
        let log = "# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2026-12-07\n";
        let report = Report::default();
        let released =
            record_update(log, Some("0.2.1"), "2027-01-02", "spec @abc", &report).unwrap();
        assert_eq!(
            released,
            "# Changelog\n\n## [Unreleased]\n\n## [0.2.1] - 2027-01-02\n\n### Spec update\n\n- spec @abc: 0 breaking, 0 compatible, 0 documentation-only changes.\n\n## [0.2.0] - 2026-12-07\n"
        );
        let kept = record_update(log, None, "2027-01-02", "spec @abc", &report).unwrap();
        assert!(kept.starts_with("# Changelog\n\n## [Unreleased]\n\n### Spec update\n"));
        assert!(record_update("# nothing", None, "d", "u", &report).is_err());
    }
}

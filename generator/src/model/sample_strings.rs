//! Strings that satisfy a schema's string facets: a value for each `format` a validator checks
//! (`uuid`, `date-time`, `uri`, …), the shortest string a `pattern` accepts, and the checks that tell
//! whether a spec example already satisfies them.
//!
//! The formats are the ones JSON Schema validators (ajv-formats, which Prism uses) enforce; formats they
//! do not know (`int32`, `binary`, `wav`, …) constrain nothing.

use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// `pattern` compiled once per thread (`None` when this engine cannot read it).
fn compiled(pattern: &str) -> Option<Regex> {
    thread_local! {
        static CACHE: RefCell<BTreeMap<String, Option<Regex>>> = const { RefCell::new(BTreeMap::new()) };
    }
    CACHE.with(|cache| {
        cache
            .borrow_mut()
            .entry(pattern.to_owned())
            .or_insert_with(|| Regex::new(pattern).ok())
            .clone()
    })
}

/// A fixed value of `format`, or `None` when the format constrains nothing a validator checks.
pub fn format_value(format: &str) -> Option<&'static str> {
    Some(match format {
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "time" => "03:04:05Z",
        "duration" => "P1D",
        "uri" | "url" | "uri-reference" | "iri" | "iri-reference" => "https://example.com/path",
        "email" | "idn-email" => "user@example.com",
        "hostname" | "idn-hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "json-pointer" => "/data/0",
        "relative-json-pointer" => "0/data",
        "byte" => "aGVsbG8=",
        "regex" => "^a+$",
        _ => return None,
    })
}

/// Whether `s` has the `format` (formats without a check accept anything).
pub fn format_ok(format: &str, s: &str) -> bool {
    let pattern = match format {
        "uuid" => r"^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        "date-time" => {
            r"^(?i)\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])t([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(z|[+-]([01]\d|2[0-3]):[0-5]\d)$"
        }
        "date" => r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
        "time" => {
            r"^(?i)([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(z|[+-]([01]\d|2[0-3]):?[0-5]\d)?$"
        }
        "uri" | "iri" => r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$",
        "url" => r"^(?i)(https?|ftp)://[^\s/$.?#][^\s]*$",
        "uri-reference" | "iri-reference" => r"^[^\s]*$",
        "email" | "idn-email" => r"^[^\s@]+@[^\s@]+\.[^\s@]+$",
        "hostname" | "idn-hostname" => {
            r"^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
        }
        "ipv4" => r"^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$",
        "json-pointer" => r"^(/([^~/]|~[01])*)*$",
        "byte" => r"^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
        "duration" => r"^P(\d+[YMWD])*(T(\d+[HMS])+)?$",
        // No check written for it: only the fixed value is trusted.
        other if format_value(other).is_some() => return format_value(other) == Some(s),
        _ => return true,
    };
    compiled(pattern).is_some_and(|r| r.is_match(s))
}

/// Whether `s` matches the ECMA-262 `pattern` (unanchored, as JSON Schema reads it). A pattern this
/// crate's regex engine cannot read accepts nothing, so an example is never trusted blindly.
pub fn pattern_ok(pattern: &str, s: &str) -> bool {
    compiled(pattern).is_some_and(|r| r.is_match(s))
}

/// A short string `pattern` accepts: each repetition taken its minimum number of times (at least once),
/// the first branch of each alternation, a letter or digit from each class where it has one. `None`
/// when the pattern cannot be read or the string built does not match it.
pub fn pattern_value(pattern: &str) -> Option<String> {
    let hir = regex_syntax::parse(pattern).ok()?;
    let mut out = String::new();
    build(&hir, &mut out)?;
    pattern_ok(pattern, &out).then_some(out)
}

fn build(hir: &Hir, out: &mut String) -> Option<()> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => out.push_str(std::str::from_utf8(&lit.0).ok()?),
        HirKind::Class(Class::Unicode(class)) => {
            let ranges = class.ranges();
            let pick = ranges
                .iter()
                .find_map(|r| {
                    (r.start()..=r.end())
                        .take(128)
                        .find(char::is_ascii_alphanumeric)
                })
                .or_else(|| ranges.first().map(|r| r.start()))?;
            out.push(pick);
        }
        HirKind::Class(Class::Bytes(class)) => {
            let ranges = class.ranges();
            let pick = ranges
                .iter()
                .find_map(|r| (r.start()..=r.end()).find(u8::is_ascii_alphanumeric))
                .or_else(|| ranges.first().map(|r| r.start()))?;
            out.push(char::from(pick));
        }
        HirKind::Repetition(rep) => {
            let times = rep.min.max(1).min(rep.max.unwrap_or(u32::MAX));
            for _ in 0..times {
                build(&rep.sub, out)?;
            }
        }
        HirKind::Capture(cap) => build(&cap.sub, out)?,
        HirKind::Concat(parts) => {
            for part in parts {
                build(part, out)?;
            }
        }
        HirKind::Alternation(branches) => build(branches.first()?, out)?,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_value_passes_its_own_check() {
        for format in [
            "uuid",
            "date-time",
            "date",
            "time",
            "duration",
            "uri",
            "url",
            "uri-reference",
            "email",
            "hostname",
            "ipv4",
            "ipv6",
            "json-pointer",
            "byte",
        ] {
            let value = format_value(format).expect("a value");
            assert!(format_ok(format, value), "{format}: {value}");
        }
        assert_eq!(format_value("int32"), None);
        assert!(format_ok("int32", "anything"));
    }

    #[test]
    fn format_checks_reject_what_validators_reject() {
        assert!(!format_ok("uuid", "v3:call/1 2"));
        assert!(!format_ok("date-time", "2024-01-02"));
        assert!(!format_ok("date", "2024-13-01"));
        assert!(!format_ok("uri", "example.com"));
        assert!(!format_ok("email", "nobody"));
        assert!(format_ok("date-time", "2019-01-23T18:10:02.574Z"));
        assert!(format_ok("uuid", "2DC6FC34-F9E0-11EA-B68E-02420A0F7768"));
    }

    #[test]
    fn patterns_get_short_matching_strings() {
        for (pattern, expected) in [
            (r"^[A-Z]{2}$", "AA"),
            (r"^\+\d{7,15}$", "+0000000"),
            (r"^[0-9]{5}(?:-[0-9]{4})?$", "00000-0000"),
            (r"^wss?://", "wss://"),
            (r"^([Aa]uto|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$", "Auto"),
            (r"^[-/_=.a-zA-Z0-9]+$", "0"),
            (r"^[0-9A-D*#wW]*$", "0"),
        ] {
            assert_eq!(
                pattern_value(pattern).as_deref(),
                Some(expected),
                "{pattern}"
            );
        }
        assert_eq!(pattern_value("(unclosed"), None);
    }
}

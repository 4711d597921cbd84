//! Judges one operation's exchange with Prism, the mock server that validates requests against the
//! spec: the request must draw no violation (Prism's `sl-violations` header, or a 4xx it answers
//! because the request broke the spec) and its answer, the spec's example, must decode into the
//! typed response.
//!
//! Environment:
//! - `TELNYX_PRISM_URL`: the base URL of `prism mock` (the tests are `#[ignore]`d, and fail without
//!   it when run anyway);
//! - `TELNYX_CONFORMANCE_SKIPS`: the list of faults of the spec or of Prism that are excused, one per
//!   line as `<operation pointer> <what>` (`#/paths/~1calls/post request.body.from`); `what` is a
//!   violation's location (`request.…`, `response.…`), a prefix of it, `decode` (decoding the
//!   answer) or `*`. Lines that start with `#` but not `#/` are comments;
//! - `TELNYX_CONFORMANCE_REPORT`: a file each test appends one line to (pointer; request violations,
//!   response example violations, decode failures, other failures, excused findings; the skip entries
//!   used; tab-separated), which `scripts/conformance.sh` sums up.

use std::io::Write;

use serde_json::Value;
use telnyx_call_control::reqwest::header::HeaderMap;
use telnyx_call_control::{Client, Error, Response};

const PRISM_URL: &str = "TELNYX_PRISM_URL";
const SKIPS: &str = "TELNYX_CONFORMANCE_SKIPS";
const REPORT: &str = "TELNYX_CONFORMANCE_REPORT";

/// A client for Prism; a test run without one fails, saying how to start it.
pub fn client() -> Client {
    let Some(url) = std::env::var(PRISM_URL).ok().filter(|u| !u.is_empty()) else {
        panic!("{PRISM_URL} is not set: scripts/conformance.sh starts Prism, sets it and runs these tests");
    };
    Client::builder()
        .api_key("test-key")
        .base_url(url)
        .max_retries(0)
        .build()
        .expect("a client for Prism")
}

/// What went wrong in one exchange.
#[derive(Debug)]
struct Finding {
    /// `request.body.from`, `request.query.page` … (the request broke the spec), `response.body.…`
    /// (Prism's answer, the spec's example, breaks the spec's own schema), `decode` (the answer does
    /// not decode into the typed response), `status` (an error answer without violations),
    /// `transport` (Prism was not reached).
    what: String,
    message: String,
}

/// Fails the test on any finding the skip list does not excuse, after reporting the result.
pub fn judge<T>(pointer: &str, label: &str, result: Result<Response<T>, Error>) {
    let findings = match &result {
        Ok(response) => violations(response.headers()),
        Err(Error::Api(api)) => {
            let mut found = violations(&api.headers);
            if found.is_empty() {
                found = problem_violations(&api.body_snippet);
            }
            if found.is_empty() {
                found.push(Finding {
                    what: "status".into(),
                    message: format!("Prism answered {}: {}", api.status, api.body_snippet),
                });
            }
            found
        }
        Err(error @ Error::Decode { .. }) => vec![Finding {
            what: "decode".into(),
            message: describe(error),
        }],
        Err(other) => vec![Finding {
            what: "transport".into(),
            message: describe(other),
        }],
    };
    let skips = skips_for(pointer);
    let (excused, open): (Vec<&Finding>, Vec<&Finding>) = findings
        .iter()
        .partition(|f| skips.iter().any(|s| covers(s, &f.what)));
    let count = |class: fn(&str) -> bool| open.iter().filter(|f| class(&f.what)).count();
    let request = count(|w| w.starts_with("request"));
    let example = count(|w| w.starts_with("response"));
    let decode = count(|w| w == "decode");
    let used: Vec<&str> = skips
        .iter()
        .filter(|s| excused.iter().any(|f| covers(s, &f.what)))
        .map(String::as_str)
        .collect();
    report(&format!(
        "{pointer}\t{request}\t{example}\t{decode}\t{}\t{}\t{}\n",
        open.len() - request - example - decode,
        excused.len(),
        used.join(",")
    ));
    let listed: Vec<String> = open
        .iter()
        .map(|f| format!("  {} {}: {}", pointer, f.what, f.message))
        .collect();
    assert!(
        open.is_empty(),
        "{label} broke the spec (fix the generator, or list a fault of the spec or of Prism in the skip list):\n{}",
        listed.join("\n")
    );
}

/// Whether the skip `what` excuses a finding at `location`: the same, a prefix ending at a `.`, or `*`.
fn covers(skip: &str, location: &str) -> bool {
    skip == "*"
        || location == skip
        || location
            .strip_prefix(skip)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// The violations of the `sl-violations` header (errors only; Prism's warnings do not fail requests).
fn violations(headers: &HeaderMap) -> Vec<Finding> {
    let Some(header) = headers.get("sl-violations") else {
        return Vec::new();
    };
    let parsed: Value = match header.to_str().map(serde_json::from_str) {
        Ok(Ok(v)) => v,
        _ => {
            return vec![Finding {
                what: "request".into(),
                message: format!("unreadable sl-violations header: {header:?}"),
            }]
        }
    };
    findings(parsed.as_array().map_or(&[], Vec::as_slice))
}

/// Findings from Prism's violation objects (`location`, `severity`, `code`, `message`).
fn findings(items: &[Value]) -> Vec<Finding> {
    items
        .iter()
        .filter(|v| v.get("severity").and_then(Value::as_str) != Some("Warning"))
        .map(|v| {
            let location: Vec<String> = v
                .get("location")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|part| match part {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            let what = if location.is_empty() {
                "request".to_owned()
            } else {
                location.join(".")
            };
            let code = v.get("code").map(Value::to_string).unwrap_or_default();
            let message = v.get("message").and_then(Value::as_str).unwrap_or("");
            Finding {
                what,
                message: format!("[{code}] {message}"),
            }
        })
        .collect()
}

/// The violations of a problem document Prism writes when the spec documents no 4xx answer
/// (`{"type": "…#UNPROCESSABLE_ENTITY", "validation": [{location, code, message}, …]}`), read from the
/// start of the body the error keeps: the items before the cut, and one finding for the rest.
fn problem_violations(body: &str) -> Vec<Finding> {
    let Some(start) = body.find("\"validation\":[") else {
        return Vec::new();
    };
    let mut rest = &body[start + "\"validation\":[".len()..];
    let mut items = Vec::new();
    loop {
        rest = rest.trim_start_matches([',', ' ', '\n']);
        if rest.starts_with(']') {
            break;
        }
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        match stream.next() {
            Some(Ok(item)) => {
                items.push(item);
                rest = &rest[stream.byte_offset()..];
            }
            _ => {
                items.push(serde_json::json!({
                    "location": ["request"],
                    "code": "truncated",
                    "message": "more violations (the body was cut)",
                }));
                break;
            }
        }
    }
    // These locations leave out the leading `request` the header has.
    for item in &mut items {
        if let Some(Value::Array(location)) = item.get_mut("location") {
            if location.first().and_then(Value::as_str) != Some("request") {
                location.insert(0, Value::String("request".into()));
            }
        }
    }
    findings(&items)
}

/// An error with its sources, on one line.
fn describe(error: &Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

/// The `what` of every skip-list entry for the operation at `pointer`.
fn skips_for(pointer: &str) -> Vec<String> {
    skips()
        .iter()
        .filter(|(entry, _)| entry == pointer)
        .map(|(_, what)| what.clone())
        .collect()
}

/// Every entry of the skip list, `(operation pointer, what)`, read once for all the tests.
fn skips() -> &'static [(String, String)] {
    static SKIP_LIST: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    SKIP_LIST.get_or_init(|| {
        let Some(path) = std::env::var_os(SKIPS) else {
            return Vec::new();
        };
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{SKIPS}={}: {e}", path.to_string_lossy()));
        text.lines()
            .map(str::trim)
            .filter(|line| line.starts_with("#/"))
            .filter_map(|line| {
                let mut words = line.split_whitespace();
                let entry = words.next()?.to_owned();
                let what = words.next().unwrap_or("*").to_owned();
                Some((entry, what))
            })
            .collect()
    })
}

/// Appends a result line to the report file, when one is named.
fn report(line: &str) {
    let Some(path) = std::env::var_os(REPORT) else {
        return;
    };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| file.write_all(line.as_bytes()));
    if let Err(e) = written {
        panic!("{REPORT}={}: {e}", path.to_string_lossy());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use telnyx_call_control::reqwest::header::HeaderValue;

    #[test]
    fn skips_cover_a_location_and_what_is_below_it() {
        assert!(covers("request.query", "request.query.force"));
        assert!(covers("request.query.force", "request.query.force"));
        assert!(!covers("request.query.force", "request.query.forced"));
        assert!(!covers("request.body", "request.query.force"));
        assert!(covers("*", "decode"));
    }

    #[test]
    fn violations_are_read_from_the_header_without_warnings() {
        let mut headers = HeaderMap::new();
        let header = r#"[{"location":["request","body","to"],"severity":"Error","code":"format","message":"bad"},{"location":["request"],"severity":"Warning","code":"x","message":"w"}]"#;
        headers.insert("sl-violations", HeaderValue::from_static(header));
        let found = violations(&headers);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].what, "request.body.to");
        assert!(violations(&HeaderMap::new()).is_empty());
    }

    #[test]
    fn violations_are_read_from_a_cut_problem_document() {
        let body = r#"{"type":"x#UNPROCESSABLE_ENTITY","validation":[{"location":["path","id"],"severity":"Error","code":"format","message":"uuid"},{"location":["query","q"],"sev"#;
        let found = problem_violations(body);
        let what: Vec<&str> = found.iter().map(|f| f.what.as_str()).collect();
        assert_eq!(what, ["request.path.id", "request"]);
        assert!(problem_violations(r#"{"errors":[]}"#).is_empty());
    }
}

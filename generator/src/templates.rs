//! The hand-written files of the generated crate (its README, the examples and the tests that drive
//! them, tests written against its API, the benches' harnesses), embedded from `templates/` at build
//! time, and which crate gets each: declared here, one line per file.
//!
//! They are written against the call-control crate as an application sees it (`telnyx_call_control`,
//! its call handle, its webhook events), so each names what it needs of the crate; a crate that lacks
//! any of it (a fixture of the generator's tests, a crate under another name) does not get the file.

/// `(path relative to the crate root, contents)`, sorted by path: every file under `templates/`.
static EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// What a hand-written file needs of the crate it goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The crate is `telnyx_call_control` (the file names it).
    Name,
    /// `webhooks` and the fake of `testing`.
    Webhooks,
    /// `CallHandle` and `ConferenceHandle`.
    Handles,
    /// Typed JSON request bodies (the request bench's samples).
    RequestSamples,
}

/// A hand-written file.
#[derive(Debug)]
pub struct Template {
    pub path: &'static str,
    pub needs: &'static [Need],
    /// The test target the file is the root of, when it is not under `tests/` (a test beside the
    /// example it drives): declared in the manifest as `[[test]]`.
    pub test: Option<&'static str>,
}

use Need::*;

/// The library name the hand-written files are written against.
pub const LIB_NAME: &str = "telnyx_call_control";

const CALLS: &[Need] = &[Name, Webhooks, Handles];

/// Every hand-written file, and what it needs.
pub static HAND_WRITTEN: &[Template] = &[
    file("README.md", &[Name]),
    file("benches/requests/main.rs", &[Name, RequestSamples]),
    file("benches/webhooks/main.rs", &[Name, Webhooks]),
    file("examples/call_center/app.rs", CALLS),
    file("examples/call_center/main.rs", CALLS),
    test("examples/call_center/tests.rs", CALLS, "call_center"),
    file("examples/ivr/app.rs", CALLS),
    file("examples/ivr/main.rs", CALLS),
    test("examples/ivr/tests.rs", CALLS, "ivr"),
    file("examples/metrics/app.rs", CALLS),
    file("examples/metrics/main.rs", CALLS),
    test("examples/metrics/tests.rs", CALLS, "metrics"),
    file("examples/webhook_receiver/app.rs", &[Name, Webhooks]),
    file("examples/webhook_receiver/main.rs", &[Name, Webhooks]),
    test(
        "examples/webhook_receiver/tests.rs",
        &[Name, Webhooks],
        "webhook_receiver",
    ),
    file("tests/call_handle.rs", CALLS),
    file("tests/conformance/harness.rs", &[Name]),
    file("tests/fake_telnyx.rs", CALLS),
    file("tests/pages.rs", CALLS),
    // It names no type of the crate: every crate, fixtures too, is held against the oracle.
    file("tests/serde_oracle/main.rs", &[]),
    file("tests/simulator.rs", CALLS),
    file("tests/voice_gather.rs", CALLS),
    file("tests/webhook_accessors.rs", &[Name, Webhooks]),
];

const fn file(path: &'static str, needs: &'static [Need]) -> Template {
    Template {
        path,
        needs,
        test: None,
    }
}

const fn test(path: &'static str, needs: &'static [Need], name: &'static str) -> Template {
    Template {
        path,
        needs,
        test: Some(name),
    }
}

impl Template {
    /// The file's text.
    pub fn text(&self) -> &'static str {
        EMBEDDED
            .iter()
            .find(|(path, _)| *path == self.path)
            .map_or("", |(_, text)| *text)
    }
}

/// The hand-written files a crate gets, given what it has.
pub fn for_crate(has: impl Fn(Need) -> bool) -> impl Iterator<Item = &'static Template> {
    HAND_WRITTEN
        .iter()
        .filter(move |t| t.needs.iter().all(|n| has(*n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file under `templates/` that no line declares would silently not ship; a line without its
    /// file would ship an empty one.
    #[test]
    fn every_embedded_file_is_declared_and_every_declared_file_embedded() {
        let embedded: Vec<&str> = EMBEDDED.iter().map(|(p, _)| *p).collect();
        let declared: Vec<&str> = HAND_WRITTEN.iter().map(|t| t.path).collect();
        assert_eq!(embedded, declared);
        assert!(EMBEDDED.iter().all(|(_, text)| !text.is_empty()));
    }

    #[test]
    fn embedded_files_are_the_files_on_disk() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates");
        for t in HAND_WRITTEN {
            let on_disk = std::fs::read_to_string(root.join(t.path)).expect("template exists");
            assert_eq!(t.text(), on_disk, "{}", t.path);
        }
    }

    #[test]
    fn a_crate_gets_only_what_it_has() {
        let paths =
            |has: &dyn Fn(Need) -> bool| -> Vec<&str> { for_crate(has).map(|t| t.path).collect() };
        assert_eq!(paths(&|_| false), ["tests/serde_oracle/main.rs"]);
        let no_handles = paths(&|n| n != Handles);
        assert!(no_handles.contains(&"examples/webhook_receiver/main.rs"));
        assert!(!no_handles.contains(&"examples/ivr/tests.rs"));
        assert_eq!(paths(&|_| true).len(), HAND_WRITTEN.len());
    }
}

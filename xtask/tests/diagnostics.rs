//! Diagnostics through the real command line: a spec with one defect of every class generates in one
//! run that prints every diagnostic (class, place, what was done); `--deny-warnings` makes them errors
//! and writes nothing; overlays fix a defect, warn when stale and fail cleanly when broken.

mod common;

use common::{existing_tree, root, scratch, snapshot, xtask_regenerate};
use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;
use telnyx_codegen::diagnostic::Class;

/// A fixture by its path under `spec/fixtures/`, absolute and without `..`, as messages print it.
fn fixture(path: &str) -> PathBuf {
    std::fs::canonicalize(root().join("spec/fixtures").join(path)).unwrap()
}

/// `regenerate --scope all --spec SPEC --out OUT` with `extra` arguments.
fn run(spec: &Path, out: &Path, extra: &[&OsStr]) -> Output {
    let mut args: Vec<&OsStr> = vec![
        OsStr::new("--scope"),
        OsStr::new("all"),
        OsStr::new("--spec"),
        spec.as_os_str(),
        OsStr::new("--out"),
        out.as_os_str(),
    ];
    args.extend_from_slice(extra);
    xtask_regenerate(args)
}

/// `(severity[class], place)` of every diagnostic printed: its first line and its `-->` line.
fn printed(stderr: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = stderr.lines().collect();
    lines
        .windows(2)
        .filter_map(|w| {
            let head = w[0].split_once("]: ")?.0;
            let place = w[1].trim_start().strip_prefix("--> ")?;
            Some((format!("{head}]"), place.to_owned()))
        })
        .collect()
}

const EVERY_CLASS: &str = "defects/every_class.yaml";

/// What the every-class fixture prints, in order: the class and the place in its document.
fn expected(severity: &str) -> Vec<(String, String)> {
    let spec = fixture(EVERY_CLASS).display().to_string();
    let conference = "#/components/schemas/Conference";
    let conferences = "#/paths/~1accounts~1{accound_sid}~1conferences/get";
    [
        (
            "ref-to-non-schema",
            format!("{spec}{conference}/properties/connection_id/$ref"),
        ),
        (
            "unusable-discriminator",
            format!("{spec}{conference}/properties/language/discriminator"),
        ),
        (
            "required-on-property",
            format!("{spec}{conference}/properties/name/required"),
        ),
        (
            "unreadable-schema",
            format!("{spec}{conference}/properties/size/type"),
        ),
        (
            "required-not-a-property",
            format!("{spec}{conference}/required"),
        ),
        (
            "name-collision",
            format!("{spec}#/components/schemas/phone_number"),
        ),
        ("openapi-3-0", format!("{spec}#/openapi")),
        (
            "placeholder-without-parameter",
            format!("{spec}{conferences}"),
        ),
        (
            "path-parameter-not-in-path",
            format!("{spec}{conferences}/parameters/0"),
        ),
        (
            "unnamed-shared-shape",
            format!("{spec}#/paths/~1faxes/post/responses/200/content/application~1json/schema"),
        ),
        (
            "duplicate-operation-id",
            format!("{spec}#/paths/~1phone_numbers/get/operationId"),
        ),
        (
            "duplicate-parameter",
            format!("{spec}#/paths/~1phone_numbers/get/parameters/1"),
        ),
        (
            "parameter-without-schema",
            format!("{spec}#/paths/~1phone_numbers/get/parameters/2"),
        ),
        (
            "ignored-keyword-value",
            format!("{spec}#/paths/~1phone_numbers/get/parameters/3/explode"),
        ),
        (
            "unreadable-operation",
            format!("{spec}#/paths/~1queues/get/parameters/0"),
        ),
        (
            "simulator-field",
            format!("{spec}#/paths/~1queues/post/requestBody/content/application~1json/schema"),
        ),
        (
            "unreadable-webhook",
            format!(
                "{spec}#/webhooks/callNumber/post/requestBody/content/application~1json/schema"
            ),
        ),
        (
            "unrecognizable-webhook",
            format!("{spec}#/webhooks/callPing"),
        ),
        (
            "event-type-claimed-twice",
            format!("{spec}#/webhooks/streamingStarted"),
        ),
        (
            "stale-overlay-action",
            "spec/fixtures/overlays/stale.yaml#/actions/0/target".to_owned(),
        ),
    ]
    .into_iter()
    .map(|(class, place)| (format!("{severity}[{class}]"), place))
    .collect()
}

fn stale_overlay() -> PathBuf {
    fixture("overlays/stale.yaml")
}

#[test]
fn one_run_prints_a_diagnostic_of_every_class_and_generates() {
    let out = scratch("every-class").join("crate");
    let overlay = stale_overlay();
    let output = run(
        &fixture(EVERY_CLASS),
        &out,
        &[OsStr::new("--overlay"), overlay.as_os_str()],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(printed(&stderr), expected("warning"), "{stderr}");
    let classes: BTreeSet<&str> = Class::ALL.iter().map(|c| c.name()).collect();
    let seen: BTreeSet<String> = printed(&stderr)
        .into_iter()
        .filter_map(|(head, _)| {
            Some(
                head.strip_prefix("warning[")?
                    .trim_end_matches(']')
                    .to_owned(),
            )
        })
        .collect();
    let seen: BTreeSet<&str> = seen.iter().map(String::as_str).collect();
    assert_eq!(seen, classes, "every class has its defect in {EVERY_CLASS}");
    assert!(
        stderr.contains("\n   = ignored the required name `country_coude`\n"),
        "each says what was done: {stderr}"
    );
    assert!(
        stderr.contains("warning: 20 diagnostics: 1 openapi-3-0, 1 required-not-a-property,"),
        "a summary by class: {stderr}"
    );
    // The safe readings made it into the crate.
    let services = std::fs::read_to_string(out.join("src/services/accounts.rs")).unwrap();
    assert!(services.contains("accound_sid: &str"), "{services}");
    let conference = std::fs::read_to_string(out.join("src/types/conference.rs")).unwrap();
    assert!(
        conference.contains("pub name: ::std::string::String,"),
        "`required: true` on the property makes it required: {conference}"
    );
    let params =
        std::fs::read_to_string(out.join("src/types/phone_number_retrieve_params.rs")).unwrap();
    assert!(
        params.contains("pub page: ::std::option::Option<::std::string::String>,"),
        "a parameter without a schema is a string: {params}"
    );
    assert!(
        params.contains("PhoneNumberRetrieveFilterStatus"),
        "the last of a duplicated parameter is read: {params}"
    );
    std::fs::remove_dir_all(out.parent().unwrap()).unwrap();
}

#[test]
fn deny_warnings_makes_them_errors_and_writes_nothing() {
    let out = existing_tree("deny-warnings");
    let before = snapshot(&out);
    let overlay = stale_overlay();
    let output = run(
        &fixture(EVERY_CLASS),
        &out,
        &[
            OsStr::new("--deny-warnings"),
            OsStr::new("--overlay"),
            overlay.as_os_str(),
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(printed(&stderr), expected("error"), "{stderr}");
    assert!(stderr.contains("error: 20 diagnostics:"), "{stderr}");
    assert!(stderr.contains("denied by --deny-warnings"), "{stderr}");
    assert_eq!(snapshot(&out), before, "the output tree changed");
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn an_overlay_fixes_a_defect() {
    let out = scratch("overlay-fix").join("crate");
    let overlay = fixture("overlays/fix_required.yaml");
    let output = run(
        &fixture(EVERY_CLASS),
        &out,
        &[OsStr::new("--overlay"), overlay.as_os_str()],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("required-not-a-property"), "{stderr}");
    assert!(!stderr.contains("stale-overlay-action"), "{stderr}");
    let types = std::fs::read_to_string(out.join("src/types/conference.rs")).unwrap();
    assert!(
        types.contains("pub country_code: ::std::string::String,"),
        "country_code is required now: {types}"
    );
    std::fs::remove_dir_all(out.parent().unwrap()).unwrap();
}

#[test]
fn a_broken_overlay_fails_naming_the_action_and_touches_nothing() {
    let cases = [
        (
            "overlays/broken_jsonpath.yaml",
            "overlay spec/fixtures/overlays/broken_jsonpath.yaml: actions[1]: `target` `$.components.schemas[Conference` is not a JSONPath",
        ),
        (
            "overlays/not_an_overlay.yaml",
            "overlay spec/fixtures/overlays/not_an_overlay.yaml: not an Overlay document: there is no `overlay` field",
        ),
    ];
    for (overlay, message) in cases {
        let out = existing_tree(&overlay.replace('/', "-"));
        let before = snapshot(&out);
        let overlay = fixture(overlay);
        let output = run(
            &fixture(EVERY_CLASS),
            &out,
            &[OsStr::new("--overlay"), overlay.as_os_str()],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "one message: {stderr}");
        assert!(lines[0].starts_with("error: "), "{stderr}");
        assert!(
            lines[0].contains(message),
            "expected `{message}` in {stderr}"
        );
        assert_eq!(snapshot(&out), before, "the output tree changed");
        std::fs::remove_dir_all(&out).unwrap();
    }
}

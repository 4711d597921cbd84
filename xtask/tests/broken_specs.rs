//! Broken specs through the real command line: each one exits 1 with one message naming the file and
//! where in it the problem is, never panics, and leaves the output tree exactly as it was. Specs that
//! are odd but usable generate, with warnings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file under `dir` with its contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn regenerate(spec: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regenerate", "--scope", "all", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .env_remove("TELNYX_OPENAPI_SPEC")
        .output()
        .expect("xtask runs")
}

/// A scratch output tree with some content to protect.
fn existing_tree(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("broken-spec-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), "[package]\nname = \"kept\"\n").unwrap();
    std::fs::write(dir.join("src/lib.rs"), "// kept\n").unwrap();
    dir
}

#[test]
fn every_broken_spec_fails_cleanly_and_touches_nothing() {
    let expected: &[(&str, &str)] = &[
        ("dangling_ref.yaml", "#/components/schemas/Thing/properties/owner/$ref: `$ref` points to nothing"),
        ("discriminator_missing_schema.yaml", "#/components/schemas/Thing/discriminator/mapping/dog: discriminator mapping `dog` points to nothing"),
        ("empty.yaml", "the spec is empty"),
        ("json_syntax.json", "line 3, column 23: JSON syntax error"),
        ("path_parameter_not_in_path.yaml", "#/paths/~1things/get/parameters/0/name: path parameter `thing_id` does not appear in the path"),
        ("ref_cycle.yaml", "#/components/schemas/Alias/$ref: `$ref` cycle with nothing in between"),
        ("required_not_in_properties.yaml", "#/components/schemas/Thing/required: required property `id` is not among the properties"),
        ("swagger_2_0.yaml", "#/swagger: Swagger 2.0 is not supported"),
        ("unknown_type.yaml", "#/components/schemas/Thing/properties/count/type: unknown type `integr`"),
        ("yaml_syntax.yaml", "line 6, column 1: YAML syntax error"),
    ];
    let dir = root().join("spec/fixtures/broken");
    let on_disk = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(
        on_disk,
        expected.len(),
        "every broken fixture has an expectation"
    );
    for (file, message) in expected {
        let spec = dir.join(file);
        let out = existing_tree(file);
        let before = snapshot(&out);
        let output = regenerate(&spec, &out);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{file}: {stderr}");
        assert!(!stderr.contains("panicked"), "{file} panicked: {stderr}");
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "{file}: one message, got:\n{stderr}");
        assert!(lines[0].starts_with("error: "), "{file}: {stderr}");
        assert!(
            lines[0].contains(&spec.display().to_string()),
            "{file}: names the file: {stderr}"
        );
        assert!(
            lines[0].contains(message),
            "{file}: expected `{message}` in {stderr}"
        );
        assert_eq!(snapshot(&out), before, "{file}: the output tree changed");
        std::fs::remove_dir_all(&out).unwrap();
    }
}

#[test]
fn usable_specs_with_oddities_generate_with_warnings() {
    let cases: &[(&str, &[&str])] = &[
        (
            "openapi_3_0.yaml",
            &["#/openapi: OpenAPI 3.0.3: read as 3.0"],
        ),
        (
            "collisions.yaml",
            &[
                "operationId `ListPhoneNumbers` is used 2 times",
                "`country_code` → `CountryCodeSnake`",
                "`phone_number` → `PhoneNumberSnake`",
            ],
        ),
    ];
    for (file, warnings) in cases {
        let spec = root().join("spec/fixtures/accepted").join(file);
        let out = existing_tree(file);
        let output = regenerate(&spec, &out);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{file}: {stderr}");
        for w in *warnings {
            assert!(
                stderr.contains(w),
                "{file}: expected the warning `{w}` in {stderr}"
            );
        }
        let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
        assert!(
            lib.contains("pub mod types;"),
            "{file}: the tree was replaced by the crate"
        );
        std::fs::remove_dir_all(&out).unwrap();
    }
}

//! Broken specs through the real command line: each one that leaves nothing sensible to generate exits 1
//! with one message naming the file and where in it the problem is, never panics, and leaves the output
//! tree exactly as it was. Specs that are odd but usable generate, with warnings (defects of one part
//! are in `diagnostics.rs`).

mod common;

use common::{existing_tree, regenerate, root, scratch, snapshot};

#[test]
fn every_broken_spec_fails_cleanly_and_touches_nothing() {
    let expected: &[(&str, &str)] = &[
        ("empty.yaml", "the spec is empty"),
        ("json_syntax.json", "line 3, column 23: JSON syntax error"),
        (
            "no_paths.yaml",
            "#/paths: the spec has no paths (and no webhooks): nothing to generate",
        ),
        (
            "ref_cycle.yaml",
            "#/components/schemas/Alias/$ref: `$ref` cycle with nothing in between",
        ),
        (
            "swagger_2_0.yaml",
            "#/swagger: Swagger 2.0 is not supported",
        ),
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
            &[
                "warning[openapi-3-0]: OpenAPI 3.0.3: the generator is made for 3.1\n  --> ",
                "#/openapi\n   = read as 3.0\n",
            ],
        ),
        (
            "collisions.yaml",
            &[
                "warning[duplicate-operation-id]: operationId `ListPhoneNumbers` is used 2 times",
                "#/components/schemas/country_code\n   = named it `CountryCodeSnake`",
                "#/components/schemas/phone_number\n   = named it `PhoneNumberSnake`",
            ],
        ),
    ];
    for (file, warnings) in cases {
        let spec = root().join("spec/fixtures/accepted").join(file);
        let out = scratch(file).join("crate");
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
            "{file}: the crate was written"
        );
        std::fs::remove_dir_all(out.parent().unwrap()).unwrap();
    }
}

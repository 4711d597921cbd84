//! The hand-written files of the generated crate (runtime, manifest, README, hand-written tests and
//! examples), embedded from `templates/` at build time.

/// `(path relative to the crate root, contents)`, sorted by path.
pub static TEMPLATES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// Templates that belong to the webhooks part of the crate (copied only when webhooks are generated):
/// the webhook runtime and the fake Telnyx, which delivers them.
pub fn is_webhook_template(path: &str) -> bool {
    path.starts_with("src/webhooks/")
        || path.starts_with("src/testing/")
        || file_name(path).starts_with("webhook")
        || needs_call_handle(path)
}

/// Templates written against the Call Control operations (`Call`, the IVR and call-centre examples and
/// the tests of the fake that drive calls): copied only when the crate has the call handle.
pub fn needs_call_handle(path: &str) -> bool {
    let file = file_name(path);
    [
        "ivr",
        "fake_telnyx",
        "call_handle",
        "simulator",
        "call_center",
    ]
    .iter()
    .any(|prefix| file.starts_with(prefix))
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crate that compiles the templates in place (`templates/check`) builds them with the
    /// generated crate's features and dependencies.
    #[test]
    fn the_templates_crate_has_the_generated_crates_features_and_dependencies() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates");
        let table = |path: &str| -> toml::Table {
            let text = std::fs::read_to_string(root.join(path)).expect("manifest reads");
            text.parse().expect("manifest parses")
        };
        let (generated, check) = (table("Cargo.toml"), table("check/Cargo.toml"));
        for key in ["features", "dependencies"] {
            assert_eq!(generated.get(key), check.get(key), "[{key}]");
        }
        assert!(TEMPLATES
            .iter()
            .all(|(p, _)| *p != "src/lib.rs" && !p.starts_with("check/")));
    }

    #[test]
    fn every_template_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates");
        for required in ["Cargo.toml", "src/serde_support.rs", "src/runtime/mod.rs"] {
            let on_disk = std::fs::read_to_string(root.join(required)).expect("template exists");
            let embedded = TEMPLATES
                .iter()
                .find(|(p, _)| *p == required)
                .map(|(_, c)| *c);
            assert_eq!(embedded, Some(on_disk.as_str()), "{required}");
        }
        let mut sorted: Vec<&str> = TEMPLATES.iter().map(|(p, _)| *p).collect();
        sorted.sort();
        assert_eq!(
            sorted,
            TEMPLATES.iter().map(|(p, _)| *p).collect::<Vec<_>>()
        );
    }
}

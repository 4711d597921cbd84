//! The generated crate's `Cargo.toml`, declared here as data and rendered as text (with the comments
//! a reader of the manifest needs): package, features, dependencies on the runtime and the test kit
//! (the exact version this generator belongs to), the benches the crate has, and what a published
//! crate carries.

use super::layout::Parts;
use super::paths::{RUNTIME_PACKAGE, TESTKIT_PACKAGE};
use super::{EmitOptions, GENERATED_LINE};
use crate::surface::features::{Features, FULL};
use crate::templates::Template;

/// A feature: its name, what it turns on, and its doc (`##` lines, as the Cargo book suggests).
struct Feature {
    name: &'static str,
    enables: Vec<String>,
    doc: &'static str,
}

/// A dependency, as the text of its table entry (`{ version = "1", features = [...] }`).
struct Dependency {
    name: String,
    spec: String,
    /// A comment line above it.
    why: Option<&'static str>,
}

impl Dependency {
    fn new(name: &str, spec: &str) -> Self {
        Dependency {
            name: name.to_owned(),
            spec: spec.to_owned(),
            why: None,
        }
    }

    fn why(mut self, why: &'static str) -> Self {
        self.why = Some(why);
        self
    }
}

/// The manifest of a crate with `parts`, the hand-written files `templates` and the benches
/// `benches`.
pub fn cargo_toml(
    options: &EmitOptions,
    parts: Parts,
    services: &Features,
    templates: &[&Template],
    benches: &[&str],
) -> String {
    let mut s = format!("# {GENERATED_LINE}\n");
    s.push_str(&package(options));
    s.push('\n');
    s.push_str("[features]\n");
    s.push_str(&service_features(services));
    for f in features(parts) {
        for line in f.doc.lines() {
            s.push_str(&format!("## {line}\n"));
        }
        let enables: Vec<String> = f.enables.iter().map(|e| format!("{e:?}")).collect();
        s.push_str(&format!("{} = [{}]\n", f.name, enables.join(", ")));
    }
    s.push_str("\n[dependencies]\n");
    s.push_str(&table(&dependencies(options, parts)));
    s.push_str("\n[dev-dependencies]\n");
    s.push_str(&table(&dev_dependencies(options, parts)));
    for t in templates {
        if let Some(name) = t.test {
            s.push_str(&format!(
                "\n[[test]]\nname = \"{name}\"\npath = \"{}\"\n",
                t.path
            ));
        }
    }
    for bench in benches {
        s.push_str(&format!(
            "\n[[bench]]\nname = \"{bench}\"\npath = \"benches/{bench}/main.rs\"\nharness = false\n"
        ));
    }
    s.push_str(
        "\n# docs.rs builds the docs with every feature, and marks what each item needs.\n\
         [package.metadata.docs.rs]\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]\n",
    );
    s
}

fn package(options: &EmitOptions) -> String {
    format!(
        "\
[package]
name = \"{name}\"
version = \"{version}\"
edition = \"2021\"
rust-version = \"{rust_version}\"
license = \"MIT\"
description = \"Typed Rust client for Telnyx Call Control, generated from Telnyx's OpenAPI spec.\"
readme = \"README.md\"
keywords = [\"telnyx\", \"voice\", \"telephony\", \"call-control\", \"api\"]
categories = [\"api-bindings\", \"web-programming::http-client\"]
# A published crate carries its sources, README and changelog; its tests, examples and benches
# stay in the repository.
include = [\"/src/**/*.rs\", \"/README.md\", \"/CHANGELOG.md\"]
",
        name = options.crate_name,
        version = options.version,
        rust_version = options.rust_version,
    )
}

/// `default`, `full` and a feature per top-level service, each compiling that service's operations,
/// its handle and the types only it uses.
fn service_features(services: &Features) -> String {
    let quoted = |names: &mut dyn Iterator<Item = &str>| {
        names
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = String::from(
        "## The services compiled unless `default-features = false`; each service is a feature below.\n",
    );
    s.push_str(&format!(
        "default = [{}]\n",
        quoted(&mut services.default.iter().map(String::as_str))
    ));
    s.push_str(&format!(
        "## Every service.\n{FULL} = [{}]\n",
        quoted(&mut services.services.iter().map(|f| f.feature.as_str()))
    ));
    for f in &services.services {
        let plural = if f.operations == 1 { "" } else { "s" };
        s.push_str(&format!(
            "## `client.{}()`: the {} operation{plural} under `/{}`, and the types only they use.\n{} = []\n",
            f.service.trim_start_matches('_'),
            f.operations,
            f.service.trim_start_matches('_'),
            f.feature
        ));
    }
    s
}

fn features(parts: Parts) -> Vec<Feature> {
    let mut features = vec![
        Feature {
            name: "tracing",
            enables: vec![format!("{RUNTIME_PACKAGE}/tracing")],
            doc: "A `tracing` span per request attempt, with OpenTelemetry's HTTP client attributes (`http.request.method`,\n\
                  `url.path`, `server.address`, `http.response.status_code`, `error.type`, ...). Bodies and keys are never logged.",
        },
        Feature {
            name: "deserialize-requests",
            enables: Vec::new(),
            doc: "`Deserialize` also for the types only ever sent (request bodies and what they contain), e.g. to\n\
                  read requests from configuration files. Off by default: the client never needs it.",
        },
    ];
    if parts.webhooks {
        features.push(Feature {
            name: "axum",
            enables: vec![format!("{RUNTIME_PACKAGE}/axum")],
            doc: "`webhooks::Verified`: an axum extractor that verifies and parses a webhook delivery, answering\n\
                  `401` (bad signature or timestamp) or `400` (malformed) itself.",
        });
        features.push(Feature {
            name: "testing",
            enables: vec![
                format!("dep:{TESTKIT_PACKAGE}"),
                "deserialize-requests".into(),
                FULL.into(),
            ],
            doc: "`testing`: a fake Telnyx on a loopback port that checks requests against the spec, records\n\
                  commands, injects faults, simulates calls and sends signed webhooks, to test an application offline\n\
                  (every service: the fake answers them all).",
        });
    }
    features
}

/// `{ version = "=0.2.0", path = "../runtime" }`: the exact version, and the path when the crate is
/// generated beside the runtime's sources.
fn sibling(options: &EmitOptions, dir: &str, extra: &str) -> String {
    let path = options
        .crates_dir
        .as_ref()
        .map(|root| format!(", path = \"{}/{dir}\"", root.trim_end_matches('/')))
        .unwrap_or_default();
    format!("{{ version = \"={}\"{path}{extra} }}", options.version)
}

fn dependencies(options: &EmitOptions, parts: Parts) -> Vec<Dependency> {
    let mut deps = vec![
        Dependency::new("serde", "\"1\""),
        Dependency::new("serde_json", "\"1\""),
        Dependency::new(RUNTIME_PACKAGE, &sibling(options, "runtime", "")),
    ];
    if parts.webhooks {
        deps.push(Dependency::new(
            TESTKIT_PACKAGE,
            &sibling(options, "testkit", ", optional = true"),
        ));
    }
    deps
}

fn dev_dependencies(options: &EmitOptions, parts: Parts) -> Vec<Dependency> {
    // The crate itself, with the features its tests and examples use.
    let (own, why) = if parts.webhooks {
        (
            "{ path = \".\", features = [\"full\", \"deserialize-requests\", \"axum\", \"testing\"] }",
            "Every service for the tests; the operation tests and the request bench read request bodies\n\
             # from JSON samples; the webhook receiver example takes verified deliveries through the axum\n\
             # extractor; the fake Telnyx's tests and the examples' run against it, so `cargo test` runs them.",
        )
    } else {
        (
            "{ path = \".\", features = [\"full\", \"deserialize-requests\"] }",
            "Every service for the tests; the operation tests and the request bench read request bodies\n\
             # from JSON samples.",
        )
    };
    vec![
        Dependency::new(&options.crate_name, own).why(why),
        Dependency::new("serde", "{ version = \"1\", features = [\"derive\"] }")
            .why("The crate writes its own serde impls; derived ones are the oracle its tests hold them against."),
        Dependency::new("axum", "\"0.8\""),
        Dependency::new("base64", "\"0.23\""),
        Dependency::new("criterion", "{ version = \"0.8\", default-features = false }"),
        Dependency::new(
            "ed25519-dalek",
            "{ version = \"3\", default-features = false, features = [\"fast\", \"zeroize\"] }",
        ),
        Dependency::new("futures-util", "\"0.3\"")
            .why("`TryStreamExt` and `StreamExt`, to drain the pages and items of list operations."),
        Dependency::new("http", "\"1\""),
        Dependency::new("proptest", "\"1\""),
        Dependency::new(
            "tokio",
            "{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"test-util\", \"net\"] }",
        ),
        Dependency::new("wiremock", "\"0.6\""),
    ]
}

fn table(deps: &[Dependency]) -> String {
    let mut s = String::new();
    for d in deps {
        if let Some(why) = d.why {
            s.push_str(&format!("# {why}\n"));
        }
        s.push_str(&format!("{} = {}\n", d.name, d.spec));
    }
    s
}

//! The `rust-version` each published crate declares is true: at least the highest `rust-version` of
//! any crate in its resolved dependency graph (every feature on, as `cargo metadata` resolves this
//! workspace's lock), so a user on the declared toolchain does not meet a build failure deep in a
//! dependency.

mod common;

use common::root;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// A `rust-version` as numbers (`1.85` is `[1, 85, 0]`).
fn version(text: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = text.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    parts.resize(3, 0);
    parts
}

#[test]
fn each_published_crate_declares_a_rust_version_its_dependencies_build_with() {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--all-features",
            "--offline",
        ])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("metadata is JSON");
    let packages: BTreeMap<&str, &Value> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| (p["id"].as_str().unwrap_or_default(), p))
        .collect();
    // Normal (not dev, not build) dependencies of each resolved package.
    let mut deps: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for node in metadata["resolve"]["nodes"].as_array().expect("resolve") {
        let id = node["id"].as_str().unwrap_or_default();
        let normal = node["deps"].as_array().into_iter().flatten().filter(|d| {
            d["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].is_null())
        });
        deps.insert(id, normal.filter_map(|d| d["pkg"].as_str()).collect());
    }
    for name in [
        "telnyx-call-control",
        "telnyx-call-control-runtime",
        "telnyx-call-control-testkit",
    ] {
        let (&id, package) = packages
            .iter()
            .find(|(_, p)| p["name"] == name)
            .unwrap_or_else(|| panic!("{name} is a member of the workspace"));
        let declared = package["rust_version"]
            .as_str()
            .unwrap_or_else(|| panic!("{name} declares no rust-version"));
        let mut seen = BTreeSet::new();
        let mut stack = vec![id];
        let mut highest: Option<(Vec<u64>, String)> = None;
        while let Some(at) = stack.pop() {
            if !seen.insert(at) {
                continue;
            }
            if let Some(needs) = packages[at]["rust_version"].as_str() {
                let v = version(needs);
                if highest.as_ref().is_none_or(|(h, _)| v > *h) {
                    let who = format!(
                        "{} {} needs {needs}",
                        packages[at]["name"], packages[at]["version"]
                    );
                    highest = Some((v, who));
                }
            }
            stack.extend(deps.get(at).into_iter().flatten().copied());
        }
        if let Some((needed, who)) = highest {
            assert!(
                version(declared) >= needed,
                "{name} declares rust-version {declared}, but {who}"
            );
        }
    }
}

//! `update-spec` on temporary copies of the tree (`spec/`, `Cargo.toml`, `generated/`), never on the
//! checkout itself: with the small specs of `spec/fixtures/diff/` always, and with the real June and
//! July specs when `$TELNYX_OPENAPI_SPEC_OLD` and `$TELNYX_OPENAPI_SPEC` name them. The build check
//! runs the real `cargo check` in one test (a crate that builds, then the same crate broken); the
//! others stand in for it with a crate that builds.

use super::*;
use std::collections::BTreeMap;
use telnyx_codegen::diff::{Bump, Level};
use tempfile::TempDir;

const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

fn repo() -> PathBuf {
    crate::root()
}

fn fixture(name: &str) -> PathBuf {
    repo().join("spec/fixtures/diff").join(name)
}

fn offline() -> Sources<'static> {
    Sources {
        download: &|url| bail!("no network here: {url}"),
        pinned_candidates: Vec::new(),
        crates: repo(),
        cargo: &|_| Ok(None),
    }
}

fn args(commit: &str, file: Option<&Path>, scope: &str) -> UpdateSpecArgs {
    UpdateSpecArgs {
        commit: commit.to_owned(),
        file: file.map(Path::to_path_buf),
        sha256: None,
        scope: scope.to_owned(),
        keep_version: false,
        report: None,
        deny_warnings: false,
        overlays: Default::default(),
    }
}

/// A tree pinned to `spec` at `commit`, with the spec in the cache and `generated/` made from it, as
/// `regenerate` would.
fn tree_at(spec: &Path, commit: &str, scope: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::copy(repo().join("Cargo.toml"), root.join("Cargo.toml")).unwrap();
    std::fs::copy(repo().join("spec/scope.toml"), root.join("spec/scope.toml")).unwrap();
    let bytes = std::fs::read(spec).unwrap();
    std::fs::write(root.join("spec/openapi.yml"), &bytes).unwrap();
    let real = std::fs::read_to_string(repo().join("spec/source.toml")).unwrap();
    let real_pin: Pin = toml::from_str(&real).unwrap();
    let pin = Pin {
        url: pin_file::url_at(&real_pin, commit).unwrap(),
        commit: commit.to_owned(),
        sha256: pin::sha256_hex(&bytes),
        ..real_pin
    };
    std::fs::write(
        root.join("spec/source.toml"),
        pin_file::rewrite(&real, &pin).unwrap(),
    )
    .unwrap();
    let version = version_of(root, "Cargo.toml");
    let scope = scope::load(scope, root).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    tree::write(
        &root.join("generated"),
        &crate_files(&text, &crate_config(&scope, &[], &version, None)).unwrap(),
    )
    .unwrap();
    dir
}

/// Every file of `spec/` and `generated/`, and the workspace manifest (the parts of the tree the
/// command may touch).
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for part in ["spec", "generated"] {
        for (rel, text) in tree::read_tree(&root.join(part)).unwrap() {
            out.insert(format!("{part}/{rel}"), text);
        }
    }
    out.insert(
        "Cargo.toml".into(),
        std::fs::read(root.join("Cargo.toml")).unwrap(),
    );
    out
}

/// The release version in `manifest`: the workspace's (`Cargo.toml`) or a package's.
fn version_of(root: &Path, manifest: &str) -> String {
    let text = std::fs::read_to_string(root.join(manifest)).unwrap();
    let table = if manifest == "Cargo.toml" {
        manifest_version::WORKSPACE
    } else {
        manifest_version::PACKAGE
    };
    manifest_version::read_in(&text, table).unwrap()
}

#[test]
fn an_update_moves_the_pin_regenerates_bumps_and_writes_the_report() {
    let old = fixture("operations.old.yaml");
    let new = fixture("operations.new.yaml");
    let dir = tree_at(&old, A, "all");
    let root = dir.path();
    let before = version_of(root, "Cargo.toml");

    let outcome = update(root, &args(B, Some(&new), "all"), &offline()).unwrap();

    assert_eq!(outcome.report.level(), Level::Breaking);
    let (bump, next) = diff::next_version(&before, Level::Breaking).unwrap();
    assert_eq!(bump, Bump::Minor);
    assert_eq!(
        (outcome.version.from.as_str(), outcome.version.to.as_str()),
        (before.as_str(), next.as_str())
    );
    assert_eq!(version_of(root, "Cargo.toml"), next);
    assert_eq!(version_of(root, "generated/Cargo.toml"), next);

    let pin = Pin::read(&root.join("spec/source.toml")).unwrap();
    let new_bytes = std::fs::read(&new).unwrap();
    assert_eq!(pin.commit, B);
    assert!(pin.url.contains(B) && !pin.url.contains(A), "{}", pin.url);
    assert_eq!(pin.sha256, pin::sha256_hex(&new_bytes));
    assert_eq!(
        std::fs::read(root.join("spec/openapi.yml")).unwrap(),
        new_bytes
    );

    let scope = scope::load("all", root).unwrap();
    let config = crate_config(&scope, &[], &next, None);
    let expected = crate_files(&String::from_utf8(new_bytes).unwrap(), &config).unwrap();
    let stale = tree::check(&root.join("generated"), &expected).unwrap();
    assert!(stale.is_empty(), "{stale:?}");

    let markdown = std::fs::read_to_string(&outcome.report_file).unwrap();
    assert!(outcome
        .report_file
        .starts_with(root.join("target/api-changes")));
    assert!(
        markdown.starts_with(
            "## API changes: team-telnyx/openapi@aaaaaaaaaaaa → team-telnyx/openapi@bbbbbbbbbbbb"
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains(&format!("minor ({before} → {next})")),
        "{markdown}"
    );
    assert!(
        markdown.contains("`things().delete()`: removed"),
        "{markdown}"
    );
}

#[test]
fn there_and_back_keeping_the_version_leaves_the_tree_byte_identical() {
    let old = fixture("webhooks.old.yaml");
    let dir = tree_at(&old, A, "all");
    let root = dir.path();
    let start = snapshot(root);
    let keep = |commit: &str, file: &Path| UpdateSpecArgs {
        keep_version: true,
        ..args(commit, Some(file), "all")
    };
    update(root, &keep(B, &fixture("webhooks.new.yaml")), &offline()).unwrap();
    assert_ne!(snapshot(root), start);
    update(root, &keep(A, &old), &offline()).unwrap();
    assert_eq!(snapshot(root), start);
}

/// The tree must be exactly as it was after each of these failures.
#[test]
fn failures_before_writing_leave_the_pin_and_the_crate_untouched() {
    let new = fixture("operations.new.yaml");
    let dir = tree_at(&fixture("operations.old.yaml"), A, "all");
    let root = dir.path();
    let start = snapshot(root);

    let download = update(root, &args(B, None, "all"), &offline()).unwrap_err();
    assert!(
        format!("{download:#}").contains("no network here"),
        "{download:#}"
    );
    assert_eq!(snapshot(root), start);

    let wrong_hash = UpdateSpecArgs {
        sha256: Some("0".repeat(64)),
        ..args(B, Some(&new), "all")
    };
    let mismatch = update(root, &wrong_hash, &offline()).unwrap_err();
    assert!(
        format!("{mismatch:#}").contains("expected sha256 0000"),
        "{mismatch:#}"
    );
    assert_eq!(snapshot(root), start);

    let broken = root.join("broken.yaml");
    std::fs::write(&broken, "openapi: 3.1.0\npaths: [").unwrap();
    assert!(update(root, &args(B, Some(&broken), "all"), &offline()).is_err());
    assert_eq!(snapshot(root), start);

    assert!(update(root, &args("4f3a6bd", Some(&new), "all"), &offline()).is_err());
    assert_eq!(snapshot(root), start);

    let denied = UpdateSpecArgs {
        deny_warnings: true,
        ..args(B, Some(&fixture("diagnostics.new.yaml")), "all")
    };
    let refused = update(root, &denied, &offline()).unwrap_err();
    assert!(
        format!("{refused:#}").contains("denied by --deny-warnings"),
        "{refused:#}"
    );
    assert_eq!(snapshot(root), start);

    // Without the currently pinned spec there is nothing to compare with.
    std::fs::remove_file(root.join("spec/openapi.yml")).unwrap();
    let start = snapshot(root);
    let missing = update(root, &args(B, Some(&new), "all"), &offline()).unwrap_err();
    assert!(
        format!("{missing:#}").contains("currently pinned spec"),
        "{missing:#}"
    );
    assert_eq!(snapshot(root), start);
}

/// The generator's bug of 2026-01 as it reached users, made again: the nested-unions construct's
/// crate without the `WriteFields` of an untagged union that a tagged one writes beside its tag.
fn without_write_fields_of_bank_account(workspace: &Path) {
    let file = workspace.join("crate/src/types/bank_account.rs");
    let text = std::fs::read_to_string(&file).unwrap();
    // The impl's header, on one line or broken before `for`.
    let header = [
        "WriteFields for BankAccount {",
        "WriteFields\nfor BankAccount {",
    ]
    .iter()
    .find_map(|h| text.find(h))
    .expect("BankAccount writes its fields beside Payment's tag");
    let start = text[..header].rfind("\nimpl").unwrap() + 1;
    let end = start + text[start..].find("\n}\n").unwrap() + 3;
    std::fs::write(&file, format!("{}{}", &text[..start], &text[end..])).unwrap();
}

/// A crate that builds passes the real `cargo check`; the same crate broken is refused with the
/// compiler's first error and the spec's place of the type it names, and nothing is written.
#[test]
fn a_crate_that_does_not_build_is_refused_before_anything_is_written() {
    let new = repo().join("spec/fixtures/constructs/nested_unions.yaml");
    let dir = tree_at(&fixture("operations.old.yaml"), A, "all");
    let root = dir.path();
    let start = snapshot(root);
    let target = compile_check::target_dir(&repo());
    let broken = |workspace: &Path| {
        without_write_fields_of_bank_account(workspace);
        compile_check::cargo_check(workspace, &target)
    };
    let sources = Sources {
        cargo: &broken,
        ..offline()
    };
    let refused = update(root, &args(B, Some(&new), "all"), &sources).unwrap_err();
    let message = format!("{refused:#}");
    assert!(
        message.contains("refusing the spec at bbbbbbbbbbbb: nothing was written"),
        "{message}"
    );
    assert!(
        message.contains(
            "BankAccount: telnyx_call_control_runtime::__private::WriteFields` is not satisfied"
        ),
        "{message}"
    );
    // The type the error names, then the one whose code it is in.
    assert!(
        message.ends_with("types involved, by their place in the spec:\n  BankAccount: #/components/schemas/BankAccount\n  Payment: #/components/schemas/Payment"),
        "{message}"
    );
    assert_eq!(snapshot(root), start);

    let real = |workspace: &Path| compile_check::cargo_check(workspace, &target);
    let sources = Sources {
        cargo: &real,
        ..offline()
    };
    update(root, &args(B, Some(&new), "all"), &sources).unwrap();
    assert_ne!(snapshot(root), start);
}

#[test]
fn the_report_lists_the_new_specs_diagnostics_and_the_project_overlay_applies() {
    let dir = tree_at(&fixture("diagnostics.old.yaml"), A, "all");
    let root = dir.path();
    let new = fixture("diagnostics.new.yaml");
    let outcome = update(root, &args(B, Some(&new), "all"), &offline()).unwrap();
    let d = &outcome.report.diagnostics;
    assert_eq!((d.new.len(), d.gone.len()), (1, 1), "{d:?}");
    assert!(
        outcome
            .text
            .contains("spec diagnostics: 1 new, 1 gone, 0 unchanged"),
        "{}",
        outcome.text
    );

    // The project's overlay fixes the new typo: back to the old spec and forward again with it.
    let dir = tree_at(&fixture("diagnostics.old.yaml"), A, "all");
    let root = dir.path();
    std::fs::write(
        root.join(crate::overlays::PROJECT_OVERLAY),
        "overlay: 1.1.0\ninfo: {title: fix, version: '1'}\nactions:\n  - target: $.components.schemas.Thing.properties.size.type\n    update: integer\n",
    )
    .unwrap();
    let outcome = update(root, &args(B, Some(&new), "all"), &offline()).unwrap();
    let d = &outcome.report.diagnostics;
    assert!(d.new.is_empty(), "{d:?}");
    assert_eq!(d.gone.len(), 1, "the old spec's typo is still gone: {d:?}");
}

#[test]
fn a_matching_sha256_is_accepted_and_the_pinned_spec_may_come_from_a_candidate_file() {
    let old = fixture("fields.old.yaml");
    let new = fixture("fields.new.yaml");
    let dir = tree_at(&old, A, "all");
    let root = dir.path();
    std::fs::remove_file(root.join("spec/openapi.yml")).unwrap();
    let sources = Sources {
        pinned_candidates: vec![fixture("docs.old.yaml"), old.clone()],
        ..offline()
    };
    let with_hash = UpdateSpecArgs {
        sha256: Some(pin::sha256_hex(&std::fs::read(&new).unwrap()).to_uppercase()),
        ..args(B, Some(&new), "all")
    };
    let outcome = update(root, &with_hash, &sources).unwrap();
    assert_eq!(outcome.new.commit, B);
    assert!(outcome.report.breaking() > 0);
}

/// The June spec (`$TELNYX_OPENAPI_SPEC_OLD`, else the vendor's 2026-06-16 one) and July's, the pinned
/// one, as files (the tree is pinned to them by path).
fn real_specs(dir: &Path) -> (PathBuf, PathBuf) {
    let june = dir.join("june.yml");
    std::fs::write(&june, telnyx_codegen::test_support::old_spec_text()).unwrap();
    (june, telnyx_codegen::test_support::pinned_spec_path())
}

/// A stand-in for the June commit (the files carry no commit id); the pin records what it is given.
const JUNE: &str = "0000000000000000000000000000000000000616";

#[test]
fn real_specs_to_june_and_back_keeping_the_version_is_byte_identical() {
    let specs = tempfile::tempdir().unwrap();
    let (june, july) = real_specs(specs.path());
    let july_pin = Pin::read(&repo().join("spec/source.toml")).unwrap();
    let dir = tree_at(&july, &july_pin.commit, "calls");
    let root = dir.path();
    let start = snapshot(root);
    let keep = |commit: &str, file: &Path| UpdateSpecArgs {
        keep_version: true,
        ..args(commit, Some(file), "calls")
    };
    let there = update(root, &keep(JUNE, &june), &offline()).unwrap();
    assert_eq!(there.report.level(), Level::Breaking);
    assert_ne!(snapshot(root), start);
    let back = UpdateSpecArgs {
        sha256: Some(july_pin.sha256.clone()),
        ..keep(&july_pin.commit, &july)
    };
    update(root, &back, &offline()).unwrap();
    assert_eq!(snapshot(root), start);
}

#[test]
fn real_specs_to_june_and_back_with_bumps_changes_only_the_version_lines() {
    let specs = tempfile::tempdir().unwrap();
    let (june, july) = real_specs(specs.path());
    let july_pin = Pin::read(&repo().join("spec/source.toml")).unwrap();
    let dir = tree_at(&july, &july_pin.commit, "calls");
    let root = dir.path();
    let start = snapshot(root);
    let first = version_of(root, "Cargo.toml");
    let there = update(root, &args(JUNE, Some(&june), "calls"), &offline()).unwrap();
    let back = update(
        root,
        &args(&july_pin.commit, Some(&july), "calls"),
        &offline(),
    )
    .unwrap();
    // July → June drops Parakeet again (breaking); June → July only adds (names hold still).
    assert_eq!(
        (there.version.bump, back.version.bump),
        (Bump::Minor, Bump::Patch)
    );
    let last = back.version.to;
    assert_ne!(last, first);
    let mut expected = start;
    let bytes = expected.get_mut("Cargo.toml").unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let text = manifest_version::replace_in(&text, manifest_version::WORKSPACE, &last).unwrap();
    let text = [
        telnyx_codegen::emit::RUNTIME_PACKAGE,
        telnyx_codegen::emit::CONTRACT_PACKAGE,
    ]
    .into_iter()
    .fold(text, |text, package| {
        manifest_version::replace_exact_requirement(&text, package, &last).unwrap()
    });
    *bytes = text.into_bytes();
    // The generated manifest names the version as its own and as the runtime's and test kit's.
    let bytes = expected.get_mut("generated/Cargo.toml").unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    *bytes = text
        .replace(&format!("\"{first}\""), &format!("\"{last}\""))
        .replace(&format!("\"={first}\""), &format!("\"={last}\""))
        .into_bytes();
    assert_eq!(snapshot(root), expected);
}

#[test]
fn an_update_records_itself_in_the_changelog_the_crate_carries() {
    let old = fixture("operations.old.yaml");
    let new = fixture("operations.new.yaml");
    let dir = tree_at(&old, A, "all");
    let root = dir.path();
    std::fs::write(
        root.join("CHANGELOG.md"),
        "# Changelog\n\n## [Unreleased]\n\n## [0.1.0]\n",
    )
    .unwrap();
    let outcome = update(root, &args(B, Some(&new), "all"), &offline()).unwrap();
    let changelog = std::fs::read_to_string(root.join("CHANGELOG.md")).unwrap();
    let heading = format!("## [Unreleased]\n\n## [{}] - ", outcome.version.to);
    assert!(changelog.contains(&heading), "{changelog}");
    assert!(
        changelog.contains("### Spec update\n\n- the spec at team-telnyx/openapi@bbbbbbbbbbbb:"),
        "{changelog}"
    );
    assert!(changelog.contains("`things().delete()`"), "{changelog}");
    let carried = std::fs::read_to_string(root.join("generated/CHANGELOG.md")).unwrap();
    assert!(carried.ends_with(&changelog), "{carried}");
}

//! `regenerate --cargo-check` builds the crate (`cargo check` in a scratch workspace) before it
//! writes it. A crate that does not build is refused by the same check in `update-spec`'s tests.

mod common;

use common::{root, scratch, xtask_regenerate};
use std::ffi::OsStr;

#[test]
fn regenerate_builds_the_crate_before_writing_it() {
    let out = scratch("cargo-check").join("crate");
    let spec = root().join("spec/fixtures/constructs/nested_unions.yaml");
    let output = xtask_regenerate([
        OsStr::new("--scope"),
        OsStr::new("all"),
        OsStr::new("--spec"),
        spec.as_os_str(),
        OsStr::new("--out"),
        out.as_os_str(),
        OsStr::new("--cargo-check"),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("cargo check: the crate builds"), "{stdout}");
    assert!(out.join("src/types/payment.rs").is_file());
    assert!(root()
        .join("target/compile-check/regenerate/crate/src/types/payment.rs")
        .is_file());
    std::fs::remove_dir_all(out.parent().unwrap()).unwrap();
}

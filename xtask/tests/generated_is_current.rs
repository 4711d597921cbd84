//! `generated/` is what the generator makes from the pinned spec, checked by `cargo test` as well as by
//! CI. It needs the pinned spec (`$TELNYX_OPENAPI_SPEC`, or the cache `regenerate` fills) and fails,
//! saying so, without it.

mod common;

use common::root;
use std::process::Command;

#[test]
fn generated_is_what_the_generator_makes_from_the_pinned_spec() {
    let spec = telnyx_codegen::test_support::pinned_spec_path();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regenerate", "--check"])
        .env("TELNYX_OPENAPI_SPEC", spec)
        .current_dir(root())
        .output()
        .expect("xtask runs");
    assert!(
        output.status.success(),
        "generated/ is stale; run `cargo xtask regenerate` and commit the result:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

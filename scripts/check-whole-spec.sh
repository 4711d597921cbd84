#!/usr/bin/env bash
# Generates the crate for every operation of a spec (default: the pinned one) into a scratch workspace
# and checks it: `cargo clippy --all-targets -D warnings`, its generated operation tests, then its
# conformance tests against Prism (scripts/conformance.sh).
#
# Usage: scripts/check-whole-spec.sh [SPEC] [OUT]     (OUT defaults to target/whole-spec)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
spec="${1:-}"
out="${2:-$root/target/whole-spec}"

mkdir -p "$out"
# Absolute paths: the steps below run in the crate's directory.
out="$(cd "$out" && pwd)"
crate="$out/crate"
if [[ -n "$spec" ]]; then
    spec="$(cd "$(dirname "$spec")" && pwd)/$(basename "$spec")"
fi
(
    cd "$root"
    if [[ -n "$spec" ]]; then
        cargo xtask regenerate --scope all --out "$crate" --spec "$spec"
    else
        cargo xtask regenerate --scope all --out "$crate"
    fi
)
# Its own workspace around it (it is not a member of this one; the crate directory holds only what the
# generator wrote, so the next regeneration may replace it), with this project's lock.
printf '[workspace]\nresolver = "2"\nmembers = ["crate"]\n' > "$out/Cargo.toml"
cp "$root/Cargo.lock" "$out/Cargo.lock"

cd "$out"
# One target dir for every standalone crate (these and the generator's fixture crates): the
# dependencies are built once.
export CARGO_TARGET_DIR="$root/target/standalone-crates"
# Without debug info (a check, nothing to debug), as the generator's fixture test builds.
export CARGO_PROFILE_DEV_DEBUG=false
start=$(date +%s)
cargo clippy --all-targets -- -D warnings
echo "whole-spec crate: clippy --all-targets in $(( $(date +%s) - start )) s"
start=$(date +%s)
cargo test --test operations
echo "whole-spec crate: operation tests in $(( $(date +%s) - start )) s"
# Same crate, same target dir: only the conformance test target is left to build.
"$root/scripts/conformance.sh" ${spec:+--spec "$spec"} --crate "$crate" --out "$out/conformance"
# The crate's own artifacts are the bulk of the disk it used (the dependencies are shared): drop them.
cargo clean --quiet -p telnyx-call-control

#!/usr/bin/env bash
# The vendor's older specs (`history/` beside the pinned spec): the whole-API crate of each, and the call
# scope of the 2025 one, generate (their diagnostics listed) and pass `cargo check --features full`, each in a scratch
# workspace of its own. Skipped, with a message, when the directory is not there.
#
# Usage: scripts/check-history-specs.sh [HISTORY_DIR] [OUT]     (OUT defaults to target/history-specs)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
history="${1:-$(dirname "${TELNYX_OPENAPI_SPEC:-$root/../shared/telnyx-openapi/spec3.yml}")/history}"
out="${2:-$root/target/history-specs}"
if [[ ! -d "$history" ]]; then
    echo "$history not found: skipped"
    exit 0
fi
history="$(cd "$history" && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# check NAME SPEC SCOPE
check() {
    local dir="$out/$1"
    (cd "$root" && cargo xtask regenerate --spec "$history/$2" --scope "$3" --out "$dir/crate")
    printf '[workspace]\nresolver = "2"\nmembers = ["crate"]\n' > "$dir/Cargo.toml"
    cp "$root/Cargo.lock" "$dir/Cargo.lock"
    local start
    start=$(date +%s)
    # The dependencies are those of every standalone crate (scripts/check-whole-spec.sh): built once.
    (
        cd "$dir"
        export CARGO_TARGET_DIR="$root/target/standalone-crates" CARGO_PROFILE_DEV_DEBUG=false
        # Every service: the whole-API crate's default build has none.
        cargo check --quiet --features full
        echo "$1: cargo check in $(( $(date +%s) - start )) s"
        # The crate's own artifacts are most of the disk it took: drop them.
        cargo clean --quiet -p telnyx-call-control
    )
}

check 2021-09-28-all spec3-2021-09-28.yml all
check 2023-12-11-all spec3-2023-12-11.yml all
check 2025-09-30-all spec3-2025-09-30.yml all
check 2025-09-30-calls spec3-2025-09-30.yml calls

#!/usr/bin/env bash
# Every spec the vendor published that we keep (`*.yml` beside the pinned spec, and `history/`): the
# whole-API crate of each, and its call-scope crate where the call scope applies (the spec has the
# operations and webhooks spec/scope.toml names), generate (their diagnostics listed) and pass
# `cargo check` with every service (`--features full`); the call crates also pass their operation
# tests.
#
# Two crates are checked at a time, one per core, in one scratch workspace (each under a name of its
# own, so that two fit in it); the dependencies are those of every standalone crate (built once), and
# each pair's own artifacts are dropped after it.
#
# SKIP lists `file:scope` entries other steps of CI build already (`spec3.yml:all spec3.yml:calls`).
# Usage: scripts/check-every-spec.sh [SPECS_DIR] [OUT]     (OUT defaults to target/every-spec)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
specs="${1:-$(dirname "${TELNYX_OPENAPI_SPEC:-$root/../shared/telnyx-openapi/spec3.yml}")}"
out="${2:-$root/target/every-spec}"
if [[ ! -d "$specs" ]]; then
    echo "error: $specs not found: the vendor's specs are needed (CI has them in ../shared/telnyx-openapi)" >&2
    exit 1
fi
specs="$(cd "$specs" && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
skip=" ${SKIP:-} "

# The crates to check, as `label spec scope`, the whole-API ones first so that pairs are alike in size.
entries=()
for scope in all calls; do
    for spec in "$specs"/*.yml "$specs"/history/*.yml; do
        [[ -f "$spec" ]] || continue
        file="${spec#"$specs"/}"
        if [[ "$skip" == *" $file:$scope "* ]]; then
            echo "$file ($scope): built by another step"
            continue
        fi
        label="$(basename "$spec" .yml)"
        label="${label#spec3-}"
        [[ "$label" == spec3 ]] && label=pinned
        [[ "$file" == history/* ]] && label="history-$label"
        entries+=("$label-$scope $spec $scope")
    done
done

# generate LABEL SPEC SCOPE: writes $out/LABEL; fails unless it generates, or the call scope does
# not apply to the spec (an older API without some of the calls).
generate() {
    local log
    log="$(mktemp)"
    if (cd "$root" && cargo xtask regenerate --spec "$2" --scope "$3" --out "$out/$1" \
        --crate-name "telnyx-call-control-$1") 2> "$log"; then
        cat "$log" >&2
        rm -f "$log"
        return 0
    fi
    if [[ "$3" == calls ]] && grep -qE 'selects no (operation|webhook) of the spec' "$log"; then
        echo "$1: the call scope does not apply: $(grep -oE 'scope pattern .* selects no (operation|webhook) of the spec' "$log" | head -1)"
        rm -f "$log"
        return 2
    fi
    cat "$log" >&2
    rm -f "$log"
    return 1
}

# check LABEL...: one `cargo check` of the crates LABEL... in one workspace.
check() {
    local members=() label start
    for label in "$@"; do
        members+=("\"$label\"")
    done
    printf '[workspace]\nresolver = "2"\nmembers = [%s]\n' "$(IFS=,; echo "${members[*]}")" > "$out/Cargo.toml"
    cp "$root/Cargo.lock" "$out/Cargo.lock"
    start=$(date +%s)
    (
        cd "$out"
        export CARGO_TARGET_DIR="$root/target/standalone-crates" CARGO_PROFILE_DEV_DEBUG=false
        # Every service: a crate compiles only its default ones without.
        cargo check --quiet --workspace --features full
        echo "$*: cargo check in $(( $(date +%s) - start )) s"
        # A call crate is small: its operation tests run too (every request built, sent to a mock,
        # its answer read).
        for label in "$@"; do
            if [[ "$label" == *-calls ]]; then
                start=$(date +%s)
                cargo test --quiet -p "telnyx-call-control-$label" --test operations
                echo "$label: operation tests in $(( $(date +%s) - start )) s"
            fi
        done
        # The crates' own artifacts are most of the disk they took: drop them.
        for label in "$@"; do
            cargo clean --quiet -p "telnyx-call-control-$label"
        done
    )
}

pending=()
for entry in "${entries[@]}"; do
    read -r label spec scope <<< "$entry"
    status=0
    generate "$label" "$spec" "$scope" || status=$?
    case $status in
        0) pending+=("$label") ;;
        2) ;;
        *) exit 1 ;;
    esac
    if (( ${#pending[@]} == 2 )); then
        check "${pending[@]}"
        rm -rf "${pending[@]/#/$out/}"
        pending=()
    fi
done
if (( ${#pending[@]} > 0 )); then
    check "${pending[@]}"
    rm -rf "${pending[@]/#/$out/}"
fi

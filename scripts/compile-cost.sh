#!/usr/bin/env bash
# What a user pays to compile the generated crate, with its dependencies already built, incremental as
# cargo compiles any path dependency:
# - check: crate-only `cargo check --lib` after touching its src/lib.rs (every save in an editor);
# - build: a clean crate-only `cargo build --lib` (the crate's own artifacts removed with
#   `cargo clean -p`), what a first build and a CI run without a cache of the crate pay.
# Measured for the Call Control crate (its default features: the calls) and for a crate of the whole
# spec with every service (`--features full`; its default build has none), each generated into a scratch
# workspace with its own target directory (so other builds never hold its lock), with /usr/bin/time.
#
# Usage: scripts/compile-cost.sh [RUNS] [--optimized-macros] [--check-only]
#   RUNS defaults to 5; the spec is found as for `cargo xtask regenerate`. With --optimized-macros the
#   scratch workspace compiles proc macros optimized (`[profile.dev.build-override] opt-level = 3`, what
#   the generated crate's README suggests), so serde_derive expands faster; it has its own target
#   directory. --check-only leaves out the clean builds.
# Prints, per crate and measure, the median wall time in seconds and every run:
#   calls: 2.41  (runs: 2.38 2.41 2.45 2.50 2.39)
#   calls build: 14.10  (runs: 14.02 14.10 14.31 13.98 14.20)
#   all: n/a (error: <why the whole spec did not generate or check>)
set -euo pipefail

runs=5
optimized_macros=false
builds=true
for arg in "$@"; do
    case "$arg" in
        --optimized-macros) optimized_macros=true ;;
        --check-only) builds=false ;;
        *) runs="$arg" ;;
    esac
done
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/compile-cost"
$optimized_macros && work="$root/target/compile-cost-optimized-macros"
# Path dependencies build incrementally in the dev profile; a CI setting of 0 must not leak in.
export CARGO_INCREMENTAL=1
unset RUSTFLAGS

if [[ ! -x /usr/bin/time ]]; then
    echo "compile-cost: /usr/bin/time is required (Debian: apt-get install time)" >&2
    exit 1
fi

mkdir -p "$work"

# name scope crate-name: generates into $work/<name>; prints why on failure.
generate() {
    local log="$work/$1.generate.log"
    if (cd "$root" && cargo xtask regenerate --scope "$2" --out "$work/$1" --crate-name "$3") >"$log" 2>&1; then
        return 0
    fi
    grep -m1 '^error' "$log" || tail -n1 "$log"
    return 1
}

median() {
    tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ a[NR] = $1 } END { m = int((NR + 1) / 2); print (NR % 2) ? a[m] : (a[m] + a[m + 1]) / 2 }'
}

declare -A package=([calls]=telnyx-call-control [all]=telnyx-call-control-all)
declare -A scope=([calls]=calls [all]=all)
# The features each is built with: the call crate's defaults; every service of the whole API.
declare -A features=([calls]="" [all]="--features full")
declare -A failure=()
members=()
for name in calls all; do
    if why="$(generate "$name" "${scope[$name]}" "${package[$name]}")"; then
        members+=("\"$name\"")
    else
        failure[$name]="$why"
    fi
done

# A workspace of its own, pinned to the project's lock file (so it resolves offline).
{
    echo '[workspace]'
    echo 'resolver = "2"'
    echo "members = [$(IFS=,; echo "${members[*]}")]"
    if $optimized_macros; then
        printf '\n[profile.dev.build-override]\nopt-level = 3\n'
    fi
} >"$work/Cargo.toml"
cp "$root/Cargo.lock" "$work/Cargo.lock"

# cargo COMMAND PACKAGE in the scratch workspace, quietly.
scratch_cargo() {
    # shellcheck disable=SC2086 # the features are words
    (cd "$work" && CARGO_TARGET_DIR="$work/target" cargo "$1" --offline --quiet --lib -p "$2" ${features[$3]})
}

# Wall seconds of `cargo COMMAND --lib -p PACKAGE` with the features of NAME.
timed() {
    /usr/bin/time -f '%e' -o "$work/time.txt" bash -c "cd '$work' && CARGO_TARGET_DIR='$work/target' cargo $1 --offline --quiet --lib -p '$2' ${features[$3]}" >&2
    tail -n1 "$work/time.txt"
}

for name in calls all; do
    [[ -n "${failure[$name]:-}" ]] && continue
    # Dependencies and a first check of the crate (not measured).
    if ! out="$(scratch_cargo check "${package[$name]}" "$name" 2>&1)"; then
        failure[$name]="cargo check failed: $(grep -m1 '^error' <<<"$out" || echo "$out" | tail -n1)"
        continue
    fi
    times=()
    for _ in $(seq "$runs"); do
        touch "$work/$name/src/lib.rs"
        times+=("$(timed check "${package[$name]}" "$name")")
    done
    echo "$name: $(printf '%s ' "${times[@]}" | median)  (runs: ${times[*]})"
done

for name in calls all; do
    $builds || break
    [[ -n "${failure[$name]:-}" ]] && continue
    # Dependencies built for codegen, not only checked (not measured).
    if ! out="$(scratch_cargo build "${package[$name]}" "$name" 2>&1)"; then
        echo "$name build: n/a (error: cargo build failed: $(grep -m1 '^error' <<<"$out" || echo "$out" | tail -n1))"
        continue
    fi
    times=()
    for _ in $(seq "$runs"); do
        (cd "$work" && CARGO_TARGET_DIR="$work/target" cargo clean --offline --quiet -p "${package[$name]}")
        times+=("$(timed build "${package[$name]}" "$name")")
    done
    echo "$name build: $(printf '%s ' "${times[@]}" | median)  (runs: ${times[*]})"
done

for name in calls all; do
    [[ -n "${failure[$name]:-}" ]] && echo "$name: n/a (error: ${failure[$name]})"
done
exit 0

#!/usr/bin/env bash
# Sends every operation of a generated crate, with its request sample, through the typed API to Prism
# (`prism mock` of the spec), which validates each request against the spec; each answer must decode into
# the typed response. See tests/conformance/harness.rs in the generated crate for what fails a test, and
# spec/conformance-skips.txt for the faults of the spec and of Prism that are excused.
#
# Usage: scripts/conformance.sh [--spec SPEC] [--crate DIR] [--skips FILE] [--out DIR]
#   SPEC   the spec Prism serves, the one the crate was generated from (default: $TELNYX_OPENAPI_SPEC,
#          else spec/openapi.yml)
#   DIR    the crate: generated/ (the default, tested as a member of this workspace) or a standalone crate
#          prepared by scripts/check-whole-spec.sh (tested in its own directory)
#   FILE   the skip list (default spec/conformance-skips.txt)
#   --out  where the Prism log and the report go (default target/conformance/<crate dir name>)
#
# Prism comes from the npm registry at the version scripts/prism/package-lock.json pins, installed once
# into .prism/ (git-ignored). It listens on a free loopback port and is stopped by its pid on exit, also
# when the tests fail. The last line says: requests sent, violations, decode failures, time.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
spec="${TELNYX_OPENAPI_SPEC:-$root/spec/openapi.yml}"
crate="$root/generated"
skips="$root/spec/conformance-skips.txt"
out=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --spec) spec="$2"; shift 2 ;;
        --crate) crate="$(cd "$2" && pwd)"; shift 2 ;;
        --skips) skips="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
[[ -f "$spec" ]] || { echo "no spec at $spec (set TELNYX_OPENAPI_SPEC or pass --spec)" >&2; exit 2; }
[[ -f "$skips" ]] || { echo "no skip list at $skips" >&2; exit 2; }
out="${out:-$root/target/conformance/$(basename "$crate")}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
spec="$(cd "$(dirname "$spec")" && pwd)/$(basename "$spec")"
skips="$(cd "$(dirname "$skips")" && pwd)/$(basename "$skips")"
started=$(date +%s)

# Prism, installed from the lock file when it is missing or the lock changed.
prism_dir="$root/.prism"
prism="$prism_dir/node_modules/.bin/prism"
if [[ ! -x "$prism" ]] || ! cmp -s "$root/scripts/prism/package-lock.json" "$prism_dir/package-lock.json"; then
    rm -rf "$prism_dir"
    mkdir -p "$prism_dir"
    cp "$root/scripts/prism/package.json" "$root/scripts/prism/package-lock.json" "$prism_dir/"
    # No install scripts: Prism needs none, and one of its dependencies would send telemetry.
    (cd "$prism_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

port="$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
log="$out/prism.log"
"$prism" mock --host 127.0.0.1 --port "$port" "$spec" >"$log" 2>&1 &
prism_pid=$!
stop_prism() {
    if kill -0 "$prism_pid" 2>/dev/null; then
        kill "$prism_pid" 2>/dev/null || true
        wait "$prism_pid" 2>/dev/null || true
    fi
}
trap stop_prism EXIT

# Prism reads the whole spec before it listens: wait for it (or for it to die).
for _ in $(seq 1 240); do
    grep -q "Prism is listening" "$log" && break
    if ! kill -0 "$prism_pid" 2>/dev/null; then
        echo "Prism exited before it listened:" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    sleep 0.5
done
grep -q "Prism is listening" "$log" || { echo "Prism did not start within 120 s" >&2; tail -n 20 "$log" >&2; exit 1; }

report="$out/report.tsv"
: >"$report"
export TELNYX_PRISM_URL="http://127.0.0.1:$port"
export TELNYX_CONFORMANCE_SKIPS="$skips"
export TELNYX_CONFORMANCE_REPORT="$report"
tests_started=$(date +%s)
status=0
if [[ "$crate" == "$root/generated" ]]; then
    # As a workspace member, with the workspace's features (as `cargo test --workspace` built it).
    (cd "$root" && cargo test --workspace --test conformance -- --ignored) || status=$?
else
    # A standalone crate shares the target dir of scripts/check-whole-spec.sh: dependencies built once.
    (
        cd "$crate"
        export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/standalone-crates}"
        export CARGO_PROFILE_DEV_DEBUG=false
        cargo test --test conformance -- --ignored
    ) || status=$?
fi
finished=$(date +%s)
stop_prism

# Skip entries of operations that were sent but that excused nothing: the fault is gone.
awk -F'\t' 'NR == FNR { sent[$1] = 1; n = split($7, u, ","); for (i = 1; i <= n; i++) used[$1 " " u[i]] = 1; next }
    /^#\// { what = ($2 == "") ? "*" : $2; if (($1 in sent) && !(($1 " " what) in used)) print "stale skip (excuses nothing now): " $1 " " what }' \
    "$report" FS='[ \t]+' "$skips" >&2 || true

awk -F'\t' -v crate="$(basename "$crate")" -v tests=$((finished - tests_started)) -v total=$((finished - started)) '
    { requests++; ops[$1] = 1; v += $2; x += $3; d += $4; o += $5; e += $6 }
    END {
        n = 0; for (k in ops) n++
        printf "conformance %s: %d requests (%d operations) sent, %d violations (%d request, %d response example), %d decode failures, %d other failures, %d excused by the skip list; tests %d s, total %d s\n", crate, requests, n, v + x, v, x, d, o, e, tests, total
    }' "$report"
exit "$status"

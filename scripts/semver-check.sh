#!/usr/bin/env bash
# Holds the public API of the published crates against their last release (release.toml) with
# cargo-semver-checks: a change that breaks it needs a version bump by semver (before 1.0, the minor
# version), and the versions in Cargo.toml must say so. A crate the release did not have yet is new,
# and has nothing to break.
#
# Usage: scripts/semver-check.sh            (needs cargo-semver-checks and the release commit in git)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

field() { sed -n "s/^$1 = \"\(.*\)\"/\1/p" release.toml; }
version="$(field version)"
commit="$(field commit)"
if ! git cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "the last release's commit $commit (release.toml) is not in this clone's history: fetch it" >&2
    exit 1
fi
echo "last release: $version at $commit"

# The release's tree, unpacked once: cargo-semver-checks reads each baseline crate from its own
# directory, since a release may hold more than one manifest of the same package name (0.1.0's
# templates/ did).
baseline="$root/target/semver-baseline/$commit"
if [ ! -d "$baseline" ]; then
    mkdir -p "$baseline.partial"
    git archive "$commit" | tar -x -C "$baseline.partial"
    mv "$baseline.partial" "$baseline"
fi

# The directory of a package's manifest in the release, relative to its root.
package_dir() {
    git grep -l "^name = \"$1\"" "$commit" -- '*Cargo.toml' | sed "s|^$commit:||" | while read -r manifest; do
        dir="$(dirname "$manifest")"
        # A workspace member of the release, not a template copied into the crate.
        if grep -q "\"$dir\"" "$baseline/Cargo.toml"; then echo "$dir"; fi
    done
}

for package in telnyx-call-control telnyx-call-control-runtime telnyx-call-control-contract telnyx-call-control-testkit; do
    dir="$(package_dir "$package")"
    if [ -z "$dir" ]; then
        echo "$package: not in the last release; nothing to hold it to"
        continue
    fi
    cargo semver-checks check-release --package "$package" --baseline-root "$baseline/$dir" --all-features
done

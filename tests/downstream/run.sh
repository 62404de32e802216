#!/usr/bin/env bash
# The downstream check: packages the crate (`cargo xtask package [ARGS]`, which generates it
# first and verifies the package), unpacks the .crate into target/downstream/matrix-types/,
# where tests/downstream/Cargo.toml points, and runs the program of tests/downstream/ against
# it: a crate outside the workspace that reads an event and a /sync response and builds a
# request. It builds into the checkout's target folder ($CARGO_TARGET_DIR, else target/), so
# the dependencies the package's verification just built there are reused.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

out="$(cargo xtask package "$@")"
printf '%s\n' "$out"
crate="$(printf '%s\n' "$out" | sed -n 's/^packaged: //p' | tail -n 1)"
if [ ! -f "$crate" ]; then
    echo "downstream: \`cargo xtask package\` named no .crate" >&2
    exit 1
fi

unpacked="$root/target/downstream/matrix-types"
rm -rf "$unpacked"
mkdir -p "$unpacked"
# --touch: the files get the time of unpacking, not the fixed time cargo writes into the
# archive, so that cargo sees a new package's sources as changed and rebuilds them.
tar -xzf "$crate" -C "$unpacked" --strip-components=1 --touch

# Its lock file: the workspace's (see tests/downstream/Cargo.toml).
cp Cargo.lock tests/downstream/Cargo.lock
echo "downstream: building tests/downstream against $crate"
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}" \
    cargo run --quiet --manifest-path tests/downstream/Cargo.toml

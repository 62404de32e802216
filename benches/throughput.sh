#!/usr/bin/env bash
# Parse/serialize throughput: matrix-types (generated/) against ruma-events, serde_json::Value
# and serde::de::IgnoredAny on the same bytes (the spec's event examples, a synthetic /sync
# timeline built from them, the events a real Synapse sent, and a whole /sync body of it read
# by each crate's response type, against ruma-client-api). Runs the criterion bench of
# benches/throughput/ (a crate outside the workspace) and prints the table of events/s, MB/s
# and time ratios. See BENCHMARKS.md.
#
# usage: benches/throughput.sh [MEASURE_SECONDS]   (criterion's measurement time per bench, default 3)
# env:   MATRIX_SPEC_DIR    the spec checkout (default ../shared/matrix-spec/main beside the repo);
#                           generated/ must have been generated from it (`cargo xtask gen`)
#        BENCH_WARMUP       criterion's warm-up time per bench in seconds (default 1)
#        HOMESERVER_CORPUS  the folder of the Synapse corpus (default target/homeserver/corpus);
#                           made when it has no sync.json, by `cargo xtask homeserver --corpus
#                           $CORPUS_EVENTS` (default 3000 events: 2 to 3.5 minutes, Synapse's
#                           virtualenv reused or installed)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ ! -f "$ROOT/generated/src/events/mod.rs" ]]; then
    echo "generated/ has no generated modules: run \`cargo xtask gen\` first" >&2
    exit 1
fi

# Absolute: the commands below run in other folders.
HOMESERVER_CORPUS="$(realpath -m "${HOMESERVER_CORPUS:-$ROOT/target/homeserver/corpus}")"
export HOMESERVER_CORPUS
if [[ ! -f "$HOMESERVER_CORPUS/sync.json" ]]; then
    echo "== the Synapse corpus: $HOMESERVER_CORPUS has none, making it (cargo xtask homeserver --corpus)"
    # Before CARGO_TARGET_DIR is set below for the bench crate: in the repository's target folder.
    (cd "$ROOT" && nice cargo xtask homeserver --corpus "${CORPUS_EVENTS:-3000}" --out "$HOMESERVER_CORPUS")
fi

CRATE="$ROOT/benches/throughput"
export CARGO_TARGET_DIR="$ROOT/target/bench-throughput"
export CRITERION_HOME="$CARGO_TARGET_DIR/criterion"
export BENCH_MEASURE="${1:-${BENCH_MEASURE:-3}}"
if [[ -n "${MATRIX_SPEC_DIR:-}" ]]; then
    # Relative to the current folder, else to the repository root.
    MATRIX_SPEC_DIR="$( (cd "$MATRIX_SPEC_DIR" 2>/dev/null && pwd) || (cd "$ROOT" && cd "$MATRIX_SPEC_DIR" && pwd))"
    export MATRIX_SPEC_DIR
fi

echo "== building (release; the first build compiles ruma and the generated crate: minutes)"
nice cargo build --release --quiet --manifest-path "$CRATE/Cargo.toml" --bin summary
nice cargo bench --quiet --manifest-path "$CRATE/Cargo.toml" --bench throughput --no-run

echo "== running the criterion bench (${BENCH_MEASURE} s per bench, 23 benches)"
rm -rf "$CRITERION_HOME/examples" "$CRITERION_HOME/timeline" "$CRITERION_HOME/synapse" "$CRITERION_HOME/sync_synapse"
# Criterion's progress lines are left out; its results are in $CRITERION_HOME.
nice cargo bench --quiet --manifest-path "$CRATE/Cargo.toml" --bench throughput -- --noplot 2>&1 |
    grep -v -e '^Benchmarking' -e '^$'

echo
echo "== summary"
"$CARGO_TARGET_DIR/release/summary" "$CRITERION_HOME"

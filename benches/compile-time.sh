#!/usr/bin/env bash
# Compile time: `cargo build --release` from an empty target directory, dependencies included,
# of the generated crate (generated/, package matrix-types) in four configurations and of
# ruma-events (latest release, default features, in a throwaway crate), one after the other
# in the same run; prints each time and the ratios to ruma-events. See BENCHMARKS.md.
#
# usage: benches/compile-time.sh [JOBS]   (cargo's -j, default: the machine's cores)
# env:   RUMA_EVENTS_VERSION  the ruma-events to compare with (default 0.35.2)
#
# Sources are downloaded before the clock starts (`cargo fetch`), so only compiling is timed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/target/bench-compile"
JOBS="${1:-$(nproc)}"
RUMA_VERSION="${RUMA_EVENTS_VERSION:-0.35.2}"
TARGET_RATIO=0.5   # the goal: ours, everything, below half of ruma-events

if [[ ! -f "$ROOT/generated/src/events/mod.rs" ]]; then
    echo "generated/ has no generated modules: run \`cargo xtask gen\` first" >&2
    exit 1
fi
mkdir -p "$OUT"

# The throwaway crate that depends on ruma-events: its own workspace and lock file.
RUMA="$OUT/ruma-crate"
mkdir -p "$RUMA/src"
cat >"$RUMA/Cargo.toml" <<TOML
# Written by benches/compile-time.sh; throwaway.
[package]
name = "compile-ruma-events"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
ruma-events = "=$RUMA_VERSION"

[workspace]
TOML
echo 'pub use ruma_events;' >"$RUMA/src/lib.rs"

echo "== fetching sources (not timed)"
cargo fetch --quiet --manifest-path "$ROOT/Cargo.toml"
cargo fetch --quiet --manifest-path "$RUMA/Cargo.toml"

# name | manifest | extra cargo arguments
CASES=(
    "ours-all|$ROOT/Cargo.toml|-p matrix-types"
    "ruma-events|$RUMA/Cargo.toml|"
    "ours-all-events|$ROOT/Cargo.toml|-p matrix-types --no-default-features --features all-events"
    "ours-core-events|$ROOT/Cargo.toml|-p matrix-types --no-default-features"
    "ours-client|$ROOT/Cargo.toml|-p matrix-types --no-default-features --features all-events,client-server"
)
declare -A SECS CPU UNITS
TIMEFORMAT='%R %U %S'
for case in "${CASES[@]}"; do
    IFS='|' read -r name manifest args <<<"$case"
    target="$OUT/target-$name"
    rm -rf "$target"
    # Compilation units: the packages cargo builds (build scripts count as their package).
    # shellcheck disable=SC2086
    UNITS[$name]="$(cargo tree --quiet --offline --manifest-path "$manifest" $args -e normal,build \
        --prefix none --format '{p}' 2>/dev/null | sed 's/ (\*)$//' | sort -u | wc -l)"
    echo "== $name: cargo build --release $args (${UNITS[$name]} packages, empty target dir)"
    # Wall time, and CPU time (user + system, cargo and every rustc it runs): the CPU time
    # moves less when other processes share the machine.
    # shellcheck disable=SC2086
    if ! { time CARGO_TARGET_DIR="$target" nice cargo build --release --offline --quiet \
        -j "$JOBS" --manifest-path "$manifest" $args 2>"$OUT/$name.log"; } 2>"$OUT/$name.time"; then
        cat "$OUT/$name.log" >&2
        exit 1
    fi
    read -r real user sys <"$OUT/$name.time"
    SECS[$name]="$(awk -v r="$real" 'BEGIN { printf "%.1f", r }')"
    CPU[$name]="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')"
    echo "   wall ${SECS[$name]} s, CPU ${CPU[$name]} s"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "cargo build --release from an empty target dir, dependencies included; -j $JOBS; $(nproc) cores"
printf '%-20s %9s %8s %9s %13s %13s\n' build packages "wall s" "CPU s" "wall / ruma" "CPU / ruma"
for case in "${CASES[@]}"; do
    name="${case%%|*}"
    printf '%-20s %9s %8s %9s %13s %13s\n' "$name" "${UNITS[$name]}" "${SECS[$name]}" "${CPU[$name]}" \
        "$(ratio "${SECS[$name]}" "${SECS[ruma-events]}")" "$(ratio "${CPU[$name]}" "${CPU[ruma-events]}")"
done
wall="$(ratio "${SECS[ours-all]}" "${SECS[ruma-events]}")"
cpu="$(ratio "${CPU[ours-all]}" "${CPU[ruma-events]}")"
verdict() { awk -v r="$1" -v t="$TARGET_RATIO" 'BEGIN { print (r < t) ? "met" : "NOT met" }'; }
echo
echo "ours (all features) / ruma-events: wall $wall ($(verdict "$wall")), CPU $cpu ($(verdict "$cpu")); target < $TARGET_RATIO"

#!/usr/bin/env bash
# Compile time: `cargo build --release` from an empty target directory, dependencies included,
# of the generated crate (generated/, package matrix-types) in four configurations and of
# ruma-events (latest release, default features, in a throwaway crate), then of the same small
# program using each (read a timeline: the code the libraries leave to their users is compiled
# there), and of a program reading a `/sync` response with ours; one after the other in the
# same run; prints each time and the ratios. See BENCHMARKS.md.
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
serde_json = "1"

[workspace]
TOML
echo 'pub use ruma_events;' >"$RUMA/src/lib.rs"
# What a user's program pays on top of the library: the library's generic and `#[inline]`
# code (serde readers, the `Any…` enums' dispatch) is compiled in the crate that calls it.
# The same program on both sides: read a timeline (a JSON array of sync events) and print it.
timeline_program() {   # $1: the path of the crate's AnySyncTimelineEvent
    cat <<RUST
use std::io::Read;

fn main() {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input).expect("stdin");
    let events: Vec<$1> = serde_json::from_slice(&input).expect("a timeline");
    println!("{events:?}");
}
RUST
}
mkdir -p "$RUMA/src/bin"
timeline_program ruma_events::AnySyncTimelineEvent >"$RUMA/src/bin/timeline.rs"

# The user crate of ours: its own workspace, with the repository's lock file (same versions).
USER="$OUT/ours-user"
mkdir -p "$USER/src/bin"
cat >"$USER/Cargo.toml" <<TOML
# Written by benches/compile-time.sh; throwaway.
[package]
name = "compile-matrix-types-user"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
matrix-types = { path = "$ROOT/generated" }
serde_json = "1"
http = "1"

[workspace]
TOML
cp "$ROOT/Cargo.lock" "$USER/Cargo.lock"
timeline_program matrix_types::events::AnySyncTimelineEvent >"$USER/src/bin/timeline.rs"
# A client's largest read: the response of `/sync` (every kind of event, rooms, to-device).
cat >"$USER/src/bin/sync.rs" <<'RUST'
use std::io::Read;

use matrix_types::api::Response;
use matrix_types::client_server::SyncResponse;

fn main() {
    let mut body = Vec::new();
    std::io::stdin().read_to_end(&mut body).expect("stdin");
    let response = http::Response::builder().status(200).body(body).expect("a response");
    println!("{:?}", SyncResponse::try_from_http_response(&response).expect("a sync response"));
}
RUST

echo "== fetching sources (not timed)"
cargo fetch --quiet --manifest-path "$ROOT/Cargo.toml"
cargo fetch --quiet --manifest-path "$RUMA/Cargo.toml"
cargo fetch --quiet --manifest-path "$USER/Cargo.toml"

# name | what its ratio is to | manifest | extra cargo arguments
CASES=(
    "ours-all|ruma-events|$ROOT/Cargo.toml|-p matrix-types"
    "ruma-events|ruma-events|$RUMA/Cargo.toml|--lib"
    "ours-all-events|ruma-events|$ROOT/Cargo.toml|-p matrix-types --no-default-features --features all-events"
    "ours-core-events|ruma-events|$ROOT/Cargo.toml|-p matrix-types --no-default-features"
    "ours-client|ruma-events|$ROOT/Cargo.toml|-p matrix-types --no-default-features --features all-events,client-server"
    "ours-all+timeline|ruma+timeline|$USER/Cargo.toml|--bin timeline"
    "ruma+timeline|ruma+timeline|$RUMA/Cargo.toml|--bin timeline"
    "ours-all+sync|ruma+timeline|$USER/Cargo.toml|--bin sync"
)
declare -A SECS CPU UNITS
TIMEFORMAT='%R %U %S'
for case in "${CASES[@]}"; do
    IFS='|' read -r name _ manifest args <<<"$case"
    target="$OUT/target-$name"
    rm -rf "$target"
    # Compilation units: the packages cargo builds (build scripts count as their package).
    # shellcheck disable=SC2086
    # (`cargo tree` takes no target selection: `--lib` and `--bin NAME` are left out.)
    UNITS[$name]="$(cargo tree --quiet --offline --manifest-path "$manifest" \
        $(sed -E 's/--lib|--bin [^ ]+//g' <<<"$args") -e normal,build \
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
printf '%-18s %8s %7s %7s %-14s %8s %8s\n' build packages "wall s" "CPU s" "ratio to" wall CPU
for case in "${CASES[@]}"; do
    IFS='|' read -r name ref _ <<<"$case"
    printf '%-18s %8s %7s %7s %-14s %8s %8s\n' "$name" "${UNITS[$name]}" "${SECS[$name]}" "${CPU[$name]}" \
        "$ref" "$(ratio "${SECS[$name]}" "${SECS[$ref]}")" "$(ratio "${CPU[$name]}" "${CPU[$ref]}")"
done
verdict() { awk -v r="$1" -v t="$TARGET_RATIO" 'BEGIN { print (r < t) ? "met" : "NOT met" }'; }
echo
for pair in "ours-all ruma-events" "ours-all+timeline ruma+timeline"; do
    read -r ours theirs <<<"$pair"
    wall="$(ratio "${SECS[$ours]}" "${SECS[$theirs]}")"
    cpu="$(ratio "${CPU[$ours]}" "${CPU[$theirs]}")"
    echo "$ours / $theirs: wall $wall ($(verdict "$wall")), CPU $cpu ($(verdict "$cpu")); target < $TARGET_RATIO"
done

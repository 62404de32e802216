#!/usr/bin/env bash
# How fast do generated structs deserialize with each way of keeping unknown fields?
#
#   collect: a generated Deserialize per struct whose visitor puts unknown keys into `extra`
#   flatten: #[derive(Deserialize)] with #[serde(flatten)] extra (serde buffers the object)
#
# Generates both variants (`cargo xtask gen --out DIR --unknown-fields MODE`) into throwaway
# crates under target/bench-unknown-fields/, builds the runner benches/unknown-fields/main.rs
# against each (release), runs them one after the other and prints ns per event and the ratio
# flatten/collect per case. See benches/README.md.
#
# usage: benches/unknown-fields.sh [SECONDS]   (run time per variant, default 2.5)
# env:   MATRIX_SPEC_DIR  the spec checkout to use (else the places spec/sources.yaml lists)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/target/bench-unknown-fields"
SECONDS_PER_VARIANT="${1:-2.5}"
MODES=(collect flatten)

# The spec: $MATRIX_SPEC_DIR, else the first of spec/sources.yaml's `search` entries that holds
# data/ (the generator's own order). Passed explicitly to both the generator and the runners.
find_spec() {
    if [[ -n "${MATRIX_SPEC_DIR:-}" ]]; then
        # Relative to the current folder, else to the repository root.
        (cd "$MATRIX_SPEC_DIR" 2>/dev/null && pwd) || (cd "$ROOT" && cd "$MATRIX_SPEC_DIR" && pwd)
        return
    fi
    local entry
    while read -r entry; do
        if [[ -d "$ROOT/$entry/data" ]]; then
            (cd "$ROOT/$entry" && pwd)
            return
        fi
    done < <(sed -n '/^search:/,/^[^ #]/s/^ *- *//p' "$ROOT/spec/sources.yaml")
    echo "no spec found: set MATRIX_SPEC_DIR (see README.md, 'Where the spec comes from')" >&2
    return 1
}
SPEC="$(find_spec)"
echo "spec: $SPEC"
mkdir -p "$OUT"

# Copies the files of $1 into $2 where they differ and removes what $1 lacks, so unchanged
# files keep their mtime and cargo does not rebuild a crate that did not change.
sync_tree() {
    local from="$1" to="$2" file
    mkdir -p "$to"
    (cd "$from" && find . -type f) | while read -r file; do
        if ! cmp -s "$from/$file" "$to/$file"; then
            mkdir -p "$(dirname "$to/$file")"
            cp "$from/$file" "$to/$file"
        fi
    done
    (cd "$to" && find . -type f) | while read -r file; do
        [[ -e "$from/$file" ]] || rm -f "$to/$file"
    done
}

# Same as sync_tree for one file whose text is on stdin.
write_if_changed() {
    local tmp
    tmp="$(mktemp)"
    cat >"$tmp"
    if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}

# 1. Both variants of the crate. Generated into a fresh staging folder each time (so the frame
#    --out scaffolds is the current one: it never overwrites), then synced.
for mode in "${MODES[@]}"; do
    echo "== generating the $mode variant"
    rm -rf "$OUT/stage-$mode"
    (cd "$ROOT" && nice cargo xtask gen --spec "$SPEC" --out "$OUT/stage-$mode" --unknown-fields "$mode")
    sync_tree "$OUT/stage-$mode" "$OUT/$mode"
    rm -rf "$OUT/stage-$mode"
done

# 2. One runner crate per variant: its own workspace, the repo's lock file, a shared target dir.
export CARGO_TARGET_DIR="$OUT/target"
for mode in "${MODES[@]}"; do
    runner="$OUT/runner-$mode"
    mkdir -p "$runner"
    write_if_changed "$runner/Cargo.toml" <<EOF
# Written by benches/unknown-fields.sh; throwaway.
[package]
name = "unknown-fields-$mode"
version = "0.0.0"
edition = "2021"
publish = false

[[bin]]
name = "unknown-fields-$mode"
path = "$ROOT/benches/unknown-fields/main.rs"

[dependencies]
matrix-types = { path = "../$mode", features = ["schema-index"] }
serde = "1"
serde_json = "1"

# Not a member of the repository's workspace.
[workspace]
EOF
    [[ -f "$runner/Cargo.lock" ]] || cp "$ROOT/Cargo.lock" "$runner/Cargo.lock"

    # dispatch.rs: a reader per schema (SCHEMAS) and per Any… enum (ENUMS) of this crate.
    perl -0777 -ne '
        my ($schemas) = /pub const SCHEMAS[^=]*=\s*&\[(.*?)\];/s or die "no SCHEMAS in schema_index.rs\n";
        my ($enums) = /pub const ENUMS[^=]*=\s*&\[(.*?)\];/s or die "no ENUMS in schema_index.rs\n";
        print "// Written by benches/unknown-fields.sh from schema_index.rs; throwaway.\n";
        print "fn concrete(schema: &str) -> Option<Reader> {\n    Some(match schema {\n";
        while ($schemas =~ /\(\s*"([^"]+)"\s*,\s*"(\w+)"\s*,?\s*\)/g) {
            # Event schemas only: the API definitions SCHEMAS also lists live in other modules.
            next if $1 =~ m{^api/};
            print "        \"$1\" => read::<matrix_types::events::$2>,\n";
        }
        print "        _ => return None,\n    })\n}\n\n";
        print "fn any(enum_name: &str) -> Option<Reader> {\n    Some(match enum_name {\n";
        while ($enums =~ /"(\w+)"/g) {
            print "        \"$1\" => read::<matrix_types::events::$1>,\n";
        }
        print "        _ => return None,\n    })\n}\n";
    ' "$OUT/$mode/src/schema_index.rs" | write_if_changed "$runner/dispatch.rs"

    echo "== building the $mode runner (release)"
    build=(nice cargo build --release --quiet --manifest-path "$runner/Cargo.toml")
    if ! "${build[@]}" --offline; then
        echo "offline build failed; trying online"
        "${build[@]}"
    fi
done

# 3. Run both, one after the other (nothing else of this script runs meanwhile).
declare -A typed value inputs
for mode in "${MODES[@]}"; do
    echo "== running the $mode variant (~${SECONDS_PER_VARIANT} s)"
    log="$OUT/$mode.out"
    "$CARGO_TARGET_DIR/release/unknown-fields-$mode" "$SPEC" "$SECONDS_PER_VARIANT" >"$log" 2>"$OUT/$mode.err"
    grep -v '^skipped:' "$OUT/$mode.err" || true
    echo "   $(grep -c '^skipped:' "$OUT/$mode.err" || true) skipped (list in $OUT/$mode.err)"
    while IFS=$'\t' read -r kind name a b c; do
        case "$kind" in
            inputs) inputs[$mode,$name]="$a $b" ;;
            result) typed[$mode,$name]="$a"; value[$mode,$name]="$b" ;;
        esac
    done <"$log"
done

echo
echo "ns per event, median of 5; Value = serde_json::Value on the same inputs (a floor; same code in both runs)"
printf '%-9s %6s %12s %12s %16s %14s %14s\n' case inputs collect flatten flatten/collect "Value(coll.)" "Value(flat.)"
summary=()
for name in concrete any member wide; do
    [[ -n "${typed[collect,$name]:-}" && -n "${typed[flatten,$name]:-}" ]] || continue
    if [[ "${inputs[collect,$name]}" != "${inputs[flatten,$name]}" ]]; then
        echo "warning: $name: the variants read different inputs (${inputs[collect,$name]} vs ${inputs[flatten,$name]})" >&2
    fi
    c="${typed[collect,$name]}" f="${typed[flatten,$name]}"
    ratio="$(awk -v f="$f" -v c="$c" 'BEGIN { printf "%.2f", f / c }')"
    printf '%-9s %6s %12.0f %12.0f %16s %14.0f %14.0f\n' "$name" "${inputs[collect,$name]%% *}" \
        "$c" "$f" "$ratio" "${value[collect,$name]}" "${value[flatten,$name]}"
    summary+=("$(printf '%s: collect %.0f ns, flatten %.0f ns, flatten/collect = %s' "$name" "$c" "$f" "$ratio")")
done
echo
printf '%s\n' "${summary[@]}"
echo "(concrete: every usable example through its own type; any: through the first Any… enum"
echo " listed for its type, which buffers the event first; member: the m.room.member examples;"
echo " wide: the same with 20 unknown fields at top level and 20 in content)"

#!/usr/bin/env bash
# Generates the crate for every spec release with the generator of a base revision and with the
# working tree's, into two folders, and compares them byte for byte: a refactoring of the
# generator must leave its output unchanged for every release.
#
#   scripts/same-output.sh [BASE_REV]      (default: HEAD; releases from $MATRIX_SPEC_RELEASES
#                                           or ../shared/matrix-spec)
#
# Each side is built in release mode (the base one in a git worktree under target/same-output/);
# the outputs are target/same-output/base-<commit>/<ref>/ (kept, and reused by the next run
# against the same commit) and target/same-output/work/<ref>/. Exits 1, listing the
# differences, when any release generates differently. The crate frame that `--out` copies in
# (the hand-written files tracked under generated/) is not generator output: a difference
# there is listed but does not fail the comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
base_rev=${1:-HEAD}
releases=${MATRIX_SPEC_RELEASES:-$top/../shared/matrix-spec}
scratch=$top/target/same-output
[ -d "$releases" ] || { echo "no spec releases at $releases (set MATRIX_SPEC_RELEASES)" >&2; exit 2; }

refs=$(for d in "$releases"/*/; do [ -d "$d/data" ] && basename "$d"; done | sort -V)
[ -n "$refs" ] || { echo "no folder holding data/ under $releases" >&2; exit 2; }

base_commit=$(git rev-parse --verify "$base_rev^{commit}")
base=base-$base_commit
rm -rf "$scratch/work"
mkdir -p "$scratch/logs"

(CARGO_TARGET_DIR="$top/target" cargo build --quiet --release -p xtask)

generate() { # side binary
    local side=$1 bin=$2 ref
    for ref in $refs; do
        "$bin" gen --spec "$releases/$ref" --out "$scratch/$side/$ref" >"$scratch/logs/$side-$ref.log" 2>&1 \
            || { echo "$side: generation of $ref failed (see $scratch/logs/$side-$ref.log)" >&2; return 1; }
    done
}
if [ ! -f "$scratch/$base/.complete" ]; then
    # The base generator, from a worktree of BASE_REV with a target folder of its own.
    rm -rf "$scratch/$base"
    git worktree remove --force "$scratch/tree" 2>/dev/null || true
    git worktree add --detach --quiet "$scratch/tree" "$base_commit"
    trap 'git -C "$top" worktree remove --force "$scratch/tree" 2>/dev/null || true' EXIT
    (cd "$scratch/tree" && CARGO_TARGET_DIR="$scratch/target-base" cargo build --quiet --release -p xtask)
    generate "$base" "$scratch/target-base/release/xtask"
    touch "$scratch/$base/.complete"
fi
generate work "$top/target/release/xtask"

# The crate frame (Cargo.toml, build.rs and the hand-written files of generated/src, which
# `--out` copies in) is not generator output: a change to it is reported, not counted.
frame=$(git ls-files generated | sed -n 's|^generated/||p' | grep -v '^tests/' | sort)
status=0
frame_changed=""
for ref in $refs; do
    ( cd "$scratch/$base/$ref" && find . -type f | sed 's|^\./||'
      cd "$scratch/work/$ref" && find . -type f | sed 's|^\./||' ) | sort -u >"$scratch/logs/files-$ref.txt"
    : >"$scratch/logs/diff-$ref.txt"
    generated=0
    while read -r file; do
        if printf '%s\n' "$frame" | grep -qxF "$file"; then
            cmp -s "$scratch/$base/$ref/$file" "$scratch/work/$ref/$file" || frame_changed="$frame_changed $file"
            continue
        fi
        generated=$((generated + 1))
        cmp -s "$scratch/$base/$ref/$file" "$scratch/work/$ref/$file" 2>/dev/null \
            || echo "$file" >>"$scratch/logs/diff-$ref.txt"
    done <"$scratch/logs/files-$ref.txt"
    if [ -s "$scratch/logs/diff-$ref.txt" ]; then
        echo "$ref: DIFFERENT"; sed "s/^/    /" "$scratch/logs/diff-$ref.txt"; status=1
    else
        echo "$ref: identical ($generated generated files)"
    fi
done
if [ -n "$frame_changed" ]; then
    echo "hand-written frame files that differ from the base (not generator output):" \
        $(printf '%s\n' $frame_changed | sort -u)
fi
[ $status -eq 0 ] && echo "every release generates byte-identical output"
exit $status

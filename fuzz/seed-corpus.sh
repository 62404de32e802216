#!/bin/sh
# Fills corpus/any_event/ with the event examples of the Matrix spec, as seeds for
# `cargo fuzz run any_event`. The examples are JSON in files named `.yaml`; they are copied
# as they are, `$ref`s unresolved (a partial event is a fine seed too).
#
# Usage: fuzz/seed-corpus.sh [SPEC_DIR]
#   SPEC_DIR defaults to ../shared/matrix-spec/main, relative to the repository root.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
spec=${1:-$here/../../shared/matrix-spec/main}
examples=$spec/data/event-schemas/examples
if [ ! -d "$examples" ]; then
    echo "no event examples at $examples; pass the spec checkout as the first argument" >&2
    exit 1
fi
mkdir -p "$here/corpus/any_event"
count=0
for file in "$examples"/*.yaml; do
    cp "$file" "$here/corpus/any_event/$(basename "$file" .yaml).json"
    count=$((count + 1))
done
echo "copied $count examples into $here/corpus/any_event"

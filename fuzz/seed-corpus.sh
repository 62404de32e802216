#!/bin/sh
# Fills the fuzz corpora with seeds from the Matrix spec: corpus/any_event/ and
# corpus/any_event_structured/ with its event examples (JSON in files named `.yaml`, copied
# as they are, `$ref`s unresolved: a partial event is a fine seed too), corpus/spec_loader/
# with its event schemas.
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
count=0
for target in any_event any_event_structured; do
    mkdir -p "$here/corpus/$target"
    for file in "$examples"/*.yaml; do
        cp "$file" "$here/corpus/$target/$(basename "$file" .yaml).json"
        count=$((count + 1))
    done
done
mkdir -p "$here/corpus/spec_loader"
for file in "$spec/data/event-schemas/schema"/*.yaml; do
    cp "$file" "$here/corpus/spec_loader/$(basename "$file")"
    count=$((count + 1))
done
echo "copied $count seeds into $here/corpus"

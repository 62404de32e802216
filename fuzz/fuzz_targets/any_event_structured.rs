//! The `Any…` event enums on mutations of JSON events: nodes replaced, removed, copied, event
//! types swapped (seed it with the spec's examples: fuzz/seed-corpus.sh). No panic, and a
//! stable round trip.

#![no_main]

use libfuzzer_sys::{fuzz_mutator, fuzz_target, fuzzer_mutate};

fuzz_target!(|data: &[u8]| {
    matrix_types_fuzz::check_any_event(data);
});

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    // One in four mutations is libFuzzer's own, so that broken JSON is explored too.
    if seed % 4 != 0 {
        if let Some(new_size) = matrix_types_fuzz::mutate_json(data, size, max_size, seed) {
            return new_size;
        }
    }
    fuzzer_mutate(data, size, max_size)
});

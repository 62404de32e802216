//! Any bytes, read as each of the `Any…` event enums: no panic, and a stable round trip.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    matrix_types_fuzz::check_any_event(data);
});

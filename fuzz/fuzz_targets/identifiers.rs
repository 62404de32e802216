//! Any string, read as each of the identifier types: no panic, and what parses keeps its text.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    matrix_types_fuzz::check_identifiers(data);
});

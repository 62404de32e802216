//! Any text, cut into a few spec files and run through the generator's stages in memory:
//! errors for bad specs, never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    matrix_types_fuzz::check_spec_loader(data);
});

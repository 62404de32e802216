//! Tells the crate whether `cargo xtask gen` has written its generated modules yet,
//! so that building too early fails with a message that says what to do.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(matrix_types_generated)");
    println!("cargo::rerun-if-changed=src/events/mod.rs");
    if std::path::Path::new("src/events/mod.rs").exists() {
        println!("cargo::rustc-cfg=matrix_types_generated");
    }
}

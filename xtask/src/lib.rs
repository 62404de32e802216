//! The commands of `cargo xtask` beyond `gen` (which is `codegen::cli`), kept in a library so
//! that the tests can run them in-process.
//!
//! - [`package`]: generates the crate and packages it into a `.crate`, verified.
//! - [`spec_matrix`]: generates, compiles, tests and packages the crate of every spec release.
//! - [`spec_diff`]: the Rust-level changes between what two releases generate.
//! - [`releases`]: finding the spec releases beside the checkout and ordering them.
//! - [`homeserver`]: the scenario against a real Synapse, alone, and its report.

pub mod homeserver;
pub mod package;
pub mod releases;
pub mod spec_diff;
pub mod spec_matrix;

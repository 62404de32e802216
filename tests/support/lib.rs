//! What the tests share: finding the spec the crate was generated from, and reading the
//! spec's examples the way the spec's own tooling does.
//!
//! - `spec`: the repository, the spec folder, the project's overrides, paths in the spec.
//! - `examples`: example data with its `$ref`s and `allOf`s resolved and overrides applied.
//! - `events`: the event examples, the forms the `Any…` enums read them in, variant names.
//! - `any`: reading through the `Any…` enums and writing back.
//! - `canonical`: canonical JSON, and the text a signature covers.
//! - `diff`: how two JSON values differ.
//! - `extra`: the fields a generated value keeps in its `extra` maps.
//! - [`api`]: the examples and operations of the API descriptions.

mod any;
pub mod api;
mod canonical;
mod diff;
mod events;
mod examples;
mod extra;
mod spec;
#[cfg(test)]
mod temp;

pub use any::{read_any, read_any_losslessly, AnyOutcome};
pub use canonical::{canonical_json, signing_json};
pub use diff::json_diff;
pub use events::{
    debug_variants, event_examples, event_form, room_event_envelope, schema_for_example,
    variant_name,
};
pub use examples::{
    deep_merge, load_example, load_spec_example, resolve_example_data, ExampleReader,
};
pub use extra::extra_fields;
pub use spec::{normalize, overrides, repo_root, spec_dir};

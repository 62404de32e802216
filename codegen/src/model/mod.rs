//! Stage 3: from the schema graph to a model of named types, independent of how they are rendered.
//!
//! This is where `allOf` and `$ref` siblings are merged, where one schema reached along
//! several paths becomes one type, where each module gets its folder of the crate, and where
//! every type gets its name.
//!
//! One file per concern, in the order the data takes: [`ir`] (what comes out), `flat`
//! (`allOf` merged), `types` (schema -> type), `names` (naming: internal names while building,
//! final ones after placement; the definition queue), `define` (structs, enums, unions),
//! `events` (event forms and contents), `dispatch` (the `Any…` enums, `$variant` contents),
//! `carried` (events the API carries, as `Raw<…>`, and the operations that send them),
//! `errors` (the error codes and the standard error response),
//! `operations` (API requests and responses), `recursion` (boxing), `constants` (the fields a
//! constructor fills in), `schema_types` (the type of every schema place), `placement` (the
//! modules each module uses, its folder and file), `rename` (the final names written into the
//! model); `builder` holds their state and runs them.

mod builder;
mod carried;
mod constants;
mod define;
mod dispatch;
mod errors;
mod events;
mod flat;
pub mod ir;
mod names;
mod operations;
mod placement;
mod recursion;
mod rename;
mod schema_types;
#[cfg(test)]
mod tests;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use crate::api::Operation;
use crate::diagnostics::Errors;
use crate::kinds::{Form, Kind};
use crate::resolve::{SchemaGraph, SchemaId};

pub use ir::*;
pub use placement::folder_of_file;

/// The module holding the `Any…` enums.
pub const KINDS_MODULE: &str = "kinds";

/// The module holding the standard error response ([`STANDARD_ERROR`]) and the error codes
/// ([`ERROR_CODE`]): in `common`, built with the `api` feature, which reads error responses
/// with them, whether or not any API is.
pub const STANDARD_ERROR_MODULE: &str = "standard_error";

/// The open enum of error codes: those the spec defines, and any other kept as written.
pub const ERROR_CODE: &str = "ErrorCode";

/// The standard error response of every API (`errcode`, `error`, `retry_after_ms`, the rest
/// kept).
pub const STANDARD_ERROR: &str = "StandardError";

/// How events are sorted into the kinds and forms of [`crate::kinds`].
#[derive(Debug, Default)]
pub struct EventKinds {
    /// The envelope schema of each form whose core schema the spec has.
    pub envelopes: Vec<(Form, SchemaId)>,
    /// Kinds named in the overrides file, by event type.
    pub listed: BTreeMap<String, BTreeSet<Kind>>,
    /// Where the API carries events, and as what (`typed_events` in the overrides file).
    pub typed_events: Vec<crate::overrides::TypedEventsEntry>,
    /// The operations that send events (`typed_sending` in the overrides file).
    pub typed_sending: Vec<crate::overrides::TypedSendingEntry>,
    /// The error codes of the spec's prose (`error_codes` in the overrides file).
    pub error_codes: Vec<crate::overrides::ErrorCodesEntry>,
}

/// How a root schema file is to be named and treated.
pub struct Root {
    pub id: SchemaId,
    /// The file stem, `m.room.message$m.text`.
    pub schema: String,
    /// `Some(event type)` for event schema files.
    pub event_type: Option<String>,
}

/// Builds the model; `roots` are named from their file stems, events first.
pub fn build(graph: &SchemaGraph, roots: &[Root], kinds: &EventKinds) -> Result<Model, Errors> {
    build_with_operations(graph, roots, kinds, &[])
}

/// [`build`], with the request and response types of API operations (whose schemas are in `graph`).
pub fn build_with_operations(
    graph: &SchemaGraph,
    roots: &[Root],
    kinds: &EventKinds,
    operations: &[Operation],
) -> Result<Model, Errors> {
    builder::ModelBuilder::new(graph, kinds).run(roots, operations)
}

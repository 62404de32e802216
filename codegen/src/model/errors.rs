//! The standard error response of every API, and its error codes.
//!
//! The spec's prose says that every error of every API is a "standard error response": a
//! JSON object with an `errcode` and an `error` message (and `retry_after_ms` with
//! `M_LIMIT_EXCEEDED`). Its schemas say it in part: `errors/error.yaml` (`errcode` a plain
//! string) and the error responses of each operation. The model adds what the prose says:
//!
//! - [`ERROR_CODE`], an open string enum of the error codes the spec defines: those its prose
//!   lists (`error_codes` in the overrides, each with a line of documentation) and those the
//!   error responses of the API files name (in their descriptions, examples and inline
//!   schemas), any other kept as written;
//! - [`STANDARD_ERROR`], the standard error response read from any error answer, with its
//!   unknown keys kept;
//! - both in a module of their own ([`STANDARD_ERROR_MODULE`], in `common`), which the crate
//!   builds with its `api` feature, whatever else is on: the API frame reads an error that an
//!   operation does not document with them.
//!
//! Where the schemas type an error code (an `errcode` property that is a plain string), the
//! field is an [`ERROR_CODE`] ([`ModelBuilder::is_error_code`]): it accepts what the string
//! did, and says which codes are known. An error status that a response documents without a
//! body schema keeps the body the server sends, the standard error where it is one
//! ([`ModelBuilder::error_payload`], [`Payload::ErrorBody`]).

use std::collections::{BTreeMap, HashSet};

use crate::api::Operation;
use crate::diagnostics::{Diagnostic, Location};
use crate::naming;
use crate::resolve::{Docs, JsonType, SchemaId};

use super::builder::ModelBuilder;
use super::define::open_variant_name;
use super::ir::{EnumVariant, Field, Module, Payload, TypeDef, TypeKind, TypeRef};
use super::{ERROR_CODE, STANDARD_ERROR, STANDARD_ERROR_MODULE};

const ERROR_CODE_DOCS: &str = "\
An error code: the `errcode` of an error response, such as `M_FORBIDDEN`.

The codes the spec defines are variants: the common ones, which any endpoint may answer \
with, and those of particular endpoints. Any other code, such as one a server defines in its \
own namespace (`COM.EXAMPLE_SOMETHING`), is kept as written, so that a code read and written \
back is unchanged. The spec asks clients to go by the code rather than by the HTTP status, \
except for `M_UNKNOWN`, where the status says more.";

const STANDARD_ERROR_DOCS: &str = "\
The standard error response: what a server answers with when a request fails, whatever the \
endpoint.

Some codes come with more keys: `retry_after_ms` with `M_LIMIT_EXCEEDED`, and others kept in \
`extra` with any key the spec does not define (`soft_logout` with `M_UNKNOWN_TOKEN`, \
`admin_contact` with `M_RESOURCE_LIMIT_EXCEEDED`, `room_version` with \
`M_INCOMPATIBLE_ROOM_VERSION`), so that an error read and written back loses nothing.

Reading a response gives one for an error status the operation does not document \
(`api::FromHttpError::Matrix`), and, in an `api::ErrorBody`, for one it documents without a \
body schema, when the server sends one.";

const MODULE_SUMMARY: &str =
    "The standard error response of every API, and the error codes the spec defines.";

impl ModelBuilder<'_> {
    /// Adds the module of [`ERROR_CODE`] and [`STANDARD_ERROR`]: every spec gets it, as the
    /// crate's `api` frame names both.
    pub(super) fn add_standard_error(&mut self, operations: &[Operation]) {
        let error_code = TypeDef {
            name: ERROR_CODE.to_owned(),
            docs: Docs {
                description: Some(ERROR_CODE_DOCS.to_owned()),
                ..Docs::default()
            },
            source: Location::new("", ""),
            kind: self.error_code_kind(operations),
        };
        let field = |json_name: &str, ty: TypeRef, required: bool, docs: &str| Field {
            json_name: json_name.to_owned(),
            name: naming::field_name(json_name),
            ty,
            required,
            nullable: false,
            constant: false,
            docs: Docs {
                description: Some(docs.to_owned()),
                ..Docs::default()
            },
        };
        let standard_error = TypeDef {
            name: STANDARD_ERROR.to_owned(),
            docs: Docs {
                description: Some(STANDARD_ERROR_DOCS.to_owned()),
                ..Docs::default()
            },
            source: Location::new("", ""),
            kind: TypeKind::Struct {
                fields: vec![
                    field(
                        "errcode",
                        TypeRef::Named(ERROR_CODE.to_owned()),
                        true,
                        "The error code.",
                    ),
                    field(
                        "error",
                        TypeRef::String,
                        false,
                        "A message for people, usually a sentence saying what went wrong.",
                    ),
                    field(
                        "retry_after_ms",
                        TypeRef::Integer,
                        false,
                        "With `M_LIMIT_EXCEEDED`: how long to wait before trying again, in \
                         milliseconds. Deprecated since Matrix v1.10 in favour of the \
                         `Retry-After` header.",
                    ),
                ],
                additional: TypeRef::Any,
                additional_name: "extra".to_owned(),
            },
        };
        self.model.modules.insert(
            STANDARD_ERROR_MODULE.to_owned(),
            Module {
                name: STANDARD_ERROR_MODULE.to_owned(),
                summary: Some(MODULE_SUMMARY.to_owned()),
                folder: "common".to_owned(),
                types: vec![error_code, standard_error],
                ..Module::default()
            },
        );
    }

    /// The variants of [`ERROR_CODE`], sorted by code: the codes of the overrides (the spec's
    /// prose) with their docs, and those the error responses of `operations` name, each
    /// documented by the first response that names it.
    fn error_code_kind(&self, operations: &[Operation]) -> TypeKind {
        let mut codes: BTreeMap<String, Docs> = BTreeMap::new();
        for entry in &self.events.kinds.error_codes {
            for listed in &entry.codes {
                codes.insert(
                    listed.code.clone(),
                    Docs {
                        description: Some(format!("`{}`: {}", listed.code, listed.doc)),
                        added_in: listed.added_in.clone(),
                        ..Docs::default()
                    },
                );
            }
        }
        // Where each code is named first, and how many responses name it.
        let mut named: BTreeMap<&str, (String, usize)> = BTreeMap::new();
        for op in operations {
            for response in &op.responses {
                for code in &response.error_codes {
                    let place = || {
                        format!(
                            "`{} {}{}` (`{}`)",
                            op.method.to_uppercase(),
                            op.base_path,
                            op.path.trim(),
                            response.status
                        )
                    };
                    named.entry(code).or_insert_with(|| (place(), 0)).1 += 1;
                }
            }
        }
        for (code, (first, count)) in named {
            codes.entry(code.to_owned()).or_insert_with(|| {
                let others = match count - 1 {
                    0 => String::new(),
                    1 => " and one other response".to_owned(),
                    n => format!(" and {n} other responses"),
                };
                Docs {
                    description: Some(format!(
                        "`{code}`: An error the spec documents for {first}{others}."
                    )),
                    ..Docs::default()
                }
            });
        }
        let mut taken = HashSet::new();
        let variants = codes
            .into_iter()
            .map(|(code, docs)| {
                let bare = code.strip_prefix("M_").unwrap_or(&code);
                EnumVariant {
                    name: naming::unique(naming::type_name(bare), &mut taken),
                    value: code,
                    docs,
                }
            })
            .collect();
        TypeKind::StringEnum {
            variants,
            open: Some(open_variant_name(&mut taken)),
        }
    }

    /// Whether the property `errcode` of `contributions` is an error code: a plain string
    /// (no `enum`, no `format`), which [`ERROR_CODE`] reads just as well.
    pub(super) fn is_error_code(
        &mut self,
        json_name: &str,
        contributions: &[SchemaId],
    ) -> Result<bool, Diagnostic> {
        if json_name != "errcode" {
            return Ok(false);
        }
        let flat = self.flat.merged(contributions)?;
        let string_only = flat
            .types
            .as_ref()
            .is_some_and(|(types, _)| types.len() == 1 && types.contains(&JsonType::String));
        Ok(string_only && flat.is_trivial() && flat.format.is_none())
    }

    /// The type of an `errcode` that [`ModelBuilder::is_error_code`] accepts, recorded as the
    /// type of each schema it is written in (where the examples written there find it).
    pub(super) fn error_code_type(&mut self, contributions: &[SchemaId]) -> (TypeRef, bool) {
        let resolved = (TypeRef::Named(ERROR_CODE.to_owned()), false);
        for &id in contributions {
            self.model
                .schema_types
                .entry(self.graph.location(id).clone())
                .or_insert_with(|| resolved.clone());
        }
        resolved
    }

    /// The body of a response documented without a body schema: for an error status, what
    /// the server sends, kept (it answers errors with the standard error response, as the
    /// spec's prose says for every endpoint); none otherwise.
    pub(super) fn error_payload(status: &str) -> Option<Payload> {
        crate::api::is_error_status(status).then_some(Payload::ErrorBody)
    }
}

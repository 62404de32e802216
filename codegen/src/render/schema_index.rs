//! The generated `schema_index.rs`: which generated type stands for which schema, for the
//! tests that read the spec's examples.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{folder_of_file, Model, OperationDef, Payload, TypeKind, TypeRef};

use super::ident;
use super::modules::{TypeFolders, Uses};
use super::samples::Samples;
use super::type_refs::type_tokens_with_paths;

/// The folder whose types the schemas of `file` (relative to `data/`) are typed with: that of
/// its module, else that of its API (`events` for event schemas).
fn folder_of<'m>(model: &'m Model, file: &str) -> &'m str {
    match model.modules.values().find(|module| module.source == file) {
        Some(module) => &module.folder,
        None => folder_of_file(file),
    }
}

pub(super) fn render_schema_index(model: &Model, folders: &TypeFolders) -> TokenStream {
    // Names are unique in a folder (and among the two every folder imports), not in the
    // crate: each type is written with its path.
    let path_from = |from: &str| {
        let from = from.to_owned();
        move |name: &str| -> TokenStream {
            let type_name = ident(name);
            match folders.folder(name, &from) {
                Some(folder) => {
                    let folder = ident(folder);
                    quote! { crate::#folder::#type_name }
                }
                None => quote! { #type_name },
            }
        }
    };
    let schemas: Vec<&str> = model
        .roots
        .iter()
        .map(|root| root.schema.as_str())
        .collect();
    let names: Vec<&str> = model
        .roots
        .iter()
        .map(|root| root.type_name.as_str())
        .collect();
    let types: Vec<TokenStream> = model
        .roots
        .iter()
        .map(|root| {
            let file = if root.schema.starts_with("api/") {
                format!("{}.yaml", root.schema)
            } else {
                format!("{}/{}.yaml", crate::EVENT_SCHEMA_DIR, root.schema)
            };
            path_from(folder_of(model, &file))(&root.type_name)
        })
        .collect();
    // Which enums each event type is in, from the enums themselves.
    let mut by_event: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut enum_names: Vec<&str> = Vec::new();
    for def in model.modules.values().flat_map(|module| &module.types) {
        match &def.kind {
            TypeKind::Dispatch {
                variants,
                fallback: TypeRef::UnknownEvent,
                ..
            } => {
                enum_names.push(&def.name);
                for variant in variants {
                    by_event.entry(&variant.value).or_default().push(&def.name);
                }
            }
            TypeKind::ByField { .. } => enum_names.push(&def.name),
            _ => {}
        }
    }
    let event_types: Vec<&str> = by_event.keys().copied().collect();
    let event_enums: Vec<&Vec<&str>> = by_event.values().collect();
    let enum_idents: Vec<TokenStream> = enum_names
        .iter()
        .map(|name| path_from("events")(name))
        .collect();

    // Every schema of the API documents a type was made for, by where it is written.
    // Grouped by file (the locations come sorted by file, then pointer), so that each file is
    // written once: a match on the file, then on the pointer.
    let mut uses = Uses::default();
    let mut by_file: Vec<(&str, Vec<TokenStream>)> = Vec::new();
    for (location, (ty, nullable)) in &model.schema_types {
        if !location.file.starts_with("api/") {
            continue;
        }
        let ty =
            type_tokens_with_paths(ty, &mut uses, &path_from(folder_of(model, &location.file)));
        let ty = if *nullable {
            quote! { Option<#ty> }
        } else {
            ty
        };
        let (file, pointer) = (location.file.as_str(), &location.pointer);
        let arm = quote! { #pointer => via::<#ty>(value), };
        match by_file.last_mut() {
            Some((last, arms)) if *last == file => arms.push(arm),
            _ => by_file.push((file, vec![arm])),
        }
    }
    let at_arms = by_file.iter().map(|(file, arms)| {
        quote! { #file => match pointer { #(#arms)* _ => return None, }, }
    });
    let mut runtime_imports = TokenStream::new();
    for (path, names) in uses.paths() {
        let path: syn::Path = syn::parse_str(path).expect("static paths parse");
        let names = names.iter().map(|n| ident(n));
        runtime_imports.extend(quote! { #[allow(unused_imports)] use #path::{#(#names),*}; });
    }
    let operations: Vec<(&str, &OperationDef)> = model
        .modules
        .values()
        .flat_map(|module| {
            module
                .operations
                .iter()
                .map(|op| (module.folder.as_str(), op))
        })
        .collect();
    let op_files: Vec<&str> = operations
        .iter()
        .map(|(_, op)| op.source.file.as_str())
        .collect();
    let op_methods: Vec<&str> = operations
        .iter()
        .map(|(_, op)| op.method.as_str())
        .collect();
    let op_paths: Vec<&str> = operations.iter().map(|(_, op)| op.path.as_str()).collect();
    let op_requests: Vec<TokenStream> = operations
        .iter()
        .map(|(folder, op)| {
            let (folder, request) = (ident(folder), ident(&op.request_name));
            quote! { crate::#folder::#request }
        })
        .collect();
    let samples = Samples::new(model, folders);
    let request_samples: Vec<String> = operations
        .iter()
        .map(|(folder, op)| samples.request(folder, op).to_string())
        .collect();
    let build_arms = operations
        .iter()
        .zip(&op_requests)
        .enumerate()
        .map(|(index, ((_, op), request))| build_arm(index, op, request));
    quote! {
        //! Which generated type stands for which schema of the spec, for the tests that read
        //! the spec's examples.

        #[allow(unused_imports)]
        use crate::api::Request as _;
        #runtime_imports

        /// Every operation of the API documents: the file (relative to `data/`), the method as the
        /// spec writes it, and the path.
        pub const OPERATIONS: &[(&str, &str, &str)] = &[ #( (#op_files, #op_methods, #op_paths), )* ];

        /// The metadata of the request type of each of [`OPERATIONS`], in the same order.
        pub const METADATA: &[crate::api::Metadata] = &[ #( #op_requests::METADATA, )* ];

        /// Deserializes `value` as the type generated for the API schema written at `pointer` in
        /// `file` (relative to `data/`) and serializes it back; `None` when there is none.
        #[inline]
        pub fn round_trip_at(file: &str, pointer: &str, value: &serde_json::Value) -> Option<Result<serde_json::Value, String>> {
            fn via<T: serde::de::DeserializeOwned + serde::Serialize>(value: &serde_json::Value) -> Result<serde_json::Value, String> {
                let read: T = serde_json::from_value(value.clone()).map_err(|err| err.to_string())?;
                serde_json::to_value(&read).map_err(|err| err.to_string())
            }
            Some(match file {
                #(#at_arms)*
                _ => return None,
            })
        }

        /// A sample of each of [`OPERATIONS`]' requests, in the same order, as JSON: a value
        /// for each required field of its request struct (by field name), the smallest its type
        /// reads; a body of bytes is a string. [`build_request`] builds a request from it.
        pub const REQUEST_SAMPLES: &[&str] = &[ #(#request_samples),* ];

        /// Builds the request of the operation `index` of [`OPERATIONS`] from `fields` (a value
        /// for each field of its request struct, by field name, as in [`REQUEST_SAMPLES`]) and
        /// writes it as an `http` request to `base_url`; `None` when there is no such operation.
        #[inline]
        pub fn build_request(index: usize, fields: &serde_json::Value, base_url: &str, access_token: Option<&str>) -> Option<Result<http::Request<Vec<u8>>, String>> {
            fn field<T: serde::de::DeserializeOwned>(fields: &serde_json::Value, name: &str) -> Result<T, String> {
                let value = fields.get(name).cloned().unwrap_or_default();
                serde_json::from_value(value).map_err(|err| format!("`{name}`: {err}"))
            }
            fn optional<T: serde::de::DeserializeOwned>(fields: &serde_json::Value, name: &str) -> Result<Option<T>, String> {
                fields.get(name).map(|_| field(fields, name)).transpose()
            }
            #[inline]
            fn bytes(fields: &serde_json::Value, name: &str) -> Result<Option<Vec<u8>>, String> {
                match fields.get(name) {
                    None => Ok(None),
                    Some(serde_json::Value::String(text)) => Ok(Some(text.as_bytes().to_vec())),
                    Some(_) => Err(format!("`{name}`: the bytes of a body are given as a string")),
                }
            }
            fn build<R: crate::api::Request>(request: R, base_url: &str, access_token: Option<&str>) -> Result<http::Request<Vec<u8>>, String> {
                request.try_into_http_request(base_url, access_token).map_err(|err| err.to_string())
            }
            Some(match index {
                #(#build_arms)*
                _ => return None,
            })
        }

        /// Every schema file (its stem, e.g. `m.room.message$m.text`) with the name of its generated type.
        pub const SCHEMAS: &[(&str, &str)] = &[ #( (#schemas, #names), )* ];

        /// Deserializes `json` as the type generated for `schema` (a file stem, as in [`SCHEMAS`]) and
        /// serializes it back; `None` when no type was generated for `schema`.
        #[inline]
        pub fn round_trip(schema: &str, json: &str) -> Option<Result<serde_json::Value, serde_json::Error>> {
            fn via<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> Result<serde_json::Value, serde_json::Error> {
                let value: T = serde_json::from_str(json)?;
                serde_json::to_value(&value)
            }
            Some(match schema {
                #( #schemas => via::<#types>(json), )*
                _ => return None,
            })
        }

        /// Every event type with the `Any…` enums it is a variant of.
        pub const EVENT_ENUMS: &[(&str, &[&str])] = &[ #( (#event_types, &[#(#event_enums),*]), )* ];

        /// Every `Any…` enum.
        pub const ENUMS: &[&str] = &[ #(#enum_names),* ];

        /// Deserializes `json` through the `Any…` enum `enum_name` and serializes it back,
        /// with the name of the variant it was read as; `None` when there is no such enum.
        #[inline]
        pub fn round_trip_any(enum_name: &str, json: &str) -> Option<Result<(String, serde_json::Value), serde_json::Error>> {
            fn via<T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug>(json: &str) -> Result<(String, serde_json::Value), serde_json::Error> {
                let value: T = serde_json::from_str(json)?;
                let debug = format!("{value:?}");
                let variant = debug.split('(').next().unwrap_or_default().to_owned();
                Ok((variant, serde_json::to_value(&value)?))
            }
            Some(match enum_name {
                #( #enum_names => via::<#enum_idents>(json), )*
                _ => return None,
            })
        }
    }
}

/// The arm of `build_request` for the operation `index`: its request struct, each field read
/// from the given fields.
fn build_arm(index: usize, op: &OperationDef, request: &TokenStream) -> TokenStream {
    let mut inits = Vec::new();
    for parameter in &op.parameters {
        let (field, name) = (ident(&parameter.field), &parameter.field);
        inits.push(if parameter.required {
            quote! { #field: field(fields, #name)?, }
        } else {
            quote! { #field: optional(fields, #name)?, }
        });
    }
    if let Some(body) = &op.body {
        inits.push(match (&body.payload, body.required) {
            (Payload::Json(..), true) => quote! { body: field(fields, "body")?, },
            (Payload::Json(..), false) => quote! { body: optional(fields, "body")?, },
            // (The model gives error bodies to responses only.)
            (Payload::Bytes(_) | Payload::ErrorBody, true) => {
                quote! { body: bytes(fields, "body")?.ok_or("`body` is missing")?, }
            }
            (Payload::Bytes(_) | Payload::ErrorBody, false) => {
                quote! { body: bytes(fields, "body")?, }
            }
        });
    }
    let index = proc_macro2::Literal::usize_unsuffixed(index);
    if inits.is_empty() {
        quote! { #index => build(#request {}, base_url, access_token), }
    } else {
        // A closure, for the `?` of each field.
        quote! { #index => (|| build(#request { #(#inits)* }, base_url, access_token))(), }
    }
}

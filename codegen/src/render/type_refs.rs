//! A type reference as the generated code writes it (`Vec<UserId>`), noting the imports it
//! needs.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::TypeRef;

use super::ident;
use super::modules::Uses;

/// The newtypes of `matrix_types::ids` for the spec's string formats; other formats are strings.
const FORMAT_TYPES: &[(&str, &str)] = &[
    ("mx-user-id", "UserId"),
    ("mx-room-id", "RoomId"),
    ("mx-event-id", "EventId"),
    ("mx-room-alias", "RoomAlias"),
    ("mx-server-name", "ServerName"),
    ("mx-mxc-uri", "MxcUri"),
    ("mx-unpadded-base64", "UnpaddedBase64"),
    ("mx-urlsafe-unpadded-base64", "UrlSafeUnpaddedBase64"),
    ("uri", "Uri"),
    ("email", "EmailAddress"),
];

/// Whether a string format has a type of its own in the generated crate.
pub fn format_has_type(format: &str) -> bool {
    FORMAT_TYPES.iter().any(|(name, _)| *name == format)
}

/// The Rust type of `ty` as the generated code writes it (`Vec<UserId>`), for reports.
pub fn rust_type(ty: &TypeRef) -> String {
    tidy_type(&type_tokens(ty, &mut Uses::default()).to_string())
}

/// The Rust type of a struct field as the generated code declares it: `Option<…>` when the
/// field is optional or may be `null`, `Option<Option<…>>` when both.
pub fn field_type(ty: &TypeRef, required: bool, nullable: bool) -> String {
    let inner = rust_type(ty);
    match (required, nullable) {
        (true, false) => inner,
        (true, true) | (false, false) => format!("Option<{inner}>"),
        (false, true) => format!("Option<Option<{inner}>>"),
    }
}

/// `Vec < String >` as written: `Vec<String>`.
fn tidy_type(tokens: &str) -> String {
    tokens
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

pub(super) fn type_tokens(ty: &TypeRef, uses: &mut Uses) -> TokenStream {
    tokens(ty, uses, &|name| {
        let name = ident(name);
        quote! { #name }
    })
}

/// [`type_tokens`], each named type written as `path` writes its name (a path to it, for
/// code outside the type's folder).
pub(super) fn type_tokens_with_paths(
    ty: &TypeRef,
    uses: &mut Uses,
    path: &dyn Fn(&str) -> TokenStream,
) -> TokenStream {
    tokens(ty, uses, path)
}

fn tokens(ty: &TypeRef, uses: &mut Uses, path: &dyn Fn(&str) -> TokenStream) -> TokenStream {
    let type_tokens = |ty: &TypeRef, uses: &mut Uses| tokens(ty, uses, path);
    match ty {
        TypeRef::String => quote! { String },
        TypeRef::Integer => quote! { i64 },
        TypeRef::Number => {
            uses.json.insert("Number");
            quote! { Number }
        }
        TypeRef::Boolean => quote! { bool },
        TypeRef::Any => {
            uses.json.insert("Value");
            quote! { Value }
        }
        TypeRef::Object => {
            uses.json.extend(["Map", "Value"]);
            quote! { Map<String, Value> }
        }
        TypeRef::Array(item) => {
            let item = type_tokens(item, uses);
            quote! { Vec<#item> }
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner, uses);
            quote! { Option<#inner> }
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(inner, uses);
            quote! { Box<#inner> }
        }
        TypeRef::Map(key, value) => {
            let value = type_tokens(value, uses);
            map_tokens(key.as_deref(), value, uses)
        }
        TypeRef::Named(name) => {
            uses.named.insert(name.clone());
            path(name)
        }
        TypeRef::EventTypeTag(event) => {
            uses.runtime.insert("EventTypeTag");
            let event = path(event);
            quote! { EventTypeTag<#event> }
        }
        TypeRef::Format(format) => match FORMAT_TYPES.iter().find(|(name, _)| name == format) {
            Some((_, type_name)) => {
                uses.runtime.insert(type_name);
                let type_name = ident(type_name);
                quote! { #type_name }
            }
            None => quote! { String },
        },
        TypeRef::UnknownEvent => {
            uses.runtime.insert("UnknownEvent");
            quote! { UnknownEvent }
        }
        TypeRef::Raw(inner) => {
            uses.runtime.insert("Raw");
            let inner = type_tokens(inner, uses);
            quote! { Raw<#inner> }
        }
    }
}

/// `BTreeMap<K, value>`, whose keys have the string format `key` (if any).
pub(super) fn map_tokens(key: Option<&str>, value: TokenStream, uses: &mut Uses) -> TokenStream {
    uses.btree_map = true;
    let key = match key {
        Some(format) => type_tokens(&TypeRef::Format(format.to_owned()), uses),
        None => quote! { String },
    };
    quote! { BTreeMap<#key, #value> }
}

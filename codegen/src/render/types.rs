//! The type definitions: structs, string enums, unions, enums told apart by a tag or by a
//! field's presence, and aliases.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::model::{Field, TypeDef, TypeKind, TypeRef};

use super::deserialize::render_collecting_deserialize;
use super::dispatch::render_dispatch;
use super::docs::{doc_attrs, doc_lines};
use super::modules::{Gates, Uses};
use super::type_refs::type_tokens;
use super::{ident, UnknownFields};

pub(super) fn render_type(
    def: &TypeDef,
    uses: &mut Uses,
    unknown_fields: UnknownFields,
    gates: &Gates,
) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs);
    if !matches!(def.kind, TypeKind::Alias(_)) {
        uses.serde.extend(["Deserialize", "Serialize"]);
    }
    match &def.kind {
        TypeKind::Struct {
            fields,
            additional,
            additional_name,
        } => {
            let rendered: Vec<TokenStream> = fields
                .iter()
                .map(|field| render_field(field, uses, unknown_fields))
                .collect();
            // Where unknown fields are any JSON, so is a `null` the spec does not allow.
            let keeps_nulls = *additional == TypeRef::Any;
            let additional = type_tokens(additional, uses);
            let additional_name = ident(additional_name);
            uses.btree_map = true;
            let (default, constructor) =
                render_constructor(&def.name, fields, &additional_name, uses);
            let derives = if unknown_fields == UnknownFields::Collect {
                quote! { Debug, Clone, PartialEq, #default Serialize }
            } else {
                quote! { Debug, Clone, PartialEq, #default Serialize, Deserialize }
            };
            let deserialize = if unknown_fields == UnknownFields::Collect {
                render_collecting_deserialize(
                    &name,
                    fields,
                    &additional,
                    &additional_name,
                    keeps_nulls,
                    uses,
                )
            } else {
                TokenStream::new()
            };
            quote! {
                #docs
                #[derive(#derives)]
                #[non_exhaustive]
                pub struct #name {
                    #(#rendered)*
                    /// Fields the specification does not define, kept so that nothing is lost in a round trip.
                    #[serde(flatten)]
                    pub #additional_name: BTreeMap<String, #additional>,
                }

                #constructor

                #deserialize
            }
        }
        TypeKind::StringEnum { variants, open } => {
            let names: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
            let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
            let variant_docs: Vec<TokenStream> =
                variants.iter().map(|v| doc_attrs(&v.docs)).collect();
            let display = quote! {
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
            };
            if let Some(other) = open {
                let other = ident(other);
                uses.serde.extend(["Deserializer", "Serializer"]);
                return quote! {
                    #docs
                    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                    #[non_exhaustive]
                    pub enum #name {
                        #( #variant_docs #names, )*
                        /// A value the spec does not list (Matrix allows namespaced extensions), kept as written.
                        #other(String),
                    }

                    impl #name {
                        /// The value as it is written in JSON.
                        pub fn as_str(&self) -> &str {
                            match self {
                                #( Self::#names => #values, )*
                                Self::#other(value) => value,
                            }
                        }
                    }

                    impl From<&str> for #name {
                        fn from(value: &str) -> Self {
                            match value {
                                #( #values => Self::#names, )*
                                _ => Self::#other(value.to_owned()),
                            }
                        }
                    }

                    #display

                    impl Serialize for #name {
                        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                            serializer.serialize_str(self.as_str())
                        }
                    }

                    impl<'de> Deserialize<'de> for #name {
                        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                            crate::serde_helpers::from_str_value(deserializer)
                        }
                    }
                };
            }
            let single = variants.len() == 1;
            let default_derive = if single {
                quote! { Default, }
            } else {
                quote! {}
            };
            let default_attr = if single {
                quote! { #[default] }
            } else {
                quote! {}
            };
            quote! {
                #docs
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, #default_derive Serialize, Deserialize)]
                #[non_exhaustive]
                pub enum #name {
                    #( #variant_docs #default_attr #[serde(rename = #values)] #names, )*
                }

                impl #name {
                    /// The value as it is written in JSON.
                    pub fn as_str(&self) -> &'static str {
                        match self { #( Self::#names => #values, )* }
                    }
                }

                #display
            }
        }
        TypeKind::Union(variants) => {
            let names: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
            let types: Vec<TokenStream> =
                variants.iter().map(|v| type_tokens(&v.ty, uses)).collect();
            quote! {
                #docs
                // Untagged: the alternatives share no property that tells them apart.
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name {
                    #( #names(#types), )*
                }
            }
        }
        TypeKind::Dispatch {
            tag,
            variants,
            fallback,
        } => render_dispatch(&name, &docs, tag, variants, fallback, uses, gates),
        TypeKind::ByField {
            field,
            present,
            absent,
        } => {
            let present_name = ident(&present.name);
            let present_ty = type_tokens(&present.ty, uses);
            let absent_name = ident(&absent.name);
            let absent_ty = type_tokens(&absent.ty, uses);
            uses.runtime.insert("DispatchError");
            uses.json.insert("Value");
            uses.serde.insert("Deserializer");
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Serialize)]
                #[serde(untagged)]
                pub enum #name {
                    #present_name(#present_ty),
                    #absent_name(#absent_ty),
                }

                impl #name {
                    /// Reads an already parsed JSON value.
                    #[inline]
                    pub fn from_value(value: Value) -> Result<Self, DispatchError> {
                        if value.get(#field).is_some() {
                            #present_ty::from_value(value).map(Self::#present_name)
                        } else {
                            #absent_ty::from_value(value).map(Self::#absent_name)
                        }
                    }

                    /// The event's `type`.
                    pub fn event_type(&self) -> &str {
                        match self {
                            Self::#present_name(event) => event.event_type(),
                            Self::#absent_name(event) => event.event_type(),
                        }
                    }
                }

                impl #name {
                    /// Reads a value already read for dispatch (what `Deserialize` does).
                    #[doc(hidden)]
                    #[inline]
                    pub fn from_content(content: &crate::dispatch::Content<'_>) -> Result<Self, DispatchError> {
                        if content.get(#field).is_some() {
                            #present_ty::from_content(content).map(Self::#present_name)
                        } else {
                            #absent_ty::from_content(content).map(Self::#absent_name)
                        }
                    }
                }

                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let content = crate::dispatch::Content::deserialize(deserializer)?;
                        Self::from_content(&content).map_err(serde::de::Error::custom)
                    }
                }
            }
        }
        TypeKind::Alias(target) => {
            let target = type_tokens(target, uses);
            quote! { #docs pub type #name = #target; }
        }
        TypeKind::Newtype(target) => {
            // A map or an object is empty by default; another type has no obvious default.
            let default = match target {
                TypeRef::Map(..) | TypeRef::Object | TypeRef::Array(_) => quote! { Default, },
                _ => quote! {},
            };
            let target = type_tokens(target, uses);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #target);

                impl std::ops::Deref for #name {
                    type Target = #target;
                    fn deref(&self) -> &#target {
                        &self.0
                    }
                }

                impl std::ops::DerefMut for #name {
                    fn deref_mut(&mut self) -> &mut #target {
                        &mut self.0
                    }
                }

                impl From<#target> for #name {
                    fn from(inner: #target) -> Self {
                        #name(inner)
                    }
                }
            }
        }
    }
}

/// A struct's constructor: `new` takes its required fields in the schema's order (those with
/// one possible value are filled in, with their type's `Default`), the optional ones are
/// `None` and the map of unknown fields is empty. A struct with no field to take derives
/// `Default` instead. Returns the derive (`Default,` or nothing) and the `impl` (or nothing).
/// `#[inline]`: a constructor is compiled by the crates that call it, not by every build.
fn render_constructor(
    name: &str,
    fields: &[Field],
    additional_name: &Ident,
    uses: &mut Uses,
) -> (TokenStream, TokenStream) {
    let taken: Vec<&Field> = fields
        .iter()
        .filter(|f| f.required && !f.constant)
        .collect();
    if taken.is_empty() {
        return (quote! { Default, }, TokenStream::new());
    }
    let parameters = taken.iter().map(|field| {
        let name = ident(&field.name);
        let inner = type_tokens(&field.ty, uses);
        if field.nullable {
            quote! { #name: Option<#inner> }
        } else {
            quote! { #name: #inner }
        }
    });
    let values = fields.iter().map(|field| {
        let name = ident(&field.name);
        match (field.required, field.constant) {
            (true, true) => quote! { #name: Default::default() },
            (true, false) => quote! { #name },
            (false, _) => quote! { #name: None },
        }
    });
    // `a`, `b` and `c`.
    let list = |fields: Vec<&Field>| {
        let names: Vec<String> = fields
            .iter()
            .map(|field| format!("`{}`", field.json_name))
            .collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.concat(),
        }
    };
    let mut rest = Vec::new();
    let constant: Vec<&Field> = fields.iter().filter(|f| f.constant).collect();
    if !constant.is_empty() {
        let verb = if constant.len() == 1 { "takes" } else { "take" };
        rest.push(format!(
            "{} {verb} the one value the spec allows",
            list(constant)
        ));
    }
    if fields.iter().any(|f| !f.required) {
        rest.push("the optional fields are `None`".to_owned());
    }
    rest.push(format!("`{additional_name}` is empty"));
    let rest = rest.join("; ");
    let mut chars = rest.chars();
    let rest: String = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    let doc = doc_lines(&format!(
        "Builds a `{name}` from its required fields.\n\n{rest}."
    ));
    let allow = if taken.len() > 7 {
        quote! { #[allow(clippy::too_many_arguments)] }
    } else {
        TokenStream::new()
    };
    let name = ident(name);
    let constructor = quote! {
        impl #name {
            #doc
            #[inline]
            #allow
            pub fn new(#(#parameters),*) -> Self {
                Self {
                    #(#values,)*
                    #additional_name: BTreeMap::new(),
                }
            }
        }
    };
    (TokenStream::new(), constructor)
}

fn render_field(field: &Field, uses: &mut Uses, unknown_fields: UnknownFields) -> TokenStream {
    let docs = doc_attrs(&field.docs);
    let name = ident(&field.name);
    let inner = type_tokens(&field.ty, uses);
    let json_name = &field.json_name;
    let rename = if field.name != *json_name {
        quote! { #[serde(rename = #json_name)] }
    } else {
        quote! {}
    };
    let (ty, serde) = match (field.required, field.nullable) {
        (true, false) => (inner, quote! {}),
        (true, true) => (quote! { Option<#inner> }, quote! {}),
        (false, false) => (
            quote! { Option<#inner> },
            quote! { #[serde(skip_serializing_if = "Option::is_none")] },
        ),
        // Absent is `None`, `null` is `Some(None)`: both come back as they were read.
        (false, true) if unknown_fields == UnknownFields::Flatten => (
            quote! { Option<Option<#inner>> },
            quote! {
                #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::serde_helpers::present")]
            },
        ),
        (false, true) => (
            quote! { Option<Option<#inner>> },
            quote! { #[serde(skip_serializing_if = "Option::is_none")] },
        ),
    };
    quote! { #docs #rename #serde pub #name: #ty, }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::render::{render, render_with, UnknownFields, HEADER};
    use crate::resolve::Docs;

    #[test]
    fn renders_structs_with_renames_nullable_fields_extra_map_and_event_impl() {
        use crate::diagnostics::Location;
        use crate::model::{EventDef, Field, Module, TypeDef, TypeKind, TypeRef};
        let field =
            |json_name: &str, name: &str, ty: TypeRef, required: bool, nullable: bool| Field {
                json_name: json_name.into(),
                name: name.into(),
                // As the model marks it: an event's `type` has one value.
                constant: required && matches!(ty, TypeRef::EventTypeTag(_)),
                ty,
                required,
                nullable,
                docs: Docs::default(),
            };
        let event = TypeDef {
            name: "ThingEvent".into(),
            docs: Docs {
                description: Some("A thing.".into()),
                added_in: Some("1.7".into()),
                ..Docs::default()
            },
            source: Location::new("m.thing.yaml", ""),
            kind: TypeKind::Struct {
                fields: vec![
                    field(
                        "type",
                        "event_type",
                        TypeRef::EventTypeTag("ThingEvent".into()),
                        true,
                        false,
                    ),
                    field(
                        "content",
                        "content",
                        TypeRef::Named("Other".into()),
                        true,
                        false,
                    ),
                    field(
                        "m.relates_to",
                        "relates_to",
                        TypeRef::Map(None, Box::new(TypeRef::Number)),
                        false,
                        false,
                    ),
                    field("name", "name", TypeRef::String, false, true),
                ],
                additional: TypeRef::Any,
                additional_name: "extra".into(),
            },
        };
        // Placed as the model places them: both in `events`, the event's module using the other.
        let module = Module {
            name: "m_thing".into(),
            source: "m.thing.yaml".into(),
            folder: "events".into(),
            file: "m_thing".into(),
            uses: ["other".to_owned()].into(),
            types: vec![event],
            events: vec![EventDef {
                schema: "m.thing".into(),
                event_type: "m.thing".into(),
                struct_name: "ThingEvent".into(),
                content: TypeRef::Named("Other".into()),
            }],
            ..Module::default()
        };
        let mut model = Model::default();
        model.modules.insert("m_thing".into(), module);
        model.modules.insert(
            "other".into(),
            Module {
                name: "other".into(),
                source: "other.yaml".into(),
                folder: "events".into(),
                file: "other".into(),
                types: vec![TypeDef {
                    name: "Other".into(),
                    docs: Docs::default(),
                    source: Location::new("other.yaml", ""),
                    kind: TypeKind::Alias(TypeRef::Object),
                }],
                ..Module::default()
            },
        );
        let files = render_with(&model, UnknownFields::Flatten).unwrap();
        let text = &files["events/m_thing.rs"];
        for expected in [
            "use super::Other;",
            "/// A thing.\n///\n/// Added in Matrix v1.7.\n#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\n#[non_exhaustive]\npub struct ThingEvent {",
            // The required fields are taken, the constant `type` filled in, the rest empty.
            "impl ThingEvent {\n    /// Builds a `ThingEvent` from its required fields.\n    ///\n    /// `type` takes the one value the spec allows; the optional fields are `None`; `extra` is empty.\n    #[inline]\n    pub fn new(content: Other) -> Self {\n        Self {\n            event_type: Default::default(),\n            content,\n            relates_to: None,\n            name: None,\n            extra: BTreeMap::new(),\n        }\n    }\n}",
            "#[serde(rename = \"type\")]\n    pub event_type: EventTypeTag<ThingEvent>,",
            "#[serde(rename = \"m.relates_to\")]\n    #[serde(skip_serializing_if = \"Option::is_none\")]\n    pub relates_to: Option<BTreeMap<String, Number>>,",
            "deserialize_with = \"crate::serde_helpers::present\"",
            "pub name: Option<Option<String>>,",
            "#[serde(flatten)]\n    pub extra: BTreeMap<String, Value>,",
            "impl MatrixEvent for ThingEvent {\n    const EVENT_TYPE: &'static str = \"m.thing\";\n    type Content = Other;\n}",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
        assert!(text.starts_with(HEADER));
        assert!(files["events/mod.rs"].contains("mod m_thing;\npub use m_thing::*;"));
        assert!(files["schema_index.rs"].contains("pub fn round_trip"));

        // The default: a generated Deserialize that collects unknown keys as it goes.
        let files = render(&model).unwrap();
        let text = &files["events/m_thing.rs"];
        for expected in [
            "#[derive(Debug, Clone, PartialEq, Serialize)]\n#[non_exhaustive]\npub struct ThingEvent {",
            "pub fn new(content: Other) -> Self {",
            "#[serde(skip_serializing_if = \"Option::is_none\")]\n    pub name: Option<Option<String>>,",
            "#[serde(flatten)]\n    pub extra: BTreeMap<String, Value>,",
            "impl<'de> Deserialize<'de> for ThingEvent {",
            "while let Some(key) = map.next_key::<crate::serde_helpers::Key<'de>>()? {",
            // Each field read by the helper for its kind, shared by every struct.
            "\"name\" => {\n                            crate::serde_helpers::field(\n                                &mut map,\n                                &mut name_slot,\n                                \"name\",\n                            )?",
            // A `null` the spec does not allow is kept among the unknown fields.
            "crate::serde_helpers::optional_field(\n                                &mut map,\n                                &mut relates_to_slot,\n                                &mut extra,\n                                \"m.relates_to\",\n                            )?",
            "event_type: crate::serde_helpers::required(event_type_slot, \"type\")?,",
            "crate::serde_helpers::unknown_field(\n                                &mut map,\n                                key,\n                                &mut extra,\n                            )?",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
        assert!(!text.contains("crate::serde_helpers::present"), "{text}");
    }
}

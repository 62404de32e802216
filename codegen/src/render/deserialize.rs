//! The generated `Deserialize` of structs that collect unknown fields into their map.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Field, TypeRef};

use super::ident;
use super::modules::Uses;

/// `Deserialize` for a struct that keeps unknown fields: like serde's derive, but unknown keys
/// go straight into the map (`#[serde(flatten)]` would buffer every key and value first).
pub(super) fn render_collecting_deserialize(
    name: &Ident,
    fields: &[Field],
    additional: &TokenStream,
    additional_name: &Ident,
    keeps_nulls: bool,
    uses: &mut Uses,
) -> TokenStream {
    uses.serde.insert("Deserializer");
    let visitor = format_ident!("{}Visitor", name);
    let expecting = format!("the object {name}");
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut finals = Vec::new();
    // Free-form values are read with duplicate keys rejected, as the generated structs are.
    let read_unknown = if keeps_nulls {
        quote! { crate::serde_helpers::unknown_field(&mut map, key, &mut #additional_name)? }
    } else {
        quote! { crate::serde_helpers::typed_unknown_field(&mut map, key, &mut #additional_name)? }
    };
    for field in fields {
        let field_name = ident(&field.name);
        let slot = format_ident!(
            "{}_slot",
            field.name.trim_start_matches("r#").trim_end_matches('_')
        );
        let json_name = &field.json_name;
        // The slot is `None` until the key is read; its type follows from the field's. Each
        // way of reading is a helper shared by every struct (see `serde_helpers`).
        let read = match (field.required, field.nullable) {
            (true, false) if field.ty == TypeRef::Any => {
                quote! { crate::serde_helpers::free_form_field(&mut map, &mut #slot, #json_name)? }
            }
            (true, false) | (_, true) => {
                quote! { crate::serde_helpers::field(&mut map, &mut #slot, #json_name)? }
            }
            (false, false) if keeps_nulls => quote! {
                crate::serde_helpers::optional_field(&mut map, &mut #slot, &mut #additional_name, #json_name)?
            },
            (false, false) => quote! {
                crate::serde_helpers::lenient_optional_field(&mut map, &mut #slot, #json_name)?
            },
        };
        slots.push(quote! { let mut #slot = None; });
        arms.push(quote! { #json_name => #read, });
        finals.push(if field.required {
            quote! { #field_name: crate::serde_helpers::required(#slot, #json_name)?, }
        } else {
            quote! { #field_name: #slot, }
        });
    }
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct #visitor;

                impl<'de> serde::de::Visitor<'de> for #visitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        #(#slots)*
                        let mut #additional_name = BTreeMap::<String, #additional>::new();
                        while let Some(key) = map.next_key::<crate::serde_helpers::Key<'de>>()? {
                            match key.as_str() {
                                #(#arms)*
                                _ => #read_unknown,
                            }
                        }
                        Ok(#name { #(#finals)* #additional_name })
                    }
                }

                deserializer.deserialize_map(#visitor)
            }
        }
    }
}

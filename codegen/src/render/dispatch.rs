//! The enums told apart by a string tag (the `Any…` enums among them): reading the tag
//! first, then only the matching variant.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::model::TypeRef;

use super::ident;
use super::modules::{Gates, Uses};
use super::type_refs::type_tokens;

/// An enum told apart by the string at `tag`: `Deserialize` reads the tag first and then only
/// the matching variant (an untagged enum would try each in turn); `Serialize` is the variant's.
pub(super) fn render_dispatch(
    name: &Ident,
    docs: &TokenStream,
    tag: &str,
    variants: &[crate::model::DispatchVariant],
    fallback: &TypeRef,
    uses: &mut Uses,
    gates: &Gates,
) -> TokenStream {
    uses.runtime.insert("DispatchError");
    uses.json.insert("Value");
    uses.serde.insert("Deserializer");
    let names: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let types: Vec<TokenStream> = variants.iter().map(|v| type_tokens(&v.ty, uses)).collect();
    // A variant whose type is built only with some feature exists only then; its tag then
    // reads as the fallback.
    let cfgs: Vec<TokenStream> = variants.iter().map(|v| gates.cfg_for(&v.ty)).collect();
    let variant_docs = values.iter().map(|value| format!(" `{value}`"));
    let fallback_ty = type_tokens(fallback, uses);
    let is_event = *fallback == TypeRef::UnknownEvent;
    let fallback_doc = if is_event {
        let gated = variants.iter().any(|v| !gates.cfg_for(&v.ty).is_empty());
        if gated {
            format!(" An event whose `{tag}` this crate does not know, or whose feature is off, kept whole.")
        } else {
            format!(" An event whose `{tag}` this crate does not know, kept whole.")
        }
    } else {
        format!(
            " A `{tag}` this crate does not know (or the fields every `{tag}` has), kept whole."
        )
    };
    let from_value_doc =
        format!(" Reads an already parsed JSON value, choosing the variant by its `{tag}`.");
    if is_event {
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            // Boxed: events differ a lot in size, and a list of them should not pay for the largest.
            #[non_exhaustive]
            pub enum #name {
                #( #[doc = #variant_docs] #cfgs #names(Box<#types>), )*
                /// An event of a known type whose content a redaction stripped of fields its type
                /// requires (it has `unsigned.redacted_because`), kept whole.
                Redacted(Box<#fallback_ty>),
                #[doc = #fallback_doc]
                Unknown(Box<#fallback_ty>),
            }

            impl #name {
                #[doc = #from_value_doc]
                #[inline]
                pub fn from_value(value: Value) -> Result<Self, DispatchError> {
                    let read: fn(Value) -> Result<Self, DispatchError> = match crate::dispatch::tag(&value, #tag)? {
                        #( #cfgs #values => |value| Ok(match crate::dispatch::read_event(value, #values)? {
                            crate::dispatch::ReadEvent::Typed(event) => Self::#names(event),
                            crate::dispatch::ReadEvent::Redacted(event) => Self::Redacted(event),
                        }), )*
                        _ => |value| crate::dispatch::read_unknown(value, #tag).map(Self::Unknown),
                    };
                    read(value)
                }

                /// The event's `type`.
                pub fn event_type(&self) -> &str {
                    match self {
                        #( #cfgs Self::#names(_) => #values, )*
                        Self::Redacted(event) | Self::Unknown(event) => &event.event_type,
                    }
                }
            }

            impl #name {
                /// Reads a value already read for dispatch (what `Deserialize` does).
                #[doc(hidden)]
                #[inline]
                pub fn from_content(content: &crate::dispatch::Content<'_>) -> Result<Self, DispatchError> {
                    Ok(match crate::dispatch::content_tag(content, #tag)? {
                        #( #cfgs #values => match crate::dispatch::read_event_content(content, #values)? {
                            crate::dispatch::ReadEvent::Typed(event) => Self::#names(event),
                            crate::dispatch::ReadEvent::Redacted(event) => Self::Redacted(event),
                        }, )*
                        _ => Self::Unknown(crate::dispatch::read_unknown_content(content, #tag)?),
                    })
                }
            }

            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let content = crate::dispatch::Content::deserialize(deserializer)?;
                    Self::from_content(&content).map_err(serde::de::Error::custom)
                }
            }
        };
    }
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(untagged)]
        // Boxed: variants differ a lot in size.
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #cfgs #names(Box<#types>), )*
            #[doc = #fallback_doc]
            Unknown(Box<#fallback_ty>),
        }

        impl #name {
            #[doc = #from_value_doc]
            #[inline]
            pub fn from_value(value: Value) -> Result<Self, DispatchError> {
                let read: fn(Value) -> Result<Self, DispatchError> = match crate::dispatch::tag(&value, #tag)? {
                    #( #cfgs #values => |value| crate::dispatch::read(value, #tag, #values).map(Self::#names), )*
                    _ => |value| crate::dispatch::read_unknown(value, #tag).map(Self::Unknown),
                };
                read(value)
            }
        }

        impl #name {
            /// Reads a value already read for dispatch (what `Deserialize` does).
            #[doc(hidden)]
            #[inline]
            pub fn from_content(content: &crate::dispatch::Content<'_>) -> Result<Self, DispatchError> {
                Ok(match crate::dispatch::content_tag(content, #tag)? {
                    #( #cfgs #values => Self::#names(crate::dispatch::read_content(content, #tag, #values)?), )*
                    _ => Self::Unknown(crate::dispatch::read_unknown_content(content, #tag)?),
                })
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

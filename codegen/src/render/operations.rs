//! The operations of the APIs: each one's request struct and the enum of its responses.

use proc_macro2::TokenStream;
use quote::quote;

use crate::api::ParameterIn;
use crate::model::{OperationDef, Payload, SentContents, TypeRef};

use super::docs::{doc_attrs, doc_lines, doc_text, with_lead};
use super::ident;
use super::modules::Uses;
use super::type_refs::{map_tokens, type_tokens};

/// The request struct of an operation with its `Request` impl, and the enum of its
/// responses with its `Response` impl (both traits in the crate's `api` module).
pub(super) fn render_operation(op: &OperationDef, uses: &mut Uses) -> TokenStream {
    let request = ident(&op.request_name);
    let response = ident(&op.response_name);
    let method_upper = op.method.to_uppercase();
    let endpoint = format!("`{method_upper} {}`", op.full_path);
    let mut docs_text = with_lead(&endpoint, &doc_text(&op.docs));
    if !op.same_endpoint.is_empty() {
        let others: Vec<String> = op
            .same_endpoint
            .iter()
            .map(|name| format!("[`{name}`](super::{name})"))
            .collect();
        let all = if others.len() == 1 {
            "both"
        } else {
            "them all"
        };
        docs_text.push_str(&format!(
            "\n\n{endpoint} is also the endpoint of {}: a server takes {all} there and tells \
             them apart by their parameters and body.",
            others.join(", ")
        ));
    }
    let request_docs = doc_lines(&docs_text);
    let response_docs = doc_lines(&format!(
        "The responses to {endpoint}, one per documented status."
    ));

    let mut fields = Vec::new();
    let mut writes = Vec::new();
    for parameter in &op.parameters {
        let field = ident(&parameter.field);
        let ty = type_tokens(&parameter.ty, uses);
        let ty = if parameter.required {
            ty
        } else {
            quote! { Option<#ty> }
        };
        let docs = doc_attrs(&parameter.docs);
        fields.push(quote! { #docs pub #field: #ty, });
        let name = &parameter.name;
        writes.push(match parameter.place {
            ParameterIn::Path => quote! { parts.path(#name, &self.#field)?; },
            ParameterIn::Query => quote! { parts.query(#name, &self.#field)?; },
            ParameterIn::Header => quote! { parts.header(#name, &self.#field)?; },
        });
    }
    if let Some(body) = &op.body {
        let docs = doc_attrs(&body.docs);
        let (ty, write) = match &body.payload {
            Payload::Json(ty, nullable) => {
                let ty = type_tokens(ty, uses);
                let ty = if *nullable {
                    quote! { Option<#ty> }
                } else {
                    ty
                };
                (ty, quote! { parts.json_body(body)?; })
            }
            Payload::Bytes(_) => (quote! { Vec<u8> }, quote! { parts.bytes_body(body); }),
            Payload::ErrorBody => unreachable!("the model gives it to responses only"),
        };
        if body.required {
            fields.push(quote! { #docs pub body: #ty, });
            writes.push(quote! { let body = &self.body; #write });
        } else {
            fields.push(quote! { #docs pub body: Option<#ty>, });
            writes.push(quote! { if let Some(body) = &self.body { #write } });
        }
    }

    let method = &method_upper;
    let path = &op.full_path;
    let operation_id = &op.operation_id;
    let security = &op.security;
    let optional = op.security_optional;
    let rate_limited = op.rate_limited;
    let deprecated = op.docs.deprecated;
    let added_in = match &op.docs.added_in {
        Some(version) => quote! { Some(#version) },
        None => quote! { None },
    };
    let changed_in: Vec<&str> = op.docs.changed_in.iter().map(|(v, _)| v.as_str()).collect();

    let mut variants = Vec::new();
    // The arms reading each status: exact statuses first, then ranges, then `default`.
    let mut reads: [Vec<TokenStream>; 3] = Default::default();
    let mut statuses = Vec::new();
    let mut writes_out = Vec::new();
    for response_def in &op.responses {
        let rendered = render_response_variant(response_def, uses);
        variants.push(rendered.variant);
        statuses.push(rendered.status);
        writes_out.push(rendered.write);
        let order = match rendered.matched {
            Matched::Exact(_) => 0,
            Matched::Range(_) => 1,
            Matched::Any => 2,
        };
        // Only the first `default` can be read (the spec writes one at most).
        if order < 2 || reads[2].is_empty() {
            reads[order].push(rendered.read);
        }
    }
    let [exact, ranges, default] = reads;
    let mut reads = exact;
    reads.extend(ranges);
    if default.is_empty() {
        // A status the operation does not document: a Matrix error if it is an error status
        // whose body is the standard error response, else the status and the body as they are.
        reads.push(
            quote! { _ => return Err(crate::api::FromHttpError::undocumented(status, body)), },
        );
    } else {
        reads.extend(default);
    }
    let response_type = if variants.is_empty() {
        // An operation documents at least one response; an empty enum still reads nothing.
        quote! { pub enum #response {} }
    } else {
        quote! {
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #response { #(#variants)* }
        }
    };
    let (status_body, to_parts) = if variants.is_empty() {
        (quote! { match *self {} }, quote! { match *self {} })
    } else {
        (
            quote! { match self { #(#statuses)* } },
            quote! { Ok(match self { #(#writes_out)* }) },
        )
    };
    let parts_name = if writes.is_empty() {
        quote! { _parts }
    } else {
        quote! { parts }
    };
    let (derive_default, constructors) = render_constructors(op, uses);
    quote! {
        #request_docs
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #request { #(#fields)* }

        #constructors

        impl crate::api::Request for #request {
            type Response = #response;
            const METADATA: crate::api::Metadata = crate::api::Metadata {
                method: #method,
                path: #path,
                operation_id: #operation_id,
                authentication: &[#(#security),*],
                authentication_optional: #optional,
                rate_limited: #rate_limited,
                deprecated: #deprecated,
                added_in: #added_in,
                changed_in: &[#(#changed_in),*],
            };

            #[inline]
            fn write_parts(&self, #parts_name: &mut crate::api::RequestParts) -> Result<(), crate::api::IntoHttpError> {
                #(#writes)*
                Ok(())
            }
        }

        #response_docs
        #response_type

        impl crate::api::Response for #response {
            #[inline]
            fn from_parts(status: u16, headers: &crate::api::HeaderMap, body: &[u8]) -> Result<Self, crate::api::FromHttpError> {
                let _ = headers;
                Ok(match status {
                    #(#reads)*
                })
            }

            fn status(&self) -> u16 { #status_body }

            #[inline]
            fn to_parts(&self) -> Result<crate::api::ResponseParts, crate::api::IntoHttpError> { #to_parts }
        }
    }
}

/// The constructors of a request: `new` with its required parameters and body (the others
/// `None`), or `Default` when nothing is required. A request that sends events takes a typed
/// content in `new`, which fills in the event type, and keeps the plain constructor as
/// `new_raw` for content of any type.
fn render_constructors(op: &OperationDef, uses: &mut Uses) -> (TokenStream, TokenStream) {
    let request = ident(&op.request_name);
    // The arguments of the plain constructor: each required parameter, and the body if required.
    let mut required: Vec<(&str, TokenStream)> = Vec::new();
    let mut inits = Vec::new();
    for parameter in &op.parameters {
        let field = ident(&parameter.field);
        if parameter.required {
            required.push((&parameter.field, type_tokens(&parameter.ty, uses)));
            inits.push(quote! { #field, });
        } else {
            inits.push(quote! { #field: None, });
        }
    }
    if let Some(body) = &op.body {
        if body.required {
            let ty = match &body.payload {
                Payload::Json(ty, false) => type_tokens(ty, uses),
                Payload::Json(ty, true) => {
                    let ty = type_tokens(ty, uses);
                    quote! { Option<#ty> }
                }
                Payload::Bytes(_) => quote! { Vec<u8> },
                Payload::ErrorBody => unreachable!("the model gives it to responses only"),
            };
            required.push(("body", ty));
            inits.push(quote! { body, });
        } else {
            inits.push(quote! { body: None, });
        }
    }
    if required.is_empty() {
        return (quote! { Default }, quote! {});
    }
    let params: Vec<TokenStream> = required
        .iter()
        .map(|(name, ty)| {
            let name = ident(name);
            quote! { #name: #ty }
        })
        .collect();
    let Some(sends) = &op.sends else {
        return (
            quote! {},
            quote! {
                impl #request {
                    /// A request with the required parameters (and body); the optional ones are `None`.
                    pub fn new(#(#params),*) -> Self {
                        #request { #(#inits)* }
                    }
                }
            },
        );
    };
    let kind_trait = ident(sends.kind.content_trait());
    // `new` takes every required parameter but the event type, and the content(s); it passes
    // them, the event type of `C` and the body made of the content(s) to `new_raw`.
    let is_event_type = |name: &str| name == sends.event_type_field;
    let typed_params: Vec<&TokenStream> = params
        .iter()
        .zip(&required)
        .filter(|(_, (name, _))| !is_event_type(name) && *name != "body")
        .map(|(param, _)| param)
        .collect();
    let raw_args: Vec<TokenStream> = required
        .iter()
        .map(|(name, _)| {
            if is_event_type(name) {
                quote! { C::EVENT_TYPE.into() }
            } else {
                let name = ident(name);
                quote! { #name }
            }
        })
        .collect();
    let (content_param, make_body, docs) = match &sends.contents {
        SentContents::Body => (
            quote! { content: &C },
            quote! { let body = crate::Raw::new(content)?.cast(); },
            " A request that sends `content`, its event type filled in from its type.".to_owned(),
        ),
        SentContents::PerDevice {
            body_type,
            field,
            ty,
        } => {
            let TypeRef::Map(user_key, devices) = ty else {
                unreachable!("the model checks the shape of the contents");
            };
            let TypeRef::Map(device_key, _) = &**devices else {
                unreachable!("the model checks the shape of the contents");
            };
            let by_device = map_tokens(device_key.as_deref(), quote! { C }, uses);
            let typed = map_tokens(user_key.as_deref(), by_device, uses);
            let docs = format!(
                " A request that sends the contents in `{field}` (by user, then device), their event type filled in from their type."
            );
            let field = ident(field);
            let body_type = ident(body_type);
            (
                quote! { #field: &#typed },
                quote! {
                    let mut raw = BTreeMap::new();
                    for (user, devices) in #field {
                        let mut out = BTreeMap::new();
                        for (device, content) in devices {
                            out.insert(device.clone(), crate::Raw::new(content)?.cast());
                        }
                        raw.insert(user.clone(), out);
                    }
                    let body = #body_type::new(raw);
                },
                docs,
            )
        }
    };
    (
        quote! {},
        quote! {
            impl #request {
                #[doc = #docs]
                pub fn new<C: crate::#kind_trait>(#(#typed_params,)* #content_param) -> Result<Self, serde_json::Error> {
                    #make_body
                    Ok(Self::new_raw(#(#raw_args),*))
                }

                /// A request that sends content of any event type, with its type string: for
                /// event types this crate does not know.
                pub fn new_raw(#(#params),*) -> Self {
                    #request { #(#inits)* }
                }
            }
        },
    )
}

/// The statuses a response is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Matched {
    /// One status (`404`).
    Exact(u16),
    /// A range of a hundred (`4XX`: the first digit).
    Range(u16),
    /// Any status no other response documents (`default`).
    Any,
}

impl Matched {
    fn of(status: &str) -> Matched {
        if let Ok(code) = status.parse() {
            return Matched::Exact(code);
        }
        let mut chars = status.chars();
        match (chars.next().and_then(|c| c.to_digit(10)), chars.as_str()) {
            (Some(first @ 1..=5), "XX" | "xx") => Matched::Range(first as u16),
            _ => Matched::Any,
        }
    }
}

/// One response of an operation as a variant of its enum, with how it is read and written.
struct ResponseVariant {
    variant: TokenStream,
    /// The statuses it is read for, and the match arm reading it.
    matched: Matched,
    read: TokenStream,
    status: TokenStream,
    write: TokenStream,
}

/// A response of one status without headers is a unit or tuple variant (`NoContent`,
/// `Ok(Box<Body>)`); one with headers, or of a range of statuses (`4XX`, `default`), a struct
/// variant holding the `status` it was sent with (for a range), the `body` and a field per
/// header.
fn render_response_variant(
    response_def: &crate::model::ResponseDef,
    uses: &mut Uses,
) -> ResponseVariant {
    let variant = ident(&response_def.variant);
    let status_text = format!("`{}`", response_def.status);
    let mut docs_text = with_lead(&status_text, &doc_text(&response_def.docs));
    if response_def.payload == Some(Payload::ErrorBody) {
        docs_text.push_str(
            "\n\nThe spec gives no body for this status; servers answer errors with the standard \
             error response all the same. The body is kept as received, read as the standard \
             error where it is one, so that the response written back is the one received.",
        );
    }
    let docs = doc_lines(&docs_text);
    let matched = Matched::of(&response_def.status);
    let (pattern, status_value) = match matched {
        Matched::Exact(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            (quote! { #code }, Some(quote! { #code }))
        }
        Matched::Range(first) => {
            let low = proc_macro2::Literal::u16_unsuffixed(first * 100);
            let high = proc_macro2::Literal::u16_unsuffixed(first * 100 + 99);
            (quote! { #low..=#high }, None)
        }
        Matched::Any => (quote! { _ }, None),
    };
    // The body: its type, how it is read from `body`, and how `body` (a reference) is written.
    let payload = response_def.payload.as_ref().map(|payload| match payload {
        Payload::Bytes(_) => (
            quote! { Vec<u8> },
            quote! { body.to_vec() },
            quote! { body.clone() },
        ),
        Payload::ErrorBody => (
            quote! { crate::api::ErrorBody },
            quote! { crate::api::ErrorBody::read(body) },
            quote! { body.to_bytes()? },
        ),
        Payload::Json(ty, nullable) => {
            let boxed = matches!(ty, TypeRef::Named(_));
            let ty = type_tokens(ty, uses);
            let ty = if *nullable {
                quote! { Option<#ty> }
            } else {
                ty
            };
            if boxed {
                (
                    quote! { Box<#ty> },
                    quote! { Box::new(crate::api::json(status, body)?) },
                    quote! { crate::api::json_bytes(body)? },
                )
            } else {
                (
                    ty,
                    quote! { crate::api::json(status, body)? },
                    quote! { crate::api::json_bytes(body)? },
                )
            }
        }
    });
    if let (true, Some(status_value)) = (response_def.headers.is_empty(), &status_value) {
        return match payload {
            None => ResponseVariant {
                variant: quote! { #docs #variant, },
                matched,
                read: quote! { #pattern => Self::#variant, },
                status: quote! { Self::#variant => #status_value, },
                write: quote! { Self::#variant => (Vec::new(), Vec::new()), },
            },
            Some((ty, read, write)) => ResponseVariant {
                variant: quote! { #docs #variant(#ty), },
                matched,
                read: quote! { #pattern => Self::#variant(#read), },
                status: quote! { Self::#variant(_) => #status_value, },
                write: quote! { Self::#variant(body) => (Vec::new(), #write), },
            },
        };
    }
    let mut fields = Vec::new();
    let mut field_reads = Vec::new();
    let mut field_writes = Vec::new();
    let mut bound = Vec::new();
    let status_arm = match &status_value {
        Some(value) => quote! { Self::#variant { .. } => #value, },
        None => {
            fields.push(quote! {
                /// The status the response was sent with.
                status: u16,
            });
            field_reads.push(quote! { status, });
            quote! { Self::#variant { status, .. } => *status, }
        }
    };
    for header in &response_def.headers {
        let field = ident(&header.field);
        let ty = type_tokens(&header.ty, uses);
        let header_docs = doc_attrs(&header.docs);
        let name = &header.name;
        if header.required {
            fields.push(quote! { #header_docs #field: #ty, });
            field_reads
                .push(quote! { #field: crate::api::required_header(status, headers, #name)?, });
        } else {
            fields.push(quote! { #header_docs #field: Option<#ty>, });
            field_reads.push(quote! { #field: crate::api::header(status, headers, #name)?, });
        }
        field_writes.push(quote! { crate::api::write_header(&mut written, #name, #field)?; });
        bound.push(field);
    }
    let (body_field, body_read, body_write) = match payload {
        Some((ty, read, write)) => {
            bound.push(ident("body"));
            (
                quote! { /// The body.
                body: #ty, },
                quote! { body: #read, },
                write,
            )
        }
        None => (quote! {}, quote! {}, quote! { Vec::new() }),
    };
    let rest = if bound.is_empty() {
        quote! { .. }
    } else {
        quote! { #(#bound,)* .. }
    };
    ResponseVariant {
        variant: quote! { #docs #variant { #body_field #(#fields)* }, },
        matched,
        read: quote! { #pattern => Self::#variant { #body_read #(#field_reads)* }, },
        status: status_arm,
        write: if field_writes.is_empty() {
            quote! { Self::#variant { #rest } => (Vec::new(), #body_write), }
        } else {
            quote! {
                Self::#variant { #rest } => {
                    let mut written = Vec::new();
                    #(#field_writes)*
                    (written, #body_write)
                }
            }
        },
    }
}

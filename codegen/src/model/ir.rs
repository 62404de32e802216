//! The model (the IR): named types, events, modules and operations, independent of Rust
//! syntax; what the render stage reads.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::ParameterIn;
use crate::diagnostics::Location;
use crate::resolve::Docs;

/// A reference to a type from a field, a map value, a list item, an alias or a union variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    String,
    Integer,
    /// Any JSON number, kept as written (`0` stays `0`).
    Number,
    Boolean,
    /// Any JSON value: the schema leaves it open.
    Any,
    /// Any JSON object: `type: object` with nothing else said.
    Object,
    Array(Box<TypeRef>),
    /// A value that may also be `null`, where no field can say so: a list's items, a map's values.
    Nullable(Box<TypeRef>),
    /// A type held on the heap, because it contains the type that holds it (`Box<Node>`).
    Boxed(Box<TypeRef>),
    /// An object used as a map from string keys (in a string format, if any) to values of one type.
    Map(Option<String>, Box<TypeRef>),
    Named(String),
    /// The `type` field of an event: always the event's own type string.
    EventTypeTag(String),
    /// A string in one of the spec's string formats (`mx-user-id`, `uri`, ...).
    Format(String),
    /// A whole event of a type the spec does not define, kept as it was read.
    UnknownEvent,
    /// The JSON of a value of the type, kept as received and read when asked (`Raw<T>`):
    /// events the API carries.
    Raw(Box<TypeRef>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The name in JSON.
    pub json_name: String,
    /// The Rust field name, unique within its struct.
    pub name: String,
    pub ty: TypeRef,
    pub required: bool,
    /// `null` is a value the field can take (distinct from the field being absent).
    pub nullable: bool,
    /// Required, and the schema allows one value only (an event's `type`, a `msgtype` fixed to
    /// `m.text`): a constructor fills it in (its type's `Default` is that value) rather than
    /// taking it. Known once every type is defined, and set then.
    pub constant: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub name: String,
    pub value: String,
    /// What the value means, where something says (the error codes of the spec's prose).
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
}

/// One alternative of a [`TypeKind::Dispatch`]: taken when the tag has `value`.
#[derive(Debug, Clone, PartialEq)]
pub struct DispatchVariant {
    pub name: String,
    pub value: String,
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties; any others are kept in a map of `additional` values.
    Struct {
        fields: Vec<Field>,
        additional: TypeRef,
        additional_name: String,
    },
    /// A string with a known set of values; an open one keeps any other value as written, in
    /// the variant named by `open`.
    StringEnum {
        variants: Vec<EnumVariant>,
        open: Option<String>,
    },
    /// A value of one of several shapes, tried in order.
    Union(Vec<UnionVariant>),
    /// An object whose string property `tag` tells its shape; any other value of the tag
    /// reads as `fallback`, which keeps the whole object.
    Dispatch {
        tag: String,
        variants: Vec<DispatchVariant>,
        fallback: TypeRef,
    },
    /// An object that is `present` when it has the property `field`, else `absent`.
    ByField {
        field: String,
        present: UnionVariant,
        absent: UnionVariant,
    },
    Alias(TypeRef),
    /// A type of its own around another, read and written as it (`pub struct X(pub T)`): the
    /// content of an event whose content schema other events share, or that is a map, so
    /// that each event's content is a type that knows its event type.
    Newtype(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub docs: Docs,
    pub source: Location,
    pub kind: TypeKind,
}

/// An event type: a struct whose `type` field is fixed, with its content type.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDef {
    /// The schema file's stem, `$variant` included: `m.room.message$m.text`.
    pub schema: String,
    pub event_type: String,
    pub struct_name: String,
    pub content: TypeRef,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Module {
    /// The module's key in [`Model::modules`], named for its spec file.
    pub name: String,
    /// The spec file the module's types come from; empty for a module the generator makes
    /// (the `Any…` enums, the standard error response).
    pub source: String,
    /// What the module holds, for the doc of its file: for a module with no `source`.
    pub summary: Option<String>,
    /// The folder of the crate it goes to (one of [`FOLDERS`]; a module the generator makes
    /// may come with its folder, which it keeps): `events` and `common` are
    /// imported by every folder, so the names of their types are unique in the crate; the
    /// names of an API's folder are unique in that folder.
    pub folder: String,
    /// Its file in the folder, without `.rs`: `profile` for `api/client-server/profile.yaml`
    /// in `client_server`.
    pub file: String,
    /// The modules whose types its items name.
    pub uses: BTreeSet<String>,
    pub types: Vec<TypeDef>,
    pub events: Vec<EventDef>,
    /// The content types of the events of this module, with their event types and kinds.
    pub contents: Vec<ContentDef>,
    pub operations: Vec<OperationDef>,
}

/// The content type of an event: what it is sent as (`EventContent` and a trait per kind).
#[derive(Debug, Clone, PartialEq)]
pub struct ContentDef {
    pub type_name: String,
    pub event_type: String,
    /// The kinds the event is of (its `$variant` contents: those of their event).
    pub kinds: Vec<crate::kinds::Kind>,
}

/// An API operation: its request and response types, and what the spec says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationDef {
    /// The API folder (`client-server`), the method (lowercase) and path as the spec writes them:
    /// the path key is the operation's identity, and may end with a space that tells it apart
    /// from another operation of the same path and method (`"/rooms/{roomId}/invite "`).
    pub api: String,
    pub method: String,
    pub path: String,
    /// The base path and the path, trimmed: what a request is sent to (`Metadata::path`).
    pub full_path: String,
    pub operation_id: String,
    pub source: Location,
    pub docs: Docs,
    /// The struct of the request and the enum of its responses.
    pub request_name: String,
    pub response_name: String,
    pub security: Vec<String>,
    pub security_optional: bool,
    pub rate_limited: bool,
    pub parameters: Vec<ParameterDef>,
    pub body: Option<BodyDef>,
    pub responses: Vec<ResponseDef>,
    /// When the operation sends events: how its request is built from a typed content.
    pub sends: Option<Sends>,
    /// The request structs of the other operations the spec describes at the same method and
    /// path (told apart by a space after the path key): one endpoint of a server takes them
    /// all, and tells them apart by what they carry.
    pub same_endpoint: Vec<String>,
}

/// How an operation that sends events takes their content.
#[derive(Debug, Clone, PartialEq)]
pub struct Sends {
    /// The kind of the events; the content type implements its trait.
    pub kind: crate::kinds::Kind,
    /// The request field of the parameter that holds the event type.
    pub event_type_field: String,
    pub contents: SentContents,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SentContents {
    /// The body is the content.
    Body,
    /// The body is the struct `body_type` whose one required field, `field`, of type `ty`,
    /// maps users to devices to contents (`/sendToDevice`).
    PerDevice {
        body_type: String,
        field: String,
        ty: TypeRef,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParameterDef {
    /// The name in the request (path template, query string or header).
    pub name: String,
    /// The Rust field name, unique within the request.
    pub field: String,
    pub place: ParameterIn,
    pub required: bool,
    pub ty: TypeRef,
    pub docs: Docs,
}

/// What a request or response carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// JSON of the type; `true` when it may be `null`.
    Json(TypeRef, bool),
    /// An error status the spec documents without a body schema: whatever the server sends
    /// (it answers errors with the standard error response), kept as received and read as
    /// the standard error where it is one (the frame's `api::ErrorBody`).
    ErrorBody,
    /// Bytes of the media types listed (an upload, a thumbnail).
    Bytes(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct BodyDef {
    pub required: bool,
    pub payload: Payload,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDef {
    /// As written: `200`, `429`.
    pub status: String,
    /// The variant of the response enum.
    pub variant: String,
    /// `None`: no body.
    pub payload: Option<Payload>,
    /// The headers the spec names; `field` is unique among them and `body`.
    pub headers: Vec<ParameterDef>,
    pub docs: Docs,
}

/// A top-level schema file and the type it became, for lookups by schema name.
#[derive(Debug, Clone, PartialEq)]
pub struct RootType {
    pub schema: String,
    pub type_name: String,
}

/// A name that a counter tells apart from another (nothing else did), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberedName {
    /// The folder (and file, for a module) of the name.
    pub place: String,
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Model {
    /// Modules by name.
    pub modules: BTreeMap<String, Module>,
    pub roots: Vec<RootType>,
    /// Things worth telling whoever runs the generator, not errors (an event in no kind, say).
    pub notes: Vec<String>,
    /// Entries of the overrides file that this spec has nothing for (an event kind listed for
    /// an event it lacks, a place of an API it does not have): they serve other releases.
    pub other_releases: Vec<String>,
    /// The type of every schema a type was made for, where it is written (before its `$ref`
    /// is followed), and whether it may be `null`: how examples find their types.
    pub schema_types: BTreeMap<Location, (TypeRef, bool)>,
    /// The names of types and module files numbered to be unique, with the reason: none,
    /// unless two things nothing else tells apart want one name.
    pub numbered: Vec<NumberedName>,
}

/// The folders of the crate's modules: the events and the types shared between folders, then
/// one per API (named for its folder of the spec's `api/`).
pub const FOLDERS: &[&str] = &[
    "events",
    "common",
    "client_server",
    "server_server",
    "application_service",
    "identity",
    "push_gateway",
];

/// Whether every folder imports the types of `folder` (`events` and `common`).
pub fn is_shared_folder(folder: &str) -> bool {
    folder == "events" || folder == "common"
}

impl TypeRef {
    /// The named type this reference names, if any (at most one: a reference has one leaf).
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) | TypeRef::EventTypeTag(name) => Some(name),
            TypeRef::Array(inner)
            | TypeRef::Nullable(inner)
            | TypeRef::Boxed(inner)
            | TypeRef::Map(_, inner)
            | TypeRef::Raw(inner) => inner.named(),
            _ => None,
        }
    }

    /// The named type this reference names, to rename it.
    pub(crate) fn named_mut(&mut self) -> Option<&mut String> {
        match self {
            TypeRef::Named(name) | TypeRef::EventTypeTag(name) => Some(name),
            TypeRef::Array(inner)
            | TypeRef::Nullable(inner)
            | TypeRef::Boxed(inner)
            | TypeRef::Map(_, inner)
            | TypeRef::Raw(inner) => inner.named_mut(),
            _ => None,
        }
    }
}

impl Module {
    /// Every type reference of the module's items: fields, variants, aliases, event
    /// contents, parameters, bodies and headers.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        let mut refs = Vec::new();
        for def in &self.types {
            match &def.kind {
                TypeKind::Struct {
                    fields, additional, ..
                } => {
                    refs.extend(fields.iter().map(|f| &f.ty));
                    refs.push(additional);
                }
                TypeKind::StringEnum { .. } => {}
                TypeKind::Union(variants) => refs.extend(variants.iter().map(|v| &v.ty)),
                TypeKind::Dispatch {
                    variants, fallback, ..
                } => {
                    refs.extend(variants.iter().map(|v| &v.ty));
                    refs.push(fallback);
                }
                TypeKind::ByField {
                    present, absent, ..
                } => refs.extend([&present.ty, &absent.ty]),
                TypeKind::Alias(ty) | TypeKind::Newtype(ty) => refs.push(ty),
            }
        }
        refs.extend(self.events.iter().map(|e| &e.content));
        for op in &self.operations {
            refs.extend(op.parameters.iter().map(|p| &p.ty));
            if let Some(BodyDef {
                payload: Payload::Json(ty, _),
                ..
            }) = &op.body
            {
                refs.push(ty);
            }
            for response in &op.responses {
                if let Some(Payload::Json(ty, _)) = &response.payload {
                    refs.push(ty);
                }
                refs.extend(response.headers.iter().map(|h| &h.ty));
            }
            if let Some(Sends {
                contents: SentContents::PerDevice { ty, .. },
                ..
            }) = &op.sends
            {
                refs.push(ty);
            }
        }
        refs
    }

    /// [`Module::type_refs`], to rename what they name.
    pub(crate) fn type_refs_mut(&mut self) -> Vec<&mut TypeRef> {
        let mut refs = Vec::new();
        for def in &mut self.types {
            match &mut def.kind {
                TypeKind::Struct {
                    fields, additional, ..
                } => {
                    refs.extend(fields.iter_mut().map(|f| &mut f.ty));
                    refs.push(additional);
                }
                TypeKind::StringEnum { .. } => {}
                TypeKind::Union(variants) => refs.extend(variants.iter_mut().map(|v| &mut v.ty)),
                TypeKind::Dispatch {
                    variants, fallback, ..
                } => {
                    refs.extend(variants.iter_mut().map(|v| &mut v.ty));
                    refs.push(fallback);
                }
                TypeKind::ByField {
                    present, absent, ..
                } => refs.extend([&mut present.ty, &mut absent.ty]),
                TypeKind::Alias(ty) | TypeKind::Newtype(ty) => refs.push(ty),
            }
        }
        refs.extend(self.events.iter_mut().map(|e| &mut e.content));
        for op in &mut self.operations {
            refs.extend(op.parameters.iter_mut().map(|p| &mut p.ty));
            if let Some(BodyDef {
                payload: Payload::Json(ty, _),
                ..
            }) = &mut op.body
            {
                refs.push(ty);
            }
            for response in &mut op.responses {
                if let Some(Payload::Json(ty, _)) = &mut response.payload {
                    refs.push(ty);
                }
                refs.extend(response.headers.iter_mut().map(|h| &mut h.ty));
            }
            if let Some(Sends {
                contents: SentContents::PerDevice { ty, .. },
                ..
            }) = &mut op.sends
            {
                refs.push(ty);
            }
        }
        refs
    }
}

//! Stage 3: from the schema graph to a model of named types, independent of how they are rendered.
//!
//! This is where `allOf` and `$ref` siblings are merged, where one schema reached along
//! several paths becomes one type, and where every type gets its name.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::rc::Rc;

use serde_json::Value;

use crate::api::{Content, Operation, ParameterIn};
use crate::diagnostics::{Diagnostic, Errors, Location};
use crate::kinds::{Form, Kind, FORMS, TIMELINES};
use crate::naming;
use crate::resolve::{Additional, Docs, JsonType, SchemaGraph, SchemaId};

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
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub name: String,
    pub value: String,
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
    pub name: String,
    /// The spec file the module's types come from.
    pub source: String,
    pub types: Vec<TypeDef>,
    pub events: Vec<EventDef>,
    pub operations: Vec<OperationDef>,
}

/// An API operation: its request and response types, and what the spec says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationDef {
    /// The API folder (`client-server`), the method (lowercase) and path as the spec writes them.
    pub api: String,
    pub method: String,
    pub path: String,
    /// The base path and the path: what a request is sent to.
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

#[derive(Debug, Default)]
pub struct Model {
    /// Modules by name.
    pub modules: BTreeMap<String, Module>,
    pub roots: Vec<RootType>,
    /// Things worth telling whoever runs the generator, not errors (an event in no kind, say).
    pub notes: Vec<String>,
    /// The type of every schema a type was made for, where it is written (before its `$ref`
    /// is followed), and whether it may be `null`: how examples find their types.
    pub schema_types: BTreeMap<Location, (TypeRef, bool)>,
}

/// Names for the variant of an open string enum that keeps a value the spec does not list,
/// the first one free.
const OTHER_VARIANTS: &[&str] = &["Other", "Unknown", "Custom"];

/// Names of the prelude, serde_json and the crate's hand-written parts that generated code
/// uses unqualified; no generated type takes them.
const RESERVED_NAMES: &[&str] = &[
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "Box",
    "Vec",
    "String",
    "Default",
    "Self",
    "Value",
    "Map",
    "Number",
    "BTreeMap",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "MatrixEvent",
    "EventTypeTag",
    "UnknownEvent",
    "DispatchError",
    "Request",
    "Response",
    "Metadata",
    "UserId",
    "RoomId",
    "EventId",
    "RoomAlias",
    "ServerName",
    "MxcUri",
    "UnpaddedBase64",
    "UrlSafeUnpaddedBase64",
    "Uri",
    "EmailAddress",
];

/// The module holding the `Any…` enums.
pub const KINDS_MODULE: &str = "kinds";

/// How events are sorted into the kinds and forms of [`crate::kinds`].
#[derive(Debug, Default)]
pub struct EventKinds {
    /// The envelope schema of each form whose core schema the spec has.
    pub envelopes: Vec<(Form, SchemaId)>,
    /// Kinds named in the overrides file, by event type.
    pub listed: BTreeMap<String, BTreeSet<Kind>>,
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
    let mut builder = ModelBuilder {
        kinds,
        variants: BTreeMap::new(),
        event_forms: BTreeMap::new(),
        graph,
        canonical: HashMap::new(),
        flat: HashMap::new(),
        by_content: HashMap::new(),
        names: HashMap::new(),
        taken: HashSet::new(),
        pending: VecDeque::new(),
        model: Model::default(),
        module_names: BTreeMap::new(),
        errors: Vec::new(),
        in_progress: Vec::new(),
        event_variants: BTreeMap::new(),
        // The variants every `Any…` enum has besides its events.
        event_variants_taken: HashSet::from(["Redacted".to_owned(), "Unknown".to_owned()]),
    };
    builder.build(roots, operations);
    builder.build_kind_enums();
    builder.box_recursive_types();
    if builder.errors.is_empty() {
        Ok(builder.model)
    } else {
        // A broken schema reached from several roots is reported once.
        let mut unique: Vec<Diagnostic> = Vec::new();
        for error in builder.errors {
            if !unique.contains(&error) {
                unique.push(error);
            }
        }
        // In the order of the files and places they are about, whatever order they were found in.
        unique.sort_by(|a, b| a.location.cmp(&b.location));
        Err(Errors(unique))
    }
}

/// A schema with its `$ref` target and `allOf` parts merged in.
#[derive(Debug, Clone, Default)]
struct Flat {
    /// Every schema merged in, the schema itself included.
    sources: BTreeSet<SchemaId>,
    /// `None`: unconstrained. With the place that last narrowed it.
    types: Option<(BTreeSet<JsonType>, Location)>,
    docs: Docs,
    properties: Vec<(String, Vec<SchemaId>)>,
    required: BTreeSet<String>,
    additional: Vec<SchemaId>,
    pattern: Vec<SchemaId>,
    items: Vec<SchemaId>,
    enum_values: Option<(Vec<Value>, Location)>,
    alternatives: Vec<SchemaId>,
    format: Option<String>,
    /// Where the keywords that make it an object (`properties`, `additionalProperties`,
    /// `patternProperties`), a list (`items`), alternatives (`oneOf`, `anyOf`) and its
    /// format were first written: for errors that name them.
    object_at: Option<Location>,
    items_at: Option<Location>,
    alternatives_at: Option<Location>,
    format_at: Option<Location>,
}

impl Flat {
    /// The schemas of values of properties not listed (`additionalProperties`, `patternProperties`).
    fn additional_values(&self) -> Vec<SchemaId> {
        self.additional
            .iter()
            .chain(&self.pattern)
            .copied()
            .collect()
    }

    /// Says nothing beyond a JSON type: merging it into a richer schema adds nothing.
    fn is_trivial(&self) -> bool {
        self.properties.is_empty()
            && self.additional.is_empty()
            && self.pattern.is_empty()
            && self.items.is_empty()
            && self.enum_values.is_none()
            && self.alternatives.is_empty()
    }

    fn merge(&mut self, other: &Flat) -> Result<(), Diagnostic> {
        self.sources.extend(&other.sources);
        self.types = match (self.types.take(), &other.types) {
            (None, theirs) => theirs.clone(),
            (mine @ Some(_), None) => mine,
            (Some((mine, at)), Some((theirs, their_at))) => {
                let both = intersect_types(&mine, theirs);
                if both.is_empty() {
                    return Err(Diagnostic::new(
                        their_at.clone(),
                        format!(
                            "`allOf` gives incompatible types: {} here",
                            type_list(theirs)
                        ),
                    )
                    .with_related(at, format!("and {} here", type_list(&mine))));
                }
                Some((both, their_at.clone()))
            }
        };
        for (name, contributions) in &other.properties {
            match self
                .properties
                .iter_mut()
                .find(|(existing, _)| existing == name)
            {
                Some((_, mine)) => {
                    for id in contributions {
                        if !mine.contains(id) {
                            mine.push(*id);
                        }
                    }
                }
                None => self.properties.push((name.clone(), contributions.clone())),
            }
        }
        self.required.extend(other.required.iter().cloned());
        extend_unique(&mut self.additional, &other.additional);
        extend_unique(&mut self.pattern, &other.pattern);
        extend_unique(&mut self.items, &other.items);
        extend_unique(&mut self.alternatives, &other.alternatives);
        self.enum_values = match (self.enum_values.take(), &other.enum_values) {
            (None, theirs) => theirs.clone(),
            (mine @ Some(_), None) => mine,
            (Some((mine, mine_at)), Some((theirs, at))) => {
                let both: Vec<Value> = mine
                    .iter()
                    .filter(|value| theirs.contains(value))
                    .cloned()
                    .collect();
                if both.is_empty() {
                    return Err(Diagnostic::new(
                        at.clone(),
                        format!(
                            "`allOf` gives `enum`s with no value in common: {} here",
                            value_list(theirs)
                        ),
                    )
                    .with_related(mine_at, format!("and {} here", value_list(&mine))));
                }
                Some((both, at.clone()))
            }
        };
        if self.format.is_none() {
            self.format.clone_from(&other.format);
            self.format_at.clone_from(&other.format_at);
        }
        for (mine, theirs) in [
            (&mut self.object_at, &other.object_at),
            (&mut self.items_at, &other.items_at),
            (&mut self.alternatives_at, &other.alternatives_at),
        ] {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        }
        Ok(())
    }
}

fn extend_unique(target: &mut Vec<SchemaId>, more: &[SchemaId]) {
    for id in more {
        if !target.contains(id) {
            target.push(*id);
        }
    }
}

fn intersect_types(a: &BTreeSet<JsonType>, b: &BTreeSet<JsonType>) -> BTreeSet<JsonType> {
    let mut both: BTreeSet<JsonType> = a.intersection(b).copied().collect();
    // `integer` is a kind of `number`.
    if (a.contains(&JsonType::Integer) && b.contains(&JsonType::Number))
        || (a.contains(&JsonType::Number) && b.contains(&JsonType::Integer))
    {
        both.insert(JsonType::Integer);
    }
    both
}

/// `enum` values as the spec writes them: `[a, b]`.
fn value_list(values: &[Value]) -> String {
    let shown: Vec<String> = values
        .iter()
        .map(|value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
        .collect();
    format!("`[{}]`", shown.join(", "))
}

fn type_list(types: &BTreeSet<JsonType>) -> String {
    let names: Vec<String> = types
        .iter()
        .map(|t| format!("{t:?}").to_lowercase())
        .collect();
    format!("`{}`", names.join(" | "))
}

/// What a name is chosen from when a type is first needed.
#[derive(Debug, Clone)]
struct NameHint {
    /// Wins over everything when free (event and content names).
    preferred: Option<String>,
    /// Built from the parent type and field: used when the schema has no usable title.
    context: String,
}

/// An event's struct in one form: the properties it has, each with the schemas that say
/// something about it.
#[derive(Debug, Clone, PartialEq)]
struct EventShape {
    schema: String,
    event_type: String,
    properties: Vec<(String, Vec<SchemaId>)>,
    required: BTreeSet<String>,
    docs: Docs,
    source: Location,
}

impl EventShape {
    /// Two forms with the same fields are one struct, whatever order their envelopes list them in.
    fn same_fields(&self, other: &EventShape) -> bool {
        let fields = |shape: &EventShape| -> BTreeMap<String, (Vec<SchemaId>, bool)> {
            shape
                .properties
                .iter()
                .map(|(name, contributions)| {
                    let required = shape.required.contains(name);
                    (name.clone(), (contributions.clone(), required))
                })
                .collect()
        };
        fields(self) == fields(other)
    }
}

/// What a pending named type becomes once its name is known.
#[derive(Debug, Clone)]
enum Pending {
    Struct(Vec<SchemaId>),
    Event(EventShape),
    /// The content of a polymorphic event: its own content schema is the fallback, each
    /// `$variant` schema (the suffix, the variant's root schema) an alternative.
    Dispatch {
        base: Vec<SchemaId>,
        base_name: String,
        variants: Vec<(String, SchemaId)>,
    },
    StringEnum(Vec<SchemaId>),
    /// `oneOf`/`anyOf` alternatives.
    Union(Vec<SchemaId>),
    /// A `type` list such as `[string, integer]`: one variant per JSON type.
    TypeList(Vec<SchemaId>),
    Alias(TypeRef, Location),
}

struct ModelBuilder<'g> {
    graph: &'g SchemaGraph,
    kinds: &'g EventKinds,
    /// The `$variant` schemas of each event type: suffix and root schema.
    variants: BTreeMap<String, Vec<(String, SchemaId)>>,
    /// The struct of each event type in each form: (form's enum name, variant name, event type, struct name).
    event_forms: BTreeMap<&'static str, Vec<(String, String)>>,
    canonical: HashMap<SchemaId, SchemaId>,
    flat: HashMap<SchemaId, Rc<Flat>>,
    /// Identical inline copies of a schema (same text, same folder) share one type.
    by_content: HashMap<(String, String), SchemaId>,
    names: HashMap<(u8, Vec<SchemaId>), String>,
    taken: HashSet<String>,
    pending: VecDeque<(String, Pending)>,
    model: Model,
    module_names: BTreeMap<String, String>,
    errors: Vec<Diagnostic>,
    /// The schemas [`ModelBuilder::resolve_type`] is inside of (canonical ids, and where the
    /// first was written): a list or map that contains itself with no named type in between
    /// comes back to one of them.
    in_progress: Vec<(Vec<SchemaId>, Location)>,
    /// The variant of the `Any…` enums each event type has, and the names taken among them.
    event_variants: BTreeMap<String, String>,
    event_variants_taken: HashSet<String>,
}

const STRUCT: u8 = 0;
const ENUM: u8 = 1;
const UNION: u8 = 2;
const EVENT: u8 = 3;
const DISPATCH: u8 = 4;
const CONTENT_ALIAS: u8 = 5;
const MAP_VALUES: u8 = 6;

impl<'g> ModelBuilder<'g> {
    fn build(&mut self, roots: &[Root], operations: &[Operation]) {
        // Requests and responses are named for their operations, before any title can take the name.
        let operation_names: Vec<(String, String)> = operations
            .iter()
            .map(|op| {
                let base = naming::type_name(&op.operation_id);
                (
                    naming::unique(format!("{base}Request"), &mut self.taken),
                    naming::unique(format!("{base}Response"), &mut self.taken),
                )
            })
            .collect();
        for form in FORMS {
            self.taken.insert(form.enum_name.to_owned());
        }
        // Names generated code uses unqualified: a type of that name would shadow them.
        self.taken
            .extend(RESERVED_NAMES.iter().map(|name| (*name).to_owned()));
        for timeline in TIMELINES {
            self.taken.insert(timeline.enum_name.to_owned());
        }
        for root in roots {
            if let (Some(event_type), Some((_, suffix))) =
                (&root.event_type, root.schema.split_once('$'))
            {
                self.variants
                    .entry(event_type.clone())
                    .or_default()
                    .push((suffix.to_owned(), root.id));
            }
        }
        let mut listed_seen: BTreeSet<&str> = BTreeSet::new();
        // Events claim their names first, so `RoomMemberEvent` never loses to a title elsewhere.
        let mut ordered: Vec<&Root> = roots.iter().collect();
        ordered.sort_by_key(|root| (root.event_type.is_none(), root.schema.clone()));
        for root in &ordered {
            // Named from the file's own stem: `components/sdp_stream_metadata` -> `SdpStreamMetadata`.
            let stem = root.schema.rsplit('/').next().unwrap_or(&root.schema);
            let base = naming::type_name(&stem.replace("$m.", ".").replace('$', "."));
            // A file in the events folder that has no `type` and `content` (such as a shared
            // `m.relates_to` shape) is an ordinary type.
            let event = match (&root.event_type, self.flatten(root.id)) {
                (Some(event_type), Ok(flat)) => {
                    let has = |name: &str| flat.properties.iter().any(|(n, _)| n == name);
                    (has("type") && has("content")).then(|| (event_type.clone(), flat))
                }
                _ => None,
            };
            let type_name = match event {
                Some((event_type, flat)) => {
                    if let Some(entry) = self.kinds.listed.get_key_value(&event_type) {
                        listed_seen.insert(entry.0.as_str());
                    }
                    self.event_structs(root, &base, &event_type, &flat)
                }
                None => {
                    let hint = NameHint {
                        preferred: None,
                        context: base,
                    };
                    match self.resolve_type(&[root.id], &hint) {
                        Ok((TypeRef::Named(name), _)) => name,
                        Ok((other, _)) => {
                            // A root that is not an object (a map or a list, say) still gets a name.
                            let location = self.graph.location(root.id).clone();
                            let name = naming::unique(hint.context.clone(), &mut self.taken);
                            self.pending
                                .push_back((name.clone(), Pending::Alias(other, location)));
                            name
                        }
                        Err(err) => {
                            self.errors.push(err);
                            continue;
                        }
                    }
                }
            };
            self.model.roots.push(RootType {
                schema: root.schema.clone(),
                type_name,
            });
        }
        for event_type in self.kinds.listed.keys() {
            if !listed_seen.contains(event_type.as_str()) {
                self.model.notes.push(format!(
                    "event_kinds in the overrides name `{event_type}`, which this spec has no event schema for"
                ));
            }
        }
        for (operation, (request, response)) in operations.iter().zip(operation_names) {
            match self.operation(operation, request, response) {
                Ok(def) => {
                    let module = self.module_entry(&operation.location.file);
                    module.operations.push(def);
                }
                Err(err) => self.errors.push(err),
            }
        }
        while let Some((name, pending)) = self.pending.pop_front() {
            if let Err(err) = self.define(name, pending) {
                self.errors.push(err);
            }
        }
        self.fill_in_schema_types();
        self.model.roots.sort_by(|a, b| a.schema.cmp(&b.schema));
        for module in self.model.modules.values_mut() {
            module.types.sort_by(|a, b| a.name.cmp(&b.name));
            module
                .events
                .sort_by(|a, b| a.struct_name.cmp(&b.struct_name));
        }
    }

    /// A type that holds itself by value (through fields, union variants or aliases, with no
    /// list or map in between) would have infinite size: in each such cycle the reference that
    /// closes it is boxed (`Option<Box<Node>>`). Cycles are looked for from the types in the
    /// order of their names, so the same reference is boxed on every run.
    fn box_recursive_types(&mut self) {
        // Edges: (type, index of the field or variant holding it, type held).
        let mut edges: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
        let mut aliases: BTreeSet<String> = BTreeSet::new();
        let mut sources: BTreeMap<String, Location> = BTreeMap::new();
        for def in self.model.modules.values().flat_map(|m| &m.types) {
            sources.insert(def.name.clone(), def.source.clone());
            let held: Vec<&TypeRef> = match &def.kind {
                TypeKind::Struct { fields, .. } => fields.iter().map(|f| &f.ty).collect(),
                TypeKind::Union(variants) => variants.iter().map(|v| &v.ty).collect(),
                TypeKind::ByField {
                    present, absent, ..
                } => vec![&present.ty, &absent.ty],
                TypeKind::Alias(target) => {
                    aliases.insert(def.name.clone());
                    vec![target]
                }
                // Dispatch variants are boxed already; string enums hold strings.
                TypeKind::Dispatch { .. } | TypeKind::StringEnum { .. } => Vec::new(),
            };
            let by_value = held
                .into_iter()
                .enumerate()
                .filter_map(|(index, ty)| match ty {
                    TypeRef::Named(target) => Some((index, target.clone())),
                    _ => None,
                })
                .collect();
            edges.insert(def.name.clone(), by_value);
        }
        let mut boxed: Vec<(String, usize)> = Vec::new();
        let mut done: BTreeSet<String> = BTreeSet::new();
        let names: Vec<String> = edges.keys().cloned().collect();
        for start in names {
            if done.contains(&start) {
                continue;
            }
            // Depth first, iteratively: (type, next edge to follow).
            let mut path: Vec<(String, usize)> = vec![(start.clone(), 0)];
            let mut on_path: BTreeSet<String> = BTreeSet::from([start]);
            while let Some((name, next)) = path.last().cloned() {
                let out = edges.get(&name).map_or(&[][..], Vec::as_slice);
                let Some((index, target)) = out.get(next).cloned() else {
                    done.insert(name.clone());
                    on_path.remove(&name);
                    path.pop();
                    continue;
                };
                if let Some(top) = path.last_mut() {
                    top.1 += 1;
                }
                if on_path.contains(&target) {
                    let from = path.iter().position(|(n, _)| *n == target).unwrap_or(0);
                    let members: Vec<&String> = path[from..].iter().map(|(n, _)| n).collect();
                    if members.iter().all(|member| aliases.contains(*member)) {
                        let chain: Vec<&str> = members.iter().map(|m| m.as_str()).collect();
                        self.errors.push(Diagnostic::new(
                            sources[&name].clone(),
                            format!(
                                "type aliases that stand for each other describe no type: {} -> {target}",
                                chain.join(" -> ")
                            ),
                        ));
                    } else {
                        boxed.push((name.clone(), index));
                    }
                } else if !done.contains(&target) && edges.contains_key(&target) {
                    on_path.insert(target.clone());
                    path.push((target, 0));
                }
            }
        }
        for (name, index) in boxed {
            let Some(def) = self
                .model
                .modules
                .values_mut()
                .flat_map(|m| &mut m.types)
                .find(|def| def.name == name)
            else {
                continue;
            };
            let held = match &mut def.kind {
                TypeKind::Struct { fields, .. } => fields.get_mut(index).map(|f| &mut f.ty),
                TypeKind::Union(variants) => variants.get_mut(index).map(|v| &mut v.ty),
                TypeKind::ByField {
                    present, absent, ..
                } => [present, absent].into_iter().nth(index).map(|v| &mut v.ty),
                TypeKind::Alias(target) => Some(target),
                TypeKind::Dispatch { .. } | TypeKind::StringEnum { .. } => None,
            };
            if let Some(ty) = held {
                *ty = TypeRef::Boxed(Box::new(ty.clone()));
            }
        }
    }

    /// The variant of the `Any…` enums for `event_type`: its type name (`m.room.member` ->
    /// `RoomMember`), numbered when another event type already has it (`m.foo_bar` and
    /// `m.foo.bar`); the same in every enum. Events are met in the order of their files.
    fn event_variant(&mut self, event_type: &str) -> String {
        if let Some(known) = self.event_variants.get(event_type) {
            return known.clone();
        }
        let variant = naming::unique(
            naming::type_name(event_type),
            &mut self.event_variants_taken,
        );
        self.event_variants
            .insert(event_type.to_owned(), variant.clone());
        variant
    }

    /// The kinds an event belongs to: what its core schema says, and what the overrides list.
    fn kinds_of(&self, event_type: &str, flat: &Flat) -> BTreeSet<Kind> {
        let mut kinds = self
            .kinds
            .listed
            .get(event_type)
            .cloned()
            .unwrap_or_default();
        let includes = |enum_name: &str| {
            self.kinds
                .envelopes
                .iter()
                .any(|(form, id)| form.enum_name == enum_name && flat.sources.contains(id))
        };
        if includes("AnyStateEvent") {
            kinds.insert(Kind::State);
        } else if includes("AnyMessageLikeEvent") {
            kinds.insert(Kind::MessageLike);
        }
        kinds
    }

    /// Queues the struct of an event in each form it takes; returns the name of the struct
    /// its schema describes as written (the type its examples are read as).
    fn event_structs(&mut self, root: &Root, base: &str, event_type: &str, flat: &Flat) -> String {
        let own = EventShape {
            schema: root.schema.clone(),
            event_type: event_type.to_owned(),
            properties: flat.properties.clone(),
            required: flat.required.clone(),
            docs: flat.docs.clone(),
            source: self.graph.location(root.id).clone(),
        };
        // `$variant` schemas are alternatives of their event's content, not events of a kind.
        let kinds = if root.schema.contains('$') {
            BTreeSet::new()
        } else {
            self.kinds_of(event_type, flat)
        };
        if kinds.is_empty() && !root.schema.contains('$') {
            self.model.notes.push(format!(
                "event `{event_type}` belongs to no kind (see event_kinds in the overrides): it is in no `Any…` enum"
            ));
        }
        let mut structs: Vec<(EventShape, String)> = Vec::new();
        for (form, envelope) in self.kinds.envelopes.clone() {
            if !kinds.contains(&form.kind) {
                continue;
            }
            let shape = self.shape_in_form(&own, root.id, flat, envelope);
            let name = match structs.iter().find(|(known, _)| known.same_fields(&shape)) {
                Some((_, name)) => name.clone(),
                None => {
                    let hint = NameHint {
                        preferred: Some(format!("{}{base}Event", form.prefix)),
                        context: format!("{}{base}", form.prefix),
                    };
                    let name = self.named(
                        EVENT,
                        vec![root.id, envelope],
                        hint,
                        Pending::Event(shape.clone()),
                    );
                    structs.push((shape, name.clone()));
                    name
                }
            };
            let variant = self.event_variant(event_type);
            self.event_forms
                .entry(form.enum_name)
                .or_default()
                .push((variant, name));
        }
        match structs.iter().find(|(known, _)| known.same_fields(&own)) {
            Some((_, name)) => name.clone(),
            None => {
                let hint = NameHint {
                    preferred: Some(format!("{base}Event")),
                    context: base.to_owned(),
                };
                self.named(EVENT, vec![root.id], hint, Pending::Event(own))
            }
        }
    }

    /// The event `own` (the schema `root`, flattened as `flat`) wrapped in `envelope` instead of
    /// the core schema it was written with: the envelope's fields, with the event's own version
    /// of any it redefines, and the fields only the event has.
    fn shape_in_form(
        &mut self,
        own: &EventShape,
        root: SchemaId,
        flat: &Flat,
        envelope: SchemaId,
    ) -> EventShape {
        let envelope_flat = match self.flatten(envelope) {
            Ok(flat) => flat,
            Err(_) => return own.clone(),
        };
        let file = &self.graph.location(root).file;
        let written_here = |contributions: &[SchemaId]| {
            contributions
                .iter()
                .any(|&c| self.graph.location(c).file == *file)
        };
        let own_property = |name: &str| {
            flat.properties
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, contributions)| contributions.clone())
        };
        let mut properties = Vec::new();
        let mut required = BTreeSet::new();
        for (name, theirs) in &envelope_flat.properties {
            let mine = own_property(name)
                .filter(|mine| name == "type" || name == "content" || written_here(mine));
            if envelope_flat.required.contains(name)
                || (mine.is_some() && flat.required.contains(name))
            {
                required.insert(name.clone());
            }
            properties.push((name.clone(), mine.unwrap_or_else(|| theirs.clone())));
        }
        for (name, mine) in &flat.properties {
            let in_envelope = envelope_flat.properties.iter().any(|(n, _)| n == name);
            if !in_envelope && written_here(mine) {
                if flat.required.contains(name) {
                    required.insert(name.clone());
                }
                properties.push((name.clone(), mine.clone()));
            }
        }
        EventShape {
            properties,
            required,
            ..own.clone()
        }
    }

    /// The `Any…` enums: one per form the spec has, and the timelines over state and message-like events.
    fn build_kind_enums(&mut self) {
        let mut types = Vec::new();
        for (form, envelope) in &self.kinds.envelopes {
            let mut variants: Vec<DispatchVariant> = self
                .event_forms
                .get(form.enum_name)
                .into_iter()
                .flatten()
                .map(|(variant, struct_name)| DispatchVariant {
                    name: variant.clone(),
                    value: String::new(),
                    ty: TypeRef::Named(struct_name.clone()),
                })
                .collect();
            for variant in &mut variants {
                variant.value = self
                    .model
                    .modules
                    .values()
                    .flat_map(|module| &module.events)
                    .find(|event| TypeRef::Named(event.struct_name.clone()) == variant.ty)
                    .map(|event| event.event_type.clone())
                    .unwrap_or_default();
            }
            if variants.is_empty() {
                continue;
            }
            variants.sort_by(|a, b| a.value.cmp(&b.value));
            types.push(TypeDef {
                name: form.enum_name.to_owned(),
                docs: Docs {
                    description: Some(form.docs.to_owned()),
                    ..Docs::default()
                },
                source: self.graph.location(*envelope).clone(),
                kind: TypeKind::Dispatch {
                    tag: "type".to_owned(),
                    variants,
                    fallback: TypeRef::UnknownEvent,
                },
            });
        }
        for timeline in TIMELINES {
            let has = |name: &str| types.iter().any(|t: &TypeDef| t.name == name);
            if !(has(timeline.state) && has(timeline.message_like)) {
                continue;
            }
            let source = types
                .iter()
                .find(|t| t.name == timeline.state)
                .map(|t| t.source.clone())
                .unwrap_or_else(|| Location::new("", ""));
            types.push(TypeDef {
                name: timeline.enum_name.to_owned(),
                docs: Docs {
                    description: Some(timeline.docs.to_owned()),
                    ..Docs::default()
                },
                source,
                kind: TypeKind::ByField {
                    field: "state_key".to_owned(),
                    present: UnionVariant {
                        name: "State".to_owned(),
                        ty: TypeRef::Named(timeline.state.to_owned()),
                    },
                    absent: UnionVariant {
                        name: "MessageLike".to_owned(),
                        ty: TypeRef::Named(timeline.message_like.to_owned()),
                    },
                },
            });
        }
        if types.is_empty() {
            return;
        }
        types.sort_by(|a, b| a.name.cmp(&b.name));
        self.model.modules.insert(
            KINDS_MODULE.to_owned(),
            Module {
                name: KINDS_MODULE.to_owned(),
                source: String::new(),
                types,
                ..Module::default()
            },
        );
    }

    /// The schema that stands for `id` once annotation-only wrappers are looked through:
    /// `{$ref: X, description: ...}` and `{allOf: [X]}` are X.
    fn canonical(&mut self, id: SchemaId) -> SchemaId {
        if let Some(&known) = self.canonical.get(&id) {
            return known;
        }
        let schema = self.graph.schema(id);
        let own_shape = !schema.properties.is_empty()
            || !schema.required.is_empty()
            || schema.additional_properties.is_some()
            || !schema.pattern_properties.is_empty()
            || schema.items.is_some()
            || schema.enum_values.is_some()
            || !schema.one_of.is_empty()
            || !schema.any_of.is_empty()
            || schema.format.is_some();
        let target = match (schema.reference, schema.all_of.as_slice()) {
            (Some(target), []) => Some(target),
            (None, [only]) => Some(*only),
            _ => None,
        };
        let result = match target {
            Some(target) if !own_shape && !self.types_narrow(id, target) => self.canonical(target),
            // Only schemas that become types of their own are shared between identical copies;
            // a bare `{type: integer}` keeps its own place, so errors point where it is written.
            _ if own_shape => self.dedup_by_content(id),
            _ => id,
        };
        self.canonical.insert(id, result);
        result
    }

    /// Gives [`Model::schema_types`] the schemas that became no type of their own: the
    /// schemas inside an identical copy of a schema (the copy shares the first one's type),
    /// and `allOf` parts, which describe their whole.
    fn fill_in_schema_types(&mut self) {
        let known = &mut self.model.schema_types;
        let mut copies: Vec<(Location, Location)> = self
            .canonical
            .iter()
            .filter(|(id, target)| id != target)
            .map(|(&id, &target)| {
                (
                    self.graph.location(id).clone(),
                    self.graph.location(target).clone(),
                )
            })
            .collect();
        // Sorted, so that which original fills a place first is the same on every run.
        copies.sort();
        for (copy, original) in copies {
            let inside: Vec<(String, (TypeRef, bool))> = known
                .range(original.clone()..)
                .take_while(|(at, _)| {
                    at.file == original.file && at.pointer.starts_with(&original.pointer)
                })
                .filter_map(|(at, ty)| {
                    let rest = &at.pointer[original.pointer.len()..];
                    (rest.is_empty() || rest.starts_with('/'))
                        .then(|| (rest.to_owned(), ty.clone()))
                })
                .collect();
            for (rest, ty) in inside {
                let at = Location::new(copy.file.clone(), format!("{}{rest}", copy.pointer));
                known.entry(at).or_insert(ty);
            }
        }
        loop {
            let mut added = Vec::new();
            for node in &self.graph.nodes {
                let at = &node.location;
                if known.contains_key(at) {
                    continue;
                }
                let Some((parent, index)) = at.pointer.rsplit_once('/') else {
                    continue;
                };
                let Some(whole) = parent.strip_suffix("/allOf") else {
                    continue;
                };
                if index.parse::<usize>().is_err() {
                    continue;
                }
                if let Some(ty) = known.get(&Location::new(at.file.clone(), whole)) {
                    added.push((at.clone(), ty.clone()));
                }
            }
            if added.is_empty() {
                break;
            }
            known.extend(added);
        }
    }

    /// Whether `id`'s own `type` says more than `target` already does.
    fn types_narrow(&mut self, id: SchemaId, target: SchemaId) -> bool {
        let own: BTreeSet<JsonType> = self.graph.schema(id).types.iter().copied().collect();
        if own.is_empty() {
            return false;
        }
        match self.flatten(target) {
            Ok(flat) => match &flat.types {
                Some((theirs, _)) => intersect_types(theirs, &own) != *theirs,
                None => true,
            },
            Err(_) => false,
        }
    }

    fn dedup_by_content(&mut self, id: SchemaId) -> SchemaId {
        let node = self.graph.node(id);
        // References are relative to the file's folder, so only copies in the same folder are alike.
        let folder = node
            .location
            .file
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir)
            .to_owned();
        let key = (folder, node.raw.to_string());
        *self.by_content.entry(key).or_insert(id)
    }

    /// `id` with its `$ref` target and `allOf` parts merged in (the resolver has ruled out cycles).
    fn flatten(&mut self, id: SchemaId) -> Result<Rc<Flat>, Diagnostic> {
        if let Some(flat) = self.flat.get(&id) {
            return Ok(flat.clone());
        }
        let schema = self.graph.schema(id).clone();
        let location = self.graph.location(id).clone();
        let mut flat = Flat::default();
        // Inherited parts first, so fields read in the order base, then refinement.
        let mut inline_docs = None;
        let mut reference_docs = None;
        for &part in schema.reference.iter().chain(&schema.all_of) {
            let part_flat = self.flatten(part)?;
            flat.merge(&part_flat)?;
            let part_docs = self.own_docs(part, &part_flat);
            let inline =
                Some(part) != schema.reference && self.graph.location(part).file == location.file;
            if inline && inline_docs.is_none() && !part_docs.is_empty() {
                inline_docs = Some(part_docs);
            } else if reference_docs.is_none() && !part_docs.is_empty() {
                reference_docs = Some(part_docs);
            }
        }
        let mut own = Flat {
            sources: BTreeSet::from([id]),
            ..Flat::default()
        };
        if !schema.types.is_empty() {
            own.types = Some((
                schema.types.iter().copied().collect(),
                location.child("type"),
            ));
        }
        own.properties = schema
            .properties
            .iter()
            .map(|(name, child)| (name.clone(), vec![*child]))
            .collect();
        own.required = schema.required.iter().cloned().collect();
        // `additionalProperties: true` or `false` adds no value type; extra fields are kept either way.
        if let Some(Additional::Schema(child)) = schema.additional_properties {
            own.additional.push(child);
        }
        own.pattern = schema
            .pattern_properties
            .iter()
            .map(|(_, child)| *child)
            .collect();
        own.items = schema.items.into_iter().collect();
        let object_keyword = [
            ("properties", !schema.properties.is_empty()),
            (
                "additionalProperties",
                matches!(schema.additional_properties, Some(Additional::Schema(_))),
            ),
            ("patternProperties", !schema.pattern_properties.is_empty()),
        ]
        .into_iter()
        .find(|(_, present)| *present);
        own.object_at = object_keyword.map(|(keyword, _)| location.child(keyword));
        own.items_at = schema.items.map(|_| location.child("items"));
        own.alternatives_at = if !schema.one_of.is_empty() {
            Some(location.child("oneOf"))
        } else if !schema.any_of.is_empty() {
            Some(location.child("anyOf"))
        } else {
            None
        };
        own.format_at = schema.format.as_ref().map(|_| location.child("format"));
        own.enum_values = schema
            .enum_values
            .clone()
            .map(|values| (values, location.child("enum")));
        own.alternatives = schema
            .one_of
            .iter()
            .chain(&schema.any_of)
            .copied()
            .collect();
        own.format = schema.format.clone();
        flat.merge(&own)?;
        flat.docs = if !schema.docs.is_empty() {
            schema.docs.clone()
        } else {
            inline_docs.or(reference_docs).unwrap_or_default()
        };
        let flat = Rc::new(flat);
        self.flat.insert(id, flat.clone());
        Ok(flat)
    }

    fn own_docs(&self, id: SchemaId, flat: &Flat) -> Docs {
        let own = &self.graph.schema(id).docs;
        if own.is_empty() {
            flat.docs.clone()
        } else {
            own.clone()
        }
    }

    /// The type for a value described by all of `contributions` at once (the parts of an
    /// `allOf` that each say something about one property), and whether it can be `null`.
    fn resolve_type(
        &mut self,
        contributions: &[SchemaId],
        hint: &NameHint,
    ) -> Result<(TypeRef, bool), Diagnostic> {
        let mut key: Vec<SchemaId> = Vec::new();
        for &id in contributions {
            let id = self.canonical(id);
            if !key.contains(&id) {
                key.push(id);
            }
        }
        let written = self.graph.location(contributions[0]).clone();
        // Named types are defined later, from the queue; only a list, a map or a lone
        // alternative is typed on the spot, and one that contains itself would never end.
        if let Some(start) = self.in_progress.iter().position(|(open, _)| *open == key) {
            let mut chain: Vec<String> = self.in_progress[start..]
                .iter()
                .map(|(_, at)| at.to_string())
                .collect();
            chain.push(written.to_string());
            let first = self.in_progress[start].1.clone();
            return Err(Diagnostic::new(
                written,
                format!(
                    "a list or map that contains itself with no object in between has no Rust type: {}",
                    chain.join(" -> ")
                ),
            )
            .with_related(first, "the schema that contains itself"));
        }
        self.in_progress.push((key, written));
        let resolved = self.resolve_type_uncached(contributions, hint);
        self.in_progress.pop();
        let resolved = resolved?;
        for &id in contributions {
            for id in [id, self.canonical(id)] {
                self.model
                    .schema_types
                    .entry(self.graph.location(id).clone())
                    .or_insert_with(|| resolved.clone());
            }
        }
        Ok(resolved)
    }

    fn resolve_type_uncached(
        &mut self,
        contributions: &[SchemaId],
        hint: &NameHint,
    ) -> Result<(TypeRef, bool), Diagnostic> {
        let mut canonical: Vec<SchemaId> = Vec::new();
        for &id in contributions {
            let id = self.canonical(id);
            if !canonical.contains(&id) {
                canonical.push(id);
            }
        }
        let mut flats = Vec::new();
        for &id in &canonical {
            flats.push(self.flatten(id)?);
        }
        let mut merged = Flat::default();
        for flat in &flats {
            merged.merge(flat)?;
        }
        // The type key: the contributions that add shape, less those another already includes.
        let shaped: Vec<usize> = (0..canonical.len())
            .filter(|&i| !flats[i].is_trivial())
            .collect();
        let mut key: Vec<SchemaId> = shaped
            .iter()
            .filter(|&&i| {
                !shaped
                    .iter()
                    .any(|&j| j != i && flats[j].sources.contains(&canonical[i]))
            })
            .map(|&i| canonical[i])
            .collect();
        key.sort_unstable();
        if key.is_empty() {
            key.push(canonical[0]);
        }

        let types = merged.types.as_ref().map(|(types, _)| types.clone());
        let mut nullable = types.as_ref().is_some_and(|t| t.contains(&JsonType::Null));
        let types: Option<BTreeSet<JsonType>> =
            types.map(|t| t.into_iter().filter(|ty| *ty != JsonType::Null).collect());
        self.check_shape(&merged, types.as_ref())?;

        if merged.enum_values.is_some() && !merged.alternatives.is_empty() {
            self.check_alternatives_alone(&merged)?;
        }
        if let Some((values, at)) = &merged.enum_values {
            nullable |= values.iter().any(Value::is_null);
            let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            if values.is_empty() && !nullable {
                return Err(Diagnostic::new(
                    at.clone(),
                    "an empty `enum` admits no value",
                ));
            }
            if values.is_empty() {
                // `enum: [null]`: only `null`, which the field's `Option` says.
                return Ok((TypeRef::Any, true));
            }
            if values.iter().all(|v| v.is_string()) {
                let name = self.named(ENUM, key.clone(), hint.clone(), Pending::StringEnum(key));
                return Ok((TypeRef::Named(name), nullable));
            }
            if !values.iter().all(|v| v.is_number()) {
                let mut kinds: Vec<&str> = values.iter().map(|v| json_kind_plural(v)).collect();
                kinds.sort_unstable();
                kinds.dedup();
                return Err(Diagnostic::new(
                    at.clone(),
                    format!(
                        "an `enum` of {} is not supported: only an `enum` of strings or of numbers is",
                        kinds.join(" and ")
                    ),
                ));
            }
            // Numeric enums keep their numeric type; the values are documented, not enforced.
            if types.is_none() {
                let integers = values.iter().all(|v| v.is_i64() || v.is_u64());
                let ty = if integers {
                    TypeRef::Integer
                } else {
                    TypeRef::Number
                };
                return Ok((ty, nullable));
            }
        }

        if !merged.alternatives.is_empty() {
            let mut variants = Vec::new();
            let mut constraints_only = true;
            for &alternative in &merged.alternatives {
                let flat = self.flatten(alternative)?;
                let alternative_types = flat.types.as_ref().map(|(t, _)| t);
                constraints_only &= alternative_types.is_none() && flat.is_trivial();
                let only_null = flat.is_trivial()
                    && alternative_types.is_some_and(|t| t.iter().all(|ty| *ty == JsonType::Null));
                nullable |= alternative_types.is_some_and(|t| t.contains(&JsonType::Null));
                if !only_null {
                    variants.push(alternative);
                }
            }
            // Alternatives that only say which properties are required (`oneOf: [{required:
            // [a]}, {required: [b]}]`) describe no shape: the schema itself has it.
            if !constraints_only {
                self.check_alternatives_alone(&merged)?;
                if let [only] = variants.as_slice() {
                    let (ty, inner_nullable) = self.resolve_type(&[*only], hint)?;
                    return Ok((ty, nullable || inner_nullable));
                }
                let name = self.named(UNION, key.clone(), hint.clone(), Pending::Union(variants));
                return Ok((TypeRef::Named(name), nullable));
            }
        }

        let is = |ty: JsonType| {
            types
                .as_ref()
                .is_some_and(|t| t.len() == 1 && t.contains(&ty))
        };
        let object_like = merged.object_at.is_some();
        let ty = match &types {
            _ if is(JsonType::Object) || (types.is_none() && object_like) => {
                self.object_type(&merged, &key, hint)?
            }
            _ if is(JsonType::Array) || (types.is_none() && !merged.items.is_empty()) => {
                self.array_type(&merged, hint)?
            }
            _ if is(JsonType::String) => match &merged.format {
                Some(format) => TypeRef::Format(format.clone()),
                None => TypeRef::String,
            },
            _ if is(JsonType::Integer) => TypeRef::Integer,
            _ if is(JsonType::Number) => TypeRef::Number,
            _ if is(JsonType::Boolean) => TypeRef::Boolean,
            None => {
                if let (Some(format), Some(at)) = (&merged.format, &merged.format_at) {
                    self.note(format!(
                        "{at} has `format: {format}` but no `type: string`, so it admits any JSON value: typed as `serde_json::Value`"
                    ));
                }
                TypeRef::Any
            }
            // Only `null`: the field's `Option` says everything.
            Some(several) if several.is_empty() => TypeRef::Any,
            Some(several) if several == &BTreeSet::from([JsonType::Integer, JsonType::Number]) => {
                TypeRef::Number
            }
            Some(_) => {
                let name = self.named(UNION, key.clone(), hint.clone(), Pending::TypeList(key));
                TypeRef::Named(name)
            }
        };
        Ok((ty, nullable))
    }

    /// Records a note for whoever runs the generator, once.
    fn note(&mut self, note: String) {
        if !self.model.notes.contains(&note) {
            self.model.notes.push(note);
        }
    }

    /// Keywords that can never apply to the JSON types a schema admits (`properties` on a
    /// string) are a mistake the generated type would silently drop: an error naming both.
    fn check_shape(
        &self,
        merged: &Flat,
        types: Option<&BTreeSet<JsonType>>,
    ) -> Result<(), Diagnostic> {
        let types_at = merged.types.as_ref().map(|(_, at)| at);
        for (shape_at, needs, keywords) in [
            (
                &merged.object_at,
                JsonType::Object,
                "object keywords such as `properties`",
            ),
            (&merged.items_at, JsonType::Array, "`items`"),
        ] {
            let (Some(shape_at), Some(types), Some(types_at)) = (shape_at, types, types_at) else {
                continue;
            };
            if !types.contains(&needs) {
                return Err(Diagnostic::new(
                    shape_at.clone(),
                    format!(
                        "{keywords} on a schema whose `type` is {}: they could never apply",
                        if types.is_empty() {
                            "`null`".to_owned()
                        } else {
                            type_list(types)
                        }
                    ),
                )
                .with_related(types_at.clone(), "the `type`"));
            }
        }
        if let (None, Some(object_at), Some(items_at)) =
            (types, &merged.object_at, &merged.items_at)
        {
            return Err(Diagnostic::new(
                object_at.clone(),
                "a schema with both object keywords and `items` but no `type` is not supported: give it `type: [object, array]`",
            )
            .with_related(items_at.clone(), "the `items`"));
        }
        Ok(())
    }

    /// `oneOf`/`anyOf` beside `properties`, `items` or `enum` of the schema itself: the
    /// generated union would silently drop them.
    fn check_alternatives_alone(&self, merged: &Flat) -> Result<(), Diagnostic> {
        let Some(alternatives_at) = &merged.alternatives_at else {
            return Ok(());
        };
        let beside = merged
            .object_at
            .as_ref()
            .or(merged.items_at.as_ref())
            .or(merged.enum_values.as_ref().map(|(_, at)| at));
        match beside {
            Some(beside) => {
                let keyword = alternatives_at
                    .pointer
                    .rsplit('/')
                    .next()
                    .unwrap_or("oneOf");
                let other = beside.pointer.rsplit('/').next().unwrap_or("properties");
                Err(Diagnostic::new(
                    alternatives_at.clone(),
                    format!(
                        "`{keyword}` beside `{other}` is not supported: the generated type could not have both; move `{other}` into each alternative"
                    ),
                )
                .with_related(beside.clone(), format!("the `{other}`")))
            }
            None => Ok(()),
        }
    }

    /// The type of an object: a struct when it has properties, a map when only its other
    /// properties' values are described, else any JSON object.
    fn object_type(
        &mut self,
        merged: &Flat,
        key: &[SchemaId],
        hint: &NameHint,
    ) -> Result<TypeRef, Diagnostic> {
        if !merged.properties.is_empty() {
            return Ok(TypeRef::Named(self.named(
                STRUCT,
                key.to_vec(),
                hint.clone(),
                Pending::Struct(key.to_vec()),
            )));
        }
        if merged.additional.is_empty() && merged.pattern.is_empty() {
            return Ok(TypeRef::Object);
        }
        let values: Vec<SchemaId> = merged.additional_values();
        // Keys have a format when every pattern says the same one and nothing else is allowed.
        let formats: BTreeSet<Option<String>> = merged
            .pattern
            .iter()
            .map(|&id| self.graph.schema(id).key_format.clone())
            .collect();
        let key_format = match (merged.additional.is_empty(), formats.len()) {
            (true, 1) => formats.into_iter().next().flatten(),
            _ => None,
        };
        Ok(TypeRef::Map(
            key_format,
            Box::new(self.map_value_type(&values, hint)?),
        ))
    }

    /// The type of a list: of its items' type (`Option` of it when they may be `null`).
    fn array_type(&mut self, merged: &Flat, hint: &NameHint) -> Result<TypeRef, Diagnostic> {
        if merged.items.is_empty() {
            // `type: array` and nothing more: items of any kind.
            return Ok(TypeRef::Array(Box::new(TypeRef::Any)));
        }
        let item_hint = NameHint {
            preferred: None,
            context: hint.context.clone(),
        };
        let (item, item_nullable) = self.resolve_type(&merged.items, &item_hint)?;
        Ok(TypeRef::Array(Box::new(or_null(item, item_nullable))))
    }

    /// One value type for the values of a map; when its schemas disagree (several
    /// `patternProperties`, say), an untagged union of them.
    fn map_value_type(
        &mut self,
        values: &[SchemaId],
        hint: &NameHint,
    ) -> Result<TypeRef, Diagnostic> {
        let value_hint = NameHint {
            preferred: None,
            context: format!("{}Value", hint.context),
        };
        let mut types = Vec::new();
        let mut any_nullable = false;
        for &value in values {
            let (ty, nullable) = self.resolve_type(&[value], &value_hint)?;
            any_nullable |= nullable;
            if !types.contains(&ty) {
                types.push(ty);
            }
        }
        let ty = match types.as_slice() {
            [] => TypeRef::Any,
            [only] => only.clone(),
            _ => {
                let mut key: Vec<SchemaId> = values.iter().map(|&v| self.canonical(v)).collect();
                key.sort_unstable();
                key.dedup();
                let name = self.named(MAP_VALUES, key, value_hint, Pending::Union(values.to_vec()));
                TypeRef::Named(name)
            }
        };
        Ok(or_null(ty, any_nullable))
    }

    /// The name of the type for `key`, choosing one and queueing the definition the first time.
    fn named(&mut self, kind: u8, key: Vec<SchemaId>, hint: NameHint, pending: Pending) -> String {
        if let Some(name) = self.names.get(&(kind, key.clone())) {
            return name.clone();
        }
        let title = match key.as_slice() {
            [only] => self
                .graph
                .schema(*only)
                .docs
                .title
                .clone()
                .and_then(|t| naming::title_type_name(&t)),
            _ => None,
        };
        let whole_file =
            matches!(key.as_slice(), [only] if self.graph.location(*only).pointer.is_empty());
        let candidates = [
            hint.preferred.clone(),
            title,
            whole_file.then(|| hint.context.clone()),
        ];
        let free = candidates
            .into_iter()
            .flatten()
            .find(|c| !self.taken.contains(c));
        let name = match (free, &hint.preferred) {
            // An event whose name another event has (`m.foo_bar` and `m.foo.bar` are both
            // `FooBarEvent`) is numbered like its variant of the `Any…` enums: `FooBarEvent2`.
            (_, Some(preferred)) if kind == EVENT && self.taken.contains(preferred) => {
                naming::unique(preferred.clone(), &mut self.taken)
            }
            (Some(free), _) => naming::unique(free, &mut self.taken),
            (None, _) => naming::unique(hint.context.clone(), &mut self.taken),
        };
        self.names.insert((kind, key), name.clone());
        self.pending.push_back((name.clone(), pending));
        name
    }

    fn define(&mut self, name: String, pending: Pending) -> Result<(), Diagnostic> {
        let (source, docs, kind, event) = match pending {
            Pending::Struct(key) => {
                let flat = self.merged(&key)?;
                let source = self.graph.location(key[0]).clone();
                let (kind, _) = self.define_struct(
                    &name,
                    &flat.properties,
                    &flat.required,
                    &flat.additional_values(),
                    None,
                )?;
                (source, flat.docs.clone(), kind, None)
            }
            Pending::Event(shape) => {
                let (kind, event) = self.define_struct(
                    &name,
                    &shape.properties,
                    &shape.required,
                    &[],
                    Some(&shape),
                )?;
                (shape.source, shape.docs, kind, event)
            }
            Pending::Dispatch {
                base,
                base_name,
                variants,
            } => self.define_dispatch(&base, &base_name, &variants)?,
            Pending::StringEnum(key) => {
                let flat = self.merged(&key)?;
                let values: Vec<String> = flat
                    .enum_values
                    .as_ref()
                    .map(|(values, _)| {
                        values
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                // Open unless the spec fixes a single value (a constant), or the overrides say otherwise.
                let open = key
                    .iter()
                    .rev()
                    .find_map(|&id| self.graph.schema(id).open_enum)
                    .unwrap_or(values.len() >= 2);
                let mut taken = HashSet::new();
                let variants: Vec<EnumVariant> = values
                    .iter()
                    .map(|value| EnumVariant {
                        name: naming::unique(naming::type_name(value), &mut taken),
                        value: value.clone(),
                    })
                    .collect();
                // `Other`, unless the spec lists a value of that name.
                let open = open.then(|| {
                    OTHER_VARIANTS
                        .iter()
                        .find(|name| !taken.contains(**name))
                        .map_or_else(
                            || naming::unique("Other".to_owned(), &mut taken),
                            |name| (*name).to_owned(),
                        )
                });
                (
                    self.graph.location(key[0]).clone(),
                    flat.docs.clone(),
                    TypeKind::StringEnum { variants, open },
                    None,
                )
            }
            Pending::Union(alternatives) => self.define_union(&name, &alternatives)?,
            Pending::TypeList(key) => self.define_type_list(&name, &key)?,
            Pending::Alias(ty, location) => (location, Docs::default(), TypeKind::Alias(ty), None),
        };
        let docs = if matches!(&docs.title, Some(title) if *title == name) {
            Docs {
                title: None,
                ..docs
            }
        } else {
            docs
        };
        let module = self.module_entry(&source.file);
        module.types.push(TypeDef {
            name,
            docs,
            source,
            kind,
        });
        if let Some(event) = event {
            module.events.push(event);
        }
        Ok(())
    }

    fn merged(&mut self, key: &[SchemaId]) -> Result<Flat, Diagnostic> {
        let mut merged = Flat::default();
        for &id in key {
            let flat = self.flatten(id)?;
            merged.merge(&flat)?;
        }
        if let [only] = key {
            merged.docs = self.flatten(*only)?.docs.clone();
        }
        Ok(merged)
    }

    /// The fields of the struct `name`; for an event, also what makes it one.
    fn define_struct(
        &mut self,
        name: &str,
        properties: &[(String, Vec<SchemaId>)],
        required: &BTreeSet<String>,
        additional_values: &[SchemaId],
        event: Option<&EventShape>,
    ) -> Result<(TypeKind, Option<EventDef>), Diagnostic> {
        let prefix = name
            .strip_suffix("EventContent")
            .or_else(|| name.strip_suffix("Event"))
            .unwrap_or(name);
        // An event's content is named for the event as written, not for the form it is in.
        let content_prefix = event
            .map(|shape| {
                let stem = shape.schema.rsplit('/').next().unwrap_or(&shape.schema);
                naming::type_name(&stem.replace("$m.", ".").replace('$', "."))
            })
            .unwrap_or_else(|| prefix.to_owned());
        let mut fields = Vec::new();
        let mut field_names = HashSet::new();
        let mut event_def = None;
        for (json_name, contributions) in properties {
            let docs = self.field_docs(contributions);
            let hint = NameHint {
                preferred: None,
                context: naming::join_context(prefix, json_name),
            };
            let (ty, nullable) = match (event, json_name.as_str()) {
                (Some(shape), "type") => {
                    self.check_event_type(&shape.event_type, contributions)?;
                    (TypeRef::EventTypeTag(name.to_owned()), false)
                }
                (Some(shape), "content") => {
                    let content = self.event_content(shape, &content_prefix, contributions)?;
                    event_def = Some(EventDef {
                        schema: shape.schema.clone(),
                        event_type: shape.event_type.clone(),
                        struct_name: name.to_owned(),
                        content: content.clone(),
                    });
                    (content, false)
                }
                _ => match self.resolve_type(contributions, &hint) {
                    Ok(resolved) => resolved,
                    // Report this field and go on, so every conflicting field is named in one run.
                    Err(err) => {
                        self.errors.push(err);
                        continue;
                    }
                },
            };
            fields.push(Field {
                json_name: json_name.clone(),
                name: naming::unique(
                    if matches!(ty, TypeRef::EventTypeTag(_)) {
                        "event_type".to_owned()
                    } else {
                        naming::field_name(json_name)
                    },
                    &mut field_names,
                ),
                ty,
                required: required.contains(json_name),
                nullable,
                docs,
            });
        }
        if let (Some(shape), None) = (event, &event_def) {
            return Err(Diagnostic::new(
                shape.source.clone(),
                "an event schema needs a `content` property",
            ));
        }
        let additional_hint = NameHint {
            preferred: None,
            context: format!("{prefix}Additional"),
        };
        let additional = if additional_values.is_empty() {
            TypeRef::Any
        } else {
            self.map_value_type(additional_values, &additional_hint)?
        };
        let additional_name = naming::unique("extra".to_owned(), &mut field_names);
        Ok((
            TypeKind::Struct {
                fields,
                additional,
                additional_name,
            },
            event_def,
        ))
    }

    /// The type of an event's `content`: `{prefix}EventContent`, a dispatch over the content of
    /// its `$variant` schemas when it has any, or an alias of a content type it shares.
    fn event_content(
        &mut self,
        shape: &EventShape,
        prefix: &str,
        contributions: &[SchemaId],
    ) -> Result<TypeRef, Diagnostic> {
        let content_name = format!("{prefix}EventContent");
        if !shape.schema.contains('$') {
            if let Some(variants) = self.variants.get(&shape.event_type).cloned() {
                let hint = NameHint {
                    preferred: Some(content_name),
                    context: format!("{prefix}Content"),
                };
                let pending = Pending::Dispatch {
                    base: contributions.to_vec(),
                    base_name: format!("Unknown{prefix}EventContent"),
                    variants,
                };
                let name = self.named(DISPATCH, contributions.to_vec(), hint, pending);
                return Ok(TypeRef::Named(name));
            }
        }
        let own_file = contributions.iter().any(|&c| {
            let canonical = self.canonical(c);
            self.graph.location(canonical).file == shape.source.file
        });
        let hint = NameHint {
            preferred: own_file.then(|| content_name.clone()),
            context: naming::join_context(prefix, "content"),
        };
        let (ty, _) = self.resolve_type(contributions, &hint)?;
        if ty == TypeRef::Named(content_name.clone()) {
            return Ok(ty);
        }
        // Shared content (e.g. every m.call.* event's) keeps one type; the event gets an alias.
        let alias_key: Vec<SchemaId> = contributions.to_vec();
        if let Some(alias) = self.names.get(&(CONTENT_ALIAS, alias_key.clone())) {
            return Ok(TypeRef::Named(alias.clone()));
        }
        let alias = naming::unique(content_name, &mut self.taken);
        self.names.insert((CONTENT_ALIAS, alias_key), alias.clone());
        let location = contributions
            .last()
            .map(|&c| self.graph.location(c).clone())
            .unwrap_or(shape.source.clone());
        self.pending
            .push_back((alias.clone(), Pending::Alias(ty, location)));
        Ok(TypeRef::Named(alias))
    }

    /// The content of an event with `$variant` schemas: dispatched on the property whose value
    /// each variant fixes to its own suffix (`msgtype: m.text` in `m.room.message$m.text`).
    fn define_dispatch(
        &mut self,
        base: &[SchemaId],
        base_name: &str,
        variants: &[(String, SchemaId)],
    ) -> Result<(Location, Docs, TypeKind, Option<EventDef>), Diagnostic> {
        let flat = self.merged(base)?;
        let source = self.graph.location(base[base.len() - 1]).clone();
        let fallback_hint = NameHint {
            preferred: Some(base_name.to_owned()),
            context: base_name.to_owned(),
        };
        let key = base.to_vec();
        let fallback =
            TypeRef::Named(self.named(STRUCT, key.clone(), fallback_hint, Pending::Struct(key)));
        let mut tag: Option<String> = None;
        let mut dispatch_variants = Vec::new();
        // `Unknown` holds any other value of the tag.
        let mut variant_names = HashSet::from(["Unknown".to_owned()]);
        for (suffix, root) in variants {
            let root_flat = self.flatten(*root)?;
            let Some((_, content)) = root_flat.properties.iter().find(|(n, _)| n == "content")
            else {
                continue;
            };
            let content = content.clone();
            let mut content_flat = Flat::default();
            for &part in &content {
                let part = self.flatten(part)?;
                content_flat.merge(&part)?;
            }
            // The property this variant fixes to its suffix.
            let mut fixed = None;
            for (property, contributions) in &content_flat.properties {
                let mut merged = Flat::default();
                for &part in contributions {
                    let part = self.flatten(part)?;
                    merged.merge(&part)?;
                }
                if let Some((values, _)) = &merged.enum_values {
                    if values.len() == 1 && values[0].as_str() == Some(suffix) {
                        fixed = Some(property.clone());
                    }
                }
            }
            let Some(fixed) = fixed else {
                return Err(Diagnostic::new(
                    self.graph.location(*root).clone(),
                    format!("no content property of this `$variant` schema is fixed to `{suffix}`, so it cannot be told apart"),
                ));
            };
            if tag.get_or_insert_with(|| fixed.clone()) != &fixed {
                return Err(Diagnostic::new(
                    self.graph.location(*root).clone(),
                    format!(
                        "this `$variant` schema is told apart by `{fixed}`, its siblings by `{}`",
                        tag.clone().unwrap_or_default()
                    ),
                ));
            }
            let stem = self
                .graph
                .location(*root)
                .file
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".yaml")
                .to_owned();
            let prefix = naming::type_name(&stem.replace("$m.", ".").replace('$', "."));
            let content_name = format!("{prefix}EventContent");
            let hint = NameHint {
                preferred: Some(content_name),
                context: naming::join_context(&prefix, "content"),
            };
            let (ty, _) = self.resolve_type(&content, &hint)?;
            dispatch_variants.push(DispatchVariant {
                name: naming::unique(naming::type_name(suffix), &mut variant_names),
                value: suffix.clone(),
                ty,
            });
        }
        let Some(tag) = tag else {
            return Err(Diagnostic::new(
                source,
                "an event with `$variant` schemas none of which has content",
            ));
        };
        Ok((
            source,
            flat.docs.clone(),
            TypeKind::Dispatch {
                tag,
                variants: dispatch_variants,
                fallback,
            },
            None,
        ))
    }

    /// A field's docs: the most specific contribution (the last one, the schema's own) that has any.
    fn field_docs(&self, contributions: &[SchemaId]) -> Docs {
        contributions
            .iter()
            .rev()
            .map(|&id| self.graph.schema(id).docs.clone())
            .find(|docs| !docs.is_empty())
            .unwrap_or_default()
    }

    fn check_event_type(
        &self,
        event_type: &str,
        contributions: &[SchemaId],
    ) -> Result<(), Diagnostic> {
        for &id in contributions {
            if let Some(values) = &self.graph.schema(id).enum_values {
                if !values.iter().any(|v| v.as_str() == Some(event_type)) {
                    return Err(Diagnostic::new(
                        self.graph.location(id).child("enum"),
                        format!("the `type` of this event schema does not allow its own event type `{event_type}`"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn define_union(
        &mut self,
        name: &str,
        alternatives: &[SchemaId],
    ) -> Result<(Location, Docs, TypeKind, Option<EventDef>), Diagnostic> {
        let source = self.graph.location(alternatives[0]).clone();
        if let Some((tag, values)) = self.discriminator(alternatives)? {
            // `Unknown` holds any other value of the tag.
            let mut taken = HashSet::from(["Unknown".to_owned()]);
            let mut variants = Vec::new();
            for (&alternative, value) in alternatives.iter().zip(values) {
                let variant = naming::unique(naming::type_name(&value), &mut taken);
                let hint = NameHint {
                    preferred: None,
                    context: format!("{name}{variant}"),
                };
                let (ty, _) = self.resolve_type(&[alternative], &hint)?;
                variants.push(DispatchVariant {
                    name: variant,
                    value,
                    ty,
                });
            }
            let kind = TypeKind::Dispatch {
                tag,
                variants,
                // A value of the tag the spec does not list: the object, kept as it is.
                fallback: TypeRef::Object,
            };
            return Ok((source, Docs::default(), kind, None));
        }
        let mut types = Vec::new();
        for (index, &alternative) in alternatives.iter().enumerate() {
            let hint = NameHint {
                preferred: None,
                context: format!("{name}Variant{}", index + 1),
            };
            let (ty, _) = self.resolve_type(&[alternative], &hint)?;
            types.push(ty);
        }
        Ok((source, Docs::default(), union_of(types), None))
    }

    /// The property that tells `alternatives` apart, if there is one: every alternative is an
    /// object that requires it with a single string value, a different one in each. Returns
    /// the property and each alternative's value.
    fn discriminator(
        &mut self,
        alternatives: &[SchemaId],
    ) -> Result<Option<(String, Vec<String>)>, Diagnostic> {
        let mut flats = Vec::new();
        for &alternative in alternatives {
            flats.push(self.flatten(alternative)?);
        }
        let Some(first) = flats.first() else {
            return Ok(None);
        };
        'candidates: for (candidate, _) in &first.properties {
            let mut values = Vec::new();
            for flat in &flats {
                let Some((_, contributions)) = flat.properties.iter().find(|(n, _)| n == candidate)
                else {
                    continue 'candidates;
                };
                if !flat.required.contains(candidate) {
                    continue 'candidates;
                }
                let merged = self.merged(contributions)?;
                let value = match merged.enum_values.as_ref().map(|(v, _)| v.as_slice()) {
                    Some([Value::String(only)]) => only.clone(),
                    _ => continue 'candidates,
                };
                if values.contains(&value) {
                    continue 'candidates;
                }
                values.push(value);
            }
            return Ok(Some((candidate.clone(), values)));
        }
        Ok(None)
    }

    /// A `type` list such as `[string, object]`: one variant per type, each with what the
    /// schema says about values of that type (`properties` for the object, `items` for the
    /// list, `format` for the string).
    fn define_type_list(
        &mut self,
        name: &str,
        key: &[SchemaId],
    ) -> Result<(Location, Docs, TypeKind, Option<EventDef>), Diagnostic> {
        let flat = self.merged(key)?;
        let listed: Vec<JsonType> = flat
            .types
            .as_ref()
            .map(|(t, _)| t.iter().copied().collect())
            .unwrap_or_default();
        let mut types = Vec::new();
        for ty in listed {
            let hint = NameHint {
                preferred: None,
                context: format!("{name}{}", variant_name_of(ty)),
            };
            types.push(match ty {
                JsonType::String => match &flat.format {
                    Some(format) => TypeRef::Format(format.clone()),
                    None => TypeRef::String,
                },
                JsonType::Integer => TypeRef::Integer,
                JsonType::Number => TypeRef::Number,
                JsonType::Boolean => TypeRef::Boolean,
                JsonType::Array => self.array_type(&flat, &hint)?,
                JsonType::Object => self.object_type(&flat, key, &hint)?,
                JsonType::Null => continue,
            });
        }
        Ok((
            self.graph.location(key[0]).clone(),
            flat.docs.clone(),
            union_of(types),
            None,
        ))
    }

    /// The module of the types written in `file`, created when first needed.
    fn module_entry(&mut self, file: &str) -> &mut Module {
        let module_name = self.module_for(file);
        self.model
            .modules
            .entry(module_name.clone())
            .or_insert_with(|| Module {
                name: module_name,
                source: file.to_owned(),
                ..Module::default()
            })
    }

    /// The request and responses of `op`: each parameter, body and response schema resolved to a
    /// type; schemas written inline are named for the operation, shared ones for themselves.
    fn operation(
        &mut self,
        op: &Operation,
        request_name: String,
        response_name: String,
    ) -> Result<OperationDef, Diagnostic> {
        let base = naming::type_name(&op.operation_id);
        let mut fields = HashSet::new();
        if op.body.is_some() {
            fields.insert("body".to_owned());
        }
        let parameters = self.parameters(&op.parameters, &base, &mut fields)?;
        let body = match &op.body {
            Some(body) => {
                let name = format!("{base}RequestBody");
                let payload = self.payload(&body.content, &name)?;
                Some(BodyDef {
                    required: body.required,
                    payload,
                    docs: body.docs.clone(),
                })
            }
            None => None,
        };
        let mut responses = Vec::new();
        let mut variants = HashSet::new();
        let first_success = op.responses.iter().position(|r| r.status.starts_with('2'));
        for (index, response) in op.responses.iter().enumerate() {
            let reason = naming::status_name(&response.status);
            let name = if Some(index) == first_success {
                format!("{base}ResponseBody")
            } else {
                format!("{base}{reason}Body")
            };
            let payload = match &response.content {
                Some(content) => Some(self.payload(content, &name)?),
                None => None,
            };
            let mut fields = HashSet::from(["body".to_owned()]);
            let headers = self.parameters(&response.headers, &name, &mut fields)?;
            responses.push(ResponseDef {
                status: response.status.clone(),
                variant: naming::unique(reason, &mut variants),
                payload,
                headers,
                docs: response.docs.clone(),
            });
        }
        Ok(OperationDef {
            api: op.api.clone(),
            method: op.method.clone(),
            path: op.path.clone(),
            full_path: format!("{}{}", op.base_path, op.path),
            operation_id: op.operation_id.clone(),
            source: op.location.clone(),
            docs: op.docs.clone(),
            request_name,
            response_name,
            security: op.security.clone(),
            security_optional: op.security_optional,
            rate_limited: op.rate_limited,
            parameters,
            body,
            responses,
        })
    }

    /// Parameters (or headers) typed from their schemas, named for `base` where written inline.
    fn parameters(
        &mut self,
        parameters: &[crate::api::Parameter],
        base: &str,
        fields: &mut HashSet<String>,
    ) -> Result<Vec<ParameterDef>, Diagnostic> {
        let mut defs = Vec::new();
        for parameter in parameters {
            let context = format!("{base}{}", naming::type_name(&parameter.name));
            let (ty, _) = self.schema_at(&parameter.schema, None, &context)?;
            defs.push(ParameterDef {
                name: parameter.name.clone(),
                field: naming::unique(naming::field_name(&parameter.name), fields),
                place: parameter.place,
                required: parameter.required,
                ty,
                docs: parameter.docs.clone(),
            });
        }
        Ok(defs)
    }

    fn payload(&mut self, content: &Content, name: &str) -> Result<Payload, Diagnostic> {
        Ok(match content {
            Content::Json(at) => {
                let (ty, nullable) = self.schema_at(at, Some(name), name)?;
                Payload::Json(ty, nullable)
            }
            Content::Bytes(media) => Payload::Bytes(media.clone()),
        })
    }

    /// The type of the schema written at `at`. A schema written there (not a `$ref` to a
    /// shared one) may take `preferred` as its name; a shared one is named for its own file.
    fn schema_at(
        &mut self,
        at: &Location,
        preferred: Option<&str>,
        context: &str,
    ) -> Result<(TypeRef, bool), Diagnostic> {
        let Some(id) = self.graph.id_of(at) else {
            return Err(Diagnostic::new(at.clone(), "no schema was read here"));
        };
        let target = self.canonical(id);
        let target_at = self.graph.location(target).clone();
        let hint = if target_at.file == at.file {
            NameHint {
                preferred: preferred.map(str::to_owned),
                context: context.to_owned(),
            }
        } else {
            let stem = target_at
                .file
                .rsplit('/')
                .next()
                .unwrap_or(&target_at.file)
                .trim_end_matches(".yaml")
                .trim_end_matches(".json");
            NameHint {
                preferred: None,
                context: naming::type_name(stem),
            }
        };
        self.resolve_type(&[id], &hint)
    }

    fn module_for(&mut self, file: &str) -> String {
        if let Some(name) = self.module_names.get(file) {
            return name.clone();
        }
        let taken: HashSet<String> = self.module_names.values().cloned().collect();
        let mut name = naming::module_name(file);
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{}_{n}", naming::module_name(file));
            n += 1;
        }
        self.module_names.insert(file.to_owned(), name.clone());
        name
    }
}

/// `ty`, or `null` too: `Option<ty>` (`serde_json::Value` admits `null` already).
fn or_null(ty: TypeRef, nullable: bool) -> TypeRef {
    if nullable && ty != TypeRef::Any {
        TypeRef::Nullable(Box::new(ty))
    } else {
        ty
    }
}

/// The variant of a `type` list that a JSON type becomes, as [`variant_name`] names it.
fn variant_name_of(ty: JsonType) -> &'static str {
    match ty {
        JsonType::Null => "Null",
        JsonType::Boolean => "Boolean",
        JsonType::Integer => "Integer",
        JsonType::Number => "Number",
        JsonType::String => "String",
        JsonType::Array => "List",
        JsonType::Object => "Object",
    }
}

/// What a JSON value is, in the plural: for a message about an `enum` of them.
fn json_kind_plural(value: &Value) -> &'static str {
    match value {
        Value::Null => "nulls",
        Value::Bool(_) => "booleans",
        Value::Number(_) => "numbers",
        Value::String(_) => "strings",
        Value::Array(_) => "lists",
        Value::Object(_) => "objects",
    }
}

/// An untagged union of `types`, tried in order: specific shapes first, the free-form ones
/// (which accept what the others would) last, so each alternative can be chosen.
fn union_of(mut types: Vec<TypeRef>) -> TypeKind {
    let generality = |ty: &TypeRef| match ty {
        TypeRef::Any => 3,
        TypeRef::Object => 2,
        TypeRef::Map(..) | TypeRef::String => 1,
        _ => 0,
    };
    types.sort_by_key(generality);
    let mut taken = HashSet::new();
    let variants = types
        .into_iter()
        .map(|ty| UnionVariant {
            name: naming::unique(variant_name(&ty), &mut taken),
            ty,
        })
        .collect();
    TypeKind::Union(variants)
}

fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Integer => "Integer".into(),
        TypeRef::Number => "Number".into(),
        TypeRef::Boolean => "Boolean".into(),
        TypeRef::Any => "Value".into(),
        TypeRef::Object => "Object".into(),
        TypeRef::Array(_) => "List".into(),
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => variant_name(inner),
        TypeRef::Map(..) => "Map".into(),
        TypeRef::Named(name) | TypeRef::EventTypeTag(name) => name.clone(),
        // `mx-room-alias` -> `RoomAlias`, as its type is named.
        TypeRef::Format(format) => naming::type_name(format.strip_prefix("mx-").unwrap_or(format)),
        TypeRef::UnknownEvent => "UnknownEvent".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::tests::Tree;

    /// Builds the model of `files` with `roots` named from their stems (`None`: not events).
    fn model_of(
        name: &str,
        files: &[(&str, &str)],
        roots: &[(&str, Option<&str>)],
    ) -> Result<Model, Errors> {
        let tree = Tree::new(name, files);
        let paths: Vec<&str> = roots.iter().map(|(path, _)| *path).collect();
        let (graph, ids) = tree.resolve(&paths)?;
        let roots: Vec<Root> = roots
            .iter()
            .zip(ids)
            .map(|((path, event), id)| Root {
                id,
                schema: path.trim_end_matches(".yaml").to_owned(),
                event_type: event.map(str::to_owned),
            })
            .collect();
        build(&graph, &roots, &EventKinds::default())
    }

    fn find<'m>(model: &'m Model, name: &str) -> &'m TypeDef {
        model
            .modules
            .values()
            .flat_map(|m| &m.types)
            .find(|t| t.name == name)
            .unwrap_or_else(|| {
                let names: Vec<&str> = model
                    .modules
                    .values()
                    .flat_map(|m| &m.types)
                    .map(|t| t.name.as_str())
                    .collect();
                panic!("no type {name} in {names:?}")
            })
    }

    fn fields(def: &TypeDef) -> &[Field] {
        match &def.kind {
            TypeKind::Struct { fields, .. } => fields,
            other => panic!("{} is not a struct: {other:?}", def.name),
        }
    }

    const BASE: &str = "title: Base\ntype: object\nproperties:\n  id: {type: string}\n  shared: {$ref: shared.yaml}\nrequired: [id]\n";
    const SHARED: &str = "title: Shared\ntype: object\nproperties:\n  n: {type: number}\n";

    #[test]
    fn all_of_merges_fields_and_one_schema_is_one_type() {
        let thing = "title: Thing\nallOf:\n- $ref: base.yaml\nproperties:\n  also: {$ref: shared.yaml, description: Refined docs.}\n  \
                     \"m.relates_to\": {type: string}\n  type: {type: string}\n  maybe: {type: [string, 'null']}\nrequired: [also]\n";
        let model = model_of(
            "merge",
            &[
                ("thing.yaml", thing),
                ("base.yaml", BASE),
                ("shared.yaml", SHARED),
            ],
            &[("thing.yaml", None)],
        )
        .unwrap();
        let thing = find(&model, "Thing");
        let by_json = |name: &str| {
            fields(thing)
                .iter()
                .find(|f| f.json_name == name)
                .unwrap()
                .clone()
        };
        assert_eq!(
            fields(thing)
                .iter()
                .map(|f| f.json_name.as_str())
                .collect::<Vec<_>>(),
            ["id", "shared", "also", "m.relates_to", "type", "maybe"]
        );
        assert!(by_json("id").required && by_json("also").required && !by_json("shared").required);
        assert_eq!(by_json("shared").ty, TypeRef::Named("Shared".into()));
        assert_eq!(
            by_json("also").ty,
            TypeRef::Named("Shared".into()),
            "a $ref with a description is its target"
        );
        assert_eq!(
            by_json("also").docs.description.as_deref(),
            Some("Refined docs.")
        );
        assert_eq!(by_json("m.relates_to").name, "relates_to");
        assert_eq!(by_json("type").name, "type_");
        assert!(by_json("maybe").nullable && by_json("maybe").ty == TypeRef::String);
        assert_eq!(fields(find(&model, "Shared"))[0].ty, TypeRef::Number);
        let shared_count = model
            .modules
            .values()
            .flat_map(|m| &m.types)
            .filter(|t| t.name.starts_with("Shared"))
            .count();
        assert_eq!(shared_count, 1);
    }

    #[test]
    fn conflicting_all_of_names_both_places() {
        let thing = "allOf:\n- {type: object, properties: {x: {type: string}}}\n- {type: object, properties: {x: {type: integer}}}\n";
        let errors = model_of(
            "conflict",
            &[("thing.yaml", thing)],
            &[("thing.yaml", None)],
        )
        .unwrap_err()
        .0;
        assert_eq!(errors.len(), 1, "{errors:?}");
        let places = [
            errors[0].location.pointer.as_str(),
            errors[0].related[0].0.pointer.as_str(),
        ];
        assert!(
            places.contains(&"/allOf/0/properties/x/type")
                && places.contains(&"/allOf/1/properties/x/type"),
            "{places:?}"
        );
        assert!(
            errors[0].message.contains("incompatible types"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn events_get_a_type_tag_a_content_type_and_shared_content_an_alias() {
        let event = "type: object\nproperties:\n  type: {type: string}\n  content: {type: object}\nrequired: [type, content]\n";
        let own = "allOf:\n- $ref: event.yaml\nproperties:\n  content:\n    properties:\n      body: {type: string}\n      \
                   kind: {type: string, enum: [a, b.c]}\n  type: {enum: [m.own]}\n";
        let shared = "allOf:\n- $ref: event.yaml\nproperties:\n  content: {$ref: shared.yaml}\n  type: {enum: [m.shared]}\n";
        let model = model_of(
            "events",
            &[
                ("event.yaml", event),
                ("m.own.yaml", own),
                ("m.shared.yaml", shared),
                ("shared.yaml", SHARED),
            ],
            &[
                ("m.own.yaml", Some("m.own")),
                ("m.shared.yaml", Some("m.shared")),
            ],
        )
        .unwrap();
        let own_event = find(&model, "OwnEvent");
        let field = |name: &str| {
            fields(own_event)
                .iter()
                .find(|f| f.json_name == name)
                .unwrap()
                .clone()
        };
        assert_eq!(field("type").ty, TypeRef::EventTypeTag("OwnEvent".into()));
        assert_eq!(field("type").name, "event_type");
        assert_eq!(
            field("content").ty,
            TypeRef::Named("OwnEventContent".into())
        );
        let kind = &fields(find(&model, "OwnEventContent"))[1];
        assert_eq!(kind.ty, TypeRef::Named("OwnKind".into()));
        let TypeKind::StringEnum { variants, .. } = &find(&model, "OwnKind").kind else {
            panic!("not an enum")
        };
        assert_eq!(
            variants
                .iter()
                .map(|v| (v.name.as_str(), v.value.as_str()))
                .collect::<Vec<_>>(),
            [("A", "a"), ("BC", "b.c")]
        );
        assert_eq!(
            find(&model, "SharedEventContent").kind,
            TypeKind::Alias(TypeRef::Named("Shared".into()))
        );
        let events: Vec<&EventDef> = model.modules.values().flat_map(|m| &m.events).collect();
        assert_eq!(events.len(), 2);
        assert!(events.iter().any(|e| e.event_type == "m.shared"
            && e.content == TypeRef::Named("SharedEventContent".into())));
    }

    #[test]
    fn an_event_whose_type_enum_excludes_its_own_type_is_an_error() {
        let event = "type: object\nproperties:\n  type: {type: string, enum: [m.other]}\n  content: {type: object}\n";
        let errors = model_of(
            "wrong-type",
            &[("m.mine.yaml", event)],
            &[("m.mine.yaml", Some("m.mine"))],
        )
        .unwrap_err()
        .0;
        assert_eq!(
            errors[0].location,
            Location::new("m.mine.yaml", "/properties/type/enum")
        );
    }

    #[test]
    fn same_titles_get_distinct_deterministic_names() {
        let a = "type: object\nproperties:\n  one: {title: Info, type: object, properties: {a: {type: string}}}\n  \
                 two: {title: Info, type: object, properties: {b: {type: string}}}\n";
        let names = |model: &Model| -> Vec<String> {
            let mut names: Vec<String> = model
                .modules
                .values()
                .flat_map(|m| &m.types)
                .map(|t| t.name.clone())
                .collect();
            names.sort();
            names
        };
        let first = model_of("titles", &[("a.yaml", a)], &[("a.yaml", None)]).unwrap();
        let second = model_of("titles", &[("a.yaml", a)], &[("a.yaml", None)]).unwrap();
        assert_eq!(names(&first), ["A", "ATwo", "Info"]);
        assert_eq!(names(&first), names(&second));
    }
}

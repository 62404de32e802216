//! Naming and placement: the name of every type (from the event, the title, the file or the
//! place it is used), unique across the crate, the queue of types named but not yet defined,
//! and the module each spec file's types go to.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use crate::diagnostics::Location;
use crate::naming;
use crate::resolve::Docs;
use crate::resolve::{SchemaGraph, SchemaId};

use super::events::EventShape;
use super::ir::TypeRef;

/// Names of the prelude, serde_json and the crate's hand-written parts that generated code
/// uses unqualified; no generated type takes them.
pub(super) const RESERVED_NAMES: &[&str] = &[
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
    "EventContent",
    "StateEventContent",
    "MessageLikeEventContent",
    "GlobalAccountDataEventContent",
    "RoomAccountDataEventContent",
    "EphemeralRoomEventContent",
    "ToDeviceEventContent",
    "EventTypeTag",
    "UnknownEvent",
    "DispatchError",
    "Raw",
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

/// What a name is chosen from when a type is first needed.
#[derive(Debug, Clone)]
pub(super) struct NameHint {
    /// Wins over everything when free (event and content names).
    pub(super) preferred: Option<String>,
    /// Built from the parent type and field: used when the schema has no usable title.
    pub(super) context: String,
}

/// What a pending named type becomes once its name is known.
#[derive(Debug, Clone)]
pub(super) enum Pending {
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
    Newtype(TypeRef, Location, Docs),
    /// The struct of an object (`key`) that holds events the API carries in its list `field`,
    /// read as `items` (the `typed_events` entry written at `entry`).
    Carrier {
        key: Vec<SchemaId>,
        field: String,
        items: TypeRef,
        entry: Location,
    },
}

/// What a named type is made as: the same schemas may be named once per role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Class {
    Struct,
    Enum,
    Union,
    Event,
    Dispatch,
    ContentNewtype,
    MapValues,
}

/// The names chosen so far and the types waiting for their definitions.
pub(super) struct Namer<'g> {
    graph: &'g SchemaGraph,
    names: HashMap<(Class, Vec<SchemaId>), String>,
    taken: HashSet<String>,
    pending: VecDeque<(String, Pending)>,
    module_names: BTreeMap<String, String>,
}

impl<'g> Namer<'g> {
    pub(super) fn new(graph: &'g SchemaGraph) -> Self {
        Namer {
            graph,
            names: HashMap::new(),
            taken: HashSet::new(),
            pending: VecDeque::new(),
            module_names: BTreeMap::new(),
        }
    }

    /// Takes `name` as it is, so that no type is given it.
    pub(super) fn take(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// `name`, or `name` numbered when taken; taken from now on.
    pub(super) fn unique(&mut self, name: String) -> String {
        naming::unique(name, &mut self.taken)
    }

    /// Queues the definition of the type `name`.
    pub(super) fn queue(&mut self, name: String, pending: Pending) {
        self.pending.push_back((name, pending));
    }

    /// The next type named but not yet defined.
    pub(super) fn next_pending(&mut self) -> Option<(String, Pending)> {
        self.pending.pop_front()
    }

    /// The type of its own, `content_name`, that an event's content of type `ty` (shared
    /// with other events, or a map) becomes (written at `location`); one per `key`.
    pub(super) fn content_newtype(
        &mut self,
        key: Vec<SchemaId>,
        content_name: String,
        ty: TypeRef,
        docs: Docs,
        location: impl FnOnce() -> Location,
    ) -> String {
        if let Some(alias) = self.names.get(&(Class::ContentNewtype, key.clone())) {
            return alias.clone();
        }
        let alias = self.unique(content_name);
        self.names
            .insert((Class::ContentNewtype, key), alias.clone());
        self.pending
            .push_back((alias.clone(), Pending::Newtype(ty, location(), docs)));
        alias
    }

    /// The name of the type for `key` made as `class`, choosing one and queueing the definition
    /// (`pending`) the first time.
    pub(super) fn named(
        &mut self,
        class: Class,
        key: Vec<SchemaId>,
        hint: NameHint,
        pending: Pending,
    ) -> String {
        if let Some(name) = self.names.get(&(class, key.clone())) {
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
            (_, Some(preferred)) if class == Class::Event && self.taken.contains(preferred) => {
                self.unique(preferred.clone())
            }
            (Some(free), _) => self.unique(free),
            (None, _) => self.unique(hint.context.clone()),
        };
        self.names.insert((class, key), name.clone());
        self.pending.push_back((name.clone(), pending));
        name
    }

    /// The module of the types written in `file`: named for the file, numbered when taken.
    pub(super) fn module_for(&mut self, file: &str) -> String {
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

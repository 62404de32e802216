//! Naming: the name of every type (from the event, the title, the file or the place it is
//! used) and of every operation, the queue of types named but not yet defined, and the module
//! (the key in the model) of each spec file.
//!
//! Names are chosen twice. While the model is built, each type gets an internal name, unique
//! in the crate, and the recipe it came from (its candidates, as [`Stem`]s that may be built
//! on the names of other types). Once every module's folder is known (`placement`),
//! [`Namer::final_names`] chooses the names of the crate from the same recipes, in the same
//! order: unique in the folder of an API, and in the crate for `events` and `common` (which
//! every folder imports); where every candidate is taken, from what tells the type apart (its
//! parent's place, its file's path, an operation's path) before any counter.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use crate::diagnostics::Location;
use crate::naming;
use crate::resolve::Docs;
use crate::resolve::{SchemaGraph, SchemaId};

use super::events::EventShape;
use super::ir::{is_shared_folder, Model, NumberedName, TypeRef};

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

/// A name, or how one is made from the name of another type or of an operation
/// (`GetPushersResponseBody` + field `pushers`): spelled with the internal names while the
/// model is built, and with the final ones when they are chosen, so that a type named for
/// its parent follows its parent's final name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stem {
    base: Base,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Base {
    Text(String),
    /// The name of a type (its internal name); `bare`: without the `EventContent` or `Event`
    /// it ends with.
    Type {
        key: String,
        bare: bool,
    },
    /// The name of an operation (by its index), that of its request without `Request`.
    Operation(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// A property of the type named so far: [`naming::join_context`].
    Field(String),
    Suffix(String),
}

impl Stem {
    pub(super) fn text(text: impl Into<String>) -> Stem {
        Stem {
            base: Base::Text(text.into()),
            parts: Vec::new(),
        }
    }

    /// The name of the type `key`.
    pub(super) fn of_type(key: &str) -> Stem {
        Stem {
            base: Base::Type {
                key: key.to_owned(),
                bare: false,
            },
            parts: Vec::new(),
        }
    }

    /// The name of the type `key` without the `EventContent` or `Event` it ends with: what
    /// its fields' types are named for.
    pub(super) fn of_type_bare(key: &str) -> Stem {
        Stem {
            base: Base::Type {
                key: key.to_owned(),
                bare: true,
            },
            parts: Vec::new(),
        }
    }

    /// The name of the operation `index` (of the operations the model is built with).
    pub(super) fn of_operation(index: usize) -> Stem {
        Stem {
            base: Base::Operation(index),
            parts: Vec::new(),
        }
    }

    /// The name for a property `field` of what this names, without stutter.
    pub(super) fn field(&self, field: &str) -> Stem {
        let mut stem = self.clone();
        stem.parts.push(Part::Field(field.to_owned()));
        stem
    }

    pub(super) fn suffix(&self, suffix: &str) -> Stem {
        let mut stem = self.clone();
        stem.parts.push(Part::Suffix(suffix.to_owned()));
        stem
    }

    /// The text, the names of types and operations spelled by `name_of`.
    fn spell(&self, name_of: &mut dyn FnMut(&Base) -> String) -> String {
        let mut text = name_of(&self.base);
        for part in &self.parts {
            match part {
                Part::Field(field) => text = naming::join_context(&text, field),
                Part::Suffix(suffix) => text.push_str(suffix),
            }
        }
        text
    }
}

/// A type's name without the `EventContent` or `Event` it ends with.
fn bare(name: &str) -> &str {
    name.strip_suffix("EventContent")
        .or_else(|| name.strip_suffix("Event"))
        .unwrap_or(name)
}

/// What a name is chosen from when a type is first needed.
#[derive(Debug, Clone)]
pub(super) struct NameHint {
    /// Wins over everything when free (event and content names).
    pub(super) preferred: Option<Stem>,
    /// Built from the parent type and field: used when the schema has no usable title.
    pub(super) context: Stem,
}

/// How a type was named: what its final name is chosen from.
#[derive(Debug, Clone)]
struct Entry {
    /// The internal name.
    key: String,
    /// The names it may have, best first.
    candidates: Vec<Stem>,
    /// The name of where it is used, when no candidate is free.
    context: Stem,
    /// The spec file it is the whole of, if it is.
    file: Option<String>,
    /// An event's struct: when its preferred name is another event's, it is numbered like
    /// its variant of the `Any…` enums.
    event: bool,
}

/// How an operation was named: its request and response are `{base}Request` and
/// `{base}Response`.
#[derive(Debug, Clone)]
struct OperationEntry {
    /// `naming::type_name` of the operation id.
    base: String,
    /// The internal names of its request and response.
    request: String,
    response: String,
    /// Where it is sent: the base path and the path.
    path: String,
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
    /// Internal names taken: unique in the crate.
    taken: HashSet<String>,
    /// Names no type takes, in any folder.
    reserved: BTreeSet<String>,
    pending: VecDeque<(String, Pending)>,
    module_names: BTreeMap<String, String>,
    /// Every named type, in the order named.
    entries: Vec<Entry>,
    operations: Vec<OperationEntry>,
}

impl<'g> Namer<'g> {
    pub(super) fn new(graph: &'g SchemaGraph) -> Self {
        Namer {
            graph,
            names: HashMap::new(),
            taken: HashSet::new(),
            reserved: BTreeSet::new(),
            pending: VecDeque::new(),
            module_names: BTreeMap::new(),
            entries: Vec::new(),
            operations: Vec::new(),
        }
    }

    /// Takes `name` as it is, in every folder, so that no type is given it.
    pub(super) fn take(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
        self.reserved.insert(name.to_owned());
    }

    /// `name`, or `name` numbered when taken; taken from now on (an internal name).
    fn unique(&mut self, name: String) -> String {
        naming::unique(name, &mut self.taken)
    }

    /// The internal names of the request and response of an operation (the next one):
    /// `{base}Request` and `{base}Response`, `base` named for its id.
    pub(super) fn operation(&mut self, operation_id: &str, path: String) -> (String, String) {
        let base = naming::type_name(operation_id);
        let request = self.unique(format!("{base}Request"));
        let response = self.unique(format!("{base}Response"));
        self.operations.push(OperationEntry {
            base,
            request: request.clone(),
            response: response.clone(),
            path,
        });
        (request, response)
    }

    /// The text of `stem`, with the internal names.
    fn spell(&self, stem: &Stem) -> String {
        stem.spell(&mut |base| match base {
            Base::Text(text) => text.clone(),
            Base::Type { key, bare: false } => key.clone(),
            Base::Type { key, bare: true } => bare(key).to_owned(),
            Base::Operation(index) => self.operations[*index].base.clone(),
        })
    }

    /// A type named `stem` (or as free a name as there is), for a root that is not an object
    /// or for the content of an event: the internal name.
    pub(super) fn named_plainly(&mut self, stem: Stem) -> String {
        let key = self.unique(self.spell(&stem));
        self.entries.push(Entry {
            key: key.clone(),
            candidates: vec![stem.clone()],
            context: stem,
            file: None,
            event: false,
        });
        key
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
        let alias = self.named_plainly(Stem::text(content_name));
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
        let file = match key.as_slice() {
            [only] if self.graph.location(*only).pointer.is_empty() => {
                Some(self.graph.location(*only).file.clone())
            }
            _ => None,
        };
        let whole_file = file.is_some();
        let candidates: Vec<Stem> = [
            hint.preferred.clone(),
            title.map(Stem::text),
            whole_file.then(|| hint.context.clone()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let preferred = hint.preferred.as_ref().map(|stem| self.spell(stem));
        let free = candidates
            .iter()
            .map(|stem| self.spell(stem))
            .find(|c| !self.taken.contains(c));
        let name = match (free, &preferred) {
            // An event whose name another event has (`m.foo_bar` and `m.foo.bar` are both
            // `FooBarEvent`) is numbered like its variant of the `Any…` enums: `FooBarEvent2`.
            (_, Some(preferred)) if class == Class::Event && self.taken.contains(preferred) => {
                self.unique(preferred.clone())
            }
            (Some(free), _) => self.unique(free),
            (None, _) => self.unique(self.spell(&hint.context)),
        };
        self.entries.push(Entry {
            key: name.clone(),
            candidates,
            context: hint.context,
            file,
            event: class == Class::Event,
        });
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
        let preferred = [
            naming::module_name(file),
            naming::module_name_keeping_folders(file),
        ];
        let name = match preferred.iter().find(|name| !taken.contains(*name)) {
            Some(name) => name.clone(),
            None => (2..)
                .map(|n| format!("{}_{n}", preferred[1]))
                .find(|name| !taken.contains(name))
                .expect("unbounded range"),
        };
        self.module_names.insert(file.to_owned(), name.clone());
        name
    }
}

/// The final names: of each type and operation by its internal name (those that keep it
/// are left out), and the names numbered on the way, with the reason.
pub(super) struct FinalNames {
    pub(super) names: HashMap<String, String>,
    pub(super) numbered: Vec<NumberedName>,
}

impl Namer<'_> {
    /// Chooses the names the crate has, once every module's folder is known (`model`, its
    /// types still under their internal names): a name is unique in the folder of an API and
    /// among the names of `events` and `common`, which every folder imports. Operations
    /// choose first (their requests and responses), then types, in the order they were named
    /// (events, shared definitions, then as the operations and fields need them), each the
    /// first of its candidates free in its folder. A type named for its parent is named for
    /// its parent's final name.
    pub(super) fn final_names(&self, model: &Model) -> FinalNames {
        let mut folder_of: HashMap<&str, &str> = HashMap::new();
        for module in model.modules.values() {
            for def in &module.types {
                folder_of.insert(&def.name, &module.folder);
            }
            for op in &module.operations {
                folder_of.insert(&op.request_name, &module.folder);
            }
        }
        let mut finals = Finals {
            namer: self,
            folder_of,
            entry_of: self
                .entries
                .iter()
                .enumerate()
                .map(|(index, entry)| (entry.key.as_str(), index))
                .collect(),
            chosen: HashMap::new(),
            bases: vec![None; self.operations.len()],
            taken: BTreeMap::new(),
            numbered: Vec::new(),
        };
        // Names of the crate's own (the `Any…` enums, the prelude, serde): in every folder.
        for name in &self.reserved {
            finals.take("", name, name);
        }
        for index in 0..self.operations.len() {
            finals.operation_base(index);
        }
        for entry in &self.entries {
            finals.final_name(&entry.key);
        }
        let mut names = HashMap::new();
        for (key, name) in finals.chosen {
            if key != name {
                names.insert(key.to_owned(), name);
            }
        }
        for (index, base) in finals.bases.into_iter().enumerate() {
            let op = &self.operations[index];
            let Some(base) = base else { continue };
            for (key, name) in [
                (&op.request, format!("{base}Request")),
                (&op.response, format!("{base}Response")),
            ] {
                if *key != name {
                    names.insert(key.clone(), name);
                }
            }
        }
        FinalNames {
            names,
            numbered: finals.numbered,
        }
    }
}

/// The state of the choice of final names.
struct Finals<'n> {
    namer: &'n Namer<'n>,
    /// The folder of each type (and of each operation, by its request's internal name).
    folder_of: HashMap<&'n str, &'n str>,
    entry_of: HashMap<&'n str, usize>,
    /// The final name of each type chosen so far, by its internal name.
    chosen: HashMap<&'n str, String>,
    /// The final base name of each operation chosen so far.
    bases: Vec<Option<String>>,
    /// The final names taken in each folder (`""`: in every folder), with their internal names.
    taken: BTreeMap<&'n str, BTreeMap<String, String>>,
    numbered: Vec<NumberedName>,
}

impl<'n> Finals<'n> {
    /// Who has `name` where a type of `folder` would clash with it: `(folder, internal name)`.
    fn holder(&self, folder: &str, name: &str) -> Option<(&'n str, &str)> {
        self.taken
            .iter()
            .filter(|(theirs, _)| {
                theirs.is_empty()
                    || is_shared_folder(folder)
                    || is_shared_folder(theirs)
                    || **theirs == folder
            })
            .find_map(|(theirs, names)| Some((*theirs, names.get(name)?.as_str())))
    }

    fn is_free(&self, folder: &str, name: &str) -> bool {
        self.holder(folder, name).is_none()
    }

    fn take(&mut self, folder: &'n str, name: &str, key: &str) {
        self.taken
            .entry(folder)
            .or_default()
            .insert(name.to_owned(), key.to_owned());
    }

    /// Why `name` is not free in `folder`: who has it.
    fn taken_by(&self, folder: &str, name: &str) -> String {
        match self.holder(folder, name) {
            Some(("", _)) => format!("`{name}` (the crate's own)"),
            Some((theirs, key)) if key == name => format!("`{name}` (in `{theirs}`)"),
            Some((theirs, key)) => format!("`{name}` (in `{theirs}`, by `{key}`)"),
            None => format!("`{name}`"),
        }
    }

    /// `stem` with the final names of the types and operations it is built on.
    fn spell(&mut self, stem: &Stem) -> String {
        stem.spell(&mut |base| match base {
            Base::Text(text) => text.clone(),
            Base::Type { key, bare: whole } => {
                let name = self.final_name_of(key);
                if *whole {
                    bare(&name).to_owned()
                } else {
                    name
                }
            }
            Base::Operation(index) => self.operation_base(*index),
        })
    }

    /// The final name of the type `key` (any name, such as a reserved one, that the namer did
    /// not choose is its own).
    fn final_name_of(&mut self, key: &str) -> String {
        let Some(&index) = self.entry_of.get(key) else {
            return key.to_owned();
        };
        self.final_name(&self.namer.entries[index].key)
    }

    /// The final name of the type `key`, chosen the first time.
    fn final_name(&mut self, key: &'n str) -> String {
        if let Some(name) = self.chosen.get(key) {
            return name.clone();
        }
        let Some(&folder) = self.folder_of.get(key) else {
            // Never defined (its definition failed): the model is an error anyway.
            return key.to_owned();
        };
        let entry = &self.namer.entries[self.entry_of[key]];
        let candidates: Vec<String> = entry
            .candidates
            .iter()
            .map(|stem| self.spell(stem))
            .collect();
        let context = self.spell(&entry.context);
        let name = match candidates.first() {
            Some(preferred) if entry.event && !self.is_free(folder, preferred) => {
                let reason = format!(
                    "the struct of an event whose name another event type's has, {}: numbered like its variant of the `Any…` enums",
                    self.taken_by(folder, preferred)
                );
                self.numbered(folder, preferred, reason)
            }
            _ => {
                let mut tried = candidates.clone();
                tried.push(context.clone());
                if tried.iter().all(|name| !self.is_free(folder, name)) {
                    tried.extend(self.telling_apart(entry));
                }
                tried.dedup();
                match tried.iter().find(|name| self.is_free(folder, name)) {
                    Some(free) => free.clone(),
                    None => {
                        let reason = format!(
                            "every name it may have is taken: {}",
                            tried
                                .iter()
                                .map(|name| self.taken_by(folder, name))
                                .collect::<Vec<_>>()
                                .join(", ")
                        );
                        self.numbered(folder, &context, reason)
                    }
                }
            }
        };
        self.take(folder, &name, key);
        self.chosen.insert(key, name.clone());
        name
    }

    /// Names for `entry` from what tells it apart from the types that have its names, best
    /// first: for a type named for its parent (a field's, a list's items), the parent's whole
    /// name (`PresenceEventContentPresence`, not `Presence`), then the place the parent is
    /// used instead of its name, one level up at a time (`GetPushersResponseBodyPushersData`
    /// for the `data` of a `Pusher` of that response); for the whole of a spec file, its path
    /// (`CoreEventSchemaEvent`).
    fn telling_apart(&mut self, entry: &Entry) -> Vec<String> {
        let mut names = Vec::new();
        let mut stem = entry.context.clone();
        if let Base::Type { key, bare: true } = &stem.base {
            let whole = Stem {
                base: Base::Type {
                    key: key.clone(),
                    bare: false,
                },
                parts: stem.parts.clone(),
            };
            names.push(self.spell(&whole));
        }
        while let Base::Type { key, .. } = &stem.base {
            let Some(&parent) = self.entry_of.get(key.as_str()) else {
                break;
            };
            let used = &self.namer.entries[parent].context;
            stem = Stem {
                base: used.base.clone(),
                parts: used.parts.iter().chain(&stem.parts).cloned().collect(),
            };
            names.push(self.spell(&stem));
        }
        if let Some(file) = &entry.file {
            names.push(naming::type_name(&naming::module_name(file)));
            names.push(naming::type_name(&naming::module_name_keeping_folders(
                file,
            )));
        }
        names
    }

    /// `name` numbered to be free in `folder`, recorded with `reason`.
    fn numbered(&mut self, folder: &str, name: &str, reason: String) -> String {
        let numbered = (2..)
            .map(|n| format!("{name}{n}"))
            .find(|numbered| self.is_free(folder, numbered))
            .expect("unbounded range");
        self.numbered.push(NumberedName {
            place: folder.to_owned(),
            name: numbered.clone(),
            reason,
        });
        numbered
    }

    /// The final base name of the operation `index`, chosen the first time (with its request
    /// and response names, taken then).
    fn operation_base(&mut self, index: usize) -> String {
        if let Some(base) = &self.bases[index] {
            return base.clone();
        }
        let op = &self.namer.operations[index];
        let folder = self
            .folder_of
            .get(op.request.as_str())
            .copied()
            .unwrap_or("");
        let free = |finals: &Self, base: &str| {
            finals.is_free(folder, &format!("{base}Request"))
                && finals.is_free(folder, &format!("{base}Response"))
        };
        // Another operation of the folder with the same name: this one is named for what its
        // path has that the other's has not.
        let other_path = [
            format!("{}Request", op.base),
            format!("{}Response", op.base),
        ]
        .iter()
        .find_map(|name| {
            let (_, key) = self.holder(folder, name)?;
            self.namer
                .operations
                .iter()
                .find(|other| other.request == key || other.response == key)
        })
        .map(|other| other.path.as_str());
        let qualified = other_path
            .map(|other| format!("{}{}", op.base, path_difference(&op.path, other)))
            .filter(|qualified| *qualified != op.base);
        let base = if free(self, &op.base) {
            op.base.clone()
        } else if let Some(qualified) = qualified.filter(|base| free(self, base)) {
            qualified
        } else {
            let reason = format!(
                "the operation `{}` at `{}`: {} or {}",
                op.base,
                op.path,
                self.taken_by(folder, &format!("{}Request", op.base)),
                self.taken_by(folder, &format!("{}Response", op.base))
            );
            let base = (2..)
                .map(|n| format!("{}{n}", op.base))
                .find(|base| free(self, base))
                .expect("unbounded range");
            self.numbered.push(NumberedName {
                place: folder.to_owned(),
                name: format!("{base}Request"),
                reason,
            });
            base
        };
        self.take(folder, &format!("{base}Request"), &op.request);
        self.take(folder, &format!("{base}Response"), &op.response);
        self.bases[index] = Some(base.clone());
        base
    }
}

/// What the path `mine` has that `other` has not, as a name: its version when theirs differ
/// (`V2` for `/_matrix/federation/v2/send_join` beside `…/v1/send_join`), else the words of
/// its segments the other path lacks (`Users` for `/users/{userId}` beside
/// `/thirdparty/user`); empty when there is none.
fn path_difference(mine: &str, other: &str) -> String {
    let is_version = |segment: &&str| {
        segment.len() > 1
            && segment.starts_with(['v', 'r'])
            && segment[1..].chars().all(|c| c.is_ascii_digit())
    };
    let split = |path: &str| -> Vec<String> {
        path.split('/')
            .filter(|segment| !segment.is_empty() && !segment.starts_with('{'))
            .map(str::to_owned)
            .collect()
    };
    let (mine, other) = (split(mine), split(other));
    let version = |segments: &[String]| segments.iter().find(|s| is_version(&s.as_str())).cloned();
    if let (Some(my_version), Some(their_version)) = (version(&mine), version(&other)) {
        if my_version != their_version {
            return naming::type_name(&my_version);
        }
    }
    mine.iter()
        .filter(|segment| !is_version(&segment.as_str()) && !other.contains(segment))
        .map(|segment| naming::type_name(segment))
        .collect()
}

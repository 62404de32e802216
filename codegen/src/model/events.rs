//! Events: the struct of each event schema in each form it is sent in (its fields from the
//! form's envelope), its content type, and the variant it has in the `Any…` enums.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::diagnostics::{Diagnostic, Location};
use crate::kinds::Kind;
use crate::naming;
use crate::resolve::{Docs, SchemaId};

use super::builder::ModelBuilder;
use super::flat::Flat;
use super::ir::{ContentDef, TypeRef};
use super::names::{Class, NameHint, Pending, Stem};
use super::{EventKinds, Root};

/// An event's struct in one form: the properties it has, each with the schemas that say
/// something about it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct EventShape {
    pub(super) schema: String,
    pub(super) event_type: String,
    pub(super) properties: Vec<(String, Vec<SchemaId>)>,
    pub(super) required: BTreeSet<String>,
    pub(super) docs: Docs,
    pub(super) source: Location,
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

/// What the model knows of events while it is built: how they sort into kinds, their
/// `$variant` schemas, and their variants and structs in the `Any…` enums.
pub(super) struct Events<'g> {
    pub(super) kinds: &'g EventKinds,
    /// The `$variant` schemas of each event type: suffix and root schema.
    pub(super) variants: BTreeMap<String, Vec<(String, SchemaId)>>,
    /// The variant and struct of each event type in each form, by the form's enum name.
    pub(super) forms: BTreeMap<&'static str, Vec<(String, String)>>,
    /// The variant of the `Any…` enums each event type has, and the names taken among them.
    variant_names: BTreeMap<String, String>,
    variant_names_taken: HashSet<String>,
    /// The kinds of each event schema (file stem, without `$variant`), once its structs are made.
    pub(super) kinds_by_schema: BTreeMap<String, BTreeSet<Kind>>,
}

impl<'g> Events<'g> {
    pub(super) fn new(kinds: &'g EventKinds) -> Self {
        Events {
            kinds,
            variants: BTreeMap::new(),
            forms: BTreeMap::new(),
            variant_names: BTreeMap::new(),
            // The variants every `Any…` enum has besides its events.
            variant_names_taken: HashSet::from(["Redacted".to_owned(), "Unknown".to_owned()]),
            kinds_by_schema: BTreeMap::new(),
        }
    }

    /// Notes the `$variant` schemas among `roots`, by event type.
    pub(super) fn collect_variants(&mut self, roots: &[Root]) {
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
    }

    /// The variant of the `Any…` enums for `event_type`: its type name (`m.room.member` ->
    /// `RoomMember`), numbered when another event type already has it (`m.foo_bar` and
    /// `m.foo.bar`); the same in every enum. Events are met in the order of their files.
    pub(super) fn variant(&mut self, event_type: &str) -> String {
        if let Some(known) = self.variant_names.get(event_type) {
            return known.clone();
        }
        let variant = naming::unique(naming::type_name(event_type), &mut self.variant_names_taken);
        self.variant_names
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
}

impl ModelBuilder<'_> {
    /// Queues the struct of an event in each form it takes; returns the name of the struct
    /// its schema describes as written (the type its examples are read as).
    pub(super) fn event_structs(
        &mut self,
        root: &Root,
        base: &str,
        event_type: &str,
        flat: &Flat,
    ) -> String {
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
            self.events.kinds_of(event_type, flat)
        };
        if kinds.is_empty() && !root.schema.contains('$') {
            self.model.notes.push(no_kind_note(event_type));
        }
        if !root.schema.contains('$') {
            self.events
                .kinds_by_schema
                .insert(root.schema.clone(), kinds.clone());
        }
        let mut structs: Vec<(EventShape, String)> = Vec::new();
        for (form, envelope) in self.events.kinds.envelopes.clone() {
            if !kinds.contains(&form.kind) {
                continue;
            }
            let shape = self.shape_in_form(&own, root.id, flat, envelope);
            let name = match structs.iter().find(|(known, _)| known.same_fields(&shape)) {
                Some((_, name)) => name.clone(),
                None => {
                    let hint = NameHint {
                        preferred: Some(Stem::text(format!("{}{base}Event", form.prefix))),
                        context: Stem::text(format!("{}{base}", form.prefix)),
                    };
                    let name = self.names.named(
                        Class::Event,
                        vec![root.id, envelope],
                        hint,
                        Pending::Event(shape.clone()),
                    );
                    structs.push((shape, name.clone()));
                    name
                }
            };
            let variant = self.events.variant(event_type);
            self.events
                .forms
                .entry(form.enum_name)
                .or_default()
                .push((variant, name));
        }
        match structs.iter().find(|(known, _)| known.same_fields(&own)) {
            Some((_, name)) => name.clone(),
            None => {
                let hint = NameHint {
                    preferred: Some(Stem::text(format!("{base}Event"))),
                    context: Stem::text(base),
                };
                self.names
                    .named(Class::Event, vec![root.id], hint, Pending::Event(own))
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
        let envelope_flat = match self.flat.flatten(envelope) {
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

    /// The type of an event's `content`: `{prefix}EventContent`, a dispatch over the content of
    /// its `$variant` schemas when it has any, or an alias of a content type it shares.
    pub(super) fn event_content(
        &mut self,
        shape: &EventShape,
        prefix: &str,
        contributions: &[SchemaId],
    ) -> Result<TypeRef, Diagnostic> {
        let content_name = format!("{prefix}EventContent");
        if !shape.schema.contains('$') {
            if let Some(variants) = self.events.variants.get(&shape.event_type).cloned() {
                let hint = NameHint {
                    preferred: Some(Stem::text(content_name)),
                    context: Stem::text(format!("{prefix}Content")),
                };
                let pending = Pending::Dispatch {
                    base: contributions.to_vec(),
                    base_name: format!("Unknown{prefix}EventContent"),
                    variants,
                };
                let name = self
                    .names
                    .named(Class::Dispatch, contributions.to_vec(), hint, pending);
                self.add_content(shape, &name);
                return Ok(TypeRef::Named(name));
            }
        }
        let own_file = contributions.iter().any(|&c| {
            let canonical = self.flat.canonical(c);
            self.graph.location(canonical).file == shape.source.file
        });
        let hint = NameHint {
            preferred: own_file.then(|| Stem::text(content_name.clone())),
            context: Stem::text(prefix).field("content"),
        };
        let (ty, _) = self.resolve_type(contributions, &hint)?;
        let name = if ty == TypeRef::Named(content_name.clone()) {
            content_name
        } else {
            // Shared content (every m.call.* event's) keeps one type, and a map is no type of
            // its own: the event's content is a newtype around it, which knows its event type.
            let docs = Docs {
                description: Some(format!(
                    "The content of `{}` events, as a type of its own (which knows its event type): it wraps the type its schema shares with other events, or its map.",
                    shape.event_type
                )),
                ..Docs::default()
            };
            self.names
                .content_newtype(contributions.to_vec(), content_name, ty, docs, || {
                    contributions
                        .last()
                        .map(|&c| self.graph.location(c).clone())
                        .unwrap_or(shape.source.clone())
                })
        };
        self.add_content(shape, &name);
        Ok(TypeRef::Named(name))
    }

    /// Records that `type_name` is the content of `shape`'s event, once, beside the event.
    fn add_content(&mut self, shape: &EventShape, type_name: &str) {
        let base = shape.schema.split('$').next().unwrap_or(&shape.schema);
        let kinds = self
            .events
            .kinds_by_schema
            .get(base)
            .map(|kinds| kinds.iter().copied().collect())
            .unwrap_or_default();
        let def = ContentDef {
            type_name: type_name.to_owned(),
            event_type: shape.event_type.clone(),
            kinds,
        };
        let module = self.module_entry(&shape.source.file);
        if !module
            .contents
            .iter()
            .any(|known| known.type_name == def.type_name)
        {
            module.contents.push(def);
        }
    }

    pub(super) fn check_event_type(
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
}

/// The note for an event that belongs to no kind (and that no API place carries by its own type).
pub(super) fn no_kind_note(event_type: &str) -> String {
    format!(
        "event `{event_type}` belongs to no kind (see event_kinds in the overrides): it is in no `Any…` enum"
    )
}

//! Events carried by the API: the places the overrides' `typed_events` name (a `/sync`
//! timeline's items, a joined room's `account_data`) typed as `Raw<…>` of the events' type,
//! instead of the generic event schema the spec writes there.

use std::collections::{BTreeSet, HashMap};

use crate::diagnostics::{Diagnostic, Location};
use crate::overrides::TypedEventsEntry;
use crate::resolve::SchemaId;

use super::builder::ModelBuilder;
use super::events::no_kind_note;
use super::ir::{TypeDef, TypeKind, TypeRef};
use super::names::{Class, NameHint, Pending};

/// The entries of `typed_events`, by the places they name, and which places were met.
pub(super) struct Carried<'g> {
    entries: &'g [TypedEventsEntry],
    by_place: HashMap<&'g Location, usize>,
    /// The struct each entry with a `list` made, once made.
    structs: HashMap<usize, String>,
    met: BTreeSet<&'g Location>,
}

impl<'g> Carried<'g> {
    pub(super) fn new(entries: &'g [TypedEventsEntry]) -> Self {
        let mut by_place = HashMap::new();
        for (index, entry) in entries.iter().enumerate() {
            for place in &entry.places {
                by_place.insert(place, index);
            }
        }
        Carried {
            entries,
            by_place,
            structs: HashMap::new(),
            met: BTreeSet::new(),
        }
    }
}

/// `Raw<…>` of what an entry's events are read as.
fn raw_type(entry: &TypedEventsEntry) -> TypeRef {
    let events = match &entry.events {
        Some(name) => TypeRef::Named(name.clone()),
        None => TypeRef::Object,
    };
    TypeRef::Raw(Box::new(events))
}

impl ModelBuilder<'_> {
    /// The type of a value described by `contributions` when one of them is a place that
    /// `typed_events` names: `Raw<…>` of its events, or the struct of its own that holds them.
    pub(super) fn carried_type(
        &mut self,
        contributions: &[SchemaId],
        hint: &NameHint,
    ) -> Option<TypeRef> {
        let (id, index) = contributions.iter().find_map(|&id| {
            let index = *self.carried.by_place.get(self.graph.location(id))?;
            Some((id, index))
        })?;
        let entry = &self.carried.entries[index];
        let place = self.graph.location(id);
        self.carried.met.insert(
            entry
                .places
                .iter()
                .find(|known| *known == place)
                .expect("the place was found by its entry"),
        );
        let ty = match &entry.list {
            None => raw_type(entry),
            Some((field, name)) => match self.carried.structs.get(&index) {
                Some(made) => TypeRef::Named(made.clone()),
                None => {
                    let made = self.names.named(
                        Class::Struct,
                        vec![id],
                        NameHint {
                            preferred: Some(name.clone()),
                            context: hint.context.clone(),
                        },
                        Pending::Carrier {
                            key: vec![id],
                            field: field.clone(),
                            items: raw_type(entry),
                            entry: entry.location.clone(),
                        },
                    );
                    self.carried.structs.insert(index, made.clone());
                    TypeRef::Named(made)
                }
            },
        };
        self.model
            .schema_types
            .entry(place.clone())
            .or_insert_with(|| (ty.clone(), false));
        Some(ty)
    }

    /// The struct that holds carried events in its list `field`: the object's own struct, the
    /// list's items typed as `items`.
    pub(super) fn carrier_kind(
        &self,
        mut kind: TypeKind,
        field: &str,
        items: TypeRef,
        entry: &Location,
    ) -> Result<TypeKind, Diagnostic> {
        let TypeKind::Struct { fields, .. } = &mut kind else {
            return Err(Diagnostic::new(
                entry.clone(),
                "the place of a `typed_events` entry with `list` must be an object",
            ));
        };
        let Some(list) = fields.iter_mut().find(|f| f.json_name == field) else {
            return Err(Diagnostic::new(
                entry.child("list"),
                format!("the objects at this entry's places have no property `{field}`"),
            ));
        };
        match &mut list.ty {
            TypeRef::Array(item) => **item = items,
            other => {
                return Err(Diagnostic::new(
                    entry.child("list"),
                    format!("`{field}` is not a list (it is typed {other:?})"),
                ))
            }
        }
        Ok(kind)
    }

    /// After every type is made: each entry's events type exists, and each place was met
    /// (a place a release does not have is noted, not an error: entries are written for
    /// `main`). An event of no kind that an entry carries by its own type is not noted.
    pub(super) fn check_carried(&mut self) {
        let defined: BTreeSet<&str> = self
            .model
            .modules
            .values()
            .flat_map(|module| module.types.iter().map(|t: &TypeDef| t.name.as_str()))
            .collect();
        let mut notes = Vec::new();
        let mut carried_events = Vec::new();
        for entry in self.carried.entries {
            if let Some(name) = &entry.events {
                if !defined.contains(name.as_str()) {
                    self.errors.push(Diagnostic::new(
                        entry.location.child("type"),
                        format!("`{name}` is not a type this spec generates"),
                    ));
                }
                carried_events.extend(self.model.modules.values().flat_map(|module| {
                    module
                        .events
                        .iter()
                        .filter(|event| event.struct_name == *name)
                        .map(|event| event.event_type.clone())
                }));
            }
            for place in &entry.places {
                if !self.carried.met.contains(place) {
                    notes.push(format!(
                        "typed_events in the overrides name {place}, which no API type of this spec uses"
                    ));
                }
            }
        }
        let carried_notes: Vec<String> = carried_events.iter().map(|e| no_kind_note(e)).collect();
        self.model
            .notes
            .retain(|note| !carried_notes.contains(note));
        for note in notes {
            self.note(note);
        }
    }
}

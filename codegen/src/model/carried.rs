//! Events carried by the API: the places the overrides' `typed_events` name (a `/sync`
//! timeline's items, a joined room's `account_data`) typed as `Raw<…>` of the events' type,
//! instead of the generic event schema the spec writes there; and the operations that send
//! events (`typed_sending`), whose requests are built from a typed content.

use std::collections::{BTreeSet, HashMap};

use crate::diagnostics::{Diagnostic, Location};
use crate::kinds::Kind;
use crate::overrides::{TypedEventsEntry, TypedSendingEntry};
use crate::resolve::SchemaId;

use super::builder::ModelBuilder;
use super::events::no_kind_note;
use super::ir::{OperationDef, Payload, Sends, SentContents, TypeDef, TypeKind, TypeRef};
use super::names::{Class, NameHint, Pending, Stem};

/// The entries of `typed_events`, by the places they name, and which places were met.
pub(super) struct Carried<'g> {
    entries: &'g [TypedEventsEntry],
    by_place: HashMap<&'g Location, usize>,
    /// The struct each entry with a `list` made, once made.
    structs: HashMap<usize, String>,
    met: BTreeSet<&'g Location>,
    sending: &'g [TypedSendingEntry],
    /// The `typed_sending` entries whose operation this spec has.
    sending_met: BTreeSet<usize>,
}

impl<'g> Carried<'g> {
    pub(super) fn new(entries: &'g [TypedEventsEntry], sending: &'g [TypedSendingEntry]) -> Self {
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
            sending,
            sending_met: BTreeSet::new(),
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
        let (id, place, index) = contributions.iter().find_map(|&id| {
            let (&place, &index) = self
                .carried
                .by_place
                .get_key_value(self.graph.location(id))?;
            Some((id, place, index))
        })?;
        self.carried.met.insert(place);
        let entry = &self.carried.entries[index];
        let ty = match &entry.list {
            None => raw_type(entry),
            Some((field, name)) => match self.carried.structs.get(&index) {
                Some(made) => TypeRef::Named(made.clone()),
                None => {
                    let made = self.names.named(
                        Class::Struct,
                        vec![id],
                        NameHint {
                            preferred: Some(Stem::text(name.clone())),
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

    /// How `op` sends events, when `typed_sending` lists it: the kind, the parameter of the
    /// event type, and where the contents go (checked against the operation).
    pub(super) fn sends(&mut self, op: &OperationDef) -> Result<Option<Sends>, Diagnostic> {
        let Some(index) = self
            .carried
            .sending
            .iter()
            .position(|entry| entry.operation == op.operation_id)
        else {
            return Ok(None);
        };
        self.carried.sending_met.insert(index);
        let entry = &self.carried.sending[index];
        let kind = Kind::from_key(&entry.kind).ok_or_else(|| {
            Diagnostic::new(
                entry.location.child("kind"),
                format!("unknown event kind `{}`", entry.kind),
            )
        })?;
        let event_type_field = op
            .parameters
            .iter()
            .find(|p| p.name == entry.event_type && p.required)
            .map(|p| p.field.clone())
            .ok_or_else(|| {
                Diagnostic::new(
                    entry.location.child("event_type"),
                    format!(
                        "`{}` has no required parameter `{}`",
                        op.operation_id, entry.event_type
                    ),
                )
            })?;
        let body = op
            .body
            .as_ref()
            .filter(|body| body.required)
            .map(|body| &body.payload);
        let contents = match (entry.contents.as_str(), body) {
            ("body", Some(Payload::Json(TypeRef::Raw(_), false))) => SentContents::Body,
            (field, Some(Payload::Json(TypeRef::Named(body_type), false))) if field != "body" => {
                SentContents::PerDevice {
                    body_type: body_type.clone(),
                    field: field.to_owned(),
                    // Known once the body's struct is made (`check_carried`).
                    ty: TypeRef::Any,
                }
            }
            _ => {
                return Err(Diagnostic::new(
                    entry.location.child("contents"),
                    format!(
                        "the body of `{}` is not where `{}` says the contents are (a required body typed `Raw<…>` by typed_events, or a struct with that field)",
                        op.operation_id, entry.contents
                    ),
                ))
            }
        };
        Ok(Some(Sends {
            kind,
            event_type_field,
            contents,
        }))
    }

    /// After every type is made: the events type of each entry met exists, and each entry was
    /// met at one of its places at least (an entry a release does not have is noted, not an
    /// error; its other places may be those of other releases); each `typed_sending` entry
    /// was met; the contents of per-device bodies are known. An event of no kind that an
    /// entry carries by its own type is not noted.
    pub(super) fn check_carried(&mut self) {
        let defined: BTreeSet<&str> = self
            .model
            .modules
            .values()
            .flat_map(|module| module.types.iter().map(|t: &TypeDef| t.name.as_str()))
            .collect();
        let mut other_releases = Vec::new();
        let mut carried_notes = Vec::new();
        for entry in self.carried.entries {
            // An entry none of whose places this spec has says nothing about its types.
            let used = entry
                .places
                .iter()
                .any(|place| self.carried.met.contains(place));
            match (&entry.events, used) {
                (_, false) => other_releases.push(format!(
                    "typed_events in the overrides: no place of {} is used by an API type of this spec",
                    entry.location
                )),
                (Some(name), true) if !defined.contains(name.as_str()) => {
                    self.errors.push(Diagnostic::new(
                        entry.location.child("type"),
                        format!("`{name}` is not a type this spec generates"),
                    ))
                }
                (Some(name), true) => {
                    carried_notes.extend(self.model.modules.values().flat_map(|module| {
                        module
                            .events
                            .iter()
                            .filter(|event| event.struct_name == *name)
                            .map(|event| no_kind_note(&event.event_type))
                    }))
                }
                (None, true) => {}
            }
        }
        for (index, entry) in self.carried.sending.iter().enumerate() {
            if !self.carried.sending_met.contains(&index) {
                other_releases.push(format!(
                    "typed_sending in the overrides names `{}`, which this spec has no operation for",
                    entry.operation
                ));
            }
        }
        self.complete_per_device();
        self.model
            .notes
            .retain(|note| !carried_notes.contains(note));
        self.model.other_releases.extend(other_releases);
    }

    /// The type of the contents of each per-device body (`/sendToDevice`'s `messages`), from
    /// its struct, which must have that one required field, a map of maps of `Raw` contents.
    fn complete_per_device(&mut self) {
        let mut found = Vec::new();
        for op in self
            .model
            .modules
            .values()
            .flat_map(|module| &module.operations)
        {
            let Some(Sends {
                contents:
                    SentContents::PerDevice {
                        body_type, field, ..
                    },
                ..
            }) = &op.sends
            else {
                continue;
            };
            let def = self
                .model
                .modules
                .values()
                .flat_map(|module| &module.types)
                .find(|def| def.name == *body_type);
            let ty = match def.map(|def| &def.kind) {
                Some(TypeKind::Struct { fields, .. }) => {
                    let mut required = fields.iter().filter(|f| f.required);
                    match (required.next(), required.next()) {
                        (Some(only), None)
                            if only.json_name == *field && is_per_device(&only.ty) =>
                        {
                            Some(only.ty.clone())
                        }
                        _ => None,
                    }
                }
                _ => None,
            };
            if ty.is_none() {
                let at = self
                    .carried
                    .sending
                    .iter()
                    .find(|entry| entry.operation == op.operation_id)
                    .map_or_else(
                        || op.source.clone(),
                        |entry| entry.location.child("contents"),
                    );
                self.errors.push(Diagnostic::new(
                    at,
                    format!("`{body_type}` is not a struct whose one required field `{field}` maps users to devices to `Raw` contents"),
                ));
            }
            found.push((op.operation_id.clone(), ty));
        }
        for (operation_id, found) in found {
            let Some(found) = found else { continue };
            let op = self
                .model
                .modules
                .values_mut()
                .flat_map(|module| &mut module.operations)
                .find(|op| op.operation_id == operation_id);
            if let Some(Sends {
                contents: SentContents::PerDevice { ty, .. },
                ..
            }) = op.and_then(|op| op.sends.as_mut())
            {
                *ty = found;
            }
        }
    }
}

/// A map of maps of `Raw` contents: users to devices to messages.
fn is_per_device(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Map(_, devices)
        if matches!(&**devices, TypeRef::Map(_, content) if matches!(&**content, TypeRef::Raw(_))))
}

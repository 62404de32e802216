//! Definitions: what a named type is once its turn in the queue comes: the fields of a
//! struct, the values of a string enum, the variants of a union or a type list.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Location};
use crate::naming;
use crate::resolve::{Docs, JsonType, SchemaId};

use super::builder::ModelBuilder;
use super::events::EventShape;
use super::ir::{
    DispatchVariant, EnumVariant, EventDef, Field, TypeDef, TypeKind, TypeRef, UnionVariant,
};
use super::names::{NameHint, Pending, Stem};

/// Names for the variant of an open string enum that keeps a value the spec does not list,
/// the first one free.
const OTHER_VARIANTS: &[&str] = &["Other", "Unknown", "Custom"];

/// The variant of an open string enum that keeps a value it does not list: `Other`, unless a
/// value of the enum has that name (then `Unknown`, ...); taken in `taken`, the names of the
/// other variants.
pub(super) fn open_variant_name(taken: &mut HashSet<String>) -> String {
    match OTHER_VARIANTS.iter().find(|name| !taken.contains(**name)) {
        Some(name) => {
            taken.insert((*name).to_owned());
            (*name).to_owned()
        }
        None => naming::unique("Other".to_owned(), taken),
    }
}

/// A type's definition: where it is written, its docs, what it is, and the event it makes (if any).
pub(super) type Definition = (Location, Docs, TypeKind, Option<EventDef>);

impl ModelBuilder<'_> {
    /// Defines the queued type `name` and adds it (and its event, if it is one) to its module.
    pub(super) fn define(&mut self, name: String, pending: Pending) -> Result<(), Diagnostic> {
        let (source, docs, kind, event) = match pending {
            Pending::Struct(key) => self.define_object(&name, &key)?,
            Pending::Carrier {
                key,
                field,
                items,
                entry,
            } => {
                let (source, docs, kind, _) = self.define_object(&name, &key)?;
                let kind = self.carrier_kind(kind, &field, items, &entry)?;
                (source, docs, kind, None)
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
            Pending::StringEnum(key) => self.define_string_enum(&key)?,
            Pending::Union(alternatives) => self.define_union(&name, &alternatives)?,
            Pending::TypeList(key) => self.define_type_list(&name, &key)?,
            Pending::Alias(ty, location) => (location, Docs::default(), TypeKind::Alias(ty), None),
            Pending::Newtype(ty, location, docs) => (location, docs, TypeKind::Newtype(ty), None),
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

    /// The struct of the object the schemas of `key` describe together.
    fn define_object(&mut self, name: &str, key: &[SchemaId]) -> Result<Definition, Diagnostic> {
        let flat = self.flat.merged(key)?;
        let source = self.graph.location(key[0]).clone();
        let (kind, _) = self.define_struct(
            name,
            &flat.properties,
            &flat.required,
            &flat.additional_values(),
            None,
        )?;
        Ok((source, flat.docs.clone(), kind, None))
    }

    /// A string enum of the values the schemas of `key` allow.
    fn define_string_enum(&mut self, key: &[SchemaId]) -> Result<Definition, Diagnostic> {
        let flat = self.flat.merged(key)?;
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
                docs: Docs::default(),
            })
            .collect();
        let open = open.then(|| open_variant_name(&mut taken));
        Ok((
            self.graph.location(key[0]).clone(),
            flat.docs.clone(),
            TypeKind::StringEnum { variants, open },
            None,
        ))
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
        // Its fields' types are named for it, without the `Event` or `EventContent` it ends with.
        let prefix = Stem::of_type_bare(name);
        // An event's content is named for the event as written, not for the form it is in.
        let content_prefix = event
            .map(|shape| {
                let stem = shape.schema.rsplit('/').next().unwrap_or(&shape.schema);
                naming::type_name(&stem.replace("$m.", ".").replace('$', "."))
            })
            .unwrap_or_default();
        let mut fields = Vec::new();
        let mut field_names = HashSet::new();
        let mut event_def = None;
        for (json_name, contributions) in properties {
            let docs = self.field_docs(contributions);
            let hint = NameHint {
                preferred: None,
                context: prefix.field(json_name),
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
                // A conflict in its schemas is reported as the field is typed below.
                _ if matches!(self.is_error_code(json_name, contributions), Ok(true)) => {
                    self.error_code_type(contributions)
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
                // Known once the field's type is defined: `constants::mark_constant_fields`.
                constant: false,
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
            context: prefix.suffix("Additional"),
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

    /// A field's docs: the most specific contribution (the last one, the schema's own) that has any.
    fn field_docs(&self, contributions: &[SchemaId]) -> Docs {
        contributions
            .iter()
            .rev()
            .map(|&id| self.graph.schema(id).docs.clone())
            .find(|docs| !docs.is_empty())
            .unwrap_or_default()
    }

    fn define_union(
        &mut self,
        name: &str,
        alternatives: &[SchemaId],
    ) -> Result<Definition, Diagnostic> {
        let source = self.graph.location(alternatives[0]).clone();
        if let Some((tag, values)) = self.discriminator(alternatives)? {
            // `Unknown` holds any other value of the tag.
            let mut taken = HashSet::from(["Unknown".to_owned()]);
            let mut variants = Vec::new();
            for (&alternative, value) in alternatives.iter().zip(values) {
                let variant = naming::unique(naming::type_name(&value), &mut taken);
                let hint = NameHint {
                    preferred: None,
                    context: Stem::of_type(name).suffix(&variant),
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
        // An alternative is named for its JSON type when no other alternative is of that type
        // (`…Object` beside a string), else for its place.
        let mut json_types = Vec::new();
        for &alternative in alternatives {
            let flat = self.flat.flatten(alternative)?;
            json_types.push(match flat.types.as_ref().map(|(types, _)| types) {
                Some(types) if types.len() == 1 => types.first().copied(),
                _ => None,
            });
        }
        let mut types = Vec::new();
        for (index, &alternative) in alternatives.iter().enumerate() {
            let own_type = json_types[index]
                .filter(|ty| json_types.iter().filter(|t| **t == Some(*ty)).count() == 1);
            let suffix = match own_type {
                Some(ty) => variant_name_of(ty).to_owned(),
                None => format!("Variant{}", index + 1),
            };
            let hint = NameHint {
                preferred: None,
                context: Stem::of_type(name).suffix(&suffix),
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
            flats.push(self.flat.flatten(alternative)?);
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
                let merged = self.flat.merged(contributions)?;
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
    fn define_type_list(&mut self, name: &str, key: &[SchemaId]) -> Result<Definition, Diagnostic> {
        let flat = self.flat.merged(key)?;
        let listed: Vec<JsonType> = flat
            .types
            .as_ref()
            .map(|(t, _)| t.iter().copied().collect())
            .unwrap_or_default();
        let mut types = Vec::new();
        for ty in listed {
            let hint = NameHint {
                preferred: None,
                context: Stem::of_type(name).suffix(variant_name_of(ty)),
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

pub(super) fn variant_name(ty: &TypeRef) -> String {
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
        TypeRef::Raw(inner) => format!("Raw{}", variant_name(inner)),
    }
}

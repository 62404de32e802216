//! Sample values of the model's types as JSON: the smallest value each type reads (required
//! fields only, an enum's first value, a union's first shape), from which the schema index
//! builds every operation's request for the tests.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::model::{Model, OperationDef, Payload, TypeDef, TypeKind, TypeRef};

use super::modules::TypeFolders;

/// How deep a sample follows named types; a type that needs itself deeper than this (no
/// schema of the spec does: recursion goes through optional fields and lists) gets `{}`.
const MAX_DEPTH: usize = 16;

pub(super) struct Samples<'m> {
    folders: &'m TypeFolders<'m>,
    /// Types by folder and name.
    types: BTreeMap<(&'m str, &'m str), &'m TypeDef>,
    /// Event types by the name of their event struct.
    event_types: BTreeMap<&'m str, &'m str>,
}

impl<'m> Samples<'m> {
    pub(super) fn new(model: &'m Model, folders: &'m TypeFolders<'m>) -> Self {
        let mut types = BTreeMap::new();
        let mut event_types = BTreeMap::new();
        for module in model.modules.values() {
            for def in &module.types {
                types.insert((module.folder.as_str(), def.name.as_str()), def);
            }
            for event in &module.events {
                event_types.insert(event.struct_name.as_str(), event.event_type.as_str());
            }
        }
        Samples {
            folders,
            types,
            event_types,
        }
    }

    /// The sample request of `op` (of the folder `folder`): an object with a value for each
    /// field of its request struct (required parameters, and the body), by field name. A
    /// body of bytes is a string.
    pub(super) fn request(&self, folder: &str, op: &OperationDef) -> Value {
        let mut sample = Map::new();
        for parameter in op.parameters.iter().filter(|p| p.required) {
            sample.insert(
                parameter.field.clone(),
                self.value(&parameter.ty, folder, 0),
            );
        }
        if let Some(body) = op.body.as_ref().filter(|body| body.required) {
            let value = match &body.payload {
                Payload::Json(ty, _) => self.value(ty, folder, 0),
                // (The model gives error bodies to responses only.)
                Payload::Bytes(_) | Payload::ErrorBody => Value::from("sample bytes"),
            };
            sample.insert("body".to_owned(), value);
        }
        Value::Object(sample)
    }

    /// A value of `ty` as code of the folder `folder` names it.
    fn value(&self, ty: &TypeRef, folder: &str, depth: usize) -> Value {
        match ty {
            TypeRef::String => Value::from("sample"),
            TypeRef::Integer | TypeRef::Number => Value::from(1),
            TypeRef::Boolean => Value::from(true),
            TypeRef::Any | TypeRef::Object | TypeRef::Map(..) => json!({}),
            TypeRef::Array(_) => json!([]),
            TypeRef::Nullable(inner) | TypeRef::Boxed(inner) | TypeRef::Raw(inner) => {
                self.value(inner, folder, depth)
            }
            TypeRef::Format(format) => Value::from(format_sample(format)),
            TypeRef::EventTypeTag(event) => Value::from(
                self.event_types
                    .get(event.as_str())
                    .copied()
                    .unwrap_or(event),
            ),
            TypeRef::UnknownEvent => json!({"type": "org.example.sample", "content": {}}),
            TypeRef::Named(name) => {
                let found = self.folders.folder(name, folder).and_then(|found| {
                    let def = self.types.get(&(found, name.as_str()))?;
                    Some((found, *def))
                });
                match found {
                    Some((found, def)) if depth < MAX_DEPTH => self.named(def, found, depth + 1),
                    _ => json!({}),
                }
            }
        }
    }

    fn named(&self, def: &TypeDef, folder: &str, depth: usize) -> Value {
        match &def.kind {
            TypeKind::Struct { fields, .. } => Value::Object(
                fields
                    .iter()
                    .filter(|field| field.required)
                    .map(|field| {
                        let value = self.value(&field.ty, folder, depth);
                        (field.json_name.clone(), value)
                    })
                    .collect(),
            ),
            TypeKind::StringEnum { variants, .. } => match variants.first() {
                Some(variant) => Value::from(variant.value.clone()),
                None => Value::from("sample"),
            },
            TypeKind::Union(variants) => match variants.first() {
                Some(variant) => self.value(&variant.ty, folder, depth),
                None => Value::Null,
            },
            TypeKind::Dispatch {
                tag,
                variants,
                fallback,
            } => match variants.first() {
                Some(variant) => {
                    let mut value = self.value(&variant.ty, folder, depth);
                    if let Value::Object(object) = &mut value {
                        object.insert(tag.clone(), Value::from(variant.value.clone()));
                    }
                    value
                }
                None => self.value(fallback, folder, depth),
            },
            TypeKind::ByField { absent, .. } => self.value(&absent.ty, folder, depth),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => self.value(ty, folder, depth),
        }
    }
}

/// A valid string of a string format; any text for a format without a type of its own.
fn format_sample(format: &str) -> &'static str {
    match format {
        "mx-user-id" => "@alice:example.org",
        "mx-room-id" => "!room:example.org",
        "mx-event-id" => "$event:example.org",
        "mx-room-alias" => "#room:example.org",
        "mx-server-name" => "example.org",
        "mx-mxc-uri" => "mxc://example.org/media",
        "mx-unpadded-base64" | "mx-urlsafe-unpadded-base64" => "c2FtcGxl",
        "uri" => "https://example.org/sample",
        "email" => "alice@example.org",
        _ => "sample",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Location;
    use crate::model::ir::{EnumVariant, Field, Module, UnionVariant};

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.to_owned(),
            docs: Default::default(),
            source: Location::new("api/client-server/t.yaml", ""),
            kind,
        }
    }

    fn field(name: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            json_name: name.to_owned(),
            name: name.to_owned(),
            ty,
            required,
            nullable: false,
            constant: false,
            docs: Default::default(),
        }
    }

    #[test]
    fn a_sample_has_the_required_fields_the_first_value_and_valid_identifiers() {
        let kind = TypeKind::StringEnum {
            variants: vec![
                EnumVariant {
                    name: "Public".into(),
                    value: "public".into(),
                    docs: Default::default(),
                },
                EnumVariant {
                    name: "Private".into(),
                    value: "private".into(),
                    docs: Default::default(),
                },
            ],
            open: None,
        };
        let union = TypeKind::Union(vec![UnionVariant {
            name: "Number".into(),
            ty: TypeRef::Integer,
        }]);
        let body = TypeKind::Struct {
            fields: vec![
                field("room_id", TypeRef::Format("mx-room-id".into()), true),
                field("visibility", TypeRef::Named("Visibility".into()), true),
                field("limit", TypeRef::Named("Limit".into()), true),
                field("users", TypeRef::Array(Box::new(TypeRef::String)), true),
                field("topic", TypeRef::String, false),
            ],
            additional: TypeRef::Any,
            additional_name: "extra".into(),
        };
        let mut model = Model::default();
        model.modules.insert(
            "t".into(),
            Module {
                name: "t".into(),
                folder: "client_server".into(),
                types: vec![
                    def("Body", body),
                    def("Limit", union),
                    def("Visibility", kind),
                ],
                ..Module::default()
            },
        );
        let folders = TypeFolders::of(&model);
        let samples = Samples::new(&model, &folders);
        assert_eq!(
            samples.value(&TypeRef::Named("Body".into()), "client_server", 0),
            json!({"room_id": "!room:example.org", "visibility": "public", "limit": 1, "users": []})
        );
        // A type that does not exist where it is named has an empty object as its sample.
        assert_eq!(
            samples.value(&TypeRef::Named("Missing".into()), "client_server", 0),
            json!({})
        );
    }
}

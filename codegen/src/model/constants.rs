//! Constant fields: the required fields whose schema allows one value only, which the
//! generated constructors fill in rather than take.

use std::collections::BTreeMap;

use super::ir::{Model, TypeKind, TypeRef};

/// Marks [`Field::constant`](super::ir::Field::constant) on every required, non-nullable
/// field whose type has one value only: an event's `type` ([`TypeRef::EventTypeTag`]) and a
/// closed string enum of one value (`msgtype: {enum: [m.text]}`, `const: m.text`), directly
/// or through aliases. The renderer builds such a field with its type's `Default`, which is
/// that value. An open enum of one value is not constant: it keeps any other value too.
pub(super) fn mark_constant_fields(model: &mut Model) {
    let kinds: BTreeMap<String, TypeKind> = model
        .modules
        .values()
        .flat_map(|module| &module.types)
        .filter(|def| matches!(def.kind, TypeKind::StringEnum { .. } | TypeKind::Alias(_)))
        .map(|def| (def.name.clone(), def.kind.clone()))
        .collect();
    for def in model.modules.values_mut().flat_map(|m| &mut m.types) {
        if let TypeKind::Struct { fields, .. } = &mut def.kind {
            for field in fields {
                field.constant =
                    field.required && !field.nullable && has_one_value(&field.ty, &kinds);
            }
        }
    }
}

/// Whether `ty` admits one value only; `kinds` holds the string enums and aliases by name.
fn has_one_value(ty: &TypeRef, kinds: &BTreeMap<String, TypeKind>) -> bool {
    let mut ty = ty;
    // Aliases are followed a bounded number of times: a cycle of aliases is an error elsewhere.
    for _ in 0..=kinds.len() {
        match ty {
            TypeRef::EventTypeTag(_) => return true,
            TypeRef::Named(name) => match kinds.get(name) {
                Some(TypeKind::StringEnum { variants, open }) => {
                    return open.is_none() && variants.len() == 1
                }
                Some(TypeKind::Alias(target)) => ty = target,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Location;
    use crate::model::{EnumVariant, Field, Module, TypeDef};
    use crate::resolve::Docs;

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            docs: Docs::default(),
            source: Location::new("t.yaml", ""),
            kind,
        }
    }

    fn string_enum(values: &[&str], open: bool) -> TypeKind {
        TypeKind::StringEnum {
            variants: values
                .iter()
                .map(|v| EnumVariant {
                    name: v.to_uppercase(),
                    value: (*v).into(),
                    docs: Docs::default(),
                })
                .collect(),
            open: open.then(|| "Other".into()),
        }
    }

    #[test]
    fn required_fields_of_one_value_are_constant() {
        let field = |name: &str, ty: TypeRef, required: bool, nullable: bool| Field {
            json_name: name.into(),
            name: name.into(),
            ty,
            required,
            nullable,
            constant: false,
            docs: Docs::default(),
        };
        let named = |name: &str| TypeRef::Named(name.into());
        let fields = vec![
            field("type", TypeRef::EventTypeTag("E".into()), true, false),
            field("one", named("One"), true, false),
            field("via_alias", named("OneAlias"), true, false),
            field("optional_one", named("One"), false, false),
            field("nullable_one", named("One"), true, true),
            field("open_one", named("OpenOne"), true, false),
            field("two", named("Two"), true, false),
            field("text", TypeRef::String, true, false),
            field("looped", named("Loop"), true, false),
        ];
        let mut model = Model::default();
        model.modules.insert(
            "m".into(),
            Module {
                name: "m".into(),
                types: vec![
                    def("One", string_enum(&["m.text"], false)),
                    def("OneAlias", TypeKind::Alias(named("One"))),
                    def("OpenOne", string_enum(&["m.text"], true)),
                    def("Two", string_enum(&["a", "b"], false)),
                    def("Loop", TypeKind::Alias(named("Loop"))),
                    def(
                        "S",
                        TypeKind::Struct {
                            fields,
                            additional: TypeRef::Any,
                            additional_name: "extra".into(),
                        },
                    ),
                ],
                ..Module::default()
            },
        );
        mark_constant_fields(&mut model);
        let TypeKind::Struct { fields, .. } = &model.modules["m"].types[5].kind else {
            panic!("the struct is last");
        };
        let constant: Vec<&str> = fields
            .iter()
            .filter(|f| f.constant)
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(constant, ["type", "one", "via_alias"]);
    }
}

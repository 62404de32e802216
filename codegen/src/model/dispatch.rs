//! Types read by the value of a tag: the `Any…` enums (by `type`, the timelines by `state_key`)
//! and the contents of events with `$variant` schemas (`m.room.message` by `msgtype`).

use std::collections::HashSet;

use crate::diagnostics::{Diagnostic, Location};
use crate::kinds::TIMELINES;
use crate::naming;
use crate::resolve::{Docs, SchemaId};

use super::builder::ModelBuilder;
use super::define::Definition;
use super::flat::Flat;
use super::ir::{DispatchVariant, Module, TypeDef, TypeKind, TypeRef, UnionVariant};
use super::names::{Class, NameHint, Pending, Stem};
use super::KINDS_MODULE;

impl ModelBuilder<'_> {
    /// The `Any…` enums: one per form the spec has, and the timelines over state and message-like events.
    pub(super) fn build_kind_enums(&mut self) {
        let mut types = Vec::new();
        for (form, envelope) in &self.events.kinds.envelopes {
            let mut variants: Vec<DispatchVariant> = self
                .events
                .forms
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
                summary: Some(
                    "The `Any…` enums: every event of a kind, told apart by its `type`.".to_owned(),
                ),
                types,
                ..Module::default()
            },
        );
    }

    /// The content of an event with `$variant` schemas: dispatched on the property whose value
    /// each variant fixes to its own suffix (`msgtype: m.text` in `m.room.message$m.text`).
    pub(super) fn define_dispatch(
        &mut self,
        base: &[SchemaId],
        base_name: &str,
        variants: &[(String, SchemaId)],
    ) -> Result<Definition, Diagnostic> {
        let flat = self.flat.merged(base)?;
        let source = self.graph.location(base[base.len() - 1]).clone();
        let fallback_hint = NameHint {
            preferred: Some(Stem::text(base_name)),
            context: Stem::text(base_name),
        };
        let key = base.to_vec();
        let fallback = TypeRef::Named(self.names.named(
            Class::Struct,
            key.clone(),
            fallback_hint,
            Pending::Struct(key),
        ));
        let mut tag: Option<String> = None;
        let mut dispatch_variants = Vec::new();
        // `Unknown` holds any other value of the tag.
        let mut variant_names = HashSet::from(["Unknown".to_owned()]);
        for (suffix, root) in variants {
            let root_flat = self.flat.flatten(*root)?;
            let Some((_, content)) = root_flat.properties.iter().find(|(n, _)| n == "content")
            else {
                continue;
            };
            let content = content.clone();
            let mut content_flat = Flat::default();
            for &part in &content {
                let part = self.flat.flatten(part)?;
                content_flat.merge(&part)?;
            }
            // The property this variant fixes to its suffix.
            let mut fixed = None;
            for (property, contributions) in &content_flat.properties {
                let mut merged = Flat::default();
                for &part in contributions {
                    let part = self.flat.flatten(part)?;
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
                preferred: Some(Stem::text(content_name)),
                context: Stem::text(prefix).field("content"),
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
}

//! Renaming: the final names written into the model in place of the internal ones, wherever
//! a name is (definitions, references, events, contents, operations, roots, schema types),
//! and what follows from a type's name (the variants of unions named for their types, a
//! title the name already says).

use std::collections::{HashMap, HashSet};

use crate::naming;

use super::define::variant_name;
use super::ir::{Model, SentContents, TypeKind};

/// Renames every type and operation of `model` that `names` (internal -> final) lists.
pub(super) fn rename(model: &mut Model, names: &HashMap<String, String>) {
    let rename = |name: &mut String| {
        if let Some(new) = names.get(name.as_str()) {
            new.clone_into(name);
        }
    };
    for module in model.modules.values_mut() {
        for ty in module.type_refs_mut() {
            if let Some(name) = ty.named_mut() {
                rename(name);
            }
        }
        for def in &mut module.types {
            rename(&mut def.name);
            if let TypeKind::Union(variants) = &mut def.kind {
                // Named for their types (`RoomSummary`), unique in the union.
                let mut taken = HashSet::new();
                for variant in variants {
                    variant.name = naming::unique(variant_name(&variant.ty), &mut taken);
                }
            }
            // The title is said by the name.
            if def.docs.title.as_deref() == Some(def.name.as_str()) {
                def.docs.title = None;
            }
        }
        for event in &mut module.events {
            rename(&mut event.struct_name);
        }
        for content in &mut module.contents {
            rename(&mut content.type_name);
        }
        for op in &mut module.operations {
            rename(&mut op.request_name);
            rename(&mut op.response_name);
            if let Some(SentContents::PerDevice { body_type, .. }) =
                op.sends.as_mut().map(|sends| &mut sends.contents)
            {
                rename(body_type);
            }
        }
        module.types.sort_by(|a, b| a.name.cmp(&b.name));
        module
            .events
            .sort_by(|a, b| a.struct_name.cmp(&b.struct_name));
    }
    for root in &mut model.roots {
        rename(&mut root.type_name);
    }
    for (ty, _) in model.schema_types.values_mut() {
        if let Some(name) = ty.named_mut() {
            rename(name);
        }
    }
}

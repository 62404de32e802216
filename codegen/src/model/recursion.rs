//! Recursive types: in each cycle of types that hold each other by value, the reference that
//! closes it is boxed, so that every type has a size.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Location};

use super::ir::{Model, TypeKind, TypeRef};

/// A type that holds itself by value (through fields, union variants or aliases, with no
/// list or map in between) would have infinite size: in each such cycle the reference that
/// closes it is boxed (`Option<Box<Node>>`). Cycles are looked for from the types in the
/// order of their names, so the same reference is boxed on every run.
pub(super) fn box_recursive_types(model: &mut Model, errors: &mut Vec<Diagnostic>) {
    // Edges: (type, index of the field or variant holding it, type held).
    let mut edges: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    let mut aliases: BTreeSet<String> = BTreeSet::new();
    let mut sources: BTreeMap<String, Location> = BTreeMap::new();
    for def in model.modules.values().flat_map(|m| &m.types) {
        sources.insert(def.name.clone(), def.source.clone());
        let held: Vec<&TypeRef> = match &def.kind {
            TypeKind::Struct { fields, .. } => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Union(variants) => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::ByField {
                present, absent, ..
            } => vec![&present.ty, &absent.ty],
            TypeKind::Alias(target) => {
                aliases.insert(def.name.clone());
                vec![target]
            }
            TypeKind::Newtype(target) => vec![target],
            // Dispatch variants are boxed already; string enums hold strings.
            TypeKind::Dispatch { .. } | TypeKind::StringEnum { .. } => Vec::new(),
        };
        let by_value = held
            .into_iter()
            .enumerate()
            .filter_map(|(index, ty)| match ty {
                TypeRef::Named(target) => Some((index, target.clone())),
                _ => None,
            })
            .collect();
        edges.insert(def.name.clone(), by_value);
    }
    let mut boxed: Vec<(String, usize)> = Vec::new();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let names: Vec<String> = edges.keys().cloned().collect();
    for start in names {
        if done.contains(&start) {
            continue;
        }
        // Depth first, iteratively: (type, next edge to follow).
        let mut path: Vec<(String, usize)> = vec![(start.clone(), 0)];
        let mut on_path: BTreeSet<String> = BTreeSet::from([start]);
        while let Some((name, next)) = path.last().cloned() {
            let out = edges.get(&name).map_or(&[][..], Vec::as_slice);
            let Some((index, target)) = out.get(next).cloned() else {
                done.insert(name.clone());
                on_path.remove(&name);
                path.pop();
                continue;
            };
            if let Some(top) = path.last_mut() {
                top.1 += 1;
            }
            if on_path.contains(&target) {
                let from = path.iter().position(|(n, _)| *n == target).unwrap_or(0);
                let members: Vec<&String> = path[from..].iter().map(|(n, _)| n).collect();
                if members.iter().all(|member| aliases.contains(*member)) {
                    let chain: Vec<&str> = members.iter().map(|m| m.as_str()).collect();
                    errors.push(Diagnostic::new(
                        sources[&name].clone(),
                        format!(
                            "type aliases that stand for each other describe no type: {} -> {target}",
                            chain.join(" -> ")
                        ),
                    ));
                } else {
                    boxed.push((name.clone(), index));
                }
            } else if !done.contains(&target) && edges.contains_key(&target) {
                on_path.insert(target.clone());
                path.push((target, 0));
            }
        }
    }
    for (name, index) in boxed {
        let Some(def) = model
            .modules
            .values_mut()
            .flat_map(|m| &mut m.types)
            .find(|def| def.name == name)
        else {
            continue;
        };
        let held = match &mut def.kind {
            TypeKind::Struct { fields, .. } => fields.get_mut(index).map(|f| &mut f.ty),
            TypeKind::Union(variants) => variants.get_mut(index).map(|v| &mut v.ty),
            TypeKind::ByField {
                present, absent, ..
            } => [present, absent].into_iter().nth(index).map(|v| &mut v.ty),
            TypeKind::Alias(target) | TypeKind::Newtype(target) => Some(target),
            TypeKind::Dispatch { .. } | TypeKind::StringEnum { .. } => None,
        };
        if let Some(ty) = held {
            *ty = TypeRef::Boxed(Box::new(ty.clone()));
        }
    }
}

/// Boxes the variants of untagged unions that hold a struct (`StateEvent(Box<StateEvent>)`
/// beside `Object(Map<…>)`): a struct is often many times the size of the strings, numbers
/// and maps it is an alternative to, and the enum would pay for it in every value; the
/// `Any…` enums box their variants for the same reason.
pub(super) fn box_struct_variants(model: &mut Model) {
    let structs: BTreeSet<String> = model
        .modules
        .values()
        .flat_map(|m| &m.types)
        .filter(|def| matches!(def.kind, TypeKind::Struct { .. }))
        .map(|def| def.name.clone())
        .collect();
    for def in model.modules.values_mut().flat_map(|m| &mut m.types) {
        if let TypeKind::Union(variants) = &mut def.kind {
            for variant in variants {
                if matches!(&variant.ty, TypeRef::Named(name) if structs.contains(name)) {
                    variant.ty = TypeRef::Boxed(Box::new(variant.ty.clone()));
                }
            }
        }
    }
}

//! The schema types of examples: the type of every place a schema is written, including those
//! that became no type of their own (copies of a schema, `allOf` parts).

use std::collections::BTreeMap;

use crate::diagnostics::Location;
use crate::resolve::SchemaGraph;

use super::flat::Flattener;
use super::ir::TypeRef;

/// Gives [`Model::schema_types`](super::Model::schema_types) the schemas that became no type of their own: the
/// schemas inside an identical copy of a schema (the copy shares the first one's type),
/// and `allOf` parts, which describe their whole.
pub(super) fn fill_in_schema_types(
    known: &mut BTreeMap<Location, (TypeRef, bool)>,
    graph: &SchemaGraph,
    flat: &Flattener<'_>,
) {
    let mut copies: Vec<(Location, Location)> = flat
        .replaced()
        .map(|(id, target)| (graph.location(id).clone(), graph.location(target).clone()))
        .collect();
    // Sorted, so that which original fills a place first is the same on every run.
    copies.sort();
    for (copy, original) in copies {
        let inside: Vec<(String, (TypeRef, bool))> = known
            .range(original.clone()..)
            .take_while(|(at, _)| {
                at.file == original.file && at.pointer.starts_with(&original.pointer)
            })
            .filter_map(|(at, ty)| {
                let rest = &at.pointer[original.pointer.len()..];
                (rest.is_empty() || rest.starts_with('/')).then(|| (rest.to_owned(), ty.clone()))
            })
            .collect();
        for (rest, ty) in inside {
            let at = Location::new(copy.file.clone(), format!("{}{rest}", copy.pointer));
            known.entry(at).or_insert(ty);
        }
    }
    loop {
        let mut added = Vec::new();
        for node in &graph.nodes {
            let at = &node.location;
            if known.contains_key(at) {
                continue;
            }
            let Some((parent, index)) = at.pointer.rsplit_once('/') else {
                continue;
            };
            let Some(whole) = parent.strip_suffix("/allOf") else {
                continue;
            };
            if index.parse::<usize>().is_err() {
                continue;
            }
            if let Some(ty) = known.get(&Location::new(at.file.clone(), whole)) {
                added.push((at.clone(), ty.clone()));
            }
        }
        if added.is_empty() {
            break;
        }
        known.extend(added);
    }
}

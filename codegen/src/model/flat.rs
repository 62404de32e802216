//! `allOf` and `$ref` siblings merged: each schema as one flat set of keywords ([`Flat`]),
//! and the canonical schema that stands for annotation-only wrappers and identical copies.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Location};
use crate::resolve::{Additional, Docs, JsonType, SchemaGraph, SchemaId};

/// A schema with its `$ref` target and `allOf` parts merged in.
#[derive(Debug, Clone, Default)]
pub(super) struct Flat {
    /// Every schema merged in, the schema itself included.
    pub(super) sources: BTreeSet<SchemaId>,
    /// `None`: unconstrained. With the place that last narrowed it.
    pub(super) types: Option<(BTreeSet<JsonType>, Location)>,
    pub(super) docs: Docs,
    pub(super) properties: Vec<(String, Vec<SchemaId>)>,
    pub(super) required: BTreeSet<String>,
    pub(super) additional: Vec<SchemaId>,
    pub(super) pattern: Vec<SchemaId>,
    pub(super) items: Vec<SchemaId>,
    pub(super) enum_values: Option<(Vec<Value>, Location)>,
    pub(super) alternatives: Vec<SchemaId>,
    pub(super) format: Option<String>,
    /// Where the keywords that make it an object (`properties`, `additionalProperties`,
    /// `patternProperties`), a list (`items`), alternatives (`oneOf`, `anyOf`) and its
    /// format were first written: for errors that name them.
    pub(super) object_at: Option<Location>,
    pub(super) items_at: Option<Location>,
    pub(super) alternatives_at: Option<Location>,
    pub(super) format_at: Option<Location>,
}

impl Flat {
    /// The schemas of values of properties not listed (`additionalProperties`, `patternProperties`).
    pub(super) fn additional_values(&self) -> Vec<SchemaId> {
        self.additional
            .iter()
            .chain(&self.pattern)
            .copied()
            .collect()
    }

    /// Says nothing beyond a JSON type: merging it into a richer schema adds nothing.
    pub(super) fn is_trivial(&self) -> bool {
        self.properties.is_empty()
            && self.additional.is_empty()
            && self.pattern.is_empty()
            && self.items.is_empty()
            && self.enum_values.is_none()
            && self.alternatives.is_empty()
    }

    pub(super) fn merge(&mut self, other: &Flat) -> Result<(), Diagnostic> {
        self.sources.extend(&other.sources);
        self.types = match (self.types.take(), &other.types) {
            (None, theirs) => theirs.clone(),
            (mine @ Some(_), None) => mine,
            (Some((mine, at)), Some((theirs, their_at))) => {
                let both = intersect_types(&mine, theirs);
                if both.is_empty() {
                    return Err(Diagnostic::new(
                        their_at.clone(),
                        format!(
                            "`allOf` gives incompatible types: {} here",
                            type_list(theirs)
                        ),
                    )
                    .with_related(at, format!("and {} here", type_list(&mine))));
                }
                Some((both, their_at.clone()))
            }
        };
        for (name, contributions) in &other.properties {
            match self
                .properties
                .iter_mut()
                .find(|(existing, _)| existing == name)
            {
                Some((_, mine)) => extend_unique(mine, contributions),
                None => self.properties.push((name.clone(), contributions.clone())),
            }
        }
        self.required.extend(other.required.iter().cloned());
        extend_unique(&mut self.additional, &other.additional);
        extend_unique(&mut self.pattern, &other.pattern);
        extend_unique(&mut self.items, &other.items);
        extend_unique(&mut self.alternatives, &other.alternatives);
        self.enum_values = match (self.enum_values.take(), &other.enum_values) {
            (None, theirs) => theirs.clone(),
            (mine @ Some(_), None) => mine,
            (Some((mine, mine_at)), Some((theirs, at))) => {
                let both: Vec<Value> = mine
                    .iter()
                    .filter(|value| theirs.contains(value))
                    .cloned()
                    .collect();
                if both.is_empty() {
                    return Err(Diagnostic::new(
                        at.clone(),
                        format!(
                            "`allOf` gives `enum`s with no value in common: {} here",
                            value_list(theirs)
                        ),
                    )
                    .with_related(mine_at, format!("and {} here", value_list(&mine))));
                }
                Some((both, at.clone()))
            }
        };
        if self.format.is_none() {
            self.format.clone_from(&other.format);
            self.format_at.clone_from(&other.format_at);
        }
        for (mine, theirs) in [
            (&mut self.object_at, &other.object_at),
            (&mut self.items_at, &other.items_at),
            (&mut self.alternatives_at, &other.alternatives_at),
        ] {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        }
        Ok(())
    }
}

fn extend_unique(target: &mut Vec<SchemaId>, more: &[SchemaId]) {
    for id in more {
        if !target.contains(id) {
            target.push(*id);
        }
    }
}

fn intersect_types(a: &BTreeSet<JsonType>, b: &BTreeSet<JsonType>) -> BTreeSet<JsonType> {
    let mut both: BTreeSet<JsonType> = a.intersection(b).copied().collect();
    // `integer` is a kind of `number`.
    if (a.contains(&JsonType::Integer) && b.contains(&JsonType::Number))
        || (a.contains(&JsonType::Number) && b.contains(&JsonType::Integer))
    {
        both.insert(JsonType::Integer);
    }
    both
}

/// `enum` values as the spec writes them: `[a, b]`.
fn value_list(values: &[Value]) -> String {
    let shown: Vec<String> = values
        .iter()
        .map(|value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
        .collect();
    format!("`[{}]`", shown.join(", "))
}

pub(super) fn type_list(types: &BTreeSet<JsonType>) -> String {
    let names: Vec<String> = types
        .iter()
        .map(|t| format!("{t:?}").to_lowercase())
        .collect();
    format!("`{}`", names.join(" | "))
}

/// Flattens schemas, once each, and finds the schema that stands for each.
pub(super) struct Flattener<'g> {
    graph: &'g SchemaGraph,
    cache: HashMap<SchemaId, Rc<Flat>>,
    canonical: HashMap<SchemaId, SchemaId>,
    /// Identical inline copies of a schema (same text, same folder) share one type.
    by_content: HashMap<(String, String), SchemaId>,
}

impl<'g> Flattener<'g> {
    pub(super) fn new(graph: &'g SchemaGraph) -> Self {
        Flattener {
            graph,
            cache: HashMap::new(),
            canonical: HashMap::new(),
            by_content: HashMap::new(),
        }
    }

    /// The canonical schemas of `ids`, each once, in order.
    pub(super) fn canonical_all(&mut self, ids: &[SchemaId]) -> Vec<SchemaId> {
        let mut canonical: Vec<SchemaId> = Vec::new();
        for &id in ids {
            let id = self.canonical(id);
            if !canonical.contains(&id) {
                canonical.push(id);
            }
        }
        canonical
    }

    /// Every schema that stands for another (a wrapper or a copy), with the one it stands for.
    pub(super) fn replaced(&self) -> impl Iterator<Item = (SchemaId, SchemaId)> + '_ {
        self.canonical
            .iter()
            .filter(|(id, target)| id != target)
            .map(|(&id, &target)| (id, target))
    }

    /// The schema that stands for `id` once annotation-only wrappers are looked through:
    /// `{$ref: X, description: ...}` and `{allOf: [X]}` are X.
    pub(super) fn canonical(&mut self, id: SchemaId) -> SchemaId {
        if let Some(&known) = self.canonical.get(&id) {
            return known;
        }
        let schema = self.graph.schema(id);
        let own_shape = !schema.properties.is_empty()
            || !schema.required.is_empty()
            || schema.additional_properties.is_some()
            || !schema.pattern_properties.is_empty()
            || schema.items.is_some()
            || schema.enum_values.is_some()
            || !schema.one_of.is_empty()
            || !schema.any_of.is_empty()
            || schema.format.is_some();
        let target = match (schema.reference, schema.all_of.as_slice()) {
            (Some(target), []) => Some(target),
            (None, [only]) => Some(*only),
            _ => None,
        };
        let result = match target {
            Some(target) if !own_shape && !self.types_narrow(id, target) => self.canonical(target),
            // Only schemas that become types of their own are shared between identical copies;
            // a bare `{type: integer}` keeps its own place, so errors point where it is written.
            _ if own_shape => self.dedup_by_content(id),
            _ => id,
        };
        self.canonical.insert(id, result);
        result
    }

    /// Whether `id`'s own `type` says more than `target` already does.
    fn types_narrow(&mut self, id: SchemaId, target: SchemaId) -> bool {
        let own: BTreeSet<JsonType> = self.graph.schema(id).types.iter().copied().collect();
        if own.is_empty() {
            return false;
        }
        match self.flatten(target) {
            Ok(flat) => match &flat.types {
                Some((theirs, _)) => intersect_types(theirs, &own) != *theirs,
                None => true,
            },
            Err(_) => false,
        }
    }

    fn dedup_by_content(&mut self, id: SchemaId) -> SchemaId {
        let node = self.graph.node(id);
        // References are relative to the file's folder, so only copies in the same folder are alike.
        let folder = node
            .location
            .file
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir)
            .to_owned();
        let key = (folder, node.raw.to_string());
        *self.by_content.entry(key).or_insert(id)
    }

    /// `id` with its `$ref` target and `allOf` parts merged in (the resolver has ruled out cycles).
    pub(super) fn flatten(&mut self, id: SchemaId) -> Result<Rc<Flat>, Diagnostic> {
        if let Some(flat) = self.cache.get(&id) {
            return Ok(flat.clone());
        }
        let schema = self.graph.schema(id).clone();
        let location = self.graph.location(id).clone();
        let mut flat = Flat::default();
        // Inherited parts first, so fields read in the order base, then refinement.
        let mut inline_docs = None;
        let mut reference_docs = None;
        for &part in schema.reference.iter().chain(&schema.all_of) {
            let part_flat = self.flatten(part)?;
            flat.merge(&part_flat)?;
            let part_docs = self.own_docs(part, &part_flat);
            let inline =
                Some(part) != schema.reference && self.graph.location(part).file == location.file;
            if inline && inline_docs.is_none() && !part_docs.is_empty() {
                inline_docs = Some(part_docs);
            } else if reference_docs.is_none() && !part_docs.is_empty() {
                reference_docs = Some(part_docs);
            }
        }
        let mut own = Flat {
            sources: BTreeSet::from([id]),
            ..Flat::default()
        };
        if !schema.types.is_empty() {
            own.types = Some((
                schema.types.iter().copied().collect(),
                location.child("type"),
            ));
        }
        own.properties = schema
            .properties
            .iter()
            .map(|(name, child)| (name.clone(), vec![*child]))
            .collect();
        own.required = schema.required.iter().cloned().collect();
        // `additionalProperties: true` or `false` adds no value type; extra fields are kept either way.
        if let Some(Additional::Schema(child)) = schema.additional_properties {
            own.additional.push(child);
        }
        own.pattern = schema
            .pattern_properties
            .iter()
            .map(|(_, child)| *child)
            .collect();
        own.items = schema.items.into_iter().collect();
        let object_keyword = [
            ("properties", !schema.properties.is_empty()),
            (
                "additionalProperties",
                matches!(schema.additional_properties, Some(Additional::Schema(_))),
            ),
            ("patternProperties", !schema.pattern_properties.is_empty()),
        ]
        .into_iter()
        .find(|(_, present)| *present);
        own.object_at = object_keyword.map(|(keyword, _)| location.child(keyword));
        own.items_at = schema.items.map(|_| location.child("items"));
        own.alternatives_at = if !schema.one_of.is_empty() {
            Some(location.child("oneOf"))
        } else if !schema.any_of.is_empty() {
            Some(location.child("anyOf"))
        } else {
            None
        };
        own.format_at = schema.format.as_ref().map(|_| location.child("format"));
        own.enum_values = schema
            .enum_values
            .clone()
            .map(|values| (values, location.child("enum")));
        own.alternatives = schema
            .one_of
            .iter()
            .chain(&schema.any_of)
            .copied()
            .collect();
        own.format = schema.format.clone();
        flat.merge(&own)?;
        flat.docs = if !schema.docs.is_empty() {
            schema.docs.clone()
        } else {
            inline_docs.or(reference_docs).unwrap_or_default()
        };
        let flat = Rc::new(flat);
        self.cache.insert(id, flat.clone());
        Ok(flat)
    }

    fn own_docs(&self, id: SchemaId, flat: &Flat) -> Docs {
        let own = &self.graph.schema(id).docs;
        if own.is_empty() {
            flat.docs.clone()
        } else {
            own.clone()
        }
    }

    pub(super) fn merged(&mut self, key: &[SchemaId]) -> Result<Flat, Diagnostic> {
        let mut merged = Flat::default();
        for &id in key {
            let flat = self.flatten(id)?;
            merged.merge(&flat)?;
        }
        if let [only] = key {
            merged.docs = self.flatten(*only)?.docs.clone();
        }
        Ok(merged)
    }
}

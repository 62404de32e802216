//! The builder: the state of each concern (flattening, naming, events) and the order in which
//! roots, operations and queued types are turned into the model.

use std::collections::BTreeSet;

use crate::api::Operation;
use crate::diagnostics::{Diagnostic, Errors, Location};
use crate::kinds::{FORMS, TIMELINES};
use crate::naming;
use crate::resolve::{SchemaGraph, SchemaId};

use super::carried::Carried;
use super::events::Events;
use super::flat::Flattener;
use super::ir::{Model, Module, RootType, TypeRef};
use super::names::{NameHint, Namer, Pending, Stem, RESERVED_NAMES};
use super::{constants, operations, placement, recursion, rename, schema_types, EventKinds, Root};
use super::{ERROR_CODE, STANDARD_ERROR};

/// Everything the model is built from and what it has become so far; each concern keeps its
/// own state ([`Flattener`], [`Namer`], [`Events`]) and the methods on the builder that need
/// several of them are in the file of their concern.
pub(super) struct ModelBuilder<'g> {
    pub(super) graph: &'g SchemaGraph,
    pub(super) flat: Flattener<'g>,
    pub(super) names: Namer<'g>,
    pub(super) events: Events<'g>,
    pub(super) carried: Carried<'g>,
    /// The schemas [`ModelBuilder::resolve_type`] is inside of (canonical ids, and where the
    /// first was written): a list or map that contains itself with no named type in between
    /// comes back to one of them.
    pub(super) in_progress: Vec<(Vec<SchemaId>, Location)>,
    pub(super) model: Model,
    pub(super) errors: Vec<Diagnostic>,
}

impl<'g> ModelBuilder<'g> {
    pub(super) fn new(graph: &'g SchemaGraph, kinds: &'g EventKinds) -> Self {
        ModelBuilder {
            graph,
            flat: Flattener::new(graph),
            names: Namer::new(graph),
            events: Events::new(kinds),
            carried: Carried::new(&kinds.typed_events, &kinds.typed_sending),
            in_progress: Vec::new(),
            model: Model::default(),
            errors: Vec::new(),
        }
    }

    /// The model of `roots` and `operations`, or every error found on the way.
    pub(super) fn run(mut self, roots: &[Root], operations: &[Operation]) -> Result<Model, Errors> {
        self.build(roots, operations);
        self.build_kind_enums();
        self.check_carried();
        recursion::box_recursive_types(&mut self.model, &mut self.errors);
        recursion::box_struct_variants(&mut self.model);
        constants::mark_constant_fields(&mut self.model);
        if self.errors.is_empty() {
            // Every module's folder, then the names of the crate, unique where they must be.
            placement::place_modules(&mut self.model);
            let finals = self.names.final_names(&self.model);
            rename::rename(&mut self.model, &finals.names);
            self.model.numbered.extend(finals.numbered);
            operations::link_same_endpoints(&mut self.model);
            Ok(self.model)
        } else {
            // A broken schema reached from several roots is reported once.
            let mut unique: Vec<Diagnostic> = Vec::new();
            for error in self.errors {
                if !unique.contains(&error) {
                    unique.push(error);
                }
            }
            // In the order of the files and places they are about, whatever order they were found in.
            unique.sort_by(|a, b| a.location.cmp(&b.location));
            Err(Errors(unique))
        }
    }

    /// Builds the model's modules: names reserved, roots and operations typed, then every
    /// queued type defined.
    fn build(&mut self, roots: &[Root], operations: &[Operation]) {
        let operation_names = self.reserve_names(operations);
        self.events.collect_variants(roots);
        self.add_roots(roots);
        self.add_operations(operations, operation_names);
        self.add_standard_error(operations);
        while let Some((name, pending)) = self.names.next_pending() {
            if let Err(err) = self.define(name, pending) {
                self.errors.push(err);
            }
        }
        schema_types::fill_in_schema_types(&mut self.model.schema_types, self.graph, &self.flat);
        self.model.roots.sort_by(|a, b| a.schema.cmp(&b.schema));
        for module in self.model.modules.values_mut() {
            module.types.sort_by(|a, b| a.name.cmp(&b.name));
            module
                .events
                .sort_by(|a, b| a.struct_name.cmp(&b.struct_name));
        }
    }

    /// Takes the names of the operations' requests and responses, the `Any…` enums and the
    /// names generated code uses unqualified; returns each operation's request and response names.
    fn reserve_names(&mut self, operations: &[Operation]) -> Vec<(String, String)> {
        // Requests and responses are named for their operations, before any title can take the name.
        let operation_names: Vec<(String, String)> = operations
            .iter()
            .map(|op| {
                self.names
                    .operation(&op.operation_id, format!("{}{}", op.base_path, op.path))
            })
            .collect();
        for form in FORMS {
            self.names.take(form.enum_name);
        }
        // Names generated code uses unqualified: a type of that name would shadow them.
        for name in RESERVED_NAMES {
            self.names.take(name);
        }
        // The standard error response and its codes, which every spec gets (`errors`).
        for name in [ERROR_CODE, STANDARD_ERROR] {
            self.names.take(name);
        }
        for timeline in TIMELINES {
            self.names.take(timeline.enum_name);
        }
        operation_names
    }

    /// A type for each root schema file: events (in each of their forms) first, so that
    /// `RoomMemberEvent` never loses its name to a title elsewhere.
    fn add_roots(&mut self, roots: &[Root]) {
        let mut listed_seen: BTreeSet<&str> = BTreeSet::new();
        let mut ordered: Vec<&Root> = roots.iter().collect();
        ordered.sort_by_key(|root| (root.event_type.is_none(), root.schema.clone()));
        for root in &ordered {
            // Named from the file's own stem: `components/sdp_stream_metadata` -> `SdpStreamMetadata`.
            let stem = root.schema.rsplit('/').next().unwrap_or(&root.schema);
            let base = naming::type_name(&stem.replace("$m.", ".").replace('$', "."));
            // A file in the events folder that has no `type` and `content` (such as a shared
            // `m.relates_to` shape) is an ordinary type.
            let event = match (&root.event_type, self.flat.flatten(root.id)) {
                (Some(event_type), Ok(flat)) => {
                    let has = |name: &str| flat.properties.iter().any(|(n, _)| n == name);
                    (has("type") && has("content")).then(|| (event_type.clone(), flat))
                }
                _ => None,
            };
            let type_name = match event {
                Some((event_type, flat)) => {
                    if let Some(entry) = self.events.kinds.listed.get_key_value(&event_type) {
                        listed_seen.insert(entry.0.as_str());
                    }
                    self.event_structs(root, &base, &event_type, &flat)
                }
                None => {
                    let hint = NameHint {
                        preferred: None,
                        context: Stem::text(base),
                    };
                    match self.resolve_type(&[root.id], &hint) {
                        Ok((TypeRef::Named(name), _)) => name,
                        Ok((other, _)) => {
                            // A root that is not an object (a map or a list, say) still gets a name.
                            let location = self.graph.location(root.id).clone();
                            let name = self.names.named_plainly(hint.context.clone());
                            self.names
                                .queue(name.clone(), Pending::Alias(other, location));
                            name
                        }
                        Err(err) => {
                            self.errors.push(err);
                            continue;
                        }
                    }
                }
            };
            self.model.roots.push(RootType {
                schema: root.schema.clone(),
                type_name,
            });
        }
        for event_type in self.events.kinds.listed.keys() {
            if !listed_seen.contains(event_type.as_str()) {
                self.model.other_releases.push(format!(
                    "event_kinds in the overrides name `{event_type}`, which this spec has no event schema for"
                ));
            }
        }
    }

    /// The request and response types of each operation, in the module of its file.
    fn add_operations(&mut self, operations: &[Operation], names: Vec<(String, String)>) {
        for (index, (operation, (request, response))) in operations.iter().zip(names).enumerate() {
            let made = self
                .operation(operation, index, request, response)
                .and_then(|mut def| {
                    def.sends = self.sends(&def)?;
                    Ok(def)
                });
            match made {
                Ok(def) => {
                    let module = self.module_entry(&operation.location.file);
                    module.operations.push(def);
                }
                Err(err) => self.errors.push(err),
            }
        }
    }

    /// Records a note for whoever runs the generator, once.
    pub(super) fn note(&mut self, note: String) {
        if !self.model.notes.contains(&note) {
            self.model.notes.push(note);
        }
    }

    /// The module of the types written in `file`, created when first needed.
    pub(super) fn module_entry(&mut self, file: &str) -> &mut Module {
        let module_name = self.names.module_for(file);
        self.model
            .modules
            .entry(module_name.clone())
            .or_insert_with(|| Module {
                name: module_name,
                source: file.to_owned(),
                ..Module::default()
            })
    }
}

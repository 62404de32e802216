//! The modules of the generated crate: each one's items, when it is built (its `#[cfg]`), and
//! its header (inner doc and imports, each type from its folder); the folders and their docs.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::features::{self, Condition};
use crate::model::{ContentDef, Model, Module, TypeRef, KINDS_MODULE, STANDARD_ERROR_MODULE};

use super::operations::render_operation;
use super::type_refs::type_tokens;
use super::types::render_type;
use super::{ident, UnknownFields};

/// When each module is built (see [`crate::features`]): an event module with its group's
/// feature (or always), a module of an API's folder with that API, the standard error with
/// `api`, the rest with their users.
/// The `Any…` enums are always built and use no module's condition: their variants carry it.
pub(super) fn module_conditions(model: &Model) -> BTreeMap<&str, Condition> {
    let initial: BTreeMap<&str, Option<Condition>> = model
        .modules
        .values()
        .map(|module| {
            let condition = if module.name == KINDS_MODULE {
                Some(Condition::Always)
            } else if module.name == STANDARD_ERROR_MODULE {
                // The `api` frame reads error responses with it, whichever API is built.
                Some(Condition::feature(features::API_FEATURE))
            } else if group_condition(&module.folder) != Condition::Always {
                Some(group_condition(&module.folder))
            } else if module.events.is_empty() {
                None
            } else {
                let mut features = BTreeSet::new();
                let mut always = false;
                for event in &module.events {
                    match features::event_feature(&event.event_type) {
                        Some(feature) => {
                            features.insert(feature.to_owned());
                        }
                        None => always = true,
                    }
                }
                Some(if always {
                    Condition::Always
                } else {
                    Condition::AnyOf(features)
                })
            };
            (module.name.as_str(), condition)
        })
        .collect();
    let uses: BTreeMap<&str, BTreeSet<&str>> = model
        .modules
        .values()
        .filter(|module| module.name != KINDS_MODULE)
        .map(|module| {
            let used = module.uses.iter().map(String::as_str).collect();
            (module.name.as_str(), used)
        })
        .collect();
    features::conditions(&initial, &uses)
}

/// Where the types are: the folders that have a type of each name. A name is unique in the
/// folder of an API and among `events` and `common`, which every folder imports: the type a
/// module names is in its own folder, or else in one of those two.
#[derive(Default)]
pub(super) struct TypeFolders<'a> {
    folders: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> TypeFolders<'a> {
    pub(super) fn of(model: &'a Model) -> Self {
        let mut folders: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for module in model.modules.values() {
            for def in &module.types {
                let list = folders.entry(def.name.as_str()).or_default();
                if !list.contains(&module.folder.as_str()) {
                    list.push(&module.folder);
                }
            }
        }
        TypeFolders { folders }
    }

    /// The folder of the type `name` as code in `from` (a folder) sees it.
    pub(super) fn folder(&self, name: &str, from: &str) -> Option<&'a str> {
        let found = self.folders.get(name)?;
        [from, "common", "events"]
            .iter()
            .find_map(|folder| found.iter().find(|f| **f == *folder))
            .or(found.first())
            .copied()
    }
}

/// When a folder of modules is built: an API's with its feature (`client_server` is
/// `client-server`), the others always.
pub(super) fn group_condition(group: &str) -> Condition {
    if group == "events" || group == "common" {
        Condition::Always
    } else {
        Condition::feature(&group.replace('_', "-"))
    }
}

/// `#[cfg(feature = "…")]`, or with `any(…)` for several; nothing for [`Condition::Always`].
pub(super) fn cfg_attribute(condition: &Condition) -> TokenStream {
    match condition {
        Condition::Always => TokenStream::new(),
        Condition::AnyOf(features) if features.len() == 1 => {
            let feature = features.iter().next();
            quote! { #[cfg(feature = #feature)] }
        }
        Condition::AnyOf(features) => {
            let features = features.iter();
            quote! { #[cfg(any(#(feature = #features),*))] }
        }
    }
}

/// What an item that names a type needs to be built only when that type is: for the `Any…`
/// enums, whose variants are events of every group. Elsewhere a module is built whenever the
/// modules it uses are, by how [`crate::features::conditions`] sets their conditions.
#[derive(Default)]
pub(super) struct Gates<'a> {
    /// The condition of the module being rendered, and its folder; `None`: conditions are
    /// not known yet.
    pub(super) own: Option<(&'a Condition, &'a str)>,
    /// The condition of each type, by its folder and name.
    pub(super) of_type: BTreeMap<(&'a str, &'a str), &'a Condition>,
    pub(super) folders: Option<&'a TypeFolders<'a>>,
}

impl Gates<'_> {
    /// The `#[cfg]` for an item naming `ty`, if it needs one.
    pub(super) fn cfg_for(&self, ty: &TypeRef) -> TokenStream {
        let (Some((own, folder)), TypeRef::Named(name), Some(folders)) =
            (self.own, ty, self.folders)
        else {
            return TokenStream::new();
        };
        let theirs = folders
            .folder(name, folder)
            .and_then(|theirs| self.of_type.get(&(theirs, name.as_str())));
        match theirs {
            Some(theirs) if !own.implies(theirs) => cfg_attribute(theirs),
            _ => TokenStream::new(),
        }
    }
}

/// The folders of modules, each a module of the crate ([`crate::model::FOLDERS`]), with
/// their docs: events and the types shared between APIs are always built; each API is behind
/// a cargo feature of its name.
pub(super) const GROUPS: &[(&str, &str)] = &[
    (
        "events",
        "Event types and the schemas they use, from the spec's `event-schemas` folder.",
    ),
    (
        "common",
        "Types of the API definitions that events or several APIs share.",
    ),
    (
        "client_server",
        "The client-server API: requests, responses and their types.",
    ),
    (
        "server_server",
        "The server-server (federation) API: requests, responses and their types.",
    ),
    (
        "application_service",
        "The application service API: requests, responses and their types.",
    ),
    (
        "identity",
        "The identity service API: requests, responses and their types.",
    ),
    (
        "push_gateway",
        "The push gateway API: requests, responses and their types.",
    ),
];

/// A module's items (types, event impls, operations) and the imports they need.
pub(super) fn render_items(
    module: &Module,
    unknown_fields: UnknownFields,
    gates: &Gates,
) -> (TokenStream, Uses) {
    let mut uses = Uses::default();
    let mut items = TokenStream::new();
    for def in &module.types {
        items.extend(render_type(def, &mut uses, unknown_fields, gates));
    }
    for event in &module.events {
        let name = ident(&event.struct_name);
        let content = type_tokens(&event.content, &mut uses);
        let event_type = &event.event_type;
        uses.runtime.insert("MatrixEvent");
        items.extend(quote! {
            impl MatrixEvent for #name {
                const EVENT_TYPE: &'static str = #event_type;
                type Content = #content;
            }
        });
    }
    for content in &module.contents {
        items.extend(render_content(content, &mut uses));
    }
    for operation in &module.operations {
        items.extend(render_operation(operation, &mut uses));
    }
    (items, uses)
}

/// An event's content type as what it is sent as: its event type (`EventContent`) and a trait
/// per kind of the event.
fn render_content(content: &ContentDef, uses: &mut Uses) -> TokenStream {
    let name = ident(&content.type_name);
    let event_type = &content.event_type;
    uses.runtime.insert("EventContent");
    let mut items = quote! {
        impl EventContent for #name {
            const EVENT_TYPE: &'static str = #event_type;
        }
    };
    for kind in &content.kinds {
        let kind_trait = kind.content_trait();
        uses.runtime.insert(kind_trait);
        let kind_trait = ident(kind_trait);
        items.extend(quote! { impl #kind_trait for #name {} });
    }
    items
}

/// A module's file: its doc, its imports (from its group, other groups, and crates), its items.
/// The inner doc and the imports of a module's file, which its items follow.
pub(super) fn module_header(
    module: &Module,
    folders: &TypeFolders,
    uses: &Uses,
    gates: &Gates,
) -> TokenStream {
    let group = module.folder.as_str();
    let own: BTreeSet<&str> = module.types.iter().map(|t| t.name.as_str()).collect();
    // Types of other modules: from this group's `mod.rs`, or from another group; those
    // built only with some feature imported only with it.
    let mut imports: BTreeMap<(&str, String), (TokenStream, Vec<Ident>)> = BTreeMap::new();
    for name in &uses.named {
        if own.contains(name.as_str()) {
            continue;
        }
        if let Some(their_group) = folders.folder(name, group) {
            let cfg = gates.cfg_for(&TypeRef::Named(name.clone()));
            imports
                .entry((their_group, cfg.to_string()))
                .or_insert_with(|| (cfg, Vec::new()))
                .1
                .push(ident(name));
        }
    }
    let doc = match &module.summary {
        Some(summary) => format!(" {summary}"),
        None => format!(" Types from `{}`.", module.source),
    };
    let mut header = quote! { #![doc = #doc] };
    let mut conditional = TokenStream::new();
    for ((their_group, _), (cfg, names)) in imports {
        let import = if their_group == group {
            quote! { #cfg use super::{#(#names),*}; }
        } else {
            let their_group = ident(their_group);
            quote! { #cfg use crate::#their_group::{#(#names),*}; }
        };
        if cfg.is_empty() {
            header.extend(import);
        } else {
            conditional.extend(import);
        }
    }
    for (path, names) in uses.paths() {
        let path: syn::Path = syn::parse_str(path).expect("static paths parse");
        let names = names.iter().map(|n| ident(n));
        header.extend(quote! { use #path::{#(#names),*}; });
    }
    // Imports of some features only, after the others.
    header.extend(conditional);
    header
}

/// The imports a module needs, gathered while its items are rendered.
#[derive(Default)]
pub(super) struct Uses {
    pub(super) named: BTreeSet<String>,
    pub(super) runtime: BTreeSet<&'static str>,
    pub(super) json: BTreeSet<&'static str>,
    pub(super) serde: BTreeSet<&'static str>,
    pub(super) btree_map: bool,
}

impl Uses {
    pub(super) fn paths(&self) -> Vec<(&'static str, Vec<&'static str>)> {
        let mut paths = Vec::new();
        if self.btree_map {
            paths.push(("std::collections", vec!["BTreeMap"]));
        }
        for (path, set) in [
            ("crate", &self.runtime),
            ("serde", &self.serde),
            ("serde_json", &self.json),
        ] {
            if !set.is_empty() {
                paths.push((path, set.iter().copied().collect()));
            }
        }
        paths
    }
}

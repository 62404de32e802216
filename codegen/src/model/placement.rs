//! Placement: the modules each module uses (from the model's type references), the folder of
//! the crate each module goes to, and its file there.

use std::collections::{BTreeMap, BTreeSet};

use crate::naming;

use super::ir::{is_shared_folder, Model, NumberedName, FOLDERS};
use super::KINDS_MODULE;

/// Sets the `uses`, `folder` and `file` of every module. A module goes to the folder of its
/// spec file (an API's, or `events`); one whose types another folder uses goes to `common`,
/// so that no API's feature needs another's. Types are named by their internal names here.
pub(super) fn place_modules(model: &mut Model) {
    let module_of: BTreeMap<String, String> = model
        .modules
        .values()
        .flat_map(|module| {
            module
                .types
                .iter()
                .map(move |ty| (ty.name.clone(), module.name.clone()))
        })
        .collect();
    for module in model.modules.values_mut() {
        let uses = module
            .type_refs()
            .into_iter()
            .filter_map(|ty| module_of.get(ty.named()?))
            .filter(|used| **used != module.name)
            .cloned()
            .collect();
        module.uses = uses;
    }
    // A module the generator made with its folder keeps it; the others start in their file's.
    let mut folders: BTreeMap<String, &'static str> = model
        .modules
        .values()
        .map(|module| {
            let preset = FOLDERS.iter().find(|folder| **folder == module.folder);
            let folder = preset
                .copied()
                .unwrap_or_else(|| folder_of_file(&module.source));
            (module.name.clone(), folder)
        })
        .collect();
    // The `Any…` enums name events of every group, and are in `events` themselves.
    let users: Vec<(&str, &BTreeSet<String>)> = model
        .modules
        .values()
        .filter(|module| module.name != KINDS_MODULE)
        .map(|module| (module.name.as_str(), &module.uses))
        .collect();
    loop {
        let mut moved = false;
        for (user, used) in &users {
            for module in used.iter() {
                let (mine, theirs) = (folders[*user], folders[module]);
                if mine != theirs && !is_shared_folder(theirs) {
                    folders.insert(module.clone(), "common");
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    let mut files_taken: BTreeSet<(&str, String)> = BTreeSet::new();
    for module in model.modules.values_mut() {
        let folder = folders[&module.name];
        let names = file_names(&module.name, &module.source, folder);
        let free = names
            .iter()
            .find(|name| !files_taken.contains(&(folder, (*name).clone())))
            .cloned();
        let file = match free {
            Some(file) => file,
            None => {
                let preferred = names[0].clone();
                let file = (2..)
                    .map(|n| format!("{preferred}_{n}"))
                    .find(|file| !files_taken.contains(&(folder, file.clone())))
                    .expect("unbounded range");
                model.numbered.push(NumberedName {
                    place: folder.to_owned(),
                    name: file.clone(),
                    reason: format!(
                        "the module of `{}`: its file names {} are taken in `{folder}`",
                        module.source,
                        names.join(", ")
                    ),
                });
                file
            }
        };
        files_taken.insert((folder, file.clone()));
        module.folder = folder.to_owned();
        module.file = file;
    }
}

/// The folder of the modules of a spec file before any moves to `common`: its API's, else
/// `events` (for the `Any…` enums, whose module has no file, too).
pub fn folder_of_file(source: &str) -> &'static str {
    let api = source
        .strip_prefix("api/")
        .and_then(|rest| rest.split('/').next())
        .map(|api| api.replace('-', "_"));
    match api {
        Some(api) => FOLDERS
            .iter()
            .find(|folder| **folder == api)
            .copied()
            .unwrap_or("common"),
        None => "events",
    }
}

/// The names the file of the module of `source` may have in `folder`, best first: named for
/// the spec file without its API in the API's own folder (`client_server_profile` is
/// `profile` in `client_server`), and without a `definitions/` folder of the path; with it
/// when another file has that name (`room_summary` is `definitions_room_summary` beside the
/// `room_summary` of `api/client-server/room_summary.yaml`).
fn file_names(module: &str, source: &str, folder: &str) -> Vec<String> {
    if source.is_empty() {
        return vec![module.to_owned()];
    }
    let in_folder = |name: String| -> String {
        name.strip_prefix(folder)
            .and_then(|rest| rest.strip_prefix('_'))
            .filter(|rest| !rest.is_empty() && !is_shared_folder(folder))
            // `type` and `m_type` are both `m_type`.
            .map(naming::module_name)
            .unwrap_or(name)
    };
    let mut names = vec![in_folder(naming::module_name(source))];
    let with_definitions = in_folder(naming::module_name_keeping_folders(source));
    if !names.contains(&with_definitions) {
        names.push(with_definitions);
    }
    names
}

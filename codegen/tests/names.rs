//! The names the spec's `main` gives the crate: those a counter tells apart (`Thing2`), each
//! with the reason nothing else did. Names are unique in the folder of an API and in the crate
//! for `events` and `common` (which every folder imports); two schemas that still want one
//! name are named for what tells them apart. The list is kept explicit: a new counter is a
//! change to look at.

use std::path::Path;

use codegen::model::Model;

/// Where the spec's `main` is (as `cargo xtask gen` finds it without `--spec` or
/// `MATRIX_SPEC_DIR`: the pinned checkout, or the snapshot beside this one).
fn main_spec(root: &Path) -> std::path::PathBuf {
    codegen::spec_source::find_spec(None, None, root).unwrap_or_else(|err| panic!("{err}"))
}

/// A type name ending in a counter: a lowercase letter, then digits (`Presence2`; not
/// `PduV4`, whose number is the spec's).
fn ends_in_counter(name: &str) -> bool {
    let digits = name.trim_end_matches(|c: char| c.is_ascii_digit());
    digits.len() < name.len() && digits.ends_with(|c: char| c.is_ascii_lowercase())
}

/// A module file numbered: `client_server_room_summary_2` (not `pdu_v4`).
fn file_numbered(file: &str) -> bool {
    let digits = file.trim_end_matches(|c: char| c.is_ascii_digit());
    digits.len() < file.len() && digits.ends_with('_')
}

/// Every numbered name of `model` (`folder: name`), with its reason: the model's own account
/// of the names it numbered, and any other name that ends like one.
fn numbered_names(model: &Model) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = model
        .numbered
        .iter()
        .map(|numbered| {
            (
                format!("{}: {}", numbered.place, numbered.name),
                numbered.reason.clone(),
            )
        })
        .collect();
    for module in model.modules.values() {
        let names = module
            .types
            .iter()
            .map(|t| &t.name)
            .chain(module.events.iter().map(|e| &e.struct_name))
            .chain(
                module
                    .operations
                    .iter()
                    .flat_map(|op| [&op.request_name, &op.response_name]),
            )
            .filter(|name| ends_in_counter(name))
            .map(|name| format!("{}: {name}", module.folder))
            .chain(
                file_numbered(&module.file)
                    .then(|| format!("{}: {}.rs", module.folder, module.file)),
            );
        for name in names {
            if !found.iter().any(|(known, _)| *known == name) {
                found.push((
                    name,
                    "not numbered by the generator: from the spec?".to_owned(),
                ));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn no_name_generated_from_main_is_told_apart_by_a_counter() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let model = codegen::build_model(&main_spec(root), Some(&root.join("spec/overrides.yaml")))
        .unwrap_or_else(|errors| panic!("{errors}"));
    let found = numbered_names(&model);
    // (name, why) for each numbered name the spec's `main` still has.
    let expected: [(&str, &str); 0] = [];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(name, why)| ((*name).to_owned(), (*why).to_owned()))
        .collect();
    assert_eq!(
        found,
        expected,
        "numbered names (folder: name, reason):\n{}",
        found
            .iter()
            .map(|(name, why)| format!("  {name}: {why}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn counters_are_recognised() {
    assert!(ends_in_counter("Presence2"));
    assert!(ends_in_counter("QueryUserByIdResponse3"));
    assert!(!ends_in_counter("PduV4"));
    assert!(!ends_in_counter("Presence"));
    assert!(file_numbered("client_server_room_summary_2"));
    assert!(!file_numbered("pdu_v11"));
    assert!(!file_numbered("joins_v2"));
}

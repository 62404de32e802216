//! Imports run one way: each module of the generator uses only the modules below it in the
//! pipeline (ARCHITECTURE.md), never one at its own level or above, so no two modules import
//! each other and a lower stage never depends on a later one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The modules of `codegen/src`, lowest first; a module may use those of a lower level only.
const LEVELS: &[&[&str]] = &[
    &["diagnostics", "parallel"],
    &["yaml", "naming", "kinds", "features"],
    &["overrides", "swagger", "spec_source"],
    &["load"],
    &["resolve"],
    &["api"],
    &["model"],
    &["render"],
    &["write"],
    &["cli"],
];

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn level(module: &str) -> Option<usize> {
    LEVELS.iter().position(|level| level.contains(&module))
}

/// Every `.rs` file under `dir`, with the top-level module it belongs to.
fn files(dir: &Path, module: Option<&str>, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let owner = module.map_or(stem.clone(), str::to_owned);
        if path.is_dir() {
            files(&path, Some(&owner), out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push((owner, path));
        }
    }
}

/// The modules of the crate that `text` names as `crate::module` (in `use` items and paths).
/// Paths inside generated code (`quote!`) name modules of the generated crate, which have
/// other names, and so are not counted.
fn uses(text: &str, modules: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if modules.contains(&name.as_str()) && !found.contains(&name) {
            found.push(name);
        }
    }
    // `use crate::{a, b::C}`.
    for (at, _) in text.match_indices("use crate::{") {
        let group = &text[at + "use crate::{".len()..];
        let group = &group[..group.find("};").unwrap_or(group.len())];
        for part in group.split(',') {
            let name = part.trim().split("::").next().unwrap_or("").trim();
            if modules.contains(&name) && !found.iter().any(|f| f == name) {
                found.push(name.to_owned());
            }
        }
    }
    found
}

#[test]
fn every_module_has_a_level() {
    let lib = std::fs::read_to_string(src_dir().join("lib.rs")).unwrap();
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|line| line.strip_prefix("pub mod "))
        .map(|rest| rest.trim_end_matches(';'))
        .collect();
    assert!(declared.len() >= 10, "modules of lib.rs: {declared:?}");
    let missing: Vec<&&str> = declared.iter().filter(|m| level(m).is_none()).collect();
    assert!(
        missing.is_empty(),
        "modules with no place in LEVELS (add them where they belong): {missing:?}"
    );
}

#[test]
fn modules_use_only_lower_levels() {
    let modules: Vec<&str> = LEVELS
        .iter()
        .flat_map(|level| level.iter().copied())
        .collect();
    let mut all = Vec::new();
    files(&src_dir(), None, &mut all);
    let mut checked = 0;
    let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (module, path) in &all {
        // The crate root ties the stages together: it may use them all.
        let Some(own) = level(module) else {
            assert_eq!(
                module,
                "lib",
                "{} belongs to no module of LEVELS",
                path.display()
            );
            continue;
        };
        let text = std::fs::read_to_string(path).unwrap();
        for used in uses(&text, &modules) {
            checked += 1;
            if used != *module && level(&used).is_some_and(|theirs| theirs >= own) {
                let file = path.strip_prefix(src_dir()).unwrap().display().to_string();
                wrong.entry(file).or_default().push(used);
            }
        }
    }
    assert!(
        checked > 20,
        "only {checked} uses found: is the scan broken?"
    );
    assert!(
        wrong.is_empty(),
        "modules that use a module at their own level or above: {wrong:?}"
    );
}

#[test]
fn the_scan_finds_uses_in_groups_and_paths() {
    let modules = ["load", "model", "yaml"];
    let text = "use crate::{load::Documents, model};\nlet x = crate::yaml::parse_yaml(a, b);\nquote! { crate::dispatch::read }";
    assert_eq!(uses(text, &modules), ["yaml", "load", "model"]);
}

//! Generates Rust types from the Matrix specification's schemas.
//!
//! The pipeline, one module per stage:
//! [`load`] (YAML, with overrides; [`swagger`] brings Swagger 2.0 descriptions into the OpenAPI
//! 3.1 shape) -> [`resolve`] (one schema graph, `$ref`s followed)
//! -> [`model`] (`allOf` merged, named types) -> [`render`] (tokens, formatted) -> [`mod@write`].

pub mod api;
pub mod cli;
pub mod diagnostics;
pub mod features;
pub mod kinds;
pub mod load;
pub mod model;
pub mod naming;
pub mod overrides;
pub mod parallel;
pub mod render;
pub mod resolve;
pub mod spec_source;
pub mod swagger;
pub mod write;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

pub use diagnostics::{Diagnostic, Errors, Location};

/// The folder of event schemas, relative to the spec's `data/` folder.
pub const EVENT_SCHEMA_DIR: &str = "event-schemas/schema";

/// The folder of event examples, relative to the spec's `data/` folder.
pub const EXAMPLES_DIR: &str = "event-schemas/examples";

/// What one generation produced, still in memory.
#[derive(Debug)]
pub struct Generated {
    /// Source files by path relative to the crate's `src/`.
    pub files: BTreeMap<String, String>,
    /// Overrides that matched nothing in this spec (they may be for another release).
    pub unused_overrides: Vec<overrides::Override>,
    /// Things the generator noticed that are not errors (an event in no kind, say).
    pub notes: Vec<String>,
    /// Entries of the overrides' tables that this spec has nothing for (see
    /// [`model::Model::other_releases`]); with [`Generated::unused_overrides`], what `gen`
    /// counts as being for other releases.
    pub other_releases: Vec<String>,
    pub type_count: usize,
    pub schema_count: usize,
    /// Which spec it was generated from (what `src/spec_version.rs` records).
    pub spec_version: spec_source::SpecVersion,
    /// How long each stage took, in pipeline order (loading is spread over the stages that
    /// read files; a generation from disk counts listing and reading the API files as `load`).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Generates the crate's sources from the spec in `spec_dir` (the folder holding `data/`),
/// with the overrides in `overrides_file` (if any) applied.
pub fn generate(spec_dir: &Path, overrides_file: Option<&Path>) -> Result<Generated, Errors> {
    generate_with(spec_dir, overrides_file, render::UnknownFields::default())
}

/// [`generate`], choosing how structs read unknown fields.
pub fn generate_with(
    spec_dir: &Path,
    overrides_file: Option<&Path>,
    unknown_fields: render::UnknownFields,
) -> Result<Generated, Errors> {
    let started = Instant::now();
    let mut spec = load_spec(spec_dir, overrides_file)?;
    let load_time = started.elapsed();
    let mut generated = generate_documents(
        &mut spec.documents,
        &spec.files,
        &spec.definitions,
        &spec.api_files,
        unknown_fields,
        spec.errors,
        spec_source::SpecVersion::of(spec_dir),
    )?;
    generated.timings.insert(0, ("load", load_time));
    Ok(generated)
}

/// The model of the spec in `spec_dir` (with the overrides in `overrides_file` applied): the
/// types, events and operations that [`generate`] renders, for comparing what releases
/// generate (`cargo xtask spec-diff`).
pub fn build_model(spec_dir: &Path, overrides_file: Option<&Path>) -> Result<model::Model, Errors> {
    let mut spec = load_spec(spec_dir, overrides_file)?;
    let (model, _) = model_of_documents(
        &mut spec.documents,
        &spec.files,
        &spec.definitions,
        &spec.api_files,
        spec.errors,
        &mut Vec::new(),
    )?;
    Ok(model)
}

/// A spec read from disk: its documents and which of them are the roots of the pipeline.
struct LoadedSpec {
    documents: load::Documents,
    /// Event schema files.
    files: Vec<String>,
    /// The schema files among the APIs' `definitions/`.
    definitions: Vec<String>,
    /// The API descriptions.
    api_files: Vec<String>,
    /// Files that could not be read, reported with the problems found later.
    errors: Vec<Diagnostic>,
}

/// Reads the overrides and the spec's root files (the rest is read as `$ref`s reach it).
fn load_spec(spec_dir: &Path, overrides_file: Option<&Path>) -> Result<LoadedSpec, Errors> {
    let data_dir = spec_dir.join("data");
    if !data_dir.join(EVENT_SCHEMA_DIR).is_dir() {
        let message = format!(
            "{} has no `{EVENT_SCHEMA_DIR}` folder: is it a Matrix spec checkout?",
            data_dir.display()
        );
        return Err(Diagnostic::new(Location::new(EVENT_SCHEMA_DIR, ""), message).into());
    }
    let overrides = match overrides_file {
        Some(path) => {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|err| {
                Diagnostic::new(
                    Location::new(shown.clone(), ""),
                    format!("cannot read overrides: {err}"),
                )
            })?;
            overrides::Overrides::parse(&shown, &text)?
        }
        None => overrides::Overrides::default(),
    };
    let mut documents = load::Documents::new(&data_dir, overrides);
    // Problems in independent files are collected, so that one run reports them all.
    let mut errors = Vec::new();
    let files = event_schema_files(&data_dir)?;
    let definitions = api_definition_files(&data_dir, &mut documents, &mut errors)?;
    let api_files = api::api_files(&data_dir)?;
    let roots: Vec<&str> = files.iter().chain(&api_files).map(String::as_str).collect();
    errors.extend(documents.load_all(&roots));
    Ok(LoadedSpec {
        documents,
        files,
        definitions,
        api_files,
        errors,
    })
}

/// [`generate`] on a spec held in memory, without overrides: `files` are (path relative to
/// `data/`, YAML text). For tests and fuzzing: no file is read from disk, and a `$ref` to a
/// file not given is dangling.
pub fn generate_in_memory(files: &[(&str, &str)]) -> Result<Generated, Errors> {
    let mut documents = load::Documents::new("/nonexistent/spec/data", Default::default());
    let mut errors = Vec::new();
    let (mut events, mut definitions, mut api_files) = (Vec::new(), Vec::new(), Vec::new());
    for (file, text) in files {
        if let Err(err) = documents.insert(file, text) {
            errors.push(err);
            continue;
        }
        let file = (*file).to_owned();
        if file.starts_with(&format!("{EVENT_SCHEMA_DIR}/")) {
            events.push(file);
        } else if file.starts_with("api/") && file.contains("/definitions/") {
            definitions.push(file);
        } else if file.starts_with("api/") {
            api_files.push(file);
        }
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    events.sort();
    definitions.sort();
    api_files.sort();
    generate_documents(
        &mut documents,
        &events,
        &definitions,
        &api_files,
        render::UnknownFields::default(),
        Vec::new(),
        spec_source::SpecVersion::in_memory(),
    )
}

/// The pipeline from loaded documents: `files` (event schemas) and `definitions` are roots
/// named for their files, the operations of `api_files` get their request and response types.
/// `errors` are problems already found (files that could not be read): they are reported
/// with those of the operations and the schemas, before any type is made.
fn generate_documents(
    documents: &mut load::Documents,
    files: &[String],
    definitions: &[String],
    api_files: &[String],
    unknown_fields: render::UnknownFields,
    errors: Vec<Diagnostic>,
    spec_version: spec_source::SpecVersion,
) -> Result<Generated, Errors> {
    let mut timings = Vec::new();
    let (model, schema_count) = model_of_documents(
        documents,
        files,
        definitions,
        api_files,
        errors,
        &mut timings,
    )?;
    let mut stage = Instant::now();
    let mut lap = |name: &'static str| {
        timings.push((name, stage.elapsed()));
        stage = Instant::now();
    };
    let type_count = model.modules.values().map(|m| m.types.len()).sum();
    let mut notes = model.notes.clone();
    notes.extend(render::shortcode_notes(&model));
    let sources = render::render_sources(&model, unknown_fields);
    lap("render");
    let mut files = render::format_files(sources).map_err(|err| {
        Diagnostic::new(
            Location::new("<generated code>", ""),
            format!("generated code does not parse: {err}"),
        )
    })?;
    lap("format");
    files.insert(
        render::SPEC_VERSION_FILE.to_owned(),
        render::spec_version_file(&spec_version),
    );
    Ok(Generated {
        files,
        // Overrides of examples are for the tests that read them, not for the generator.
        unused_overrides: documents
            .overrides()
            .unused()
            .into_iter()
            .filter(|entry| !entry.file.starts_with(EXAMPLES_DIR))
            .cloned()
            .collect(),
        type_count,
        notes,
        other_releases: model.other_releases.clone(),
        schema_count,
        spec_version,
        timings,
    })
}

/// The pipeline up to the model (operations, resolve, model), with the time of each stage
/// added to `timings`; the model and the number of schemas in the graph.
fn model_of_documents(
    documents: &mut load::Documents,
    files: &[String],
    definitions: &[String],
    api_files: &[String],
    mut errors: Vec<Diagnostic>,
    timings: &mut Vec<(&'static str, std::time::Duration)>,
) -> Result<(model::Model, usize), Errors> {
    let mut stage = Instant::now();
    let mut lap = |name: &'static str| {
        timings.push((name, stage.elapsed()));
        stage = Instant::now();
    };
    let operations = match api::operations(documents, api_files) {
        Ok(operations) => operations,
        Err(Errors(found)) => {
            errors.extend(found);
            Vec::new()
        }
    };
    lap("operations");
    // Event schemas, then shared API definitions, are roots named for their files; the
    // schemas of each operation are roots the model names for the operation.
    let mut root_locations: Vec<Location> = files
        .iter()
        .chain(definitions)
        .map(|file| Location::new(file.clone(), ""))
        .collect();
    root_locations.extend(operations.iter().flat_map(api::Operation::schemas));
    let (graph, root_ids) = match resolve::resolve_at(documents, &root_locations) {
        Ok(resolved) if errors.is_empty() => resolved,
        Ok(_) => return Err(sorted(errors)),
        Err(Errors(found)) => {
            errors.extend(found);
            return Err(sorted(errors));
        }
    };
    lap("resolve");
    let mut roots: Vec<model::Root> = files
        .iter()
        .zip(root_ids.iter().copied())
        .map(|(file, id)| {
            let relative = file
                .strip_prefix(EVENT_SCHEMA_DIR)
                .unwrap_or(file)
                .trim_start_matches('/');
            let stem = relative.strip_suffix(".yaml").unwrap_or(relative);
            // Files directly in the folder named for a (namespaced) event type define events;
            // the rest, in subfolders or not (v1.1 keeps `stripped_state.yaml` there), are shared parts.
            let event_type = stem.split('$').next().unwrap_or(stem);
            let is_event = !stem.contains('/') && event_type.contains('.');
            let event_type = is_event.then(|| event_type.to_owned());
            model::Root {
                id,
                schema: stem.to_owned(),
                event_type,
            }
        })
        .collect();
    for (file, id) in definitions
        .iter()
        .zip(root_ids[files.len()..].iter().copied())
    {
        roots.push(model::Root {
            id,
            schema: file.strip_suffix(".yaml").unwrap_or(file).to_owned(),
            event_type: None,
        });
    }
    let event_kinds = event_kinds(&roots, documents.overrides())?;
    let model = model::build_with_operations(&graph, &roots, &event_kinds, &operations)?;
    lap("model");
    Ok((model, graph.nodes.len()))
}

/// `errors` once each, in the order of the places they are about.
fn sorted(errors: Vec<Diagnostic>) -> Errors {
    let mut unique: Vec<Diagnostic> = Vec::new();
    for error in errors {
        if !unique.contains(&error) {
            unique.push(error);
        }
    }
    unique.sort_by(|a, b| a.location.cmp(&b.location));
    Errors(unique)
}

/// Which core schema wraps each form, and the kinds the overrides give events.
fn event_kinds(
    roots: &[model::Root],
    overrides: &overrides::Overrides,
) -> Result<model::EventKinds, Errors> {
    let mut envelopes = Vec::new();
    for form in kinds::FORMS {
        let found = form
            .envelope
            .iter()
            .find_map(|stem| roots.iter().find(|root| root.schema == *stem));
        if let Some(root) = found {
            envelopes.push((*form, root.id));
        }
    }
    let mut listed: BTreeMap<String, std::collections::BTreeSet<kinds::Kind>> = BTreeMap::new();
    let mut errors = Vec::new();
    for entry in overrides.event_kinds() {
        for (index, key) in entry.kinds.iter().enumerate() {
            match kinds::Kind::from_key(key) {
                Some(kind) => {
                    for event in &entry.events {
                        listed.entry(event.clone()).or_default().insert(kind);
                    }
                }
                None => errors.push(Diagnostic::new(
                    entry.location.child("kinds").child(&index.to_string()),
                    format!("unknown event kind `{key}`"),
                )),
            }
        }
    }
    if errors.is_empty() {
        Ok(model::EventKinds {
            envelopes,
            listed,
            typed_events: overrides.typed_events().to_vec(),
            typed_sending: overrides.typed_sending().to_vec(),
            error_codes: overrides.error_codes().to_vec(),
        })
    } else {
        Err(Errors(errors))
    }
}

/// The schema files among the `definitions/` of every API, sorted: those that are a schema
/// (the security scheme files beside them are not). A file that cannot be read is reported
/// in `errors` and left out.
fn api_definition_files(
    data_dir: &Path,
    documents: &mut load::Documents,
    errors: &mut Vec<Diagnostic>,
) -> Result<Vec<String>, Errors> {
    let mut files = Vec::new();
    for api in yaml_files_below(data_dir, api::API_DIR)? {
        if !api.contains("/definitions/") {
            continue;
        }
        let document = match documents.load(&api) {
            Ok(document) => document,
            Err(err) => {
                errors.push(err);
                continue;
            }
        };
        let is_schema = document.as_object().is_some_and(|map| {
            ["type", "allOf", "oneOf", "anyOf", "$ref", "properties"]
                .iter()
                .any(|key| map.contains_key(*key))
        });
        if is_schema {
            files.push(api);
        }
    }
    Ok(files)
}

/// Every `.yaml` file below the event schema folder, subfolders included, sorted.
fn event_schema_files(data_dir: &Path) -> Result<Vec<String>, Errors> {
    yaml_files_below(data_dir, EVENT_SCHEMA_DIR)
}

/// Every `.yaml` file below `top` (relative to `data/`), subfolders included, sorted; none
/// when `top` does not exist.
fn yaml_files_below(data_dir: &Path, top: &str) -> Result<Vec<String>, Errors> {
    if !data_dir.join(top).is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let mut dirs = vec![top.to_owned()];
    while let Some(dir) = dirs.pop() {
        let listed = load::list_yaml_files(data_dir, &dir).map_err(|err| {
            Diagnostic::new(
                Location::new(dir.clone(), ""),
                format!("cannot list folder: {err}"),
            )
        })?;
        files.extend(listed);
        let entries = std::fs::read_dir(data_dir.join(&dir)).map_err(|err| {
            Diagnostic::new(
                Location::new(dir.clone(), ""),
                format!("cannot list folder: {err}"),
            )
        })?;
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                dirs.push(format!("{dir}/{}", entry.file_name().to_string_lossy()));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The hand-written frame of the output crate, so that `--out` can point at an empty folder.
const FRAME: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../../generated/Cargo.toml")),
    ("build.rs", include_str!("../../generated/build.rs")),
    ("README.md", include_str!("../../generated/README.md")),
    ("src/lib.rs", include_str!("../../generated/src/lib.rs")),
    (
        "src/dispatch.rs",
        include_str!("../../generated/src/dispatch.rs"),
    ),
    ("src/ids.rs", include_str!("../../generated/src/ids.rs")),
    ("src/raw.rs", include_str!("../../generated/src/raw.rs")),
    ("src/api.rs", include_str!("../../generated/src/api.rs")),
];

/// Writes the crate's hand-written frame into `crate_dir` where it is missing; existing files are kept.
pub fn scaffold_crate(crate_dir: &Path) -> std::io::Result<()> {
    for (relative, text) in FRAME {
        let path = crate_dir.join(relative);
        if !path.exists() {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, text)?;
        }
    }
    Ok(())
}

/// The crate's hand-written frame, (path relative to the crate, text): for tools that lay
/// out copies of the crate (`cargo xtask spec-matrix`).
pub fn frame() -> &'static [(&'static str, &'static str)] {
    FRAME
}

#[cfg(test)]
mod tests {
    use crate::resolve::tests::Tree;

    #[test]
    fn only_files_named_for_namespaced_event_types_are_events() {
        let shape = "type: object\nproperties:\n  type: {type: string}\n  content: {type: object}\nrequired: [type, content]\n";
        let tree = Tree::new(
            "classify",
            &[
                ("data/event-schemas/schema/stripped_state.yaml", shape),
                ("data/event-schemas/schema/m.thing.yaml", shape),
            ],
        );
        let generated = super::generate(&tree.0, None).unwrap();
        let index = &generated.files["schema_index.rs"];
        assert!(
            index.contains("(\"stripped_state\", \"StrippedState\")"),
            "{index}"
        );
        assert!(index.contains("(\"m.thing\", \"ThingEvent\")"), "{index}");
        let stripped = &generated.files["events/stripped_state.rs"];
        assert!(!stripped.contains("impl MatrixEvent"), "{stripped}");
        assert!(generated.files["events/m_thing.rs"].contains("impl MatrixEvent for ThingEvent"));
    }
}

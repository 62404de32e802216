//! The spec's API descriptions (the OpenAPI files under `data/api/`): the operations they
//! describe and their inline examples, each with the schema it illustrates, so that the
//! generated API types can be checked against the spec's own examples.
//!
//! The walk follows the structure of the descriptions (OpenAPI 3.1; the Swagger 2.0 ones of
//! releases before v1.8 are read in that shape, as the generator reads them: `walk`) rather
//! than looking for `example` keys anywhere, because example data and property names may hold
//! such keys too; [`Found::unreached`] lists the `example` keys a blunt scan (`scan`) sees
//! that the walk did not reach, so a shape the walk does not know shows up as a failure
//! instead of as fewer examples.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use codegen::overrides::Overrides;

use crate::spec::{data_relative, read_text};

mod scan;
#[cfg(test)]
mod tests;
mod walk;

use scan::scan;
use walk::walk;

/// The folder of the API descriptions, relative to `data/`.
pub const API_DIR: &str = "api";

/// The keys of a path item that are operations.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Where in an API description an example is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// In a response (`responses.<code>`, also under `components/responses`).
    Response,
    /// In a request body (also `components/requestBodies`; a Swagger 2.0 body parameter,
    /// which is read as one).
    RequestBody,
    /// In a parameter or a header (also under `components`).
    Parameter,
    /// In a schema of its own: a definitions file, `components/schemas` (where Swagger
    /// 2.0 `definitions` are read).
    Schema,
}

impl Place {
    /// Every place, in the order the counts are printed.
    pub const ALL: [Place; 4] = [
        Place::Response,
        Place::RequestBody,
        Place::Parameter,
        Place::Schema,
    ];

    /// The name the counts are printed under.
    pub fn name(self) -> &'static str {
        match self {
            Place::Response => "response",
            Place::RequestBody => "request body",
            Place::Parameter => "parameter",
            Place::Schema => "schema-level (definitions)",
        }
    }
}

/// One inline example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The API file, relative to `data/`, whose schema the example illustrates: where the
    /// example is written, but for an Example Object a `$ref` names
    /// (`components/examples`), whose `value` is the example.
    pub file: String,
    /// The JSON pointer of the schema it illustrates, in `file`, as written (a `$ref`
    /// there not followed): a media type's or parameter's `…/schema`, or the schema
    /// holding the example.
    pub schema: String,
    /// The JSON pointer of the example itself (`…/example`, `…/examples/<name>`).
    pub at: String,
    pub place: Place,
    /// Whether the example is a schema's own `example`, not that of a media type,
    /// parameter or header.
    pub schema_level: bool,
    /// The example with the `$ref`s and `allOf`s of its data resolved, or why it could
    /// not be read.
    pub value: Result<Value, String>,
}

/// What [`find`] found in the API descriptions.
#[derive(Debug, Default)]
pub struct Found {
    /// The examples of JSON media types, parameters, headers and schemas.
    pub examples: Vec<Example>,
    /// Examples of media types other than JSON, which are not checked: (file, pointer of
    /// the example, media type).
    pub non_json: Vec<(String, String, String)>,
    /// Every operation: (file, method, path) as the spec writes them.
    pub operations: BTreeSet<(String, String, String)>,
    /// `example`/`examples` keys the walk did not reach: (file, pointer of the key).
    pub unreached: Vec<(String, String)>,
    /// The files read, relative to `data/`.
    pub files: Vec<String>,
}

/// Every `.yaml`/`.json` file below `data/api/`, relative to `data/`, sorted; files in
/// folders named `examples` are example data (reached through `$ref`s), not descriptions.
pub fn api_files(data_dir: &Path) -> Result<Vec<String>, String> {
    fn visit(dir: &Path, relative: &str, out: &mut Vec<String>) -> Result<(), String> {
        let entries = std::fs::read_dir(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|err| format!("{}: {err}", dir.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let child = format!("{relative}/{name}");
            if path.is_dir() {
                if name != "examples" {
                    visit(&path, &child, out)?;
                }
            } else if name.ends_with(".yaml") || name.ends_with(".json") {
                out.push(child);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    visit(&data_dir.join(API_DIR), API_DIR, &mut files)?;
    files.sort();
    Ok(files)
}

/// Reads a file of the spec (YAML or JSON) with the project's overrides for it applied and
/// normalised (a Swagger 2.0 description in the OpenAPI 3.1 shape: `codegen::swagger`), as
/// the generator reads it, so that pointers name the same places on both sides.
pub fn read_spec_file(
    data_dir: &Path,
    path: &Path,
    overrides: &Overrides,
) -> Result<Value, String> {
    let text = read_text(path)?;
    codegen::load::read_document(&data_relative(data_dir, path), &text, overrides, &|_| true)
        .map_err(|err| err.to_string())
}

/// Reads every API description below `data_dir` (the spec's `data/` folder) and finds
/// its operations and examples.
pub fn find(data_dir: &Path, overrides: &Overrides) -> Result<Found, String> {
    let files = api_files(data_dir)?;
    let mut documents = BTreeMap::new();
    for file in &files {
        let value = read_spec_file(data_dir, &data_dir.join(file), overrides)?;
        documents.insert(file.clone(), value);
    }
    let mut found = Found {
        files,
        ..Found::default()
    };
    let mut read = |path: &Path| read_spec_file(data_dir, path, overrides);
    for (file, document) in &documents {
        let reached = walk(file, document, data_dir, &documents, &mut found, &mut read);
        let mut keys = Vec::new();
        scan("", document, false, &mut keys);
        found.unreached.extend(
            keys.into_iter()
                .filter(|key| !reached.contains(key))
                .map(|key| (file.clone(), key)),
        );
    }
    Ok(found)
}

/// `pointer` extended by `key`, escaped as RFC 6901 says (`~` as `~0`, `/` as `~1`).
pub fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// Whether a media type is JSON (`application/json`, or `+json`), whose examples are
/// JSON values a type can read.
pub fn is_json(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

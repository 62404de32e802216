//! What the tests share: finding the spec the crate was generated from, and reading the
//! spec's examples the way the spec's own tooling does.

use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the repository")
        .to_owned()
}

/// The spec folder, found exactly as `cargo xtask gen` finds it (so both read the same spec).
pub fn spec_dir() -> PathBuf {
    let env = std::env::var_os(codegen::spec_source::ENV_VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    codegen::spec_source::find_spec(None, env.as_deref(), &repo_root())
        .unwrap_or_else(|err| panic!("{err}"))
}

/// Reads an example file (JSON, in files named `.yaml` or `.json`) and resolves its `$ref`s
/// and `allOf`s as [`resolve_example_data`] does.
pub fn load_example(path: &Path) -> Result<Value, String> {
    let mut read = |path: &Path| -> Result<Value, String> {
        let text =
            std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
        serde_json::from_str(&text).map_err(|err| format!("{}: {err}", path.display()))
    };
    let value = read(path)?;
    resolve_example_data(value, path, &mut read)
}

/// Reads the file at a path into a JSON tree (with whatever corrections apply to it).
pub type ExampleReader<'r> = dyn FnMut(&Path) -> Result<Value, String> + 'r;

/// Resolves the references in example data written in the file `file`, the way the spec's
/// examples use them:
///
/// - `{"$ref": "<path>[#<pointer>]", ...}` names other example data, relative to the file
///   holding the `$ref`. When it is an object its fields come first and the sibling keys
///   replace them (shallowly, local keys winning); otherwise it replaces the `$ref` object
///   (which then may have no siblings).
/// - `{"allOf": [a, b, ...]}` (the server-server PDU examples) is the deep merge of its parts:
///   objects merged key by key recursively, a later part winning for anything else. Keys
///   beside `allOf` are merged in last.
///
/// Both apply at any depth, and inside what a `$ref` loads (relative to that file).
pub fn resolve_example_data(
    value: Value,
    file: &Path,
    read: &mut ExampleReader<'_>,
) -> Result<Value, String> {
    resolve_data(value, file, 0, read)
}

fn resolve_data(
    value: Value,
    file: &Path,
    depth: usize,
    read: &mut ExampleReader<'_>,
) -> Result<Value, String> {
    match value {
        Value::Object(mut map) => {
            let reference = match map.remove("$ref") {
                Some(Value::String(reference)) => Some(reference),
                Some(other) => return Err(format!("`$ref` must be a string, found {other}")),
                None => None,
            };
            let parts = match map.remove("allOf") {
                Some(Value::Array(parts)) => Some(parts),
                Some(other) => return Err(format!("`allOf` must be a list, found {other}")),
                None => None,
            };
            let mut local = Map::new();
            for (key, child) in map {
                local.insert(key, resolve_data(child, file, depth, read)?);
            }
            let combined = match reference {
                None => Value::Object(local),
                Some(reference) => match load_reference(&reference, file, depth, read)? {
                    Value::Object(mut merged) => {
                        merged.extend(local);
                        Value::Object(merged)
                    }
                    other if local.is_empty() => other,
                    _ => {
                        return Err(format!(
                            "`$ref: {reference}` names a non-object but has sibling keys"
                        ))
                    }
                },
            };
            let Some(parts) = parts else {
                return Ok(combined);
            };
            let mut merged = Value::Object(Map::new());
            for part in parts {
                deep_merge(&mut merged, resolve_data(part, file, depth, read)?);
            }
            deep_merge(&mut merged, combined);
            Ok(merged)
        }
        Value::Array(items) => items
            .into_iter()
            .map(|item| resolve_data(item, file, depth, read))
            .collect(),
        other => Ok(other),
    }
}

/// What `$ref: reference` (written in `file`) names, itself resolved.
fn load_reference(
    reference: &str,
    file: &Path,
    depth: usize,
    read: &mut ExampleReader<'_>,
) -> Result<Value, String> {
    if depth >= 16 {
        return Err(format!(
            "{}: `$ref: {reference}` nests too deep (a cycle?)",
            file.display()
        ));
    }
    let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let target = if path.is_empty() {
        file.to_owned()
    } else {
        normalize(&file.parent().unwrap_or(Path::new(".")).join(path))
    };
    let document = read(&target)?;
    let value = if fragment.is_empty() {
        document
    } else {
        document.pointer(fragment).cloned().ok_or_else(|| {
            format!(
                "{}: `$ref: {reference}`: no {fragment} in {}",
                file.display(),
                target.display()
            )
        })?
    };
    resolve_data(value, &target, depth + 1, read)
}

/// Merges `part` into `target`: objects key by key recursively, `part` winning otherwise.
pub fn deep_merge(target: &mut Value, part: Value) {
    match (target, part) {
        (Value::Object(target), Value::Object(part)) => {
            for (key, value) in part {
                match target.get_mut(&key) {
                    Some(existing) => deep_merge(existing, value),
                    None => {
                        target.insert(key, value);
                    }
                }
            }
        }
        (target, part) => *target = part,
    }
}

/// `path` with its `.` and `..` parts resolved by name (the file system is not asked).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The project's overrides (`spec/overrides.yaml`), some of which correct the spec's examples.
pub fn overrides() -> codegen::overrides::Overrides {
    let path = repo_root().join("spec/overrides.yaml");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    codegen::overrides::Overrides::parse("spec/overrides.yaml", &text)
        .unwrap_or_else(|err| panic!("{err}"))
}

/// An example of the spec read with [`load_example`], with the overrides for its file applied.
pub fn load_spec_example(
    spec: &Path,
    path: &Path,
    overrides: &codegen::overrides::Overrides,
) -> Result<Value, String> {
    let mut value = load_example(path)?;
    let data = spec.join("data");
    let relative = path
        .strip_prefix(&data)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    overrides.apply(&relative, &mut value);
    Ok(value)
}

/// The example files of `event-schemas/examples` (the top-level `.yaml` files; the `.json`
/// files and `core/` are bases that examples refer to), sorted.
pub fn event_examples(spec: &Path) -> Vec<PathBuf> {
    let dir = spec.join("data/event-schemas/examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.expect("readable folder").path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// The schema an example belongs to: its own stem when a schema of that name exists
/// (`m.room.message$m.text`), else the stem without its `$label` (`m.room.member$third_party_invite`).
pub fn schema_for_example(example: &Path, has_schema: impl Fn(&str) -> bool) -> Option<String> {
    let stem = example.file_stem()?.to_str()?;
    if has_schema(stem) {
        return Some(stem.to_owned());
    }
    let base = stem.split('$').next()?;
    has_schema(base).then(|| base.to_owned())
}

/// Describes how two JSON values differ, path by path; empty when they are equal.
pub fn json_diff(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff_at("", expected, actual, &mut out);
    out
}

fn diff_at(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => diff_at(&format!("{path}/{key}"), value, other, out),
                    None => out.push(format!("{path}/{key}: lost ({value})")),
                }
            }
            for (key, value) in b {
                if !a.contains_key(key) {
                    out.push(format!("{path}/{key}: added ({value})"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                diff_at(&format!("{path}/{index}"), x, y, out);
            }
        }
        _ if expected == actual => {}
        _ => out.push(format!("{path}: {expected} became {actual}")),
    }
}

/// The room event envelope of the spec's own `examples/core/room_event.json` (`event_id`,
/// `room_id`, `sender`, `origin_server_ts`, `unsigned`): what an example lacks of a full room
/// event is filled in from it.
pub fn room_event_envelope(spec: &Path) -> Map<String, Value> {
    let path = spec.join("data/event-schemas/examples/core/room_event.json");
    match load_example(&path) {
        Ok(Value::Object(mut envelope)) => {
            envelope.remove("type");
            envelope.remove("content");
            envelope
        }
        Ok(other) => panic!("{}: not an object: {other}", path.display()),
        Err(err) => panic!("{err}"),
    }
}

/// An event example in the form the `Any…` enum `enum_name` reads: for the full room event
/// enums (`AnyStateEvent`, `AnyMessageLikeEvent`, `AnyTimelineEvent`) with the `envelope`
/// fields it lacks filled in (and `state_key: ""` for a state event without one); for the
/// `AnySync…` enums the same without `room_id`; for `AnyStrippedStateEvent` only `type`,
/// `state_key`, `sender` and `content`; for every other enum the example as written.
pub fn event_form(
    example: &Value,
    enum_name: &str,
    is_state: bool,
    envelope: &Map<String, Value>,
) -> Value {
    let Value::Object(fields) = example else {
        return example.clone();
    };
    let mut full = fields.clone();
    for (key, value) in envelope {
        if !full.contains_key(key) {
            full.insert(key.clone(), value.clone());
        }
    }
    if is_state && !full.contains_key("state_key") {
        full.insert("state_key".to_owned(), Value::String(String::new()));
    }
    match enum_name {
        "AnyStateEvent" | "AnyMessageLikeEvent" | "AnyTimelineEvent" => Value::Object(full),
        "AnySyncStateEvent" | "AnySyncMessageLikeEvent" | "AnySyncTimelineEvent" => {
            full.remove("room_id");
            Value::Object(full)
        }
        "AnyStrippedStateEvent" => Value::Object(
            ["type", "state_key", "sender", "content"]
                .into_iter()
                .filter_map(|key| Some((key.to_owned(), full.get(key)?.clone())))
                .collect(),
        ),
        _ => example.clone(),
    }
}

/// The name of the `Any…` variant for an event type: `m.room.member` -> `RoomMember`,
/// `m.room_key.withheld` -> `RoomKeyWithheld` (and so for `msgtype`s: `m.text` -> `Text`).
pub fn variant_name(event_type: &str) -> String {
    let name = event_type.strip_prefix("m.").unwrap_or(event_type);
    name.split(['.', '_'])
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// The variants a value's `Debug` text shows it to be, outermost first:
/// `State(RoomMember(SyncRoomMemberEvent { .. }))` -> `["State", "RoomMember"]`.
pub fn debug_variants(debug: &str) -> Vec<&str> {
    debug
        .split('(')
        .take_while(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
        .collect()
}

/// What reading a value through an `Any…` enum gave.
pub struct AnyOutcome {
    /// The variants its `Debug` shows, outermost first (`["State", "RoomMember"]`).
    pub variants: Vec<String>,
    /// What its `event_type()` says.
    pub event_type: String,
    /// The value written back.
    pub written: Value,
}

/// [`read_any`], requiring that `value` reads as the `expected` variants and is written back
/// equal to itself.
pub fn read_any_losslessly(
    enum_name: &str,
    value: &Value,
    expected: &[String],
) -> Result<AnyOutcome, String> {
    let outcome = read_any(enum_name, value)
        .ok_or_else(|| format!("{enum_name} is not known to this test"))??;
    if outcome.variants != expected {
        return Err(format!(
            "read as {} instead of {}",
            outcome.variants.join("::"),
            expected.join("::")
        ));
    }
    if outcome.written != *value {
        return Err(format!(
            "written back differently: {}",
            json_diff(value, &outcome.written).join("; ")
        ));
    }
    Ok(outcome)
}

/// Reads `value` through the `Any…` enum named `enum_name` with its `from_value` and writes
/// it back; `None` for an enum this helper does not know.
pub fn read_any(enum_name: &str, value: &Value) -> Option<Result<AnyOutcome, String>> {
    use matrix_types::events;
    macro_rules! enums {
        ($($name:ident),* $(,)?) => {
            match enum_name {
                $(stringify!($name) => Some(
                    events::$name::from_value(value.clone())
                        .map_err(|err| format!("does not read: {err}"))
                        .and_then(|event| {
                            let debug = format!("{event:?}");
                            Ok(AnyOutcome {
                                variants: debug_variants(&debug)
                                    .into_iter()
                                    .map(str::to_owned)
                                    .collect(),
                                event_type: event.event_type().to_owned(),
                                written: serde_json::to_value(&event)
                                    .map_err(|err| format!("does not write: {err}"))?,
                            })
                        }),
                ),)*
                _ => None,
            }
        };
    }
    enums!(
        AnyEphemeralRoomEvent,
        AnyGlobalAccountDataEvent,
        AnyMessageLikeEvent,
        AnyRoomAccountDataEvent,
        AnyStateEvent,
        AnyStrippedStateEvent,
        AnySyncMessageLikeEvent,
        AnySyncStateEvent,
        AnySyncTimelineEvent,
        AnyTimelineEvent,
        AnyToDeviceEvent,
    )
}

/// The spec's API descriptions (the OpenAPI files under `data/api/`): the operations they
/// describe and their inline examples, each with the schema it illustrates, so that the
/// generated API types can be checked against the spec's own examples.
///
/// The walk follows the structure of the descriptions (OpenAPI 3.1; the Swagger 2.0 ones of
/// releases before v1.8 are read in that shape, as the generator reads them) rather than looking for `example` keys anywhere, because example
/// data and property names may hold such keys too; [`Found::unreached`] lists the `example`
/// keys a blunt scan sees that the walk did not reach, so a shape the walk does not know shows
/// up as a failure instead of as fewer examples.
pub mod api {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    use serde_json::Value;

    use super::{normalize, resolve_example_data};
    use codegen::overrides::Overrides;

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
            let entries =
                std::fs::read_dir(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
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
        let relative = normalize(path)
            .strip_prefix(normalize(data_dir))
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| path.to_string_lossy().into_owned());
        let text =
            std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
        codegen::load::read_document(&relative, &text, overrides, &|_| true)
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
            let mut walk = Walk {
                file,
                data_dir,
                documents: &documents,
                found: &mut found,
                read: &mut read,
                reached: BTreeSet::new(),
            };
            if document.get("paths").is_some() {
                walk.description(document);
            } else {
                walk.schema("", document, Place::Schema, None);
            }
            let reached = std::mem::take(&mut walk.reached);
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

    /// Keys whose values map names (of properties, paths, status codes, media types, …) to
    /// objects: an `example` among those names is a name, not an example.
    const NAME_MAPS: &[&str] = &[
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "paths",
        "responses",
        "content",
        "headers",
        "schemas",
        "parameters",
        "requestBodies",
        "securitySchemes",
        "securityDefinitions",
        "callbacks",
        "links",
        "pathItems",
        "encoding",
        "variables",
    ];

    /// Collects the pointers of every `example`/`examples` key of `node`, bluntly: not inside
    /// extensions (`x-*`), data (`enum`, `default`, `const`, examples themselves), `info` or
    /// `servers`, nor the store of shared Example Objects (`components/examples`, checked
    /// where a `$ref` uses them).
    fn scan(pointer: &str, node: &Value, names: bool, out: &mut Vec<String>) {
        match node {
            Value::Object(map) => {
                for (key, value) in map {
                    let at = child(pointer, key);
                    if names {
                        scan(&at, value, false, out);
                        continue;
                    }
                    let skipped = key.starts_with("x-")
                        || matches!(key.as_str(), "enum" | "default" | "const")
                        || (pointer.is_empty() && matches!(key.as_str(), "info" | "servers"))
                        || (pointer == "/components" && key == "examples");
                    if skipped {
                        continue;
                    }
                    if key == "example" || key == "examples" {
                        out.push(at);
                        continue;
                    }
                    scan(&at, value, NAME_MAPS.contains(&key.as_str()), out);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    scan(&child(pointer, &index.to_string()), item, false, out);
                }
            }
            _ => {}
        }
    }

    /// The walk of one file.
    struct Walk<'a, 'r> {
        file: &'a str,
        data_dir: &'a Path,
        documents: &'a BTreeMap<String, Value>,
        found: &'a mut Found,
        read: &'a mut super::ExampleReader<'r>,
        /// The `example`/`examples` keys reached.
        reached: BTreeSet<String>,
    }

    /// The object entries of `node[key]`, if it is an object.
    fn entries<'v>(node: &'v Value, key: &str) -> impl Iterator<Item = (&'v String, &'v Value)> {
        node.get(key)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
    }

    impl Walk<'_, '_> {
        /// An API description: its paths and its components.
        fn description(&mut self, document: &Value) {
            for (path, item) in entries(document, "paths") {
                let at = child("/paths", path);
                for (key, node) in item.as_object().into_iter().flatten() {
                    if key == "parameters" {
                        self.parameter_list(&child(&at, key), node);
                    } else if METHODS.contains(&key.as_str()) {
                        self.found.operations.insert((
                            self.file.to_owned(),
                            key.clone(),
                            path.clone(),
                        ));
                        self.operation(&child(&at, key), node);
                    }
                }
            }
            let components = document.get("components").unwrap_or(&Value::Null);
            for (name, node) in entries(components, "schemas") {
                self.schema(
                    &child("/components/schemas", name),
                    node,
                    Place::Schema,
                    None,
                );
            }
            for (name, node) in entries(components, "parameters") {
                self.parameter(&child("/components/parameters", name), node);
            }
            for (name, node) in entries(components, "headers") {
                self.parameter(&child("/components/headers", name), node);
            }
            for (name, node) in entries(components, "requestBodies") {
                self.request_body(&child("/components/requestBodies", name), node);
            }
            for (name, node) in entries(components, "responses") {
                self.response(&child("/components/responses", name), node);
            }
        }

        fn operation(&mut self, at: &str, node: &Value) {
            if let Some(list) = node.get("parameters") {
                self.parameter_list(&child(at, "parameters"), list);
            }
            if let Some(body) = node.get("requestBody") {
                self.request_body(&child(at, "requestBody"), body);
            }
            for (code, response) in entries(node, "responses") {
                self.response(&child(&child(at, "responses"), code), response);
            }
        }

        fn parameter_list(&mut self, at: &str, list: &Value) {
            for (index, parameter) in list.as_array().into_iter().flatten().enumerate() {
                self.parameter(&child(at, &index.to_string()), parameter);
            }
        }

        /// A parameter or header object (a `$ref` to one is walked where it is defined). Its
        /// examples illustrate its `schema`.
        fn parameter(&mut self, at: &str, node: &Value) {
            if node.get("$ref").is_some() {
                return;
            }
            let place = Place::Parameter;
            let schema = child(at, "schema");
            self.examples(at, node, &schema, place, None);
            if let Some(node) = node.get("schema") {
                self.schema(&schema, node, place, None);
            }
            for (media_type, node) in entries(node, "content") {
                let at = child(&child(at, "content"), media_type);
                self.media_type(&at, media_type, node, place);
            }
        }

        fn request_body(&mut self, at: &str, node: &Value) {
            if node.get("$ref").is_some() {
                return;
            }
            for (media_type, node) in entries(node, "content") {
                let at = child(&child(at, "content"), media_type);
                self.media_type(&at, media_type, node, Place::RequestBody);
            }
        }

        /// A response: its media types and headers.
        fn response(&mut self, at: &str, node: &Value) {
            if node.get("$ref").is_some() {
                return;
            }
            for (media_type, node) in entries(node, "content") {
                let at = child(&child(at, "content"), media_type);
                self.media_type(&at, media_type, node, Place::Response);
            }
            for (name, node) in entries(node, "headers") {
                self.parameter(&child(&child(at, "headers"), name), node);
            }
        }

        /// A media type object: its examples illustrate its `schema`.
        fn media_type(&mut self, at: &str, media_type: &str, node: &Value, place: Place) {
            let non_json = (!is_json(media_type)).then_some(media_type);
            let schema = child(at, "schema");
            self.examples(at, node, &schema, place, non_json);
            if let Some(node) = node.get("schema") {
                self.schema(&schema, node, place, non_json);
            }
        }

        /// The `example` and `examples` (Example Objects by name) of the media type,
        /// parameter or header at `at`, which illustrate the schema at `schema`.
        fn examples(
            &mut self,
            at: &str,
            node: &Value,
            schema: &str,
            place: Place,
            non_json: Option<&str>,
        ) {
            if let Some(value) = node.get("example") {
                let example_at = child(at, "example");
                self.reached.insert(example_at.clone());
                let value = Ok((value.clone(), self.file.to_owned()));
                self.push(schema, &example_at, place, false, non_json, value);
            }
            let Some(examples) = node.get("examples") else {
                return;
            };
            let examples_at = child(at, "examples");
            self.reached.insert(examples_at.clone());
            let Some(examples) = examples.as_object() else {
                let value = Err("`examples` must map names to Example Objects".to_owned());
                self.push(schema, &examples_at, place, false, non_json, value);
                return;
            };
            for (name, example) in examples {
                let value = self.example_object(example, self.file, 0);
                let example_at = child(&examples_at, name);
                self.push(schema, &example_at, place, false, non_json, value);
            }
        }

        /// The `value` of an Example Object (following a `$ref` to one, as in
        /// `$ref: '#/components/examples/response'`), with the file it is written in.
        fn example_object(
            &self,
            example: &Value,
            file: &str,
            depth: usize,
        ) -> Result<(Value, String), String> {
            if let Some(reference) = example.get("$ref").and_then(Value::as_str) {
                if depth >= 8 {
                    return Err(format!("`$ref: {reference}` nests too deep (a cycle?)"));
                }
                let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
                let target = if path.is_empty() {
                    Some(file.to_owned())
                } else {
                    codegen::load::join_relative(file, path)
                };
                let node = target
                    .as_ref()
                    .and_then(|target| self.documents.get(target))
                    .and_then(|document| document.pointer(fragment))
                    .ok_or_else(|| format!("`$ref: {reference}` names no Example Object"))?;
                return self.example_object(node, target.as_deref().unwrap_or(file), depth + 1);
            }
            if let Some(value) = example.get("value") {
                return Ok((value.clone(), file.to_owned()));
            }
            if example.get("externalValue").is_some() {
                return Err("an Example Object's `externalValue` is not read".to_owned());
            }
            Err("an Example Object without `value`".to_owned())
        }

        /// A schema: its own `example` (and `examples` list), then its subschemas (a `$ref`
        /// is not followed: what it names is walked in its own file).
        fn schema(&mut self, at: &str, node: &Value, place: Place, non_json: Option<&str>) {
            let Some(map) = node.as_object() else {
                return;
            };
            if let Some(value) = map.get("example") {
                let example_at = child(at, "example");
                self.reached.insert(example_at.clone());
                let value = Ok((value.clone(), self.file.to_owned()));
                self.push(at, &example_at, place, true, non_json, value);
            }
            if let Some(examples) = map.get("examples") {
                let examples_at = child(at, "examples");
                self.reached.insert(examples_at.clone());
                match examples.as_array() {
                    Some(items) => {
                        for (index, value) in items.iter().enumerate() {
                            let value = Ok((value.clone(), self.file.to_owned()));
                            let example_at = child(&examples_at, &index.to_string());
                            self.push(at, &example_at, place, true, non_json, value);
                        }
                    }
                    None => {
                        let value = Err("a schema's `examples` must be a list".to_owned());
                        self.push(at, &examples_at, place, true, non_json, value);
                    }
                }
            }
            for (key, value) in map {
                let key_at = child(at, key);
                match key.as_str() {
                    "properties" | "patternProperties" | "$defs" | "definitions"
                    | "dependentSchemas" => {
                        for (name, node) in value.as_object().into_iter().flatten() {
                            self.schema(&child(&key_at, name), node, place, non_json);
                        }
                    }
                    "allOf" | "anyOf" | "oneOf" | "prefixItems" | "items" if value.is_array() => {
                        for (index, node) in value.as_array().into_iter().flatten().enumerate() {
                            let at = child(&key_at, &index.to_string());
                            self.schema(&at, node, place, non_json);
                        }
                    }
                    "items"
                    | "additionalProperties"
                    | "additionalItems"
                    | "not"
                    | "if"
                    | "then"
                    | "else"
                    | "contains"
                    | "propertyNames"
                    | "unevaluatedItems"
                    | "unevaluatedProperties" => {
                        self.schema(&key_at, value, place, non_json);
                    }
                    _ => {}
                }
            }
        }

        /// Records an example (resolving the `$ref`s and `allOf`s of its data), or a non-JSON
        /// one when `non_json` names its media type.
        fn push(
            &mut self,
            schema: &str,
            at: &str,
            place: Place,
            schema_level: bool,
            non_json: Option<&str>,
            value: Result<(Value, String), String>,
        ) {
            if let Some(media_type) = non_json {
                self.found.non_json.push((
                    self.file.to_owned(),
                    at.to_owned(),
                    media_type.to_owned(),
                ));
                return;
            }
            let value = value.and_then(|(value, written_in)| {
                let path: PathBuf = self.data_dir.join(written_in);
                resolve_example_data(value, &path, self.read)
            });
            self.found.examples.push(Example {
                file: self.file.to_owned(),
                schema: schema.to_owned(),
                at: at.to_owned(),
                place,
                schema_level,
                value,
            });
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use serde_json::json;

        /// A spec `data/` folder with the given files, removed when dropped.
        struct TempData(PathBuf);

        impl TempData {
            fn new(name: &str, files: &[(&str, &str)]) -> Self {
                let dir = std::env::temp_dir()
                    .join(format!("api-examples-{name}-{}", std::process::id()));
                let _ = std::fs::remove_dir_all(&dir);
                for (file, text) in files {
                    let path = dir.join(file);
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(path, text).unwrap();
                }
                TempData(dir)
            }

            fn find(&self) -> Found {
                find(&self.0, &Overrides::default()).unwrap()
            }
        }

        impl Drop for TempData {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }

        /// (schema pointer, example pointer, place, schema-level, value) of each example of
        /// `file`, sorted.
        fn summary(found: &Found, file: &str) -> Vec<(String, String, Place, bool, Value)> {
            let mut out: Vec<_> = found
                .examples
                .iter()
                .filter(|e| e.file == file)
                .map(|e| {
                    let value = e
                        .value
                        .clone()
                        .unwrap_or_else(|err| json!({ "error": err }));
                    (
                        e.schema.clone(),
                        e.at.clone(),
                        e.place,
                        e.schema_level,
                        value,
                    )
                })
                .collect();
            out.sort_by(|a, b| a.1.cmp(&b.1));
            out
        }

        /// `entries` sorted as [`summary`] sorts them.
        fn sorted<const N: usize>(
            mut entries: [(String, String, Place, bool, Value); N],
        ) -> Vec<(String, String, Place, bool, Value)> {
            entries.sort_by(|a, b| a.1.cmp(&b.1));
            entries.into()
        }

        fn entry(
            schema: &str,
            at: &str,
            place: Place,
            schema_level: bool,
            value: Value,
        ) -> (String, String, Place, bool, Value) {
            (schema.to_owned(), at.to_owned(), place, schema_level, value)
        }

        const API: &str = r##"
openapi: 3.1.0
info: {title: t, version: "1", x-note: {example: 1}}
servers: [{url: "/x", example: 2}]
paths:
  "/a/{id}":
    parameters:
      - {in: path, name: id, schema: {type: string}, example: "p1"}
    summary: not an operation
    get:
      parameters:
        - $ref: "#/components/parameters/limit"
        - in: query
          name: q
          schema: {type: string}
          examples: {one: {value: "q1"}}
      responses:
        200:
          description: ok
          headers:
            X-H: {schema: {type: integer, example: 7}}
          content:
            application/json:
              schema:
                type: object
                properties:
                  example: {type: string, example: "named example"}
                  list: {type: array, items: {type: integer, example: 3}}
                x-ignored: {example: 0}
              examples:
                response: {$ref: "#/components/examples/shared"}
                inline: {value: {example: "data, not an example", list: [1]}}
            image/png:
              schema: {type: string, example: "binary"}
              example: "png bytes"
        404: {$ref: "#/components/responses/missing"}
    put:
      requestBody:
        content:
          application/json:
            schema:
              allOf:
                - {type: object, example: {a: 1}}
              enum: [{example: 9}]
            example: {b: 2}
      responses: {}
      callbacks: {cb: {"/x": {post: {requestBody: {content: {application/json: {example: 5}}}}}}}
  /b:
    delete: {}
    x-custom: {}
components:
  parameters:
    limit: {in: query, name: limit, schema: {type: integer}, example: 10}
  responses:
    missing:
      content:
        application/json:
          schema: {$ref: "definitions/error.yaml"}
          example: {errcode: M_NOT_FOUND}
  schemas:
    Thing: {type: object, example: {t: 1}}
  examples:
    shared: {value: {shared: true}}
  securitySchemes:
    token: {type: http, scheme: bearer}
"##;

        const DEFINITION: &str = r##"
type: object
example: {top: 1}
properties:
  content:
    type: object
    example: {membership: join}
  nested:
    allOf:
      - $ref: other.yaml
      - type: object
        properties:
          deep: {type: array, items: {anyOf: [{type: string, example: s}]}}
  map:
    type: object
    additionalProperties: {type: object, examples: [{k: 1}, {k: 2}]}
"##;

        #[test]
        fn finds_examples_and_operations_of_an_openapi_description() {
            let data = TempData::new(
                "openapi",
                &[
                    ("api/cs/a.yaml", API),
                    ("api/cs/definitions/thing.yaml", DEFINITION),
                    ("api/cs/definitions/security.yaml", "token: {type: http}\n"),
                    ("api/cs/examples/skipped.json", r#"{"example": 1}"#),
                    ("other/outside.yaml", "example: 1\n"),
                ],
            );
            let found = data.find();
            assert_eq!(
                found.files,
                [
                    "api/cs/a.yaml",
                    "api/cs/definitions/security.yaml",
                    "api/cs/definitions/thing.yaml"
                ]
            );
            let ops: Vec<_> = found.operations.iter().cloned().collect();
            let op = |m: &str, p: &str| ("api/cs/a.yaml".to_owned(), m.to_owned(), p.to_owned());
            assert_eq!(
                ops,
                [
                    op("delete", "/b"),
                    op("get", "/a/{id}"),
                    op("put", "/a/{id}")
                ]
            );

            let a = "/paths/~1a~1{id}";
            let ok = "/paths/~1a~1{id}/get/responses/200";
            let json = format!("{ok}/content/application~1json");
            let put = "/paths/~1a~1{id}/put/requestBody/content/application~1json";
            let missing = "/components/responses/missing/content/application~1json";
            let in_a = summary(&found, "api/cs/a.yaml");
            use Place::*;
            assert_eq!(
                in_a,
                sorted([
                    entry(
                        &format!("{a}/parameters/0/schema"),
                        &format!("{a}/parameters/0/example"),
                        Parameter,
                        false,
                        json!("p1")
                    ),
                    entry(
                        &format!("{a}/get/parameters/1/schema"),
                        &format!("{a}/get/parameters/1/examples/one"),
                        Parameter,
                        false,
                        json!("q1")
                    ),
                    entry(
                        &format!("{json}/schema"),
                        &format!("{json}/examples/inline"),
                        Response,
                        false,
                        json!({"example": "data, not an example", "list": [1]})
                    ),
                    entry(
                        &format!("{json}/schema"),
                        &format!("{json}/examples/response"),
                        Response,
                        false,
                        json!({"shared": true})
                    ),
                    entry(
                        &format!("{json}/schema/properties/example"),
                        &format!("{json}/schema/properties/example/example"),
                        Response,
                        true,
                        json!("named example")
                    ),
                    entry(
                        &format!("{json}/schema/properties/list/items"),
                        &format!("{json}/schema/properties/list/items/example"),
                        Response,
                        true,
                        json!(3)
                    ),
                    entry(
                        &format!("{ok}/headers/X-H/schema"),
                        &format!("{ok}/headers/X-H/schema/example"),
                        Parameter,
                        true,
                        json!(7)
                    ),
                    entry(
                        &format!("{put}/schema"),
                        &format!("{put}/example"),
                        RequestBody,
                        false,
                        json!({"b": 2})
                    ),
                    entry(
                        &format!("{put}/schema/allOf/0"),
                        &format!("{put}/schema/allOf/0/example"),
                        RequestBody,
                        true,
                        json!({"a": 1})
                    ),
                    entry(
                        "/components/schemas/Thing",
                        "/components/schemas/Thing/example",
                        Schema,
                        true,
                        json!({"t": 1})
                    ),
                    entry(
                        "/components/parameters/limit/schema",
                        "/components/parameters/limit/example",
                        Parameter,
                        false,
                        json!(10)
                    ),
                    entry(
                        &format!("{missing}/schema"),
                        &format!("{missing}/example"),
                        Response,
                        false,
                        json!({"errcode": "M_NOT_FOUND"})
                    ),
                ])
            );
            let png = format!("{ok}/content/image~1png");
            assert_eq!(
                found.non_json,
                [
                    (
                        "api/cs/a.yaml".to_owned(),
                        format!("{png}/example"),
                        "image/png".to_owned()
                    ),
                    (
                        "api/cs/a.yaml".to_owned(),
                        format!("{png}/schema/example"),
                        "image/png".to_owned()
                    ),
                ]
            );
            // The example in a callback is in a place the walk does not know.
            assert_eq!(
                found.unreached,
                [(
                    "api/cs/a.yaml".to_owned(),
                    "/paths/~1a~1{id}/put/callbacks/cb/~1x/post/requestBody/content/application~1json/example".to_owned()
                )]
            );

            let definition = summary(&found, "api/cs/definitions/thing.yaml");
            use Place::Schema as S;
            let deep = "/properties/nested/allOf/1/properties/deep/items/anyOf/0";
            assert_eq!(
                definition,
                sorted([
                    entry("", "/example", S, true, json!({"top": 1})),
                    entry(
                        "/properties/content",
                        "/properties/content/example",
                        S,
                        true,
                        json!({"membership": "join"})
                    ),
                    entry(
                        "/properties/map/additionalProperties",
                        "/properties/map/additionalProperties/examples/0",
                        S,
                        true,
                        json!({"k": 1})
                    ),
                    entry(
                        "/properties/map/additionalProperties",
                        "/properties/map/additionalProperties/examples/1",
                        S,
                        true,
                        json!({"k": 2})
                    ),
                    entry(deep, &format!("{deep}/example"), S, true, json!("s")),
                ])
            );
        }

        #[test]
        fn resolves_refs_and_all_of_in_example_data() {
            let data = TempData::new(
                "refs",
                &[
                    (
                        "api/ss/send.yaml",
                        r#"
openapi: 3.1.0
paths:
  /send:
    put:
      responses:
        200:
          content:
            application/json:
              schema:
                type: object
                properties:
                  pdu: {type: object, example: {$ref: examples/pdu.json}}
                  state: {type: array, example: {$ref: "./examples/state.json"}}
              examples:
                response:
                  value:
                    event: {$ref: "../../events/examples/m.room.member.yaml", room_id: "!r"}
                    missing: {$ref: examples/nope.json}
"#,
                    ),
                    (
                        "api/ss/examples/pdu.json",
                        r#"{"allOf": [{"$ref": "parts/base.json"}, {"content": {"b": 2}, "depth": 3}, {"list": [9]}]}"#,
                    ),
                    (
                        "api/ss/examples/parts/base.json",
                        r#"{"content": {"a": 1, "b": 1}, "depth": 1, "list": [1, 2]}"#,
                    ),
                    (
                        "api/ss/examples/state.json",
                        r#"[{"$ref": "./parts/base.json"}, {"type": "x"}]"#,
                    ),
                    (
                        "events/examples/m.room.member.yaml",
                        r#"{"$ref": "core/state.json", "content": {"membership": "join"}}"#,
                    ),
                    (
                        "events/examples/core/state.json",
                        r#"{"type": "m.room.member", "state_key": "@a:x", "content": {"other": 1}}"#,
                    ),
                ],
            );
            let found = data.find();
            let values: BTreeMap<&str, Result<Value, String>> = found
                .examples
                .iter()
                .map(|e| (e.at.rsplit('/').nth(1).unwrap(), e.value.clone()))
                .collect();
            assert_eq!(
                values["pdu"],
                Ok(json!({"content": {"a": 1, "b": 2}, "depth": 3, "list": [9]}))
            );
            assert_eq!(
                values["state"],
                Ok(
                    json!([{"content": {"a": 1, "b": 1}, "depth": 1, "list": [1, 2]}, {"type": "x"}])
                )
            );
            let response = values["examples"].as_ref().unwrap_err();
            assert!(response.contains("nope.json"), "{response}");
            assert!(found.unreached.is_empty(), "{:?}", found.unreached);
        }

        #[test]
        fn event_refs_from_api_examples_merge_shallowly() {
            let data = TempData::new(
                "event-ref",
                &[
                    (
                        "api/cs/rooms.yaml",
                        r#"
openapi: 3.1.0
paths:
  /event:
    get:
      responses:
        200:
          content:
            application/json:
              examples:
                response:
                  value: {$ref: "../../events/examples/m.room.member.yaml", room_id: "!r"}
"#,
                    ),
                    (
                        "events/examples/m.room.member.yaml",
                        r#"{"$ref": "core/state.json", "content": {"membership": "join"}}"#,
                    ),
                    (
                        "events/examples/core/state.json",
                        r#"{"type": "m.room.member", "state_key": "@a:x", "content": {"other": 1}}"#,
                    ),
                ],
            );
            let found = data.find();
            assert_eq!(found.examples.len(), 1);
            assert_eq!(
                found.examples[0].value,
                Ok(json!({"type": "m.room.member", "state_key": "@a:x",
                          "content": {"membership": "join"}, "room_id": "!r"}))
            );
        }

        #[test]
        fn finds_examples_of_swagger_2_descriptions() {
            let data = TempData::new(
                "swagger",
                &[(
                    "api/cs/old.yaml",
                    r#"
swagger: '2.0'
securityDefinitions: {token: {type: apiKey}}
paths:
  /old:
    post:
      parameters:
        - {in: path, name: id, type: string, x-example: "checked"}
        - in: body
          name: body
          schema: {type: object, example: {req: 1}}
      responses:
        200:
          schema: {type: object, properties: {n: {type: integer, example: 1}}}
          examples:
            application/json: {res: 1}
            text/plain: "text"
"#,
                )],
            );
            let found = data.find();
            // Read as the generator reads it: converted to OpenAPI 3.1 (`codegen::swagger`),
            // so the places are those of the converted document.
            let id = "/paths/~1old/post/parameters/0";
            let body = "/paths/~1old/post/requestBody/content/application~1json/schema";
            let json = "/paths/~1old/post/responses/200/content/application~1json";
            let text = "/paths/~1old/post/responses/200/content/text~1plain";
            assert_eq!(
                summary(&found, "api/cs/old.yaml"),
                sorted([
                    entry(
                        &format!("{id}/schema"),
                        &format!("{id}/example"),
                        Place::Parameter,
                        false,
                        json!("checked")
                    ),
                    entry(
                        body,
                        &format!("{body}/example"),
                        Place::RequestBody,
                        true,
                        json!({"req": 1})
                    ),
                    entry(
                        &format!("{json}/schema/properties/n"),
                        &format!("{json}/schema/properties/n/example"),
                        Place::Response,
                        true,
                        json!(1)
                    ),
                    entry(
                        &format!("{json}/schema"),
                        &format!("{json}/example"),
                        Place::Response,
                        false,
                        json!({"res": 1})
                    ),
                ])
            );
            assert_eq!(
                found.non_json,
                [(
                    "api/cs/old.yaml".to_owned(),
                    format!("{text}/example"),
                    "text/plain".to_owned()
                )]
            );
            assert!(found.unreached.is_empty(), "{:?}", found.unreached);
            assert_eq!(found.operations.len(), 1);
        }

        #[test]
        fn pointers_escape_and_media_types_classify() {
            assert_eq!(child("", "paths"), "/paths");
            assert_eq!(child("/paths", "/a~b/{c}"), "/paths/~1a~0b~1{c}");
            assert!(is_json("application/json"));
            assert!(is_json("application/json; charset=utf-8"));
            assert!(is_json("application/problem+json"));
            assert!(!is_json("image/png"));
            assert!(!is_json("multipart/mixed"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn example_refs_merge_shallowly_and_replace_nested_data() {
        let dir = std::env::temp_dir().join(format!("example-refs-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("core")).unwrap();
        std::fs::write(
            dir.join("core/base.json"),
            r#"{"a": 1, "content": {"x": 1}, "keep": true}"#,
        )
        .unwrap();
        std::fs::write(
            dir.join("core/mid.json"),
            r#"{"$ref": "base.json", "a": 2}"#,
        )
        .unwrap();
        std::fs::write(dir.join("list.json"), r#"[{"k": 1}]"#).unwrap();
        std::fs::write(
            dir.join("ex.yaml"),
            r#"{"$ref": "core/mid.json", "content": {"y": 2, "nested": {"$ref": "list.json"}}}"#,
        )
        .unwrap();
        let value = load_example(&dir.join("ex.yaml")).unwrap();
        assert_eq!(
            value,
            json!({"a": 2, "keep": true, "content": {"y": 2, "nested": [{"k": 1}]}})
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn example_names_map_to_schemas() {
        let known =
            |s: &str| ["m.room.member", "m.room.message$m.text", "m.room.message"].contains(&s);
        let schema = |name: &str| schema_for_example(Path::new(name), known);
        assert_eq!(
            schema("m.room.message$m.text.yaml").as_deref(),
            Some("m.room.message$m.text")
        );
        assert_eq!(
            schema("m.room.member$invite_room_state.yaml").as_deref(),
            Some("m.room.member")
        );
        assert_eq!(schema("m.unknown.yaml"), None);
    }

    #[test]
    fn event_forms_and_variant_names() {
        let envelope = json!({"event_id": "$e", "room_id": "!r:x", "sender": "@s:x"});
        let envelope = envelope.as_object().unwrap();
        let example = json!({"type": "m.room.name", "sender": "@a:x", "content": {"name": "n"}});
        assert_eq!(
            event_form(&example, "AnyStateEvent", true, envelope),
            json!({"type": "m.room.name", "sender": "@a:x", "content": {"name": "n"},
                   "event_id": "$e", "room_id": "!r:x", "state_key": ""})
        );
        assert_eq!(
            event_form(&example, "AnySyncMessageLikeEvent", false, envelope),
            json!({"type": "m.room.name", "sender": "@a:x", "content": {"name": "n"},
                   "event_id": "$e"})
        );
        assert_eq!(
            event_form(&example, "AnyStrippedStateEvent", true, envelope),
            json!({"type": "m.room.name", "sender": "@a:x", "content": {"name": "n"},
                   "state_key": ""})
        );
        assert_eq!(
            event_form(&example, "AnyToDeviceEvent", false, envelope),
            example
        );
        assert_eq!(variant_name("m.room_key.withheld"), "RoomKeyWithheld");
        assert_eq!(
            variant_name("m.key.verification.request"),
            "KeyVerificationRequest"
        );
        assert_eq!(
            debug_variants("State(RoomMember(SyncRoomMemberEvent { x: Join }))"),
            vec!["State", "RoomMember"]
        );
        assert_eq!(
            debug_variants("Unknown(UnknownEvent { a: 1 })"),
            vec!["Unknown"]
        );
    }

    #[test]
    fn diff_names_lost_added_and_changed_values() {
        let diff = json_diff(&json!({"a": 0, "b": {"c": 1}}), &json!({"a": 0.0, "d": 2}));
        assert_eq!(
            diff,
            vec!["/a: 0 became 0.0", "/b: lost ({\"c\":1})", "/d: added (2)"]
        );
    }
}

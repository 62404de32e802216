//! The generated types against a JSON Schema validator (the `jsonschema` crate) on the spec's
//! own schemas, as an oracle: every event example of the spec, and mutations of it, must be
//! accepted or rejected by its generated type exactly as the validator accepts or rejects
//! it, unless the disagreement is listed, with its reason, under `conformance` in
//! `spec/overrides.yaml`.
//!
//! The mutations of an example (each at every place it applies):
//!
//! - `drop`: a key of an object removed (required or not: the validator tells which);
//! - `add_key`: the key `org.example.unknown` (with a string value) added to an object;
//! - `type:<t>`: a value replaced by one of another JSON type `t` (`null`, `boolean`,
//!   `integer`, `number` (with a fraction), `string`, `array`, `object`);
//! - `unknown_enum`: a string that some `enum` or `const` of the event's schemas lists
//!   replaced by `org.example.unknown`;
//! - `bad_identifier`: a string that starts like an identifier (`@`, `!`, `$`, `#`, `mxc://`)
//!   replaced by that start alone, which the schemas' `pattern`s allow but no identifier
//!   grammar does;
//! - `big_integer`: an integer replaced by 2^63, one past `i64::MAX` (JSON Schema sets no
//!   bound; the spec's `format: int64` is an annotation).
//!
//! The schemas are read the way the generator reads them (`codegen::load`, with the overrides
//! of `spec/overrides.yaml` applied), and their `$ref`s are resolved from the spec's files on
//! disk by this test, never over the network. An input the generated type accepts must also
//! be written back as the same JSON.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use codegen::load::Documents;
use codegen::overrides::ConformanceEntry;
use jsonschema::{Draft, Retrieve, Uri, Validator};
use matrix_types::schema_index;
use serde_json::{json, Value};
use tests::{event_examples, load_spec_example, overrides, schema_for_example, spec_dir};

/// The base of the URIs the spec's files are known by to the validator: `data/` of the spec.
const BASE: &str = "file:///matrix-spec/data/";

/// Below this many cases the run is taken to have silently checked nothing.
const MIN_CASES: usize = 5_000;

/// The value an enum value is replaced by.
const UNKNOWN: &str = "org.example.unknown";

/// The starts of identifiers (sigils and the `mxc://` scheme), each an invalid identifier.
const IDENTIFIER_STARTS: [&str; 5] = ["mxc://", "@", "!", "$", "#"];

// --- the schemas -------------------------------------------------------------------------

/// The spec's files as the generator reads them, shared with the validator's retriever.
struct SpecFiles {
    documents: Documents,
    /// The files (relative to `data/`) loaded for the validator built last.
    loaded: BTreeSet<String>,
    /// Every file loaded so far.
    all_loaded: BTreeSet<String>,
}

/// Hands the validator the spec's files for the `$ref`s it follows.
#[derive(Clone)]
struct Retriever(Arc<Mutex<SpecFiles>>);

impl Retriever {
    /// The document `file` (relative to `data/`), with the overrides applied.
    fn load(&self, file: &str) -> Result<Value, String> {
        let mut files = self.0.lock().expect("no panic while loading");
        let value = files
            .documents
            .load(file)
            .map_err(|err| err.to_string())?
            .clone();
        files.loaded.insert(file.to_owned());
        files.all_loaded.insert(file.to_owned());
        Ok(value)
    }

    /// The strings of every `enum` and `const` of the files loaded for the validator built
    /// last (its schema and those it `$ref`s).
    fn enum_values(&self) -> BTreeSet<String> {
        let files: Vec<String> = {
            let files = self.0.lock().expect("no panic while loading");
            files.loaded.iter().cloned().collect()
        };
        let mut out = BTreeSet::new();
        for file in files {
            if let Ok(document) = self.load(&file) {
                collect_enum_values(&document, &mut out);
            }
        }
        out
    }
}

impl Retrieve for Retriever {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let uri = uri.as_str();
        let file = uri
            .strip_prefix(BASE)
            .ok_or_else(|| format!("{uri} is not a file of the spec"))?;
        let file = file.split('#').next().unwrap_or_default();
        Ok(self.load(file)?)
    }
}

fn collect_enum_values(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("enum", Value::Array(items)) => {
                        out.extend(items.iter().filter_map(Value::as_str).map(str::to_owned));
                    }
                    ("const", Value::String(s)) => {
                        out.insert(s.clone());
                    }
                    _ => collect_enum_values(child, out),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_enum_values(item, out);
            }
        }
        _ => {}
    }
}

/// The validator of the event schema `schema` (a file stem of `event-schemas/schema`).
fn validator(retriever: &Retriever, schema: &str) -> Result<Validator, String> {
    let file = format!("{}/{schema}.yaml", codegen::EVENT_SCHEMA_DIR);
    retriever
        .0
        .lock()
        .expect("no panic while loading")
        .loaded
        .clear();
    let document = retriever.load(&file)?;
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .with_base_uri(format!("{BASE}{file}"))
        .with_retriever(retriever.clone())
        .build(&document)
        .map_err(|err| format!("{file}: the validator does not build: {err}"))
}

// --- the mutations -----------------------------------------------------------------------

/// One input: an example, or a mutation of it.
struct Case {
    /// `none`, `drop`, `type:<t>` or `unknown_enum`.
    mutation: String,
    /// Where the mutation is (`""` for the example as written).
    pointer: String,
    value: Value,
}

/// The JSON type of a value, telling integers from other numbers as JSON Schema does.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A value of each JSON type.
fn of_each_type() -> [(&'static str, Value); 7] {
    [
        ("null", Value::Null),
        ("boolean", json!(true)),
        ("integer", json!(7)),
        ("number", json!(0.5)),
        ("string", json!("x")),
        ("array", json!([])),
        ("object", json!({})),
    ]
}

/// The JSON pointers of every node of `value`, the root (`""`) first.
fn pointers(value: &Value) -> Vec<String> {
    fn walk(value: &Value, at: String, out: &mut Vec<String>) {
        out.push(at.clone());
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let key = key.replace('~', "~0").replace('/', "~1");
                    walk(child, format!("{at}/{key}"), out);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(child, format!("{at}/{index}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// The example itself and every mutation of it.
fn cases(example: &Value, enum_values: &BTreeSet<String>) -> Vec<Case> {
    let mut out = vec![Case {
        mutation: "none".to_owned(),
        pointer: String::new(),
        value: example.clone(),
    }];
    for pointer in pointers(example) {
        let node = example.pointer(&pointer).expect("pointer from `pointers`");
        if let Value::Object(map) = node {
            for key in map.keys() {
                let mut value = example.clone();
                value
                    .pointer_mut(&pointer)
                    .and_then(Value::as_object_mut)
                    .expect("an object")
                    .remove(key);
                out.push(Case {
                    mutation: "drop".to_owned(),
                    pointer: format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1")),
                    value,
                });
            }
        }
        if node.is_object() {
            let mut value = example.clone();
            value
                .pointer_mut(&pointer)
                .and_then(Value::as_object_mut)
                .expect("an object")
                .insert(UNKNOWN.to_owned(), json!("x"));
            out.push(Case {
                mutation: "add_key".to_owned(),
                pointer: format!("{pointer}/{UNKNOWN}"),
                value,
            });
        }
        if pointer.is_empty() {
            continue;
        }
        let replace = |by: Value| {
            let mut value = example.clone();
            *value
                .pointer_mut(&pointer)
                .expect("pointer from `pointers`") = by;
            value
        };
        let own = json_type(node);
        for (name, by) in of_each_type() {
            if name != own {
                out.push(Case {
                    mutation: format!("type:{name}"),
                    pointer: pointer.clone(),
                    value: replace(by),
                });
            }
        }
        if node.as_str().is_some_and(|s| enum_values.contains(s)) {
            out.push(Case {
                mutation: "unknown_enum".to_owned(),
                pointer: pointer.clone(),
                value: replace(json!(UNKNOWN)),
            });
        }
        if let Some(start) = node.as_str().and_then(|s| {
            IDENTIFIER_STARTS
                .into_iter()
                .find(|start| s.starts_with(start) && s != *start)
        }) {
            out.push(Case {
                mutation: "bad_identifier".to_owned(),
                pointer: pointer.clone(),
                value: replace(json!(start)),
            });
        }
        if json_type(node) == "integer" {
            out.push(Case {
                mutation: "big_integer".to_owned(),
                pointer: pointer.clone(),
                value: replace(json!(1u64 << 63)),
            });
        }
    }
    out
}

// --- the listed disagreements ------------------------------------------------------------

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len())
                .filter(|&i| rest.is_char_boundary(i))
                .any(|i| glob(tail, &rest[i..]))
        }
    }
}

/// Whether the JSON pointer `pointer` matches `pattern`: segment by segment, a segment `*`
/// matching any one segment, `**` any number of them (none included), and other segments
/// compared by [`glob`].
fn pointer_matches(pattern: &str, pointer: &str) -> bool {
    fn segments(pointer: &str) -> Vec<&str> {
        pointer.split('/').skip(1).collect()
    }
    fn go(pattern: &[&str], pointer: &[&str]) -> bool {
        match pattern.split_first() {
            None => pointer.is_empty(),
            Some((&"**", rest)) => (0..=pointer.len()).any(|i| go(rest, &pointer[i..])),
            Some((first, rest)) => pointer
                .split_first()
                .is_some_and(|(segment, tail)| glob(first, segment) && go(rest, tail)),
        }
    }
    go(&segments(pattern), &segments(pointer))
}

/// `value` without the key that `pointer` names (`None` when it names no object's key).
fn without_key(value: &Value, pointer: &str) -> Option<Value> {
    let (parent, key) = pointer.rsplit_once('/')?;
    let key = key.replace("~1", "/").replace("~0", "~");
    let mut value = value.clone();
    value.pointer_mut(parent)?.as_object_mut()?.remove(&key)?;
    Some(value)
}

/// The index of the entry of `entries` that explains a disagreement, if any: the generated
/// type wrote the input back as `Ok(written)`, or rejected it with `Err(error)`.
fn explained(
    entries: &[ConformanceEntry],
    schema: &str,
    case: &Case,
    generated: Result<&Value, &str>,
) -> Option<usize> {
    let accepted_by = if generated.is_ok() {
        "generated"
    } else {
        "validator"
    };
    entries.iter().position(|entry| {
        entry.accepted_by == accepted_by
            && entry.mutations.iter().any(|m| glob(m, &case.mutation))
            && entry.schemas.iter().any(|pattern| glob(pattern, schema))
            && entry
                .pointers
                .iter()
                .any(|pattern| pointer_matches(pattern, &case.pointer))
            && match generated {
                Err(error) => {
                    entry.errors.is_empty() || entry.errors.iter().any(|e| error.contains(e))
                }
                Ok(written) if entry.written_back == "without_key" => {
                    without_key(&case.value, &case.pointer).as_ref() == Some(written)
                }
                Ok(written) => *written == case.value,
            }
    })
}

// --- the run -----------------------------------------------------------------------------

fn main() {
    let started = Instant::now();
    let spec = spec_dir();
    let example_overrides = overrides();
    let entries = overrides().conformance().to_vec();
    let retriever = Retriever(Arc::new(Mutex::new(SpecFiles {
        documents: Documents::new(spec.join("data"), overrides()),
        loaded: BTreeSet::new(),
        all_loaded: BTreeSet::new(),
    })));
    let has_schema = |name: &str| schema_index::SCHEMAS.iter().any(|(s, _)| *s == name);

    let mut checked = 0usize;
    let mut agreed = 0usize;
    let mut by_mutation = BTreeMap::<String, usize>::new();
    let mut validator_rejected = 0usize;
    let mut schemas_checked = BTreeSet::new();
    // Per entry (by index): how many disagreements it explains.
    let mut listed = vec![0usize; entries.len()];
    let mut unexplained = Vec::new();
    let mut failures = Vec::new();
    for path in event_examples(&spec) {
        let name = file_name(&path);
        let Some(schema) = schema_for_example(&path, has_schema) else {
            failures.push(format!("{name}: no generated type for this example"));
            continue;
        };
        let example = match load_spec_example(&spec, &path, &example_overrides) {
            Ok(value) => value,
            Err(err) => {
                failures.push(format!("{name}: cannot read: {err}"));
                continue;
            }
        };
        let validator = match validator(&retriever, &schema) {
            Ok(validator) => validator,
            Err(err) => {
                failures.push(format!("{name}: {err}"));
                continue;
            }
        };
        schemas_checked.insert(schema.clone());
        let enum_values = retriever.enum_values();
        for case in cases(&example, &enum_values) {
            checked += 1;
            *by_mutation.entry(case.mutation.clone()).or_default() += 1;
            let valid = validator.is_valid(&case.value);
            validator_rejected += usize::from(!valid);
            let generated = schema_index::round_trip(&schema, &case.value.to_string())
                .expect("the schema is in the index");
            let written = generated.as_ref().ok();
            if written.is_some() == valid {
                match written {
                    Some(written) if *written != case.value => failures.push(format!(
                        "{name} ({schema}) {} at {:?}: accepted, but written back as {written}",
                        case.mutation, case.pointer
                    )),
                    _ => agreed += 1,
                }
                continue;
            }
            let error = generated.as_ref().err().map(ToString::to_string);
            let outcome = written.ok_or(error.as_deref().unwrap_or_default());
            if let Some(index) = explained(&entries, &schema, &case, outcome) {
                listed[index] += 1;
                continue;
            }
            let accepted = written.is_some();
            let why = match &generated {
                Ok(written) if *written != case.value => format!(
                    "{}; and written back as {written}",
                    validator_errors(&validator, &case.value)
                ),
                Ok(_) => validator_errors(&validator, &case.value),
                Err(err) => err.to_string(),
            };
            unexplained.push(format!(
                "{schema} {} {}: {} accepts, {} rejects: {}",
                case.mutation,
                case.pointer,
                if accepted { "generated" } else { "validator" },
                if accepted { "validator" } else { "generated" },
                shorten(&why),
            ));
        }
    }

    let listed_total: usize = listed.iter().sum();
    let files_loaded = retriever
        .0
        .lock()
        .expect("no panic while loading")
        .all_loaded
        .len();
    println!(
        "conformance against JSON Schema on {} ({:.1?}): {} schemas ({files_loaded} files with \
         their $refs), the validator rejected {validator_rejected} of the cases",
        spec.display(),
        started.elapsed(),
        schemas_checked.len(),
    );
    let mutations: Vec<String> = by_mutation
        .iter()
        .map(|(mutation, count)| format!("{mutation} {count}"))
        .collect();
    println!("  cases by mutation: {}", mutations.join(", "));
    for (entry, count) in entries.iter().zip(&listed) {
        println!(
            "  listed: {count:>5} {} ({} accepts): {}",
            entry.class, entry.accepted_by, entry.location.pointer
        );
        if *count == 0 {
            println!("    note: this entry explains no disagreement in this spec");
        }
    }
    for disagreement in &unexplained {
        println!("  UNEXPLAINED {disagreement}");
    }
    for failure in &failures {
        println!("  FAILED {failure}");
    }
    if checked < MIN_CASES {
        failures.push(format!(
            "only {checked} cases ran (at least {MIN_CASES} expected)"
        ));
    }
    // A validator that followed no `$ref` would not see the event envelope's required fields.
    if files_loaded <= schemas_checked.len() || validator_rejected < checked / 2 {
        failures.push(format!(
            "the validator looks blind: {files_loaded} files loaded for {} schemas, \
             {validator_rejected} of {checked} cases rejected",
            schemas_checked.len()
        ));
    }
    println!(
        "conformance: {checked} cases checked, {agreed} agreements, {listed_total} listed disagreements, {} unexplained disagreements, {} other failures",
        unexplained.len(),
        failures.len()
    );
    if !unexplained.is_empty() || !failures.is_empty() {
        std::process::exit(1);
    }
}

/// What the validator finds wrong with `value`.
fn validator_errors(validator: &Validator, value: &Value) -> String {
    validator
        .iter_errors(value)
        .map(|err| format!("{err} at {:?}", err.instance_path().as_str()))
        .collect::<Vec<_>>()
        .join("; ")
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

fn shorten(text: &str) -> String {
    const MAX: usize = 300;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

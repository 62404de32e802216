//! Stage 2: turn the loaded documents into one graph of schema nodes, every `$ref`
//! (local `#/...` pointers and relative paths to other files) followed to its target.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Errors, Location};
use crate::load::{join_relative, Documents};

pub type SchemaId = usize;

/// The JSON types a schema can admit (`integer` is narrower than `number`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JsonType {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl JsonType {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "null" => JsonType::Null,
            "boolean" => JsonType::Boolean,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "string" => JsonType::String,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            _ => return None,
        })
    }
}

/// What `additionalProperties` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Additional {
    Forbidden,
    Any,
    Schema(SchemaId),
}

/// Documentation a schema carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub added_in: Option<String>,
    /// `(version, what changed)` pairs, in the spec's order.
    pub changed_in: Vec<(String, String)>,
    pub deprecated: bool,
}

impl Docs {
    pub fn is_empty(&self) -> bool {
        *self == Docs::default()
    }
}

/// One schema object, its keywords parsed and its subschemas turned into ids.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub reference: Option<SchemaId>,
    /// Empty when the schema does not constrain the type.
    pub types: Vec<JsonType>,
    pub docs: Docs,
    pub properties: Vec<(String, SchemaId)>,
    pub required: Vec<String>,
    pub additional_properties: Option<Additional>,
    pub pattern_properties: Vec<(String, SchemaId)>,
    pub items: Option<SchemaId>,
    pub all_of: Vec<SchemaId>,
    pub one_of: Vec<SchemaId>,
    pub any_of: Vec<SchemaId>,
    pub enum_values: Option<Vec<Value>>,
    pub format: Option<String>,
    /// `x-pattern-format`: the string format of the keys this schema is the value of.
    pub key_format: Option<String>,
    /// `x-open-enum`: whether values beyond the `enum` list are to be kept rather than
    /// rejected; when absent, an enum of two or more values is open, a single value is closed.
    pub open_enum: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct SchemaNode {
    pub location: Location,
    /// The node as written (overrides applied); used to recognise identical copies.
    pub raw: Value,
    pub schema: Schema,
}

/// Every schema reachable from the roots, each once.
#[derive(Debug, Default)]
pub struct SchemaGraph {
    pub nodes: Vec<SchemaNode>,
    index: HashMap<Location, SchemaId>,
}

impl SchemaGraph {
    pub fn node(&self, id: SchemaId) -> &SchemaNode {
        &self.nodes[id]
    }

    pub fn schema(&self, id: SchemaId) -> &Schema {
        &self.nodes[id].schema
    }

    pub fn location(&self, id: SchemaId) -> &Location {
        &self.nodes[id].location
    }

    pub fn id_of(&self, location: &Location) -> Option<SchemaId> {
        self.index.get(location).copied()
    }
}

/// Keywords that only annotate or validate values and do not change the Rust shape.
const IGNORED_KEYWORDS: &[&str] = &[
    "$schema",
    "$comment",
    "example",
    "examples",
    "default",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "propertyNames",
    "readOnly",
    "writeOnly",
    "contentEncoding",
    "contentMediaType",
    "$defs",
    "definitions",
    // OpenAPI keeps shared schemas there; they are read when a `$ref` reaches them.
    "components",
];

/// Builds the graph from the root files (relative to `data/`), loading referenced files on demand.
pub fn resolve(
    docs: &mut Documents,
    roots: &[String],
) -> Result<(SchemaGraph, Vec<SchemaId>), Errors> {
    let roots: Vec<Location> = roots
        .iter()
        .map(|file| Location::new(file.clone(), ""))
        .collect();
    resolve_at(docs, &roots)
}

/// [`resolve`] from root schemas anywhere in a file (the schemas of an API operation, say).
pub fn resolve_at(
    docs: &mut Documents,
    roots: &[Location],
) -> Result<(SchemaGraph, Vec<SchemaId>), Errors> {
    let mut builder = Builder {
        docs,
        graph: SchemaGraph::default(),
        queue: Vec::new(),
        errors: Vec::new(),
    };
    let mut root_ids = Vec::new();
    for root in roots {
        match builder.docs.load(&root.file) {
            Ok(_) => root_ids.push(builder.intern(root.clone())),
            Err(err) => builder.errors.push(err),
        }
    }
    while let Some(id) = builder.queue.pop() {
        builder.parse_node(id);
    }
    builder.check_inheritance_cycles();
    if builder.errors.is_empty() {
        Ok((builder.graph, root_ids))
    } else {
        // In the order of the files and places they are about, whatever order they were found in.
        let mut errors = builder.errors;
        errors.sort_by(|a, b| a.location.cmp(&b.location));
        Err(Errors(errors))
    }
}

struct Builder<'a> {
    docs: &'a mut Documents,
    graph: SchemaGraph,
    queue: Vec<SchemaId>,
    errors: Vec<Diagnostic>,
}

impl Builder<'_> {
    /// The id for `location`, queueing the node to be parsed the first time it is seen.
    fn intern(&mut self, location: Location) -> SchemaId {
        if let Some(&id) = self.graph.index.get(&location) {
            return id;
        }
        let id = self.graph.nodes.len();
        self.graph.index.insert(location.clone(), id);
        self.graph.nodes.push(SchemaNode {
            location,
            raw: Value::Null,
            schema: Schema::default(),
        });
        self.queue.push(id);
        id
    }

    fn parse_node(&mut self, id: SchemaId) {
        let location = self.graph.nodes[id].location.clone();
        let Some(raw) = self.docs.node(&location).cloned() else {
            // References are checked before they are interned, so this is a root or child that vanished.
            self.errors
                .push(Diagnostic::new(location, "no schema at this JSON pointer"));
            return;
        };
        let schema = match &raw {
            Value::Object(map) => self.parse_schema(&location, map),
            // `true` admits anything: a free-form value.
            Value::Bool(true) => Schema::default(),
            other => {
                self.errors.push(Diagnostic::new(
                    location.clone(),
                    format!("expected a schema object, found {}", json_kind(other)),
                ));
                Schema::default()
            }
        };
        let node = &mut self.graph.nodes[id];
        node.raw = raw;
        node.schema = schema;
    }

    fn parse_schema(&mut self, at: &Location, map: &Map<String, Value>) -> Schema {
        let mut schema = Schema::default();
        let mut constant = None;
        for (key, value) in map {
            let here = at.child(key);
            match key.as_str() {
                "$ref" => match value.as_str() {
                    Some(reference) => schema.reference = self.reference(at, reference),
                    None => self.error(here, "`$ref` must be a string"),
                },
                "type" => schema.types = self.types(&here, value),
                "title" => schema.docs.title = self.string(&here, value),
                "description" => schema.docs.description = self.string(&here, value),
                "x-addedInMatrixVersion" => schema.docs.added_in = self.version(&here, value),
                "x-changedInMatrixVersion" => match value {
                    Value::Object(changes) => {
                        for (version, text) in changes {
                            match text.as_str() {
                                Some(text) => schema
                                    .docs
                                    .changed_in
                                    .push((version.clone(), text.trim().to_owned())),
                                None => self.error(here.child(version), "expected a string"),
                            }
                        }
                    }
                    _ => self.error(here, "`x-changedInMatrixVersion` must map versions to text"),
                },
                "deprecated" => match value {
                    Value::Bool(deprecated) => schema.docs.deprecated = *deprecated,
                    _ => self.error(here, "`deprecated` must be a boolean"),
                },
                // `const: x` is `enum: [x]`.
                "const" => constant = Some((here, value.clone())),
                "$id" => self.error(
                    here,
                    "`$id` is not supported: `$ref`s are followed from the file they are written in",
                ),
                "format" => schema.format = self.string(&here, value),
                "x-pattern-format" => schema.key_format = self.string(&here, value),
                "x-open-enum" => match value {
                    Value::Bool(open) => schema.open_enum = Some(*open),
                    _ => self.error(here, "`x-open-enum` must be a boolean"),
                },
                "enum" => match value {
                    Value::Array(values) => schema.enum_values = Some(values.clone()),
                    _ => self.error(here, "`enum` must be a list"),
                },
                "required" => match value {
                    Value::Array(names) if names.iter().all(Value::is_string) => {
                        schema.required = names
                            .iter()
                            .filter_map(|n| n.as_str().map(str::to_owned))
                            .collect();
                    }
                    // Swagger 2.0 and draft-04 write `required: true` on parameters and properties.
                    Value::Bool(_) => {}
                    _ => self.error(here, "`required` must be a list of property names"),
                },
                "properties" | "patternProperties" => {
                    let Value::Object(children) = value else {
                        self.error(here, format!("`{key}` must be a mapping"));
                        continue;
                    };
                    let list: Vec<(String, SchemaId)> = children
                        .keys()
                        .map(|name| (name.clone(), self.intern(here.child(name))))
                        .collect();
                    if key == "properties" {
                        schema.properties = list;
                    } else {
                        schema.pattern_properties = list;
                    }
                }
                "additionalProperties" => {
                    schema.additional_properties = Some(match value {
                        Value::Bool(false) => Additional::Forbidden,
                        Value::Bool(true) => Additional::Any,
                        Value::Object(inner) if inner.is_empty() => Additional::Any,
                        Value::Object(_) => Additional::Schema(self.intern(here)),
                        _ => {
                            self.error(
                                here,
                                "`additionalProperties` must be a boolean or a schema",
                            );
                            continue;
                        }
                    })
                }
                "items" => match value {
                    Value::Object(_) | Value::Bool(true) => schema.items = Some(self.intern(here)),
                    _ => self.error(
                        here,
                        "`items` as a list of schemas (tuple validation) is not supported",
                    ),
                },
                "allOf" | "oneOf" | "anyOf" => {
                    let Value::Array(parts) = value else {
                        self.error(here, format!("`{key}` must be a list of schemas"));
                        continue;
                    };
                    let ids = (0..parts.len())
                        .map(|i| self.intern(here.child(&i.to_string())))
                        .collect();
                    match key.as_str() {
                        "allOf" => schema.all_of = ids,
                        "oneOf" => schema.one_of = ids,
                        _ => schema.any_of = ids,
                    }
                }
                other if other.starts_with("x-") || IGNORED_KEYWORDS.contains(&other) => {}
                other => self.error(here, format!("unsupported schema keyword `{other}`")),
            }
        }
        if let Some((here, value)) = constant {
            match &schema.enum_values {
                None => schema.enum_values = Some(vec![value]),
                Some(values) if values.contains(&value) => schema.enum_values = Some(vec![value]),
                Some(_) => self.error(
                    here,
                    format!("`const: {value}` is not one of the values of the `enum` beside it"),
                ),
            }
        }
        schema
    }

    /// Resolves a `$ref` written at `at`; reports a dangling one and returns `None`.
    fn reference(&mut self, at: &Location, reference: &str) -> Option<SchemaId> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if path.contains("://") || path.starts_with('/') {
            self.error(
                at.child("$ref"),
                format!("`$ref: {reference}` is not a relative path: only files of the spec's data folder are read"),
            );
            return None;
        }
        if !fragment.is_empty() && !fragment.starts_with('/') {
            self.error(
                at.child("$ref"),
                format!(
                    "`$ref: {reference}` names an anchor: only JSON pointers (`#/…`) are supported"
                ),
            );
            return None;
        }
        let file = if path.is_empty() {
            at.file.clone()
        } else {
            match join_relative(&at.file, path) {
                Some(file) => file,
                None => {
                    self.error(
                        at.child("$ref"),
                        format!("`$ref: {reference}` points outside the spec's data folder"),
                    );
                    return None;
                }
            }
        };
        if let Err(err) = self.docs.load(&file) {
            let message = format!("dangling `$ref: {reference}`: cannot load {file}");
            self.errors.push(
                Diagnostic::new(at.child("$ref"), message).with_related(err.location, err.message),
            );
            return None;
        }
        let target = Location::new(file, fragment);
        if self.docs.node(&target).is_none() {
            let message = format!("dangling `$ref: {reference}`: {target} does not exist");
            self.error(at.child("$ref"), message);
            return None;
        }
        Some(self.intern(target))
    }

    fn types(&mut self, at: &Location, value: &Value) -> Vec<JsonType> {
        let names: Vec<&Value> = match value {
            Value::Array(names) => names.iter().collect(),
            single => vec![single],
        };
        let mut types = Vec::new();
        for name in names {
            match name.as_str().and_then(JsonType::parse) {
                Some(ty) => types.push(ty),
                None => self.error(at.clone(), format!("unknown JSON type {name}")),
            }
        }
        types
    }

    fn string(&mut self, at: &Location, value: &Value) -> Option<String> {
        match value {
            Value::String(text) => Some(text.clone()),
            _ => {
                self.error(at.clone(), "expected a string");
                None
            }
        }
    }

    fn version(&mut self, at: &Location, value: &Value) -> Option<String> {
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            _ => {
                self.error(at.clone(), "expected a version such as \"1.7\"");
                None
            }
        }
    }

    fn error(&mut self, location: Location, message: impl Into<String>) {
        self.errors.push(Diagnostic::new(location, message));
    }

    /// A chain of `$ref`, `allOf`, `oneOf` and `anyOf` that comes back to where it started
    /// names no object or list in between, so it describes no type (and following it would
    /// never end): report the whole cycle. Recursion through a property, a list's items or a
    /// map's values is a recursive type, and fine.
    fn check_inheritance_cycles(&mut self) {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Active,
            Done,
        }
        let graph = &self.graph;
        let mut marks = vec![Mark::New; graph.nodes.len()];
        let mut reported = Vec::new();
        for start in 0..graph.nodes.len() {
            if marks[start] != Mark::New {
                continue;
            }
            // Iterative depth-first search; the path doubles as the cycle report.
            let mut path: Vec<(SchemaId, usize)> = vec![(start, 0)];
            marks[start] = Mark::Active;
            while let Some(&mut (id, ref mut next)) = path.last_mut() {
                let schema = &graph.nodes[id].schema;
                let edges: Vec<SchemaId> = schema
                    .reference
                    .iter()
                    .chain(&schema.all_of)
                    .chain(&schema.one_of)
                    .chain(&schema.any_of)
                    .copied()
                    .collect();
                if *next < edges.len() {
                    let target = edges[*next];
                    *next += 1;
                    match marks[target] {
                        Mark::New => {
                            marks[target] = Mark::Active;
                            path.push((target, 0));
                        }
                        Mark::Active => {
                            let from = path.iter().position(|&(n, _)| n == target).unwrap_or(0);
                            let cycle: Vec<SchemaId> =
                                path[from..].iter().map(|&(n, _)| n).collect();
                            reported.push(cycle);
                        }
                        Mark::Done => {}
                    }
                } else {
                    marks[id] = Mark::Done;
                    path.pop();
                }
            }
        }
        for cycle in reported {
            let names: Vec<String> = cycle
                .iter()
                .map(|&id| graph.nodes[id].location.to_string())
                .collect();
            let message = format!(
                "cycle of `$ref`/`allOf`/`oneOf`/`anyOf` with no object or list in between: {} -> {}",
                names.join(" -> "),
                names[0]
            );
            let mut diagnostic = Diagnostic::new(graph.nodes[cycle[0]].location.clone(), message);
            for &id in &cycle[1..] {
                diagnostic =
                    diagnostic.with_related(graph.nodes[id].location.clone(), "part of the cycle");
            }
            self.errors.push(diagnostic);
        }
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::overrides::Overrides;

    /// A `data/` folder holding `files` (path, YAML text), removed when dropped.
    pub(crate) struct Tree(pub std::path::PathBuf);

    impl Tree {
        pub(crate) fn new(name: &str, files: &[(&str, &str)]) -> Self {
            let dir = std::env::temp_dir().join(format!("codegen-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            for (path, text) in files {
                let path = dir.join(path);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            Tree(dir)
        }

        pub(crate) fn resolve(
            &self,
            roots: &[&str],
        ) -> Result<(SchemaGraph, Vec<SchemaId>), Errors> {
            let mut docs = Documents::new(&self.0, Overrides::default());
            resolve(
                &mut docs,
                &roots.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
            )
        }
    }

    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn follows_relative_local_and_cross_file_refs_to_one_node_each() {
        let tree = Tree::new(
            "refs",
            &[
                (
                    "a/root.yaml",
                    "type: object\nproperties:\n  x: {$ref: '../common/x.yaml'}\n  y: {$ref: '../common/x.yaml'}\n  \
                     z: {$ref: '#/definitions/z'}\n  w: {$ref: 'other.yaml#/properties/w'}\n\
                     definitions:\n  z: {type: string}\n",
                ),
                ("a/other.yaml", "type: object\nproperties:\n  w: {type: integer}\n"),
                ("common/x.yaml", "type: object\ntitle: X\n"),
            ],
        );
        let (graph, roots) = tree.resolve(&["a/root.yaml"]).unwrap();
        let root = graph.schema(roots[0]);
        let target = |name: &str| {
            let (_, id) = root.properties.iter().find(|(n, _)| n == name).unwrap();
            graph.schema(*id).reference.unwrap()
        };
        assert_eq!(target("x"), target("y"), "one target, one node");
        assert_eq!(
            graph.location(target("x")),
            &Location::new("common/x.yaml", "")
        );
        assert_eq!(
            graph.location(target("z")),
            &Location::new("a/root.yaml", "/definitions/z")
        );
        assert_eq!(graph.schema(target("z")).types, vec![JsonType::String]);
        assert_eq!(
            graph.location(target("w")),
            &Location::new("a/other.yaml", "/properties/w")
        );
    }

    #[test]
    fn dangling_refs_name_the_referring_place_and_the_target_all_at_once() {
        let tree = Tree::new(
            "dangling",
            &[
                (
                    "root.yaml",
                    "properties:\n  a: {$ref: missing.yaml}\n  b: {$ref: 'other.yaml#/nope'}\n",
                ),
                ("other.yaml", "type: object\n"),
            ],
        );
        let errors = tree.resolve(&["root.yaml"]).unwrap_err().0;
        assert_eq!(errors.len(), 2, "{errors:?}");
        let file = errors
            .iter()
            .find(|e| e.location.pointer == "/properties/a/$ref")
            .unwrap();
        assert_eq!(file.location.file, "root.yaml");
        assert!(file.message.contains("missing.yaml"), "{}", file.message);
        let pointer = errors
            .iter()
            .find(|e| e.location.pointer == "/properties/b/$ref")
            .unwrap();
        assert!(
            pointer.message.contains("other.yaml#/nope does not exist"),
            "{}",
            pointer.message
        );
    }

    #[test]
    fn a_ref_cycle_with_no_object_between_is_named() {
        let tree = Tree::new(
            "cycle",
            &[
                ("a.yaml", "$ref: b.yaml\n"),
                ("b.yaml", "allOf:\n- $ref: a.yaml\n"),
            ],
        );
        let errors = tree.resolve(&["a.yaml"]).unwrap_err().0;
        assert_eq!(errors.len(), 1, "{errors:?}");
        let message = &errors[0].message;
        assert!(message.starts_with("cycle of `$ref`/`allOf`"), "{message}");
        assert!(
            message.contains("a.yaml#") && message.contains("b.yaml#"),
            "{message}"
        );
    }

    #[test]
    fn recursion_through_a_property_is_not_a_cycle() {
        let tree = Tree::new(
            "recursive",
            &[(
                "node.yaml",
                "type: object\nproperties:\n  child: {$ref: node.yaml}\n",
            )],
        );
        assert!(tree.resolve(&["node.yaml"]).is_ok());
    }

    #[test]
    fn unsupported_keywords_are_reported_with_their_pointer() {
        let tree = Tree::new(
            "unsupported",
            &[(
                "a.yaml",
                "type: object\nproperties:\n  x:\n    not: {type: string}\n",
            )],
        );
        let errors = tree.resolve(&["a.yaml"]).unwrap_err().0;
        assert_eq!(
            errors[0].location,
            Location::new("a.yaml", "/properties/x/not")
        );
        assert_eq!(errors[0].message, "unsupported schema keyword `not`");
    }
}

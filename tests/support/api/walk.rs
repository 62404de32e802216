//! The walk of one API description (or file of schemas) along its structure: operations,
//! parameters, request bodies, responses, media types and schemas, and the examples of each.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{child, is_json, Example, Found, Place, METHODS};
use crate::examples::{resolve_example_data, ExampleReader};

/// Walks `document`, the file `file` (relative to `data_dir`): an API description, or a file
/// of schemas. Records its operations and examples in `found`; returns the
/// `example`/`examples` keys it reached.
pub(super) fn walk(
    file: &str,
    document: &Value,
    data_dir: &Path,
    documents: &BTreeMap<String, Value>,
    found: &mut Found,
    read: &mut ExampleReader<'_>,
) -> BTreeSet<String> {
    let mut walk = Walk {
        file,
        data_dir,
        documents,
        found,
        read,
        reached: BTreeSet::new(),
    };
    if document.get("paths").is_some() {
        walk.description(document);
    } else {
        walk.schema("", document, Place::Schema, None);
    }
    walk.reached
}

/// The walk of one file.
struct Walk<'a, 'r> {
    file: &'a str,
    data_dir: &'a Path,
    documents: &'a BTreeMap<String, Value>,
    found: &'a mut Found,
    read: &'a mut ExampleReader<'r>,
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
                    self.found
                        .operations
                        .insert((self.file.to_owned(), key.clone(), path.clone()));
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
        self.content(at, node, place);
    }

    fn request_body(&mut self, at: &str, node: &Value) {
        if node.get("$ref").is_some() {
            return;
        }
        self.content(at, node, Place::RequestBody);
    }

    /// A response: its media types and headers.
    fn response(&mut self, at: &str, node: &Value) {
        if node.get("$ref").is_some() {
            return;
        }
        self.content(at, node, Place::Response);
        for (name, node) in entries(node, "headers") {
            self.parameter(&child(&child(at, "headers"), name), node);
        }
    }

    /// The media types of the `content` of the object at `at`.
    fn content(&mut self, at: &str, node: &Value, place: Place) {
        for (media_type, node) in entries(node, "content") {
            let at = child(&child(at, "content"), media_type);
            self.media_type(&at, media_type, node, place);
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
        self.example(at, node, schema, place, false, non_json);
        let Some(examples) = node.get("examples") else {
            return;
        };
        let examples_at = self.reach(at, "examples");
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

    /// The `example` of the node at `at`, which illustrates the schema at `schema`.
    fn example(
        &mut self,
        at: &str,
        node: &Value,
        schema: &str,
        place: Place,
        schema_level: bool,
        non_json: Option<&str>,
    ) {
        if let Some(value) = node.get("example") {
            let example_at = self.reach(at, "example");
            let value = Ok((value.clone(), self.file.to_owned()));
            self.push(schema, &example_at, place, schema_level, non_json, value);
        }
    }

    /// The pointer of `key` in the node at `at`, recorded as reached.
    fn reach(&mut self, at: &str, key: &str) -> String {
        let key_at = child(at, key);
        self.reached.insert(key_at.clone());
        key_at
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
        self.example(at, node, at, place, true, non_json);
        if let Some(examples) = map.get("examples") {
            let examples_at = self.reach(at, "examples");
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
            self.found
                .non_json
                .push((self.file.to_owned(), at.to_owned(), media_type.to_owned()));
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

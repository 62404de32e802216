//! Stage 1, normalisation: every document in the one shape the later stages read.
//!
//! The spec's API descriptions are Swagger 2.0 (with JSON Schema draft-04 schemas) in
//! releases v1.1 to v1.7 and OpenAPI 3.1 from v1.8 on, when the spec converted them. Rather
//! than teach every stage both, each document is rewritten here, as it is loaded (after the
//! overrides, which are written against the files as the spec writes them), into the shape
//! the spec itself adopted in v1.8:
//!
//! - A Swagger 2.0 document (`swagger: '2.0'`) becomes an OpenAPI 3.1 one
//!   ([`convert_swagger`]): a parameter whose keys are its own schema (`type`, `format`,
//!   `items`, `enum`, `default`, ...) gets them under `schema`, and its example (the text of
//!   the parameter in the request) the type of that schema; the `in: body` parameter
//!   becomes the `requestBody`, JSON unless its schema is raw bytes (`type: file`, or a
//!   `binary`/`byte` string where the operation `consumes` a non-JSON media type); a
//!   response's `schema` becomes its `content` (`application/json`, or the non-JSON media
//!   types the operation `produces` for `type: file`), and its `examples` (by media type)
//!   the `example` of that content; headers get a `schema` too; `basePath`, `host` and
//!   `schemes` become `servers`; `securityDefinitions`, `definitions`, and shared `parameters`
//!   and `responses` move under `components` (local `$ref`s follow them). `*/*` becomes
//!   `application/octet-stream`, as in v1.8. The document is marked
//!   `x-converted-from: swagger 2.0`.
//! - In every description (Swagger or not; example data, the files of `examples` folders, is
//!   left alone) the draft-04 idioms of those releases are rewritten ([`normalise_dialect`]):
//!   `x-example` becomes `example`, and a tuple `items: [A, B]` (draft-04 tuple validation)
//!   becomes `items: {anyOf: [A, B]}`, a list whose items are any of those types. That is
//!   the conversion the spec made itself in v1.8 (the `auth_events` and `prev_events` pairs
//!   of PDUs, the `[200, {...}]` responses of the v1 `/invite`, `/send_join` and
//!   `/send_leave`), so the releases before and after it generate the same Rust type (a `Vec`
//!   of an untagged enum), which does not check the positions or the length of the tuple.
//!
//! On documents already in the OpenAPI 3.1 shape (every release from v1.8 on) this changes
//! nothing. Errors found later name places in the converted document: the schema of a
//! Swagger body parameter, say, at `…/requestBody/content/application~1json/schema`.

use serde_json::{json, Map, Value};

/// What [`convert_swagger`] marks the documents it converted with.
pub const CONVERTED_MARK: &str = "x-converted-from";

/// The media type that stands for any bytes (`*/*` in Swagger 2.0).
const OCTET_STREAM: &str = "application/octet-stream";

/// The keys of a Swagger 2.0 parameter or header that belong to its schema.
const SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    // The generator's own schema extensions, should an override put one on a parameter.
    "x-open-enum",
    "x-pattern-format",
];

/// Keys whose values map names (of properties, paths, status codes, ...) to objects: a child
/// named `example` there is a name, not example data.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "paths",
    "responses",
    "content",
    "headers",
    "schemas",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "securityDefinitions",
];

/// Brings the document `file` (relative to `data/`, overrides applied) into the one shape the
/// later stages read; see the module's documentation. Example data is left as it is.
pub fn normalise(file: &str, document: &mut Value) {
    if file.split('/').any(|segment| segment == "examples") {
        return;
    }
    normalise_dialect(document);
    if document.get("swagger").is_some() {
        convert_swagger(document);
    }
}

/// Rewrites the JSON Schema draft-04 idioms of `node` and everything below it but example
/// data (`example`, `examples`, `default`, `enum`, `const`, extensions): `x-example` becomes
/// `example` (kept if both are written), a tuple `items` list becomes `items: {anyOf: ...}`.
pub fn normalise_dialect(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if let Some(example) = map.remove("x-example") {
                map.entry("example").or_insert(example);
            }
            if let Some(Value::Array(items)) = map.get_mut("items") {
                let items = std::mem::take(items);
                map.insert("items".to_owned(), json!({ "anyOf": items }));
            }
            for (key, value) in map.iter_mut() {
                let data = key.starts_with("x-")
                    || matches!(
                        key.as_str(),
                        "example" | "examples" | "default" | "enum" | "const"
                    );
                if data {
                    continue;
                }
                match value {
                    Value::Object(children) if NAME_MAPS.contains(&key.as_str()) => {
                        children.values_mut().for_each(normalise_dialect);
                    }
                    other => normalise_dialect(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalise_dialect),
        _ => {}
    }
}

/// The HTTP methods a path item may hold.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Rewrites a Swagger 2.0 document as OpenAPI 3.1; see the module's documentation.
pub fn convert_swagger(document: &mut Value) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    let consumes = media_types(root.remove("consumes").as_ref());
    let produces = media_types(root.remove("produces").as_ref());
    let old = std::mem::take(root);
    let mut shared_parameters = Map::new();
    let mut components = Map::new();
    let mut servers = None;
    let (mut host, mut schemes, mut base_path) = (None, None, None);
    // Rebuilt key by key, so that the keys keep their order and `openapi` comes first.
    root.insert("openapi".to_owned(), json!("3.1.0"));
    root.insert(CONVERTED_MARK.to_owned(), json!("swagger 2.0"));
    for (key, value) in old {
        match key.as_str() {
            "swagger" => {}
            "host" => host = Some(value),
            "schemes" => schemes = Some(value),
            "basePath" => {
                base_path = Some(value);
                // The servers go where the base path was.
                servers = Some(root.len());
            }
            "securityDefinitions" => {
                components.insert("securitySchemes".to_owned(), value);
            }
            "definitions" => {
                components.insert("schemas".to_owned(), value);
            }
            "parameters" => {
                if let Value::Object(named) = value {
                    shared_parameters = named;
                }
            }
            "responses" => {
                let converted = match value {
                    Value::Object(named) => Value::Object(
                        named
                            .into_iter()
                            .map(|(name, response)| (name, convert_response(response, &produces)))
                            .collect(),
                    ),
                    other => other,
                };
                components.insert("responses".to_owned(), converted);
            }
            "paths" => {
                let converted = match value {
                    Value::Object(paths) => Value::Object(
                        paths
                            .into_iter()
                            .map(|(path, item)| {
                                let item = convert_path_item(
                                    item,
                                    &consumes,
                                    &produces,
                                    &shared_parameters,
                                );
                                (path, item)
                            })
                            .collect(),
                    ),
                    other => other,
                };
                root.insert(key, converted);
            }
            _ => {
                root.insert(key, value);
            }
        }
    }
    if host.is_some() || schemes.is_some() || base_path.is_some() {
        let server = server(host, schemes, base_path);
        let mut entries: Vec<(String, Value)> = std::mem::take(root).into_iter().collect();
        let at = servers.unwrap_or(entries.len()).min(entries.len());
        entries.insert(at, ("servers".to_owned(), json!([server])));
        root.extend(entries);
    }
    let mut parameters = Map::new();
    let mut bodies = Map::new();
    for (name, parameter) in shared_parameters {
        if is_body(&parameter) {
            bodies.insert(name, convert_body(parameter, &consumes));
        } else {
            parameters.insert(name, convert_parameter(parameter));
        }
    }
    if !parameters.is_empty() {
        components.insert("parameters".to_owned(), Value::Object(parameters));
    }
    if !bodies.is_empty() {
        components.insert("requestBodies".to_owned(), Value::Object(bodies));
    }
    if !components.is_empty() {
        root.insert("components".to_owned(), Value::Object(components));
    }
    rewrite_local_refs(document);
}

/// The server object of `host`, `schemes` and `basePath`, as the spec's OpenAPI documents
/// write it (`{protocol}://{hostname}{basePath}`, each part a variable with its default).
fn server(host: Option<Value>, schemes: Option<Value>, base_path: Option<Value>) -> Value {
    let mut url = String::new();
    let mut variables = Map::new();
    if let Some(schemes) = schemes {
        url.push_str("{protocol}://");
        let default = schemes.get(0).cloned().unwrap_or(json!("https"));
        variables.insert(
            "protocol".to_owned(),
            json!({"enum": schemes, "default": default}),
        );
    }
    if let Some(host) = host {
        url.push_str("{hostname}");
        variables.insert("hostname".to_owned(), json!({ "default": host }));
    }
    if let Some(base_path) = base_path {
        url.push_str("{basePath}");
        variables.insert("basePath".to_owned(), json!({ "default": base_path }));
    }
    json!({"url": url, "variables": variables})
}

/// A `consumes`/`produces` list (absent: none).
fn media_types(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The media types of `listed` that are not JSON, `*/*` as `application/octet-stream`;
/// `application/octet-stream` alone if there are none.
fn byte_media_types(listed: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for media_type in listed {
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        if essence == "application/json" || essence.ends_with("+json") {
            continue;
        }
        let media_type = if essence == "*/*" {
            OCTET_STREAM.to_owned()
        } else {
            media_type.clone()
        };
        if !out.contains(&media_type) {
            out.push(media_type);
        }
    }
    if out.is_empty() {
        out.push(OCTET_STREAM.to_owned());
    }
    out
}

fn is_body(parameter: &Value) -> bool {
    parameter.get("in").and_then(Value::as_str) == Some("body")
}

fn convert_path_item(
    item: Value,
    consumes: &[String],
    produces: &[String],
    shared: &Map<String, Value>,
) -> Value {
    let Value::Object(item) = item else {
        return item;
    };
    // A body parameter of the path item is the request body of each of its operations.
    let mut item_body = None;
    let mut out = Map::new();
    for (key, value) in item {
        if key == "parameters" {
            let (parameters, body) = convert_parameter_list(value, consumes, shared);
            item_body = body;
            out.insert(key, parameters);
        } else {
            out.insert(key, value);
        }
    }
    for method in METHODS {
        if let Some(operation) = out.get_mut(*method) {
            let taken = std::mem::take(operation);
            *operation = convert_operation(taken, consumes, produces, shared, item_body.as_ref());
        }
    }
    Value::Object(out)
}

fn convert_operation(
    operation: Value,
    consumes: &[String],
    produces: &[String],
    shared: &Map<String, Value>,
    item_body: Option<&Value>,
) -> Value {
    let Value::Object(mut operation) = operation else {
        return operation;
    };
    let consumes = match operation.remove("consumes") {
        Some(own) => media_types(Some(&own)),
        None => consumes.to_vec(),
    };
    let produces = match operation.remove("produces") {
        Some(own) => media_types(Some(&own)),
        None => produces.to_vec(),
    };
    let mut out = Map::new();
    let mut body = item_body.cloned();
    for (key, value) in operation {
        match key.as_str() {
            "parameters" => {
                let (parameters, own_body) = convert_parameter_list(value, &consumes, shared);
                if own_body.is_some() {
                    body = own_body;
                }
                out.insert(key, parameters);
                if let Some(body) = body.take() {
                    out.insert("requestBody".to_owned(), body);
                }
            }
            "responses" => {
                let converted = match value {
                    Value::Object(responses) => Value::Object(
                        responses
                            .into_iter()
                            .map(|(status, response)| {
                                (status, convert_response(response, &produces))
                            })
                            .collect(),
                    ),
                    other => other,
                };
                out.insert(key, converted);
            }
            _ => {
                out.insert(key, value);
            }
        }
    }
    if let Some(body) = body {
        out.insert("requestBody".to_owned(), body);
    }
    Value::Object(out)
}

/// The parameters of a list but the body, converted, and the body as a request body.
fn convert_parameter_list(
    list: Value,
    consumes: &[String],
    shared: &Map<String, Value>,
) -> (Value, Option<Value>) {
    let Value::Array(list) = list else {
        return (list, None);
    };
    let mut parameters = Vec::new();
    let mut body = None;
    for parameter in list {
        let shared_name = parameter
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix("#/parameters/"));
        if let Some(name) = shared_name {
            if shared.get(name).is_some_and(is_body) {
                body = Some(json!({ "$ref": format!("#/components/requestBodies/{name}") }));
                continue;
            }
            parameters.push(parameter);
        } else if is_body(&parameter) {
            body = Some(convert_body(parameter, consumes));
        } else {
            parameters.push(convert_parameter(parameter));
        }
    }
    (Value::Array(parameters), body)
}

/// A parameter other than the body: the keys of its schema under `schema`.
fn convert_parameter(parameter: Value) -> Value {
    let Value::Object(mut parameter) = parameter else {
        return parameter;
    };
    if parameter.contains_key("$ref") || parameter.contains_key("schema") {
        return Value::Object(parameter);
    }
    let schema = take_schema_keys(&mut parameter);
    match parameter
        .remove("collectionFormat")
        .as_ref()
        .and_then(Value::as_str)
    {
        // Repeated (`?a=1&a=2`) is OpenAPI 3's default for query parameters.
        Some("multi") | None => {}
        Some(format) => {
            let style = match format {
                "ssv" => "spaceDelimited",
                "pipes" => "pipeDelimited",
                // `csv`; `tsv` has no OpenAPI 3 equivalent.
                _ => "form",
            };
            parameter.insert("style".to_owned(), json!(style));
            parameter.insert("explode".to_owned(), json!(false));
        }
    }
    if let Some(example) = parameter.get_mut("example") {
        typed_example(example, &schema);
    }
    parameter.insert("schema".to_owned(), Value::Object(schema));
    Value::Object(parameter)
}

/// A Swagger 2.0 parameter's `x-example` is its text in the request (`?limit=3` is written
/// `x-example: "3"`, a session ID `1234` is the text `1234`), where OpenAPI 3's `example` is a
/// value of the parameter's schema (v1.8 wrote them `3` and `"1234"`): a string that reads as
/// the schema's integer, number or boolean becomes one, and a number or boolean given for a
/// string becomes its text. Anything else is left for the examples' tests to judge.
fn typed_example(example: &mut Value, schema: &Map<String, Value>) {
    let ty = schema.get("type").and_then(Value::as_str);
    let typed = match (ty, &*example) {
        (Some("integer"), Value::String(text)) => text.trim().parse::<i64>().ok().map(Value::from),
        (Some("number"), Value::String(text)) => text
            .trim()
            .parse::<serde_json::Number>()
            .ok()
            .map(Value::Number),
        (Some("boolean"), Value::String(text)) => match text.trim() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        (Some("string"), Value::Number(number)) => Some(Value::String(number.to_string())),
        (Some("string"), Value::Bool(flag)) => Some(Value::String(flag.to_string())),
        _ => None,
    };
    if let Some(typed) = typed {
        *example = typed;
    }
}

/// The keys of `object` that are its schema's, removed from it.
fn take_schema_keys(object: &mut Map<String, Value>) -> Map<String, Value> {
    let mut schema = Map::new();
    for key in SCHEMA_KEYS {
        if let Some(value) = object.remove(*key) {
            schema.insert((*key).to_owned(), value);
        }
    }
    schema
}

/// Whether a body schema is raw bytes rather than JSON.
fn is_bytes(schema: &Value, media_types: &[String]) -> bool {
    let ty = schema.get("type").and_then(Value::as_str);
    let format = schema.get("format").and_then(Value::as_str);
    let non_json = media_types
        .iter()
        .any(|m| m != "application/json" && !m.ends_with("+json"));
    ty == Some("file")
        || (non_json && ty == Some("string") && matches!(format, Some("binary" | "byte")))
}

/// A body parameter as a request body.
fn convert_body(parameter: Value, consumes: &[String]) -> Value {
    let Value::Object(parameter) = parameter else {
        return parameter;
    };
    let mut schema = None;
    let mut example = None;
    let mut body = Map::new();
    for (key, value) in parameter {
        match key.as_str() {
            "schema" => schema = Some(value),
            "example" => example = Some(value),
            // The body has no name in OpenAPI 3; its `type` beside `schema` repeats the schema's.
            "in" | "name" | "type" => {}
            _ => {
                body.insert(key, value);
            }
        }
    }
    let mut schema = schema.unwrap_or_else(|| json!({}));
    let media_types = if is_bytes(&schema, consumes) {
        if schema.get("type").and_then(Value::as_str) == Some("file") {
            if let Some(schema) = schema.as_object_mut() {
                schema.remove("type");
            }
        }
        byte_media_types(consumes)
    } else {
        vec!["application/json".to_owned()]
    };
    let mut content = Map::new();
    for media_type in media_types {
        let mut entry = Map::new();
        entry.insert("schema".to_owned(), schema.clone());
        if let Some(example) = &example {
            entry.insert("example".to_owned(), example.clone());
        }
        content.insert(media_type, Value::Object(entry));
    }
    body.insert("content".to_owned(), Value::Object(content));
    Value::Object(body)
}

/// A response: its `schema` and `examples` as `content`, its headers with a `schema`.
fn convert_response(response: Value, produces: &[String]) -> Value {
    let Value::Object(response) = response else {
        return response;
    };
    if response.contains_key("$ref") {
        return Value::Object(response);
    }
    let mut out = Map::new();
    let mut content = Map::new();
    let mut examples = None;
    for (key, value) in response {
        match key.as_str() {
            "schema" => {
                let mut schema = value;
                if schema.get("type").and_then(Value::as_str) == Some("file") {
                    if let Some(schema) = schema.as_object_mut() {
                        schema.remove("type");
                    }
                    for media_type in byte_media_types(produces) {
                        content.insert(media_type, json!({ "schema": schema.clone() }));
                    }
                } else {
                    content.insert("application/json".to_owned(), json!({ "schema": schema }));
                }
            }
            "examples" => match value {
                Value::Object(by_media_type) => examples = Some(by_media_type),
                // Not examples by media type: left for the later stages to report.
                other => {
                    out.insert(key, other);
                }
            },
            "headers" => {
                let converted = match value {
                    Value::Object(headers) => Value::Object(
                        headers
                            .into_iter()
                            .map(|(name, header)| (name, convert_header(header)))
                            .collect(),
                    ),
                    other => other,
                };
                out.insert(key, converted);
            }
            _ => {
                out.insert(key, value);
            }
        }
    }
    for (media_type, example) in examples.into_iter().flatten() {
        let media_type = if media_type == "*/*" {
            OCTET_STREAM.to_owned()
        } else {
            media_type
        };
        let entry = content.entry(media_type).or_insert_with(|| json!({}));
        if let Some(entry) = entry.as_object_mut() {
            entry.insert("example".to_owned(), example);
        }
    }
    if !content.is_empty() {
        out.insert("content".to_owned(), Value::Object(content));
    }
    Value::Object(out)
}

/// A response header: the keys of its schema under `schema`.
fn convert_header(header: Value) -> Value {
    let Value::Object(mut header) = header else {
        return header;
    };
    if header.contains_key("$ref") || header.contains_key("schema") {
        return Value::Object(header);
    }
    let schema = take_schema_keys(&mut header);
    header.insert("schema".to_owned(), Value::Object(schema));
    Value::Object(header)
}

/// Local `$ref`s to what moved under `components` follow it.
fn rewrite_local_refs(node: &mut Value) {
    const MOVED: &[(&str, &str)] = &[
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
    ];
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if key == "$ref" {
                    if let Value::String(reference) = value {
                        for (from, to) in MOVED {
                            if let Some(rest) = reference.strip_prefix(from) {
                                *reference = format!("{to}{rest}");
                                break;
                            }
                        }
                    }
                } else {
                    rewrite_local_refs(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_local_refs),
        _ => {}
    }
}

#[cfg(test)]
mod tests;

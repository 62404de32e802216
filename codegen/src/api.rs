//! Stage 1b: the operations of the spec's OpenAPI documents (`data/api/<api>/*.yaml`).
//!
//! An operation is not a schema: its parameters, request body and responses each point at
//! one. This stage reads what the documents say about each operation (following the
//! OpenAPI `$ref`s to `components` and to other files) and hands the schema locations to
//! the resolver; the model names the types. Swagger 2.0 descriptions (v1.1 to v1.7) reach
//! this stage in the OpenAPI 3.1 shape (`crate::swagger`).

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Errors, Location};
use crate::load::{join_relative, Documents};
use crate::resolve::Docs;

/// The folder of the API documents, relative to the spec's `data/` folder.
pub const API_DIR: &str = "api";

/// The HTTP methods an OpenAPI path item may hold, in the order they are listed.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The API folder: `client-server`, `server-server`, ...
    pub api: String,
    /// Where the operation is written: file and pointer of its object.
    pub location: Location,
    /// Lowercase, as the spec writes it.
    pub method: String,
    /// The path key as the spec writes it, relative to `base_path`.
    pub path: String,
    /// The `basePath` default of the document's server (`/_matrix/client/v3`).
    pub base_path: String,
    pub operation_id: String,
    /// `summary` as the title, `description`, version history, `deprecated`.
    pub docs: Docs,
    /// The names of the security schemes any one of which the server accepts.
    pub security: Vec<String>,
    /// Whether a request without credentials is accepted too (an empty requirement).
    pub security_optional: bool,
    /// The server may answer 429.
    pub rate_limited: bool,
    pub parameters: Vec<Parameter>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParameterIn {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub place: ParameterIn,
    pub required: bool,
    pub docs: Docs,
    /// The parameter's `schema`, where it is written.
    pub schema: Location,
}

/// What a request or response carries: JSON described by a schema, or other bytes.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Json(Location),
    /// Any other media type (an upload, a thumbnail): the bytes as they are.
    Bytes(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub required: bool,
    pub docs: Docs,
    pub content: Content,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// `200`, `429`, ... as written.
    pub status: String,
    pub docs: Docs,
    /// `None` when the response has no body.
    pub content: Option<Content>,
    /// The headers the spec names, as parameters `in: header`.
    pub headers: Vec<Parameter>,
    /// For an error status (`4xx`, `5xx`, a range of them), the error codes (`M_…`) the
    /// response names, sorted: in its description, its examples, and its schema where it is
    /// written inline (an `enum` of `errcode`). Empty for other statuses.
    pub error_codes: Vec<String>,
}

/// Whether a response's status, as written (`403`, `4XX`), is an error: 4xx or 5xx.
pub fn is_error_status(status: &str) -> bool {
    status.starts_with(['4', '5'])
}

/// The error codes `text` names: `M_` and capitals, digits and `_` (not ending with `_`), not
/// part of a longer word (`COM.EXAMPLE_M_X` names none).
pub fn error_codes_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices("M_") {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.') {
            continue;
        }
        let rest = &text[at + 2..];
        let length = rest
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(rest.len());
        let name = rest[..length].trim_end_matches('_');
        let after = rest[name.len()..].chars().next();
        if name.starts_with(|c: char| c.is_ascii_uppercase())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
        {
            found.push(format!("M_{name}"));
        }
    }
    found
}

/// The error codes named in the strings of `value`, anywhere in it, sorted and once each.
fn error_codes_of(value: &Value) -> Vec<String> {
    fn walk(value: &Value, out: &mut std::collections::BTreeSet<String>) {
        match value {
            Value::String(text) => out.extend(error_codes_in(text)),
            Value::Array(items) => items.iter().for_each(|item| walk(item, out)),
            Value::Object(map) => map.values().for_each(|item| walk(item, out)),
            _ => {}
        }
    }
    let mut found = std::collections::BTreeSet::new();
    walk(value, &mut found);
    found.into_iter().collect()
}

impl Operation {
    /// Every schema location the operation uses, for the resolver.
    pub fn schemas(&self) -> Vec<Location> {
        let mut schemas: Vec<Location> = self.parameters.iter().map(|p| p.schema.clone()).collect();
        schemas.extend(
            self.responses
                .iter()
                .flat_map(|r| &r.headers)
                .map(|h| h.schema.clone()),
        );
        let contents = self
            .body
            .iter()
            .map(|b| &b.content)
            .chain(self.responses.iter().filter_map(|r| r.content.as_ref()));
        for content in contents {
            if let Content::Json(at) = content {
                schemas.push(at.clone());
            }
        }
        schemas
    }
}

/// The API documents: the `.yaml` files directly in each folder of `data/api/` (their
/// `definitions/` are reached through `$ref`s), sorted.
pub fn api_files(data_dir: &std::path::Path) -> Result<Vec<String>, Errors> {
    let root = data_dir.join(API_DIR);
    if !root.is_dir() {
        return Ok(Vec::new());
    }
    let listing = |dir: &std::path::Path, shown: &str| {
        std::fs::read_dir(dir).map_err(|err| {
            Errors::from(Diagnostic::new(
                Location::new(shown, ""),
                format!("cannot list folder: {err}"),
            ))
        })
    };
    let mut files = Vec::new();
    for api in listing(&root, API_DIR)?.flatten() {
        if !api.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let api_name = api.file_name().to_string_lossy().into_owned();
        let shown = format!("{API_DIR}/{api_name}");
        files.extend(
            crate::load::list_yaml_files(data_dir, &shown).map_err(|err| {
                Errors::from(Diagnostic::new(
                    Location::new(shown.clone(), ""),
                    format!("cannot list folder: {err}"),
                ))
            })?,
        );
    }
    files.sort();
    Ok(files)
}

/// Reads the operations of every file in `files` (relative to `data/`), in file order, then
/// path and method order as written.
pub fn operations(docs: &mut Documents, files: &[String]) -> Result<Vec<Operation>, Errors> {
    let mut reader = Reader {
        docs,
        errors: Vec::new(),
    };
    let mut operations = Vec::new();
    for file in files {
        reader.file(file, &mut operations);
    }
    if reader.errors.is_empty() {
        Ok(operations)
    } else {
        Err(Errors(reader.errors))
    }
}

struct Reader<'a> {
    docs: &'a mut Documents,
    errors: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn file(&mut self, file: &str, out: &mut Vec<Operation>) {
        let document = match self.docs.load(file) {
            Ok(document) => document.clone(),
            Err(err) => return self.errors.push(err),
        };
        let root = Location::new(file, "");
        let Some(paths) = document.get("paths") else {
            // A file of shared parts, not of operations.
            return;
        };
        let Some(paths) = paths.as_object() else {
            return self.error(root.child("paths"), "`paths` must be an object");
        };
        let api = file
            .strip_prefix("api/")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default()
            .to_owned();
        // Swagger 2.0's `basePath` is there too (`crate::swagger`).
        let base_path = document
            .pointer("/servers/0/variables/basePath/default")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let securities = document
            .get("security")
            .cloned()
            .unwrap_or(Value::Array(Vec::new()));
        for (path, item) in paths {
            let item_at = root.child("paths").child(path);
            let Some(item) = item.as_object() else {
                self.error(item_at, "a path item must be an object");
                continue;
            };
            let shared_parameters = item.get("parameters").cloned();
            for method in METHODS {
                let Some(operation) = item.get(*method) else {
                    continue;
                };
                let at = item_at.child(method);
                let Some(operation) = operation.as_object() else {
                    self.error(at, "an operation must be an object");
                    continue;
                };
                let context = OperationContext {
                    api: &api,
                    path,
                    method,
                    base_path: &base_path,
                    default_security: &securities,
                    shared_parameters: shared_parameters.as_ref(),
                    item_at: &item_at,
                };
                if let Some(operation) = self.operation(&at, operation, &context) {
                    out.push(operation);
                }
            }
        }
    }

    fn operation(
        &mut self,
        at: &Location,
        operation: &Map<String, Value>,
        context: &OperationContext,
    ) -> Option<Operation> {
        let operation_id = match operation.get("operationId").and_then(Value::as_str) {
            Some(id) => id.to_owned(),
            None => {
                self.error(at.clone(), "an operation needs an `operationId`");
                return None;
            }
        };
        let mut docs = docs_of(operation);
        docs.title = operation
            .get("summary")
            .and_then(Value::as_str)
            .map(str::to_owned);

        let security = operation
            .get("security")
            .unwrap_or(context.default_security);
        let mut schemes = Vec::new();
        let mut security_optional = false;
        for requirement in security.as_array().into_iter().flatten() {
            match requirement.as_object() {
                Some(names) if names.is_empty() => security_optional = true,
                Some(names) => schemes.extend(names.keys().cloned()),
                None => self.error(
                    at.child("security"),
                    "a security requirement must be an object",
                ),
            }
        }
        schemes.dedup();
        if schemes.is_empty() {
            security_optional = false;
        }

        let mut parameters = Vec::new();
        let mut body = None;
        let shared = context
            .shared_parameters
            .map(|list| (context.item_at.child("parameters"), list.clone()));
        let own = operation
            .get("parameters")
            .map(|list| (at.child("parameters"), list.clone()));
        for (list_at, list) in shared.into_iter().chain(own) {
            let Some(list) = list.as_array() else {
                self.error(list_at, "`parameters` must be a list");
                continue;
            };
            for (index, parameter) in list.iter().enumerate() {
                let param_at = list_at.child(&index.to_string());
                if let Some(parameter) = self.parameter(param_at, parameter) {
                    // An operation's own parameter replaces a path item's of the same name and place.
                    parameters.retain(|p: &Parameter| {
                        !(p.name == parameter.name && p.place == parameter.place)
                    });
                    parameters.push(parameter);
                }
            }
        }
        if let Some(request) = operation.get("requestBody") {
            body = self.body(at.child("requestBody"), request);
        }

        let mut responses = Vec::new();
        match operation.get("responses").and_then(Value::as_object) {
            Some(map) => {
                for (status, response) in map {
                    let response_at = at.child("responses").child(status);
                    if let Some(response) = self.response(response_at, status, response) {
                        responses.push(response);
                    }
                }
            }
            None => self.error(at.clone(), "an operation needs `responses`"),
        }
        let rate_limited = responses.iter().any(|r| r.status == "429");
        Some(Operation {
            api: context.api.to_owned(),
            location: at.clone(),
            method: context.method.to_owned(),
            path: context.path.to_owned(),
            base_path: context.base_path.to_owned(),
            operation_id,
            docs,
            security: schemes,
            security_optional,
            rate_limited,
            parameters,
            body,
            responses,
        })
    }

    /// Follows an OpenAPI `$ref` (to `#/components/...` or another file) until an object
    /// without one; returns it and where it is.
    fn follow(
        &mut self,
        mut at: Location,
        value: &Value,
    ) -> Option<(Location, Map<String, Value>)> {
        let mut value = value.clone();
        for _ in 0..16 {
            let Some(object) = value.as_object() else {
                self.error(at, "expected an object");
                return None;
            };
            let Some(reference) = object.get("$ref") else {
                return Some((at, object.clone()));
            };
            let Some(reference) = reference.as_str() else {
                self.error(at.child("$ref"), "`$ref` must be a string");
                return None;
            };
            let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
            let file = if path.is_empty() {
                Some(at.file.clone())
            } else {
                join_relative(&at.file, path)
            };
            let Some(file) = file else {
                self.error(
                    at.child("$ref"),
                    format!("`$ref: {reference}` points outside the spec's data folder"),
                );
                return None;
            };
            if let Err(err) = self.docs.load(&file) {
                self.errors.push(
                    Diagnostic::new(at.child("$ref"), format!("dangling `$ref: {reference}`"))
                        .with_related(err.location, err.message),
                );
                return None;
            }
            let target = Location::new(file, fragment);
            match self.docs.node(&target) {
                Some(found) => {
                    value = found.clone();
                    at = target;
                }
                None => {
                    self.error(
                        at.child("$ref"),
                        format!("dangling `$ref: {reference}`: {target} does not exist"),
                    );
                    return None;
                }
            }
        }
        self.error(at, "`$ref`s lead round in a cycle");
        None
    }

    fn parameter(&mut self, at: Location, value: &Value) -> Option<Parameter> {
        let (at, parameter) = self.follow(at, value)?;
        let name = parameter.get("name").and_then(Value::as_str);
        let place = parameter.get("in").and_then(Value::as_str);
        let (Some(name), Some(place)) = (name, place) else {
            self.error(at, "a parameter needs a `name` and an `in`");
            return None;
        };
        let place = match place {
            "path" => ParameterIn::Path,
            "query" => ParameterIn::Query,
            "header" => ParameterIn::Header,
            // Cookies and forms are not used by Matrix; Swagger 2.0's `in: body` is the
            // `requestBody` by now (`crate::swagger`).
            other => {
                self.error(
                    at.child("in"),
                    format!("parameters `in: {other}` are not supported"),
                );
                return None;
            }
        };
        if !parameter.contains_key("schema") {
            self.error(at, "a parameter needs a `schema`");
            return None;
        }
        let schema = at.child("schema");
        Some(Parameter {
            name: name.to_owned(),
            place,
            required: parameter
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(place == ParameterIn::Path),
            docs: docs_of(&parameter),
            schema,
        })
    }

    fn body(&mut self, at: Location, value: &Value) -> Option<Body> {
        let (at, body) = self.follow(at, value)?;
        let content = self.content(&at, &body)?;
        Some(Body {
            required: body
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            docs: docs_of(&body),
            content,
        })
    }

    fn response(&mut self, at: Location, status: &str, value: &Value) -> Option<Response> {
        let (at, response) = self.follow(at, value)?;
        let content = if response.contains_key("content") {
            Some(self.content(&at, &response)?)
        } else if response.contains_key("schema") {
            // Swagger 2.0's place for it, which `crate::swagger` moves into `content`: here,
            // in an OpenAPI document, it would describe nothing.
            self.error(
                at.child("schema"),
                "a response's `schema` belongs in its `content` (by media type)",
            );
            return None;
        } else {
            None
        };
        let mut headers = Vec::new();
        if let Some(named) = response.get("headers").and_then(Value::as_object) {
            for (name, header) in named {
                let header_at = at.child("headers").child(name);
                let Some((header_at, header)) = self.follow(header_at, header) else {
                    continue;
                };
                if !header.contains_key("schema") {
                    self.error(header_at, "a header needs a `schema`");
                    continue;
                }
                let schema = header_at.child("schema");
                headers.push(Parameter {
                    name: name.clone(),
                    place: ParameterIn::Header,
                    required: header
                        .get("required")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    docs: docs_of(&header),
                    schema,
                });
            }
        }
        let error_codes = if is_error_status(status) {
            error_codes_of(&Value::Object(response.clone()))
        } else {
            Vec::new()
        };
        Some(Response {
            status: status.to_owned(),
            docs: docs_of(&response),
            content,
            headers,
            error_codes,
        })
    }

    /// The `content` of a request body or response: JSON when it has `application/json`.
    fn content(&mut self, at: &Location, object: &Map<String, Value>) -> Option<Content> {
        let Some(content) = object.get("content").and_then(Value::as_object) else {
            self.error(at.child("content"), "`content` must be an object");
            return None;
        };
        if let Some(json) = content.get("application/json") {
            let json_at = at.child("content").child("application/json");
            if json.get("schema").is_none() {
                self.error(json_at, "JSON content needs a `schema`");
                return None;
            }
            return Some(Content::Json(json_at.child("schema")));
        }
        Some(Content::Bytes(content.keys().cloned().collect()))
    }

    fn error(&mut self, at: Location, message: impl Into<String>) {
        self.errors.push(Diagnostic::new(at, message));
    }
}

struct OperationContext<'a> {
    api: &'a str,
    path: &'a str,
    method: &'a str,
    base_path: &'a str,
    default_security: &'a Value,
    shared_parameters: Option<&'a Value>,
    item_at: &'a Location,
}

/// `description`, version history and `deprecated` of an OpenAPI object.
fn docs_of(object: &Map<String, Value>) -> Docs {
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let changed_in = object
        .get("x-changedInMatrixVersion")
        .and_then(Value::as_object)
        .map(|changes| {
            changes
                .iter()
                .map(|(version, what)| {
                    (
                        version.clone(),
                        what.as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Docs {
        title: None,
        description: text("description"),
        added_in: object.get("x-addedInMatrixVersion").map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }),
        changed_in,
        deprecated: object
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::tests::Tree;

    const PETS: &str = r##"
openapi: 3.1.0
servers:
  - url: "{basePath}"
    variables:
      basePath: {default: /_matrix/pets/v1}
paths:
  "/pets/{petId}":
    parameters:
      - {in: path, name: petId, required: true, schema: {type: string}}
    get:
      operationId: getPet
      summary: Get a pet.
      x-addedInMatrixVersion: "1.2"
      security:
        - accessTokenBearer: []
        - {}
      parameters:
        - $ref: '#/components/parameters/limit'
        - {in: header, name: X-Mood, schema: {type: string}}
      responses:
        "200":
          description: The pet.
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
        "429":
          $ref: '#/components/responses/limited'
    put:
      operationId: putPet
      deprecated: true
      requestBody:
        required: true
        content:
          image/png: {schema: {type: string, format: binary}}
      responses:
        "200": {description: Done.}
components:
  parameters:
    limit: {in: query, name: limit, schema: {type: integer}}
  responses:
    limited:
      description: Slow down.
      content:
        application/json:
          schema: {$ref: definitions/error.yaml}
"##;

    fn read(name: &str, files: &[(&str, &str)]) -> Result<Vec<Operation>, Errors> {
        let tree = Tree::new(name, files);
        let mut docs = Documents::new(tree.0.join("data"), Default::default());
        let listed = api_files(&tree.0.join("data"))?;
        operations(&mut docs, &listed)
    }

    #[test]
    fn operations_carry_parameters_bodies_responses_and_metadata() {
        let ops = read(
            "api-operations",
            &[
                ("data/api/pets/pets.yaml", PETS),
                ("data/api/pets/definitions/error.yaml", "type: object\n"),
            ],
        )
        .unwrap();
        assert_eq!(ops.len(), 2);
        let get = &ops[0];
        assert_eq!(
            (get.method.as_str(), get.path.as_str()),
            ("get", "/pets/{petId}")
        );
        assert_eq!(get.api, "pets");
        assert_eq!(get.base_path, "/_matrix/pets/v1");
        assert_eq!(get.docs.title.as_deref(), Some("Get a pet."));
        assert_eq!(get.docs.added_in.as_deref(), Some("1.2"));
        assert_eq!(get.security, ["accessTokenBearer"]);
        assert!(get.security_optional);
        assert!(get.rate_limited);
        let params: Vec<(&str, ParameterIn, bool)> = get
            .parameters
            .iter()
            .map(|p| (p.name.as_str(), p.place, p.required))
            .collect();
        assert_eq!(
            params,
            [
                ("petId", ParameterIn::Path, true),
                ("limit", ParameterIn::Query, false),
                ("X-Mood", ParameterIn::Header, false)
            ]
        );
        // A parameter from `components` is located where it is written.
        assert_eq!(
            get.parameters[1].schema.pointer,
            "/components/parameters/limit/schema"
        );
        assert_eq!(get.responses[1].status, "429");
        assert_eq!(
            get.responses[1].content,
            Some(Content::Json(Location::new(
                "api/pets/pets.yaml",
                "/components/responses/limited/content/application~1json/schema"
            )))
        );
        let put = &ops[1];
        assert!(put.docs.deprecated);
        assert!(put.security.is_empty() && !put.rate_limited);
        assert_eq!(
            put.body.as_ref().map(|b| (&b.content, b.required)),
            Some((&Content::Bytes(vec!["image/png".into()]), true))
        );
        assert_eq!(put.responses[0].content, None);
    }

    #[test]
    fn swagger_documents_are_read_converted() {
        let swagger = r##"
swagger: '2.0'
basePath: /_matrix/pets/v1
consumes: [application/json]
paths:
  "/pets/{petId}":
    put:
      operationId: putPet
      parameters:
        - {in: path, name: petId, type: string, required: true, x-example: rex}
        - {in: body, name: body, required: true, schema: {type: object}}
      responses:
        200:
          description: The pet.
          headers: {X-Mood: {type: string}}
          schema: {type: object}
"##;
        let ops = read("api-swagger", &[("data/api/pets/pets.yaml", swagger)]).unwrap();
        let [put] = ops.as_slice() else {
            panic!("one operation expected: {ops:?}");
        };
        assert_eq!(put.base_path, "/_matrix/pets/v1");
        let at = |pointer: &str| Location::new("api/pets/pets.yaml", pointer);
        let op = "/paths/~1pets~1{petId}/put";
        assert_eq!(
            put.parameters[0].schema,
            at(&format!("{op}/parameters/0/schema"))
        );
        assert_eq!(
            put.body.as_ref().map(|b| (&b.content, b.required)),
            Some((
                &Content::Json(at(&format!(
                    "{op}/requestBody/content/application~1json/schema"
                ))),
                true
            ))
        );
        assert_eq!(
            put.responses[0].headers[0].schema,
            at(&format!("{op}/responses/200/headers/X-Mood/schema"))
        );
        // A response `schema` in an OpenAPI document is an error, not a response without body.
        let misplaced = PETS.replace(
            "\"200\": {description: Done.}",
            "\"200\": {description: Done., schema: {type: object}}",
        );
        let errors = read("api-misplaced", &[("data/api/pets/pets.yaml", &misplaced)]).unwrap_err();
        assert_eq!(
            errors.0[0].location,
            at("/paths/~1pets~1{petId}/put/responses/200/schema")
        );
    }

    #[test]
    fn error_codes_are_told_from_words_that_merely_contain_m_() {
        assert_eq!(
            error_codes_in("The errcode is `M_FORBIDDEN`; else M_NOT_FOUND_, or \"M_X2\"."),
            ["M_FORBIDDEN", "M_NOT_FOUND", "M_X2"]
        );
        for none in [
            "COM.EXAMPLE_M_FORBIDDEN",
            "XM_FORBIDDEN",
            "M_",
            "M_9",
            "M_Forbidden",
            "m_forbidden",
        ] {
            assert!(error_codes_in(none).is_empty(), "{none}");
        }
    }

    #[test]
    fn error_responses_carry_the_codes_they_name_from_description_examples_and_schema() {
        let spec = r##"
openapi: 3.1.0
paths:
  "/pets":
    get:
      operationId: getPets
      description: Answers M_FORBIDDEN to strangers.
      responses:
        "200":
          description: Never `M_NOT_AN_ERROR` here.
        "403":
          description: Not yours (`M_FORBIDDEN`).
          content:
            application/json:
              schema:
                type: object
                properties:
                  errcode: {type: string, enum: [M_NOT_YOURS, M_ASLEEP]}
              examples:
                response: {value: {"errcode": "M_NOT_YOURS"}}
        "4XX":
          $ref: '#/components/responses/limited'
components:
  responses:
    limited:
      description: Slow down, with M_LIMIT_EXCEEDED.
"##;
        let ops = read("api-error-codes", &[("data/api/pets/pets.yaml", spec)]).unwrap();
        let codes: Vec<(&str, Vec<&str>)> = ops[0]
            .responses
            .iter()
            .map(|r| {
                (
                    r.status.as_str(),
                    r.error_codes.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            codes,
            [
                ("200", vec![]),
                ("403", vec!["M_ASLEEP", "M_FORBIDDEN", "M_NOT_YOURS"]),
                ("4XX", vec!["M_LIMIT_EXCEEDED"]),
            ]
        );
    }

    #[test]
    fn a_dangling_component_reference_names_its_place() {
        let broken = PETS.replace(
            "#/components/parameters/limit",
            "#/components/parameters/nope",
        );
        let errors = read("api-dangling", &[("data/api/pets/pets.yaml", &broken)]).unwrap_err();
        let first = &errors.0[0];
        assert_eq!(
            first.location,
            Location::new(
                "api/pets/pets.yaml",
                "/paths/~1pets~1{petId}/get/parameters/0/$ref"
            )
        );
        assert!(first.message.contains("dangling"), "{}", first.message);
    }
}

//! API operations end to end on a tiny spec written for the test: which types the model
//! makes for parameters, bodies and responses, how they are named and shared, where the
//! modules go, and what the rendered request and response look like.

use std::path::PathBuf;

use codegen::model::{Payload, TypeRef};

/// A fresh spec folder holding `files` (path below the spec, YAML text), removed when dropped.
struct Spec(PathBuf);

impl Spec {
    fn new(name: &str, files: &[(&str, &str)]) -> Self {
        let dir = std::env::temp_dir().join(format!("api-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let event =
            "type: object\nproperties:\n  type: {type: string}\n  content: {type: object}\n";
        let always = [(
            "data/event-schemas/schema/core-event-schema/event.yaml",
            event,
        )];
        for (path, text) in always.iter().chain(files) {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Spec(dir)
    }
}

impl Drop for Spec {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const ROOMS: &str = r##"
openapi: 3.1.0
servers:
  - url: "{basePath}"
    variables:
      basePath: {default: /_matrix/client/v3}
paths:
  "/rooms/{roomId}/thing":
    put:
      operationId: putThing
      summary: Put a thing.
      security:
        - accessTokenBearer: []
      parameters:
        - {in: path, name: roomId, required: true, schema: {type: string, format: mx-room-id}}
        - {in: query, name: mode, schema: {type: string, enum: [fast, slow]}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                size: {type: integer}
      responses:
        "200":
          description: Done.
          content:
            application/json:
              schema:
                type: object
                properties:
                  thing_id: {type: string}
        "403":
          description: Not allowed.
          content:
            application/json:
              schema: {$ref: definitions/error.yaml}
        "429":
          description: Slow down.
          content:
            application/json:
              schema: {$ref: definitions/error.yaml}
  "/rooms/{roomId}/other":
    get:
      operationId: getOther
      responses:
        "200":
          description: The other.
          content:
            application/json:
              schema: {$ref: definitions/error.yaml}
        "204":
          description: Nothing.
"##;

const ERROR: &str =
    "type: object\ntitle: Error\nproperties:\n  errcode: {type: string}\nrequired: [errcode]\n";

/// The federation API uses the client-server error too.
const FEDERATION: &str = r##"
openapi: 3.1.0
paths:
  "/version":
    get:
      operationId: getVersion
      responses:
        "200":
          description: The version.
          content:
            application/octet-stream:
              schema: {type: string}
        "500":
          description: Broken.
          content:
            application/json:
              schema: {$ref: ../client-server/definitions/error.yaml}
"##;

fn spec(name: &str) -> Spec {
    Spec::new(
        name,
        &[
            ("data/api/client-server/rooms.yaml", ROOMS),
            ("data/api/client-server/definitions/error.yaml", ERROR),
            (
                "data/api/client-server/definitions/security.yaml",
                "accessTokenBearer: {type: http, scheme: bearer}\n",
            ),
            ("data/api/server-server/version.yaml", FEDERATION),
        ],
    )
}

#[test]
fn operations_get_requests_responses_and_shared_definitions_once() {
    let spec = spec("model");
    let generated = codegen::generate(&spec.0, None).unwrap();
    let rooms = &generated.files["client_server/rooms.rs"];
    // The request: parameters typed from their schemas, the body named for the operation.
    for expected in [
        "pub struct PutThingRequest {",
        "pub room_id: RoomId,",
        "pub mode: Option<PutThingMode>,",
        "pub body: PutThingRequestBody,",
        "pub struct PutThingRequestBody {",
        "pub size: Option<i64>,",
        "pub struct PutThingResponseBody {",
        "pub enum PutThingResponse {",
        "Ok(Box<PutThingResponseBody>),",
        "Forbidden(Box<Error>),",
        "TooManyRequests(Box<Error>),",
        "method: \"PUT\",",
        "path: \"/_matrix/client/v3/rooms/{roomId}/thing\",",
        "operation_id: \"putThing\",",
        "authentication: &[\"accessTokenBearer\"],",
        "rate_limited: true,",
        "parts.path(\"roomId\", &self.room_id)?;",
        "parts.query(\"mode\", &self.mode)?;",
        "429 => Self::TooManyRequests(Box::new(crate::api::json(status, body)?)),",
        "NoContent,",
        "204 => Self::NoContent,",
    ] {
        assert!(rooms.contains(expected), "no `{expected}` in\n{rooms}");
    }
    // The error is one type, used by both APIs, so it lives with the shared types.
    let error_files: Vec<&String> = generated
        .files
        .iter()
        .filter(|(_, text)| text.contains("pub struct Error {"))
        .map(|(path, _)| path)
        .collect();
    assert_eq!(error_files, ["common/client_server_error.rs"]);
    assert!(
        rooms.contains("use crate::common::{Error};")
            || rooms.contains("use crate::common::Error;"),
        "{rooms}"
    );
    let version = &generated.files["server_server/version.rs"];
    assert!(version.contains("Ok(Vec<u8>),"), "{version}");
    assert!(
        version.contains("InternalServerError(Box<Error>),"),
        "{version}"
    );
    assert!(version.contains("authentication: &[],"), "{version}");
    // The security schemes file is not a schema: no type for it.
    assert!(!generated.files.keys().any(|path| path.contains("security")));

    let index = &generated.files["schema_index.rs"];
    assert!(
        index.contains("(\"api/client-server/rooms.yaml\", \"put\", \"/rooms/{roomId}/thing\")"),
        "{index}"
    );
    assert!(
        index.contains("(\"api/server-server/version.yaml\", \"get\", \"/version\")"),
        "{index}"
    );
    // Examples find their types where the schema is written, `$ref` or not; the index names
    // each type by its path (names are unique in a folder, not in the crate).
    assert_eq!(
        schema_type_at(
            index,
            "api/client-server/rooms.yaml",
            "/paths/~1rooms~1{roomId}~1thing/put/responses/403/content/application~1json/schema"
        )
        .as_deref(),
        Some("crate::common::Error"),
        "{index}"
    );
}

/// The type `schema_index::round_trip_at` reads the schema at `pointer` of `file` as, from
/// the index's text (whitespace left out); `None` when it has no arm for it.
fn schema_type_at(index: &str, file: &str, pointer: &str) -> Option<String> {
    let flat: String = index.chars().filter(|c| !c.is_whitespace()).collect();
    let start = flat.find(&format!("\"{file}\"=>"))?;
    let block = &flat[start..];
    let block = &block[block.find("matchpointer{")?..];
    let block = &block[..block.find("_=>returnNone,")?];
    let arm = &block[block.find(&format!("\"{pointer}\"=>"))?..];
    let ty = arm.split_once("via::<")?.1;
    Some(ty[..ty.find(">(value)")?].to_owned())
}

#[test]
fn the_model_names_inline_schemas_for_their_operation_and_shared_ones_for_their_file() {
    let spec = spec("names");
    let data = spec.0.join("data");
    let mut docs = codegen::load::Documents::new(&data, Default::default());
    let files = codegen::api::api_files(&data).unwrap();
    let operations = codegen::api::operations(&mut docs, &files).unwrap();
    let schemas: Vec<codegen::Location> = operations.iter().flat_map(|op| op.schemas()).collect();
    let (graph, _) = codegen::resolve::resolve_at(&mut docs, &schemas).unwrap();
    let model = codegen::model::build_with_operations(
        &graph,
        &[],
        &codegen::model::EventKinds::default(),
        &operations,
    )
    .unwrap();
    let ops: Vec<&codegen::model::OperationDef> =
        model.modules.values().flat_map(|m| &m.operations).collect();
    let names: Vec<(&str, &str)> = ops
        .iter()
        .map(|op| (op.request_name.as_str(), op.response_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("PutThingRequest", "PutThingResponse"),
            ("GetOtherRequest", "GetOtherResponse"),
            ("GetVersionRequest", "GetVersionResponse")
        ]
    );
    let get_other = ops[1];
    assert_eq!(
        get_other.responses[0].payload,
        Some(Payload::Json(TypeRef::Named("Error".into()), false)),
        "a shared definition keeps its own name, even as a first success body"
    );
    assert_eq!(get_other.responses[1].payload, None);
    let version = ops[2];
    assert_eq!(version.full_path, "/version");
    assert!(matches!(
        version.responses[0].payload,
        Some(Payload::Bytes(_))
    ));
}

/// Two operations of one path and method, told apart as the spec does (`inviting.yaml`'s
/// `"/rooms/{roomId}/invite "` beside the 3PID invite; peeking's `"/events "`).
const SAME_PATH: &str = r##"
openapi: 3.1.0
servers:
  - url: "{basePath}"
    variables:
      basePath: {default: /_matrix/client/v3}
paths:
  "/rooms/{roomId}/invite":
    post:
      operationId: inviteBy3PID
      parameters:
        - {in: path, name: roomId, required: true, schema: {type: string}}
      responses:
        "200": {description: Done.}
  "/rooms/{roomId}/invite ":
    post:
      operationId: inviteUser
      parameters:
        - {in: path, name: roomId, required: true, schema: {type: string}}
      responses:
        "200": {description: Done.}
"##;

#[test]
fn a_path_key_with_a_trailing_space_keeps_it_as_identity_and_sends_to_the_trimmed_path() {
    let spec = Spec::new(
        "same-path",
        &[("data/api/client-server/inviting.yaml", SAME_PATH)],
    );
    let generated = codegen::generate(&spec.0, None).unwrap();
    let inviting = &generated.files["client_server/inviting.rs"];
    let path = "path: \"/_matrix/client/v3/rooms/{roomId}/invite\",";
    assert_eq!(inviting.matches(path).count(), 2, "{inviting}");
    assert!(!inviting.contains("invite \""), "{inviting}");
    // The spec's keys stay the operations' identity, as the tests find them in the spec.
    let index = &generated.files["schema_index.rs"];
    for key in ["/rooms/{roomId}/invite", "/rooms/{roomId}/invite "] {
        let listed = format!("(\"api/client-server/inviting.yaml\", \"post\", \"{key}\")");
        assert!(index.contains(&listed), "no {listed} in {index}");
    }
}

#[test]
fn a_dangling_schema_ref_in_an_operation_names_the_file_and_pointer() {
    let broken = ROOMS.replace(
        "definitions/error.yaml}\n        \"429\"",
        "definitions/nope.yaml}\n        \"429\"",
    );
    let spec = Spec::new(
        "dangling",
        &[
            ("data/api/client-server/rooms.yaml", &broken),
            ("data/api/client-server/definitions/error.yaml", ERROR),
        ],
    );
    let errors = codegen::generate(&spec.0, None).unwrap_err();
    let shown = errors.to_string();
    assert!(
        shown.contains("api/client-server/rooms.yaml#/paths/~1rooms~1{roomId}~1thing/put/responses/403/content/application~1json/schema/$ref"),
        "{shown}"
    );
    assert!(shown.contains("dangling"), "{shown}");
}

const CONDITIONS: &str = r##"
openapi: 3.1.0
paths:
  "/conditions":
    post:
      operationId: postConditions
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                tagged:
                  oneOf:
                    - type: object
                      properties:
                        kind: {type: string, enum: [event_match]}
                        pattern: {type: string}
                      required: [kind]
                    - type: object
                      properties:
                        kind: {type: string, enum: [room_member_count]}
                        is: {type: string}
                      required: [kind]
                untagged:
                  oneOf:
                    - type: object
                    - type: string
                      format: mx-user-id
                    - type: integer
      responses:
        "200": {description: Done.}
"##;

#[test]
fn one_of_is_tagged_when_a_required_constant_tells_alternatives_apart_else_untagged_free_form_last()
{
    let spec = Spec::new(
        "unions",
        &[("data/api/client-server/conditions.yaml", CONDITIONS)],
    );
    let generated = codegen::generate(&spec.0, None).unwrap();
    let text = &generated.files["client_server/conditions.rs"];
    // Tagged: read by `kind`, unknown kinds kept as the object they are.
    for expected in [
        "pub enum PostConditionsRequestBodyTagged {",
        "/// `event_match`\n    EventMatch(Box<PostConditionsRequestBodyTaggedEventMatch>),",
        "/// `room_member_count`\n    RoomMemberCount(Box<PostConditionsRequestBodyTaggedRoomMemberCount>),",
        "Unknown(Box<Map<String, Value>>),",
        "crate::dispatch::tag(\n            &value,\n            \"kind\",\n        )? {",
    ] {
        assert!(text.contains(expected), "no `{expected}` in\n{text}");
    }
    // Untagged: tried in order, the free-form object last so the others can match.
    let untagged = text
        .split("pub enum PostConditionsRequestBodyUntagged {")
        .nth(1)
        .expect("the untagged enum")
        .split('}')
        .next()
        .unwrap();
    let variants: Vec<&str> = untagged.split_whitespace().collect();
    assert_eq!(
        variants,
        [
            "UserId(UserId),",
            "Integer(i64),",
            "Object(Map<String,",
            "Value>),"
        ],
        "{text}"
    );
    assert!(
        text.contains(
            "#[serde(untagged)]\n#[non_exhaustive]\npub enum PostConditionsRequestBodyUntagged"
        ),
        "{text}"
    );
}

/// Error responses of every shape the spec writes: a shared error schema, one that narrows it
/// with `allOf` (its `errcode` only described), an `errcode` the spec lists values for, a
/// status documented without a body, and ranges of statuses.
const ERRORS: &str = r##"
openapi: 3.1.0
servers:
  - url: "{basePath}"
    variables:
      basePath: {default: /_matrix/client/v3}
paths:
  "/thing":
    get:
      operationId: getThing
      responses:
        "200":
          description: The thing.
          content:
            application/json:
              schema: {type: object, properties: {size: {type: integer}}}
        "204":
          description: No thing yet.
        "403":
          description: Not yours.
          content:
            application/json:
              schema:
                allOf:
                  - $ref: definitions/error.yaml
                  - type: object
                    properties:
                      errcode: {description: "The `M_THING_LOCKED` error code."}
              examples:
                response: {value: {"errcode": "M_THING_LOCKED", "error": "Locked."}}
        "404":
          description: There is no thing (`M_NOT_FOUND`).
        "502":
          description: The thing's server failed.
          content:
            application/json:
              schema:
                type: object
                properties:
                  errcode: {type: string, enum: [M_THING_DOWN, M_THING_SLOW]}
                required: [errcode]
  "/thing/validate":
    get:
      operationId: validateThing
      responses:
        "200": {description: Valid.}
        "3XX": {description: Valid; go to `next_link`.}
        "4XX":
          description: Not valid (`M_NOT_FOUND`, or M_THING_LOCKED).
"##;

const ERROR_CODES: &str = r##"
error_codes:
  - reason: the prose lists them
    codes:
      - {code: M_FORBIDDEN, doc: Forbidden access.}
      - {code: M_USER_LOCKED, doc: The account is locked., added_in: '1.12'}
"##;

#[test]
fn error_codes_are_an_open_enum_of_the_prose_and_of_the_codes_error_responses_name() {
    let spec = Spec::new(
        "errors",
        &[
            ("data/api/client-server/things.yaml", ERRORS),
            ("data/api/client-server/definitions/error.yaml", ERROR),
            ("overrides.yaml", ERROR_CODES),
        ],
    );
    let generated = codegen::generate(&spec.0, Some(&spec.0.join("overrides.yaml"))).unwrap();
    let errors = &generated.files["common/standard_error.rs"];
    // Sorted by code; the prose's codes documented by the overrides, the others by the first
    // response that names them; any other code kept as written.
    let variants = [
        "/// `M_FORBIDDEN`: Forbidden access.\n    Forbidden,",
        "/// `M_NOT_FOUND`: An error the spec documents for `GET /_matrix/client/v3/thing` (`404`) and one other response.\n    NotFound,",
        "/// `M_THING_DOWN`: An error the spec documents for `GET /_matrix/client/v3/thing` (`502`).\n    ThingDown,",
        "/// `M_THING_LOCKED`: An error the spec documents for `GET /_matrix/client/v3/thing` (`403`) and one other response.\n    ThingLocked,",
        "/// `M_THING_SLOW`: An error the spec documents for `GET /_matrix/client/v3/thing` (`502`).\n    ThingSlow,",
        "/// `M_USER_LOCKED`: The account is locked.\n    ///\n    /// Added in Matrix v1.12.\n    UserLocked,",
        "Other(String),",
    ];
    let mut after = errors
        .find("pub enum ErrorCode {")
        .expect("an ErrorCode enum");
    for variant in variants {
        let at = errors[after..]
            .find(variant)
            .unwrap_or_else(|| panic!("no `{variant}` after the ones before in\n{errors}"));
        after += at + variant.len();
    }
    for expected in [
        "\"M_FORBIDDEN\" => Self::Forbidden,",
        "_ => Self::Other(value.to_owned()),",
        "pub struct StandardError {",
        "pub errcode: ErrorCode,",
        "pub error: Option<String>,",
        "pub retry_after_ms: Option<i64>,",
        "pub extra: BTreeMap<String, Value>,",
        "pub fn new(errcode: ErrorCode) -> Self {",
    ] {
        assert!(errors.contains(expected), "no `{expected}` in\n{errors}");
    }
    // Built with the `api` feature, which reads error responses with it, and nothing else.
    let common = &generated.files["common/mod.rs"];
    assert!(
        common.contains("#[cfg(feature = \"api\")]\nmod standard_error;\n#[cfg(feature = \"api\")]\npub use standard_error::*;"),
        "{common}"
    );
    // The spec's error schema and the one narrowing it have an `ErrorCode`; the `errcode` the
    // spec lists values for keeps them.
    let error = &generated.files["client_server/error.rs"];
    assert!(error.contains("pub errcode: ErrorCode,"), "{error}");
    assert!(error.contains("use crate::common::ErrorCode;"), "{error}");
    let things = &generated.files["client_server/things.rs"];
    for expected in [
        "pub errcode: ErrorCode,",
        "pub errcode: GetThingBadGatewayBodyErrcode,",
        "pub enum GetThingBadGatewayBodyErrcode {",
    ] {
        assert!(things.contains(expected), "no `{expected}` in\n{things}");
    }
    // An example written on the `errcode` schema is read as an `ErrorCode`.
    let index = &generated.files["schema_index.rs"];
    for (file, pointer) in [
        ("api/client-server/definitions/error.yaml", "/properties/errcode"),
        (
            "api/client-server/things.yaml",
            "/paths/~1thing/get/responses/403/content/application~1json/schema/allOf/1/properties/errcode",
        ),
    ] {
        assert_eq!(
            schema_type_at(index, file, pointer).as_deref(),
            Some("crate::common::ErrorCode"),
            "{file} {pointer} in\n{index}"
        );
    }
}

#[test]
fn error_statuses_without_a_body_schema_keep_the_body_and_undocumented_ones_read_as_matrix_errors()
{
    let spec = Spec::new(
        "error-bodies",
        &[
            ("data/api/client-server/things.yaml", ERRORS),
            ("data/api/client-server/definitions/error.yaml", ERROR),
        ],
    );
    let generated = codegen::generate(&spec.0, None).unwrap();
    let things = &generated.files["client_server/things.rs"];
    for expected in [
        // A success without a body has none; an error without a body schema keeps what came.
        "NoContent,",
        "204 => Self::NoContent,",
        "NotFound(crate::api::ErrorBody),",
        "404 => Self::NotFound(crate::api::ErrorBody::read(body)),",
        "Self::NotFound(body) => (Vec::new(), body.to_bytes()?),",
        "The body is kept as received, read as the standard error where it is one",
        // Any other status: a Matrix error, if it is one.
        "_ => return Err(crate::api::FromHttpError::undocumented(status, body)),",
        // A range holds the status it was sent with; its error the body.
        "StatusV3xx {\n        /// The status the response was sent with.\n        status: u16,\n    },",
        "300..=399 => Self::StatusV3xx { status },",
        "Self::StatusV4xx { status, .. } => *status,",
        "body: crate::api::ErrorBody,",
        "Self::StatusV4xx { body, .. } => (Vec::new(), body.to_bytes()?),",
    ] {
        assert!(things.contains(expected), "no `{expected}` in\n{things}");
    }
    // Exact statuses are matched before ranges, ranges before any other status.
    let validate = &things[things
        .find("impl crate::api::Response for ValidateThingResponse")
        .unwrap()..];
    let at = |arm: &str| {
        validate
            .find(arm)
            .unwrap_or_else(|| panic!("no `{arm}` in\n{validate}"))
    };
    assert!(at("200 => Self::Ok,") < at("300..=399 =>"));
    assert!(at("300..=399 =>") < at("400..=499 =>"));
    assert!(at("400..=499 =>") < at("_ => return Err("));
}

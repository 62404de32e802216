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
    let arm = "\"/paths/~1rooms~1{roomId}~1thing/put/responses/403/content/application~1json/schema\",\n            ) => via::<crate::common::Error>(value),";
    assert!(index.contains(arm), "{index}");
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

//! The unit tests of the walk of the API descriptions, on descriptions written for them.

use super::*;
use crate::temp::TempData;
use serde_json::json;

/// What [`find`] finds in a spec `data/` folder.
fn find_in(data: &TempData) -> Found {
    find(&data.0, &Overrides::default()).unwrap()
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
    let found = find_in(&data);
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
    let found = find_in(&data);
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
        Ok(json!([{"content": {"a": 1, "b": 1}, "depth": 1, "list": [1, 2]}, {"type": "x"}]))
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
    let found = find_in(&data);
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
    let found = find_in(&data);
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

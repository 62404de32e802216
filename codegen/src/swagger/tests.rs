//! Tests of the Swagger 2.0 -> OpenAPI 3.1 conversion on tiny documents written for each test.

use super::*;

fn converted(yaml: &str) -> Value {
    let mut document = crate::yaml::parse_yaml("api/t/t.yaml", yaml).unwrap();
    normalise("api/t/t.yaml", &mut document);
    document
}

#[test]
fn swagger_documents_become_openapi_3() {
    let document = converted(
        r##"
swagger: '2.0'
info: {title: T}
host: localhost:8008
schemes: [https, http]
basePath: /_matrix/client/v3
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  $ref: definitions/security.yaml
paths:
  "/rooms/{roomId}/thing":
    put:
      operationId: putThing
      parameters:
        - {in: path, name: roomId, type: string, required: true, x-example: "!r:x"}
        - {in: query, name: limit, type: integer, x-example: "3"}
        - {in: query, name: sid, type: string, x-example: 1234}
        - {in: query, name: full, type: boolean, x-example: "true"}
        - {in: query, name: weird, type: integer, x-example: "three"}
        - in: query
          name: ids
          type: array
          items: {type: string}
          collectionFormat: multi
          x-addedInMatrixVersion: "1.2"
        - in: body
          name: body
          type: object
          required: true
          description: The thing.
          schema: {type: object, properties: {a: {type: string, x-example: b}}}
      responses:
        200:
          description: Done.
          headers:
            X-Count: {type: integer, description: How many.}
          schema: {type: object}
          examples:
            application/json: {"n": 1}
        404:
          $ref: '#/responses/notFound'
responses:
  notFound:
    description: Not there.
    schema: {$ref: '#/definitions/error'}
definitions:
  error: {type: object}
"##,
    );
    let expected = json!({
        "openapi": "3.1.0",
        "x-converted-from": "swagger 2.0",
        "info": {"title": "T"},
        "servers": [{
            "url": "{protocol}://{hostname}{basePath}",
            "variables": {
                "protocol": {"enum": ["https", "http"], "default": "https"},
                "hostname": {"default": "localhost:8008"},
                "basePath": {"default": "/_matrix/client/v3"}
            }
        }],
        "paths": {"/rooms/{roomId}/thing": {"put": {
            "operationId": "putThing",
            "parameters": [
                {"in": "path", "name": "roomId", "required": true, "example": "!r:x",
                 "schema": {"type": "string"}},
                {"in": "query", "name": "limit", "example": 3, "schema": {"type": "integer"}},
                {"in": "query", "name": "sid", "example": "1234", "schema": {"type": "string"}},
                {"in": "query", "name": "full", "example": true, "schema": {"type": "boolean"}},
                {"in": "query", "name": "weird", "example": "three",
                 "schema": {"type": "integer"}},
                {"in": "query", "name": "ids", "x-addedInMatrixVersion": "1.2",
                 "schema": {"type": "array", "items": {"type": "string"}}}
            ],
            "requestBody": {
                "required": true,
                "description": "The thing.",
                "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"a": {"type": "string", "example": "b"}}
                }}}
            },
            "responses": {
                "200": {
                    "description": "Done.",
                    "headers": {"X-Count": {"description": "How many.",
                                            "schema": {"type": "integer"}}},
                    "content": {"application/json": {
                        "schema": {"type": "object"}, "example": {"n": 1}
                    }}
                },
                "404": {"$ref": "#/components/responses/notFound"}
            }
        }}},
        "components": {
            "securitySchemes": {"$ref": "definitions/security.yaml"},
            "schemas": {"error": {"type": "object"}},
            "responses": {"notFound": {
                "description": "Not there.",
                "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/error"}
                }}
            }}
        }
    });
    assert_eq!(document, expected);
    // The keys keep their order, `openapi` first and `servers` where `basePath` was.
    let keys: Vec<&String> = document.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "openapi",
            "x-converted-from",
            "info",
            "servers",
            "paths",
            "components"
        ]
    );
}

#[test]
fn files_and_byte_bodies_become_bytes_content() {
    let document = converted(
        r##"
swagger: '2.0'
consumes: [application/json, "*/*"]
produces: [application/json]
paths:
  /upload:
    post:
      parameters:
        - in: body
          name: <content>
          required: true
          x-example: <bytes>
          schema: {type: string, format: byte}
      responses:
        200: {description: Ok., schema: {type: object}}
  /thumbnail:
    get:
      produces: [image/jpeg, image/png]
      responses:
        200: {description: The bytes., schema: {type: file, description: Bytes.}}
  /download:
    get:
      produces: ["*/*"]
      responses:
        200: {description: The bytes., schema: {type: file}}
"##,
    );
    assert_eq!(
        document.pointer("/paths/~1upload/post/requestBody"),
        Some(
            &json!({"required": true, "content": {"application/octet-stream": {
                "schema": {"type": "string", "format": "byte"}, "example": "<bytes>"
            }}})
        )
    );
    assert_eq!(
        document.pointer("/paths/~1thumbnail/get/responses/200/content"),
        Some(&json!({
            "image/jpeg": {"schema": {"description": "Bytes."}},
            "image/png": {"schema": {"description": "Bytes."}}
        }))
    );
    assert_eq!(
        document.pointer("/paths/~1download/get/responses/200/content"),
        Some(&json!({"application/octet-stream": {"schema": {}}}))
    );
    assert_eq!(document.pointer("/paths/~1download/get/produces"), None);
}

#[test]
fn draft_04_idioms_are_rewritten_outside_example_data() {
    let mut schema = json!({
        "type": "array",
        "x-example": [1, {"x-example": "kept"}],
        "items": [{"type": "integer"}, {"type": "object", "properties": {
            "example": {"type": "string", "x-example": "a"},
            "items": {"type": "array", "items": [{"type": "string"}]}
        }}],
        "example": [{"items": [1]}],
        "x-changedInMatrixVersion": {"1.2": "x-example"}
    });
    normalise("api/t/definitions/d.yaml", &mut schema);
    assert_eq!(
        schema,
        json!({
            "type": "array",
            "items": {"anyOf": [{"type": "integer"}, {"type": "object", "properties": {
                "example": {"type": "string", "example": "a"},
                "items": {"type": "array", "items": {"anyOf": [{"type": "string"}]}}
            }}]},
            "example": [{"items": [1]}],
            "x-changedInMatrixVersion": {"1.2": "x-example"}
        })
    );
    // Example data is never rewritten.
    let mut data = json!({"items": [1], "x-example": 2});
    let original = data.clone();
    normalise("api/t/examples/e.json", &mut data);
    assert_eq!(data, original);
}

#[test]
fn openapi_documents_are_left_alone() {
    let yaml = r##"
openapi: 3.1.0
servers: [{url: "{basePath}", variables: {basePath: {default: /x}}}]
paths:
  /a:
    get:
      parameters: [{in: query, name: q, schema: {type: string}, example: e}]
      responses:
        "200":
          description: D.
          content: {application/json: {schema: {type: object}, examples: {r: {value: {}}}}}
"##;
    let original = crate::yaml::parse_yaml("api/t/t.yaml", yaml).unwrap();
    assert_eq!(converted(yaml), original);
}

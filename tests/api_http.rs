//! Generated API types with the `http` crate: requests built from the generated request
//! structs of real operations, responses read into the generated response enums.

use matrix_types::api::{ErrorBody, ErrorCode, FromHttpError, IntoHttpError, Request, Response};
use matrix_types::client_server::{
    GetRoomEventsDir, GetRoomEventsRequest, SendMessageRequest, SendMessageResponse,
};
use serde_json::{json, Value};

fn room(id: &str) -> matrix_types::RoomId {
    id.parse().unwrap()
}

#[test]
fn a_request_has_its_method_encoded_path_query_token_and_body() {
    let body = json!({"msgtype": "m.text", "body": "hi"});
    let request = SendMessageRequest::new_raw(
        room("!room:example.org"),
        "m.room.message".to_owned(),
        "t 1/2".to_owned(),
        matrix_types::Raw::new(body.as_object().unwrap()).unwrap(),
    );
    let http = request
        .try_into_http_request("https://matrix.example.org/", Some("secret"))
        .unwrap();
    assert_eq!(http.method(), "PUT");
    assert_eq!(
        http.uri(),
        "https://matrix.example.org/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/t%201%2F2"
    );
    assert_eq!(http.headers()["authorization"], "Bearer secret");
    assert_eq!(http.headers()["content-type"], "application/json");
    assert_eq!(serde_json::from_slice::<Value>(http.body()).unwrap(), body);
}

#[test]
fn query_parameters_are_written_only_when_set() {
    let mut request = GetRoomEventsRequest::new(room("!room:example.org"), GetRoomEventsDir::B);
    request.from = Some("s72594_4483_1934".to_owned());
    request.limit = Some(10);
    request.filter = Some(r#"{"lazy_load_members":true}"#.to_owned());
    let http = request
        .try_into_http_request("https://matrix.example.org", Some("t"))
        .unwrap();
    assert_eq!(http.method(), "GET");
    assert_eq!(
        http.uri(),
        "https://matrix.example.org/_matrix/client/v3/rooms/%21room%3Aexample.org/messages?from=s72594_4483_1934&dir=b&limit=10&filter=%7B%22lazy_load_members%22%3Atrue%7D"
    );
    assert!(http.body().is_empty());
    assert!(http.headers().get("content-type").is_none());
}

#[test]
fn an_operation_that_needs_a_token_refuses_to_build_without_one() {
    let request = GetRoomEventsRequest::new(room("!room:example.org"), GetRoomEventsDir::F);
    assert!(GetRoomEventsRequest::METADATA.requires_authentication());
    let err = request
        .try_into_http_request("https://matrix.example.org", None)
        .unwrap_err();
    assert_eq!(err, IntoHttpError::NeedsAuthentication("getRoomEvents"));
}

#[test]
fn responses_are_read_by_status_and_written_back() {
    let ok = http::Response::builder()
        .status(200)
        .body(br#"{"event_id":"$YUwRidLecu:example.com"}"#.to_vec())
        .unwrap();
    let read = SendMessageResponse::try_from_http_response(&ok).unwrap();
    let SendMessageResponse::Ok(body) = &read else {
        panic!("read as {read:?}");
    };
    assert_eq!(body.event_id.as_str(), "$YUwRidLecu:example.com");
    let written = read.try_into_http_response().unwrap();
    assert_eq!(written.status(), 200);
    assert_eq!(
        serde_json::from_slice::<Value>(written.body()).unwrap(),
        json!({"event_id": "$YUwRidLecu:example.com"})
    );

    let bad = http::Response::builder()
        .status(400)
        .body(br#"{"errcode":"M_UNKNOWN","error":"no"}"#.to_vec())
        .unwrap();
    let read = SendMessageResponse::try_from_http_response(&bad).unwrap();
    assert!(
        matches!(&read, SendMessageResponse::BadRequest(error) if error.errcode == ErrorCode::Unknown),
        "{read:?}"
    );
    assert_eq!(read.status(), 400);
}

fn response(status: u16, body: &[u8]) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .body(body.to_vec())
        .unwrap()
}

#[test]
fn an_undocumented_error_status_with_a_standard_error_body_is_a_typed_matrix_error() {
    use matrix_types::client_server::{SetRoomVisibilityOnDirectoryResponse, UploadKeysResponse};
    // As Synapse answers `PUT /directory/list/room/{roomId}`, which documents 200 and 404 only.
    let body = br#"{"errcode":"M_UNKNOWN","error":"Not allowed","extra_field":1}"#;
    let err = SetRoomVisibilityOnDirectoryResponse::try_from_http_response(&response(403, body))
        .unwrap_err();
    let FromHttpError::Matrix { status, error } = &err else {
        panic!("read as {err:?}");
    };
    assert_eq!(*status, 403);
    assert_eq!(error.errcode, ErrorCode::Unknown);
    assert_eq!(error.error.as_deref(), Some("Not allowed"));
    assert_eq!(error.retry_after_ms, None);
    assert_eq!(error.extra["extra_field"], json!(1));
    assert_eq!(err.matrix_error(), Some(&**error));
    assert_eq!(
        err.to_string(),
        "the server answered 403 M_UNKNOWN: Not allowed"
    );
    // Written back, it is the body received.
    assert_eq!(
        serde_json::to_value(error).unwrap(),
        serde_json::from_slice::<Value>(body).unwrap()
    );

    // As Synapse answers `POST /keys/upload`, which documents 200 only; a rate limit.
    let err = UploadKeysResponse::try_from_http_response(&response(
        400,
        br#"{"errcode":"M_BAD_JSON","error":"bad key"}"#,
    ))
    .unwrap_err();
    assert_eq!(
        err.matrix_error().map(|error| &error.errcode),
        Some(&ErrorCode::BadJson)
    );
    let err = UploadKeysResponse::try_from_http_response(&response(
        429,
        br#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2000}"#,
    ))
    .unwrap_err();
    let error = err.matrix_error().expect("a Matrix error");
    assert_eq!(error.errcode, ErrorCode::LimitExceeded);
    assert_eq!(error.retry_after_ms, Some(2000));
    assert!(error.extra.is_empty(), "{error:?}");
    // No message: the code alone.
    let err =
        UploadKeysResponse::try_from_http_response(&response(500, br#"{"errcode":"M_UNKNOWN"}"#))
            .unwrap_err();
    assert_eq!(err.to_string(), "the server answered 500 M_UNKNOWN");
}

#[test]
fn an_error_code_the_spec_does_not_define_is_kept_as_written() {
    use matrix_types::client_server::UploadKeysResponse;
    let body = br#"{"errcode":"COM_EXAMPLE_X","error":"Custom"}"#;
    let err = UploadKeysResponse::try_from_http_response(&response(400, body)).unwrap_err();
    let error = err.matrix_error().expect("a Matrix error");
    assert_eq!(error.errcode, ErrorCode::Other("COM_EXAMPLE_X".to_owned()));
    assert_eq!(error.errcode.as_str(), "COM_EXAMPLE_X");
    assert_eq!(
        serde_json::to_vec(error).unwrap(),
        body.to_vec(),
        "written back byte for byte"
    );
    assert_eq!(ErrorCode::from("M_FORBIDDEN"), ErrorCode::Forbidden);
    assert_eq!(ErrorCode::Forbidden.to_string(), "M_FORBIDDEN");
}

#[test]
fn a_documented_error_status_without_a_body_schema_keeps_the_body_sent() {
    use matrix_types::client_server::GetDeviceResponse;
    // The spec documents getDevice's 404 without a body; Synapse sends the standard error.
    let body = br#"{"errcode":"M_NOT_FOUND","error":"Not found","extra_field":[1]}"#;
    let read = GetDeviceResponse::try_from_http_response(&response(404, body)).unwrap();
    let GetDeviceResponse::NotFound(error_body) = &read else {
        panic!("read as {read:?}");
    };
    assert_eq!(error_body.errcode(), Some(&ErrorCode::NotFound));
    let error = error_body.matrix_error().expect("a standard error");
    assert_eq!(error.extra["extra_field"], json!([1]));
    let written = read.try_into_http_response().unwrap();
    assert_eq!(written.status(), 404);
    assert_eq!(
        serde_json::from_slice::<Value>(written.body()).unwrap(),
        serde_json::from_slice::<Value>(body).unwrap()
    );

    // An empty body, and a page a web server answered with, are kept as they came.
    let read = GetDeviceResponse::try_from_http_response(&response(404, b"")).unwrap();
    assert_eq!(read, GetDeviceResponse::NotFound(ErrorBody::Empty));
    assert!(read.try_into_http_response().unwrap().body().is_empty());
    let page = b"<html><title>404 - No Such Resource</title></html>";
    let read = GetDeviceResponse::try_from_http_response(&response(404, page)).unwrap();
    assert_eq!(
        read,
        GetDeviceResponse::NotFound(ErrorBody::Other(page.to_vec()))
    );
    assert_eq!(read.try_into_http_response().unwrap().body(), page);
}

#[test]
fn undocumented_statuses_and_bodies_of_the_wrong_shape_are_errors() {
    let teapot = http::Response::builder()
        .status(418)
        .body(b"short and stout".to_vec())
        .unwrap();
    assert_eq!(
        SendMessageResponse::try_from_http_response(&teapot).unwrap_err(),
        FromHttpError::UnexpectedStatus {
            status: 418,
            body: b"short and stout".to_vec()
        }
    );
    // An error status whose body is not the standard error response: kept as received.
    let gateway = b"<html><body>502 Bad Gateway</body></html>";
    assert_eq!(
        SendMessageResponse::try_from_http_response(&response(502, gateway)).unwrap_err(),
        FromHttpError::UnexpectedStatus {
            status: 502,
            body: gateway.to_vec()
        }
    );
    // JSON, but not a standard error (no `errcode`), and a standard error on a status that
    // is not an error: neither is a Matrix error.
    for (status, body) in [
        (500, &br#"{"error":"no code"}"#[..]),
        (302, &br#"{"errcode":"M_UNKNOWN"}"#[..]),
    ] {
        let err = SendMessageResponse::try_from_http_response(&response(status, body)).unwrap_err();
        assert_eq!(
            err,
            FromHttpError::UnexpectedStatus {
                status,
                body: body.to_vec()
            }
        );
        assert_eq!(err.matrix_error(), None);
    }
    let wrong = http::Response::builder()
        .status(200)
        .body(br#"{"event_id":"no sigil"}"#.to_vec())
        .unwrap();
    let err = SendMessageResponse::try_from_http_response(&wrong).unwrap_err();
    assert!(
        matches!(&err, FromHttpError::Body { status: 200, message } if message.contains("no sigil")),
        "{err}"
    );
}

#[test]
fn every_operation_has_metadata_matching_the_spec_listing() {
    use matrix_types::schema_index::{METADATA, OPERATIONS};
    assert_eq!(OPERATIONS.len(), METADATA.len());
    assert!(!OPERATIONS.is_empty());
    for ((file, method, path), metadata) in OPERATIONS.iter().zip(METADATA) {
        assert_eq!(metadata.method, method.to_uppercase(), "{file} {path}");
        // The spec's path key is the operation's identity; it may end with a space that tells
        // it apart from another operation of the same path (`"/rooms/{roomId}/invite "`).
        assert!(
            metadata.path.ends_with(path.trim()),
            "{file}: {} vs {path}",
            metadata.path
        );
        assert!(metadata.path.starts_with('/'), "{file}: {}", metadata.path);
        assert!(!metadata.operation_id.is_empty());
    }
}

#[test]
fn response_headers_the_spec_names_are_read_and_written() {
    use matrix_types::client_server::GetContentResponse;
    let download = http::Response::builder()
        .status(200)
        .header("Content-Type", "image/png")
        .header("Content-Disposition", "inline; filename=cat.png")
        .body(b"\x89PNG".to_vec())
        .unwrap();
    let read = GetContentResponse::try_from_http_response(&download).unwrap();
    assert_eq!(
        read,
        GetContentResponse::Ok {
            body: b"\x89PNG".to_vec(),
            content_type: "image/png".to_owned(),
            content_disposition: "inline; filename=cat.png".to_owned(),
        }
    );
    let written = read.try_into_http_response().unwrap();
    assert_eq!(written.headers()["content-type"], "image/png");
    assert_eq!(
        written.headers()["content-disposition"],
        "inline; filename=cat.png"
    );
    assert_eq!(written.body(), b"\x89PNG");

    // A header the spec requires is an error when missing, naming it.
    let bare = http::Response::builder()
        .status(200)
        .header("Content-Type", "image/png")
        .body(Vec::new())
        .unwrap();
    let err = GetContentResponse::try_from_http_response(&bare).unwrap_err();
    assert!(err.to_string().contains("Content-Disposition"), "{err}");

    // A redirect's `Location` is typed.
    let moved = http::Response::builder()
        .status(307)
        .header("Location", "https://cdn.example.org/cat.png")
        .body(Vec::new())
        .unwrap();
    let read = GetContentResponse::try_from_http_response(&moved).unwrap();
    let GetContentResponse::TemporaryRedirect {
        location: Some(location),
    } = &read
    else {
        panic!("read as {read:?}");
    };
    assert_eq!(location.as_str(), "https://cdn.example.org/cat.png");
}

#[test]
fn operations_told_apart_by_a_space_in_the_spec_send_to_the_trimmed_path() {
    use matrix_types::client_server::{
        InviteUserRequest, InviteUserRequestBody, PeekEventsRequest,
    };
    let invite = InviteUserRequest::new(
        room("!room:example.org"),
        InviteUserRequestBody::new("@bob:example.org".parse().unwrap()),
    );
    let http = invite
        .try_into_http_request("https://matrix.example.org", Some("t"))
        .unwrap();
    assert_eq!(
        http.uri(),
        "https://matrix.example.org/_matrix/client/v3/rooms/%21room%3Aexample.org/invite"
    );
    let peek = PeekEventsRequest::new("!room:example.org".to_owned());
    let http = peek
        .try_into_http_request("https://matrix.example.org", Some("t"))
        .unwrap();
    assert_eq!(
        http.uri(),
        "https://matrix.example.org/_matrix/client/v3/events?room_id=%21room%3Aexample.org"
    );
}

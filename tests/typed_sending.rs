//! Sending events with the typed request builders, from outside the crate: each content is
//! built with its constructor, its request's `new` fills in the event type from the content's
//! type (`EventContent`, and the trait of the kind the endpoint sends), and the
//! `http::Request` is the one the spec describes.

use std::collections::BTreeMap;

use matrix_types::api::Request;
use matrix_types::client_server::{
    SendMessageRequest, SendToDeviceRequest, SetAccountDataPerRoomRequest, SetAccountDataRequest,
    SetRoomStateWithKeyRequest,
};
use matrix_types::events::{
    DirectEventContent, InReplyTo, Relation, RoomKeyRequestAction, RoomKeyRequestEventContent,
    RoomMessageTextEventContent, RoomNameEventContent, TagEventContent,
};
use matrix_types::{EventContent, EventId, Raw, RoomId, UserId};
use serde_json::{json, Value};

const BASE: &str = "https://matrix.example.org";

fn room() -> RoomId {
    "!room:example.org".parse().unwrap()
}

/// The method, the URI after the base, and the JSON body of `request`.
fn sent(request: &impl Request) -> (String, String, Value) {
    let http = request.try_into_http_request(BASE, Some("token")).unwrap();
    assert_eq!(http.headers()["content-type"], "application/json");
    let uri = http.uri().to_string();
    (
        http.method().to_string(),
        uri.strip_prefix(BASE).unwrap().to_owned(),
        serde_json::from_slice(http.body()).unwrap(),
    )
}

#[test]
fn a_text_message_and_a_reply() {
    let content = RoomMessageTextEventContent::new("Hello".to_owned());
    assert_eq!(RoomMessageTextEventContent::EVENT_TYPE, "m.room.message");
    let request = SendMessageRequest::new(room(), "txn1".to_owned(), &content).unwrap();
    assert_eq!(
        sent(&request),
        (
            "PUT".to_owned(),
            "/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/txn1".to_owned(),
            json!({"msgtype": "m.text", "body": "Hello"}),
        )
    );

    let replied: EventId = "$143273582443PhrSn:example.org".parse().unwrap();
    let mut relation = Relation::default();
    relation.in_reply_to = Some(InReplyTo::new(replied));
    let mut reply = RoomMessageTextEventContent::new("Hello to you".to_owned());
    reply.relates_to = Some(relation);
    let request = SendMessageRequest::new(room(), "txn2".to_owned(), &reply).unwrap();
    assert_eq!(
        sent(&request).2,
        json!({
            "msgtype": "m.text",
            "body": "Hello to you",
            "m.relates_to": {"m.in_reply_to": {"event_id": "$143273582443PhrSn:example.org"}},
        })
    );
}

#[test]
fn a_room_name_state_event() {
    let mut content = RoomNameEventContent::default();
    content.name = Some("The Grand Duke Pub".to_owned());
    let request = SetRoomStateWithKeyRequest::new(room(), String::new(), &content).unwrap();
    assert_eq!(
        sent(&request),
        (
            "PUT".to_owned(),
            "/_matrix/client/v3/rooms/%21room%3Aexample.org/state/m.room.name/".to_owned(),
            json!({"name": "The Grand Duke Pub"}),
        )
    );
}

#[test]
fn a_to_device_message_to_each_device() {
    let content = RoomKeyRequestEventContent::new(
        RoomKeyRequestAction::RequestCancellation,
        "RJYKSTBOIE".to_owned(),
        "1495474790150.19".to_owned(),
    );
    let alice: UserId = "@alice:example.org".parse().unwrap();
    let messages = BTreeMap::from([(alice, BTreeMap::from([("*".to_owned(), content)]))]);
    let request = SendToDeviceRequest::new("txn3".to_owned(), &messages).unwrap();
    assert_eq!(
        sent(&request),
        (
            "PUT".to_owned(),
            "/_matrix/client/v3/sendToDevice/m.room_key_request/txn3".to_owned(),
            json!({"messages": {"@alice:example.org": {"*": {
                "action": "request_cancellation",
                "requesting_device_id": "RJYKSTBOIE",
                "request_id": "1495474790150.19",
            }}}}),
        )
    );
}

#[test]
fn account_data_global_and_per_room() {
    let bob: UserId = "@bob:example.org".parse().unwrap();
    let direct =
        DirectEventContent::from(BTreeMap::from([(bob, vec!["!dm:example.org".to_owned()])]));
    let request = SetAccountDataRequest::new("@alice:example.org".to_owned(), &direct).unwrap();
    assert_eq!(
        sent(&request),
        (
            "PUT".to_owned(),
            "/_matrix/client/v3/user/%40alice%3Aexample.org/account_data/m.direct".to_owned(),
            json!({"@bob:example.org": ["!dm:example.org"]}),
        )
    );

    let tags = TagEventContent::default();
    let request = SetAccountDataPerRoomRequest::new(
        "@alice:example.org".to_owned(),
        "!room:example.org".to_owned(),
        &tags,
    )
    .unwrap();
    let (_, uri, body) = sent(&request);
    assert!(
        uri.ends_with("/rooms/%21room%3Aexample.org/account_data/m.tag"),
        "{uri}"
    );
    assert_eq!(body, json!({}));
}

#[test]
fn content_of_a_type_the_spec_does_not_define_is_sent_with_its_type_string() {
    let body = Raw::from_json_string(r#"{"score":3}"#.to_owned()).unwrap();
    let request = SendMessageRequest::new_raw(
        room(),
        "org.example.game.move".to_owned(),
        "txn4".to_owned(),
        body,
    );
    let http = request.try_into_http_request(BASE, Some("token")).unwrap();
    assert!(
        http.uri()
            .path()
            .ends_with("/send/org.example.game.move/txn4"),
        "{}",
        http.uri()
    );
    // Written exactly as given.
    assert_eq!(http.body(), br#"{"score":3}"#);
}

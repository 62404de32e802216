//! The constructors of the generated structs, used from outside the crate (where
//! `#[non_exhaustive]` forbids struct literals): `new` takes the required fields and fills in
//! those with one possible value, structs without required fields are `Default`, and what
//! they build writes the JSON the spec describes and reads back equal.

use std::fmt::Debug;

use matrix_types::events::{
    AnySyncTimelineEvent, InReplyTo, ReactionEventContent, Relation, RoomKeyRequestAction,
    RoomKeyRequestEventContent, RoomMessageEventContent, RoomMessageTextEvent,
    RoomMessageTextEventContent, RoomNameEventContent, SyncRoomNameEvent,
    ToDeviceRoomKeyRequestEvent,
};
use matrix_types::{EventId, RoomId, UserId};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// `value` written as JSON is `expected`, and reads back equal to `value`.
fn writes<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T, expected: Value) {
    let written = serde_json::to_value(value).unwrap();
    assert_eq!(written, expected);
    let read: T = serde_json::from_value(written).unwrap();
    assert_eq!(&read, value);
}

fn event_id() -> EventId {
    "$143273582443PhrSn:example.org".parse().unwrap()
}

fn sender() -> UserId {
    "@alice:example.org".parse().unwrap()
}

#[test]
fn a_text_message_takes_its_body_and_fills_in_its_msgtype() {
    let content = RoomMessageTextEventContent::new("Hello".to_owned());
    writes(&content, json!({"msgtype": "m.text", "body": "Hello"}));
    // Through the content enum of `m.room.message`, dispatched on that `msgtype`.
    writes(
        &RoomMessageEventContent::Text(Box::new(content)),
        json!({"msgtype": "m.text", "body": "Hello"}),
    );

    // Optional fields are set after construction.
    let mut formatted = RoomMessageTextEventContent::new("*Hello*".to_owned());
    formatted.format = Some("org.matrix.custom.html".to_owned());
    formatted.formatted_body = Some("<em>Hello</em>".to_owned());
    writes(
        &formatted,
        json!({
            "msgtype": "m.text",
            "body": "*Hello*",
            "format": "org.matrix.custom.html",
            "formatted_body": "<em>Hello</em>",
        }),
    );
}

#[test]
fn a_reply_carries_its_relation() {
    // `m.relates_to` of messages is typed by an override (the spec's prose on rich replies).
    let mut relation = Relation::default();
    relation.in_reply_to = Some(InReplyTo::new(event_id()));
    let mut reply = RoomMessageTextEventContent::new("I agree".to_owned());
    reply.relates_to = Some(relation);
    writes(
        &reply,
        json!({
            "msgtype": "m.text",
            "body": "I agree",
            "m.relates_to": {"m.in_reply_to": {"event_id": "$143273582443PhrSn:example.org"}},
        }),
    );
}

#[test]
fn an_event_takes_its_fields_and_fills_in_its_type() {
    let room_id: RoomId = "!room:example.org".parse().unwrap();
    let event = RoomMessageTextEvent::new(
        RoomMessageTextEventContent::new("Hello".to_owned()),
        event_id(),
        sender(),
        1_432_735_824_653,
        room_id,
    );
    let expected = json!({
        "type": "m.room.message",
        "content": {"msgtype": "m.text", "body": "Hello"},
        "event_id": "$143273582443PhrSn:example.org",
        "sender": "@alice:example.org",
        "origin_server_ts": 1_432_735_824_653_i64,
        "room_id": "!room:example.org",
    });
    writes(&event, expected);

    // A room name state event, as `/sync` sends it, read by the timeline enum as one.
    // `name` may be absent (an override: "If not present, null, or empty"): set after `default`.
    let mut name = RoomNameEventContent::default();
    name.name = Some("The Grand Duke Pub".to_owned());
    let event =
        SyncRoomNameEvent::new(name, event_id(), sender(), 1_432_735_824_653, String::new());
    let expected = json!({
        "type": "m.room.name",
        "content": {"name": "The Grand Duke Pub"},
        "event_id": "$143273582443PhrSn:example.org",
        "sender": "@alice:example.org",
        "origin_server_ts": 1_432_735_824_653_i64,
        "state_key": "",
    });
    writes(&event, expected.clone());
    let any: AnySyncTimelineEvent = serde_json::from_value(expected).unwrap();
    assert_eq!(any.event_type(), "m.room.name");
}

#[test]
fn a_to_device_content_takes_its_required_fields() {
    let content = RoomKeyRequestEventContent::new(
        RoomKeyRequestAction::RequestCancellation,
        "RJYKSTBOIE".to_owned(),
        "1495474790150.19".to_owned(),
    );
    let expected = json!({
        "action": "request_cancellation",
        "requesting_device_id": "RJYKSTBOIE",
        "request_id": "1495474790150.19",
    });
    writes(&content, expected.clone());
    writes(
        &ToDeviceRoomKeyRequestEvent::new(content),
        json!({"type": "m.room_key_request", "content": expected}),
    );
}

#[test]
fn a_struct_without_required_fields_is_default_and_writes_an_empty_object() {
    let content = ReactionEventContent::default();
    assert_eq!(content.relates_to, None);
    assert!(content.extra.is_empty());
    writes(&content, json!({}));
}

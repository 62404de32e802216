//! Invalid events are rejected, without panicking, with an error that says where and why:
//! through `from_value` (a `DispatchError` with its path and message) and through serde.

use std::panic::catch_unwind;

use matrix_types::events::{
    AnySyncTimelineEvent, AnyTimelineEvent, RoomMemberEvent, StrippedRoomMemberEvent,
    SyncRoomMemberEvent,
};
use matrix_types::DispatchError;
use serde_json::{json, Value};

/// A valid `m.room.member` event as `/sync` sends it.
fn member() -> Value {
    json!({
        "type": "m.room.member",
        "state_key": "@alice:example.org",
        "sender": "@alice:example.org",
        "event_id": "$143273582443PhrSn:example.org",
        "origin_server_ts": 1432735824653u64,
        "unsigned": {"age": 1234},
        "content": {"membership": "join", "displayname": "Alice"}
    })
}

/// A valid `m.room.message` event with an `m.image` content as `/sync` sends it.
fn image() -> Value {
    json!({
        "type": "m.room.message",
        "sender": "@alice:example.org",
        "event_id": "$143273582443PhrSn:example.org",
        "origin_server_ts": 1432735824653u64,
        "content": {
            "msgtype": "m.image",
            "body": "filename.jpg",
            "url": "mxc://example.org/JWEIFJgwEIhweiWJE",
            "info": {"h": 398, "w": 394, "mimetype": "image/jpeg", "size": 31037}
        }
    })
}

/// The error of reading `value` as an `AnySyncTimelineEvent` by `from_value`, and the text
/// of the error of reading it by serde, which must fail alike; neither may panic.
fn sync_errors(value: Value) -> (DispatchError, String) {
    let text = value.to_string();
    let direct = catch_unwind(|| AnySyncTimelineEvent::from_value(value))
        .expect("AnySyncTimelineEvent::from_value panicked");
    let by_serde = catch_unwind(|| serde_json::from_str::<AnySyncTimelineEvent>(&text))
        .expect("serde_json::from_str::<AnySyncTimelineEvent> panicked");
    match (direct, by_serde) {
        (Err(direct), Err(by_serde)) => {
            assert!(
                by_serde.to_string().contains(&direct.to_string()),
                "serde's error {by_serde} does not carry {direct}"
            );
            (direct, by_serde.to_string())
        }
        (direct, by_serde) => panic!("accepted: {direct:?} / {by_serde:?} from {text}"),
    }
}

/// The same for `AnyTimelineEvent` (the form with `room_id`).
fn full_errors(value: Value) -> (DispatchError, String) {
    let text = value.to_string();
    let direct = catch_unwind(|| AnyTimelineEvent::from_value(value))
        .expect("AnyTimelineEvent::from_value panicked");
    let by_serde = catch_unwind(|| serde_json::from_str::<AnyTimelineEvent>(&text))
        .expect("serde_json::from_str::<AnyTimelineEvent> panicked");
    match (direct, by_serde) {
        (Err(direct), Err(by_serde)) => {
            assert!(
                by_serde.to_string().contains(&direct.to_string()),
                "serde's error {by_serde} does not carry {direct}"
            );
            (direct, by_serde.to_string())
        }
        (direct, by_serde) => panic!("accepted: {direct:?} / {by_serde:?} from {text}"),
    }
}

/// `err` is at `path` and its message (and so its `Display` and serde's text) has `needles`.
fn assert_error(err: &DispatchError, serde_text: &str, path: &str, needles: &[&str]) {
    assert_eq!(err.path(), path, "path of {err}");
    let display = err.to_string();
    if !path.is_empty() {
        assert!(
            display.contains(&format!("`{path}`")),
            "{display} names no `{path}`"
        );
    }
    for needle in needles {
        assert!(
            err.message().contains(needle),
            "{err:?}: message lacks {needle:?}"
        );
        assert!(display.contains(needle), "{display} lacks {needle:?}");
        assert!(serde_text.contains(needle), "{serde_text} lacks {needle:?}");
    }
}

#[test]
fn the_valid_events_here_are_accepted() {
    // So that each rejection below is down to the one change it makes.
    for value in [member(), image()] {
        AnySyncTimelineEvent::from_value(value.clone()).unwrap();
        let mut full = value;
        full["room_id"] = json!("!jEsUZKDJdhlrceRyVU:example.org");
        AnyTimelineEvent::from_value(full).unwrap();
    }
}

#[test]
fn missing_required_field() {
    let mut value = member();
    value["content"]
        .as_object_mut()
        .unwrap()
        .remove("membership");
    let (err, text) = sync_errors(value);
    assert_error(&err, &text, "content", &["`membership`", "missing"]);

    let mut value = member();
    value.as_object_mut().unwrap().remove("event_id");
    let (err, text) = sync_errors(value);
    assert_error(&err, &text, "", &["`event_id`", "missing"]);
}

#[test]
fn wrong_json_type() {
    let mut value = member();
    value["origin_server_ts"] = json!("1432735824653");
    let (err, text) = sync_errors(value);
    assert_error(
        &err,
        &text,
        "origin_server_ts",
        &["string", "1432735824653"],
    );

    let mut value = member();
    value["content"]["displayname"] = json!(["Alice"]);
    let (err, text) = sync_errors(value);
    assert_error(&err, &text, "content.displayname", &["sequence"]);
}

#[test]
fn invalid_identifiers() {
    let mut value = member();
    value["sender"] = json!("alice");
    let (err, text) = sync_errors(value);
    assert_error(&err, &text, "sender", &["alice", "user ID"]);

    let mut value = member();
    value["state_key"] = json!("@:example.org");
    let (err, text) = sync_errors(value);
    assert_error(&err, &text, "state_key", &["@:example.org", "user ID"]);

    let mut value = image();
    value["room_id"] = json!("jEsUZKDJdhlrceRyVU:example.org");
    let (err, text) = full_errors(value);
    assert_error(
        &err,
        &text,
        "room_id",
        &["jEsUZKDJdhlrceRyVU:example.org", "room ID"],
    );

    let mut value = image();
    value["event_id"] = json!("143273582443PhrSn:example.org");
    let (err, text) = sync_errors(value);
    assert_error(
        &err,
        &text,
        "event_id",
        &["143273582443PhrSn:example.org", "event ID"],
    );
}

/// The `m.image` contents that are invalid, the full path of the field at fault, and what
/// the error must say.
fn invalid_images() -> Vec<(Value, &'static str, Vec<&'static str>)> {
    let mut no_url = image();
    no_url["content"]["url"] = json!("https://example.org/filename.jpg");
    let mut bad_size = image();
    bad_size["content"]["info"]["size"] = json!("31037");
    let mut bad_msgtype = image();
    bad_msgtype["content"]["msgtype"] = json!(7);
    vec![
        (
            no_url,
            "content.url",
            vec!["url", "https://example.org/filename.jpg", "mxc://"],
        ),
        (bad_size, "content.info.size", vec!["size", "31037"]),
        (bad_msgtype, "content.msgtype", vec!["msgtype", "a number"]),
    ]
}

#[test]
fn invalid_known_msgtype_content() {
    // `m.image` requires `body` (and `msgtype`); `url` and `file` are each optional.
    let mut value = image();
    value["content"].as_object_mut().unwrap().remove("body");
    let (err, text) = sync_errors(value);
    assert_error(&err, &text, "content", &["`body`", "missing"]);

    for (value, _path, needles) in invalid_images() {
        let (err, text) = sync_errors(value);
        assert!(
            err.path().starts_with("content"),
            "{err}: not at the content"
        );
        for needle in needles {
            assert!(err.to_string().contains(needle), "{err} lacks {needle:?}");
            assert!(text.contains(needle), "{text} lacks {needle:?}");
        }
    }
}

/// A field inside a content read by its `msgtype` is at fault at its full path, as
/// `DispatchError::path` promises (`content.info.size`).
#[test]
fn msgtype_content_errors_have_the_full_path() {
    let mut wrong = Vec::new();
    for (value, path, _) in invalid_images() {
        let (err, _) = sync_errors(value);
        if err.path() != path {
            wrong.push(format!(
                "path {:?} instead of {path:?} in: {err}",
                err.path()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn type_missing_or_not_a_string() {
    let mut value = member();
    value.as_object_mut().unwrap().remove("type");
    let (err, text) = sync_errors(value);
    assert_error(&err, &text, "", &["missing field `type`"]);

    for wrong in [json!(7), json!(null), json!(["m.room.member"]), json!({})] {
        let mut value = member();
        value["type"] = wrong;
        let (err, text) = sync_errors(value);
        assert_error(&err, &text, "type", &["expected a string"]);
    }
}

#[test]
fn content_not_an_object() {
    for wrong in [json!("join"), json!(null), json!([1])] {
        let mut value = member();
        value["content"] = wrong.clone();
        let (err, text) = sync_errors(value);
        assert_error(&err, &text, "content", &[]);

        // An event of a type this crate does not know still needs an object content.
        let mut value = member();
        value["type"] = json!("org.example.custom");
        value["content"] = wrong;
        let (err, text) = sync_errors(value);
        assert_error(&err, &text, "content", &[]);
    }
}

#[test]
fn not_an_object() {
    for (value, kind) in [
        (json!([member()]), "an array"),
        (json!("m.room.member"), "a string"),
        (json!(42), "a number"),
        (json!(null), "null"),
        (json!(true), "a boolean"),
    ] {
        let (err, text) = sync_errors(value);
        assert_error(&err, &text, "", &["expected a JSON object", kind]);
    }
}

#[test]
fn concrete_types_reject_another_type() {
    let mut full = member();
    full["room_id"] = json!("!jEsUZKDJdhlrceRyVU:example.org");
    // The event as it is, then under another type.
    serde_json::from_value::<RoomMemberEvent>(full.clone()).unwrap();
    serde_json::from_value::<SyncRoomMemberEvent>(member()).unwrap();
    let stripped = json!({
        "type": "m.room.member",
        "state_key": "@alice:example.org",
        "sender": "@alice:example.org",
        "content": {"membership": "join"}
    });
    serde_json::from_value::<StrippedRoomMemberEvent>(stripped.clone()).unwrap();

    for other in [
        "m.room.name",
        "m.room.membe",
        "M.ROOM.MEMBER",
        "org.example.custom",
    ] {
        let check = |err: serde_json::Error| {
            let text = err.to_string();
            assert!(text.contains(other), "{text} does not name {other}");
            assert!(
                text.contains("m.room.member"),
                "{text} does not name m.room.member"
            );
        };
        let mut value = full.clone();
        value["type"] = json!(other);
        check(
            catch_unwind(|| serde_json::from_value::<RoomMemberEvent>(value))
                .expect("panicked")
                .unwrap_err(),
        );
        let mut value = member();
        value["type"] = json!(other);
        check(
            catch_unwind(|| serde_json::from_value::<SyncRoomMemberEvent>(value))
                .expect("panicked")
                .unwrap_err(),
        );
        let mut value = stripped.clone();
        value["type"] = json!(other);
        check(
            catch_unwind(|| serde_json::from_value::<StrippedRoomMemberEvent>(value))
                .expect("panicked")
                .unwrap_err(),
        );
    }
    let mut value = full;
    value.as_object_mut().unwrap().remove("type");
    let err = serde_json::from_value::<RoomMemberEvent>(value).unwrap_err();
    assert!(err.to_string().contains("`type`"), "{err}");
}

/// A redaction strips content fields a type requires; such an event is kept whole as
/// `Redacted`, while the same content without `unsigned.redacted_because` is an error.
#[test]
fn redacted_events_are_kept_whole_and_only_they_are() {
    let mut redacted = image();
    redacted["content"] = json!({});
    redacted["unsigned"] = json!({"redacted_because": {
        "type": "m.room.redaction",
        "sender": "@alice:example.org",
        "event_id": "$redaction:example.org",
        "origin_server_ts": 1432735824700u64,
        "content": {"reason": "spam"}
    }});
    let event =
        AnySyncTimelineEvent::from_value(redacted.clone()).expect("a redacted message reads");
    let AnySyncTimelineEvent::MessageLike(message) = &event else {
        panic!("not message-like: {event:?}");
    };
    assert!(
        matches!(
            message,
            matrix_types::events::AnySyncMessageLikeEvent::Redacted(_)
        ),
        "{message:?}"
    );
    assert_eq!(event.event_type(), "m.room.message");
    assert_eq!(serde_json::to_value(&event).unwrap(), redacted);

    // A redacted event whose remaining content still fits its type stays typed.
    let mut member = member();
    member["unsigned"] = redacted["unsigned"].clone();
    member["content"] = json!({"membership": "leave"});
    let event = AnySyncTimelineEvent::from_value(member).unwrap();
    assert!(
        format!("{event:?}").starts_with("State(RoomMember("),
        "{event:?}"
    );

    let mut not_redacted = image();
    not_redacted["content"] = json!({});
    let (err, text) = sync_errors(not_redacted);
    assert_error(&err, &text, "content", &["missing field `msgtype`"]);
}

/// Not an error: a `null` where the spec allows none (clients send it for "not set") reads as
/// absent and is kept as written, so the event is written back as it was read; a second value
/// of the same key is still a duplicate.
#[test]
fn null_where_the_spec_allows_none_is_read_as_absent_and_written_back() {
    let mut event = image();
    event["content"]["info"]["thumbnail_url"] = Value::Null;
    event["unsigned"] = json!({"age": null});
    let read: AnySyncTimelineEvent = serde_json::from_value(event.clone()).unwrap();
    assert_eq!(serde_json::to_value(&read).unwrap(), event);

    let member_text = r#"{"type":"m.room.member","state_key":"@a:x.org","sender":"@a:x.org","event_id":"$e:x.org","origin_server_ts":1,"unsigned":{"age":null,"age":5},"content":{"membership":"join"}}"#;
    let err = serde_json::from_str::<SyncRoomMemberEvent>(member_text).unwrap_err();
    assert!(err.to_string().contains("duplicate field `age`"), "{err}");
}

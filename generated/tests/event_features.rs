//! Events of a feature's group read as their own type when the feature is on and as the
//! `Unknown` variant when it is off, written back the same either way; events of no group are
//! always typed. `cargo test` runs this with every feature (the workspace turns them all on),
//! `.ci/run` also with none (`cargo test -p matrix-types --no-default-features`).

#![cfg(matrix_types_generated)]

use matrix_types::events::{
    AnySyncMessageLikeEvent, AnySyncStateEvent, AnySyncTimelineEvent, AnyToDeviceEvent,
};
use serde_json::{json, Value};

/// Reads `value` as `T` and checks that it is written back as it was.
fn read<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> T {
    let read: T = serde_json::from_value(value.clone()).expect("the event reads");
    assert_eq!(
        &serde_json::to_value(&read).unwrap(),
        value,
        "written back unchanged"
    );
    read
}

fn sync_event(event_type: &str, content: Value) -> Value {
    json!({
        "type": event_type,
        "event_id": "$143273582443PhrSn:example.org",
        "sender": "@alice:example.org",
        "origin_server_ts": 1432735824653u64,
        "content": content,
    })
}

fn is_unknown(event: &AnySyncTimelineEvent) -> bool {
    matches!(
        event,
        AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::Unknown(_))
            | AnySyncTimelineEvent::State(AnySyncStateEvent::Unknown(_))
    )
}

#[test]
fn a_call_is_typed_with_voip_and_kept_whole_without() {
    let invite = sync_event(
        "m.call.invite",
        json!({
            "call_id": "12345",
            "party_id": "67890",
            "version": "1",
            "lifetime": 60000,
            "offer": {"type": "offer", "sdp": "v=0\r\n"},
        }),
    );
    let event: AnySyncTimelineEvent = read(&invite);
    #[cfg(feature = "voip")]
    assert!(
        matches!(
            event,
            AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::CallInvite(_))
        ),
        "{event:?}"
    );
    assert_eq!(is_unknown(&event), !cfg!(feature = "voip"), "{event:?}");
    assert_eq!(event.event_type(), "m.call.invite");
}

#[test]
fn a_space_child_is_typed_with_spaces_and_kept_whole_without() {
    let mut child = sync_event("m.space.child", json!({"via": ["example.org"]}));
    child["state_key"] = json!("!room:example.org");
    let event: AnySyncTimelineEvent = read(&child);
    #[cfg(feature = "spaces")]
    assert!(
        matches!(
            event,
            AnySyncTimelineEvent::State(AnySyncStateEvent::SpaceChild(_))
        ),
        "{event:?}"
    );
    assert_eq!(is_unknown(&event), !cfg!(feature = "spaces"), "{event:?}");
}

#[test]
fn a_room_key_is_typed_with_e2ee_and_kept_whole_without() {
    let room_key = json!({
        "type": "m.room_key",
        "sender": "@alice:example.org",
        "content": {
            "algorithm": "m.megolm.v1.aes-sha2",
            "room_id": "!room:example.org",
            "session_id": "X3lUlvLELLYxeTx4yOVu6UDpasGEVO0Jbu+QFnm0cKQ",
            "session_key": "AgAAAADxKHa9uFxcXzwYoNueL5Xqi69IkD4sni8Llf",
        },
    });
    let event: AnyToDeviceEvent = read(&room_key);
    #[cfg(feature = "e2ee")]
    assert!(matches!(event, AnyToDeviceEvent::RoomKey(_)), "{event:?}");
    assert_eq!(
        matches!(event, AnyToDeviceEvent::Unknown(_)),
        !cfg!(feature = "e2ee"),
        "{event:?}"
    );
}

#[test]
fn a_message_is_typed_whatever_the_features() {
    let message = sync_event(
        "m.room.message",
        json!({"msgtype": "m.text", "body": "hello"}),
    );
    let event: AnySyncTimelineEvent = read(&message);
    assert!(
        matches!(
            event,
            AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(_))
        ),
        "{event:?}"
    );
}

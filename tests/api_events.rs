//! Events inside API bodies (`typed_events` in `spec/overrides.yaml`): a response reads with
//! its events kept as `Raw<…>` JSON, each typed when asked; one malformed event never fails
//! the response, and its own error names its event type and the field at fault.

use matrix_types::api::Response;
use matrix_types::client_server::{SyncResponse, SyncResponseBody};
use matrix_types::events::{
    AnySyncMessageLikeEvent, AnySyncTimelineEvent, RoomMessageEventContent,
};
use matrix_types::Raw;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use std::fmt::Debug;
use sync_events::{visit_sync_events, SyncEvents};
use tests::api::{find, Place};
use tests::{overrides, spec_dir};

#[path = "shared/sync_events.rs"]
mod sync_events;

fn read_sync(body: &[u8]) -> SyncResponseBody {
    match SyncResponse::from_parts(200, &Default::default(), body) {
        Ok(SyncResponse::Ok(body)) => *body,
        Ok(other) => panic!("read as another response: {other:?}"),
        Err(err) => panic!("the /sync response does not read: {err}"),
    }
}

/// Every event of a /sync response, typed: (where, event type, the error if it does not read).
fn type_every_event(sync: &SyncResponseBody) -> Vec<(String, String, Result<(), String>)> {
    struct Typed(Vec<(String, String, Result<(), String>)>);
    impl SyncEvents for Typed {
        fn events<T: DeserializeOwned + Serialize + Debug>(
            &mut self,
            place: &str,
            events: &[Raw<T>],
        ) {
            for (index, raw) in events.iter().enumerate() {
                let event_type: Option<String> = raw.get_field("type").unwrap();
                self.0.push((
                    format!("{place}[{index}]"),
                    event_type.unwrap_or_default(),
                    raw.deserialize().map(drop).map_err(|err| err.to_string()),
                ));
            }
        }
    }
    let mut typed = Typed(Vec::new());
    visit_sync_events(sync, &mut typed);
    typed.0
}

#[test]
fn the_spec_sync_example_reads_and_every_event_in_it_types() {
    let data = spec_dir().join("data");
    let found = find(&data, &overrides()).unwrap();
    let example = found
        .examples
        .iter()
        .find(|e| {
            e.file == "api/client-server/sync.yaml"
                && e.place == Place::Response
                && e.at.contains("/responses/200/")
        })
        .expect("the spec has a /sync response example");
    let value = example.value.as_ref().unwrap();
    let sync = read_sync(&serde_json::to_vec(value).unwrap());
    let typed = type_every_event(&sync);
    let failed: Vec<_> = typed
        .iter()
        .filter(|(_, _, result)| result.is_err())
        .collect();
    assert!(failed.is_empty(), "events that do not type: {failed:#?}");
    // The example has events in every list the spec documents for it.
    for place in [
        "account_data",
        "presence",
        "timeline",
        "state",
        "ephemeral",
        "invite_state",
    ] {
        assert!(
            typed.iter().any(|(at, _, _)| at.contains(place)),
            "no event in {place}: {typed:#?}"
        );
    }
    // Written back, the response is the example.
    assert_eq!(serde_json::to_value(&sync).unwrap(), *value);
}

/// A /sync response whose timeline holds a good message, a message whose `body` is a number,
/// and a state event; `text` keeps the malformed event's odd spacing.
const SYNC: &str = r#"{
  "next_batch": "s1",
  "rooms": {"join": {"!room:example.org": {"timeline": {"limited": false, "events": [
    {"type": "m.room.message", "event_id": "$1", "sender": "@a:example.org",
     "origin_server_ts": 1, "content": {"msgtype": "m.text", "body": "hello"}},
    {"type":"m.room.message" ,  "event_id":"$2","sender":"@a:example.org","origin_server_ts":2,"content":{"msgtype":"m.text","body":5}},
    {"type": "m.room.name", "state_key": "", "event_id": "$3", "sender": "@a:example.org",
     "origin_server_ts": 3, "content": {"name": "The room"}}
  ]}}}}
}"#;

#[test]
fn a_malformed_event_does_not_fail_the_response_and_names_its_type_and_field() {
    let sync = read_sync(SYNC.as_bytes());
    let joined = sync.rooms.as_ref().unwrap().join.as_ref().unwrap();
    let room = &joined[&"!room:example.org".parse::<matrix_types::RoomId>().unwrap()];
    let events = &room.timeline.as_ref().unwrap().events;
    assert_eq!(events.len(), 3);

    match events[0].deserialize().unwrap() {
        AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(message)) => {
            match &message.content {
                RoomMessageEventContent::Text(text) => assert_eq!(text.body, "hello"),
                other => panic!("not a text message: {other:?}"),
            }
        }
        other => panic!("not a message: {other:?}"),
    }
    assert!(matches!(
        events[2].deserialize().unwrap(),
        AnySyncTimelineEvent::State(_)
    ));

    let err = events[1].deserialize().unwrap_err();
    assert_eq!(err.event_type(), Some("m.room.message"));
    assert_eq!(err.path(), "content.body", "{err}");
    assert!(err.to_string().contains("`m.room.message`"), "{err}");
    assert!(err.to_string().contains("content.body"), "{err}");
    // Its type is readable alone, and its JSON is kept as it came.
    assert_eq!(
        events[1].get_field::<&str>("type").unwrap(),
        Some("m.room.message")
    );
    let text = events[1].json().get();
    assert!(
        text.starts_with(r#"{"type":"m.room.message" ,  "event_id""#),
        "{text}"
    );
    assert_eq!(serde_json::to_string(&events[1]).unwrap(), text);
}

#[test]
fn typed_events_in_other_operations() {
    use matrix_types::application_service::SendTransactionRequestBody;
    use matrix_types::client_server::GetRoomEventsResponse;
    use matrix_types::events::{AnyStateEvent, AnyTimelineEvent};
    let message = json!({"type": "m.room.message", "room_id": "!r:example.org", "event_id": "$1",
        "sender": "@a:example.org", "origin_server_ts": 1, "content": {"msgtype": "m.text", "body": "hi"}});
    let member = json!({"type": "m.room.member", "room_id": "!r:example.org", "event_id": "$2",
        "sender": "@a:example.org", "origin_server_ts": 2, "state_key": "@a:example.org",
        "content": {"membership": 5}});

    // GET /messages: room events, and the state events beside them.
    let body = json!({"start": "t1", "chunk": [message], "state": [member]});
    let GetRoomEventsResponse::Ok(page) = GetRoomEventsResponse::from_parts(
        200,
        &Default::default(),
        &serde_json::to_vec(&body).unwrap(),
    )
    .unwrap() else {
        panic!("not the 200 response");
    };
    let typed: AnyTimelineEvent = page.chunk[0].deserialize().unwrap();
    assert_eq!(typed.event_type(), "m.room.message");
    let state = page.state.as_ref().unwrap();
    let err = state[0].deserialize().unwrap_err();
    assert_eq!(
        (err.event_type(), err.path()),
        (Some("m.room.member"), "content.membership"),
        "{err}"
    );
    let mut member = member.clone();
    member["content"]["membership"] = json!("join");
    let read: AnyStateEvent = Raw::from_json_string(member.to_string())
        .unwrap()
        .deserialize()
        .unwrap();
    assert_eq!(read.event_type(), "m.room.member");

    // An application service's transaction: room events with `room_id`.
    let transaction: SendTransactionRequestBody =
        serde_json::from_value(json!({"events": [message]})).unwrap();
    let typed: AnyTimelineEvent = transaction.events[0].deserialize().unwrap();
    assert_eq!(typed.event_type(), "m.room.message");
    assert_eq!(
        serde_json::to_value(&transaction).unwrap(),
        json!({"events": [message]})
    );
}

//! A program outside the workspace, built against the packaged crate (see `Cargo.toml` and
//! `run.sh`): reads an event and a `/sync` response, builds the request that answers the
//! message, reads the answer's response, and checks what it read and built.

use std::error::Error;

use matrix_types::api::{Request, Response};
use matrix_types::client_server::{SendMessageRequest, SendMessageResponse, SyncResponse};
use matrix_types::events::{
    AnySyncMessageLikeEvent, AnySyncTimelineEvent, RoomMessageEventContent,
    RoomMessageTextEventContent,
};
use matrix_types::{SPEC_COMMIT, SPEC_VERSION};
use serde_json::{json, Value};

/// A message as a room's timeline carries it, with a field the spec does not define.
const EVENT: &str = r#"{
  "type": "m.room.message",
  "event_id": "$143273582443PhrSn:example.org",
  "sender": "@alice:example.org",
  "origin_server_ts": 1432735824653,
  "content": {"msgtype": "m.text", "body": "ping", "org.example.mood": "curious"}
}"#;

/// A `/sync` response: one joined room, whose timeline holds the message and an event of a
/// type the spec does not define.
const SYNC: &str = r#"{
  "next_batch": "s72595_4483_1934",
  "rooms": {"join": {"!636q39766251:example.com": {"timeline": {"limited": false, "events": [
    {"type": "m.room.message", "event_id": "$143273582443PhrSn:example.org",
     "sender": "@alice:example.org", "origin_server_ts": 1432735824653,
     "content": {"msgtype": "m.text", "body": "ping"}},
    {"type": "org.example.custom", "event_id": "$143273582443PhrSo:example.org",
     "sender": "@bob:example.org", "origin_server_ts": 1432735824700,
     "content": {"anything": [1, 2, 3]}}
  ]}}}}
}"#;

fn main() -> Result<(), Box<dyn Error>> {
    println!("matrix-types generated from spec {SPEC_VERSION} (commit {SPEC_COMMIT})");
    assert!(!SPEC_VERSION.is_empty() && !SPEC_COMMIT.is_empty());

    // An event: typed through the timeline's enum, and written back as it was read.
    let event: AnySyncTimelineEvent = serde_json::from_str(EVENT)?;
    let AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(message)) = &event
    else {
        return Err(format!("not read as a message: {event:?}").into());
    };
    let RoomMessageEventContent::Text(text) = &message.content else {
        return Err("not read as a text message".into());
    };
    assert_eq!(text.body, "ping");
    assert_eq!(message.sender.as_str(), "@alice:example.org");
    assert_eq!(
        serde_json::to_value(&event)?,
        serde_json::from_str::<Value>(EVENT)?,
        "the event is written back unchanged, its unknown field included"
    );

    // A response: `/sync`, its timeline's events typed one by one.
    let SyncResponse::Ok(sync) =
        SyncResponse::from_parts(200, &Default::default(), SYNC.as_bytes())?
    else {
        return Err("/sync: not its 200 response".into());
    };
    assert_eq!(sync.next_batch, "s72595_4483_1934");
    let joined = sync.rooms.and_then(|rooms| rooms.join).unwrap_or_default();
    let (room_id, room) = joined.into_iter().next().ok_or("no joined room")?;
    assert_eq!(room_id.as_str(), "!636q39766251:example.com");
    let timeline = room.timeline.ok_or("no timeline")?.events;
    assert_eq!(timeline.len(), 2);
    let first = timeline[0].deserialize()?;
    assert!(
        matches!(
            first,
            AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(_))
        ),
        "{first:?}"
    );
    // A type the spec does not define is kept whole, and written back byte for byte.
    assert_eq!(
        timeline[1].get_field::<&str>("type")?,
        Some("org.example.custom")
    );
    let second = timeline[1].deserialize()?;
    assert_eq!(
        serde_json::to_value(&second)?["content"],
        json!({"anything": [1, 2, 3]})
    );

    // A request: the answer to the message, in the room it came from.
    let mut answer = RoomMessageTextEventContent::new("pong".to_owned());
    answer
        .extra
        .insert("org.example.mood".to_owned(), json!("helpful"));
    // The room's id is a `RoomId`; older releases (v1.7) key the rooms by a plain `String`:
    // parsing it again builds against either.
    let request =
        SendMessageRequest::new(room_id.to_string().parse()?, "txn-1".to_owned(), &answer)?;
    let http = request.try_into_http_request("https://matrix.example.org", Some("access-token"))?;
    assert_eq!(http.method().as_str(), "PUT");
    assert_eq!(
        http.uri().to_string(),
        "https://matrix.example.org/_matrix/client/v3/rooms/%21636q39766251%3Aexample.com/send/m.room.message/txn-1"
    );
    assert_eq!(http.headers()["authorization"], "Bearer access-token");
    assert_eq!(
        serde_json::from_slice::<Value>(http.body())?,
        json!({"msgtype": "m.text", "body": "pong", "org.example.mood": "helpful"})
    );

    // And its response.
    let SendMessageResponse::Ok(sent) = SendMessageResponse::from_parts(
        200,
        &Default::default(),
        br#"{"event_id": "$YUwRidLecu:example.com"}"#,
    )?
    else {
        return Err("send: not its 200 response".into());
    };
    assert_eq!(sent.event_id.as_str(), "$YUwRidLecu:example.com");

    println!(
        "read an event and a /sync response, built {} {}: ok",
        http.method(),
        http.uri().path()
    );
    Ok(())
}

//! A bot's step: read a `/sync` response, walk the joined rooms' timelines typed, and answer
//! the first text message with a reply, built into the `http::Request` to send.
//!
//! `cargo run -p tests --example reply [SYNC_JSON_FILE]` (without a file, it reads a small
//! response written below). It is an example of the `tests` package, which depends on
//! `matrix-types` with every feature, so that the crate generated from any spec folder (whose
//! types differ) never has to build it.

use matrix_types::api::{Request, Response};
use matrix_types::client_server::{SendMessageRequest, SyncResponse};
use matrix_types::events::{
    AnySyncMessageLikeEvent, AnySyncTimelineEvent, InReplyTo, Relation, RoomMessageEventContent,
    RoomMessageTextEventContent,
};
use matrix_types::{EventId, RoomId};

/// A `/sync` response of one joined room with a topic change and two messages.
const SYNC: &str = r#"{
  "next_batch": "s72595_4483_1934",
  "rooms": {
    "join": {
      "!636q39766251:example.com": {
        "timeline": {
          "limited": false,
          "prev_batch": "t34-23535_0_0",
          "events": [
            {"type": "m.room.topic", "state_key": "", "event_id": "$143273582443PhrSn:example.org",
             "sender": "@alice:example.org", "origin_server_ts": 1432735824653,
             "content": {"topic": "Bots welcome"}},
            {"type": "m.room.message", "event_id": "$143273582443PhrSo:example.org",
             "sender": "@alice:example.org", "origin_server_ts": 1432735824700,
             "content": {"msgtype": "m.text", "body": "ping"}},
            {"type": "m.room.message", "event_id": "$143273582443PhrSp:example.org",
             "sender": "@bob:example.org", "origin_server_ts": 1432735824800,
             "content": {"msgtype": "m.notice", "body": "I am a bot too"}}
          ]
        }
      }
    }
  }
}"#;

/// A text message found in a room.
struct TextMessage {
    room_id: RoomId,
    event_id: EventId,
    body: String,
}

/// The first text message of the joined rooms.
fn first_text_message(sync: &[u8]) -> Result<Option<TextMessage>, Box<dyn std::error::Error>> {
    let sync = match SyncResponse::from_parts(200, &Default::default(), sync)? {
        SyncResponse::Ok(sync) => sync,
        other => return Err(format!("a response of status {}", other.status()).into()),
    };
    let joined = sync.rooms.and_then(|rooms| rooms.join).unwrap_or_default();
    for (room_id, room) in joined {
        for raw in room
            .timeline
            .map(|timeline| timeline.events)
            .unwrap_or_default()
        {
            // Each event is read on its own: one malformed event is skipped, not fatal.
            let event = match raw.deserialize() {
                Ok(event) => event,
                Err(err) => {
                    eprintln!("skipping an event of {room_id}: {err}");
                    continue;
                }
            };
            if let AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(
                message,
            )) = event
            {
                if let RoomMessageEventContent::Text(text) = &message.content {
                    return Ok(Some(TextMessage {
                        room_id,
                        event_id: message.event_id.clone(),
                        body: text.body.clone(),
                    }));
                }
            }
        }
    }
    Ok(None)
}

/// A reply to `event_id` in `room_id`, as the request that sends it.
fn reply(
    room_id: RoomId,
    event_id: EventId,
    body: &str,
) -> Result<http::Request<Vec<u8>>, Box<dyn std::error::Error>> {
    let mut relation = Relation::default();
    relation.in_reply_to = Some(InReplyTo::new(event_id));
    let mut content = RoomMessageTextEventContent::new(body.to_owned());
    content.relates_to = Some(relation);
    let request = SendMessageRequest::new(room_id, "txn-1".to_owned(), &content)?;
    Ok(request.try_into_http_request("https://matrix.example.org", Some("access-token"))?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sync = match std::env::args().nth(1) {
        Some(path) => std::fs::read(path)?,
        None => SYNC.as_bytes().to_vec(),
    };
    let Some(message) = first_text_message(&sync)? else {
        println!("no text message to answer");
        return Ok(());
    };
    println!(
        "answering {} in {}: {:?}",
        message.event_id, message.room_id, message.body
    );
    let request = reply(message.room_id, message.event_id, "pong")?;
    println!("{} {}", request.method(), request.uri());
    println!("{}", String::from_utf8_lossy(request.body()));
    Ok(())
}

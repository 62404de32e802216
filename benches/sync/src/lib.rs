//! The input of the `/sync` benchmark and the ways of reading it that are compared.
//!
//! The input is one synthetic `/sync` response body (built here from literal JSON, with a fixed
//! seed): one joined room whose timeline holds [`TIMELINE_EVENTS`] events, drawn from a mix of
//! what a busy room holds (text messages dominating, then reactions, encrypted messages,
//! notices, images, files, stickers, replies, edits, thread replies, redactions, membership and
//! a little other state), with bodies of varied length holding non-ASCII text (accents, CJK, emoji) and
//! JSON escapes (`\"`, `\n`, `\\`, `\t`). Around the timeline, what a real response has too and
//! is small next to it: the room's summary, state, ephemeral events, account data and unread
//! counts, and the global presence, account data and one-time key counts.
//!
//! Readers ([`READERS`]):
//!
//! - `before`: the crate as generated before `Raw` (`matrix_types_before`, commit 67fdcf1):
//!   `SyncResponseBody` whose timeline is `Vec<ClientEventWithoutRoomID>`, each event's
//!   envelope read into a struct and its `content` into a `Map<String, Value>`;
//! - `raw`: today's `SyncResponseBody`, whose timeline is `Vec<Raw<AnySyncTimelineEvent>>`:
//!   each event's JSON checked and kept as text, not read;
//! - `raw_typed`: `raw`, then every timeline event typed with `Raw::deserialize` into an
//!   `AnySyncTimelineEvent` (content included): what a client that looks at every event pays;
//! - `before_typed`: `before`, then every timeline event typed as a user of that crate had to:
//!   written back to JSON and read again as that crate's `AnySyncTimelineEvent`;
//! - `value`: `serde_json::Value`, the whole tree, nothing typed (a reference);
//! - `ignored`: `serde::de::IgnoredAny`, the JSON checked and skipped (the floor).

use std::fmt::Write as _;

use serde::de::IgnoredAny;
use serde_json::{json, Value};

/// How many events the timeline has.
pub const TIMELINE_EVENTS: usize = 5000;

/// The seed of the synthetic response.
pub const SEED: u64 = 0x7379_6e63;

/// The joined room.
pub const ROOM_ID: &str = "!bench:example.org";

pub type Before = matrix_types_before::client_server::SyncResponseBody;
pub type After = matrix_types::client_server::SyncResponseBody;
pub type BeforeEvent = matrix_types_before::events::AnySyncTimelineEvent;
pub type AfterEvent = matrix_types::events::AnySyncTimelineEvent;

fn err(err: impl std::fmt::Display) -> String {
    err.to_string()
}

/// (a) Today's crate before `Raw`: every event read eagerly, contents as JSON maps.
pub fn de_before(bytes: &[u8]) -> Result<Before, String> {
    serde_json::from_slice(bytes).map_err(err)
}

/// (b) With `Raw` events: the events' JSON checked and kept as text.
pub fn de_raw(bytes: &[u8]) -> Result<After, String> {
    serde_json::from_slice(bytes).map_err(err)
}

/// The timeline of the joined room of a response read by [`de_raw`].
pub fn raw_timeline(body: &After) -> &[matrix_types::Raw<AfterEvent>] {
    let rooms = body.rooms.as_ref().expect("rooms");
    let room = rooms.join.as_ref().expect("rooms.join").values().next().expect("one joined room");
    &room.timeline.as_ref().expect("timeline").events
}

/// The timeline of the joined room of a response read by [`de_before`].
pub fn before_timeline(body: &Before) -> &[matrix_types_before::common::ClientEventWithoutRoomID] {
    let rooms = body.rooms.as_ref().expect("rooms");
    let room = rooms.join.as_ref().expect("rooms.join").values().next().expect("one joined room");
    &room.timeline.as_ref().expect("timeline").events
}

/// Every event of a [`de_raw`] timeline typed with `Raw::deserialize`.
pub fn type_timeline(body: &After) -> Result<Vec<AfterEvent>, String> {
    raw_timeline(body)
        .iter()
        .map(|raw| raw.deserialize().map_err(err))
        .collect()
}

/// (c) [`de_raw`], then the timeline typed: the total.
pub fn de_raw_typed(bytes: &[u8]) -> Result<(After, Vec<AfterEvent>), String> {
    let body = de_raw(bytes)?;
    let events = type_timeline(&body)?;
    Ok((body, events))
}

/// [`de_before`], then the timeline typed the only way that crate allowed: each event written
/// back to JSON and read again as its `AnySyncTimelineEvent`.
pub fn de_before_typed(bytes: &[u8]) -> Result<(Before, Vec<BeforeEvent>), String> {
    let body = de_before(bytes)?;
    let events = before_timeline(&body)
        .iter()
        .map(|event| {
            let json = serde_json::to_vec(event).map_err(err)?;
            serde_json::from_slice(&json).map_err(err)
        })
        .collect::<Result<Vec<BeforeEvent>, String>>()?;
    Ok((body, events))
}

/// (d) `serde_json::Value`: the whole tree, nothing typed.
pub fn de_value(bytes: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(bytes).map_err(err)
}

/// The floor: the JSON checked and skipped.
pub fn de_ignored(bytes: &[u8]) -> Result<(), String> {
    serde_json::from_slice::<IgnoredAny>(bytes).map(drop).map_err(err)
}

/// A way of reading the response: `Err` with a message when it does not read.
pub struct Reader {
    pub name: &'static str,
    pub what: &'static str,
    pub read: fn(&[u8]) -> Result<(), String>,
}

/// The readers compared, in the order of the table (criterion's bench names).
pub const READERS: &[Reader] = &[
    Reader {
        name: "before",
        what: "(a) before (67fdcf1): SyncResponseBody, timeline Vec<ClientEventWithoutRoomID>",
        read: |bytes| de_before(bytes).map(drop),
    },
    Reader {
        name: "raw",
        what: "(b) today: SyncResponseBody, timeline Vec<Raw<AnySyncTimelineEvent>>",
        read: |bytes| de_raw(bytes).map(drop),
    },
    Reader {
        name: "raw_typed",
        what: "(c) (b), then every timeline event .deserialize()d (total)",
        read: |bytes| de_raw_typed(bytes).map(drop),
    },
    Reader {
        name: "before_typed",
        what: "(a), then every timeline event written back and read as AnySyncTimelineEvent",
        read: |bytes| de_before_typed(bytes).map(drop),
    },
    Reader {
        name: "value",
        what: "(d) serde_json::Value (reference)",
        read: |bytes| de_value(bytes).map(drop),
    },
    Reader {
        name: "ignored",
        what: "serde::de::IgnoredAny (floor: JSON checked, nothing built)",
        read: de_ignored,
    },
];

/// The benchmark's input: the response body and what it holds.
pub struct Input {
    pub body: Vec<u8>,
    /// Bytes of the timeline's events alone (their JSON, without the commas and brackets).
    pub timeline_bytes: usize,
    /// How many timeline events of each kind (the generator's labels, in order of first use).
    pub mix: Vec<(&'static str, usize)>,
}

impl Input {
    /// Builds the response and checks that every reader reads it, that both crates see
    /// [`TIMELINE_EVENTS`] timeline events, and that today's crate types every one of them as
    /// a known event (neither `Unknown` nor `Redacted`).
    pub fn build() -> Input {
        let (body, timeline_bytes, mix) = sync_body();
        let input = Input { body: serde_json::to_vec(&body).unwrap(), timeline_bytes, mix };
        for reader in READERS {
            (reader.read)(&input.body).unwrap_or_else(|err| panic!("{} does not read the response: {err}", reader.name));
        }
        let before = de_before(&input.body).unwrap();
        assert_eq!(before_timeline(&before).len(), TIMELINE_EVENTS);
        let (after, typed) = de_raw_typed(&input.body).unwrap();
        assert_eq!(raw_timeline(&after).len(), TIMELINE_EVENTS);
        for event in &typed {
            let debug = format!("{event:?}");
            let variant = debug.split('(').nth(1).unwrap_or_default();
            assert!(
                variant != "Unknown" && variant != "Redacted",
                "{} reads as {variant}, not typed",
                event.event_type()
            );
        }
        let (_, before_typed) = de_before_typed(&input.body).unwrap();
        for event in &before_typed {
            let debug = format!("{event:?}");
            let variant = debug.split('(').nth(1).unwrap_or_default();
            assert!(variant != "Unknown" && variant != "Redacted", "before: an event reads as {variant}");
        }
        input
    }

    /// What the input is.
    pub fn report(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "/sync response: {} bytes, one joined room, timeline of {} events ({} bytes of events), seed {:#x}",
            self.body.len(),
            TIMELINE_EVENTS,
            self.timeline_bytes,
            SEED
        );
        let mix: Vec<String> = self.mix.iter().map(|(kind, n)| format!("{kind} {n}")).collect();
        let _ = writeln!(out, "timeline mix: {}", mix.join(", "));
        out
    }
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Words of message bodies: ASCII mostly, some accents, CJK and emoji, and some that JSON
/// escapes (quotes, newlines, backslashes, tabs).
const WORDS: &[&str] = &[
    "the", "room", "is", "ready", "we", "can", "meet", "at", "noon", "see", "you", "there", "thanks",
    "for", "sharing", "this", "link", "looks", "good", "to", "me", "deploy", "after", "lunch", "i",
    "think", "so", "yes", "no", "maybe", "tomorrow", "https://example.org/a?b=c&d=e", "café",
    "naïve", "Grüße", "日本語", "привет", "👍", "🎉", "ok", "\"quoted\"", "line\nbreak",
    "C:\\path\\file", "tab\there", "<b>not html</b>", "ünïcödé", "😀😀",
];

const MIMETYPES: &[(&str, &str)] = &[
    ("image/jpeg", "jpg"),
    ("image/png", "png"),
    ("image/webp", "webp"),
    ("image/gif", "gif"),
];

const FILES: &[(&str, &str)] = &[
    ("report Q3 (final).pdf", "application/pdf"),
    ("notes.txt", "text/plain"),
    ("build-log-2026-11-30.tar.gz", "application/gzip"),
    ("Präsentation.odp", "application/vnd.oasis.opendocument.presentation"),
];

const KEYS: &[&str] = &["👍", "❤️", "😂", "🎉", "👀", "✅", "+1", "🙏"];

/// What the timeline is drawn from, with each kind's share (of 1000).
const KINDS: &[(&str, u64)] = &[
    ("text", 430),
    ("reply", 60),
    ("thread", 30),
    ("edit", 25),
    ("reaction", 130),
    ("encrypted", 80),
    ("notice", 50),
    ("emote", 15),
    ("image", 50),
    ("file", 20),
    ("redaction", 20),
    ("member", 60),
    ("name", 5),
    ("topic", 5),
    ("pinned", 5),
    ("power_levels", 5),
    ("avatar", 5),
    ("sticker", 5),
];

fn base64ish(rng: &mut Rng, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    (0..len).map(|_| ALPHABET[rng.below(64) as usize] as char).collect()
}

fn body_text(rng: &mut Rng) -> String {
    // Mostly short, sometimes a paragraph.
    let words = if rng.below(10) == 0 { 20 + rng.below(120) } else { 1 + rng.below(15) };
    let words: Vec<&str> = (0..words).map(|_| *rng.pick(WORDS)).collect();
    words.join(" ")
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('\n', "<br>")
}

/// A message content: plain, or with an HTML body (a quarter of them), sometimes mentions.
fn text_content(rng: &mut Rng, msgtype: &str, users: &[String]) -> Value {
    let body = body_text(rng);
    let mut content = json!({ "msgtype": msgtype, "body": body });
    if rng.chance(25) {
        content["format"] = json!("org.matrix.custom.html");
        content["formatted_body"] = json!(format!("<p>{}</p>", html_escape(&body)));
    }
    if rng.chance(15) {
        content["m.mentions"] = json!({ "user_ids": [rng.pick(users)] });
    }
    content
}

/// The `/sync` response body, the bytes of its timeline's events and the timeline's mix.
fn sync_body() -> (Value, usize, Vec<(&'static str, usize)>) {
    let mut rng = Rng(SEED);
    let users: Vec<String> = (0..40).map(|n| format!("@user{n}:example.org")).collect();
    let total: u64 = KINDS.iter().map(|(_, w)| w).sum();
    let mut mix: Vec<(&'static str, usize)> = Vec::new();
    let mut events: Vec<Value> = Vec::with_capacity(TIMELINE_EVENTS);
    let mut ts: u64 = 1_764_000_000_000;
    for index in 0..TIMELINE_EVENTS {
        let mut pick = rng.below(total);
        let kind = KINDS
            .iter()
            .find(|(_, w)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .unwrap()
            .0;
        match mix.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => mix.push((kind, 1)),
        }
        ts += 1 + rng.below(60_000);
        let sender = rng.pick(&users).clone();
        // An earlier event of this timeline, for relations.
        let earlier = |rng: &mut Rng| format!("$ev{:06}", rng.below(index.max(1) as u64));
        let (event_type, state_key, content): (&str, Option<String>, Value) = match kind {
            "text" => ("m.room.message", None, text_content(&mut rng, "m.text", &users)),
            "notice" => ("m.room.message", None, {
                let mut content = text_content(&mut rng, "m.notice", &users);
                content["format"] = json!("org.matrix.custom.html");
                let body = content["body"].as_str().unwrap().to_owned();
                content["formatted_body"] = json!(format!("<b>bot</b>: <code>{}</code>", html_escape(&body)));
                content
            }),
            "emote" => ("m.room.message", None, text_content(&mut rng, "m.emote", &users)),
            "reply" => ("m.room.message", None, {
                let mut content = text_content(&mut rng, "m.text", &users);
                content["m.relates_to"] = json!({ "m.in_reply_to": { "event_id": earlier(&mut rng) } });
                content
            }),
            "thread" => ("m.room.message", None, {
                let mut content = text_content(&mut rng, "m.text", &users);
                let root = earlier(&mut rng);
                let last = earlier(&mut rng);
                content["m.relates_to"] = json!({
                    "rel_type": "m.thread",
                    "event_id": root,
                    "is_falling_back": true,
                    "m.in_reply_to": { "event_id": last }
                });
                content
            }),
            "edit" => ("m.room.message", None, {
                let new = text_content(&mut rng, "m.text", &users);
                json!({
                    "msgtype": "m.text",
                    "body": format!("* {}", new["body"].as_str().unwrap()),
                    "m.new_content": new,
                    "m.relates_to": { "rel_type": "m.replace", "event_id": earlier(&mut rng) }
                })
            }),
            "image" => ("m.room.message", None, {
                let (mimetype, ext) = *rng.pick(MIMETYPES);
                let (w, h) = (320 + rng.below(3700), 240 + rng.below(2800));
                json!({
                    "msgtype": "m.image",
                    "body": format!("IMG_{:04}.{ext}", rng.below(10_000)),
                    "url": format!("mxc://example.org/{}", base64ish(&mut rng, 24).replace(['+', '/'], "x")),
                    "info": {
                        "mimetype": mimetype,
                        "size": 20_000 + rng.below(5_000_000),
                        "w": w,
                        "h": h,
                        "thumbnail_url": format!("mxc://example.org/{}", base64ish(&mut rng, 24).replace(['+', '/'], "y")),
                        "thumbnail_info": { "mimetype": "image/jpeg", "size": 2_000 + rng.below(60_000), "w": 800, "h": 600 },
                        "xyz.amorgan.blurhash": "LEHV6nWB2yk8pyo0adR*.7kCMdnj"
                    }
                })
            }),
            "file" => ("m.room.message", None, {
                let (name, mimetype) = *rng.pick(FILES);
                json!({
                    "msgtype": "m.file",
                    "body": name,
                    "filename": name,
                    "url": format!("mxc://example.org/{}", base64ish(&mut rng, 24).replace(['+', '/'], "z")),
                    "info": { "mimetype": mimetype, "size": 1_000 + rng.below(50_000_000) }
                })
            }),
            "reaction" => ("m.reaction", None, json!({
                "m.relates_to": { "rel_type": "m.annotation", "event_id": earlier(&mut rng), "key": rng.pick(KEYS) }
            })),
            "encrypted" => ("m.room.encrypted", None, {
                let len = 200 + rng.below(600) as usize;
                json!({
                    "algorithm": "m.megolm.v1.aes-sha2",
                    "ciphertext": base64ish(&mut rng, len),
                    "device_id": format!("DEV{}", rng.below(1000)),
                    "sender_key": base64ish(&mut rng, 43),
                    "session_id": base64ish(&mut rng, 43)
                })
            }),
            "redaction" => ("m.room.redaction", None, json!({ "redacts": earlier(&mut rng), "reason": "spam" })),
            "member" => ("m.room.member", Some(sender.clone()), {
                let membership = *rng.pick(&["join", "join", "join", "leave", "invite"]);
                let mut content = json!({ "membership": membership });
                if membership != "leave" {
                    content["displayname"] = json!(format!("User {} — ✨", &sender[5..sender.find(':').unwrap()]));
                    content["avatar_url"] = json!(format!("mxc://example.org/{}", base64ish(&mut rng, 16).replace(['+', '/'], "a")));
                }
                content
            }),
            "name" => ("m.room.name", Some(String::new()), json!({ "name": format!("Bench room №{}", rng.below(100)) })),
            "topic" => ("m.room.topic", Some(String::new()), json!({ "topic": body_text(&mut rng) })),
            "avatar" => ("m.room.avatar", Some(String::new()), json!({
                "url": "mxc://example.org/JWEIFJgwEIhweiWJE",
                "info": { "h": 398, "w": 394, "mimetype": "image/jpeg", "size": 31037 }
            })),
            "pinned" => ("m.room.pinned_events", Some(String::new()), json!({
                "pinned": [earlier(&mut rng), earlier(&mut rng)]
            })),
            "power_levels" => ("m.room.power_levels", Some(String::new()), json!({
                "ban": 50, "events": { "m.room.name": 100, "m.room.power_levels": 100 },
                "events_default": 0, "invite": 50, "kick": 50, "redact": 50, "state_default": 50,
                "users": { "@user0:example.org": 100, "@user1:example.org": 50 }, "users_default": 0,
                "notifications": { "room": 20 }
            })),
            "sticker" => ("m.sticker", None, json!({
                "body": "Landing",
                "info": { "mimetype": "image/png", "h": 200, "w": 140, "size": 73602,
                          "thumbnail_url": "mxc://example.org/sticker_thumb", "thumbnail_info": { "mimetype": "image/png", "h": 200, "w": 140, "size": 73602 } },
                "url": "mxc://example.org/sticker"
            })),
            other => unreachable!("{other}"),
        };
        let mut event = json!({
            "type": event_type,
            "event_id": format!("$ev{index:06}"),
            "sender": sender,
            "origin_server_ts": ts,
            "content": content,
            "unsigned": { "age": rng.below(10_000_000) }
        });
        if let Some(state_key) = state_key {
            event["state_key"] = json!(state_key);
        }
        if rng.chance(3) {
            event["unsigned"]["transaction_id"] = json!(format!("m{}.{}", ts, rng.below(100)));
        }
        events.push(event);
    }
    let timeline_bytes = events.iter().map(|e| serde_json::to_vec(e).unwrap().len()).sum();

    let state_event = |event_type: &str, state_key: &str, content: Value, n: u64| {
        json!({
            "type": event_type, "state_key": state_key, "sender": "@user0:example.org",
            "event_id": format!("$state{n}"), "origin_server_ts": 1_763_000_000_000u64 + n,
            "content": content
        })
    };
    let body = json!({
        "next_batch": "s72595_4483_1934",
        "presence": { "events": [
            { "type": "m.presence", "sender": "@user1:example.org",
              "content": { "presence": "online", "last_active_ago": 2478593, "currently_active": false, "status_msg": "Making cupcakes" } }
        ]},
        "account_data": { "events": [
            { "type": "m.ignored_user_list", "content": { "ignored_users": { "@spam:example.org": {} } } }
        ]},
        "device_one_time_keys_count": { "signed_curve25519": 50 },
        "rooms": { "join": { ROOM_ID: {
            "summary": { "m.heroes": ["@user1:example.org", "@user2:example.org"], "m.joined_member_count": 40, "m.invited_member_count": 0 },
            "state": { "events": [
                state_event("m.room.create", "", json!({ "room_version": "11" }), 1),
                state_event("m.room.join_rules", "", json!({ "join_rule": "public" }), 2),
                state_event("m.room.history_visibility", "", json!({ "history_visibility": "shared" }), 3),
                state_event("m.room.member", "@user0:example.org", json!({ "membership": "join", "displayname": "User 0" }), 4),
                state_event("m.room.canonical_alias", "", json!({ "alias": "#bench:example.org" }), 5)
            ]},
            "timeline": { "events": events, "limited": true, "prev_batch": "t34-23535_0_0" },
            "ephemeral": { "events": [
                { "type": "m.typing", "content": { "user_ids": ["@user3:example.org"] } },
                { "type": "m.receipt", "content": { "$ev004999": { "m.read": { "@user1:example.org": { "ts": 1_764_100_000_000u64 } } } } }
            ]},
            "account_data": { "events": [
                { "type": "m.fully_read", "content": { "event_id": "$ev004990" } }
            ]},
            "unread_notifications": { "highlight_count": 1, "notification_count": 5 }
        }}}
    });
    (body, timeline_bytes, mix)
}

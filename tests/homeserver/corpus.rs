//! A corpus of what a real server sends, for the throughput benchmark
//! (`benches/throughput.sh`): one room filled with `n` mixed events (text of several
//! msgtypes, replies, a thread, edits, reactions, images, files, locations, state changes,
//! pins, redactions, members coming, going and renaming themselves), beside a small room, a
//! room Ann is invited to and one she left; then the bodies of Ann's initial `/sync` (every
//! room, the big one's whole timeline, with state, ephemeral events, account data and
//! presence) and of the big room's `/messages` (backwards from its end, pages of 1000), saved
//! as the server sent them: `sync.json` and `messages-1.json`, `messages-2.json`, ...
//!
//! Every body is read by its response type and written back as received, and every event in
//! it typed and written back, as every answer of the scenario is ([`Run::call`],
//! [`Run::events`]): a body the types do not read losslessly is a failure, not a file.
//! `cargo xtask homeserver --corpus [N]` makes one of [`DEFAULT_EVENTS`]; the scenario makes a
//! small one on every run, so that this code cannot rot.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use matrix_types::client_server::{
    CreateRoomRequestBody, CreateRoomRequestBodyPreset, Filter, GetRoomEventsDir,
    GetRoomEventsRequest, GetRoomEventsResponse, LeaveRoomRequest, LeaveRoomRequestBody,
    LeaveRoomResponse, PostReceiptReceiptType, PostReceiptRequest, PostReceiptRequestBody,
    PostReceiptResponse, RedactEventRequest, RedactEventRequestBody, RedactEventResponse,
    RoomEventFilter, RoomFilter, SetAccountDataRequest, SetAccountDataResponse, SetPresenceRequest,
    SetPresenceRequestBody, SetPresenceRequestBodyPresence, SetPresenceResponse, SetRoomTagRequest,
    SetRoomTagResponse, SetTypingRequest, SetTypingRequestBody, SetTypingResponse, SyncRequest,
};
use matrix_types::common::Tag;
use matrix_types::events::{
    DirectEventContent, ImageInfo, InReplyTo, ReactionEventContent, ReactionRelatesTo,
    ReactionRelatesToRelType, Relation, RoomMessageEmoteEventContent, RoomMessageFileEventContent,
    RoomMessageImageEventContent, RoomMessageLocationEventContent, RoomMessageNoticeEventContent,
    RoomMessageTextEventContent, RoomNameEventContent, RoomPinnedEventsEventContent,
    RoomTopicEventContent,
};
use matrix_types::{EventId, RoomId};
use serde_json::json;

use crate::check::Run;
use crate::common::{
    create_room, join, register, send_content, set_state, sync_keeping_body, Session,
};
use crate::media::{upload, Uploaded, PNG};
use crate::{ephemeral, profile};

/// How many events `cargo xtask homeserver --corpus` fills the big room with.
pub const DEFAULT_EVENTS: usize = 3000;

/// The largest page `/messages` gives (Synapse caps `limit` there).
const PAGE: i64 = 1000;

/// What was saved.
pub struct Saved {
    pub files: Vec<PathBuf>,
    pub bytes: usize,
    /// How long sending the `n` events took.
    pub fill: Duration,
}

/// Fills a room with `n` events and saves the bodies into `out` (its earlier corpus files
/// replaced).
pub fn run(run: &mut Run, n: usize, out: &Path) -> Saved {
    let problems_before = run.ledger.problems.len();
    // Ann syncs; Ben and Cid talk with her; Dee comes and goes.
    let [ann, ben, cid, dee] = ["ann", "ben", "cid", "dee"].map(|name| register(run, name));
    let media = Uploaded {
        image: upload(
            run,
            "ann: upload an image",
            &ann,
            PNG.to_vec(),
            "image/png",
            "red.png",
        ),
        file: upload(
            run,
            "ann: upload a file",
            &ann,
            WORDS.join(" ").into_bytes(),
            "text/plain",
            "words.txt",
        ),
    };

    let mut body = CreateRoomRequestBody::default();
    body.preset = Some(CreateRoomRequestBodyPreset::PublicChat);
    body.name = Some("The corpus".to_owned());
    body.topic = Some("Thousands of events".to_owned());
    let room = create_room(run, "ann: create the corpus room", body, &ann);
    join(run, "ben: join the corpus room", &room, &ben);
    join(run, "cid: join the corpus room", &room, &cid);

    let started = Instant::now();
    let last = fill(run, &room, n, [&ann, &ben, &cid], &dee, &media);
    let fill_took = started.elapsed();

    let side = other_rooms(run, &ann, &ben, &cid);
    ephemeral_and_account_data(run, &room, &side, &last, &ann, &ben);

    let mut files = Vec::new();
    let mut pages = Vec::new();
    let mut from = None;
    let mut paged = 0;
    loop {
        let mut request = GetRoomEventsRequest::new(room.clone(), GetRoomEventsDir::B);
        request.limit = Some(PAGE);
        request.from = from.take();
        let step = format!("ann: /messages, page {}", pages.len() + 1);
        let (answer, bytes) = run.call_keeping_body(&step, &request, ann.token());
        let page = ok!(answer, GetRoomEventsResponse::Ok);
        run.events(&format!("{step} (chunk)"), &page.chunk);
        run.events(&format!("{step} (state)"), page.state.iter().flatten());
        if page.chunk.is_empty() {
            break;
        }
        paged += page.chunk.len();
        pages.push(bytes);
        match &page.end {
            Some(end) => from = Some(end.clone()),
            None => break,
        }
    }
    if paged < n {
        run.problem(format!(
            "corpus: /messages gave {paged} events of a room filled with {n}"
        ));
    }

    // The initial sync, with room for the whole timeline and the rooms left.
    let mut timeline = RoomEventFilter::default();
    timeline.limit = Some(n as i64 + 100);
    let mut rooms = RoomFilter::default();
    rooms.timeline = Some(timeline);
    rooms.include_leave = Some(true);
    let mut filter = Filter::default();
    filter.room = Some(rooms);
    let mut request = SyncRequest::default();
    request.filter = Some(serde_json::to_string(&filter).unwrap());
    let (sync, sync_bytes) = sync_keeping_body(run, "ann: the initial sync", &ann, request);
    let big = sync
        .rooms
        .as_ref()
        .and_then(|rooms| rooms.join.as_ref())
        .and_then(|joined| joined.get(&room))
        .and_then(|joined| joined.timeline.as_ref());
    match big {
        Some(timeline) if timeline.limited != Some(true) && timeline.events.len() >= n => {}
        Some(timeline) => run.problem(format!(
            "corpus: the sync's timeline of the big room has {} events (limited: {:?}), not all {n}",
            timeline.events.len(),
            timeline.limited
        )),
        None => run.problem("corpus: the sync has no timeline of the big room".to_owned()),
    }
    let sections = sync.rooms.as_ref().map(|rooms| {
        [
            rooms.join.as_ref().map_or(0, |r| r.len()),
            rooms.invite.as_ref().map_or(0, |r| r.len()),
            rooms.leave.as_ref().map_or(0, |r| r.len()),
        ]
    });
    if sections != Some([2, 1, 1]) {
        run.problem(format!(
            "corpus: the sync's joined, invited and left rooms are {sections:?}, not 2, 1 and 1"
        ));
    }

    // The earlier corpus goes; the new one is written only if every check passed, `sync.json`
    // last: it says the corpus is whole.
    std::fs::create_dir_all(out).unwrap_or_else(|err| panic!("{}: {err}", out.display()));
    for entry in std::fs::read_dir(out).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "sync.json" || (name.starts_with("messages-") && name.ends_with(".json")) {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    if run.ledger.problems.len() > problems_before {
        run.problem(format!("corpus: nothing written into {}", out.display()));
        return Saved {
            files,
            bytes: 0,
            fill: fill_took,
        };
    }
    let numbered = pages
        .iter()
        .enumerate()
        .map(|(index, page)| (format!("messages-{}.json", index + 1), page));
    for (name, bytes) in numbered.chain([("sync.json".to_owned(), &sync_bytes)]) {
        let path = out.join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        files.push(path);
    }
    Saved {
        bytes: pages.iter().map(Vec::len).sum::<usize>() + sync_bytes.len(),
        files,
        fill: fill_took,
    }
}

/// Words of the messages: plain, accented, other scripts, emoji, and characters JSON escapes.
const WORDS: &[&str] = &[
    "the",
    "build",
    "is",
    "green",
    "again",
    "shall",
    "we",
    "ship",
    "it",
    "tomorrow",
    "I",
    "think",
    "so",
    "café",
    "naïve",
    "Grüße",
    "日本語",
    "Привет",
    "🎉",
    "👍🏽",
    "\"quoted\"",
    "back\\slash",
    "tab\there",
    "line\nbreak",
    "<b>not html</b>",
    "a&b",
];

/// A message of a few words (now and then a paragraph), different for each `i`.
fn words(i: usize) -> String {
    let mut state = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as usize
    };
    let count = if next() % 10 == 0 {
        30 + next() % 60
    } else {
        1 + next() % 12
    };
    (0..count)
        .map(|_| WORDS[next() % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn relation(rel_type: &str, event_id: &EventId) -> Relation {
    let mut relation = Relation::default();
    relation.rel_type = Some(rel_type.to_owned());
    relation.event_id = Some(event_id.clone());
    relation
}

/// Sends `n` events to `room`, in cycles of 25 kinds, from the three `talkers` in turn
/// (`dee` only joins and leaves); the last text message.
fn fill(
    run: &mut Run,
    room: &RoomId,
    n: usize,
    talkers: [&Session; 3],
    dee: &Session,
    media: &Uploaded,
) -> EventId {
    // The last text message and who sent it (what replies, edits, reactions, redactions and
    // pins are about: slot 0 of each cycle is a text, so there is one); the thread's root and
    // its latest event.
    let mut last: Option<(EventId, &Session)> = None;
    let mut thread: Option<(EventId, EventId)> = None;
    let mut dee_in = false;
    for i in 0..n {
        let who = talkers[i % 3];
        let step = format!("{}: corpus event {i}", who.name);
        let cycle = i / 25;
        let about = || last.clone().expect("a text message before");
        let mut text = RoomMessageTextEventContent::new(words(i));
        match i % 25 {
            0 => {
                text.format = Some("org.matrix.custom.html".to_owned());
                text.formatted_body = Some(format!("<p><strong>{i}</strong> {}</p>", words(i + 1)));
            }
            8 => {
                let notice = RoomMessageNoticeEventContent::new(words(i));
                send_content(run, &step, room, &notice, who);
                continue;
            }
            9 => {
                let emote = RoomMessageEmoteEventContent::new(words(i));
                send_content(run, &step, room, &emote, who);
                continue;
            }
            10 => {
                let mut reply = Relation::default();
                reply.in_reply_to = Some(InReplyTo::new(about().0));
                text.relates_to = Some(reply);
            }
            11 => {
                // An edit, by the sender of what it edits.
                let (edited, author) = about();
                let mut edit = RoomMessageTextEventContent::new(format!("* {}", words(i)));
                edit.relates_to = Some(relation("m.replace", &edited));
                edit.extra.insert(
                    "m.new_content".to_owned(),
                    serde_json::to_value(RoomMessageTextEventContent::new(words(i))).unwrap(),
                );
                send_content(
                    run,
                    &format!("{}: corpus event {i}", author.name),
                    room,
                    &edit,
                    author,
                );
                continue;
            }
            12 | 21 => {
                let mut relates = ReactionRelatesTo::default();
                relates.rel_type = Some(ReactionRelatesToRelType::Annotation);
                relates.event_id = Some(about().0.to_string());
                relates.key = Some(["👍", "🎉", "❤️", "+1", "😂"][cycle % 5].to_owned());
                let mut reaction = ReactionEventContent::default();
                reaction.relates_to = Some(relates);
                send_content(run, &step, room, &reaction, who);
                continue;
            }
            13 => {
                let mut picture = RoomMessageImageEventContent::new(format!("picture-{i}.png"));
                picture.url = Some(media.image.clone());
                let mut info = ImageInfo::default();
                (info.w, info.h, info.size) = (Some(8), Some(8), Some(PNG.len() as i64));
                info.mimetype = Some("image/png".to_owned());
                picture.info = Some(info);
                send_content(run, &step, room, &picture, who);
                continue;
            }
            14 => {
                // A thread: its root first, then replies in it.
                let Some((root, latest)) = &thread else {
                    let root = send_content(run, &step, room, &text, who);
                    thread = Some((root.clone(), root));
                    continue;
                };
                let mut in_thread = relation("m.thread", root);
                in_thread.is_falling_back = Some(true);
                in_thread.in_reply_to = Some(InReplyTo::new(latest.clone()));
                text.relates_to = Some(in_thread);
                let sent = send_content(run, &step, room, &text, who);
                thread = Some((root.clone(), sent));
                continue;
            }
            15 => {
                let mut file = RoomMessageFileEventContent::new(format!("notes-{i}.txt"));
                file.url = Some(media.file.clone());
                file.filename = Some(format!("notes-{i}.txt"));
                send_content(run, &step, room, &file, who);
                continue;
            }
            16 => {
                let geo = format!("geo:{}.{},{}.{};u=35", 40 + cycle % 20, i, cycle % 90, i);
                let location = RoomMessageLocationEventContent::new(
                    format!("Meet at point {i}"),
                    geo.parse().unwrap(),
                );
                send_content(run, &step, room, &location, who);
                continue;
            }
            18 => {
                let mut topic = RoomTopicEventContent::default();
                topic.topic = Some(format!("Topic {cycle}: {}", words(i)));
                set_state(run, &step, room, &topic, talkers[0]);
                continue;
            }
            19 => {
                // The last text, redacted by its sender.
                let (redacted, author) = about();
                let mut body = RedactEventRequestBody::default();
                body.reason = Some(format!("redaction {cycle}"));
                let txn = run.next_txn();
                let request = RedactEventRequest::new(room.clone(), redacted, txn, body);
                is!(
                    run.call(&step, &request, author.token()),
                    RedactEventResponse::Ok(_)
                );
                continue;
            }
            22 if cycle % 2 == 0 => {
                let mut name = RoomNameEventContent::default();
                name.name = Some(format!("The corpus, part {cycle}"));
                set_state(run, &step, room, &name, talkers[0]);
                continue;
            }
            22 => {
                let pins = RoomPinnedEventsEventContent::new(vec![about().0]);
                set_state(run, &step, room, &pins, talkers[0]);
                continue;
            }
            24 if cycle % 2 == 0 => {
                // A member event: Cid renames himself.
                let name = json!(format!("Cid ({cycle})"));
                profile::set(run, talkers[2], "displayname", name);
                continue;
            }
            24 => {
                if dee_in {
                    let leave =
                        LeaveRoomRequest::new(room.clone(), LeaveRoomRequestBody::default());
                    is!(
                        run.call(&format!("dee: corpus event {i}"), &leave, dee.token()),
                        LeaveRoomResponse::Ok(_)
                    );
                } else {
                    join(run, &format!("dee: corpus event {i}"), room, dee);
                }
                dee_in = !dee_in;
                continue;
            }
            _ => {}
        }
        let sent = send_content(run, &step, room, &text, who);
        last = Some((sent, who));
    }
    last.expect("a text message").0
}

/// The rooms beside the big one, for the sync: a small room of Ann and Ben (its ID), a room
/// Ben invites Ann to, and one of Cid's that Ann joins, talks in and leaves.
fn other_rooms(run: &mut Run, ann: &Session, ben: &Session, cid: &Session) -> RoomId {
    let mut body = CreateRoomRequestBody::default();
    body.preset = Some(CreateRoomRequestBodyPreset::TrustedPrivateChat);
    body.is_direct = Some(true);
    body.invite = Some(vec![ben.user_id.clone()]);
    let side = create_room(run, "ann: a room with ben", body, ann);
    join(run, "ben: join ann's room", &side, ben);
    for (i, who) in [ben, ann, ben].into_iter().enumerate() {
        let text = RoomMessageTextEventContent::new(words(i));
        send_content(
            run,
            &format!("{}: a word in private", who.name),
            &side,
            &text,
            who,
        );
    }

    let mut body = CreateRoomRequestBody::default();
    body.name = Some("Ben's invitation".to_owned());
    body.invite = Some(vec![ann.user_id.clone()]);
    create_room(run, "ben: invite ann to a room", body, ben);

    let mut body = CreateRoomRequestBody::default();
    body.preset = Some(CreateRoomRequestBodyPreset::PublicChat);
    body.name = Some("Cid's room".to_owned());
    let left = create_room(run, "cid: a room ann will leave", body, cid);
    join(run, "ann: join cid's room", &left, ann);
    let text = RoomMessageTextEventContent::new("Hello and goodbye".to_owned());
    send_content(run, "ann: a word before leaving", &left, &text, ann);
    let leave = LeaveRoomRequest::new(left, LeaveRoomRequestBody::default());
    is!(
        run.call("ann: leave cid's room", &leave, ann.token()),
        LeaveRoomResponse::Ok(_)
    );
    side
}

/// Ben typing and his receipt in the big room, Ann's read markers there, a direct-chat list
/// and a tag for the small room (account data), Ben's presence.
fn ephemeral_and_account_data(
    run: &mut Run,
    room: &RoomId,
    side: &RoomId,
    last: &EventId,
    ann: &Session,
    ben: &Session,
) {
    let mut typing = SetTypingRequestBody::new(true);
    typing.timeout = Some(120_000);
    let request = SetTypingRequest::new(ben.user_id.clone(), room.clone(), typing);
    is!(
        run.call("ben: typing", &request, ben.token()),
        SetTypingResponse::Ok(_)
    );
    let receipt = PostReceiptRequest::new(
        room.clone(),
        PostReceiptReceiptType::Read,
        last.clone(),
        PostReceiptRequestBody::default(),
    );
    is!(
        run.call("ben: a read receipt", &receipt, ben.token()),
        PostReceiptResponse::Ok(_)
    );
    ephemeral::read_markers(run, "ann: read markers", room, last, ann);
    let mut direct = DirectEventContent::default();
    direct.0.insert(ben.user_id.clone(), vec![side.to_string()]);
    let request = SetAccountDataRequest::new(ann.user_id.to_string(), &direct).unwrap();
    is!(
        run.call("ann: her direct chats", &request, ann.token()),
        SetAccountDataResponse::Ok(_)
    );
    let mut tag = Tag::default();
    tag.order = serde_json::Number::from_f64(0.25);
    let request = SetRoomTagRequest::new(
        ann.user_id.to_string(),
        side.to_string(),
        "m.favourite".to_owned(),
        tag,
    );
    is!(
        run.call("ann: tag the small room", &request, ann.token()),
        SetRoomTagResponse::Ok(_)
    );
    let mut presence = SetPresenceRequestBody::new(SetPresenceRequestBodyPresence::Online);
    presence.status_msg = Some("Filling a corpus".to_owned());
    is!(
        run.call(
            "ben: presence",
            &SetPresenceRequest::new(ben.user_id.to_string(), presence),
            ben.token()
        ),
        SetPresenceResponse::Ok(_)
    );
}

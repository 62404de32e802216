//! Sending: every `msgtype` of the spec from the generated content constructors, a reply, a
//! thread, an edit, a reaction, a sticker, a redaction, custom fields and a custom event type;
//! and room state: name, topic, avatar, power levels, join rules, canonical alias, pinned
//! events and a custom state type, each read back.

use matrix_types::client_server::{
    GetRoomStateWithKeyRequest, GetRoomStateWithKeyResponse, GetRoomStateWithKeyResponseBody,
    RedactEventRequest, RedactEventRequestBody, RedactEventResponse, SendMessageRequest,
    SetRoomStateWithKeyRequest, SetRoomStateWithKeyResponse,
};
use matrix_types::events::{
    AudioInfo, CanonicalAlias, ImageInfo, InReplyTo, ReactionEventContent, ReactionRelatesTo,
    ReactionRelatesToRelType, Relation, RoomAvatarEventContent, RoomCanonicalAliasEventContent,
    RoomJoinRulesEventContent, RoomJoinRulesJoinRule, RoomMessageAudioEventContent,
    RoomMessageEmoteEventContent, RoomMessageFileEventContent, RoomMessageImageEventContent,
    RoomMessageLocationEventContent, RoomMessageNoticeEventContent, RoomMessageTextEventContent,
    RoomMessageVideoEventContent, RoomNameEventContent, RoomPinnedEventsEventContent,
    RoomPowerLevelsEventContent, RoomTopicEventContent, StickerEventContent, VideoInfo,
};
use matrix_types::{EventContent, EventId, Raw, RoomAlias, RoomId};
use serde_json::{json, Value};

use crate::check::Run;
use crate::common::{send, send_content, set_state, Session, CUSTOM_TYPE};
use crate::media::Uploaded;

/// A custom state event type, with fields of its own.
pub const CUSTOM_STATE: &str = "org.matrix_types.test.settings";

/// The events sent, for the reading after.
pub struct Sent {
    pub text: EventId,
    pub thread_root: EventId,
    pub thread_reply: EventId,
    pub redacted: EventId,
    pub first_ts_marker: EventId,
    pub all: Vec<EventId>,
}

fn relation(rel_type: &str, event_id: &EventId) -> Relation {
    let mut relation = Relation::default();
    relation.rel_type = Some(rel_type.to_owned());
    relation.event_id = Some(event_id.clone());
    relation
}

pub fn run(
    run: &mut Run,
    room: &RoomId,
    alias: &RoomAlias,
    alice: &Session,
    bob: &Session,
    media: &Uploaded,
) -> Sent {
    let mut all = Vec::new();
    // Text, formatted, with a field no spec defines.
    let mut text = RoomMessageTextEventContent::new("Hello, *lobby*".to_owned());
    text.format = Some("org.matrix.custom.html".to_owned());
    text.formatted_body = Some("Hello, <em>lobby</em>".to_owned());
    text.extra.insert(
        "org.matrix_types.test.mood".to_owned(),
        json!({"cheerful": true, "level": 3}),
    );
    let text_id = send_content(run, "alice: a formatted text", room, &text, alice);
    all.push(text_id.clone());
    let emote = RoomMessageEmoteEventContent::new("waves".to_owned());
    all.push(send_content(run, "bob: an emote", room, &emote, bob));
    let notice = RoomMessageNoticeEventContent::new("A notice, to be redacted".to_owned());
    let notice_id = send_content(run, "alice: a notice", room, &notice, alice);
    all.push(notice_id.clone());
    let mut image = RoomMessageImageEventContent::new("red.png".to_owned());
    image.url = Some(media.image.clone());
    let mut info = ImageInfo::default();
    info.w = Some(8);
    info.h = Some(8);
    info.mimetype = Some("image/png".to_owned());
    image.info = Some(info.clone());
    all.push(send_content(run, "alice: an image", room, &image, alice));
    let mut file = RoomMessageFileEventContent::new("notes.txt".to_owned());
    file.url = Some(media.file.clone());
    file.filename = Some("notes.txt".to_owned());
    all.push(send_content(run, "bob: a file", room, &file, bob));
    let mut audio = RoomMessageAudioEventContent::new("a silence".to_owned());
    audio.url = Some(media.file.clone());
    let mut audio_info = AudioInfo::default();
    audio_info.duration = Some(1000);
    audio_info.mimetype = Some("audio/ogg".to_owned());
    audio.info = Some(audio_info);
    all.push(send_content(
        run,
        "alice: an audio clip",
        room,
        &audio,
        alice,
    ));
    let mut video = RoomMessageVideoEventContent::new("a still".to_owned());
    video.url = Some(media.file.clone());
    let mut video_info = VideoInfo::default();
    video_info.w = Some(8);
    video_info.h = Some(8);
    video_info.duration = Some(40);
    video.info = Some(video_info);
    all.push(send_content(run, "bob: a video", room, &video, bob));
    let location = RoomMessageLocationEventContent::new(
        "The lighthouse".to_owned(),
        "geo:51.5008,0.1247;u=35".parse().unwrap(),
    );
    all.push(send_content(
        run,
        "alice: a location",
        room,
        &location,
        alice,
    ));

    // A reply, a thread (root, a reply in it), an edit and a reaction.
    let mut reply = RoomMessageTextEventContent::new("Hello to you".to_owned());
    let mut relation_ = Relation::default();
    relation_.in_reply_to = Some(InReplyTo::new(text_id.clone()));
    reply.relates_to = Some(relation_);
    all.push(send_content(run, "bob: a reply", room, &reply, bob));
    let root = RoomMessageTextEventContent::new("A thread starts here".to_owned());
    let thread_root = send_content(run, "alice: a thread root", room, &root, alice);
    all.push(thread_root.clone());
    let mut in_thread = RoomMessageTextEventContent::new("And goes on".to_owned());
    let mut thread = relation("m.thread", &thread_root);
    thread.is_falling_back = Some(true);
    thread.in_reply_to = Some(InReplyTo::new(thread_root.clone()));
    in_thread.relates_to = Some(thread);
    let thread_reply = send_content(run, "bob: a reply in the thread", room, &in_thread, bob);
    all.push(thread_reply.clone());
    let mut edit = RoomMessageTextEventContent::new("* Hello, lobby".to_owned());
    edit.relates_to = Some(relation("m.replace", &text_id));
    edit.extra.insert(
        "m.new_content".to_owned(),
        serde_json::to_value(RoomMessageTextEventContent::new("Hello, lobby".to_owned())).unwrap(),
    );
    all.push(send_content(run, "alice: an edit", room, &edit, alice));
    let mut reaction = ReactionEventContent::default();
    let mut relates = ReactionRelatesTo::default();
    relates.rel_type = Some(ReactionRelatesToRelType::Annotation);
    relates.event_id = Some(text_id.to_string());
    relates.key = Some("👍".to_owned());
    reaction.relates_to = Some(relates);
    all.push(send_content(run, "bob: a reaction", room, &reaction, bob));
    let mut sticker_info = ImageInfo::default();
    sticker_info.w = Some(8);
    sticker_info.h = Some(8);
    let sticker = StickerEventContent::new(
        "a red square".to_owned(),
        sticker_info,
        media.image.to_string(),
    );
    all.push(send_content(run, "alice: a sticker", room, &sticker, alice));

    // An event of a type no spec defines.
    let txn = run.next_txn();
    let custom = json!({"piece": "queen", "from": "d1", "to": "h5", "check": true});
    all.push(send(
        run,
        "bob: a custom event",
        &SendMessageRequest::new_raw(
            room.clone(),
            CUSTOM_TYPE.to_owned(),
            txn,
            Raw::from_json_string(custom.to_string()).unwrap(),
        ),
        bob,
    ));

    // The notice redacted.
    let mut body = RedactEventRequestBody::default();
    body.reason = Some("a test of redaction".to_owned());
    let txn = run.next_txn();
    let redaction = ok!(
        run.call(
            "alice: redact the notice",
            &RedactEventRequest::new(room.clone(), notice_id.clone(), txn, body),
            alice.token()
        ),
        RedactEventResponse::Ok
    );
    assert!(redaction.event_id.is_some());

    state(run, room, alias, alice, bob, media, &text_id);
    Sent {
        text: text_id.clone(),
        thread_root,
        thread_reply,
        redacted: notice_id,
        first_ts_marker: all[0].clone(),
        all,
    }
}

/// Reads the content of the state event `event_type` (empty state key) of `room`.
fn read_state(
    run: &mut Run,
    step: &str,
    room: &RoomId,
    event_type: &str,
    session: &Session,
) -> Value {
    let got = run.call(
        step,
        &GetRoomStateWithKeyRequest::new(room.clone(), event_type.to_owned(), String::new()),
        session.token(),
    );
    match *ok!(got, GetRoomStateWithKeyResponse::Ok) {
        GetRoomStateWithKeyResponseBody::Object(content) => Value::Object(content),
        other => panic!("{step}: {other:?}"),
    }
}

/// Checks that the state `C` of `room`, read back, is `content` as written.
fn round_trip<C: EventContent + serde::Serialize>(
    run: &mut Run,
    room: &RoomId,
    content: &C,
    session: &Session,
) {
    let read = read_state(
        run,
        &format!("{}: read {}", session.name, C::EVENT_TYPE),
        room,
        C::EVENT_TYPE,
        session,
    );
    let written = serde_json::to_value(content).unwrap();
    if read != written {
        run.problem(format!(
            "{} reads back as {read} instead of {written}",
            C::EVENT_TYPE
        ));
    }
}

fn state(
    run: &mut Run,
    room: &RoomId,
    alias: &RoomAlias,
    alice: &Session,
    bob: &Session,
    media: &Uploaded,
    pinned: &EventId,
) {
    let mut name = RoomNameEventContent::default();
    name.name = Some("The lobby, renamed".to_owned());
    set_state(run, "alice: rename the lobby", room, &name, alice);
    round_trip(run, room, &name, bob);
    let mut topic = RoomTopicEventContent::default();
    topic.topic = Some("Every msgtype, every state".to_owned());
    set_state(run, "alice: set the topic", room, &topic, alice);
    round_trip(run, room, &topic, bob);
    let mut avatar = RoomAvatarEventContent::default();
    avatar.url = Some(media.image.clone());
    set_state(run, "alice: set the avatar", room, &avatar, alice);
    round_trip(run, room, &avatar, bob);
    let mut canonical = RoomCanonicalAliasEventContent::default();
    canonical.alias = Some(CanonicalAlias::RoomAlias(alias.clone()));
    set_state(
        run,
        "alice: set the canonical alias",
        room,
        &canonical,
        alice,
    );
    round_trip(run, room, &canonical, bob);
    let pins = RoomPinnedEventsEventContent::new(vec![pinned.clone()]);
    set_state(run, "alice: pin a message", room, &pins, alice);
    round_trip(run, room, &pins, bob);
    let join_rules = RoomJoinRulesEventContent::new(RoomJoinRulesJoinRule::Public);
    set_state(run, "alice: set the join rules", room, &join_rules, alice);
    round_trip(run, room, &join_rules, bob);

    // Power levels: read, Bob made a moderator, written, read again.
    let current = read_state(
        run,
        "alice: read the power levels",
        room,
        RoomPowerLevelsEventContent::EVENT_TYPE,
        alice,
    );
    let mut levels: RoomPowerLevelsEventContent = serde_json::from_value(current).unwrap();
    levels
        .users
        .get_or_insert_with(Default::default)
        .insert(bob.user_id.clone(), 50);
    set_state(run, "alice: make bob a moderator", room, &levels, alice);
    round_trip(run, room, &levels, bob);

    // A custom state type, with a state key.
    let custom = json!({"theme": "dark", "layout": {"columns": 2}});
    let request = SetRoomStateWithKeyRequest::new_raw(
        room.clone(),
        CUSTOM_STATE.to_owned(),
        "board-1".to_owned(),
        Raw::from_json_string(custom.to_string()).unwrap(),
    );
    is!(
        run.call("alice: a custom state event", &request, alice.token()),
        SetRoomStateWithKeyResponse::Ok(_)
    );
    let read = run.call(
        "bob: read the custom state event",
        &GetRoomStateWithKeyRequest::new(
            room.clone(),
            CUSTOM_STATE.to_owned(),
            "board-1".to_owned(),
        ),
        bob.token(),
    );
    match *ok!(read, GetRoomStateWithKeyResponse::Ok) {
        GetRoomStateWithKeyResponseBody::Object(content)
            if Value::Object(content.clone()) == custom => {}
        other => run.problem(format!("the custom state reads as {other:?}")),
    }
}

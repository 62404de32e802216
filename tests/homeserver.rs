//! The generated client-server types against a real homeserver: a pinned Synapse, installed
//! and started by `homeserver` on 127.0.0.1, and a scenario of two users spoken entirely
//! through the generated request and response types. Every answer is read through its
//! operation's response type and written back as the server sent it; every event in an answer
//! is typed and written back as received; errors provoked on purpose read as the documented
//! variants. A plain program (`harness = false`), so that its report is always printed;
//! `cargo xtask homeserver` runs it alone.
//!
//! Synapse is installed once into `target/homeserver/venv` (python3 with venv and pip needed;
//! a clear error says what to install when they are missing: the test never passes by
//! skipping).

#[path = "homeserver/check.rs"]
mod check;

use std::time::Instant;

use homeserver::{Synapse, SYNAPSE_VERSION};
use matrix_types::client_server::{
    AuthenticationData, CreateRoomRequest, CreateRoomRequestBody,
    CreateRoomRequestBodyInitialState, CreateRoomRequestBodyPreset, CreateRoomResponse,
    GetJoinedRoomsRequest, GetJoinedRoomsResponse, GetMembersByRoomRequest,
    GetMembersByRoomResponse, GetOneRoomEventRequest, GetOneRoomEventResponse, GetRoomEventsDir,
    GetRoomEventsRequest, GetRoomEventsResponse, GetRoomStateRequest, GetRoomStateResponse,
    GetRoomStateWithKeyRequest, GetRoomStateWithKeyResponse, GetRoomStateWithKeyResponseBody,
    GetTokenOwnerRequest, GetTokenOwnerResponse, GetVersionsRequest, GetVersionsResponse,
    InviteUserRequest, InviteUserRequestBody, InviteUserResponse, JoinRoomByIdRequest,
    JoinRoomByIdRequestBody, JoinRoomByIdResponse, LeaveRoomRequest, LeaveRoomRequestBody,
    LeaveRoomResponse, LoginRequest, LoginRequestBody, LoginResponse, LogoutRequest,
    LogoutResponse, RegisterRequest, RegisterRequestBody, RegisterResponse, SendMessageRequest,
    SendMessageResponse, SetRoomStateWithKeyRequest, SetRoomStateWithKeyResponse, SyncRequest,
    SyncResponse, SyncResponseBody, UserIdentifier,
};
use matrix_types::events::{
    AnyMessageLikeEvent, AnySyncMessageLikeEvent, AnySyncTimelineEvent, AnyTimelineEvent,
    InReplyTo, Relation, RoomHistoryVisibility, RoomHistoryVisibilityEventContent,
    RoomMessageEventContent, RoomMessageTextEventContent, RoomNameEventContent,
    RoomTopicEventContent,
};
use matrix_types::{EventContent, EventId, Raw, RoomId, UserId};
use serde_json::{json, Value};

use check::Run;

/// An event type no spec defines, with fields of its own: read as the `Unknown` variant.
const CUSTOM_TYPE: &str = "org.matrix_types.test.move";

fn main() {
    let started = Instant::now();
    let server = Synapse::start().unwrap_or_else(|err| panic!("{err}"));
    let install = server.install();
    println!(
        "homeserver: Synapse {SYNAPSE_VERSION} at {}; virtualenv {} in {:.1} s ({}), started in {:.1} s",
        server.base_url(),
        if install.reused { "reused" } else { "installed" },
        install.took.as_secs_f64(),
        install.venv.display(),
        server.started_in().as_secs_f64()
    );
    let mut run = Run::new(&server);
    let scenario = Instant::now();
    {
        // On a panic, Synapse's log says what the server made of it; the server itself is
        // stopped as `server` drops.
        let _log = ShowLogOnPanic(&server);
        scenario_two_users(&mut run);
    }
    let ledger = &run.ledger;
    println!(
        "operations exercised: {} in {} requests ({})",
        ledger.operations.len(),
        ledger.requests,
        ledger
            .operations
            .keys()
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "responses read by their types: {} of {}; written back losslessly: {} of {}",
        ledger.read, ledger.requests, ledger.lossless, ledger.read
    );
    println!(
        "events: {} read: {} typed, {} unknown (kept whole), {} failed; written back losslessly: {} of {}",
        ledger.events(),
        ledger.events_typed,
        ledger.events_unknown,
        ledger.events_failed,
        ledger.events_lossless,
        ledger.events_typed + ledger.events_unknown
    );
    println!(
        "event types seen: {}",
        ledger
            .event_types
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "fields outside the spec's schemas (kept in `extra`): {}",
        if ledger.undocumented.is_empty() {
            "none".to_owned()
        } else {
            ledger
                .undocumented
                .iter()
                .map(|((type_name, field), count)| format!("{type_name}.{field} ({count})"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    println!("errors read as documented: {}", ledger.errors.join("; "));
    println!(
        "scenario in {:.1} s, {:.1} s in all",
        scenario.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    for problem in &ledger.problems {
        println!("  FAILED {problem}");
    }
    let checks = ledger.read + ledger.lossless + ledger.events() + ledger.events_lossless;
    println!(
        "homeserver: {} passed, {} failed",
        checks,
        ledger.problems.len()
    );
    if !ledger.problems.is_empty() {
        drop(server);
        std::process::exit(1);
    }
}

struct ShowLogOnPanic<'a>(&'a Synapse);

impl Drop for ShowLogOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("the end of Synapse's log:\n{}", self.0.log_tail(40));
        }
    }
}

/// A user's session.
struct Session {
    user_id: UserId,
    token: String,
}

fn scenario_two_users(run: &mut Run) {
    let versions = run.call("versions", &GetVersionsRequest::default(), None);
    let GetVersionsResponse::Ok(versions) = versions else {
        panic!("versions: {versions:?}")
    };
    assert!(
        versions.versions.iter().any(|v| v.starts_with("v1.")),
        "{:?}",
        versions.versions
    );

    let alice_registered = register(run, "alice");
    let bob = register(run, "bob");
    let alice = login(run, "alice");

    let whoami = run.call(
        "alice: whoami",
        &GetTokenOwnerRequest::default(),
        Some(&alice.token),
    );
    let GetTokenOwnerResponse::Ok(owner) = whoami else {
        panic!("whoami: {whoami:?}")
    };
    assert_eq!(owner.user_id, alice.user_id);

    // A private room with its history shared, set by the initial state, and a topic.
    let mut body = CreateRoomRequestBody::default();
    body.preset = Some(CreateRoomRequestBodyPreset::PrivateChat);
    body.topic = Some("Where the generated types meet Synapse".to_owned());
    body.initial_state = Some(vec![initial_state(
        &RoomHistoryVisibilityEventContent::new(RoomHistoryVisibility::Shared),
    )]);
    let created = run.call(
        "alice: create a room",
        &CreateRoomRequest::new(body),
        Some(&alice.token),
    );
    let CreateRoomResponse::Ok(created) = created else {
        panic!("createRoom: {created:?}")
    };
    let room = created.room_id.clone();

    let invited = run.call(
        "alice: invite bob",
        &InviteUserRequest::new(
            room.clone(),
            InviteUserRequestBody::new(bob.user_id.clone()),
        ),
        Some(&alice.token),
    );
    assert!(matches!(invited, InviteUserResponse::Ok(_)), "{invited:?}");

    // Bob sees the invite (stripped state) in his first /sync.
    let bob_sync = sync(run, "bob: initial sync", &bob, None);
    let invited_to = bob_sync
        .rooms
        .as_ref()
        .and_then(|rooms| rooms.invite.as_ref())
        .is_some_and(|invites| invites.contains_key(&room));
    assert!(invited_to, "bob's sync has no invite to {room}");

    let joined = run.call(
        "bob: join",
        &JoinRoomByIdRequest::new(room.clone(), JoinRoomByIdRequestBody::default()),
        Some(&bob.token),
    );
    let JoinRoomByIdResponse::Ok(joined) = joined else {
        panic!("joinRoomById: {joined:?}")
    };
    assert_eq!(joined.room_id, room);

    // A message, a reply to it, and an event of a type no spec defines.
    let hello = RoomMessageTextEventContent::new("Hello, Bob".to_owned());
    let hello_id = send(
        run,
        "alice: send a message",
        &SendMessageRequest::new(room.clone(), "txn-hello".to_owned(), &hello).unwrap(),
        &alice,
    );
    let mut relation = Relation::default();
    relation.in_reply_to = Some(InReplyTo::new(hello_id.clone()));
    let mut reply = RoomMessageTextEventContent::new("Hello to you, Alice".to_owned());
    reply.relates_to = Some(relation);
    let reply_id = send(
        run,
        "bob: reply",
        &SendMessageRequest::new(room.clone(), "txn-reply".to_owned(), &reply).unwrap(),
        &bob,
    );
    let custom = json!({"piece": "knight", "from": "g1", "to": "f3", "check": false});
    let custom_id = send(
        run,
        "alice: send a custom event",
        &SendMessageRequest::new_raw(
            room.clone(),
            CUSTOM_TYPE.to_owned(),
            "txn-custom".to_owned(),
            Raw::from_json_string(custom.to_string()).unwrap(),
        ),
        &alice,
    );

    // Name and topic, as state.
    let mut name = RoomNameEventContent::default();
    name.name = Some("Proving ground".to_owned());
    set_state(run, "alice: set the name", &room, &name, &alice);
    let mut topic = RoomTopicEventContent::default();
    topic.topic = Some("Every answer typed, nothing lost".to_owned());
    set_state(run, "alice: set the topic", &room, &topic, &alice);
    let read_name = run.call(
        "bob: get the name",
        &GetRoomStateWithKeyRequest::new(
            room.clone(),
            RoomNameEventContent::EVENT_TYPE.to_owned(),
            String::new(),
        ),
        Some(&bob.token),
    );
    let GetRoomStateWithKeyResponse::Ok(read_name) = read_name else {
        panic!("getRoomStateWithKey: {read_name:?}")
    };
    match *read_name {
        GetRoomStateWithKeyResponseBody::Object(content) => {
            assert_eq!(content.get("name"), Some(&json!("Proving ground")))
        }
        other => run.problem(format!(
            "getRoomStateWithKey: the content of m.room.name read as {other:?}"
        )),
    }

    // Alice's first /sync: the room's timeline holds the three events, the custom one whole.
    let first = sync(run, "alice: initial sync", &alice, None);
    let timeline = joined_timeline(run, "alice: initial sync", &first, &room);
    let ids: Vec<EventId> = timeline.iter().filter_map(sync_event_id).collect();
    for (what, id) in [
        ("message", &hello_id),
        ("reply", &reply_id),
        ("custom event", &custom_id),
    ] {
        if !ids.contains(id) {
            run.problem(format!(
                "alice's initial sync has no {what} {id} in its timeline"
            ));
        }
    }
    for event in &timeline {
        if let AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::Unknown(unknown)) = event
        {
            if unknown.event_type == CUSTOM_TYPE && Value::Object(unknown.content.clone()) != custom
            {
                run.problem(format!(
                    "the custom event's content reads as {:?}",
                    unknown.content
                ));
            }
        }
    }
    if !timeline.iter().any(|event| {
        matches!(event, AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::Unknown(unknown)) if unknown.event_type == CUSTOM_TYPE)
    }) {
        run.problem(format!("{CUSTOM_TYPE} is not read as the Unknown variant in /sync"));
    }

    // Bob speaks again; Alice's next /sync, from where the first ended, has it.
    let again = RoomMessageTextEventContent::new("Anything new?".to_owned());
    let again_id = send(
        run,
        "bob: send another message",
        &SendMessageRequest::new(room.clone(), "txn-again".to_owned(), &again).unwrap(),
        &bob,
    );
    let next = sync(
        run,
        "alice: incremental sync",
        &alice,
        Some(first.next_batch.clone()),
    );
    let timeline = joined_timeline(run, "alice: incremental sync", &next, &room);
    let ids: Vec<EventId> = timeline.iter().filter_map(sync_event_id).collect();
    if ids != [again_id.clone()] {
        run.problem(format!(
            "alice's incremental sync holds {ids:?} instead of bob's new message {again_id}"
        ));
    }

    // The room's history, backwards.
    let mut messages = GetRoomEventsRequest::new(room.clone(), GetRoomEventsDir::B);
    messages.limit = Some(100);
    let messages = run.call("bob: messages", &messages, Some(&bob.token));
    let GetRoomEventsResponse::Ok(messages) = messages else {
        panic!("getRoomEvents: {messages:?}")
    };
    let history = run.events("bob: messages (chunk)", &messages.chunk);
    run.events("bob: messages (state)", messages.state.iter().flatten());
    if !history.iter().any(|event| {
        matches!(event, AnyTimelineEvent::MessageLike(AnyMessageLikeEvent::Unknown(unknown)) if unknown.event_type == CUSTOM_TYPE)
    }) {
        run.problem(format!("{CUSTOM_TYPE} is not read as the Unknown variant in /messages"));
    }

    // One event by its ID: the reply, with its relation typed.
    let got = run.call(
        "alice: get the reply",
        &GetOneRoomEventRequest::new(room.clone(), reply_id.clone()),
        Some(&alice.token),
    );
    let GetOneRoomEventResponse::Ok(raw) = got else {
        panic!("getOneRoomEvent: {got:?}")
    };
    let event = run.events("alice: get the reply", [&raw]).pop();
    match event {
        Some(AnyTimelineEvent::MessageLike(AnyMessageLikeEvent::RoomMessage(message))) => {
            let replied = match &message.content {
                RoomMessageEventContent::Text(text) => text
                    .relates_to
                    .as_ref()
                    .and_then(|relation| relation.in_reply_to.as_ref())
                    .map(|in_reply_to| in_reply_to.event_id.clone()),
                _ => None,
            };
            assert_eq!(replied.as_ref(), Some(&hello_id), "{message:?}");
        }
        other => run.problem(format!("the reply reads as {other:?}")),
    }

    // An event that is not there: 404 M_NOT_FOUND, the documented error.
    let missing: EventId = format!("$no-such-event:{}", run.server.server_name())
        .parse()
        .unwrap();
    let got = run.call(
        "alice: get a missing event",
        &GetOneRoomEventRequest::new(room.clone(), missing),
        Some(&alice.token),
    );
    match got {
        GetOneRoomEventResponse::NotFound(error) if error.errcode == "M_NOT_FOUND" => {
            run.documented_error("getOneRoomEvent", 404, &error.errcode)
        }
        other => run.problem(format!("a missing event answers {other:?}")),
    }

    // The room as a whole: its state, members, and the rooms Bob is in.
    let state = run.call(
        "bob: room state",
        &GetRoomStateRequest::new(room.clone()),
        Some(&bob.token),
    );
    let GetRoomStateResponse::Ok(state) = state else {
        panic!("getRoomState: {state:?}")
    };
    run.events("bob: room state", &state);
    let members = run.call(
        "bob: members",
        &GetMembersByRoomRequest::new(room.clone()),
        Some(&bob.token),
    );
    let GetMembersByRoomResponse::Ok(members) = members else {
        panic!("getMembersByRoom: {members:?}")
    };
    let members = run.events("bob: members", members.chunk.iter().flatten());
    assert_eq!(members.len(), 2, "{members:?}");
    let rooms = run.call(
        "bob: joined rooms",
        &GetJoinedRoomsRequest::default(),
        Some(&bob.token),
    );
    let GetJoinedRoomsResponse::Ok(rooms) = rooms else {
        panic!("getJoinedRooms: {rooms:?}")
    };
    assert_eq!(rooms.joined_rooms, std::slice::from_ref(&room));

    // Bob leaves; his next /sync lists the room as left.
    let left = run.call(
        "bob: leave",
        &LeaveRoomRequest::new(room.clone(), LeaveRoomRequestBody::default()),
        Some(&bob.token),
    );
    assert!(matches!(left, LeaveRoomResponse::Ok(_)), "{left:?}");
    let after = sync(
        run,
        "bob: sync after leaving",
        &bob,
        Some(bob_sync.next_batch),
    );
    let has_left = after
        .rooms
        .as_ref()
        .and_then(|rooms| rooms.leave.as_ref())
        .is_some_and(|left| left.contains_key(&room));
    if !has_left {
        run.problem(format!(
            "bob's sync after leaving has no {room} among the rooms left"
        ));
    }

    // Logging out ends the sessions; the token no longer works: 401 M_UNKNOWN_TOKEN.
    for (who, session) in [
        ("alice", &alice),
        ("alice (registration)", &alice_registered),
        ("bob", &bob),
    ] {
        let out = run.call(
            &format!("{who}: logout"),
            &LogoutRequest::default(),
            Some(&session.token),
        );
        assert!(matches!(out, LogoutResponse::Ok(_)), "{out:?}");
    }
    let whoami = run.call(
        "alice: whoami after logout",
        &GetTokenOwnerRequest::default(),
        Some(&alice.token),
    );
    match whoami {
        GetTokenOwnerResponse::Unauthorized(error) if error.errcode == "M_UNKNOWN_TOKEN" => {
            run.documented_error("getTokenOwner", 401, &error.errcode)
        }
        other => run.problem(format!("whoami after logout answers {other:?}")),
    }
}

/// Registers `name` through the interactive authentication of the spec: the first request
/// answers 401 with the flows and a session, the second completes the dummy stage.
fn register(run: &mut Run, name: &str) -> Session {
    let mut body = RegisterRequestBody::default();
    body.username = Some(name.to_owned());
    body.password = Some(format!("{name}'s password, long enough"));
    body.initial_device_display_name = Some(format!("{name}'s test"));
    let first = run.call(
        &format!("{name}: register"),
        &RegisterRequest::new(body.clone()),
        None,
    );
    let RegisterResponse::Unauthorized(auth) = first else {
        panic!("register without auth: {first:?}")
    };
    let dummy = auth
        .flows
        .iter()
        .any(|flow| flow.stages == ["m.login.dummy"]);
    assert!(dummy, "no dummy flow among {:?}", auth.flows);
    run.documented_error(
        &format!("{name}: register"),
        401,
        "(the flows of interactive authentication)",
    );
    let mut stage = AuthenticationData::default();
    stage.type_ = Some("m.login.dummy".to_owned());
    stage.session = auth.session.clone();
    body.auth = Some(stage);
    let second = run.call(
        &format!("{name}: register, dummy stage"),
        &RegisterRequest::new(body),
        None,
    );
    let RegisterResponse::Ok(registered) = second else {
        panic!("register with the dummy stage: {second:?}")
    };
    Session {
        user_id: registered.user_id.clone(),
        token: registered
            .access_token
            .clone()
            .expect("an access token (inhibit_login is not set)"),
    }
}

/// Logs `name` in with the password [`register`] gave.
fn login(run: &mut Run, name: &str) -> Session {
    let mut identifier = UserIdentifier::new("m.id.user".to_owned());
    // The spec defines `m.id.user`'s `user` in prose; the schema leaves it to other fields.
    identifier
        .extra
        .insert("user".to_owned(), Value::String(name.to_owned()));
    let mut body = LoginRequestBody::new("m.login.password".to_owned());
    body.identifier = Some(identifier);
    body.password = Some(format!("{name}'s password, long enough"));
    let login = run.call(&format!("{name}: login"), &LoginRequest::new(body), None);
    let LoginResponse::Ok(login) = login else {
        panic!("login: {login:?}")
    };
    Session {
        user_id: login.user_id.clone(),
        token: login.access_token.clone(),
    }
}

/// One `/sync` (not waiting), every event in it typed.
fn sync(run: &mut Run, step: &str, session: &Session, since: Option<String>) -> SyncResponseBody {
    let mut request = SyncRequest::default();
    request.since = since;
    request.timeout = Some(0);
    let answer = run.call(step, &request, Some(&session.token));
    let SyncResponse::Ok(body) = answer else {
        panic!("{step}: {answer:?}")
    };
    type_sync_events(run, step, &body);
    *body
}

/// Reads every event a `/sync` answer carries through its type.
fn type_sync_events(run: &mut Run, step: &str, sync: &SyncResponseBody) {
    let place = |what: &str| format!("{step} ({what})");
    if let Some(presence) = &sync.presence {
        run.events(&place("presence"), presence.events.iter().flatten());
    }
    if let Some(account_data) = &sync.account_data {
        run.events(&place("account data"), account_data.events.iter().flatten());
    }
    if let Some(to_device) = &sync.to_device {
        run.events(&place("to-device"), to_device.events.iter().flatten());
    }
    let Some(rooms) = &sync.rooms else { return };
    for (room, joined) in rooms.join.iter().flatten() {
        let at = |what: &str| place(&format!("joined {room}, {what}"));
        for (what, batch) in [
            ("state", &joined.state),
            ("state_after", &joined.state_after),
        ] {
            if let Some(batch) = batch {
                run.events(&at(what), batch.events.iter().flatten());
            }
        }
        if let Some(timeline) = &joined.timeline {
            run.events(&at("timeline"), &timeline.events);
        }
        if let Some(ephemeral) = &joined.ephemeral {
            run.events(&at("ephemeral"), ephemeral.events.iter().flatten());
        }
        if let Some(account_data) = &joined.account_data {
            run.events(&at("account data"), account_data.events.iter().flatten());
        }
    }
    for (room, invited) in rooms.invite.iter().flatten() {
        if let Some(state) = &invited.invite_state {
            run.events(
                &place(&format!("invited {room}, invite_state")),
                state.events.iter().flatten(),
            );
        }
    }
    for (room, knocked) in rooms.knock.iter().flatten() {
        if let Some(state) = &knocked.knock_state {
            run.events(
                &place(&format!("knocked {room}, knock_state")),
                state.events.iter().flatten(),
            );
        }
    }
    for (room, left) in rooms.leave.iter().flatten() {
        let at = |what: &str| place(&format!("left {room}, {what}"));
        for (what, batch) in [("state", &left.state), ("state_after", &left.state_after)] {
            if let Some(batch) = batch {
                run.events(&at(what), batch.events.iter().flatten());
            }
        }
        if let Some(timeline) = &left.timeline {
            run.events(&at("timeline"), &timeline.events);
        }
        if let Some(account_data) = &left.account_data {
            run.events(&at("account data"), account_data.events.iter().flatten());
        }
    }
}

/// The timeline of `room` in a `/sync` answer, typed (already counted by [`sync`], so read
/// again quietly).
fn joined_timeline(
    run: &mut Run,
    step: &str,
    sync: &SyncResponseBody,
    room: &RoomId,
) -> Vec<AnySyncTimelineEvent> {
    let timeline = sync
        .rooms
        .as_ref()
        .and_then(|rooms| rooms.join.as_ref())
        .and_then(|joined| joined.get(room))
        .and_then(|joined| joined.timeline.as_ref());
    let Some(timeline) = timeline else {
        run.problem(format!("{step}: no timeline of {room}"));
        return Vec::new();
    };
    timeline
        .events
        .iter()
        .filter_map(|raw| raw.deserialize().ok())
        .collect()
}

/// The ID of a message or of an event of an unknown type.
fn sync_event_id(event: &AnySyncTimelineEvent) -> Option<EventId> {
    match event {
        AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(message)) => {
            Some(message.event_id.clone())
        }
        AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::Unknown(unknown)) => unknown
            .extra
            .get("event_id")
            .and_then(Value::as_str)
            .and_then(|id| id.parse().ok()),
        _ => None,
    }
}

/// Sends a room event; its ID.
fn send(run: &mut Run, step: &str, request: &SendMessageRequest, session: &Session) -> EventId {
    let sent = run.call(step, request, Some(&session.token));
    let SendMessageResponse::Ok(sent) = sent else {
        panic!("{step}: {sent:?}")
    };
    sent.event_id.clone()
}

/// Sets the state event of `content`'s type with the empty state key.
fn set_state<C: matrix_types::StateEventContent>(
    run: &mut Run,
    step: &str,
    room: &RoomId,
    content: &C,
    session: &Session,
) {
    let request = SetRoomStateWithKeyRequest::new(room.clone(), String::new(), content).unwrap();
    let set = run.call(step, &request, Some(&session.token));
    assert!(matches!(set, SetRoomStateWithKeyResponse::Ok(_)), "{set:?}");
}

/// A state event of `createRoom`'s `initial_state`, from a typed content.
fn initial_state<C: EventContent>(content: &C) -> CreateRoomRequestBodyInitialState {
    let Value::Object(content) = serde_json::to_value(content).unwrap() else {
        panic!("a content is an object")
    };
    let mut state = CreateRoomRequestBodyInitialState::new(C::EVENT_TYPE.to_owned(), content);
    state.state_key = Some(String::new());
    state
}

//! The first room: two users, the basic exchange.

use matrix_types::api::ErrorCode;
use matrix_types::client_server::{
    CreateRoomRequest, CreateRoomRequestBody, CreateRoomRequestBodyPreset, CreateRoomResponse,
    GetJoinedRoomsRequest, GetJoinedRoomsResponse, GetMembersByRoomRequest,
    GetMembersByRoomResponse, GetOneRoomEventRequest, GetOneRoomEventResponse, GetRoomEventsDir,
    GetRoomEventsRequest, GetRoomEventsResponse, GetRoomStateRequest, GetRoomStateResponse,
    GetRoomStateWithKeyRequest, GetRoomStateWithKeyResponse, GetRoomStateWithKeyResponseBody,
    GetTokenOwnerRequest, GetTokenOwnerResponse, InviteUserRequest, InviteUserRequestBody,
    InviteUserResponse, JoinRoomByIdRequest, JoinRoomByIdRequestBody, JoinRoomByIdResponse,
    LeaveRoomRequest, LeaveRoomRequestBody, LeaveRoomResponse, SendMessageRequest,
};
use matrix_types::events::{
    AnyMessageLikeEvent, AnySyncMessageLikeEvent, AnySyncTimelineEvent, AnyTimelineEvent,
    InReplyTo, Relation, RoomHistoryVisibility, RoomHistoryVisibilityEventContent,
    RoomMessageEventContent, RoomMessageTextEventContent, RoomNameEventContent,
    RoomTopicEventContent,
};
use matrix_types::{EventContent, EventId, Raw, RoomId};
use serde_json::{json, Value};

use crate::check::Run;
use crate::common::{
    initial_state, joined_timeline, send, set_state, sync, sync_event_id, Session, CUSTOM_TYPE,
};

/// Alice and Bob in a private room: invite, join, messages, a reply, a custom event, state,
/// `/sync` initial and incremental, history, an event by ID, and leaving. The room.
pub fn run(run: &mut Run, alice: &Session, bob: &Session) -> RoomId {
    let whoami = run.call(
        "alice: whoami",
        &GetTokenOwnerRequest::default(),
        alice.token(),
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
        alice.token(),
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
        alice.token(),
    );
    assert!(matches!(invited, InviteUserResponse::Ok(_)), "{invited:?}");

    // Bob sees the invite (stripped state) in his first /sync.
    let bob_sync = sync(run, "bob: initial sync", bob, None);
    let invited_to = bob_sync
        .rooms
        .as_ref()
        .and_then(|rooms| rooms.invite.as_ref())
        .is_some_and(|invites| invites.contains_key(&room));
    assert!(invited_to, "bob's sync has no invite to {room}");

    let joined = run.call(
        "bob: join",
        &JoinRoomByIdRequest::new(room.clone(), JoinRoomByIdRequestBody::default()),
        bob.token(),
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
        alice,
    );
    let mut relation = Relation::default();
    relation.in_reply_to = Some(InReplyTo::new(hello_id.clone()));
    let mut reply = RoomMessageTextEventContent::new("Hello to you, Alice".to_owned());
    reply.relates_to = Some(relation);
    let reply_id = send(
        run,
        "bob: reply",
        &SendMessageRequest::new(room.clone(), "txn-reply".to_owned(), &reply).unwrap(),
        bob,
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
        alice,
    );

    // Name and topic, as state.
    let mut name = RoomNameEventContent::default();
    name.name = Some("Proving ground".to_owned());
    set_state(run, "alice: set the name", &room, &name, alice);
    let mut topic = RoomTopicEventContent::default();
    topic.topic = Some("Every answer typed, nothing lost".to_owned());
    set_state(run, "alice: set the topic", &room, &topic, alice);
    let read_name = run.call(
        "bob: get the name",
        &GetRoomStateWithKeyRequest::new(
            room.clone(),
            RoomNameEventContent::EVENT_TYPE.to_owned(),
            String::new(),
        ),
        bob.token(),
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
    let first = sync(run, "alice: initial sync", alice, None);
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
        bob,
    );
    let next = sync(
        run,
        "alice: incremental sync",
        alice,
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
    let messages = run.call("bob: messages", &messages, bob.token());
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
        alice.token(),
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
        alice.token(),
    );
    match got {
        GetOneRoomEventResponse::NotFound(error) => run.documented_error(
            "getOneRoomEvent",
            404,
            ErrorCode::NotFound,
            Some(&error.errcode),
        ),
        other => run.problem(format!("a missing event answers {other:?}")),
    }

    // The room as a whole: its state, members, and the rooms Bob is in.
    let state = run.call(
        "bob: room state",
        &GetRoomStateRequest::new(room.clone()),
        bob.token(),
    );
    let GetRoomStateResponse::Ok(state) = state else {
        panic!("getRoomState: {state:?}")
    };
    run.events("bob: room state", &state);
    let members = run.call(
        "bob: members",
        &GetMembersByRoomRequest::new(room.clone()),
        bob.token(),
    );
    let GetMembersByRoomResponse::Ok(members) = members else {
        panic!("getMembersByRoom: {members:?}")
    };
    let members = run.events("bob: members", members.chunk.iter().flatten());
    assert_eq!(members.len(), 2, "{members:?}");
    let rooms = run.call(
        "bob: joined rooms",
        &GetJoinedRoomsRequest::default(),
        bob.token(),
    );
    let GetJoinedRoomsResponse::Ok(rooms) = rooms else {
        panic!("getJoinedRooms: {rooms:?}")
    };
    assert_eq!(rooms.joined_rooms, std::slice::from_ref(&room));

    // Bob leaves; his next /sync lists the room as left.
    let left = run.call(
        "bob: leave",
        &LeaveRoomRequest::new(room.clone(), LeaveRoomRequestBody::default()),
        bob.token(),
    );
    assert!(matches!(left, LeaveRoomResponse::Ok(_)), "{left:?}");
    let after = sync(
        run,
        "bob: sync after leaving",
        bob,
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

    room
}

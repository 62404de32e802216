//! What the areas of the scenario share: sessions, registration and login, `/sync` with every
//! event typed, sending and setting state from typed contents.

use matrix_types::client_server::{
    AuthenticationData, CreateRoomRequest, CreateRoomRequestBody,
    CreateRoomRequestBodyInitialState, CreateRoomResponse, JoinRoomByIdRequest,
    JoinRoomByIdRequestBody, JoinRoomByIdResponse, LoginRequest, LoginRequestBody, LoginResponse,
    RegisterRequest, RegisterRequestBody, RegisterResponse, SendMessageRequest,
    SendMessageResponse, SetRoomStateWithKeyRequest, SetRoomStateWithKeyResponse, SyncRequest,
    SyncResponse, SyncResponseBody, UserIdentifier,
};
use matrix_types::events::{AnySyncMessageLikeEvent, AnySyncTimelineEvent};
use std::fmt::Debug;

use matrix_types::{EventContent, EventId, Raw, RoomId, UserId};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::check::Run;
use crate::sync_events::{visit_sync_events, SyncEvents};

/// An event type no spec defines, with fields of its own: read as the `Unknown` variant.
pub const CUSTOM_TYPE: &str = "org.matrix_types.test.move";

/// The event types no spec defines that the scenario sends on purpose (message-like, state,
/// account data, to-device): the only ones that may read as `Unknown`.
pub const CUSTOM_TYPES: &[&str] = &[
    CUSTOM_TYPE,
    "org.matrix_types.test.board",
    "org.matrix_types.test.settings",
    "org.matrix_types.test.room_settings",
    "org.matrix_types.test.ping",
];

/// The variant `$variant` of an answer, or a panic showing the answer (the scenario cannot go
/// on without it).
#[macro_export]
macro_rules! ok {
    ($answer:expr, $variant:path) => {
        match $answer {
            $variant(body) => body,
            other => panic!("{}: {other:?}", stringify!($variant)),
        }
    };
}

/// Asserts that an answer is the variant `$variant`.
#[macro_export]
macro_rules! is {
    ($answer:expr, $variant:pat) => {
        match $answer {
            $variant => {}
            other => panic!("{}: {other:?}", stringify!($variant)),
        }
    };
}

/// Sends the request `$build` makes of `auth` (an `Option<AuthenticationData>`) twice: without
/// authentication, which must answer the documented 401 with the flows, then with the password
/// stage of `$session` in the session the 401 gave. The second answer.
#[macro_export]
macro_rules! with_password {
    ($run:expr, $step:expr, $session:expr, $response:ident, |$auth:ident| $build:expr) => {{
        let $auth = None;
        let first = $run.call(&format!("{} (no auth)", $step), &$build, $session.token());
        let $response::Unauthorized(flows) = first else {
            panic!("{}: without authentication: {first:?}", $step)
        };
        $run.documented_answer(
            &format!("{}", $step),
            401,
            "the flows of interactive authentication",
        );
        let $auth = Some($crate::common::password_auth(
            $session,
            flows.session.clone(),
        ));
        $run.call(&format!("{}", $step), &$build, $session.token())
    }};
}

/// A user's session.
#[derive(Clone, Debug)]
pub struct Session {
    pub name: String,
    pub user_id: UserId,
    pub token: String,
    pub device_id: String,
    pub password: String,
}

impl Session {
    pub fn token(&self) -> Option<&str> {
        Some(&self.token)
    }
}

/// The password [`register`] gives `name`.
pub fn password(name: &str) -> String {
    format!("{name}'s password, long enough")
}

/// Interactive authentication by password for `session`.
pub fn password_auth(session: &Session, uia_session: Option<String>) -> AuthenticationData {
    let mut auth = AuthenticationData::default();
    auth.type_ = Some("m.login.password".to_owned());
    auth.session = uia_session;
    let mut identifier = UserIdentifier::new("m.id.user".to_owned());
    identifier.user = Some(session.user_id.to_string());
    auth.extra.insert(
        "identifier".to_owned(),
        serde_json::to_value(identifier).unwrap(),
    );
    auth.extra.insert(
        "password".to_owned(),
        Value::String(session.password.clone()),
    );
    auth
}

/// Registers `name` through the interactive authentication of the spec: the first request
/// answers 401 with the flows and a session, the second completes the dummy stage.
pub fn register(run: &mut Run, name: &str) -> Session {
    let mut body = RegisterRequestBody::default();
    body.username = Some(name.to_owned());
    body.password = Some(password(name));
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
    run.documented_answer(
        &format!("{name}: register"),
        401,
        "the flows of interactive authentication",
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
    let registered = ok!(second, RegisterResponse::Ok);
    Session {
        name: name.to_owned(),
        user_id: registered.user_id.clone(),
        token: registered
            .access_token
            .clone()
            .expect("an access token (inhibit_login is not set)"),
        device_id: registered.device_id.clone().expect("a device ID"),
        password: password(name),
    }
}

/// The body of a password login of `name`.
pub fn login_body(name: &str, password: &str) -> LoginRequestBody {
    let mut identifier = UserIdentifier::new("m.id.user".to_owned());
    identifier.user = Some(name.to_owned());
    let mut body = LoginRequestBody::new("m.login.password".to_owned());
    body.identifier = Some(identifier);
    body.password = Some(password.to_owned());
    body
}

/// Logs `name` in with the password [`register`] gave.
pub fn login(run: &mut Run, name: &str) -> Session {
    let login = run.call(
        &format!("{name}: login"),
        &LoginRequest::new(login_body(name, &password(name))),
        None,
    );
    let login = ok!(login, LoginResponse::Ok);
    Session {
        name: name.to_owned(),
        user_id: login.user_id.clone(),
        token: login.access_token.clone(),
        device_id: login.device_id.clone(),
        password: password(name),
    }
}

/// One `/sync` (not waiting), every event in it typed.
pub fn sync(
    run: &mut Run,
    step: &str,
    session: &Session,
    since: Option<String>,
) -> SyncResponseBody {
    let mut request = SyncRequest::default();
    request.since = since;
    request.timeout = Some(0);
    sync_with(run, step, session, request)
}

/// `/sync` as `request` asks, every event in it typed.
pub fn sync_with(
    run: &mut Run,
    step: &str,
    session: &Session,
    request: SyncRequest,
) -> SyncResponseBody {
    sync_keeping_body(run, step, session, request).0
}

/// [`sync_with`], giving the body of the answer too, as the server sent it.
pub fn sync_keeping_body(
    run: &mut Run,
    step: &str,
    session: &Session,
    request: SyncRequest,
) -> (SyncResponseBody, Vec<u8>) {
    let (answer, bytes) = run.call_keeping_body(step, &request, session.token());
    let SyncResponse::Ok(body) = answer else {
        panic!("{step}: {answer:?}")
    };
    type_sync_events(run, step, &body);
    (*body, bytes)
}

/// Reads every event a `/sync` answer carries through its type.
pub fn type_sync_events(run: &mut Run, step: &str, sync: &SyncResponseBody) {
    struct Step<'s, 'a, 'b>(&'s mut Run<'a>, &'b str);
    impl SyncEvents for Step<'_, '_, '_> {
        fn events<T: DeserializeOwned + Serialize + Debug>(
            &mut self,
            place: &str,
            events: &[Raw<T>],
        ) {
            self.0.events(&format!("{} ({place})", self.1), events);
        }
    }
    visit_sync_events(sync, &mut Step(run, step));
}

/// The timeline of `room` in a `/sync` answer, typed (already counted by [`sync`], so read
/// again quietly).
pub fn joined_timeline(
    run: &mut Run,
    step: &str,
    sync: &SyncResponseBody,
    room: &RoomId,
) -> Vec<AnySyncTimelineEvent> {
    room_timeline(sync, room).unwrap_or_else(|| {
        run.problem(format!("{step}: no timeline of {room}"));
        Vec::new()
    })
}

/// The timeline of `room` in a `/sync` answer, typed, if the answer has one (an incremental
/// `/sync` leaves out the rooms where nothing happened).
pub fn room_timeline(sync: &SyncResponseBody, room: &RoomId) -> Option<Vec<AnySyncTimelineEvent>> {
    let timeline = sync
        .rooms
        .as_ref()
        .and_then(|rooms| rooms.join.as_ref())
        .and_then(|joined| joined.get(room))
        .and_then(|joined| joined.timeline.as_ref())?;
    Some(
        timeline
            .events
            .iter()
            .filter_map(|raw| raw.deserialize().ok())
            .collect(),
    )
}

/// The ID of a message or of an event of an unknown type.
pub fn sync_event_id(event: &AnySyncTimelineEvent) -> Option<EventId> {
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

/// Creates a room as `body` asks; its ID.
pub fn create_room(
    run: &mut Run,
    step: &str,
    body: CreateRoomRequestBody,
    session: &Session,
) -> RoomId {
    let created = run.call(step, &CreateRoomRequest::new(body), session.token());
    ok!(created, CreateRoomResponse::Ok).room_id.clone()
}

/// Joins `room` by its ID.
pub fn join(run: &mut Run, step: &str, room: &RoomId, session: &Session) {
    let request = JoinRoomByIdRequest::new(room.clone(), JoinRoomByIdRequestBody::default());
    is!(
        run.call(step, &request, session.token()),
        JoinRoomByIdResponse::Ok(_)
    );
}

/// Sends a room event; its ID.
pub fn send(run: &mut Run, step: &str, request: &SendMessageRequest, session: &Session) -> EventId {
    let sent = run.call(step, request, session.token());
    ok!(sent, SendMessageResponse::Ok).event_id.clone()
}

/// Sends a message-like event of a typed content in `room`; its ID.
pub fn send_content<C: matrix_types::MessageLikeEventContent>(
    run: &mut Run,
    step: &str,
    room: &RoomId,
    content: &C,
    session: &Session,
) -> EventId {
    let txn = run.next_txn();
    let request = SendMessageRequest::new(room.clone(), txn, content).unwrap();
    send(run, step, &request, session)
}

/// Sets the state event of `content`'s type with `state_key`; the event's ID.
pub fn set_state_key<C: matrix_types::StateEventContent>(
    run: &mut Run,
    step: &str,
    room: &RoomId,
    state_key: &str,
    content: &C,
    session: &Session,
) -> EventId {
    let request =
        SetRoomStateWithKeyRequest::new(room.clone(), state_key.to_owned(), content).unwrap();
    let set = run.call(step, &request, session.token());
    ok!(set, SetRoomStateWithKeyResponse::Ok).event_id.clone()
}

/// Sets the state event of `content`'s type with the empty state key.
pub fn set_state<C: matrix_types::StateEventContent>(
    run: &mut Run,
    step: &str,
    room: &RoomId,
    content: &C,
    session: &Session,
) -> EventId {
    set_state_key(run, step, room, "", content, session)
}

/// A state event of `createRoom`'s `initial_state`, from a typed content.
pub fn initial_state<C: EventContent>(content: &C) -> CreateRoomRequestBodyInitialState {
    let Value::Object(content) = serde_json::to_value(content).unwrap() else {
        panic!("a content is an object")
    };
    let mut state = CreateRoomRequestBodyInitialState::new(C::EVENT_TYPE.to_owned(), content);
    state.state_key = Some(String::new());
    state
}

//! An echo bot: it logs in, follows `/sync`, joins the rooms it is invited to, and answers
//! every text message `!ping` from someone else with a `pong`, sent as a reply to it.
//!
//! ```sh
//! export MATRIX_HOMESERVER=http://127.0.0.1:8008 MATRIX_USER=echobot MATRIX_PASSWORD='…'
//! cargo run -p homeserver --example echo_bot
//! # or, with arguments (those missing are read from the variables above):
//! cargo run -p homeserver --example echo_bot -- http://127.0.0.1:8008 echobot '…'
//! ```
//!
//! Every request is a generated request type, built into an `http::Request` by
//! `try_into_http_request`, and every answer is read by the operation's response type
//! (`try_from_http_response`). `homeserver::Client`, the repository's blocking client for
//! plain HTTP to 127.0.0.1, carries them; any HTTP client that sends an `http::Request` and
//! hands back an `http::Response` does the same job.

use std::error::Error;
use std::fmt::Debug;
use std::time::Duration;

use homeserver::Client;
use matrix_types::api::Request;
use matrix_types::client_server::{
    DefineFilterRequest, DefineFilterResponse, EventFilter, Filter, JoinRoomByIdRequest,
    JoinRoomByIdRequestBody, JoinRoomByIdResponse, LoginRequest, LoginRequestBody, LoginResponse,
    LogoutRequest, LogoutResponse, RoomEventFilter, RoomFilter, SendMessageRequest,
    SendMessageResponse, SyncRequest, SyncResponse, UserIdentifier,
};
use matrix_types::events::{
    AnySyncMessageLikeEvent, AnySyncTimelineEvent, InReplyTo, Relation, RoomMessageEventContent,
    RoomMessageNoticeEventContent,
};
use matrix_types::{EventContent, EventId, Raw, RoomId, UserId};

/// An error of any step; the bot stops on the first one.
pub type BoxError = Box<dyn Error + Send + Sync>;

/// Where and as whom the bot logs in.
pub struct Config {
    /// The homeserver's base URL, `http://127.0.0.1:8008`.
    pub homeserver: String,
    /// The user's localpart (`echobot`) or ID (`@echobot:example.org`).
    pub user: String,
    pub password: String,
    /// How long one `/sync` waits for news; [`run_until`] asks `stop` between two.
    pub poll: Duration,
}

impl Config {
    /// From the arguments `HOMESERVER USER PASSWORD`, each one missing taken from the
    /// variable `MATRIX_HOMESERVER`, `MATRIX_USER` or `MATRIX_PASSWORD`.
    pub fn from_args_and_env() -> Result<Config, BoxError> {
        let mut args = std::env::args().skip(1);
        let mut next = |var: &str| -> Result<String, BoxError> {
            args.next()
                .or_else(|| std::env::var(var).ok())
                .ok_or_else(|| {
                    format!("usage: echo_bot HOMESERVER USER PASSWORD (or set {var})").into()
                })
        };
        Ok(Config {
            homeserver: next("MATRIX_HOMESERVER")?,
            user: next("MATRIX_USER")?,
            password: next("MATRIX_PASSWORD")?,
            poll: Duration::from_secs(30),
        })
    }
}

fn main() -> Result<(), BoxError> {
    let config = Config::from_args_and_env()?;
    run_until(&config, || false)
}

/// Logs in, then answers pings until `stop()` is true (asked after each `/sync`), and logs
/// out.
pub fn run_until(config: &Config, stop: impl Fn() -> bool) -> Result<(), BoxError> {
    let client = Client::new(&config.homeserver)?;
    let (me, token) = login(&client, config)?;
    let token = Some(token.as_str());
    println!("logged in as {me}");
    let filter = define_filter(&client, &me, token)?;

    let mut since: Option<String> = None;
    let mut pongs = 0;
    while !stop() {
        let mut request = SyncRequest::default();
        request.filter = Some(filter.clone());
        // The first sync answers at once; the next ones wait up to `poll` for news.
        request.timeout = since.is_some().then_some(config.poll.as_millis() as i64);
        request.since = since.clone();
        let SyncResponse::Ok(sync) = call(&client, &request, token)? else {
            return Err("sync: a response this bot does not know".into());
        };
        let rooms = sync.rooms.unwrap_or_default();

        for room_id in rooms.invite.unwrap_or_default().into_keys() {
            let join =
                JoinRoomByIdRequest::new(room_id.clone(), JoinRoomByIdRequestBody::default());
            match call(&client, &join, token)? {
                JoinRoomByIdResponse::Ok(_) => println!("joined {room_id}"),
                other => eprintln!("could not join {room_id}: {other:?}"),
            }
        }

        // The first sync holds the rooms' past: those pings are not answered.
        if since.is_some() {
            for (room_id, room) in rooms.join.unwrap_or_default() {
                let events = room.timeline.map(|timeline| timeline.events);
                for ping in pings(&room_id, &events.unwrap_or_default(), &me) {
                    // A transaction ID is unique per access token: this login's count.
                    pongs += 1;
                    let pong = pong(&client, token, &room_id, &ping, format!("pong-{pongs}"))?;
                    println!("answered {ping} in {room_id} with {pong}");
                }
            }
        }
        since = Some(sync.next_batch);
    }

    match call(&client, &LogoutRequest::default(), token)? {
        LogoutResponse::Ok(_) => Ok(()),
        other => Err(refused("logout", other)),
    }
}

/// Logs in with the password; the user's ID and the access token.
fn login(client: &Client, config: &Config) -> Result<(UserId, String), BoxError> {
    let mut identifier = UserIdentifier::new("m.id.user".to_owned());
    identifier.user = Some(config.user.clone());
    let mut body = LoginRequestBody::new("m.login.password".to_owned());
    body.identifier = Some(identifier);
    body.password = Some(config.password.clone());
    body.initial_device_display_name = Some("echo bot".to_owned());
    match call(client, &LoginRequest::new(body), None)? {
        LoginResponse::Ok(login) => Ok((login.user_id, login.access_token)),
        other => Err(refused("login", other)),
    }
}

/// Stores the bot's `/sync` filter on the server (as the spec advises for long polling); its
/// ID. Only messages in the timelines: no presence, account data, room state or ephemeral
/// events (invites come all the same).
fn define_filter(client: &Client, me: &UserId, token: Option<&str>) -> Result<String, BoxError> {
    let everything = vec!["*".to_owned()];
    let mut none = EventFilter::default();
    none.not_types = Some(everything.clone());
    let mut no_room_events = RoomEventFilter::default();
    no_room_events.not_types = Some(everything);
    let mut messages = RoomEventFilter::default();
    messages.types = Some(vec![RoomMessageEventContent::EVENT_TYPE.to_owned()]);

    let mut room = RoomFilter::default();
    room.timeline = Some(messages);
    room.state = Some(no_room_events.clone());
    room.ephemeral = Some(no_room_events.clone());
    room.account_data = Some(no_room_events);
    let mut filter = Filter::default();
    filter.presence = Some(none.clone());
    filter.account_data = Some(none);
    filter.room = Some(room);
    match call(client, &DefineFilterRequest::new(me.clone(), filter), token)? {
        DefineFilterResponse::Ok(defined) => Ok(defined.filter_id),
        other => Err(refused("filter", other)),
    }
}

/// The IDs of the text messages `!ping` among `events` sent by others than `me`.
fn pings(room_id: &RoomId, events: &[Raw<AnySyncTimelineEvent>], me: &UserId) -> Vec<EventId> {
    let mut pings = Vec::new();
    for raw in events {
        // Each event is read on its own: a malformed one is skipped, not fatal.
        let event = match raw.deserialize() {
            Ok(event) => event,
            Err(err) => {
                eprintln!("skipping an event of {room_id}: {err}");
                continue;
            }
        };
        let AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(message)) =
            event
        else {
            continue;
        };
        if let RoomMessageEventContent::Text(text) = &message.content {
            if text.body.trim() == "!ping" && message.sender != *me {
                pings.push(message.event_id);
            }
        }
    }
    pings
}

/// Sends `pong` to `room_id` as a reply to `ping`; the pong's event ID.
fn pong(
    client: &Client,
    token: Option<&str>,
    room_id: &RoomId,
    ping: &EventId,
    txn_id: String,
) -> Result<EventId, BoxError> {
    // A notice: what bots send, and what clients (and bots) never answer automatically.
    let mut pong = RoomMessageNoticeEventContent::new("pong".to_owned());
    let mut relation = Relation::default();
    relation.in_reply_to = Some(InReplyTo::new(ping.clone()));
    pong.relates_to = Some(relation);
    // The event type, `m.room.message`, comes from the content's type.
    let request = SendMessageRequest::new(room_id.clone(), txn_id, &pong)?;
    match call(client, &request, token)? {
        SendMessageResponse::Ok(sent) => Ok(sent.event_id),
        other => Err(refused("send", other)),
    }
}

/// Sends `request` (with the access token, if any) and reads the answer as one of the
/// operation's documented responses: an undocumented status is an error.
fn call<R: Request>(
    client: &Client,
    request: &R,
    token: Option<&str>,
) -> Result<R::Response, BoxError> {
    Ok(client.call(request, token)?.read?)
}

/// The error of a documented answer that is not the one the bot needs (a 403, say).
fn refused(what: &str, answer: impl Debug) -> BoxError {
    format!("{what}: {answer:?}").into()
}

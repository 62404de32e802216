//! The echo bot of `examples/echo_bot.rs` (its `run_until`, the code `main` runs), for one
//! exchange: it joins the room it is invited to, answers Alice's `!ping` there with a `pong`
//! sent as a reply to it, and answers neither the `!ping` sent before it started nor its own.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use matrix_types::client_server::{CreateRoomRequestBody, Filter, RoomFilter, SyncRequest};
use matrix_types::events::{
    AnySyncMessageLikeEvent, AnySyncStateEvent, AnySyncTimelineEvent, RoomMemberMembership,
    RoomMessageEventContent, RoomMessageTextEventContent,
};
use matrix_types::{EventId, RoomId, UserId};

use crate::check::Run;
use crate::common::{
    create_room, join, password, register, room_timeline, send_content, sync_with, Session,
};
use crate::echo_bot::{run_until, Config};

/// How long the bot may take to join, and then to answer.
const WAIT: Duration = Duration::from_secs(30);

pub fn run(run: &mut Run, alice: &Session) {
    let bot = register(run, "echobot");
    let ping = RoomMessageTextEventContent::new("!ping".to_owned());

    // A room the bot is in, with a `!ping` from before it starts.
    let old_room = room_inviting(run, "alice: a room for the bot", alice, &bot.user_id);
    join(run, "echobot: join before starting", &old_room, &bot);
    let old_ping = send_content(run, "alice: a !ping before", &old_room, &ping, alice);
    // A room the bot is invited to: it joins once its first `/sync` is read.
    let room = room_inviting(run, "alice: invite the bot", alice, &bot.user_id);
    let mut watch = Watch::new(run, alice, vec![old_room, room.clone()]);

    let config = Config {
        homeserver: run.server.base_url().to_owned(),
        user: bot.user_id.to_string(),
        password: password(&bot.name),
        poll: Duration::from_millis(500),
    };
    let stop = Arc::new(AtomicBool::new(false));
    let bot_thread = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            run_until(&config, || stop.load(Ordering::Relaxed)).map_err(|err| err.to_string())
        })
    };

    let joined = watch.until(run, alice, |in_room, event| {
        matches!(event, AnySyncTimelineEvent::State(AnySyncStateEvent::RoomMember(member))
            if *in_room == room
                && member.state_key == bot.user_id
                && member.content.membership == RoomMemberMembership::Join)
    });
    let answered = joined.then(|| {
        // Its own `!ping` (from the session of its registration) goes unanswered.
        let own = send_content(run, "echobot: its own !ping", &room, &ping, &bot);
        let ping_id = send_content(run, "alice: !ping", &room, &ping, alice);
        let answered = watch.until(run, alice, |_, event| {
            pong_to(event, &bot.user_id).is_some_and(|to| *to == ping_id)
        });
        (own, answered)
    });

    stop.store(true, Ordering::Relaxed);
    match bot_thread.join() {
        Ok(Ok(())) => {}
        Ok(Err(err)) => run.problem(format!("the echo bot stopped on an error: {err}")),
        Err(_) => run.problem("the echo bot panicked".to_owned()),
    }
    let Some((own, answered)) = answered else {
        run.problem(format!(
            "the echo bot did not join {room} within {} s",
            WAIT.as_secs()
        ));
        return;
    };
    if !answered {
        run.problem(format!(
            "no pong in reply to Alice's !ping within {} s",
            WAIT.as_secs()
        ));
    }
    for (what, unanswered) in [
        ("the !ping sent before it started", &old_ping),
        ("its own !ping", &own),
    ] {
        if watch
            .seen
            .iter()
            .any(|(_, event)| pong_to(event, &bot.user_id) == Some(unanswered))
        {
            run.problem(format!("the echo bot answered {what} ({unanswered})"));
        }
    }
}

/// A private room of `session`'s, with `invited` invited.
fn room_inviting(run: &mut Run, step: &str, session: &Session, invited: &UserId) -> RoomId {
    let mut body = CreateRoomRequestBody::default();
    body.invite = Some(vec![invited.clone()]);
    create_room(run, step, body, session)
}

/// The event a pong of `bot` replies to, if `event` is one: an `m.room.message` from `bot`
/// whose body is `pong` and whose `m.relates_to.m.in_reply_to` names the event.
fn pong_to<'e>(event: &'e AnySyncTimelineEvent, bot: &UserId) -> Option<&'e EventId> {
    let AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(message)) = event
    else {
        return None;
    };
    let (body, relation) = match &message.content {
        RoomMessageEventContent::Notice(notice) => (&notice.body, &notice.relates_to),
        RoomMessageEventContent::Text(text) => (&text.body, &text.relates_to),
        _ => return None,
    };
    if message.sender != *bot || body != "pong" {
        return None;
    }
    Some(&relation.as_ref()?.in_reply_to.as_ref()?.event_id)
}

/// A user's view of some rooms, followed by incremental `/sync`s.
struct Watch {
    /// The `/sync` filter: only `rooms`.
    filter: String,
    since: String,
    rooms: Vec<RoomId>,
    /// Every timeline event of `rooms` seen so far, with its room.
    seen: Vec<(RoomId, AnySyncTimelineEvent)>,
}

impl Watch {
    /// Starts watching `rooms` from now.
    fn new(run: &mut Run, session: &Session, rooms: Vec<RoomId>) -> Watch {
        // A filter of these rooms (Synapse answers a `/sync` asked again with the same
        // parameters from a cache, for minutes: an initial sync without it could be an old one).
        let mut room_filter = RoomFilter::default();
        room_filter.rooms = Some(rooms.clone());
        let mut filter = Filter::default();
        filter.room = Some(room_filter);
        let filter = serde_json::to_string(&filter).unwrap();
        let mut request = SyncRequest::default();
        request.filter = Some(filter.clone());
        let step = format!("{}: sync before the bot starts", session.name);
        let since = sync_with(run, &step, session, request).next_batch;
        Watch {
            filter,
            since,
            rooms,
            seen: Vec::new(),
        }
    }

    /// Syncs until an event of `rooms` is `wanted` (true), or for [`WAIT`] (false).
    fn until(
        &mut self,
        run: &mut Run,
        session: &Session,
        wanted: impl Fn(&RoomId, &AnySyncTimelineEvent) -> bool,
    ) -> bool {
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            let mut request = SyncRequest::default();
            request.filter = Some(self.filter.clone());
            request.since = Some(self.since.clone());
            request.timeout = Some(1000);
            let step = format!("{}: sync, waiting for the bot", session.name);
            let sync = sync_with(run, &step, session, request);
            self.since = sync.next_batch.clone();
            let start = self.seen.len();
            for room in &self.rooms {
                let events = room_timeline(&sync, room).unwrap_or_default();
                self.seen
                    .extend(events.into_iter().map(|event| (room.clone(), event)));
            }
            if self.seen[start..]
                .iter()
                .any(|(room, event)| wanted(room, event))
            {
                return true;
            }
        }
        false
    }
}

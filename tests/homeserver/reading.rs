//! Reading: filters and a filtered `/sync`, `/messages` forwards, context, relations, threads,
//! members, search, notifications, the event at a time, and the older `/initialSync` and
//! `/events` family.

use matrix_types::client_server::{
    Categories, DefineFilterRequest, DefineFilterResponse, Filter, GetEventByTimestampDir,
    GetEventByTimestampRequest, GetEventByTimestampResponse, GetEventContextRequest,
    GetEventContextResponse, GetEventsRequest, GetEventsResponse, GetFilterRequest,
    GetFilterResponse, GetJoinedMembersByRoomRequest, GetJoinedMembersByRoomResponse,
    GetNotificationsRequest, GetNotificationsResponse, GetOneEventRequest, GetOneEventResponse,
    GetRelatingEventsRequest, GetRelatingEventsResponse,
    GetRelatingEventsWithRelTypeAndEventTypeRequest,
    GetRelatingEventsWithRelTypeAndEventTypeResponse, GetRelatingEventsWithRelTypeRequest,
    GetRelatingEventsWithRelTypeResponse, GetRoomEventsDir, GetRoomEventsRequest,
    GetRoomEventsResponse, GetThreadRootsInclude, GetThreadRootsRequest, GetThreadRootsResponse,
    InitialSyncRequest, InitialSyncResponse, PeekEventsRequest, PeekEventsResponse,
    RoomEventFilter, RoomEventsCriteria, RoomFilter, RoomInitialSyncRequest,
    RoomInitialSyncResponse, SearchRequest, SearchRequestBody, SearchResponse, SyncRequest,
};
use matrix_types::events::AnyTimelineEvent;
use matrix_types::RoomId;

use crate::check::Run;
use crate::common::{sync, sync_with, Session};
use crate::messages::Sent;

/// The ID of a timeline event, whatever its kind.
fn event_id(event: &AnyTimelineEvent) -> Option<String> {
    serde_json::to_value(event)
        .ok()?
        .get("event_id")?
        .as_str()
        .map(str::to_owned)
}

pub fn run(run: &mut Run, room: &RoomId, alice: &Session, bob: &Session, sent: &Sent) {
    // A filter: only messages, five at most, in the lobby.
    let mut timeline = RoomEventFilter::default();
    timeline.limit = Some(5);
    timeline.types = Some(vec!["m.room.message".to_owned()]);
    let mut rooms = RoomFilter::default();
    rooms.rooms = Some(vec![room.clone()]);
    rooms.timeline = Some(timeline);
    let mut filter = Filter::default();
    filter.room = Some(rooms);
    let defined = ok!(
        run.call(
            "bob: define a filter",
            &DefineFilterRequest::new(bob.user_id.clone(), filter.clone()),
            bob.token()
        ),
        DefineFilterResponse::Ok
    );
    let filter_id = defined.filter_id.clone();
    let got = ok!(
        run.call(
            "bob: get the filter",
            &GetFilterRequest::new(bob.user_id.clone(), filter_id.clone()),
            bob.token()
        ),
        GetFilterResponse::Ok
    );
    assert_eq!(
        got.room
            .as_ref()
            .and_then(|room| room.timeline.as_ref())
            .and_then(|t| t.limit),
        Some(5)
    );
    let mut request = SyncRequest::default();
    request.filter = Some(filter_id.clone());
    request.timeout = Some(0);
    let filtered = sync_with(run, "bob: sync with the filter", bob, request);
    let events = filtered
        .rooms
        .as_ref()
        .and_then(|rooms| rooms.join.as_ref())
        .and_then(|join| join.get(room))
        .and_then(|joined| joined.timeline.as_ref())
        .map(|timeline| timeline.events.len());
    if events.is_none_or(|n| n > 5) {
        run.problem(format!(
            "the filtered sync's timeline holds {events:?} events"
        ));
    }
    let mut request = SyncRequest::default();
    request.filter = Some(filter_id);
    request.since = Some(filtered.next_batch.clone());
    request.timeout = Some(0);
    sync_with(run, "bob: incremental sync with the filter", bob, request);
    sync(run, "alice: full sync of everything so far", alice, None);

    // The history forwards, from the start.
    let mut forwards = GetRoomEventsRequest::new(room.clone(), GetRoomEventsDir::F);
    forwards.limit = Some(200);
    let forwards = ok!(
        run.call("bob: the lobby forwards", &forwards, bob.token()),
        GetRoomEventsResponse::Ok
    );
    let history = run.events("bob: the lobby forwards", &forwards.chunk);
    let ids: Vec<String> = history.iter().filter_map(event_id).collect();
    for id in &sent.all {
        if !ids.contains(&id.to_string()) {
            run.problem(format!("{id} is not in the lobby's history"));
        }
    }
    let mut backwards = GetRoomEventsRequest::new(room.clone(), GetRoomEventsDir::B);
    backwards.limit = Some(3);
    let backwards = ok!(
        run.call("bob: the lobby backwards, 3", &backwards, bob.token()),
        GetRoomEventsResponse::Ok
    );
    run.events("bob: the lobby backwards", &backwards.chunk);

    let mut context = GetEventContextRequest::new(room.to_string(), sent.text.to_string());
    context.limit = Some(4);
    let context = ok!(
        run.call("bob: the context of a message", &context, bob.token()),
        GetEventContextResponse::Ok
    );
    run.events("context: before", context.events_before.iter().flatten());
    run.events("context: the event", context.event.iter());
    run.events("context: after", context.events_after.iter().flatten());
    run.events("context: state", context.state.iter().flatten());

    // Relations: all of the text's (an edit, a reply is not one, a reaction), by type, and
    // the thread by type and event type.
    let related = ok!(
        run.call(
            "bob: what relates to the text",
            &GetRelatingEventsRequest::new(room.clone(), sent.text.clone()),
            bob.token()
        ),
        GetRelatingEventsResponse::Ok
    );
    let related = run.events("relations", &related.chunk);
    if related.len() < 2 {
        run.problem(format!("the text has {} relations, not 2", related.len()));
    }
    let annotations = ok!(
        run.call(
            "bob: the text's annotations",
            &GetRelatingEventsWithRelTypeRequest::new(
                room.clone(),
                sent.text.clone(),
                "m.annotation".to_owned()
            ),
            bob.token()
        ),
        GetRelatingEventsWithRelTypeResponse::Ok
    );
    assert_eq!(run.events("annotations", &annotations.chunk).len(), 1);
    let in_thread = ok!(
        run.call(
            "bob: the thread's messages",
            &GetRelatingEventsWithRelTypeAndEventTypeRequest::new(
                room.clone(),
                sent.thread_root.clone(),
                "m.thread".to_owned(),
                "m.room.message".to_owned()
            ),
            bob.token()
        ),
        GetRelatingEventsWithRelTypeAndEventTypeResponse::Ok
    );
    let in_thread = run.events("thread", &in_thread.chunk);
    if in_thread.iter().filter_map(event_id).collect::<Vec<_>>() != [sent.thread_reply.to_string()]
    {
        run.problem(format!("the thread holds {in_thread:?}"));
    }
    let mut roots = GetThreadRootsRequest::new(room.to_string());
    roots.include = Some(GetThreadRootsInclude::All);
    let roots = ok!(
        run.call("bob: the threads", &roots, bob.token()),
        GetThreadRootsResponse::Ok
    );
    let roots = run.events("threads", &roots.chunk);
    if !roots
        .iter()
        .filter_map(event_id)
        .any(|id| id == sent.thread_root.as_str())
    {
        run.problem(format!(
            "the thread root is not among the threads: {roots:?}"
        ));
    }

    let members = ok!(
        run.call(
            "bob: joined members",
            &GetJoinedMembersByRoomRequest::new(room.clone()),
            bob.token()
        ),
        GetJoinedMembersByRoomResponse::Ok
    );
    assert!(
        members
            .joined
            .as_ref()
            .is_some_and(|joined| joined.contains_key(&alice.user_id)),
        "{members:?}"
    );

    // Search, with the events' context.
    let mut criteria = RoomEventsCriteria::new("thread".to_owned());
    criteria.include_state = Some(true);
    let mut categories = Categories::default();
    categories.room_events = Some(criteria);
    let found = ok!(
        run.call(
            "bob: search for \"thread\"",
            &SearchRequest::new(SearchRequestBody::new(categories)),
            bob.token()
        ),
        SearchResponse::Ok
    );
    let results = found
        .search_categories
        .room_events
        .as_ref()
        .and_then(|events| events.results.as_ref())
        .map(|results| {
            results
                .iter()
                .filter_map(|r| r.result.as_ref())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if run.events("search", results).is_empty() {
        run.problem("a search for \"thread\" found nothing".to_owned());
    }

    let notifications = ok!(
        run.call(
            "alice: notifications",
            &GetNotificationsRequest::default(),
            alice.token()
        ),
        GetNotificationsResponse::Ok
    );
    for notification in &notifications.notifications {
        run.events("notifications", [&notification.event]);
    }

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let at = ok!(
        run.call(
            "bob: the event before now",
            &GetEventByTimestampRequest::new(room.clone(), now, GetEventByTimestampDir::B),
            bob.token()
        ),
        GetEventByTimestampResponse::Ok
    );
    assert!(at.origin_server_ts <= now);
    let _ = &sent.first_ts_marker;

    // The older API: a whole initial sync, one room's, the event stream, an event by ID.
    let mut initial = InitialSyncRequest::default();
    initial.limit = Some(2);
    let initial = ok!(
        run.call("bob: initialSync", &initial, bob.token()),
        InitialSyncResponse::Ok
    );
    // Its presence events are the spec's generic events there (`type`, `content`): Synapse
    // sends them without the `sender` an m.presence event has (see spec/overrides.yaml).
    assert!(
        initial
            .presence
            .iter()
            .all(|event| event.type_ == "m.presence"),
        "{:?}",
        initial.presence
    );
    run.events(
        "initialSync: account data",
        initial.account_data.iter().flatten(),
    );
    for info in &initial.rooms {
        if let Some(messages) = &info.messages {
            run.events("initialSync: messages", &messages.chunk);
        }
        run.events("initialSync: state", info.state.iter().flatten());
        run.events(
            "initialSync: account data",
            info.account_data.iter().flatten(),
        );
        run.events("initialSync: invite", info.invite.iter());
    }
    let room_initial = ok!(
        run.call(
            "bob: the lobby's initialSync",
            &RoomInitialSyncRequest::new(room.clone()),
            bob.token()
        ),
        RoomInitialSyncResponse::Ok
    );
    if let Some(messages) = &room_initial.messages {
        run.events("room initialSync: messages", &messages.chunk);
    }
    run.events(
        "room initialSync: state",
        room_initial.state.iter().flatten(),
    );
    let mut events = GetEventsRequest::default();
    events.timeout = Some(0);
    events.from = Some(initial.end.clone());
    let events = ok!(
        run.call("bob: the event stream", &events, bob.token()),
        GetEventsResponse::Ok
    );
    run.events("events", events.chunk.iter().flatten());
    let mut peek = PeekEventsRequest::new(room.to_string());
    peek.timeout = Some(0);
    peek.from = Some(initial.end.clone());
    let peeked = ok!(
        run.call("bob: the lobby's event stream", &peek, bob.token()),
        PeekEventsResponse::Ok
    );
    run.events("peek", peeked.chunk.iter().flatten());
    let one = ok!(
        run.call(
            "bob: an event by ID alone",
            &GetOneEventRequest::new(sent.thread_root.clone()),
            bob.token()
        ),
        GetOneEventResponse::Ok
    );
    run.events("an event by ID alone", [&one]);
    let _ = &sent.redacted;
}

//! Every list of events a `/sync` response carries, handed to a visitor with its place
//! (`rooms.join.!room:x.timeline`): how the tests type each of them. A module of the test
//! targets that use it (`#[path]`), not of the support library: `cargo xtask spec-matrix`
//! builds that library against every release, and this walk is written for main's `/sync`.

use std::fmt::Debug;

use matrix_types::client_server::SyncResponseBody;
use matrix_types::Raw;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// What receives the events of a `/sync` response, one list at a time.
pub trait SyncEvents {
    fn events<T: DeserializeOwned + Serialize + Debug>(&mut self, place: &str, events: &[Raw<T>]);
}

/// Hands `visitor` every list of events of `sync` (the lists it has, empty ones included).
pub fn visit_sync_events(sync: &SyncResponseBody, visitor: &mut impl SyncEvents) {
    if let Some(events) = sync.account_data.as_ref().and_then(|b| b.events.as_ref()) {
        visitor.events("account_data", events);
    }
    if let Some(events) = sync.presence.as_ref().and_then(|b| b.events.as_ref()) {
        visitor.events("presence", events);
    }
    if let Some(events) = sync.to_device.as_ref().and_then(|b| b.events.as_ref()) {
        visitor.events("to_device", events);
    }
    let Some(rooms) = &sync.rooms else { return };
    for (id, room) in rooms.join.iter().flatten() {
        let at = |what: &str| format!("rooms.join.{id}.{what}");
        if let Some(timeline) = &room.timeline {
            visitor.events(&at("timeline"), &timeline.events);
        }
        for (what, batch) in [("state", &room.state), ("state_after", &room.state_after)] {
            if let Some(events) = batch.as_ref().and_then(|b| b.events.as_ref()) {
                visitor.events(&at(what), events);
            }
        }
        if let Some(events) = room.ephemeral.as_ref().and_then(|b| b.events.as_ref()) {
            visitor.events(&at("ephemeral"), events);
        }
        if let Some(events) = room.account_data.as_ref().and_then(|b| b.events.as_ref()) {
            visitor.events(&at("account_data"), events);
        }
    }
    for (id, room) in rooms.leave.iter().flatten() {
        let at = |what: &str| format!("rooms.leave.{id}.{what}");
        if let Some(timeline) = &room.timeline {
            visitor.events(&at("timeline"), &timeline.events);
        }
        for (what, batch) in [("state", &room.state), ("state_after", &room.state_after)] {
            if let Some(events) = batch.as_ref().and_then(|b| b.events.as_ref()) {
                visitor.events(&at(what), events);
            }
        }
        if let Some(events) = room.account_data.as_ref().and_then(|b| b.events.as_ref()) {
            visitor.events(&at("account_data"), events);
        }
    }
    for (id, room) in rooms.invite.iter().flatten() {
        if let Some(events) = room.invite_state.as_ref().and_then(|s| s.events.as_ref()) {
            visitor.events(&format!("rooms.invite.{id}.invite_state"), events);
        }
    }
    for (id, room) in rooms.knock.iter().flatten() {
        if let Some(events) = room.knock_state.as_ref().and_then(|s| s.events.as_ref()) {
            visitor.events(&format!("rooms.knock.{id}.knock_state"), events);
        }
    }
}

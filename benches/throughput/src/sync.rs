//! A whole `/sync` response body read by each crate, as a client reads one: into the
//! response type with its events left raw (`Raw<…>`), then also every event typed through
//! its `Any…` enum (ruma: `ruma_client_api::sync::sync_events::v3::Response`, then each of its
//! `Raw` events deserialized). The body is the `sync.json` of the Synapse corpus
//! ([`crate::synapse_dir`]): an initial `/sync` of a room of thousands of mixed events, a
//! small room, an invitation and a room left, with state, ephemeral events and account data.

use std::fmt::Debug;
use std::path::Path;

use matrix_types::api::Response as _;
use matrix_types::client_server::{SyncResponse, SyncResponseBody};
use ruma_common::api::IncomingResponseExt as _;
use serde::de::DeserializeOwned;
use serde::Serialize;

#[path = "../../../tests/shared/sync_events.rs"]
mod sync_events;

use sync_events::{visit_sync_events, SyncEvents};

/// The body of a `/sync` response and how many events it carries.
pub struct SyncBody {
    pub name: &'static str,
    pub body: Vec<u8>,
    pub events: usize,
}

/// The `sync.json` of the Synapse corpus in `dir`; `None` when it is not there.
pub fn synapse_sync(dir: &Path) -> Result<Option<SyncBody>, String> {
    let path = dir.join("sync.json");
    if !path.is_file() {
        return Ok(None);
    }
    let body = std::fs::read(&path).map_err(|err| format!("{}: {err}", path.display()))?;
    let events = ours_typed(&body).map_err(|err| format!("{}: {err}", path.display()))?;
    let theirs = ruma_typed(&body).map_err(|err| format!("{} (ruma): {err}", path.display()))?;
    if theirs != events {
        return Err(format!(
            "{}: ruma types {theirs} events, ours {events}",
            path.display()
        ));
    }
    Ok(Some(SyncBody {
        name: "sync_synapse",
        body,
        events,
    }))
}

fn err(err: impl std::fmt::Display) -> String {
    err.to_string()
}

/// The body read as a `200` of `GET /sync` by the generated response type.
pub fn ours_response(body: &[u8]) -> Result<Box<SyncResponseBody>, String> {
    match SyncResponse::try_from_http_response(&http::Response::new(body)).map_err(err)? {
        SyncResponse::Ok(body) => Ok(body),
        other => Err(format!("read as {other:?}")),
    }
}

/// [`ours_response`], then every event typed; how many.
pub fn ours_typed(body: &[u8]) -> Result<usize, String> {
    struct Typed {
        count: usize,
        failed: Option<String>,
    }
    impl SyncEvents for Typed {
        fn events<T: DeserializeOwned + Serialize + Debug>(
            &mut self,
            place: &str,
            events: &[matrix_types::Raw<T>],
        ) {
            for raw in events {
                match raw.deserialize() {
                    Ok(event) => {
                        std::hint::black_box(event);
                        self.count += 1;
                    }
                    Err(error) => {
                        self.failed
                            .get_or_insert_with(|| format!("{place}: {error}"));
                    }
                }
            }
        }
    }
    let response = ours_response(body)?;
    let mut typed = Typed {
        count: 0,
        failed: None,
    };
    visit_sync_events(&response, &mut typed);
    match typed.failed {
        Some(failed) => Err(failed),
        None => Ok(typed.count),
    }
}

/// The body read as a `200` of `GET /sync` by ruma-client-api.
pub fn ruma_response(
    body: &[u8],
) -> Result<ruma_client_api::sync::sync_events::v3::Response, String> {
    ruma_client_api::sync::sync_events::v3::Response::try_from_http_response(http::Response::new(
        body,
    ))
    .map_err(err)
}

/// [`ruma_response`], then every one of its `Raw` events deserialized; how many.
pub fn ruma_typed(body: &[u8]) -> Result<usize, String> {
    use ruma_client_api::sync::sync_events::v3::State;
    fn each<T: DeserializeOwned>(
        events: &[ruma_common::serde::Raw<T>],
        count: &mut usize,
    ) -> Result<(), String> {
        for raw in events {
            std::hint::black_box(raw.deserialize().map_err(err)?);
            *count += 1;
        }
        Ok(())
    }
    fn state(state: &State, count: &mut usize) -> Result<(), String> {
        match state {
            State::Before(events) | State::After(events) => each(&events.events, count),
            _ => Err("a state of a kind this bench does not know".to_owned()),
        }
    }
    let response = ruma_response(body)?;
    let mut count = 0;
    each(&response.account_data.events, &mut count)?;
    each(&response.presence.events, &mut count)?;
    each(&response.to_device.events, &mut count)?;
    for room in response.rooms.join.values() {
        each(&room.timeline.events, &mut count)?;
        state(&room.state, &mut count)?;
        each(&room.ephemeral.events, &mut count)?;
        each(&room.account_data.events, &mut count)?;
    }
    for room in response.rooms.leave.values() {
        each(&room.timeline.events, &mut count)?;
        state(&room.state, &mut count)?;
        each(&room.account_data.events, &mut count)?;
    }
    for room in response.rooms.invite.values() {
        each(&room.invite_state.events, &mut count)?;
    }
    for room in response.rooms.knock.values() {
        each(&room.knock_state.events, &mut count)?;
    }
    Ok(count)
}

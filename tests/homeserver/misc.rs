//! The rest: reporting (a room, an event, a user), the user directory, third-party
//! protocols, to-device messages.

use std::collections::BTreeMap;

use matrix_types::client_server::{
    GetProtocolsRequest, GetProtocolsResponse, ReportEventRequest, ReportEventRequestBody,
    ReportEventResponse, ReportRoomRequest, ReportRoomRequestBody, ReportRoomResponse,
    ReportUserRequest, ReportUserResponse, SearchUserDirectoryRequest,
    SearchUserDirectoryRequestBody, SearchUserDirectoryResponse, SendToDeviceRequest,
    SendToDeviceRequestBody, SendToDeviceResponse, SyncRequest,
};
use matrix_types::{EventId, Raw, RoomId};
use serde_json::json;

use crate::check::Run;
use crate::common::{sync, sync_with, Session};

pub fn run(run: &mut Run, room: &RoomId, event: &EventId, alice: &Session, bob: &Session) {
    is!(
        run.call(
            "bob: report the room",
            &ReportRoomRequest::new(
                room.to_string(),
                ReportRoomRequestBody::new("a test of reporting".to_owned())
            ),
            bob.token()
        ),
        ReportRoomResponse::Ok(_)
    );
    let mut body = ReportEventRequestBody::default();
    body.reason = Some("a test of reporting an event".to_owned());
    is!(
        run.call(
            "bob: report an event",
            &ReportEventRequest::new(room.to_string(), event.to_string(), body),
            bob.token()
        ),
        ReportEventResponse::Ok(_)
    );
    is!(
        run.call(
            "bob: report a user",
            &ReportUserRequest::new(
                alice.user_id.clone(),
                ReportRoomRequestBody::new("a test of reporting a user".to_owned())
            ),
            bob.token()
        ),
        ReportUserResponse::Ok(_)
    );
    // The directory is filled in the background: asked again, for up to 5 s, until it has
    // Alice.
    let mut search = SearchUserDirectoryRequestBody::new("ali".to_owned());
    search.limit = Some(5);
    let mut found_alice = false;
    for _ in 0..25 {
        let found = ok!(
            run.call(
                "bob: search the user directory",
                &SearchUserDirectoryRequest::new(search.clone()),
                bob.token()
            ),
            SearchUserDirectoryResponse::Ok
        );
        if found
            .results
            .iter()
            .any(|user| user.user_id == alice.user_id)
        {
            found_alice = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    if !found_alice {
        run.problem("the user directory does not find alice".to_owned());
    }
    let protocols = ok!(
        run.call(
            "bob: third-party protocols",
            &GetProtocolsRequest::default(),
            bob.token()
        ),
        GetProtocolsResponse::Ok
    );
    assert!(protocols.is_empty(), "{protocols:?}");

    // A to-device message of a custom type, to Bob's device, seen in his /sync.
    let before = sync(run, "bob: sync before a to-device message", bob, None);
    let mut devices = BTreeMap::new();
    devices.insert(
        bob.device_id.clone(),
        Raw::from_json_string(json!({"ping": 1, "from": "alice"}).to_string()).unwrap(),
    );
    let mut messages = BTreeMap::new();
    messages.insert(bob.user_id.clone(), devices);
    let txn = run.next_txn();
    is!(
        run.call(
            "alice: a to-device message",
            &SendToDeviceRequest::new_raw(
                "org.matrix_types.test.ping".to_owned(),
                txn,
                SendToDeviceRequestBody::new(messages)
            ),
            alice.token()
        ),
        SendToDeviceResponse::Ok(_)
    );
    // Waiting up to 5 s: the message may reach the sync stream a moment after the answer.
    let mut request = SyncRequest::default();
    request.since = Some(before.next_batch);
    request.timeout = Some(5_000);
    let after = sync_with(run, "bob: sync after a to-device message", bob, request);
    let got = after
        .to_device
        .as_ref()
        .map(|to_device| to_device.events.iter().flatten().count())
        .unwrap_or(0);
    if got != 1 {
        run.problem(format!("bob's sync holds {got} to-device messages, not 1"));
    }
}

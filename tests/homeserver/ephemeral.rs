//! Typing, receipts (public and private), read markers, presence; the ephemeral events and
//! account data they make, seen in `/sync`.

use matrix_types::client_server::{
    GetPresenceRequest, GetPresenceResponse, GetPresenceResponseBodyPresence,
    PostReceiptReceiptType, PostReceiptRequest, PostReceiptRequestBody, PostReceiptResponse,
    SetPresenceRequest, SetPresenceRequestBody, SetPresenceRequestBodyPresence,
    SetPresenceResponse, SetReadMarkerRequest, SetReadMarkerRequestBody, SetReadMarkerResponse,
    SetTypingRequest, SetTypingRequestBody, SetTypingResponse,
};
use matrix_types::{EventId, RoomId};

use crate::check::Run;
use crate::common::{sync, Session};

pub fn run(run: &mut Run, room: &RoomId, alice: &Session, bob: &Session, last: &EventId) {
    let before = sync(run, "bob: sync before the ephemeral events", bob, None);
    let mut typing = SetTypingRequestBody::new(true);
    typing.timeout = Some(30_000);
    is!(
        run.call(
            "alice: typing",
            &SetTypingRequest::new(alice.user_id.clone(), room.clone(), typing),
            alice.token()
        ),
        SetTypingResponse::Ok(_)
    );
    for (step, receipt_type) in [
        ("bob: a public read receipt", PostReceiptReceiptType::Read),
        (
            "bob: a private read receipt",
            PostReceiptReceiptType::ReadPrivate,
        ),
    ] {
        is!(
            run.call(
                step,
                &PostReceiptRequest::new(
                    room.clone(),
                    receipt_type,
                    last.clone(),
                    PostReceiptRequestBody::default()
                ),
                bob.token()
            ),
            PostReceiptResponse::Ok(_)
        );
    }
    read_markers(run, "bob: read markers", room, last, bob);
    let mut presence = SetPresenceRequestBody::new(SetPresenceRequestBodyPresence::Online);
    presence.status_msg = Some("Proving the types".to_owned());
    is!(
        run.call(
            "alice: presence",
            &SetPresenceRequest::new(alice.user_id.to_string(), presence),
            alice.token()
        ),
        SetPresenceResponse::Ok(_)
    );
    let got = ok!(
        run.call(
            "bob: alice's presence",
            &GetPresenceRequest::new(alice.user_id.to_string()),
            bob.token()
        ),
        GetPresenceResponse::Ok
    );
    assert_eq!(got.presence, GetPresenceResponseBodyPresence::Online);
    // Typing and receipts (m.typing, m.receipt), the fully-read marker (m.fully_read) and
    // presence, typed by the sync.
    sync(
        run,
        "bob: sync after the ephemeral events",
        bob,
        Some(before.next_batch),
    );
}

/// `who` has read up to `last` in `room`: the fully-read marker and the read receipt at it.
pub fn read_markers(run: &mut Run, step: &str, room: &RoomId, last: &EventId, who: &Session) {
    let mut markers = SetReadMarkerRequestBody::default();
    markers.fully_read = Some(last.to_string());
    markers.read = Some(last.to_string());
    is!(
        run.call(
            step,
            &SetReadMarkerRequest::new(room.to_string(), markers),
            who.token()
        ),
        SetReadMarkerResponse::Ok(_)
    );
}

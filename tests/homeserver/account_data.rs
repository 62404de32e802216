//! Account data, global and per room, typed and custom; room tags.

use matrix_types::client_server::{
    DeleteRoomTagRequest, DeleteRoomTagResponse, GetAccountDataPerRoomRequest,
    GetAccountDataPerRoomResponse, GetAccountDataRequest, GetAccountDataResponse,
    GetRoomTagsRequest, GetRoomTagsResponse, SetAccountDataPerRoomRequest,
    SetAccountDataPerRoomResponse, SetAccountDataRequest, SetAccountDataResponse,
    SetRoomTagRequest, SetRoomTagResponse,
};
use matrix_types::common::Tag;
use matrix_types::events::{IgnoredUserListEventContent, MarkedUnreadEventContent};
use matrix_types::{Raw, RoomId};
use serde_json::{json, Map, Value};

use crate::check::Run;
use crate::common::{sync, Session};

pub fn run(run: &mut Run, room: &RoomId, alice: &Session, ignored: &Session) {
    let user = alice.user_id.to_string();
    let mut ignore = std::collections::BTreeMap::new();
    ignore.insert(ignored.user_id.clone(), Map::new());
    is!(
        run.call(
            "alice: ignore a user",
            &SetAccountDataRequest::new(user.clone(), &IgnoredUserListEventContent::new(ignore))
                .unwrap(),
            alice.token()
        ),
        SetAccountDataResponse::Ok(_)
    );
    let custom = json!({"theme": "dark", "font": {"size": 14}});
    is!(
        run.call(
            "alice: custom account data",
            &SetAccountDataRequest::new_raw(
                user.clone(),
                "org.matrix_types.test.settings".to_owned(),
                Raw::from_json_string(custom.to_string()).unwrap()
            ),
            alice.token()
        ),
        SetAccountDataResponse::Ok(_)
    );
    let got = ok!(
        run.call(
            "alice: read her custom account data",
            &GetAccountDataRequest::new(user.clone(), "org.matrix_types.test.settings".to_owned()),
            alice.token()
        ),
        GetAccountDataResponse::Ok
    );
    let got: Value = serde_json::from_str(got.json().get()).unwrap();
    if got != custom {
        run.problem(format!("custom account data reads back as {got}"));
    }
    is!(
        run.call(
            "alice: mark the room unread",
            &SetAccountDataPerRoomRequest::new(
                user.clone(),
                room.to_string(),
                &MarkedUnreadEventContent::new(true)
            )
            .unwrap(),
            alice.token()
        ),
        SetAccountDataPerRoomResponse::Ok(_)
    );
    let room_custom = json!({"collapsed": true});
    is!(
        run.call(
            "alice: custom room account data",
            &SetAccountDataPerRoomRequest::new_raw(
                user.clone(),
                room.to_string(),
                "org.matrix_types.test.room_settings".to_owned(),
                Raw::from_json_string(room_custom.to_string()).unwrap()
            ),
            alice.token()
        ),
        SetAccountDataPerRoomResponse::Ok(_)
    );
    let got = ok!(
        run.call(
            "alice: read her custom room account data",
            &GetAccountDataPerRoomRequest::new(
                user.clone(),
                room.to_string(),
                "org.matrix_types.test.room_settings".to_owned()
            ),
            alice.token()
        ),
        GetAccountDataPerRoomResponse::Ok
    );
    let got: Value = serde_json::from_str(got.json().get()).unwrap();
    if got != room_custom {
        run.problem(format!("custom room account data reads back as {got}"));
    }

    let mut favourite = Tag::default();
    favourite.order = Some(serde_json::Number::from_f64(0.25).unwrap());
    for tag in ["m.favourite", "u.chess"] {
        is!(
            run.call(
                &format!("alice: tag the room {tag}"),
                &SetRoomTagRequest::new(
                    user.clone(),
                    room.to_string(),
                    tag.to_owned(),
                    favourite.clone()
                ),
                alice.token()
            ),
            SetRoomTagResponse::Ok(_)
        );
    }
    is!(
        run.call(
            "alice: untag u.chess",
            &DeleteRoomTagRequest::new(user.clone(), room.to_string(), "u.chess".to_owned()),
            alice.token()
        ),
        DeleteRoomTagResponse::Ok(_)
    );
    let tags = ok!(
        run.call(
            "alice: the room's tags",
            &GetRoomTagsRequest::new(user, room.to_string()),
            alice.token()
        ),
        GetRoomTagsResponse::Ok
    );
    let names: Vec<&String> = tags.tags.iter().flatten().map(|(name, _)| name).collect();
    assert_eq!(names, ["m.favourite"], "{tags:?}");
    // All of it in /sync: m.ignored_user_list, m.marked_unread, m.tag and the custom types.
    sync(run, "alice: sync with account data", alice, None);
}

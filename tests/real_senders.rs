//! Events as real senders send them, where the spec's schemas are stricter than its own prose
//! and history (issue 14, part 5): a property required now but added after its event, and
//! descriptions that tell readers to accept more than the schema types. Each test is one
//! finding, made readable by the override of `spec/overrides.yaml` that quotes the sentence or
//! the version marker. Every event is read through its `Any…` enum (as its own variant, not
//! `Unknown`) and through its own struct, and must be written back equal to what was read.
//! Where a finding widens one event only, a test checks that the others stay strict.

use matrix_types::events::{
    AllowIpLiterals, CallVersion, CanonicalAlias, InviteDefaultAction, InvitePermissionConfigEvent,
    PolicyServerPublicKeysOrInvalid, PolicyServerVia, SpaceChildOrder, SpaceChildVia,
    SpaceParentVia, SyncCallAnswerEvent, SyncCallCandidatesEvent, SyncCallHangupEvent,
    SyncCallInviteEvent, SyncCallRejectEvent, SyncCallSelectAnswerEvent,
    SyncRoomCanonicalAliasEvent, SyncRoomNameEvent, SyncRoomPolicyEvent, SyncRoomServerAclEvent,
    SyncRoomTopicEvent, SyncSpaceChildEvent, SyncSpaceParentEvent,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};
use tests::{json_diff, read_any_losslessly};

/// A room event as `/sync` sends it, of `event_type` with `content` (a state event when
/// `state_key` is given).
fn room_event(event_type: &str, state_key: Option<&str>, content: Value) -> Value {
    let mut event = json!({
        "type": event_type,
        "sender": "@alice:example.org",
        "event_id": "$143273582443PhrSn:example.org",
        "origin_server_ts": 1432735824653u64,
        "unsigned": {"age": 1234},
        "content": content,
    });
    if let Some(state_key) = state_key {
        event["state_key"] = json!(state_key);
    }
    event
}

/// `value` read as `T`, which must write it back equal.
fn typed<T: DeserializeOwned + Serialize>(value: &Value) -> T {
    let read: T = serde_json::from_value(value.clone()).unwrap_or_else(|err| {
        panic!(
            "does not read as {}: {err}\n{value:#}",
            std::any::type_name::<T>()
        )
    });
    let written = serde_json::to_value(&read).expect("does not write");
    assert!(
        written == *value,
        "{} writes back differently: {}",
        std::any::type_name::<T>(),
        json_diff(value, &written).join("; ")
    );
    read
}

/// `value` read through the `Any…` enum `enum_name` as the variants `expected` and written
/// back equal.
fn through_any(enum_name: &str, expected: &[&str], value: &Value) {
    let expected: Vec<String> = expected.iter().map(|v| v.to_string()).collect();
    if let Err(err) = read_any_losslessly(enum_name, value, &expected) {
        panic!("through {enum_name}: {err}\n{value:#}");
    }
}

/// `value` read as `T` must fail, with an error that contains `needle`.
fn rejected<T: DeserializeOwned + std::fmt::Debug>(value: &Value, needle: &str) {
    match serde_json::from_value::<T>(value.clone()) {
        Ok(read) => panic!("accepted: {read:?}"),
        Err(err) => assert!(
            err.to_string().contains(needle),
            "error `{err}` does not contain `{needle}`"
        ),
    }
}

fn timeline(value: &Value, variant: &str) {
    let kind = if value.get("state_key").is_some() {
        "State"
    } else {
        "MessageLike"
    };
    through_any("AnySyncTimelineEvent", &[kind, variant], value);
}

fn version_zero(value: &Value) -> &Value {
    &value["content"]["version"]
}

// `party_id`: required by core-event-schema/call_event.yaml, marked
// `x-addedInMatrixVersion: "1.7"`; m.call.invite, answer, candidates and hangup predate v1.1,
// and clients of VoIP version 0 send them without it.

#[test]
fn call_invite_of_voip_version_0_without_party_id() {
    let event = room_event(
        "m.call.invite",
        None,
        json!({
            "call_id": "12345",
            "version": 0,
            "lifetime": 60000,
            "offer": {"type": "offer", "sdp": "v=0\r\no=- 6584580628695956864 2 IN IP4 127.0.0.1\r\n"}
        }),
    );
    timeline(&event, "CallInvite");
    let read: SyncCallInviteEvent = typed(&event);
    assert_eq!(read.content.party_id, None);
    assert_eq!(read.content.version, CallVersion::Integer(0));
    assert_eq!(*version_zero(&event), json!(0));
}

#[test]
fn call_answer_of_voip_version_0_without_party_id() {
    let event = room_event(
        "m.call.answer",
        None,
        json!({
            "call_id": "12345",
            "version": 0,
            "answer": {"type": "answer", "sdp": "v=0\r\no=- 6584580628695956864 2 IN IP4 127.0.0.1\r\n"}
        }),
    );
    timeline(&event, "CallAnswer");
    let read: SyncCallAnswerEvent = typed(&event);
    assert_eq!(read.content.party_id, None);
}

#[test]
fn call_candidates_of_voip_version_0_without_party_id() {
    let event = room_event(
        "m.call.candidates",
        None,
        json!({
            "call_id": "12345",
            "version": 0,
            "candidates": [{
                "sdpMid": "audio",
                "sdpMLineIndex": 0,
                "candidate": "candidate:863018703 1 udp 2122260223 10.9.64.156 43670 typ host generation 0"
            }]
        }),
    );
    timeline(&event, "CallCandidates");
    let read: SyncCallCandidatesEvent = typed(&event);
    assert_eq!(read.content.party_id, None);
}

// m.call.hangup: `party_id` as above, and `reason`, required since v1.7: "Note that this was
// optional in previous previous versions of the spec, so a missing value should be treated
// as `user_hangup`."

#[test]
fn call_hangup_of_voip_version_0_without_party_id_or_reason() {
    let event = room_event(
        "m.call.hangup",
        None,
        json!({"call_id": "12345", "version": 0}),
    );
    timeline(&event, "CallHangup");
    let read: SyncCallHangupEvent = typed(&event);
    assert_eq!(read.content.party_id, None);
    assert_eq!(read.content.reason, None);
}

#[test]
fn call_hangup_of_voip_version_1_keeps_party_id_and_reason() {
    let event = room_event(
        "m.call.hangup",
        None,
        json!({"call_id": "12345", "version": "1", "party_id": "ABCDEF", "reason": "user_hangup"}),
    );
    timeline(&event, "CallHangup");
    let read: SyncCallHangupEvent = typed(&event);
    assert_eq!(read.content.party_id.as_deref(), Some("ABCDEF"));
    assert!(read.content.reason.is_some());
    assert_eq!(read.content.version, CallVersion::String("1".into()));
}

#[test]
fn call_events_added_with_party_id_still_require_it() {
    // m.call.reject and m.call.select_answer came in v1.7 with `party_id`: no event of
    // theirs lacks it, and the overrides leave call_event.yaml's `required` alone.
    let reject = room_event(
        "m.call.reject",
        None,
        json!({"call_id": "12345", "version": "1"}),
    );
    rejected::<SyncCallRejectEvent>(&reject, "party_id");
    let select = room_event(
        "m.call.select_answer",
        None,
        json!({"call_id": "12345", "version": "1", "selected_party_id": "GHIJKL"}),
    );
    rejected::<SyncCallSelectAnswerEvent>(&select, "party_id");
}

// m.room.name: "If a room has an `m.room.name` event with an absent, null, or empty `name`
// field, it should be treated the same as a room with no `m.room.name` event."

#[test]
fn room_name_absent_null_or_empty() {
    for content in [json!({}), json!({"name": null}), json!({"name": ""})] {
        let event = room_event("m.room.name", Some(""), content.clone());
        timeline(&event, "RoomName");
        through_any(
            "AnyStrippedStateEvent",
            &["RoomName"],
            &json!({"type": "m.room.name", "state_key": "", "sender": "@alice:example.org", "content": content}),
        );
        let read: SyncRoomNameEvent = typed(&event);
        let expected = content.get("name").and_then(Value::as_str);
        assert_eq!(read.content.name.as_deref(), expected, "{content}");
    }
}

// m.room.topic: "If the `topic` property is absent, null, or empty then the topic is unset."

#[test]
fn room_topic_absent_null_or_empty() {
    for content in [json!({}), json!({"topic": null}), json!({"topic": ""})] {
        let event = room_event("m.room.topic", Some(""), content.clone());
        timeline(&event, "RoomTopic");
        let read: SyncRoomTopicEvent = typed(&event);
        let expected = content.get("topic").and_then(Value::as_str);
        assert_eq!(read.content.topic.as_deref(), expected, "{content}");
    }
}

// m.room.canonical_alias `alias`: "If not present, null, or empty the room should be
// considered to have no canonical alias."

#[test]
fn canonical_alias_absent_null_or_empty() {
    for content in [
        json!({}),
        json!({"alias": null}),
        json!({"alias": ""}),
        json!({"alias": "", "alt_aliases": ["#somewhere:example.org"]}),
    ] {
        let event = room_event("m.room.canonical_alias", Some(""), content.clone());
        timeline(&event, "RoomCanonicalAlias");
        let read: SyncRoomCanonicalAliasEvent = typed(&event);
        match (content.get("alias"), &read.content.alias) {
            (Some(Value::String(empty)), Some(CanonicalAlias::NoCanonicalAlias(_))) => {
                assert!(empty.is_empty())
            }
            (None | Some(Value::Null), None) => {}
            (sent, read) => panic!("`alias` {sent:?} read as {read:?}"),
        }
    }
}

#[test]
fn canonical_alias_still_checks_aliases() {
    let event = room_event(
        "m.room.canonical_alias",
        Some(""),
        json!({"alias": "#somewhere:example.org"}),
    );
    let read: SyncRoomCanonicalAliasEvent = typed(&event);
    match read.content.alias {
        Some(CanonicalAlias::RoomAlias(alias)) => {
            assert_eq!(alias.as_str(), "#somewhere:example.org")
        }
        other => panic!("read as {other:?}"),
    }
    // Neither a room alias nor the empty string.
    let bad = room_event("m.room.canonical_alias", Some(""), json!({"alias": "#"}));
    rejected::<SyncRoomCanonicalAliasEvent>(&bad, "CanonicalAlias");
    let bad = room_event("m.room.canonical_alias", Some(""), json!({"alias": 5}));
    rejected::<SyncRoomCanonicalAliasEvent>(&bad, "CanonicalAlias");
}

// m.space.child / m.space.parent `via`: "When not present or invalid, the child room is not
// considered to be part of the space." (Required since v1.9; optional in v1.2 to v1.8.)

#[test]
fn space_child_without_via_or_with_invalid_via() {
    let key = "!child:example.org";
    let event = room_event("m.space.child", Some(key), json!({}));
    timeline(&event, "SpaceChild");
    assert!(typed::<SyncSpaceChildEvent>(&event).content.via.is_none());
    for via in [
        json!("example.org"),
        json!([1, 2]),
        json!({"server": "example.org"}),
    ] {
        let event = room_event("m.space.child", Some(key), json!({"via": via}));
        timeline(&event, "SpaceChild");
        match typed::<SyncSpaceChildEvent>(&event).content.via {
            Some(SpaceChildVia::Value(kept)) => assert_eq!(kept, via),
            other => panic!("`via` {via} read as {other:?}"),
        }
    }
    let event = room_event("m.space.child", Some(key), json!({"via": ["example.org"]}));
    match typed::<SyncSpaceChildEvent>(&event).content.via {
        Some(SpaceChildVia::List(servers)) => assert_eq!(servers, ["example.org"]),
        other => panic!("a list of servers read as {other:?}"),
    }
}

#[test]
fn space_parent_without_via_or_with_invalid_via() {
    let key = "!parent:example.org";
    let event = room_event("m.space.parent", Some(key), json!({}));
    timeline(&event, "SpaceParent");
    assert!(typed::<SyncSpaceParentEvent>(&event).content.via.is_none());
    let event = room_event(
        "m.space.parent",
        Some(key),
        json!({"via": "example.org", "canonical": true}),
    );
    timeline(&event, "SpaceParent");
    let read: SyncSpaceParentEvent = typed(&event);
    assert!(matches!(read.content.via, Some(SpaceParentVia::Value(_))));
    assert_eq!(read.content.canonical, Some(true));
}

// m.space.child `order`: "`order` values with the wrong type, or otherwise invalid contents,
// are to be treated as though the `order` key was not provided."

#[test]
fn space_child_order_of_the_wrong_type() {
    let key = "!child:example.org";
    for order in [json!(5), json!(true), json!(["a"]), json!({"a": 1})] {
        let event = room_event(
            "m.space.child",
            Some(key),
            json!({"via": ["example.org"], "order": order}),
        );
        timeline(&event, "SpaceChild");
        match typed::<SyncSpaceChildEvent>(&event).content.order {
            Some(SpaceChildOrder::Value(kept)) => assert_eq!(kept, order),
            other => panic!("`order` {order} read as {other:?}"),
        }
    }
    let event = room_event(
        "m.space.child",
        Some(key),
        json!({"via": ["example.org"], "order": "\u{0}not ascii é and longer than fifty characters, which is invalid"}),
    );
    assert!(matches!(
        typed::<SyncSpaceChildEvent>(&event).content.order,
        Some(SpaceChildOrder::String(_))
    ));
}

// m.room.server_acl `allow_ip_literals`: "Defaults to `true` if missing or otherwise not a
// boolean."

#[test]
fn server_acl_allow_ip_literals_not_a_boolean() {
    for value in [json!("false"), json!(0), json!(null)] {
        let event = room_event(
            "m.room.server_acl",
            Some(""),
            json!({"allow": ["*"], "deny": [], "allow_ip_literals": value}),
        );
        timeline(&event, "RoomServerAcl");
        let read: SyncRoomServerAclEvent = typed(&event);
        match (&value, read.content.allow_ip_literals) {
            // A `null` reads as absent and is kept among the unknown fields.
            (Value::Null, None) => {}
            (_, Some(AllowIpLiterals::Value(kept))) => assert_eq!(kept, value),
            (_, other) => panic!("`allow_ip_literals` {value} read as {other:?}"),
        }
    }
    let event = room_event(
        "m.room.server_acl",
        Some(""),
        json!({"allow": ["*"], "allow_ip_literals": false}),
    );
    assert_eq!(
        typed::<SyncRoomServerAclEvent>(&event)
            .content
            .allow_ip_literals,
        Some(AllowIpLiterals::Boolean(false))
    );
}

// m.invite_permission_config `default_action`: "A missing, invalid or unsupported value means
// that the user wants to receive invites as normal."

#[test]
fn invite_permission_config_missing_invalid_or_unsupported() {
    for content in [
        json!({}),
        json!({"default_action": "org.example.unsupported"}),
        json!({"default_action": 1}),
        json!({"default_action": ["block"]}),
    ] {
        let event = json!({"type": "m.invite_permission_config", "content": content});
        through_any(
            "AnyGlobalAccountDataEvent",
            &["InvitePermissionConfig"],
            &event,
        );
        let read: InvitePermissionConfigEvent = typed(&event);
        match (content.get("default_action"), read.content.default_action) {
            (None, None) => {}
            (Some(Value::String(sent)), Some(InviteDefaultAction::String(read))) => {
                assert_eq!(*sent, read)
            }
            (Some(sent), Some(InviteDefaultAction::Value(kept))) => assert_eq!(*sent, kept),
            (sent, read) => panic!("`default_action` {sent:?} read as {read:?}"),
        }
    }
}

// m.room.policy: "A Policy Server configuration. If invalid or not set, the room does not use
// a Policy Server."

#[test]
fn room_policy_invalid_or_not_set() {
    for content in [
        json!({}),
        json!({"via": "policy.example.org"}),
        json!({"via": 5, "public_keys": {"ed25519": "6MrhHN5NYjRaAbUQKkY2TdXI0w6K6bBgrkUe2zMjwm0"}}),
        json!({"via": "policy.example.org", "public_keys": {}}),
        json!({"via": "policy.example.org", "public_keys": "6MrhHN5NYjRaAbUQKkY2TdXI0w6K6bBgrkUe2zMjwm0"}),
    ] {
        let event = room_event("m.room.policy", Some(""), content.clone());
        timeline(&event, "RoomPolicy");
        let read: SyncRoomPolicyEvent = typed(&event);
        let via_ok = match (content.get("via"), &read.content.via) {
            (None, None) => true,
            (Some(Value::String(_)), Some(PolicyServerVia::String(_))) => true,
            (Some(sent), Some(PolicyServerVia::Value(kept))) => sent == kept,
            _ => false,
        };
        assert!(via_ok, "`via` of {content} read as {:?}", read.content.via);
        let keys_ok = match (content.get("public_keys"), &read.content.public_keys) {
            (None, None) => true,
            (Some(sent), Some(PolicyServerPublicKeysOrInvalid::PolicyServerPublicKeys(keys))) => {
                sent["ed25519"] == keys.ed25519.as_str()
            }
            (Some(sent), Some(PolicyServerPublicKeysOrInvalid::Value(kept))) => sent == kept,
            _ => false,
        };
        assert!(
            keys_ok,
            "`public_keys` of {content} read as {:?}",
            read.content.public_keys
        );
    }
    let valid = json!({
        "via": "policy.example.org",
        "public_keys": {"ed25519": "6MrhHN5NYjRaAbUQKkY2TdXI0w6K6bBgrkUe2zMjwm0"}
    });
    let event = room_event("m.room.policy", Some(""), valid);
    let read: SyncRoomPolicyEvent = typed(&event);
    match read.content.public_keys {
        Some(PolicyServerPublicKeysOrInvalid::PolicyServerPublicKeys(keys)) => {
            assert_eq!(keys.ed25519, "6MrhHN5NYjRaAbUQKkY2TdXI0w6K6bBgrkUe2zMjwm0")
        }
        other => panic!("valid public keys read as {other:?}"),
    }
}

/// Unknown fields beside the widened ones are kept too: a VoIP version 0 hangup with a field
/// of a later draft, read and written back through the timeline enum.
#[test]
fn widened_contents_keep_unknown_fields() {
    let mut content = Map::new();
    content.insert("call_id".into(), json!("12345"));
    content.insert("version".into(), json!(0));
    content.insert("org.example.custom".into(), json!({"nested": [1, 2]}));
    let event = room_event("m.call.hangup", None, Value::Object(content));
    timeline(&event, "CallHangup");
    let read: SyncCallHangupEvent = typed(&event);
    assert!(read.content.extra.contains_key("org.example.custom"));
}

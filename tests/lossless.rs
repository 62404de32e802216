//! Nothing the spec does not define is lost: real examples with unknown fields added at
//! every level come back exactly through their `Any…` enums, and a `/sync` timeline with
//! events, contents and values this crate does not know is read and written back whole.

use matrix_types::events::{
    AnySyncMessageLikeEvent, AnySyncStateEvent, AnySyncTimelineEvent, RoomMemberMembership,
    RoomMessageEventContent, SyncRoomMemberEvent,
};
use matrix_types::schema_index::EVENT_ENUMS;
use serde_json::{json, Value};
use tests::{
    event_form, json_diff, load_spec_example, overrides, read_any_losslessly, room_event_envelope,
    spec_dir, variant_name,
};

/// An example, the objects in it that are maps (keyed by IDs or event types, where an
/// invented key is not an unknown field but a wrong entry), and objects the added fields
/// must reach (`/`-separated paths; `*` matches any key or index).
struct Case {
    file: &'static str,
    maps: &'static [&'static str],
    must_reach: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        file: "m.room.member.yaml",
        maps: &[],
        must_reach: &["", "content", "unsigned"],
    },
    Case {
        file: "m.room.member$invite_room_state.yaml",
        maps: &[],
        must_reach: &["unsigned", "unsigned/invite_room_state/*/content"],
    },
    Case {
        file: "m.room.member$third_party_invite.yaml",
        maps: &[
            "content/third_party_invite/signed/signatures",
            "content/third_party_invite/signed/signatures/*",
        ],
        must_reach: &["content/third_party_invite/signed"],
    },
    Case {
        file: "m.room.message$m.text.yaml",
        maps: &[],
        must_reach: &["content", "unsigned"],
    },
    Case {
        file: "m.room.message$m.image.yaml",
        maps: &[],
        must_reach: &["content/info", "content/info/thumbnail_info"],
    },
    Case {
        file: "m.room.power_levels.yaml",
        maps: &["content/events", "content/users", "content/notifications"],
        must_reach: &["content"],
    },
    Case {
        file: "m.receipt.yaml",
        maps: &["content", "content/*/m.read", "content/*/m.read.private"],
        must_reach: &[
            "content/*",
            "content/*/m.read/*",
            "content/*/m.read.private/*",
        ],
    },
    Case {
        file: "m.room.encrypted$megolm.yaml",
        maps: &[],
        must_reach: &["content", "unsigned"],
    },
    Case {
        file: "m.room.encrypted$olm.yaml",
        maps: &["content/ciphertext"],
        must_reach: &["content/ciphertext/*"],
    },
    Case {
        file: "m.room_key.yaml",
        maps: &[],
        must_reach: &["content"],
    },
    Case {
        file: "m.key.verification.start$m.sas.v1.yaml",
        maps: &[],
        must_reach: &["content"],
    },
];

fn matches(pattern: &str, path: &[String]) -> bool {
    let pattern: Vec<&str> = if pattern.is_empty() {
        Vec::new()
    } else {
        pattern.split('/').collect()
    };
    pattern.len() == path.len()
        && pattern
            .iter()
            .zip(path)
            .all(|(part, segment)| *part == "*" || part == segment)
}

/// Adds `"org.example.unknown_<depth>": {"nested": [1, "x", null]}` to every object in
/// `value` but those at `maps`, walking into every object and array; returns the paths of
/// the objects it added to (as keys and indexes).
fn add_unknown_fields(value: &mut Value, maps: &[&str]) -> Vec<Vec<String>> {
    fn walk(
        value: &mut Value,
        path: &mut Vec<String>,
        maps: &[&str],
        added: &mut Vec<Vec<String>>,
    ) {
        match value {
            Value::Object(object) => {
                for (key, child) in object.iter_mut() {
                    path.push(key.clone());
                    walk(child, path, maps, added);
                    path.pop();
                }
                if !maps.iter().any(|map| matches(map, path)) {
                    object.insert(
                        format!("org.example.unknown_{}", path.len()),
                        json!({"nested": [1, "x", null]}),
                    );
                    added.push(path.clone());
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter_mut().enumerate() {
                    path.push(index.to_string());
                    walk(item, path, maps, added);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut added = Vec::new();
    walk(value, &mut Vec::new(), maps, &mut added);
    added
}

struct Checks {
    checked: usize,
    passed: usize,
    failures: Vec<String>,
}

impl Checks {
    fn record(&mut self, what: impl Into<String>, result: Result<(), String>) {
        self.checked += 1;
        match result {
            Ok(()) => self.passed += 1,
            Err(err) => self.failures.push(format!("{}: {err}", what.into())),
        }
    }
}

/// `value` through `enum_name`: read as the `expected` variants and written back unchanged.
fn check_round_trip(enum_name: &str, value: &Value, expected: &[String]) -> Result<(), String> {
    let outcome = read_any_losslessly(enum_name, value, expected)?;
    // The unknown fields of an `m.room.message` content must not have sent it to `Unknown`.
    if outcome.variants.last().map(String::as_str) == Some("RoomMessage") {
        let msgtype = value["content"]["msgtype"].as_str().unwrap_or_default();
        let content = RoomMessageEventContent::from_value(value["content"].clone())
            .map_err(|err| format!("content does not read: {err}"))?;
        let debug = format!("{content:?}");
        if !debug.starts_with(&format!("{}(", variant_name(msgtype))) {
            return Err(format!("content with msgtype {msgtype} read as {debug}"));
        }
    }
    Ok(())
}

fn examples_with_unknown_fields(checks: &mut Checks) {
    let spec = spec_dir();
    let overrides = overrides();
    let envelope = room_event_envelope(&spec);
    let dir = spec.join("data/event-schemas/examples");
    for case in CASES {
        let mut example = match load_spec_example(&spec, &dir.join(case.file), &overrides) {
            Ok(example) => example,
            Err(err) => {
                checks.record(case.file, Err(format!("cannot read: {err}")));
                continue;
            }
        };
        if case.file == "m.room.message$m.image.yaml" {
            // The spec's example has no thumbnail; give it one, to reach a deeper object.
            example["content"]["info"]["thumbnail_url"] =
                json!("mxc://example.org/FHyPlCeYUSFFxlgbQYZmoEoe");
            example["content"]["info"]["thumbnail_info"] =
                json!({"h": 200, "w": 197, "mimetype": "image/jpeg", "size": 13374});
        }
        let event_type = example["type"].as_str().unwrap_or_default().to_owned();
        let Some((_, enums)) = EVENT_ENUMS.iter().find(|(ty, _)| *ty == event_type) else {
            checks.record(case.file, Err(format!("{event_type} is in no Any… enum")));
            continue;
        };
        let is_state = enums.contains(&"AnyStateEvent");
        let mut forms: Vec<(&str, Vec<String>)> = enums
            .iter()
            .map(|name| (*name, vec![variant_name(&event_type)]))
            .collect();
        if is_state || enums.contains(&"AnyMessageLikeEvent") {
            let outer = if is_state { "State" } else { "MessageLike" };
            for name in ["AnyTimelineEvent", "AnySyncTimelineEvent"] {
                forms.push((name, vec![outer.to_owned(), variant_name(&event_type)]));
            }
        }
        let mut reached = Vec::new();
        for (enum_name, expected) in forms {
            let mut value = event_form(&example, enum_name, is_state, &envelope);
            if event_type == "m.room.power_levels" {
                // `notifications` is a map of integers beside its `room`: an unknown key
                // there holds an integer.
                value["content"]["notifications"]["org.example.unknown_key"] = json!(75);
            }
            let added = add_unknown_fields(&mut value, case.maps);
            let result = check_round_trip(enum_name, &value, &expected);
            checks.record(
                format!(
                    "{} through {enum_name} ({} unknown fields)",
                    case.file,
                    added.len()
                ),
                result,
            );
            reached.extend(added);
        }
        for pattern in case.must_reach {
            let found = reached.iter().any(|path| matches(pattern, path));
            let result = if found {
                Ok(())
            } else {
                Err("no unknown field was added there".to_owned())
            };
            checks.record(format!("{}: reaches `{pattern}`", case.file), result);
        }
    }

    // The unknown fields land in the typed structs' `extra` maps, not in a fallback.
    let spec_member = dir.join("m.room.member.yaml");
    let member = load_spec_example(&spec, &spec_member, &overrides).expect("readable example");
    let mut value = event_form(&member, "AnySyncStateEvent", true, &envelope);
    add_unknown_fields(&mut value, &[]);
    let result = match serde_json::from_value::<SyncRoomMemberEvent>(value) {
        Ok(event) => {
            let unknown = json!({"nested": [1, "x", null]});
            if event.extra.get("org.example.unknown_0") != Some(&unknown) {
                Err(format!("top-level extra is {:?}", event.extra))
            } else if event.content.extra.get("org.example.unknown_1") != Some(&unknown) {
                Err(format!("content extra is {:?}", event.content.extra))
            } else {
                Ok(())
            }
        }
        Err(err) => Err(format!("does not read: {err}")),
    };
    checks.record("m.room.member: unknown fields kept in `extra`", result);
}

/// A `/sync` timeline of every state and message-like example of the spec and events this
/// crate does not know: read whole, the unknown ones as `Unknown`, written back exactly.
fn timeline(checks: &mut Checks) {
    let spec = spec_dir();
    let overrides = overrides();
    let envelope = room_event_envelope(&spec);
    let dir = spec.join("data/event-schemas/examples");
    let mut events = Vec::new();
    for path in tests::event_examples(&spec) {
        let Ok(example) = load_spec_example(&spec, &path, &overrides) else {
            continue;
        };
        let event_type = example["type"].as_str().unwrap_or_default();
        let Some((_, enums)) = EVENT_ENUMS.iter().find(|(ty, _)| *ty == event_type) else {
            continue;
        };
        let is_state = enums.contains(&"AnyStateEvent");
        if is_state || enums.contains(&"AnyMessageLikeEvent") {
            events.push(event_form(
                &example,
                "AnySyncTimelineEvent",
                is_state,
                &envelope,
            ));
        }
    }
    let known = events.len();
    let custom_state = json!({
        "type": "org.example.custom",
        "state_key": "org.example.key",
        "sender": "@alice:example.org",
        "event_id": "$custom-state:example.org",
        "origin_server_ts": 1432735824653u64,
        "unsigned": {"age": 1234, "org.example.unsigned": {"a": [1, 2]}},
        "content": {"org.example.field": {"deep": [true, null, 1.5]}, "n": -3},
        "org.example.top": "kept"
    });
    let mut custom_message = custom_state.clone();
    custom_message.as_object_mut().unwrap().remove("state_key");
    custom_message["event_id"] = json!("$custom-message:example.org");
    let poll = json!({
        "type": "m.room.message",
        "sender": "@bob:example.org",
        "event_id": "$poll:example.org",
        "origin_server_ts": 1432735824654u64,
        "content": {
            "msgtype": "org.example.poll",
            "body": "Lunch? pizza / sushi",
            "org.example.poll.answers": [{"id": "a", "text": "pizza"}, {"id": "b", "text": "sushi"}],
            "org.example.poll.max_selections": 1
        },
        "org.example.top": {"x": null}
    });
    events.extend([custom_state.clone(), custom_message.clone(), poll.clone()]);

    // An unknown value of an enum-typed field (the generated enums are open: `Other`).
    let member = load_spec_example(&spec, &dir.join("m.room.member.yaml"), &overrides)
        .expect("readable example");
    let mut member_custom = event_form(&member, "AnySyncTimelineEvent", true, &envelope);
    member_custom["content"]["membership"] = json!("org.example.custom");
    events.push(member_custom.clone());

    let input = Value::Array(events.clone());
    checks.record(
        format!("timeline has the {known} state and message-like examples"),
        if known >= 50 {
            Ok(())
        } else {
            Err(format!("only {known}"))
        },
    );
    let timeline: Vec<AnySyncTimelineEvent> = match serde_json::from_value(input.clone()) {
        Ok(timeline) => {
            checks.record(format!("timeline of {} events reads", events.len()), Ok(()));
            timeline
        }
        Err(err) => {
            checks.record("timeline reads", Err(err.to_string()));
            return;
        }
    };
    checks.record(
        "timeline keeps every event",
        if timeline.len() == events.len() {
            Ok(())
        } else {
            Err(format!("{} of {}", timeline.len(), events.len()))
        },
    );
    let unknown_known: Vec<String> = timeline[..known]
        .iter()
        .filter(|event| {
            matches!(
                event,
                AnySyncTimelineEvent::State(AnySyncStateEvent::Unknown(_))
                    | AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::Unknown(_))
            )
        })
        .map(|event| event.event_type().to_owned())
        .collect();
    checks.record(
        "the spec's examples are read as known events",
        if unknown_known.is_empty() {
            Ok(())
        } else {
            Err(format!("read as Unknown: {unknown_known:?}"))
        },
    );

    let unknown_keeps = |event: &matrix_types::UnknownEvent, original: &Value| {
        let mut whole = event.extra.clone();
        whole.insert("type".to_owned(), json!(event.event_type));
        whole.insert("content".to_owned(), Value::Object(event.content.clone()));
        if Value::Object(whole.into_iter().collect()) == *original {
            Ok(())
        } else {
            Err(format!("kept {event:?}"))
        }
    };
    checks.record(
        "custom state event is State(Unknown) with every field",
        match &timeline[known] {
            AnySyncTimelineEvent::State(AnySyncStateEvent::Unknown(event)) => {
                unknown_keeps(event, &custom_state)
            }
            other => Err(format!("read as {other:?}")),
        },
    );
    checks.record(
        "custom event without state_key is MessageLike(Unknown) with every field",
        match &timeline[known + 1] {
            AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::Unknown(event)) => {
                unknown_keeps(event, &custom_message)
            }
            other => Err(format!("read as {other:?}")),
        },
    );
    checks.record(
        "m.room.message with msgtype org.example.poll has Unknown content with every field",
        match &timeline[known + 2] {
            AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(message)) => {
                match &message.content {
                    RoomMessageEventContent::Unknown(content) => {
                        let mut whole: serde_json::Map<String, Value> =
                            content.extra.clone().into_iter().collect();
                        whole.insert("msgtype".to_owned(), json!(content.msgtype));
                        whole.insert("body".to_owned(), json!(content.body));
                        if Value::Object(whole) == poll["content"]
                            && message.extra.get("org.example.top") == Some(&json!({"x": null}))
                        {
                            Ok(())
                        } else {
                            Err(format!("kept {message:?}"))
                        }
                    }
                    other => Err(format!("content read as {other:?}")),
                }
            }
            other => Err(format!("read as {other:?}")),
        },
    );
    checks.record(
        "m.room.member with membership org.example.custom is read as RoomMember, Other",
        match &timeline[known + 3] {
            AnySyncTimelineEvent::State(AnySyncStateEvent::RoomMember(event)) => {
                match &event.content.membership {
                    RoomMemberMembership::Other(value) if value == "org.example.custom" => Ok(()),
                    other => Err(format!("membership read as {other:?}")),
                }
            }
            other => Err(format!("read as {other:?} from {member_custom}")),
        },
    );
    checks.record(
        "timeline written back exactly",
        match serde_json::to_value(&timeline) {
            Ok(written) if written == input => Ok(()),
            Ok(written) => Err(json_diff(&input, &written).join("; ")),
            Err(err) => Err(format!("does not write: {err}")),
        },
    );
}

fn main() {
    let mut checks = Checks {
        checked: 0,
        passed: 0,
        failures: Vec::new(),
    };
    examples_with_unknown_fields(&mut checks);
    timeline(&mut checks);
    for failure in &checks.failures {
        println!("  FAILED {failure}");
    }
    println!(
        "lossless: {} checked, {} passed, {} failed",
        checks.checked,
        checks.passed,
        checks.failures.len()
    );
    if !checks.failures.is_empty() || checks.checked == 0 {
        std::process::exit(1);
    }
}

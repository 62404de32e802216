//! The spec's event examples and the forms the `Any…` enums read them in: which examples
//! there are and the schema each belongs to, the envelope a room event lacks, and the names of
//! the `Any…` variants.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::examples::load_example;

/// The example files of `event-schemas/examples` (the top-level `.yaml` files; the `.json`
/// files and `core/` are bases that examples refer to), sorted.
pub fn event_examples(spec: &Path) -> Vec<PathBuf> {
    let dir = spec.join("data/event-schemas/examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.expect("readable folder").path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// The schema an example belongs to: its own stem when a schema of that name exists
/// (`m.room.message$m.text`), else the stem without its `$label` (`m.room.member$third_party_invite`).
pub fn schema_for_example(example: &Path, has_schema: impl Fn(&str) -> bool) -> Option<String> {
    let stem = example.file_stem()?.to_str()?;
    if has_schema(stem) {
        return Some(stem.to_owned());
    }
    let base = stem.split('$').next()?;
    has_schema(base).then(|| base.to_owned())
}

/// The room event envelope of the spec's own `examples/core/room_event.json` (`event_id`,
/// `room_id`, `sender`, `origin_server_ts`, `unsigned`): what an example lacks of a full room
/// event is filled in from it.
pub fn room_event_envelope(spec: &Path) -> Map<String, Value> {
    let path = spec.join("data/event-schemas/examples/core/room_event.json");
    match load_example(&path) {
        Ok(Value::Object(mut envelope)) => {
            envelope.remove("type");
            envelope.remove("content");
            envelope
        }
        Ok(other) => panic!("{}: not an object: {other}", path.display()),
        Err(err) => panic!("{err}"),
    }
}

/// An event example in the form the `Any…` enum `enum_name` reads: for the full room event
/// enums (`AnyStateEvent`, `AnyMessageLikeEvent`, `AnyTimelineEvent`) with the `envelope`
/// fields it lacks filled in (and `state_key: ""` for a state event without one); for the
/// `AnySync…` enums the same without `room_id`; for `AnyStrippedStateEvent` only `type`,
/// `state_key`, `sender` and `content`; for every other enum the example as written.
pub fn event_form(
    example: &Value,
    enum_name: &str,
    is_state: bool,
    envelope: &Map<String, Value>,
) -> Value {
    let Value::Object(fields) = example else {
        return example.clone();
    };
    let mut full = fields.clone();
    for (key, value) in envelope {
        if !full.contains_key(key) {
            full.insert(key.clone(), value.clone());
        }
    }
    if is_state && !full.contains_key("state_key") {
        full.insert("state_key".to_owned(), Value::String(String::new()));
    }
    match enum_name {
        "AnyStateEvent" | "AnyMessageLikeEvent" | "AnyTimelineEvent" => Value::Object(full),
        "AnySyncStateEvent" | "AnySyncMessageLikeEvent" | "AnySyncTimelineEvent" => {
            full.remove("room_id");
            Value::Object(full)
        }
        "AnyStrippedStateEvent" => Value::Object(
            ["type", "state_key", "sender", "content"]
                .into_iter()
                .filter_map(|key| Some((key.to_owned(), full.get(key)?.clone())))
                .collect(),
        ),
        _ => example.clone(),
    }
}

/// The name of the `Any…` variant for an event type: `m.room.member` -> `RoomMember`,
/// `m.room_key.withheld` -> `RoomKeyWithheld` (and so for `msgtype`s: `m.text` -> `Text`).
pub fn variant_name(event_type: &str) -> String {
    let name = event_type.strip_prefix("m.").unwrap_or(event_type);
    name.split(['.', '_'])
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// The variants a value's `Debug` text shows it to be, outermost first:
/// `State(RoomMember(SyncRoomMemberEvent { .. }))` -> `["State", "RoomMember"]`.
pub fn debug_variants(debug: &str) -> Vec<&str> {
    debug
        .split('(')
        .take_while(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn example_names_map_to_schemas() {
        let known =
            |s: &str| ["m.room.member", "m.room.message$m.text", "m.room.message"].contains(&s);
        let schema = |name: &str| schema_for_example(Path::new(name), known);
        assert_eq!(
            schema("m.room.message$m.text.yaml").as_deref(),
            Some("m.room.message$m.text")
        );
        assert_eq!(
            schema("m.room.member$invite_room_state.yaml").as_deref(),
            Some("m.room.member")
        );
        assert_eq!(schema("m.unknown.yaml"), None);
    }

    #[test]
    fn event_forms_and_variant_names() {
        let envelope = json!({"event_id": "$e", "room_id": "!r:x", "sender": "@s:x"});
        let envelope = envelope.as_object().unwrap();
        let example = json!({"type": "m.room.name", "sender": "@a:x", "content": {"name": "n"}});
        assert_eq!(
            event_form(&example, "AnyStateEvent", true, envelope),
            json!({"type": "m.room.name", "sender": "@a:x", "content": {"name": "n"},
                   "event_id": "$e", "room_id": "!r:x", "state_key": ""})
        );
        assert_eq!(
            event_form(&example, "AnySyncMessageLikeEvent", false, envelope),
            json!({"type": "m.room.name", "sender": "@a:x", "content": {"name": "n"},
                   "event_id": "$e"})
        );
        assert_eq!(
            event_form(&example, "AnyStrippedStateEvent", true, envelope),
            json!({"type": "m.room.name", "sender": "@a:x", "content": {"name": "n"},
                   "state_key": ""})
        );
        assert_eq!(
            event_form(&example, "AnyToDeviceEvent", false, envelope),
            example
        );
        assert_eq!(variant_name("m.room_key.withheld"), "RoomKeyWithheld");
        assert_eq!(
            variant_name("m.key.verification.request"),
            "KeyVerificationRequest"
        );
        assert_eq!(
            debug_variants("State(RoomMember(SyncRoomMemberEvent { x: Join }))"),
            vec!["State", "RoomMember"]
        );
        assert_eq!(
            debug_variants("Unknown(UnknownEvent { a: 1 })"),
            vec!["Unknown"]
        );
    }
}

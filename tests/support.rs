//! What the tests share: finding the spec the crate was generated from, and reading the
//! spec's examples the way the spec's own tooling does.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the repository")
        .to_owned()
}

/// The spec folder, found exactly as `cargo xtask gen` finds it (so both read the same spec).
pub fn spec_dir() -> PathBuf {
    let env = std::env::var_os(codegen::spec_source::ENV_VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    codegen::spec_source::find_spec(None, env.as_deref(), &repo_root())
        .unwrap_or_else(|err| panic!("{err}"))
}

/// Reads an example file (JSON, in files named `.yaml` or `.json`) and resolves its `$ref`s:
/// a `$ref` names another example relative to the file, whose fields are merged in first
/// (shallowly, local keys winning); one inside nested data is replaced by what it names.
pub fn load_example(path: &Path) -> Result<Value, String> {
    load_example_at(path, 0)
}

fn load_example_at(path: &Path, depth: usize) -> Result<Value, String> {
    if depth > 16 {
        return Err(format!(
            "{}: `$ref` chain too deep (a cycle?)",
            path.display()
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    let value: Value =
        serde_json::from_str(&text).map_err(|err| format!("{}: {err}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    resolve_refs(value, base, depth)
}

fn resolve_refs(value: Value, base: &Path, depth: usize) -> Result<Value, String> {
    match value {
        Value::Object(mut map) => {
            let reference = match map.remove("$ref") {
                Some(Value::String(reference)) => Some(reference),
                Some(other) => return Err(format!("`$ref` must be a string, found {other}")),
                None => None,
            };
            let mut resolved = Map::new();
            for (key, child) in map {
                resolved.insert(key, resolve_refs(child, base, depth)?);
            }
            let Some(reference) = reference else {
                return Ok(Value::Object(resolved));
            };
            match load_example_at(&base.join(&reference), depth + 1)? {
                Value::Object(mut merged) => {
                    merged.extend(resolved);
                    Ok(Value::Object(merged))
                }
                other if resolved.is_empty() => Ok(other),
                _ => Err(format!(
                    "`$ref: {reference}` names a non-object but has sibling keys"
                )),
            }
        }
        Value::Array(items) => items
            .into_iter()
            .map(|item| resolve_refs(item, base, depth))
            .collect(),
        other => Ok(other),
    }
}

/// The project's overrides (`spec/overrides.yaml`), some of which correct the spec's examples.
pub fn overrides() -> codegen::overrides::Overrides {
    let path = repo_root().join("spec/overrides.yaml");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    codegen::overrides::Overrides::parse("spec/overrides.yaml", &text)
        .unwrap_or_else(|err| panic!("{err}"))
}

/// An example of the spec read with [`load_example`], with the overrides for its file applied.
pub fn load_spec_example(
    spec: &Path,
    path: &Path,
    overrides: &codegen::overrides::Overrides,
) -> Result<Value, String> {
    let mut value = load_example(path)?;
    let data = spec.join("data");
    let relative = path
        .strip_prefix(&data)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    overrides.apply(&relative, &mut value);
    Ok(value)
}

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

/// Describes how two JSON values differ, path by path; empty when they are equal.
pub fn json_diff(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff_at("", expected, actual, &mut out);
    out
}

fn diff_at(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => diff_at(&format!("{path}/{key}"), value, other, out),
                    None => out.push(format!("{path}/{key}: lost ({value})")),
                }
            }
            for (key, value) in b {
                if !a.contains_key(key) {
                    out.push(format!("{path}/{key}: added ({value})"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                diff_at(&format!("{path}/{index}"), x, y, out);
            }
        }
        _ if expected == actual => {}
        _ => out.push(format!("{path}: {expected} became {actual}")),
    }
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

/// What reading a value through an `Any…` enum gave.
pub struct AnyOutcome {
    /// The variants its `Debug` shows, outermost first (`["State", "RoomMember"]`).
    pub variants: Vec<String>,
    /// What its `event_type()` says.
    pub event_type: String,
    /// The value written back.
    pub written: Value,
}

/// Reads `value` through the `Any…` enum named `enum_name` with its `from_value` and writes
/// it back; `None` for an enum this helper does not know.
pub fn read_any(enum_name: &str, value: &Value) -> Option<Result<AnyOutcome, String>> {
    use matrix_types::events;
    macro_rules! enums {
        ($($name:ident),* $(,)?) => {
            match enum_name {
                $(stringify!($name) => Some(
                    events::$name::from_value(value.clone())
                        .map_err(|err| format!("does not read: {err}"))
                        .and_then(|event| {
                            let debug = format!("{event:?}");
                            Ok(AnyOutcome {
                                variants: debug_variants(&debug)
                                    .into_iter()
                                    .map(str::to_owned)
                                    .collect(),
                                event_type: event.event_type().to_owned(),
                                written: serde_json::to_value(&event)
                                    .map_err(|err| format!("does not write: {err}"))?,
                            })
                        }),
                ),)*
                _ => None,
            }
        };
    }
    enums!(
        AnyEphemeralRoomEvent,
        AnyGlobalAccountDataEvent,
        AnyMessageLikeEvent,
        AnyRoomAccountDataEvent,
        AnyStateEvent,
        AnyStrippedStateEvent,
        AnySyncMessageLikeEvent,
        AnySyncStateEvent,
        AnySyncTimelineEvent,
        AnyTimelineEvent,
        AnyToDeviceEvent,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn example_refs_merge_shallowly_and_replace_nested_data() {
        let dir = std::env::temp_dir().join(format!("example-refs-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("core")).unwrap();
        std::fs::write(
            dir.join("core/base.json"),
            r#"{"a": 1, "content": {"x": 1}, "keep": true}"#,
        )
        .unwrap();
        std::fs::write(
            dir.join("core/mid.json"),
            r#"{"$ref": "base.json", "a": 2}"#,
        )
        .unwrap();
        std::fs::write(dir.join("list.json"), r#"[{"k": 1}]"#).unwrap();
        std::fs::write(
            dir.join("ex.yaml"),
            r#"{"$ref": "core/mid.json", "content": {"y": 2, "nested": {"$ref": "list.json"}}}"#,
        )
        .unwrap();
        let value = load_example(&dir.join("ex.yaml")).unwrap();
        assert_eq!(
            value,
            json!({"a": 2, "keep": true, "content": {"y": 2, "nested": [{"k": 1}]}})
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

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

    #[test]
    fn diff_names_lost_added_and_changed_values() {
        let diff = json_diff(&json!({"a": 0, "b": {"c": 1}}), &json!({"a": 0.0, "d": 2}));
        assert_eq!(
            diff,
            vec!["/a: 0 became 0.0", "/b: lost ({\"c\":1})", "/d: added (2)"]
        );
    }
}

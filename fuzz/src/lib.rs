//! The checks behind the fuzz targets, in a library so that other harnesses can call them.
//!
//! Both functions panic exactly when they find a bug: a deserializer or accessor of
//! `matrix-types` that panics, or a value that does not survive a round trip unchanged.
//! Invalid input is not a bug; it only has to be rejected with an error.

use std::fmt::Debug;
use std::str::FromStr;

use matrix_types::events::{
    AnyEphemeralRoomEvent, AnyGlobalAccountDataEvent, AnyRoomAccountDataEvent,
    AnyStrippedStateEvent, AnySyncTimelineEvent, AnyTimelineEvent, AnyToDeviceEvent,
};
use matrix_types::{
    EmailAddress, EventId, MxcUri, RoomAlias, RoomId, ServerName, UnpaddedBase64, Uri,
    UrlSafeUnpaddedBase64, UserId,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Reads `data` as JSON into each of the `Any…` event enums. Each one that parses is
/// written back, read again, and must read back equal (and write the same JSON again).
pub fn check_any_event(data: &[u8]) {
    round_trip::<AnySyncTimelineEvent>("AnySyncTimelineEvent", data);
    round_trip::<AnyTimelineEvent>("AnyTimelineEvent", data);
    round_trip::<AnyStrippedStateEvent>("AnyStrippedStateEvent", data);
    round_trip::<AnyToDeviceEvent>("AnyToDeviceEvent", data);
    round_trip::<AnyGlobalAccountDataEvent>("AnyGlobalAccountDataEvent", data);
    round_trip::<AnyRoomAccountDataEvent>("AnyRoomAccountDataEvent", data);
    round_trip::<AnyEphemeralRoomEvent>("AnyEphemeralRoomEvent", data);
}

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(name: &str, data: &[u8]) {
    let Ok(first) = serde_json::from_slice::<T>(data) else {
        return;
    };
    let written = serde_json::to_vec(&first)
        .unwrap_or_else(|err| panic!("{name}: read {first:?} but cannot write it: {err}"));
    let second = serde_json::from_slice::<T>(&written).unwrap_or_else(|err| {
        panic!(
            "{name}: read {first:?}, wrote {}, which does not read back: {err}",
            String::from_utf8_lossy(&written)
        )
    });
    assert_eq!(
        first,
        second,
        "{name}: wrote {}, which reads back different",
        String::from_utf8_lossy(&written)
    );
    let rewritten =
        serde_json::to_vec(&second).expect("a value that was written once writes again");
    assert_eq!(
        String::from_utf8_lossy(&written),
        String::from_utf8_lossy(&rewritten),
        "{name}: writing is not stable"
    );
}

/// Reads `data`, if it is UTF-8, as each identifier type. Each one that parses must keep
/// the input as its text, answer its accessors, and survive a JSON round trip.
pub fn check_identifiers(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(id) = parsed::<UserId>(input) {
        assert_eq!(id.as_str(), input);
        let _ = (id.localpart(), id.server_name(), id.is_historical());
    }
    if let Some(id) = parsed::<RoomId>(input) {
        assert_eq!(id.as_str(), input);
        let _ = id.server_name();
    }
    if let Some(id) = parsed::<EventId>(input) {
        assert_eq!(id.as_str(), input);
        let _ = id.server_name();
    }
    if let Some(id) = parsed::<RoomAlias>(input) {
        assert_eq!(id.as_str(), input);
        let _ = (id.alias(), id.server_name());
    }
    if let Some(name) = parsed::<ServerName>(input) {
        assert_eq!(name.as_str(), input);
        let _ = (name.host(), name.port());
    }
    if let Some(uri) = parsed::<MxcUri>(input) {
        assert_eq!(uri.as_str(), input);
        let _ = (uri.server_name(), uri.media_id());
    }
    if let Some(key) = parsed::<UnpaddedBase64>(input) {
        assert_eq!(key.as_str(), input);
    }
    if let Some(hash) = parsed::<UrlSafeUnpaddedBase64>(input) {
        assert_eq!(hash.as_str(), input);
    }
    if let Some(uri) = parsed::<Uri>(input) {
        assert_eq!(uri.as_str(), input);
        let _ = uri.scheme();
    }
    if let Some(address) = parsed::<EmailAddress>(input) {
        assert_eq!(address.as_str(), input);
    }
}

/// `input` read as `T` when it is valid, after checking that every way of reading it agrees
/// and that the value keeps the input as its text.
fn parsed<T>(input: &str) -> Option<T>
where
    T: FromStr
        + for<'a> TryFrom<&'a str>
        + TryFrom<String>
        + AsRef<str>
        + ToString
        + Serialize
        + DeserializeOwned
        + PartialEq
        + Debug,
{
    let value = T::from_str(input).ok();
    assert_eq!(
        value.is_some(),
        T::try_from(input.to_owned()).is_ok(),
        "from_str and try_from(String) disagree on {input:?}"
    );
    assert_eq!(
        value.is_some(),
        T::try_from(input).is_ok(),
        "from_str and try_from(&str) disagree on {input:?}"
    );
    let json = serde_json::to_string(input).expect("a string writes as JSON");
    let from_json = serde_json::from_str::<T>(&json).ok();
    assert_eq!(
        value.is_some(),
        from_json.is_some(),
        "from_str and serde disagree on {input:?}"
    );
    let value = value?;
    assert_eq!(value.as_ref(), input, "as_ref() is not the input");
    assert_eq!(value.to_string(), input, "to_string() is not the input");
    assert_eq!(from_json.as_ref(), Some(&value));
    let written = serde_json::to_string(&value).expect("an identifier writes as JSON");
    assert_eq!(written, json, "an identifier writes as a plain string");
    Some(value)
}

/// The spec files a fuzz input is cut into, in order: two event schemas and a shared
/// definition, so that `$ref`s between files (`m.other.yaml`, `../../api/...`) can be found.
const SPEC_FILES: &[&str] = &[
    "event-schemas/schema/m.fuzz.yaml",
    "event-schemas/schema/m.other.yaml",
    "api/client-server/definitions/shared.yaml",
];

/// What separates the files in a spec fuzz input.
pub const FILE_SEPARATOR: &str = "\n---8<---\n";

/// Reads `data` as a small spec (its text cut into [`SPEC_FILES`] at [`FILE_SEPARATOR`]) and
/// generates from it in memory: load, resolve, model, render. Bad specs must be errors
/// naming a file of the spec; any panic (or a hang the fuzzer times out on) is a bug.
pub fn check_spec_loader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let files: Vec<(&str, &str)> = SPEC_FILES
        .iter()
        .copied()
        .zip(text.split(FILE_SEPARATOR))
        .collect();
    if let Err(errors) = codegen::generate_in_memory(&files) {
        assert!(!errors.0.is_empty(), "an empty list of errors");
        for error in &errors.0 {
            assert!(
                !error.location.file.is_empty(),
                "an error without a place: {error}"
            );
        }
    }
}

/// Event types the structure-aware mutator puts into `type` fields: every kind of event, so
/// that a mutated example is read as another event's shape.
const EVENT_TYPES: &[&str] = &[
    "m.room.message",
    "m.room.member",
    "m.room.create",
    "m.room.encrypted",
    "m.key.verification.start",
    "m.receipt",
    "m.typing",
    "m.direct",
    "m.tag",
    "m.room_key",
    "m.presence",
    "org.example.unknown",
];

/// Values a mutated node becomes: every JSON type, edge numbers and hostile strings.
const REPLACEMENTS: &[&str] = &[
    "null",
    "true",
    "0",
    "-1",
    "9007199254740993",
    "18446744073709551616",
    "1e400",
    "3000000000000000000000000000000000000000000000000000000000000000000",
    "0.1",
    "\"\"",
    "\"@:\"",
    "\"!room\"",
    "\"mxc://\"",
    "\"\\u0000\"",
    "[]",
    "{}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
];

/// A structure-aware mutation for `cargo fuzz`: when the input is JSON, one node of it is
/// replaced by another value, removed, copied under a new key, or (for `type`, `msgtype` and
/// `method`) given another known value; `None` when the input is not JSON or the result does
/// not fit, so that libFuzzer's own byte mutations apply.
pub fn mutate_json(data: &mut [u8], size: usize, max_size: usize, seed: u32) -> Option<usize> {
    let mut value: serde_json::Value = serde_json::from_slice(&data[..size]).ok()?;
    let mut rng = u64::from(seed) | 1;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut pointers = Vec::new();
    collect_pointers(&value, String::new(), &mut pointers);
    let pointer = pointers[(next() % pointers.len() as u64) as usize].clone();
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", ""));
    match next() % 4 {
        0 if !pointer.is_empty() => {
            // Removed from its object (a required field, say) or array.
            match value.pointer_mut(parent)? {
                serde_json::Value::Object(map) => {
                    map.remove(&key.replace("~1", "/").replace("~0", "~"));
                }
                serde_json::Value::Array(items) => {
                    let index: usize = key.parse().ok()?;
                    if index < items.len() {
                        items.remove(index);
                    }
                }
                _ => return None,
            }
        }
        1 if matches!(key, "type" | "msgtype" | "method") => {
            let new = EVENT_TYPES[(next() % EVENT_TYPES.len() as u64) as usize];
            *value.pointer_mut(&pointer)? = serde_json::Value::String(new.to_owned());
        }
        2 => {
            // Copied under a new key of an enclosing object: an unknown field with real content.
            let copy = value.pointer(&pointer)?.clone();
            if let serde_json::Value::Object(map) = value.pointer_mut(parent)? {
                map.insert(format!("fuzz_{}", next() % 1000), copy);
            }
        }
        _ => {
            let raw = REPLACEMENTS[(next() % REPLACEMENTS.len() as u64) as usize];
            // Written as text: some replacements are JSON a `Value` cannot hold.
            let marker = "\u{1}fuzz-marker\u{1}";
            *value.pointer_mut(&pointer)? = serde_json::Value::String(marker.to_owned());
            let text = value
                .to_string()
                .replacen(&serde_json::Value::String(marker.to_owned()).to_string(), raw, 1);
            return write_into(data, max_size, text.as_bytes());
        }
    }
    write_into(data, max_size, value.to_string().as_bytes())
}

fn write_into(data: &mut [u8], max_size: usize, bytes: &[u8]) -> Option<usize> {
    if bytes.len() > max_size.min(data.len()) {
        return None;
    }
    data[..bytes.len()].copy_from_slice(bytes);
    Some(bytes.len())
}

fn collect_pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                collect_pointers(child, format!("{at}/{key}"), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

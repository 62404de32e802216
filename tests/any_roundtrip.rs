//! Every event example of the spec, put into the form each `Any…` enum of its type reads
//! (see `schema_index::EVENT_ENUMS`), is read as the variant of its type (never `Unknown`)
//! and written back as the same JSON value; state and message-like examples also go through
//! `AnyTimelineEvent` and `AnySyncTimelineEvent`, and `m.room.message` examples come back
//! with the content variant of their `msgtype`.

use matrix_types::events::{AnySyncMessageLikeEvent, RoomMessageEventContent};
use matrix_types::schema_index::{round_trip_any, ENUMS, EVENT_ENUMS};
use serde_json::Value;
use tests::{
    debug_variants, event_examples, event_form, load_spec_example, overrides, read_any,
    read_any_losslessly, room_event_envelope, spec_dir, variant_name,
};

/// Below this many checks the run is taken to have silently checked nothing.
const MIN_CHECKS: usize = 150;

struct Checks {
    checked: usize,
    passed: usize,
    failures: Vec<String>,
}

impl Checks {
    fn record(&mut self, what: String, result: Result<(), String>) {
        self.checked += 1;
        match result {
            Ok(()) => self.passed += 1,
            Err(err) => self.failures.push(format!("{what}: {err}")),
        }
    }
}

/// `value` through `enum_name` (by `from_value` and by serde, which must agree): read as
/// `expected` variants, with `event_type` as its type, and written back unchanged.
fn check(
    enum_name: &str,
    value: &Value,
    expected: &[String],
    event_type: &str,
) -> Result<(), String> {
    let outcome = read_any_losslessly(enum_name, value, expected)?;
    if outcome.event_type != event_type {
        return Err(format!("event_type() is {:?}", outcome.event_type));
    }
    let (variant, written) = round_trip_any(enum_name, &value.to_string())
        .ok_or_else(|| format!("{enum_name} is not in schema_index::round_trip_any"))?
        .map_err(|err| format!("does not deserialize through serde: {err}"))?;
    if variant != expected[0] || written != outcome.written {
        return Err(format!(
            "serde disagrees with from_value: read as {variant}, written {written}"
        ));
    }
    Ok(())
}

/// An `m.room.message` example (sync form) is read with the content variant of its `msgtype`.
fn check_msgtype(value: &Value, msgtype: &str) -> Result<(), String> {
    let event: AnySyncMessageLikeEvent = serde_json::from_value(value.clone())
        .map_err(|err| format!("does not deserialize: {err}"))?;
    let AnySyncMessageLikeEvent::RoomMessage(message) = &event else {
        return Err(format!("read as {event:?}"));
    };
    if msgtype == "m.text" && !matches!(message.content, RoomMessageEventContent::Text(_)) {
        return Err(format!("m.text content read as {:?}", message.content));
    }
    let debug = format!("{:?}", message.content);
    let found = debug_variants(&debug);
    let expected = variant_name(msgtype);
    if found.first() != Some(&expected.as_str()) {
        return Err(format!("content read as {found:?} instead of {expected}"));
    }
    Ok(())
}

fn main() {
    let spec = spec_dir();
    let overrides = overrides();
    let envelope = room_event_envelope(&spec);
    let examples = event_examples(&spec);
    let mut checks = Checks {
        checked: 0,
        passed: 0,
        failures: Vec::new(),
    };
    let mut skipped = Vec::new();
    for name in ENUMS {
        if read_any(name, &Value::Null).is_none() {
            checks
                .failures
                .push(format!("{name}: a new Any… enum this test does not know"));
        }
    }

    for path in &examples {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let example = match load_spec_example(&spec, path, &overrides) {
            Ok(value) => value,
            Err(err) => {
                checks.failures.push(format!("{name}: cannot read: {err}"));
                continue;
            }
        };
        let Some(event_type) = example.get("type").and_then(Value::as_str) else {
            checks.failures.push(format!("{name}: no `type`"));
            continue;
        };
        let Some((_, enums)) = EVENT_ENUMS.iter().find(|(ty, _)| *ty == event_type) else {
            skipped.push(name);
            continue;
        };
        let variant = variant_name(event_type);
        let is_state = enums.contains(&"AnyStateEvent");
        let is_message_like = enums.contains(&"AnyMessageLikeEvent");
        for enum_name in enums.iter() {
            let form = event_form(&example, enum_name, is_state, &envelope);
            let result = check(enum_name, &form, std::slice::from_ref(&variant), event_type);
            checks.record(format!("{name} through {enum_name}"), result);
        }
        if is_state || is_message_like {
            let outer = if is_state { "State" } else { "MessageLike" }.to_owned();
            for enum_name in ["AnyTimelineEvent", "AnySyncTimelineEvent"] {
                let form = event_form(&example, enum_name, is_state, &envelope);
                let expected = [outer.clone(), variant.clone()];
                let result = check(enum_name, &form, &expected, event_type);
                checks.record(format!("{name} through {enum_name}"), result);
            }
        }
        if event_type == "m.room.message" {
            let msgtype = example["content"]["msgtype"].as_str().unwrap_or_default();
            let form = event_form(&example, "AnySyncMessageLikeEvent", false, &envelope);
            let result = check_msgtype(&form, msgtype);
            checks.record(
                format!("{name}: content by its msgtype {msgtype:?}"),
                result,
            );
        }
    }

    println!(
        "event examples of {}: {} read, {} skipped (type in no Any… enum: {})",
        spec.display(),
        examples.len(),
        skipped.len(),
        skipped.join(", ")
    );
    if checks.checked < MIN_CHECKS {
        checks.failures.push(format!(
            "only {} checks ran (at least {MIN_CHECKS} expected)",
            checks.checked
        ));
    }
    for failure in &checks.failures {
        println!("  FAILED {failure}");
    }
    println!(
        "any round-trip: {} checked, {} passed, {} failed",
        checks.checked,
        checks.passed,
        checks.failures.len()
    );
    if !checks.failures.is_empty() {
        std::process::exit(1);
    }
}

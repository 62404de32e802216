//! Reading events through the `Any…` enums: which variant a value reads as, and whether it
//! is written back as it was.

use serde_json::Value;

use crate::diff::json_diff;
use crate::events::debug_variants;

/// What reading a value through an `Any…` enum gave.
pub struct AnyOutcome {
    /// The variants its `Debug` shows, outermost first (`["State", "RoomMember"]`).
    pub variants: Vec<String>,
    /// What its `event_type()` says.
    pub event_type: String,
    /// The value written back.
    pub written: Value,
}

/// [`read_any`], requiring that `value` reads as the `expected` variants and is written back
/// equal to itself.
pub fn read_any_losslessly(
    enum_name: &str,
    value: &Value,
    expected: &[String],
) -> Result<AnyOutcome, String> {
    let outcome = read_any(enum_name, value)
        .ok_or_else(|| format!("{enum_name} is not known to this test"))??;
    if outcome.variants != expected {
        return Err(format!(
            "read as {} instead of {}",
            outcome.variants.join("::"),
            expected.join("::")
        ));
    }
    if outcome.written != *value {
        return Err(format!(
            "written back differently: {}",
            json_diff(value, &outcome.written).join("; ")
        ));
    }
    Ok(outcome)
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

//! Reading values whose shape one of their string fields decides: events by their `type`,
//! message contents by their `msgtype`. The generated `from_value` functions call these.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An event of a type this crate does not know, kept whole: written back, it is the JSON
/// value it was read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnknownEvent {
    /// The event's `type`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// The event's `content`, as it was read.
    pub content: Map<String, Value>,
    /// Every other field (`sender`, `state_key`, `event_id`, ...), as it was read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Why a value could not be read as the type its tag names: which type, where in the value
/// (a path such as `content.info.size`), and what was wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchError {
    what: String,
    path: String,
    message: String,
}

impl DispatchError {
    /// The path of the field at fault inside the value, e.g. `content.membership`; empty for
    /// the value itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was wrong, as serde reported it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DispatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "invalid {}: {}", self.what, self.message)
        } else {
            write!(
                f,
                "invalid {} at `{}`: {}",
                self.what, self.path, self.message
            )
        }
    }
}

impl std::error::Error for DispatchError {}

/// An event read by its `type`: typed, or kept whole because a redaction stripped the
/// content its type requires.
#[doc(hidden)]
pub enum ReadEvent<T> {
    Typed(Box<T>),
    Redacted(Box<UnknownEvent>),
}

/// `value` read as the event type `T` for its `type` `event_type`. A redacted event (one with
/// `unsigned.redacted_because`) whose remaining content no longer fits `T` is kept whole.
#[doc(hidden)]
pub fn read_event<T: DeserializeOwned>(
    value: Value,
    event_type: &str,
) -> Result<ReadEvent<T>, DispatchError> {
    let redacted = value
        .get("unsigned")
        .and_then(|unsigned| unsigned.get("redacted_because"))
        .is_some();
    if !redacted {
        return read(value, "type", event_type).map(ReadEvent::Typed);
    }
    // Read from a borrow, so that the value is still there to keep if it does not fit.
    match serde_path_to_error::deserialize::<_, T>(&value) {
        Ok(event) => Ok(ReadEvent::Typed(Box::new(event))),
        Err(_) => read_unknown(value, "type").map(ReadEvent::Redacted),
    }
}

/// The string at `tag` of the object `value`.
#[doc(hidden)]
pub fn tag<'v>(value: &'v Value, tag: &str) -> Result<&'v str, DispatchError> {
    let error = |path: &str, message: String| DispatchError {
        what: describe(tag, None),
        path: path.to_owned(),
        message,
    };
    let Value::Object(object) = value else {
        return Err(error(
            "",
            format!("expected a JSON object, found {}", kind(value)),
        ));
    };
    match object.get(tag) {
        Some(Value::String(found)) => Ok(found),
        Some(other) => Err(error(
            tag,
            format!("expected a string, found {}", kind(other)),
        )),
        None => Err(error("", format!("missing field `{tag}`"))),
    }
}

/// `value` read as `T`, the type for the value `tag_value` of its `tag`.
#[doc(hidden)]
pub fn read<T: DeserializeOwned>(
    value: Value,
    tag: &str,
    tag_value: &str,
) -> Result<Box<T>, DispatchError> {
    serde_path_to_error::deserialize(value)
        .map(Box::new)
        .map_err(|err| error(describe(tag, Some(tag_value)), err))
}

/// `value` read as `T`, the fallback type for values of `tag` this crate does not know.
#[doc(hidden)]
pub fn read_unknown<T: DeserializeOwned>(value: Value, tag: &str) -> Result<Box<T>, DispatchError> {
    serde_path_to_error::deserialize(value)
        .map(Box::new)
        .map_err(|err| error(describe(tag, None), err))
}

/// The error for `what`, with the path serde went down to the fault.
fn error(what: String, err: serde_path_to_error::Error<serde_json::Error>) -> DispatchError {
    let path = err.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let message = err.into_inner().to_string();
    // A content read by its `msgtype` inside this value failed with a `DispatchError` of its
    // own, which reached here as serde's error text ("invalid content ... at `path`: message"):
    // join its path onto this one.
    let nested = message.strip_prefix("invalid content").and_then(|rest| {
        let start = rest.find(" at `")? + " at `".len();
        let end = start + rest[start..].find("`: ")?;
        Some((
            rest[start..end].to_owned(),
            rest[end + "`: ".len()..].to_owned(),
        ))
    });
    match nested {
        Some((inner_path, inner_message)) => DispatchError {
            what,
            path: if path.is_empty() {
                inner_path
            } else {
                format!("{path}.{inner_path}")
            },
            message: inner_message,
        },
        None => DispatchError {
            what,
            path,
            message,
        },
    }
}

fn describe(tag: &str, tag_value: Option<&str>) -> String {
    match (tag, tag_value) {
        ("type", Some(event_type)) => format!("`{event_type}` event"),
        ("type", None) => "event".to_owned(),
        (tag, Some(value)) => format!("content with {tag} `{value}`"),
        (tag, None) => format!("content (by its `{tag}`)"),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

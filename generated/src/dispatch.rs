//! Reading values whose shape one of their string fields decides: events by their `type`,
//! message contents by their `msgtype`. The generated `Deserialize` impls and `from_content`
//! functions of the `Any…` enums and dispatched contents call these; their `from_value`
//! functions too, through a [`Content`] borrowed from the value.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, Expected, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::serde_helpers::Key;

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
    event_type: Option<String>,
    path: String,
    message: String,
}

impl DispatchError {
    /// The event type of the value, when it is an event whose `type` could be read.
    pub fn event_type(&self) -> Option<&str> {
        self.event_type.as_deref()
    }

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
    read_event_content(&Content::from_value(&value), event_type)
}

/// The string at `tag` of the object `value`.
#[doc(hidden)]
pub fn tag<'v>(value: &'v Value, tag: &str) -> Result<&'v str, DispatchError> {
    tag_of(value, tag)
}

/// `value` read as `T`, the type for the value `tag_value` of its `tag`.
#[doc(hidden)]
pub fn read<T: DeserializeOwned>(
    value: Value,
    tag: &str,
    tag_value: &str,
) -> Result<Box<T>, DispatchError> {
    read_content(&Content::from_value(&value), tag, tag_value)
}

/// `value` read as `T`, the fallback type for values of `tag` this crate does not know.
#[doc(hidden)]
pub fn read_unknown<T: DeserializeOwned>(value: Value, tag: &str) -> Result<Box<T>, DispatchError> {
    read_unknown_content(&Content::from_value(&value), tag)
}

impl DispatchError {
    /// The error of a value read by its `tag` (whose value, when known, is `tag_value`): at
    /// `path`, `message`.
    fn new(tag: &str, tag_value: Option<&str>, path: String, message: String) -> Self {
        let what = match (tag, tag_value) {
            ("type", Some(event_type)) => format!("`{event_type}` event"),
            ("type", None) => "event".to_owned(),
            (tag, Some(value)) => format!("content with {tag} `{value}`"),
            (tag, None) => format!("content (by its `{tag}`)"),
        };
        let event_type = match tag {
            "type" => tag_value.map(str::to_owned),
            _ => None,
        };
        DispatchError {
            what,
            event_type,
            path,
            message,
        }
    }
}

/// The error of a value read by its `tag`, at the `path` the read went down to the fault.
fn error(tag: &str, tag_value: Option<&str>, path: String, err: serde_json::Error) -> DispatchError {
    let message = err.to_string();
    // A value read by its tag inside this one (a content by its `msgtype`, or, when this is
    // a value read as an `Any…` enum, the event by its `type`) failed with a `DispatchError` of
    // its own, which reached here as serde's error text ("invalid … at `path`: message"):
    // join its path onto this one.
    match nested(&message) {
        Some((inner_path, inner_message)) => {
            let path = match (path.is_empty(), inner_path.is_empty()) {
                (true, _) => inner_path.to_owned(),
                (false, true) => path,
                (false, false) => format!("{path}.{inner_path}"),
            };
            DispatchError::new(tag, tag_value, path, inner_message.to_owned())
        }
        None => DispatchError::new(tag, tag_value, path, message),
    }
}

/// The path and message of the text of a [`DispatchError`]: "invalid `m.x` event at
/// `content.body`: …", "invalid content with msgtype `m.text`: …"; `None` for other text.
fn nested(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix("invalid ")?;
    let event = rest.starts_with("event: ")
        || rest.starts_with("event at `")
        || (rest.starts_with('`') && rest[1..].find("` event").is_some());
    if !(event || rest.starts_with("content with ") || rest.starts_with("content (by its `")) {
        return None;
    }
    match (rest.find(" at `"), rest.find(": ")) {
        (Some(at), colon) if colon.map_or(true, |colon| at < colon) => {
            let start = at + " at `".len();
            let end = start + rest[start..].find("`: ")?;
            Some((&rest[start..end], &rest[end + "`: ".len()..]))
        }
        (_, Some(colon)) => Some(("", &rest[colon + ": ".len()..])),
        (_, None) => None,
    }
}

/// Why `json` (valid JSON) does not read as `T`, which a first read said in `first`: read
/// again through a [`Content`] with the path tracked, for an error naming the event type and
/// the path of the field at fault.
pub(crate) fn explain<'de, T: Deserialize<'de>>(
    json: &'de str,
    first: serde_json::Error,
) -> DispatchError {
    let content = match Content::deserialize(&mut serde_json::Deserializer::from_str(json)) {
        Ok(content) => content,
        Err(err) => return error("type", None, String::new(), err),
    };
    let event_type = content.get("type").and_then(Json::as_str);
    match read_content_as::<T>(&content, "type", event_type) {
        Err(err) => err,
        // Cannot happen (the same input read the same way): the first error, without a path.
        Ok(_) => error("type", event_type, String::new(), first),
    }
}

/// What [`tag`] and [`content_tag`] look at in a JSON value, parsed or read into a [`Content`].
trait Json {
    /// What kind of value it is, for errors: `an object`, `a string`, ...
    fn kind(&self) -> &'static str;
    fn is_object(&self) -> bool;
    /// The value at `key` of an object; `None` for anything else.
    fn field(&self, key: &str) -> Option<&Self>;
    fn as_str(&self) -> Option<&str>;
}

impl Json for Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    fn is_object(&self) -> bool {
        Value::is_object(self)
    }

    fn field(&self, key: &str) -> Option<&Value> {
        Value::get(self, key)
    }

    fn as_str(&self) -> Option<&str> {
        Value::as_str(self)
    }
}

/// The string at `tag` of the object `value`, or the error that says what is there instead.
fn tag_of<'v, J: Json>(value: &'v J, tag: &str) -> Result<&'v str, DispatchError> {
    let error =
        |path: &str, message: String| DispatchError::new(tag, None, path.to_owned(), message);
    if !value.is_object() {
        return Err(error(
            "",
            format!("expected a JSON object, found {}", value.kind()),
        ));
    }
    match value.field(tag) {
        Some(found) => found
            .as_str()
            .ok_or_else(|| error(tag, format!("expected a string, found {}", found.kind()))),
        None => Err(error("", format!("missing field `{tag}`"))),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading through serde: the value is read once into a `Content` (strings borrowed from the
// input where they can be, objects as lists of entries, duplicate keys rejected), the tag is
// looked up in it, and the chosen type is read from it by reference. This costs far less than
// a `serde_json::Value` (no allocation per key or string, no ordered map), and the path to a
// fault is only tracked when the read fails (then it is read again to find where). Every type
// is read through the one deserializer `ContentRef`, so the crate compiles one copy of each
// type's deserializer for dispatch (see BENCHMARKS.md).

/// A JSON value as read, for choosing a type by one of its fields before reading it as that
/// type. Strings without escapes borrow from the input; objects keep their entries in order.
#[doc(hidden)]
pub enum Content<'de> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(&'de str),
    String(String),
    Seq(Vec<Content<'de>>),
    Map(Vec<(Key<'de>, Content<'de>)>),
}

impl<'de> Content<'de> {
    /// The content of a parsed value, borrowing its strings.
    pub fn from_value(value: &'de Value) -> Self {
        match value {
            Value::Null => Content::Null,
            Value::Bool(value) => Content::Bool(*value),
            Value::Number(number) => match (number.as_u64(), number.as_i64(), number.as_f64()) {
                (Some(value), _, _) => Content::U64(value),
                (None, Some(value), _) => Content::I64(value),
                (None, None, Some(value)) => Content::F64(value),
                (None, None, None) => Content::Null,
            },
            Value::String(value) => Content::Str(value),
            Value::Array(items) => Content::Seq(items.iter().map(Content::from_value).collect()),
            Value::Object(entries) => Content::Map(
                entries
                    .iter()
                    .map(|(key, value)| (Key::Borrowed(key), Content::from_value(value)))
                    .collect(),
            ),
        }
    }

    /// The value at `key` of an object; `None` for anything else.
    pub fn get(&self, key: &str) -> Option<&Content<'de>> {
        match self {
            Content::Map(entries) => entries
                .iter()
                .find(|(name, _)| name.as_str() == key)
                .map(|(_, value)| value),
            _ => None,
        }
    }

    /// The error for this content where `expected` was asked for.
    fn invalid_type<T>(&self, expected: &dyn Expected) -> Result<T, serde_json::Error> {
        let unexpected = match self {
            Content::Null => Unexpected::Unit,
            Content::Bool(value) => Unexpected::Bool(*value),
            Content::U64(value) => Unexpected::Unsigned(*value),
            Content::I64(value) => Unexpected::Signed(*value),
            Content::F64(value) => Unexpected::Float(*value),
            Content::Str(value) => Unexpected::Str(value),
            Content::String(value) => Unexpected::Str(value),
            Content::Seq(_) => Unexpected::Seq,
            Content::Map(_) => Unexpected::Map,
        };
        Err(de::Error::invalid_type(unexpected, expected))
    }
}

impl Json for Content<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Content::Null => "null",
            Content::Bool(_) => "a boolean",
            Content::U64(_) | Content::I64(_) | Content::F64(_) => "a number",
            Content::Str(_) | Content::String(_) => "a string",
            Content::Seq(_) => "an array",
            Content::Map(_) => "an object",
        }
    }

    fn is_object(&self) -> bool {
        matches!(self, Content::Map(_))
    }

    fn field(&self, key: &str) -> Option<&Self> {
        self.get(key)
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Content::Str(value) => Some(value),
            Content::String(value) => Some(value),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Content<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ContentVisitor)
    }
}

/// The entries an object's list has room for at first (an event has 5 to 8 top-level keys).
const MAP_CAPACITY: usize = 8;

/// Objects with this many keys find duplicates through a set rather than by a scan.
const SCAN_KEYS: usize = 24;

struct ContentVisitor;

impl<'de> Visitor<'de> for ContentVisitor {
    type Value = Content<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Content<'de>, E> {
        Ok(Content::Null)
    }

    fn visit_none<E>(self) -> Result<Content<'de>, E> {
        Ok(Content::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Content<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Content<'de>, E> {
        Ok(Content::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Content<'de>, E> {
        // As `serde_json::Value` keeps it: non-negative integers are unsigned.
        Ok(if value >= 0 {
            Content::U64(value as u64)
        } else {
            Content::I64(value)
        })
    }

    fn visit_u64<E>(self, value: u64) -> Result<Content<'de>, E> {
        Ok(Content::U64(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Content<'de>, E> {
        // As `serde_json::Value` keeps it: a float that is no JSON number is null.
        Ok(if value.is_finite() {
            Content::F64(value)
        } else {
            Content::Null
        })
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Content<'de>, E> {
        Ok(Content::Str(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Content<'de>, E> {
        Ok(Content::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Content<'de>, E> {
        Ok(Content::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Content<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element::<Content<'de>>()? {
            items.push(item);
        }
        Ok(Content::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Content<'de>, A::Error> {
        // Room for the keys of most objects of an event, so that the list is not grown.
        let mut entries: Vec<(Key<'de>, Content<'de>)> = Vec::with_capacity(MAP_CAPACITY);
        // Duplicate keys are errors, as in `serde_helpers::UniqueKeys`.
        let mut seen: Option<HashSet<String>> = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let value = map.next_value::<Content<'de>>()?;
            let duplicate = match &mut seen {
                Some(seen) => !seen.insert(key.as_str().to_owned()),
                None => entries
                    .iter()
                    .any(|(name, _)| name.as_str() == key.as_str()),
            };
            if duplicate {
                return Err(de::Error::custom(format_args!(
                    "duplicate key `{}`",
                    key.as_str()
                )));
            }
            entries.push((key, value));
            if seen.is_none() && entries.len() >= SCAN_KEYS {
                seen = Some(
                    entries
                        .iter()
                        .map(|(name, _)| name.as_str().to_owned())
                        .collect(),
                );
            }
        }
        Ok(Content::Map(entries))
    }
}

/// `Deserializer` methods, each calling `$to(self, visitor)`: `$to => deserialize_bool
/// deserialize_tuple;`. The names, lengths, fields and variants that some methods are also
/// given (as in serde's `forward_to_deserialize_any!`) are not needed.
macro_rules! forward_to {
    ($($to:expr => $($method:ident)*;)*) => {$($(forward_to!(@ $to, $method);)*)*};
    (@ $to:expr, deserialize_unit_struct) => {
        forward_to!(@ $to, deserialize_unit_struct, _name: &'static str);
    };
    (@ $to:expr, deserialize_newtype_struct) => {
        forward_to!(@ $to, deserialize_newtype_struct, _name: &'static str);
    };
    (@ $to:expr, deserialize_tuple) => {
        forward_to!(@ $to, deserialize_tuple, _len: usize);
    };
    (@ $to:expr, deserialize_tuple_struct) => {
        forward_to!(@ $to, deserialize_tuple_struct, _name: &'static str, _len: usize);
    };
    (@ $to:expr, deserialize_struct) => {
        forward_to!(
            @ $to, deserialize_struct, _name: &'static str, _fields: &'static [&'static str]
        );
    };
    (@ $to:expr, deserialize_enum) => {
        forward_to!(
            @ $to, deserialize_enum, _name: &'static str, _variants: &'static [&'static str]
        );
    };
    (@ $to:expr, $method:ident $(, $arg:ident: $type:ty)*) => {
        fn $method<V: Visitor<'de>>(
            self,
            $($arg: $type,)*
            visitor: V,
        ) -> Result<V::Value, Self::Error> {
            $to(self, visitor)
        }
    };
}

/// The path a read went down, kept only when asked for (the second read after a failure):
/// keys and indices are pushed going down and popped when their value was read; the first
/// failure leaves the path where it happened. What `serde_path_to_error` does, without a
/// second set of deserializers for every type.
struct Track<'a> {
    path: RefCell<Vec<Segment<'a>>>,
    failed: Cell<bool>,
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> Track<'a> {
    fn new() -> Self {
        Track {
            path: RefCell::new(Vec::new()),
            failed: Cell::new(false),
        }
    }

    /// Reads the value at `segment` with `read`, keeping the segment on the path if it fails.
    /// Generic only in what it must be: the tracking itself is in `enter` and `leave`.
    fn at<T, E>(
        track: Option<&Self>,
        segment: Segment<'a>,
        read: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        let Some(track) = track else {
            return read();
        };
        let entered = track.enter(segment);
        let result = read();
        if entered {
            track.leave(result.is_ok());
        }
        result
    }

    /// Goes down to `segment`, unless a failure was already found; whether it went.
    fn enter(&self, segment: Segment<'a>) -> bool {
        if self.failed.get() {
            return false;
        }
        self.path.borrow_mut().push(segment);
        true
    }

    /// Comes back up from the last segment if its value was read; stays there if it failed.
    fn leave(&self, read: bool) {
        if read {
            self.path.borrow_mut().pop();
        } else {
            self.failed.set(true);
        }
    }

    /// The path as `serde_path_to_error` writes it (`content.info.size`, `list[2].name`);
    /// empty for the value itself.
    fn path(&self) -> String {
        let mut out = String::new();
        for segment in self.path.borrow().iter() {
            match segment {
                Segment::Key(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Segment::Index(index) => out.push_str(&format!("[{index}]")),
            }
        }
        out
    }
}

/// Reads a type from a [`Content`] by reference, as `serde_json::Value` would be read, and
/// tracks the path when given a [`Track`].
#[derive(Clone, Copy)]
struct ContentRef<'a, 'de> {
    content: &'a Content<'de>,
    track: Option<&'a Track<'a>>,
}

/// `content` read as `T`, tracking the path when given a [`Track`].
fn deserialize_content<'a, 'de, T: Deserialize<'de>>(
    content: &'a Content<'de>,
    track: Option<&'a Track<'a>>,
) -> Result<T, serde_json::Error> {
    T::deserialize(ContentRef { content, track })
}

impl<'de> Deserializer<'de> for ContentRef<'_, 'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.content {
            Content::Null => visitor.visit_unit(),
            Content::Bool(value) => visitor.visit_bool(*value),
            Content::U64(value) => visitor.visit_u64(*value),
            Content::I64(value) => visitor.visit_i64(*value),
            Content::F64(value) => visitor.visit_f64(*value),
            Content::Str(value) => visitor.visit_borrowed_str(value),
            Content::String(value) => visitor.visit_str(value),
            Content::Seq(items) => visit_items(items, self.track, visitor),
            Content::Map(entries) => visit_entries(entries, self.track, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.content {
            Content::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.content {
            Content::Str(_) | Content::String(_) => visit_unit_variant(self, visitor),
            Content::Map(entries) => match entries.as_slice() {
                [(key, value)] => visitor.visit_enum(EnumRef {
                    variant: KeyRef(key),
                    value: Some(ContentRef {
                        content: value,
                        track: self.track,
                    }),
                }),
                _ => Err(de::Error::invalid_value(
                    Unexpected::Map,
                    &"map with a single key",
                )),
            },
            other => other.invalid_type(&"string or map"),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    // The rest as `&serde_json::Value` reads them: the kind asked for, or an error.
    forward_to! {
        Self::visit_bool => deserialize_bool;
        Self::visit_number => deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
            deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
            deserialize_u128 deserialize_f32 deserialize_f64;
        Self::visit_string => deserialize_char deserialize_str deserialize_string
            deserialize_identifier;
        Self::visit_bytes => deserialize_bytes deserialize_byte_buf;
        Self::visit_unit => deserialize_unit deserialize_unit_struct;
        Self::visit_seq => deserialize_seq deserialize_tuple deserialize_tuple_struct;
        Self::visit_map => deserialize_map;
        Self::visit_struct => deserialize_struct;
        visit_newtype => deserialize_newtype_struct;
    }
}

// Each reads one kind of content, with the visitor method that fits it, and rejects the
// others. Calling only that method (not `deserialize_any`) keeps the visitor's other methods
// out of the build: a struct's visitor is compiled with `visit_map` and `visit_seq` alone.
impl<'de> ContentRef<'_, 'de> {
    fn visit_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self.content {
            Content::Bool(value) => visitor.visit_bool(*value),
            other => other.invalid_type(&visitor),
        }
    }

    fn visit_number<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self.content {
            Content::U64(value) => visitor.visit_u64(*value),
            Content::I64(value) => visitor.visit_i64(*value),
            Content::F64(value) => visitor.visit_f64(*value),
            other => other.invalid_type(&visitor),
        }
    }

    fn visit_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self.content {
            Content::Str(value) => visitor.visit_borrowed_str(value),
            Content::String(value) => visitor.visit_str(value),
            other => other.invalid_type(&visitor),
        }
    }

    /// A string, or an array (of bytes).
    fn visit_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self.content {
            Content::Seq(items) => visit_items(items, self.track, visitor),
            _ => self.visit_string(visitor),
        }
    }

    fn visit_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self.content {
            Content::Null => visitor.visit_unit(),
            other => other.invalid_type(&visitor),
        }
    }

    fn visit_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self.content {
            Content::Seq(items) => visit_items(items, self.track, visitor),
            other => other.invalid_type(&visitor),
        }
    }

    fn visit_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self.content {
            Content::Map(entries) => visit_entries(entries, self.track, visitor),
            other => other.invalid_type(&visitor),
        }
    }

    /// An object, or an array (of the fields in order).
    fn visit_struct<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self.content {
            Content::Seq(items) => visit_items(items, self.track, visitor),
            _ => self.visit_map(visitor),
        }
    }
}

/// A newtype struct, read from what it wraps.
fn visit_newtype<'de, D: Deserializer<'de>, V: Visitor<'de>>(
    deserializer: D,
    visitor: V,
) -> Result<V::Value, D::Error> {
    visitor.visit_newtype_struct(deserializer)
}

/// An enum read from a string: the unit variant it names.
fn visit_unit_variant<'de, N, V>(variant: N, visitor: V) -> Result<V::Value, serde_json::Error>
where
    N: Deserializer<'de, Error = serde_json::Error>,
    V: Visitor<'de>,
{
    visitor.visit_enum(EnumRef {
        variant,
        value: None,
    })
}

/// An array's items through `visitor`, which must read them all.
fn visit_items<'a, 'de, V: Visitor<'de>>(
    items: &'a [Content<'de>],
    track: Option<&'a Track<'a>>,
    visitor: V,
) -> Result<V::Value, serde_json::Error> {
    let mut seq = SeqRef {
        items: items.iter().enumerate(),
        track,
    };
    let value = visitor.visit_seq(&mut seq)?;
    all_read(
        value,
        seq.items.len(),
        items.len(),
        "fewer elements in array",
    )
}

/// An object's entries through `visitor`, which must read them all.
fn visit_entries<'a, 'de, V: Visitor<'de>>(
    entries: &'a [(Key<'de>, Content<'de>)],
    track: Option<&'a Track<'a>>,
    visitor: V,
) -> Result<V::Value, serde_json::Error> {
    let mut map = MapRef {
        entries: entries.iter(),
        value: None,
        track,
    };
    let value = visitor.visit_map(&mut map)?;
    all_read(
        value,
        map.entries.len(),
        entries.len(),
        "fewer elements in map",
    )
}

/// `value`, read by a visitor from `len` elements of which it left `left` unread: an error
/// unless it read them all.
fn all_read<T>(
    value: T,
    left: usize,
    len: usize,
    expected: &'static str,
) -> Result<T, serde_json::Error> {
    if left == 0 {
        Ok(value)
    } else {
        Err(de::Error::invalid_length(len, &expected))
    }
}

/// `seed` read from `content`, the value at `segment` of the path.
fn read_at<'a, 'de, T: DeserializeSeed<'de>>(
    seed: T,
    content: &'a Content<'de>,
    segment: Segment<'a>,
    track: Option<&'a Track<'a>>,
) -> Result<T::Value, serde_json::Error> {
    Track::at(track, segment, || {
        seed.deserialize(ContentRef { content, track })
    })
}

struct SeqRef<'a, 'de> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Content<'de>>>,
    track: Option<&'a Track<'a>>,
}

impl<'de> SeqAccess<'de> for SeqRef<'_, 'de> {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        let Some((index, item)) = self.items.next() else {
            return Ok(None);
        };
        read_at(seed, item, Segment::Index(index), self.track).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapRef<'a, 'de> {
    entries: std::slice::Iter<'a, (Key<'de>, Content<'de>)>,
    value: Option<(&'a str, &'a Content<'de>)>,
    track: Option<&'a Track<'a>>,
}

impl<'de> MapAccess<'de> for MapRef<'_, 'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some((key.as_str(), value));
                seed.deserialize(KeyRef(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let Some((key, value)) = self.value.take() else {
            return Err(de::Error::custom("value is missing"));
        };
        read_at(seed, value, Segment::Key(key), self.track)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An object key, read as `serde_json::Value` reads its keys (numbers and booleans in quotes
/// are read as such when asked for).
#[derive(Clone, Copy)]
struct KeyRef<'a, 'de>(&'a Key<'de>);

impl KeyRef<'_, '_> {
    /// The key as a number, if it is one in quotes.
    fn number(self) -> Result<serde_json::Number, serde_json::Error> {
        let key = self.0.as_str();
        let numeric = key.starts_with(|c: char| c.is_ascii_digit() || c == '-')
            && key.ends_with(|c: char| c.is_ascii_digit());
        numeric
            .then(|| serde_json::from_str::<serde_json::Number>(key).ok())
            .flatten()
            .ok_or_else(|| de::Error::custom("expected key to be a number in quotes"))
    }
}

/// `Deserializer` methods that read a key as a number in quotes, as `serde_json::Number`
/// reads a number with the same method.
macro_rules! numeric_key {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            self.number()?.$method(visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for KeyRef<'_, 'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Key::Borrowed(key) => visitor.visit_borrowed_str(key),
            Key::Owned(key) => visitor.visit_str(key),
        }
    }

    numeric_key! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0.as_str() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            other => Err(de::Error::invalid_type(Unexpected::Str(other), &visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        // Map keys cannot be null.
        visitor.visit_some(self)
    }

    forward_to! {
        visit_newtype => deserialize_newtype_struct;
        visit_unit_variant => deserialize_enum;
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

/// An enum read from a string (a unit variant) or an object of one key (the variant and its
/// value), as `serde_json::Value` reads enums.
struct EnumRef<'a, 'de, N> {
    variant: N,
    value: Option<ContentRef<'a, 'de>>,
}

impl<'a, 'de, N: Deserializer<'de, Error = serde_json::Error>> EnumAccess<'de>
    for EnumRef<'a, 'de, N>
{
    type Error = serde_json::Error;
    type Variant = VariantRef<'a, 'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, VariantRef<'a, 'de>), Self::Error> {
        let variant = seed.deserialize(self.variant)?;
        Ok((variant, VariantRef(self.value)))
    }
}

struct VariantRef<'a, 'de>(Option<ContentRef<'a, 'de>>);

impl<'de> VariantAccess<'de> for VariantRef<'_, 'de> {
    type Error = serde_json::Error;

    fn unit_variant(self) -> Result<(), Self::Error> {
        match self.0 {
            Some(value) => <()>::deserialize(value),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        seed.deserialize(self.value("newtype variant")?)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.value("tuple variant")?.visit_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.value("struct variant")?.visit_map(visitor)
    }
}

impl<'a, 'de> VariantRef<'a, 'de> {
    /// The variant's value; a unit variant (a bare string) has none, where `expected` needs one.
    fn value(self, expected: &'static str) -> Result<ContentRef<'a, 'de>, serde_json::Error> {
        self.0
            .ok_or_else(|| de::Error::invalid_type(Unexpected::UnitVariant, &expected))
    }
}

/// [`tag`] for a [`Content`]: the string at `tag` of the object `content`.
#[doc(hidden)]
pub fn content_tag<'c>(content: &'c Content<'_>, tag: &str) -> Result<&'c str, DispatchError> {
    tag_of(content, tag)
}

/// `content` read as `T`; on failure, read again with the path tracked, for the error.
fn read_content_as<'de, T: Deserialize<'de>>(
    content: &Content<'de>,
    tag: &str,
    tag_value: Option<&str>,
) -> Result<T, DispatchError> {
    let first = match deserialize_content(content, None) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    let track = Track::new();
    let (path, err) = match deserialize_content::<T>(content, Some(&track)) {
        Err(err) => (track.path(), err),
        // Cannot happen (the same input read the same way): the first error, without a path.
        Ok(_) => (String::new(), first),
    };
    Err(error(tag, tag_value, path, err))
}

/// [`read`] for a [`Content`].
#[doc(hidden)]
pub fn read_content<'de, T: Deserialize<'de>>(
    content: &Content<'de>,
    tag: &str,
    tag_value: &str,
) -> Result<Box<T>, DispatchError> {
    read_content_as(content, tag, Some(tag_value)).map(Box::new)
}

/// [`read_unknown`] for a [`Content`].
#[doc(hidden)]
pub fn read_unknown_content<'de, T: Deserialize<'de>>(
    content: &Content<'de>,
    tag: &str,
) -> Result<Box<T>, DispatchError> {
    read_content_as(content, tag, None).map(Box::new)
}

/// [`read_event`] for a [`Content`].
#[doc(hidden)]
pub fn read_event_content<'de, T: Deserialize<'de>>(
    content: &Content<'de>,
    event_type: &str,
) -> Result<ReadEvent<T>, DispatchError> {
    let redacted = content
        .get("unsigned")
        .and_then(|unsigned| unsigned.get("redacted_because"))
        .is_some();
    if !redacted {
        return read_content(content, "type", event_type).map(ReadEvent::Typed);
    }
    match deserialize_content(content, None) {
        Ok(event) => Ok(ReadEvent::Typed(Box::new(event))),
        Err(_) => read_unknown_content(content, "type").map(ReadEvent::Redacted),
    }
}

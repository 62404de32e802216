//! [`Raw<T>`]: the JSON of a value kept exactly as it was received, typed when asked.
//!
//! The API types carry events as `Raw<AnySyncTimelineEvent>` and the like: reading a `/sync`
//! response checks that each event is JSON and keeps its text, without reading the event. A
//! malformed event therefore never fails the response that carries it; its own
//! [`Raw::deserialize`] says what is wrong with it (its event type and the path of the field).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::dispatch::{self, DispatchError};

/// The JSON text of a `T`, kept as received and written back byte for byte.
///
/// ```text
/// let event: AnySyncTimelineEvent = raw.deserialize()?;        // the whole event, typed
/// let kind: Option<&str> = raw.get_field("type")?;             // one field, nothing else read
/// let text: &str = raw.json().get();                           // the JSON as received
/// ```
pub struct Raw<T> {
    json: Box<RawValue>,
    _type: PhantomData<fn() -> T>,
}

impl<T> Raw<T> {
    /// Takes JSON text as it is.
    pub fn from_json(json: Box<RawValue>) -> Self {
        Raw {
            json,
            _type: PhantomData,
        }
    }

    /// Takes JSON text, checking only that it is JSON.
    pub fn from_json_string(json: String) -> Result<Self, serde_json::Error> {
        RawValue::from_string(json).map(Self::from_json)
    }

    /// The JSON text.
    pub fn json(&self) -> &RawValue {
        &self.json
    }

    /// The JSON text, owned.
    pub fn into_json(self) -> Box<RawValue> {
        self.json
    }

    /// The same JSON, to be read as another type: a content sent as an event's, an event
    /// of a known type as one of its `Any…` enum.
    pub fn cast<U>(self) -> Raw<U> {
        Raw::from_json(self.json)
    }

    /// The value of the top-level field `name`, read as `F` without reading the rest (`None`
    /// when the JSON is an object without it). Strings borrow from the JSON when they can:
    /// `raw.get_field::<&str>("type")`.
    pub fn get_field<'a, F: Deserialize<'a>>(
        &'a self,
        name: &str,
    ) -> Result<Option<F>, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(self.json.get());
        FieldSeed {
            name,
            _type: PhantomData,
        }
        .deserialize(&mut deserializer)
    }

    /// The value, typed as `T`. An error names the event type (the JSON's `type`, when it has
    /// one), the path of the field at fault (`content.body`) and what is wrong there.
    pub fn deserialize<'a>(&'a self) -> Result<T, DispatchError>
    where
        T: Deserialize<'a>,
    {
        self.deserialize_as()
    }

    /// The value, typed as `U` ([`Raw::deserialize`] for another type).
    pub fn deserialize_as<'a, U: Deserialize<'a>>(&'a self) -> Result<U, DispatchError> {
        let json = self.json.get();
        match serde_json::from_str(json) {
            Ok(value) => Ok(value),
            // Read again, tracking the path, only when the fast read failed.
            Err(err) => Err(dispatch::explain::<U>(json, err)),
        }
    }
}

impl<T: Serialize> Raw<T> {
    /// The JSON of `value`.
    pub fn new(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::value::to_raw_value(value).map(Self::from_json)
    }
}

impl<T> Clone for Raw<T> {
    fn clone(&self) -> Self {
        Raw::from_json(self.json.clone())
    }
}

/// Two `Raw`s are equal when their JSON texts are.
impl<T> PartialEq for Raw<T> {
    fn eq(&self, other: &Self) -> bool {
        self.json.get() == other.json.get()
    }
}

impl<T> Eq for Raw<T> {}

impl<T> fmt::Debug for Raw<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Raw").field(&self.json.get()).finish()
    }
}

impl<T> Serialize for Raw<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(serializer)
    }
}

impl<'de, T> Deserialize<'de> for Raw<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(Raw::from_json)
    }
}

/// Reads the field `name` of an object, skipping the others.
struct FieldSeed<'n, F> {
    name: &'n str,
    _type: PhantomData<fn() -> F>,
}

impl<'de, F: Deserialize<'de>> DeserializeSeed<'de> for FieldSeed<'_, F> {
    type Value = Option<F>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<F>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, F: Deserialize<'de>> Visitor<'de> for FieldSeed<'_, F> {
    type Value = Option<F>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object (for its field `{}`)", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<F>, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<crate::serde_helpers::Key<'de>>()? {
            if key.as_str() == self.name {
                if found.is_some() {
                    return Err(de::Error::custom(format_args!(
                        "duplicate field `{}`",
                        self.name
                    )));
                }
                found = Some(map.next_value::<F>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Point {
        x: u8,
        y: u8,
    }

    #[test]
    fn written_back_byte_for_byte() {
        let text = r#"{ "y":2,  "x" : 1 ,"z":[1.0, 1e2]}"#;
        let raw: Raw<Point> = serde_json::from_str(text).unwrap();
        assert_eq!(raw.json().get(), text);
        assert_eq!(serde_json::to_string(&raw).unwrap(), text);
        let list: Vec<Raw<Point>> = serde_json::from_str(&format!("[{text}]")).unwrap();
        assert_eq!(serde_json::to_string(&list).unwrap(), format!("[{text}]"));
    }

    #[test]
    fn typed_on_demand() {
        let raw: Raw<Point> = Raw::from_json_string(r#"{"x":1,"y":2}"#.to_owned()).unwrap();
        assert_eq!(raw.deserialize().unwrap(), Point { x: 1, y: 2 });
        assert_eq!(Raw::new(&Point { x: 1, y: 2 }).unwrap(), raw);
    }

    #[test]
    fn one_field_without_the_rest() {
        let raw: Raw<Point> =
            Raw::from_json_string(r#"{"type":"m.x","x":"not a number","y":[]}"#.to_owned())
                .unwrap();
        assert_eq!(raw.get_field::<&str>("type").unwrap(), Some("m.x"));
        assert_eq!(raw.get_field::<u8>("missing").unwrap(), None);
        assert!(raw.get_field::<u8>("x").is_err());
        let not_object: Raw<Point> = Raw::from_json_string("[1]".to_owned()).unwrap();
        assert!(not_object.get_field::<u8>("x").is_err());
        let twice: Raw<Point> = Raw::from_json_string(r#"{"x":1,"x":2}"#.to_owned()).unwrap();
        let err = twice.get_field::<u8>("x").unwrap_err();
        assert!(err.to_string().contains("duplicate field `x`"), "{err}");
    }

    #[test]
    fn an_error_names_the_event_type_and_the_path() {
        let raw: Raw<Point> =
            Raw::from_json_string(r#"{"type":"m.point","x":1,"y":"two"}"#.to_owned()).unwrap();
        let err = raw.deserialize().unwrap_err();
        assert_eq!(err.event_type(), Some("m.point"));
        assert_eq!(err.path(), "y");
        assert!(err.to_string().contains("`m.point`"), "{err}");
    }
}

//! Rust types for the Matrix protocol, generated from the schemas of the
//! [Matrix specification](https://spec.matrix.org).
//!
//! # Quick start
//!
//! Read an event, answer it with a text message, and build the request that sends it:
//!
//! ```
//! # #[cfg(feature = "client-server")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use matrix_types::api::Request;
//! use matrix_types::client_server::SendMessageRequest;
//! use matrix_types::events::{
//!     AnySyncMessageLikeEvent, AnySyncTimelineEvent, RoomMessageEventContent,
//!     RoomMessageTextEventContent,
//! };
//!
//! // An event of a room's timeline, as `/sync` sends it.
//! let json = r#"{
//!     "type": "m.room.message",
//!     "event_id": "$143273582443PhrSn:example.org",
//!     "sender": "@alice:example.org",
//!     "origin_server_ts": 1432735824653,
//!     "content": {"msgtype": "m.text", "body": "ping"}
//! }"#;
//! let event: AnySyncTimelineEvent = serde_json::from_str(json)?;
//! let AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(message)) = event
//! else {
//!     return Err("not a message".into());
//! };
//! let RoomMessageEventContent::Text(text) = &message.content else {
//!     return Err("not a text message".into());
//! };
//! assert_eq!(text.body, "ping");
//! assert_eq!(message.sender.as_str(), "@alice:example.org");
//!
//! // The answer; its request fills in the event type (`m.room.message`) from the content's type.
//! let answer = RoomMessageTextEventContent::new("pong".to_owned());
//! let request = SendMessageRequest::new("!room:example.org".parse()?, "txn-1".to_owned(), &answer)?;
//! let http = request.try_into_http_request("https://matrix.example.org", Some("access-token"))?;
//! assert_eq!(http.method().as_str(), "PUT");
//! assert_eq!(
//!     http.uri().path(),
//!     "/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/txn-1"
//! );
//! let body: serde_json::Value = serde_json::from_slice(http.body())?;
//! assert_eq!(body, serde_json::json!({"msgtype": "m.text", "body": "pong"}));
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "client-server"))]
//! # fn main() {}
//! ```
//!
//! A response is read the same way, from its status, headers and body:
//! `SyncResponse::from_parts(200, &headers, &body)` gives the `/sync` response, whose
//! timeline events are [`Raw`], each typed on demand with `raw.deserialize()`.
//!
//! # What is in it
//!
//! Every event schema of the spec becomes an event struct (the common fields of its kind of
//! event, a typed `content`, and its type string as [`MatrixEvent::EVENT_TYPE`]) and the types
//! its content needs. Fields the spec does not define are kept in each struct's `extra` map,
//! so an event read and written back loses nothing.
//!
//! Each API (`client-server`, `server-server`, `application-service`, `identity`,
//! `push-gateway`) and each group of events (`voip`, `e2ee`, `key-verification`, `policy`,
//! `spaces`, `image-packs`; `all-events` is all of them) is a cargo feature, all on by default.
//! With a group off, its events read as the `Any…` enums' `Unknown` variant, kept whole.
//!
//! The modules are written by `cargo xtask gen` from a spec checkout; this file is the
//! hand-written frame around them. [`SPEC_VERSION`] and [`SPEC_COMMIT`] say which spec they
//! were generated from.

// Field types nest as deep as the spec's maps of maps do (`BTreeMap<UserId, BTreeMap<String,
// …>>`); a type alias per field would only hide the structure the spec documents.
#![allow(clippy::type_complexity)]

#[cfg(not(matrix_types_generated))]
compile_error!(
    "the generated modules are missing: run `cargo xtask gen` in the repository root to generate them from the Matrix spec"
);

// Generated modules are formatted by the generator; `cargo fmt` leaves them as written so
// that `cargo xtask gen --check` stays clean.
#[cfg(matrix_types_generated)]
#[rustfmt::skip]
pub mod events;

#[cfg(matrix_types_generated)]
#[rustfmt::skip]
pub mod common;

#[cfg(all(matrix_types_generated, feature = "client-server"))]
#[rustfmt::skip]
pub mod client_server;

#[cfg(all(matrix_types_generated, feature = "server-server"))]
#[rustfmt::skip]
pub mod server_server;

#[cfg(all(matrix_types_generated, feature = "application-service"))]
#[rustfmt::skip]
pub mod application_service;

#[cfg(all(matrix_types_generated, feature = "identity"))]
#[rustfmt::skip]
pub mod identity;

#[cfg(all(matrix_types_generated, feature = "push-gateway"))]
#[rustfmt::skip]
pub mod push_gateway;

#[cfg(all(matrix_types_generated, feature = "api"))]
pub mod api;

#[cfg(all(matrix_types_generated, feature = "schema-index"))]
#[rustfmt::skip]
pub mod schema_index;

// `SPEC_VERSION` and `SPEC_COMMIT`: which spec the modules were generated from.
#[cfg(matrix_types_generated)]
#[rustfmt::skip]
mod spec_version;

#[cfg(matrix_types_generated)]
pub use spec_version::{SPEC_COMMIT, SPEC_VERSION};

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// An event type generated from one of the spec's event schemas.
pub trait MatrixEvent {
    /// The event's `type` string, e.g. `m.room.member`.
    const EVENT_TYPE: &'static str;
    /// The type of the event's `content`.
    type Content;
}

/// The content of an event of one type: what is sent to a room, set as state or account data,
/// or sent to devices. Each generated event content implements it, with its event type, and
/// the trait of each kind its event is of ([`StateEventContent`], [`MessageLikeEventContent`],
/// ...), which the typed request builders ask for: `SendMessageRequest::new(room_id, txn_id,
/// &content)` fills in the event type.
pub trait EventContent: Serialize {
    /// The event type this is the content of, e.g. `m.room.message`.
    const EVENT_TYPE: &'static str;
}

/// The content of a state event (`m.room.name`, ...).
pub trait StateEventContent: EventContent {}

/// The content of a message-like room event (`m.room.message`, `m.reaction`, ...).
pub trait MessageLikeEventContent: EventContent {}

/// The content of global account data (`m.direct`, `m.ignored_user_list`, ...).
pub trait GlobalAccountDataEventContent: EventContent {}

/// The content of per-room account data (`m.tag`, `m.fully_read`, ...).
pub trait RoomAccountDataEventContent: EventContent {}

/// The content of an ephemeral room event (`m.typing`, `m.receipt`).
pub trait EphemeralRoomEventContent: EventContent {}

/// The content of a to-device event (`m.room_key_request`, `m.dummy`, ...).
pub trait ToDeviceEventContent: EventContent {}

/// The `type` field of an event `E`: always `E::EVENT_TYPE`, checked when read.
///
/// It takes no space; `EventTypeTag::default()` makes one.
pub struct EventTypeTag<E>(PhantomData<fn() -> E>);

impl<E: MatrixEvent> EventTypeTag<E> {
    /// The event type string this tag stands for.
    pub fn as_str(&self) -> &'static str {
        E::EVENT_TYPE
    }
}

impl<E> Default for EventTypeTag<E> {
    fn default() -> Self {
        EventTypeTag(PhantomData)
    }
}

impl<E> Clone for EventTypeTag<E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for EventTypeTag<E> {}

impl<E> PartialEq for EventTypeTag<E> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<E> Eq for EventTypeTag<E> {}

impl<E: MatrixEvent> fmt::Debug for EventTypeTag<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", E::EVENT_TYPE)
    }
}

impl<E: MatrixEvent> Serialize for EventTypeTag<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(E::EVENT_TYPE)
    }
}

impl<'de, E: MatrixEvent> Deserialize<'de> for EventTypeTag<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The visitor knows only the expected string, not `E`: one copy for every event type.
        struct TagVisitor(&'static str);

        impl Visitor<'_> for TagVisitor {
            type Value = ();

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "the event type {:?}", self.0)
            }

            fn visit_str<Err: de::Error>(self, value: &str) -> Result<(), Err> {
                if value == self.0 {
                    Ok(())
                } else {
                    Err(Err::invalid_value(de::Unexpected::Str(value), &self))
                }
            }
        }

        deserializer.deserialize_str(TagVisitor(E::EVENT_TYPE))?;
        Ok(EventTypeTag::default())
    }
}

/// Helpers the generated code names in `#[serde(...)]` attributes.
#[doc(hidden)]
pub mod serde_helpers {
    use std::marker::PhantomData;

    use serde::de::{self, DeserializeSeed, MapAccess};
    use serde::{Deserialize, Deserializer};

    /// An object key, borrowed from the input when it can be (no escapes in it).
    pub enum Key<'de> {
        Borrowed(&'de str),
        Owned(String),
    }

    impl Key<'_> {
        pub fn as_str(&self) -> &str {
            match self {
                Key::Borrowed(key) => key,
                Key::Owned(key) => key,
            }
        }

        pub fn into_string(self) -> String {
            match self {
                Key::Borrowed(key) => key.to_owned(),
                Key::Owned(key) => key,
            }
        }
    }

    impl<'de> Deserialize<'de> for Key<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct KeyVisitor;

            impl<'de> serde::de::Visitor<'de> for KeyVisitor {
                type Value = Key<'de>;

                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an object key")
                }

                fn visit_borrowed_str<E: serde::de::Error>(
                    self,
                    key: &'de str,
                ) -> Result<Key<'de>, E> {
                    Ok(Key::Borrowed(key))
                }

                fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                    Ok(Key::Owned(key.to_owned()))
                }

                fn visit_string<E: serde::de::Error>(self, key: String) -> Result<Key<'de>, E> {
                    Ok(Key::Owned(key))
                }
            }

            deserializer.deserialize_str(KeyVisitor)
        }
    }

    /// For an open string enum: any string, borrowed when the input allows, through the
    /// enum's `From<&str>` (which keeps a value it does not know).
    pub fn from_str_value<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: for<'a> From<&'a str>,
    {
        struct StrVisitor<T>(std::marker::PhantomData<fn() -> T>);

        impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for StrVisitor<T> {
            type Value = T;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
                Ok(T::from(value))
            }
        }

        deserializer.deserialize_str(StrVisitor(std::marker::PhantomData))
    }

    /// Reads any JSON value like `serde_json::Value` does, except that an object with a key
    /// twice is an error (`Value` keeps the last): a seed for `next_value_seed`. Free-form
    /// values and unknown fields are read with it, so they reject what the generated structs
    /// reject: two parsers that disagree on one input are a hazard for signed data.
    pub struct UniqueKeys;

    impl<'de> serde::de::DeserializeSeed<'de> for UniqueKeys {
        type Value = serde_json::Value;

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    impl<'de> serde::de::Visitor<'de> for UniqueKeys {
        type Value = serde_json::Value;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(serde_json::Value::Null)
        }

        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(serde_json::Value::Null)
        }

        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_any(self)
        }

        fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
            Ok(value.into())
        }

        fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
            Ok(value.into())
        }

        fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
            Ok(value.into())
        }

        fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
            Ok(serde_json::Number::from_f64(value).map_or(serde_json::Value::Null, Into::into))
        }

        fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
            Ok(value.into())
        }

        fn visit_string<E>(self, value: String) -> Result<Self::Value, E> {
            Ok(value.into())
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(item) = seq.next_element_seed(UniqueKeys)? {
                items.push(item);
            }
            Ok(serde_json::Value::Array(items))
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut object = serde_json::Map::new();
            while let Some(key) = map.next_key::<Key<'de>>()? {
                let value = map.next_value_seed(UniqueKeys)?;
                let key = key.into_string();
                if object.contains_key(&key) {
                    return Err(serde::de::Error::custom(format_args!(
                        "duplicate key `{key}`"
                    )));
                }
                object.insert(key, value);
            }
            Ok(serde_json::Value::Object(object))
        }
    }

    /// For an optional field that may also be `null`: a present field is `Some`, even when
    /// its value is `null` (`Some(None)`); an absent one stays `None` through `default`.
    pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(deserializer).map(Some)
    }

    // The pieces of the generated structs' `Deserialize` visitors. Each struct's visitor calls
    // these rather than spelling them out per field, so the build compiles one copy per field
    // type and reader, shared by every struct, instead of one per field of every struct.

    /// The free-form values of a struct's unknown fields, by key.
    type Extra = std::collections::BTreeMap<String, serde_json::Value>;

    /// Reads a field's value into its slot; a second occurrence of the key is an error.
    pub fn field<'de, A, T>(
        map: &mut A,
        slot: &mut Option<T>,
        name: &'static str,
    ) -> Result<(), A::Error>
    where
        A: MapAccess<'de>,
        T: Deserialize<'de>,
    {
        field_with(map, slot, name, PhantomData)
    }

    /// [`field`] for a free-form value (duplicate keys inside it rejected).
    pub fn free_form_field<'de, A: MapAccess<'de>>(
        map: &mut A,
        slot: &mut Option<serde_json::Value>,
        name: &'static str,
    ) -> Result<(), A::Error> {
        field_with(map, slot, name, UniqueKeys)
    }

    fn field_with<'de, A: MapAccess<'de>, S: DeserializeSeed<'de>>(
        map: &mut A,
        slot: &mut Option<S::Value>,
        name: &'static str,
        seed: S,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(name));
        }
        *slot = Some(map.next_value_seed(seed)?);
        Ok(())
    }

    /// Reads an optional field that the spec does not let be `null`: a `null` is kept as
    /// written among the unknown fields, so that the object is written back as it was read
    /// (signatures cover it).
    pub fn optional_field<'de, A, T>(
        map: &mut A,
        slot: &mut Option<T>,
        extra: &mut Extra,
        name: &'static str,
    ) -> Result<(), A::Error>
    where
        A: MapAccess<'de>,
        T: Deserialize<'de>,
    {
        if slot.is_some() || extra.contains_key(name) {
            return Err(de::Error::duplicate_field(name));
        }
        match map.next_value::<Option<T>>()? {
            Some(value) => *slot = Some(value),
            None => {
                extra.insert(name.to_owned(), serde_json::Value::Null);
            }
        }
        Ok(())
    }

    /// Reads an optional field as serde's derive does: `null` is the same as absent.
    pub fn lenient_optional_field<'de, A, T>(
        map: &mut A,
        slot: &mut Option<T>,
        name: &'static str,
    ) -> Result<(), A::Error>
    where
        A: MapAccess<'de>,
        T: Deserialize<'de>,
    {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(name));
        }
        *slot = map.next_value::<Option<T>>()?;
        Ok(())
    }

    /// Keeps the value of an unknown key (free-form, duplicate keys inside it rejected).
    pub fn unknown_field<'de, A: MapAccess<'de>>(
        map: &mut A,
        key: Key<'de>,
        extra: &mut Extra,
    ) -> Result<(), A::Error> {
        unknown_field_with(map, key, extra, UniqueKeys)
    }

    /// Keeps the value of an unknown key of a struct whose other keys are typed as `V`.
    pub fn typed_unknown_field<'de, A, V>(
        map: &mut A,
        key: Key<'de>,
        extra: &mut std::collections::BTreeMap<String, V>,
    ) -> Result<(), A::Error>
    where
        A: MapAccess<'de>,
        V: Deserialize<'de>,
    {
        unknown_field_with(map, key, extra, PhantomData)
    }

    fn unknown_field_with<'de, A: MapAccess<'de>, S: DeserializeSeed<'de>>(
        map: &mut A,
        key: Key<'de>,
        extra: &mut std::collections::BTreeMap<String, S::Value>,
        seed: S,
    ) -> Result<(), A::Error> {
        let key = key.into_string();
        if extra.contains_key(&key) {
            return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
        }
        let value = map.next_value_seed(seed)?;
        extra.insert(key, value);
        Ok(())
    }

    /// The value of a required field, or the error that it is missing.
    pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
        slot.ok_or_else(|| E::missing_field(name))
    }
}

pub mod dispatch;
pub mod ids;
pub mod raw;

pub use dispatch::{DispatchError, UnknownEvent};
pub use raw::Raw;

pub use ids::{
    EmailAddress, EventId, IdError, MxcUri, RoomAlias, RoomId, ServerName, UnpaddedBase64, Uri,
    UrlSafeUnpaddedBase64, UserId,
};

//! The kinds of events Matrix defines and the forms each is sent in: which `Any…` enum an
//! event belongs to, and which core event schema wraps its content in that form.
//!
//! State and message-like events say what they are through the core schema they `$ref`;
//! the others (account data, ephemeral, to-device) are named in `spec/overrides.yaml`.

/// A kind of event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    State,
    MessageLike,
    GlobalAccountData,
    RoomAccountData,
    EphemeralRoom,
    ToDevice,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::State,
        Kind::MessageLike,
        Kind::GlobalAccountData,
        Kind::RoomAccountData,
        Kind::EphemeralRoom,
        Kind::ToDevice,
    ];

    /// The name used for the kind in `spec/overrides.yaml`.
    pub fn key(self) -> &'static str {
        match self {
            Kind::State => "state",
            Kind::MessageLike => "message_like",
            Kind::GlobalAccountData => "global_account_data",
            Kind::RoomAccountData => "room_account_data",
            Kind::EphemeralRoom => "ephemeral_room",
            Kind::ToDevice => "to_device",
        }
    }

    /// The trait of the generated crate that the contents of events of this kind implement
    /// (besides `EventContent`): what the typed request builders ask for.
    pub fn content_trait(self) -> &'static str {
        match self {
            Kind::State => "StateEventContent",
            Kind::MessageLike => "MessageLikeEventContent",
            Kind::GlobalAccountData => "GlobalAccountDataEventContent",
            Kind::RoomAccountData => "RoomAccountDataEventContent",
            Kind::EphemeralRoom => "EphemeralRoomEventContent",
            Kind::ToDevice => "ToDeviceEventContent",
        }
    }

    pub fn from_key(key: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.key() == key)
    }
}

/// One form events of a kind take: the envelope around their content, and the enum of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Form {
    pub kind: Kind,
    /// The `Any…` enum of every event in this form.
    pub enum_name: &'static str,
    /// What the enum holds, for its documentation.
    pub docs: &'static str,
    /// Put before `RoomMemberEvent` to name an event's struct in this form.
    pub prefix: &'static str,
    /// The core schema that wraps the content, relative to the event schema folder; the first
    /// one the spec has is used (v1.1 keeps `stripped_state.yaml` beside the events).
    pub envelope: &'static [&'static str],
}

/// Every form, in the order events' structs claim their names.
pub const FORMS: &[Form] = &[
    Form {
        kind: Kind::State,
        enum_name: "AnyStateEvent",
        docs: "Any state event, with the `room_id` it has everywhere but in `/sync`.",
        prefix: "",
        envelope: &["core-event-schema/state_event"],
    },
    Form {
        kind: Kind::State,
        enum_name: "AnySyncStateEvent",
        docs: "Any state event as `/sync` sends it, without `room_id`.",
        prefix: "Sync",
        envelope: &["core-event-schema/sync_state_event"],
    },
    Form {
        kind: Kind::State,
        enum_name: "AnyStrippedStateEvent",
        docs:
            "Any state event in its stripped form (`type`, `state_key`, `sender` and `content`), \
               as invites and knocks carry the room's state.",
        prefix: "Stripped",
        envelope: &["core-event-schema/stripped_state", "stripped_state"],
    },
    Form {
        kind: Kind::MessageLike,
        enum_name: "AnyMessageLikeEvent",
        docs: "Any message-like (non-state) room event, with its `room_id`.",
        prefix: "",
        envelope: &["core-event-schema/room_event"],
    },
    Form {
        kind: Kind::MessageLike,
        enum_name: "AnySyncMessageLikeEvent",
        docs: "Any message-like (non-state) room event as `/sync` sends it, without `room_id`.",
        prefix: "Sync",
        envelope: &["core-event-schema/sync_room_event"],
    },
    Form {
        kind: Kind::GlobalAccountData,
        enum_name: "AnyGlobalAccountDataEvent",
        docs: "Any global account data event.",
        prefix: "",
        envelope: &["core-event-schema/event"],
    },
    Form {
        kind: Kind::RoomAccountData,
        enum_name: "AnyRoomAccountDataEvent",
        docs: "Any room account data event.",
        prefix: "",
        envelope: &["core-event-schema/event"],
    },
    Form {
        kind: Kind::EphemeralRoom,
        enum_name: "AnyEphemeralRoomEvent",
        docs: "Any ephemeral room event (receipts, typing notifications), as `/sync` sends them.",
        prefix: "",
        envelope: &["core-event-schema/event"],
    },
    Form {
        kind: Kind::ToDevice,
        enum_name: "AnyToDeviceEvent",
        // `/sync` types its `to_device.events` as plain events (EventBatch); `sender` is kept
        // with the other fields the schema does not name.
        docs: "Any to-device event.",
        prefix: "ToDevice",
        envelope: &["core-event-schema/event"],
    },
];

/// An enum over two others, told apart by a field's presence: a timeline holds state events
/// (which have a `state_key`) and message-like events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeline {
    pub enum_name: &'static str,
    pub docs: &'static str,
    pub state: &'static str,
    pub message_like: &'static str,
}

pub const TIMELINES: &[Timeline] = &[
    Timeline {
        enum_name: "AnyTimelineEvent",
        docs: "Any room event: a state event when it has a `state_key`, else a message-like event.",
        state: "AnyStateEvent",
        message_like: "AnyMessageLikeEvent",
    },
    Timeline {
        enum_name: "AnySyncTimelineEvent",
        docs: "Any room event of a `/sync` timeline: a state event when it has a `state_key`, \
               else a message-like event.",
        state: "AnySyncStateEvent",
        message_like: "AnySyncMessageLikeEvent",
    },
];

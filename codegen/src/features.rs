//! The cargo features of the generated crate, and which modules each one builds.
//!
//! Each API is a feature (its folder of modules, gated in the crate's hand-written `lib.rs`);
//! so is each group of events below. Events of no group, the `Any…` enums and the types they
//! need are always built. Every other module is built when a module that uses it is: its
//! condition is the union of its users' conditions ([`conditions`]). With a group's feature
//! off, its events read as the `Any…` enums' `Unknown` variant, still kept whole.

use std::collections::{BTreeMap, BTreeSet};

/// A feature that builds a group of events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventGroup {
    /// The cargo feature.
    pub feature: &'static str,
    /// What the group is, for the crate's documentation.
    pub doc: &'static str,
    /// The event types of the group: a type, or a namespace ending in `.*` (`m.call.*` is
    /// `m.call.invite` and every other type under `m.call.`).
    pub event_types: &'static [&'static str],
}

/// The groups of events that are a feature each: modules of the spec a user may well not
/// speak. Event types of no group (the room's state, messages, receipts, account data) are
/// always built; an event type a later release adds to one of these namespaces joins its group.
pub const EVENT_GROUPS: &[EventGroup] = &[
    EventGroup {
        feature: "voip",
        doc: "Voice and video calls (`m.call.*`).",
        event_types: &["m.call.*"],
    },
    EventGroup {
        feature: "e2ee",
        doc: "End-to-end encryption: encrypted events, room keys, secrets, key backup.",
        event_types: &[
            "m.room.encrypted",
            "m.room.encryption",
            "m.room_key",
            "m.room_key.*",
            "m.room_key_request",
            "m.room_key_bundle",
            "m.forwarded_room_key",
            "m.dummy",
            "m.secret.*",
            "m.key_backup",
        ],
    },
    EventGroup {
        feature: "key-verification",
        doc: "Device and user verification (`m.key.verification.*`).",
        event_types: &["m.key.verification.*"],
    },
    EventGroup {
        feature: "policy",
        doc: "Moderation policy lists (`m.policy.rule.*`) and policy servers (`m.room.policy`).",
        event_types: &["m.policy.rule.*", "m.room.policy"],
    },
    EventGroup {
        feature: "spaces",
        doc: "Spaces (`m.space.*`).",
        event_types: &["m.space.*"],
    },
    EventGroup {
        feature: "image-packs",
        doc: "Emoji and sticker packs (`m.image_pack.*`, `m.room.image_pack`).",
        event_types: &["m.image_pack.*", "m.room.image_pack"],
    },
];

/// The feature of the group `event_type` belongs to, if any.
pub fn event_feature(event_type: &str) -> Option<&'static str> {
    EVENT_GROUPS
        .iter()
        .find(|group| {
            group
                .event_types
                .iter()
                .any(|pattern| match pattern.strip_suffix('*') {
                    Some(namespace) => event_type.starts_with(namespace),
                    None => event_type == *pattern,
                })
        })
        .map(|group| group.feature)
}

/// The feature of what every API shares (the crate's `api` module, and the types its readers
/// of error responses name): each API's feature turns it on.
pub const API_FEATURE: &str = "api";

/// The feature of each API (its folder of the crate, `-` for `_`); each turns on
/// [`API_FEATURE`] (`generated/Cargo.toml`).
pub const API_FEATURES: &[&str] = &[
    "client-server",
    "server-server",
    "application-service",
    "identity",
    "push-gateway",
];

/// Whether the feature `on` turns on the feature `feature` (itself, or `api` for an API's).
fn turns_on(on: &str, feature: &str) -> bool {
    on == feature || (feature == API_FEATURE && API_FEATURES.contains(&on))
}

/// When a module is built.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Condition {
    Always,
    /// When any of these features is on.
    AnyOf(BTreeSet<String>),
}

impl Condition {
    /// The condition of one feature.
    pub fn feature(name: &str) -> Condition {
        Condition::AnyOf(BTreeSet::from([name.to_owned()]))
    }

    /// Whether `other` holds whenever `self` does: code built under `self` may use what is
    /// built under `other`. Each feature of `self` is one of `other` or turns one on (every
    /// API's feature turns on `api`).
    pub fn implies(&self, other: &Condition) -> bool {
        match (self, other) {
            (_, Condition::Always) => true,
            (Condition::Always, Condition::AnyOf(_)) => false,
            (Condition::AnyOf(mine), Condition::AnyOf(theirs)) => mine
                .iter()
                .all(|feature| theirs.iter().any(|their| turns_on(feature, their))),
        }
    }

    /// Widens `self` to hold also when `other` does; whether it changed.
    fn widen(&mut self, other: &Condition) -> bool {
        if other.implies(self) {
            return false;
        }
        match (&mut *self, other) {
            (Condition::Always, _) => false,
            (mine, Condition::Always) => {
                *mine = Condition::Always;
                true
            }
            (Condition::AnyOf(mine), Condition::AnyOf(theirs)) => {
                let before = mine.len();
                mine.extend(theirs.iter().cloned());
                mine.len() != before
            }
        }
    }
}

/// The condition of every module: its own (`initial`: an event group's feature, an API's
/// feature; `None` for a module built only for its users) widened by that of every module
/// that uses it (`uses`: user -> used), until nothing changes. A module that nothing uses
/// and that has no condition of its own is always built.
pub fn conditions<'a>(
    initial: &BTreeMap<&'a str, Option<Condition>>,
    uses: &BTreeMap<&'a str, BTreeSet<&'a str>>,
) -> BTreeMap<&'a str, Condition> {
    let used: BTreeSet<&str> = uses.values().flatten().copied().collect();
    let mut conditions: BTreeMap<&str, Condition> = initial
        .iter()
        .map(|(module, condition)| {
            let condition = match condition {
                Some(condition) => condition.clone(),
                None if used.contains(module) => Condition::AnyOf(BTreeSet::new()),
                None => Condition::Always,
            };
            (*module, condition)
        })
        .collect();
    loop {
        let mut changed = false;
        for (user, used) in uses {
            let Some(theirs) = conditions.get(user).cloned() else {
                continue;
            };
            for module in used {
                if module == user {
                    continue;
                }
                if let Some(condition) = conditions.get_mut(module) {
                    changed |= condition.widen(&theirs);
                }
            }
        }
        if !changed {
            break;
        }
    }
    // Used only by modules that are used only by each other, and by nothing else: always.
    for condition in conditions.values_mut() {
        if *condition == Condition::AnyOf(BTreeSet::new()) {
            *condition = Condition::Always;
        }
    }
    conditions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_find_their_group_by_type_or_namespace() {
        assert_eq!(event_feature("m.call.invite"), Some("voip"));
        assert_eq!(event_feature("m.call.some_later_addition"), Some("voip"));
        assert_eq!(event_feature("m.room_key"), Some("e2ee"));
        assert_eq!(event_feature("m.room_key.withheld"), Some("e2ee"));
        assert_eq!(event_feature("m.room.policy"), Some("policy"));
        // Not a namespace match: `m.room.encrypted` is one type, not a prefix.
        assert_eq!(event_feature("m.room.encrypted_thing"), None);
        assert_eq!(event_feature("m.room.message"), None);
        assert_eq!(event_feature("m.callx"), None);
    }

    #[test]
    fn a_module_is_built_when_any_of_its_users_is() {
        let feature = |name: &str| Some(Condition::feature(name));
        let initial = BTreeMap::from([
            ("call_invite", feature("voip")),
            ("room_encrypted", feature("e2ee")),
            ("room_member", Some(Condition::Always)),
            ("client_server_keys", feature("client-server")),
            ("sdp", None),
            ("ciphertext", None),
            ("signed_invite", None),
            ("unused", None),
            ("deeper", None),
        ]);
        let uses = BTreeMap::from([
            ("call_invite", BTreeSet::from(["sdp"])),
            ("room_encrypted", BTreeSet::from(["ciphertext"])),
            ("client_server_keys", BTreeSet::from(["ciphertext"])),
            ("room_member", BTreeSet::from(["signed_invite"])),
            ("sdp", BTreeSet::from(["deeper", "sdp"])),
        ]);
        let found = conditions(&initial, &uses);
        let any_of = |names: &[&str]| {
            Condition::AnyOf(names.iter().map(|name| (*name).to_owned()).collect())
        };
        assert_eq!(found["sdp"], any_of(&["voip"]));
        // Two steps away from its only user.
        assert_eq!(found["deeper"], any_of(&["voip"]));
        assert_eq!(found["ciphertext"], any_of(&["client-server", "e2ee"]));
        assert_eq!(found["signed_invite"], Condition::Always);
        assert_eq!(found["unused"], Condition::Always);
        assert_eq!(found["call_invite"], any_of(&["voip"]));
    }

    #[test]
    fn an_event_of_a_group_used_by_an_always_built_module_is_always_built() {
        let initial = BTreeMap::from([
            (
                "verification_request",
                Some(Condition::feature("key-verification")),
            ),
            ("room_message", Some(Condition::Always)),
        ]);
        let uses = BTreeMap::from([("room_message", BTreeSet::from(["verification_request"]))]);
        assert_eq!(
            conditions(&initial, &uses)["verification_request"],
            Condition::Always
        );
    }

    #[test]
    fn implication_is_inclusion_of_features() {
        let one = Condition::feature("voip");
        let two = Condition::AnyOf(BTreeSet::from([
            "voip".to_owned(),
            "client-server".to_owned(),
        ]));
        assert!(one.implies(&two));
        assert!(!two.implies(&one));
        assert!(one.implies(&Condition::Always));
        assert!(!Condition::Always.implies(&one));
    }

    #[test]
    fn every_api_feature_turns_on_api_so_code_of_an_api_may_use_what_api_builds() {
        let api = Condition::feature(API_FEATURE);
        for feature in API_FEATURES {
            assert!(Condition::feature(feature).implies(&api), "{feature}");
            assert!(!api.implies(&Condition::feature(feature)), "{feature}");
        }
        assert!(!Condition::feature("voip").implies(&api));
        let mixed = Condition::AnyOf(BTreeSet::from([
            "client-server".to_owned(),
            "e2ee".to_owned(),
        ]));
        assert!(!mixed.implies(&api));
    }

    #[test]
    fn a_module_built_with_api_stays_so_when_apis_use_it() {
        let initial = BTreeMap::from([
            ("standard_error", Some(Condition::feature(API_FEATURE))),
            (
                "client_server_login",
                Some(Condition::feature("client-server")),
            ),
            ("identity_lookup", Some(Condition::feature("identity"))),
            ("room_message", Some(Condition::Always)),
            ("shared", None),
        ]);
        let uses = BTreeMap::from([
            (
                "client_server_login",
                BTreeSet::from(["standard_error", "shared"]),
            ),
            (
                "identity_lookup",
                BTreeSet::from(["standard_error", "shared"]),
            ),
        ]);
        let found = conditions(&initial, &uses);
        assert_eq!(found["standard_error"], Condition::feature(API_FEATURE));
        assert_eq!(
            found["shared"],
            Condition::AnyOf(BTreeSet::from([
                "client-server".to_owned(),
                "identity".to_owned()
            ]))
        );
        // An event module that used it would build it always.
        let uses = BTreeMap::from([("room_message", BTreeSet::from(["standard_error"]))]);
        assert_eq!(
            conditions(&initial, &uses)["standard_error"],
            Condition::Always
        );
    }

    #[test]
    fn the_crate_manifest_declares_every_group_and_turns_it_on_by_default() {
        let manifest = crate::frame()
            .iter()
            .find(|(path, _)| *path == "Cargo.toml")
            .map(|(_, text)| *text)
            .expect("the frame has a Cargo.toml");
        let features = manifest
            .split("[features]")
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .expect("Cargo.toml has a [features] table");
        let listed = |name: &str| -> Vec<String> {
            let line = features
                .lines()
                .find(|line| line.starts_with(&format!("{name} = ")))
                .unwrap_or_else(|| panic!("no feature `{name}` in generated/Cargo.toml"));
            line.split('"')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect()
        };
        let all_events = listed("all-events");
        for group in EVENT_GROUPS {
            assert!(
                listed(group.feature).is_empty(),
                "`{}` needs nothing",
                group.feature
            );
            assert!(
                all_events.contains(&group.feature.to_owned()),
                "`all-events` lacks `{}`",
                group.feature
            );
        }
        assert_eq!(all_events.len(), EVENT_GROUPS.len(), "{all_events:?}");
        assert!(listed("default").contains(&"all-events".to_owned()));
        assert!(listed("schema-index").contains(&"all-events".to_owned()));
        for feature in API_FEATURES {
            assert_eq!(
                listed(feature),
                [API_FEATURE],
                "`{feature}` turns on `api` only"
            );
            assert!(
                listed("default").contains(&(*feature).to_owned()),
                "{feature}"
            );
        }
    }
}

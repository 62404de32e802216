//! The generated crate's features on a tiny spec written for the test (`generate_in_memory`):
//! an event of a group is built with its group's feature, the types only it uses with it too,
//! a type an API uses as well with either, and the `Any…` enums name its variant only then.
//! What the crate compiles itself: its non-generic readers and writers are `#[inline]`, so only
//! the crates that call them compile them.

const EVENT: &str = "type: object\nproperties:\n  type: {type: string}\n  content: {type: object}\nrequired: [type, content]\n";
const SYNC_ROOM_EVENT: &str = "allOf:\n- $ref: event.yaml\n- type: object\n  properties:\n    event_id: {type: string}\n  required: [event_id]\n";
const ROOM_EVENT: &str = "allOf:\n- $ref: sync_room_event.yaml\n- type: object\n  properties:\n    room_id: {type: string}\n  required: [room_id]\n";

/// A message-like event whose content has `property` of the schema `ty`.
fn message_event(event_type: &str, property: &str, ty: &str) -> String {
    format!(
        "allOf:\n- $ref: core-event-schema/room_event.yaml\nproperties:\n  content:\n    type: object\n    properties:\n      {property}: {ty}\n  type: {{enum: [{event_type}]}}\n"
    )
}

/// A client-server endpoint whose response is the schema `schema` refers to.
fn endpoint(schema: &str) -> String {
    format!(
        "openapi: 3.1.0\npaths:\n  \"/thing\":\n    get:\n      operationId: getThing\n      responses:\n        \"200\":\n          description: The thing.\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  thing: {{$ref: '{schema}'}}\n"
    )
}

/// Core schemas, events of two groups and of none, and an endpoint, all generated.
fn generate_tiny_spec() -> codegen::Generated {
    let ev = |file: &str| format!("{}/{file}", codegen::EVENT_SCHEMA_DIR);
    let files = [
        (ev("core-event-schema/event.yaml"), EVENT.to_owned()),
        (
            ev("core-event-schema/sync_room_event.yaml"),
            SYNC_ROOM_EVENT.to_owned(),
        ),
        (
            ev("core-event-schema/room_event.yaml"),
            ROOM_EVENT.to_owned(),
        ),
        (
            ev("components/sdp.yaml"),
            "type: object\ntitle: Sdp\nproperties:\n  sdp: {type: string}\n".to_owned(),
        ),
        (
            ev("components/key.yaml"),
            "type: object\ntitle: Key\nproperties:\n  key: {type: string}\n".to_owned(),
        ),
        (
            ev("m.call.invite.yaml"),
            message_event("m.call.invite", "offer", "{$ref: components/sdp.yaml}"),
        ),
        (
            ev("m.room_key.yaml"),
            message_event("m.room_key", "key", "{$ref: components/key.yaml}"),
        ),
        (
            ev("m.room.topic.yaml"),
            message_event("m.room.topic", "topic", "{type: string}"),
        ),
        (
            "api/client-server/thing.yaml".to_owned(),
            endpoint("../../event-schemas/schema/components/key.yaml"),
        ),
    ];
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    codegen::generate_in_memory(&files).unwrap_or_else(|errors| panic!("{errors}"))
}

#[test]
fn events_of_a_group_are_built_with_its_feature_and_their_types_with_their_users() {
    let generated = generate_tiny_spec();
    let modules = &generated.files["events/mod.rs"];
    for expected in [
        // The group's events, and what only they use.
        "#[cfg(feature = \"voip\")]\nmod m_call_invite;\n#[cfg(feature = \"voip\")]\npub use m_call_invite::*;\n",
        "#[cfg(feature = \"voip\")]\nmod components_sdp;\n#[cfg(feature = \"voip\")]\npub use components_sdp::*;\n",
        "#[cfg(feature = \"e2ee\")]\nmod m_room_key;\n",
        // Used by an event of a group and by an API: built with either.
        "#[cfg(any(feature = \"client-server\", feature = \"e2ee\"))]\nmod components_key;\n",
        // No group: always.
        "\n\nmod m_room_topic;\npub use m_room_topic::*;\n",
        "\n\nmod kinds;\npub use kinds::*;\n",
    ] {
        assert!(modules.contains(expected), "missing {expected:?} in:\n{modules}");
    }

    let kinds = &generated.files["events/kinds.rs"];
    for expected in [
        // The variant, its arms and its import exist only with the feature.
        "    /// `m.call.invite`\n    #[cfg(feature = \"voip\")]\n    CallInvite(Box<CallInviteEvent>),\n",
        "            #[cfg(feature = \"voip\")]\n            \"m.call.invite\" => {",
        "            #[cfg(feature = \"voip\")]\n            Self::CallInvite(_) => \"m.call.invite\",",
        "#[cfg(feature = \"voip\")]\nuse super::{CallInviteEvent, SyncCallInviteEvent};\n",
        "    /// `m.room.topic`\n    RoomTopic(Box<RoomTopicEvent>),\n",
    ] {
        assert!(kinds.contains(expected), "missing {expected:?} in:\n{kinds}");
    }
    // An event's own module names its types unconditionally: it is built only with them.
    let call = &generated.files["events/m_call_invite.rs"];
    assert!(call.contains("use super::Sdp;\n"), "{call}");
    assert!(!call.contains("#[cfg"), "{call}");
}

/// The non-generic functions a generated file may define without `#[inline]`: small, and not
/// calling a type's reader or writer.
const SMALL_FUNCTIONS: &[&str] = &["as_str", "event_type", "expecting", "fmt", "from", "status"];

/// Every non-generic function of `file` (free, or in an `impl` without type parameters): its
/// name, and whether it is `#[inline]`.
fn non_generic_functions(file: &syn::File) -> Vec<(String, bool)> {
    fn is_generic(generics: &syn::Generics) -> bool {
        generics
            .params
            .iter()
            .any(|param| !matches!(param, syn::GenericParam::Lifetime(_)))
    }
    /// The function, if it is not generic, then the items declared in its body (a visitor).
    fn visit_fn(
        sig: &syn::Signature,
        attrs: &[syn::Attribute],
        body: &syn::Block,
        found: &mut Vec<(String, bool)>,
    ) {
        if !is_generic(&sig.generics) {
            let inline = attrs.iter().any(|attr| attr.path().is_ident("inline"));
            found.push((sig.ident.to_string(), inline));
        }
        for stmt in &body.stmts {
            if let syn::Stmt::Item(item) = stmt {
                visit(item, found);
            }
        }
    }
    fn visit(item: &syn::Item, found: &mut Vec<(String, bool)>) {
        match item {
            syn::Item::Fn(function) => {
                visit_fn(&function.sig, &function.attrs, &function.block, found)
            }
            syn::Item::Impl(block) if !is_generic(&block.generics) => {
                for member in &block.items {
                    if let syn::ImplItem::Fn(function) = member {
                        visit_fn(&function.sig, &function.attrs, &function.block, found);
                    }
                }
            }
            syn::Item::Mod(module) => {
                for item in module.content.iter().flat_map(|(_, items)| items) {
                    visit(item, found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    for item in &file.items {
        visit(item, &mut found);
    }
    found
}

#[test]
fn readers_and_writers_are_compiled_by_the_crates_that_call_them() {
    let generated = generate_tiny_spec();
    let mut inline = std::collections::BTreeSet::new();
    for (path, text) in &generated.files {
        let file = syn::parse_file(text).unwrap_or_else(|err| panic!("{path}: {err}"));
        for (name, is_inline) in non_generic_functions(&file) {
            if is_inline {
                inline.insert(name);
            } else {
                assert!(
                    SMALL_FUNCTIONS.contains(&name.as_str()),
                    "{path}: `fn {name}` is neither generic nor #[inline], so the generated crate \
                     would compile it (and every reader it calls) for every user"
                );
            }
        }
    }
    let expected = [
        // The schema index's request builder and its helper for bodies of bytes.
        "build_request",
        "bytes",
        "from_content",
        "from_parts",
        "from_value",
        // The constructors: small, but there is one per struct.
        "new",
        "round_trip",
        "round_trip_any",
        "round_trip_at",
        "to_parts",
        "write_parts",
    ];
    assert_eq!(
        inline.iter().map(String::as_str).collect::<Vec<_>>(),
        expected
    );
}

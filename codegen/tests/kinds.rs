//! The model stage's event kinds on tiny schemas written for the test: each event's struct in
//! each form of its kind, the `Any…` enums over them, and `$variant` contents dispatched on
//! the property each variant fixes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use codegen::kinds::{Kind, FORMS};
use codegen::load::Documents;
use codegen::model::{self, EventKinds, Model, TypeDef, TypeKind, TypeRef};
use codegen::overrides::{Overrides, TypedEventsEntry};
use codegen::Location;
use codegen::{resolve, Errors};

const CORE: &[(&str, &str)] = &[
    (
        "core-event-schema/event.yaml",
        "type: object\nproperties:\n  type: {type: string}\n  content: {type: object}\nrequired: [type, content]\n",
    ),
    (
        "core-event-schema/sync_room_event.yaml",
        "allOf:\n- $ref: event.yaml\n- type: object\n  properties:\n    event_id: {type: string, format: mx-event-id}\n    sender: {type: string, format: mx-user-id}\n  required: [event_id, sender]\n",
    ),
    (
        "core-event-schema/room_event.yaml",
        "allOf:\n- $ref: sync_room_event.yaml\n- type: object\n  properties:\n    room_id: {type: string}\n  required: [room_id]\n",
    ),
    (
        "core-event-schema/sync_state_event.yaml",
        "allOf:\n- $ref: sync_room_event.yaml\n- type: object\n  properties:\n    state_key: {type: string}\n  required: [state_key]\n",
    ),
    (
        "core-event-schema/state_event.yaml",
        "allOf:\n- $ref: room_event.yaml\n- $ref: sync_state_event.yaml\n",
    ),
    (
        "core-event-schema/stripped_state.yaml",
        "type: object\nproperties:\n  type: {type: string}\n  content: {type: object}\n  state_key: {type: string}\n  sender: {type: string}\nrequired: [type, content, state_key, sender]\n",
    ),
];

const STATE_EVENT: &str = "allOf:\n- $ref: core-event-schema/state_event.yaml\ntype: object\nproperties:\n  content:\n    type: object\n    properties:\n      level: {type: integer}\n    required: [level]\n  type: {type: string, enum: [m.thing.state]}\n";

const MESSAGE_EVENT: &str = "allOf:\n- $ref: core-event-schema/room_event.yaml\ntype: object\nproperties:\n  content:\n    type: object\n    properties:\n      kind: {type: string}\n      body: {type: string}\n    required: [kind, body]\n  redacts: {type: string}\n";

fn variant(value: &str, extra: &str) -> String {
    format!("allOf:\n- $ref: core-event-schema/room_event.yaml\ntype: object\nproperties:\n  content:\n    type: object\n    properties:\n      kind: {{type: string, enum: [{value}]}}\n      body: {{type: string}}\n      {extra}: {{type: string}}\n    required: [kind, body, {extra}]\n")
}

const DEVICE_EVENT: &str = "allOf:\n- $ref: core-event-schema/event.yaml\ntype: object\nproperties:\n  content:\n    type: object\n    properties:\n      key: {type: string}\n";

/// A folder of event schemas, removed when dropped.
struct Schemas(PathBuf);

impl Schemas {
    fn new(name: &str, events: &[(&str, String)]) -> Self {
        let dir = std::env::temp_dir().join(format!("kinds-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let schema_dir = dir.join("event-schemas/schema");
        for (path, text) in CORE
            .iter()
            .map(|(path, text)| (*path, text.to_string()))
            .chain(events.iter().cloned())
        {
            let path = schema_dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Schemas(dir)
    }

    /// Models every file, with the forms whose envelopes are there and `listed` kinds.
    fn model(&self, listed: &[(&str, Kind)]) -> Result<Model, Errors> {
        self.model_with(listed, Vec::new())
    }

    /// [`Schemas::model`], with places that carry events (`typed_events`).
    fn model_with(
        &self,
        listed: &[(&str, Kind)],
        typed_events: Vec<TypedEventsEntry>,
    ) -> Result<Model, Errors> {
        let mut stems: Vec<String> = CORE
            .iter()
            .map(|(path, _)| path.trim_end_matches(".yaml").to_owned())
            .collect();
        for folder in ["", "batches/"] {
            let Ok(entries) = std::fs::read_dir(self.0.join("event-schemas/schema").join(folder))
            else {
                continue;
            };
            for entry in entries {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                if let Some(stem) = name.strip_suffix(".yaml") {
                    stems.push(format!("{folder}{stem}"));
                }
            }
        }
        stems.sort();
        let files: Vec<String> = stems
            .iter()
            .map(|stem| format!("event-schemas/schema/{stem}.yaml"))
            .collect();
        let mut docs = Documents::new(&self.0, Overrides::default());
        let (graph, ids) = resolve::resolve(&mut docs, &files)?;
        let roots: Vec<model::Root> = stems
            .iter()
            .zip(ids)
            .map(|(stem, id)| model::Root {
                id,
                schema: stem.clone(),
                event_type: (!stem.contains('/'))
                    .then(|| stem.split('$').next().unwrap().to_owned()),
            })
            .collect();
        let envelopes = FORMS
            .iter()
            .filter_map(|form| {
                let root = roots
                    .iter()
                    .find(|root| form.envelope.contains(&root.schema.as_str()))?;
                Some((*form, root.id))
            })
            .collect();
        let mut by_event: BTreeMap<String, BTreeSet<Kind>> = BTreeMap::new();
        for (event, kind) in listed {
            by_event.entry(event.to_string()).or_default().insert(*kind);
        }
        model::build(
            &graph,
            &roots,
            &EventKinds {
                envelopes,
                listed: by_event,
                typed_events,
                typed_sending: Vec::new(),
                error_codes: Vec::new(),
            },
        )
    }
}

impl Drop for Schemas {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn find<'m>(model: &'m Model, name: &str) -> &'m TypeDef {
    model
        .modules
        .values()
        .flat_map(|m| &m.types)
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

fn field_names(model: &Model, name: &str) -> Vec<String> {
    match &find(model, name).kind {
        TypeKind::Struct { fields, .. } => fields.iter().map(|f| f.json_name.clone()).collect(),
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

fn enum_variants(model: &Model, name: &str) -> Vec<(String, String, TypeRef)> {
    match &find(model, name).kind {
        TypeKind::Dispatch { variants, .. } => variants
            .iter()
            .map(|v| (v.name.clone(), v.value.clone(), v.ty.clone()))
            .collect(),
        other => panic!("{name} is not a dispatch: {other:?}"),
    }
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

#[test]
fn a_state_event_has_a_full_a_sync_and_a_stripped_struct() {
    let schemas = Schemas::new("state", &[("m.thing.state.yaml", STATE_EVENT.to_owned())]);
    let model = schemas.model(&[]).unwrap();
    assert_eq!(
        field_names(&model, "ThingStateEvent"),
        [
            "type",
            "content",
            "event_id",
            "sender",
            "room_id",
            "state_key"
        ]
    );
    assert_eq!(
        field_names(&model, "SyncThingStateEvent"),
        ["type", "content", "event_id", "sender", "state_key"],
        "the sync form has no room_id"
    );
    assert_eq!(
        field_names(&model, "StrippedThingStateEvent"),
        ["type", "content", "state_key", "sender"]
    );
    // One content type for every form; each struct is an event of its own type tag.
    let events: Vec<(String, TypeRef)> = model
        .modules
        .values()
        .flat_map(|m| &m.events)
        .map(|e| (e.struct_name.clone(), e.content.clone()))
        .collect();
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(events
        .iter()
        .all(|(_, content)| *content == named("ThingStateEventContent")));
    // The schema as written is the full form.
    let root = model
        .roots
        .iter()
        .find(|r| r.schema == "m.thing.state")
        .unwrap();
    assert_eq!(root.type_name, "ThingStateEvent");
    // The enums of the state forms, and the timelines need message-like events too.
    assert_eq!(
        enum_variants(&model, "AnySyncStateEvent"),
        [(
            "ThingState".into(),
            "m.thing.state".into(),
            named("SyncThingStateEvent")
        )]
    );
    assert_eq!(
        enum_variants(&model, "AnyStrippedStateEvent"),
        [(
            "ThingState".into(),
            "m.thing.state".into(),
            named("StrippedThingStateEvent")
        )]
    );
    assert!(model.modules["kinds"]
        .types
        .iter()
        .all(|t| t.name != "AnySyncTimelineEvent"));
}

#[test]
fn message_like_events_keep_their_own_fields_and_timelines_tell_state_apart() {
    let schemas = Schemas::new(
        "timeline",
        &[
            ("m.thing.state.yaml", STATE_EVENT.to_owned()),
            ("m.thing.msg.yaml", MESSAGE_EVENT.to_owned()),
        ],
    );
    let model = schemas.model(&[]).unwrap();
    assert_eq!(
        field_names(&model, "SyncThingMsgEvent"),
        ["type", "content", "event_id", "sender", "redacts"],
        "fields only the event has are kept in every form"
    );
    let TypeKind::ByField {
        field,
        present,
        absent,
    } = &find(&model, "AnySyncTimelineEvent").kind
    else {
        panic!("AnySyncTimelineEvent is not told apart by a field");
    };
    assert_eq!(field, "state_key");
    assert_eq!(present.ty, named("AnySyncStateEvent"));
    assert_eq!(absent.ty, named("AnySyncMessageLikeEvent"));
    let TypeKind::Dispatch { tag, fallback, .. } = &find(&model, "AnyMessageLikeEvent").kind else {
        panic!("not a dispatch");
    };
    assert_eq!((tag.as_str(), fallback), ("type", &TypeRef::UnknownEvent));
}

#[test]
fn kinds_named_in_the_overrides_give_their_forms_and_enums() {
    let schemas = Schemas::new("listed", &[("m.thing.dev.yaml", DEVICE_EVENT.to_owned())]);
    let unlisted = schemas.model(&[]).unwrap();
    assert!(
        !unlisted.modules.contains_key("kinds"),
        "an event in no kind is in no enum"
    );
    assert!(
        unlisted
            .notes
            .iter()
            .any(|note| note.contains("`m.thing.dev` belongs to no kind")),
        "{:?}",
        unlisted.notes
    );

    let model = schemas
        .model(&[
            ("m.thing.dev", Kind::ToDevice),
            ("m.not.there", Kind::ToDevice),
        ])
        .unwrap();
    // The to-device envelope is the plain event: the one struct is the schema as written.
    let root = model
        .roots
        .iter()
        .find(|r| r.schema == "m.thing.dev")
        .unwrap();
    assert_eq!(root.type_name, "ToDeviceThingDevEvent");
    assert_eq!(
        enum_variants(&model, "AnyToDeviceEvent"),
        [(
            "ThingDev".into(),
            "m.thing.dev".into(),
            named("ToDeviceThingDevEvent")
        )]
    );
    assert!(
        model
            .other_releases
            .iter()
            .any(|note| note.contains("`m.not.there`")),
        "a listed event the spec lacks is noted as for other releases: {:?}",
        model.other_releases
    );

    // In a room too: the room form adds the room event fields the schema does not have.
    let both = schemas
        .model(&[
            ("m.thing.dev", Kind::ToDevice),
            ("m.thing.dev", Kind::MessageLike),
        ])
        .unwrap();
    assert_eq!(
        field_names(&both, "ThingDevEvent"),
        ["type", "content", "event_id", "sender", "room_id"]
    );
    assert_eq!(
        field_names(&both, "ToDeviceThingDevEvent"),
        ["type", "content"]
    );
}

#[test]
fn variant_contents_are_dispatched_on_the_property_they_fix() {
    let schemas = Schemas::new(
        "variants",
        &[
            ("m.thing.msg.yaml", MESSAGE_EVENT.to_owned()),
            ("m.thing.msg$m.a.yaml", variant("m.a", "a_only")),
            ("m.thing.msg$m.b.yaml", variant("m.b", "b_only")),
        ],
    );
    let model = schemas.model(&[]).unwrap();
    let TypeKind::Dispatch {
        tag,
        variants,
        fallback,
    } = &find(&model, "ThingMsgEventContent").kind
    else {
        panic!("the content of an event with $variant schemas is a dispatch");
    };
    assert_eq!(tag, "kind");
    let summary: Vec<(&str, &str, &TypeRef)> = variants
        .iter()
        .map(|v| (v.name.as_str(), v.value.as_str(), &v.ty))
        .collect();
    assert_eq!(
        summary,
        [
            ("A", "m.a", &named("ThingMsgAEventContent")),
            ("B", "m.b", &named("ThingMsgBEventContent"))
        ]
    );
    // The base content keeps any other value of `kind`, with the fields every kind has.
    assert_eq!(fallback, &named("UnknownThingMsgEventContent"));
    assert_eq!(
        field_names(&model, "UnknownThingMsgEventContent"),
        ["kind", "body"]
    );
    // The variants are alternatives of the content, not events of their own in the enums.
    assert_eq!(
        enum_variants(&model, "AnyMessageLikeEvent"),
        [(
            "ThingMsg".into(),
            "m.thing.msg".into(),
            named("ThingMsgEvent")
        )]
    );
}

#[test]
fn a_variant_that_fixes_no_property_to_its_name_is_an_error() {
    let schemas = Schemas::new(
        "bad-variant",
        &[
            ("m.thing.msg.yaml", MESSAGE_EVENT.to_owned()),
            ("m.thing.msg$m.a.yaml", variant("m.other", "a_only")),
        ],
    );
    let errors = schemas.model(&[]).unwrap_err();
    let error = &errors.0[0];
    assert_eq!(
        error.location.file,
        "event-schemas/schema/m.thing.msg$m.a.yaml"
    );
    assert!(
        error.message.contains("fixed to `m.a`"),
        "{}",
        error.message
    );
}

#[test]
fn an_unknown_kind_in_the_overrides_is_an_error_at_its_place() {
    let dir = std::env::temp_dir().join(format!("kinds-unknown-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let schema_dir = dir.join("data/event-schemas/schema");
    std::fs::create_dir_all(schema_dir.join("core-event-schema")).unwrap();
    std::fs::write(schema_dir.join("core-event-schema/event.yaml"), CORE[0].1).unwrap();
    std::fs::write(schema_dir.join("m.thing.dev.yaml"), DEVICE_EVENT).unwrap();
    let overrides = dir.join("overrides.yaml");
    std::fs::write(
        &overrides,
        "event_kinds:\n- events: [m.thing.dev]\n  kinds: [to_device, todevice]\n  reason: r\n",
    )
    .unwrap();
    let errors = codegen::generate(&dir, Some(&overrides)).unwrap_err();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(errors.0.len(), 1, "{errors}");
    assert_eq!(errors.0[0].location.pointer, "/event_kinds/0/kinds/1");
    assert!(errors.0[0]
        .message
        .contains("unknown event kind `todevice`"));
}

/// An API-like shape that carries events: a timeline of its own, and two lists that share
/// one schema (`list.yaml`), as /sync's `account_data` and `ephemeral` share `event_batch.yaml`.
const BATCH: &str = "type: object\nproperties:\n  timeline:\n    type: object\n    properties:\n      events: {type: array, items: {$ref: ../core-event-schema/room_event.yaml}}\n  state:\n    allOf: [{$ref: list.yaml}]\n    description: The state.\n  other:\n    allOf: [{$ref: list.yaml}]\n    description: Something else.\n";
const LIST: &str = "type: object\nproperties:\n  events: {type: array, items: {$ref: ../core-event-schema/event.yaml}}\n";

fn carried(places: &[&str], events: &str, list: Option<(&str, &str)>) -> TypedEventsEntry {
    TypedEventsEntry {
        places: places
            .iter()
            .map(|place| {
                let (file, pointer) = place.split_once('#').unwrap();
                Location::new(file, pointer)
            })
            .collect(),
        events: Some(events.to_owned()),
        list: list.map(|(field, name)| (field.to_owned(), name.to_owned())),
        reason: "test".to_owned(),
        location: Location::new("overrides.yaml", "/typed_events/0"),
    }
}

fn field_type(model: &Model, name: &str, field: &str) -> TypeRef {
    match &find(model, name).kind {
        TypeKind::Struct { fields, .. } => fields
            .iter()
            .find(|f| f.json_name == field)
            .unwrap_or_else(|| panic!("{name} has no field {field}"))
            .ty
            .clone(),
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

fn raw_list(of: &str) -> TypeRef {
    TypeRef::Array(Box::new(TypeRef::Raw(Box::new(named(of)))))
}

#[test]
fn places_that_carry_events_are_raw_lists_of_their_kind_and_shared_lists_split() {
    let schemas = Schemas::new(
        "carried",
        &[
            ("m.thing.state.yaml", STATE_EVENT.to_owned()),
            ("m.thing.message.yaml", MESSAGE_EVENT.to_owned()),
            ("batches/batch.yaml", BATCH.to_owned()),
            ("batches/list.yaml", LIST.to_owned()),
        ],
    );
    let file = "event-schemas/schema/batches/batch.yaml";
    let untyped = schemas.model(&[]).unwrap();
    let list = field_type(&untyped, "Batch", "state");
    assert_eq!(
        field_type(&untyped, "Batch", "other"),
        list,
        "one shared list type"
    );

    let mut entries = vec![
        // A place of another release beside the one this spec has: not noted.
        carried(
            &[
                &format!("{file}#/properties/timeline/properties/events/items"),
                &format!("{file}#/properties/elsewhere"),
            ],
            "AnyTimelineEvent",
            None,
        ),
        carried(
            &[&format!("{file}#/properties/state")],
            "AnyStateEvent",
            Some(("events", "StateBatch")),
        ),
        carried(
            &[&format!("{file}#/properties/nowhere")],
            "AnyNothingEvent",
            None,
        ),
    ];
    entries[2].location = Location::new("overrides.yaml", "/typed_events/2");
    let model = schemas.model_with(&[], entries).unwrap();
    let TypeRef::Named(timeline) = field_type(&model, "Batch", "timeline") else {
        panic!("the timeline is a struct");
    };
    assert_eq!(
        field_type(&model, &timeline, "events"),
        raw_list("AnyTimelineEvent")
    );
    // The place with `list` is a struct of its own; the other user of the shared list keeps it.
    assert_eq!(field_type(&model, "Batch", "state"), named("StateBatch"));
    assert_eq!(
        field_type(&model, "StateBatch", "events"),
        raw_list("AnyStateEvent")
    );
    assert_eq!(
        find(&model, "StateBatch").docs.description.as_deref(),
        Some("The state.")
    );
    assert_eq!(field_type(&model, "Batch", "other"), list);
    // An entry none of whose places the spec has is noted as for other releases (and its
    // type not checked).
    let noted: Vec<&String> = model
        .other_releases
        .iter()
        .filter(|note| note.starts_with("typed_events"))
        .collect();
    assert_eq!(noted.len(), 1, "{noted:?}");
    assert!(noted[0].contains("/typed_events/2"), "{noted:?}");

    // A type the spec does not generate, or a list the objects do not have, is an error at the entry.
    let errors = schemas
        .model_with(
            &[],
            vec![carried(
                &[&format!(
                    "{file}#/properties/timeline/properties/events/items"
                )],
                "AnyNothingEvent",
                None,
            )],
        )
        .unwrap_err();
    assert!(
        errors
            .0
            .iter()
            .any(|e| e.location.pointer == "/typed_events/0/type"
                && e.message.contains("`AnyNothingEvent`")),
        "{errors:?}"
    );
    let errors = schemas
        .model_with(
            &[],
            vec![carried(
                &[&format!("{file}#/properties/state")],
                "AnyStateEvent",
                Some(("items", "StateBatch")),
            )],
        )
        .unwrap_err();
    assert!(
        errors
            .0
            .iter()
            .any(|e| e.location.pointer == "/typed_events/0/list"
                && e.message.contains("no property `items`")),
        "{errors:?}"
    );
}

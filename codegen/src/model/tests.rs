//! Tests of the model stage on tiny schemas written for each test.

use super::*;
use crate::diagnostics::Location;
use crate::resolve::tests::Tree;

/// Builds the model of `files` with `roots` named from their stems (`None`: not events).
fn model_of(
    name: &str,
    files: &[(&str, &str)],
    roots: &[(&str, Option<&str>)],
) -> Result<Model, Errors> {
    let tree = Tree::new(name, files);
    let paths: Vec<&str> = roots.iter().map(|(path, _)| *path).collect();
    let (graph, ids) = tree.resolve(&paths)?;
    let roots: Vec<Root> = roots
        .iter()
        .zip(ids)
        .map(|((path, event), id)| Root {
            id,
            schema: path.trim_end_matches(".yaml").to_owned(),
            event_type: event.map(str::to_owned),
        })
        .collect();
    build(&graph, &roots, &EventKinds::default())
}

fn find<'m>(model: &'m Model, name: &str) -> &'m TypeDef {
    model
        .modules
        .values()
        .flat_map(|m| &m.types)
        .find(|t| t.name == name)
        .unwrap_or_else(|| {
            let names: Vec<&str> = model
                .modules
                .values()
                .flat_map(|m| &m.types)
                .map(|t| t.name.as_str())
                .collect();
            panic!("no type {name} in {names:?}")
        })
}

fn fields(def: &TypeDef) -> &[Field] {
    match &def.kind {
        TypeKind::Struct { fields, .. } => fields,
        other => panic!("{} is not a struct: {other:?}", def.name),
    }
}

const BASE: &str = "title: Base\ntype: object\nproperties:\n  id: {type: string}\n  shared: {$ref: shared.yaml}\nrequired: [id]\n";
const SHARED: &str = "title: Shared\ntype: object\nproperties:\n  n: {type: number}\n";

#[test]
fn all_of_merges_fields_and_one_schema_is_one_type() {
    let thing = "title: Thing\nallOf:\n- $ref: base.yaml\nproperties:\n  also: {$ref: shared.yaml, description: Refined docs.}\n  \
                 \"m.relates_to\": {type: string}\n  type: {type: string}\n  maybe: {type: [string, 'null']}\nrequired: [also]\n";
    let model = model_of(
        "merge",
        &[
            ("thing.yaml", thing),
            ("base.yaml", BASE),
            ("shared.yaml", SHARED),
        ],
        &[("thing.yaml", None)],
    )
    .unwrap();
    let thing = find(&model, "Thing");
    let by_json = |name: &str| {
        fields(thing)
            .iter()
            .find(|f| f.json_name == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        fields(thing)
            .iter()
            .map(|f| f.json_name.as_str())
            .collect::<Vec<_>>(),
        ["id", "shared", "also", "m.relates_to", "type", "maybe"]
    );
    assert!(by_json("id").required && by_json("also").required && !by_json("shared").required);
    assert_eq!(by_json("shared").ty, TypeRef::Named("Shared".into()));
    assert_eq!(
        by_json("also").ty,
        TypeRef::Named("Shared".into()),
        "a $ref with a description is its target"
    );
    assert_eq!(
        by_json("also").docs.description.as_deref(),
        Some("Refined docs.")
    );
    assert_eq!(by_json("m.relates_to").name, "relates_to");
    assert_eq!(by_json("type").name, "type_");
    assert!(by_json("maybe").nullable && by_json("maybe").ty == TypeRef::String);
    assert_eq!(fields(find(&model, "Shared"))[0].ty, TypeRef::Number);
    let shared_count = model
        .modules
        .values()
        .flat_map(|m| &m.types)
        .filter(|t| t.name.starts_with("Shared"))
        .count();
    assert_eq!(shared_count, 1);
}

#[test]
fn conflicting_all_of_names_both_places() {
    let thing = "allOf:\n- {type: object, properties: {x: {type: string}}}\n- {type: object, properties: {x: {type: integer}}}\n";
    let errors = model_of(
        "conflict",
        &[("thing.yaml", thing)],
        &[("thing.yaml", None)],
    )
    .unwrap_err()
    .0;
    assert_eq!(errors.len(), 1, "{errors:?}");
    let places = [
        errors[0].location.pointer.as_str(),
        errors[0].related[0].0.pointer.as_str(),
    ];
    assert!(
        places.contains(&"/allOf/0/properties/x/type")
            && places.contains(&"/allOf/1/properties/x/type"),
        "{places:?}"
    );
    assert!(
        errors[0].message.contains("incompatible types"),
        "{}",
        errors[0].message
    );
}

#[test]
fn events_get_a_type_tag_a_content_type_and_shared_content_a_newtype() {
    let event = "type: object\nproperties:\n  type: {type: string}\n  content: {type: object}\nrequired: [type, content]\n";
    let own = "allOf:\n- $ref: event.yaml\nproperties:\n  content:\n    properties:\n      body: {type: string}\n      \
               kind: {type: string, enum: [a, b.c]}\n  type: {enum: [m.own]}\n";
    let shared = "allOf:\n- $ref: event.yaml\nproperties:\n  content: {$ref: shared.yaml}\n  type: {enum: [m.shared]}\n";
    let model = model_of(
        "events",
        &[
            ("event.yaml", event),
            ("m.own.yaml", own),
            ("m.shared.yaml", shared),
            ("shared.yaml", SHARED),
        ],
        &[
            ("m.own.yaml", Some("m.own")),
            ("m.shared.yaml", Some("m.shared")),
        ],
    )
    .unwrap();
    let own_event = find(&model, "OwnEvent");
    let field = |name: &str| {
        fields(own_event)
            .iter()
            .find(|f| f.json_name == name)
            .unwrap()
            .clone()
    };
    assert_eq!(field("type").ty, TypeRef::EventTypeTag("OwnEvent".into()));
    assert_eq!(field("type").name, "event_type");
    assert_eq!(
        field("content").ty,
        TypeRef::Named("OwnEventContent".into())
    );
    let kind = &fields(find(&model, "OwnEventContent"))[1];
    assert_eq!(kind.ty, TypeRef::Named("OwnKind".into()));
    let TypeKind::StringEnum { variants, .. } = &find(&model, "OwnKind").kind else {
        panic!("not an enum")
    };
    assert_eq!(
        variants
            .iter()
            .map(|v| (v.name.as_str(), v.value.as_str()))
            .collect::<Vec<_>>(),
        [("A", "a"), ("BC", "b.c")]
    );
    // A content schema another file holds (others may share it) is wrapped in a type of the
    // event's own, which knows its event type.
    assert_eq!(
        find(&model, "SharedEventContent").kind,
        TypeKind::Newtype(TypeRef::Named("Shared".into()))
    );
    let events: Vec<&EventDef> = model.modules.values().flat_map(|m| &m.events).collect();
    assert_eq!(events.len(), 2);
    assert!(events
        .iter()
        .any(|e| e.event_type == "m.shared"
            && e.content == TypeRef::Named("SharedEventContent".into())));
    let contents: Vec<(&str, &str)> = model
        .modules
        .values()
        .flat_map(|m| &m.contents)
        .map(|c| (c.type_name.as_str(), c.event_type.as_str()))
        .collect();
    assert_eq!(
        contents,
        [
            ("OwnEventContent", "m.own"),
            ("SharedEventContent", "m.shared")
        ]
    );
}

#[test]
fn an_event_whose_type_enum_excludes_its_own_type_is_an_error() {
    let event = "type: object\nproperties:\n  type: {type: string, enum: [m.other]}\n  content: {type: object}\n";
    let errors = model_of(
        "wrong-type",
        &[("m.mine.yaml", event)],
        &[("m.mine.yaml", Some("m.mine"))],
    )
    .unwrap_err()
    .0;
    assert_eq!(
        errors[0].location,
        Location::new("m.mine.yaml", "/properties/type/enum")
    );
}

#[test]
fn same_titles_get_distinct_deterministic_names() {
    let a = "type: object\nproperties:\n  one: {title: Info, type: object, properties: {a: {type: string}}}\n  \
             two: {title: Info, type: object, properties: {b: {type: string}}}\n";
    let names = |model: &Model| -> Vec<String> {
        let mut names: Vec<String> = model
            .modules
            .values()
            .flat_map(|m| &m.types)
            .map(|t| t.name.clone())
            .collect();
        names.sort();
        names
    };
    let first = model_of("titles", &[("a.yaml", a)], &[("a.yaml", None)]).unwrap();
    let second = model_of("titles", &[("a.yaml", a)], &[("a.yaml", None)]).unwrap();
    assert_eq!(names(&first), ["A", "ATwo", "Info"]);
    assert_eq!(names(&first), names(&second));
}

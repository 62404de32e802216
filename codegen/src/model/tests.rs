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
    // Every spec has the standard error response and its codes.
    assert_eq!(
        names(&first),
        ["A", "ATwo", "ErrorCode", "Info", "StandardError"]
    );
    assert_eq!(names(&first), names(&second));
}

/// Builds the model of `files` (paths relative to `data/`): the operations of the API files
/// among them, and `roots` (definitions or event schema files, named from their stems).
fn model_with_operations(files: &[(&str, &str)], roots: &[&str]) -> Result<Model, Errors> {
    let mut docs = crate::load::Documents::new("/nonexistent/spec/data", Default::default());
    for (file, text) in files {
        docs.insert(file, text).unwrap();
    }
    let api_files: Vec<String> = files
        .iter()
        .map(|(file, _)| (*file).to_owned())
        .filter(|file| file.starts_with("api/") && !file.contains("/definitions/"))
        .collect();
    let operations = crate::api::operations(&mut docs, &api_files)?;
    let mut locations: Vec<Location> = roots.iter().map(|root| Location::new(*root, "")).collect();
    locations.extend(operations.iter().flat_map(crate::api::Operation::schemas));
    let (graph, ids) = crate::resolve::resolve_at(&mut docs, &locations)?;
    let roots: Vec<Root> = roots
        .iter()
        .zip(ids)
        .map(|(file, id)| Root {
            id,
            schema: file
                .trim_start_matches("event-schemas/schema/")
                .trim_end_matches(".yaml")
                .to_owned(),
            event_type: None,
        })
        .collect();
    build_with_operations(&graph, &roots, &EventKinds::default(), &operations)
}

/// An OpenAPI document of `api` (`client-server`) with `paths` (YAML, indented by two).
fn api_document(base_path: &str, paths: &str) -> String {
    format!(
        "openapi: 3.1.0\nservers:\n  - url: \"{{basePath}}\"\n    variables:\n      basePath: {{default: {base_path}}}\npaths:\n{paths}"
    )
}

/// A `get` of `path` with `operation_id`, whose 200 response is `schema` (YAML flow style).
fn get(path: &str, operation_id: &str, schema: &str) -> String {
    format!(
        "  \"{path}\":\n    get:\n      operationId: {operation_id}\n      responses:\n        \"200\":\n          description: OK.\n          content:\n            application/json:\n              schema: {schema}\n"
    )
}

/// Every type, request and response name of `model`, with the folder it is in.
fn names_by_folder(model: &Model) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = model
        .modules
        .values()
        .flat_map(|module| {
            let folder = module.folder.clone();
            module
                .types
                .iter()
                .map(|t| t.name.clone())
                .chain(
                    module
                        .operations
                        .iter()
                        .flat_map(|op| [op.request_name.clone(), op.response_name.clone()]),
                )
                .map(move |name| (folder.clone(), name))
        })
        .collect();
    names.sort();
    names
}

fn pairs(names: &[(String, String)]) -> Vec<(&str, &str)> {
    names
        .iter()
        .map(|(folder, name)| (folder.as_str(), name.as_str()))
        .collect()
}

#[test]
fn operations_of_one_id_in_two_apis_both_get_the_plain_names() {
    let body = "{type: object, properties: {versions: {type: array, items: {type: string}}}}";
    let files = [
        (
            "api/client-server/versions.yaml",
            api_document("/_matrix/client", &get("/versions", "getVersions", body)),
        ),
        (
            "api/identity/versions.yaml",
            api_document("/_matrix/identity", &get("/versions", "getVersions", body)),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let model = model_with_operations(&files, &[]).unwrap();
    assert_eq!(
        pairs(&names_by_folder(&model)),
        [
            ("client_server", "GetVersionsRequest"),
            ("client_server", "GetVersionsResponse"),
            ("client_server", "GetVersionsResponseBody"),
            ("common", "ErrorCode"),
            ("common", "StandardError"),
            ("identity", "GetVersionsRequest"),
            ("identity", "GetVersionsResponse"),
            ("identity", "GetVersionsResponseBody"),
        ]
    );
    assert!(model.numbered.is_empty(), "{:?}", model.numbered);
}

#[test]
fn an_api_type_that_a_shared_type_has_the_name_of_is_named_for_its_place() {
    // `Thing` is used by two APIs: it is in `common`, and its name is the crate's. A type of
    // an API titled `Thing` too takes the name of where it is used; an event's likewise.
    let thing = "title: Thing\ntype: object\nproperties:\n  a: {type: string}\n";
    let other = "{type: object, properties: {thing: {$ref: definitions/thing.yaml}, other: {title: Thing, type: object, properties: {b: {type: string}}}}}";
    let files = [
        ("api/client-server/definitions/thing.yaml", thing.to_owned()),
        (
            "api/client-server/things.yaml",
            api_document("/_matrix/client/v3", &get("/thing", "getThing", other)),
        ),
        (
            "api/identity/things.yaml",
            api_document(
                "/_matrix/identity/v2",
                &get(
                    "/thing",
                    "getIt",
                    "{$ref: ../client-server/definitions/thing.yaml}",
                ),
            ),
        ),
        (
            "event-schemas/schema/components/note.yaml",
            "type: object\nproperties:\n  thing: {title: Thing, type: object, properties: {c: {type: string}}}\n"
                .to_owned(),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let model = model_with_operations(
        &files,
        &[
            "api/client-server/definitions/thing.yaml",
            "event-schemas/schema/components/note.yaml",
        ],
    )
    .unwrap();
    let names = names_by_folder(&model);
    let names = pairs(&names);
    for expected in [
        ("common", "Thing"),
        ("client_server", "GetThingResponseBodyOther"),
        ("events", "NoteThing"),
    ] {
        assert!(names.contains(&expected), "no {expected:?} in {names:?}");
    }
    assert!(model.numbered.is_empty(), "{:?}", model.numbered);
}

#[test]
fn two_schemas_of_one_name_in_one_folder_are_named_for_what_tells_them_apart() {
    // Two `PusherData`: the second is named for the place of its parent, `Pusher`.
    let pushers = "{type: object, properties: {pushers: {type: array, items: {title: Pusher, type: object, properties: {data: {title: PusherData, type: object, properties: {url: {type: string}}}}}}}}";
    let set = "{type: object, properties: {data: {title: PusherData, type: object, properties: {format: {type: string}}}}}";
    // Two operations of one id: the paths' versions tell them apart, or else their segments.
    let join = |version: &str| {
        get(
            &format!("/{version}/send_join/{{roomId}}"),
            "sendJoin",
            &format!("{{type: object, properties: {{state_{version}: {{type: array}}}}}}"),
        )
    };
    let paths = [
        get("/pushers", "getPushers", pushers),
        get("/pushers/set", "setPusher", set),
        join("v1"),
        join("v2"),
        get("/thirdparty/user", "queryUserByID", "{type: array}"),
        get("/users/{userId}", "queryUserById", "{type: object}"),
    ]
    .concat();
    let files = [(
        "api/client-server/all.yaml",
        api_document("/_matrix/client", &paths),
    )];
    let files: Vec<(&str, &str)> = files.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let model = model_with_operations(&files, &[]).unwrap();
    let names = names_by_folder(&model);
    let names = pairs(&names);
    for expected in [
        "GetPushersResponseBodyPushersData",
        "PusherData",
        "SendJoinRequest",
        "SendJoinV2Request",
        "SendJoinV2ResponseBody",
        "QueryUserByIdRequest",
        "QueryUserByIdUsersRequest",
    ] {
        assert!(
            names.contains(&("client_server", expected)),
            "no {expected} in {names:?}"
        );
    }
    assert!(model.numbered.is_empty(), "{:?}", model.numbered);
    // The first `PusherData` (the one named first) is that of `setPusher`.
    let set_body = model
        .modules
        .values()
        .flat_map(|m| &m.types)
        .find(|t| t.name == "SetPusherResponseBody")
        .unwrap();
    assert_eq!(fields(set_body)[0].ty, TypeRef::Named("PusherData".into()));
}

#[test]
fn operations_at_one_method_and_path_name_each_other() {
    // The spec tells two operations of one method and path apart by a space after the second
    // path key; a third operation of the API, at another path, is in no pair.
    let body = "{type: object, properties: {a: {type: string}}}";
    let paths = [
        get("/things", "getThings", body),
        get("/things ", "peekThings", body),
        get("/other", "getOther", body),
    ]
    .concat();
    let file = api_document("/_matrix/client/v3", &paths);
    let model = model_with_operations(&[("api/client-server/things.yaml", &file)], &[]).unwrap();
    let mut same: Vec<(&str, &str, Vec<String>)> = model
        .modules
        .values()
        .flat_map(|module| &module.operations)
        .map(|op| {
            (
                op.request_name.as_str(),
                op.full_path.as_str(),
                op.same_endpoint.clone(),
            )
        })
        .collect();
    same.sort();
    assert_eq!(
        same,
        [
            ("GetOtherRequest", "/_matrix/client/v3/other", vec![]),
            (
                "GetThingsRequest",
                "/_matrix/client/v3/things",
                vec!["PeekThingsRequest".to_owned()]
            ),
            (
                "PeekThingsRequest",
                "/_matrix/client/v3/things",
                vec!["GetThingsRequest".to_owned()]
            ),
        ]
    );
}

#[test]
fn a_union_holds_its_struct_alternatives_boxed() {
    let body = "{title: Answer, oneOf: [{title: Thing, type: object, properties: {a: {type: string}}}, {type: string}]}";
    let file = api_document("/_matrix/client/v3", &get("/answer", "getAnswer", body));
    let model = model_with_operations(&[("api/client-server/answer.yaml", &file)], &[]).unwrap();
    let variants: Vec<&TypeRef> = model
        .modules
        .values()
        .flat_map(|module| &module.types)
        .find_map(|def| match &def.kind {
            TypeKind::Union(variants) => Some(variants.iter().map(|v| &v.ty).collect()),
            _ => None,
        })
        .expect("a union");
    assert_eq!(
        variants,
        [
            &TypeRef::Boxed(Box::new(TypeRef::Named("Thing".into()))),
            &TypeRef::String
        ]
    );
}

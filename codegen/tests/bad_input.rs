//! Broken and unusual specs through the whole generator (`codegen::generate` on a spec tree
//! written to a temporary folder): every problem is an error naming the file and JSON pointer
//! (and the other places it involves), all problems of a run are reported together, nothing
//! panics, overflows its stack or hangs, nothing the generator does not understand becomes
//! `serde_json::Value` without a word, and names that would collide are told apart the same
//! way on every run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use codegen::{Diagnostic, Errors, Generated, Location};

/// A spec folder (holding `data/`, with an event schema folder) holding `files` (paths
/// relative to `data/`), removed when dropped.
struct Spec(PathBuf);

impl Spec {
    fn new(name: &str, files: &[(&str, &str)]) -> Self {
        let dir = std::env::temp_dir().join(format!("bad-input-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data").join(codegen::EVENT_SCHEMA_DIR)).unwrap();
        for (path, text) in files {
            write(&dir.join("data").join(path), text);
        }
        Spec(dir)
    }

    /// Generates from the spec on another thread: a hang fails the test instead of stalling
    /// it, and a stack overflow aborts the test binary (so it fails too).
    fn generate(&self) -> Result<Generated, Errors> {
        let dir = self.0.clone();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = sender.send(codegen::generate(&dir, None));
        });
        match receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => panic!("generation did not finish in 60 s"),
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the generator panicked"),
        }
    }

    fn errors(&self) -> Vec<Diagnostic> {
        match self.generate() {
            Ok(generated) => panic!(
                "expected errors, got {} files; notes: {:?}",
                generated.files.len(),
                generated.notes
            ),
            Err(errors) => errors.0,
        }
    }

    fn generated(&self) -> Generated {
        self.generate().unwrap_or_else(|errors| panic!("{errors}"))
    }

    fn data(&self) -> PathBuf {
        self.0.join("data")
    }
}

impl Drop for Spec {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A path below the event schema folder.
fn ev(file: &str) -> String {
    format!("{}/{file}", codegen::EVENT_SCHEMA_DIR)
}

fn loc(file: &str, pointer: &str) -> Location {
    Location::new(file, pointer)
}

/// A diagnostic as plain data, for one exact comparison: its place, its message and its
/// related places with their notes.
type Summary = (Location, String, Vec<(Location, String)>);

fn summary(errors: &[Diagnostic]) -> Vec<Summary> {
    errors
        .iter()
        .map(|e| (e.location.clone(), e.message.clone(), e.related.clone()))
        .collect()
}

fn diag(at: Location, message: &str, related: &[(Location, &str)]) -> Summary {
    (
        at,
        message.to_owned(),
        related
            .iter()
            .map(|(at, note)| (at.clone(), (*note).to_owned()))
            .collect(),
    )
}

fn assert_contains(text: &str, fragment: &str) {
    assert!(text.contains(fragment), "missing {fragment:?} in:\n{text}");
}

/// The generated module of `file` (below the event schema folder).
fn module<'g>(generated: &'g Generated, file: &str) -> &'g str {
    let path = format!("events/{file}.rs");
    generated
        .files
        .get(&path)
        .unwrap_or_else(|| panic!("no {path} in {:?}", generated.files.keys()))
}

// ---------------------------------------------------------------------------------------------
// 1. Malformed YAML
// ---------------------------------------------------------------------------------------------

#[test]
fn malformed_yaml_names_the_file_the_line_and_the_column() {
    // Line 3 starts with a tab, which YAML does not allow for indentation.
    let spec = Spec::new(
        "malformed",
        &[(
            &ev("m.bad.yaml"),
            "type: object\nproperties:\n\tbody: {type: string}\n",
        )],
    );
    assert_eq!(
        summary(&spec.errors()),
        [diag(
            loc(&ev("m.bad.yaml"), ""),
            "malformed YAML at line 3, column 1: found character that cannot start any token at line 3 column 1, while scanning for the next token",
            &[],
        )]
    );
    let shown = Errors(spec.errors()).to_string();
    assert_eq!(
        shown,
        format!(
            "error: malformed YAML at line 3, column 1: found character that cannot start any token at line 3 column 1, while scanning for the next token\n  --> {}#\n1 error(s); nothing was written",
            ev("m.bad.yaml")
        )
    );
}

#[test]
fn malformed_yaml_reached_through_a_ref_names_the_ref_and_the_broken_file() {
    let spec = Spec::new(
        "malformed-ref",
        &[
            (
                "api/client-server/definitions/user.yaml",
                "type: object\nproperties:\n  broken: {$ref: broken.json}\n",
            ),
            // JSON is YAML too: an unclosed list on line 2.
            (
                "api/client-server/definitions/broken.json",
                "{\"type\": \"object\",\n \"required\": [\"a\"\n}\n",
            ),
        ],
    );
    let errors = spec.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = &errors[0];
    assert_eq!(
        (&error.location, error.message.as_str()),
        (
            &loc(
                "api/client-server/definitions/user.yaml",
                "/properties/broken/$ref"
            ),
            "dangling `$ref: broken.json`: cannot load api/client-server/definitions/broken.json"
        )
    );
    assert_eq!(error.related.len(), 1, "{error:#?}");
    assert_eq!(
        error.related[0].0,
        loc("api/client-server/definitions/broken.json", "")
    );
    assert!(
        error.related[0]
            .1
            .starts_with("malformed YAML at line 3, column 1: "),
        "{}",
        error.related[0].1
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Dangling `$ref`s
// ---------------------------------------------------------------------------------------------

#[test]
fn a_ref_to_a_missing_file_names_the_referring_place_and_the_target() {
    let spec = Spec::new(
        "missing-file",
        &[(
            &ev("m.thing.yaml"),
            "type: object\nproperties:\n  content: {$ref: ../missing/content.yaml}\n",
        )],
    );
    let missing = spec.data().join("event-schemas/missing/content.yaml");
    assert_eq!(
        summary(&spec.errors()),
        [diag(
            loc(&ev("m.thing.yaml"), "/properties/content/$ref"),
            "dangling `$ref: ../missing/content.yaml`: cannot load event-schemas/missing/content.yaml",
            &[(
                loc("event-schemas/missing/content.yaml", ""),
                &format!(
                    "cannot read {}: No such file or directory (os error 2)",
                    missing.display()
                ),
            )],
        )]
    );
}

#[test]
fn a_ref_to_a_missing_pointer_names_the_referring_place_and_the_target() {
    let spec = Spec::new(
        "missing-pointer",
        &[
            (
                &ev("m.thing.yaml"),
                "type: object\nproperties:\n  a: {$ref: 'shared.yaml#/definitions/nope'}\n  b: {$ref: '#/properties/nope'}\n",
            ),
            (&ev("shared.yaml"), "definitions:\n  yes: {type: string}\n"),
        ],
    );
    assert_eq!(
        summary(&spec.errors()),
        [
            diag(
                loc(&ev("m.thing.yaml"), "/properties/a/$ref"),
                &format!(
                    "dangling `$ref: shared.yaml#/definitions/nope`: {}#/definitions/nope does not exist",
                    ev("shared.yaml")
                ),
                &[],
            ),
            diag(
                loc(&ev("m.thing.yaml"), "/properties/b/$ref"),
                &format!(
                    "dangling `$ref: #/properties/nope`: {}#/properties/nope does not exist",
                    ev("m.thing.yaml")
                ),
                &[],
            ),
        ]
    );
}

#[test]
fn refs_the_generator_cannot_follow_are_named() {
    let spec = Spec::new(
        "unfollowable-refs",
        &[(
            &ev("m.thing.yaml"),
            "type: object\nproperties:\n  url: {$ref: 'https://example.org/schema.yaml'}\n  \
             absolute: {$ref: /etc/schema.yaml}\n  anchor: {$ref: 'other.yaml#thing'}\n  \
             outside: {$ref: ../../../../outside.yaml}\n",
        )],
    );
    let at = |property: &str| loc(&ev("m.thing.yaml"), &format!("/properties/{property}/$ref"));
    assert_eq!(
        summary(&spec.errors()),
        [
            diag(
                at("absolute"),
                "`$ref: /etc/schema.yaml` is not a relative path: only files of the spec's data folder are read",
                &[],
            ),
            diag(
                at("anchor"),
                "`$ref: other.yaml#thing` names an anchor: only JSON pointers (`#/…`) are supported",
                &[],
            ),
            diag(
                at("outside"),
                "`$ref: ../../../../outside.yaml` points outside the spec's data folder",
                &[],
            ),
            diag(
                at("url"),
                "`$ref: https://example.org/schema.yaml` is not a relative path: only files of the spec's data folder are read",
                &[],
            ),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Cycles
// ---------------------------------------------------------------------------------------------

const CYCLE: &str = "cycle of `$ref`/`allOf`/`oneOf`/`anyOf` with no object or list in between";

#[test]
fn a_ref_cycle_between_two_files_names_every_member() {
    let spec = Spec::new(
        "cycle-two",
        &[
            (&ev("a.yaml"), "$ref: b.yaml\n"),
            (&ev("b.yaml"), "$ref: a.yaml\n"),
        ],
    );
    let (a, b) = (ev("a.yaml"), ev("b.yaml"));
    assert_eq!(
        summary(&spec.errors()),
        [diag(
            loc(&a, ""),
            &format!("{CYCLE}: {a}# -> {b}# -> {a}#"),
            &[(loc(&b, ""), "part of the cycle")],
        )]
    );
}

#[test]
fn a_self_ref_is_a_cycle_of_one() {
    for (name, text) in [("hash", "$ref: '#'\n"), ("file", "$ref: a.yaml\n")] {
        let spec = Spec::new(&format!("cycle-self-{name}"), &[(&ev("a.yaml"), text)]);
        let a = ev("a.yaml");
        assert_eq!(
            summary(&spec.errors()),
            [diag(loc(&a, ""), &format!("{CYCLE}: {a}# -> {a}#"), &[])],
            "{text}"
        );
    }
}

#[test]
fn cycles_through_all_of_one_of_and_any_of_are_named_too() {
    let spec = Spec::new(
        "cycle-combinators",
        &[
            (&ev("all.yaml"), "allOf:\n- $ref: '#'\n"),
            // Following this one to type its only alternative would never end.
            (&ev("one.yaml"), "oneOf:\n- $ref: '#'\n- {type: 'null'}\n"),
            (&ev("any.yaml"), "anyOf:\n- $ref: other.yaml\n"),
            (
                &ev("other.yaml"),
                "anyOf:\n- {type: string}\n- $ref: any.yaml\n",
            ),
        ],
    );
    let (all, one, any, other) = (
        ev("all.yaml"),
        ev("one.yaml"),
        ev("any.yaml"),
        ev("other.yaml"),
    );
    assert_eq!(
        summary(&spec.errors()),
        [
            diag(
                loc(&all, ""),
                &format!("{CYCLE}: {all}# -> {all}#/allOf/0 -> {all}#"),
                &[(loc(&all, "/allOf/0"), "part of the cycle")],
            ),
            diag(
                loc(&any, ""),
                &format!(
                    "{CYCLE}: {any}# -> {any}#/anyOf/0 -> {other}# -> {other}#/anyOf/1 -> {any}#"
                ),
                &[
                    (loc(&any, "/anyOf/0"), "part of the cycle"),
                    (loc(&other, ""), "part of the cycle"),
                    (loc(&other, "/anyOf/1"), "part of the cycle"),
                ],
            ),
            diag(
                loc(&one, ""),
                &format!("{CYCLE}: {one}# -> {one}#/oneOf/0 -> {one}#"),
                &[(loc(&one, "/oneOf/0"), "part of the cycle")],
            ),
        ]
    );
}

#[test]
fn a_list_or_map_that_contains_itself_is_named_not_followed_forever() {
    let spec = Spec::new(
        "cycle-list",
        &[
            (&ev("list.yaml"), "type: array\nitems: {$ref: '#'}\n"),
            (
                &ev("map.yaml"),
                "type: object\nadditionalProperties: {$ref: map.yaml}\n",
            ),
        ],
    );
    let (list, map) = (ev("list.yaml"), ev("map.yaml"));
    let message = "a list or map that contains itself with no object in between has no Rust type";
    assert_eq!(
        summary(&spec.errors()),
        [
            diag(
                loc(&list, "/items"),
                &format!("{message}: {list}# -> {list}#/items"),
                &[(loc(&list, ""), "the schema that contains itself")],
            ),
            diag(
                loc(&map, "/additionalProperties"),
                &format!("{message}: {map}# -> {map}#/additionalProperties"),
                &[(loc(&map, ""), "the schema that contains itself")],
            ),
        ]
    );
}

#[test]
fn recursion_through_an_object_is_a_type_boxed_where_it_would_be_infinite() {
    let spec = Spec::new(
        "recursion",
        &[
            // Through a list: `Vec<Tree>` is a pointer already.
            (
                &ev("tree.yaml"),
                "type: object\ntitle: Tree\nproperties:\n  children: {type: array, items: {$ref: '#'}}\n",
            ),
            // Through an optional field, and through another type: the reference that closes
            // each cycle (looked for from the types in name order) is boxed.
            (
                &ev("node.yaml"),
                "type: object\ntitle: Node\nproperties:\n  next: {$ref: '#'}\n  wrapper: {$ref: wrapper.yaml}\n",
            ),
            (
                &ev("wrapper.yaml"),
                "type: object\ntitle: Wrapper\nproperties:\n  node: {$ref: node.yaml}\nrequired: [node]\n",
            ),
        ],
    );
    let generated = spec.generated();
    assert_contains(
        module(&generated, "tree"),
        "pub children: Option<Vec<Tree>>,",
    );
    let node = module(&generated, "node");
    assert_contains(node, "pub next: Option<Box<Node>>,");
    assert_contains(node, "pub wrapper: Option<Wrapper>,");
    assert_contains(module(&generated, "wrapper"), "pub node: Box<Node>,");
}

// ---------------------------------------------------------------------------------------------
// 4. `allOf` parts that disagree
// ---------------------------------------------------------------------------------------------

#[test]
fn all_of_parts_giving_a_property_two_types_name_both_places() {
    let spec = Spec::new(
        "all-of-types",
        &[
            (
                &ev("base.yaml"),
                "type: object\nproperties:\n  size: {type: string}\n  kind: {type: string, enum: [a, b]}\n",
            ),
            (
                &ev("m.thing.yaml"),
                "allOf:\n- $ref: base.yaml\ntype: object\nproperties:\n  size: {type: integer}\n  kind: {enum: [c]}\n",
            ),
        ],
    );
    let (base, thing) = (ev("base.yaml"), ev("m.thing.yaml"));
    assert_eq!(
        summary(&spec.errors()),
        [
            diag(
                loc(&thing, "/properties/kind/enum"),
                "`allOf` gives `enum`s with no value in common: `[c]` here",
                &[(loc(&base, "/properties/kind/enum"), "and `[a, b]` here")],
            ),
            diag(
                loc(&thing, "/properties/size/type"),
                "`allOf` gives incompatible types: `integer` here",
                &[(loc(&base, "/properties/size/type"), "and `string` here")],
            ),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Keywords and shapes the generator does not support, and the free-form ones it does
// ---------------------------------------------------------------------------------------------

/// Each unsupported keyword or shape, as the schema of property `p` of one object, with the
/// pointer (below `/properties/p`) and the message of the error it gives.
const UNSUPPORTED: &[(&str, &str, &str)] = &[
    ("{not: {type: string}}", "/not", "unsupported schema keyword `not`"),
    (
        "{type: string, if: {minLength: 1}}",
        "/if",
        "unsupported schema keyword `if`",
    ),
    (
        "{dependentSchemas: {a: {required: [b]}}}",
        "/dependentSchemas",
        "unsupported schema keyword `dependentSchemas`",
    ),
    (
        "{type: array, prefixItems: [{type: string}]}",
        "/prefixItems",
        "unsupported schema keyword `prefixItems`",
    ),
    // OpenAPI 3.0's way of saying `type: [string, 'null']`: ignoring it would lose the `null`.
    (
        "{type: string, nullable: true}",
        "/nullable",
        "unsupported schema keyword `nullable`",
    ),
    (
        "{$id: 'https://example.org/p', type: string}",
        "/$id",
        "`$id` is not supported: `$ref`s are followed from the file they are written in",
    ),
    ("{type: [string, text]}", "/type", "unknown JSON type \"text\""),
    (
        "{enum: [true, false]}",
        "/enum",
        "an `enum` of booleans is not supported: only an `enum` of strings or of numbers is",
    ),
    (
        "{enum: [a, 1]}",
        "/enum",
        "an `enum` of numbers and strings is not supported: only an `enum` of strings or of numbers is",
    ),
    ("{type: string, enum: []}", "/enum", "an empty `enum` admits no value"),
    (
        "{type: string, const: a, enum: [b, c]}",
        "/const",
        "`const: \"a\"` is not one of the values of the `enum` beside it",
    ),
    (
        "{type: string, properties: {a: {type: string}}}",
        "/properties",
        "object keywords such as `properties` on a schema whose `type` is `string`: they could never apply",
    ),
    (
        "{type: object, items: {type: string}}",
        "/items",
        "`items` on a schema whose `type` is `object`: they could never apply",
    ),
    (
        "{properties: {a: {type: string}}, items: {type: string}}",
        "/properties",
        "a schema with both object keywords and `items` but no `type` is not supported: give it `type: [object, array]`",
    ),
    (
        "{type: object, properties: {a: {type: string}}, oneOf: [{type: object}, {type: string}]}",
        "/oneOf",
        "`oneOf` beside `properties` is not supported: the generated type could not have both; move `properties` into each alternative",
    ),
    (
        "{anyOf: [{type: string}, {type: integer}], enum: [a]}",
        "/anyOf",
        "`anyOf` beside `enum` is not supported: the generated type could not have both; move `enum` into each alternative",
    ),
];

#[test]
fn each_unsupported_keyword_or_shape_is_an_error_naming_it() {
    for (index, (schema, pointer, message)) in UNSUPPORTED.iter().enumerate() {
        let spec = Spec::new(
            &format!("unsupported-{index}"),
            &[(
                &ev("thing.yaml"),
                &format!("type: object\nproperties:\n  p: {schema}\n"),
            )],
        );
        let errors = match spec.generate() {
            Ok(_) => panic!("{schema}: no error"),
            Err(errors) => errors.0,
        };
        assert_eq!(errors.len(), 1, "{schema}: {errors:#?}");
        assert_eq!(
            (&errors[0].location, errors[0].message.as_str()),
            (
                &loc(&ev("thing.yaml"), &format!("/properties/p{pointer}")),
                *message
            ),
            "{schema}"
        );
    }
}

/// A draft-04 tuple (`items: [A, B]`, as the Swagger-era releases write the pairs of PDUs) is
/// read as the spec rewrote it in v1.8 (`codegen::swagger`): a list of any of its types.
#[test]
fn tuple_items_are_a_list_of_any_of_their_types() {
    let spec = Spec::new(
        "tuple-items",
        &[(
            &ev("m.thing.yaml"),
            "type: object\nproperties:\n  type: {type: string}\n  content:\n    type: object\n    properties:\n      pair: {type: array, items: [{type: string}, {type: integer}]}\nrequired: [type, content]\n",
        )],
    );
    let generated = spec.generated();
    let module = module(&generated, "m_thing");
    assert_contains(module, "pub pair: Option<Vec<");
    assert_contains(module, "String(String)");
    assert_contains(module, "Integer(i64)");
}

#[test]
fn unsupported_shapes_name_the_other_place_they_involve() {
    let spec = Spec::new(
        "unsupported-related",
        &[(
            &ev("thing.yaml"),
            "type: object\nproperties:\n  p: {type: string, properties: {a: {type: string}}}\n  \
             q: {type: object, properties: {a: {type: string}}, oneOf: [{type: object}, {type: string}]}\n",
        )],
    );
    let at = |pointer: &str| loc(&ev("thing.yaml"), pointer);
    let related: Vec<Vec<(Location, String)>> =
        spec.errors().into_iter().map(|e| e.related).collect();
    assert_eq!(
        related,
        [
            vec![(at("/properties/p/type"), "the `type`".to_owned())],
            vec![(
                at("/properties/q/properties"),
                "the `properties`".to_owned()
            )],
        ]
    );
}

#[test]
fn free_form_schemas_are_json_values_and_known_shapes_are_typed() {
    let thing = "\
type: object
properties:
  anything: {}
  described: {description: Whatever the sender likes.}
  object: {type: object}
  open_map: {type: object, additionalProperties: true}
  list: {type: array}
  only_null: {type: 'null'}
  nullable_items: {type: array, items: {type: [string, 'null']}}
  nullable_values: {type: object, additionalProperties: {type: [integer, 'null']}}
  two_patterns:
    type: object
    patternProperties:
      '^a': {type: string}
      '^b': {type: integer}
  numbers: {enum: [1, 2, 3]}
  fractions: {enum: [0.5, 1]}
  constant: {type: string, const: fixed}
  string_or_object:
    type: [string, object]
    properties:
      key: {type: string}
  string_or_list:
    type: [string, array]
    items: {type: integer}
  one_of_required:
    type: object
    properties:
      a: {type: string}
      b: {type: string}
    oneOf:
    - required: [a]
    - required: [b]
  nullable_alternative:
    oneOf:
    - {type: [string, 'null']}
    - {type: integer}
";
    let spec = Spec::new("free-form", &[(&ev("thing.yaml"), thing)]);
    let generated = spec.generated();
    let text = module(&generated, "thing");
    for field in [
        "pub anything: Option<Value>,",
        "pub described: Option<Value>,",
        "pub object: Option<Map<String, Value>>,",
        "pub open_map: Option<Map<String, Value>>,",
        "pub list: Option<Vec<Value>>,",
        "pub only_null: Option<Option<Value>>,",
        "pub nullable_items: Option<Vec<Option<String>>>,",
        "pub nullable_values: Option<BTreeMap<String, Option<i64>>>,",
        "pub two_patterns: Option<BTreeMap<String, ThingTwoPatternsValue>>,",
        "pub numbers: Option<i64>,",
        "pub fractions: Option<Number>,",
        "pub constant: Option<ThingConstant>,",
        "pub string_or_object: Option<ThingStringOrObject>,",
        "pub string_or_list: Option<ThingStringOrList>,",
        "pub one_of_required: Option<ThingOneOfRequired>,",
        "pub nullable_alternative: Option<Option<ThingNullableAlternative>>,",
    ] {
        assert_contains(text, field);
    }
    for definition in [
        "pub enum ThingTwoPatternsValue {\n    Integer(i64),\n    String(String),\n}",
        "pub enum ThingConstant {\n    #[default]\n    #[serde(rename = \"fixed\")]\n    Fixed,\n}",
        "pub enum ThingStringOrObject {\n    ThingStringOrObjectObject(Box<ThingStringOrObjectObject>),\n    String(String),\n}",
        "pub struct ThingStringOrObjectObject {\n    #[serde(skip_serializing_if = \"Option::is_none\")]\n    pub key: Option<String>,",
        "pub enum ThingStringOrList {\n    List(Vec<i64>),\n    String(String),\n}",
        "pub struct ThingOneOfRequired {",
        "pub enum ThingNullableAlternative {\n    Integer(i64),\n    String(String),\n}",
    ] {
        assert_contains(text, definition);
    }
    assert!(generated.notes.is_empty(), "{:?}", generated.notes);
}

#[test]
fn a_format_without_a_type_is_a_value_and_a_note_says_so() {
    let spec = Spec::new(
        "format-only",
        &[(
            &ev("thing.yaml"),
            "type: object\nproperties:\n  user: {format: mx-user-id}\n",
        )],
    );
    let generated = spec.generated();
    assert_contains(module(&generated, "thing"), "pub user: Option<Value>,");
    assert_eq!(
        generated.notes,
        [format!(
            "{}#/properties/user/format has `format: mx-user-id` but no `type: string`, so it admits any JSON value: typed as `serde_json::Value`",
            ev("thing.yaml")
        )]
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Names that would collide
// ---------------------------------------------------------------------------------------------

const OBJECT_A: &str = "type: object\nproperties:\n  from_a: {type: string}\n";
const OBJECT_B: &str = "type: object\nproperties:\n  from_b: {type: integer}\n";

/// Each type of the schema index (`(schema, type)` pairs), from the generated index.
fn index_entries(generated: &Generated) -> Vec<String> {
    generated.files["schema_index.rs"]
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("(\"") && line.ends_with("),"))
        .map(str::to_owned)
        .collect()
}

/// Names are unique in the folder of an API, and in the crate for `events` and `common`
/// (which every folder imports): two APIs' `Thing`s are both `Thing`; an event schema
/// component of that name is told apart by its path.
#[test]
fn schemas_named_alike_are_named_per_folder_and_told_apart_by_their_paths() {
    let tree = |a: &str, b: &str, c: &str| {
        vec![
            (
                "api/client-server/definitions/thing.yaml".to_owned(),
                a.to_owned(),
            ),
            (
                "api/identity/definitions/thing.yaml".to_owned(),
                b.to_owned(),
            ),
            (ev("components/thing.yaml"), c.to_owned()),
        ]
    };
    let build = |name: &str, files: &[(String, String)]| {
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        Spec::new(name, &files)
    };
    let third = "type: object\nproperties:\n  from_c: {type: boolean}\n";
    let spec = build("names", &tree(OBJECT_A, OBJECT_B, third));
    let generated = spec.generated();
    let entries = index_entries(&generated);
    for entry in [
        "(\"api/client-server/definitions/thing\", \"Thing\"),",
        "(\"api/identity/definitions/thing\", \"Thing\"),",
        "(\"components/thing\", \"ComponentsThing\"),",
    ] {
        assert!(
            entries.iter().any(|e| e == entry),
            "no {entry} in {entries:#?}"
        );
    }
    assert_contains(
        &generated.files["client_server/thing.rs"],
        "pub struct Thing {\n    #[serde(skip_serializing_if = \"Option::is_none\")]\n    pub from_a:",
    );
    assert_contains(&generated.files["identity/thing.rs"], "pub struct Thing {");
    assert_contains(
        module(&generated, "components_thing"),
        "pub struct ComponentsThing {",
    );

    // The same files written in the opposite order: the same bytes.
    let mut reversed = tree(OBJECT_A, OBJECT_B, third);
    reversed.reverse();
    let again = build("names-reversed", &reversed).generated();
    assert_eq!(generated.files, again.files);

    // The names follow the paths, not the contents: swapped contents, same names.
    let swapped = build("names-swapped", &tree(OBJECT_B, OBJECT_A, third)).generated();
    assert_eq!(index_entries(&swapped), entries);
    assert_contains(
        &swapped.files["client_server/thing.rs"],
        "pub struct Thing {\n    #[serde(skip_serializing_if = \"Option::is_none\")]\n    pub from_b:",
    );
}

const CORE: &[(&str, &str)] = &[
    (
        "core-event-schema/event.yaml",
        "type: object\nproperties:\n  type: {type: string}\n  content: {type: object}\nrequired: [type, content]\n",
    ),
    (
        "core-event-schema/sync_room_event.yaml",
        "allOf:\n- $ref: event.yaml\n- type: object\n  properties:\n    event_id: {type: string}\n  required: [event_id]\n",
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
];

fn state_event(event_type: &str) -> String {
    format!(
        "allOf:\n- $ref: core-event-schema/state_event.yaml\nproperties:\n  content: {{type: object, properties: {{a: {{type: string}}}}}}\n  type: {{enum: [{event_type}]}}\n"
    )
}

fn message_variant(msgtype: &str) -> String {
    format!(
        "allOf:\n- $ref: core-event-schema/room_event.yaml\nproperties:\n  content:\n    type: object\n    properties:\n      msgtype: {{type: string, enum: ['{msgtype}']}}\n    required: [msgtype]\n  type: {{enum: [m.msg]}}\n"
    )
}

/// The lines of the enum `name` in `text`, from its `pub enum` line to its closing brace.
fn enum_block<'t>(text: &'t str, name: &str) -> Vec<&'t str> {
    let start = format!("pub enum {name} {{");
    text.lines()
        .skip_while(|line| *line != start)
        .take_while(|line| *line != "}")
        .filter(|line| {
            !line.trim_start().starts_with("///") && !line.trim_start().starts_with("#[")
        })
        .collect()
}

/// Event types of one name are numbered like their variants of the `Any…` enums (which
/// nothing else tells apart); module files of one name are told apart by their paths.
#[test]
fn event_types_and_variants_named_alike_are_numbered_and_modules_told_apart() {
    let mut files: Vec<(String, String)> = CORE
        .iter()
        .map(|(path, text)| (ev(path), (*text).to_owned()))
        .collect();
    let msg = "allOf:\n- $ref: core-event-schema/room_event.yaml\nproperties:\n  content: {type: object, properties: {msgtype: {type: string}}}\n  type: {enum: [m.msg]}\n";
    files.extend([
        // `FooBar` both; `Unknown` is the variant of unknown event types.
        (ev("m.foo_bar.yaml"), state_event("m.foo_bar")),
        (ev("m.foo.bar.yaml"), state_event("m.foo.bar")),
        (ev("m.unknown.yaml"), state_event("m.unknown")),
        // `XY` both, and `Unknown`, the variant of unknown `msgtype`s.
        (ev("m.msg.yaml"), msg.to_owned()),
        (ev("m.msg$m.x_y.yaml"), message_variant("m.x_y")),
        (ev("m.msg$m.x.y.yaml"), message_variant("m.x.y")),
        (ev("m.msg$m.unknown.yaml"), message_variant("m.unknown")),
        // Both `m_type` in the module folder of their API.
        (
            "api/client-server/definitions/type.yaml".to_owned(),
            "type: object\ntitle: Kind\nproperties:\n  a: {type: string}\n".to_owned(),
        ),
        (
            "api/client-server/definitions/m_type.yaml".to_owned(),
            "type: object\ntitle: Sort\nproperties:\n  b: {type: string}\n".to_owned(),
        ),
    ]);
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let spec = Spec::new("event-names", &files);
    let generated = spec.generated();
    let kinds = &generated.files["events/kinds.rs"];
    assert_eq!(
        enum_block(kinds, "AnyStateEvent"),
        [
            "pub enum AnyStateEvent {",
            "    FooBar(Box<FooBarEvent>),",
            "    FooBar2(Box<FooBarEvent2>),",
            "    Unknown2(Box<UnknownEvent2>),",
            "    Redacted(Box<UnknownEvent>),",
            "    Unknown(Box<UnknownEvent>),",
        ]
    );
    assert_eq!(
        enum_block(module(&generated, "m_msg"), "MsgEventContent"),
        [
            "pub enum MsgEventContent {",
            "    Unknown2(Box<MsgUnknownEventContent>),",
            "    XY(Box<MsgXYEventContent>),",
            "    XY2(Box<MsgXYContent>),",
            "    Unknown(Box<UnknownMsgEventContent>),",
        ]
    );
    for (event_type, variant) in [("m.foo.bar", "FooBar"), ("m.foo_bar", "FooBar2")] {
        assert_contains(
            kinds,
            &format!("match crate::dispatch::read_event(value, \"{event_type}\")? {{\n                        crate::dispatch::ReadEvent::Typed(event) => Self::{variant}(event),"),
        );
    }
    let api_modules: Vec<&String> = generated
        .files
        .keys()
        .filter(|path| path.starts_with("client_server/"))
        .collect();
    assert_eq!(
        api_modules,
        [
            "client_server/definitions_type.rs",
            "client_server/m_type.rs",
            "client_server/mod.rs"
        ]
    );
    assert_contains(
        &generated.files["client_server/m_type.rs"],
        "pub struct Sort {",
    );
    assert_contains(
        &generated.files["client_server/definitions_type.rs"],
        "pub struct Kind {",
    );
    assert_contains(
        &generated.files["client_server/mod.rs"],
        "mod m_type;\npub use m_type::*;\n\nmod definitions_type;\npub use definitions_type::*;\n",
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Every problem of a run, together
// ---------------------------------------------------------------------------------------------

#[test]
fn independent_problems_are_reported_together_in_the_order_of_their_places() {
    let spec = Spec::new(
        "together",
        &[
            (&ev("m.malformed.yaml"), "type: object\nproperties: [\n"),
            (
                &ev("m.dangling.yaml"),
                "type: object\nproperties:\n  a: {$ref: nowhere.yaml}\n",
            ),
            (
                "api/client-server/definitions/negated.yaml",
                "type: object\nproperties:\n  b: {not: {type: string}}\n",
            ),
            (
                "api/identity/definitions/broken.yaml",
                "type: object\nproperties: {a: [}\n",
            ),
        ],
    );
    let errors = spec.errors();
    let places: Vec<String> = errors.iter().map(|e| e.location.to_string()).collect();
    assert_eq!(
        places,
        [
            "api/client-server/definitions/negated.yaml#/properties/b/not".to_owned(),
            "api/identity/definitions/broken.yaml#".to_owned(),
            format!("{}#/properties/a/$ref", ev("m.dangling.yaml")),
            format!("{}#", ev("m.malformed.yaml")),
        ]
    );
    assert_eq!(errors[0].message, "unsupported schema keyword `not`");
    assert!(
        errors[1]
            .message
            .starts_with("malformed YAML at line 2, column "),
        "{}",
        errors[1].message
    );
    assert_eq!(
        errors[2].message,
        format!(
            "dangling `$ref: nowhere.yaml`: cannot load {}",
            ev("nowhere.yaml")
        )
    );
    assert!(
        errors[3].message.starts_with("malformed YAML at line "),
        "{}",
        errors[3].message
    );
    assert!(Errors(errors)
        .to_string()
        .ends_with("\n4 error(s); nothing was written"));
}

#[test]
fn problems_of_the_model_are_reported_together_too() {
    let base = "type: object\nproperties:\n  x: {type: string}\n  y: {type: boolean}\n  z: {type: string, enum: [a]}\n";
    let thing = "allOf:\n- $ref: base.yaml\nproperties:\n  x: {type: integer}\n  y: {type: string}\n  z: {enum: [b]}\n";
    let other = "type: object\nproperties:\n  w: {type: string, properties: {a: {type: string}}}\n";
    let spec = Spec::new(
        "model-together",
        &[
            (&ev("base.yaml"), base),
            (&ev("thing.yaml"), thing),
            (&ev("other.yaml"), other),
        ],
    );
    let places: Vec<String> = spec
        .errors()
        .iter()
        .map(|e| e.location.to_string())
        .collect();
    let (thing, other) = (ev("thing.yaml"), ev("other.yaml"));
    assert_eq!(
        places,
        [
            format!("{other}#/properties/w/properties"),
            format!("{thing}#/properties/x/type"),
            format!("{thing}#/properties/y/type"),
            format!("{thing}#/properties/z/enum"),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// No panic on any of it
// ---------------------------------------------------------------------------------------------

#[test]
fn odd_documents_are_errors_or_types_never_panics() {
    let deep = deep_schema(300);
    let cases: BTreeMap<&str, &str> = BTreeMap::from([
        ("empty", ""),
        ("null", "null\n"),
        ("scalar", "42\n"),
        ("list", "- a\n- b\n"),
        (
            "false schema",
            "type: object\nproperties:\n  never: false\n",
        ),
        ("true schema", "type: object\nproperties:\n  always: true\n"),
        (
            "ref to a scalar",
            "type: object\nproperties:\n  x: {$ref: '#/properties/y/type'}\n  y: {type: string}\n",
        ),
        ("non-string ref", "$ref: 3\n"),
        (
            "numeric keys",
            "type: object\nproperties:\n  1: {type: string}\n  2.5: {type: integer}\n",
        ),
        ("deep", deep.as_str()),
        (
            "anchors",
            "a: &x {type: string}\ntype: object\nproperties:\n  p: *x\n",
        ),
    ]);
    for (name, text) in cases {
        let spec = Spec::new(
            &format!("odd-{}", name.replace(' ', "-")),
            &[(&ev("m.odd.yaml"), text)],
        );
        match spec.generate() {
            Ok(generated) => assert!(!generated.files.is_empty(), "{name}"),
            Err(errors) => {
                assert!(!errors.0.is_empty(), "{name}");
                for error in &errors.0 {
                    assert_eq!(error.location.file, ev("m.odd.yaml"), "{name}: {error}");
                }
            }
        }
    }
}

/// An object nested `depth` levels deep through properties.
fn deep_schema(depth: usize) -> String {
    let mut text = String::new();
    for level in 0..depth {
        let indent = "  ".repeat(level * 2);
        text.push_str(&format!(
            "{indent}type: object\n{indent}properties:\n{indent}  p:\n"
        ));
    }
    text.push_str(&format!("{}type: string\n", "  ".repeat(depth * 2)));
    text
}

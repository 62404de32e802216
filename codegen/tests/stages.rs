//! Each pipeline stage on tiny schemas written for the test: `resolve` (refs and their errors),
//! `model` (merging, sharing and naming types), events end to end through `codegen::generate`,
//! and `render` (serde attributes and docs).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::load::Documents;
use codegen::model::{self, EnumVariant, Field, Model, TypeDef, TypeKind, TypeRef};
use codegen::overrides::Overrides;
use codegen::resolve::{self, JsonType, SchemaGraph, SchemaId};
use codegen::{Diagnostic, Errors, Location};

/// A fresh folder holding `files` (path, YAML text), removed when dropped.
struct Tree(PathBuf);

impl Tree {
    fn new(name: &str, files: &[(&str, &str)]) -> Self {
        let dir = std::env::temp_dir().join(format!("stages-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Tree(dir)
    }

    /// Resolves `roots`, with the tree itself as the `data/` folder.
    fn resolve(&self, roots: &[&str]) -> Result<(SchemaGraph, Vec<SchemaId>), Errors> {
        resolve_in(&self.0, roots)
    }

    /// Resolves and models `roots` (path, `Some(event type)` for events), named from their stems.
    fn model(&self, roots: &[(&str, Option<&str>)]) -> Result<Model, Errors> {
        model_in(&self.0, roots)
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn resolve_in(data_dir: &Path, roots: &[&str]) -> Result<(SchemaGraph, Vec<SchemaId>), Errors> {
    let mut docs = Documents::new(data_dir, Overrides::default());
    let roots: Vec<String> = roots.iter().map(|r| r.to_string()).collect();
    resolve::resolve(&mut docs, &roots)
}

fn model_in(data_dir: &Path, roots: &[(&str, Option<&str>)]) -> Result<Model, Errors> {
    let paths: Vec<&str> = roots.iter().map(|(path, _)| *path).collect();
    let (graph, ids) = resolve_in(data_dir, &paths)?;
    let roots: Vec<model::Root> = roots
        .iter()
        .zip(ids)
        .map(|((path, event_type), id)| model::Root {
            id,
            schema: path.strip_suffix(".yaml").unwrap().to_owned(),
            event_type: event_type.map(str::to_owned),
        })
        .collect();
    model::build(&graph, &roots, &model::EventKinds::default())
}

fn all_types(model: &Model) -> Vec<&TypeDef> {
    model.modules.values().flat_map(|m| &m.types).collect()
}

/// The names of the types made from the spec's schemas: every model also has the standard
/// error response and its codes (`model_gives_every_spec_the_standard_error_and_its_codes`).
fn type_names(model: &Model) -> Vec<String> {
    let mut names: Vec<String> = model
        .modules
        .values()
        .filter(|module| module.name != model::STANDARD_ERROR_MODULE)
        .flat_map(|module| &module.types)
        .map(|t| t.name.clone())
        .collect();
    names.sort();
    names
}

fn find<'m>(model: &'m Model, name: &str) -> &'m TypeDef {
    all_types(model)
        .into_iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name} in {:?}", type_names(model)))
}

fn fields<'m>(model: &'m Model, name: &str) -> &'m [Field] {
    match &find(model, name).kind {
        TypeKind::Struct { fields, .. } => fields,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

/// Each field as (JSON name, Rust name, type, required, nullable), for one comparison.
fn summarize(fields: &[Field]) -> Vec<(&str, &str, &TypeRef, bool, bool)> {
    fields
        .iter()
        .map(|f| {
            (
                f.json_name.as_str(),
                f.name.as_str(),
                &f.ty,
                f.required,
                f.nullable,
            )
        })
        .collect()
}

fn field<'m>(model: &'m Model, type_name: &str, json_name: &str) -> &'m Field {
    fields(model, type_name)
        .iter()
        .find(|f| f.json_name == json_name)
        .unwrap_or_else(|| panic!("{type_name} has no field {json_name}"))
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

fn loc(file: &str, pointer: &str) -> Location {
    Location::new(file, pointer)
}

/// The one diagnostic at `location`; fails if there is none or several.
fn at<'e>(errors: &'e [Diagnostic], location: &Location) -> &'e Diagnostic {
    let found: Vec<&Diagnostic> = errors.iter().filter(|e| e.location == *location).collect();
    assert_eq!(
        found.len(),
        1,
        "expected one error at {location}, got {errors:#?}"
    );
    found[0]
}

fn assert_contains(text: &str, fragment: &str) {
    assert!(text.contains(fragment), "missing {fragment:?} in:\n{text}");
}

// ---------------------------------------------------------------------------------------------
// Stage 2: resolve
// ---------------------------------------------------------------------------------------------

#[test]
fn resolve_follows_relative_local_and_cross_file_refs_to_one_node_per_target() {
    let root = "\
type: object
properties:
  x: {$ref: '../common/x.yaml'}
  x_again: {$ref: '../common/x.yaml'}
  x_via_dot: {$ref: '../common/./x.yaml'}
  z: {$ref: '#/definitions/foo'}
  z_again: {$ref: '#/definitions/foo'}
  w: {$ref: 'other.yaml#/properties/a'}
  whole: {$ref: other.yaml}
definitions:
  foo: {type: string}
";
    let tree = Tree::new(
        "resolve-refs",
        &[
            ("a/root.yaml", root),
            (
                "a/other.yaml",
                "type: object\nproperties:\n  a: {type: integer}\n",
            ),
            ("common/x.yaml", "type: object\ntitle: X\n"),
        ],
    );
    let (graph, roots) = tree.resolve(&["a/root.yaml"]).unwrap();
    assert_eq!(roots.len(), 1);
    assert_eq!(graph.location(roots[0]), &loc("a/root.yaml", ""));
    let root = graph.schema(roots[0]);
    let names: Vec<&str> = root.properties.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["x", "x_again", "x_via_dot", "z", "z_again", "w", "whole"]
    );
    let target = |name: &str| -> SchemaId {
        let (_, id) = root.properties.iter().find(|(n, _)| n == name).unwrap();
        assert_eq!(
            graph.location(*id),
            &loc("a/root.yaml", &format!("/properties/{name}"))
        );
        graph
            .schema(*id)
            .reference
            .unwrap_or_else(|| panic!("{name} has no resolved $ref"))
    };

    // `../common/x.yaml` from `a/` is `common/x.yaml`, however it is spelled.
    let x = target("x");
    assert_eq!(graph.location(x), &loc("common/x.yaml", ""));
    assert_eq!(graph.schema(x).types, [JsonType::Object]);
    assert_eq!(graph.schema(x).docs.title.as_deref(), Some("X"));
    assert_eq!(target("x_again"), x);
    assert_eq!(target("x_via_dot"), x);
    assert_eq!(graph.id_of(&loc("common/x.yaml", "")), Some(x));

    // `#/definitions/foo` is a pointer into the referring file.
    let z = target("z");
    assert_eq!(graph.location(z), &loc("a/root.yaml", "/definitions/foo"));
    assert_eq!(graph.schema(z).types, [JsonType::String]);
    assert_eq!(target("z_again"), z);

    // `other.yaml#/properties/a` is a pointer into a sibling file; the same node is also a
    // child of `other.yaml`'s root, reached through `whole`.
    let w = target("w");
    assert_eq!(graph.location(w), &loc("a/other.yaml", "/properties/a"));
    assert_eq!(graph.schema(w).types, [JsonType::Integer]);
    let whole = target("whole");
    assert_eq!(graph.location(whole), &loc("a/other.yaml", ""));
    assert_eq!(graph.schema(whole).properties, [("a".to_owned(), w)]);

    // Every reached schema once: the root, its 7 properties, and the 4 targets.
    let locations: BTreeSet<&Location> = graph.nodes.iter().map(|n| &n.location).collect();
    assert_eq!(
        locations.len(),
        graph.nodes.len(),
        "a location appears twice"
    );
    assert_eq!(graph.nodes.len(), 1 + 7 + 4, "{locations:#?}");
}

#[test]
fn resolve_reports_a_ref_to_a_missing_file_at_the_ref() {
    let tree = Tree::new(
        "resolve-missing-file",
        &[(
            "a/root.yaml",
            "type: object\nproperties:\n  p: {$ref: '../common/missing.yaml'}\n",
        )],
    );
    let errors = tree.resolve(&["a/root.yaml"]).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = &errors[0];
    assert_eq!(error.location, loc("a/root.yaml", "/properties/p/$ref"));
    assert!(error.location.pointer.ends_with("/$ref"));
    assert_contains(&error.message, "../common/missing.yaml");
    assert_contains(&error.message, "cannot load common/missing.yaml");
    assert_eq!(error.related.len(), 1, "{error:#?}");
    assert_eq!(error.related[0].0, loc("common/missing.yaml", ""));
}

#[test]
fn resolve_reports_a_ref_to_a_missing_pointer_at_the_ref() {
    let tree = Tree::new(
        "resolve-missing-pointer",
        &[
            ("root.yaml", "$ref: 'other.yaml#/properties/nope'\n"),
            (
                "other.yaml",
                "type: object\nproperties:\n  a: {type: string}\n",
            ),
        ],
    );
    let errors = tree.resolve(&["root.yaml"]).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].location, loc("root.yaml", "/$ref"));
    assert_contains(
        &errors[0].message,
        "other.yaml#/properties/nope does not exist",
    );
}

#[test]
fn resolve_reports_a_ref_cycle_naming_both_files_once() {
    let tree = Tree::new(
        "resolve-cycle",
        &[("a.yaml", "$ref: b.yaml\n"), ("b.yaml", "$ref: a.yaml\n")],
    );
    // Both files as roots: the one cycle is still reported once.
    let errors = tree.resolve(&["a.yaml", "b.yaml"]).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = &errors[0];
    assert_contains(&error.message, "cycle");
    assert_contains(&error.message, "a.yaml#");
    assert_contains(&error.message, "b.yaml#");
    let places: BTreeSet<Location> = std::iter::once(error.location.clone())
        .chain(error.related.iter().map(|(l, _)| l.clone()))
        .collect();
    assert_eq!(
        places,
        BTreeSet::from([loc("a.yaml", ""), loc("b.yaml", "")])
    );
}

#[test]
fn resolve_reports_malformed_yaml_with_its_file_and_line() {
    // Line 3 holds a tab where YAML wants spaces.
    let bad = "type: object\nproperties:\n\tx: {type: string}\n";
    let tree = Tree::new(
        "resolve-malformed",
        &[("bad.yaml", bad), ("uses_bad.yaml", "$ref: bad.yaml\n")],
    );
    let errors = tree.resolve(&["bad.yaml"]).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].location, loc("bad.yaml", ""));
    assert_contains(&errors[0].message, "malformed YAML at line 3");

    // Reached through a `$ref`, the error is at the ref, and the YAML error comes along.
    let errors = tree.resolve(&["uses_bad.yaml"]).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].location, loc("uses_bad.yaml", "/$ref"));
    assert_contains(&errors[0].message, "bad.yaml");
    assert_eq!(errors[0].related.len(), 1);
    assert_eq!(errors[0].related[0].0, loc("bad.yaml", ""));
    assert_contains(&errors[0].related[0].1, "malformed YAML at line 3");
}

#[test]
fn resolve_reports_an_unsupported_keyword_with_its_pointer() {
    let tree = Tree::new(
        "resolve-unsupported",
        &[(
            "a.yaml",
            "type: object\nproperties:\n  x:\n    type: string\n    not: {enum: [a]}\n",
        )],
    );
    let errors = tree.resolve(&["a.yaml"]).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].location, loc("a.yaml", "/properties/x/not"));
    assert_contains(&errors[0].message, "`not`");
}

#[test]
fn resolve_reports_every_error_together() {
    let root = "\
type: object
properties:
  missing_file: {$ref: missing.yaml}
  missing_pointer: {$ref: 'other.yaml#/nope'}
  negated:
    not: {type: string}
";
    let tree = Tree::new(
        "resolve-together",
        &[
            ("root.yaml", root),
            ("other.yaml", "type: object\n"),
            ("bad.yaml", "a: [1, 2\n"),
            ("cycle/a.yaml", "$ref: b.yaml\n"),
            ("cycle/b.yaml", "$ref: a.yaml\n"),
        ],
    );
    let errors = tree
        .resolve(&["root.yaml", "bad.yaml", "cycle/a.yaml"])
        .unwrap_err()
        .0;
    assert_eq!(errors.len(), 5, "{errors:#?}");
    assert_contains(
        &at(&errors, &loc("root.yaml", "/properties/missing_file/$ref")).message,
        "missing.yaml",
    );
    assert_contains(
        &at(
            &errors,
            &loc("root.yaml", "/properties/missing_pointer/$ref"),
        )
        .message,
        "other.yaml#/nope",
    );
    assert_contains(
        &at(&errors, &loc("root.yaml", "/properties/negated/not")).message,
        "`not`",
    );
    assert_contains(
        &at(&errors, &loc("bad.yaml", "")).message,
        "malformed YAML at line",
    );
    let cycle = errors
        .iter()
        .find(|e| e.message.contains("cycle"))
        .expect("no cycle reported");
    assert_contains(&cycle.message, "cycle/a.yaml#");
    assert_contains(&cycle.message, "cycle/b.yaml#");
}

// ---------------------------------------------------------------------------------------------
// Stage 3: model
// ---------------------------------------------------------------------------------------------

#[test]
fn model_all_of_merges_the_base_fields_before_the_own_ones() {
    let base = "\
title: Base
type: object
properties:
  id: {type: string}
  flag: {type: boolean}
required: [id]
";
    let thing = "\
title: Thing
type: object
allOf:
- $ref: base.yaml
properties:
  own: {type: string}
  count: {type: integer}
required: [own]
";
    let tree = Tree::new("model-allof", &[("base.yaml", base), ("thing.yaml", thing)]);
    let model = tree.model(&[("thing.yaml", None)]).unwrap();
    let thing = fields(&model, "Thing");
    let summary = summarize(thing);
    assert_eq!(
        summary,
        [
            ("id", "id", &TypeRef::String, true, false),
            ("flag", "flag", &TypeRef::Boolean, false, false),
            ("own", "own", &TypeRef::String, true, false),
            ("count", "count", &TypeRef::Integer, false, false),
        ]
    );
    assert_eq!(model.roots.len(), 1);
    assert_eq!(
        (
            model.roots[0].schema.as_str(),
            model.roots[0].type_name.as_str()
        ),
        ("thing", "Thing")
    );

    // Required fields are plain, the others `Option`.
    let files = codegen::render::render(&model).unwrap();
    let text = &files["events/thing.rs"];
    assert_contains(text, "pub id: String,");
    assert_contains(text, "pub own: String,");
    assert_contains(text, "pub flag: Option<bool>,");
    assert_contains(text, "pub count: Option<i64>,");
}

#[test]
fn model_refs_to_one_file_make_one_type_and_annotation_wrappers_reuse_it() {
    let shared = "title: Shared\ntype: object\nproperties:\n  n: {type: number}\n";
    let thing = "\
title: Thing
type: object
properties:
  a: {$ref: shared.yaml}
  b: {$ref: shared.yaml}
  described: {$ref: shared.yaml, description: Refined docs.}
  wrapped:
    description: Wrapped docs.
    allOf:
    - $ref: shared.yaml
";
    let tree = Tree::new(
        "model-shared",
        &[("shared.yaml", shared), ("thing.yaml", thing)],
    );
    let model = tree.model(&[("thing.yaml", None)]).unwrap();
    for name in ["a", "b", "described", "wrapped"] {
        assert_eq!(
            field(&model, "Thing", name).ty,
            named("Shared"),
            "field {name}"
        );
    }
    assert_eq!(
        field(&model, "Thing", "described")
            .docs
            .description
            .as_deref(),
        Some("Refined docs.")
    );
    assert_eq!(
        field(&model, "Thing", "wrapped")
            .docs
            .description
            .as_deref(),
        Some("Wrapped docs.")
    );
    assert_eq!(type_names(&model), ["Shared", "Thing"]);
    assert_eq!(find(&model, "Shared").source, loc("shared.yaml", ""));
    assert_eq!(field(&model, "Shared", "n").ty, TypeRef::Number);
}

#[test]
fn model_all_of_with_a_string_and_an_integer_property_names_both_places() {
    let base = "type: object\nproperties:\n  x: {type: string}\n";
    let thing = "title: Thing\nallOf:\n- $ref: base.yaml\nproperties:\n  x: {type: integer}\n";
    let tree = Tree::new(
        "model-conflict",
        &[("base.yaml", base), ("thing.yaml", thing)],
    );
    let errors = tree.model(&[("thing.yaml", None)]).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = &errors[0];
    assert_eq!(error.related.len(), 1, "{error:#?}");
    let places = BTreeSet::from([error.location.clone(), error.related[0].0.clone()]);
    assert_eq!(
        places,
        BTreeSet::from([
            loc("base.yaml", "/properties/x/type"),
            loc("thing.yaml", "/properties/x/type")
        ])
    );
    assert_contains(&error.message, "incompatible types");
    let both = format!("{} {}", error.message, error.related[0].1);
    assert_contains(&both, "`string`");
    assert_contains(&both, "`integer`");
}

#[test]
fn model_all_of_parts_in_one_file_that_disagree_are_an_error_too() {
    let thing = "\
allOf:
- {type: object, properties: {x: {type: string}}}
- {type: object, properties: {x: {type: integer}}}
";
    let tree = Tree::new("model-conflict-inline", &[("thing.yaml", thing)]);
    let errors = tree.model(&[("thing.yaml", None)]).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let places = BTreeSet::from([errors[0].location.clone(), errors[0].related[0].0.clone()]);
    assert_eq!(
        places,
        BTreeSet::from([
            loc("thing.yaml", "/allOf/0/properties/x/type"),
            loc("thing.yaml", "/allOf/1/properties/x/type")
        ])
    );
}

/// The places one `allOf` conflict names: its location and its related note's.
fn conflict_places(error: &Diagnostic) -> BTreeSet<Location> {
    assert_contains(&error.message, "incompatible types");
    assert_eq!(error.related.len(), 1, "{error:#?}");
    BTreeSet::from([error.location.clone(), error.related[0].0.clone()])
}

#[test]
fn model_reports_conflicts_in_different_types_together() {
    let base = "type: object\nproperties:\n  x: {type: string}\n  y: {type: boolean}\n";
    let one = "title: One\nallOf:\n- $ref: base.yaml\nproperties:\n  x: {type: integer, description: One.}\n";
    let two = "title: Two\nallOf:\n- $ref: base.yaml\nproperties:\n  y: {type: string, description: Two.}\n";
    let tree = Tree::new(
        "model-together",
        &[("base.yaml", base), ("one.yaml", one), ("two.yaml", two)],
    );
    let errors = tree
        .model(&[("one.yaml", None), ("two.yaml", None)])
        .unwrap_err()
        .0;
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let places: Vec<BTreeSet<Location>> = errors.iter().map(conflict_places).collect();
    assert!(
        places.contains(&BTreeSet::from([
            loc("base.yaml", "/properties/x/type"),
            loc("one.yaml", "/properties/x/type")
        ])),
        "{errors:#?}"
    );
    assert!(
        places.contains(&BTreeSet::from([
            loc("base.yaml", "/properties/y/type"),
            loc("two.yaml", "/properties/y/type")
        ])),
        "{errors:#?}"
    );
}

#[test]
fn model_conflict_is_located_at_the_conflicting_property_even_with_an_identical_copy_before_it() {
    // `a` is `{type: integer}` too, and is modelled before `x`: the conflict is still `x`'s.
    let thing = "\
allOf:
- type: object
  properties:
    a: {type: integer}
    x: {type: string}
properties:
  x: {type: integer}
";
    let tree = Tree::new("model-conflict-copy", &[("thing.yaml", thing)]);
    let errors = tree.model(&[("thing.yaml", None)]).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        conflict_places(&errors[0]),
        BTreeSet::from([
            loc("thing.yaml", "/allOf/0/properties/x/type"),
            loc("thing.yaml", "/properties/x/type")
        ])
    );
}

#[test]
fn model_reports_a_conflict_once_however_many_roots_reach_it() {
    let tree = Tree::new(
        "model-conflict-once",
        &[
            (
                "thing.yaml",
                "allOf:\n- {type: string}\n- {type: integer}\n",
            ),
            (
                "user.yaml",
                "type: object\nproperties:\n  a: {$ref: thing.yaml}\n",
            ),
        ],
    );
    let errors = tree
        .model(&[("thing.yaml", None), ("user.yaml", None)])
        .unwrap_err()
        .0;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        conflict_places(&errors[0]),
        BTreeSet::from([
            loc("thing.yaml", "/allOf/0/type"),
            loc("thing.yaml", "/allOf/1/type")
        ])
    );
}

#[test]
fn model_reports_every_conflicting_property_of_one_struct() {
    let base = "type: object\nproperties:\n  x: {type: string}\n  y: {type: boolean}\n";
    let thing = "\
title: Thing
allOf:
- $ref: base.yaml
properties:
  x: {type: integer, description: X.}
  y: {type: string, description: Y.}
";
    let tree = Tree::new(
        "model-conflict-every",
        &[("base.yaml", base), ("thing.yaml", thing)],
    );
    let errors = tree.model(&[("thing.yaml", None)]).unwrap_err().0;
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let places: BTreeSet<BTreeSet<Location>> = errors.iter().map(conflict_places).collect();
    assert_eq!(
        places,
        BTreeSet::from([
            BTreeSet::from([
                loc("base.yaml", "/properties/x/type"),
                loc("thing.yaml", "/properties/x/type")
            ]),
            BTreeSet::from([
                loc("base.yaml", "/properties/y/type"),
                loc("thing.yaml", "/properties/y/type")
            ]),
        ])
    );
}

#[test]
fn model_maps_json_types_enums_and_names() {
    let thing = "\
title: Thing
type: object
properties:
  maybe: {type: [string, 'null']}
  required_maybe: {type: [string, 'null']}
  ratio: {type: number}
  kind: {type: string, enum: [a, b.c, m.d]}
  m.relates_to: {type: string}
  type: {type: string}
required: [required_maybe]
";
    let tree = Tree::new("model-types", &[("thing.yaml", thing)]);
    let model = tree.model(&[("thing.yaml", None)]).unwrap();

    let maybe = field(&model, "Thing", "maybe");
    assert_eq!(
        (&maybe.ty, maybe.required, maybe.nullable),
        (&TypeRef::String, false, true)
    );
    let required_maybe = field(&model, "Thing", "required_maybe");
    assert_eq!(
        (
            &required_maybe.ty,
            required_maybe.required,
            required_maybe.nullable
        ),
        (&TypeRef::String, true, true)
    );
    let ratio = field(&model, "Thing", "ratio");
    assert_eq!((&ratio.ty, ratio.nullable), (&TypeRef::Number, false));

    assert_eq!(field(&model, "Thing", "kind").ty, named("ThingKind"));
    let TypeKind::StringEnum { variants, .. } = &find(&model, "ThingKind").kind else {
        panic!(
            "ThingKind is not a string enum: {:?}",
            find(&model, "ThingKind")
        )
    };
    let variant = |name: &str, value: &str| EnumVariant {
        name: name.into(),
        value: value.into(),
        docs: Default::default(),
    };
    assert_eq!(
        variants,
        &[variant("A", "a"), variant("BC", "b.c"), variant("D", "m.d")]
    );

    let relates_to = field(&model, "Thing", "m.relates_to");
    assert_eq!(
        (relates_to.name.as_str(), &relates_to.ty),
        ("relates_to", &TypeRef::String)
    );
    let ty = field(&model, "Thing", "type");
    assert_eq!((ty.name.as_str(), &ty.ty), ("type_", &TypeRef::String));
    assert_eq!(type_names(&model), ["Thing", "ThingKind"]);
}

#[test]
fn model_identical_inline_schemas_in_one_file_share_one_type() {
    let thing = "\
title: Thing
type: object
properties:
  first: {type: object, properties: {q: {type: string}}}
  second: {type: object, properties: {q: {type: string}}}
  first_kind: {type: string, enum: [x, y]}
  second_kind: {type: string, enum: [x, y]}
  different: {type: object, properties: {r: {type: string}}}
";
    let tree = Tree::new("model-identical", &[("thing.yaml", thing)]);
    let model = tree.model(&[("thing.yaml", None)]).unwrap();
    assert_eq!(field(&model, "Thing", "first").ty, named("ThingFirst"));
    assert_eq!(field(&model, "Thing", "second").ty, named("ThingFirst"));
    assert_eq!(
        field(&model, "Thing", "first_kind").ty,
        named("ThingFirstKind")
    );
    assert_eq!(
        field(&model, "Thing", "second_kind").ty,
        named("ThingFirstKind")
    );
    assert_eq!(
        field(&model, "Thing", "different").ty,
        named("ThingDifferent")
    );
    assert_eq!(
        type_names(&model),
        ["Thing", "ThingDifferent", "ThingFirst", "ThingFirstKind"]
    );
}

#[test]
fn model_same_titles_get_distinct_deterministic_names() {
    let thing = "\
title: Thing
type: object
properties:
  one: {title: Info, type: object, properties: {a: {type: string}}}
  two: {title: Info, type: object, properties: {b: {type: integer}}}
";
    let tree = Tree::new("model-titles", &[("thing.yaml", thing)]);
    let first = tree.model(&[("thing.yaml", None)]).unwrap();
    assert_eq!(field(&first, "Thing", "one").ty, named("Info"));
    assert_eq!(field(&first, "Thing", "two").ty, named("ThingTwo"));
    assert_eq!(field(&first, "Info", "a").ty, TypeRef::String);
    assert_eq!(field(&first, "ThingTwo", "b").ty, TypeRef::Integer);
    assert_eq!(type_names(&first), ["Info", "Thing", "ThingTwo"]);
    for _ in 0..3 {
        let again = tree.model(&[("thing.yaml", None)]).unwrap();
        assert_eq!(type_names(&again), type_names(&first));
        assert_eq!(field(&again, "Thing", "two").ty, named("ThingTwo"));
    }
}

// ---------------------------------------------------------------------------------------------
// Events, through `codegen::generate`
// ---------------------------------------------------------------------------------------------

const CORE_EVENT: &str = "\
type: object
title: Event
description: The basic set of fields all events must have.
properties:
  content:
    type: object
    description: The fields in this object will vary depending on the type of event.
  type:
    type: string
    description: The type of event.
required: [type, content]
";

const EXAMPLE_EVENT: &str = "\
type: object
description: An example event.
x-addedInMatrixVersion: '1.7'
allOf:
- $ref: core-event-schema/event.yaml
properties:
  content:
    type: object
    properties:
      body:
        type: string
        description: The text.
        x-addedInMatrixVersion: '1.7'
      m.relates_to:
        type: object
        properties:
          event_id: {type: string}
      note:
        type: [string, 'null']
    required: [body]
  type:
    type: string
    enum: [m.example]
";

/// A spec folder (holding `data/`) with the core event and `m.example`.
fn event_tree(name: &str) -> Tree {
    Tree::new(
        name,
        &[
            (
                "data/event-schemas/schema/core-event-schema/event.yaml",
                CORE_EVENT,
            ),
            ("data/event-schemas/schema/m.example.yaml", EXAMPLE_EVENT),
        ],
    )
}

#[test]
fn events_model_has_a_type_tag_and_a_content_struct() {
    let tree = event_tree("events-model");
    let model = model_in(
        &tree.0.join("data"),
        &[
            ("event-schemas/schema/core-event-schema/event.yaml", None),
            ("event-schemas/schema/m.example.yaml", Some("m.example")),
        ],
    )
    .unwrap();
    let event = fields(&model, "ExampleEvent");
    let summary: Vec<(&str, &str, &TypeRef, bool)> = event
        .iter()
        .map(|f| (f.json_name.as_str(), f.name.as_str(), &f.ty, f.required))
        .collect();
    assert_eq!(
        summary,
        [
            ("content", "content", &named("ExampleEventContent"), true),
            (
                "type",
                "event_type",
                &TypeRef::EventTypeTag("ExampleEvent".into()),
                true
            ),
        ]
    );
    let content = fields(&model, "ExampleEventContent");
    let summary = summarize(content);
    assert_eq!(
        summary,
        [
            ("body", "body", &TypeRef::String, true, false),
            (
                "m.relates_to",
                "relates_to",
                &named("ExampleRelatesTo"),
                false,
                false
            ),
            ("note", "note", &TypeRef::String, false, true),
        ]
    );
    let events: Vec<&model::EventDef> = model.modules.values().flat_map(|m| &m.events).collect();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event_type, "m.example");
    assert_eq!(events[0].struct_name, "ExampleEvent");
    assert_eq!(events[0].content, named("ExampleEventContent"));
    assert_eq!(
        type_names(&model),
        [
            "Event",
            "ExampleEvent",
            "ExampleEventContent",
            "ExampleRelatesTo"
        ]
    );
    assert_eq!(
        find(&model, "ExampleEvent").source,
        loc("event-schemas/schema/m.example.yaml", "")
    );
}

#[test]
fn events_generate_renders_the_event_struct_its_matrix_event_and_event_content_impls() {
    let tree = event_tree("events-generate");
    let generated = codegen::generate(&tree.0, None).unwrap();
    let paths: Vec<&str> = generated.files.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "application_service/mod.rs",
            "client_server/mod.rs",
            "common/mod.rs",
            "common/standard_error.rs",
            "events/core_event_schema_event.rs",
            "events/m_example.rs",
            "events/mod.rs",
            "identity/mod.rs",
            "push_gateway/mod.rs",
            "schema_index.rs",
            "server_server/mod.rs",
            "spec_version.rs",
        ]
    );
    // Four of the spec's schemas, the standard error and its codes.
    assert_eq!(generated.type_count, 6);
    // A folder neither listed in a REFS file nor a git checkout: no version, no commit.
    assert_contains(
        &generated.files["spec_version.rs"],
        "pub const SPEC_VERSION: &str = \"unknown\";",
    );
    assert_contains(
        &generated.files["spec_version.rs"],
        "pub const SPEC_COMMIT: &str = \"unknown\";",
    );
    let text = &generated.files["events/m_example.rs"];
    assert!(text.starts_with(codegen::render::HEADER), "{text}");
    assert_contains(text, "pub struct ExampleEvent {");
    assert_contains(text, "pub event_type: EventTypeTag<ExampleEvent>,");
    assert_contains(text, "pub content: ExampleEventContent,");
    assert_contains(text, "pub struct ExampleEventContent {");
    assert_contains(
        text,
        "impl MatrixEvent for ExampleEvent {\n    const EVENT_TYPE: &'static str = \"m.example\";\n    type Content = ExampleEventContent;\n}",
    );
    // The content knows its event type (no kind here: the tiny spec has no kinds).
    assert_contains(
        text,
        "impl EventContent for ExampleEventContent {\n    const EVENT_TYPE: &'static str = \"m.example\";\n}",
    );
    assert_contains(
        text,
        "use crate::{EventContent, EventTypeTag, MatrixEvent};",
    );
    let index = &generated.files["schema_index.rs"];
    assert_contains(index, "(\"m.example\", \"ExampleEvent\")");
    assert_contains(index, "(\"core-event-schema/event\", \"Event\")");
    assert!(!generated.files["events/core_event_schema_event.rs"].contains("impl MatrixEvent"));
}

#[test]
fn events_generation_is_byte_identical_run_to_run_and_folder_to_folder() {
    let tree = event_tree("events-determinism");
    let other = event_tree("events-determinism-copy");
    let first = codegen::generate(&tree.0, None).unwrap();
    let second = codegen::generate(&tree.0, None).unwrap();
    let elsewhere = codegen::generate(&other.0, None).unwrap();
    // Four files of events, the (empty) module of each API and of their shared types, the
    // standard error, and the spec's version (unknown for these folders, so the same).
    assert_eq!(first.files.len(), 12);
    for (path, text) in &first.files {
        assert_eq!(
            text.as_bytes(),
            second.files[path].as_bytes(),
            "{path} differs run to run"
        );
        assert_eq!(
            text.as_bytes(),
            elsewhere.files[path].as_bytes(),
            "{path} differs by folder"
        );
        assert!(
            !text.contains(&*tree.0.to_string_lossy()),
            "{path} leaks the spec folder"
        );
    }
    assert_eq!(first.files, second.files);
}

// ---------------------------------------------------------------------------------------------
// Stage 4: render
// ---------------------------------------------------------------------------------------------

#[test]
fn render_writes_renames_nullable_options_the_extra_map_and_docs() {
    let tree = event_tree("render");
    let generated = codegen::generate(&tree.0, None).unwrap();
    let text = &generated.files["events/m_example.rs"];

    // Docs: the description, then the version it came in.
    assert_contains(
        text,
        "/// An example event.\n///\n/// Added in Matrix v1.7.\n#[derive(Debug, Clone, PartialEq, Serialize)]\n#[non_exhaustive]\npub struct ExampleEvent {",
    );
    assert_contains(
        text,
        "    /// The text.\n    ///\n    /// Added in Matrix v1.7.\n    pub body: String,",
    );

    // A namespaced JSON name is renamed to the field it becomes.
    assert_contains(
        text,
        "    #[serde(rename = \"m.relates_to\")]\n    #[serde(skip_serializing_if = \"Option::is_none\")]\n    pub relates_to: Option<ExampleRelatesTo>,",
    );
    // The event's `type` field too.
    assert_contains(
        text,
        "    #[serde(rename = \"type\")]\n    pub event_type: EventTypeTag<ExampleEvent>,",
    );

    // Optional and nullable: absent is `None`, `null` is `Some(None)`.
    assert_contains(
        text,
        "    #[serde(skip_serializing_if = \"Option::is_none\")]\n    pub note: Option<Option<String>>,",
    );
    // Read with `field`, whose slot is the field's `Option<Option<String>>`: a `null` is
    // `Some(None)`, kept apart from an absent key.
    assert_contains(
        text,
        "crate::serde_helpers::field(\n                                &mut map,\n                                &mut note_slot,",
    );
    assert_contains(text, "note: note_slot,");
    // Each struct reads its fields itself, unknown keys going to `extra` as they come.
    assert_eq!(
        text.matches("impl<'de> Deserialize<'de> for ").count(),
        3,
        "{text}"
    );

    // Unknown fields are kept in a flattened map, in every struct.
    let extra = "    /// Fields the specification does not define, kept so that nothing is lost in a round trip.\n    #[serde(flatten)]\n    pub extra: BTreeMap<String, Value>,\n}";
    assert_eq!(text.matches(extra).count(), 3, "{text}");
    assert_contains(text, "use std::collections::BTreeMap;");
    assert_contains(text, "use serde_json::Value;");
}

#[test]
fn render_an_enum_value_spelled_like_a_keyword() {
    let thing =
        "title: Thing\ntype: object\nproperties:\n  scope: {type: string, enum: [self, other]}\n";
    let tree = Tree::new("render-keyword", &[("thing.yaml", thing)]);
    let model = tree.model(&[("thing.yaml", None)]).unwrap();
    let files = codegen::render::render(&model).expect("renders");
    let text = &files["events/thing.rs"];
    assert_contains(text, "Self::SelfValue => \"self\",");
    // A listed value named `other` keeps its name; the variant for unlisted values takes the next.
    assert_contains(text, "Self::Other => \"other\",");
    assert_contains(text, "Self::Unknown(value) => value,");
}

#[test]
fn render_open_and_closed_enums() {
    let thing = "title: Thing\ntype: object\nproperties:\n  kind: {type: string, enum: [a.b, c]}\n  fixed: {type: string, enum: [only]}\n  shut: {type: string, enum: [x, y], x-open-enum: false}\n";
    let tree = Tree::new("render-open", &[("thing.yaml", thing)]);
    let model = tree.model(&[("thing.yaml", None)]).unwrap();
    let files = codegen::render::render(&model).expect("renders");
    let text = &files["events/thing.rs"];
    // Two or more values: open, the unknown value kept.
    assert_contains(text, "pub enum ThingKind {\n    AB,\n    C,\n");
    assert_contains(text, "    Other(String),\n}");
    assert_contains(text, "_ => Self::Other(value.to_owned()),");
    // One value is a constant; `x-open-enum: false` closes a list.
    assert_contains(
        text,
        "pub enum ThingFixed {\n    #[default]\n    #[serde(rename = \"only\")]\n    Only,\n}",
    );
    assert_contains(text, "pub enum ThingShut {\n    #[serde(rename = \"x\")]\n    X,\n    #[serde(rename = \"y\")]\n    Y,\n}");
}

#[test]
fn render_constructors_take_the_required_fields_and_fill_in_the_constant_ones() {
    let thing = "\
title: Thing
type: object
properties:
  body: {type: string}
  msgtype: {type: string, enum: [m.text]}
  kind: {type: string, const: m.fixed}
  note: {type: [string, 'null']}
  size: {type: integer}
  open: {type: string, enum: [m.one], x-open-enum: true}
  two: {type: string, enum: [a, b]}
  options:
    title: Options
    type: object
    properties:
      flag: {type: boolean}
      mode: {type: string, enum: [m.only]}
    required: [mode]
required: [body, msgtype, kind, note, open, two]
";
    let tree = Tree::new("render-constructors", &[("thing.yaml", thing)]);
    let model = tree.model(&[("thing.yaml", None)]).unwrap();
    // The model marks the required fields of one possible value: closed enums of one value
    // (`enum` or `const`), not an open one, not a nullable or optional one.
    let constant: Vec<&str> = fields(&model, "Thing")
        .iter()
        .filter(|f| f.constant)
        .map(|f| f.json_name.as_str())
        .collect();
    assert_eq!(constant, ["msgtype", "kind"]);
    assert!(field(&model, "Options", "mode").constant);

    let files = codegen::render::render(&model).expect("renders");
    let text = &files["events/thing.rs"];
    // `new` takes the other required fields in the schema's order (`null` allowed: an
    // `Option`), fills in the constant ones with their only value and leaves the rest empty.
    assert_contains(
        text,
        "    pub fn new(\n        body: String,\n        note: Option<String>,\n        open: ThingOpen,\n        two: ThingTwo,\n    ) -> Self {\n        Self {\n            body,\n            msgtype: Default::default(),\n            kind: Default::default(),\n            note,\n            size: None,\n            open,\n            two,\n            options: None,\n            extra: BTreeMap::new(),\n        }\n    }",
    );
    assert_contains(
        text,
        "    /// Builds a `Thing` from its required fields.\n    ///\n    /// `msgtype` and `kind` take the one value the spec allows; the optional fields are `None`; `extra` is empty.\n    #[inline]\n",
    );
    // Nothing left to take: `Default` (the constant `mode` is its only value), and no `new`.
    assert_contains(
        text,
        "#[derive(Debug, Clone, PartialEq, Default, Serialize)]\n#[non_exhaustive]\npub struct Options {",
    );
    assert!(!text.contains("impl Options {"), "{text}");
    assert_eq!(text.matches("pub fn new(").count(), 1, "{text}");
    // The constants' types are `Default` as their one value.
    assert_contains(
        text,
        "pub enum OptionsMode {\n    #[default]\n    #[serde(rename = \"m.only\")]\n    Only,\n}",
    );
    // Every struct and enum a later release may extend is `#[non_exhaustive]`.
    for item in [
        "pub struct Thing {",
        "pub enum ThingOpen {",
        "pub enum ThingTwo {",
        "pub enum ThingMsgtype {",
    ] {
        assert_contains(text, &format!("#[non_exhaustive]\n{item}"));
    }
}

//! Hostile specs through the whole generator in memory (`codegen::generate_in_memory`):
//! each is an error naming a file of the spec, or code that parses; never a panic. The
//! cases are the shapes the `spec_loader` fuzz target (fuzz/) starts from, and the inputs
//! it has found; a new finding is added here as a case.

use std::panic;

const EVENT: &str = "event-schemas/schema/m.fuzz.yaml";
const OTHER: &str = "event-schemas/schema/m.other.yaml";
const SHARED: &str = "api/client-server/definitions/shared.yaml";

/// Runs one case; returns how it ended, for the assertions of the test.
fn run(name: &str, files: &[(&str, &str)]) -> Result<usize, String> {
    let outcome = panic::catch_unwind(|| codegen::generate_in_memory(files));
    match outcome {
        Err(_) => panic!("{name}: the generator panicked"),
        Ok(Ok(generated)) => Ok(generated.files.len()),
        Ok(Err(errors)) => {
            assert!(!errors.0.is_empty(), "{name}: an empty list of errors");
            for error in &errors.0 {
                assert!(
                    files.iter().any(|(file, _)| *file == error.location.file),
                    "{name}: error not located in a file of the spec: {error}"
                );
            }
            Err(errors.to_string())
        }
    }
}

fn event(content_properties: &str) -> String {
    format!(
        "type: object\nproperties:\n  type: {{type: string, enum: [m.fuzz]}}\n  content:\n    type: object\n    properties:\n{content_properties}\n"
    )
}

#[test]
fn names_that_are_not_rust_identifiers_become_identifiers() {
    let properties = [
        "      '': {type: string}",
        "      '123': {type: string}",
        "      'a-b': {type: string}",
        "      'type': {type: string}",
        "      'self': {type: string}",
        "      'Self': {type: string}",
        "      'r#x': {type: string}",
        "      '🙂': {type: string}",
        "      'é': {type: string}",
        "      'mode': {type: string, enum: ['', '1', self, Self, é, 'a b', '🙂', 'None']}",
    ]
    .join("\n");
    let schema = event(&properties);
    let files = run("odd names", &[(EVENT, &schema)]).unwrap_or_else(|err| panic!("{err}"));
    assert!(files > 0);
}

#[test]
fn shapes_that_are_not_schemas_are_errors_with_places() {
    let cases: &[(&str, &str)] = &[
        ("empty", ""),
        ("a list", "[1, 2]"),
        ("a number", "42"),
        ("null", "~"),
        ("type of a wrong kind", "type: 7"),
        ("unknown type", "type: widget"),
        ("properties a list", "type: object\nproperties: [a, b]"),
        (
            "required not a list",
            "type: object\nrequired: yes\nproperties: {a: {type: string}}",
        ),
        ("items a string", "type: array\nitems: nope"),
        ("ref a number", "$ref: 3"),
        ("enum empty", "type: string\nenum: []"),
        ("enum of objects", "enum: [{a: 1}]"),
        ("allOf not a list", "allOf: {a: 1}"),
        ("oneOf empty", "oneOf: []"),
        (
            "deep allOf",
            &format!("{}type: object", "allOf:\n- ".repeat(200)),
        ),
    ];
    for (name, text) in cases {
        // Either way is fine, as long as it is not a panic and errors are located.
        let _ = run(name, &[(EVENT, text)]);
    }
    let err = run("unknown type", &[(EVENT, "type: widget")]).unwrap_err();
    assert!(err.contains("widget"), "{err}");
}

#[test]
fn references_between_files_dangling_or_cyclic_are_errors() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("dangling file", &[(EVENT, "$ref: m.missing.yaml")]),
        (
            "dangling pointer",
            &[(EVENT, "$ref: m.other.yaml#/nope"), (OTHER, "type: object")],
        ),
        (
            "cycle across files",
            &[(EVENT, "$ref: m.other.yaml"), (OTHER, "$ref: m.fuzz.yaml")],
        ),
        ("self", &[(EVENT, "$ref: '#'")]),
        ("out of data", &[(EVENT, "$ref: ../../../../etc/passwd")]),
    ];
    for (name, files) in cases {
        let err = run(name, files).expect_err(name);
        assert!(!err.is_empty(), "{name}");
    }
    let err = run(
        "cycle",
        &[(EVENT, "$ref: m.other.yaml"), (OTHER, "$ref: m.fuzz.yaml")],
    )
    .unwrap_err();
    assert!(
        err.contains("m.fuzz.yaml") && err.contains("m.other.yaml"),
        "{err}"
    );
}

#[test]
fn recursive_objects_are_types_that_refer_to_themselves() {
    let tree = "type: object\ntitle: Node\nproperties:\n  children:\n    type: array\n    items: {$ref: '#'}\n";
    let files = run("recursive", &[(SHARED, tree)]).unwrap_or_else(|err| panic!("{err}"));
    assert!(files > 0);
    // Reached from an event in another folder, through a property that is the whole object.
    let from_event = [
        (
            EVENT,
            "$ref: ../../api/client-server/definitions/shared.yaml#/properties/x",
        ),
        (SHARED, "type: object\nproperties: {x: {$ref: '#'}}"),
    ];
    run("recursive across files", &from_event).unwrap_or_else(|err| panic!("{err}"));
}

//! Every event example of the spec deserializes into its generated type and serializes
//! back to the same JSON value: nothing lost, nothing added.

use matrix_types::schema_index;
use tests::{
    event_examples, json_diff, load_spec_example, overrides, schema_for_example, spec_dir,
};

fn main() {
    let spec = spec_dir();
    let examples = event_examples(&spec);
    assert!(
        !examples.is_empty(),
        "no event examples in {}",
        spec.display()
    );
    let has_schema = |name: &str| {
        schema_index::SCHEMAS
            .iter()
            .any(|(schema, _)| *schema == name)
    };

    let overrides = overrides();
    let mut failures = Vec::new();
    let mut passed = 0;
    for path in &examples {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(schema) = schema_for_example(path, has_schema) else {
            failures.push(format!("{name}: no generated type for this example"));
            continue;
        };
        let original = match load_spec_example(&spec, path, &overrides) {
            Ok(value) => value,
            Err(err) => {
                failures.push(format!("{name}: cannot read the example: {err}"));
                continue;
            }
        };
        let result = schema_index::round_trip(&schema, &original.to_string())
            .expect("schema is in the index");
        match result {
            Ok(written) if written == original => passed += 1,
            Ok(written) => failures.push(format!(
                "{name} ({schema}): {}",
                json_diff(&original, &written).join("; ")
            )),
            Err(err) => failures.push(format!("{name} ({schema}): does not deserialize: {err}")),
        }
    }
    println!(
        "event examples of {}: {} checked",
        spec.display(),
        examples.len()
    );
    for failure in &failures {
        println!("  FAILED {failure}");
    }
    for unused in overrides.unused() {
        if unused.file.starts_with(codegen::EXAMPLES_DIR) {
            println!(
                "  note: override for {}#{} matches nothing in this spec",
                unused.file, unused.pointer
            );
        }
    }
    println!("round-trip: {passed} passed, {} failed", failures.len());
    if !failures.is_empty() {
        std::process::exit(1);
    }
}

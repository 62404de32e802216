//! The generator on the spec itself (the one the tests read: `MATRIX_SPEC_DIR`, else
//! `spec/sources.yaml`'s places), generated in memory: what reaches the generated code.

use std::path::Path;

/// The spec's Hugo shortcodes (`{{% boxes/note %}}`, `{{% added-in v="1.18" %}}`) are
/// rendered as rustdoc, and none is left in the generated code: any the generator does not
/// render would be a note naming its place.
#[test]
fn no_hugo_shortcode_reaches_the_generated_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let env = std::env::var_os(codegen::spec_source::ENV_VAR).filter(|v| !v.is_empty());
    let spec = codegen::spec_source::find_spec(None, env.as_deref().map(Path::new), root)
        .unwrap_or_else(|err| panic!("{err}"));
    let generated = codegen::generate(&spec, Some(&root.join("spec/overrides.yaml")))
        .unwrap_or_else(|errors| panic!("{errors:?}"));
    let leaks: Vec<String> = generated
        .files
        .iter()
        .flat_map(|(path, text)| {
            text.lines()
                .enumerate()
                .filter(|(_, line)| ["{{%", "{{<", "{{&lt;"].iter().any(|s| line.contains(s)))
                .map(move |(number, line)| format!("{path}:{}: {}", number + 1, line.trim()))
        })
        .collect();
    assert!(
        leaks.is_empty(),
        "shortcodes left in the rustdoc: {leaks:#?}"
    );
    let noted: Vec<&String> = generated
        .notes
        .iter()
        .filter(|note| note.starts_with("shortcode "))
        .collect();
    assert!(noted.is_empty(), "{noted:#?}");
    // The shortcodes were there to render: `main` has boxes and version marks.
    let all: String = generated.files.values().map(String::as_str).collect();
    if env.is_none() {
        assert!(all.contains("<div class=\"warning\">"));
        assert!(all.contains("> **Note:** "));
        assert!(all.contains("**\\[Added in `v1.18`\\]** `M_TOKEN_INCORRECT`"));
    }
}

/// A shortcode the generator does not render stays in the rustdoc as written, and `gen` says
/// so with a note naming the shortcode and the docs' place; those it renders are not noted.
#[test]
fn a_shortcode_left_as_written_is_a_note_naming_its_place() {
    let event = "type: object\n\
        description: |-\n  An event.\n\n  {{% boxes/warning %}}\n  Careful.\n  {{% /boxes/warning %}}\n\
        properties:\n  type: {type: string, enum: [m.fuzz]}\n  content:\n    type: object\n    properties:\n      \
        body:\n        type: string\n        description: |-\n          Text.\n\n          \
        {{% boxes/rationale %}}\n          Why.\n          {{% /boxes/rationale %}}\n";
    let generated =
        codegen::generate_in_memory(&[("event-schemas/schema/m.fuzz.yaml", event)]).unwrap();
    let noted: Vec<&String> = generated
        .notes
        .iter()
        .filter(|note| note.starts_with("shortcode "))
        .collect();
    assert_eq!(noted.len(), 2, "{noted:#?}");
    assert!(
        noted[0].starts_with("shortcode `{{% boxes/rationale %}}`")
            && noted[0].contains("field `body` of `FuzzEventContent`")
            && noted[0].contains("event-schemas/schema/m.fuzz.yaml#"),
        "{noted:#?}"
    );
    assert!(noted[1].starts_with("shortcode `{{% /boxes/rationale %}}`"));
    let all: String = generated.files.values().map(String::as_str).collect();
    assert!(all.contains("{{% boxes/rationale %}}"));
    assert!(all.contains("<div class=\"warning\">"));
}

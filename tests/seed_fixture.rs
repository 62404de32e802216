//! End to end: generate a crate from the seed-shaped fixture tree (an older draft of
//! `m.call.reject`: content inline, merged with the core room event through `allOf`,
//! `version` typed integer), build it with cargo, and round-trip events through it.

use std::path::Path;
use std::process::Command;

use tests::repo_root;

/// The test that runs inside the generated crate.
const CRATE_TEST: &str = r#"
use matrix_types::events::{CallRejectEvent, CallRejectReason, CallRejectVersion};
use matrix_types::MatrixEvent;
use serde_json::{json, Value};

fn round_trip(event: &Value) -> CallRejectEvent {
    let parsed: CallRejectEvent = serde_json::from_value(event.clone()).expect("deserializes");
    assert_eq!(&serde_json::to_value(&parsed).unwrap(), event, "round trip changed the event");
    parsed
}

#[test]
fn seed_shaped_event_round_trips() {
    assert_eq!(CallRejectEvent::EVENT_TYPE, "m.call.reject");
    let base = json!({
        "type": "m.call.reject",
        "event_id": "$143273582443PhrSn:example.org",
        "room_id": "!jEsUZKDJdhlrceRyVU:example.org",
        "sender": "@example:example.org",
        "origin_server_ts": 1432735824653u64,
        "unsigned": {"age": 1234, "membership": "join"},
    });
    let with_content = |content: Value| {
        let mut event = base.clone();
        event["content"] = content;
        event
    };

    // Clients of VoIP version 1 send the string "1"; version 0 clients the integer 0.
    let text = round_trip(&with_content(json!({"call_id": "12345", "party_id": "67890", "version": "1"})));
    assert_eq!(text.content.version, CallRejectVersion::String("1".into()));
    let integer = round_trip(&with_content(json!({"call_id": "1", "party_id": "2", "version": 0, "reason": "ice_failed"})));
    assert_eq!(integer.content.version, CallRejectVersion::Integer(0));
    assert_eq!(integer.content.reason, Some(CallRejectReason::IceFailed));
    assert_eq!(integer.unsigned.as_ref().unwrap().extra["membership"], "join");

    let wrong_type = with_content(json!({"call_id": "1", "party_id": "2", "version": 0}));
    let mut wrong_type = wrong_type;
    wrong_type["type"] = json!("m.call.hangup");
    let err = serde_json::from_value::<CallRejectEvent>(wrong_type).unwrap_err().to_string();
    assert!(err.contains("m.call.reject"), "{err}");

    let missing = json!({"call_id": "1", "version": 0});
    assert!(serde_json::from_value::<CallRejectEvent>(with_content(missing)).is_err());
}
"#;

#[test]
fn seed_shaped_schema_generates_a_crate_that_round_trips() {
    let root = repo_root();
    let fixture = root.join("spec/fixtures/seed-call-reject");
    let crate_dir = std::env::temp_dir().join(format!("seed-fixture-crate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&crate_dir);

    let generated = codegen::generate(&fixture, Some(&root.join("spec/overrides.yaml")))
        .unwrap_or_else(|errors| panic!("the fixture does not generate:\n{errors}"));
    codegen::scaffold_crate(&crate_dir).unwrap();
    codegen::write::write_files(&crate_dir.join("src"), &generated.files, false).unwrap();
    std::fs::create_dir_all(crate_dir.join("tests")).unwrap();
    std::fs::write(crate_dir.join("tests/seed.rs"), CRATE_TEST).unwrap();
    // The workspace's lock file pins the same dependency versions, already downloaded.
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();

    let (success, stdout) = cargo_test(&crate_dir, &root.join("target/seed-fixture"));
    std::fs::remove_dir_all(&crate_dir).unwrap();
    assert!(
        success,
        "the crate generated from the seed-shaped fixture failed its test (output above)"
    );
    assert!(
        stdout.contains("test result: ok. 1 passed"),
        "the generated crate's own test did not run"
    );
}

fn cargo_test(crate_dir: &Path, target_dir: &Path) -> (bool, String) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        // `--tests`: the crate's own test, not the doctests of its frame, whose quick start
        // uses the events and API of the real spec, which this fixture does not have.
        .args(["test", "--tests", "--offline", "--quiet", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    (output.status.success(), stdout)
}

//! `cargo xtask gen` on broken and changing specs, run in-process through `codegen::cli::run`:
//! the exit code and every message of a failed run, the output a failed run leaves (every
//! file byte for byte, no file touched), and what a second run writes, removes and keeps.
//!
//! Each test runs in a repository of its own (a temporary folder with an empty
//! `spec/overrides.yaml`), so the project's overrides do not change what the tiny specs
//! generate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use codegen::cli::{run, Outcome};
use tests::repo_root;

/// A repository folder with an empty overrides file, a spec folder and an output folder,
/// removed when dropped.
struct Work {
    root: PathBuf,
}

impl Work {
    fn new(name: &str) -> Self {
        let root =
            std::env::temp_dir().join(format!("generator-errors-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        write(&root.join("repo/spec/overrides.yaml"), "");
        std::fs::create_dir_all(root.join("spec/data/event-schemas/schema")).unwrap();
        Work { root }
    }

    fn spec(&self) -> PathBuf {
        self.root.join("spec")
    }

    fn out(&self) -> PathBuf {
        self.root.join("out")
    }

    /// Writes `text` as the spec file `file` (relative to `data/`).
    fn spec_file(&self, file: &str, text: &str) {
        write(&self.spec().join("data").join(file), text);
    }

    fn remove_spec_file(&self, file: &str) {
        std::fs::remove_file(self.spec().join("data").join(file)).unwrap();
    }

    /// `cargo xtask gen --spec <spec> --out <out>`, and `extra` arguments.
    fn gen(&self, extra: &[&str]) -> Outcome {
        let mut args = vec![
            "gen".to_owned(),
            "--spec".to_owned(),
            self.spec().display().to_string(),
            "--out".to_owned(),
            self.out().display().to_string(),
        ];
        args.extend(extra.iter().map(|arg| arg.to_string()));
        run(&args, &self.root.join("repo"), None)
    }
}

impl Drop for Work {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Every file below `dir` (by path relative to it) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut dirs = vec![dir.to_owned()];
    while let Some(current) = dirs.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// A time no run of the tests happens at: files set to it and found at another were written.
fn long_ago() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000)
}

fn set_all_modified(dir: &Path, time: SystemTime) {
    for relative in snapshot(dir).keys() {
        std::fs::File::options()
            .write(true)
            .open(dir.join(relative))
            .unwrap()
            .set_modified(time)
            .unwrap();
    }
}

/// The files below `dir` whose modification time is not `time`.
fn modified_since(dir: &Path, time: SystemTime) -> BTreeSet<String> {
    snapshot(dir)
        .into_keys()
        .filter(|relative| {
            std::fs::metadata(dir.join(relative))
                .unwrap()
                .modified()
                .unwrap()
                != time
        })
        .collect()
}

/// An event of the type `m.{name}` whose content has the string property `field`.
fn event(name: &str, field: &str) -> String {
    format!(
        "type: object\nproperties:\n  type: {{type: string, enum: [m.{name}]}}\n  content:\n    type: object\n    properties:\n      {field}: {{type: string}}\nrequired: [type, content]\n"
    )
}

const SHARED: &str = "type: object\ntitle: Shared\nproperties:\n  n: {type: integer}\n";

#[test]
fn a_broken_spec_exits_with_1_and_prints_every_diagnostic() {
    let work = Work::new("broken");
    work.spec_file(
        "event-schemas/schema/m.malformed.yaml",
        "type: object\nproperties:\n\tbody: {type: string}\n",
    );
    work.spec_file(
        "event-schemas/schema/m.dangling.yaml",
        "type: object\nproperties:\n  content: {$ref: missing.yaml}\n",
    );
    work.spec_file(
        "api/client-server/definitions/negated.yaml",
        "type: object\nproperties:\n  n: {not: {type: string}}\n",
    );
    let outcome = work.gen(&[]);
    let data = work.spec().join("data");
    let expected = format!(
        "\
error: unsupported schema keyword `not`
  --> api/client-server/definitions/negated.yaml#/properties/n/not
error: dangling `$ref: missing.yaml`: cannot load event-schemas/schema/missing.yaml
  --> event-schemas/schema/m.dangling.yaml#/properties/content/$ref
  note: cannot read {missing}: No such file or directory (os error 2)
  --> event-schemas/schema/missing.yaml#
error: malformed YAML at line 3, column 1: found character that cannot start any token at line 3 column 1, while scanning for the next token
  --> event-schemas/schema/m.malformed.yaml#
3 error(s); nothing was written
the files named are in {data}
",
        missing = data.join("event-schemas/schema/missing.yaml").display(),
        data = data.display(),
    );
    assert_eq!(
        outcome,
        Outcome {
            code: 1,
            stdout: String::new(),
            stderr: expected.clone(),
        }
    );
    assert!(!work.out().exists(), "a failed run creates nothing");
    // `--check` reports the same problems.
    assert_eq!(work.gen(&["--check"]).stderr, expected);
}

#[test]
fn a_failed_run_leaves_every_file_of_the_previous_output_byte_for_byte_and_untouched() {
    let work = Work::new("atomic");
    work.spec_file("event-schemas/schema/m.one.yaml", &event("one", "body"));
    work.spec_file("api/client-server/definitions/shared.yaml", SHARED);
    let first = work.gen(&[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    write(&work.out().join("src/events/my_notes.rs"), "// mine\n");
    set_all_modified(&work.out(), long_ago());
    let before = snapshot(&work.out());

    // Each of these breaks the spec; the output must not change in any byte or timestamp.
    let breakages: &[(&str, &str)] = &[
        (
            "event-schemas/schema/m.one.yaml",
            "type: object\nproperties: [\n",
        ),
        (
            "event-schemas/schema/m.one.yaml",
            "type: object\nproperties:\n  type: {type: string}\n  content: {$ref: gone.yaml}\n",
        ),
        (
            "api/client-server/definitions/shared.yaml",
            "type: object\nproperties:\n  n: {type: string, properties: {a: {type: string}}}\n",
        ),
        ("event-schemas/schema/m.cycle.yaml", "$ref: '#'\n"),
    ];
    for (file, text) in breakages {
        let good = std::fs::read_to_string(work.spec().join("data").join(file)).ok();
        work.spec_file(file, text);
        let failed = work.gen(&[]);
        assert_eq!(failed.code, 1, "{file}: {text}");
        assert!(failed.stdout.is_empty(), "{}", failed.stdout);
        assert!(
            failed.stderr.contains("1 error(s); nothing was written\n"),
            "{}",
            failed.stderr
        );
        assert_eq!(before, snapshot(&work.out()), "{file}: {text}");
        assert!(
            modified_since(&work.out(), long_ago()).is_empty(),
            "a failed run touched {:?}",
            modified_since(&work.out(), long_ago())
        );
        match good {
            Some(good) => work.spec_file(file, &good),
            None => work.remove_spec_file(file),
        }
    }
    let again = work.gen(&["--check"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
}

#[test]
fn a_second_run_rewrites_only_changed_files_removes_stale_ones_and_keeps_hand_written_ones() {
    let work = Work::new("incremental");
    // Different contents: identical ones would share a type, and change together.
    work.spec_file("event-schemas/schema/m.one.yaml", &event("one", "body"));
    work.spec_file("event-schemas/schema/m.two.yaml", &event("two", "title"));
    work.spec_file(
        "event-schemas/schema/m.three.yaml",
        &event("three", "topic"),
    );
    work.spec_file("api/client-server/definitions/shared.yaml", SHARED);
    let first = work.gen(&[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let src = work.out().join("src");
    assert!(src.join("client_server/shared.rs").exists());
    assert!(src.join("events/m_two.rs").exists());

    // Files the generator did not write, beside its modules and in the crate's frame.
    let hand_written = [
        ("events/my_notes.rs", "// notes of my own\n"),
        ("client_server/mine.rs", "pub struct Mine;\n"),
        ("notes.rs", "// not generated\n"),
        ("events/README.md", "Generated modules, and my notes.\n"),
    ];
    for (path, text) in hand_written {
        write(&src.join(path), text);
    }
    set_all_modified(&work.out(), long_ago());
    let before = snapshot(&src);

    // One event changes, one event and one definition are gone.
    work.spec_file("event-schemas/schema/m.one.yaml", &event("one", "text"));
    work.remove_spec_file("event-schemas/schema/m.two.yaml");
    work.remove_spec_file("api/client-server/definitions/shared.yaml");
    let second = work.gen(&[]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    let after = snapshot(&src);

    let removed: BTreeSet<&str> = before
        .keys()
        .filter(|path| !after.contains_key(*path))
        .map(String::as_str)
        .collect();
    assert_eq!(
        removed,
        BTreeSet::from(["client_server/shared.rs", "events/m_two.rs"])
    );
    let changed: BTreeSet<String> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .collect();
    let expected_changed: BTreeSet<String> = [
        "client_server/mod.rs",
        "events/m_one.rs",
        "events/mod.rs",
        "schema_index.rs",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(changed, expected_changed);
    // Written means rewritten on disk: exactly the files whose bytes changed.
    assert_eq!(modified_since(&src, long_ago()), expected_changed);
    for (path, text) in hand_written {
        assert_eq!(after[path], text.as_bytes(), "{path} was hand-written");
    }
    let generated_files = after
        .values()
        .filter(|bytes| bytes.starts_with(codegen::render::HEADER.as_bytes()))
        .count();
    assert!(
        second.stdout.ends_with(&format!(
            ": {} files written, {} unchanged, 2 removed\n",
            expected_changed.len(),
            generated_files - expected_changed.len()
        )),
        "{}",
        second.stdout
    );
    let check = work.gen(&["--check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn unusual_shapes_generate_a_crate_that_compiles() {
    let work = Work::new("unusual");
    let core = [
        (
            "core-event-schema/event.yaml",
            "type: object\nproperties:\n  type: {type: string}\n  content: {type: object}\nrequired: [type, content]\n",
        ),
        (
            "core-event-schema/room_event.yaml",
            "allOf:\n- $ref: event.yaml\n- type: object\n  properties:\n    room_id: {type: string}\n    event_id: {type: string}\n  required: [room_id, event_id]\n",
        ),
        (
            "core-event-schema/state_event.yaml",
            "allOf:\n- $ref: room_event.yaml\n- type: object\n  properties:\n    state_key: {type: string}\n  required: [state_key]\n",
        ),
    ];
    for (file, text) in core {
        work.spec_file(&format!("event-schemas/schema/{file}"), text);
    }
    let state = |event_type: &str| {
        format!("allOf:\n- $ref: core-event-schema/state_event.yaml\nproperties:\n  content: {{$ref: ../../api/client-server/definitions/shapes.yaml}}\n  type: {{enum: [{event_type}]}}\n")
    };
    // Event types, `$variant`s and modules whose names collide, an event named `Unknown`.
    for event_type in ["m.foo_bar", "m.foo.bar", "m.unknown"] {
        work.spec_file(
            &format!("event-schemas/schema/{event_type}.yaml"),
            &state(event_type),
        );
    }
    let message = |msgtype: &str| {
        format!("allOf:\n- $ref: core-event-schema/room_event.yaml\nproperties:\n  content:\n    type: object\n    properties:\n      msgtype: {{type: string, enum: ['{msgtype}']}}\n    required: [msgtype]\n  type: {{enum: [m.msg]}}\n")
    };
    work.spec_file(
        "event-schemas/schema/m.msg.yaml",
        "allOf:\n- $ref: core-event-schema/room_event.yaml\nproperties:\n  content: {type: object, properties: {msgtype: {type: string}}}\n  type: {enum: [m.msg]}\n",
    );
    for msgtype in ["m.x_y", "m.x.y", "m.unknown"] {
        work.spec_file(
            &format!("event-schemas/schema/m.msg${msgtype}.yaml"),
            &message(msgtype),
        );
    }
    work.spec_file(
        "api/client-server/definitions/type.yaml",
        "type: object\ntitle: Kind\nproperties:\n  a: {type: string}\n",
    );
    work.spec_file(
        "api/client-server/definitions/m_type.yaml",
        "type: object\ntitle: Sort\nproperties:\n  b: {type: string}\n",
    );
    // Recursion through fields and a union (boxed), shapes typed rather than left `Value`.
    work.spec_file(
        "api/client-server/definitions/shapes.yaml",
        "\
type: object
title: Shapes
properties:
  next: {$ref: '#'}
  either:
    oneOf:
    - $ref: '#'
    - type: string
  children: {type: array, items: {$ref: '#'}}
  nullable_items: {type: array, items: {type: [string, 'null']}}
  nullable_values: {type: object, additionalProperties: {type: [integer, 'null']}}
  two_patterns:
    type: object
    patternProperties:
      '^a': {type: string}
      '^b': {type: integer}
  numbers: {enum: [1, 2, 3]}
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
",
    );
    let outcome = work.gen(&[]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    std::fs::copy(
        repo_root().join("Cargo.lock"),
        work.out().join("Cargo.lock"),
    )
    .unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "check",
            "--offline",
            "--quiet",
            "--all-features",
            "--manifest-path",
        ])
        .arg(work.out().join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", repo_root().join("target/seed-fixture"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

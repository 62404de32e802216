//! The generator as its users run it: determinism, `--check`, where the spec comes from,
//! and what a failed run leaves on disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::cli::{run, Outcome};
use tests::{repo_root, spec_dir};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("generator-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn gen(args: &[&str]) -> Outcome {
    let args: Vec<String> = std::iter::once("gen")
        .chain(args.iter().copied())
        .map(str::to_owned)
        .collect();
    run(&args, &repo_root(), None)
}

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut dirs = vec![dir.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn copy_tree(from: &Path, to: &Path) {
    for (path, bytes) in snapshot(from) {
        let target = to.join(path.strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}

fn fixture() -> PathBuf {
    repo_root().join("spec/fixtures/seed-call-reject")
}

#[test]
fn generation_of_the_spec_is_deterministic_and_rewrites_nothing_when_unchanged() {
    let spec = spec_dir();
    let overrides = repo_root().join("spec/overrides.yaml");
    let first = codegen::generate(&spec, Some(&overrides)).unwrap();
    let second = codegen::generate(&spec, Some(&overrides)).unwrap();
    let differing: Vec<&String> = first
        .files
        .keys()
        .chain(second.files.keys())
        .filter(|path| first.files.get(*path) != second.files.get(*path))
        .collect();
    assert!(
        differing.is_empty(),
        "two runs on the same spec differ in {differing:?}"
    );
    assert!(
        first.files.len() > 50,
        "only {} files generated",
        first.files.len()
    );
    // The `typed_events` table is written for `main`, the spec the tests use unless told
    // otherwise: there, every place it names is met (older releases lack some, and are noted).
    if std::env::var_os("MATRIX_SPEC_DIR").is_none() {
        let unmet: Vec<&String> = first
            .other_releases
            .iter()
            .filter(|note| note.starts_with("typed_events"))
            .collect();
        assert!(unmet.is_empty(), "{unmet:#?}");
        assert!(
            !first.notes.iter().any(|note| note.contains("`m.presence`")),
            "m.presence is carried by /sync as its own type: {:?}",
            first.notes
        );
    }

    let out = temp_dir("determinism");
    let spec_arg = spec.to_str().unwrap();
    let out_arg = out.to_str().unwrap();
    let written = gen(&["--spec", spec_arg, "--out", out_arg]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    // What `gen` prints concerns this spec only: the overrides for other releases are a
    // count in the summary, listed with `--verbose`. At `main` there is nothing to note.
    assert!(
        !written.stdout.contains("note: override"),
        "{}",
        written.stdout
    );
    if std::env::var_os("MATRIX_SPEC_DIR").is_none() {
        assert_eq!(written.stdout.lines().count(), 1, "{}", written.stdout);
    }
    let other_releases = first.unused_overrides.len() + first.other_releases.len();
    if other_releases > 1 {
        assert!(
            written.stdout.contains(&format!(
                " ({other_releases} overrides are for other releases: --verbose lists them)"
            )),
            "{}",
            written.stdout
        );
        let verbose = gen(&["--spec", spec_arg, "--out", out_arg, "--verbose"]);
        assert_eq!(verbose.code, 0, "{}", verbose.stderr);
        assert_eq!(
            verbose.stdout.lines().count(),
            other_releases + written.stdout.lines().count(),
            "{}",
            verbose.stdout
        );
    }
    let before: Vec<_> = snapshot(&out.join("src"))
        .keys()
        .map(|p| (p.clone(), std::fs::metadata(p).unwrap().modified().unwrap()))
        .collect();
    let again = gen(&["--spec", spec_arg, "--out", out_arg]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains(" 0 files written"),
        "{}",
        again.stdout
    );
    let after: Vec<_> = snapshot(&out.join("src"))
        .keys()
        .map(|p| (p.clone(), std::fs::metadata(p).unwrap().modified().unwrap()))
        .collect();
    assert_eq!(
        before, after,
        "an unchanged spec must leave every file (and its timestamp) alone"
    );
    assert_eq!(
        gen(&["--spec", spec_arg, "--out", out_arg, "--check"]).code,
        0
    );
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn check_mode_lists_differing_and_stale_files_and_writes_nothing() {
    let out = temp_dir("check");
    let (spec_arg, out_arg) = (
        fixture().to_str().unwrap().to_owned(),
        out.to_str().unwrap().to_owned(),
    );
    let first = gen(&["--spec", &spec_arg, "--out", &out_arg]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        out.join("Cargo.toml").exists() && out.join("src/lib.rs").exists(),
        "the crate frame is scaffolded"
    );
    assert_eq!(
        gen(&["--spec", &spec_arg, "--out", &out_arg, "--check"]).code,
        0
    );

    let edited = out.join("src/events/m_call_reject.rs");
    std::fs::write(&edited, "// edited by hand\n").unwrap();
    let stale = out.join("src/events/gone.rs");
    std::fs::write(
        &stale,
        format!("{}pub struct Gone;\n", codegen::render::HEADER),
    )
    .unwrap();
    let before = snapshot(&out);
    let check = gen(&["--spec", &spec_arg, "--out", &out_arg, "--check"]);
    assert_eq!(check.code, 1);
    assert!(
        check
            .stderr
            .contains(&format!("differs: {}", edited.display())),
        "{}",
        check.stderr
    );
    assert!(
        check
            .stderr
            .contains(&format!("stale:   {}", stale.display())),
        "{}",
        check.stderr
    );
    assert_eq!(before, snapshot(&out), "--check must not write");

    assert_eq!(gen(&["--spec", &spec_arg, "--out", &out_arg]).code, 0);
    assert!(!stale.exists());
    assert_eq!(
        gen(&["--spec", &spec_arg, "--out", &out_arg, "--check"]).code,
        0
    );
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn a_failed_generation_names_the_place_and_leaves_the_previous_output_untouched() {
    let work = temp_dir("failed");
    let (spec, out) = (work.join("spec"), work.join("out"));
    copy_tree(&fixture(), &spec);
    let (spec_arg, out_arg) = (
        spec.to_str().unwrap().to_owned(),
        out.to_str().unwrap().to_owned(),
    );
    assert_eq!(gen(&["--spec", &spec_arg, "--out", &out_arg]).code, 0);
    let before = snapshot(&out);

    let room_event = spec.join("data/event-schemas/schema/core-event-schema/room_event.yaml");
    let text = std::fs::read_to_string(&room_event)
        .unwrap()
        .replace("sync_room_event.yaml", "missing.yaml");
    std::fs::write(&room_event, text).unwrap();
    // A second, independent problem: both are reported in one run.
    let event = spec.join("data/event-schemas/schema/m.call.reject.yaml");
    let text = std::fs::read_to_string(&event)
        .unwrap()
        .replace("type: integer", "type: integer\n        not: {}");
    std::fs::write(&event, text).unwrap();

    let failed = gen(&["--spec", &spec_arg, "--out", &out_arg]);
    assert_eq!(failed.code, 1);
    assert!(
        failed
            .stderr
            .contains("event-schemas/schema/core-event-schema/room_event.yaml#/allOf/0/$ref")
            && failed.stderr.contains("missing.yaml"),
        "{}",
        failed.stderr
    );
    assert!(
        failed
            .stderr
            .contains("m.call.reject.yaml#/properties/content/properties/version/not")
            && failed.stderr.contains("unsupported schema keyword `not`"),
        "{}",
        failed.stderr
    );
    assert!(
        failed.stderr.contains("2 error(s); nothing was written"),
        "{}",
        failed.stderr
    );
    assert_eq!(
        before,
        snapshot(&out),
        "a failed run must leave the previous output exactly as it was"
    );
    std::fs::remove_dir_all(&work).unwrap();
}

#[test]
fn a_missing_spec_is_an_error_that_says_where_it_looked_and_how_to_get_it() {
    // Nested, so that the `../shared` the sources file lists cannot exist beside it.
    let work = temp_dir("no-spec");
    let root = work.join("repo");
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::copy(
        repo_root().join("spec/sources.yaml"),
        root.join("spec/sources.yaml"),
    )
    .unwrap();
    let sources = codegen::spec_source::Sources::read(&root).unwrap();

    let outcome = run(&["gen".to_owned()], &root, None);
    assert_eq!(outcome.code, 1);
    for expected in [
        "no Matrix spec found".to_owned(),
        format!("git clone {} spec/matrix-spec", sources.pin.upstream),
        sources.pin.commit.clone(),
        root.join("spec/matrix-spec").display().to_string(),
        "MATRIX_SPEC_DIR".to_owned(),
    ] {
        assert!(
            outcome.stderr.contains(&expected),
            "missing {expected:?} in:\n{}",
            outcome.stderr
        );
    }

    let flag = run(
        &[
            "gen".into(),
            "--spec".into(),
            root.join("nowhere").display().to_string(),
        ],
        &root,
        None,
    );
    assert_eq!(flag.code, 1);
    assert!(flag.stderr.contains("no `data/` folder"), "{}", flag.stderr);
    let env = run(&["gen".to_owned()], &root, Some(&root.join("nowhere")));
    assert!(env.stderr.starts_with("MATRIX_SPEC_DIR="), "{}", env.stderr);
    assert_eq!(run(&["gen".into(), "--bogus".into()], &root, None).code, 2);
    std::fs::remove_dir_all(&work).unwrap();
}

#[test]
fn the_generated_crate_without_its_modules_fails_with_a_message_that_says_to_generate() {
    let dir = temp_dir("ungenerated");
    codegen::scaffold_crate(&dir).unwrap();
    std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", repo_root().join("target/seed-fixture"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("run `cargo xtask gen`"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

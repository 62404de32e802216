//! `cargo xtask spec-matrix [--refs a,b,...] [--scratch DIR] [--specs DIR]`: for every spec
//! release, generates the crate into a scratch workspace, compiles it, and runs this
//! checkout's round-trip tests (`tests/roundtrip.rs`, the event examples, and
//! `tests/api_examples.rs`, the API examples) on that release's own examples, and packages it
//! (below); then prints a table of what each release gave.
//!
//! The scratch workspace of a release (`target/spec-matrix/<ref>/` by default) holds the
//! generated crate (`generated/`, frame and modules as `cargo xtask gen --out` writes them), a
//! `tests/Cargo.toml` whose targets are this checkout's `tests/support.rs`, `roundtrip.rs`
//! and `api_examples.rs` (so the tests are the same code, built against the release's
//! crate), a copy of `spec/overrides.yaml` (which the tests read beside them) and of
//! `Cargo.lock` (the same dependency versions). It builds into the checkout's target folder
//! (`$CARGO_TARGET_DIR`, else `target/`), debug profile, so that every dependency already
//! built there is reused: only the generated crate and the tests are compiled per release.
//! Files are rewritten only when their bytes change, so a second run recompiles nothing.
//!
//! Then the release's crate is packaged as `cargo xtask package` packages it
//! ([`crate::package`]): staged in `package/` of the scratch workspace, `cargo package` writes
//! `matrix-types-0.1.0+spec.<ref>.crate` into the target folder's `package/` once its
//! verification build (the unpacked crate alone, default features, same target folder) passed.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{package, releases};

pub const USAGE: &str = "\
usage: cargo xtask spec-matrix [--refs REF,REF,...] [--scratch DIR] [--specs DIR]

  --refs REF,...  the releases to run (folder names such as v1.1 or main, or paths to spec
                  folders); default: every folder of the specs folder that holds data/,
                  in version order, main last
  --scratch DIR   where the crate of each release is generated (DIR/<ref>);
                  default: target/spec-matrix
  --specs DIR     the folder holding one folder per release; default: ../shared/matrix-spec

Each release's crate is built (debug) into $CARGO_TARGET_DIR, else target/, its round-trip
tests run on its own examples, and it is packaged as `cargo xtask package` does (the .crate in
target/package/, after cargo's verification build). Fails if any release does not generate,
compile, pass or package.";

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `None`: every release found in `specs`.
    pub refs: Option<Vec<String>>,
    pub specs: PathBuf,
    pub scratch: PathBuf,
    /// The cargo target folder the scratch workspaces build into.
    pub target_dir: PathBuf,
    /// The checkout whose tests, overrides and lock file are used.
    pub repo_root: PathBuf,
}

impl Options {
    /// The defaults for the checkout at `repo_root`.
    pub fn new(repo_root: &Path) -> Self {
        let target_dir = package::target_dir(repo_root);
        Options {
            refs: None,
            specs: releases::default_specs_dir(repo_root),
            scratch: target_dir.join("spec-matrix"),
            target_dir,
            repo_root: repo_root.to_owned(),
        }
    }

    /// The defaults, changed by the command line `args` (after `spec-matrix`).
    pub fn parse(args: &[String], repo_root: &Path) -> Result<Self, String> {
        let mut options = Options::new(repo_root);
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag, Some(value.to_owned())),
                None => (arg.as_str(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next().cloned())
                    .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
            };
            match flag {
                "--refs" => {
                    let refs: Vec<String> = value()?
                        .split(',')
                        .map(str::trim)
                        .filter(|r| !r.is_empty())
                        .map(str::to_owned)
                        .collect();
                    if refs.is_empty() {
                        return Err(format!("--refs needs at least one release\n\n{USAGE}"));
                    }
                    options.refs = Some(refs);
                }
                "--scratch" => options.scratch = absolute(PathBuf::from(value()?)),
                "--specs" => options.specs = absolute(PathBuf::from(value()?)),
                "-h" | "--help" => return Err(USAGE.to_owned()),
                _ => return Err(format!("unknown option `{arg}`\n\n{USAGE}")),
            }
        }
        Ok(options)
    }

    /// The releases to run, in order.
    pub fn references(&self) -> Result<Vec<String>, String> {
        match &self.refs {
            Some(refs) => Ok(refs.clone()),
            None => {
                let found = releases::list(&self.specs)?;
                if found.is_empty() {
                    return Err(format!(
                        "no spec releases (folders holding data/) in {}",
                        self.specs.display()
                    ));
                }
                Ok(found)
            }
        }
    }
}

fn absolute(path: PathBuf) -> PathBuf {
    if path.is_absolute() {
        return path;
    }
    std::env::current_dir()
        .map(|dir| dir.join(&path))
        .unwrap_or(path)
}

/// Examples a test binary checked and passed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub checked: usize,
    pub passed: usize,
}

/// What one release gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub reference: String,
    /// Schemas in the graph and types generated; `None` when generation failed.
    pub schemas: Option<usize>,
    pub types: Option<usize>,
    /// The event examples (`tests/roundtrip.rs`); `None` when they did not run.
    pub events: Option<Count>,
    /// The API examples (`tests/api_examples.rs`); `None` when they did not run.
    pub api: Option<Count>,
    /// Examples of media types other than JSON, which `tests/api_examples.rs` lists but
    /// cannot check.
    pub not_json: usize,
    /// Everything that went wrong: generation errors, a failed build, each failure the
    /// tests printed. Empty when the release passed.
    pub problems: Vec<String>,
    /// How long `cargo package` took (packaging and its verification build) when it passed.
    pub packaged: Option<Duration>,
    pub elapsed: Duration,
    /// The overrides that matched nothing in this release (`file#pointer: reason`); `None`
    /// when generation failed.
    pub unused_overrides: Option<BTreeSet<String>>,
}

impl Row {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
            && self.events.is_some()
            && self.api.is_some()
            && self.packaged.is_some()
    }

    fn checked(&self) -> usize {
        self.events.map_or(0, |c| c.checked) + self.api.map_or(0, |c| c.checked)
    }

    fn passing(&self) -> usize {
        self.events.map_or(0, |c| c.passed) + self.api.map_or(0, |c| c.passed)
    }
}

/// Runs the releases of `options` one after the other; `log` is told what is going on.
pub fn run(options: &Options, log: &mut dyn FnMut(&str)) -> Result<Vec<Row>, String> {
    let refs = options.references()?;
    let mut rows = Vec::new();
    for reference in refs {
        let started = Instant::now();
        let mut row = Row {
            reference: reference.clone(),
            ..Row::default()
        };
        run_release(options, &reference, &mut row, log);
        row.elapsed = started.elapsed();
        log(&format!(
            "{reference}: {} in {:.0?}",
            if row.passed() { "passed" } else { "FAILED" },
            row.elapsed
        ));
        // The problems as they are found; the table lists them all at the end.
        for problem in row.problems.iter().take(LOGGED) {
            log(&format!("{reference}:   {}", first_line(problem)));
        }
        if row.problems.len() > LOGGED {
            log(&format!(
                "{reference}:   … and {} more",
                row.problems.len() - LOGGED
            ));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// How many problems of a release are logged as it finishes.
const LOGGED: usize = 10;

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// Generates, builds and tests one release, filling in `row`.
fn run_release(options: &Options, reference: &str, row: &mut Row, log: &mut dyn FnMut(&str)) {
    let spec = absolute(releases::spec_dir(&options.specs, reference));
    if !spec.join("data").is_dir() {
        row.problems
            .push(format!("{} holds no data/ folder", spec.display()));
        return;
    }
    log(&format!("{reference}: generating from {}", spec.display()));
    let overrides = options.repo_root.join("spec/overrides.yaml");
    let generated = match codegen::generate(&spec, Some(&overrides)) {
        Ok(generated) => generated,
        Err(errors) => {
            row.problems.extend(
                errors
                    .to_string()
                    .lines()
                    .filter(|line| !line.trim().is_empty())
                    .map(|line| format!("generation: {line}")),
            );
            return;
        }
    };
    row.schemas = Some(generated.schema_count);
    row.types = Some(generated.type_count);
    row.unused_overrides = Some(unused_of(&generated));

    let dir = options.scratch.join(scratch_name(reference));
    if let Err(err) = write_workspace(&dir, reference, &options.repo_root, &generated.files) {
        row.problems.push(format!(
            "cannot write the scratch workspace {}: {err}",
            dir.display()
        ));
        return;
    }
    log(&format!(
        "{reference}: {} types generated into {}; building (debug)",
        generated.type_count,
        dir.display()
    ));
    let binaries = match build(&dir, &options.target_dir) {
        Ok(binaries) => binaries,
        Err(problem) => {
            row.problems.push(problem);
            return;
        }
    };
    for (name, binary) in binaries {
        log(&format!("{reference}: running {name}"));
        let outcome = run_test(&binary, &dir.join("tests"), &spec);
        let output = match outcome {
            Ok(output) => output,
            Err(problem) => {
                row.problems.push(format!("{name}: {problem}"));
                continue;
            }
        };
        let parsed = match name.as_str() {
            ROUNDTRIP => parse_roundtrip(&output.text).map(|count| row.events = Some(count)),
            _ => parse_api_examples(&output.text).map(|(count, not_json)| {
                row.api = Some(count);
                row.not_json = not_json;
            }),
        };
        let failures: Vec<String> = output
            .text
            .lines()
            .filter(|line| line.contains("FAILED") || line.contains("panicked at"))
            .map(|line| format!("{name}: {}", line.trim()))
            .collect();
        let failed = !failures.is_empty();
        row.problems.extend(failures);
        if parsed.is_none() {
            row.problems
                .push(format!("{name}: its counts were not found in its output"));
        }
        if !output.success && !failed {
            let tail: Vec<&str> = output.text.lines().rev().take(10).collect();
            row.problems.push(format!(
                "{name}: failed ({}): {}",
                output.status,
                tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
            ));
        }
    }
    log(&format!(
        "{reference}: packaging (cargo package and its verification build)"
    ));
    let started = Instant::now();
    // As `cargo xtask package` does (`crate::package`), into the checkout's target folder,
    // where the `.crate` goes (`target/package/matrix-types-0.1.0+spec.<ref>.crate`). The
    // verification builds the crate alone with its default features: one more build of it
    // beside the tests' (which build it with `schema-index`, in the scratch workspace),
    // reusing the dependencies built there.
    match package::package_generated(
        &generated,
        &dir.join("package"),
        &options.target_dir,
        &options.repo_root.join("Cargo.lock"),
        package::Output::Captured,
    ) {
        Ok(crate_file) => {
            row.packaged = Some(started.elapsed());
            log(&format!("{reference}: packaged {}", crate_file.display()));
        }
        Err(problem) => row.problems.push(format!("package: {problem}")),
    }
}

/// The folder name of a release's scratch workspace (a path given as a release is named by
/// its last part).
fn scratch_name(reference: &str) -> String {
    Path::new(reference)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| reference.replace(['/', '\\'], "_"))
}

const ROUNDTRIP: &str = "roundtrip";
const API_EXAMPLES: &str = "api_examples";

/// Writes the scratch workspace of a release into `dir`: see the module's documentation.
/// Only files whose bytes change are written.
pub fn write_workspace(
    dir: &Path,
    reference: &str,
    repo_root: &Path,
    files: &std::collections::BTreeMap<String, String>,
) -> std::io::Result<()> {
    // Cargo names what it builds of a workspace member by its name and its path in the
    // workspace, not by where the workspace is: the packages of each release (and those of
    // the checkout, `matrix-types` in `generated/`, `tests` in `tests/`) must have names of
    // their own, or their builds in the shared target folder would be taken for one another.
    let slug = slug(reference);
    let tests = repo_root.join("tests");
    let path = |p: PathBuf| toml_string(&p.to_string_lossy());
    let workspace = "\
# Written by `cargo xtask spec-matrix`: the crate generated from one spec release, and this
# checkout's round-trip tests built against it.
[workspace]
resolver = \"2\"
members = [\"generated\", \"tests\"]
";
    let tests_manifest = format!(
        "\
# Written by `cargo xtask spec-matrix`: the round-trip tests of the checkout, built against
# the crate generated beside them.
[package]
name = \"spec-matrix-tests-{slug}\"
version = \"0.1.0\"
edition = \"2021\"
publish = false

[lib]
name = \"tests\"
path = {support}

[[test]]
name = \"{ROUNDTRIP}\"
path = {roundtrip}
harness = false

[[test]]
name = \"{API_EXAMPLES}\"
path = {api_examples}
harness = false

[dependencies]
codegen = {{ path = {codegen} }}
matrix-types = {{ package = \"matrix-types-{slug}\", path = \"../generated\", features = [\"schema-index\"] }}
serde_json = \"1\"
http = \"1\"
",
        support = path(tests.join("support/lib.rs")),
        roundtrip = path(tests.join("roundtrip.rs")),
        api_examples = path(tests.join("api_examples.rs")),
        codegen = path(repo_root.join("codegen")),
    );
    write_if_changed(&dir.join("Cargo.toml"), workspace.as_bytes())?;
    write_if_changed(&dir.join("tests/Cargo.toml"), tests_manifest.as_bytes())?;
    // The tests read the overrides beside their crate (`tests::overrides`), and the lock file
    // keeps the dependency versions those of the checkout.
    for file in ["spec/overrides.yaml", "Cargo.lock"] {
        let bytes = std::fs::read(repo_root.join(file))?;
        write_if_changed(&dir.join(file), &bytes)?;
    }
    let crate_dir = dir.join("generated");
    for (relative, text) in codegen::frame() {
        let text = if *relative == "Cargo.toml" {
            rename_package(text, &format!("matrix-types-{slug}"))
        } else {
            (*text).to_owned()
        };
        write_if_changed(&crate_dir.join(relative), text.as_bytes())?;
    }
    codegen::write::write_files(&crate_dir.join("src"), files, false)?;
    Ok(())
}

/// `manifest` with its package named `name`.
fn rename_package(manifest: &str, name: &str) -> String {
    let mut renamed = false;
    manifest
        .lines()
        .map(|line| {
            if !renamed && line.trim_start().starts_with("name = ") {
                renamed = true;
                format!("name = {}", toml_string(name))
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// A package name made of `reference`: `v1.2` is `v1-2`.
fn slug(reference: &str) -> String {
    let slug: String = reference
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    slug.trim_matches('-').to_owned()
}

/// A TOML basic string holding `text`.
fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|existing| existing == bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
}

/// The cargo that runs this program, if cargo runs it.
pub(crate) fn cargo() -> PathBuf {
    std::env::var_os("CARGO")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("cargo"))
}

/// Builds the tests of the scratch workspace in `dir`; the test binaries by name.
fn build(dir: &Path, target_dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let output = Command::new(cargo())
        .args([
            "test",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .args(["--tests", "--manifest-path"])
        .arg(dir.join("tests/Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|line| !line.trim_start().starts_with("Compiling"))
            .collect();
        let shown = errors.len().saturating_sub(40);
        return Err(format!(
            "the crate or its tests do not build ({}):\n{}",
            output.status,
            errors[shown..].join("\n")
        ));
    }
    let mut binaries = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-artifact" || message["profile"]["test"] != true {
            continue;
        }
        let name = message["target"]["name"].as_str().unwrap_or_default();
        let executable = message["executable"].as_str();
        if let (true, Some(executable)) = ([ROUNDTRIP, API_EXAMPLES].contains(&name), executable) {
            binaries.push((name.to_owned(), PathBuf::from(executable)));
        }
    }
    binaries.sort();
    let names: Vec<&str> = binaries.iter().map(|(name, _)| name.as_str()).collect();
    if names != [API_EXAMPLES, ROUNDTRIP] {
        return Err(format!(
            "cargo built the test binaries {names:?}, not {API_EXAMPLES} and {ROUNDTRIP}"
        ));
    }
    // The event examples first, as `cargo test` runs them.
    binaries.reverse();
    Ok(binaries)
}

/// What a test binary printed (stdout, then stderr) and how it ended.
struct TestOutput {
    text: String,
    success: bool,
    status: String,
}

/// Runs a test binary as `cargo test` would (in its package's folder), on the spec `spec`.
fn run_test(binary: &Path, package_dir: &Path, spec: &Path) -> Result<TestOutput, String> {
    let output = Command::new(binary)
        .env(codegen::spec_source::ENV_VAR, spec)
        .current_dir(package_dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|err| format!("cannot run {}: {err}", binary.display()))?;
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Ok(TestOutput {
        text,
        success: output.status.success(),
        status: output.status.to_string(),
    })
}

/// The number just before `suffix` in `line` (`12 checked` → 12).
fn number_before(line: &str, suffix: &str) -> Option<usize> {
    let before = &line[..line.find(suffix)?];
    before.split_whitespace().last()?.parse().ok()
}

/// The counts `tests/roundtrip.rs` prints: `event examples of …: N checked` and
/// `round-trip: P passed, F failed`.
fn parse_roundtrip(text: &str) -> Option<Count> {
    let checked = text
        .lines()
        .find(|line| line.starts_with("event examples of "))
        .and_then(|line| number_before(line, " checked"))?;
    let passed = text
        .lines()
        .find(|line| line.starts_with("round-trip: "))
        .and_then(|line| number_before(line, " passed"))?;
    Some(Count { checked, passed })
}

/// The counts `tests/api_examples.rs` prints: `api examples: C checked, P passed, …`, and
/// `not JSON, not checked: N examples` when there are such.
fn parse_api_examples(text: &str) -> Option<(Count, usize)> {
    let line = text
        .lines()
        .find(|line| line.starts_with("api examples: "))?;
    let count = Count {
        checked: number_before(line, " checked")?,
        passed: number_before(line, " passed")?,
    };
    let not_json = text
        .lines()
        .find(|line| line.trim_start().starts_with("not JSON, not checked: "))
        .and_then(|line| number_before(line, " examples"))
        .unwrap_or(0);
    Some((count, not_json))
}

/// The table of `rows`, then the problems of each release that has any.
pub fn table(rows: &[Row]) -> String {
    let headers = [
        "ref",
        "schemas",
        "types",
        "examples checked (event + API)",
        "passing",
        "not JSON",
        "package",
        "time",
        "result",
    ];
    let mut cells: Vec<[String; 9]> = Vec::new();
    let dash = || "-".to_owned();
    for row in rows {
        let count = |count: Option<Count>, pick: fn(Count) -> usize| {
            count.map_or_else(dash, |c| pick(c).to_string())
        };
        let ran = row.events.is_some() || row.api.is_some();
        cells.push([
            row.reference.clone(),
            row.schemas.map_or_else(dash, |n| n.to_string()),
            row.types.map_or_else(dash, |n| n.to_string()),
            if ran {
                format!(
                    "{} ({} + {})",
                    row.checked(),
                    count(row.events, |c| c.checked),
                    count(row.api, |c| c.checked)
                )
            } else {
                dash()
            },
            if ran {
                format!(
                    "{} ({} + {})",
                    row.passing(),
                    count(row.events, |c| c.passed),
                    count(row.api, |c| c.passed)
                )
            } else {
                dash()
            },
            if ran {
                row.not_json.to_string()
            } else {
                dash()
            },
            row.packaged
                .map_or_else(dash, |time| format!("ok {:.0}s", time.as_secs_f64())),
            format!("{:.0}s", row.elapsed.as_secs_f64()),
            if row.passed() {
                "ok".to_owned()
            } else {
                format!("FAILED ({} problems)", row.problems.len())
            },
        ]);
    }
    let mut widths = headers.map(str::len);
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, row: &[&str]| {
        let mut text = String::new();
        for (index, (cell, width)) in row.iter().zip(widths).enumerate() {
            // The first and the last column read left to right, the numbers right-aligned.
            if index == 0 || index == row.len() - 1 {
                let _ = write!(text, "{cell:<width$}  ");
            } else {
                let _ = write!(text, "{cell:>width$}  ");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut out, &headers);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(
        &mut out,
        &rule.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    for row in &cells {
        line(
            &mut out,
            &row.iter().map(String::as_str).collect::<Vec<_>>(),
        );
    }
    for row in rows.iter().filter(|row| !row.problems.is_empty()) {
        let _ = writeln!(out, "\n{}:", row.reference);
        for problem in &row.problems {
            for (index, text) in problem.lines().enumerate() {
                let _ = writeln!(out, "  {}{text}", if index == 0 { "" } else { "  " });
            }
        }
    }
    out
}

/// The overrides that no release of `rows` used: `cargo xtask gen` counts the overrides a
/// spec does not match as meant for other releases, which holds only if each is used by one.
/// Empty unless every row generated.
pub fn never_used(rows: &[Row]) -> BTreeSet<String> {
    let mut unused = rows.iter().map(|row| row.unused_overrides.as_ref());
    let Some(Some(first)) = unused.next() else {
        return BTreeSet::new();
    };
    unused
        .try_fold(first.clone(), |left, theirs| {
            Some(left.intersection(theirs?).cloned().collect())
        })
        .unwrap_or_default()
}

/// The spec-shaped trees of `spec/fixtures/` (each a folder holding `data/`), generated in
/// memory for the overrides they use.
fn fixture_rows(repo_root: &Path) -> Vec<Row> {
    let overrides = repo_root.join("spec/overrides.yaml");
    let Ok(entries) = std::fs::read_dir(repo_root.join("spec/fixtures")) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|dir| dir.join("data").is_dir())
        .collect();
    dirs.sort();
    dirs.iter()
        .map(|dir| Row {
            reference: dir.display().to_string(),
            unused_overrides: codegen::generate(dir, Some(&overrides))
                .ok()
                .map(|generated| unused_of(&generated)),
            ..Row::default()
        })
        .collect()
}

/// The overrides `generated` did not use, as [`Row::unused_overrides`] lists them: the
/// patches, and the entries of the other tables (event kinds, typed events) it had nothing for.
fn unused_of(generated: &codegen::Generated) -> BTreeSet<String> {
    generated
        .unused_overrides
        .iter()
        .map(|entry| format!("{}#{}: {}", entry.file, entry.pointer, entry.reason))
        .chain(generated.other_releases.iter().cloned())
        .collect()
}

/// `cargo xtask spec-matrix ARGS`.
pub fn main(args: &[String], repo_root: &Path) -> ExitCode {
    let options = match Options::parse(args, repo_root) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let rows = match run(&options, &mut |line| eprintln!("spec-matrix: {line}")) {
        Ok(rows) => rows,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    print!("{}", table(&rows));
    // Only a run of every release can tell an override no release uses; the spec-shaped
    // fixtures of `spec/fixtures/` (older drafts of a schema) count as releases here.
    let never_used = match options.refs {
        None => {
            let mut with_fixtures = rows.clone();
            with_fixtures.extend(fixture_rows(&options.repo_root));
            never_used(&with_fixtures)
        }
        Some(_) => BTreeSet::new(),
    };
    if !never_used.is_empty() {
        println!("overrides that no release uses (remove or fix them):");
        for entry in &never_used {
            println!("  {entry}");
        }
    }
    if rows.iter().all(Row::passed) && never_used.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_read_from_the_tests_output() {
        let roundtrip = "event examples of /s/v1.1: 120 checked\n  FAILED x\nround-trip: 119 passed, 1 failed\n";
        assert_eq!(
            parse_roundtrip(roundtrip),
            Some(Count {
                checked: 120,
                passed: 119
            })
        );
        let api = "api examples of /s (9 files):\n  not JSON, not checked: 3 examples\n\
                   api examples: 400 checked, 398 passed, 2 failed (0 unreached) in 1.2s\n";
        assert_eq!(
            parse_api_examples(api),
            Some((
                Count {
                    checked: 400,
                    passed: 398
                },
                3
            ))
        );
        assert_eq!(parse_roundtrip("thread 'main' panicked at x"), None);
    }

    #[test]
    fn an_override_is_never_used_only_when_no_release_used_it() {
        let row = |unused: Option<&[&str]>| Row {
            unused_overrides: unused.map(|u| u.iter().map(|s| s.to_string()).collect()),
            ..Row::default()
        };
        let rows = [
            row(Some(&["a#/x: r", "b#/y: r", "c#/z: r"])),
            row(Some(&["b#/y: r", "c#/z: r"])),
            row(Some(&["a#/x: r", "c#/z: r"])),
        ];
        assert_eq!(never_used(&rows), BTreeSet::from(["c#/z: r".to_owned()]));
        // A release that did not generate says nothing of what it would have used.
        assert!(never_used(&[row(Some(&["c#/z: r"])), row(None)]).is_empty());
        assert!(never_used(&[]).is_empty());
    }

    #[test]
    fn options_parse_and_default() {
        let root = Path::new("/repo");
        let options = Options::parse(
            &["--refs".into(), "v1.1, main".into(), "--scratch=/s".into()],
            root,
        )
        .unwrap();
        assert_eq!(options.refs, Some(vec!["v1.1".into(), "main".into()]));
        assert_eq!(options.scratch, PathBuf::from("/s"));
        assert_eq!(options.specs, PathBuf::from("/repo/../shared/matrix-spec"));
        assert!(Options::parse(&["--bogus".into()], root).is_err());
        assert!(Options::parse(&["--refs".into()], root).is_err());
    }

    #[test]
    fn the_table_counts_event_and_api_examples() {
        let rows = [
            Row {
                reference: "v1.1".into(),
                schemas: Some(2639),
                types: Some(628),
                events: Some(Count {
                    checked: 100,
                    passed: 100,
                }),
                api: Some(Count {
                    checked: 300,
                    passed: 299,
                }),
                problems: vec!["api_examples: FAILED x".into()],
                packaged: Some(Duration::from_secs(12)),
                ..Row::default()
            },
            Row {
                reference: "v1.2".into(),
                problems: vec!["generation: error: bad".into()],
                ..Row::default()
            },
        ];
        let table = table(&rows);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("ref   schemas  types"), "{table}");
        assert!(
            lines[2].contains("400 (100 + 300)  399 (100 + 299)"),
            "{table}"
        );
        assert!(lines[2].contains("  ok 12s  "), "{table}");
        assert!(lines[3].contains("  -    0s  "), "{table}");
        assert!(lines[2].ends_with("FAILED (1 problems)"), "{table}");
        assert!(lines[3].starts_with("v1.2        -      -"), "{table}");
        assert!(
            table.contains("\nv1.1:\n  api_examples: FAILED x\n"),
            "{table}"
        );
    }
}

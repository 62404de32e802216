//! The `cargo xtask gen` command line, kept in the library so that it can be tested in-process.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::spec_source::find_spec;

pub const USAGE: &str = "\
usage: cargo xtask gen [--spec DIR] [--out DIR] [--check] [--verbose] [--unknown-fields collect|flatten]

  --spec DIR   a Matrix spec checkout (the folder holding `data/`); default: $MATRIX_SPEC_DIR,
               then the places spec/sources.yaml lists
  --out DIR    the crate to write into (default: generated/); its Cargo.toml, build.rs and
               src/lib.rs are created when missing
  --check      write nothing; fail and list the files that differ from what the spec generates
  --verbose    also list the overrides that match nothing in this spec (they are for other
               releases: `cargo xtask spec-matrix` checks that each is used by one)
  --unknown-fields collect|flatten
               how structs read fields the spec does not define: a generated Deserialize that
               collects them (default), or serde's flatten (kept for benches/unknown-fields.sh)";

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub spec: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub check: bool,
    /// List the overrides this spec does not concern, not only their number.
    pub verbose: bool,
    pub unknown_fields: crate::render::UnknownFields,
}

/// How a run ended: the exit code and what to print.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    fn success(stdout: String) -> Self {
        Outcome {
            code: 0,
            stdout,
            stderr: String::new(),
        }
    }

    fn failure(code: u8, mut stderr: String) -> Self {
        if !stderr.ends_with('\n') {
            stderr.push('\n');
        }
        Outcome {
            code,
            stdout: String::new(),
            stderr,
        }
    }
}

pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut args = args.iter();
    match args.next().map(String::as_str) {
        Some("gen") => {}
        Some("-h" | "--help") | None => return Err(USAGE.to_owned()),
        Some(other) => return Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
    let mut options = Options::default();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next().cloned())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag {
            "--spec" => options.spec = Some(PathBuf::from(value()?)),
            "--out" => options.out = Some(PathBuf::from(value()?)),
            "--check" => options.check = true,
            "--verbose" => options.verbose = true,
            "--unknown-fields" => {
                options.unknown_fields = match value()?.as_str() {
                    "collect" => crate::render::UnknownFields::Collect,
                    "flatten" => crate::render::UnknownFields::Flatten,
                    other => {
                        return Err(format!(
                            "--unknown-fields takes collect or flatten, not `{other}`"
                        ))
                    }
                }
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ => return Err(format!("unknown option `{arg}`\n\n{USAGE}")),
        }
    }
    Ok(options)
}

/// Runs the command given by `args` (without the program name) for the repository at
/// `repo_root`; `env_spec` is the value of `MATRIX_SPEC_DIR`, if set.
pub fn run(args: &[String], repo_root: &Path, env_spec: Option<&Path>) -> Outcome {
    let options = match parse_args(args) {
        Ok(options) => options,
        Err(message) => return Outcome::failure(2, message),
    };
    match generate_crate(&options, repo_root, env_spec) {
        Ok(run) => run.outcome,
        Err(message) => Outcome::failure(1, message),
    }
}

/// What a `gen` run did: what to print (a failure when `--check` found differences), the spec
/// it read and what it generated from it.
#[derive(Debug)]
pub struct GenRun {
    pub outcome: Outcome,
    pub spec: PathBuf,
    pub generated: crate::Generated,
}

/// `cargo xtask gen` with `options`: finds the spec, generates, writes (or checks) the crate.
/// `Err` when nothing was generated (no spec, errors in it) or the crate cannot be written.
pub fn generate_crate(
    options: &Options,
    repo_root: &Path,
    env_spec: Option<&Path>,
) -> Result<GenRun, String> {
    let spec = find_spec(options.spec.as_deref(), env_spec, repo_root)?;
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| repo_root.join("generated"));

    let started = Instant::now();
    let generated = crate::generate_with(
        &spec,
        Some(&repo_root.join("spec/overrides.yaml")),
        options.unknown_fields,
    )
    .map_err(|errors| {
        // Diagnostics name files relative to the spec's `data/` folder.
        format!(
            "{errors}\nthe files named are in {}",
            spec.join("data").display()
        )
    })?;
    let elapsed = started.elapsed();

    if !options.check {
        crate::scaffold_crate(&out)
            .map_err(|err| format!("cannot create the crate in {}: {err}", out.display()))?;
    }
    let report = crate::write::write_files(&out.join("src"), &generated.files, options.check)
        .map_err(|err| format!("cannot write to {}: {err}", out.display()))?;

    if options.check {
        if report.is_clean() {
            let outcome = Outcome::success(format!(
                "{} is up to date with {}\n",
                out.display(),
                spec.display()
            ));
            return Ok(GenRun {
                outcome,
                spec,
                generated,
            });
        }
        let mut message = format!(
            "{} is not what {} generates:\n",
            out.display(),
            spec.display()
        );
        for path in &report.written {
            message.push_str(&format!("  differs: {}\n", path.display()));
        }
        for path in &report.removed {
            message.push_str(&format!("  stale:   {}\n", path.display()));
        }
        message.push_str("run `cargo xtask gen` to update it\n");
        return Ok(GenRun {
            outcome: Outcome::failure(1, message),
            spec,
            generated,
        });
    }
    // An override that matches nothing here is for another release (the spec matrix fails
    // on one that no release uses): counted in the summary, listed only when asked.
    let mut message = String::new();
    let count_for_others = generated.unused_overrides.len() + generated.other_releases.len();
    if options.verbose {
        for unused in &generated.unused_overrides {
            message.push_str(&format!(
                "note: override for {}#{} matches nothing in this spec\n",
                unused.file, unused.pointer
            ));
        }
        for entry in &generated.other_releases {
            message.push_str(&format!("note: {entry}\n"));
        }
    }
    for note in &generated.notes {
        message.push_str(&format!("note: {note}\n"));
    }
    let for_others = match count_for_others {
        0 => String::new(),
        _ if options.verbose => String::new(),
        1 => " (1 override is for other releases: --verbose lists it)".to_owned(),
        n => format!(" ({n} overrides are for other releases: --verbose lists them)"),
    };
    message.push_str(&format!(
        "generated {} types from {} schemas of {} in {:.0?}: {} files written, {} unchanged, {} removed{for_others}\n",
        generated.type_count,
        generated.schema_count,
        spec.display(),
        elapsed,
        report.written.len(),
        report.unchanged,
        report.removed.len()
    ));
    Ok(GenRun {
        outcome: Outcome::success(message),
        spec,
        generated,
    })
}

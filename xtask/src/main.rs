//! `cargo xtask gen`: generates the `generated/` crate from the Matrix spec.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::spec_source::{find_spec, ENV_VAR};

const USAGE: &str = "\
usage: cargo xtask gen [--spec DIR] [--out DIR] [--check]

  --spec DIR   a Matrix spec checkout (the folder holding `data/`); default: $MATRIX_SPEC_DIR,
               then the places spec/sources.yaml lists
  --out DIR    the crate to write into (default: generated/); its Cargo.toml, build.rs and
               src/lib.rs are created when missing
  --check      write nothing; fail and list the files that differ from what the spec generates";

struct Options {
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    check: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    match args.next().as_deref() {
        Some("gen") => {}
        Some("-h" | "--help") | None => return Err(USAGE.to_owned()),
        Some(other) => return Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
    let mut options = Options {
        spec: None,
        out: None,
        check: false,
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a folder"))
        };
        match flag.as_str() {
            "--spec" => options.spec = Some(PathBuf::from(value()?)),
            "--out" => options.out = Some(PathBuf::from(value()?)),
            "--check" => options.check = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ => return Err(format!("unknown option `{arg}`\n\n{USAGE}")),
        }
    }
    Ok(options)
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_owned()
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<ExitCode, String> {
    let root = repo_root();
    let env = std::env::var_os(ENV_VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let spec = find_spec(options.spec.as_deref(), env.as_deref(), &root)?;
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| root.join("generated"));

    let started = Instant::now();
    let generated = codegen::generate(&spec, Some(&root.join("spec/overrides.yaml")))
        .map_err(|errors| errors.to_string())?;
    let elapsed = started.elapsed();

    if !options.check {
        codegen::scaffold_crate(&out)
            .map_err(|err| format!("cannot create the crate in {}: {err}", out.display()))?;
    }
    let report = codegen::write::write_files(&out.join("src"), &generated.files, options.check)
        .map_err(|err| format!("cannot write to {}: {err}", out.display()))?;

    if options.check {
        if report.is_clean() {
            println!("{} is up to date with {}", out.display(), spec.display());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "{} is not what {} generates:",
            out.display(),
            spec.display()
        );
        for path in &report.written {
            eprintln!("  differs: {}", path.display());
        }
        for path in &report.removed {
            eprintln!("  stale:   {}", path.display());
        }
        eprintln!("run `cargo xtask gen` to update it");
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "generated {} types from {} schemas of {} in {:.0?}: {} files written, {} unchanged, {} removed",
        generated.type_count,
        generated.schema_count,
        spec.display(),
        elapsed,
        report.written.len(),
        report.unchanged,
        report.removed.len()
    );
    Ok(ExitCode::SUCCESS)
}

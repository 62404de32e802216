//! `cargo xtask homeserver [--verbose]`: the scenario against a real Synapse
//! (`tests/homeserver.rs`) alone, and its report: operations exercised, answers read and
//! written back losslessly, events typed, unknown and failed, the fields outside the spec's
//! schemas, the errors read as documented. `--verbose` adds each request of the scenario.
//!
//! `cargo xtask homeserver --corpus [N] [--out DIR]`: instead of the scenario, the corpus of
//! the throughput benchmark: a room filled with `N` events (3000 by default), and the bodies of
//! a `/sync` and of `/messages` saved into `DIR` (by default `target/homeserver/corpus`), each
//! read losslessly by the generated types first (`tests/homeserver/corpus.rs`).
//!
//! The first run installs Synapse into `target/homeserver/venv` (python3 with venv and pip
//! are needed), later ones reuse it. Run `cargo xtask gen` first, as for every test.

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

const USAGE: &str = "usage: cargo xtask homeserver [--verbose] [--corpus [N] [--out DIR]]";

/// What the command line asks.
#[derive(Debug, Default, PartialEq)]
struct Options {
    verbose: bool,
    /// The arguments handed to the test program (`--corpus N --out DIR`).
    test_args: Vec<String>,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.iter().peekable();
    let mut corpus = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--verbose" | "-v" => options.verbose = true,
            "--corpus" => {
                corpus = true;
                options.test_args.push(arg.clone());
                if let Some(count) = args.next_if(|next| !next.starts_with('-')) {
                    match count.parse::<usize>() {
                        Ok(count) if count > 0 => options.test_args.push(count.to_string()),
                        _ => return Err(format!("--corpus {count}: a number of events above 0")),
                    }
                }
            }
            "--out" if corpus => {
                let dir = args.next().ok_or("--out needs a folder")?;
                // The test runs in tests/: a relative folder is made absolute here.
                let dir = std::env::current_dir()
                    .map_err(|err| err.to_string())?
                    .join(dir);
                options.test_args.push(arg.clone());
                options.test_args.push(dir.to_string_lossy().into_owned());
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

pub fn main(args: &[String], repo_root: &Path) -> ExitCode {
    let options = match options(args) {
        Ok(options) => options,
        Err(err) => {
            eprintln!("{err}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // cargo's own messages (building) go to the terminal as they come; the test's standard
    // output, which holds the report, is read and shortened.
    let output = Command::new(cargo)
        .args([
            "test",
            "--quiet",
            "-p",
            "tests",
            "--test",
            "homeserver",
            "--",
        ])
        .args(&options.test_args)
        .current_dir(repo_root)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output();
    let output = match output {
        Ok(output) => output,
        Err(err) => {
            eprintln!("cargo could not be run: {err}");
            return ExitCode::from(1);
        }
    };
    let text = String::from_utf8_lossy(&output.stdout);
    for line in report(&text, options.verbose || !output.status.success()) {
        println!("{line}");
    }
    if output.status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The lines of the test's output to show: all of them when `all`, else the report without
/// the line of each request (indented by two spaces; failures are kept).
fn report(output: &str, all: bool) -> Vec<&str> {
    output
        .lines()
        .filter(|line| all || !line.starts_with("  ") || line.trim_start().starts_with("FAILED"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_leaves_out_the_requests_but_not_the_failures() {
        let output = "homeserver: Synapse\n  versions: GET /x -> 200\n  FAILED a\nhomeserver: 1 passed, 1 failed\n";
        assert_eq!(
            report(output, false),
            [
                "homeserver: Synapse",
                "  FAILED a",
                "homeserver: 1 passed, 1 failed"
            ]
        );
        assert_eq!(report(output, true).len(), 4);
    }

    #[test]
    fn the_corpus_arguments_go_to_the_test() {
        let args = |list: &[&str]| options(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(args(&[]), Ok(Options::default()));
        assert_eq!(args(&["--corpus"]).unwrap().test_args, ["--corpus"]);
        assert_eq!(
            args(&["--corpus", "500", "-v"]).unwrap(),
            Options {
                verbose: true,
                test_args: vec!["--corpus".into(), "500".into()]
            }
        );
        let out = args(&["--corpus", "--out", "/tmp/c"]).unwrap().test_args;
        assert_eq!(out, ["--corpus", "--out", "/tmp/c"]);
        assert!(args(&["--corpus", "0"]).is_err());
        assert!(args(&["--corpus", "many"]).is_err());
        assert!(
            args(&["--out", "/tmp/c"]).is_err(),
            "--out without --corpus"
        );
        assert!(args(&["--corpus", "--out"]).is_err());
    }
}

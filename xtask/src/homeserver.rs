//! `cargo xtask homeserver [--verbose]`: the scenario against a real Synapse
//! (`tests/homeserver.rs`) alone, and its report: operations exercised, answers read and
//! written back losslessly, events typed, unknown and failed, the fields outside the spec's
//! schemas, the errors read as documented. `--verbose` adds each request of the scenario.
//!
//! The first run installs Synapse into `target/homeserver/venv` (python3 with venv and pip
//! are needed), later ones reuse it. Run `cargo xtask gen` first, as for every test.

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

pub fn main(args: &[String], repo_root: &Path) -> ExitCode {
    let verbose = match args {
        [] => false,
        [flag] if flag == "--verbose" || flag == "-v" => true,
        _ => {
            eprintln!("usage: cargo xtask homeserver [--verbose]");
            return ExitCode::from(2);
        }
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // cargo's own messages (building) go to the terminal as they come; the test's standard
    // output, which holds the report, is read and shortened.
    let output = Command::new(cargo)
        .args(["test", "--quiet", "-p", "tests", "--test", "homeserver"])
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
    for line in report(&text, verbose || !output.status.success()) {
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
}

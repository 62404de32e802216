//! `cargo xtask gen`: generates the `generated/` crate from the Matrix spec (see `codegen::cli`).
//! `cargo xtask package [--spec DIR]`: generates, then packages the crate (`xtask::package`).
//! `cargo xtask bench-gen [RUNS]`: times the generator's stages on the spec (see BENCHMARKS.md).
//! `cargo xtask spec-matrix`: generates, builds and tests every spec release (`xtask::spec_matrix`).
//! `cargo xtask spec-diff OLD NEW`: the Rust-level changes between two releases (`xtask::spec_diff`).
//! `cargo xtask homeserver [--corpus [N]]`: the scenario against a real Synapse, and its report, or
//! the throughput benchmark's corpus (`xtask::homeserver`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

// Token trees and strings are most of what the generator allocates (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let repo_root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository");
    let env_spec = std::env::var_os(codegen::spec_source::ENV_VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    if args.first().map(String::as_str) == Some("bench-gen") {
        return bench_gen(&args[1..], repo_root, env_spec.as_deref());
    }
    if args.first().map(String::as_str) == Some("package") {
        return xtask::package::main(&args[1..], repo_root, env_spec.as_deref());
    }
    if args.first().map(String::as_str) == Some("spec-matrix") {
        return xtask::spec_matrix::main(&args[1..], repo_root);
    }
    if args.first().map(String::as_str) == Some("spec-diff") {
        return xtask::spec_diff::main(&args[1..], repo_root);
    }
    if args.first().map(String::as_str) == Some("homeserver") {
        return xtask::homeserver::main(&args[1..], repo_root);
    }
    let outcome = codegen::cli::run(&args, repo_root, env_spec.as_deref());
    print!("{}", outcome.stdout);
    eprint!("{}", outcome.stderr);
    ExitCode::from(outcome.code)
}

/// The whole pipeline's time budget on the `main` spec (events and every API), release build.
const TARGET: Duration = Duration::from_millis(300);

/// Generates the spec `runs` times in memory (nothing is written) and prints the median time
/// of each stage and of the whole, and the ratio of the whole to [`TARGET`].
fn bench_gen(args: &[String], repo_root: &Path, env_spec: Option<&Path>) -> ExitCode {
    let runs: usize = match args.first().map(|a| a.parse()) {
        None => 15,
        Some(Ok(runs)) if runs > 0 => runs,
        Some(_) => {
            eprintln!("usage: cargo xtask bench-gen [RUNS]");
            return ExitCode::from(2);
        }
    };
    let spec = match codegen::spec_source::find_spec(None, env_spec, repo_root) {
        Ok(spec) => spec,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let overrides = repo_root.join("spec/overrides.yaml");
    let mut samples: Vec<Vec<(&'static str, Duration)>> = Vec::new();
    let mut types = 0;
    for _ in 0..runs {
        match codegen::generate(&spec, Some(&overrides)) {
            Ok(generated) => {
                types = generated.type_count;
                samples.push(generated.timings);
            }
            Err(errors) => {
                eprintln!("{errors}");
                return ExitCode::from(1);
            }
        }
    }
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    println!(
        "generation of {} ({types} types), median of {runs} runs{}:",
        spec.display(),
        if cfg!(debug_assertions) {
            " (debug build!)"
        } else {
            ""
        }
    );
    for (index, (stage, _)) in samples[0].iter().enumerate() {
        let time = median(samples.iter().map(|s| s[index].1).collect());
        println!("  {stage:<10} {:>8.1} ms", time.as_secs_f64() * 1e3);
    }
    let total = median(
        samples
            .iter()
            .map(|s| s.iter().map(|(_, t)| *t).sum())
            .collect(),
    );
    println!(
        "  {:<10} {:>8.1} ms  (target {} ms: ratio {:.2})",
        "total",
        total.as_secs_f64() * 1e3,
        TARGET.as_millis(),
        total.as_secs_f64() / TARGET.as_secs_f64()
    );
    ExitCode::SUCCESS
}

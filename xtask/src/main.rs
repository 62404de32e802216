//! `cargo xtask gen`: generates the `generated/` crate from the Matrix spec (see `codegen::cli`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let repo_root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository");
    let env_spec = std::env::var_os(codegen::spec_source::ENV_VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let outcome = codegen::cli::run(&args, repo_root, env_spec.as_deref());
    print!("{}", outcome.stdout);
    eprint!("{}", outcome.stderr);
    ExitCode::from(outcome.code)
}

//! `cargo xtask package [--spec DIR]`: generates the crate (as `cargo xtask gen` does, with the
//! same spec lookup), then packages it with `cargo package` into
//! `target/package/matrix-types-<version>.crate`, the generated modules included, after
//! cargo's own verification build of the packaged sources.
//!
//! How the files are chosen: `generated/Cargo.toml` has an `include` list, so cargo walks the
//! crate's folder for it rather than asking git, which would leave out the generated modules
//! (they are git-ignored). What is packaged is a copy of the crate, staged in
//! `target/xtask-package/matrix-types/`, rather than `generated/` itself, because:
//!
//! - the packaged version carries the spec it was generated from as semver build metadata
//!   (`0.1.0+spec.v1.19`, see [`package_version`]), written into the copy's `Cargo.toml`
//!   only: the committed manifest stays `0.1.0`;
//! - the copy's manifest gets a `[workspace]` table of its own, so cargo packages and
//!   verifies it alone, as a registry would see it: no workspace around it (no inherited
//!   settings, no other members' features unified into its dependencies) and no spec (the
//!   verification builds the unpacked `.crate` in `target/package/`, which holds only the
//!   packaged files). Cargo drops that table from the packaged manifest;
//! - the copy is in an ignored folder, so cargo records no git state for it (no
//!   `.cargo_vcs_info.json`, no `--allow-dirty`): the repository's commit would not describe
//!   the generated modules anyway, `SPEC_VERSION` and `SPEC_COMMIT` do;
//! - the workspace's `Cargo.lock` is copied beside it, so the verification builds with the
//!   dependency versions the workspace tests (cargo keeps the entries the crate needs).
//!
//! The copy is made of the crate's hand-written frame (`codegen::frame()`, the files of
//! `generated/` as this xtask was built) and the files just generated, never of whatever else
//! lies in `generated/`. Cargo writes the `.crate` only once its verification build has
//! passed; an older `.crate` of the same version is removed first, so a failed run leaves
//! none behind. The verification builds into the checkout's target folder
//! (`$CARGO_TARGET_DIR`, else `target/`), reusing the dependencies built there.
//! `cargo xtask spec-matrix` packages every release the same way ([`stage`],
//! [`cargo_package`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use codegen::spec_source::SpecVersion;

pub const USAGE: &str = "\
usage: cargo xtask package [--spec DIR]

  --spec DIR   a Matrix spec checkout (the folder holding `data/`); default: $MATRIX_SPEC_DIR,
               then the places spec/sources.yaml lists (as for `cargo xtask gen`)

Generates generated/ from the spec, then writes target/package/matrix-types-<version>.crate
with `cargo package` (generated modules included; version `0.1.0+spec.<ref>`), after cargo's
verification build of the packaged crate on its own. Prints the path of the .crate last.";

/// The name of the generated crate's package.
pub const PACKAGE: &str = "matrix-types";

/// The crate's version with the spec's reference as build metadata: the version of
/// `manifest` (a `Cargo.toml`, any build metadata it has replaced) and
/// [`SpecVersion::build_metadata`], `0.1.0+spec.v1.19`. Build metadata does not take part in
/// version order or compatibility (semver 2.0 §10, and cargo): it only tells packages apart.
pub fn package_version(manifest: &str, spec: &SpecVersion) -> Result<String, String> {
    let base = package_field(manifest, "version")
        .ok_or("the crate's Cargo.toml has no `version` in its [package] table")?;
    let base = base.split('+').next().unwrap_or_default();
    Ok(format!("{base}+{}", spec.build_metadata()))
}

/// The string value of `key` in the `[package]` table of `manifest`.
pub fn package_field(manifest: &str, key: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        if name.trim() == key {
            let value = value.trim();
            return value
                .strip_prefix('"')
                .and_then(|rest| rest.split_once('"'))
                .map(|(value, _)| value.to_owned());
        }
    }
    None
}

/// `manifest` as packaged: `version` set to `version`, and a `[workspace]` table of its own.
fn staged_manifest(manifest: &str, version: &str) -> String {
    let mut in_package = false;
    let mut done = false;
    let mut out = String::with_capacity(manifest.len() + 512);
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_package = trimmed == "[package]";
        }
        if in_package && !done && trimmed.split('=').next().map(str::trim) == Some("version") {
            out.push_str(&format!("version = \"{version}\"\n"));
            done = true;
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(
        "\n# Staged by `cargo xtask package`: the crate is packaged and verified on its own, not as\n\
         # a member of the repository's workspace (cargo leaves this table out of the package).\n\
         [workspace]\n",
    );
    out
}

/// Lays out the crate to package in `staging` (emptied first): the frame, with the manifest's
/// version set to `version` and a `[workspace]` of its own, the generated `files` (paths
/// relative to `src/`), and a copy of the lock file `lock`.
pub fn stage(
    staging: &Path,
    files: &BTreeMap<String, String>,
    version: &str,
    lock: &Path,
) -> Result<(), String> {
    let fail = |what: &str, path: &Path, err: std::io::Error| {
        format!("cannot {what} {}: {err}", path.display())
    };
    if staging.exists() {
        std::fs::remove_dir_all(staging).map_err(|err| fail("empty", staging, err))?;
    }
    let write = |relative: &str, bytes: &[u8]| {
        let path = staging.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|err| fail("create", parent, err))?;
        }
        std::fs::write(&path, bytes).map_err(|err| fail("write", &path, err))
    };
    for (relative, text) in codegen::frame() {
        if *relative == "Cargo.toml" {
            write(relative, staged_manifest(text, version).as_bytes())?;
        } else {
            write(relative, text.as_bytes())?;
        }
    }
    for (relative, text) in files {
        write(&format!("src/{relative}"), text.as_bytes())?;
    }
    let bytes = std::fs::read(lock).map_err(|err| fail("read", lock, err))?;
    write("Cargo.lock", &bytes)
}

/// How `cargo package` shows its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// On the terminal, as it goes.
    Shown,
    /// Kept; its end is part of the error when packaging fails.
    Captured,
}

/// Runs `cargo package` on the crate staged in `staging` (see [`stage`]), building into
/// `target_dir`; the path of the `.crate`, written only when the verification build passed.
pub fn cargo_package(
    staging: &Path,
    target_dir: &Path,
    version: &str,
    output: Output,
) -> Result<PathBuf, String> {
    let crate_file = target_dir
        .join("package")
        .join(format!("{PACKAGE}-{version}.crate"));
    // Not an older package of the same version in place of the one that failed.
    if crate_file.exists() {
        std::fs::remove_file(&crate_file)
            .map_err(|err| format!("cannot remove {}: {err}", crate_file.display()))?;
    }
    let mut command = Command::new(crate::spec_matrix::cargo());
    command
        .args(["package", "--manifest-path"])
        .arg(staging.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir)
        .current_dir(staging)
        .stdin(Stdio::null());
    let (status, text) = match output {
        Output::Shown => {
            let status = command
                .status()
                .map_err(|err| format!("cannot run cargo: {err}"))?;
            (status, None)
        }
        Output::Captured => {
            let output = command
                .output()
                .map_err(|err| format!("cannot run cargo: {err}"))?;
            let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
            text.push_str(&String::from_utf8_lossy(&output.stderr));
            (output.status, Some(text))
        }
    };
    if !status.success() {
        // Cargo keeps the archive it could not verify in its own temporary folder: not ours.
        let unverified = target_dir
            .join("package/tmp-crate")
            .join(format!("{PACKAGE}-{version}.crate"));
        let _ = std::fs::remove_file(unverified);
        let shown = match text {
            None => " (its output is above)".to_owned(),
            Some(text) => {
                let lines: Vec<&str> = text
                    .lines()
                    .filter(|line| !line.trim_start().starts_with("Compiling"))
                    .collect();
                format!(":\n{}", lines[lines.len().saturating_sub(40)..].join("\n"))
            }
        };
        return Err(format!(
            "`cargo package` failed ({status}): no {} was written; the staged crate is in {}{shown}",
            crate_file.display(),
            staging.display(),
        ));
    }
    if !crate_file.is_file() {
        return Err(format!(
            "`cargo package` succeeded but wrote no {}",
            crate_file.display()
        ));
    }
    Ok(crate_file)
}

/// The cargo target folder of the checkout at `repo_root`: `$CARGO_TARGET_DIR`, else `target/`.
pub fn target_dir(repo_root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                repo_root.join(dir)
            }
        })
        .unwrap_or_else(|| repo_root.join("target"))
}

/// `cargo xtask package ARGS`; `env_spec` is `$MATRIX_SPEC_DIR`.
pub fn main(args: &[String], repo_root: &Path, env_spec: Option<&Path>) -> ExitCode {
    let mut spec = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" => match args.next() {
                Some(dir) => spec = Some(PathBuf::from(dir)),
                None => {
                    eprintln!("--spec needs a value\n\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            other if other.starts_with("--spec=") => spec = Some(other["--spec=".len()..].into()),
            "-h" | "--help" => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
            other => {
                eprintln!("unknown argument `{other}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    match package(spec, repo_root, env_spec) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn package(spec: Option<PathBuf>, repo_root: &Path, env_spec: Option<&Path>) -> Result<(), String> {
    let started = Instant::now();
    let options = codegen::cli::Options {
        spec,
        ..Default::default()
    };
    let run = codegen::cli::generate_crate(&options, repo_root, env_spec)?;
    print!("{}", run.outcome.stdout);
    eprint!("{}", run.outcome.stderr);
    if run.outcome.code != 0 {
        return Err("generation failed: nothing packaged".to_owned());
    }
    let spec_version = &run.generated.spec_version;
    eprintln!(
        "packaging the crate of {} (spec {}, commit {})",
        run.spec.display(),
        spec_version.reference,
        spec_version.commit_or_unknown(),
    );
    let target = target_dir(repo_root);
    let crate_file = package_generated(
        &run.generated,
        &target.join("xtask-package").join(PACKAGE),
        &target,
        &repo_root.join("Cargo.lock"),
        Output::Shown,
    )?;
    eprintln!("packaged and verified in {:.0?}", started.elapsed());
    println!("packaged: {}", crate_file.display());
    Ok(())
}

/// The crate's `Cargo.toml` as written in `generated/` (its frame).
pub fn frame_manifest() -> &'static str {
    codegen::frame()
        .iter()
        .find(|(path, _)| *path == "Cargo.toml")
        .map(|(_, text)| *text)
        .expect("the crate's frame has a Cargo.toml")
}

/// Packages what `generated` holds: staged in `staging` with the workspace's lock file `lock`
/// ([`stage`]), then `cargo package` building into `target_dir` ([`cargo_package`]); the path
/// of the verified `.crate`.
pub fn package_generated(
    generated: &codegen::Generated,
    staging: &Path,
    target_dir: &Path,
    lock: &Path,
    output: Output,
) -> Result<PathBuf, String> {
    let version = package_version(frame_manifest(), &generated.spec_version)?;
    stage(staging, &generated.files, &version, lock)?;
    cargo_package(staging, target_dir, &version, output)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "[package]\nname = \"matrix-types\"\nversion = \"0.1.0\"\n\n[dependencies]\nversion = { version = \"1\" }\n";

    #[test]
    fn the_version_carries_the_spec_as_build_metadata() {
        let spec = |reference: &str| SpecVersion {
            reference: reference.to_owned(),
            commit: None,
        };
        assert_eq!(
            package_version(MANIFEST, &spec("v1.19")).unwrap(),
            "0.1.0+spec.v1.19"
        );
        let already = MANIFEST.replace("0.1.0", "0.2.3+old");
        assert_eq!(
            package_version(&already, &spec("feature/x")).unwrap(),
            "0.2.3+spec.feature-x"
        );
        assert!(package_version("[package]\nname = \"x\"\n", &spec("main")).is_err());
    }

    #[test]
    fn the_staged_manifest_has_the_version_and_a_workspace_of_its_own() {
        let staged = staged_manifest(MANIFEST, "0.1.0+spec.main");
        assert!(
            staged
                .starts_with("[package]\nname = \"matrix-types\"\nversion = \"0.1.0+spec.main\"\n"),
            "{staged}"
        );
        // Only the package's version: a dependency's is left alone.
        assert!(staged.contains("version = { version = \"1\" }"), "{staged}");
        assert!(staged.trim_end().ends_with("\n[workspace]"), "{staged}");
        assert_eq!(
            package_field(&staged, "version").as_deref(),
            Some("0.1.0+spec.main")
        );
    }
}

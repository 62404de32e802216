//! Where things are: the repository, the spec the crate was generated from, the project's
//! overrides, and the files of both.

use std::path::{Component, Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the repository")
        .to_owned()
}

/// The spec folder, found exactly as `cargo xtask gen` finds it (so both read the same spec).
pub fn spec_dir() -> PathBuf {
    let env = std::env::var_os(codegen::spec_source::ENV_VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    codegen::spec_source::find_spec(None, env.as_deref(), &repo_root())
        .unwrap_or_else(|err| panic!("{err}"))
}

/// The project's overrides (`spec/overrides.yaml`), some of which correct the spec's examples.
pub fn overrides() -> codegen::overrides::Overrides {
    let text =
        read_text(&repo_root().join("spec/overrides.yaml")).unwrap_or_else(|err| panic!("{err}"));
    codegen::overrides::Overrides::parse("spec/overrides.yaml", &text)
        .unwrap_or_else(|err| panic!("{err}"))
}

/// The text of a file; the error names the file.
pub(crate) fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))
}

/// The path of a file of the spec relative to its `data/` folder (`data_dir`), with `/`
/// between its parts, as the overrides name files; the whole path for a file outside it.
pub(crate) fn data_relative(data_dir: &Path, path: &Path) -> String {
    let normalized = normalize(path);
    let relative = normalized.strip_prefix(normalize(data_dir)).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

/// `path` with its `.` and `..` parts resolved by name (the file system is not asked).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

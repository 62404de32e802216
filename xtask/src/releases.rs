//! The spec releases kept beside the checkout: one folder per release (`v1.1`, ..., `v1.19`,
//! `main`), each holding the spec's `data/` folder.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

/// Where the releases are looked for unless told otherwise: `../shared/matrix-spec` from the
/// repository root (the folder `spec/sources.yaml` takes `main` from).
pub fn default_specs_dir(repo_root: &Path) -> PathBuf {
    repo_root.join("../shared/matrix-spec")
}

/// The folder of a release: `reference` inside `specs_dir`, unless it is a path to a spec
/// folder itself (it holds `data/`).
pub fn spec_dir(specs_dir: &Path, reference: &str) -> PathBuf {
    let direct = Path::new(reference);
    if direct.join("data").is_dir() && (direct.is_absolute() || reference.contains('/')) {
        return direct.to_owned();
    }
    specs_dir.join(reference)
}

/// The names of the folders of `specs_dir` that hold a `data/` folder, in release order.
pub fn list(specs_dir: &Path) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(specs_dir).map_err(|err| {
        format!(
            "cannot list the spec releases in {}: {err}",
            specs_dir.display()
        )
    })?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|entry| entry.path().join("data").is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    sort(&mut names);
    Ok(names)
}

/// Sorts release names: versions by number (`v1.2` before `v1.10`), then other names
/// alphabetically, `main` last.
pub fn sort(names: &mut [String]) {
    names.sort_by(|a, b| compare(a, b));
}

/// The numbers of a version name: `v1.10` is `[1, 10]`; `None` for other names.
fn version(name: &str) -> Option<Vec<u64>> {
    let digits = name.strip_prefix('v').unwrap_or(name);
    digits.split('.').map(|part| part.parse().ok()).collect()
}

fn compare(a: &str, b: &str) -> Ordering {
    let rank = |name: &str| match (name, version(name)) {
        ("main", _) => 2,
        (_, Some(_)) => 0,
        _ => 1,
    };
    rank(a)
        .cmp(&rank(b))
        .then_with(|| version(a).cmp(&version(b)))
        .then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_sort_by_version_with_main_last() {
        let mut names: Vec<String> = ["main", "v1.10", "v1.2", "next", "v1.1", "v1.19", "v2.0"]
            .map(str::to_owned)
            .to_vec();
        sort(&mut names);
        assert_eq!(
            names,
            ["v1.1", "v1.2", "v1.10", "v1.19", "v2.0", "next", "main"]
        );
    }
}

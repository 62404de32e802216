//! Finding the spec: a `--spec` flag, then `MATRIX_SPEC_DIR`, then the places `spec/sources.yaml` lists.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The upstream commit this project is tested against, from `spec/sources.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    pub upstream: String,
    pub reference: String,
    pub commit: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sources {
    pub pin: Pin,
    /// Folders to try, relative to the repository root, in order.
    pub search: Vec<String>,
}

pub const SOURCES_FILE: &str = "spec/sources.yaml";
pub const ENV_VAR: &str = "MATRIX_SPEC_DIR";

impl Sources {
    pub fn read(repo_root: &Path) -> Result<Self, String> {
        let path = repo_root.join(SOURCES_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let value = crate::yaml::parse_yaml(SOURCES_FILE, &text).map_err(|d| d.to_string())?;
        let text_at = |pointer: &str| -> Result<String, String> {
            value
                .pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("{SOURCES_FILE}: missing string at {pointer}"))
        };
        let search = value
            .get("search")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{SOURCES_FILE}: missing list `search`"))?
            .iter()
            .map(|entry| {
                entry
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{SOURCES_FILE}: `search` holds strings"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Sources {
            pin: Pin {
                upstream: text_at("/pin/upstream")?,
                reference: text_at("/pin/ref")?,
                commit: text_at("/pin/commit")?,
            },
            search,
        })
    }
}

/// The spec folder (the one holding `data/`) to read, or an error that says where it looked
/// and how to get the spec.
pub fn find_spec(
    flag: Option<&Path>,
    env: Option<&Path>,
    repo_root: &Path,
) -> Result<PathBuf, String> {
    let has_data = |dir: &Path| dir.join("data").is_dir();
    if let Some(dir) = flag {
        return if has_data(dir) {
            Ok(dir.to_owned())
        } else {
            Err(format!(
                "--spec {}: no `data/` folder there (give the folder of a matrix-spec checkout)",
                dir.display()
            ))
        };
    }
    if let Some(dir) = env {
        return if has_data(dir) {
            Ok(dir.to_owned())
        } else {
            Err(format!(
                "{ENV_VAR}={}: no `data/` folder there (give the folder of a matrix-spec checkout)",
                dir.display()
            ))
        };
    }
    let sources = Sources::read(repo_root)?;
    let mut tried = Vec::new();
    for entry in &sources.search {
        let dir = repo_root.join(entry);
        if has_data(&dir) {
            return Ok(dir);
        }
        tried.push(format!("  {}", dir.display()));
    }
    let pin = &sources.pin;
    Err(format!(
        "no Matrix spec found. Looked for a `data/` folder in:\n{}\n\
         Get the pinned spec ({} at {}) with:\n  \
         git clone {} spec/matrix-spec && git -C spec/matrix-spec checkout {}\n\
         or point at a checkout with --spec DIR or {ENV_VAR}=DIR.",
        tried.join("\n"),
        pin.reference,
        pin.commit,
        pin.upstream,
        pin.commit
    ))
}

/// The file beside the release folders of a spec snapshot (`../shared/matrix-spec/REFS`) that
/// gives each folder's upstream commit: one line per folder, `<folder> <commit> [date]`.
pub const REFS_FILE: &str = "REFS";

/// What `SPEC_VERSION` and `SPEC_COMMIT` say when they cannot be told.
pub const UNKNOWN: &str = "unknown";

/// Which spec a crate is generated from, as the crate records it (`SPEC_VERSION`,
/// `SPEC_COMMIT`, and the build metadata of its packaged version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecVersion {
    /// The release or branch: `v1.19`, `main`; [`UNKNOWN`] for a folder of unknown origin.
    pub reference: String,
    /// The upstream commit, when it is known.
    pub commit: Option<String>,
}

impl SpecVersion {
    /// The version of a spec that is not on disk (`generate_in_memory`).
    pub fn in_memory() -> Self {
        SpecVersion {
            reference: "in-memory".to_owned(),
            commit: None,
        }
    }

    /// The version of the spec in `spec_dir` (the folder holding `data/`), in order:
    ///
    /// 1. the folder is listed in a [`REFS_FILE`] beside it (the snapshots in
    ///    `../shared/matrix-spec`): the folder's name and the commit listed;
    /// 2. the folder is the top of a git checkout: its `HEAD` commit (with `-dirty` when
    ///    `data/` has uncommitted changes), and the tag at `HEAD`, else the branch, else
    ///    `git-<first 12 digits of the commit>`;
    /// 3. else neither is known. Not the folder's name: what is generated from a folder of
    ///    unknown origin is the same wherever it lies.
    pub fn of(spec_dir: &Path) -> Self {
        let dir = spec_dir
            .canonicalize()
            .unwrap_or_else(|_| spec_dir.to_owned());
        let name = dir
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .filter(|name| !name.is_empty());
        if let (Some(name), Some(parent)) = (&name, dir.parent()) {
            if let Some(commit) = listed_commit(&parent.join(REFS_FILE), name) {
                return SpecVersion {
                    reference: name.clone(),
                    commit: Some(commit),
                };
            }
        }
        if let Some(version) = git_version(&dir) {
            return version;
        }
        SpecVersion {
            reference: UNKNOWN.to_owned(),
            commit: None,
        }
    }

    /// The commit as the crate records it: [`UNKNOWN`] when it is not known.
    pub fn commit_or_unknown(&self) -> &str {
        self.commit.as_deref().unwrap_or(UNKNOWN)
    }

    /// The reference as semver build metadata, `spec.v1.19`: identifiers of ASCII letters,
    /// digits and `-`, separated by dots (semver 2.0 §10); any other character becomes `-`,
    /// and empty identifiers are dropped (`feature/a_b` is `spec.feature-a-b`).
    pub fn build_metadata(&self) -> String {
        let identifiers: Vec<String> = self
            .reference
            .split('.')
            .map(|part| {
                part.chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect::<String>()
            })
            .filter(|part| !part.is_empty())
            .collect();
        if identifiers.is_empty() {
            format!("spec.{UNKNOWN}")
        } else {
            format!("spec.{}", identifiers.join("."))
        }
    }
}

/// The commit that the REFS file at `refs` lists for the folder `name`, if any.
fn listed_commit(refs: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(refs).ok()?;
    text.lines().find_map(|line| {
        let mut fields = line.split_whitespace();
        if fields.next()? != name {
            return None;
        }
        fields.next().map(str::to_owned)
    })
}

/// The version of a spec folder that is the top of a git checkout; `None` for any other
/// folder (one inside another repository is not taken for that repository's spec).
fn git_version(dir: &Path) -> Option<SpecVersion> {
    let git = |args: &[&str]| -> Option<String> {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        let text = String::from_utf8(output.stdout).ok()?.trim().to_owned();
        (output.status.success() && !text.is_empty()).then_some(text)
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != dir {
        return None;
    }
    let mut commit = git(&["rev-parse", "--verify", "HEAD"])?;
    let clean = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["diff", "--quiet", "HEAD", "--", "data"])
        .stdin(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    let reference = git(&["describe", "--tags", "--exact-match", "HEAD"])
        .or_else(|| git(&["symbolic-ref", "--short", "-q", "HEAD"]))
        .unwrap_or_else(|| format!("git-{}", &commit[..commit.len().min(12)]));
    if !clean {
        commit.push_str("-dirty");
    }
    Some(SpecVersion {
        reference,
        commit: Some(commit),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(reference: &str) -> SpecVersion {
        SpecVersion {
            reference: reference.to_owned(),
            commit: None,
        }
    }

    #[test]
    fn build_metadata_keeps_to_semver_characters() {
        assert_eq!(version("v1.19").build_metadata(), "spec.v1.19");
        assert_eq!(version("main").build_metadata(), "spec.main");
        assert_eq!(
            version("feature/a_b..c").build_metadata(),
            "spec.feature-a-b.c"
        );
        assert_eq!(version("..").build_metadata(), "spec.unknown");
        assert_eq!(version("v1.2+x").build_metadata(), "spec.v1.2-x");
    }

    #[test]
    fn the_version_of_a_folder_comes_from_the_refs_file_beside_it() {
        let root = std::env::temp_dir().join(format!("spec-version-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for name in ["v1.7", "elsewhere"] {
            std::fs::create_dir_all(root.join(name).join("data")).unwrap();
        }
        std::fs::write(
            root.join(REFS_FILE),
            "main 1111 2026-07-21\nv1.7 8b51f1c0110384a970b777afdc11d76b17f4e97d 2023-05-25\n",
        )
        .unwrap();
        let listed = SpecVersion::of(&root.join("v1.7"));
        assert_eq!(listed.reference, "v1.7");
        assert_eq!(
            listed.commit_or_unknown(),
            "8b51f1c0110384a970b777afdc11d76b17f4e97d"
        );
        // Not listed (and not a git checkout of its own): neither is known.
        let unlisted = SpecVersion::of(&root.join("elsewhere"));
        assert_eq!(unlisted.reference, UNKNOWN);
        assert_eq!(unlisted.commit_or_unknown(), UNKNOWN);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn the_version_of_a_git_checkout_is_its_tag_or_branch_and_head() {
        let dir = std::env::temp_dir().join(format!("spec-version-git-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).unwrap();
        std::fs::write(dir.join("data/a.yaml"), "type: object\n").unwrap();
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .arg("-C")
                .arg(&dir)
                .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
                .args(args)
                .output()
                .is_ok_and(|output| output.status.success())
        };
        if !git(&["init", "-q", "-b", "trunk"]) {
            eprintln!("no git: skipped");
            return;
        }
        assert!(git(&["add", "data"]) && git(&["commit", "-q", "-m", "spec"]));
        let head = std::process::Command::new("git")
            .arg("-C")
            .arg(&dir)
            .args(["rev-parse", "HEAD"])
            .output()
            .unwrap();
        let head = String::from_utf8(head.stdout).unwrap().trim().to_owned();
        let branch = SpecVersion::of(&dir);
        assert_eq!(branch.reference, "trunk");
        assert_eq!(branch.commit.as_deref(), Some(head.as_str()));
        assert!(git(&["tag", "v9.9"]));
        assert_eq!(SpecVersion::of(&dir).reference, "v9.9");
        std::fs::write(dir.join("data/a.yaml"), "type: string\n").unwrap();
        assert_eq!(SpecVersion::of(&dir).commit, Some(format!("{head}-dirty")));
        // A folder inside the checkout is not the checkout's spec.
        assert_eq!(SpecVersion::of(&dir.join("data")).reference, UNKNOWN);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

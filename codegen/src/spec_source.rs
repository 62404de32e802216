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

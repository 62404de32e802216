//! Stage 5: put the generated files on disk, touching only what changed.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::HEADER;

/// The folders under the crate's `src/` that hold generated files (and nothing else of ours).
const GENERATED_DIRS: &[&str] = &["events"];

/// What a write (or a check) found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    pub removed: Vec<PathBuf>,
}

impl WriteReport {
    pub fn is_clean(&self) -> bool {
        self.written.is_empty() && self.removed.is_empty()
    }
}

/// Writes `files` (paths relative to `src_dir`) and removes generated files no longer produced.
/// With `check`, nothing is touched: the report lists what a write would change.
///
/// Everything is generated in memory before this is called, so a failed generation never
/// reaches the disk; each changed file is written beside its target and renamed over it.
pub fn write_files(
    src_dir: &Path,
    files: &BTreeMap<String, String>,
    check: bool,
) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    for (relative, text) in files {
        let path = src_dir.join(relative);
        match std::fs::read(&path) {
            Ok(existing) if existing == text.as_bytes() => report.unchanged += 1,
            Ok(_) | Err(_) => {
                if !check {
                    write_atomically(&path, text.as_bytes())?;
                }
                report.written.push(path);
            }
        }
    }
    for dir in GENERATED_DIRS {
        for path in stale_generated_files(&src_dir.join(dir), src_dir, files)? {
            if !check {
                std::fs::remove_file(&path)?;
            }
            report.removed.push(path);
        }
    }
    Ok(report)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

/// Files under `dir` that carry the generated header but are not in `files`: output of
/// schemas that are gone. Files without the header were written by someone else and stay.
fn stale_generated_files(
    dir: &Path,
    src_dir: &Path,
    files: &BTreeMap<String, String>,
) -> io::Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(stale),
        Err(err) => return Err(err),
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    paths.sort();
    for path in paths {
        if path.is_dir() {
            stale.extend(stale_generated_files(&path, src_dir, files)?);
            continue;
        }
        let relative = path
            .strip_prefix(src_dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if files.contains_key(&relative) {
            continue;
        }
        let generated = std::fs::read_to_string(&path)
            .map(|text| text.starts_with(HEADER))
            .unwrap_or(false);
        if generated {
            stale.push(path);
        }
    }
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("codegen-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn rewrites_only_changed_files_and_removes_only_generated_stale_ones() {
        let src = temp_dir("rewrite");
        let mut files = BTreeMap::new();
        files.insert("events/a.rs".to_owned(), format!("{HEADER}a"));
        files.insert("events/b.rs".to_owned(), format!("{HEADER}b"));
        let first = write_files(&src, &files, false).unwrap();
        assert_eq!(first.written.len(), 2);

        std::fs::write(src.join("events/handwritten.rs"), "// mine").unwrap();
        let modified_before = std::fs::metadata(src.join("events/a.rs"))
            .unwrap()
            .modified()
            .unwrap();
        files.remove("events/b.rs");
        files.insert("events/a.rs".to_owned(), format!("{HEADER}a"));

        let check = write_files(&src, &files, true).unwrap();
        assert_eq!(check.removed, vec![src.join("events/b.rs")]);
        assert!(
            src.join("events/b.rs").exists(),
            "check mode must not touch the disk"
        );

        let second = write_files(&src, &files, false).unwrap();
        assert!(second.written.is_empty());
        assert_eq!(second.unchanged, 1);
        assert_eq!(second.removed, vec![src.join("events/b.rs")]);
        assert!(!src.join("events/b.rs").exists());
        assert!(
            src.join("events/handwritten.rs").exists(),
            "a hand-written file is never removed"
        );
        let modified_after = std::fs::metadata(src.join("events/a.rs"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(
            modified_before, modified_after,
            "an unchanged file is not rewritten"
        );
        std::fs::remove_dir_all(&src).unwrap();
    }
}

//! Stage 5: put the generated files on disk, touching only what changed.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::HEADER;

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
/// reaches the disk; each changed file is written beside its target and renamed over it, and
/// a file whose bytes are already right is not touched (its modification time stays).
///
/// A file is only ever removed if the generator wrote it: it starts with the generated
/// [`HEADER`]. Hand-written files anywhere under `src_dir` (the crate's frame, a module of
/// one's own beside the generated ones) are left alone, and symbolic links are not followed.
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
    let mut stale = Vec::new();
    stale_generated_files(src_dir, src_dir, files, &mut stale)?;
    stale.sort();
    for path in stale {
        if !check {
            std::fs::remove_file(&path)?;
        }
        report.removed.push(path);
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

/// Adds to `stale` the files under `dir` that carry the generated header but are not in
/// `files`: output of schemas that are gone (or a temporary file a killed run left).
/// Files without the header were written by someone else and stay.
fn stale_generated_files(
    dir: &Path,
    src_dir: &Path,
    files: &BTreeMap<String, String>,
    stale: &mut Vec<PathBuf>,
) -> io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        // `file_type` does not follow symbolic links: a link is neither entered nor removed.
        let kind = entry.file_type()?;
        if kind.is_dir() {
            stale_generated_files(&path, src_dir, files, stale)?;
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let relative = path
            .strip_prefix(src_dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if !files.contains_key(&relative) && starts_with_header(&path)? {
            stale.push(path);
        }
    }
    Ok(())
}

/// Whether the file at `path` begins with the generated [`HEADER`] (read no further than that).
fn starts_with_header(path: &Path) -> io::Result<bool> {
    use std::io::Read;
    let mut start = Vec::with_capacity(HEADER.len());
    std::fs::File::open(path)?
        .take(HEADER.len() as u64)
        .read_to_end(&mut start)?;
    Ok(start == HEADER.as_bytes())
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

    #[test]
    fn removes_stale_generated_files_in_every_folder_and_never_a_hand_written_one() {
        let src = temp_dir("stale-everywhere");
        let mut files = BTreeMap::new();
        files.insert("events/mod.rs".to_owned(), format!("{HEADER}events"));
        files.insert("schema_index.rs".to_owned(), format!("{HEADER}index"));
        let generated = |name: &str| format!("{HEADER}// {name}\n");
        let stale = [
            "common/gone.rs",
            "client_server/deep/gone.rs",
            "old_index.rs",
            "identity/old.rs.tmp",
        ];
        for path in stale {
            std::fs::create_dir_all(src.join(path).parent().unwrap()).unwrap();
            std::fs::write(src.join(path), generated(path)).unwrap();
        }
        let kept = [
            ("lib.rs", "//! The frame.\n".to_owned()),
            ("events/my_notes.rs", "// mine\n".to_owned()),
            // The header, but not at the start: not the generator's.
            ("common/quoted.rs", format!("// about:\n{HEADER}")),
            ("short.rs", "// @gen".to_owned()),
        ];
        for (path, text) in &kept {
            std::fs::create_dir_all(src.join(path).parent().unwrap()).unwrap();
            std::fs::write(src.join(path), text).unwrap();
        }
        let outside = temp_dir("stale-everywhere-outside");
        #[cfg(unix)]
        {
            // A link to a generated file elsewhere is neither followed nor removed.
            std::fs::write(outside.join("linked.rs"), generated("linked")).unwrap();
            std::os::unix::fs::symlink(outside.join("linked.rs"), src.join("linked.rs")).unwrap();
            std::os::unix::fs::symlink(&outside, src.join("linked_dir")).unwrap();
        }

        let report = write_files(&src, &files, false).unwrap();
        let mut expected: Vec<PathBuf> = stale.iter().map(|p| src.join(p)).collect();
        expected.sort();
        assert_eq!(report.removed, expected);
        for path in stale {
            assert!(!src.join(path).exists(), "{path} is stale and generated");
        }
        for (path, text) in &kept {
            assert_eq!(&std::fs::read_to_string(src.join(path)).unwrap(), text);
        }
        #[cfg(unix)]
        {
            assert!(src.join("linked.rs").exists() && src.join("linked_dir/linked.rs").exists());
            let outside = src.with_file_name(
                src.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .replace("stale-everywhere", "stale-everywhere-outside"),
            );
            std::fs::remove_dir_all(outside).unwrap();
        }
        std::fs::remove_dir_all(&src).unwrap();
    }
}

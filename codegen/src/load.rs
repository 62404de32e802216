//! Stage 1: read spec YAML files into JSON trees, with the project's overrides applied and
//! the documents normalised to one shape ([`crate::swagger`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Location};
use crate::overrides::Overrides;
use crate::parallel::on_every_core;
use crate::yaml::parse_yaml;

/// The spec documents read so far, keyed by their path relative to the `data/` folder.
pub struct Documents {
    data_dir: PathBuf,
    overrides: Overrides,
    docs: BTreeMap<String, Value>,
}

impl Documents {
    pub fn new(data_dir: impl Into<PathBuf>, overrides: Overrides) -> Self {
        Documents {
            data_dir: data_dir.into(),
            overrides,
            docs: BTreeMap::new(),
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn overrides(&self) -> &Overrides {
        &self.overrides
    }

    /// Reads `file` (relative to `data/`) once; later calls return the same tree.
    pub fn load(&mut self, file: &str) -> Result<&Value, Diagnostic> {
        if !self.docs.contains_key(file) {
            let value = self.read(file)?;
            self.docs.insert(file.to_owned(), value);
        }
        Ok(&self.docs[file])
    }

    /// [`Documents::load`] for each of `files`, read on every core: the problems of those
    /// that could not be read, in the order of `files`.
    pub fn load_all(&mut self, files: &[&str]) -> Vec<Diagnostic> {
        let unread: Vec<&str> = files
            .iter()
            .copied()
            .filter(|file| !self.docs.contains_key(*file))
            .collect();
        let this = &*self;
        let read = on_every_core(&unread, |file| this.read(file));
        let mut errors = Vec::new();
        for (file, result) in unread.into_iter().zip(read) {
            match result {
                Ok(value) => {
                    self.docs.insert(file.to_owned(), value);
                }
                Err(err) => errors.push(err),
            }
        }
        errors
    }

    /// The document `file` as read from disk.
    fn read(&self, file: &str) -> Result<Value, Diagnostic> {
        let path = self.data_dir.join(file);
        let text = std::fs::read_to_string(&path).map_err(|err| {
            Diagnostic::new(
                Location::new(file, ""),
                format!("cannot read {}: {err}", path.display()),
            )
        })?;
        let data_dir = &self.data_dir;
        read_document(file, &text, &self.overrides, &|target| {
            data_dir.join(target).is_file()
        })
    }

    /// Takes `text` as the document `file` (relative to `data/`) instead of reading it from
    /// disk: for tests and fuzzing, which build specs in memory.
    pub fn insert(&mut self, file: &str, text: &str) -> Result<(), Diagnostic> {
        let value = read_document(file, text, &self.overrides, &|_| true)?;
        self.docs.insert(file.to_owned(), value);
        Ok(())
    }

    /// The node at `location`, if its file is loaded and the pointer exists.
    pub fn node(&self, location: &Location) -> Option<&Value> {
        self.docs.get(&location.file)?.pointer(&location.pointer)
    }
}

/// A spec document as every stage reads it: `text` parsed, the overrides for `file` applied
/// (to the document as the spec writes it: see [`Overrides::apply_where`] for `exists`),
/// then brought into the one shape the later stages read ([`crate::swagger::normalise`]:
/// Swagger 2.0 descriptions become OpenAPI 3.1 ones).
pub fn read_document(
    file: &str,
    text: &str,
    overrides: &Overrides,
    exists: &dyn Fn(&str) -> bool,
) -> Result<Value, Diagnostic> {
    let mut value = parse_yaml(file, text)?;
    overrides.apply_where(file, &mut value, exists);
    crate::swagger::normalise(file, &mut value);
    Ok(value)
}

/// Joins a relative reference onto the folder of `from`, resolving `.` and `..`;
/// `None` when the result would leave the `data/` folder.
pub fn join_relative(from: &str, reference: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in reference.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Lists the `.yaml` files directly inside `dir` (relative to `data/`), sorted.
pub fn list_yaml_files(data_dir: &Path, dir: &str) -> std::io::Result<Vec<String>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(data_dir.join(dir))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_file() && name.ends_with(".yaml") {
            files.push(format!("{dir}/{name}"));
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_references() {
        assert_eq!(
            join_relative("a/b/c.yaml", "d.yaml").as_deref(),
            Some("a/b/d.yaml")
        );
        assert_eq!(
            join_relative("a/b/c.yaml", "../x/d.yaml").as_deref(),
            Some("a/x/d.yaml")
        );
        assert_eq!(
            join_relative("a/b/c.yaml", "./d.yaml").as_deref(),
            Some("a/b/d.yaml")
        );
        assert_eq!(join_relative("a/c.yaml", "../../d.yaml"), None);
    }
}

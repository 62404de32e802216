//! A folder of files for the unit tests, removed when dropped.

use std::path::PathBuf;

/// A folder below the system's temporary folder with the given files (paths relative to it,
/// and their text), removed when dropped.
pub struct TempData(pub PathBuf);

impl TempData {
    pub fn new(name: &str, files: &[(&str, &str)]) -> Self {
        let dir = std::env::temp_dir().join(format!("tests-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (file, text) in files {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        TempData(dir)
    }
}

impl Drop for TempData {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

//! Reading specs (and the files they refer to) from disk, and writing files safely.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Reads the files a spec refers to, relative to a base directory.
pub struct FsLoader {
    base: PathBuf,
}

impl FsLoader {
    pub fn new(base: impl Into<PathBuf>) -> Self {
        Self { base: base.into() }
    }
}

impl generator::Loader for FsLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        let full = self.base.join(path);
        // The message names no absolute path: it is the same on every machine.
        let bytes = fs::read(&full).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "there is no such file".to_owned(),
            _ => e.to_string(),
        })?;
        generator::text_from_bytes(path, &bytes)
            .map(str::to_owned)
            .map_err(|e| e.message)
    }
}

/// The spec at `path` (as the user named it): its name for messages, its text, and a loader
/// for the files it refers to (relative to the current directory, as `path` is).
pub fn read_spec(path: &Path) -> Result<(String, String, FsLoader), String> {
    let source = path.to_string_lossy().replace('\\', "/");
    let bytes = fs::read(path).map_err(|e| format!("cannot read {source}: {e}"))?;
    let text = generator::text_from_bytes(&source, &bytes).map_err(|e| e.to_string())?;
    Ok((source, text.to_owned(), FsLoader::new(".")))
}

/// Writes through a temporary file in the same directory and a rename, so that a reader (or
/// an interrupted run) never sees half a file. The temporary file has a name of its own
/// (`tempfile`), so two runs writing the same file at once do not write into each other's.
pub fn write_atomically(path: &Path, content: &str) -> Result<(), String> {
    let dir = path.parent().expect("generated files live in a directory");
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut builder = tempfile::Builder::new();
    // tempfile makes files only their owner can read; a generated file is like any other.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut temporary = builder
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a temporary file in {}: {e}", dir.display()))?;
    temporary
        .write_all(content.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", temporary.path().display()))?;
    // Dropped on failure, the temporary file removes itself.
    temporary
        .persist(path)
        .map(drop)
        .map_err(|e| format!("cannot move {} into place: {}", path.display(), e.error))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two regenerations at once write the same files: each write must land whole, and
    /// nothing may be left behind.
    #[test]
    fn concurrent_writes_of_one_file_do_not_clash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("generated.rs");
        let contents = ["a".repeat(64 * 1024), "b".repeat(64 * 1024)];
        std::thread::scope(|scope| {
            for content in &contents {
                let (path, contents) = (&path, &contents);
                scope.spawn(move || {
                    for _ in 0..200 {
                        write_atomically(path, content).unwrap();
                        let read = fs::read_to_string(path).unwrap();
                        assert!(
                            contents.contains(&read),
                            "a reader saw a mixed or partial file"
                        );
                    }
                });
            }
        });
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(left, ["generated.rs"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_written_file_is_readable_by_all() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("generated.rs");
        write_atomically(&path, "text").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }
}

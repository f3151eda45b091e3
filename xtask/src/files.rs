//! Reading specs (and the files they refer to) from disk, and writing files safely.

use std::fs;
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
/// an interrupted run) never sees half a file.
pub fn write_atomically(path: &Path, content: &str) -> Result<(), String> {
    let dir = path.parent().expect("generated files live in a directory");
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let file_name = path.file_name().expect("a file path").to_string_lossy();
    let temporary = dir.join(format!(".{file_name}.tmp"));
    fs::write(&temporary, content)
        .map_err(|e| format!("cannot write {}: {e}", temporary.display()))?;
    fs::rename(&temporary, path).map_err(|e| {
        let _ = fs::remove_file(&temporary);
        format!("cannot move {} into place: {e}", path.display())
    })
}

//! Helpers shared by the test targets in this directory.

use std::fs;
use std::path::{Path, PathBuf};

/// The environment variable that turns a golden comparison into an update of the golden file.
pub const UPDATE_VAR: &str = "UPDATE_EXPECT";

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the repository")
        .to_owned()
}

/// A unified diff of `expected` (checked in) against `actual` (generated), for failure messages.
pub fn unified_diff(name: &str, expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{name} (checked in)"),
            &format!("{name} (generated)"),
        )
        .to_string()
}

/// Compares `actual` with the golden file at `path` and returns a unified diff when they
/// differ (a missing file reads as empty). With `UPDATE_EXPECT=1` the file is rewritten
/// instead and nothing is reported: accepting a change is that visible, deliberate step.
pub fn golden_mismatch(path: &Path, actual: &str) -> Option<String> {
    let expected = fs::read_to_string(path).unwrap_or_default();
    if expected == actual {
        return None;
    }
    if std::env::var_os(UPDATE_VAR).is_some() {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).expect("golden directory can be created");
        }
        fs::write(path, actual).expect("golden file can be written");
        return None;
    }
    let name = path
        .strip_prefix(repo_root())
        .unwrap_or(path)
        .display()
        .to_string();
    Some(unified_diff(&name, &expected, actual))
}

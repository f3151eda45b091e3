//! `cargo xtask upstream DIR`'s inputs: our spec and HighLevel's published editions of the API,
//! read from disk for the comparison in [`upstream`](mod@crate::upstream).

use std::fs;
use std::path::Path;

use crate::files::FsLoader;
use crate::upstream::{self, Edition, Report};

/// The curated spec, relative to the repository root.
pub const SPEC: &str = "spec/social-planner.yaml";

/// HighLevel's published editions, oldest first, with the labels the report gives them (their
/// `Version` header), relative to the directory of HighLevel's published docs.
pub const EDITIONS: &[(&str, &str)] = &[
    ("2021-07-28", "apps/social-media-posting.json"),
    ("v3", "apps/v3/social-planner-v3.json"),
];

/// The report of the spec in `root` against HighLevel's files in `dir`.
pub fn report(root: &Path, dir: &Path) -> Result<Report, String> {
    if !dir.join(EDITIONS[0].1).is_file() {
        return Err(format!(
            "{} has no {}: pass the directory that holds HighLevel's published apps/ folder",
            dir.display(),
            EDITIONS[0].1
        ));
    }
    let spec_path = root.join(SPEC);
    let bytes =
        fs::read(&spec_path).map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let text = generator::text_from_bytes(SPEC, &bytes).map_err(|e| e.to_string())?;
    let ours = generator::document_value(SPEC, text).map_err(|e| e.to_string())?;
    let editions = EDITIONS
        .iter()
        .map(|(label, file)| Edition {
            label: (*label).to_owned(),
            file: (*file).to_owned(),
        })
        .collect();
    let inputs = upstream::Inputs::load(SPEC, ours, editions, &FsLoader::new(dir))?;
    upstream::compare(&inputs)
}

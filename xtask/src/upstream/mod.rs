//! `cargo xtask upstream DIR`: what the API's published description has that our spec lacks,
//! or says differently, apart from the differences our spec marks as chosen (`x-upstream`).
//!
//! Works on parsed documents ([`Documents`]); reading files is the caller's
//! ([`Inputs::load`] takes a [`generator::Loader`]). Operations are matched by method and path; their parameters,
//! request bodies and responses by structure, so that our names for schemas do not matter.

mod compare;
mod documents;
mod markers;
mod report;
#[cfg(test)]
mod tests;
mod view;

use std::collections::BTreeSet;

use serde_json::Value;

pub use documents::Documents;
pub use markers::{EXTENSION, Marker};

/// One upstream file of operations, and the short label the report gives it.
#[derive(Debug, Clone)]
pub struct Edition {
    pub label: String,
    /// Its path, relative to the upstream directory.
    pub file: String,
}

/// One difference between our spec and upstream.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// The object of our spec it is about (where a marker for it goes), as a JSON pointer.
    pub place: String,
    /// What differs: `type`, `property caption`, `status 404`… (a marker's `diff`).
    pub key: String,
    /// What upstream says: a value, or `present`/`absent` for what only one side has.
    pub upstream: Value,
    /// What our spec says, likewise.
    pub ours: Value,
    /// The objects of our spec that make up `place` (a reference and what it leads to, the
    /// parts of an `allOf`): a marker on any of them covers the difference.
    pub chain: BTreeSet<String>,
    /// Where it was seen: edition, operation, part and field.
    pub sites: BTreeSet<String>,
}

/// Both sides, parsed.
pub struct Inputs {
    /// Our spec's name, and the file it is in `ours`.
    pub ours_file: String,
    pub ours: Documents,
    /// Upstream's files, by path relative to the upstream directory.
    pub upstream: Documents,
    /// The upstream files of operations, oldest first: an operation is compared with the
    /// newest edition that has it.
    pub editions: Vec<Edition>,
}

impl Inputs {
    /// Our spec (already parsed) and upstream's editions, read through `loader` with every
    /// file they refer to (one that cannot be read is remembered, not an error).
    pub fn load(
        ours_file: &str,
        ours: Value,
        editions: Vec<Edition>,
        loader: &dyn generator::Loader,
    ) -> Result<Self, String> {
        let mut our_docs = Documents::default();
        our_docs.insert(ours_file, ours);
        let mut upstream = Documents::default();
        let mut pending = Vec::new();
        for edition in &editions {
            let text = loader
                .load(&edition.file)
                .map_err(|why| format!("cannot read {}: {why}", edition.file))?;
            let value =
                generator::document_value(&edition.file, &text).map_err(|e| e.to_string())?;
            upstream.insert(&edition.file, value);
            pending.push(edition.file.clone());
        }
        while let Some(file) = pending.pop() {
            for referred in upstream.unloaded_references(&file) {
                if upstream.knows(&referred) {
                    continue;
                }
                match loader.load(&referred) {
                    Ok(text) => {
                        let value = generator::document_value(&referred, &text)
                            .map_err(|e| e.to_string())?;
                        upstream.insert(&referred, value);
                        pending.push(referred);
                    }
                    Err(why) => upstream.insert_unreadable(&referred, &why),
                }
            }
        }
        Ok(Self {
            ours_file: ours_file.to_owned(),
            ours: our_docs,
            upstream,
            editions,
        })
    }
}

/// The outcome: differences not marked, marked ones, and markers that match nothing.
#[derive(Debug)]
pub struct Report {
    pub ours_file: String,
    /// Each edition with the number of operations it documents.
    pub editions: Vec<(Edition, usize)>,
    pub our_operations: usize,
    /// Upstream references that lead nowhere (what they stand for was not compared).
    pub unresolved: Vec<String>,
    pub unmarked: Vec<Difference>,
    pub marked: Vec<(Difference, Marker)>,
    pub stale: Vec<Marker>,
}

impl Report {
    /// Whether our spec accounts for every difference, and every marker for one.
    pub fn is_clean(&self) -> bool {
        self.unmarked.is_empty() && self.stale.is_empty()
    }
}

/// Compares our spec with upstream and sorts the differences by our markers.
pub fn compare(inputs: &Inputs) -> Result<Report, String> {
    let our_root = inputs
        .ours
        .root(&inputs.ours_file)
        .ok_or_else(|| format!("{} is not loaded", inputs.ours_file))?;
    let markers = markers::read(&inputs.ours_file, our_root.value)?;
    let comparison = compare::Comparison::run(
        &inputs.ours,
        &inputs.ours_file,
        &inputs.upstream,
        &inputs.editions,
    )?;
    let mut used = vec![false; markers.len()];
    let mut unmarked = Vec::new();
    let mut marked = Vec::new();
    for difference in comparison.found.into_values() {
        let covers = |m: &Marker| {
            m.diff == difference.key
                && m.upstream == difference.upstream
                && difference.chain.contains(&m.at)
        };
        let mut first = None;
        for (i, marker) in markers.iter().enumerate().filter(|(_, m)| covers(m)) {
            used[i] = true;
            first.get_or_insert_with(|| marker.clone());
        }
        match first {
            Some(marker) => marked.push((difference, marker)),
            None => unmarked.push(difference),
        }
    }
    let stale = markers
        .into_iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(m, _)| m)
        .collect();
    Ok(Report {
        ours_file: inputs.ours_file.clone(),
        editions: inputs
            .editions
            .iter()
            .cloned()
            .zip(comparison.edition_operations)
            .collect(),
        our_operations: comparison.our_operations,
        unresolved: comparison.unresolved.into_iter().collect(),
        unmarked,
        marked,
        stale,
    })
}

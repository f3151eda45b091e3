//! The API changelog of a regen: the spec it replaces, read from git, and the section it
//! writes into the client's `CHANGELOG.md` (Keep a Changelog).

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::changelog::{Changelog, Section};
use generator::model::Api;

/// What the new spec is compared with.
pub enum Baseline {
    /// The model of the spec at a git revision, with how to name that revision to a reader.
    Model { label: String, api: Box<Api> },
    /// Nothing to compare with, and why (no git, no such file at that revision): said, not
    /// an error, so that a regen outside a clone still works.
    Skipped(String),
}

/// The model of the spec at `spec` (relative to the repository `root`) as of the git
/// revision `since`, or as checked in (`HEAD`) when `since` is `None`. A revision the user
/// named that git does not know is an error; a missing git or file at `HEAD` is a skip.
pub fn baseline(root: &Path, spec: &str, since: Option<&str>) -> Result<Baseline, String> {
    let revision = since.unwrap_or("HEAD");
    let commit = match git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{revision}^{{commit}}"),
        ],
    ) {
        Ok(hash) => hash,
        Err(Git::Missing(why)) => {
            return Ok(Baseline::Skipped(format!(
                "no comparison: git cannot be run ({why})"
            )));
        }
        Err(Git::Failed(why)) if since.is_none() => {
            return Ok(Baseline::Skipped(format!(
                "no comparison: {} has no commit to compare with ({why})",
                root.display()
            )));
        }
        Err(Git::Failed(why)) => {
            return Err(format!("git knows no revision `{revision}` ({why})"));
        }
    };
    let short = &commit[..commit.len().min(12)];
    let label = if revision == commit {
        short.to_owned()
    } else {
        format!("{revision} ({short})")
    };
    let text = match git(root, &["show", &format!("{commit}:./{spec}")]) {
        Ok(text) => text,
        Err(Git::Missing(why) | Git::Failed(why)) => {
            return Ok(Baseline::Skipped(format!(
                "no comparison: {spec} is not in {label} ({why})"
            )));
        }
    };
    let loader = GitLoader {
        root: root.to_owned(),
        commit: commit.clone(),
    };
    match generator::model_with(spec, &text, &loader) {
        Ok(api) => Ok(Baseline::Model {
            label,
            api: Box::new(api),
        }),
        // A spec that was broken then is no reason to refuse today's regen.
        Err(e) => Ok(Baseline::Skipped(format!(
            "no comparison: {spec} as of {label} does not generate: {e}"
        ))),
    }
}

/// Why a git command gave nothing.
enum Git {
    /// git is not there (or cannot be started).
    Missing(String),
    /// git ran and said no.
    Failed(String),
}

fn git(root: &Path, args: &[&str]) -> Result<String, Git> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| Git::Missing(e.to_string()))?;
    if output.status.success() {
        let text = String::from_utf8_lossy(&output.stdout);
        Ok(text.strip_suffix('\n').unwrap_or(&text).to_owned())
    } else {
        let said = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        Err(Git::Failed(if said.is_empty() {
            format!("`git {}` failed", args.join(" "))
        } else {
            said
        }))
    }
}

/// Reads the files a spec refers to as they were at a commit.
struct GitLoader {
    root: PathBuf,
    commit: String,
}

impl generator::Loader for GitLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        git(&self.root, &["show", &format!("{}:./{path}", self.commit)])
            .map_err(|(Git::Missing(why) | Git::Failed(why))| why)
    }
}

/// The heading of a file that `merge` creates.
const PREAMBLE: &str = "# Changelog\n\n\
All notable changes to this crate are recorded here, in the form of\n\
[Keep a Changelog](https://keepachangelog.com/en/1.1.0/). The crate follows\n\
[Semantic Versioning](https://semver.org/spec/v2.0.0.html) as Cargo reads it: while it is 0.x, a\n\
breaking change bumps the minor number and anything else the patch number. `cargo xtask regen\n\
--changelog` writes the API's entries; breaking ones are marked.\n";

const UNRELEASED: &str = "## [Unreleased]";

/// `existing` (a Keep a Changelog file, or nothing) with the entries of `changelog` added
/// under `## [Unreleased]`, each in its `###` section: a bullet already there is not added
/// again, and everything else in the file is kept as it was.
pub fn merge(existing: Option<&str>, changelog: &Changelog) -> String {
    let text = existing.unwrap_or(PREAMBLE);
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let is_release = |line: &str| line.starts_with("## ");
    let unreleased = match lines
        .iter()
        .position(|l| l.trim().eq_ignore_ascii_case(UNRELEASED))
    {
        Some(at) => at,
        None => {
            // Above the first release, or at the end of a file that has none.
            let at = lines
                .iter()
                .position(|l| is_release(l))
                .unwrap_or(lines.len());
            let mut block = vec![UNRELEASED.to_owned(), String::new()];
            if at > 0 && !lines[at - 1].trim().is_empty() {
                block.insert(0, String::new());
            }
            lines.splice(at..at, block);
            lines
                .iter()
                .position(|l| l.trim() == UNRELEASED)
                .expect("just inserted")
        }
    };
    for (section, bullets) in changelog.sections() {
        let end = lines[unreleased + 1..]
            .iter()
            .position(|l| is_release(l))
            .map_or(lines.len(), |i| unreleased + 1 + i);
        let heading = format!("### {}", section.title());
        let found = lines[unreleased + 1..end]
            .iter()
            .position(|l| l.trim().eq_ignore_ascii_case(&heading))
            .map(|i| unreleased + 1 + i);
        let (start, stop) = match found {
            Some(at) => {
                let stop = lines[at + 1..end]
                    .iter()
                    .position(|l| l.starts_with("### "))
                    .map_or(end, |i| at + 1 + i);
                (at, stop)
            }
            None => {
                // Before the first section that comes later in Keep a Changelog's order.
                let later = lines[unreleased + 1..end]
                    .iter()
                    .position(|l| {
                        Section::ALL
                            .iter()
                            .filter(|s| **s > section)
                            .any(|s| l.trim().eq_ignore_ascii_case(&format!("### {}", s.title())))
                    })
                    .map_or(end, |i| unreleased + 1 + i);
                let mut at = later;
                // Right after the previous block's last line; its blank lines then close ours.
                while at > unreleased + 1 && lines[at - 1].trim().is_empty() {
                    at -= 1;
                }
                lines.splice(at..at, [String::new(), heading]);
                (at + 1, at + 2)
            }
        };
        let present: Vec<&str> = lines[start..stop].iter().map(|l| l.trim()).collect();
        let new: Vec<String> = bullets
            .into_iter()
            .filter(|b| !present.contains(&b.as_str()))
            .collect();
        if new.is_empty() {
            continue;
        }
        // After the section's last line, or after the heading and one blank line.
        let at = match (start + 1..stop)
            .rev()
            .find(|&i| !lines[i].trim().is_empty())
        {
            Some(last) => last + 1,
            None => {
                if start + 1 == stop || !lines[start + 1].trim().is_empty() {
                    lines.insert(start + 1, String::new());
                }
                start + 2
            }
        };
        let after = at + new.len();
        lines.splice(at..at, new);
        if lines.get(after).is_some_and(|l| !l.trim().is_empty()) {
            lines.insert(after, String::new());
        }
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use generator::changelog::{Entry, Impact};

    fn log(entries: &[(Section, Impact, &str)]) -> Changelog {
        Changelog {
            entries: entries
                .iter()
                .map(|(section, impact, text)| Entry {
                    section: *section,
                    impact: *impact,
                    text: (*text).to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_new_file_has_the_preamble_and_the_unreleased_section() {
        let out = merge(
            None,
            &log(&[
                (Section::Removed, Impact::Breaking, "Gone."),
                (Section::Added, Impact::Addition, "New."),
            ]),
        );
        assert!(
            out.starts_with("# Changelog\n\nAll notable changes"),
            "{out}"
        );
        assert!(
            out.ends_with(
                "## [Unreleased]\n\n### Added\n\n- New.\n\n### Removed\n\n- **Breaking:** Gone.\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn entries_join_their_sections_once_and_the_rest_of_the_file_is_kept() {
        let existing = "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- By hand.\n\n\
                        ### Removed\n\n- Old thing.\n\n## [0.1.0] - 2026-01-01\n\n### Added\n\n- First.\n";
        let changes = log(&[
            (Section::Added, Impact::Addition, "New."),
            (Section::Changed, Impact::Breaking, "Retyped."),
            (Section::Fixed, Impact::Fix, "Wire name."),
        ]);
        let once = merge(Some(existing), &changes);
        assert_eq!(
            once,
            "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- By hand.\n- New.\n\n\
             ### Changed\n\n- **Breaking:** Retyped.\n\n### Removed\n\n- Old thing.\n\n\
             ### Fixed\n\n- Wire name.\n\n## [0.1.0] - 2026-01-01\n\n### Added\n\n- First.\n"
        );
        assert_eq!(
            merge(Some(&once), &changes),
            once,
            "merging again adds nothing"
        );
    }

    #[test]
    fn a_file_without_unreleased_gets_one_above_its_releases() {
        let existing = "# Changelog\n\n## [0.2.0] - 2026-05-01\n\n### Added\n\n- v3.\n";
        let out = merge(
            Some(existing),
            &log(&[(Section::Deprecated, Impact::Addition, "Old call.")]),
        );
        assert_eq!(
            out,
            "# Changelog\n\n## [Unreleased]\n\n### Deprecated\n\n- Old call.\n\n\
             ## [0.2.0] - 2026-05-01\n\n### Added\n\n- v3.\n"
        );
    }
}

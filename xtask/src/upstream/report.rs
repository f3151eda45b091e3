//! The report as text: unmarked differences first, grouped by the object a marker would go on,
//! then the marked ones with their reasons, then the stale markers.

use std::fmt::Write;

use serde_json::Value;

use super::compare::{ABSENT, PRESENT};
use super::{Difference, EXTENSION, Report};

impl Report {
    /// The report, as `cargo xtask upstream` prints it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Upstream drift of {}", self.ours_file);
        for (edition, operations) in &self.editions {
            let _ = writeln!(
                out,
                "  {}: {} ({operations} operations)",
                edition.label, edition.file
            );
        }
        let _ = writeln!(
            out,
            "  ours: {} operations. An operation is compared with the newest edition that has \
             it.",
            self.our_operations
        );
        let _ = writeln!(
            out,
            "\n{} unmarked differences, {} marked, {} stale markers.",
            self.unmarked.len(),
            self.marked.len(),
            self.stale.len()
        );
        if !self.unresolved.is_empty() {
            let _ = writeln!(
                out,
                "\nUpstream references that lead nowhere (what they stand for is not compared):"
            );
            for why in &self.unresolved {
                let _ = writeln!(out, "  {why}");
            }
        }

        let _ = writeln!(
            out,
            "\n== Unmarked differences ({}): curate them into the spec, or mark the chosen ones \
             on the object named with `{EXTENSION}: {{diff: …, upstream: …, why: …}}`",
            self.unmarked.len()
        );
        let mut place = None;
        for difference in &self.unmarked {
            if place != Some(&difference.place) {
                let _ = writeln!(out, "\n{}", difference.place);
                place = Some(&difference.place);
            }
            let _ = writeln!(out, "  {}", headline(difference));
            for site in &difference.sites {
                let _ = writeln!(out, "    {site}");
            }
        }

        let _ = writeln!(
            out,
            "\n== Marked differences ({}): chosen on purpose ({EXTENSION})",
            self.marked.len()
        );
        let mut place = None;
        for (difference, marker) in &self.marked {
            if place != Some(&difference.place) {
                let _ = writeln!(out, "\n{}", difference.place);
                place = Some(&difference.place);
            }
            let sites = difference.sites.len();
            let plural = if sites == 1 { "" } else { "s" };
            let _ = writeln!(
                out,
                "  {} ({sites} site{plural}; marked at {})\n    why: {}",
                headline(difference),
                marker.at,
                marker.why
            );
        }

        let _ = writeln!(
            out,
            "\n== Stale markers ({}): they match no difference (upstream changed, or the marker \
             is wrong)",
            self.stale.len()
        );
        for marker in &self.stale {
            let _ = writeln!(
                out,
                "\n{}\n  diff: {}, upstream: {}\n    why: {}",
                marker.at, marker.diff, marker.upstream, marker.why
            );
        }
        out
    }
}

/// `type: upstream "number", ours "integer"`, or `property caption: upstream has it, ours
/// does not`.
fn headline(difference: &Difference) -> String {
    let key = &difference.key;
    let (up, ours) = (&difference.upstream, &difference.ours);
    if up == PRESENT && ours == ABSENT {
        return format!("{key}: upstream has it, ours does not (upstream: {PRESENT})");
    }
    if up == ABSENT && ours == PRESENT {
        return format!("{key}: ours has it, upstream does not (upstream: {ABSENT})");
    }
    let mut line = format!("{key}: upstream {up}, ours {ours}");
    if let (Value::Array(up), Value::Array(ours)) = (up, ours)
        && key == "enum"
    {
        let only = |a: &Vec<Value>, b: &Vec<Value>| {
            a.iter()
                .filter(|v| !b.contains(v))
                .map(Value::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (only_up, only_ours) = (only(up, ours), only(ours, up));
        if !only_up.is_empty() {
            let _ = write!(line, "; only upstream: {only_up}");
        }
        if !only_ours.is_empty() {
            let _ = write!(line, "; only ours: {only_ours}");
        }
    }
    line
}

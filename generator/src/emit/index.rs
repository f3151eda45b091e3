//! The operations index: a module holding only documentation, one table per tag, listing each
//! operation's method, endpoint, scopes and summary. Generated, so it cannot drift from the
//! spec, and its links are checked by rustdoc like any other.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use crate::model::{Api, Operation};

/// The name of the module, as `mod.rs` declares it and other docs link to it.
pub const MODULE: &str = "operation_index";

/// The module's file: inner doc attributes and nothing else.
pub fn module(api: &Api) -> TokenStream {
    let lines = lines(api);
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
    quote!(#(#attrs)*)
}

/// The index as Markdown lines: an introduction, then a section per tag with operations,
/// then the operations without a tag.
fn lines(api: &Api) -> Vec<String> {
    let mut lines: Vec<String> = [
        &format!(
            "Every operation of the spec \"{}\", by tag.",
            one_line(&api.title)
        ),
        "",
        "Each row gives the client method that calls the operation, the request it sends,",
        "the OAuth scopes its token needs, and the spec's summary. A paged operation also",
        "has a method that yields each page and one that yields every item.",
    ]
    .map(str::to_owned)
    .into();
    for tag in &api.tags {
        let operations: Vec<&Operation> = api
            .operations
            .iter()
            .filter(|op| op.tags.contains(&tag.name))
            .collect();
        if operations.is_empty() {
            continue;
        }
        section(
            &mut lines,
            &tag.name,
            tag.description.as_deref(),
            &operations,
        );
    }
    let untagged: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|op| op.tags.is_empty())
        .collect();
    if !untagged.is_empty() {
        section(&mut lines, "Operations without a tag", None, &untagged);
    }
    lines
}

fn section(
    lines: &mut Vec<String>,
    title: &str,
    description: Option<&str>,
    operations: &[&Operation],
) {
    lines.extend([
        String::new(),
        format!("# {}", one_line(title)),
        String::new(),
    ]);
    if let Some(description) = description.map(str::trim).filter(|d| !d.is_empty()) {
        lines.extend(docs::sanitize(description));
        lines.push(String::new());
    }
    lines.push("| Method | Request | Scopes | Summary |".to_owned());
    lines.push("| --- | --- | --- | --- |".to_owned());
    lines.extend(operations.iter().map(|op| row(op)));
}

fn row(op: &Operation) -> String {
    let mut method = method_link(&op.fn_name);
    if let Some(paging) = &op.pagination {
        method.push_str(&format!(
            "<br>{}, {}",
            method_link(&paging.pages_fn),
            method_link(&paging.stream_fn)
        ));
    }
    let request = format!("`{} {}`", op.method.as_str(), op.path);
    let scopes = match (op.authenticated, op.scopes.is_empty()) {
        (false, _) => "none (no token)".to_owned(),
        (true, true) => "any token".to_owned(),
        (true, false) => op
            .scopes
            .iter()
            .map(|scope| format!("`{scope}`"))
            .collect::<Vec<_>>()
            .join("<br>"),
    };
    let mut summary = op.summary.as_deref().map(one_line).unwrap_or_default();
    if op.deprecated.is_some() {
        summary = format!("**Deprecated.** {summary}").trim_end().to_owned();
    }
    format!("| {method} | {request} | {scopes} | {summary} |")
}

/// A link to a client method, resolved from this module's parent, which re-exports `Client`.
/// Rustdoc resolves a raw identifier (`r#loop`) by its bare name.
fn method_link(fn_name: &str) -> String {
    let target = fn_name.trim_start_matches("r#");
    format!("[`{fn_name}`](super::Client::{target})")
}

/// Prose made fit for a table cell or heading: one line, its pipes escaped, bare URLs linked.
fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    docs::sanitize(&joined).concat().replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_one_line_with_pipes_escaped() {
        assert_eq!(one_line("a | b\n  c"), "a \\| b c");
        assert_eq!(
            one_line("see https://example.com"),
            "see <https://example.com>"
        );
    }

    #[test]
    fn a_raw_method_name_links_by_its_bare_name() {
        assert_eq!(method_link("r#loop"), "[`r#loop`](super::Client::loop)");
    }
}

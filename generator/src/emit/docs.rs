//! Doc comments from spec prose.
//!
//! Spec descriptions are Markdown written for a web page. Two things in them break a Rust
//! crate: indented lines become code blocks that rustdoc compiles as doctests, and unlabelled
//! fences are doctests too. Both are neutralised here.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes, one per line, for the given paragraphs (empty ones skipped).
pub fn doc_attrs<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs.into_iter().flatten() {
        let paragraph = paragraph.trim();
        if paragraph.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(sanitize(paragraph));
    }
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

fn sanitize(text: &str) -> Vec<String> {
    let mut in_fence = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(info) = trimmed.strip_prefix("```") {
            in_fence = !in_fence;
            let labelled = matches!(info.trim(), "rust" | "text");
            lines.push(if in_fence && !labelled {
                "```text".to_owned()
            } else {
                trimmed.to_owned()
            });
        } else if in_fence {
            lines.push(line.trim_end().to_owned());
        } else {
            lines.push(trimmed.to_owned());
        }
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_cannot_make_a_doctest() {
        assert_eq!(sanitize("a\n    let x = 1;"), ["a", "let x = 1;"]);
    }

    #[test]
    fn fences_become_text_and_are_closed() {
        assert_eq!(sanitize("```js\nf()"), ["```text", "f()", "```"]);
    }

    #[test]
    fn paragraphs_are_separated_by_a_blank_doc_line() {
        let tokens = doc_attrs([Some("One."), None, Some("Two.")]).to_string();
        assert_eq!(
            tokens,
            r#"# [doc = " One."] # [doc = ""] # [doc = " Two."]"#
        );
    }
}

//! Doc comments from spec prose.
//!
//! Spec descriptions are Markdown written for a web page. Three things in them break a Rust
//! crate: indented lines become code blocks that rustdoc compiles as doctests, unlabelled
//! fences are doctests too, and a bare URL is plain text to rustdoc (its `bare_urls` lint
//! warns). All are neutralised here.

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

/// Spec prose as Markdown lines that are safe in a doc comment.
pub(super) fn sanitize(text: &str) -> Vec<String> {
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
            lines.push(autolink(trimmed));
        }
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    lines
}

/// The line with each bare `http(s)://` URL outside inline code made an autolink (`<url>`).
/// URLs already in `<…>` or a Markdown link's `(…)` are left alone; punctuation that ends a
/// sentence, and a closing parenthesis the URL did not open, stay outside the link.
fn autolink(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('`') {
            in_code = !in_code;
            out.push('`');
            rest = after;
            continue;
        }
        let linked = out.ends_with('<') || out.ends_with("](");
        if !in_code && !linked && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let end = url_end(rest);
            out.push('<');
            out.push_str(&rest[..end]);
            out.push('>');
            rest = &rest[end..];
            continue;
        }
        let c = rest.chars().next().expect("rest is not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Where the URL at the start of `text` ends.
fn url_end(text: &str) -> usize {
    let mut end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len());
    loop {
        let url = &text[..end];
        let unbalanced = url.ends_with(')') && url.matches('(').count() < url.matches(')').count();
        if url.ends_with(['.', ',', ';', ':', '!', '?', '\'']) || unbalanced {
            end -= 1;
        } else {
            return end;
        }
    }
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
    fn bare_urls_become_autolinks() {
        assert_eq!(
            autolink("see the article (https://example.com/a-b?c=1), or http://x.org."),
            "see the article (<https://example.com/a-b?c=1>), or <http://x.org>."
        );
        assert_eq!(
            autolink("https://en.wikipedia.org/wiki/A_(b) ends"),
            "<https://en.wikipedia.org/wiki/A_(b)> ends"
        );
    }

    #[test]
    fn linked_and_quoted_urls_stay_as_they_are() {
        for line in [
            "<https://example.com>",
            "[the docs](https://example.com/docs)",
            "`curl https://example.com`",
        ] {
            assert_eq!(autolink(line), line);
        }
        assert_eq!(
            sanitize("```\nhttps://example.com\n```"),
            ["```text", "https://example.com", "```"]
        );
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

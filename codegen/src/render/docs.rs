//! The spec's documentation as rustdoc: doc attributes, version history, and the spec's
//! Markdown adapted (links made absolute, code blocks marked, stray brackets escaped).

use proc_macro2::TokenStream;
use quote::quote;

use crate::resolve::Docs;

/// Where the spec's relative links point once they are in rustdoc.
const SPEC_SITE: &str = "https://spec.matrix.org/latest";

pub(super) fn doc_lines(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

pub(super) fn doc_attrs(docs: &Docs) -> TokenStream {
    doc_lines(&doc_text(docs))
}

/// The rustdoc text for a schema's documentation: title, description, and version history.
pub fn doc_text(docs: &Docs) -> String {
    let mut paragraphs = Vec::new();
    if let Some(title) = docs
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        paragraphs.push(rustdoc_markdown(title));
    }
    if let Some(description) = docs
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        paragraphs.push(rustdoc_markdown(description));
    }
    if docs.deprecated {
        paragraphs.push("**Deprecated.**".to_owned());
    }
    if let Some(version) = &docs.added_in {
        paragraphs.push(format!("Added in Matrix v{version}."));
    }
    for (version, change) in &docs.changed_in {
        let change = rustdoc_markdown(change);
        paragraphs.push(if change.is_empty() {
            format!("Changed in Matrix v{version}.")
        } else {
            format!("Changed in Matrix v{version}: {change}")
        });
    }
    paragraphs.join("\n\n")
}

/// Adapts the spec's Markdown to rustdoc: site-relative links made absolute, code blocks
/// marked as text (they are not Rust), list continuations indented, and `<`, `[`, and bare
/// URLs that rustdoc would read as HTML, intra-doc links or lint about, escaped.
pub fn rustdoc_markdown(text: &str) -> String {
    let mut out = String::new();
    let mut prose = String::new();
    let mut in_fence = false;
    let mut list_indent: Option<usize> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(lang) = trimmed.strip_prefix("```") {
            if !in_fence {
                out.push_str(&escape_prose(&prose));
                prose.clear();
                let lang = match lang.trim() {
                    "" | "rust" => "text",
                    other => other,
                };
                out.push_str(&format!("{}```{lang}\n", &line[..indent]));
            } else {
                out.push_str(&format!("{}```\n", &line[..indent]));
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if trimmed.is_empty() {
            list_indent = None;
            prose.push('\n');
            continue;
        }
        if let Some(marker) = list_marker_width(trimmed) {
            list_indent = Some(indent + marker);
            prose.push_str(line);
        } else {
            match list_indent {
                // A continuation of a list item: aligned under the item's text, as rustdoc expects.
                Some(wanted) if indent != wanted => {
                    prose.push_str(&" ".repeat(wanted));
                    prose.push_str(trimmed);
                }
                _ => prose.push_str(line),
            }
        }
        prose.push('\n');
    }
    out.push_str(&escape_prose(&prose));
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

/// The width of a list marker and the spaces after it (`- `, `-   `, `12. `) that `line`
/// starts with: where the item's text begins.
fn list_marker_width(line: &str) -> Option<usize> {
    let marker = if line.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || !line[digits..].starts_with('.') {
            return None;
        }
        digits + 1
    };
    let spaces = line[marker..].chars().take_while(|&c| c == ' ').count();
    // Five spaces or more would make the text an indented code block: it starts after one.
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// The length of the code span `text` starts with (a run of backticks up to the same run), if closed.
fn code_span_len(text: &str) -> Option<usize> {
    let ticks = text.chars().take_while(|&c| c == '`').count();
    let fence = &text[..ticks];
    text[ticks..].find(fence).map(|len| ticks + len + ticks)
}

fn escape_prose(text: &str) -> String {
    let mut out = String::new();
    // For each open `[`: whether it starts a real link (kept) or is literal (escaped).
    let mut brackets: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let c = rest.chars().next().expect("i is inside the text");
        if c == '`' {
            let len = code_span_len(rest)
                .unwrap_or_else(|| rest.chars().take_while(|&c| c == '`').count());
            out.push_str(&rest[..len]);
            i += len;
            continue;
        }
        if rest.starts_with("<http") {
            if let Some(end) = rest.find('>') {
                out.push_str(&rest[..=end]);
                i += end + 1;
                continue;
            }
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let len = rest
                .find(|ch: char| ch.is_whitespace() || ch == ')' || ch == '>')
                .unwrap_or(rest.len());
            let url = rest[..len].trim_end_matches(['.', ',', ';', ':']);
            out.push_str(&format!("<{url}>"));
            i += url.len();
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => {
                let link = link_follows(rest);
                brackets.push(link);
                out.push_str(if link { "[" } else { "\\[" });
            }
            ']' if brackets.pop() == Some(true) => {
                // The link target is copied as written, made absolute when it is relative to the spec site.
                let target_len = rest[1..].find(')').map_or(0, |end| end + 2);
                let target = &rest[2..target_len.max(2) - 1];
                let absolute = if target.starts_with('/') {
                    format!("{SPEC_SITE}{target}")
                } else if target.contains("://")
                    || target.starts_with('#')
                    || target.starts_with("mailto:")
                {
                    target.to_owned()
                } else {
                    format!("{SPEC_SITE}/{target}")
                };
                out.push_str(&format!("]({absolute})"));
                i += target_len.max(1);
                continue;
            }
            ']' => out.push_str("\\]"),
            _ => out.push(c),
        }
        i += c.len_utf8();
    }
    out
}

/// Whether the `[` that `text` starts with opens a Markdown link `[text](target)`.
fn link_follows(text: &str) -> bool {
    let mut depth = 0;
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().expect("i is inside the text");
        match c {
            '`' => {
                i += code_span_len(&text[i..]).unwrap_or(1);
                continue;
            }
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return text[i + 1..].starts_with('(') && text[i + 1..].contains(')');
                }
            }
            _ => {}
        }
        i += c.len_utf8();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_markdown_becomes_clean_rustdoc() {
        assert_eq!(
            rustdoc_markdown("See [the spec](/client-server-api/#x) and https://example.org."),
            "See [the spec](https://spec.matrix.org/latest/client-server-api/#x) and <https://example.org>."
        );
        assert_eq!(
            rustdoc_markdown("use /rooms/<room id>/invite"),
            "use /rooms/&lt;room id&gt;/invite"
        );
        assert_eq!(
            rustdoc_markdown("keep `<room id>` and `[x]`"),
            "keep `<room id>` and `[x]`"
        );
        assert_eq!(
            rustdoc_markdown("a [shortcode] here"),
            "a \\[shortcode\\] here"
        );
        assert_eq!(rustdoc_markdown("```\n{}\n```"), "```text\n{}\n```");
        assert_eq!(rustdoc_markdown("```json\n{}\n```"), "```json\n{}\n```");
        assert_eq!(
            rustdoc_markdown("A [`m.room.message`\nlink](appendices#x)."),
            "A [`m.room.message`\nlink](https://spec.matrix.org/latest/appendices#x)."
        );
        assert_eq!(
            rustdoc_markdown("- item\ncontinued\n\nnext"),
            "- item\n  continued\n\nnext"
        );
    }

    #[test]
    fn docs_carry_version_history() {
        let docs = Docs {
            description: Some("A field.".into()),
            added_in: Some("1.7".into()),
            changed_in: vec![("1.16".into(), "Made required.".into())],
            ..Docs::default()
        };
        assert_eq!(
            doc_text(&docs),
            "A field.\n\nAdded in Matrix v1.7.\n\nChanged in Matrix v1.16: Made required."
        );
    }
}

//! The spec's documentation as rustdoc: doc attributes, version history, and the spec's
//! Markdown adapted (links made absolute, code blocks marked, stray brackets escaped, Hugo
//! shortcodes rendered and the others noted).

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Model, TypeKind};
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
/// marked as text (they are not Rust), list continuations indented, the spec's Hugo
/// shortcodes rendered (see `box_markdown` and `inline_shortcode`), and `<`, `[`, and
/// bare URLs that rustdoc would read as HTML, intra-doc links or lint about, escaped.
pub fn rustdoc_markdown(text: &str) -> String {
    adapt(text, 0, &mut Vec::new())
}

/// How deep boxes are rendered inside boxes; deeper ones are left as written (and noted), so
/// that hostile text cannot make the generator recurse without bound.
const MAX_BOX_DEPTH: usize = 8;

/// The shortcodes of `docs` that [`doc_text`] leaves as written, each as the spec writes it
/// (`{{% boxes/rationale %}}`), with why when it is not simply unknown.
pub fn unhandled_shortcodes(docs: &Docs) -> Vec<String> {
    let mut unhandled = Vec::new();
    let texts = [docs.title.as_deref(), docs.description.as_deref()]
        .into_iter()
        .flatten()
        .chain(docs.changed_in.iter().map(|(_, change)| change.as_str()));
    for text in texts {
        adapt(text, 0, &mut unhandled);
    }
    unhandled
}

/// [`rustdoc_markdown`] of text `depth` boxes deep, adding to `unhandled` the shortcodes it
/// leaves as written.
fn adapt(text: &str, depth: usize, unhandled: &mut Vec<String>) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    let mut prose = String::new();
    let mut in_fence = false;
    let mut list_indent: Option<usize> = None;
    // After a box: the next text starts a paragraph of its own (a blank line first).
    let mut after_box = false;
    let mut at = 0;
    while at < lines.len() {
        let line = lines[at];
        at += 1;
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if after_box && !trimmed.is_empty() {
            prose.push('\n');
        }
        after_box = false;
        if let Some(lang) = trimmed.strip_prefix("```") {
            if !in_fence {
                out.push_str(&escape_prose(&prose, unhandled));
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
        if let Some((kind, close)) = box_at(trimmed, &lines[at..]).filter(|_| depth < MAX_BOX_DEPTH)
        {
            // A box inside a list item's text is indented as that text is.
            let box_indent = list_indent.unwrap_or(indent);
            let inner: Vec<&str> = lines[at..at + close]
                .iter()
                .map(|inner| {
                    // The box's indentation removed (spaces only: each is one byte).
                    let spaces = inner.bytes().take_while(|&b| b == b' ').count();
                    &inner[spaces.min(indent)..]
                })
                .collect();
            at += close + 1;
            out.push_str(&escape_prose(&prose, unhandled));
            prose.clear();
            // Blank lines around the box, which is a block of its own.
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
            let rendered = box_markdown(kind, &adapt(&inner.join("\n"), depth + 1, unhandled));
            for rendered_line in rendered.lines() {
                if !rendered_line.is_empty() {
                    out.push_str(&" ".repeat(box_indent));
                    out.push_str(rendered_line);
                }
                out.push('\n');
            }
            list_indent = None;
            after_box = true;
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
    out.push_str(&escape_prose(&prose, unhandled));
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

/// A note (for [`crate::Generated::notes`]) for each shortcode of the model's docs that the
/// rustdoc keeps as written, one the generator does not render, naming the docs' place.
pub fn shortcode_notes(model: &Model) -> Vec<String> {
    let mut notes = Vec::new();
    let mut note = |docs: &Docs, place: &dyn Fn() -> String| {
        for shortcode in unhandled_shortcodes(docs) {
            let note = format!(
                "shortcode {shortcode} in the docs of {}: not rendered, left as written",
                place()
            );
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    };
    for module in model.modules.values() {
        for def in &module.types {
            note(&def.docs, &|| format!("`{}` ({})", def.name, def.source));
            if let TypeKind::Struct { fields, .. } = &def.kind {
                for field in fields {
                    note(&field.docs, &|| {
                        format!(
                            "field `{}` of `{}` ({})",
                            field.json_name, def.name, def.source
                        )
                    });
                }
            }
        }
        for op in &module.operations {
            let at = |what: String| format!("{what} of `{}` ({})", op.operation_id, op.source);
            note(&op.docs, &|| {
                format!("`{}` ({})", op.operation_id, op.source)
            });
            for parameter in &op.parameters {
                note(&parameter.docs, &|| {
                    at(format!("parameter `{}`", parameter.name))
                });
            }
            if let Some(body) = &op.body {
                note(&body.docs, &|| at("the request body".to_owned()));
            }
            for response in &op.responses {
                note(&response.docs, &|| {
                    at(format!("response `{}`", response.status))
                });
                for header in &response.headers {
                    note(&header.docs, &|| {
                        at(format!(
                            "header `{}` of response `{}`",
                            header.name, response.status
                        ))
                    });
                }
            }
        }
    }
    notes
}

/// A Hugo shortcode as the spec's Markdown writes it: `{{% name key="value" %}}` or
/// `{{< name key="value" >}}` (the two differ in Hugo only in whether the shortcode's
/// output is read as Markdown; the ones the spec's data uses print the same either way).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Shortcode<'a> {
    /// `boxes/note`, `added-in`.
    name: &'a str,
    /// `{{% /boxes/note %}}`, the end of a box.
    closing: bool,
    /// What follows the name: `v="1.18"`.
    args: &'a str,
    /// The whole shortcode, as written.
    written: &'a str,
}

impl<'a> Shortcode<'a> {
    /// The shortcode `text` starts with, closed on the same line.
    fn at(text: &'a str) -> Option<Self> {
        let end = if text.starts_with("{{%") {
            "%}}"
        } else if text.starts_with("{{<") {
            ">}}"
        } else {
            return None;
        };
        let line = &text[..text.find('\n').unwrap_or(text.len())];
        let len = line[3..].find(end)? + 3;
        let inner = line[3..len].trim();
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, inner),
        };
        let name_len = inner.find(char::is_whitespace).unwrap_or(inner.len());
        Some(Shortcode {
            name: &inner[..name_len],
            closing,
            args: inner[name_len..].trim(),
            written: &line[..len + end.len()],
        })
    }

    /// The value of the argument `key="value"` (or `key=value`).
    fn arg(&self, key: &str) -> Option<&'a str> {
        let mut rest = self.args;
        while !rest.is_empty() {
            let (name, after) = rest.split_once('=')?;
            let after = after.trim_start();
            let (value, next) = match after.strip_prefix('"') {
                Some(quoted) => quoted.split_once('"')?,
                None => after.split_once(char::is_whitespace).unwrap_or((after, "")),
            };
            if name.trim() == key {
                return Some(value);
            }
            rest = next.trim_start();
        }
        None
    }
}

/// The boxes of the spec's Markdown, which the spec's site draws as coloured boxes (its
/// `alert` partial, titled by kind) around Markdown that may hold paragraphs and lists.
#[derive(Debug, Clone, Copy, PartialEq)]
enum BoxKind {
    Note,
    Warning,
}

/// The box a shortcode named `name` opens or closes.
fn box_kind(name: &str) -> Option<BoxKind> {
    match name {
        "boxes/note" => Some(BoxKind::Note),
        "boxes/warning" => Some(BoxKind::Warning),
        _ => None,
    }
}

/// When `line` opens a box (`{{% boxes/note %}}` alone on its line), its kind and the
/// number of `rest`'s lines before the line that closes it (boxes of the same kind nested
/// inside are counted). A box that is never closed is not one: it is left as written (and
/// noted, as [`escape_prose`] meets its shortcode).
fn box_at(line: &str, rest: &[&str]) -> Option<(BoxKind, usize)> {
    let code = Shortcode::at(line.trim_end())?;
    if code.written.len() != line.trim_end().len() || code.closing {
        return None;
    }
    let kind = box_kind(code.name)?;
    let mut depth = 0;
    for (index, inner) in rest.iter().enumerate() {
        let Some(inner) = Shortcode::at(inner.trim()) else {
            continue;
        };
        if inner.name != code.name {
            continue;
        }
        match (inner.closing, depth) {
            (true, 0) => return Some((kind, index)),
            (true, _) => depth -= 1,
            (false, _) => depth += 1,
        }
    }
    None
}

/// A box as rustdoc shows it, around its `inner` text (already adapted).
///
/// A warning is rustdoc's own warning block (`<div class="warning">`, "Adding a warning
/// block" in the rustdoc book), with blank lines inside so that the Markdown in it is read as
/// Markdown. A note is a blockquote whose first paragraph starts with "**Note:**": rustdoc
/// has no note block (its warning block would say "warning" to the eye, the spec's notes are
/// informative), and a blockquote sets the whole box apart, indented, paragraphs and lists
/// included, where a "**Note:**" paragraph would mark its first paragraph only and leave the
/// rest of the box looking like the text around it.
/// Each starts with its title in bold, as the spec's boxes do, so that editors' hovers (which
/// drop HTML) still say what the text is.
fn box_markdown(kind: BoxKind, inner: &str) -> String {
    let title = match kind {
        BoxKind::Note => "**Note:**",
        BoxKind::Warning => "**Warning:**",
    };
    let titled = match inner.lines().next() {
        Some(first) if starts_paragraph(first) => format!("{title} {inner}"),
        Some(_) => format!("{title}\n\n{inner}"),
        None => title.to_owned(),
    };
    match kind {
        BoxKind::Warning => format!("<div class=\"warning\">\n\n{titled}\n\n</div>"),
        BoxKind::Note => titled
            .lines()
            .map(|line| {
                if line.is_empty() {
                    ">".to_owned()
                } else {
                    format!("> {line}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Whether Markdown whose first line is `line` starts with a paragraph (text that may follow
/// a lead-in on its line) rather than a list, a code block, a blockquote or HTML.
pub(super) fn starts_paragraph(line: &str) -> bool {
    let line = line.trim_start();
    !(line.starts_with(['>', '<', '#', '|'])
        || line.starts_with("```")
        || list_marker_width(line).is_some())
}

/// `lead` (the status of a response, the method and path of an operation) and the adapted
/// docs `text`: on one line when the text starts with a paragraph, else as a paragraph of
/// its own before the text.
pub(super) fn with_lead(lead: &str, text: &str) -> String {
    match text.lines().next() {
        None => lead.to_owned(),
        Some(first) if starts_paragraph(first) => format!("{lead}: {text}"),
        Some(_) => format!("{lead}\n\n{text}"),
    }
}

/// The shortcode `text` starts with as rustdoc Markdown, when it is one that stands inline:
/// `added-in` and `changed-in`, which the spec's site shows as "**[Added in `v1.18`]**" and
/// "**[Changed in `v1.11`]**" (its `added-in.html` and `changed-in.html`) before the text
/// they date, often the start of a list item or of a box's paragraph.
fn inline_shortcode(code: &Shortcode) -> Option<String> {
    if code.closing {
        return None;
    }
    let what = match code.name {
        "added-in" => "Added in",
        "changed-in" => "Changed in",
        _ => return None,
    };
    let version = code.arg("v")?;
    Some(format!("**\\[{what} `v{version}`\\]**"))
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

fn escape_prose(text: &str, unhandled: &mut Vec<String>) -> String {
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
        if let Some(code) = Shortcode::at(rest) {
            i += code.written.len();
            match inline_shortcode(&code) {
                Some(rendered) => {
                    out.push_str(&rendered);
                    // The text after it is a word of its own (`{{% added-in v="1.18"%}}The`).
                    if rest[code.written.len()..].starts_with(|c: char| !c.is_whitespace()) {
                        out.push(' ');
                    }
                }
                None => {
                    let why = if box_kind(code.name).is_some() {
                        " (a box not alone on its lines, never closed, or nested too deep)"
                    } else {
                        ""
                    };
                    let noted = format!("`{}`{why}", code.written);
                    if !unhandled.contains(&noted) {
                        unhandled.push(noted);
                    }
                    // Left as written, its brackets escaped as any other.
                    out.push_str(&code.written.replace('<', "&lt;").replace('>', "&gt;"));
                }
            }
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

    #[test]
    fn warning_boxes_are_rustdoc_warning_blocks() {
        assert_eq!(
            rustdoc_markdown(
                "Before.\n\n{{% boxes/warning %}}\nDo not use [this](/x).\nEver.\n{{% /boxes/warning %}}\nAfter."
            ),
            "Before.\n\n<div class=\"warning\">\n\n**Warning:** Do not use \
             [this](https://spec.matrix.org/latest/x).\nEver.\n\n</div>\n\nAfter."
        );
        // A box that starts the text, with paragraphs and a shortcode inside.
        assert_eq!(
            rustdoc_markdown(
                "{{% boxes/warning %}}\n{{% changed-in v=\"1.11\" %}} May return `404`.\n\nSecond <part>.\n{{% /boxes/warning %}}"
            ),
            "<div class=\"warning\">\n\n**Warning:** **\\[Changed in `v1.11`\\]** May return `404`.\n\n\
             Second &lt;part&gt;.\n\n</div>"
        );
    }

    #[test]
    fn note_boxes_are_blockquotes_titled_note() {
        assert_eq!(
            rustdoc_markdown(
                "Text.\n\n{{% boxes/note %}}\nOne\nparagraph.\n\nAnother.\n{{% /boxes/note %}}"
            ),
            "Text.\n\n> **Note:** One\n> paragraph.\n>\n> Another."
        );
        // A list first: the title is a paragraph of its own; a fence inside stays a fence.
        assert_eq!(
            rustdoc_markdown(
                "{{% boxes/note %}}\n* `image/png`\n* `image/gif`\n\n```\n{}\n```\n{{% /boxes/note %}}\n\nNext."
            ),
            "> **Note:**\n>\n> * `image/png`\n> * `image/gif`\n>\n> ```text\n> {}\n> ```\n\nNext."
        );
        // An `added-in` alone on the box's first line dates the paragraph it starts.
        assert_eq!(
            rustdoc_markdown(
                "{{% boxes/note %}}\n{{% added-in v=\"1.17\" %}}\nEven if.\n{{% /boxes/note %}}"
            ),
            "> **Note:** **\\[Added in `v1.17`\\]**\n> Even if."
        );
    }

    #[test]
    fn boxes_nest_and_sit_inside_list_items() {
        assert_eq!(
            rustdoc_markdown(
                "{{% boxes/note %}}\nOuter.\n{{% boxes/warning %}}\nInner.\n{{% /boxes/warning %}}\n{{% /boxes/note %}}"
            ),
            "> **Note:** Outer.\n>\n> <div class=\"warning\">\n>\n> **Warning:** Inner.\n>\n> </div>"
        );
        assert_eq!(
            rustdoc_markdown(
                "- an item\n  {{% boxes/warning %}}\n  Careful.\n  {{% /boxes/warning %}}\n- next"
            ),
            "- an item\n\n  <div class=\"warning\">\n\n  **Warning:** Careful.\n\n  </div>\n\n- next"
        );
    }

    #[test]
    fn added_in_and_changed_in_read_inline() {
        assert_eq!(
            rustdoc_markdown(
                "Errors:\n\n- {{% added-in v=\"1.18\" %}} `M_TOKEN_INCORRECT`: The token is\n  incorrect.\n- {{% added-in v=\"1.18\" %}} `M_INVALID_PARAM`: Bad."
            ),
            "Errors:\n\n- **\\[Added in `v1.18`\\]** `M_TOKEN_INCORRECT`: The token is\n  incorrect.\n\
             - **\\[Added in `v1.18`\\]** `M_INVALID_PARAM`: Bad."
        );
        // No space before the text (`v="1.18"%}}The`), and the `{{< >}}` form.
        assert_eq!(
            rustdoc_markdown("{{% added-in v=\"1.18\"%}}The code."),
            "**\\[Added in `v1.18`\\]** The code."
        );
        assert_eq!(
            rustdoc_markdown("{{< changed-in v=\"1.11\" >}} Now [this](#a)."),
            "**\\[Changed in `v1.11`\\]** Now [this](#a)."
        );
        // Inside code, a shortcode is text.
        assert_eq!(
            rustdoc_markdown("write `{{% added-in v=\"1.1\" %}}`"),
            "write `{{% added-in v=\"1.1\" %}}`"
        );
    }

    #[test]
    fn unhandled_shortcodes_are_left_as_written_and_reported() {
        let docs = Docs {
            description: Some(
                "{{% boxes/rationale %}}\nWhy.\n{{% /boxes/rationale %}}\n\n\
                 {{< definition path=\"x\" >}} and {{% added-in %}}\n\n\
                 {{% boxes/note %}}\nNever closed."
                    .into(),
            ),
            changed_in: vec![("1.2".into(), "{{% added-in v=\"1.2\" %}} fine".into())],
            ..Docs::default()
        };
        assert_eq!(
            unhandled_shortcodes(&docs),
            [
                "`{{% boxes/rationale %}}`",
                "`{{% /boxes/rationale %}}`",
                "`{{< definition path=\"x\" >}}`",
                "`{{% added-in %}}`",
                "`{{% boxes/note %}}` (a box not alone on its lines, never closed, or nested too deep)",
            ]
        );
        assert!(doc_text(&docs).contains("{{&lt; definition path=\"x\" &gt;}}"));
        // Boxes nested deeper than rendered are left as written, and noted.
        let deep = format!(
            "{}Deep.\n{}",
            "{{% boxes/note %}}\n".repeat(MAX_BOX_DEPTH + 1),
            "{{% /boxes/note %}}\n".repeat(MAX_BOX_DEPTH + 1)
        );
        let rendered = rustdoc_markdown(&deep);
        assert_eq!(rendered.matches("**Note:**").count(), MAX_BOX_DEPTH);
        assert!(rendered.contains("{{% boxes/note %}}"));
        let handled = Docs {
            description: Some("{{% boxes/note %}}\nA.\n{{% /boxes/note %}}".into()),
            ..Docs::default()
        };
        assert!(unhandled_shortcodes(&handled).is_empty());
    }

    #[test]
    fn a_lead_in_stays_on_the_line_of_a_paragraph_only() {
        assert_eq!(with_lead("`400`", "Bad."), "`400`: Bad.");
        assert_eq!(with_lead("`400`", ""), "`400`");
        assert_eq!(
            with_lead("`GET /x`", "> **Note:** Replaced."),
            "`GET /x`\n\n> **Note:** Replaced."
        );
        assert_eq!(with_lead("`400`", "- a\n- b"), "`400`\n\n- a\n- b");
    }
}

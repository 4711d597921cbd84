//! Docs as rustdoc that never warns. Text from the spec is made safe: markdown survives, but nothing
//! in it is mistaken for an intra-doc link (`filter[status]`), an HTML tag (`<call_control_id>`), a
//! bare URL, an indented code block or a Rust doctest (an unlabelled code fence). Text the generator
//! writes itself is kept as written, so its intra-doc links stay links.

use proc_macro2::TokenStream;
use quote::quote;

/// One paragraph of an item's docs (absent paragraphs are skipped).
pub enum Para<'a> {
    /// From the spec: sanitized.
    Spec(Option<&'a str>),
    /// Written by the generator: Markdown with intra-doc links, as it is.
    Own(Option<&'a str>),
}

/// The `#[doc]` attributes of paragraphs, joined with blank lines.
pub fn docs<'a>(parts: impl IntoIterator<Item = Para<'a>>) -> TokenStream {
    let text = parts
        .into_iter()
        .filter_map(|p| match p {
            Para::Spec(Some(t)) => Some(sanitize(t.trim())),
            Para::Own(Some(t)) => Some(t.trim().to_owned()),
            _ => None,
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    lines(&text)
}

/// One `#[doc]` attribute per line (prettyplease turns a multi-line `#[doc]` into `/** */`).
fn lines(text: &str) -> TokenStream {
    let lines: Vec<String> = text.lines().map(|l| format!(" {l}")).collect();
    let lines = lines.iter().map(|l| l.trim_end());
    quote! { #( #[doc = #lines] )* }
}

/// Makes spec markdown safe for rustdoc.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    // Indentation of the text of the list item being continued, if any.
    let mut list_indent: Option<usize> = None;
    for raw in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if let Some(marker) = fence.clone() {
            if trimmed.starts_with(marker.as_str()) {
                fence = None;
                out.push(marker);
            } else {
                out.push(line.to_owned());
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker: String = trimmed
                .chars()
                .take_while(|c| *c == '`' || *c == '~')
                .collect();
            let lang = trimmed[marker.len()..].trim();
            // Unlabelled and Rust fences would become doctests; everything else is just shown.
            let lang = if lang.is_empty() || lang.starts_with("rust") {
                "text"
            } else {
                lang
            };
            out.push(format!("{marker}{lang}"));
            fence = Some(marker);
            continue;
        }
        // Indentation would make an indented code block (a doctest), so it is dropped, except that a
        // list item's continuation lines are indented to its text, as markdown wants.
        if trimmed.is_empty() {
            list_indent = None;
            out.push(String::new());
        } else if let Some(marker) = list_marker(trimmed) {
            list_indent = Some(marker);
            out.push(inline(trimmed));
        } else if let Some(indent) = list_indent {
            out.push(format!("{}{}", " ".repeat(indent), inline(trimmed)));
        } else {
            out.push(inline(trimmed));
        }
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// The width of a list item's marker with its space (`- ` is 2, `10. ` is 4), if the line is one.
fn list_marker(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && line[digits..].starts_with(". ")).then_some(digits + 2)
}

/// Escapes one line outside code spans.
fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let ticks = line.matches('`').count();
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // An unbalanced trailing backtick does not open a code span.
        let is_code = in_code && !(ticks % 2 == 1 && i == ticks);
        if is_code {
            out.push_str(part);
        } else {
            out.push_str(&escape_text(part));
        }
        in_code = !in_code;
    }
    out
}

fn escape_text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '[' {
            if let Some(end) = markdown_link_end(&chars, i) {
                let link: String = chars[i..end].iter().collect();
                out.push_str(&link);
                i = end;
                continue;
            }
            out.push_str("\\[");
        } else if c == ']' {
            out.push_str("\\]");
        } else if c == '<' {
            if let Some(end) = autolink_end(&chars, i) {
                let link: String = chars[i..end].iter().collect();
                out.push_str(&link);
                i = end;
                continue;
            }
            out.push_str("&lt;");
        } else if c == '>' && i > 0 {
            out.push_str("&gt;");
        } else if starts_url(&chars, i) {
            let end = url_end(&chars, i);
            let url: String = chars[i..end].iter().collect();
            out.push('<');
            out.push_str(&url);
            out.push('>');
            i = end;
            continue;
        } else if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

/// `[text](http...)`: returns the index after the closing parenthesis.
fn markdown_link_end(chars: &[char], start: usize) -> Option<usize> {
    let close = chars[start + 1..].iter().position(|c| *c == ']')? + start + 1;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = chars[close + 2..].iter().position(|c| *c == ')')? + close + 2;
    let target: String = chars[close + 2..end].iter().collect();
    (target.starts_with("http://") || target.starts_with("https://") || target.starts_with('#'))
        .then_some(end + 1)
}

/// `<https://...>`: returns the index after `>`.
fn autolink_end(chars: &[char], start: usize) -> Option<usize> {
    if !starts_url(chars, start + 1) {
        return None;
    }
    let end = chars[start..].iter().position(|c| *c == '>')? + start;
    chars[start..end]
        .iter()
        .all(|c| !c.is_whitespace())
        .then_some(end + 1)
}

/// Whether a bare URL starts at `i`. Asked at every character of every doc string, so it compares
/// in place instead of collecting the next characters into a string.
fn starts_url(chars: &[char], i: usize) -> bool {
    const HTTP: [char; 7] = ['h', 't', 't', 'p', ':', '/', '/'];
    const HTTPS: [char; 8] = ['h', 't', 't', 'p', 's', ':', '/', '/'];
    chars
        .get(i..)
        .is_some_and(|rest| rest.starts_with(&HTTP) || rest.starts_with(&HTTPS))
        && (i == 0 || !chars[i - 1].is_alphanumeric())
}

fn url_end(chars: &[char], start: usize) -> usize {
    let mut end = start;
    while end < chars.len()
        && !chars[end].is_whitespace()
        && !matches!(chars[end], '<' | '>' | '"' | '`' | ')' | ']')
    {
        end += 1;
    }
    while end > start && matches!(chars[end - 1], '.' | ',' | ';' | ':' | '!' | '?' | '\'') {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_tags_and_urls_are_escaped_outside_code() {
        assert_eq!(
            sanitize("Use filter[status] here"),
            "Use filter\\[status\\] here"
        );
        assert_eq!(sanitize("`filter[status]` stays"), "`filter[status]` stays");
        assert_eq!(
            sanitize("id <call_control_id> x"),
            "id &lt;call_control_id&gt; x"
        );
        assert_eq!(
            sanitize("see https://telnyx.com/docs."),
            "see <https://telnyx.com/docs>."
        );
        assert_eq!(
            sanitize("see <https://telnyx.com>"),
            "see <https://telnyx.com>"
        );
        assert_eq!(
            sanitize("[docs](https://telnyx.com/a)"),
            "[docs](https://telnyx.com/a)"
        );
        assert_eq!(sanitize("a \\ b"), "a \\\\ b");
    }

    #[test]
    fn code_fences_never_become_doctests_and_indentation_is_dropped() {
        assert_eq!(sanitize("```\nlet x = 1;\n```"), "```text\nlet x = 1;\n```");
        assert_eq!(
            sanitize("```json\n{\"a\": [1]}\n```"),
            "```json\n{\"a\": [1]}\n```"
        );
        assert_eq!(
            sanitize("text\n\n    indented code\n"),
            "text\n\nindented code"
        );
        assert_eq!(sanitize("```\nunclosed"), "```text\nunclosed\n```");
    }

    #[test]
    fn list_continuations_are_indented_to_the_item_text() {
        assert_eq!(
            sanitize("* `A` - first\nline two\n10. ten\n  more\n\nafter"),
            "* `A` - first\n  line two\n10. ten\n    more\n\nafter"
        );
    }

    #[test]
    fn one_doc_attribute_per_line() {
        let tokens = docs([Para::Spec(Some("a\nb"))]).to_string();
        assert_eq!(tokens.matches("doc").count(), 2, "{tokens}");
    }

    #[test]
    fn the_generators_own_links_stay_links_and_the_specs_brackets_are_escaped() {
        let tokens = docs([
            Para::Spec(Some("Use filter[status].")),
            Para::Own(None),
            Para::Own(Some("See [`Other`](crate::types::Other).")),
        ])
        .to_string();
        assert!(tokens.contains(r"filter\\[status\\]"), "{tokens}");
        assert!(
            tokens.contains("[`Other`](crate::types::Other)"),
            "{tokens}"
        );
        assert_eq!(tokens.matches("doc").count(), 3, "{tokens}");
    }
}

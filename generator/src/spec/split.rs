//! Parses a large YAML mapping on several cores: the document is cut at its mapping keys (the top
//! level, and one or two levels down inside the big sections such as `components.schemas`), each piece
//! is parsed on its own, and the pieces are put back together in file order.
//!
//! This is only a faster route to the same tree. Anything it is not sure about (anchors, directives,
//! several documents, a piece that does not parse, a key seen twice) makes it give up, and the caller
//! parses the whole text in one go, which also gives the right line numbers in error messages.

use serde_json::{Map, Value};

/// Below this size one thread is as fast.
const MIN_PARALLEL_BYTES: usize = 256 * 1024;
/// How many levels below the top the cutting goes.
const MAX_DEPTH: usize = 2;

/// A run of whole mapping entries at one place in the document.
struct Piece<'a> {
    /// The keys of the mappings that hold these entries (`["components", "schemas"]`).
    path: Vec<String>,
    text: &'a str,
}

/// The tree, or `None` when the text is not something this route handles.
pub fn parse_parallel(text: &str) -> Option<Value> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || text.len() < MIN_PARALLEL_BYTES || !plain_block_mapping(text) {
        return None;
    }
    let budget = text.len() / (threads * 4);
    let lines = lines(text);
    let mut pieces = Vec::new();
    cut(
        text,
        &lines,
        text.len(),
        0,
        &mut Vec::new(),
        budget,
        &mut pieces,
    )?;
    let parsed = crate::parallel::map(pieces, |piece| {
        match serde_yaml::from_str::<Value>(piece.text) {
            Ok(Value::Object(map)) => Some((piece.path, map)),
            _ => None,
        }
    })?;
    let mut root = Map::new();
    for result in parsed {
        let (path, map) = result?;
        let mut target = &mut root;
        for key in &path {
            let entry = target
                .entry(key.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            target = entry.as_object_mut()?;
        }
        for (k, v) in map {
            if target.insert(k, v).is_some() {
                return None;
            }
        }
    }
    Some(Value::Object(root))
}

/// A single block mapping with nothing this route would get wrong: no directives, document markers
/// or tabs. (Anchors need no check: an alias whose anchor is in another piece fails to parse there,
/// and a failed piece sends the whole text to the one-go parse.)
fn plain_block_mapping(text: &str) -> bool {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let starts_as_mapping = first.is_some_and(|l| !l.starts_with([' ', '-', '{', '[', '%']));
    // A line starting with `---`, `...` or `%`: the first line, or one after a newline.
    let marker_line = ["---", "...", "%"]
        .iter()
        .any(|m| text.starts_with(m) || text.contains(&format!("\n{m}")));
    starts_as_mapping && !text.contains('\t') && !marker_line
}

/// One line of the text, read once: where it starts, and the column of its content.
struct Line {
    start: usize,
    /// `None` for blank and comment lines.
    indent: Option<usize>,
    /// The content is a sequence item (`- `).
    item: bool,
}

fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::with_capacity(text.len() / 32);
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let indent = indent(line);
        out.push(Line {
            start,
            indent,
            item: indent.is_some_and(|i| line[i..].starts_with("- ")),
        });
        start += line.len();
    }
    out
}

/// The column where a line's content starts, or `None` for blank and comment lines.
fn indent(line: &str) -> Option<usize> {
    let line = line.trim_end_matches(['\n', '\r']);
    let content = line.trim_start_matches(' ');
    (!content.is_empty() && !content.starts_with('#')).then_some(line.len() - content.len())
}

/// A mapping key line at column `at` that opens a block (`key:` with nothing after it).
fn block_key(line: &str, at: usize) -> Option<String> {
    let rest = line.get(at..)?.trim_end();
    let key = rest.strip_suffix(':')?;
    if key.is_empty() || key.starts_with(['-', '?', '"', '\'', '{', '[', '#']) || key.contains(": ")
    {
        return None;
    }
    Some(key.to_owned())
}

/// Cuts the entries at column `at` of the text that `lines` make up (ending at byte `end`) into
/// pieces of about `budget` bytes, going down into big block entries. `None` when the text is not a
/// run of entries at that column.
fn cut<'a>(
    text: &'a str,
    lines: &[Line],
    end: usize,
    at: usize,
    path: &mut Vec<String>,
    budget: usize,
    out: &mut Vec<Piece<'a>>,
) -> Option<()> {
    // Where each entry at column `at` starts, as an index into `lines`. Nothing may be left of that
    // column, and nothing but blank and comment lines before the first entry.
    let mut starts = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(column) = line.indent else { continue };
        if column == at && !line.item {
            starts.push(i);
        } else if column < at || starts.is_empty() {
            return None;
        }
    }
    let mut run_start = lines[*starts.first()?].start;
    for (k, &i) in starts.iter().enumerate() {
        let next = starts.get(k + 1).copied().unwrap_or(lines.len());
        let entry_end = lines.get(next).map_or(end, |l| l.start);
        let entry_start = lines[i].start;
        let big = entry_end - entry_start > budget && path.len() < MAX_DEPTH;
        let body = &lines[i + 1..next];
        let first_line_end = body.first().map_or(entry_end, |l| l.start);
        let child = body.iter().find_map(|l| l.indent).filter(|c| *c > at);
        let key = big
            .then(|| block_key(&text[entry_start..first_line_end], at))
            .flatten();
        if let (Some(key), Some(child)) = (key, child) {
            if run_start < entry_start {
                out.push(Piece {
                    path: path.clone(),
                    text: &text[run_start..entry_start],
                });
            }
            path.push(key);
            cut(text, body, entry_end, child, path, budget, out)?;
            path.pop();
            run_start = entry_end;
        } else if entry_end - run_start >= budget {
            out.push(Piece {
                path: path.clone(),
                text: &text[run_start..entry_end],
            });
            run_start = entry_end;
        }
    }
    if run_start < end {
        out.push(Piece {
            path: path.clone(),
            text: &text[run_start..end],
        });
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document big enough to be cut, with sections at three levels.
    fn document() -> String {
        let mut s = String::from(
            "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\ncomponents:\n  schemas:\n",
        );
        for i in 0..4000 {
            s.push_str(&format!(
                "    Schema{i}:\n      type: object\n      description: \"number {i}: a long enough text to take room\"\n      properties:\n        id: {{type: string}}\n        tags:\n        - a\n        - b\n"
            ));
        }
        s.push_str("  responses:\n    Ok:\n      description: fine\npaths:\n");
        for i in 0..2000 {
            s.push_str(&format!("  /things/{i}:\n    get:\n      operationId: Get{i}\n      responses:\n        '200': {{description: ok}}\n"));
        }
        s.push_str("tags:\n- name: x\n- name: y\n");
        s
    }

    #[test]
    fn the_pieces_make_the_same_tree_as_one_parse() {
        let text = document();
        let whole: Value = serde_yaml::from_str(&text).unwrap();
        let parallel = parse_parallel(&text).expect("this document is cut");
        assert_eq!(parallel, whole);
        // And in the same key order (the generator reads maps in file order).
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&parallel), keys(&whole));
        assert_eq!(
            keys(&parallel["components"]["schemas"]),
            keys(&whole["components"]["schemas"])
        );
    }

    #[test]
    fn anything_unusual_is_left_to_the_whole_parse() {
        let text = document();
        assert!(parse_parallel(&format!("---\n{text}")).is_none());
        let anchored = text.replace("tags:\n- name: x", "tags:\n- name: *elsewhere");
        let anchored = anchored.replace("info:\n", "info: &elsewhere\n");
        assert!(
            parse_parallel(&anchored).is_none(),
            "an alias to an anchor in another piece"
        );
        assert!(
            parse_parallel(&format!("{text}openapi: again\n")).is_none(),
            "a key seen twice"
        );
        assert!(
            parse_parallel(&format!("{text}broken: [\n")).is_none(),
            "a piece that does not parse"
        );
        assert!(parse_parallel("small: true\n").is_none());
    }

    #[test]
    fn a_big_indented_sequence_under_a_key_is_never_lost() {
        let mut text = document();
        text.push_str("servers:\n");
        for i in 0..20000 {
            text.push_str(&format!(
                "  - url: https://example.com/{i}\n    description: server {i}\n"
            ));
        }
        let whole: Value = serde_yaml::from_str(&text).unwrap();
        // Cut or left to the whole parse, the tree is the same.
        if let Some(parallel) = parse_parallel(&text) {
            assert_eq!(parallel, whole);
        }
    }

    #[test]
    fn the_pinned_spec_parses_the_same_both_ways() {
        let text = crate::test_support::pinned_spec_text();
        let whole: Value = serde_yaml::from_str(&text).unwrap();
        let parallel = parse_parallel(&text).expect("the pinned spec is cut");
        assert_eq!(
            parallel.to_string(),
            whole.to_string(),
            "same values in the same order"
        );
    }
}

//! Blank lines between items, which prettyplease does not write: a committed diff then reads like a
//! diff of hand-written code, one item per hunk.
//!
//! It works on prettyplease's own output, whose shape is fixed: four spaces per level, an item's last
//! line ends in `}` or `;` at the item's indentation, and string literals never span lines (every
//! literal the generator emits is escaped onto one line).

/// `text` with a blank line between two items at the same level, and after the module docs; runs of
/// `use` and `mod` lines stay together.
pub fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev: Option<&str> = None;
    for line in text.lines() {
        if let Some(p) = prev {
            if needs_blank(p, line) {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        prev = (!line.trim().is_empty()).then_some(line);
    }
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn needs_blank(prev: &str, line: &str) -> bool {
    let (p, l) = (prev.trim_start(), line.trim_start());
    if l.is_empty() {
        return false;
    }
    if p.starts_with("//!") {
        return !l.starts_with("//!");
    }
    if indent(prev) != indent(line) || !starts_item(l) {
        return false;
    }
    let ends_item = !p.starts_with("//") && (p.ends_with('}') || p.ends_with(';'));
    ends_item && !(is_import(p) && is_import(l))
}

/// Whether a line opens an item (its docs, attributes or keyword).
fn starts_item(l: &str) -> bool {
    const STARTS: [&str; 16] = [
        "///",
        "#[",
        "pub ",
        "pub(",
        "fn ",
        "async fn ",
        "const ",
        "static ",
        "impl ",
        "impl<",
        "struct ",
        "enum ",
        "mod ",
        "type ",
        "trait ",
        "use ",
    ];
    STARTS.iter().any(|s| l.starts_with(s))
}

/// A one-line `use` or `mod` declaration.
fn is_import(l: &str) -> bool {
    let l = l.strip_prefix("pub ").unwrap_or(l);
    (l.starts_with("use ") || l.starts_with("mod ")) && l.ends_with(';')
}

#[cfg(test)]
mod tests {
    use super::space_items;

    #[test]
    fn items_get_a_blank_line_and_their_insides_do_not() {
        let text = "//! Docs.\nmod a;\npub use a::*;\n/// A.\npub struct A {\n    x: i32,\n    /// y\n    y: i32,\n}\nimpl A {\n    fn f() {\n        let x = 1;\n        let y = 2;\n    }\n    #[doc = \"g\"]\n    fn g() {}\n}\npub type B = A;\npub type C = A;\n";
        assert_eq!(
            space_items(text),
            "//! Docs.\n\nmod a;\npub use a::*;\n\n/// A.\npub struct A {\n    x: i32,\n    /// y\n    y: i32,\n}\n\nimpl A {\n    fn f() {\n        let x = 1;\n        let y = 2;\n    }\n\n    #[doc = \"g\"]\n    fn g() {}\n}\n\npub type B = A;\n\npub type C = A;\n"
        );
    }

    #[test]
    fn spaced_text_is_left_as_it_is() {
        let text = "fn a() {}\n\nfn b() {}\n";
        assert_eq!(space_items(text), text);
        assert_eq!(space_items(&space_items("fn a() {}\nfn b() {}\n")), text);
    }
}

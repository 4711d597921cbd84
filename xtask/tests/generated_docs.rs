//! What users read on docs.rs: the committed crate's docs link where they mean to, and read as
//! hand-written Rust (items apart, one derive line).

mod common;

use common::root;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("the directory reads")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `(file, line number, line)` of the committed crate's sources.
fn generated_lines() -> Vec<(PathBuf, usize, String)> {
    let mut files = Vec::new();
    rust_files(&root().join("generated/src"), &mut files);
    files.sort();
    assert!(files.len() > 20, "{} files", files.len());
    files
        .into_iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(&path).expect("a generated file reads");
            text.lines()
                .enumerate()
                .map(|(i, l)| (path.clone(), i + 1, l.to_owned()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// An intra-doc link the generator writes (`[`Name`](crate::types::Name)`) must not reach rustdoc as
/// escaped text (`\[`Name`\](...)`), which renders as brackets instead of a link.
#[test]
fn no_doc_line_of_the_committed_crate_escapes_an_intra_doc_link() {
    let escaped: Vec<String> = generated_lines()
        .into_iter()
        .filter(|(_, _, l)| {
            let l = l.trim_start();
            (l.starts_with("///") || l.starts_with("//!")) && l.contains("\\[`")
        })
        .map(|(p, n, l)| format!("{}:{n}: {}", p.display(), l.trim()))
        .collect();
    assert!(escaped.is_empty(), "escaped links:\n{}", escaped.join("\n"));
}

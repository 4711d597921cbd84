//! Formats emitted tokens with prettyplease and puts the generated marker on top. The crate's parts
//! are independent, so they are emitted and formatted on every core; the result is a sorted map, so
//! the order of work never shows.
//!
//! A part is formatted on the thread that emitted it, straight from its token streams
//! (`syn::parse2`). Token streams cannot cross threads; sending their text instead would mean
//! printing every file and lexing it again, a third of the work of formatting it.

use crate::emit::{File, Part, GENERATED_LINE};
use crate::error::{Error, Result};
use crate::parallel;
use std::collections::BTreeMap;

/// The finished files, keyed by path relative to the crate root (sorted, so output order is stable).
pub type FileSet = BTreeMap<String, String>;

/// Emits and formats every part, in parallel; on errors, the error of the first file by path.
pub fn format(parts: Vec<Part<'_>>) -> Result<FileSet> {
    let results = parallel::map(parts, |part| {
        part()
            .into_iter()
            .map(|(path, file)| format_one(path, file))
            .collect::<Vec<_>>()
    })
    .ok_or_else(|| Error::Format {
        file: String::new(),
        message: "a formatting thread lost its result".into(),
    })?;
    let mut out = FileSet::new();
    let mut errors = Vec::new();
    for result in results.into_iter().flatten() {
        match result {
            Ok((path, text)) => {
                out.insert(path, text);
            }
            Err(e) => errors.push(e),
        }
    }
    // Whichever was formatted first.
    match errors
        .into_iter()
        .min_by(|a, b| error_file(a).cmp(error_file(b)))
    {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

fn error_file(e: &Error) -> &str {
    match e {
        Error::Format { file, .. } => file,
        _ => "",
    }
}

fn format_one(path: String, file: File) -> Result<(String, String)> {
    let text = match file {
        File::Text(text) => text,
        File::Rust(tokens) => {
            let parsed: syn::File = syn::parse2(tokens).map_err(|e| Error::Format {
                file: path.clone(),
                message: e.to_string(),
            })?;
            let printed = prettyplease::unparse(&parsed);
            format!(
                "// {GENERATED_LINE}\n{}",
                crate::spacing::space_items(&printed)
            )
        }
    };
    Ok((path, text))
}

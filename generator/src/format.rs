//! Formats emitted tokens with prettyplease and puts the generated marker on top.

use crate::emit::{File, GENERATED_LINE};
use crate::error::{Error, Result};
use std::collections::BTreeMap;

/// The finished files, keyed by path relative to the crate root (sorted, so output order is stable).
pub type FileSet = BTreeMap<String, String>;

pub fn format(files: Vec<(String, File)>) -> Result<FileSet> {
    let mut out = FileSet::new();
    for (path, file) in files {
        let text = match file {
            File::Text(text) => text,
            File::Rust(tokens) => {
                let parsed: syn::File = syn::parse2(tokens).map_err(|e| Error::Format {
                    file: path.clone(),
                    message: e.to_string(),
                })?;
                format!("// {GENERATED_LINE}\n{}", prettyplease::unparse(&parsed))
            }
        };
        out.insert(path, text);
    }
    Ok(out)
}

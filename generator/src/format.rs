//! Formats emitted tokens with prettyplease and puts the generated marker on top. Files are independent,
//! so they are formatted on every core; the result is a sorted map, so the order of work never shows.

use crate::emit::{File, GENERATED_LINE};
use crate::error::{Error, Result};
use crate::parallel;
use std::collections::BTreeMap;

/// The finished files, keyed by path relative to the crate root (sorted, so output order is stable).
pub type FileSet = BTreeMap<String, String>;

pub fn format(files: Vec<(String, File)>) -> Result<FileSet> {
    // Token streams cannot cross threads; their text can. Biggest first, so no thread is left with
    // one large file at the end.
    let mut jobs: Vec<(String, Job)> = files
        .into_iter()
        .map(|(path, file)| {
            let job = match file {
                File::Text(text) => Job::Text(text),
                File::Rust(tokens) => Job::Rust(tokens.to_string()),
            };
            (path, job)
        })
        .collect();
    jobs.sort_by_key(|(_, j)| std::cmp::Reverse(j.len()));
    let mut out = FileSet::new();
    let mut errors = Vec::new();
    let results =
        parallel::map(jobs, |(path, job)| format_one(path, job)).ok_or_else(|| Error::Format {
            file: String::new(),
            message: "a formatting thread lost its result".into(),
        })?;
    for result in results {
        match result {
            Ok((path, text)) => {
                out.insert(path, text);
            }
            Err(e) => errors.push(e),
        }
    }
    // The error of the first file by path, whichever was formatted first.
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

/// A file to finish: text as it is, or Rust source to parse and print.
enum Job {
    Text(String),
    Rust(String),
}

impl Job {
    fn len(&self) -> usize {
        match self {
            Job::Text(t) => t.len() / 16,
            Job::Rust(r) => r.len(),
        }
    }
}

fn format_one(path: String, job: Job) -> Result<(String, String)> {
    let text = match job {
        Job::Text(text) => text,
        Job::Rust(source) => {
            let parsed: syn::File = syn::parse_file(&source).map_err(|e| Error::Format {
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

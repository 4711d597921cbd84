//! Formats emitted tokens with prettyplease and puts the generated marker on top. Files are independent,
//! so they are formatted on every core; the result is a sorted map, so the order of work never shows.

use crate::emit::{File, GENERATED_LINE};
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The finished files, keyed by path relative to the crate root (sorted, so output order is stable).
pub type FileSet = BTreeMap<String, String>;

pub fn format(files: Vec<(String, File)>) -> Result<FileSet> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(files.len().max(1));
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
    let jobs: Vec<Mutex<Option<(String, Job)>>> =
        jobs.into_iter().map(|j| Mutex::new(Some(j))).collect();
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Result<(String, String)>>> = Mutex::new(Vec::with_capacity(jobs.len()));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(slot) = jobs.get(i) else { break };
                    let job = slot.lock().ok().and_then(|mut s| s.take());
                    if let Some((path, file)) = job {
                        mine.push(format_one(path, file));
                    }
                }
                if let Ok(mut all) = done.lock() {
                    all.extend(mine);
                }
            });
        }
    });
    let results = done.into_inner().map_err(|_| Error::Format {
        file: String::new(),
        message: "a formatting thread failed".into(),
    })?;
    let mut out = FileSet::new();
    let mut first_error: Option<Error> = None;
    for result in results {
        match result {
            Ok((path, text)) => {
                out.insert(path, text);
            }
            // Report the error of the first file by path, whatever thread met it first.
            Err(e) => {
                let replace = match (&first_error, &e) {
                    (Some(Error::Format { file: a, .. }), Error::Format { file: b, .. }) => b < a,
                    (None, _) => true,
                    _ => false,
                };
                if replace {
                    first_error = Some(e);
                }
            }
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(out),
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
            format!("// {GENERATED_LINE}\n{}", prettyplease::unparse(&parsed))
        }
    };
    Ok((path, text))
}

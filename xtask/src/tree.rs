//! Writing a generated crate: atomically (a temporary directory next to the target, then renames), so a
//! failure never leaves a half-written tree, and files no longer generated disappear with the old tree.
//! Only a tree this generator made is ever replaced: a directory holding any file without the
//! `@generated` marker is refused before anything is written. `check` compares instead of writing.

use anyhow::{bail, Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use telnyx_codegen::emit::GENERATED_LINE;
use telnyx_codegen::FileSet;

/// Replaces `dir` with exactly `files`, if `dir` may be replaced (see [`ensure_replaceable`]).
pub fn write(dir: &Path, files: &FileSet) -> Result<()> {
    ensure_replaceable(dir)?;
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("generated");
    let staging = tempfile::Builder::new()
        .prefix(&format!("{name}.tmp-"))
        .tempdir_in(parent)
        .with_context(|| format!("creating a staging directory in {}", parent.display()))?;
    for (rel, text) in files {
        let path = staging.path().join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    let staged = staging.keep();
    let old = parent.join(format!("{name}.old-{}", std::process::id()));
    let had_old = dir.exists();
    if had_old {
        std::fs::rename(dir, &old).with_context(|| format!("moving {} aside", dir.display()))?;
    }
    if let Err(e) = std::fs::rename(&staged, dir) {
        if had_old {
            let _ = std::fs::rename(&old, dir);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(e).with_context(|| format!("moving the new tree into {}", dir.display()));
    }
    if had_old {
        std::fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
    }
    Ok(())
}

/// A directory may be replaced when it is absent, empty, or holds only files this generator wrote (each
/// carries [`GENERATED_LINE`] in its first line). Anything else would be deleted by the replacement, so
/// it is refused, naming the first such file.
fn ensure_replaceable(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        bail!(
            "refusing to write the crate to {}: it is a file, not a directory",
            dir.display()
        );
    }
    for rel in files_under(dir)? {
        let path = dir.join(&rel);
        if !has_marker(&path)? {
            bail!(
                "refusing to replace {}: {} was not written by this generator (its first line lacks \
                 `{GENERATED_LINE}`) and would be lost; move it away or write to another directory",
                dir.display(),
                path.display()
            );
        }
    }
    Ok(())
}

/// Whether the file's first line carries the generated marker (read up to the first 512 bytes).
fn has_marker(path: &Path) -> Result<bool> {
    let mut head = Vec::with_capacity(512);
    std::fs::File::open(path)
        .and_then(|f| f.take(512).read_to_end(&mut head))
        .with_context(|| format!("reading {}", path.display()))?;
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    Ok(String::from_utf8_lossy(first_line).contains(GENERATED_LINE))
}

/// How a tree on disk differs from what would be generated.
#[derive(Debug, Default)]
pub struct Diff {
    pub changed: Vec<String>,
    pub missing: Vec<String>,
    pub extra: Vec<String>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

pub fn check(dir: &Path, files: &FileSet) -> Result<Diff> {
    let on_disk = read_tree(dir)?;
    let mut diff = Diff::default();
    for (rel, text) in files {
        match on_disk.get(rel) {
            Some(existing) if existing.as_slice() == text.as_bytes() => {}
            Some(_) => diff.changed.push(rel.clone()),
            None => diff.missing.push(rel.clone()),
        }
    }
    let wanted: BTreeSet<&String> = files.keys().collect();
    diff.extra = on_disk
        .keys()
        .filter(|k| !wanted.contains(k))
        .cloned()
        .collect();
    Ok(diff)
}

/// Every file under `dir` (relative paths with `/`) with its bytes; a file that is not UTF-8 thus
/// counts as different from any generated text.
pub fn read_tree(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return Ok(out);
    }
    for rel in files_under(dir)? {
        let path = dir.join(&rel);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        out.insert(rel, bytes);
    }
    Ok(out)
}

/// The relative paths (with `/`) of every file under `dir`, sorted.
fn files_under(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

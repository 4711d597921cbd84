//! Writing a generated crate: atomically (a temporary directory next to the target, then renames), so a
//! failure never leaves a half-written tree, and files no longer generated disappear with the old tree.
//! `check` compares instead of writing.

use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use telnyx_codegen::FileSet;

/// Replaces `dir` with exactly `files`.
pub fn write(dir: &Path, files: &FileSet) -> Result<()> {
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
            Some(existing) if existing.as_bytes() == text.as_bytes() => {}
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

/// Every file under `dir` (relative paths with `/`), as text; unreadable as text counts as different.
pub fn read_tree(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack: Vec<PathBuf> = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                out.insert(rel, text);
            }
        }
    }
    Ok(out)
}

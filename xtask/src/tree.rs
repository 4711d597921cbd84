//! Writing a generated crate: atomically (a temporary directory next to the target, then renames), so a
//! failure never leaves a half-written tree, and files no longer generated disappear with the old tree.
//! Only a tree this generator made is ever replaced: a directory holding any file without the
//! `@generated` marker is refused before anything is written. `check` compares instead of writing.
//!
//! The old tree is read once, for the marker and for its contents: a tree that already holds exactly
//! these files is left alone, and in a new tree each file that did not change is a hard link to the
//! old one instead of a fresh copy. So a regeneration costs about what changed, and unchanged files
//! keep their modification times (cargo does not rebuild a crate whose sources did not change).

use anyhow::{bail, Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use telnyx_codegen::emit::GENERATED_LINE;
use telnyx_codegen::FileSet;

/// Replaces `dir` with exactly `files`, if `dir` may be replaced (see [`replaceable_tree`]).
pub fn write(dir: &Path, files: &FileSet) -> Result<()> {
    let old = replaceable_tree(dir)?;
    if old.len() == files.len()
        && files
            .iter()
            .all(|(rel, text)| old.get(rel).is_some_and(|b| b == text.as_bytes()))
    {
        return Ok(());
    }
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
    let mut made = BTreeSet::new();
    for (rel, text) in files {
        let path = staging.path().join(rel);
        if let Some(p) = path.parent() {
            if made.insert(p.to_owned()) {
                std::fs::create_dir_all(p)?;
            }
        }
        // A link can fail where the old file cannot be linked (another file system for a symlinked
        // part, a file system without links); a copy is then as good.
        let unchanged = old.get(rel).is_some_and(|b| b == text.as_bytes());
        if !(unchanged && std::fs::hard_link(dir.join(rel), &path).is_ok()) {
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    let staged = staging.keep();
    let aside = parent.join(format!("{name}.old-{}", std::process::id()));
    let had_old = dir.exists();
    if had_old {
        std::fs::rename(dir, &aside).with_context(|| format!("moving {} aside", dir.display()))?;
    }
    if let Err(e) = std::fs::rename(&staged, dir) {
        if had_old {
            let _ = std::fs::rename(&aside, dir);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(e).with_context(|| format!("moving the new tree into {}", dir.display()));
    }
    if had_old {
        std::fs::remove_dir_all(&aside).with_context(|| format!("removing {}", aside.display()))?;
    }
    Ok(())
}

/// The files of `dir` when it may be replaced: it is absent, empty, or holds only files this generator
/// wrote (each carries [`GENERATED_LINE`] in its first line). Anything else would be deleted by the
/// replacement, so it is refused, naming the first such file.
fn replaceable_tree(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    if dir.exists() && !dir.is_dir() {
        bail!(
            "refusing to write the crate to {}: it is a file, not a directory",
            dir.display()
        );
    }
    let tree = read_tree(dir)?;
    if let Some((rel, _)) = tree.iter().find(|(_, bytes)| !has_marker(bytes)) {
        bail!(
            "refusing to replace {}: {} was not written by this generator (its first line lacks \
             `{GENERATED_LINE}`) and would be lost; move it away or write to another directory",
            dir.display(),
            dir.join(rel).display()
        );
    }
    Ok(tree)
}

/// Whether a file's first line carries the generated marker (within its first 512 bytes).
fn has_marker(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    String::from_utf8_lossy(first_line).contains(GENERATED_LINE)
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
            let entry = entry?;
            let path = entry.path();
            // The entry's own type costs no system call; a symlink is followed as before.
            let is_dir = match entry.file_type()? {
                t if t.is_symlink() => path.is_dir(),
                t => t.is_dir(),
            };
            if is_dir {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    /// Generated files (each with the marker) from `(path, body)`.
    fn files(entries: &[(&str, &str)]) -> FileSet {
        entries
            .iter()
            .map(|(rel, body)| ((*rel).to_owned(), format!("// {GENERATED_LINE}\n{body}\n")))
            .collect()
    }

    fn inode(path: &Path) -> u64 {
        std::fs::metadata(path).expect("exists").ino()
    }

    #[test]
    fn unchanged_files_are_kept_changed_ones_rewritten_and_gone_ones_removed() {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let dir = tmp.path().join("crate");
        write(
            &dir,
            &files(&[("Cargo.toml", "a"), ("src/b.rs", "b"), ("src/c.rs", "c")]),
        )
        .expect("first write");
        let (a, b) = (inode(&dir.join("Cargo.toml")), inode(&dir.join("src/b.rs")));
        let next = files(&[("Cargo.toml", "a"), ("src/b.rs", "b2"), ("src/d/e.rs", "e")]);
        write(&dir, &next).expect("second write");
        assert_eq!(
            inode(&dir.join("Cargo.toml")),
            a,
            "an unchanged file is the same file"
        );
        assert_ne!(
            inode(&dir.join("src/b.rs")),
            b,
            "a changed file is written anew"
        );
        assert!(check(&dir, &next).expect("compares").is_empty());
        assert!(!dir.join("src/c.rs").exists());
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("lists")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(left, ["crate"], "no staging or old tree is left behind");
    }

    #[test]
    fn a_tree_that_already_holds_the_files_is_left_alone() {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let dir = tmp.path().join("crate");
        let same = files(&[("Cargo.toml", "a"), ("src/lib.rs", "b")]);
        write(&dir, &same).expect("first write");
        let before = inode(&dir);
        write(&dir, &same).expect("second write");
        assert_eq!(inode(&dir), before, "the directory was not replaced");
    }

    #[test]
    fn a_file_without_the_marker_is_refused_before_anything_is_written() {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let dir = tmp.path().join("crate");
        write(&dir, &files(&[("src/lib.rs", "b")])).expect("first write");
        std::fs::write(dir.join("notes.txt"), "mine\n").expect("a foreign file");
        let err = write(&dir, &files(&[("src/lib.rs", "c")])).expect_err("refused");
        assert!(err.to_string().contains("notes.txt"), "{err}");
        assert!(std::fs::read_to_string(dir.join("src/lib.rs"))
            .expect("kept")
            .ends_with("b\n"));
    }
}

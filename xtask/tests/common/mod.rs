//! Helpers shared by the command-line tests: the repository root, running `xtask regenerate`, and the
//! contents of a tree, to show it is untouched.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file under `dir` with its contents.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// Runs `xtask regenerate` with `args`, without a spec from the environment.
pub fn xtask_regenerate<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("regenerate")
        .args(args)
        .env_remove("TELNYX_OPENAPI_SPEC")
        .output()
        .expect("xtask runs")
}

/// `xtask regenerate --scope all --spec SPEC --out OUT`.
pub fn regenerate(spec: &Path, out: &Path) -> Output {
    xtask_regenerate([
        OsStr::new("--scope"),
        OsStr::new("all"),
        OsStr::new("--spec"),
        spec.as_os_str(),
        OsStr::new("--out"),
        out.as_os_str(),
    ])
}

/// An empty scratch directory for `name`, unique to this test process.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A scratch output tree with some content to protect.
pub fn existing_tree(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), "[package]\nname = \"kept\"\n").unwrap();
    std::fs::write(dir.join("src/lib.rs"), "// kept\n").unwrap();
    dir
}

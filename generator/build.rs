//! Embeds every file under `templates/` into the generator, so generation needs nothing but the spec
//! text. Which crate gets which file is declared in `src/templates.rs`, whose test fails on a file
//! embedded here that it does not declare.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn main() {
    // The manifest directory of this build, not the one the script was compiled in: a target
    // directory shared between checkouts reuses the compiled script.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = PathBuf::from(manifest).join("../templates");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("templates.rs");
    let mut f = fs::File::create(&out).expect("OUT_DIR is writable");
    writeln!(f, "&[").expect("write");
    for rel in &files {
        let abs = root.join(rel);
        writeln!(
            f,
            "    ({rel:?}, include_str!({:?})),",
            abs.display().to_string()
        )
        .expect("write");
    }
    writeln!(f, "]").expect("write");
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            // Editor and OS droppings are not templates.
            if !rel.ends_with('~')
                && !rel.ends_with(".orig")
                && !rel.contains("/.")
                && !rel.starts_with('.')
            {
                out.push(rel);
            }
        }
    }
}

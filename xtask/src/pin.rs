//! The pin of the upstream spec (`spec/source.toml`) and how the spec text is found: `--spec PATH`, then
//! `$TELNYX_OPENAPI_SPEC`, then the cache `spec/openapi.yml`, then a download of the pinned URL into the
//! cache. Whatever stands in for the pinned spec must have its sha256.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

pub const SPEC_ENV: &str = "TELNYX_OPENAPI_SPEC";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    pub repo: String,
    pub commit: String,
    pub path: String,
    pub url: String,
    pub sha256: String,
}

impl Pin {
    pub fn read(file: &Path) -> Result<Pin> {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        toml::from_str(&text).with_context(|| format!("parsing {}", file.display()))
    }
}

/// A spec's text and where it came from.
pub struct SpecText {
    pub text: String,
    pub origin: PathBuf,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The spec a command works on: `explicit` when given, else the pinned spec (from `$TELNYX_OPENAPI_SPEC`,
/// the cache or a download) of the project at `root`.
pub fn resolve(root: &Path, explicit: Option<&Path>) -> Result<SpecText> {
    match explicit {
        Some(path) => read_explicit(path),
        None => {
            let pin = Pin::read(&root.join("spec/source.toml"))?;
            resolve_pinned(&pin, &root.join("spec/openapi.yml"))
        }
    }
}

/// Reads a spec the user named explicitly (no hash check: it may be any spec).
pub fn read_explicit(path: &Path) -> Result<SpecText> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the spec {}", path.display()))?;
    Ok(SpecText {
        text,
        origin: path.to_owned(),
    })
}

/// Finds the pinned spec, checking its hash.
pub fn resolve_pinned(pin: &Pin, cache: &Path) -> Result<SpecText> {
    if let Some(path) = std::env::var_os(SPEC_ENV).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        let bytes = std::fs::read(&path)
            .with_context(|| format!("reading ${SPEC_ENV} = {}", path.display()))?;
        check_hash(pin, &path, &bytes)?;
        return into_text(bytes, path);
    }
    if cache.exists() {
        let bytes = std::fs::read(cache).with_context(|| format!("reading {}", cache.display()))?;
        check_hash(pin, cache, &bytes)?;
        return into_text(bytes, cache.to_owned());
    }
    let bytes = download(&pin.url).map_err(|e| {
        anyhow::anyhow!(
            "no spec available: {e:#}\nProvide it in one of three ways:\n  1. cargo xtask regenerate --spec PATH\n  2. export {SPEC_ENV}=PATH (a copy of {}/{} at commit {})\n  3. put that file at {} (or let xtask download {})",
            pin.repo,
            pin.path,
            pin.commit,
            cache.display(),
            pin.url
        )
    })?;
    check_hash(pin, Path::new(&pin.url), &bytes)?;
    write_atomically(cache, &bytes)?;
    into_text(bytes, cache.to_owned())
}

fn into_text(bytes: Vec<u8>, origin: PathBuf) -> Result<SpecText> {
    let text =
        String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", origin.display()))?;
    Ok(SpecText { text, origin })
}

pub fn check_hash(pin: &Pin, origin: &Path, bytes: &[u8]) -> Result<()> {
    let actual = sha256_hex(bytes);
    if !actual.eq_ignore_ascii_case(&pin.sha256) {
        bail!(
            "{} does not match the pinned spec ({} at {}):\n  expected sha256 {}\n  found    sha256 {}",
            origin.display(),
            pin.path,
            pin.commit,
            pin.sha256,
            actual
        );
    }
    Ok(())
}

pub fn download(url: &str) -> Result<Vec<u8>> {
    let mut response = ureq::get(url)
        .call()
        .with_context(|| format!("downloading {url}"))?;
    response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .with_context(|| format!("reading {url}"))
}

/// Writes a file through a temporary sibling and a rename, so readers never see half of it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a file in {}", dir.display()))?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

//! The `version` of a Cargo manifest's `[package]`, read and replaced in place: only that line changes,
//! so comments and layout of `templates/Cargo.toml` (and of the manifest generated from it) stay as they
//! are.

use anyhow::{anyhow, bail, Context, Result};

/// The package version of a manifest.
pub fn read(manifest: &str) -> Result<String> {
    let table: toml::Table = toml::from_str(manifest).context("parsing the manifest")?;
    table
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("the manifest has no [package] version"))
}

/// The manifest with its package version set to `version`.
pub fn replace(manifest: &str, version: &str) -> Result<String> {
    let mut in_package = false;
    let mut done = false;
    let mut out = String::with_capacity(manifest.len());
    for line in manifest.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_package = trimmed.trim_end() == "[package]";
        }
        let key = trimmed.split('=').next().map(str::trim);
        if in_package && !done && key == Some("version") {
            out.push_str(&with_value(line, version)?);
            done = true;
        } else {
            out.push_str(line);
        }
    }
    if !done {
        bail!("the manifest has no `version = ...` line under [package]");
    }
    if read(&out)? != version {
        bail!("setting the version to {version} did not take");
    }
    Ok(out)
}

/// `version = "0.1.0" # note` with the quoted value replaced, everything around it kept.
fn with_value(line: &str, version: &str) -> Result<String> {
    let eq = line.find('=').unwrap_or(0);
    let open = line[eq..].find('"').map(|i| eq + i);
    let close = open.and_then(|o| line[o + 1..].find('"').map(|i| o + 1 + i));
    match (open, close) {
        (Some(o), Some(c)) => Ok(format!("{}{version}{}", &line[..=o], &line[c..])),
        _ => bail!("cannot read the version line `{}`", line.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "# keep me\n[package]\nname = \"x\"\nversion = \"0.1.0\" # here\nedition = \"2021\"\n\n[dependencies]\nserde = { version = \"1\" }\nversion = \"9\"\n";

    #[test]
    fn only_the_package_version_line_changes() {
        assert_eq!(read(MANIFEST).unwrap(), "0.1.0");
        let bumped = replace(MANIFEST, "0.2.0").unwrap();
        assert_eq!(read(&bumped).unwrap(), "0.2.0");
        assert_eq!(
            bumped,
            MANIFEST.replace("\"0.1.0\" # here", "\"0.2.0\" # here")
        );
        assert_eq!(replace(&bumped, "0.1.0").unwrap(), MANIFEST);
    }

    #[test]
    fn a_manifest_without_a_package_version_is_an_error() {
        assert!(replace("[package]\nname = \"x\"\n", "1.0.0").is_err());
        assert!(replace("[dependencies]\nversion = \"1\"\n", "1.0.0").is_err());
    }
}

//! The `version` of a Cargo manifest's `[package]` (or the workspace's `[workspace.package]`, which
//! the runtime, the test kit and the generator share), read and replaced in place: only that line
//! changes, so the manifest's comments and layout stay as they are.

use anyhow::{anyhow, bail, Context, Result};

/// A package's own table.
#[cfg(test)]
pub const PACKAGE: &str = "package";
/// The workspace's shared package settings, where the release version lives.
pub const WORKSPACE: &str = "workspace.package";

/// The version in `table` of a manifest.
pub fn read_in(manifest: &str, table: &str) -> Result<String> {
    let root: toml::Table = toml::from_str(manifest).context("parsing the manifest")?;
    let mut at: Option<&toml::Value> = None;
    for key in table.split('.') {
        at = match at {
            None => root.get(key),
            Some(value) => value.get(key),
        };
    }
    at.and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("the manifest has no [{table}] version"))
}

/// The package version of a manifest.
#[cfg(test)]
pub fn read(manifest: &str) -> Result<String> {
    read_in(manifest, PACKAGE)
}

/// The manifest with its package version set to `version`.
#[cfg(test)]
pub fn replace(manifest: &str, version: &str) -> Result<String> {
    replace_in(manifest, PACKAGE, version)
}

/// The manifest with the version of `table` set to `version`.
pub fn replace_in(manifest: &str, table: &str, version: &str) -> Result<String> {
    let header = format!("[{table}]");
    let mut in_package = false;
    let mut done = false;
    let mut out = String::with_capacity(manifest.len());
    for line in manifest.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_package = trimmed.trim_end() == header;
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
        bail!("the manifest has no `version = ...` line under {header}");
    }
    if read_in(&out, table)? != version {
        bail!("setting the version to {version} did not take");
    }
    Ok(out)
}

/// The manifest with the exact requirement of `dependency` (`name = { version = "=0.1.0", ... }`)
/// set to `=version`: the one line that names it changes.
pub fn replace_exact_requirement(
    manifest: &str,
    dependency: &str,
    version: &str,
) -> Result<String> {
    let prefix = format!("{dependency} = {{ version = \"=");
    let mut found = false;
    let mut out = String::with_capacity(manifest.len());
    for line in manifest.split_inclusive('\n') {
        match line
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split_once('"'))
        {
            Some((_, rest)) => {
                out.push_str(&format!("{prefix}{version}\"{rest}"));
                found = true;
            }
            None => out.push_str(line),
        }
    }
    if !found {
        bail!("the manifest has no `{dependency} = {{ version = \"=...\" }}` line");
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
    fn the_workspace_version_is_read_and_replaced_in_its_table() {
        let manifest = "[workspace]\nmembers = []\n\n[workspace.package]\nversion = \"0.1.0\"\n\n[package]\nversion = \"9.9.9\"\n";
        assert_eq!(read_in(manifest, WORKSPACE).unwrap(), "0.1.0");
        let bumped = replace_in(manifest, WORKSPACE, "0.2.0").unwrap();
        assert_eq!(read_in(&bumped, WORKSPACE).unwrap(), "0.2.0");
        assert_eq!(read(&bumped).unwrap(), "9.9.9");
    }

    #[test]
    fn an_exact_requirement_moves_with_the_version() {
        let manifest = "[workspace.dependencies]\nrt = { version = \"=0.1.0\", path = \"runtime\" }\nother = \"1\"\n";
        assert_eq!(
            replace_exact_requirement(manifest, "rt", "0.2.0").unwrap(),
            manifest.replace("=0.1.0", "=0.2.0")
        );
        assert!(replace_exact_requirement(manifest, "missing", "0.2.0").is_err());
    }

    #[test]
    fn a_manifest_without_a_package_version_is_an_error() {
        assert!(replace("[package]\nname = \"x\"\n", "1.0.0").is_err());
        assert!(replace("[dependencies]\nversion = \"1\"\n", "1.0.0").is_err());
    }
}

//! Whether a generated crate builds, found out before it replaces anything: the crate is generated once
//! more into a scratch workspace, depending on the runtime and test kit as they are (only its
//! manifest's paths and versions differ), and `cargo check` runs there. A crate that does not build is refused with the compiler's first
//! error and the place in the spec of each type the error names.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use telnyx_codegen::Config;

/// The compiler's first error.
#[derive(Debug, Clone, PartialEq)]
pub struct CompilerError {
    /// As rustc prints it.
    pub rendered: String,
    /// The message and the labels of its spans: where the names of the types it is about are.
    pub text: String,
    /// The file (relative to the crate) and line the error points at.
    pub at: Option<(String, usize)>,
}

/// Runs `cargo check` in a workspace directory: `Ok(None)` when it builds. Tests stand in for it.
pub type Cargo<'a> = &'a dyn Fn(&Path) -> Result<Option<CompilerError>>;

/// How a crate is checked: against the runtime and test kit in `crates` (a checkout of this
/// workspace), with its lock file, by `cargo`.
pub struct Checker<'a> {
    pub crates: &'a Path,
    pub cargo: Cargo<'a>,
}

impl Checker<'_> {
    /// Generates the crate `config` describes into the workspace `scratch` (made, or replaced) and
    /// checks it; an error when it does not build, saying why and where in the spec.
    pub fn check(&self, scratch: &Path, spec_text: &str, config: &Config) -> Result<()> {
        let crate_dir = scratch.join("crate");
        let mut config = config.clone();
        // The runtime's version as it is: a version bump is written only once the crate is accepted.
        let manifest = std::fs::read_to_string(self.crates.join("Cargo.toml"))
            .with_context(|| format!("reading {}/Cargo.toml", self.crates.display()))?;
        config.emit.version =
            crate::manifest_version::read_in(&manifest, crate::manifest_version::WORKSPACE)?;
        config.emit.crates_dir = Some(
            self.crates
                .canonicalize()
                .with_context(|| format!("resolving {}", self.crates.display()))?
                .display()
                .to_string(),
        );
        let generated =
            telnyx_codegen::generate(spec_text, &config).map_err(|e| anyhow::anyhow!("{e}"))?;
        // The scratch crate is this generator's own output: replacing it is always allowed.
        crate::tree::write(&crate_dir, &generated.files)?;
        std::fs::write(
            scratch.join("Cargo.toml"),
            "[workspace]\nresolver = \"2\"\nmembers = [\"crate\"]\n",
        )?;
        std::fs::copy(self.crates.join("Cargo.lock"), scratch.join("Cargo.lock"))
            .with_context(|| format!("copying {}/Cargo.lock", self.crates.display()))?;
        let Some(error) = (self.cargo)(scratch)? else {
            return Ok(());
        };
        let places = &generated.summary.places;
        let mut involved: Vec<String> = involved_types(&error, &crate_dir, places)
            .into_iter()
            .map(|(name, place)| format!("  {name}: {place}"))
            .collect();
        if involved.is_empty() {
            involved.push("  (the error names no type of the spec)".to_owned());
        }
        bail!(
            "the new crate does not build (`cargo check` in {}):\n{}\ntypes involved, by their place in the spec:\n{}",
            scratch.display(),
            error.rendered.trim_end(),
            involved.join("\n")
        )
    }
}

/// The types an error is about: those its text names, then the one whose code it points into.
fn involved_types(
    error: &CompilerError,
    crate_dir: &Path,
    places: &BTreeMap<String, String>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |name: &str| {
        if let Some(place) = places.get(name) {
            if !out.iter().any(|(n, _)| n == name) {
                out.push((name.to_owned(), place.clone()));
            }
        }
    };
    for word in error
        .text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
    {
        add(word);
    }
    if let Some((file, line)) = &error.at {
        if let Ok(text) = std::fs::read_to_string(crate_dir.join(file)) {
            if let Some(name) = enclosing_type(&text, *line) {
                add(&name);
            }
        }
    }
    out
}

/// The type whose definition or impl holds line `line` (1-based) of a generated file: the nearest
/// `pub struct`, `pub enum`, `pub type` or `impl ... for` above it.
fn enclosing_type(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    lines.iter().rev().find_map(|l| {
        let l = l.trim_start();
        let rest = ["pub struct ", "pub enum ", "pub type "]
            .iter()
            .find_map(|p| l.strip_prefix(p))
            .or_else(|| l.strip_prefix("for "))
            .or_else(|| {
                let header = l.strip_prefix("impl")?;
                Some(match header.rsplit_once(" for ") {
                    Some((_, ty)) => ty,
                    // `impl Name {`, `impl<'a> Name<'a> {`
                    None if header.starts_with('<') => header.split_once("> ")?.1,
                    None => header.trim_start(),
                })
            })?;
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        (!name.is_empty()).then_some(name)
    })
}

/// `cargo check` of the workspace at `dir`, its artifacts in `target_dir` (shared with the other
/// standalone crates, so the dependencies are built once): the first error, if any.
pub fn cargo_check(dir: &Path, target_dir: &Path) -> Result<Option<CompilerError>> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--quiet", "--message-format", "json"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        // A check: nothing to debug (as the other standalone crates are built).
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env_remove("RUSTFLAGS")
        .output()
        .with_context(|| format!("running cargo check in {}", dir.display()))?;
    let first = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Message>(l).ok())
        .filter(|m| m.reason == "compiler-message")
        .filter_map(|m| m.message)
        .find(|d| d.level == "error");
    match (output.status.success(), first) {
        (true, _) => Ok(None),
        (false, Some(d)) => Ok(Some(d.into_error())),
        (false, None) => bail!(
            "cargo check failed in {} without a compiler error:\n{}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

/// The target directory of the scratch checks: the one the other standalone crates of `crates` share.
pub fn target_dir(crates: &Path) -> PathBuf {
    crates.join("target/standalone-crates")
}

/// Where a command checks its crate in the tree at `root`.
pub fn scratch(root: &Path, command: &str) -> PathBuf {
    root.join("target/compile-check").join(command)
}

/// One line of `cargo --message-format json`: only what is read here.
#[derive(Deserialize)]
struct Message {
    reason: String,
    message: Option<Diagnostic>,
}

#[derive(Deserialize)]
struct Diagnostic {
    level: String,
    message: String,
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: usize,
    is_primary: bool,
    label: Option<String>,
}

impl Diagnostic {
    /// The message and the labels of its spans (its notes list other types, such as every type that
    /// does implement a trait).
    fn text(&self) -> String {
        let mut out = self.message.clone();
        for label in self.spans.iter().filter_map(|s| s.label.as_ref()) {
            out.push('\n');
            out.push_str(label);
        }
        out
    }

    fn into_error(self) -> CompilerError {
        let text = self.text();
        // Paths are relative to the workspace: `crate/src/...`.
        let at = self.spans.iter().find(|s| s.is_primary).map(|s| {
            let file = s.file_name.strip_prefix("crate/").unwrap_or(&s.file_name);
            (file.to_owned(), s.line_start)
        });
        CompilerError {
            rendered: self.rendered.unwrap_or_else(|| self.message.clone()),
            text,
            at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_around_a_line_is_the_nearest_definition_or_impl_above_it() {
        let text = "pub struct A {\n    x: i64,\n}\nimpl ::serde::Serialize for B {\n    fn f() {}\n}\nimpl C {\n";
        assert_eq!(enclosing_type(text, 2).as_deref(), Some("A"));
        assert_eq!(enclosing_type(text, 5).as_deref(), Some("B"));
        assert_eq!(enclosing_type(text, 7).as_deref(), Some("C"));
        // prettyplease breaks long impl headers: `impl Trait\nfor Type {`.
        let broken = "impl ::telnyx::__private::WriteFields\nfor Long {\n    fn f() {}\n}\n";
        assert_eq!(enclosing_type(broken, 3).as_deref(), Some("Long"));
    }
}

//! The scope a command works on (`calls`, `all`, or a scope file), with the names chosen by hand in
//! `spec/overrides.toml`: shared by `regenerate`, `update-spec` and `api-diff`.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use telnyx_codegen::model::overrides::Overrides;
use telnyx_codegen::Scope;

/// The scope named on the command line, with the names chosen by hand in `spec/overrides.toml`.
pub fn load(arg: &str, root: &Path) -> Result<Scope> {
    let scope = match arg {
        "all" => Scope::all(),
        other => {
            let file = match other {
                "calls" => root.join("spec/scope.toml"),
                path => PathBuf::from(path),
            };
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading the scope {}", file.display()))?;
            Scope::from_toml(&text)?
        }
    };
    let overrides = root.join("spec/overrides.toml");
    if !overrides.exists() {
        return Ok(scope);
    }
    let text = std::fs::read_to_string(&overrides)
        .with_context(|| format!("reading {}", overrides.display()))?;
    Ok(scope.with_overrides(Overrides::from_toml(&text)?))
}

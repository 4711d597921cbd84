//! Which operations and webhooks go into a crate. Scope is data (`spec/scope.toml`), not code, so the
//! same generator makes the committed Call Control crate and the whole-API crate.
//!
//! ```toml
//! [operations]
//! include = ["POST /calls", "GET /calls/{call_control_id}", "* /calls/{call_control_id}/actions/*"]
//! [webhooks]
//! include = ["*"]
//! [features]
//! default = ["calls"]
//! ```
//! An operation pattern is `METHOD PATH` (`*` for any method); in the path, a `*` segment matches one
//! segment and a final `**` matches the rest. A webhook pattern is a key of the spec's `webhooks` or `*`.
//!
//! The crate has a Cargo feature per top-level service (`calls`, `conferences`); `[features] default`
//! lists the services its default build has. A scope file without it turns every service on by
//! default; the whole spec ([`Scope::all`]) turns none on, so each application picks its services.
//!
//! Every pattern of a scope file must select at least one operation or webhook of the spec
//! ([`Scope::check_selects`]): a scope written for another spec, or a typo, would otherwise generate a
//! crate without them and replace the committed one.

use super::overrides::Overrides;
use crate::error::{Error, Result};
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    operations: Vec<OperationPattern>,
    webhooks: Vec<String>,
    /// Whether every pattern must select something (scope files; not [`Scope::all`]).
    strict: bool,
    /// The top-level services the crate's default features turn on; `None`: every one.
    pub default_services: Option<Vec<String>>,
    /// Names chosen by hand for this crate.
    pub overrides: Overrides,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct OperationPattern {
    /// As written in the scope file.
    text: String,
    method: Option<String>,
    segments: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeFile {
    operations: Section,
    #[serde(default)]
    webhooks: Option<Section>,
    #[serde(default)]
    features: Option<FeaturesSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeaturesSection {
    default: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Section {
    include: Vec<String>,
}

impl Scope {
    /// Every operation and webhook of the spec.
    pub fn all() -> Self {
        Scope {
            operations: vec![OperationPattern {
                text: "* /**".into(),
                method: None,
                segments: vec!["**".into()],
            }],
            webhooks: vec!["*".into()],
            strict: false,
            default_services: Some(Vec::new()),
            overrides: Overrides::default(),
        }
    }

    /// This scope with names chosen by hand.
    pub fn with_overrides(mut self, overrides: Overrides) -> Self {
        self.overrides = overrides;
        self
    }

    /// Reads a scope file.
    pub fn from_toml(text: &str) -> Result<Self> {
        let file: ScopeFile =
            toml::from_str(text).map_err(|e| Error::Config(format!("scope file: {e}")))?;
        let operations = file
            .operations
            .include
            .iter()
            .map(|p| parse_pattern(p))
            .collect::<Result<Vec<_>>>()?;
        Ok(Scope {
            operations,
            webhooks: file.webhooks.map(|s| s.include).unwrap_or_default(),
            strict: true,
            default_services: file.features.map(|f| f.default),
            overrides: Overrides::default(),
        })
    }

    /// Whether `method path` (method in any case) is in scope.
    pub fn includes_operation(&self, method: &str, path: &str) -> bool {
        self.operations.iter().any(|p| p.matches(method, path))
    }

    /// Whether the webhook `key` is in scope.
    pub fn includes_webhook(&self, key: &str) -> bool {
        self.webhooks.iter().any(|w| webhook_matches(w, key))
    }

    /// Fails, naming the first pattern, when a pattern of a scope file selects none of the operations
    /// (`(method, path)`) or webhook keys given, which are those the spec has in scope.
    pub fn check_selects<'k>(
        &self,
        operations: &[(&str, &str)],
        webhooks: impl IntoIterator<Item = &'k str> + Clone,
    ) -> Result<()> {
        if !self.strict {
            return Ok(());
        }
        for p in &self.operations {
            if !operations.iter().any(|(m, path)| p.matches(m, path)) {
                return Err(Error::Config(format!(
                    "scope pattern `{}` selects no operation of the spec (a scope for another spec?)",
                    p.text
                )));
            }
        }
        for w in &self.webhooks {
            if !webhooks.clone().into_iter().any(|k| webhook_matches(w, k)) {
                return Err(Error::Config(format!(
                    "scope pattern `{w}` selects no webhook of the spec (a scope for another spec?)"
                )));
            }
        }
        Ok(())
    }

    /// Fails, naming it, when a default service is not among `services`, the crate's top-level
    /// services.
    pub fn check_default_services(&self, services: &[&str]) -> Result<()> {
        for default in self.default_services.iter().flatten() {
            if !services.contains(&default.as_str()) {
                return Err(Error::Config(format!(
                    "scope: the default feature `{default}` is not a top-level service of the crate \
                     (it has {})",
                    services.join(", ")
                )));
            }
        }
        Ok(())
    }
}

impl OperationPattern {
    fn matches(&self, method: &str, path: &str) -> bool {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && matches_segments(&self.segments, &segments)
    }
}

fn webhook_matches(pattern: &str, key: &str) -> bool {
    pattern == "*" || pattern == key
}

fn parse_pattern(p: &str) -> Result<OperationPattern> {
    let (method, path) = match p.trim().split_once(' ') {
        Some((m, path)) => (Some(m.trim()), path.trim()),
        None => (None, p.trim()),
    };
    if !path.starts_with('/') {
        return Err(Error::Config(format!(
            "scope pattern `{p}`: the path must start with `/`"
        )));
    }
    Ok(OperationPattern {
        text: p.trim().to_owned(),
        method: method.filter(|m| *m != "*").map(str::to_ascii_uppercase),
        segments: path
            .trim_start_matches('/')
            .split('/')
            .map(str::to_owned)
            .collect(),
    })
}

fn matches_segments(pattern: &[String], path: &[&str]) -> bool {
    match (pattern.first(), path.first()) {
        (Some(p), _) if p == "**" => true,
        (None, None) => true,
        (Some(p), Some(s)) => (p == "*" || p == s) && matches_segments(&pattern[1..], &path[1..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALLS: &str = r#"
[operations]
include = ["POST /calls", "GET /calls/{call_control_id}", "* /calls/{call_control_id}/actions/*"]
[webhooks]
include = ["*"]
"#;

    #[test]
    fn call_scope_patterns_select_exactly_the_call_operations() {
        let s = Scope::from_toml(CALLS).unwrap();
        assert!(s.includes_operation("post", "/calls"));
        assert!(!s.includes_operation("get", "/calls"));
        assert!(s.includes_operation("get", "/calls/{call_control_id}"));
        assert!(s.includes_operation(
            "put",
            "/calls/{call_control_id}/actions/client_state_update"
        ));
        assert!(!s.includes_operation("post", "/calls/{call_control_id}/actions/a/b"));
        assert!(!s.includes_operation("post", "/calls/{call_control_id}/actions"));
        assert!(!s.includes_operation("get", "/messages"));
        assert!(s.includes_webhook("callGatherEnded"));
    }

    #[test]
    fn all_includes_everything_and_bad_files_are_errors() {
        assert!(Scope::all().includes_operation("delete", "/a/{b}/c"));
        assert!(Scope::from_toml("[operations]\ninclude = [\"calls\"]").is_err());
        assert!(Scope::from_toml("[operation]\ninclude = []").is_err());
        let none = Scope::from_toml("[operations]\ninclude = []").unwrap();
        assert!(!none.includes_webhook("x"));
    }

    #[test]
    fn a_pattern_that_selects_nothing_is_named() {
        let s = Scope::from_toml(CALLS).unwrap();
        let calls = [
            ("POST", "/calls"),
            ("GET", "/calls/{call_control_id}"),
            ("POST", "/calls/{call_control_id}/actions/answer"),
        ];
        assert!(s.check_selects(&calls, ["callAnswered"]).is_ok());
        let err = s
            .check_selects(&calls[..2], ["callAnswered"])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`* /calls/{call_control_id}/actions/*` selects no operation"),
            "{err}"
        );
        let err = s.check_selects(&calls, []).unwrap_err().to_string();
        assert!(err.contains("`*` selects no webhook"), "{err}");
        // The whole spec is whatever the spec holds, even nothing.
        assert!(Scope::all().check_selects(&[], []).is_ok());
    }

    #[test]
    fn default_services_are_read_and_checked() {
        assert_eq!(Scope::from_toml(CALLS).unwrap().default_services, None);
        assert_eq!(Scope::all().default_services, Some(Vec::new()));
        let s = Scope::from_toml(&format!("{CALLS}[features]\ndefault = [\"calls\"]\n")).unwrap();
        assert_eq!(s.default_services, Some(vec!["calls".to_owned()]));
        assert!(s.check_default_services(&["calls", "queues"]).is_ok());
        let err = s
            .check_default_services(&["queues"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("`calls` is not a top-level service"), "{err}");
        assert!(Scope::from_toml(&format!("{CALLS}[features]\nother = 1\n")).is_err());
    }
}

//! Names chosen by hand (`spec/overrides.toml`), for when the rules give a name nobody wants:
//!
//! ```toml
//! [types]
//! country_code = "CountryCodeDetails"                 # a component, by its spec name
//! "#/components/schemas/A/properties/b" = "BValue"    # an inline schema, by its JSON pointer
//! [methods]
//! "GET /v2/whatsapp/phone_numbers" = "list_whatsapp_phone_numbers"
//! [shared]
//! "#/paths/~1calls~1{call_control_id}~1actions~1speak/post/responses/200/content/application~1json/schema" = "CallCommandResponse"
//! ```
//! `[shared]` names the one definition that places of the same shape share, by any place's pointer.
//! An override wins over every rule; two overrides giving the same name are an error.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Spec name (components) or JSON pointer (inline schemas) → Rust type name.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// `METHOD /path` → Rust method name.
    #[serde(default)]
    pub methods: BTreeMap<String, String>,
    /// The JSON pointer of any place of a shared shape → the shared definition's name.
    #[serde(default)]
    pub shared: BTreeMap<String, String>,
}

impl Overrides {
    pub fn from_toml(text: &str) -> Result<Self> {
        let overrides: Overrides =
            toml::from_str(text).map_err(|e| Error::Config(format!("overrides file: {e}")))?;
        for (key, name) in overrides.types.iter().chain(&overrides.shared) {
            if !is_identifier(name) || !name.starts_with(|c: char| c.is_ascii_uppercase()) {
                return Err(Error::Config(format!(
                    "overrides file: type name `{name}` for `{key}` is not an UpperCamelCase identifier"
                )));
            }
        }
        for (key, name) in &overrides.methods {
            if !is_identifier(name) || name.starts_with(|c: char| c.is_ascii_uppercase()) {
                return Err(Error::Config(format!(
                    "overrides file: method name `{name}` for `{key}` is not a snake_case identifier"
                )));
            }
        }
        Ok(overrides)
    }

    /// The method name for `method path`, a word (made an identifier by [`crate::naming::ident`]).
    pub fn method(&self, method: &str, path: &str) -> Option<String> {
        self.methods
            .get(&format!("{} {path}", method.to_ascii_uppercase()))
            .cloned()
    }
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_types_and_methods_and_rejects_bad_names() {
        let o = Overrides::from_toml(
            "[types]\ncountry_code = \"CountryCodeDetails\"\n[methods]\n\"GET /v2/x\" = \"list_x\"\n",
        )
        .unwrap();
        assert_eq!(o.types["country_code"], "CountryCodeDetails");
        assert_eq!(o.method("get", "/v2/x").as_deref(), Some("list_x"));
        assert!(Overrides::from_toml("[types]\na = \"lower\"").is_err());
        assert!(Overrides::from_toml("[methods]\n\"GET /a\" = \"Upper\"").is_err());
        assert!(Overrides::from_toml("[types]\na = \"Has Space\"").is_err());
        assert!(Overrides::from_toml("[other]\n").is_err());
    }
}

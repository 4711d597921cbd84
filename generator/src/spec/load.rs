//! Reads spec text (YAML or JSON) into a JSON value tree. Both syntaxes become the same tree so everything
//! after this step sees one representation.

use crate::error::{Error, Result};
use serde_json::Value;

/// Parses `text` as JSON when it starts with `{`, otherwise as YAML (YAML is a superset, but the JSON
/// parser is faster and gives better positions for JSON files).
pub fn load(text: &str) -> Result<Value> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err(Error::Empty);
    }
    let value = if trimmed.starts_with('{') {
        serde_json::from_str::<Value>(trimmed).map_err(|e| Error::Json {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })?
    } else if let Some(value) = super::split::parse_parallel(trimmed) {
        value
    } else {
        serde_yaml::from_str::<Value>(trimmed).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((0, 0));
            Error::Yaml {
                line,
                column,
                message: strip_position(&e.to_string()),
            }
        })?
    };
    if value.is_null() {
        return Err(Error::Empty);
    }
    Ok(value)
}

/// serde's messages end in " at line X column Y"; the error carries those separately.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_give_the_same_tree() {
        let yaml = "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n";
        let json = r#"{"openapi":"3.1.0","paths":{"/a":{"get":{"responses":{"200":{"description":"ok"}}}}}}"#;
        assert_eq!(load(yaml).unwrap(), load(json).unwrap());
    }

    #[test]
    fn unquoted_status_codes_become_string_keys() {
        let v = load("responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(v["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        match load("openapi: 3.1.0\npaths: [unclosed\n") {
            Err(Error::Yaml { line, .. }) => assert!(line >= 2, "line {line}"),
            other => panic!("expected a YAML error, got {other:?}"),
        }
        match load("{\"openapi\": \"3.1.0\",\n \"paths\": }") {
            Err(Error::Json { line, column, .. }) => assert_eq!((line, column), (2, 11)),
            other => panic!("expected a JSON error, got {other:?}"),
        }
    }

    #[test]
    fn empty_input_is_its_own_error() {
        assert!(matches!(load(""), Err(Error::Empty)));
        assert!(matches!(load("  \n# only a comment\n"), Err(Error::Empty)));
    }
}

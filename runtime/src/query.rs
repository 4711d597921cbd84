//! Query parameters from typed values, following OpenAPI's styles: `form` (arrays repeated or
//! comma-joined) and `deepObject` (`filter[status]=active`, nested as `filter[a][b]=x`).

use serde_json::Value;

/// How a query parameter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `name=value`; arrays and objects repeat the name (`explode`) or join values with commas.
    Form {
        /// Whether arrays and objects repeat the name (`a=1&a=2`) instead of joining with commas.
        explode: bool,
    },
    /// `name[key]=value` for each property of an object.
    DeepObject,
}

/// The `(name, value)` pairs of one parameter; `null` (an unset optional) writes nothing.
pub fn pairs(name: &str, value: &Value, style: QueryStyle) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match style {
        QueryStyle::DeepObject => deep(name, value, &mut out),
        QueryStyle::Form { explode } => form(name, value, explode, &mut out),
    }
    out
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(number(n)),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// A number as query text: a whole `f64` (a `number` field holding `3.0`) is written `3`, as a
/// person writes it and as the spec's examples spell it; other numbers as JSON writes them.
fn number(n: &serde_json::Number) -> String {
    /// Integers up to 2^53 are exact in an `f64`.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match n.as_f64() {
        Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() <= EXACT => format!("{}", f as i64),
        _ => n.to_string(),
    }
}

fn form(name: &str, value: &Value, explode: bool, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Array(items) if explode => {
            out.extend(
                items
                    .iter()
                    .filter_map(scalar)
                    .map(|v| (name.to_owned(), v)),
            );
        }
        Value::Array(items) => {
            let joined: Vec<String> = items.iter().filter_map(scalar).collect();
            out.push((name.to_owned(), joined.join(",")));
        }
        Value::Object(map) if explode => {
            for (key, v) in map {
                form(key, v, true, out);
            }
        }
        Value::Object(map) => {
            let joined: Vec<String> = map
                .iter()
                .filter_map(|(k, v)| scalar(v).map(|v| format!("{k},{v}")))
                .collect();
            out.push((name.to_owned(), joined.join(",")));
        }
        other => out.extend(scalar(other).map(|v| (name.to_owned(), v))),
    }
}

fn deep(name: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (key, v) in map {
                deep(&format!("{name}[{key}]"), v, out);
            }
        }
        Value::Array(items) => {
            out.extend(
                items
                    .iter()
                    .filter_map(scalar)
                    .map(|v| (name.to_owned(), v)),
            );
        }
        other => out.extend(scalar(other).map(|v| (name.to_owned(), v))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whole_floats_are_written_as_integers() {
        let form = QueryStyle::Form { explode: true };
        assert_eq!(
            pairs_of("n", json!([1234567890123.0, 1.5, 7, -2.0]), form),
            p(&[
                ("n", "1234567890123"),
                ("n", "1.5"),
                ("n", "7"),
                ("n", "-2")
            ])
        );
        assert_eq!(pairs_of("big", json!(1e300), form), p(&[("big", "1e+300")]));
    }

    fn pairs_of(name: &str, value: Value, style: QueryStyle) -> Vec<(String, String)> {
        pairs(name, &value, style)
    }

    fn p(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn deep_objects_nest_brackets() {
        let value = json!({"status": "active", "date": {"gte": "2024-01-01"}, "tags": ["a", "b"]});
        // Key order follows serde_json's map, which may or may not keep insertion order.
        let mut got = pairs_of("filter", value, QueryStyle::DeepObject);
        got.sort();
        assert_eq!(
            got,
            p(&[
                ("filter[date][gte]", "2024-01-01"),
                ("filter[status]", "active"),
                ("filter[tags]", "a"),
                ("filter[tags]", "b"),
            ])
        );
    }

    #[test]
    fn form_arrays_repeat_or_join() {
        let explode = QueryStyle::Form { explode: true };
        let joined = QueryStyle::Form { explode: false };
        assert_eq!(
            pairs_of("id", json!([1, 2]), explode),
            p(&[("id", "1"), ("id", "2")])
        );
        assert_eq!(pairs_of("id", json!([1, 2]), joined), p(&[("id", "1,2")]));
        assert_eq!(
            pairs_of("page[size]", json!(20), explode),
            p(&[("page[size]", "20")])
        );
        assert_eq!(
            pairs_of("flag", json!(true), explode),
            p(&[("flag", "true")])
        );
        assert!(pairs_of("x", Value::Null, explode).is_empty());
    }

    #[test]
    fn exploded_form_objects_become_one_parameter_per_property() {
        let value = json!({"number": 2, "size": 10});
        assert_eq!(
            pairs_of("page", value, QueryStyle::Form { explode: true }),
            p(&[("number", "2"), ("size", "10")])
        );
    }
}

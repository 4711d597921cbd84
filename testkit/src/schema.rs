//! Request bodies checked the way the API checks them, against the spec's schemas (the tables of
//! [`Operation::schemas`](crate::contract::Operation::schemas)). The crate's own types are lenient on purpose (open enums, `null` read as
//! absent); the fake is not: a value the spec does not allow is reported with a JSON pointer to it.

use serde_json::{Map, Value};

use crate::contract::{Def, Field, Shape};

/// One thing wrong with a body: where (a JSON pointer, RFC 6901) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub pointer: String,
    pub detail: String,
}

/// Deep enough for every schema of the spec; deeper input is refused rather than followed.
const MAX_DEPTH: usize = 64;

/// Every problem of `value` against `shape`, in document order.
pub(crate) fn check(defs: &[Def], shape: &Shape, value: &Value) -> Vec<Problem> {
    let mut checker = Checker {
        defs,
        problems: Vec::new(),
    };
    checker.shape(shape, value, &mut String::new(), 0);
    checker.problems
}

struct Checker<'d> {
    defs: &'d [Def],
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn problem(&mut self, pointer: &str, detail: impl Into<String>) {
        self.problems.push(Problem {
            pointer: pointer.to_owned(),
            detail: detail.into(),
        });
    }

    fn shape(&mut self, shape: &Shape, value: &Value, at: &mut String, depth: usize) {
        if depth > MAX_DEPTH {
            self.problem(at, "is nested too deeply");
            return;
        }
        match (shape, value) {
            (Shape::Nullable(_), Value::Null) | (Shape::Any, _) => {}
            (Shape::Nullable(inner), _) => self.shape(inner, value, at, depth + 1),
            (_, Value::Null) => self.problem(at, format!("must be {}, not null", expected(shape))),
            (Shape::String, Value::String(_))
            | (Shape::Number, Value::Number(_))
            | (Shape::Boolean, Value::Bool(_))
            | (Shape::Object, Value::Object(_)) => {}
            (Shape::Integer { bits32 }, Value::Number(n)) => match n.as_i64() {
                Some(i) if !bits32 || i32::try_from(i).is_ok() => {}
                Some(_) => self.problem(at, "must be an integer that fits in 32 bits"),
                None if n.is_u64() && !bits32 => self.problem(at, "is too large"),
                None => self.problem(at, "must be an integer"),
            },
            (Shape::Array(item), Value::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    let len = at.len();
                    at.push_str(&format!("/{i}"));
                    self.shape(item, v, at, depth + 1);
                    at.truncate(len);
                }
            }
            (Shape::Map(item), Value::Object(map)) => {
                for (k, v) in map {
                    let len = at.len();
                    push_key(at, k);
                    self.shape(item, v, at, depth + 1);
                    at.truncate(len);
                }
            }
            (Shape::Def(index), _) => match self.defs.get(*index).copied() {
                Some(def) => self.def(&def, value, at, depth + 1),
                None => self.problem(at, "has no schema"),
            },
            _ => self.problem(at, format!("must be {}", expected(shape))),
        }
    }

    fn def(&mut self, def: &Def, value: &Value, at: &mut String, depth: usize) {
        match def {
            Def::Struct { fields, additional } => match value {
                Value::Object(map) => self.object(fields, additional.as_ref(), map, at, depth),
                _ => self.problem(at, "must be an object"),
            },
            Def::Strings(allowed) => match value.as_str() {
                Some(s) if allowed.contains(&s) => {}
                Some(_) => self.problem(at, format!("must be one of {}", list(allowed))),
                None => self.problem(at, "must be a string"),
            },
            Def::Integers(allowed) => match value.as_i64() {
                Some(i) if allowed.contains(&i) => {}
                _ => {
                    let texts: Vec<String> = allowed.iter().map(i64::to_string).collect();
                    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                    self.problem(at, format!("must be one of {}", list(&texts)));
                }
            },
            Def::Tagged { tag, variants } => {
                let Value::Object(map) = value else {
                    self.problem(at, "must be an object");
                    return;
                };
                let len = at.len();
                push_key(at, tag);
                let Some(Value::String(selected)) = map.get(*tag) else {
                    let detail = if map.contains_key(*tag) {
                        "must be a string"
                    } else {
                        "is required"
                    };
                    self.problem(at, detail);
                    at.truncate(len);
                    return;
                };
                let variant = variants
                    .iter()
                    .find(|(tags, _)| tags.contains(&selected.as_str()));
                let Some((_, schema)) = variant else {
                    let all: Vec<&str> = variants
                        .iter()
                        .flat_map(|(t, _)| t.iter().copied())
                        .collect();
                    self.problem(at, format!("must be one of {}", list(&all)));
                    at.truncate(len);
                    return;
                };
                at.truncate(len);
                if let Some(index) = schema {
                    // The variant's schema does not list the tag: check the rest.
                    let mut rest = map.clone();
                    rest.remove(*tag);
                    self.shape(&Shape::Def(*index), &Value::Object(rest), at, depth);
                }
            }
            Def::Untagged(shapes) => {
                let fits = |shape: &Shape| check_at(self.defs, shape, value, at, depth).is_empty();
                if shapes.iter().any(fits) {
                    return;
                }
                // One candidate of the value's kind: its problems say more than "no shape fits".
                let same_kind: Vec<&Shape> = shapes
                    .iter()
                    .filter(|s| kind_fits(self.defs, s, value))
                    .collect();
                match same_kind.as_slice() {
                    [only] => {
                        let problems = check_at(self.defs, only, value, at, depth);
                        self.problems.extend(problems);
                    }
                    _ => {
                        let all: Vec<String> = shapes.iter().map(expected).collect();
                        self.problem(at, format!("must be one of: {}", all.join(", ")));
                    }
                }
            }
            Def::Alias(shape) => self.shape(shape, value, at, depth),
        }
    }

    fn object(
        &mut self,
        fields: &[Field],
        additional: Option<&Shape>,
        map: &Map<String, Value>,
        at: &mut String,
        depth: usize,
    ) {
        for field in fields {
            let len = at.len();
            push_key(at, field.name);
            match map.get(field.name) {
                None if field.required => self.problem(at, "is required"),
                None => {}
                Some(Value::Null) if field.nullable => {}
                Some(v) => self.shape(&field.shape, v, at, depth),
            }
            at.truncate(len);
        }
        if let Some(extra) = additional {
            for (k, v) in map {
                if fields.iter().any(|f| f.name == k) {
                    continue;
                }
                let len = at.len();
                push_key(at, k);
                self.shape(extra, v, at, depth);
                at.truncate(len);
            }
        }
    }
}

/// The problems of `value` against `shape` where it sits at `at`.
fn check_at(defs: &[Def], shape: &Shape, value: &Value, at: &str, depth: usize) -> Vec<Problem> {
    let mut checker = Checker {
        defs,
        problems: Vec::new(),
    };
    checker.shape(shape, value, &mut at.to_owned(), depth);
    checker.problems
}

/// Whether a value is of the JSON kind a shape takes (object, array, string …), fitting or not.
fn kind_fits(defs: &[Def], shape: &Shape, value: &Value) -> bool {
    match (shape, value) {
        (Shape::Nullable(inner), _) => kind_fits(defs, inner, value),
        (Shape::Any, _) => true,
        (Shape::String, Value::String(_))
        | (Shape::Integer { .. } | Shape::Number, Value::Number(_))
        | (Shape::Boolean, Value::Bool(_))
        | (Shape::Object | Shape::Map(_), Value::Object(_))
        | (Shape::Array(_), Value::Array(_)) => true,
        (Shape::Def(i), _) => match defs.get(*i) {
            Some(Def::Struct { .. } | Def::Tagged { .. }) => value.is_object(),
            Some(Def::Strings(_)) => value.is_string(),
            Some(Def::Integers(_)) => value.is_i64(),
            Some(Def::Untagged(shapes)) => shapes.iter().any(|s| kind_fits(defs, s, value)),
            Some(Def::Alias(inner)) => kind_fits(defs, inner, value),
            None => false,
        },
        _ => false,
    }
}

fn expected(shape: &Shape) -> String {
    match shape {
        Shape::String => "a string".into(),
        Shape::Integer { .. } => "an integer".into(),
        Shape::Number => "a number".into(),
        Shape::Boolean => "a boolean".into(),
        Shape::Any => "any value".into(),
        Shape::Object | Shape::Map(_) => "an object".into(),
        Shape::Def(_) => "a value of its schema".into(),
        Shape::Array(_) => "an array".into(),
        Shape::Nullable(inner) => format!("{} or null", expected(inner)),
    }
}

/// `"a", "b", "c"`, or the first ten and how many more.
fn list(values: &[&str]) -> String {
    let shown: Vec<String> = values.iter().take(10).map(|v| format!("{v:?}")).collect();
    match values.len().saturating_sub(10) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// Appends `/key`, escaped as RFC 6901 says (`~` → `~0`, `/` → `~1`).
pub(crate) fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static DEFS: &[Def] = &[
        Def::Struct {
            fields: &[
                Field {
                    name: "payload",
                    shape: Shape::String,
                    required: true,
                    nullable: false,
                },
                Field {
                    name: "voice",
                    shape: Shape::Def(1),
                    required: false,
                    nullable: false,
                },
                Field {
                    name: "tries",
                    shape: Shape::Integer { bits32: true },
                    required: false,
                    nullable: true,
                },
                Field {
                    name: "a/b",
                    shape: Shape::Array(&Shape::Def(2)),
                    required: false,
                    nullable: false,
                },
                Field {
                    name: "u",
                    shape: Shape::Def(4),
                    required: false,
                    nullable: false,
                },
            ],
            additional: None,
        },
        Def::Strings(&["male", "female"]),
        Def::Tagged {
            tag: "type",
            variants: &[(&["x"], Some(3)), (&["unit"], None)],
        },
        Def::Struct {
            fields: &[Field {
                name: "n",
                shape: Shape::Number,
                required: true,
                nullable: false,
            }],
            additional: None,
        },
        Def::Untagged(&[Shape::String, Shape::Def(3)]),
    ];

    fn problems(value: Value) -> Vec<(String, String)> {
        check(DEFS, &Shape::Def(0), &value)
            .into_iter()
            .map(|p| (p.pointer, p.detail))
            .collect()
    }

    #[test]
    fn a_valid_body_has_no_problems() {
        let body = json!({"payload": "hi", "voice": "male", "tries": null, "a/b": [{"type": "x", "n": 1.5}, {"type": "unit"}], "extra": 1});
        assert_eq!(problems(body), []);
    }

    #[test]
    fn each_problem_names_its_field() {
        let body = json!({"voice": "robot", "tries": 5_000_000_000i64, "a/b": [{"type": "y"}, {"type": "x", "n": "1"}, {"n": 1}]});
        assert_eq!(
            problems(body),
            [
                ("/payload".into(), "is required".into()),
                (
                    "/voice".into(),
                    "must be one of \"male\", \"female\"".into()
                ),
                (
                    "/tries".into(),
                    "must be an integer that fits in 32 bits".into()
                ),
                (
                    "/a~1b/0/type".into(),
                    "must be one of \"x\", \"unit\"".into()
                ),
                ("/a~1b/1/n".into(), "must be a number".into()),
                ("/a~1b/2/type".into(), "is required".into()),
            ]
        );
    }

    #[test]
    fn a_union_takes_any_of_its_shapes_and_explains_the_closest() {
        assert_eq!(problems(json!({"payload": "p", "u": "text"})), []);
        assert_eq!(problems(json!({"payload": "p", "u": {"n": 2}})), []);
        assert_eq!(
            problems(json!({"payload": "p", "u": {"n": "2"}})),
            [("/u/n".into(), "must be a number".into())]
        );
        assert_eq!(
            problems(json!({"payload": "p", "u": 5})),
            [(
                "/u".into(),
                "must be one of: a string, a value of its schema".into()
            )]
        );
    }

    #[test]
    fn wrong_kinds_and_nulls_are_problems() {
        assert_eq!(
            problems(json!([])),
            [(String::new(), "must be an object".into())]
        );
        assert_eq!(
            problems(json!({"payload": null})),
            [("/payload".into(), "must be a string, not null".into())]
        );
    }

    #[test]
    fn nesting_without_end_is_refused_not_followed() {
        static DEEP: &[Def] = &[Def::Alias(Shape::Array(&Shape::Def(0)))];
        let mut value = json!([]);
        for _ in 0..200 {
            value = json!([value]);
        }
        let found = check(DEEP, &Shape::Def(0), &value);
        assert!(
            found.iter().any(|p| p.detail == "is nested too deeply"),
            "{found:?}"
        );
    }
}

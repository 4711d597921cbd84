//! The request fields the call simulator reads, checked against the spec: each behaviour declares
//! the fields it reads (`telnyx-call-control-contract`, [`Behaviour::reads`]), and each must be in
//! the request schema of the operations that get the behaviour, with the kind of value the
//! simulator expects. A field a spec update removes, renames or retypes is a diagnostic
//! (`simulator-field`), never a silent change of what the simulation does.

use super::simulation::behaviour;
use crate::diagnostic::{Class, Diagnostics};
use crate::model::operations::Operation;
use crate::model::types::{TypeKind, TypeRef, TypeSpace};
use crate::model::Model;
use crate::pointer::Pointer;
use telnyx_call_control_contract::{Field, Kind};

/// What is wrong with a field the simulator reads.
enum Problem {
    Missing,
    Mistyped,
    NoBody,
}

/// The diagnostics of every operation whose request lacks a field its behaviour reads (or types a
/// field the simulator reads otherwise).
pub fn check(model: &Model) -> Diagnostics {
    let mut found = Diagnostics::default();
    for op in &model.operations {
        let behaviour = behaviour(op);
        let body = op.json_body();
        let missing =
            |field: &Field| body.is_some_and(|ty| reach(&model.types, ty, field.path()).is_none());
        for field in Field::ALL {
            let needed = behaviour.reads().contains(field);
            if !needed && !field.is_conventional() {
                continue;
            }
            // A field inside one that is missing too is said with it.
            let within_missing = behaviour.reads().iter().any(|outer| {
                field.path().len() > outer.path().len()
                    && field.path().starts_with(outer.path())
                    && missing(outer)
            });
            if within_missing {
                continue;
            }
            let problem = match body.map(|ty| reach(&model.types, ty, field.path())) {
                Some(Some(ty)) if fits(&model.types, ty, field.kind()) => continue,
                Some(Some(_)) => Problem::Mistyped,
                _ if !needed => continue,
                Some(None) => Problem::Missing,
                None => Problem::NoBody,
            };
            let place = format!("{} {}", op.method, op.path);
            let reads = format!(
                "the call simulator's `{}` reads `{}`",
                behaviour.name(),
                field.dotted()
            );
            let message = match problem {
                Problem::Missing => {
                    format!("{reads}, but the request schema of {place} does not have it")
                }
                Problem::Mistyped => format!(
                    "{reads} as {}, but the request schema of {place} types it otherwise",
                    field.kind().describe()
                ),
                Problem::NoBody => format!("{reads}, but {place} has no JSON request body"),
            };
            found.warn(
                Class::SimulatorField,
                &place_of(op),
                message,
                "the simulation goes without it, as if it were never sent",
            );
        }
    }
    found
}

/// Where a diagnostic about an operation's request points: its body's schema.
fn place_of(op: &Operation) -> Pointer {
    op.body
        .as_ref()
        .and_then(|b| b.schema.clone())
        .unwrap_or_else(|| op.pointer.push("requestBody"))
}

/// The type at `path` (property names, `*` for a map's values) from `ty`, if there is one.
fn reach<'s>(space: &'s TypeSpace, ty: &'s TypeRef, path: &[&str]) -> Option<&'s TypeRef> {
    let Some((key, rest)) = path.split_first() else {
        return Some(ty);
    };
    let next = match (plain(space, ty), *key) {
        (TypeRef::Map(values), "*") => values.as_ref(),
        (TypeRef::Named(id), key) => match &space.get(*id).kind {
            TypeKind::Struct(s) if key == "*" => s.additional.as_ref()?,
            TypeKind::Struct(s) => &s.fields.iter().find(|f| f.json_name == key)?.ty,
            _ => return None,
        },
        _ => return None,
    };
    reach(space, next, rest)
}

/// `ty` without `null` and aliases.
fn plain<'s>(space: &'s TypeSpace, ty: &'s TypeRef) -> &'s TypeRef {
    match ty {
        TypeRef::Nullable(inner) => plain(space, inner),
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Alias(inner) => plain(space, inner),
            _ => ty,
        },
        _ => ty,
    }
}

/// Whether a value of type `ty` is what the simulator reads as `kind`.
fn fits(space: &TypeSpace, ty: &TypeRef, kind: Kind) -> bool {
    let ty = plain(space, ty);
    let named = match ty {
        TypeRef::Named(id) => Some(&space.get(*id).kind),
        _ => None,
    };
    let text = matches!(ty, TypeRef::String) || matches!(named, Some(TypeKind::StringEnum(_)));
    let count =
        matches!(ty, TypeRef::Integer { .. }) || matches!(named, Some(TypeKind::IntEnum(_)));
    let array_of = |kind| matches!(ty, TypeRef::Array(item) if fits(space, item, kind));
    // A union fits when each of its variants is one of `kinds`.
    let variants_fit = |kinds: &[Kind]| match named {
        Some(TypeKind::Untagged(variants)) => variants
            .iter()
            .all(|v| kinds.iter().any(|k| fits(space, &v.ty, *k))),
        _ => false,
    };
    match kind {
        Kind::Text => text,
        Kind::Flag => matches!(ty, TypeRef::Boolean),
        Kind::Count => count,
        Kind::CountOrText => count || text || variants_fit(&[Kind::Count, Kind::Text]),
        Kind::Texts => array_of(Kind::Text),
        Kind::Counts => array_of(Kind::Count),
        Kind::TextOrTexts => {
            text || array_of(Kind::Text) || variants_fit(&[Kind::Text, Kind::Texts])
        }
        Kind::Map => {
            matches!(ty, TypeRef::Map(_) | TypeRef::JsonObject)
                || matches!(named, Some(TypeKind::Struct(s)) if s.additional.is_some())
        }
        Kind::Object => {
            matches!(ty, TypeRef::JsonObject) || matches!(named, Some(TypeKind::Struct(_)))
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Scope;

    /// The pinned spec has every field the simulator reads, of the kind it reads: the committed
    /// crate's simulator misses nothing.
    #[test]
    fn the_pinned_spec_has_every_field_the_simulator_reads() {
        let text = crate::test_support::pinned_spec_text();
        let scope_file =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/scope.toml");
        let scope = Scope::from_toml(&std::fs::read_to_string(scope_file).unwrap()).unwrap();
        let model = crate::model_of(&text, &[], &scope).unwrap();
        let found = super::check(&model);
        let listed: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert!(listed.is_empty(), "{}", listed.join("\n"));
    }

    /// A spec whose dial renames `timeout_secs` and retypes `from`: one diagnostic each, naming
    /// the field, the operation and the behaviour.
    #[test]
    fn a_field_renamed_or_retyped_is_a_diagnostic() {
        let spec = r#"
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /calls:
    post:
      operationId: DialCall
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                to: {type: string}
                from: {type: integer}
                connection_id: {type: string}
                timeout: {type: integer}
                client_state: {type: boolean}
      responses:
        '200': {description: ok}
"#;
        let scope = Scope::all();
        let model = crate::model_of(spec, &[], &scope).unwrap();
        let found: Vec<String> = super::check(&model)
            .iter()
            .map(|d| d.message.clone())
            .collect();
        let about = |field: &str| found.iter().filter(|m| m.contains(field)).count();
        assert_eq!(about("`timeout_secs`"), 1, "{found:#?}");
        assert_eq!(about("`from`"), 1, "{found:#?}");
        assert_eq!(
            about("`client_state`"),
            1,
            "a conventional field of the wrong kind"
        );
        assert!(
            found.iter().any(|m| m
                == "the call simulator's `Dial` reads `timeout_secs`, but the request schema of \
                    POST /calls does not have it"),
            "{found:#?}"
        );
        assert!(
            found.iter().any(|m| m
                == "the call simulator's `Dial` reads `from` as a string, but the request schema \
                    of POST /calls types it otherwise"),
            "{found:#?}"
        );
        // What the simulator reads and the schema has raises nothing.
        assert_eq!(about("`to`"), 0);
        assert_eq!(about("`connection_id`"), 0);
    }
}

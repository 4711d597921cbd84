//! Builds the [`Model`] of a normalized spec for a scope: operations first (they decide which types are
//! reached), then the types they reach, then the passes over all types.

use super::finalize::finalize;
use super::operations::build_operations;
use super::placement::{Collision, Placements};
use super::schema::TypeBuilder;
use super::webhooks::{build_webhooks, link};
use super::{Model, Scope, Unmodeled};
use crate::diagnostic::{Class, Diagnostics};
use crate::error::{Error, Result};
use crate::pointer::Pointer;
use crate::spec::Normalized;
use serde_json::Value;
use std::collections::BTreeMap;

/// Fails only when nothing sensible can be generated (no paths, a `$ref` cycle, a scope or override
/// that does not fit the spec); a defect of one schema, operation or webhook is a diagnostic.
pub fn build(spec: &Normalized, scope: &Scope) -> Result<Model> {
    let doc = &spec.doc;
    let has_entries = |key: &str| {
        doc.get(key)
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty())
    };
    if !has_entries("paths") && !has_entries("webhooks") {
        return Err(Error::spec(
            &Pointer::root().push("paths"),
            "the spec has no paths (and no webhooks): nothing to generate",
        ));
    }
    let placements = Placements::of(doc, &scope.overrides);
    let collisions = placements.collisions.clone();
    let mut types = TypeBuilder::new(doc, placements);
    let mut unmodeled = Unmodeled::default();
    let mut diagnostics = spec.diagnostics.clone();
    let built = build_operations(doc, scope, &mut types, &mut unmodeled, &mut diagnostics)?;
    let mut operations = built.operations;
    let (mut webhooks, webhooks_left_out) =
        build_webhooks(doc, scope, &mut types, &mut unmodeled, &mut diagnostics)?;
    // What a defect left out was still selected by the scope.
    let selected: Vec<(&str, &str)> = operations
        .iter()
        .map(|op| (op.method.as_str(), op.path.as_str()))
        .chain(built.left_out.iter().map(|(m, p)| (m.as_str(), p.as_str())))
        .collect();
    let keys = webhooks
        .iter()
        .map(|w| w.key.as_str())
        .chain(webhooks_left_out.iter().map(String::as_str));
    scope.check_selects(&selected, keys)?;
    let services: std::collections::BTreeSet<&str> = operations
        .iter()
        .filter_map(|op| op.service.first().map(String::as_str))
        .collect();
    scope.check_default_services(&services.into_iter().collect::<Vec<_>>())?;
    types.drain()?;
    unmodeled.absorb(std::mem::take(&mut types.unmodeled));
    diagnostics.absorb(std::mem::take(&mut types.diagnostics));
    let mut space = types.space;
    finalize(
        &mut space,
        &mut operations,
        &mut webhooks,
        doc,
        &scope.overrides,
        &mut diagnostics,
    )?;
    for op in &mut operations {
        op.pagination = super::pagination::detect(&space, op);
    }
    method_collisions(&collisions, &operations, &mut diagnostics);
    duplicate_operation_ids(&operations, &mut diagnostics);
    link(&mut webhooks, &operations, doc, &mut diagnostics);
    diagnostics.settle();
    let text = |p: &str| {
        doc.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Ok(Model {
        default_services: scope.default_services.clone(),
        operations,
        types: space,
        webhooks,
        base_url: text("/servers/0/url"),
        api_title: text("/info/title"),
        api_version: text("/info/version"),
        unmodeled,
        diagnostics,
    })
}

/// operationIds should be unique; the real spec repeats some. Each repeat is generated and reported.
fn duplicate_operation_ids(ops: &[super::operations::Operation], diagnostics: &mut Diagnostics) {
    let mut by_id: BTreeMap<&str, Vec<&super::operations::Operation>> = BTreeMap::new();
    for op in ops {
        by_id.entry(op.operation_id.as_str()).or_default().push(op);
    }
    for (id, ops) in by_id.into_iter().filter(|(_, ops)| ops.len() > 1) {
        let places: Vec<String> = ops
            .iter()
            .map(|op| {
                format!(
                    "{} {} (`{}().{}`)",
                    op.method,
                    op.path,
                    op.service.join("()."),
                    op.name
                )
            })
            .collect();
        diagnostics.warn(
            Class::DuplicateOperationId,
            &ops[0].pointer.push("operationId"),
            format!("operationId `{id}` is used {} times", ops.len()),
            format!("generated each: {}", places.join(", ")),
        );
    }
}

/// Operations of one service that their places name alike (see [`super::placement`]): each in scope
/// is reported with the name its operationId gave it, which `spec/overrides.toml` can replace.
fn method_collisions(
    collisions: &[Collision],
    ops: &[super::operations::Operation],
    diagnostics: &mut Diagnostics,
) {
    for collision in collisions {
        for op in ops.iter().filter(|op| {
            collision
                .operations
                .iter()
                .any(|(m, p)| *m == op.method && *p == op.path)
        }) {
            let others: Vec<String> = collision
                .operations
                .iter()
                .filter(|(m, p)| !(*m == op.method && *p == op.path))
                .map(|(m, p)| format!("{m} {p}"))
                .collect();
            diagnostics.warn(
                Class::NameCollision,
                &op.pointer,
                format!(
                    "its place names it `{}` in `{}()`, as it does {}",
                    collision.name,
                    op.service.join("()."),
                    others.join(", ")
                ),
                format!(
                    "named it `{}` after its operationId (spec/overrides.toml can name it: \"{} {}\" = \"...\")",
                    op.name, op.method, op.path
                ),
            );
        }
    }
}

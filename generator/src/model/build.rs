//! Builds the [`Model`] of a normalized spec for a scope: operations first (they decide which types are
//! reached), then the types they reach, then the passes over all types.

use super::finalize::finalize;
use super::operations::build_operations;
use super::schema::TypeBuilder;
use super::webhooks::{build_webhooks, check_bodies, link};
use super::{Model, Scope, Unmodeled};
use crate::error::Result;
use crate::naming::{disambiguate, Style};
use crate::spec::Normalized;
use crate::spec::Warning;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub fn build(spec: &Normalized, scope: &Scope) -> Result<Model> {
    let doc = &spec.doc;
    let mut types = TypeBuilder::new(doc);
    let mut unmodeled = Unmodeled::default();
    let mut operations = build_operations(doc, scope, &mut types, &mut unmodeled)?;
    let mut webhooks = build_webhooks(doc, scope, &mut types, &mut unmodeled)?;
    let selected: Vec<(&str, &str)> = operations
        .iter()
        .map(|op| (op.method.as_str(), op.path.as_str()))
        .collect();
    scope.check_selects(&selected, webhooks.iter().map(|w| w.key.as_str()))?;
    check_bodies(&webhooks)?;
    types.drain()?;
    unmodeled.absorb(std::mem::take(&mut types.unmodeled));
    let mut space = types.space;
    let mut warnings = spec.warnings.clone();
    warnings.extend(finalize(
        &mut space,
        &mut operations,
        &mut webhooks,
        doc,
        &scope.overrides,
    )?);
    warnings.extend(duplicate_operation_ids(&operations));
    unique_method_names(&mut operations);
    for op in &mut operations {
        if let Some(name) = scope.overrides.method(&op.method, &op.path) {
            op.name = name;
        }
        op.pagination = super::pagination::detect(&space, op);
    }
    link(&mut webhooks, &operations, doc, &mut warnings);
    let text = |p: &str| {
        doc.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Ok(Model {
        operations,
        types: space,
        webhooks,
        base_url: text("/servers/0/url"),
        api_title: text("/info/title"),
        api_version: text("/info/version"),
        unmodeled,
        warnings,
    })
}

/// operationIds should be unique; the real spec repeats some. Each repeat is generated and reported.
fn duplicate_operation_ids(ops: &[super::operations::Operation]) -> Vec<Warning> {
    let mut by_id: BTreeMap<&str, Vec<&super::operations::Operation>> = BTreeMap::new();
    for op in ops {
        by_id.entry(op.operation_id.as_str()).or_default().push(op);
    }
    by_id
        .into_iter()
        .filter(|(_, ops)| ops.len() > 1)
        .map(|(id, ops)| {
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
            Warning {
                pointer: ops[0].pointer.push("operationId"),
                message: format!(
                    "operationId `{id}` is used {} times: {}",
                    ops.len(),
                    places.join(", ")
                ),
            }
        })
        .collect()
}

/// Two operations of one service may want the same method name (a duplicated operationId): the
/// collision rule of [`crate::naming`] applied to their operationIds keeps both, stably.
fn unique_method_names(ops: &mut [super::operations::Operation]) {
    let mut by_service: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
    for (i, op) in ops.iter().enumerate() {
        by_service.entry(op.service.clone()).or_default().push(i);
    }
    for members in by_service.values() {
        let items: Vec<(String, String)> = members
            .iter()
            .map(|&i| (ops[i].operation_id.clone(), ops[i].name.clone()))
            .collect();
        let names = disambiguate(&items, &BTreeSet::new(), Style::Snake);
        for (&i, name) in members.iter().zip(names) {
            ops[i].name = name;
        }
    }
}

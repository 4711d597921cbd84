//! Which operations and webhook events a type change reaches: a field removed from `CallCostPart` is one
//! change of one type, but every call path and event that carries it is what a reviewer asks about.

use super::report::{Affected, Change, Kind, Section, Severity};
use crate::model::types::{TypeId, TypeRef, TypeSpace};
use crate::model::Model;
use crate::surface::call_path;
use std::collections::{BTreeMap, BTreeSet};

/// The operations and events present in both models that reach a changed type, in either model.
pub fn affected(old: &Model, new: &Model, changes: &[Change]) -> Vec<Affected> {
    let mut changed: BTreeMap<&str, Severity> = BTreeMap::new();
    // A type added or removed is reached through a changed field or variant of another type, which
    // is the change to point at.
    let members = changes
        .iter()
        .filter(|c| c.section == Section::Types && !matches!(c.kind, Kind::Added | Kind::Removed));
    for c in members {
        let worst = changed.entry(c.subject.as_str()).or_insert(c.severity);
        *worst = worst.worst(c.severity);
    }
    if changed.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let roots = |m: &Model| -> BTreeMap<(Section, String), Vec<TypeRef>> {
        let ops = m.operations.iter().map(|op| {
            let mut refs: Vec<TypeRef> = op.request_types().into_iter().cloned().collect();
            refs.extend(op.response.ty.iter().cloned());
            ((Section::Operations, call_path(op)), refs)
        });
        let events = m
            .webhooks
            .iter()
            .map(|w| ((Section::Webhooks, w.key.clone()), vec![w.body.clone()]));
        ops.chain(events).collect()
    };
    let (before, after) = (roots(old), roots(new));
    for (key, refs_now) in &after {
        let Some(refs_was) = before.get(key) else {
            continue;
        };
        let mut names = reach(&old.types, refs_was);
        names.extend(reach(&new.types, refs_now));
        let via: Vec<String> = names
            .into_iter()
            .filter(|n| changed.contains_key(n.as_str()))
            .collect();
        if let Some(severity) = via
            .iter()
            .filter_map(|n| changed.get(n.as_str()).copied())
            .reduce(Severity::worst)
        {
            out.push(Affected {
                section: key.0,
                subject: key.1.clone(),
                severity,
                via,
            });
        }
    }
    out.sort();
    out
}

/// The names of every named type reachable from `refs`.
fn reach(space: &TypeSpace, refs: &[TypeRef]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<TypeId> = refs.iter().filter_map(TypeRef::named).collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        // The type's own definition: an alias leads on to its target.
        let def = &space.defs[id.0];
        names.insert(def.name.clone());
        stack.extend(def.kind.children());
    }
    names
}

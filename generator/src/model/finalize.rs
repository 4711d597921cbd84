//! The passes that need every type at once, in this order: merge duplicate shapes, point every
//! reference at the surviving type, take discriminator properties out of union variants, mark what is
//! reachable from requests and responses, name everything, and box the fields that close a cycle.

use super::operations::Operation;
use super::overrides::Overrides;
use super::types::*;
use super::Webhook;
use crate::error::{Error, Result};
use crate::naming::{disambiguate, snake, upper_camel, Style};
use crate::pointer::Pointer;
use crate::spec::Warning;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub fn finalize(
    space: &mut TypeSpace,
    ops: &mut [Operation],
    webhooks: &mut [Webhook],
    doc: &Value,
    overrides: &Overrides,
) -> Result<Vec<Warning>> {
    merge_duplicates(space, doc);
    canonicalize(space, ops, webhooks);
    strip_tags(space, ops, webhooks);
    let reachable = mark_usage(space, ops, webhooks);
    let warnings = name_types(space, &reachable, overrides)?;
    name_members(space, &reachable);
    box_cycles(space, &reachable);
    space.reachable = reachable;
    Ok(warnings)
}

/// The shape of a definition without its own docs, for finding duplicates.
fn shape_key(value: &Value) -> String {
    match value {
        Value::Object(m) => {
            let mut m = m.clone();
            for k in [
                "description",
                "title",
                "example",
                "examples",
                "deprecated",
                "externalDocs",
            ] {
                m.shift_remove(k);
            }
            Value::Object(m).to_string()
        }
        other => other.to_string(),
    }
}

/// Inline types with the same shape become one; an inline type shaped like a component becomes that
/// component. Components are never merged with each other (they keep the spec's names).
fn merge_duplicates(space: &mut TypeSpace, doc: &Value) {
    let mut groups: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
    for (i, def) in space.defs.iter().enumerate() {
        if matches!(def.origin, Origin::Params { .. }) {
            continue;
        }
        if let Some(v) = def.pointer.resolve(doc) {
            groups.entry(shape_key(v)).or_default().push(TypeId(i));
        }
    }
    for members in groups.values().filter(|m| m.len() > 1) {
        let sort_key = |id: &TypeId| match &space.defs[id.0].origin {
            Origin::Component(name) => (0, name.clone()),
            Origin::Inline { context, .. } => (1, context.clone()),
            Origin::Params { operation_id, .. } => (2, operation_id.clone()),
        };
        let Some(keeper) = members.iter().min_by_key(|id| sort_key(id)).copied() else {
            continue;
        };
        let keeper_title = match &space.defs[keeper.0].origin {
            Origin::Inline { title, .. } => title.clone(),
            _ => None,
        };
        for id in members {
            if *id == keeper || matches!(space.defs[id.0].origin, Origin::Component(_)) {
                continue;
            }
            space.defs[id.0].merged_into = Some(keeper);
        }
        // Merged inline schemas that all sit under the same field share its name.
        let leaves: BTreeSet<&str> = members
            .iter()
            .filter_map(|id| match &space.defs[id.0].origin {
                Origin::Inline { leaf, .. } => Some(leaf.as_str()),
                _ => None,
            })
            .collect();
        // One-word leaves (`Type`, `Role`) say too little on their own to name a shared type.
        let shared = (leaves.len() == 1)
            .then(|| leaves.into_iter().next().map(str::to_owned))
            .flatten()
            .filter(|leaf| leaf.chars().filter(char::is_ascii_uppercase).count() >= 2);
        if let Origin::Inline { shared_leaf, .. } = &mut space.defs[keeper.0].origin {
            *shared_leaf = shared;
        }
        // A merged inline group keeps a title only when its members agree on it.
        if keeper_title.is_some() {
            let agree = members.iter().all(|id| match &space.defs[id.0].origin {
                Origin::Inline { title, .. } => *title == keeper_title,
                _ => true,
            });
            if !agree {
                if let Origin::Inline { title, .. } = &mut space.defs[keeper.0].origin {
                    *title = None;
                }
            }
        }
    }
}

fn canonical_ref(space: &TypeSpace, t: &mut TypeRef) {
    match t {
        TypeRef::Named(id) => *id = space.canonical(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            canonical_ref(space, inner)
        }
        _ => {}
    }
}

fn canonicalize(space: &mut TypeSpace, ops: &mut [Operation], webhooks: &mut [Webhook]) {
    let snapshot = space.clone();
    for def in space.defs.iter_mut() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    canonical_ref(&snapshot, &mut f.ty);
                }
                if let Some(a) = &mut s.additional {
                    canonical_ref(&snapshot, a);
                }
            }
            TypeKind::Tagged(u) => {
                for v in &mut u.variants {
                    v.ty = v.ty.map(|id| snapshot.canonical(id));
                }
            }
            TypeKind::Untagged(vs) => vs
                .iter_mut()
                .for_each(|v| canonical_ref(&snapshot, &mut v.ty)),
            TypeKind::Alias(t) => canonical_ref(&snapshot, t),
            TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => {}
        }
    }
    for op in ops.iter_mut() {
        for t in op.types_mut() {
            canonical_ref(&snapshot, t);
        }
    }
    for w in webhooks.iter_mut() {
        canonical_ref(&snapshot, &mut w.body);
    }
}

/// Every named type a reference mentions, anywhere inside it.
fn refs_in(t: &TypeRef, out: &mut Vec<TypeId>) {
    match t {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Array(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => refs_in(i, out),
        _ => {}
    }
}

/// Counts the uses of each type other than as a variant of a tagged union.
fn direct_uses(
    space: &TypeSpace,
    ops: &[Operation],
    webhooks: &[Webhook],
) -> BTreeMap<TypeId, usize> {
    let mut refs = Vec::new();
    for def in space.defs.iter().filter(|d| d.merged_into.is_none()) {
        match &def.kind {
            TypeKind::Struct(s) => {
                s.fields.iter().for_each(|f| refs_in(&f.ty, &mut refs));
                if let Some(a) = &s.additional {
                    refs_in(a, &mut refs);
                }
            }
            TypeKind::Untagged(vs) => vs.iter().for_each(|v| refs_in(&v.ty, &mut refs)),
            TypeKind::Alias(t) => refs_in(t, &mut refs),
            _ => {}
        }
    }
    for op in ops {
        op.request_types()
            .into_iter()
            .for_each(|t| refs_in(t, &mut refs));
        if let Some(t) = &op.response.ty {
            refs_in(t, &mut refs);
        }
    }
    webhooks.iter().for_each(|w| refs_in(&w.body, &mut refs));
    let mut counts = BTreeMap::new();
    for id in refs {
        *counts.entry(id).or_default() += 1;
    }
    counts
}

/// Serde writes the tag of an internally tagged enum itself: a variant struct that also declares the tag
/// property would put it on the wire twice and fail to read it back. The property is taken out of
/// structs used only as variants (through nested unions too); structs also used directly keep it, made
/// optional. A variant left with no fields becomes a unit variant.
fn strip_tags(space: &mut TypeSpace, ops: &[Operation], webhooks: &[Webhook]) {
    fn add_roles(
        space: &TypeSpace,
        id: TypeId,
        tag: &str,
        roles: &mut BTreeMap<TypeId, BTreeSet<String>>,
        depth: usize,
    ) {
        if depth > 16 {
            return;
        }
        match &space.defs[id.0].kind {
            TypeKind::Struct(_) => {
                roles.entry(id).or_default().insert(tag.to_owned());
            }
            TypeKind::Tagged(u) => {
                for v in u.variants.iter().filter_map(|v| v.ty) {
                    add_roles(space, v, tag, roles, depth + 1);
                }
            }
            _ => {}
        }
    }
    let mut roles: BTreeMap<TypeId, BTreeSet<String>> = BTreeMap::new();
    for def in space.defs.iter().filter(|d| d.merged_into.is_none()) {
        if let TypeKind::Tagged(u) = &def.kind {
            for v in u.variants.iter().filter_map(|v| v.ty) {
                add_roles(space, v, &u.tag, &mut roles, 0);
            }
        }
    }
    let uses = direct_uses(space, ops, webhooks);
    let mut emptied = BTreeSet::new();
    for (id, tags) in &roles {
        let used_directly = uses.get(id).copied().unwrap_or(0) > 0;
        if let TypeKind::Struct(s) = &mut space.defs[id.0].kind {
            if used_directly {
                for f in s.fields.iter_mut().filter(|f| tags.contains(&f.json_name)) {
                    f.required = false;
                }
            } else {
                s.fields.retain(|f| !tags.contains(&f.json_name));
                if s.fields.is_empty() && s.additional.is_none() {
                    emptied.insert(*id);
                }
            }
        }
    }
    for def in space.defs.iter_mut() {
        if let TypeKind::Tagged(u) = &mut def.kind {
            for v in &mut u.variants {
                if v.ty.is_some_and(|id| emptied.contains(&id)) {
                    v.ty = None;
                }
            }
        }
    }
}

/// Marks types reached from request bodies and from responses/webhooks; returns every reached type.
fn mark_usage(space: &mut TypeSpace, ops: &[Operation], webhooks: &[Webhook]) -> BTreeSet<TypeId> {
    let mut request_roots = Vec::new();
    let mut response_roots = Vec::new();
    for op in ops {
        op.request_types()
            .into_iter()
            .for_each(|t| refs_in(t, &mut request_roots));
        if let Some(t) = &op.response.ty {
            refs_in(t, &mut response_roots);
        }
    }
    webhooks
        .iter()
        .for_each(|w| refs_in(&w.body, &mut response_roots));
    let requests = reach(space, request_roots);
    let responses = reach(space, response_roots);
    for id in &requests {
        space.defs[id.0].in_request = true;
    }
    for id in &responses {
        space.defs[id.0].in_response = true;
    }
    requests.union(&responses).copied().collect()
}

/// Named types a definition refers to.
pub fn children(kind: &TypeKind) -> Vec<TypeId> {
    let mut out = Vec::new();
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|f| refs_in(&f.ty, &mut out));
            if let Some(a) = &s.additional {
                refs_in(a, &mut out);
            }
        }
        TypeKind::Tagged(u) => out.extend(u.variants.iter().filter_map(|v| v.ty)),
        TypeKind::Untagged(vs) => vs.iter().for_each(|v| refs_in(&v.ty, &mut out)),
        TypeKind::Alias(t) => refs_in(t, &mut out),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => {}
    }
    out
}

fn reach(space: &TypeSpace, roots: Vec<TypeId>) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(id) = stack.pop() {
        if seen.insert(id) {
            stack.extend(children(&space.defs[id.0].kind));
        }
    }
    seen
}

/// Component names first (the spec's names, collisions resolved by spelling), then inline types: their
/// title when no other type wants it, else their context name.
fn name_types(
    space: &mut TypeSpace,
    reachable: &BTreeSet<TypeId>,
    overrides: &Overrides,
) -> Result<Vec<Warning>> {
    let mut warnings = Vec::new();
    // Names chosen by hand come first: by spec name for components, by pointer for the rest.
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut fixed: BTreeSet<TypeId> = BTreeSet::new();
    for id in reachable {
        let def = &space.defs[id.0];
        let key = match &def.origin {
            Origin::Component(n) => n.clone(),
            _ => def.pointer.to_string(),
        };
        if let Some(name) = overrides.types.get(&key) {
            if !taken.insert(name.clone()) {
                return Err(Error::Config(format!(
                    "overrides file: two types are named `{name}`"
                )));
            }
            space.defs[id.0].name = name.clone();
            fixed.insert(*id);
        }
    }
    let components: Vec<(TypeId, String)> = reachable
        .iter()
        .filter(|id| !fixed.contains(id))
        .filter_map(|id| match &space.defs[id.0].origin {
            Origin::Component(n) => Some((*id, n.clone())),
            _ => None,
        })
        .collect();
    let items: Vec<(String, String)> = components
        .iter()
        .map(|(_, n)| (n.clone(), upper_camel(n)))
        .collect();
    let names = disambiguate(&items, &taken, Style::UpperCamel);
    let mut groups: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for ((spec_name, converted), name) in items.iter().zip(&names) {
        groups.entry(converted).or_default().push((spec_name, name));
    }
    for (converted, members) in groups.iter().filter(|(_, m)| m.len() > 1) {
        let list: Vec<String> = members
            .iter()
            .map(|(s, n)| format!("`{s}` → `{n}`"))
            .collect();
        warnings.push(Warning {
            pointer: Pointer::root().push("components").push("schemas"),
            message: format!(
                "schema names that all convert to `{converted}`: {} (rename in spec/overrides.toml)",
                list.join(", ")
            ),
        });
    }
    taken.extend(names.iter().cloned());
    for ((id, _), name) in components.iter().zip(names) {
        space.defs[id.0].name = name;
    }
    let inline: Vec<(TypeId, String, Option<String>, Option<String>)> = reachable
        .iter()
        .filter(|id| !fixed.contains(id))
        .filter_map(|id| match &space.defs[id.0].origin {
            Origin::Inline {
                context,
                title,
                shared_leaf,
                ..
            } => Some((
                *id,
                context.clone(),
                title.as_deref().map(upper_camel),
                shared_leaf.clone(),
            )),
            _ => None,
        })
        .collect();
    // A short name (a title, or the field name a merged group shares) is used only when exactly one
    // inline type wants it and no component has it; otherwise the full context name.
    let mut wanted: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, _, title, shared) in &inline {
        for short in [title, shared].into_iter().flatten() {
            *wanted.entry(short.as_str()).or_default() += 1;
        }
    }
    let available = |short: &Option<String>| {
        short
            .as_ref()
            .filter(|s| wanted[s.as_str()] == 1 && !taken.contains(*s))
            .cloned()
    };
    // `<OperationId>Params`; operations sharing an operationId all get their service as a prefix.
    let params: Vec<(TypeId, String, String)> = reachable
        .iter()
        .filter(|id| !fixed.contains(id))
        .filter_map(|id| match &space.defs[id.0].origin {
            Origin::Params {
                operation_id,
                service,
            } => Some((*id, upper_camel(operation_id), service.clone())),
            _ => None,
        })
        .collect();
    let mut shared: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, op, _) in &params {
        *shared.entry(op.as_str()).or_default() += 1;
    }
    let mut chosen: Vec<(TypeId, String)> = params
        .iter()
        .map(|(id, op, service)| {
            let name = if shared[op.as_str()] > 1 {
                format!("{service}{op}Params")
            } else {
                format!("{op}Params")
            };
            (*id, name)
        })
        .collect();
    chosen.extend(inline.iter().map(|(id, context, title, shared)| {
        let name = available(title)
            .or_else(|| available(shared))
            .unwrap_or_else(|| context.clone());
        (*id, name)
    }));
    // Context names are unique by construction but may meet a component's name or a title.
    chosen.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then_with(|| space.defs[a.0 .0].pointer.cmp(&space.defs[b.0 .0].pointer))
    });
    for (id, name) in chosen {
        let mut candidate = name.clone();
        if taken.contains(&candidate) {
            candidate = format!("{name}Inline");
        }
        let mut n = 2;
        while taken.contains(&candidate) {
            candidate = format!("{name}Inline{n}");
            n += 1;
        }
        taken.insert(candidate.clone());
        space.defs[id.0].name = candidate;
    }
    Ok(warnings)
}

/// A short label of a type, for naming untagged union variants (`String`, `StringList`, `Call`).
fn label(space: &TypeSpace, t: &TypeRef) -> String {
    match t {
        TypeRef::String => "String".into(),
        TypeRef::Integer { .. } => "Integer".into(),
        TypeRef::Number => "Number".into(),
        TypeRef::Boolean => "Boolean".into(),
        TypeRef::Json => "Json".into(),
        TypeRef::JsonObject => "Object".into(),
        TypeRef::Named(id) => space.defs[id.0].name.clone(),
        TypeRef::Array(i) => format!("{}List", label(space, i)),
        TypeRef::Map(i) => format!("{}Map", label(space, i)),
        TypeRef::Nullable(i) => label(space, i),
    }
}

/// Fields, enum values and union variants, each unique within its type.
fn name_members(space: &mut TypeSpace, reachable: &BTreeSet<TypeId>) {
    let snapshot = space.clone();
    let reserved_variant: BTreeSet<String> = ["Unknown".to_string()].into();
    for id in reachable {
        match &mut space.defs[id.0].kind {
            TypeKind::Struct(s) => {
                let items: Vec<(String, String)> = s
                    .fields
                    .iter()
                    .map(|f| (f.json_name.clone(), snake(&f.json_name)))
                    .collect();
                let taken: BTreeSet<String> = if s.additional.is_some() {
                    ["additional_properties".to_string()].into()
                } else {
                    BTreeSet::new()
                };
                for (f, name) in s
                    .fields
                    .iter_mut()
                    .zip(disambiguate(&items, &taken, Style::Snake))
                {
                    f.name = name;
                }
            }
            TypeKind::StringEnum(values) => {
                let items: Vec<(String, String)> = values
                    .iter()
                    .map(|v| (v.value.clone(), upper_camel(&v.value)))
                    .collect();
                for (v, name) in values.iter_mut().zip(disambiguate(
                    &items,
                    &reserved_variant,
                    Style::UpperCamel,
                )) {
                    v.name = name;
                }
            }
            TypeKind::IntEnum(values) => {
                for v in values.iter_mut() {
                    v.name = if v.value < 0 {
                        format!("Minus{}", v.value.unsigned_abs())
                    } else {
                        format!("_{}", v.value)
                    };
                }
            }
            TypeKind::Tagged(u) => {
                let items: Vec<(String, String)> = u
                    .variants
                    .iter()
                    .map(|v| (v.tags[0].clone(), upper_camel(&v.tags[0])))
                    .collect();
                for (v, name) in u.variants.iter_mut().zip(disambiguate(
                    &items,
                    &reserved_variant,
                    Style::UpperCamel,
                )) {
                    v.name = name;
                }
            }
            TypeKind::Untagged(vs) => {
                // Two branches of the same Rust type: serde would never reach the second.
                let mut seen = Vec::new();
                vs.retain(|v| {
                    let fresh = !seen.contains(&v.ty);
                    seen.push(v.ty.clone());
                    fresh
                });
                let items: Vec<(String, String)> = vs
                    .iter()
                    .map(|v| {
                        let l = label(&snapshot, &v.ty);
                        (l.clone(), l)
                    })
                    .collect();
                let names = disambiguate(&items, &BTreeSet::new(), Style::UpperCamel);
                for (v, name) in vs.iter_mut().zip(names) {
                    v.name = name;
                }
                order_untagged(&snapshot, vs);
            }
            TypeKind::Alias(_) => {}
        }
    }
}

/// Serde tries untagged variants in order: put the pickiest first so a value never lands in a variant
/// that merely tolerates it (integers before numbers, enums and structs with many required fields before
/// looser ones, free-form JSON last).
fn order_untagged(space: &TypeSpace, variants: &mut [UntaggedVariant]) {
    fn rank(space: &TypeSpace, t: &TypeRef) -> (u8, i64) {
        match t {
            TypeRef::Integer { .. } => (0, 0),
            TypeRef::Number => (1, 0),
            TypeRef::Boolean => (2, 0),
            TypeRef::Named(id) => match &space.defs[id.0].kind {
                TypeKind::IntEnum(_) => (0, -1),
                TypeKind::StringEnum(_) => (3, 0),
                TypeKind::Struct(s) => {
                    (5, -(s.fields.iter().filter(|f| f.required).count() as i64))
                }
                TypeKind::Alias(inner) => rank(space, inner),
                _ => (6, 0),
            },
            TypeRef::String => (4, 0),
            TypeRef::Array(_) => (7, 0),
            TypeRef::Map(_) | TypeRef::JsonObject => (8, 0),
            TypeRef::Nullable(i) => rank(space, i),
            TypeRef::Json => (9, 0),
        }
    }
    variants.sort_by_key(|v| rank(space, &v.ty));
}

/// A field whose type leads back to its own struct by value would make the struct infinitely large:
/// such fields (edges inside a strongly connected component) are boxed.
fn box_cycles(space: &mut TypeSpace, reachable: &BTreeSet<TypeId>) {
    fn by_value(t: &TypeRef) -> Option<TypeId> {
        match t {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Nullable(i) => by_value(i),
            _ => None,
        }
    }
    let edges = |kind: &TypeKind| -> Vec<TypeId> {
        match kind {
            TypeKind::Struct(s) => s.fields.iter().filter_map(|f| by_value(&f.ty)).collect(),
            TypeKind::Tagged(u) => u.variants.iter().filter_map(|v| v.ty).collect(),
            TypeKind::Untagged(vs) => vs.iter().filter_map(|v| by_value(&v.ty)).collect(),
            TypeKind::Alias(t) => by_value(t).into_iter().collect(),
            _ => Vec::new(),
        }
    };
    let graph: BTreeMap<TypeId, Vec<TypeId>> = reachable
        .iter()
        .map(|id| (*id, edges(&space.defs[id.0].kind)))
        .collect();
    let component = strongly_connected(&graph);
    for id in reachable {
        if let TypeKind::Struct(s) = &mut space.defs[id.0].kind {
            for f in &mut s.fields {
                if let Some(target) = by_value(&f.ty) {
                    if component.get(&target) == component.get(id) {
                        f.boxed = true;
                    }
                }
            }
        }
    }
    // A cycle made only of unions (a union that contains itself) has no field to box: box the variant.
    let with_struct: BTreeSet<usize> = reachable
        .iter()
        .filter(|id| matches!(space.defs[id.0].kind, TypeKind::Struct(_)))
        .filter_map(|id| component.get(id).copied())
        .collect();
    for id in reachable {
        let Some(own) = component.get(id).copied() else {
            continue;
        };
        if with_struct.contains(&own) {
            continue;
        }
        let in_cycle = |target: TypeId| component.get(&target) == Some(&own);
        match &mut space.defs[id.0].kind {
            TypeKind::Tagged(u) => {
                for v in &mut u.variants {
                    v.boxed = v.ty.is_some_and(in_cycle);
                }
            }
            TypeKind::Untagged(vs) => {
                for v in vs {
                    v.boxed = by_value(&v.ty).is_some_and(in_cycle);
                }
            }
            _ => {}
        }
    }
}

/// Tarjan's algorithm, iterative; returns a component number per node.
fn strongly_connected(graph: &BTreeMap<TypeId, Vec<TypeId>>) -> BTreeMap<TypeId, usize> {
    let mut index: BTreeMap<TypeId, usize> = BTreeMap::new();
    let mut low: BTreeMap<TypeId, usize> = BTreeMap::new();
    let mut on_stack: BTreeSet<TypeId> = BTreeSet::new();
    let mut stack: Vec<TypeId> = Vec::new();
    let mut component: BTreeMap<TypeId, usize> = BTreeMap::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for &start in graph.keys() {
        if index.contains_key(&start) {
            continue;
        }
        let mut work: Vec<(TypeId, usize)> = vec![(start, 0)];
        while let Some((node, child_i)) = work.pop() {
            if child_i == 0 {
                index.insert(node, next_index);
                low.insert(node, next_index);
                next_index += 1;
                stack.push(node);
                on_stack.insert(node);
            }
            let children = graph.get(&node).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(&child) = children.get(child_i) {
                work.push((node, child_i + 1));
                if !graph.contains_key(&child) {
                    continue;
                }
                if !index.contains_key(&child) {
                    work.push((child, 0));
                } else if on_stack.contains(&child) {
                    let l = low[&node].min(index[&child]);
                    low.insert(node, l);
                }
                continue;
            }
            // All children done: propagate to the parent and close the component if this is a root.
            if low[&node] == index[&node] {
                while let Some(member) = stack.pop() {
                    on_stack.remove(&member);
                    component.insert(member, next_component);
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                let l = low[&parent].min(low[&node]);
                low.insert(parent, l);
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_found_for_cycles_and_not_for_chains() {
        let t = TypeId;
        let graph: BTreeMap<TypeId, Vec<TypeId>> = [
            (t(0), vec![t(1)]),
            (t(1), vec![t(2)]),
            (t(2), vec![t(0), t(3)]),
            (t(3), vec![]),
            (t(4), vec![t(4)]),
        ]
        .into();
        let c = strongly_connected(&graph);
        assert_eq!(c[&t(0)], c[&t(1)]);
        assert_eq!(c[&t(1)], c[&t(2)]);
        assert_ne!(c[&t(2)], c[&t(3)]);
        assert_ne!(c[&t(4)], c[&t(3)]);
    }
}

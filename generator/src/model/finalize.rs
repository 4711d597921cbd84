//! The passes that need every type at once, in this order: take discriminator properties out of union
//! variants, let identical inline shapes share one definition, mark what is reachable from requests and
//! responses, name everything, and box the fields that close a cycle.

use super::operations::Operation;
use super::overrides::Overrides;
use super::types::*;
use super::Webhook;
use crate::diagnostic::{Class, Diagnostics};
use crate::error::{Error, Result};
use crate::naming::{disambiguate, settle_locations, snake, upper_camel, Style};
use crate::pointer::Pointer;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub fn finalize(
    space: &mut TypeSpace,
    ops: &mut [Operation],
    webhooks: &mut [Webhook],
    doc: &Value,
    overrides: &Overrides,
    diagnostics: &mut Diagnostics,
) -> Result<()> {
    strip_tags(space, ops, webhooks);
    share_shapes(space, ops, webhooks, doc, overrides, diagnostics);
    let reachable = mark_usage(space, ops, webhooks);
    name_types(space, &reachable, overrides, diagnostics)?;
    name_members(space, &reachable);
    box_cycles(space, &reachable);
    space.reachable = reachable;
    Ok(())
}

/// The shape of a definition without its own docs, for finding identical ones.
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

/// Inline schemas of the same shape share one definition, so the crate does not compile the same type
/// many times (a type per location makes the call crate's check about a quarter slower). Sharing never
/// touches names: each location keeps its own and is emitted as `pub type Location = Shared;`. The
/// shared definition is a type of its own ([`Origin::Shared`]) under a neutral name: the name
/// `spec/overrides.toml` gives (`[shared]`, by any location's pointer), else the words every location's
/// name has in common, in order, when they are two or more and name nothing else
/// (`CallSpeakResponse`, `CallHangupResponse` → `CallResponse`). A shape with neither, or whose name
/// another shape wants too, is not shared, with a diagnostic naming its places: no location is ever an
/// alias of another's name. When
/// the shapes later differ, the location simply becomes a type of its own under the same name.
///
/// Only types that mention no inline type share: through an alias, a field's type would carry the
/// shared definition's nested names (`KeeperState` instead of `LocationState`), which would move when the group changes. Components never share
/// (they are the spec's own types), nor do parameter structs or structs used as tagged variants (their
/// tag property is taken out), nor aliases.
fn share_shapes(
    space: &mut TypeSpace,
    ops: &[Operation],
    webhooks: &[Webhook],
    doc: &Value,
    overrides: &Overrides,
    diagnostics: &mut Diagnostics,
) {
    let variants: BTreeSet<TypeId> = tag_roles(space).structs.into_keys().collect();
    let (requests, responses) = roots(ops, webhooks);
    let reached = reach(space, requests.into_iter().chain(responses).collect());
    let mentions_inline = |id: &TypeId| {
        space.defs[id.0]
            .kind
            .children()
            .any(|c| !matches!(space.defs[c.0].origin, Origin::Component(_)))
    };
    let mut groups: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
    for id in reached.iter().filter(|id| !variants.contains(id)) {
        let def = &space.defs[id.0];
        let inline = matches!(def.origin, Origin::Inline { .. });
        if !inline || matches!(def.kind, TypeKind::Alias(_)) || mentions_inline(id) {
            continue;
        }
        if let Some(v) = def.pointer.resolve(doc) {
            groups.entry(shape_key(v)).or_default().push(*id);
        }
    }
    // Names a shared definition may not take: every component's and every place's own.
    let reserved: BTreeSet<String> = space
        .defs
        .iter()
        .map(|d| match &d.origin {
            Origin::Component(name) => upper_camel(name),
            Origin::Inline { context } => context.clone(),
            Origin::Params { owner } => crate::naming::params_type(owner),
            Origin::Shared { name } => name.clone(),
        })
        .collect();
    let mut planned: Vec<(Vec<TypeId>, Vec<String>, Option<String>)> = groups
        .into_values()
        .filter(|m| m.len() > 1)
        .map(|mut members| {
            members.sort_by_key(|id| space.defs[id.0].pointer.to_string());
            let places: Vec<String> = members
                .iter()
                .map(|id| match &space.defs[id.0].origin {
                    Origin::Inline { context } => context.clone(),
                    _ => String::new(),
                })
                .collect();
            let by_hand = members
                .iter()
                .find_map(|id| overrides.shared.get(&space.defs[id.0].pointer.to_string()));
            let name = by_hand.cloned().or_else(|| common_name(&places, &reserved));
            (members, places, name)
        })
        .collect();
    // Two shapes that would take one name take neither: which one keeps it would depend on the other.
    let mut wanted: BTreeMap<String, usize> = BTreeMap::new();
    for (_, _, name) in &planned {
        if let Some(name) = name {
            *wanted.entry(name.clone()).or_default() += 1;
        }
    }
    for (_, _, name) in &mut planned {
        if name.as_ref().is_some_and(|n| wanted[n] > 1) {
            *name = None;
        }
    }
    for (members, places, name) in planned {
        let Some(name) = name else {
            let listed: Vec<String> = members
                .iter()
                .zip(&places)
                .map(|(id, name)| format!("`{name}` ({})", space.defs[id.0].pointer))
                .collect();
            diagnostics.warn(
                Class::UnnamedSharedShape,
                &space.defs[members[0].0].pointer,
                format!(
                    "{} places have this shape and no neutral name of their own words: {}",
                    members.len(),
                    listed.join(", ")
                ),
                "each place keeps a definition of its own (spec/overrides.toml `[shared]` can name one to share)".to_owned(),
            );
            continue;
        };
        let mut shared = space.defs[members[0].0].clone();
        shared.origin = Origin::Shared { name: name.clone() };
        shared.pointer = Pointer::root().push("x-shared").push(&name);
        shared.doc = Some(format!(
            "The shape of {}: one definition for all of them. Use each place's own name; it stays \
             when the shapes part.",
            places
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        let shared_id = TypeId(space.defs.len());
        space.defs.push(shared);
        for id in &members {
            let def = &mut space.defs[id.0];
            def.shared = true;
            def.kind = TypeKind::Alias(TypeRef::Named(shared_id));
        }
    }
}

/// The longest sequence of words that every name of `names` has in that order, when it is two words
/// or more and not a name some place or component has (`reserved`; the shared definition would read
/// as that one): `CallSpeakResponse`, `CallHangupResponse` → `CallResponse`;
/// `CreatePortingReportReportType`, `PortingListReportsFilterReportType` → `PortingReportType`.
fn common_name(names: &[String], reserved: &BTreeSet<String>) -> Option<String> {
    let mut words = names.iter().map(|n| camel_words(n));
    let first = words.next()?;
    let common = words.fold(first, |common, next| longest_common(&common, &next));
    let name = common.concat();
    (common.len() >= 2 && !reserved.contains(&name)).then_some(name)
}

/// The longest common subsequence of two word lists (the earliest one when several are as long).
fn longest_common(a: &[String], b: &[String]) -> Vec<String> {
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(a[i].clone());
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The words of an UpperCamelCase name (`CallAIGather2` → `Call`, `A`, `I`, `Gather`, `2`): each
/// starts at a capital or where digits begin.
fn camel_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        let starts = c.is_ascii_uppercase()
            || (c.is_ascii_digit()
                && !words
                    .last()
                    .is_some_and(|w| w.ends_with(|p: char| p.is_ascii_digit())))
            || words.is_empty();
        if starts {
            words.push(c.to_string());
        } else if let Some(last) = words.last_mut() {
            last.push(c);
        }
    }
    words
}

/// Counts the uses of each type other than as a variant of a tagged union, directly or through
/// untagged unions (`carriers`) that are themselves used only there.
fn direct_uses(
    space: &TypeSpace,
    ops: &[Operation],
    webhooks: &[Webhook],
    carriers: &BTreeSet<TypeId>,
) -> BTreeMap<TypeId, usize> {
    let (requests, responses) = roots(ops, webhooks);
    let mut counts: BTreeMap<TypeId, usize> = BTreeMap::new();
    let edges = space.defs.iter().flat_map(|def| def.kind.edges());
    let direct = edges.filter(|e| !matches!(e.place, Place::Tagged(_)));
    for id in direct.map(|e| e.to).chain(requests).chain(responses) {
        *counts.entry(id).or_default() += 1;
    }
    // A carrier used only as a variant writes its branches beside the tag: those are no direct uses
    // either, and a carrier among them may become one used only as a variant in turn.
    let mut settled = BTreeSet::new();
    while let Some(id) = carriers
        .iter()
        .find(|id| !settled.contains(*id) && counts.get(*id).copied().unwrap_or(0) == 0)
        .copied()
    {
        settled.insert(id);
        for e in space.defs[id.0].kind.edges() {
            if let Some(n) = counts.get_mut(&e.to) {
                *n = n.saturating_sub(1);
            }
        }
    }
    counts
}

/// Serde writes the tag of an internally tagged enum itself: a variant struct that also declares the tag
/// property would put it on the wire twice and fail to read it back. The property is taken out of
/// structs used only as variants (through nested unions, tagged or not, too); structs also used directly
/// keep it, made optional. A variant left with no fields becomes a unit variant.
fn strip_tags(space: &mut TypeSpace, ops: &[Operation], webhooks: &[Webhook]) {
    let TagRoles { structs, carriers } = tag_roles(space);
    let uses = direct_uses(space, ops, webhooks, &carriers);
    let mut emptied = BTreeSet::new();
    for (id, tags) in &structs {
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

/// What the variants of tagged unions are made of (through nested unions too).
#[derive(Default)]
struct TagRoles {
    /// The structs, with the tag properties that select them.
    structs: BTreeMap<TypeId, BTreeSet<String>>,
    /// The untagged unions whose branches are written beside a tag.
    carriers: BTreeSet<TypeId>,
}

fn tag_roles(space: &TypeSpace) -> TagRoles {
    fn add_roles(space: &TypeSpace, id: TypeId, tag: &str, roles: &mut TagRoles, depth: usize) {
        if depth > 16 {
            return;
        }
        let inner: Vec<TypeId> = match &space.defs[id.0].kind {
            TypeKind::Struct(_) => {
                roles.structs.entry(id).or_default().insert(tag.to_owned());
                return;
            }
            TypeKind::Tagged(u) => u.variants.iter().filter_map(|v| v.ty).collect(),
            TypeKind::Untagged(vs) => {
                roles.carriers.insert(id);
                vs.iter().filter_map(|v| v.ty.by_value()).collect()
            }
            _ => return,
        };
        for v in inner {
            add_roles(space, v, tag, roles, depth + 1);
        }
    }
    let mut roles = TagRoles::default();
    for def in &space.defs {
        if let TypeKind::Tagged(u) = &def.kind {
            for v in u.variants.iter().filter_map(|v| v.ty) {
                add_roles(space, v, &u.tag, &mut roles, 0);
            }
        }
    }
    roles
}

/// The named types operations and webhooks refer to: (from request bodies and parameters, from
/// responses and webhook bodies).
fn roots(ops: &[Operation], webhooks: &[Webhook]) -> (Vec<TypeId>, Vec<TypeId>) {
    let requests = ops
        .iter()
        .flat_map(|op| op.request_types())
        .filter_map(TypeRef::named)
        .collect();
    let responses = ops
        .iter()
        .filter_map(|op| op.response.ty.as_ref())
        .chain(webhooks.iter().map(|w| &w.body))
        .filter_map(TypeRef::named)
        .collect();
    (requests, responses)
}

/// Marks types reached from request bodies and from responses/webhooks; returns every reached type.
fn mark_usage(space: &mut TypeSpace, ops: &[Operation], webhooks: &[Webhook]) -> BTreeSet<TypeId> {
    let (request_roots, response_roots) = roots(ops, webhooks);
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

fn reach(space: &TypeSpace, roots: Vec<TypeId>) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(id) = stack.pop() {
        if seen.insert(id) {
            stack.extend(space.defs[id.0].kind.children());
        }
    }
    seen
}

/// Names every reachable type, in three rounds that each only take names the earlier ones left: the
/// names `spec/overrides.toml` gives, then components (the spec's names, collisions settled by
/// spelling), then every other type by its place ([`settle_locations`]).
fn name_types(
    space: &mut TypeSpace,
    reachable: &BTreeSet<TypeId>,
    overrides: &Overrides,
    diagnostics: &mut Diagnostics,
) -> Result<()> {
    let (mut taken, fixed) = name_overridden(space, reachable, overrides)?;
    let unnamed: Vec<TypeId> = reachable
        .iter()
        .filter(|id| !fixed.contains(id))
        .copied()
        .collect();
    name_components(space, &unnamed, &mut taken, diagnostics);
    name_locations(space, &unnamed, &taken, diagnostics);
    Ok(())
}

/// The names chosen by hand (by spec name for components, by pointer for the rest): the names taken
/// and the types they name.
fn name_overridden(
    space: &mut TypeSpace,
    reachable: &BTreeSet<TypeId>,
    overrides: &Overrides,
) -> Result<(BTreeSet<String>, BTreeSet<TypeId>)> {
    let mut taken = BTreeSet::new();
    let mut fixed = BTreeSet::new();
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
    Ok((taken, fixed))
}

/// Components keep the spec's names in UpperCamelCase; names that convert alike are told apart by
/// their spelling, each such rename a diagnostic. The names given are added to `taken`.
fn name_components(
    space: &mut TypeSpace,
    ids: &[TypeId],
    taken: &mut BTreeSet<String>,
    diagnostics: &mut Diagnostics,
) {
    let components: Vec<(TypeId, String)> = ids
        .iter()
        .filter_map(|id| match &space.defs[id.0].origin {
            Origin::Component(n) => Some((*id, n.clone())),
            _ => None,
        })
        .collect();
    let items: Vec<(String, String)> = components
        .iter()
        .map(|(_, n)| (n.clone(), upper_camel(n)))
        .collect();
    let names = disambiguate(&items, taken, Style::UpperCamel);
    let mut groups: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for ((spec_name, converted), name) in items.iter().zip(&names) {
        groups.entry(converted).or_default().push((spec_name, name));
    }
    for (converted, members) in groups.iter().filter(|(_, m)| m.len() > 1) {
        for (spec_name, name) in members.iter().filter(|(_, n)| n != converted) {
            let others: Vec<String> = members
                .iter()
                .filter(|(s, _)| s != spec_name)
                .map(|(s, _)| format!("`{s}`"))
                .collect();
            diagnostics.warn(
                Class::NameCollision,
                &Pointer::root()
                    .push("components")
                    .push("schemas")
                    .push(spec_name),
                format!(
                    "the schema name `{spec_name}` converts to `{converted}`, as {} does",
                    others.join(", ")
                ),
                format!("named it `{name}` (spec/overrides.toml can rename it)"),
            );
        }
    }
    taken.extend(names.iter().cloned());
    for ((id, _), name) in components.iter().zip(names) {
        space.defs[id.0].name = name;
    }
}

/// Every other type is named by its place: an inline schema by its location name, a parameters
/// struct `<Owner>Params` (the operation's place, `ConferenceListParams`). A
/// place that loses its name to a nearer one (or to a name in `taken`) gets a hashed suffix and a
/// diagnostic naming the keeper.
fn name_locations(
    space: &mut TypeSpace,
    ids: &[TypeId],
    taken: &BTreeSet<String>,
    diagnostics: &mut Diagnostics,
) {
    let mut locations: Vec<(TypeId, String)> = ids
        .iter()
        .filter_map(|id| match &space.defs[id.0].origin {
            Origin::Params { owner } => Some((*id, crate::naming::params_type(owner))),
            _ => None,
        })
        .collect();
    locations.extend(ids.iter().filter_map(|id| match &space.defs[id.0].origin {
        Origin::Inline { context } => Some((*id, context.clone())),
        Origin::Shared { name } => Some((*id, name.clone())),
        _ => None,
    }));
    let items: Vec<(String, String)> = locations
        .iter()
        .map(|(id, name)| (space.defs[id.0].pointer.to_string(), name.clone()))
        .collect();
    let names = settle_locations(&items, taken);
    let keepers: BTreeMap<&str, &str> = items
        .iter()
        .zip(&names)
        .filter(|((_, wanted), name)| wanted == *name)
        .map(|((key, wanted), _)| (wanted.as_str(), key.as_str()))
        .collect();
    for (((id, _), (_, wanted)), name) in locations.iter().zip(&items).zip(&names) {
        if wanted != name {
            let keeper = match keepers.get(wanted.as_str()) {
                Some(key) => format!("the schema at {key}"),
                None => "a component".to_owned(),
            };
            diagnostics.warn(
                Class::NameCollision,
                &space.defs[id.0].pointer,
                format!(
                    "`{wanted}`, the name of this schema's place, is also the name of {keeper}"
                ),
                format!("named it `{name}` (spec/overrides.toml can name it)"),
            );
        }
    }
    for ((id, _), name) in locations.iter().zip(names) {
        space.defs[id.0].name = name;
    }
}

/// A short label of a type, for naming untagged union variants (`String`, `StringList`, `Call`).
/// `exact`: spelled so that different types never share one (`Integer32`, `NullableThing`).
fn label(space: &TypeSpace, t: &TypeRef, exact: bool) -> String {
    match t {
        TypeRef::String => "String".into(),
        TypeRef::Integer { bits32: true } if exact => "Integer32".into(),
        TypeRef::Integer { .. } => "Integer".into(),
        TypeRef::Number => "Number".into(),
        TypeRef::Boolean => "Boolean".into(),
        TypeRef::Json => "Json".into(),
        TypeRef::JsonObject => "Object".into(),
        TypeRef::Named(id) => space.defs[id.0].name.clone(),
        TypeRef::Array(i) => format!("{}List", label(space, i, exact)),
        TypeRef::Map(i) => format!("{}Map", label(space, i, exact)),
        TypeRef::Nullable(i) if exact => format!("Nullable{}", label(space, i, exact)),
        TypeRef::Nullable(i) => label(space, i, exact),
    }
}

/// Fields, enum values and union variants, each unique within its type.
fn name_members(space: &mut TypeSpace, reachable: &BTreeSet<TypeId>) {
    settle_untagged(space, reachable);
    let reserved_variant: BTreeSet<String> = ["Unknown".to_string()].into();
    for id in reachable {
        match &mut space.defs[id.0].kind {
            TypeKind::Struct(s) => name_fields(s),
            TypeKind::StringEnum(values) => {
                let items: Vec<(String, String)> = values
                    .iter()
                    .map(|v| (v.value.clone(), upper_camel(&v.value)))
                    .collect();
                let names = disambiguate(&items, &reserved_variant, Style::UpperCamel);
                for (v, name) in values.iter_mut().zip(names) {
                    v.name = name;
                }
            }
            TypeKind::IntEnum(values) => {
                for v in values.iter_mut() {
                    v.name = crate::naming::int_variant(v.value);
                }
            }
            TypeKind::Tagged(u) => {
                let items: Vec<(String, String)> = u
                    .variants
                    .iter()
                    .map(|v| (v.tags[0].clone(), upper_camel(&v.tags[0])))
                    .collect();
                let names = disambiguate(&items, &reserved_variant, Style::UpperCamel);
                for (v, name) in u.variants.iter_mut().zip(names) {
                    v.name = name;
                }
            }
            // Named with their branches by `settle_untagged`.
            TypeKind::Untagged(_) | TypeKind::Alias(_) => {}
        }
    }
}

/// Field names from the wire names, in snake case and unique within the struct (and apart from
/// `additional_properties`, which holds the extra keys).
fn name_fields(s: &mut Struct) {
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

/// The branches of each untagged union as serde will try them: one per Rust type (serde would never
/// reach a second branch of the same type), named after their types (`String`, `CallList`), pickiest
/// first. Worked out from the named types first, then written back.
fn settle_untagged(space: &mut TypeSpace, reachable: &BTreeSet<TypeId>) {
    let settled: Vec<(TypeId, Vec<UntaggedVariant>)> = reachable
        .iter()
        .filter_map(|id| match &space.defs[id.0].kind {
            TypeKind::Untagged(vs) => Some((*id, vs)),
            _ => None,
        })
        .map(|(id, vs)| {
            let mut seen = BTreeSet::new();
            let mut kept: Vec<UntaggedVariant> = vs
                .iter()
                .filter(|v| seen.insert(space.identity(&v.ty)))
                .cloned()
                .collect();
            let items: Vec<(String, String)> = kept
                .iter()
                // Keyed by a spelling that tells every kept branch apart, so that two with one
                // label (`i32` and `i64`, `T` and `Option<T>`) get two names.
                .map(|v| (label(space, &v.ty, true), label(space, &v.ty, false)))
                .collect();
            let names = disambiguate(&items, &BTreeSet::new(), Style::UpperCamel);
            for (v, name) in kept.iter_mut().zip(names) {
                v.name = name;
            }
            order_untagged(space, &mut kept);
            (id, kept)
        })
        .collect();
    for (id, kept) in settled {
        space.defs[id.0].kind = TypeKind::Untagged(kept);
    }
}

/// Serde tries untagged variants in order: put the pickiest first so a value never lands in a variant
/// that merely tolerates it (integers before numbers, enums and structs with many required fields before
/// looser ones, maps before structs that require nothing, free-form JSON last).
fn order_untagged(space: &TypeSpace, variants: &mut [UntaggedVariant]) {
    fn rank(space: &TypeSpace, t: &TypeRef) -> (u8, i64) {
        match t {
            TypeRef::Integer { .. } => (0, 0),
            TypeRef::Number => (1, 0),
            TypeRef::Boolean => (2, 0),
            TypeRef::Named(id) => match &space.defs[id.0].kind {
                TypeKind::IntEnum(_) => (0, -1),
                TypeKind::StringEnum(_) => (3, 0),
                // Only a missing field that may not be `null` fails a read (a nullable one reads as
                // `None`). One that requires nothing takes any object: after maps, which check their
                // values.
                TypeKind::Struct(s) => match s
                    .fields
                    .iter()
                    .filter(|f| f.required && !f.nullable)
                    .count()
                {
                    0 => (8, 1),
                    n => (5, -(n as i64)),
                },
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
    let graph: BTreeMap<TypeId, Vec<TypeId>> = reachable
        .iter()
        .map(|id| {
            let edges = space.defs[id.0].kind.edges();
            (
                *id,
                edges.iter().filter(|e| e.by_value).map(|e| e.to).collect(),
            )
        })
        .collect();
    let component = strongly_connected(&graph);
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
        let closing: Vec<Place> = space.defs[id.0]
            .kind
            .edges()
            .into_iter()
            .filter(|e| e.by_value && component.get(&e.to) == Some(&own))
            .map(|e| e.place)
            .collect();
        let unions_only = !with_struct.contains(&own);
        for place in closing {
            match (&mut space.defs[id.0].kind, place) {
                (TypeKind::Struct(s), Place::Field(i)) => s.fields[i].boxed = true,
                (TypeKind::Tagged(u), Place::Tagged(i)) if unions_only => {
                    u.variants[i].boxed = true
                }
                (TypeKind::Untagged(vs), Place::Untagged(i)) if unions_only => vs[i].boxed = true,
                _ => {}
            }
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
    fn shared_names_are_the_words_every_place_has() {
        let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let none = BTreeSet::new();
        assert_eq!(
            common_name(&names(&["CallSpeakResponse", "CallHangupResponse"]), &none).as_deref(),
            Some("CallResponse")
        );
        assert_eq!(
            common_name(
                &names(&[
                    "CreatePortingReportReportType",
                    "PortingListReportsFilterReportType"
                ]),
                &none
            )
            .as_deref(),
            Some("PortingReportType")
        );
        assert_eq!(
            common_name(
                &names(&["AnswerRequestRecordFormat", "ResembleVoiceSettingsFormat"]),
                &none
            ),
            None
        );
        let taken = BTreeSet::from(["CallResponse".to_owned()]);
        assert_eq!(
            common_name(&names(&["CallSpeakResponse", "CallHangupResponse"]), &taken),
            None
        );
    }

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

//! Where each type is used: the operations that send or answer it and the webhook events that carry
//! it. A type the spec leaves undescribed is documented by this and by its place in the spec, so every
//! public item of the crate has a doc that leads somewhere.

use crate::model::types::{Origin, TypeDef, TypeId, TypeSpace};
use crate::model::Model;
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};

/// One use of a type, as an intra-doc link and its text (`Calls::dial`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Use {
    pub text: String,
    /// Empty when the use may not be compiled where the type is (another service's feature): the
    /// doc then names it without a link.
    pub link: String,
    /// The top-level service of an operation (whose feature compiles it); `None` for an event.
    pub service: Option<String>,
}

/// How many uses a doc lists before it says how many more there are.
const LISTED: usize = 5;

/// Every type's uses, from each operation's parameters, body and response and each event's body.
pub fn uses(model: &Model) -> BTreeMap<TypeId, BTreeSet<Use>> {
    let space = &model.types;
    let mut out: BTreeMap<TypeId, BTreeSet<Use>> = BTreeMap::new();
    for op in &model.operations {
        let service = naming::ident_text(&naming::service_type(&op.service));
        let method = naming::ident_text(&op.name);
        let used = Use {
            text: format!("{service}::{method}"),
            link: format!("crate::services::{service}::{method}"),
            service: op.service.first().cloned(),
        };
        for root in op
            .request_types()
            .into_iter()
            .chain(op.response.ty.as_ref())
        {
            for id in reach(space, root.named()) {
                out.entry(id).or_default().insert(used.clone());
            }
        }
    }
    for w in &model.webhooks {
        let variant = naming::ident_text(&w.variant);
        let used = Use {
            text: format!("WebhookEvent::{variant}"),
            link: format!("crate::webhooks::WebhookEvent::{variant}"),
            service: None,
        };
        for id in reach(space, w.body.named()) {
            out.entry(id).or_default().insert(used.clone());
        }
    }
    out
}

/// The types reached from `root`, itself included.
fn reach(space: &TypeSpace, root: Option<TypeId>) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<TypeId> = root.into_iter().collect();
    while let Some(id) = stack.pop() {
        if seen.insert(id) {
            stack.extend(space.defs[id.0].kind.children());
        }
    }
    seen
}

/// The doc of a type the spec does not describe: where it is in the spec, and what uses it.
pub fn undescribed(def: &TypeDef, uses: Option<&BTreeSet<Use>>) -> String {
    let place = match &def.origin {
        Origin::Component(name) => format!("The spec's schema `{name}`"),
        Origin::Params { .. } => "The query and header parameters".to_owned(),
        Origin::Inline { .. } | Origin::Shared { .. } => {
            format!("The schema at `{}` of the spec", def.pointer)
        }
    };
    let Some(uses) = uses.filter(|u| !u.is_empty()) else {
        return format!("{place}.");
    };
    let mut listed: Vec<String> = uses
        .iter()
        .take(LISTED)
        .map(|u| match u.link.is_empty() {
            true => format!("`{}`", u.text),
            false => format!("[`{}`]({})", u.text, u.link),
        })
        .collect();
    if uses.len() > LISTED {
        listed.push(format!("{} more", uses.len() - LISTED));
    }
    format!("{place}, used by {}.", listed.join(", "))
}

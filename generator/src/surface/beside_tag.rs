//! How the value of a tagged union's variant is written into the object that holds the tag: a struct
//! or a union of them writes its own entries (`WriteFields`); anything else (a schema read as free-form
//! JSON) is serialized and its entries copied, which fails for a value that is not an object, as it
//! does for serde's internally tagged enums.

use crate::model::types::{TypeId, TypeKind, TypeRef, TypeSpace};
use std::collections::BTreeSet;

/// How a variant's value goes beside the tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beside {
    /// Through the value's own `WriteFields`.
    Fields,
    /// Serialized, then its entries copied.
    Entries,
}

/// Nesting deeper than this is not followed (a cycle of unions through nothing else).
const MAX_DEPTH: usize = 16;

impl Beside {
    /// How the named type `id` is written beside a tag.
    pub fn of(space: &TypeSpace, id: TypeId) -> Self {
        if writes_fields(space, id, 0) {
            Beside::Fields
        } else {
            Beside::Entries
        }
    }
}

/// Whether `id` has entries of its own to write: a struct, a tagged union, or an untagged union whose
/// every branch has.
fn writes_fields(space: &TypeSpace, id: TypeId, depth: usize) -> bool {
    match &space.get(id).kind {
        TypeKind::Struct(_) | TypeKind::Tagged(_) => true,
        TypeKind::Untagged(vs) => {
            depth < MAX_DEPTH
                && vs.iter().all(|v| match v.ty {
                    TypeRef::Named(branch) => writes_fields(space, branch, depth + 1),
                    _ => false,
                })
        }
        _ => false,
    }
}

/// The untagged unions (their definitions) written beside a tag through their own `WriteFields`: the
/// values of tagged variants, and untagged branches of those.
pub fn untagged_writing_fields(space: &TypeSpace) -> BTreeSet<TypeId> {
    fn add(space: &TypeSpace, id: TypeId, out: &mut BTreeSet<TypeId>) {
        let id = space.definition(id);
        if let TypeKind::Untagged(vs) = &space.get(id).kind {
            if out.insert(id) {
                for branch in vs.iter().filter_map(|v| v.ty.by_value()) {
                    add(space, branch, out);
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    for (_, def) in space.emitted() {
        if let TypeKind::Tagged(u) = &def.kind {
            for id in u.variants.iter().filter_map(|v| v.ty) {
                if Beside::of(space, id) == Beside::Fields {
                    add(space, id, &mut out);
                }
            }
        }
    }
    out
}

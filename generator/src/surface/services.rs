//! The service tree the client exposes (`client.calls().actions()`), and the list responses that can
//! be walked page by page.

use super::{OperationSurface, RustType};
use crate::model::operations::FieldAccess;
use crate::model::types::TypeRef;
use crate::model::Model;
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};

/// One service: a struct reached from its parent with the operations under its path.
#[derive(Debug, Clone)]
pub struct ServiceSurface {
    /// The service words from the client (`["calls", "actions"]`).
    pub path: Vec<String>,
    /// The struct's name (`CallsActions`).
    pub type_name: String,
    /// The stem of the file in `src/services/` (one per top-level service).
    pub file: String,
    /// The child services: `(accessor word, type name)`.
    pub children: Vec<(String, String)>,
    /// Indices into [`super::Surface::operations`].
    pub operations: Vec<usize>,
}

/// Every service, sorted by path (a parent before its children).
pub fn services(operations: &[OperationSurface<'_>]) -> Vec<ServiceSurface> {
    let mut tree: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
    for (i, op) in operations.iter().enumerate() {
        for depth in 1..op.service.len() {
            tree.entry(op.service[..depth].to_vec()).or_default();
        }
        tree.entry(op.service.to_vec()).or_default().push(i);
    }
    tree.iter()
        .map(|(path, ops)| {
            let children: BTreeSet<&String> = tree
                .keys()
                .filter(|k| k.len() == path.len() + 1 && k.starts_with(path))
                .filter_map(|k| k.last())
                .collect();
            ServiceSurface {
                path: path.clone(),
                type_name: naming::service_type(path),
                file: naming::module_name(&path[0]),
                children: children
                    .into_iter()
                    .map(|child| {
                        let mut child_path = path.clone();
                        child_path.push(child.clone());
                        (child.clone(), naming::service_type(&child_path))
                    })
                    .collect(),
                operations: ops.clone(),
            }
        })
        .collect()
}

/// `impl Paginated` for a list response: where its position is read.
#[derive(Debug, Clone)]
pub struct PaginatedSurface {
    /// The response type (the definition, past aliases).
    pub response: RustType,
    /// Its id, whose gate the impl shares.
    pub id: crate::model::types::TypeId,
    pub meta: FieldRead,
    pub total_pages: FieldRead,
    pub page_number: Option<FieldRead>,
    /// The `data` array, whose items the item stream yields.
    pub data: FieldRead,
    /// What `data` holds.
    pub item: RustType,
}

/// A field read for pagination (Rust word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRead {
    pub field: String,
    pub optional: bool,
    /// An `i32`, widened to `i64`.
    pub bits32: bool,
}

impl From<&FieldAccess> for FieldRead {
    fn from(f: &FieldAccess) -> Self {
        FieldRead {
            field: f.name.clone(),
            optional: f.optional,
            bits32: f.bits32,
        }
    }
}

/// One `impl Paginated` per list response type (two operations may answer with it).
pub fn paginated(model: &Model) -> Vec<PaginatedSurface> {
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for op in &model.operations {
        let (Some(p), Some(t)) = (&op.pagination, &op.response.ty) else {
            continue;
        };
        let Some(id) = t.named().map(|id| model.types.definition(id)) else {
            continue;
        };
        if !done.insert(id) {
            continue;
        }
        out.push(PaginatedSurface {
            response: RustType::of(&model.types, &TypeRef::Named(id)),
            id,
            meta: (&p.meta).into(),
            total_pages: (&p.total_pages).into(),
            page_number: p.page_number.as_ref().map(FieldRead::from),
            data: (&p.data).into(),
            item: RustType::of(&model.types, &p.item),
        });
    }
    out
}

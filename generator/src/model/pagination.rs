//! Which list operations can be walked page by page: those whose parameters carry the page number
//! (`page[number]`, or `page` as a deep object with `number`) and whose response has an array of items
//! (`data`, or its only array) and a `meta` object with `total_pages` (and usually `page_number`), as
//! Telnyx's list endpoints do.

use super::operations::{Operation, ParamPlace};
use super::types::{Field, TypeKind, TypeRef, TypeSpace};

/// How to set the page number in the parameters and read the position from the response. Field names
/// are Rust names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    pub page: PageField,
    /// The response's `meta` field.
    pub meta: FieldAccess,
    pub total_pages: FieldAccess,
    pub page_number: Option<FieldAccess>,
    /// The response's array of items: `data`, or the only array it has (`log_messages`).
    pub data: FieldAccess,
    /// What the array holds.
    pub item: TypeRef,
}

/// Where the page number goes in the parameters struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageField {
    /// `page[number]`: a field of the parameters struct.
    Scalar(FieldAccess),
    /// `page` (deepObject) holding `number`.
    Nested {
        page: FieldAccess,
        number: FieldAccess,
    },
}

/// A field and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldAccess {
    pub name: String,
    pub optional: bool,
    /// For integer fields: stored as `i32`.
    pub bits32: bool,
}

/// The pagination of `op`, if its parameters and response allow one.
pub fn detect(space: &TypeSpace, op: &Operation) -> Option<Pagination> {
    let params = op.params.as_ref()?;
    let params_fields = struct_fields(space, &params.ty)?;
    let page = params.places.iter().find_map(|(wire, place)| {
        let field = params_fields.iter().find(|f| &f.json_name == wire)?;
        match (wire.as_str(), place) {
            ("page[number]", ParamPlace::Query { .. }) => Some(PageField::Scalar(integer(field)?)),
            ("page", ParamPlace::DeepObject) => {
                let inner = struct_fields(space, &field.ty)?;
                // The page object is rebuilt from its default, so it must have one.
                if inner.iter().any(|f| f.required) || !field_optional(field) {
                    return None;
                }
                let number = integer(inner.iter().find(|f| f.json_name == "number")?)?;
                Some(PageField::Nested {
                    page: access(field, false),
                    number,
                })
            }
            _ => None,
        }
    })?;
    if let PageField::Scalar(f) = &page {
        if !f.optional {
            return None;
        }
    }
    let response = struct_fields(space, op.response.ty.as_ref()?)?;
    let (data_field, item) = items(response)?;
    let meta_field = response
        .iter()
        .find(|f| f.json_name == "meta" && !f.nullable)?;
    let meta = struct_fields(space, &meta_field.ty)?;
    let total_pages = integer(meta.iter().find(|f| f.json_name == "total_pages")?)?;
    let page_number = meta
        .iter()
        .find(|f| f.json_name == "page_number")
        .and_then(integer);
    Some(Pagination {
        page,
        meta: access(meta_field, false),
        total_pages,
        page_number,
        data: access(data_field, false),
        item: item.clone(),
    })
}

/// What an array field holds.
fn array(f: &Field) -> Option<&TypeRef> {
    match &f.ty {
        TypeRef::Array(item) => Some(item),
        _ => None,
    }
}

/// The field holding a page's items: `data` when it is an array, else the response's only array.
fn items(response: &[Field]) -> Option<(&Field, &TypeRef)> {
    if let Some(data) = response.iter().find(|f| f.json_name == "data") {
        return Some((data, array(data)?));
    }
    let mut arrays = response.iter().filter_map(|f| Some((f, array(f)?)));
    match (arrays.next(), arrays.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

fn struct_fields<'a>(space: &'a TypeSpace, t: &TypeRef) -> Option<&'a [Field]> {
    let TypeRef::Named(id) = t else {
        return None;
    };
    match &space.get(*id).kind {
        TypeKind::Struct(s) => Some(&s.fields),
        _ => None,
    }
}

fn field_optional(f: &Field) -> bool {
    !f.required || f.nullable
}

fn access(f: &Field, bits32: bool) -> FieldAccess {
    FieldAccess {
        name: f.name.clone(),
        optional: field_optional(f),
        bits32,
    }
}

/// An integer field (not nullable-optional with three states: page fields are plain options).
fn integer(f: &Field) -> Option<FieldAccess> {
    match &f.ty {
        TypeRef::Integer { bits32 } if !f.nullable || f.required => Some(access(f, *bits32)),
        _ => None,
    }
}

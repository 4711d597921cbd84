//! Operations as a user calls them: the call path from the client, each method's arguments and what it
//! returns.

use super::RustType;
use crate::model::operations::{Body, MediaClass, Operation};
use crate::model::types::TypeSpace;
use crate::naming;

/// One method of an operation.
#[derive(Debug, Clone)]
pub struct MethodSurface<'m> {
    /// The method's word (made an identifier by [`naming::ident`]).
    pub name: String,
    /// `(word, type)`: path parameters (`&str`), then `params`, then the body.
    pub args: Vec<(String, RustType)>,
    /// What `.await?` gives.
    pub returns: RustType,
    pub body: Option<&'m Body>,
}

/// An operation: its method for the preferred body, and one more per other media type the spec
/// accepts (`upload_media_multipart`).
#[derive(Debug, Clone)]
pub struct OperationSurface<'m> {
    pub op: &'m Operation,
    pub methods: Vec<MethodSurface<'m>>,
}

impl<'m> OperationSurface<'m> {
    pub fn of(space: &TypeSpace, op: &'m Operation) -> Self {
        let mut methods = vec![method(space, op, op.body.as_ref(), op.name.clone())];
        methods.extend(op.alternatives.iter().map(|b| {
            let name = naming::media_method(&op.name, b.class.method_suffix());
            method(space, op, Some(b), name)
        }));
        OperationSurface { op, methods }
    }
}

fn method<'m>(
    space: &TypeSpace,
    op: &'m Operation,
    body: Option<&'m Body>,
    name: String,
) -> MethodSurface<'m> {
    let mut args: Vec<(String, RustType)> = op
        .path_params
        .iter()
        .map(|p| (p.name.clone(), RustType::Str))
        .collect();
    if let Some(p) = &op.params {
        args.push(("params".into(), RustType::of(space, &p.ty)));
    }
    if let Some(b) = body {
        args.push(body_argument(space, b));
    }
    MethodSurface {
        name,
        args,
        returns: returns(space, op),
        body,
    }
}

/// The call path of an operation from the client: `calls().actions().speak()`.
pub fn call_path(op: &Operation) -> String {
    let mut parts: Vec<String> = op.service.iter().map(|s| format!("{s}()")).collect();
    parts.push(format!("{}()", op.name));
    parts.join(".")
}

/// The body argument: the typed body for JSON and form bodies, parts for multipart, text or bytes.
pub fn body_argument(space: &TypeSpace, body: &Body) -> (String, RustType) {
    match (body.class, &body.ty) {
        (MediaClass::Json | MediaClass::Form, Some(t)) => ("body".into(), RustType::of(space, t)),
        (MediaClass::Multipart, _) => (
            "parts".into(),
            RustType::Vec(Box::new(RustType::Runtime("Part"))),
        ),
        (MediaClass::Text, _) => ("body".into(), RustType::String),
        _ => ("body".into(), RustType::Vec(Box::new(RustType::U8))),
    }
}

/// What a method returns: the typed JSON body, text, bytes, or `()` without a documented body.
pub fn returns(space: &TypeSpace, op: &Operation) -> RustType {
    match (op.response.class, &op.response.ty) {
        (Some(MediaClass::Json), Some(t)) => RustType::of(space, t),
        (Some(MediaClass::Text), _) => RustType::String,
        (Some(MediaClass::Bytes), _) => RustType::Vec(Box::new(RustType::U8)),
        _ => RustType::Unit,
    }
}

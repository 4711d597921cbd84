//! Operations as a user calls them and as the crate sends them: the call path from the client, each
//! method's arguments and what it returns, and the request plan (path template, where each parameter
//! goes, how the body is written and whether the runtime fills `command_id`, how the answer is read).

use super::conventions;
use super::RustType;
use crate::model::operations::{
    Body, FieldAccess, MediaClass, Operation, PageField, ParamPlace, Params,
};
use crate::model::types::{TypeKind, TypeRef, TypeSpace};
use crate::naming;

/// One argument of a method, in order: path parameters, then `params`, then the body.
#[derive(Debug, Clone)]
pub struct Argument {
    /// The argument's word (made an identifier by [`naming::ident`]).
    pub word: String,
    pub ty: RustType,
    pub role: ArgumentRole,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgumentRole {
    /// Fills the placeholder `{json_name}` of the path.
    Path { json_name: String },
    /// The query and header parameters struct.
    Params,
    /// The request body.
    Body,
}

/// One method of an operation.
#[derive(Debug, Clone)]
pub struct MethodSurface<'m> {
    /// The method's word (made an identifier by [`naming::ident`]).
    pub name: String,
    /// Every argument, in order; the parameters struct among them only for [`Self::with_params`]
    /// when its parameters are all optional (see [`Self::optional_params`]).
    pub args: Vec<Argument>,
    /// The operation's parameters are all optional: `name(..)` sends none, and
    /// `name_with(.., params)` ([`Self::with_params`]) sends them.
    pub optional_params: bool,
    /// What `.await?` gives.
    pub returns: RustType,
    pub body: Option<BodySurface<'m>>,
    /// The model's body, for the test samples and the change report.
    pub model_body: Option<&'m Body>,
}

/// How a request body is written.
#[derive(Debug, Clone)]
pub struct BodySurface<'m> {
    pub kind: BodyKind,
    /// The body has a Rust type (JSON and form bodies).
    pub typed: bool,
    pub media_type: &'m str,
    /// The parts a multipart body documents.
    pub parts: Vec<PartSurface<'m>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// A typed JSON body; `fill_command_id` when the runtime fills its `command_id`.
    Json {
        fill_command_id: bool,
    },
    /// A typed form-encoded body.
    Form,
    Multipart,
    Text,
    Bytes,
}

impl BodyKind {
    /// The word of the media class (the suffix of an alternative body's method).
    pub fn word(self) -> &'static str {
        match self {
            BodyKind::Json { .. } => "json",
            BodyKind::Form => "form",
            BodyKind::Multipart => "multipart",
            BodyKind::Text => "text",
            BodyKind::Bytes => "bytes",
        }
    }
}

/// A documented part of a multipart body.
#[derive(Debug, Clone)]
pub struct PartSurface<'m> {
    pub name: &'m str,
    pub file: bool,
    pub required: bool,
    pub doc: Option<&'m str>,
}

/// One query or header parameter: where the field of `params` is sent.
#[derive(Debug, Clone)]
pub struct ParamSurface<'m> {
    /// The name on the wire (`page[number]`).
    pub wire: &'m str,
    /// The field of the parameters struct.
    pub field: &'m str,
    pub place: ParamPlacement,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamPlacement {
    /// A form-style query parameter; `explode` repeats the name for each array item.
    Form {
        explode: bool,
    },
    /// `filter[status]=active`.
    DeepObject,
    Header,
}

/// How the success answer is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseRead {
    /// The typed JSON body.
    Json,
    /// Text or bytes, asking for `accept` when the spec names a media type.
    Text {
        accept: Option<String>,
    },
    Bytes {
        accept: Option<String>,
    },
    /// Nothing documented: `()`.
    Empty,
}

/// `<name>_pages`: every page of a list operation.
#[derive(Debug, Clone)]
pub struct PagesSurface {
    pub method: String,
    pub params: RustType,
    pub response: RustType,
    pub page: PageNumber,
}

/// Where the page number goes in the parameters struct (Rust field words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageNumber {
    /// `params.field`, an optional integer.
    Field { field: String, bits32: bool },
    /// `params.page.number`, in an optional object with a default.
    Nested {
        page: String,
        number: String,
        bits32: bool,
    },
}

/// An operation: its method for the preferred body, and one more per other media type the spec
/// accepts (`upload_media_multipart`).
#[derive(Debug, Clone)]
pub struct OperationSurface<'m> {
    /// The model's operation, for the test samples and the change report.
    pub op: &'m Operation,
    /// Upper case (`POST`).
    pub http_method: &'m str,
    /// The spec's path template (`/calls/{call_control_id}/actions/speak`).
    pub path: &'m str,
    /// The JSON pointer of the operation in the spec.
    pub pointer: String,
    /// Nested services from the client (`["calls", "actions"]`).
    pub service: &'m [String],
    /// The method's word in its service.
    pub name: &'m str,
    pub summary: Option<&'m str>,
    pub description: Option<&'m str>,
    pub deprecated: bool,
    /// Error statuses the spec documents (`422`, `default`).
    pub errors: &'m [String],
    /// The JSON names of the path parameters, in path order.
    pub path_params: Vec<&'m str>,
    pub params: Vec<ParamSurface<'m>>,
    /// The success status the spec documents.
    pub status: u16,
    /// The event types its documentation says may follow it, and those it lists without a condition.
    pub webhooks: &'m [String],
    pub unconditional_webhooks: &'m [String],
    pub read: ResponseRead,
    pub pages: Option<PagesSurface>,
    pub methods: Vec<MethodSurface<'m>>,
}

impl<'m> OperationSurface<'m> {
    pub fn of(space: &'m TypeSpace, op: &'m Operation) -> Self {
        let mut methods = vec![method(space, op, op.body.as_ref(), op.name.clone())];
        methods.extend(op.alternatives.iter().map(|b| {
            let name = naming::media_method(&op.name, b.class.method_suffix());
            method(space, op, Some(b), name)
        }));
        OperationSurface {
            op,
            http_method: &op.method,
            path: &op.path,
            pointer: op.pointer.to_string(),
            service: &op.service,
            name: &op.name,
            summary: op.summary.as_deref(),
            description: op.description.as_deref(),
            deprecated: op.deprecated,
            errors: &op.response.errors,
            path_params: op
                .path_params
                .iter()
                .map(|p| p.json_name.as_str())
                .collect(),
            params: op
                .params
                .as_ref()
                .map(|p| params(space, p))
                .unwrap_or_default(),
            status: op.response.status,
            webhooks: &op.webhooks,
            unconditional_webhooks: &op.unconditional_webhooks,
            read: read(op),
            pages: pages(space, op),
            methods,
        }
    }

    /// The method for the preferred body.
    pub fn main(&self) -> &MethodSurface<'m> {
        &self.methods[0]
    }
}

fn method<'m>(
    space: &TypeSpace,
    op: &'m Operation,
    body: Option<&'m Body>,
    name: String,
) -> MethodSurface<'m> {
    let mut args: Vec<Argument> = op
        .path_params
        .iter()
        .map(|p| Argument {
            word: p.name.clone(),
            ty: RustType::Str,
            role: ArgumentRole::Path {
                json_name: p.json_name.clone(),
            },
        })
        .collect();
    if let Some(p) = &op.params {
        args.push(Argument {
            word: "params".into(),
            ty: RustType::of(space, &p.ty),
            role: ArgumentRole::Params,
        });
    }
    if let Some(b) = body {
        let (word, ty) = body_argument(space, b);
        args.push(Argument {
            word,
            ty,
            role: ArgumentRole::Body,
        });
    }
    let optional_params = op
        .params
        .as_ref()
        .is_some_and(|p| crate::model::operations::params_optional(space, p));
    MethodSurface {
        name,
        args,
        optional_params,
        returns: returns(space, op),
        body: body.map(|b| body_surface(space, b)),
        model_body: body,
    }
}

impl MethodSurface<'_> {
    /// The name of the method that takes every argument: `name_with` when the parameters are
    /// optional (and `name` leaves them out), else `name`.
    pub fn with_params(&self) -> String {
        if self.optional_params {
            naming::with_params_method(&self.name)
        } else {
            self.name.clone()
        }
    }

    /// The arguments of `name` itself: all but an optional parameters struct.
    pub fn own_args(&self) -> impl Iterator<Item = &Argument> {
        self.args
            .iter()
            .filter(move |a| !(self.optional_params && a.role == ArgumentRole::Params))
    }
}

fn body_surface<'m>(space: &TypeSpace, b: &'m Body) -> BodySurface<'m> {
    let kind = match b.class {
        MediaClass::Json => BodyKind::Json {
            fill_command_id: b
                .ty
                .as_ref()
                .is_some_and(|t| conventions::fills_command_id(space, t)),
        },
        MediaClass::Form => BodyKind::Form,
        MediaClass::Multipart => BodyKind::Multipart,
        MediaClass::Text => BodyKind::Text,
        MediaClass::Bytes => BodyKind::Bytes,
    };
    BodySurface {
        kind,
        typed: b.ty.is_some(),
        media_type: &b.media_type,
        parts: b
            .parts
            .iter()
            .map(|p| PartSurface {
                name: &p.name,
                file: p.file,
                required: p.required,
                doc: p.doc.as_deref(),
            })
            .collect(),
    }
}

/// Where each query and header parameter goes; a place whose field the struct lacks is skipped.
fn params<'m>(space: &'m TypeSpace, params: &'m Params) -> Vec<ParamSurface<'m>> {
    let TypeRef::Named(id) = &params.ty else {
        return Vec::new();
    };
    let TypeKind::Struct(s) = &space.get(*id).kind else {
        return Vec::new();
    };
    params
        .places
        .iter()
        .filter_map(|(wire, place)| {
            let field = s.fields.iter().find(|f| &f.json_name == wire)?;
            Some(ParamSurface {
                wire,
                field: &field.name,
                place: match place {
                    ParamPlace::Query { explode } => ParamPlacement::Form { explode: *explode },
                    ParamPlace::DeepObject => ParamPlacement::DeepObject,
                    ParamPlace::Header => ParamPlacement::Header,
                },
            })
        })
        .collect()
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

/// How the answer is read, and the `Accept` it asks for: the media type the spec documents, or
/// `*/*` for a wildcard (which the runtime's default `application/json` would not match).
fn read(op: &Operation) -> ResponseRead {
    let accept = op.response.media_type.as_deref().map(|m| {
        if m.contains('*') {
            "*/*".to_owned()
        } else {
            m.to_owned()
        }
    });
    match (op.response.class, &op.response.ty) {
        (Some(MediaClass::Json), Some(_)) => ResponseRead::Json,
        (Some(MediaClass::Text), _) => ResponseRead::Text { accept },
        (Some(MediaClass::Bytes), _) => ResponseRead::Bytes { accept },
        _ => ResponseRead::Empty,
    }
}

fn pages(space: &TypeSpace, op: &Operation) -> Option<PagesSurface> {
    let pagination = op.pagination.as_ref()?;
    let word = |f: &FieldAccess| f.name.clone();
    Some(PagesSurface {
        method: naming::pages_method(&op.name),
        params: RustType::of(space, &op.params.as_ref()?.ty),
        response: RustType::of(space, op.response.ty.as_ref()?),
        page: match &pagination.page {
            PageField::Scalar(f) => PageNumber::Field {
                field: word(f),
                bits32: f.bits32,
            },
            PageField::Nested { page, number } => PageNumber::Nested {
                page: word(page),
                number: word(number),
                bits32: number.bits32,
            },
        },
    })
}

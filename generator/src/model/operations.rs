//! Operations in scope: method, path, parameters, request body and success response, and where each one
//! lives in the client (`client.calls().actions().speak(..)`).

use super::media::{request_bodies, success_response};
pub use super::media::{Body, MediaClass, PartDoc, Response};
pub use super::pagination::{FieldAccess, PageField, Pagination};
use super::schema::{Shape, TypeBuilder};
use super::types::{Field, TypeKind, TypeRef, TypeSpace};
use super::unmodeled::Unmodeled;
use super::Scope;
use crate::diagnostic::{Class, Diagnostics};
use crate::error::{Error, Result};
use crate::naming::{snake, upper_camel};
use crate::pointer::Pointer;
use crate::spec::view::{kind, resolve, Node};
use serde_json::Value;

pub use crate::spec::normalize::METHODS;

#[derive(Debug, Clone)]
pub struct Operation {
    pub operation_id: String,
    /// Upper case (`POST`).
    pub method: String,
    pub path: String,
    pub pointer: Pointer,
    /// Nested services from the client (`["calls", "actions"]`).
    pub service: Vec<String>,
    /// The method's word in its service (snake case; [`crate::naming::ident`] makes it an identifier).
    pub name: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Path parameters in path order (method arguments).
    pub path_params: Vec<Param>,
    /// Query and header parameters, gathered in a generated `<Operation>Params` struct.
    pub params: Option<Params>,
    /// The preferred request body (JSON when the spec offers it).
    pub body: Option<Body>,
    /// Other media types the spec accepts for the body, each an extra method.
    pub alternatives: Vec<Body>,
    pub response: Response,
    /// How to walk the pages of a list operation, when the spec allows it.
    pub pagination: Option<Pagination>,
    /// Webhook event types the operation's docs say it triggers (`call.gather.ended`).
    pub webhooks: Vec<String>,
    /// Those of `webhooks` listed without a condition: alone on their line (`- \`call.speak.ended\``),
    /// not `- \`call.hold\` if the call is held` or `- \`call.dtmf.received\` (you may receive many)`.
    pub unconditional_webhooks: Vec<String>,
}

impl Operation {
    /// The type of the request body when it is JSON.
    pub fn json_body(&self) -> Option<&TypeRef> {
        self.body
            .as_ref()
            .filter(|b| b.class == MediaClass::Json)
            .and_then(|b| b.ty.as_ref())
    }

    /// The type of the success response when it is JSON.
    pub fn json_response(&self) -> Option<&TypeRef> {
        self.response
            .ty
            .as_ref()
            .filter(|_| self.response.class == Some(MediaClass::Json))
    }

    /// The types a caller sends: parameters and bodies.
    pub fn request_types(&self) -> Vec<&TypeRef> {
        let mut out: Vec<&TypeRef> = self.path_params.iter().map(|p| &p.ty).collect();
        out.extend(self.params.iter().map(|p| &p.ty));
        out.extend(
            self.body
                .iter()
                .chain(&self.alternatives)
                .filter_map(|b| b.ty.as_ref()),
        );
        out
    }
}

#[derive(Debug, Clone)]
pub struct Param {
    /// The name on the wire (`call_control_id`, `page[number]`).
    pub json_name: String,
    /// The Rust argument name.
    pub name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
    pub example: Option<Value>,
    /// Where the parameter's schema is (none declared: any string).
    pub schema: Option<Pointer>,
}

/// The query and header parameters of an operation: a struct type, and where each field goes.
#[derive(Debug, Clone)]
pub struct Params {
    pub ty: TypeRef,
    /// `(wire name, place)` per field of the struct, in field order.
    pub places: Vec<(String, ParamPlace)>,
    /// Where each parameter's schema is, in the order of `places` (none declared: any string).
    pub schemas: Vec<Option<Pointer>>,
}

/// Where a parameter is sent and how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamPlace {
    /// `style: form` (the default): `explode` repeats the name for each array item.
    Query {
        explode: bool,
    },
    /// `style: deepObject`: `filter[status]=active`.
    DeepObject,
    Header,
}

/// The operations in scope: those built, in file order (paths, then methods in their usual order), and
/// `(METHOD, path)` of those left out for a defect (each with a warning).
pub struct Built {
    pub operations: Vec<Operation>,
    pub left_out: Vec<(String, String)>,
}

impl Built {
    /// Records `method path` as left out; returns it as `METHOD path`.
    fn left_out(&mut self, method: &str, path: &str) -> String {
        let method = method.to_ascii_uppercase();
        let what = format!("{method} {path}");
        self.left_out.push((method, path.to_owned()));
        what
    }
}

/// Builds every operation in scope. An operation with no reading is left out with a warning; so are
/// all of a path item's when the path item itself has none.
pub fn build_operations<'a>(
    doc: &'a Value,
    scope: &Scope,
    types: &mut TypeBuilder<'a>,
    unmodeled: &mut Unmodeled,
    diagnostics: &mut Diagnostics,
) -> Result<Built> {
    let root = Node::new(doc, Pointer::root());
    let mut built = Built {
        operations: Vec::new(),
        left_out: Vec::new(),
    };
    for (path, item) in root.entries("paths")? {
        if !METHODS.iter().any(|m| scope.includes_operation(m, path)) {
            continue;
        }
        let (item, shared) = match path_item(doc, &item) {
            Ok(read) => read,
            Err(e) => {
                // Which methods it had is unknown when it is a `$ref` to nothing: name the path.
                let (at, message) = e.into_defect()?;
                diagnostics.warn(
                    Class::UnreadableOperation,
                    &at,
                    message,
                    format!("left out every operation of `{path}`"),
                );
                for method in METHODS
                    .into_iter()
                    .filter(|m| item.value.get(m).is_some() && scope.includes_operation(m, path))
                {
                    built.left_out(method, path);
                }
                continue;
            }
        };
        for method in METHODS {
            let Some(op) = item.get(method) else {
                continue;
            };
            if !scope.includes_operation(method, path) {
                continue;
            }
            let read = operation(
                doc,
                path,
                method,
                &op,
                &shared,
                types,
                unmodeled,
                diagnostics,
            );
            match read {
                Ok(op) => built.operations.push(op),
                Err(e) => {
                    let (at, message) = e.into_defect()?;
                    let what = built.left_out(method, path);
                    diagnostics.warn(
                        Class::UnreadableOperation,
                        &at,
                        message,
                        format!("left out {what}"),
                    );
                }
            }
        }
    }
    Ok(built)
}

/// A path item (following a `$ref`) and the parameters it gives all its operations.
fn path_item<'a>(doc: &'a Value, item: &Node<'a>) -> Result<(Node<'a>, Vec<Node<'a>>)> {
    let (item, _) = resolve(doc, item.clone())?;
    let shared = item.list("parameters")?;
    Ok((item, shared))
}

#[allow(clippy::too_many_arguments)]
fn operation<'a>(
    doc: &'a Value,
    path: &str,
    method: &str,
    op: &Node<'a>,
    shared: &[Node<'a>],
    types: &mut TypeBuilder<'a>,
    unmodeled: &mut Unmodeled,
    diagnostics: &mut Diagnostics,
) -> Result<Operation> {
    op.object()?;
    let operation_id = match op.str("operationId")? {
        Some(id) => id.to_owned(),
        None => upper_camel(&format!("{method} {path}")),
    };
    let mut path_params = Vec::new();
    let mut fields = Vec::new();
    let mut places = Vec::new();
    let mut schemas = Vec::new();
    let what = format!("{} {path}", method.to_ascii_uppercase());
    let parameters = merged_parameters(doc, shared, &op.list("parameters")?, diagnostics)?;
    for (used_at, p) in parameters {
        let name = p
            .str("name")?
            .ok_or_else(|| Error::spec(&p.pointer, "parameter without a `name`"))?;
        let location = p
            .str("in")?
            .ok_or_else(|| Error::spec(&p.pointer, "parameter without `in`"))?;
        let any_string = Shape {
            ty: TypeRef::String,
            nullable: false,
        };
        let shape = match (p.get("schema"), p.get("content")) {
            (Some(s), _) => types.shape(&s)?,
            // The value arrives serialized in the media type: the caller passes that text.
            (None, Some(content)) => {
                unmodeled.record(
                    "parameter described by `content` (read as a string)",
                    &content.pointer,
                );
                any_string
            }
            (None, None) => {
                diagnostics.warn(
                    Class::ParameterWithoutSchema,
                    &p.pointer,
                    format!("the parameter `{name}` has neither `schema` nor `content`"),
                    format!("read the parameter `{name}` of {what} as a string"),
                );
                any_string
            }
        };
        let required = p.flag("required")? || location == "path";
        let style = p.str("style")?;
        let written_as = match location {
            "query" => Some(["form", "deepObject"].as_slice()),
            "path" | "header" => Some(["simple"].as_slice()),
            _ => None,
        };
        if let (Some(style), Some(written_as)) = (style, written_as) {
            if !written_as.contains(&style) {
                unmodeled.record(
                    format!(
                        "{location} parameter style `{style}` (written as `{}`)",
                        written_as[0]
                    ),
                    &p.pointer.push("style"),
                );
            }
        }
        let place = match (location, style) {
            ("path", _) => {
                if !path.contains(&format!("{{{name}}}")) {
                    diagnostics.warn(
                        Class::PathParameterNotInPath,
                        &used_at,
                        format!("path parameter `{name}` does not appear in the path `{path}`"),
                        format!("ignored the parameter `{name}` of {what}"),
                    );
                    continue;
                }
                path_params.push(Param {
                    json_name: name.to_owned(),
                    name: snake(name),
                    ty: shape.ty,
                    required,
                    doc: p.description().map(str::to_owned),
                    example: p.value.get("example").cloned(),
                    schema: p.get("schema").map(|s| s.pointer),
                });
                continue;
            }
            ("query", Some("deepObject")) => ParamPlace::DeepObject,
            ("query", _) => ParamPlace::Query {
                explode: explode(&p, diagnostics),
            },
            ("header", _) => ParamPlace::Header,
            (other, _) => {
                unmodeled.record(format!("{other} parameter"), &p.pointer);
                continue;
            }
        };
        places.push((name.to_owned(), place));
        schemas.push(p.get("schema").map(|s| s.pointer));
        fields.push(Field {
            json_name: name.to_owned(),
            name: String::new(),
            ty: shape.ty,
            required,
            nullable: shape.nullable,
            doc: p.description().map(str::to_owned),
            deprecated: p.flag("deprecated")?,
            boxed: false,
            example: p.value.get("example").cloned(),
            pointer: p.pointer.clone(),
        });
    }
    let placement = types.placements.of_operation(method, path);
    let call = format!("{}().{}()", placement.service.join("()."), placement.method);
    let params = (!fields.is_empty()).then(|| Params {
        ty: TypeRef::Named(types.params_struct(&op.pointer, &placement.owner, &call, fields)),
        places,
        schemas,
    });
    for placeholder in placeholders(path) {
        if !path_params.iter().any(|p| p.json_name == placeholder) {
            let name = snake(placeholder);
            diagnostics.warn(
                Class::PlaceholderWithoutParameter,
                &op.pointer,
                format!(
                    "the path `{path}` has `{{{placeholder}}}` but no path parameter of that name"
                ),
                format!("added the string path parameter `{name}` to {what}"),
            );
            path_params.push(Param {
                json_name: placeholder.to_owned(),
                name,
                ty: TypeRef::String,
                required: true,
                doc: None,
                example: None,
                schema: None,
            });
        }
    }
    path_params.sort_by_key(|p| path.find(&format!("{{{}}}", p.json_name)));
    let mut bodies = match op.get("requestBody") {
        Some(b) => request_bodies(doc, &b, types)?,
        None => Vec::new(),
    };
    let body = (!bodies.is_empty()).then(|| bodies.remove(0));
    let response = success_response(doc, op, types, unmodeled)?;
    if let Some(cb) = op.get("callbacks") {
        if cb.value.as_object().is_some_and(|m| !m.is_empty()) {
            unmodeled.record("operation callbacks", &cb.pointer);
        }
    }
    let description = op.description().map(str::to_owned);
    let text = description.as_deref().unwrap_or("");
    Ok(Operation {
        webhooks: expected_webhooks(text),
        unconditional_webhooks: unconditional_webhooks(text),
        operation_id,
        method: method.to_ascii_uppercase(),
        path: path.to_owned(),
        pointer: op.pointer.clone(),
        service: placement.service,
        name: placement.method,
        summary: op.str("summary")?.map(str::to_owned),
        description,
        deprecated: op.flag("deprecated")?,
        path_params,
        params,
        body,
        alternatives: bodies,
        response,
        pagination: None,
    })
}

/// A query parameter's `explode`: `true` unless it says otherwise (form style's default).
fn explode(p: &Node<'_>, diagnostics: &mut Diagnostics) -> bool {
    match p.value.get("explode") {
        None => true,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            diagnostics.warn(
                Class::IgnoredKeywordValue,
                &p.pointer.push("explode"),
                format!("`explode` is {}, not a boolean", kind(other)),
                "read the default, `explode: true`",
            );
            true
        }
    }
}

/// Path-level parameters overridden by operation-level ones with the same name and location, each
/// with the place it is used (the `parameters` entry, which may be a `$ref`). One list naming a
/// parameter twice is a defect: the last is read.
fn merged_parameters<'a>(
    doc: &'a Value,
    shared: &[Node<'a>],
    own: &[Node<'a>],
    diagnostics: &mut Diagnostics,
) -> Result<Vec<(Pointer, Node<'a>)>> {
    let mut out: Vec<(Pointer, Node<'a>)> = Vec::new();
    // The list (path item's, operation's) each parameter was last set from.
    let mut set_by: Vec<usize> = Vec::new();
    for (list, level) in [(shared, 0), (own, 1)] {
        for used in list {
            let (p, _) = resolve(doc, used.clone())?;
            p.object()?;
            let key = (p.str("name")?, p.str("in")?);
            let mut replaced = false;
            for (slot, by) in out.iter_mut().zip(set_by.iter_mut()) {
                if (slot.1.str("name")?, slot.1.str("in")?) != key {
                    continue;
                }
                if *by == level && !replaced {
                    let (name, location) = (key.0.unwrap_or("?"), key.1.unwrap_or("?"));
                    diagnostics.warn(
                        Class::DuplicateParameter,
                        &used.pointer,
                        format!("the {location} parameter `{name}` is listed twice"),
                        format!("read this one, not the one at {}", slot.0),
                    );
                }
                *slot = (used.pointer.clone(), p.clone());
                *by = level;
                replaced = true;
            }
            if !replaced {
                out.push((used.pointer.clone(), p));
                set_by.push(level);
            }
        }
    }
    Ok(out)
}

fn placeholders(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// Whether every query and header parameter of an operation is optional: then a call may leave them
/// all out (`list()`), and `list_with(params)` sends them.
pub fn params_optional(space: &TypeSpace, params: &Params) -> bool {
    match params.ty.named().map(|id| &space.get(id).kind) {
        Some(TypeKind::Struct(s)) => s.fields.iter().all(|f| !f.required),
        _ => false,
    }
}

/// Event types listed under "Expected Webhooks" in an operation's description.
pub fn expected_webhooks(description: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in webhook_lines(description) {
        if let Some(event) = line.split('`').nth(1) {
            if !out.iter().any(|e| e == event) {
                out.push(event.to_owned());
            }
        }
    }
    out
}

/// The expected webhooks whose line names the event and nothing else: what always follows the
/// operation, as far as its documentation says.
pub fn unconditional_webhooks(description: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in webhook_lines(description) {
        let item = line.trim_start_matches(['-', '*']).trim();
        let Some(event) = item
            .strip_prefix('`')
            .and_then(|rest| rest.strip_suffix('`'))
        else {
            continue;
        };
        if !event.contains('`') && !event.is_empty() && !out.iter().any(|e| e == event) {
            out.push(event.to_owned());
        }
    }
    out
}

/// The bullet lines of the "Expected Webhooks" list, trimmed.
fn webhook_lines(description: &str) -> Vec<&str> {
    let Some(start) = description.find("Expected Webhooks") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for line in description[start..].lines().skip(1) {
        let line = line.trim();
        if line.is_empty() {
            if out.is_empty() {
                continue;
            }
            break;
        }
        if !line.starts_with('-') && !line.starts_with('*') {
            break;
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_webhooks_are_read_from_the_description() {
        let d = "Gathers digits.\n\n**Expected Webhooks:**\n\n- `call.dtmf.received` (you may receive many of these webhooks)\n- `call.gather.ended`\n\nMore text `x`.";
        assert_eq!(
            expected_webhooks(d),
            ["call.dtmf.received", "call.gather.ended"]
        );
        assert!(expected_webhooks("no list").is_empty());
    }

    #[test]
    fn only_events_alone_on_their_line_are_unconditional() {
        let d = "Answers.\n\n**Expected Webhooks:**\n\n- `call.answered`\n- `call.hold` and `call.unhold` if the call is held\n- `call.dtmf.received` (you may receive many)\n- `call.bridged` to Leg B\n* `call.hangup`\n\nWhen `record` is set.";
        assert_eq!(unconditional_webhooks(d), ["call.answered", "call.hangup"]);
        assert_eq!(
            expected_webhooks(d),
            [
                "call.answered",
                "call.hold",
                "call.dtmf.received",
                "call.bridged",
                "call.hangup"
            ]
        );
        assert!(unconditional_webhooks("no list").is_empty());
    }
}

//! Operations in scope: method, path, parameters, request body and success response, and where each one
//! lives in the client (`client.calls().actions().speak(..)`).

use super::schema::{Shape, TypeBuilder};
use super::types::TypeRef;
use super::unmodeled::Unmodeled;
use super::Scope;
use crate::error::{Error, Result};
use crate::naming::{snake, upper_camel};
use crate::pointer::Pointer;
use crate::spec::view::{resolve, Node};
use serde_json::Value;

pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

#[derive(Debug, Clone)]
pub struct Operation {
    pub operation_id: String,
    /// Upper case (`POST`).
    pub method: String,
    pub path: String,
    pub pointer: Pointer,
    /// Nested services from the client (`["calls", "actions"]`).
    pub service: Vec<String>,
    /// The method's name in its service (identifier token).
    pub name: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub path_params: Vec<Param>,
    pub query_params: Vec<Param>,
    pub body: Option<Body>,
    pub response: Response,
    /// Webhook event types the operation's docs say it triggers (`call.gather.ended`).
    pub webhooks: Vec<String>,
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
}

#[derive(Debug, Clone)]
pub struct Body {
    pub ty: TypeRef,
    pub required: bool,
    pub media_type: String,
}

#[derive(Debug, Clone)]
pub struct Response {
    /// The success status the spec documents (200 when it documents none).
    pub status: u16,
    /// The success body; `None` when the spec documents no JSON body.
    pub ty: Option<TypeRef>,
    /// Error statuses the spec documents (`422`, `default`), for the docs.
    pub errors: Vec<String>,
}

/// Builds every operation in scope, in file order (paths, then methods in their usual order).
pub fn build_operations<'a>(
    doc: &'a Value,
    scope: &Scope,
    types: &mut TypeBuilder<'a>,
    unmodeled: &mut Unmodeled,
) -> Result<Vec<Operation>> {
    let root = Node::new(doc, Pointer::root());
    let mut out = Vec::new();
    for (path, item) in root.entries("paths")? {
        let (item, _) = resolve(doc, item)?;
        let shared = item.list("parameters")?;
        for method in METHODS {
            let Some(op) = item.get(method) else {
                continue;
            };
            if !scope.includes_operation(method, path) {
                continue;
            }
            out.push(operation(
                doc, path, method, &op, &shared, types, unmodeled,
            )?);
        }
    }
    Ok(out)
}

fn operation<'a>(
    doc: &'a Value,
    path: &str,
    method: &str,
    op: &Node<'a>,
    shared: &[Node<'a>],
    types: &mut TypeBuilder<'a>,
    unmodeled: &mut Unmodeled,
) -> Result<Operation> {
    op.object()?;
    let operation_id = match op.str("operationId")? {
        Some(id) => id.to_owned(),
        None => upper_camel(&format!("{method} {path}")),
    };
    let mut path_params = Vec::new();
    let mut query_params = Vec::new();
    for p in merged_parameters(doc, shared, &op.list("parameters")?)? {
        let name = p
            .str("name")?
            .ok_or_else(|| Error::spec(&p.pointer, "parameter without a `name`"))?;
        let location = p
            .str("in")?
            .ok_or_else(|| Error::spec(&p.pointer, "parameter without `in`"))?;
        let shape = match p.get("schema") {
            Some(s) => types.shape(&s)?,
            None => Shape {
                ty: TypeRef::String,
                nullable: false,
            },
        };
        let param = Param {
            json_name: name.to_owned(),
            name: snake(name),
            ty: shape.ty,
            required: p.flag("required")? || location == "path",
            doc: p.description().map(str::to_owned),
            example: p.value.get("example").cloned(),
        };
        match location {
            "path" => {
                if !path.contains(&format!("{{{name}}}")) {
                    return Err(Error::spec(
                        &p.pointer.push("name"),
                        format!("path parameter `{name}` does not appear in the path `{path}`"),
                    ));
                }
                path_params.push(param);
            }
            "query" => query_params.push(param),
            other => unmodeled.record(format!("{other} parameter"), &p.pointer),
        }
    }
    for placeholder in placeholders(path) {
        if !path_params.iter().any(|p| p.json_name == placeholder) {
            return Err(Error::spec(
                &op.pointer,
                format!(
                    "the path `{path}` has `{{{placeholder}}}` but no path parameter of that name"
                ),
            ));
        }
    }
    path_params.sort_by_key(|p| path.find(&format!("{{{}}}", p.json_name)));
    let body = match op.get("requestBody") {
        Some(b) => request_body(doc, &b, types, unmodeled)?,
        None => None,
    };
    let response = responses(doc, op, types, unmodeled)?;
    if let Some(cb) = op.get("callbacks") {
        if cb.value.as_object().is_some_and(|m| !m.is_empty()) {
            unmodeled.record("operation callbacks", &cb.pointer);
        }
    }
    let description = op.description().map(str::to_owned);
    let (service, name) = placement(path, &operation_id);
    Ok(Operation {
        webhooks: expected_webhooks(description.as_deref().unwrap_or("")),
        operation_id,
        method: method.to_ascii_uppercase(),
        path: path.to_owned(),
        pointer: op.pointer.clone(),
        service,
        name,
        summary: op.str("summary")?.map(str::to_owned),
        description,
        deprecated: op.flag("deprecated")?,
        path_params,
        query_params,
        body,
        response,
    })
}

/// Path-level parameters overridden by operation-level ones with the same name and location.
fn merged_parameters<'a>(
    doc: &'a Value,
    shared: &[Node<'a>],
    own: &[Node<'a>],
) -> Result<Vec<Node<'a>>> {
    let mut out: Vec<Node<'a>> = Vec::new();
    for p in shared.iter().chain(own) {
        let (p, _) = resolve(doc, p.clone())?;
        p.object()?;
        let key = (
            p.str("name")?.map(str::to_owned),
            p.str("in")?.map(str::to_owned),
        );
        let mut replaced = false;
        for slot in out.iter_mut() {
            if (
                slot.str("name")?.map(str::to_owned),
                slot.str("in")?.map(str::to_owned),
            ) == key
            {
                *slot = p.clone();
                replaced = true;
            }
        }
        if !replaced {
            out.push(p);
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

/// Whether a media type carries JSON.
fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

fn request_body<'a>(
    doc: &'a Value,
    body: &Node<'a>,
    types: &mut TypeBuilder<'a>,
    unmodeled: &mut Unmodeled,
) -> Result<Option<Body>> {
    let (body, _) = resolve(doc, body.clone())?;
    let content = body.entries("content")?;
    let Some((media_type, media)) = content.iter().find(|(mt, _)| is_json(mt)) else {
        for (mt, media) in &content {
            unmodeled.record(format!("request body `{mt}`"), &media.pointer);
        }
        return Ok(None);
    };
    for (mt, media) in &content {
        if mt != media_type {
            unmodeled.record(
                format!("request body `{mt}` (besides JSON)"),
                &media.pointer,
            );
        }
    }
    let ty = match media.get("schema") {
        Some(s) => types.shape(&s)?.ty,
        None => TypeRef::Json,
    };
    Ok(Some(Body {
        ty,
        required: body.flag("required")?,
        media_type: (*media_type).to_owned(),
    }))
}

fn responses<'a>(
    doc: &'a Value,
    op: &Node<'a>,
    types: &mut TypeBuilder<'a>,
    unmodeled: &mut Unmodeled,
) -> Result<Response> {
    let all = op.entries("responses")?;
    let mut success: Option<(u16, Node<'a>)> = None;
    let mut errors = Vec::new();
    for (code, resp) in &all {
        match code.parse::<u16>() {
            Ok(status @ 200..=299) if success.as_ref().is_none_or(|(s, _)| status < *s) => {
                success = Some((status, resp.clone()));
            }
            Ok(200..=299) => {}
            _ => errors.push((*code).to_owned()),
        }
    }
    let Some((status, resp)) = success else {
        return Ok(Response {
            status: 200,
            ty: None,
            errors,
        });
    };
    let (resp, _) = resolve(doc, resp)?;
    let content = resp.entries("content")?;
    let ty = match content.iter().find(|(mt, _)| is_json(mt)) {
        Some((_, media)) => match media.get("schema") {
            Some(s) => Some(types.shape(&s)?.ty),
            None => Some(TypeRef::Json),
        },
        None => {
            for (mt, media) in &content {
                unmodeled.record(format!("response body `{mt}`"), &media.pointer);
            }
            None
        }
    };
    Ok(Response { status, ty, errors })
}

/// Where an operation goes: its service path and method name. Services follow the path's static
/// segments (`/calls/...` → `calls`); call actions (`.../actions/<name>`) go to a nested `actions` service
/// and are named after the last segment, which is stable across spec updates. Other operations are
/// named after their operationId.
pub fn placement(path: &str, operation_id: &str) -> (Vec<String>, String) {
    let segments: Vec<&str> = path
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let statics: Vec<&str> = segments
        .iter()
        .copied()
        .filter(|s| !s.starts_with('{'))
        .collect();
    let first = statics
        .first()
        .map(|s| snake(s))
        .unwrap_or_else(|| "root".into());
    let n = segments.len();
    if n >= 2 && segments[n - 2] == "actions" && !segments[n - 1].starts_with('{') {
        return (vec![first, "actions".into()], snake(segments[n - 1]));
    }
    (vec![first], snake(operation_id))
}

/// Event types listed under "Expected Webhooks" in an operation's description.
pub fn expected_webhooks(description: &str) -> Vec<String> {
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
        if let Some(event) = line.split('`').nth(1) {
            if !out.iter().any(|e| e == event) {
                out.push(event.to_owned());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_named_by_their_last_segment() {
        assert_eq!(
            placement(
                "/calls/{call_control_id}/actions/gather_using_speak",
                "GatherUsingSpeak"
            ),
            (
                vec!["calls".to_string(), "actions".to_string()],
                "gather_using_speak".to_string()
            )
        );
        assert_eq!(
            placement("/calls", "DialCall"),
            (vec!["calls".to_string()], "dial_call".to_string())
        );
        assert_eq!(
            placement("/calls/{call_control_id}", "RetrieveCallStatus"),
            (
                vec!["calls".to_string()],
                "retrieve_call_status".to_string()
            )
        );
    }

    #[test]
    fn expected_webhooks_are_read_from_the_description() {
        let d = "Gathers digits.\n\n**Expected Webhooks:**\n\n- `call.dtmf.received` (you may receive many of these webhooks)\n- `call.gather.ended`\n\nMore text `x`.";
        assert_eq!(
            expected_webhooks(d),
            ["call.dtmf.received", "call.gather.ended"]
        );
        assert!(expected_webhooks("no list").is_empty());
    }
}

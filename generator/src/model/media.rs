//! Request bodies and success responses by media type: JSON (typed), form-encoded (typed), multipart
//! (parts), raw bytes and text. Every media type the spec uses has a representation; only the choice
//! among several for one operation is made here (JSON first, the others become extra methods).

use super::context::context_name;
pub use super::media_class::MediaClass;
use super::schema::TypeBuilder;
use super::types::TypeRef;
use super::unmodeled::Unmodeled;
use crate::error::Result;
use crate::pointer::Pointer;
use crate::spec::view::{resolve, Node};
use serde_json::Value;

/// A documented part of a multipart body (for the method's docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartDoc {
    pub name: String,
    pub required: bool,
    pub file: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub class: MediaClass,
    pub media_type: String,
    /// The typed body (JSON and form bodies).
    pub ty: Option<TypeRef>,
    /// The parts a multipart body documents.
    pub parts: Vec<PartDoc>,
    pub required: bool,
    /// Where the body's schema is.
    pub schema: Option<Pointer>,
}

#[derive(Debug, Clone)]
pub struct Response {
    /// The success status the spec documents (200 when it documents none).
    pub status: u16,
    /// How the success body is read; `None` when there is none.
    pub class: Option<MediaClass>,
    pub media_type: Option<String>,
    /// The typed success body (JSON).
    pub ty: Option<TypeRef>,
    /// Error statuses the spec documents (`422`, `default`), for the docs.
    pub errors: Vec<String>,
}

/// The request bodies of an operation, preferred first (JSON, form, multipart, text, bytes).
pub fn request_bodies<'a>(
    doc: &'a Value,
    body: &Node<'a>,
    types: &mut TypeBuilder<'a>,
) -> Result<Vec<Body>> {
    let (body, _) = resolve(doc, body.clone())?;
    let required = body.flag("required")?;
    let mut out = Vec::new();
    for (media_type, media) in body.entries("content")? {
        let schema = media.get("schema");
        let class = class_of(doc, media_type, schema.as_ref())?;
        let (ty, parts) = match (class, &schema) {
            (MediaClass::Json | MediaClass::Form, Some(s)) => {
                (Some(types.shape(s)?.ty), Vec::new())
            }
            (MediaClass::Json | MediaClass::Form, None) => (Some(TypeRef::Json), Vec::new()),
            (MediaClass::Multipart, Some(s)) => (None, part_docs(doc, s)?),
            _ => (None, Vec::new()),
        };
        out.push(Body {
            class,
            media_type: media_type.to_owned(),
            ty,
            parts,
            required,
            schema: schema.map(|s| s.pointer),
        });
    }
    out.sort_by_key(|b| b.class.rank());
    // One body per class: a second JSON media type adds nothing a caller could choose.
    out.dedup_by_key(|b| b.class);
    Ok(out)
}

/// The properties of a multipart schema, files marked (`format: binary`): its own, its `allOf`
/// members' and, for `oneOf`/`anyOf`, every branch's (required only where the schema or an `allOf`
/// member requires them).
fn part_docs<'a>(doc: &'a Value, schema: &Node<'a>) -> Result<Vec<PartDoc>> {
    let mut out = Vec::new();
    collect_parts(doc, schema, true, &mut out, 0)?;
    Ok(out)
}

fn collect_parts<'a>(
    doc: &'a Value,
    schema: &Node<'a>,
    binding: bool,
    out: &mut Vec<PartDoc>,
    depth: usize,
) -> Result<()> {
    // Schemas deeper than this are not multipart bodies anyone writes; a cycle ends here.
    if depth > 16 {
        return Ok(());
    }
    let (schema, _) = resolve(doc, schema.clone())?;
    let required = schema.strings("required")?;
    for (name, prop) in schema.entries("properties")? {
        let (prop, _) = resolve(doc, prop)?;
        let format = prop.str("format")?;
        let items_format = prop
            .get("items")
            .and_then(|i| i.value.get("format"))
            .and_then(Value::as_str);
        let part = PartDoc {
            name: name.to_owned(),
            required: binding && required.contains(&name),
            file: matches!(format, Some("binary")) || matches!(items_format, Some("binary")),
            doc: prop.description().map(str::to_owned),
        };
        match out.iter_mut().find(|p| p.name == part.name) {
            Some(seen) => {
                seen.required |= part.required;
                seen.file |= part.file;
            }
            None => out.push(part),
        }
    }
    for member in schema.list("allOf")? {
        collect_parts(doc, &member, binding, out, depth + 1)?;
    }
    for key in ["oneOf", "anyOf"] {
        for branch in schema.list(key)? {
            collect_parts(doc, &branch, false, out, depth + 1)?;
        }
    }
    Ok(())
}

/// How a body of `media_type` is carried. A wildcard (`*/*`, or the invalid `*` the spec also uses)
/// says nothing of the body, so its schema decides: a binary string is bytes, anything else JSON.
fn class_of<'a>(doc: &'a Value, media_type: &str, schema: Option<&Node<'a>>) -> Result<MediaClass> {
    let class = MediaClass::of(media_type);
    if !media_type.contains('*') {
        return Ok(class);
    }
    let Some(schema) = schema else {
        return Ok(class);
    };
    let (schema, _) = resolve(doc, schema.clone())?;
    let binary = schema.str("type")? == Some("string") && schema.str("format")? == Some("binary");
    Ok(if binary { MediaClass::Bytes } else { class })
}

/// The success response: the lowest documented 2xx (else the `2XX` range, read as 200) and how its
/// body is read. Other successes with another body are recorded as not modeled.
pub fn success_response<'a>(
    doc: &'a Value,
    op: &Node<'a>,
    types: &mut TypeBuilder<'a>,
    unmodeled: &mut Unmodeled,
) -> Result<Response> {
    let mut successes: Vec<(u16, Node<'a>)> = Vec::new();
    let mut any_success = None;
    let mut errors = Vec::new();
    for (code, resp) in op.entries("responses")? {
        match code.parse::<u16>() {
            Ok(status @ 200..=299) => successes.push((status, resp)),
            // The range stands for every success status the list does not name.
            _ if code.eq_ignore_ascii_case("2XX") => any_success = Some(resp),
            _ => errors.push(code.to_owned()),
        }
    }
    successes.sort_by_key(|(status, _)| *status);
    if successes.is_empty() {
        successes.extend(any_success.map(|resp| (200, resp)));
    }
    let body = |resp: &Node<'a>| -> Result<Option<&'a Value>> {
        Ok(resolve(doc, resp.clone())?.0.value.get("content"))
    };
    if let Some(((_, first), others)) = successes.split_first() {
        let first = body(first)?;
        for (_, other) in others {
            if body(other)? != first {
                unmodeled.record(
                    "success response with another body than the first (its body is not read)",
                    &other.pointer,
                );
            }
        }
    }
    let Some((status, resp)) = successes.into_iter().next() else {
        return Ok(Response {
            status: 200,
            class: None,
            media_type: None,
            ty: None,
            errors,
        });
    };
    let written_at = resp.pointer.clone();
    let (resp, _) = resolve(doc, resp)?;
    let mut content = Vec::new();
    for (media_type, media) in resp.entries("content")? {
        let class = class_of(doc, media_type, media.get("schema").as_ref())?;
        content.push((class, media_type, media));
    }
    content.sort_by_key(|(class, _, _)| class.rank());
    let Some((class, media_type, media)) = content.into_iter().next() else {
        return Ok(Response {
            status,
            class: None,
            media_type: None,
            ty: None,
            errors,
        });
    };
    let ty = match (class, media.get("schema")) {
        (MediaClass::Json, Some(s)) => Some(response_type(doc, &written_at, &s, types)?),
        (MediaClass::Json, None) => Some(TypeRef::Json),
        _ => None,
    };
    // A form-encoded response is not something this API sends; read it as text.
    let class = if class == MediaClass::Form || class == MediaClass::Multipart {
        MediaClass::Text
    } else {
        class
    };
    Ok(Response {
        status,
        class: Some(class),
        media_type: Some(media_type.to_owned()),
        ty,
        errors,
    })
}

/// The type of a success response body. A body whose schema is written in the operation is named
/// after it (`<OperationId>Response`); one that is a `$ref` (to a response or a schema component) gets
/// that name too, as an alias, so the name holds when upstream moves the schema between the operation
/// and the components. The alias is left out when the target already has that name, and when a
/// component has it (the component keeps its name; the response is then named by its target).
fn response_type<'a>(
    doc: &'a Value,
    written_at: &Pointer,
    schema: &Node<'a>,
    types: &mut TypeBuilder<'a>,
) -> Result<TypeRef> {
    let ty = types.shape(schema)?.ty;
    let TypeRef::Named(target) = ty else {
        return Ok(ty);
    };
    if types.space.defs[target.0].pointer.is_within(written_at) {
        return Ok(ty);
    }
    let wanted = context_name(doc, written_at, &types.placements);
    if types.wanted_name(target) == wanted || types.is_component_name(&wanted) {
        return Ok(ty);
    }
    let doc = "The body of this operation's success response. The spec refers to a schema defined \
               elsewhere; this name stays if that schema moves into the operation or away from it."
        .to_owned();
    Ok(TypeRef::Named(types.alias_at(
        written_at.clone(),
        wanted,
        ty,
        doc,
    )))
}

#[cfg(test)]
mod tests {
    use super::{class_of, MediaClass};
    use crate::pointer::Pointer;
    use crate::spec::view::Node;
    use serde_json::json;

    #[test]
    fn wildcards_are_read_by_their_schema() {
        let doc = json!({
            "binary": {"type": "string", "format": "binary"},
            "object": {"type": "object"}
        });
        let node = |k: &str| Node::new(&doc[k], Pointer::root().push(k));
        let class = |mt: &str, k: &str| class_of(&doc, mt, Some(&node(k))).ok();
        assert_eq!(class("*", "binary"), Some(MediaClass::Bytes));
        assert_eq!(class("*/*", "binary"), Some(MediaClass::Bytes));
        assert_eq!(class("*/*", "object"), Some(MediaClass::Json));
        assert_eq!(class("application/json", "binary"), Some(MediaClass::Json));
    }

    #[test]
    fn media_types_map_to_how_they_are_carried() {
        assert_eq!(
            MediaClass::of("application/json; charset=utf-8"),
            MediaClass::Json
        );
        assert_eq!(MediaClass::of("application/vnd.api+json"), MediaClass::Json);
        assert_eq!(MediaClass::of("*/*"), MediaClass::Json);
        assert_eq!(
            MediaClass::of("application/x-www-form-urlencoded"),
            MediaClass::Form
        );
        assert_eq!(MediaClass::of("multipart/form-data"), MediaClass::Multipart);
        assert_eq!(MediaClass::of("text/csv"), MediaClass::Text);
        assert_eq!(MediaClass::of("application/pdf"), MediaClass::Bytes);
        assert_eq!(MediaClass::of("audio/wav"), MediaClass::Bytes);
    }
}

//! The Rust a user of the crate sees for a model element, written as short strings (`Vec<Option<Call>>`)
//! that can be compared across two models, whose type ids differ.
//!
//! These rules restate the emitter's (`emit::rust::ty`, field storage and builders in `emit::types`,
//! argument lists in `emit::services`): a change the emitter turns into different Rust must show here
//! as a different string. Keep them in step.

use crate::model::operations::{Body, MediaClass, Operation};
use crate::model::types::{Field, Struct, TypeDef, TypeKind, TypeRef, TypeSpace};

/// A type reference as Rust, with named types by their Rust name.
pub fn render(space: &TypeSpace, t: &TypeRef) -> String {
    match t {
        TypeRef::String => "String".into(),
        TypeRef::Integer { bits32: true } => "i32".into(),
        TypeRef::Integer { bits32: false } => "i64".into(),
        TypeRef::Number => "f64".into(),
        TypeRef::Boolean => "bool".into(),
        TypeRef::Json | TypeRef::JsonObject => "serde_json::Value".into(),
        TypeRef::Named(id) => space.name(*id).to_owned(),
        TypeRef::Array(item) => format!("Vec<{}>", render(space, item)),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", render(space, value)),
        TypeRef::Nullable(inner) => format!("Option<{}>", render(space, inner)),
    }
}

/// A field's value type (boxed when it is part of a cycle).
pub fn value_type(space: &TypeSpace, f: &Field) -> String {
    let base = render(space, &f.ty);
    if f.boxed {
        format!("Box<{base}>")
    } else {
        base
    }
}

/// How a field is stored in its struct: `T`, `Option<T>` (optional, or required but nullable), or
/// `Option<Option<T>>` (optional and nullable in a request type: absent, null or a value).
pub fn field_type(space: &TypeSpace, in_request: bool, f: &Field) -> String {
    stored(&value_type(space, f), f.required, f.nullable, in_request)
}

/// The storage of a value type for the given flags (see [`field_type`]).
pub fn stored(value: &str, required: bool, nullable: bool, in_request: bool) -> String {
    match (required, nullable) {
        (true, false) => value.to_owned(),
        (false, true) if in_request => format!("Option<Option<{value}>>"),
        _ => format!("Option<{value}>"),
    }
}

/// Whether a request type's builder asks for this field (required, and not a one-value enum that is
/// filled in).
pub fn builder_takes(space: &TypeSpace, f: &Field) -> bool {
    f.required && !is_constant(space, f)
}

fn is_constant(space: &TypeSpace, f: &Field) -> bool {
    match &f.ty {
        TypeRef::Named(id) => {
            matches!(&space.get(*id).kind, TypeKind::StringEnum(values) if values.len() == 1)
        }
        _ => false,
    }
}

/// Whether a struct derives `Default` (no field needs a value).
pub fn derives_default(s: &Struct) -> bool {
    s.fields.iter().all(|f| !f.required || f.nullable)
}

/// The kind of a type, in words.
pub fn kind_name(def: &TypeDef) -> &'static str {
    match def.kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::StringEnum(_) => "string enum",
        TypeKind::IntEnum(_) => "integer enum",
        TypeKind::Tagged(_) => "tagged union",
        TypeKind::Untagged(_) => "untagged union",
        TypeKind::Alias(_) => "alias",
    }
}

/// The call path of an operation from the client: `calls().actions().speak()`.
pub fn call_path(op: &Operation) -> String {
    let mut parts: Vec<String> = op.service.iter().map(|s| format!("{s}()")).collect();
    parts.push(format!("{}()", op.name));
    parts.join(".")
}

/// The Rust type of a body argument: the typed body for JSON and form bodies, else what the emitter
/// takes for the media class.
pub fn body_argument(space: &TypeSpace, body: &Body) -> String {
    match (body.class, &body.ty) {
        (MediaClass::Json | MediaClass::Form, Some(t)) => render(space, t),
        (MediaClass::Multipart, _) => "Vec<Part>".into(),
        (MediaClass::Text, _) => "String".into(),
        _ => "Vec<u8>".into(),
    }
}

/// An operation's response type (`()` without a documented body).
pub fn response_type(space: &TypeSpace, op: &Operation) -> String {
    match (op.response.class, &op.response.ty) {
        (Some(MediaClass::Json), Some(t)) => render(space, t),
        (Some(MediaClass::Text), _) => "String".into(),
        (Some(MediaClass::Bytes), _) => "Vec<u8>".into(),
        _ => "()".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pointer::Pointer;

    fn field(required: bool, nullable: bool) -> Field {
        Field {
            json_name: "x".into(),
            name: "x".into(),
            ty: TypeRef::Array(Box::new(TypeRef::Nullable(Box::new(TypeRef::Integer {
                bits32: true,
            })))),
            required,
            nullable,
            doc: None,
            deprecated: false,
            boxed: false,
            example: None,
            pointer: Pointer::root(),
        }
    }

    #[test]
    fn field_storage_follows_required_nullable_and_request_use() {
        let space = TypeSpace::default();
        let plain = "Vec<Option<i32>>";
        assert_eq!(field_type(&space, false, &field(true, false)), plain);
        assert_eq!(
            field_type(&space, false, &field(true, true)),
            format!("Option<{plain}>")
        );
        assert_eq!(
            field_type(&space, false, &field(false, true)),
            format!("Option<{plain}>")
        );
        assert_eq!(
            field_type(&space, true, &field(false, true)),
            format!("Option<Option<{plain}>>")
        );
        let mut boxed = field(true, false);
        boxed.boxed = true;
        assert_eq!(value_type(&space, &boxed), format!("Box<{plain}>"));
    }
}

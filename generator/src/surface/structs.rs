//! Structs as a user sees them: each field's storage and Rust type, whether the request builder asks
//! for it, fills it in or leaves it to a setter, and the struct's derives and constructor.

use super::RustType;
use crate::model::types::{Field, Struct, TypeDef, TypeKind, TypeRef, TypeSpace};
use crate::naming;

/// How a field is stored in its struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// Required and not nullable: `T`.
    Plain,
    /// Optional: `Option<T>`, skipped when `None`.
    Optional,
    /// Required but nullable: `Option<T>`, always sent.
    RequiredNullable,
    /// Optional and nullable in a request type: `Option<Option<T>>` (absent, `null`, or a value).
    ThreeState,
}

impl Storage {
    /// The storage rule: responses only need to read `null` as `None`; requests must be able to send
    /// it apart from leaving the field out.
    pub fn of(required: bool, nullable: bool, in_request: bool) -> Self {
        match (required, nullable) {
            (true, false) => Storage::Plain,
            (true, true) => Storage::RequiredNullable,
            (false, true) if in_request => Storage::ThreeState,
            (false, _) => Storage::Optional,
        }
    }

    /// The stored type for a value type.
    pub fn wrap(self, value: RustType) -> RustType {
        match self {
            Storage::Plain => value,
            Storage::Optional | Storage::RequiredNullable => value.option(),
            Storage::ThreeState => value.option().option(),
        }
    }
}

/// What a field is to the construction of a request type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuilderRole {
    /// The struct is not a request type: nothing constructs it but deserialization.
    None,
    /// Required: `builder()` asks for it; `state` names its typestate parameter.
    Argument { state: String },
    /// Required with one possible value (a one-value enum): `build()` fills it in.
    Constant { type_name: String, variant: String },
    /// Optional: a setter on the built value, and for three-state fields one that sends `null`.
    Setter {
        method: String,
        null_method: Option<String>,
    },
}

/// One field.
#[derive(Debug, Clone)]
pub struct FieldSurface<'m> {
    /// The model's field, for the change report.
    pub field: &'m Field,
    /// The field's word (made an identifier by [`naming::ident`]).
    pub word: &'m str,
    /// The key on the wire.
    pub json_name: &'m str,
    pub doc: Option<&'m str>,
    pub deprecated: bool,
    /// Stored behind a `Box` (it closes a cycle of types).
    pub boxed: bool,
    /// Whether serde needs `rename` to write the wire name.
    pub rename: bool,
    /// The type a setter takes (`impl Into<T>`).
    pub argument: RustType,
    /// The value type (`Box`ed when the field closes a cycle).
    pub value: RustType,
    pub storage: Storage,
    pub role: BuilderRole,
}

impl FieldSurface<'_> {
    /// The field's Rust type in its struct.
    pub fn stored(&self) -> RustType {
        self.storage.wrap(self.value.clone())
    }

    /// Whether `builder()` asks for this field.
    pub fn builder_takes(&self) -> bool {
        matches!(self.role, BuilderRole::Argument { .. })
    }
}

/// When a type's (generated) `Deserialize` impl is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deserialize {
    /// The client reads it (responses, webhooks), or nothing says it is only sent.
    Always,
    /// Only ever sent: with the `deserialize-requests` feature, as the impl costs compile time the
    /// client does not need.
    WithFeature,
}

impl Deserialize {
    /// When the impl is compiled, from how the type is used.
    pub fn of(def: &TypeDef) -> Self {
        if def.in_response || !def.in_request {
            Deserialize::Always
        } else {
            Deserialize::WithFeature
        }
    }
}

/// How a request type is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constructor {
    /// Not a request type.
    None,
    /// `builder()`, a typestate builder named `type_name`: `build()` exists once every argument is set.
    Builder { type_name: String },
    /// `new()`: every field is optional.
    New,
    /// A request type with only filled-in required fields and no `Default`: a struct literal.
    Literal,
}

/// A struct.
#[derive(Debug, Clone)]
pub struct StructSurface<'m> {
    /// The model's type, for the change report.
    pub def: &'m TypeDef,
    pub name: &'m str,
    pub doc: Option<&'m str>,
    /// Constraints the type cannot express (`anyOf` of `required` lists), for the docs.
    pub constraints: &'m [String],
    pub fields: Vec<FieldSurface<'m>>,
    /// The value type of the extra properties, kept in `additional_properties`.
    pub additional: Option<RustType>,
    /// Whether it implements `Default` (every field optional or nullable).
    pub has_default: bool,
    pub deserialize: Deserialize,
    pub constructor: Constructor,
    /// The setters that write a client state as JSON, then base64: `client_state_json(&state)` for
    /// an optional string `client_state` (which events caused by the request carry back), and
    /// `<field>_json` for another optional string `*_client_state` (a transfer's
    /// `target_leg_client_state`, which the new leg's events carry). `(field, setter)` each.
    pub client_state_json: Vec<(&'m str, String)>,
}

impl<'m> StructSurface<'m> {
    pub fn of(space: &TypeSpace, def: &'m TypeDef, s: &'m Struct) -> Self {
        let fields: Vec<FieldSurface<'m>> = s
            .fields
            .iter()
            .map(|f| field(space, def.in_request, f))
            .collect();
        let has_default = s.fields.iter().all(|f| !f.required || f.nullable);
        let constructor = if !def.in_request {
            Constructor::None
        } else if fields.iter().any(FieldSurface::builder_takes) {
            Constructor::Builder {
                type_name: naming::builder_type(&def.name),
            }
        } else if has_default {
            Constructor::New
        } else {
            Constructor::Literal
        };
        let client_state_json = s
            .fields
            .iter()
            .filter(|_| def.in_request)
            .filter(|f| {
                f.json_name.ends_with("client_state")
                    && !f.required
                    && matches!(f.ty, TypeRef::String)
            })
            .map(|f| (f.name.as_str(), format!("{}_json", f.name)))
            .filter(|(_, setter)| !s.fields.iter().any(|f| f.name == *setter))
            .collect();
        StructSurface {
            client_state_json,
            def,
            name: &def.name,
            doc: def.doc.as_deref(),
            constraints: &s.constraints,
            fields,
            additional: s.additional.as_ref().map(|a| RustType::of(space, a)),
            has_default,
            deserialize: Deserialize::of(def),
            constructor,
        }
    }
}

fn field<'m>(space: &TypeSpace, in_request: bool, f: &'m Field) -> FieldSurface<'m> {
    let storage = Storage::of(f.required, f.nullable, in_request);
    let role = match (in_request, f.required, constant(space, f)) {
        (false, _, _) => BuilderRole::None,
        // A required value that may be `null` is the caller's choice, even when only one value fits.
        (true, true, Some((type_name, variant))) if storage == Storage::Plain => {
            BuilderRole::Constant { type_name, variant }
        }
        (true, true, _) => BuilderRole::Argument {
            state: naming::builder_state(&f.name),
        },
        (true, false, _) => BuilderRole::Setter {
            method: naming::setter(&f.name),
            null_method: (storage == Storage::ThreeState).then(|| naming::null_setter(&f.name)),
        },
    };
    let argument = RustType::of(space, &f.ty);
    FieldSurface {
        field: f,
        word: &f.name,
        json_name: &f.json_name,
        doc: f.doc.as_deref(),
        deprecated: f.deprecated,
        boxed: f.boxed,
        rename: naming::serde_key(&f.name) != f.json_name,
        value: argument.clone().boxed_if(f.boxed),
        argument,
        storage,
        role,
    }
}

/// A field whose type has exactly one value (a one-value string enum): its type and variant.
fn constant(space: &TypeSpace, f: &Field) -> Option<(String, String)> {
    let TypeRef::Named(id) = &f.ty else {
        return None;
    };
    let def = space.get(*id);
    match &def.kind {
        TypeKind::StringEnum(values) if values.len() == 1 => {
            Some((def.name.clone(), values[0].name.clone()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pointer::Pointer;

    fn field_of(required: bool, nullable: bool) -> Field {
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
    fn storage_follows_required_nullable_and_request_use() {
        let space = TypeSpace::default();
        let stored = |required, nullable, in_request| {
            field(&space, in_request, &field_of(required, nullable))
                .stored()
                .to_string()
        };
        let plain = "Vec<Option<i32>>";
        assert_eq!(stored(true, false, false), plain);
        assert_eq!(stored(true, true, false), format!("Option<{plain}>"));
        assert_eq!(stored(false, true, false), format!("Option<{plain}>"));
        assert_eq!(
            stored(false, true, true),
            format!("Option<Option<{plain}>>")
        );
        let mut boxed = field_of(true, false);
        boxed.boxed = true;
        assert_eq!(
            field(&space, false, &boxed).value.to_string(),
            format!("Box<{plain}>")
        );
    }

    #[test]
    fn request_fields_are_builder_arguments_or_setters() {
        let space = TypeSpace::default();
        let (required, optional) = (field_of(true, false), field_of(false, true));
        assert!(field(&space, true, &required).builder_takes());
        let optional = field(&space, true, &optional);
        assert_eq!(
            optional.role,
            BuilderRole::Setter {
                method: "x".into(),
                null_method: Some("x_null".into())
            }
        );
        assert_eq!(
            field(&space, false, &field_of(true, false)).role,
            BuilderRole::None
        );
    }
}

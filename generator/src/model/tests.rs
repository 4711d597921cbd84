//! Type mapping, spec defects and spec errors, on small specs written in the test.

use super::types::*;
use super::{build, Model, Scope};
use crate::diagnostic::Class;
use crate::spec::{normalize, Normalized};
use serde_json::{json, Value};

/// A spec with one `POST /things` taking and returning `Thing`, plus `schemas`.
fn spec(schemas: Value) -> Normalized {
    normalize(json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"post": {
            "operationId": "CreateThing",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
        }}},
        "components": {"schemas": schemas}
    }))
    .unwrap()
}

fn model(schemas: Value) -> Model {
    build(&spec(schemas), &Scope::all()).unwrap()
}

/// `(class, pointer, message)` of every diagnostic of a model.
fn diagnostics(m: &Model) -> Vec<(Class, String, String)> {
    m.diagnostics
        .iter()
        .map(|d| (d.class, d.pointer.to_string(), d.message.clone()))
        .collect()
}

fn error(schemas: Value) -> String {
    build(&spec(schemas), &Scope::all())
        .unwrap_err()
        .to_string()
}

fn def<'a>(m: &'a Model, name: &str) -> &'a TypeDef {
    m.types
        .emitted()
        .into_iter()
        .map(|(_, d)| d)
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

fn fields<'a>(m: &'a Model, name: &str) -> &'a [Field] {
    match &def(m, name).kind {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

fn field<'a>(m: &'a Model, ty: &str, json: &str) -> &'a Field {
    fields(m, ty).iter().find(|f| f.json_name == json).unwrap()
}

#[test]
fn scalars_map_to_their_rust_types() {
    let m = model(
        json!({"Thing": {"type": "object", "required": ["a"], "properties": {
            "a": {"type": "integer", "format": "int32"},
            "b": {"type": "integer"},
            "c": {"type": "number"},
            "d": {"type": "boolean"},
            "e": {"type": "string", "format": "date-time"},
            "f": {"type": "array", "items": {"type": "string"}},
            "g": {},
            "h": {"type": "object"}
        }}}),
    );
    let ty = |n: &str| field(&m, "Thing", n).ty.clone();
    assert_eq!(ty("a"), TypeRef::Integer { bits32: true });
    assert_eq!(ty("b"), TypeRef::Integer { bits32: false });
    assert_eq!(ty("c"), TypeRef::Number);
    assert_eq!(ty("d"), TypeRef::Boolean);
    assert_eq!(
        ty("e"),
        TypeRef::String,
        "formats stay strings: responses must parse leniently"
    );
    assert_eq!(ty("f"), TypeRef::Array(Box::new(TypeRef::String)));
    assert_eq!(ty("g"), TypeRef::Json);
    assert_eq!(ty("h"), TypeRef::JsonObject);
    assert!(field(&m, "Thing", "a").required);
    assert!(!field(&m, "Thing", "b").required);
}

#[test]
fn nullability_comes_from_type_lists_nullable_and_null_branches() {
    let m = model(json!({
        "Inner": {"type": "object", "properties": {"x": {"type": "string"}}},
        "Thing": {"type": "object", "required": ["req"], "properties": {
            "req": {"type": ["string", "null"]},
            "old": {"type": "string", "nullable": true},
            "either": {"oneOf": [{"$ref": "#/components/schemas/Inner"}, {"type": "null"}]},
            "items": {"type": "array", "items": {"type": ["integer", "null"]}},
            "plain": {"type": "string"}
        }}
    }));
    assert!(field(&m, "Thing", "req").nullable && field(&m, "Thing", "req").required);
    assert!(field(&m, "Thing", "old").nullable);
    let either = field(&m, "Thing", "either");
    assert!(either.nullable);
    assert!(matches!(either.ty, TypeRef::Named(_)));
    assert_eq!(
        field(&m, "Thing", "items").ty,
        TypeRef::Array(Box::new(TypeRef::Nullable(Box::new(TypeRef::Integer {
            bits32: false
        }))))
    );
    assert!(!field(&m, "Thing", "plain").nullable);
    // The type is reached from a request body: optional nullable fields get three states.
    assert!(def(&m, "Thing").in_request && def(&m, "Thing").in_response);
}

#[test]
fn string_and_integer_enums_are_open_enums_with_readable_variants() {
    let m = model(json!({"Thing": {"type": "object", "properties": {
        "op": {"type": "string", "enum": ["+", "*", "deepgram/nova-3", "8000", "telnyx", "Telnyx", "unknown"]},
        "rate": {"type": "integer", "enum": [8000, 16000]},
        "flag": {"type": "boolean", "enum": [true, false]}
    }}}));
    let TypeKind::StringEnum(values) = &def(&m, "ThingOp").kind else {
        panic!()
    };
    let names: Vec<&str> = values.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Plus",
            "Star",
            "DeepgramNova3",
            "_8000",
            "TelnyxLower",
            "Telnyx",
            "UnknownLower"
        ]
    );
    let TypeKind::IntEnum(values) = &def(&m, "ThingRate").kind else {
        panic!()
    };
    assert_eq!(
        values.iter().map(|v| v.value).collect::<Vec<_>>(),
        [8000, 16000]
    );
    assert_eq!(field(&m, "Thing", "flag").ty, TypeRef::Boolean);
}

#[test]
fn discriminated_unions_drop_the_tag_from_variants_and_unit_variants_need_no_struct() {
    let m = model(json!({
        "Aws": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["aws"]}}},
        "Eleven": {"type": "object", "required": ["type", "key"], "properties": {"type": {"const": "elevenlabs"}, "key": {"type": "string"}}},
        "Thing": {"type": "object", "properties": {"voice": {
            "oneOf": [{"$ref": "#/components/schemas/Aws"}, {"$ref": "#/components/schemas/Eleven"}],
            "discriminator": {"propertyName": "type", "mapping": {"aws": "#/components/schemas/Aws", "elevenlabs": "#/components/schemas/Eleven"}}
        }}}
    }));
    let TypeKind::Tagged(u) = &def(&m, "ThingVoice").kind else {
        panic!()
    };
    assert_eq!(u.tag, "type");
    assert_eq!(u.variants.len(), 2);
    assert_eq!(
        (u.variants[0].name.as_str(), u.variants[0].ty),
        ("Aws", None)
    );
    assert!(u.variants[1].ty.is_some());
    assert_eq!(
        fields(&m, "Eleven")
            .iter()
            .map(|f| f.json_name.as_str())
            .collect::<Vec<_>>(),
        ["key"]
    );
    assert!(
        m.types.emitted().iter().all(|(_, d)| d.name != "Aws"),
        "a tag-only struct is not emitted"
    );
}

#[test]
fn a_variant_struct_also_used_directly_keeps_its_tag_as_optional() {
    let m = model(json!({
        "Tool": {"type": "object", "required": ["type", "name"], "properties": {"type": {"const": "hangup"}, "name": {"type": "string"}}},
        "Thing": {"type": "object", "properties": {
            "tools": {"type": "array", "items": {"oneOf": [{"$ref": "#/components/schemas/Tool"}], "discriminator": {"propertyName": "type"}}},
            "direct": {"$ref": "#/components/schemas/Tool"}
        }}
    }));
    let tag = field(&m, "Tool", "type");
    assert!(
        !tag.required,
        "read through the union, the tag is taken by serde"
    );
}

/// The vendor's construct of 2026-01: a tagged union whose branch is an untagged union of objects
/// that declare the tag themselves. Serde writes the tag: the branches lose it, through the untagged
/// union, unless that union is also used where no tag is written.
#[test]
fn the_branches_of_an_untagged_union_inside_a_tagged_one_drop_the_tag() {
    let deepgram = json!({"oneOf": [
        {"type": "object", "required": ["engine", "model"], "properties": {"engine": {"const": "Deepgram"}, "model": {"const": "nova-2"}}},
        {"type": "object", "required": ["engine", "model"], "properties": {"engine": {"const": "Deepgram"}, "model": {"const": "nova-3"}, "keyterms": {"type": "array", "items": {"type": "string"}}}}
    ]});
    let engine = json!({
        "oneOf": [{"$ref": "#/components/schemas/Google"}, {"$ref": "#/components/schemas/Deepgram"}],
        "discriminator": {"propertyName": "engine", "mapping": {"Google": "#/components/schemas/Google", "Deepgram": "#/components/schemas/Deepgram"}}
    });
    let google = json!({"type": "object", "properties": {"engine": {"const": "Google"}, "hints": {"type": "string"}}});
    let tag_of = |m: &Model, branch: &str| {
        let f = fields(m, &format!("Deepgram{branch}"));
        f.iter()
            .find(|f| f.json_name == "engine")
            .map(|f| f.required)
    };
    let m = model(json!({
        "Google": google, "Deepgram": deepgram,
        "Thing": {"type": "object", "properties": {"engine": engine}}
    }));
    assert_eq!(tag_of(&m, "Variant1"), None, "taken out");
    assert_eq!(tag_of(&m, "Variant2"), None, "taken out");
    let m = model(json!({
        "Google": google, "Deepgram": deepgram,
        "Thing": {"type": "object", "properties": {"engine": engine, "direct": {"$ref": "#/components/schemas/Deepgram"}}}
    }));
    assert_eq!(tag_of(&m, "Variant1"), Some(false), "kept, optional");
}

/// A union inside a tagged union must be written beside the tag: every branch an object, and no tag
/// of its own by the same property (the outer union would take it first).
#[test]
fn a_nested_union_that_cannot_go_beside_the_tag_makes_the_discriminator_unusable() {
    let m = model(json!({
        "A": {"type": "object", "properties": {"a": {"type": "string"}}},
        "B": {"type": "object", "properties": {"b": {"type": "string"}}},
        "Inner": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "string"}]},
        "SameTag": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
            "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A", "b": "#/components/schemas/B"}}},
        "Thing": {"type": "object", "properties": {
            "scalar": {"oneOf": [{"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/Inner"}],
                "discriminator": {"propertyName": "kind", "mapping": {"b": "#/components/schemas/B", "inner": "#/components/schemas/Inner"}}},
            "same": {"oneOf": [{"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/SameTag"}],
                "discriminator": {"propertyName": "kind", "mapping": {"b": "#/components/schemas/B", "nested": "#/components/schemas/SameTag"}}}
        }}
    }));
    for f in ["scalar", "same"] {
        let TypeRef::Named(id) = &field(&m, "Thing", f).ty else {
            panic!("{f}")
        };
        assert!(
            matches!(m.types.defs[id.0].kind, TypeKind::Untagged(_)),
            "{f}"
        );
    }
    assert!(
        matches!(def(&m, "SameTag").kind, TypeKind::Tagged(_)),
        "the inner union keeps its tag"
    );
    let d = diagnostics(&m);
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(d.iter().all(|d| d.0 == Class::UnusableDiscriminator));
    assert!(d[0].2.contains("is a union tagged by `kind` too"), "{d:?}");
    assert!(
        d[1].2
            .contains("has a branch that is not an object: #/components/schemas/Inner/oneOf/1"),
        "{d:?}"
    );
}

#[test]
fn untagged_unions_order_the_pickiest_variant_first() {
    let m = model(json!({"Thing": {"type": "object", "properties": {
        "v": {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "integer"}, {"type": "array", "items": {"type": "string"}}]},
        "one": {"oneOf": [{"type": "string", "enum": ["a"]}]}
    }}}));
    let TypeKind::Untagged(vs) = &def(&m, "ThingV").kind else {
        panic!()
    };
    let names: Vec<&str> = vs.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Integer", "Number", "String", "StringList"]);
    assert!(
        matches!(def(&m, "ThingOne").kind, TypeKind::StringEnum(_)),
        "a one-branch oneOf is its branch"
    );
}

#[test]
fn all_of_merges_members_into_one_struct() {
    let m = model(json!({
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "n": {"type": "integer"}}},
        "Thing": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}]}
    }));
    let names: Vec<(&str, bool)> = fields(&m, "Thing")
        .iter()
        .map(|f| (f.json_name.as_str(), f.required))
        .collect();
    assert_eq!(names, [("id", true), ("n", false), ("name", true)]);
}

#[test]
fn any_of_made_of_required_lists_is_a_documented_constraint() {
    let m = model(json!({"Thing": {"type": "object",
        "anyOf": [{"required": ["url"]}, {"required": ["settings"]}],
        "properties": {"url": {"type": "string"}, "settings": {"type": "string"}}}}));
    let TypeKind::Struct(s) = &def(&m, "Thing").kind else {
        panic!()
    };
    assert_eq!(
        s.constraints,
        ["At least one of these must be set: `url`; or `settings`."]
    );
    assert!(s.fields.iter().all(|f| !f.required));
}

#[test]
fn additional_properties_become_maps_or_extra_keys() {
    let m = model(json!({"Thing": {"type": "object", "properties": {
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "open": {"type": "object", "additionalProperties": true, "properties": {"k": {"type": "string"}}}
    }}}));
    assert_eq!(
        field(&m, "Thing", "labels").ty,
        TypeRef::Map(Box::new(TypeRef::String))
    );
    let TypeKind::Struct(s) = &def(&m, "ThingOpen").kind else {
        panic!()
    };
    assert_eq!(s.additional, Some(TypeRef::Json));
}

/// The Rust name a field's type is written with (through `Vec`, maps and `Option`).
fn type_name<'a>(m: &'a Model, f: &Field) -> &'a str {
    match f.ty.named() {
        Some(id) => m.types.name(id),
        None => panic!("{} is not a named type: {:?}", f.json_name, f.ty),
    }
}

#[test]
fn identical_inline_shapes_keep_their_location_names_and_share_a_neutral_definition() {
    let m = model(json!({
        "Other": {"type": "object", "properties": {"payload_type": {"type": "string", "enum": ["text", "ssml"], "description": "one"}}},
        "Thing": {"type": "object", "properties": {
            "payload_type": {"type": "string", "enum": ["text", "ssml"], "description": "two"},
            "other": {"$ref": "#/components/schemas/Other"}
        }}
    }));
    let thing = &field(&m, "Thing", "payload_type");
    let other = &field(&m, "Other", "payload_type");
    assert_eq!(type_name(&m, thing), "ThingPayloadType");
    assert_eq!(type_name(&m, other), "OtherPayloadType");
    let (Some(thing_id), Some(other_id)) = (thing.ty.named(), other.ty.named()) else {
        panic!()
    };
    // Both places are aliases of one definition named by the words they share, not by either.
    let shared = def(&m, "PayloadType");
    assert!(
        matches!(shared.origin, Origin::Shared { .. }),
        "{:?}",
        shared.origin
    );
    for id in [thing_id, other_id] {
        assert!(m.types.defs[id.0].shared);
        let TypeKind::Alias(TypeRef::Named(target)) = m.types.defs[id.0].kind else {
            panic!("{} is not an alias", m.types.name(id))
        };
        assert_eq!(m.types.name(target), "PayloadType");
    }
    assert!(matches!(
        m.types.get(thing_id).kind,
        TypeKind::StringEnum(_)
    ));
    assert_eq!(
        thing.doc.as_deref(),
        Some("two"),
        "each use keeps its own docs"
    );
}

#[test]
fn an_inline_shape_like_a_component_is_a_type_of_its_own() {
    let m = model(json!({
        "Mode": {"type": "string", "enum": ["a", "b"]},
        "Thing": {"type": "object", "properties": {
            "mode": {"type": "string", "enum": ["a", "b"]},
            "named": {"$ref": "#/components/schemas/Mode"}
        }}
    }));
    assert_eq!(type_name(&m, field(&m, "Thing", "mode")), "ThingMode");
    assert!(matches!(def(&m, "ThingMode").kind, TypeKind::StringEnum(_)));
}

#[test]
fn a_shape_without_a_neutral_name_is_not_shared_and_says_so() {
    let m = model(json!({
        "Thing": {"type": "object", "properties": {
            "record_format": {"type": "string", "enum": ["mp3", "wav"]},
            "voice": {"$ref": "#/components/schemas/Voice"}
        }},
        "Voice": {"type": "object", "properties": {"format": {"type": "string", "enum": ["mp3", "wav"]}}}
    }));
    for (parent, field_name, own) in [
        ("Thing", "record_format", "ThingRecordFormat"),
        ("Voice", "format", "VoiceFormat"),
    ] {
        assert_eq!(type_name(&m, field(&m, parent, field_name)), own);
        assert!(
            matches!(def(&m, own).kind, TypeKind::StringEnum(_)),
            "{own}"
        );
    }
    let classes: Vec<&str> = m.diagnostics.iter().map(|d| d.class.name()).collect();
    assert_eq!(classes, ["unnamed-shared-shape"]);
}

/// Names hold still when the rest of the spec changes: an identical shape appearing elsewhere, and
/// the shape it shared with diverging, rename nothing.
#[test]
fn edits_elsewhere_in_the_spec_rename_nothing() {
    let engine = json!({"type": "string", "enum": ["Google", "Telnyx"]});
    let before = model(json!({
        "Relay": {"type": "object", "properties": {"transcription_engine": engine.clone()}},
        "Thing": {"type": "object", "properties": {
            "transcription_engine": engine.clone(),
            "relay": {"$ref": "#/components/schemas/Relay"}
        }}
    }));
    let after = model(json!({
        "Relay": {"type": "object", "properties": {"transcription_engine": engine.clone()}},
        "Aaa": {"type": "object", "properties": {"transcription_engine": engine.clone()}},
        "Thing": {"type": "object", "properties": {
            "transcription_engine": {"type": "string", "enum": ["Google", "Telnyx", "Parakeet"]},
            "relay": {"$ref": "#/components/schemas/Relay"},
            "aaa": {"$ref": "#/components/schemas/Aaa"}
        }}
    }));
    for (ty, f) in [
        ("Thing", "transcription_engine"),
        ("Relay", "transcription_engine"),
    ] {
        assert_eq!(
            type_name(&before, field(&before, ty, f)),
            type_name(&after, field(&after, ty, f)),
            "{ty}.{f}"
        );
    }
    assert!(matches!(
        def(&after, "ThingTranscriptionEngine").kind,
        TypeKind::StringEnum(_)
    ));
}

#[test]
fn locations_that_want_one_name_are_settled_and_reported() {
    let m = model(json!({
        "A": {"type": "object", "properties": {"b_c": {"type": "string", "enum": ["x"]}}},
        "A_b": {"type": "object", "properties": {"c": {"type": "string", "enum": ["y"]}}},
        "Thing": {"type": "object", "properties": {
            "a": {"$ref": "#/components/schemas/A"},
            "ab": {"$ref": "#/components/schemas/A_b"}
        }}
    }));
    let a = type_name(&m, field(&m, "A", "b_c"));
    let ab = type_name(&m, field(&m, "AB", "c"));
    // `A.b_c` and `A_b.c`: both pointers have the same depth, and `.../A/...` sorts first.
    assert_eq!(a, "ABC");
    assert!(ab.starts_with("ABC") && ab != "ABC", "{ab}");
    assert!(
        m.diagnostics.iter().any(|d| d.class == Class::NameCollision
            && d.message.contains("`ABC`")
            && d.action.contains(ab)),
        "{:?}",
        m.diagnostics
    );
}

#[test]
fn fields_closing_a_cycle_are_boxed_and_others_are_not() {
    let m = model(json!({
        "Thing": {"type": "object", "properties": {
            "parent": {"$ref": "#/components/schemas/Thing"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
            "edge": {"$ref": "#/components/schemas/Edge"},
            "leaf": {"$ref": "#/components/schemas/Leaf"}
        }},
        "Edge": {"type": "object", "properties": {"to": {"$ref": "#/components/schemas/Thing"}}},
        "Leaf": {"type": "object", "properties": {"x": {"type": "string"}}}
    }));
    assert!(field(&m, "Thing", "parent").boxed);
    assert!(
        !field(&m, "Thing", "children").boxed,
        "a Vec already breaks the cycle"
    );
    assert!(field(&m, "Thing", "edge").boxed && field(&m, "Edge", "to").boxed);
    assert!(!field(&m, "Thing", "leaf").boxed);
}

#[test]
fn a_title_equal_to_a_component_name_does_not_create_a_self_reference() {
    let m = model(json!({
        "Url": {"type": "object", "properties": {"url": {"type": "object", "title": "Url", "properties": {"href": {"type": "string"}}}}},
        "Thing": {"type": "object", "properties": {"u": {"$ref": "#/components/schemas/Url"}}}
    }));
    let TypeRef::Named(id) = &field(&m, "Url", "url").ty else {
        panic!()
    };
    assert_eq!(m.types.name(*id), "UrlUrl");
}

#[test]
fn colliding_component_names_resolve_by_spelling() {
    let m = model(json!({
        "CountryCode": {"type": "string", "enum": ["US"]},
        "country_code": {"type": "object", "properties": {"code": {"type": "string"}}},
        "Thing": {"type": "object", "properties": {
            "a": {"$ref": "#/components/schemas/CountryCode"},
            "b": {"$ref": "#/components/schemas/country_code"}
        }}
    }));
    let name = |f: &str| match &field(&m, "Thing", f).ty {
        TypeRef::Named(id) => m.types.name(*id).to_owned(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        (name("a"), name("b")),
        ("CountryCode".to_string(), "CountryCodeSnake".to_string())
    );
}

#[test]
fn a_schema_defect_degrades_that_schema_alone_and_names_the_place() {
    let m = model(
        json!({"Thing": {"type": "object", "required": ["x", "y"], "properties": {
            "x": {"$ref": "#/components/schemas/Nope"},
            "n": {"type": "strng"},
            "ok": {"type": "string"},
            "v": {
                "oneOf": [{"$ref": "#/components/schemas/Thing"}, {"type": "string"}],
                "discriminator": {"propertyName": "t", "mapping": {"a": "#/components/schemas/Gone"}}
            }
        }}}),
    );
    let thing = |f: &str| field(&m, "Thing", f);
    assert_eq!(thing("x").ty, TypeRef::Json);
    assert!(thing("x").required);
    assert_eq!(thing("n").ty, TypeRef::Json);
    assert_eq!(thing("ok").ty, TypeRef::String);
    let TypeRef::Named(v) = &thing("v").ty else {
        panic!("{:?}", thing("v").ty)
    };
    assert!(
        matches!(&m.types.defs[v.0].kind, TypeKind::Untagged(variants) if variants.len() == 2),
        "read as an untagged union with both branches"
    );
    let schema = "#/components/schemas/Thing";
    assert_eq!(
        diagnostics(&m),
        [
            (Class::UnreadableSchema, format!("{schema}/properties/n/type"), "unknown type `strng` (expected string, integer, number, boolean, array, object or null)".into()),
            (Class::UnusableDiscriminator, format!("{schema}/properties/v/discriminator/mapping/a"), "discriminator mapping `a` points to nothing: #/components/schemas/Gone".into()),
            (Class::UnreadableSchema, format!("{schema}/properties/x/$ref"), "`$ref` points to nothing: #/components/schemas/Nope".into()),
            (Class::RequiredNotAProperty, format!("{schema}/required"), "required name `y` is not among the properties".into()),
        ]
    );
}

#[test]
fn discriminators_over_non_objects_or_dotted_names_read_as_untagged_unions() {
    let m = model(json!({
        "Google": {"type": "string", "enum": ["en", "de"]},
        "Azure": {"type": "object", "properties": {"model": {"type": "string"}}},
        "Thing": {"type": "object", "properties": {
            "language": {
                "oneOf": [{"$ref": "#/components/schemas/Google"}, {"$ref": "#/components/schemas/Azure"}],
                "discriminator": {"propertyName": "transcription.model", "mapping": {
                    "google": "#/components/schemas/Google", "azure": "#/components/schemas/Azure"}}
            },
            "engine": {
                "oneOf": [{"$ref": "#/components/schemas/Azure"}],
                "discriminator": {"propertyName": "transcription.engine"}
            }
        }}
    }));
    for f in ["language", "engine"] {
        let TypeRef::Named(id) = &field(&m, "Thing", f).ty else {
            panic!("{f}")
        };
        assert!(
            matches!(m.types.defs[id.0].kind, TypeKind::Untagged(_)),
            "{f}"
        );
    }
    let d = diagnostics(&m);
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!(d[0].0, Class::UnusableDiscriminator);
    assert_eq!(
        d[0].1,
        "#/components/schemas/Thing/properties/engine/discriminator/propertyName"
    );
    assert!(
        d[0].2.contains("`transcription.engine` is a dotted path"),
        "{d:?}"
    );
    assert_eq!(
        d[1].1,
        "#/components/schemas/Thing/properties/language/discriminator"
    );
    assert!(d[1].2.contains("the variant `google` (#/components/schemas/Google) of a union tagged by `transcription.model` is not an object"), "{d:?}");
}

#[test]
fn a_ref_cycle_with_nothing_in_between_is_still_an_error() {
    let cycle = error(
        json!({"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"},
        "Thing": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}}}),
    );
    assert!(cycle.contains("`$ref` cycle"), "{cycle}");
}

#[test]
fn path_templates_and_parameters_that_disagree_are_read_by_the_template() {
    let spec = normalize(json!({
        "openapi": "3.1.0",
        "paths": {"/accounts/{accound_sid}/things": {"get": {
            "operationId": "GetThings",
            "parameters": [{"name": "account_sid", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "none"}}
        }}}
    }))
    .unwrap();
    let m = build(&spec, &Scope::all()).unwrap();
    let params: Vec<(&str, &str)> = m.operations[0]
        .path_params
        .iter()
        .map(|p| (p.json_name.as_str(), p.name.as_str()))
        .collect();
    assert_eq!(params, [("accound_sid", "accound_sid")]);
    assert_eq!(m.operations[0].path_params[0].ty, TypeRef::String);
    let op = "#/paths/~1accounts~1{accound_sid}~1things/get";
    assert_eq!(
        diagnostics(&m),
        [
            (Class::PlaceholderWithoutParameter, op.to_owned(), "the path `/accounts/{accound_sid}/things` has `{accound_sid}` but no path parameter of that name".into()),
            (Class::PathParameterNotInPath, format!("{op}/parameters/0"), "path parameter `account_sid` does not appear in the path `/accounts/{accound_sid}/things`".into()),
        ]
    );
}

#[test]
fn an_operation_without_a_reading_is_left_out_and_the_rest_is_built() {
    let spec = normalize(json!({
        "openapi": "3.1.0",
        "paths": {
            "/a": {"get": {"operationId": "GetA", "parameters": [{"in": "query"}], "responses": {"204": {"description": "none"}}}},
            "/b": {"get": {"operationId": "GetB", "responses": {"204": {"description": "none"}}}}
        }
    }))
    .unwrap();
    let m = build(&spec, &Scope::all()).unwrap();
    let ops: Vec<&str> = m.operations.iter().map(|o| o.path.as_str()).collect();
    assert_eq!(ops, ["/b"]);
    assert_eq!(
        diagnostics(&m),
        [(
            Class::UnreadableOperation,
            "#/paths/~1a/get/parameters/0".to_owned(),
            "parameter without a `name`".into()
        )]
    );
    assert_eq!(
        m.diagnostics.iter().next().unwrap().action,
        "left out GET /a"
    );
}

#[test]
fn a_path_item_without_a_reading_is_reported_and_left_out() {
    let spec = normalize(json!({
        "openapi": "3.1.0",
        "paths": {
            "/a": {"$ref": "#/components/pathItems/Gone"},
            "/b": {"get": {"operationId": "GetB", "responses": {"204": {"description": "none"}}}}
        }
    }))
    .unwrap();
    let m = build(&spec, &Scope::all()).unwrap();
    assert_eq!(m.operations.len(), 1);
    let d: Vec<_> = m.diagnostics.iter().collect();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].class, Class::UnreadableOperation);
    assert_eq!(d[0].pointer.to_string(), "#/paths/~1a/$ref");
    assert_eq!(d[0].action, "left out every operation of `/a`");
}

#[test]
fn a_spec_without_paths_or_webhooks_is_an_error() {
    let spec = normalize(json!({"openapi": "3.1.0", "paths": {}})).unwrap();
    let err = build(&spec, &Scope::all()).unwrap_err().to_string();
    assert_eq!(
        err,
        "#/paths: the spec has no paths (and no webhooks): nothing to generate"
    );
}

/// The names chosen by hand for the pinned spec (`spec/overrides.toml`), as xtask applies them to any
/// scope.
fn pinned_overrides() -> super::overrides::Overrides {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/overrides.toml"
    ))
    .unwrap();
    super::overrides::Overrides::from_toml(&text).unwrap()
}

/// The pinned spec, normalized, and the committed crate's scope (the test fails, saying how to get the
/// spec, without it).
fn pinned_spec_and_call_scope() -> (Normalized, Scope) {
    let text = crate::test_support::pinned_spec_text();
    let spec = normalize(crate::spec::load(&text).unwrap()).unwrap();
    let scope_text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/scope.toml"))
            .unwrap();
    (
        spec,
        Scope::from_toml(&scope_text)
            .unwrap()
            .with_overrides(pinned_overrides()),
    )
}

/// The pinned spec, when available: the call scope is 74 operations (42 on calls, 23 on conferences,
/// 9 on queues) with nothing unmodeled.
#[test]
fn the_pinned_call_scope_has_74_operations_and_nothing_unmodeled() {
    let (spec, calls) = pinned_spec_and_call_scope();
    let m = build(&spec, &calls).unwrap();
    assert_eq!(m.operations.len(), 74);
    let under = |root: &str| {
        m.operations
            .iter()
            .filter(|o| o.path.split('/').nth(1) == Some(root))
            .count()
    };
    assert_eq!(
        (under("calls"), under("conferences"), under("queues")),
        (42, 23, 9)
    );
    assert_eq!(m.unmodeled.total(), 0, "{}", m.unmodeled);
    let speak = def(&m, "GatherUsingSpeakRequest");
    let TypeKind::Struct(s) = &speak.kind else {
        panic!()
    };
    let required: Vec<&str> = s
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.json_name.as_str())
        .collect();
    assert_eq!(required, ["payload", "voice"]);
    assert!(m
        .types
        .emitted()
        .iter()
        .any(|(_, d)| d.name == "AiAssistantStartRequest"));
    let actions = m
        .operations
        .iter()
        .filter(|o| o.service == ["calls", "actions"])
        .count();
    assert_eq!(actions, 40);
}

/// Every field whose type is an inline schema written at the field has a type named after the field's
/// own parent: the struct's name, or for a parameter struct its operation's (on the pinned spec, call
/// scope and whole). An inline schema reached through a `$ref` (the items of an array component) is
/// named after its own place, which is not under the field, and so is a field that `allOf` brings in
/// from another schema.
#[test]
fn inline_field_types_of_the_pinned_spec_are_named_after_their_parent() {
    let (spec, calls) = pinned_spec_and_call_scope();
    for scope in [calls, Scope::all().with_overrides(pinned_overrides())] {
        let m = build(&spec, &scope).unwrap();
        let mut inline_fields = 0;
        for (_, parent) in m.types.emitted() {
            let TypeKind::Struct(s) = &parent.kind else {
                continue;
            };
            let prefix = match &parent.origin {
                Origin::Params { owner } => owner.clone(),
                _ => parent.name.clone(),
            };
            for f in &s.fields {
                let Some(id) = f.ty.named() else { continue };
                let at = &m.types.defs[id.0];
                if !matches!(at.origin, Origin::Inline { .. })
                    || !at.pointer.is_within(&f.pointer)
                    || !f.pointer.is_within(&parent.pointer)
                {
                    continue;
                }
                inline_fields += 1;
                let name = m.types.name(id);
                assert!(
                    name.starts_with(&prefix),
                    "{}.{} is typed `{name}`, not named after `{}`",
                    parent.name,
                    f.json_name,
                    parent.name
                );
            }
        }
        assert!(inline_fields > 200, "{inline_fields} inline fields");
    }
}

/// No public alias of the committed crate names a definition after another place: an alias is a
/// place sharing a neutral definition, or a response that the spec refers to a component for.
#[test]
fn no_alias_of_the_pinned_call_scope_targets_another_places_name() {
    let (spec, calls) = pinned_spec_and_call_scope();
    let m = build(&spec, &calls).unwrap();
    let mut aliases = 0;
    for (id, def) in m.types.emitted() {
        let TypeKind::Alias(TypeRef::Named(target)) = &def.kind else {
            continue;
        };
        aliases += 1;
        let target = &m.types.defs[target.0];
        assert!(
            matches!(target.origin, Origin::Shared { .. } | Origin::Component(_)),
            "{} is an alias of {}, the name of the place {}",
            m.types.name(id),
            target.name,
            target.pointer
        );
    }
    assert!(aliases > 100, "only {aliases} aliases: sharing has stopped");
}

/// What the loader used to read without a word: a `2XX` success (read as 200), a second success
/// with another body, a parameter described by `content`, a query style it does not write.
#[test]
fn readings_the_model_does_not_make_are_recorded_and_a_success_range_is_a_success() {
    let doc = normalize(json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/ranged": {"get": {"operationId": "Ranged", "responses": {
                "2XX": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}},
                "4XX": {"description": "error"}
            }}},
            "/two": {"post": {"operationId": "Two",
                "parameters": [
                    {"name": "id", "in": "query", "content": {"application/json": {"schema": {"type": "string"}}}},
                    {"name": "ids", "in": "query", "style": "pipeDelimited", "schema": {"type": "array", "items": {"type": "string"}}}
                ],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}},
                    "202": {"description": "accepted", "content": {"application/json": {"schema": {"type": "object", "properties": {"job": {"type": "string"}}}}}}
                }
            }}
        }
    }))
    .unwrap();
    let m = build(&doc, &Scope::all()).unwrap();
    let ranged = m
        .operations
        .iter()
        .find(|o| o.operation_id == "Ranged")
        .unwrap();
    assert_eq!(ranged.response.status, 200);
    assert!(ranged.response.ty.is_some(), "the range's body is read");
    let kinds: Vec<(String, usize)> = m
        .unmodeled
        .kinds()
        .map(|(k, n, _)| (k.to_owned(), n))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "parameter described by `content` (read as a string)".to_owned(),
                1
            ),
            (
                "query parameter style `pipeDelimited` (written as `form`)".to_owned(),
                1
            ),
            (
                "success response with another body than the first (its body is not read)"
                    .to_owned(),
                1
            ),
        ]
    );
    assert!(diagnostics(&m).is_empty(), "{:?}", diagnostics(&m));
}

/// A struct that requires nothing (a field that may be `null` reads as `None` when missing) takes
/// any object: a map, which checks its values, and a struct that needs a field come first.
#[test]
fn untagged_structs_that_require_nothing_are_tried_after_maps() {
    let m = model(
        json!({"Thing": {"type": "object", "properties": {"v": {"oneOf": [
            {"type": "object", "properties": {"id": {"type": "string"}}},
            {"type": "object", "required": ["note"], "properties": {"note": {"type": ["number", "null"]}}},
            {"type": "object", "additionalProperties": {"type": "integer"}},
            {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}
        ]}}}}),
    );
    let TypeKind::Untagged(vs) = &def(&m, "ThingV").kind else {
        panic!()
    };
    let order: Vec<String> = vs
        .iter()
        .map(|v| match &v.ty {
            TypeRef::Named(id) => m.types.defs[id.0].name.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        order,
        [
            "ThingVVariant4",
            "Map(Integer { bits32: false })",
            "ThingVVariant1",
            "ThingVVariant2"
        ]
    );
}

//! Unions read from a buffered value: a tagged union takes its tag out and reads the rest as the
//! variant's type; an untagged union tries its variants in order, the first that fits wins.

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::ser::{self, SerializeMap};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Reads a JSON object and takes the string at `tag` out of it: the tag and the other entries. As
/// serde reads an internally tagged enum, a sequence holds the tag first and the fields after it.
pub fn take_tag<'de, D: Deserializer<'de>>(
    deserializer: D,
    tag: &'static str,
    union: &'static str,
) -> Result<(String, Value), D::Error> {
    let (found, rest) = match Value::deserialize(deserializer)? {
        Value::Object(mut object) => (object.remove(tag), Value::Object(object)),
        Value::Array(mut items) if !items.is_empty() => {
            let first = items.remove(0);
            (Some(first), Value::Array(items))
        }
        Value::Array(_) => (None, Value::Array(Vec::new())),
        other => {
            return Err(de::Error::invalid_type(
                unexpected(&other),
                &format!("internally tagged enum {union}").as_str(),
            ))
        }
    };
    match found {
        Some(Value::String(value)) => Ok((value, rest)),
        Some(other) => Err(de::Error::invalid_type(
            unexpected(&other),
            &"variant identifier",
        )),
        None => Err(de::Error::missing_field(tag)),
    }
}

/// A variant's value from what is left once the tag is taken out.
pub fn from_rest<T: DeserializeOwned, E: de::Error>(rest: Value) -> Result<T, E> {
    T::deserialize(rest).map_err(E::custom)
}

/// Writes the entries of a tagged variant's value that has none of its own to write (free-form JSON)
/// beside the tag: an object's members, nothing for `null`; any other value is refused with the words
/// of serde's internally tagged enums (`union::variant` names the variant).
pub fn write_entries<T: Serialize + ?Sized, M: SerializeMap>(
    value: &T,
    map: &mut M,
    union: &'static str,
    variant: &'static str,
) -> Result<(), M::Error> {
    let what = match serde_json::to_value(value).map_err(ser::Error::custom)? {
        Value::Object(entries) => {
            for (key, value) in &entries {
                map.serialize_entry(key, value)?;
            }
            return Ok(());
        }
        Value::Null => return Ok(()),
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a float",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a sequence",
    };
    Err(ser::Error::custom(format_args!(
        "cannot serialize tagged newtype variant {union}::{variant} containing {what}"
    )))
}

/// The input, buffered to try the variants of an untagged union on.
pub fn buffer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
    Value::deserialize(deserializer)
}

/// `value` as `T`, if it fits.
pub fn try_variant<T: DeserializeOwned>(value: &Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// The error when no variant fits.
pub fn no_variant<E: de::Error>(union: &'static str) -> E {
    E::custom(format_args!(
        "data did not match any variant of untagged enum {union}"
    ))
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => de::Unexpected::Unsigned(u),
            (_, Some(i), _) => de::Unexpected::Signed(i),
            (_, _, Some(f)) => de::Unexpected::Float(f),
            _ => de::Unexpected::Other("number"),
        },
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serializer;
    use serde_json::json;

    /// What `write_entries` makes of `value` after a tag: the object written, or the error.
    fn beside_tag(value: Value) -> Result<Value, String> {
        let mut map = serde_json::value::Serializer
            .serialize_map(None)
            .map_err(|e| e.to_string())?;
        map.serialize_entry("type", "a")
            .map_err(|e| e.to_string())?;
        write_entries(&value, &mut map, "Union", "A").map_err(|e| e.to_string())?;
        map.end().map_err(|e| e.to_string())
    }

    #[test]
    fn an_object_goes_beside_the_tag_and_anything_else_is_refused_as_serde_refuses_it() {
        assert_eq!(
            beside_tag(json!({"x": 1})),
            Ok(json!({"type": "a", "x": 1}))
        );
        assert_eq!(beside_tag(Value::Null), Ok(json!({"type": "a"})));
        for (value, what) in [
            (json!("s"), "a string"),
            (json!(1), "an integer"),
            (json!(1.5), "a float"),
            (json!(true), "a boolean"),
            (json!([]), "a sequence"),
        ] {
            assert_eq!(
                beside_tag(value),
                Err(format!(
                    "cannot serialize tagged newtype variant Union::A containing {what}"
                ))
            );
        }
    }
}

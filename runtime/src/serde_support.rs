//! Serde for the generated types, written out by the generator instead of derived: each type's impl
//! names its fields and variants, and the work every type shares lives here, compiled once.

mod record;
mod unions;

pub use record::{deserialize_record, serialize_fields, Entry, Fields, Record, WriteFields};
pub use unions::{buffer, from_rest, no_variant, take_tag, try_variant, write_entries};

use serde::de::{Deserializer, Error, Visitor};
use std::fmt;

/// Reads a string and maps it without allocating when the input lends it (open enums read every known
/// value this way; only unknown values are copied).
pub fn deserialize_str<'de, D, T, F>(deserializer: D, map: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str) -> T,
{
    struct StrVisitor<F>(F);
    impl<'de, T, F: FnOnce(&str) -> T> Visitor<'de> for StrVisitor<F> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
            Ok((self.0)(value))
        }
    }
    deserializer.deserialize_str(StrVisitor(map))
}

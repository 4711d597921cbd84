//! Finds `data.event_type` in a delivery without reading past it.
//!
//! Telnyx puts `data` first and `event_type` first inside it, so dispatch usually needs a few dozen
//! bytes, not the whole body: the typed parse that follows is then the only full pass. Written against
//! serde's visitor API because no JSON crate offers "stop at this key": a visitor that returns before
//! the end of its object makes serde_json stop there (with an error that is not needed, so dropped).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// `data.event_type` when it is a string, read up to that point only; `None` when the body has no
/// such field (or is not JSON), in which case the caller reads the whole body.
pub fn data_event_type(body: &[u8]) -> Option<Cow<'_, str>> {
    let mut found = None;
    let mut de = serde_json::Deserializer::from_slice(body);
    // The error is expected: it is how the scan stops early, or what it hits on malformed JSON.
    let _ = de.deserialize_map(Level {
        key: "data",
        found: &mut found,
    });
    found
}

/// One object level of the path to `data.event_type`; `key` is what to look for at this level.
struct Level<'f, 'de> {
    key: &'static str,
    found: &'f mut Option<Cow<'de, str>>,
}

impl<'de> Visitor<'de> for Level<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(is_key) = map.next_key_seed(KeyIs(self.key))? {
            if !is_key {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            if self.key == "data" {
                // Whatever the inner level finds, there is nothing more to read at this one.
                return map.next_value_seed(Level {
                    key: "event_type",
                    found: self.found,
                });
            }
            *self.found = map.next_value_seed(Text).ok();
            return Ok(());
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Level<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

/// Whether a key equals the expected one, compared without allocating.
struct KeyIs(&'static str);

impl<'de> DeserializeSeed<'de> for KeyIs {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyIs {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

/// A string, borrowed from the body when it has no escapes.
struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::data_event_type;

    #[test]
    fn finds_the_type_wherever_it_is_in_data() {
        let first = br#"{"data":{"event_type":"call.hangup","payload":{"x":1}},"meta":{}}"#;
        let later = br#"{"meta":{"attempt":1},"data":{"id":"a","payload":{"event_type":"no"},"event_type":"call.answered"}}"#;
        assert_eq!(data_event_type(first).as_deref(), Some("call.hangup"));
        assert_eq!(data_event_type(later).as_deref(), Some("call.answered"));
    }

    #[test]
    fn stops_at_the_type_and_does_not_read_the_rest() {
        // Everything after the type is garbage: only a scan that stops there can succeed.
        let body = br#"{"data":{"event_type":"call.hangup", this is not json"#;
        assert_eq!(data_event_type(body).as_deref(), Some("call.hangup"));
    }

    #[test]
    fn escaped_types_are_unescaped() {
        let body = br#"{"data":{"event_type":"call\u002ehangup"}}"#;
        assert_eq!(data_event_type(body).as_deref(), Some("call.hangup"));
    }

    #[test]
    fn none_without_a_string_type_under_data() {
        for body in [
            &br#"{"event_type":"conference.floor.changed","payload":{}}"#[..],
            br#"{"data":{"payload":{"event_type":"call.hangup"}}}"#,
            br#"{"data":{"event_type":7}}"#,
            br#"{"data":"call.hangup"}"#,
            br#"[1,2]"#,
            b"",
            b"\xff\xfe",
        ] {
            assert_eq!(
                data_event_type(body),
                None,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}

//! JSON pointers (RFC 6901) into the spec, written as URI fragments (`#/paths/~1calls/post`), the same
//! form `$ref` uses, so an error location can be pasted into a `$ref` or a search.

use std::fmt;

/// A location in the spec document.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// Parses the fragment of a local `$ref` (`#/components/schemas/X`); `None` for remote refs.
    pub fn from_ref(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        if !rest.is_empty() && !rest.starts_with('/') {
            return None;
        }
        Some(Pointer(rest.to_owned()))
    }

    /// This pointer with one more reference token.
    pub fn push(&self, token: &str) -> Self {
        let mut s = String::with_capacity(self.0.len() + token.len() + 1);
        s.push_str(&self.0);
        s.push('/');
        for c in token.chars() {
            match c {
                '~' => s.push_str("~0"),
                '/' => s.push_str("~1"),
                c => s.push(c),
            }
        }
        Pointer(s)
    }

    /// This pointer with an array index appended.
    pub fn index(&self, i: usize) -> Self {
        self.push(&i.to_string())
    }

    /// The unescaped reference tokens.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
    }

    /// Whether this pointer is `outer` or a location inside it.
    pub fn is_within(&self, outer: &Pointer) -> bool {
        self.0 == outer.0
            || (self.0.starts_with(&outer.0) && self.0.as_bytes().get(outer.0.len()) == Some(&b'/'))
    }

    /// The last token, unescaped (`Call` for `#/components/schemas/Call`).
    pub fn last(&self) -> Option<String> {
        self.tokens().last()
    }

    /// Looks the pointer up in `doc`.
    pub fn resolve<'a>(&self, doc: &'a serde_json::Value) -> Option<&'a serde_json::Value> {
        if self.0.is_empty() {
            return Some(doc);
        }
        doc.pointer(&self.0)
    }

    /// The RFC 6901 string without the leading `#`.
    pub fn as_json_pointer(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl fmt::Debug for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_slashes_and_tildes_and_round_trips() {
        let p = Pointer::root()
            .push("paths")
            .push("/calls/{id}")
            .push("a~b");
        assert_eq!(p.to_string(), "#/paths/~1calls~1{id}/a~0b");
        assert_eq!(
            p.tokens().collect::<Vec<_>>(),
            vec!["paths", "/calls/{id}", "a~b"]
        );
        assert_eq!(Pointer::from_ref(&p.to_string()), Some(p));
    }

    #[test]
    fn resolves_into_a_document() {
        let doc = serde_json::json!({"paths": {"/calls": {"post": 1}}});
        let p = Pointer::root().push("paths").push("/calls").push("post");
        assert_eq!(p.resolve(&doc), Some(&serde_json::json!(1)));
        assert_eq!(Pointer::from_ref("other.yml#/x"), None);
    }
}

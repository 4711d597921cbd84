//! How the spec's own diagnostics changed between two specs, so a reviewer sees "upstream introduced a
//! typo in X" beside what it did to the Rust API. A diagnostic is the same in both when its class,
//! document, place and message are.

use crate::diagnostic::{Diagnostic, Diagnostics};
use std::collections::BTreeSet;

/// The diagnostics only the new spec has, those only the old one had, and how many both have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiagnosticChanges {
    pub new: Vec<Diagnostic>,
    pub gone: Vec<Diagnostic>,
    pub kept: usize,
}

impl DiagnosticChanges {
    pub fn is_empty(&self) -> bool {
        self.new.is_empty() && self.gone.is_empty()
    }
}

type Key<'a> = (
    crate::diagnostic::Class,
    &'a crate::diagnostic::Document,
    &'a crate::pointer::Pointer,
    &'a str,
);

fn key(d: &Diagnostic) -> Key<'_> {
    (d.class, &d.document, &d.pointer, d.message.as_str())
}

pub fn compare(old: &Diagnostics, new: &Diagnostics) -> DiagnosticChanges {
    let old_keys: BTreeSet<Key<'_>> = old.iter().map(key).collect();
    let new_keys: BTreeSet<Key<'_>> = new.iter().map(key).collect();
    DiagnosticChanges {
        new: new
            .iter()
            .filter(|d| !old_keys.contains(&key(d)))
            .cloned()
            .collect(),
        gone: old
            .iter()
            .filter(|d| !new_keys.contains(&key(d)))
            .cloned()
            .collect(),
        kept: new.iter().filter(|d| old_keys.contains(&key(d))).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Class;
    use crate::pointer::Pointer;

    #[test]
    fn new_gone_and_kept_are_told_apart() {
        let at = |p: &str| Pointer::from_ref(p).unwrap();
        let mut old = Diagnostics::default();
        old.warn(
            Class::RequiredNotAProperty,
            &at("#/a/required"),
            "`x`",
            "ignored",
        );
        old.warn(
            Class::RequiredNotAProperty,
            &at("#/b/required"),
            "`y`",
            "ignored",
        );
        let mut new = Diagnostics::default();
        new.warn(
            Class::RequiredNotAProperty,
            &at("#/b/required"),
            "`y`",
            "ignored",
        );
        new.warn(Class::UnusableDiscriminator, &at("#/c"), "m", "untagged");
        let changes = compare(&old, &new);
        assert_eq!(changes.kept, 1);
        assert_eq!(changes.new.len(), 1);
        assert_eq!(changes.new[0].class, Class::UnusableDiscriminator);
        assert_eq!(changes.gone.len(), 1);
        assert_eq!(changes.gone[0].pointer.to_string(), "#/a/required");
        assert!(compare(&new, &new).is_empty());
    }
}

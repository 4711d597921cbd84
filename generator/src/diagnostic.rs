//! Diagnostics: what the generator found wrong in a spec (or an overlay) and what it did about it, as
//! data. A run collects every one instead of stopping at the first defect, so one run shows them all;
//! each has a [`Class`] (see [`class`] for the list and the reading each class gets), a severity, the
//! JSON pointer of the place, what is wrong and what was done.
//!
//! Defects are warnings: the generator takes the safe reading, or degrades the smallest part (one schema
//! becomes `serde_json::Value`, one operation or webhook is left out). What leaves nothing sensible to
//! generate is an [`crate::Error`] instead. [`Diagnostics::deny_warnings`] turns warnings into errors
//! for a caller that wants a clean spec.

mod class;

pub use class::Class;

use crate::pointer::Pointer;
use std::collections::BTreeMap;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Which document a diagnostic's pointer is in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Document {
    /// The spec (as the overlays left it).
    Spec,
    /// An overlay, by the name it was given.
    Overlay(String),
}

/// One problem, where it is, and what the generator did about it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub class: Class,
    pub severity: Severity,
    pub document: Document,
    pub pointer: Pointer,
    /// What is wrong (`required name `country_coude` is not among the properties`).
    pub message: String,
    /// What the generator did (`ignored the required name`).
    pub action: String,
}

impl fmt::Display for Diagnostic {
    /// `warning[class]: message` and, on the next line, the pointer and what was done.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}\n  at {}: {}",
            self.severity.label(),
            self.class,
            self.message,
            self.pointer,
            self.action
        )
    }
}

/// The diagnostics of a run, in a stable order (document, pointer, class), each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a warning about the spec at `pointer`.
    pub fn warn(
        &mut self,
        class: Class,
        pointer: &Pointer,
        message: impl Into<String>,
        action: impl Into<String>,
    ) {
        self.push(Diagnostic {
            class,
            severity: Severity::Warning,
            document: Document::Spec,
            pointer: pointer.clone(),
            message: message.into(),
            action: action.into(),
        });
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.list.push(diagnostic);
    }

    /// Adds another run's diagnostics to these.
    pub fn absorb(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }

    /// Sorts and removes repeats (a schema reached from several places is reported once).
    pub fn settle(&mut self) {
        self.list.sort_by(|a, b| {
            (&a.document, &a.pointer, a.class, &a.message, &a.action).cmp(&(
                &b.document,
                &b.pointer,
                b.class,
                &b.message,
                &b.action,
            ))
        });
        self.list.dedup();
    }

    /// Makes every warning an error (`--deny-warnings`).
    pub fn deny_warnings(&mut self) {
        for d in &mut self.list {
            d.severity = Severity::Error;
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// How many have severity `error`.
    pub fn errors(&self) -> usize {
        self.list
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// How many there are of each class, in class order.
    pub fn counts(&self) -> BTreeMap<Class, usize> {
        let mut out = BTreeMap::new();
        for d in &self.list {
            *out.entry(d.class).or_default() += 1;
        }
        out
    }

    /// `3 required-not-a-property, 1 unusable-discriminator`, or `none`.
    pub fn summary(&self) -> String {
        let counts = self.counts();
        if counts.is_empty() {
            return "none".to_owned();
        }
        counts
            .iter()
            .map(|(class, n)| format!("{n} {class}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(p: &str) -> Pointer {
        Pointer::from_ref(p).unwrap()
    }

    #[test]
    fn settled_diagnostics_are_sorted_once_each_and_counted_by_class() {
        let mut d = Diagnostics::default();
        let required = at("#/components/schemas/B/required");
        d.warn(Class::RequiredNotAProperty, &required, "`x`", "ignored");
        d.warn(
            Class::UnreadableSchema,
            &at("#/components/schemas/A"),
            "m",
            "a",
        );
        d.warn(Class::RequiredNotAProperty, &required, "`x`", "ignored");
        d.warn(Class::RequiredNotAProperty, &required, "`y`", "ignored");
        d.settle();
        let order: Vec<(String, &str)> = d
            .iter()
            .map(|d| (d.pointer.to_string(), d.message.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("#/components/schemas/A".to_owned(), "m"),
                ("#/components/schemas/B/required".to_owned(), "`x`"),
                ("#/components/schemas/B/required".to_owned(), "`y`"),
            ]
        );
        assert_eq!(
            d.summary(),
            "2 required-not-a-property, 1 unreadable-schema"
        );
        assert_eq!(d.errors(), 0);
        d.deny_warnings();
        assert_eq!(d.errors(), 3);
        assert!(d
            .iter()
            .next()
            .unwrap()
            .to_string()
            .starts_with("error[unreadable-schema]: m\n"));
    }
}

//! The report of constructs the generator met in scope but does not model. Nothing is dropped silently:
//! each one is counted by kind, with the first places it was seen.

use crate::pointer::Pointer;
use std::collections::BTreeMap;
use std::fmt;

/// How many places to remember per kind (the count is always complete).
const PLACES_KEPT: usize = 5;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unmodeled {
    kinds: BTreeMap<String, (usize, Vec<Pointer>)>,
}

impl Unmodeled {
    pub fn record(&mut self, kind: impl Into<String>, at: &Pointer) {
        let entry = self.kinds.entry(kind.into()).or_default();
        entry.0 += 1;
        if entry.1.len() < PLACES_KEPT && !entry.1.contains(at) {
            entry.1.push(at.clone());
        }
    }

    /// Adds another report's counts and places to this one.
    pub fn absorb(&mut self, other: Unmodeled) {
        for (kind, (n, places)) in other.kinds {
            let entry = self.kinds.entry(kind).or_default();
            entry.0 += n;
            for p in places {
                if entry.1.len() < PLACES_KEPT && !entry.1.contains(&p) {
                    entry.1.push(p);
                }
            }
        }
    }

    pub fn total(&self) -> usize {
        self.kinds.values().map(|(n, _)| n).sum()
    }

    /// `(kind, count, first places)` sorted by kind.
    pub fn kinds(&self) -> impl Iterator<Item = (&str, usize, &[Pointer])> {
        self.kinds
            .iter()
            .map(|(k, (n, places))| (k.as_str(), *n, places.as_slice()))
    }
}

impl fmt::Display for Unmodeled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (kind, n, places) in self.kinds() {
            let shown: Vec<String> = places.iter().map(ToString::to_string).collect();
            writeln!(f, "{n:>6}  {kind}  (e.g. {})", shown.join(", "))?;
        }
        Ok(())
    }
}

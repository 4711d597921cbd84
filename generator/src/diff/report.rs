//! What an API change report holds: one [`Change`] per difference a user of the crate can notice, each
//! classified, plus counts of documentation-only differences and the operations and events that a type
//! change reaches.

use std::collections::BTreeSet;
use std::fmt;

/// Where in the crate a change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Operations,
    Webhooks,
    Types,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Operations => "Operations",
            Section::Webhooks => "Webhook events",
            Section::Types => "Types",
        }
    }
}

/// Whether code that compiled against the old crate keeps compiling and behaving the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Code that compiled before may not compile, or may behave differently.
    Breaking,
    /// Code that compiled before compiles and behaves as before.
    Compatible,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Compatible => "compatible",
        }
    }

    /// The more severe of two.
    pub fn worst(self, other: Severity) -> Severity {
        self.min(other)
    }
}

/// What kind of difference a [`Change`] is. The subject itself is added, removed or renamed; the other
/// kinds are about a member (field, parameter, enum value, variant) or an aspect of the subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Added,
    Removed,
    Renamed,
    /// A type became another kind of type (struct → enum, ...).
    KindChanged,
    /// An alias points at another type.
    AliasChanged,
    /// A type became an alias of another type, or stopped being one (its own name stays).
    Sharing,
    /// A field's type moved between a schema written in place and a component (`$ref`).
    Moved,
    /// A struct is reached from request bodies now, or no longer (construction helpers follow).
    RequestUse,
    /// A struct no longer implements `Default`.
    DefaultLost,
    /// `additional_properties` appeared, disappeared or changed type.
    AdditionalProperties,
    FieldAdded,
    FieldRemoved,
    /// One field removed and one added with the same Rust type: probably a rename upstream.
    FieldRenamed,
    FieldType,
    FieldRequired,
    FieldNullable,
    /// The same wire name or value got another Rust name.
    RustName,
    ValueAdded,
    ValueRemoved,
    VariantAdded,
    VariantRemoved,
    VariantChanged,
    /// A tagged union's tag property or a variant's tag values.
    Tag,
    /// HTTP method or path.
    Http,
    ParamAdded,
    ParamRemoved,
    ParamRenamed,
    ParamType,
    /// Where a query or header parameter is sent, or in which style.
    ParamStyle,
    RequestBody,
    Response,
    Status,
    Deprecated,
    EventTypeAdded,
    EventTypeRemoved,
    /// How a webhook delivery is recognized.
    Dispatch,
    /// A webhook event's body type.
    Body,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Renamed => "renamed",
            Kind::KindChanged => "kind of type changed",
            Kind::AliasChanged => "alias target changed",
            Kind::Sharing => "alias changed",
            Kind::Moved => "type moved between inline and component",
            Kind::RequestUse => "use in requests changed",
            Kind::DefaultLost => "no longer implements Default",
            Kind::AdditionalProperties => "additional properties changed",
            Kind::FieldAdded => "field added",
            Kind::FieldRemoved => "field removed",
            Kind::FieldRenamed => "field renamed (looks like)",
            Kind::FieldType => "field type changed",
            Kind::FieldRequired => "required/optional changed",
            Kind::FieldNullable => "nullable changed",
            Kind::RustName => "Rust name changed",
            Kind::ValueAdded => "enum value added",
            Kind::ValueRemoved => "enum value removed",
            Kind::VariantAdded => "union variant added",
            Kind::VariantRemoved => "union variant removed",
            Kind::VariantChanged => "union variant changed",
            Kind::Tag => "tag changed",
            Kind::Http => "HTTP method or path changed",
            Kind::ParamAdded => "parameter added",
            Kind::ParamRemoved => "parameter removed",
            Kind::ParamRenamed => "parameter renamed",
            Kind::ParamType => "parameter type changed",
            Kind::ParamStyle => "parameter style changed",
            Kind::RequestBody => "request type changed",
            Kind::Response => "response type changed",
            Kind::Status => "success status changed",
            Kind::Deprecated => "deprecation changed",
            Kind::EventTypeAdded => "event type added",
            Kind::EventTypeRemoved => "event type removed",
            Kind::Dispatch => "recognition changed",
            Kind::Body => "event body type changed",
        }
    }
}

/// One difference, with its classification and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub section: Section,
    /// The operation's call path (`calls().actions().speak()`), the type's Rust name or the webhook's
    /// key.
    pub subject: String,
    /// The field, parameter, enum value or variant the change is about, if any.
    pub member: Option<String>,
    pub kind: Kind,
    /// What it was and what it is (`String` → `Option<String>`); empty when the kind says it all.
    pub detail: String,
    pub severity: Severity,
    /// One line on what it means for code using the crate.
    pub reason: String,
}

/// Elements whose documentation (or examples) changed and nothing else about them: counted in the
/// report, kept by name here for whoever wants to look.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocsOnly {
    /// `(section, subject or subject.member)`, sorted.
    pub elements: BTreeSet<(Section, String)>,
}

impl DocsOnly {
    pub fn total(&self) -> usize {
        self.elements.len()
    }

    pub fn count(&self, section: Section) -> usize {
        self.elements.iter().filter(|(s, _)| *s == section).count()
    }
}

/// An operation or event present in both specs whose request, response or body reaches changed types.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Affected {
    pub section: Section,
    pub subject: String,
    /// The worst change among the types it reaches.
    pub severity: Severity,
    /// The changed types it reaches, sorted.
    pub via: Vec<String>,
}

/// How much changed overall, which decides the version bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Unchanged,
    DocsOnly,
    Compatible,
    Breaking,
}

/// The report for one pair of specs. Changes are sorted (section, subject, member, kind), so the same
/// pair always gives the same report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
    pub docs_only: DocsOnly,
    pub affected: Vec<Affected>,
    /// The spec's diagnostics that came or went (they do not change the level).
    pub diagnostics: super::DiagnosticChanges,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }

    pub fn breaking(&self) -> usize {
        self.count(Severity::Breaking)
    }

    pub fn compatible(&self) -> usize {
        self.count(Severity::Compatible)
    }

    pub fn level(&self) -> Level {
        if self.breaking() > 0 {
            Level::Breaking
        } else if self.compatible() > 0 {
            Level::Compatible
        } else if self.docs_only.total() > 0 {
            Level::DocsOnly
        } else {
            Level::Unchanged
        }
    }

    /// The changes about `subject` in `section`.
    pub fn about<'a>(
        &'a self,
        section: Section,
        subject: &'a str,
    ) -> impl Iterator<Item = &'a Change> + 'a {
        self.changes
            .iter()
            .filter(move |c| c.section == section && c.subject == subject)
    }

    /// Whether the report is empty (the two specs make the same crate, docs aside).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Unchanged => "unchanged",
            Level::DocsOnly => "docs only",
            Level::Compatible => "compatible",
            Level::Breaking => "breaking",
        })
    }
}

/// Collects changes while comparing; sorts them when done.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    changes: Vec<Change>,
    docs_only: DocsOnly,
}

impl Collector {
    /// A recorder for changes about one operation, type or webhook.
    pub fn subject<'a>(&'a mut self, section: Section, name: &'a str) -> Subject<'a> {
        Subject {
            out: self,
            section,
            name,
        }
    }

    /// The changes so far.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    pub fn finish(mut self, affected: Vec<Affected>) -> Report {
        self.changes.sort();
        self.changes.dedup();
        Report {
            changes: self.changes,
            docs_only: self.docs_only,
            affected,
            diagnostics: super::DiagnosticChanges::default(),
        }
    }
}

/// Records changes about one subject.
pub(crate) struct Subject<'a> {
    out: &'a mut Collector,
    section: Section,
    name: &'a str,
}

impl Subject<'_> {
    /// Records a change, about `member` when given.
    pub fn change(
        &mut self,
        member: Option<&str>,
        kind: Kind,
        severity: Severity,
        detail: impl Into<String>,
        reason: impl Into<String>,
    ) {
        self.out.changes.push(Change {
            section: self.section,
            subject: self.name.to_owned(),
            member: member.map(str::to_owned),
            kind,
            detail: detail.into(),
            severity,
            reason: reason.into(),
        });
    }

    /// Records a change of the deprecation mark (compatible: it is in the docs only).
    pub fn deprecation(&mut self, member: Option<&str>, was: bool, now: bool) {
        if was == now {
            return;
        }
        let detail = if now {
            "deprecated"
        } else {
            "no longer deprecated"
        };
        self.change(
            member,
            Kind::Deprecated,
            Severity::Compatible,
            detail,
            "marked in the docs only",
        );
    }

    /// Counts the subject (or its `member`) as changed in its docs only.
    pub fn docs_only(&mut self, member: Option<&str>) {
        let name = match member {
            Some(m) => format!("{}.{m}", self.name),
            None => self.name.to_owned(),
        };
        self.out.docs_only.elements.insert((self.section, name));
    }

    /// How many changes were recorded in total (to tell whether an element got any).
    pub fn recorded(&self) -> usize {
        self.out.changes.len()
    }
}

//! Errors of the generator. Every error that comes from the spec names where in the spec it is (a JSON
//! pointer such as `#/components/schemas/Call`), so a broken spec can be fixed without guessing.
//!
//! An error stops the run only where nothing sensible can be generated. Inside the model, a
//! [`Error::Spec`] about one schema, operation or webhook is caught where that part is built and
//! becomes a warning ([`crate::diagnostic`]): the part is degraded and the run goes on.

use crate::pointer::Pointer;

/// Why a spec could not be turned into a crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is not valid YAML.
    #[error("line {line}, column {column}: YAML syntax error: {message}")]
    Yaml {
        line: usize,
        column: usize,
        message: String,
    },
    /// The text is not valid JSON.
    #[error("line {line}, column {column}: JSON syntax error: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// The file holds nothing.
    #[error("the spec is empty")]
    Empty,
    /// The spec is readable but wrong (or uses something this generator refuses) at `pointer`.
    #[error("{pointer}: {message}")]
    Spec { pointer: Pointer, message: String },
    /// `$ref`s that lead to each other with no schema in between: no part of the cycle has a reading.
    #[error("{pointer}: {message}")]
    RefCycle { pointer: Pointer, message: String },
    /// An overlay that is not a valid Overlay document or cannot be applied (named as it was given).
    #[error("overlay {overlay}: {message}")]
    Overlay { overlay: String, message: String },
    /// The scope, override or template configuration is wrong.
    #[error("configuration: {0}")]
    Config(String),
    /// Emitted code did not parse as Rust: a bug in the generator, reported instead of panicking.
    #[error("internal error while formatting {file}: {message}")]
    Format { file: String, message: String },
}

impl Error {
    /// A problem in the spec at `pointer`.
    pub fn spec(pointer: &Pointer, message: impl Into<String>) -> Self {
        Error::Spec {
            pointer: pointer.clone(),
            message: message.into(),
        }
    }

    /// The place and message of a defect that one part of the model can absorb (see the module
    /// docs), or the error itself when nothing can.
    pub(crate) fn into_defect(self) -> Result<(Pointer, String)> {
        match self {
            Error::Spec { pointer, message } => Ok((pointer, message)),
            other => Err(other),
        }
    }
}

/// The generator's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

//! Errors of the generator. Every error that comes from the spec names where in the spec it is (a JSON
//! pointer such as `#/components/schemas/Call`), so a broken spec can be fixed without guessing.

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
}

/// The generator's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

//! A decoded body together with the response metadata callers sometimes need (status,
//! headers, request id for support tickets).

use std::ops::{Deref, DerefMut};

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Header in which Telnyx returns the id of a request.
pub(crate) const REQUEST_ID: &str = "x-request-id";

/// A successful response: the decoded body plus status and headers.
///
/// Dereferences to the body, so its fields can be read directly.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    attempts: u32,
    data: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, attempts: u32, data: T) -> Self {
        Response {
            status,
            headers,
            attempts,
            data,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `x-request-id` header, when present.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// How many attempts it took (1 when the first attempt succeeded).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The decoded body.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The decoded body, dropping the metadata.
    pub fn into_data(self) -> T {
        self.data
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

impl<T> DerefMut for Response<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.data
    }
}

/// The `x-request-id` header as text, when present and printable.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get(REQUEST_ID).and_then(|v| v.to_str().ok())
}

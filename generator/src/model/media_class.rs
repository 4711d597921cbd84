//! How a media type is carried: JSON, form-encoded, multipart, text or raw bytes. What the schema
//! reader and the body reader both ask of a media type.

/// How a media type is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaClass {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

impl MediaClass {
    /// The suffix of the extra method an alternative body gets (`upload_media_multipart`).
    pub fn method_suffix(self) -> &'static str {
        match self {
            MediaClass::Json => "json",
            MediaClass::Form => "form",
            MediaClass::Multipart => "multipart",
            MediaClass::Text => "text",
            MediaClass::Bytes => "bytes",
        }
    }

    /// The class of a media type (`application/json; charset=utf-8` is JSON).
    pub fn of(media_type: &str) -> MediaClass {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "application/json" | "*/*" | "*" => MediaClass::Json,
            "application/x-www-form-urlencoded" => MediaClass::Form,
            e if e.ends_with("+json") => MediaClass::Json,
            e if e.starts_with("multipart/") => MediaClass::Multipart,
            e if e.starts_with("text/") => MediaClass::Text,
            _ => MediaClass::Bytes,
        }
    }

    /// Preference among several media types of one operation.
    pub(super) fn rank(self) -> u8 {
        match self {
            MediaClass::Json => 0,
            MediaClass::Form => 1,
            MediaClass::Multipart => 2,
            MediaClass::Text => 3,
            MediaClass::Bytes => 4,
        }
    }
}

//! Request bodies other than JSON, encoded once so every retry sends the same bytes:
//! `application/x-www-form-urlencoded`, `multipart/form-data` and raw bytes.
//!
//! Multipart is encoded here rather than with `reqwest::multipart::Form` because a `Form` is a
//! one-shot stream: it cannot be sent again on retry.

use serde_json::Value;

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A text field.
    Text {
        /// The field's name.
        name: String,
        /// Its value.
        value: String,
    },
    /// A file field.
    File {
        /// The field's name.
        name: String,
        /// The file.
        file: Upload,
    },
}

/// A file to upload in a multipart body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Upload {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The file name sent with it.
    pub file_name: String,
    /// Its media type (`application/octet-stream` when empty).
    pub content_type: String,
}

impl Upload {
    /// A file with its name; the media type defaults to `application/octet-stream`.
    pub fn new(bytes: impl Into<Vec<u8>>, file_name: impl Into<String>) -> Self {
        Upload {
            bytes: bytes.into(),
            file_name: file_name.into(),
            content_type: String::new(),
        }
    }

    /// Sets the media type (`application/pdf`, `image/png`, ...).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }
}

/// `a=1&b=x` from a JSON object's properties (`null` properties are left out; arrays repeat the
/// key; nested objects are written as JSON text).
pub(crate) fn form_urlencoded(value: &Value) -> Vec<u8> {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    if let Value::Object(map) = value {
        for (key, v) in map {
            match v {
                Value::Null => {}
                Value::Array(items) => {
                    for item in items {
                        serializer.append_pair(key, &text(item));
                    }
                }
                other => {
                    serializer.append_pair(key, &text(other));
                }
            }
        }
    }
    serializer.finish().into_bytes()
}

/// A value as form text: strings as they are, everything else as JSON.
pub(crate) fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Encodes multipart parts with `boundary`; returns the bytes and the `Content-Type` value.
pub(crate) fn multipart(parts: &[Part], boundary: &str) -> (Vec<u8>, String) {
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match part {
            Part::Text { name, value } => {
                let header = format!(
                    "Content-Disposition: form-data; name=\"{}\"\r\n\r\n",
                    quoted(name)
                );
                out.extend_from_slice(header.as_bytes());
                out.extend_from_slice(value.as_bytes());
            }
            Part::File { name, file } => {
                let content_type = if file.content_type.is_empty() {
                    "application/octet-stream"
                } else {
                    &file.content_type
                };
                let header = format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                    quoted(name),
                    quoted(&file.file_name),
                    content_type.replace(['\r', '\n'], "")
                );
                out.extend_from_slice(header.as_bytes());
                out.extend_from_slice(&file.bytes);
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (out, format!("multipart/form-data; boundary={boundary}"))
}

/// Escapes a header parameter value (quotes and line breaks cannot appear raw).
fn quoted(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_bodies_encode_each_property() {
        let body = json!({"To": "+1 555", "Record": true, "Skip": null, "Tags": ["a", "b&c"]});
        // Key order follows serde_json's map, which may or may not keep insertion order.
        let text = String::from_utf8(form_urlencoded(&body)).unwrap();
        let mut pairs: Vec<&str> = text.split('&').collect();
        pairs.sort_unstable();
        assert_eq!(
            pairs,
            ["Record=true", "Tags=a", "Tags=b%26c", "To=%2B1+555"]
        );
    }

    #[test]
    fn multipart_bodies_frame_text_and_files() {
        let parts = [
            Part::Text {
                name: "model".into(),
                value: "whisper".into(),
            },
            Part::File {
                name: "file".into(),
                file: Upload::new(b"RIFF".to_vec(), "a\"b.wav").content_type("audio/wav"),
            },
        ];
        let (bytes, content_type) = multipart(&parts, "XYZ");
        assert_eq!(content_type, "multipart/form-data; boundary=XYZ");
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "--XYZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n\
             --XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\\\"b.wav\"\r\nContent-Type: audio/wav\r\n\r\nRIFF\r\n\
             --XYZ--\r\n"
        );
    }
}

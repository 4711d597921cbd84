//! Percent-encoding of path parameters, so an id containing `/`, `?` or `#` cannot change which
//! endpoint a request reaches.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything except the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment: every byte except RFC 3986 unreserved characters.
///
/// Use it to build paths for [`Client::request`](crate::Client::request):
///
/// ```
/// use telnyx_call_control_runtime::encode_path_segment;
///
/// assert_eq!(encode_path_segment("v3:a/b c"), "v3%3Aa%2Fb%20c");
/// ```
pub fn encode_path_segment(segment: &str) -> String {
    utf8_percent_encode(segment, PATH_SEGMENT).to_string()
}

/// Whether `path` has a `.` or `..` segment (also percent-encoded), which URL parsing would
/// resolve away, sending the request to a different endpoint than the one named.
pub(crate) fn has_dot_segment(path: &str) -> bool {
    path.split('/').any(|segment| {
        let segment = segment.to_ascii_lowercase().replace("%2e", ".");
        segment == "." || segment == ".."
    })
}

#[cfg(test)]
mod tests {
    use super::{encode_path_segment, has_dot_segment};
    use proptest::prelude::*;

    #[test]
    fn unreserved_characters_pass_through() {
        let unreserved = "AZaz09-._~";
        assert_eq!(encode_path_segment(unreserved), unreserved);
    }

    #[test]
    fn reserved_and_non_ascii_are_encoded() {
        assert_eq!(encode_path_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(encode_path_segment("%"), "%25");
        assert_eq!(encode_path_segment(".."), "..");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
        assert_eq!(encode_path_segment("+ "), "%2B%20");
    }

    #[test]
    fn dot_segments_are_detected() {
        assert!(has_dot_segment("/calls/../balance"));
        assert!(has_dot_segment("/calls/./x"));
        assert!(has_dot_segment("/calls/%2E%2e"));
        assert!(has_dot_segment("/calls/.%2E/x"));
        assert!(!has_dot_segment("/calls/a..b/actions/speak"));
        assert!(!has_dot_segment("/calls/.../x"));
    }

    proptest! {
        #[test]
        fn encoding_round_trips_and_leaves_only_safe_characters(segment in any::<String>()) {
            let encoded = encode_path_segment(&segment);
            let unsafe_char = encoded
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || "-._~%".contains(*c)));
            prop_assert_eq!(unsafe_char, None);
            let decoded = percent_encoding::percent_decode_str(&encoded).decode_utf8();
            prop_assert_eq!(decoded.ok(), Some(segment.as_str().into()));
        }
    }
}

//! Retry policy as pure functions, so the timing rules can be tested without a network or a clock.
//!
//! * Retried statuses: 408, 409, 429 and every 5xx. A `x-should-retry: true|false` response
//!   header overrides that rule either way.
//! * Delay before retry `n` (0-based): `0.5 s · 2^n`, capped at 8 s, multiplied by a jitter
//!   factor in `(0.75, 1.0]` so that many clients do not retry in lockstep.
//! * A delay advised by the server wins over the backoff: `Retry-After-Ms` first, then
//!   `Retry-After` (delta seconds or an HTTP date). Advised delays are capped at
//!   [`MAX_SERVER_DELAY`] so a misbehaving header cannot stall a caller for hours.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

/// Delay before the first retry.
pub(crate) const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
/// Upper bound of the exponential backoff.
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// Upper bound of a delay advised by `Retry-After-Ms` or `Retry-After`.
pub(crate) const MAX_SERVER_DELAY: Duration = Duration::from_secs(60);

/// Header with the server's advised delay in milliseconds; takes precedence over `Retry-After`.
const RETRY_AFTER_MS: &str = "retry-after-ms";
/// Header with which the server says explicitly whether a retry is worthwhile.
const SHOULD_RETRY: &str = "x-should-retry";

/// Whether a non-success response is worth retrying.
pub(crate) fn should_retry_status(status: StatusCode, headers: &HeaderMap) -> bool {
    match header_str(headers, SHOULD_RETRY).map(str::trim) {
        Some(v) if v.eq_ignore_ascii_case("true") => return true,
        Some(v) if v.eq_ignore_ascii_case("false") => return false,
        _ => {}
    }
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// Exponential backoff before retry `retry` (0 for the first retry).
///
/// `jitter` is a sample from `[0, 1)`; it shortens the delay by up to a quarter.
pub(crate) fn backoff_delay(retry: u32, jitter: f64) -> Duration {
    let factor = 2u32.saturating_pow(retry.min(16));
    let base = INITIAL_BACKOFF.saturating_mul(factor).min(MAX_BACKOFF);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    base.mul_f64(1.0 - 0.25 * jitter)
}

/// The delay advised by the server, if any, capped at [`MAX_SERVER_DELAY`].
///
/// `now` is used to turn an HTTP-date `Retry-After` into a delay; a date in the past means
/// "retry now".
pub(crate) fn server_delay(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let advised = header_str(headers, RETRY_AFTER_MS)
        .and_then(parse_millis)
        .or_else(|| {
            header_str(headers, RETRY_AFTER.as_str()).and_then(|v| parse_retry_after(v, now))
        })?;
    Some(advised.min(MAX_SERVER_DELAY))
}

/// Delay before retry `retry` after a response with `headers`.
pub(crate) fn retry_delay(
    retry: u32,
    headers: &HeaderMap,
    now: SystemTime,
    jitter: f64,
) -> Duration {
    server_delay(headers, now).unwrap_or_else(|| backoff_delay(retry, jitter))
}

/// Parses a `Retry-After` value: delta seconds (fractions accepted) or an HTTP date.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0)
            .then(|| Duration::from_secs_f64(secs.min(MAX_SERVER_DELAY.as_secs_f64())));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parses a `Retry-After-Ms` value (fractions accepted).
fn parse_millis(value: &str) -> Option<Duration> {
    let millis = value.trim().parse::<f64>().ok()?;
    (millis.is_finite() && millis >= 0.0)
        .then(|| Duration::from_secs_f64((millis / 1000.0).min(MAX_SERVER_DELAY.as_secs_f64())))
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(value) = HeaderValue::from_str(value) {
                map.insert(*name, value);
            }
        }
        map
    }

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn backoff_doubles_from_half_a_second_and_caps_at_eight() {
        let delays: Vec<_> = (0..7).map(|n| backoff_delay(n, 0.0)).collect();
        let ms: Vec<_> = delays.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(backoff_delay(u32::MAX, 0.0), MAX_BACKOFF);
    }

    #[test]
    fn jitter_shortens_by_at_most_a_quarter() {
        assert_eq!(backoff_delay(1, 0.5), Duration::from_millis(875));
        assert_eq!(backoff_delay(1, 1.0), Duration::from_millis(750));
        assert_eq!(backoff_delay(1, -3.0), Duration::from_millis(1000));
        assert_eq!(backoff_delay(1, f64::NAN), Duration::from_millis(1000));
    }

    #[test]
    fn retryable_statuses() {
        let none = HeaderMap::new();
        for code in [408, 409, 429, 500, 502, 503, 504, 599] {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
            assert!(should_retry_status(status, &none), "{code}");
        }
        for code in [400, 401, 403, 404, 410, 422] {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
            assert!(!should_retry_status(status, &none), "{code}");
        }
    }

    #[test]
    fn should_retry_header_overrides_status() {
        let no = headers(&[("x-should-retry", "false")]);
        let yes = headers(&[("x-should-retry", " TRUE ")]);
        let junk = headers(&[("x-should-retry", "maybe")]);
        assert!(!should_retry_status(StatusCode::SERVICE_UNAVAILABLE, &no));
        assert!(should_retry_status(StatusCode::BAD_REQUEST, &yes));
        assert!(!should_retry_status(StatusCode::BAD_REQUEST, &junk));
        assert!(should_retry_status(StatusCode::BAD_GATEWAY, &junk));
    }

    #[test]
    fn retry_after_ms_wins_over_retry_after() {
        let h = headers(&[("retry-after-ms", "250"), ("retry-after", "7")]);
        assert_eq!(server_delay(&h, at(0)), Some(Duration::from_millis(250)));
        let h = headers(&[("retry-after-ms", "garbage"), ("retry-after", "7")]);
        assert_eq!(server_delay(&h, at(0)), Some(Duration::from_secs(7)));
    }

    #[test]
    fn retry_after_seconds_and_fractions() {
        assert_eq!(parse_retry_after("3", at(0)), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after(" 1.5 ", at(0)),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_retry_after("-1", at(0)), None);
        assert_eq!(parse_retry_after("soon", at(0)), None);
    }

    #[test]
    fn retry_after_http_date_is_relative_to_now() {
        // 1994-11-06 08:49:37 UTC is 784111777 s after the epoch.
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(
            parse_retry_after(date, at(784_111_767)),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after(date, at(784_111_800)),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn server_delay_is_capped() {
        let h = headers(&[("retry-after", "86400")]);
        assert_eq!(server_delay(&h, at(0)), Some(MAX_SERVER_DELAY));
        let h = headers(&[("retry-after-ms", "1e12")]);
        assert_eq!(server_delay(&h, at(0)), Some(MAX_SERVER_DELAY));
        let h = headers(&[("retry-after", "Fri, 31 Dec 2100 23:59:59 GMT")]);
        assert_eq!(server_delay(&h, at(0)), Some(MAX_SERVER_DELAY));
    }

    #[test]
    fn retry_delay_falls_back_to_backoff() {
        let none = HeaderMap::new();
        assert_eq!(retry_delay(2, &none, at(0), 0.0), Duration::from_secs(2));
        let h = headers(&[("retry-after", "1")]);
        assert_eq!(retry_delay(2, &h, at(0), 0.0), Duration::from_secs(1));
    }
}

//! When to try a request to the identity provider again: network failures, 5xx and 429 are
//! usually passing, so they get a bounded number of retries; everything else is an answer.

/// Attempts after the first.
pub const MAX_RETRIES: u32 = 2;
/// The longest wait honoured, even when `Retry-After` asks for more: a user is waiting.
pub const MAX_WAIT_MS: u32 = 5_000;

/// What the last attempt gave.
pub enum Outcome<'a> {
    /// No answer at all (offline, DNS, CORS refusal, timeout).
    NetworkError,
    Status {
        status: u16,
        retry_after: Option<&'a str>,
    },
}

/// How long to wait before attempt `retry` (1-based), or None to stop here.
pub fn delay_ms(retry: u32, outcome: &Outcome) -> Option<u32> {
    if retry > MAX_RETRIES {
        return None;
    }
    let backoff = 500 * (1 << (retry - 1));
    match *outcome {
        Outcome::NetworkError => Some(backoff),
        Outcome::Status { status: 429 | 500..=599, retry_after } => {
            let asked = retry_after.and_then(|s| s.trim().parse::<u32>().ok()).map(|secs| secs.saturating_mul(1000));
            Some(asked.unwrap_or(backoff).min(MAX_WAIT_MS))
        }
        Outcome::Status { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_transient_failures_a_bounded_number_of_times() {
        let busy = Outcome::Status { status: 503, retry_after: None };
        assert_eq!(delay_ms(1, &busy), Some(500));
        assert_eq!(delay_ms(2, &busy), Some(1000));
        assert_eq!(delay_ms(3, &busy), None);
        assert_eq!(delay_ms(1, &Outcome::NetworkError), Some(500));
        assert_eq!(delay_ms(1, &Outcome::Status { status: 429, retry_after: Some(" 2 ") }), Some(2000));
        assert_eq!(delay_ms(1, &Outcome::Status { status: 429, retry_after: Some("3600") }), Some(MAX_WAIT_MS));
        // An HTTP-date is not worth a date parser here: the usual backoff applies.
        assert_eq!(delay_ms(1, &Outcome::Status { status: 503, retry_after: Some("Wed, 21 Oct 2026 07:28:00 GMT") }), Some(500));
        for status in [200, 400, 401, 404] {
            assert_eq!(delay_ms(1, &Outcome::Status { status, retry_after: None }), None, "{status}");
        }
    }
}

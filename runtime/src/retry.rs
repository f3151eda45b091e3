//! When a failed attempt is sent again, and after how long.
//!
//! The rules follow what is safe for any API: a request that may have taken effect (a POST or
//! PATCH the server received) is never resent unless the caller allows it, because the server
//! would create a second record. Reads, replacements and deletions are idempotent and are
//! retried on every transient failure, and so are the POSTs that only read, which a spec
//! marks with `x-idempotent: true`.

use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, SystemTime};

use http::StatusCode;
use http::header::{HeaderMap, RETRY_AFTER};

/// How a client retries transient failures: 429, 502, 503, 504, connection failures and
/// timeouts.
///
/// The default makes up to 3 retries with exponential backoff (0.5 s, 1 s, 2 s, …, each with
/// random jitter, at most 30 s apart), honours `Retry-After`, and gives up rather than wait
/// more than 60 s in all. GET, PUT and DELETE are retried on every transient failure; POST and
/// PATCH only after a 429 (the server refused the request without acting on it) or when the
/// connection failed before the request was sent, unless [`retry_unsafe`](Self::retry_unsafe)
/// allows more.
///
/// ```
/// use std::time::Duration;
/// use openapi_client_runtime::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_retries(5)
///     .max_total_wait(Duration::from_secs(120));
/// let never = RetryPolicy::none();
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_total_wait: Duration,
    retry_unsafe: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_total_wait: Duration::from_secs(60),
            retry_unsafe: false,
        }
    }
}

impl RetryPolicy {
    /// No retries: every call is attempted once.
    pub fn none() -> Self {
        Self::default().max_retries(0)
    }

    /// How many times a call may be sent again after its first attempt (default 3).
    #[must_use]
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The wait before the first retry; each later one doubles it (default 500 ms).
    #[must_use]
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest single wait (default 30 s). A `Retry-After` asking for longer ends the
    /// retries: the call returns the 429 (or 503) at once, with its rate-limit headers.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The most time spent waiting between attempts of one call (default 60 s): a retry that
    /// would wait beyond it is not made, and the last failure is returned.
    #[must_use]
    pub fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// Also resends POST and PATCH requests after a 502, 503, 504 or a timeout, when the
    /// server may already have acted on them (default `false`). Allow it only for calls that
    /// are safe to repeat, such as the searches that the API exposes as POST.
    #[must_use]
    pub fn retry_unsafe(mut self, allow: bool) -> Self {
        self.retry_unsafe = allow;
        self
    }

    /// The most retries this policy makes.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// Whether a call that `failed` on its `attempt` (1 for the first) is sent again, and after
    /// how long; `waited` is the time already spent waiting between its attempts, and
    /// `repeatable` whether sending it twice does what sending it once does.
    pub(crate) fn next_delay(
        &self,
        repeatable: bool,
        failed: &Failure<'_>,
        attempt: u32,
        waited: Duration,
    ) -> Option<Duration> {
        if attempt > self.max_retries || !self.may_resend(repeatable, failed) {
            return None;
        }
        let asked = match failed {
            Failure::Status(_, headers) => retry_after(headers, SystemTime::now()),
            Failure::NotSent | Failure::MaybeSent => None,
        };
        let delay = match asked {
            // Retrying before the server's time would only collect another refusal.
            Some(asked) if asked > self.max_delay => return None,
            // Up to a tenth more, so that the clients one server refused do not all come back
            // at the instant it named.
            Some(asked) => asked.saturating_add(asked.mul_f64(random_fraction(attempt) / 10.0)),
            None => self.backoff(attempt),
        };
        (waited.saturating_add(delay) <= self.max_total_wait).then_some(delay)
    }

    fn may_resend(&self, repeatable: bool, failed: &Failure<'_>) -> bool {
        let transient = match failed {
            Failure::Status(status, _) => is_transient_status(*status),
            Failure::NotSent | Failure::MaybeSent => true,
        };
        let safe = match failed {
            // Refused or never sent: the server did nothing, whatever the method.
            Failure::Status(status, _) if *status == StatusCode::TOO_MANY_REQUESTS => true,
            Failure::NotSent => true,
            _ => repeatable || self.retry_unsafe,
        };
        transient && safe
    }

    /// Exponential backoff with "equal jitter": a random wait between half and all of
    /// `base * 2^(attempt-1)` (capped at `max_delay`), so that many clients that failed
    /// together do not retry together, and none retries at once.
    fn backoff(&self, attempt: u32) -> Duration {
        let exponential = self
            .base_delay
            .saturating_mul(1_u32 << (attempt - 1).min(16))
            .min(self.max_delay);
        exponential.mul_f64(0.5 + random_fraction(attempt) / 2.0)
    }
}

/// The statuses that say "not now" rather than "no": the server is limiting or briefly
/// unavailable. [`Error::is_retryable`](crate::Error::is_retryable) says the same.
pub(crate) fn is_transient_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// A random number in `[0, 1)`, from the standard library's per-process random hash keys:
/// jitter needs no better randomness than that.
fn random_fraction(salt: u32) -> f64 {
    let random = RandomState::new().hash_one(salt);
    (random % 1_000) as f64 / 1_000.0
}

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Debug)]
pub(crate) enum Failure<'a> {
    /// The server answered with this status.
    Status(StatusCode, &'a HeaderMap),
    /// The connection could not be made: the request never left.
    NotSent,
    /// A timeout or a broken connection after the request may have arrived.
    MaybeSent,
}

impl std::fmt::Display for Failure<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Status(status, _) => write!(f, "status {status}"),
            Failure::NotSent => f.write_str("the connection failed"),
            Failure::MaybeSent => f.write_str("timeout or broken connection"),
        }
    }
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date (RFC 9110).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::HeaderValue;

    /// A GET, PUT, DELETE or read-only POST.
    const REPEATABLE: bool = true;
    /// A POST or PATCH that may create something.
    const ONCE_ONLY: bool = false;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = httpdate::parse_http_date("Wed, 25 Nov 2026 11:00:00 GMT").unwrap();
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers("Wed, 25 Nov 2026 11:00:30 GMT"), now),
            Some(Duration::from_secs(30))
        );
        // A date in the past means "now".
        assert_eq!(
            retry_after(&headers("Wed, 25 Nov 2026 10:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_doubles_within_jitter_and_caps() {
        let policy = RetryPolicy::default();
        for attempt in 1..=4 {
            let full = Duration::from_millis(500 * (1 << (attempt - 1)));
            let delay = policy.backoff(attempt);
            assert!(delay >= full / 2 && delay <= full, "{attempt}: {delay:?}");
        }
        assert!(policy.backoff(30) <= Duration::from_secs(30));
    }

    #[test]
    fn unsafe_methods_are_resent_only_when_nothing_happened() {
        let policy = RetryPolicy::default();
        let none = HeaderMap::new();
        let unavailable = Failure::Status(StatusCode::SERVICE_UNAVAILABLE, &none);
        let limited = Failure::Status(StatusCode::TOO_MANY_REQUESTS, &none);
        let zero = Duration::ZERO;
        assert!(
            policy
                .next_delay(REPEATABLE, &unavailable, 1, zero)
                .is_some()
        );
        assert!(
            policy
                .next_delay(REPEATABLE, &Failure::MaybeSent, 1, zero)
                .is_some()
        );
        assert!(
            policy
                .next_delay(ONCE_ONLY, &unavailable, 1, zero)
                .is_none()
        );
        assert!(
            policy
                .next_delay(ONCE_ONLY, &Failure::MaybeSent, 1, zero)
                .is_none()
        );
        assert!(policy.next_delay(ONCE_ONLY, &limited, 1, zero).is_some());
        assert!(
            policy
                .next_delay(ONCE_ONLY, &Failure::NotSent, 1, zero)
                .is_some()
        );
        let allowing = RetryPolicy::default().retry_unsafe(true);
        assert!(
            allowing
                .next_delay(ONCE_ONLY, &unavailable, 1, zero)
                .is_some()
        );
    }

    #[test]
    fn only_transient_statuses_are_retried() {
        let policy = RetryPolicy::default();
        let none = HeaderMap::new();
        for status in [400, 401, 404, 422, 500, 501] {
            let failed = Failure::Status(StatusCode::from_u16(status).unwrap(), &none);
            assert!(
                policy
                    .next_delay(REPEATABLE, &failed, 1, Duration::ZERO)
                    .is_none()
            );
        }
    }

    #[test]
    fn attempts_and_total_wait_are_bounded() {
        let policy = RetryPolicy::default()
            .max_retries(2)
            .max_total_wait(Duration::from_secs(10));
        let limited = headers("8");
        let failed = Failure::Status(StatusCode::TOO_MANY_REQUESTS, &limited);
        let asked = policy
            .next_delay(REPEATABLE, &failed, 1, Duration::ZERO)
            .unwrap();
        assert!(
            asked >= Duration::from_secs(8) && asked <= Duration::from_millis(8_800),
            "Retry-After 8 with up to a tenth of jitter: {asked:?}"
        );
        assert_eq!(
            policy.next_delay(REPEATABLE, &failed, 2, Duration::from_secs(8)),
            None,
            "8 s more would exceed the 10 s budget"
        );
        assert_eq!(
            policy.next_delay(REPEATABLE, &failed, 3, Duration::ZERO),
            None
        );
        let later = headers("45");
        let too_long = Failure::Status(StatusCode::TOO_MANY_REQUESTS, &later);
        assert_eq!(
            RetryPolicy::default().next_delay(REPEATABLE, &too_long, 1, Duration::ZERO),
            None,
            "a wait beyond max_delay is not made"
        );
        assert_eq!(
            RetryPolicy::none().next_delay(REPEATABLE, &failed, 1, Duration::ZERO),
            None
        );
    }

    #[test]
    fn huge_retry_after_values_and_policies_do_not_panic() {
        let huge = headers("18446744073709551615");
        let failed = Failure::Status(StatusCode::TOO_MANY_REQUESTS, &huge);
        assert_eq!(
            RetryPolicy::default().next_delay(REPEATABLE, &failed, 1, Duration::ZERO),
            None,
            "longer than max_delay: the 429 is returned"
        );
        let patient = RetryPolicy::default()
            .max_delay(Duration::MAX)
            .max_total_wait(Duration::MAX)
            .base_delay(Duration::MAX);
        assert!(
            patient
                .next_delay(REPEATABLE, &failed, 1, Duration::MAX)
                .is_some()
        );
        let unavailable = Failure::Status(StatusCode::SERVICE_UNAVAILABLE, &HeaderMap::new());
        assert!(
            patient
                .next_delay(REPEATABLE, &unavailable, 3, Duration::ZERO)
                .is_some()
        );
        let far = headers("Fri, 31 Dec 9999 23:59:59 GMT");
        let dated = Failure::Status(StatusCode::SERVICE_UNAVAILABLE, &far);
        assert!(
            patient
                .next_delay(REPEATABLE, &dated, 1, Duration::ZERO)
                .is_some()
        );
    }
}

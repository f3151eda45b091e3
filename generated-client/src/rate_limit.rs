//! HighLevel's rate limits: what the server reports, and an optional limiter that keeps a
//! process under the burst limit before the server has to refuse anything.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;

/// The rate-limit state the server reported with a response (its `X-RateLimit-*` headers).
///
/// HighLevel limits each app per location (or company): 100 requests per 10 seconds and
/// 200,000 a day. Fields the response did not carry are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimit {
    /// `X-RateLimit-Limit-Daily`: requests allowed per day.
    pub daily_limit: Option<u64>,
    /// `X-RateLimit-Daily-Remaining`: requests left today.
    pub daily_remaining: Option<u64>,
    /// `X-RateLimit-Interval-Milliseconds`: the length of the burst window.
    pub interval: Option<Duration>,
    /// `X-RateLimit-Max`: requests allowed per burst window.
    pub max: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the current burst window.
    pub remaining: Option<u64>,
}

impl RateLimit {
    /// Reads the headers; `None` when the response carries none of them.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let limit = Self {
            daily_limit: number("x-ratelimit-limit-daily"),
            daily_remaining: number("x-ratelimit-daily-remaining"),
            interval: number("x-ratelimit-interval-milliseconds").map(Duration::from_millis),
            max: number("x-ratelimit-max"),
            remaining: number("x-ratelimit-remaining"),
        };
        (limit != Self::default()).then_some(limit)
    }
}

/// A client-side limiter: at most `max` requests per `interval` for each location, so that a
/// batch job waits a little instead of collecting 429s.
///
/// The default matches HighLevel's burst limit, 100 requests per 10 seconds. The limit is
/// counted per location (the `locationId` a call names), as the server counts it; calls that
/// name none share one budget. It holds for one process: several processes for the same app
/// and location each need their share (e.g. `RateLimiter::new(50, …)` for two).
///
/// ```
/// use highlevel_social_planner::{Client, RateLimiter};
///
/// let client = Client::builder("pit-…")
///     .rate_limiter(RateLimiter::default())
///     .build()?;
/// # Ok::<(), highlevel_social_planner::Error>(())
/// ```
#[derive(Debug)]
pub struct RateLimiter {
    max: usize,
    interval: Duration,
    /// Start times of the requests in the current window, per location.
    sent: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new(100, Duration::from_secs(10))
    }
}

impl RateLimiter {
    /// At most `max` requests (at least 1) per `interval` for each location.
    pub fn new(max: u32, interval: Duration) -> Self {
        Self {
            max: max.max(1) as usize,
            interval,
            sent: Mutex::new(HashMap::new()),
        }
    }

    /// Waits until a request for `location` fits in the window, and counts it.
    pub(crate) async fn acquire(&self, location: &str) {
        while let Some(wait) = self.try_acquire(location, Instant::now()) {
            tokio::time::sleep(wait).await;
        }
    }

    /// Counts a request at `now` and returns `None`, or returns how long to wait first.
    fn try_acquire(&self, location: &str, now: Instant) -> Option<Duration> {
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        let window = sent.entry(location.to_owned()).or_default();
        while window
            .front()
            .is_some_and(|&t| now.duration_since(t) >= self.interval)
        {
            window.pop_front();
        }
        if window.len() < self.max {
            window.push_back(now);
            return None;
        }
        let oldest = *window.front().expect("the window is full");
        Some(self.interval - now.duration_since(oldest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn headers_are_read_into_a_typed_value() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("X-RateLimit-Limit-Daily", "200000"),
            ("X-RateLimit-Daily-Remaining", "199990"),
            ("X-RateLimit-Interval-Milliseconds", "10000"),
            ("X-RateLimit-Max", "100"),
            ("X-RateLimit-Remaining", "97"),
        ] {
            headers.insert(name, HeaderValue::from_static(value));
        }
        assert_eq!(
            RateLimit::from_headers(&headers),
            Some(RateLimit {
                daily_limit: Some(200_000),
                daily_remaining: Some(199_990),
                interval: Some(Duration::from_secs(10)),
                max: Some(100),
                remaining: Some(97),
            })
        );
    }

    #[test]
    fn absent_or_garbled_headers_read_as_none() {
        assert_eq!(RateLimit::from_headers(&HeaderMap::new()), None);
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("lots"));
        assert_eq!(RateLimit::from_headers(&headers), None);
    }

    #[test]
    fn the_limiter_counts_per_location_and_frees_slots_as_the_window_moves() {
        let limiter = RateLimiter::new(2, Duration::from_secs(10));
        let start = Instant::now();
        assert_eq!(limiter.try_acquire("a", start), None);
        assert_eq!(
            limiter.try_acquire("a", start + Duration::from_secs(1)),
            None
        );
        assert_eq!(
            limiter.try_acquire("a", start + Duration::from_secs(2)),
            Some(Duration::from_secs(8))
        );
        // Another location has its own budget.
        assert_eq!(
            limiter.try_acquire("b", start + Duration::from_secs(2)),
            None
        );
        // Once the first request leaves the window, a slot is free.
        assert_eq!(
            limiter.try_acquire("a", start + Duration::from_secs(10)),
            None
        );
    }
}

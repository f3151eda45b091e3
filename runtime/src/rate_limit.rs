//! Rate limits: what the server reports, and an optional limiter that keeps a process under a
//! limit before the server has to refuse anything.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use http::header::{HeaderMap, HeaderName};

use crate::profile::{RateLimitHeaders, Reset, TimeUnit};

/// The rate-limit state the server reported with a response, read from the headers its
/// API's profile names. Fields the response did not carry are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed per day.
    pub daily_limit: Option<u64>,
    /// Requests left today.
    pub daily_remaining: Option<u64>,
    /// The length of the burst window.
    pub interval: Option<Duration>,
    /// Requests allowed per burst window.
    pub max: Option<u64>,
    /// Requests left in the current burst window.
    pub remaining: Option<u64>,
    /// How long until the current window ends.
    pub reset: Option<Duration>,
}

/// The profile's rate-limit headers, parsed once per client: every response is read with
/// them, and looking a header up by a parsed name is much cheaper than by text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RateLimitReader {
    limit: Option<HeaderName>,
    remaining: Option<HeaderName>,
    window: Option<(HeaderName, TimeUnit)>,
    reset: Option<(HeaderName, Reset)>,
    daily_limit: Option<HeaderName>,
    daily_remaining: Option<HeaderName>,
}

impl RateLimitReader {
    /// The reader for `names`; a name that is not a header name (which the generator does
    /// not let through) is never found.
    pub(crate) fn new(names: &RateLimitHeaders) -> Self {
        let parse = |name: Option<&str>| name.and_then(|n| HeaderName::try_from(n).ok());
        Self {
            limit: parse(names.limit),
            remaining: parse(names.remaining),
            window: names
                .window
                .and_then(|(name, unit)| Some((parse(Some(name))?, unit))),
            reset: names
                .reset
                .and_then(|(name, kind)| Some((parse(Some(name))?, kind))),
            daily_limit: parse(names.daily_limit),
            daily_remaining: parse(names.daily_remaining),
        }
    }

    /// Whether `headers` carry any of the names: a report, to be read when someone asks.
    pub(crate) fn reports(&self, headers: &HeaderMap) -> bool {
        [
            self.remaining.as_ref(),
            self.limit.as_ref(),
            self.window.as_ref().map(|(name, _)| name),
            self.reset.as_ref().map(|(name, _)| name),
            self.daily_remaining.as_ref(),
            self.daily_limit.as_ref(),
        ]
        .into_iter()
        .flatten()
        .any(|name| headers.contains_key(name))
    }

    /// What `headers` report; `None` when they carry none of the names (or none that parses).
    pub(crate) fn read(&self, headers: &HeaderMap) -> Option<RateLimit> {
        self.read_at(headers, SystemTime::now())
    }

    fn read_at(&self, headers: &HeaderMap, now: SystemTime) -> Option<RateLimit> {
        let number = |name: Option<&HeaderName>| {
            headers
                .get(name?)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let interval = self.window.as_ref().and_then(|(name, unit)| {
            let value = number(Some(name))?;
            Some(match unit {
                TimeUnit::Seconds => Duration::from_secs(value),
                TimeUnit::Milliseconds => Duration::from_millis(value),
            })
        });
        let reset = self.reset.as_ref().and_then(|(name, kind)| {
            let value = number(Some(name))?;
            Some(match kind {
                Reset::DeltaSeconds => Duration::from_secs(value),
                Reset::UnixSeconds => {
                    let now = now.duration_since(UNIX_EPOCH).unwrap_or_default();
                    Duration::from_secs(value).saturating_sub(now)
                }
            })
        });
        let limit = RateLimit {
            daily_limit: number(self.daily_limit.as_ref()),
            daily_remaining: number(self.daily_remaining.as_ref()),
            interval,
            max: number(self.limit.as_ref()),
            remaining: number(self.remaining.as_ref()),
            reset,
        };
        (limit != RateLimit::default()).then_some(limit)
    }
}

/// A number of requests per window, as an API documents its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Requests allowed per window (at least 1 is used).
    pub requests: u32,
    /// The window's length.
    pub per: Duration,
}

impl Quota {
    /// `requests` per `per`.
    pub const fn new(requests: u32, per: Duration) -> Self {
        Self { requests, per }
    }
}

/// A client-side limiter: at most `max` requests per `interval` for each key, so that a batch
/// job waits a little instead of collecting 429s.
///
/// The key is the parameter the API counts its limit by, as its profile says (an account or
/// tenant id, say); calls that name none share one budget. It holds for one process: several
/// processes for the same key each need their share (e.g. half the quota each for two).
#[derive(Debug)]
pub struct RateLimiter {
    max: usize,
    interval: Duration,
    /// Start times of the requests in the current window, per key.
    sent: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    /// At most `max` requests (at least 1) per `interval` for each key.
    pub fn new(max: u32, interval: Duration) -> Self {
        Self {
            max: max.max(1) as usize,
            interval,
            sent: Mutex::new(HashMap::new()),
        }
    }

    /// Waits until a request for `key` fits in the window, and counts it.
    pub(crate) async fn acquire(&self, key: &str) {
        while let Some(wait) = self.try_acquire(key, Instant::now()) {
            tokio::time::sleep(wait).await;
        }
    }

    /// Counts a request at `now` and returns `None`, or returns how long to wait first.
    fn try_acquire(&self, key: &str, now: Instant) -> Option<Duration> {
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        // Looked up before inserting, so that the common case hashes once and allocates no key.
        if let Some(window) = sent.get_mut(key) {
            return self.take_slot(window, now);
        }
        self.take_slot(sent.entry(key.to_owned()).or_default(), now)
    }

    /// Counts a request at `now` in `window` and returns `None`, or how long to wait first.
    fn take_slot(&self, window: &mut VecDeque<Instant>, now: Instant) -> Option<Duration> {
        while window
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= self.interval)
        {
            window.pop_front();
        }
        if window.len() < self.max {
            window.push_back(now);
            return None;
        }
        let oldest = *window.front().expect("the window is full");
        Some(
            self.interval
                .saturating_sub(now.saturating_duration_since(oldest)),
        )
    }
}

impl From<Quota> for RateLimiter {
    fn from(quota: Quota) -> Self {
        Self::new(quota.requests, quota.per)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::HeaderValue;

    const NAMES: RateLimitHeaders = RateLimitHeaders {
        limit: Some("x-limit"),
        remaining: Some("x-remaining"),
        window: Some(("x-window-ms", TimeUnit::Milliseconds)),
        reset: Some(("x-reset", Reset::UnixSeconds)),
        daily_limit: Some("x-day-limit"),
        daily_remaining: Some("x-day-remaining"),
    };

    #[test]
    fn headers_are_read_into_a_typed_value() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("X-Day-Limit", "200000"),
            ("X-Day-Remaining", "199990"),
            ("X-Window-Ms", "10000"),
            ("X-Limit", "100"),
            ("X-Remaining", "97"),
            ("X-Reset", "1000030"),
        ] {
            headers.insert(name, HeaderValue::from_static(value));
        }
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(
            RateLimitReader::new(&NAMES).read_at(&headers, now),
            Some(RateLimit {
                daily_limit: Some(200_000),
                daily_remaining: Some(199_990),
                interval: Some(Duration::from_secs(10)),
                max: Some(100),
                remaining: Some(97),
                reset: Some(Duration::from_secs(30)),
            })
        );
        let seconds = RateLimitHeaders {
            window: Some(("x-window-ms", TimeUnit::Seconds)),
            reset: Some(("x-reset", Reset::DeltaSeconds)),
            ..RateLimitHeaders::NONE
        };
        let read = RateLimitReader::new(&seconds)
            .read_at(&headers, now)
            .unwrap();
        assert_eq!(read.interval, Some(Duration::from_secs(10_000)));
        assert_eq!(read.reset, Some(Duration::from_secs(1_000_030)));
        assert_eq!(
            read.max, None,
            "a header the profile does not name is not read"
        );
    }

    #[test]
    fn absent_or_garbled_headers_read_as_none() {
        let reader = RateLimitReader::new(&NAMES);
        assert_eq!(reader.read(&HeaderMap::new()), None);
        let mut headers = HeaderMap::new();
        headers.insert("x-remaining", HeaderValue::from_static("lots"));
        headers.insert(
            "x-reset",
            HeaderValue::from_static("99999999999999999999999"),
        );
        assert_eq!(reader.read(&headers), None);
        headers.insert("x-remaining", HeaderValue::from_static("3"));
        assert_eq!(
            RateLimitReader::new(&RateLimitHeaders::NONE).read(&headers),
            None,
            "a profile without rate-limit headers reads none"
        );
    }

    #[test]
    fn the_limiter_counts_per_key_and_frees_slots_as_the_window_moves() {
        let limiter = RateLimiter::from(Quota::new(2, Duration::from_secs(10)));
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
        // Another key has its own budget.
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

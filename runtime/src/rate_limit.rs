//! Rate limits: what the server reports, and an optional limiter that keeps a process under a
//! limit before the server has to refuse anything.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use http::header::{HeaderMap, HeaderName};

use crate::boxed::{BoxError, BoxFuture};

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
/// tenant id, say); calls that name none share one budget. Waiting calls are served in the
/// order they came: each takes the next free slot in the window when it arrives, and sleeps
/// until then. Keys idle for a whole window are forgotten, so thousands of keys cost memory
/// only while they are in use. It holds for one process: several processes for the same key
/// each need their share (e.g. half the quota each for two).
#[derive(Debug)]
pub struct RateLimiter {
    max: usize,
    interval: Duration,
    windows: Mutex<Windows>,
}

#[derive(Debug, Default)]
struct Windows {
    /// The send times in the current window, per key, oldest first; a waiting call's time is
    /// in the future.
    by_key: HashMap<String, VecDeque<Instant>>,
    /// When idle keys were last swept out.
    swept: Option<Instant>,
}

/// Below this many keys, idle ones are not worth a sweep.
const SWEEP_ABOVE: usize = 64;

impl RateLimiter {
    /// At most `max` requests (at least 1) per `interval` for each key.
    pub fn new(max: u32, interval: Duration) -> Self {
        Self {
            max: max.max(1) as usize,
            interval,
            windows: Mutex::new(Windows::default()),
        }
    }

    /// Waits until a request for `key` fits in the window; it then counts as sent.
    pub(crate) async fn wait_for_slot(&self, key: &str) {
        let now = Instant::now();
        let at = self.reserve(key, now);
        if at > now {
            tokio::time::sleep_until(at.into()).await;
        }
    }

    /// Takes the first free slot for `key` from `now` on and returns its time.
    fn reserve(&self, key: &str, now: Instant) -> Instant {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        self.sweep(&mut windows, now);
        // Looked up before inserting, so that the common case hashes once and allocates no key.
        if let Some(window) = windows.by_key.get_mut(key) {
            return self.take_slot(window, now);
        }
        let window = windows.by_key.entry(key.to_owned()).or_default();
        self.take_slot(window, now)
    }

    /// The time of the next slot in `window` from `now` on, counted as taken.
    fn take_slot(&self, window: &mut VecDeque<Instant>, now: Instant) -> Instant {
        while window
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= self.interval)
        {
            window.pop_front();
        }
        let at = match window.len().checked_sub(self.max) {
            // Room in the window now.
            None => now,
            // Full: the slot frees when the request `max` places back leaves the window.
            Some(back) => window[back]
                .checked_add(self.interval)
                .unwrap_or(window[back])
                .max(now),
        };
        window.push_back(at);
        at
    }

    /// Forgets the keys with nothing in the current window, at most once per window.
    fn sweep(&self, windows: &mut Windows, now: Instant) {
        let due = windows
            .swept
            .is_none_or(|at| now.saturating_duration_since(at) >= self.interval);
        if windows.by_key.len() <= SWEEP_ABOVE || !due {
            return;
        }
        windows.swept = Some(now);
        let interval = self.interval;
        windows.by_key.retain(|_, window| {
            window
                .back()
                .is_some_and(|&last| now.saturating_duration_since(last) < interval)
        });
    }
}

/// How long reports of a spent daily quota stop calls before one is let through to learn
/// whether the quota is back, when the server does not say when it resets.
const QUOTA_PROBE: Duration = Duration::from_secs(60);
/// Reports older than this are forgotten when there are many keys.
const REPORT_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// Above this many keys, old reports are swept out.
const REPORTS_KEPT: usize = 1024;

/// The latest rate-limit report of the client and of each key, kept as the headers that
/// carried it and read only when asked.
#[derive(Debug)]
pub(crate) struct Reports {
    reader: Arc<RateLimitReader>,
    state: Mutex<ReportState>,
}

#[derive(Debug, Default)]
struct ReportState {
    latest: Option<Arc<HeaderMap>>,
    by_key: HashMap<String, Report>,
}

#[derive(Debug)]
struct Report {
    headers: Arc<HeaderMap>,
    /// When it arrived, or when a call was last let through to probe a spent quota.
    at: Instant,
}

impl Reports {
    pub(crate) fn new(reader: RateLimitReader) -> Self {
        Self {
            reader: Arc::new(reader),
            state: Mutex::new(ReportState::default()),
        }
    }

    /// The reader of the headers, for responses that keep theirs.
    pub(crate) fn reader(&self) -> &Arc<RateLimitReader> {
        &self.reader
    }

    /// Keeps `headers` as the latest report for `key`, if they carry one.
    pub(crate) fn record(&self, key: &str, headers: &Arc<HeaderMap>) {
        if !self.reader.reports(headers) {
            return;
        }
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.latest = Some(Arc::clone(headers));
        if state.by_key.len() > REPORTS_KEPT {
            state
                .by_key
                .retain(|_, report| now.saturating_duration_since(report.at) < REPORT_LIFETIME);
        }
        let report = Report {
            headers: Arc::clone(headers),
            at: now,
        };
        match state.by_key.get_mut(key) {
            Some(kept) => *kept = report,
            None => {
                state.by_key.insert(key.to_owned(), report);
            }
        }
    }

    /// The latest report of any key.
    pub(crate) fn latest(&self) -> Option<RateLimit> {
        let latest = self.lock().latest.clone()?;
        self.reader.read(&latest)
    }

    /// The latest report for `key`.
    pub(crate) fn for_key(&self, key: &str) -> Option<RateLimit> {
        let headers = Arc::clone(&self.lock().by_key.get(key)?.headers);
        self.reader.read(&headers)
    }

    /// `Some(when it resets, if known)` when the latest report for `key` says its daily
    /// quota is spent and a call must not be sent. Once the reset is due (or, when unknown,
    /// once a minute), one call is let through to learn whether the quota is back.
    pub(crate) fn quota_spent(&self, key: &str) -> Option<Option<Duration>> {
        let now = Instant::now();
        let mut state = self.lock();
        let report = state.by_key.get_mut(key)?;
        let read = self.reader.read(&report.headers)?;
        if read.daily_remaining != Some(0) {
            return None;
        }
        let since = now.saturating_duration_since(report.at);
        let wait = read.reset.unwrap_or(QUOTA_PROBE);
        if since >= wait {
            // This call is the probe; the others keep failing fast until it is answered.
            report.at = now;
            return None;
        }
        Some(read.reset.map(|reset| reset.saturating_sub(since)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ReportState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A client-side rate limiter, asked before each request is sent. The per-process
/// [`RateLimiter`] implements it, and with the `redis` feature so does the fleet-wide
/// `SharedRateLimiter`; implement it to keep the budget in a store of your own.
pub trait Limiter: Send + Sync + fmt::Debug + 'static {
    /// Waits until a request for `key` (the value of the parameter the API counts its limit
    /// by; empty when the call names none) may be sent, and counts it. An error stops the
    /// call with `Error::Limiter`.
    fn acquire<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), BoxError>>;

    /// Whether the limiter wants the server's reports (see [`observe`](Self::observe)); they
    /// are read from the headers only when it does.
    fn observes(&self) -> bool {
        false
    }

    /// What the server reported for `key` with a response. A shared budget corrects itself
    /// from it: the server's word wins. Runs in a task of its own, after the call has its
    /// answer.
    fn observe(&self, key: String, report: RateLimit) -> BoxFuture<'_, ()> {
        let _ = (key, report);
        Box::pin(async {})
    }
}

impl Limiter for RateLimiter {
    fn acquire<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), BoxError>> {
        Box::pin(async move {
            self.wait_for_slot(key).await;
            Ok(())
        })
    }
}

/// What [`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter) takes: a
/// [`Limiter`], or a [`Quota`] for a per-process [`RateLimiter`].
pub trait IntoLimiter {
    /// The limiter, shared.
    fn into_limiter(self) -> Arc<dyn Limiter>;
}

impl<L: Limiter> IntoLimiter for L {
    fn into_limiter(self) -> Arc<dyn Limiter> {
        Arc::new(self)
    }
}

impl IntoLimiter for Quota {
    fn into_limiter(self) -> Arc<dyn Limiter> {
        Arc::new(RateLimiter::from(self))
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
        let at = |seconds| start + Duration::from_secs(seconds);
        assert_eq!(limiter.reserve("a", start), start);
        assert_eq!(limiter.reserve("a", at(1)), at(1));
        // Full: the third request waits until the first leaves the window.
        assert_eq!(limiter.reserve("a", at(2)), at(10));
        // Another key has its own budget.
        assert_eq!(limiter.reserve("b", at(2)), at(2));
        // Waiting calls are served in the order they came: the fourth goes after the third.
        assert_eq!(limiter.reserve("a", at(3)), at(11));
        // Once the window has moved on, slots are free at once.
        assert_eq!(limiter.reserve("a", at(30)), at(30));
    }

    #[test]
    fn idle_keys_are_forgotten() {
        let limiter = RateLimiter::new(5, Duration::from_secs(1));
        let start = Instant::now();
        for key in 0..1000 {
            limiter.reserve(&key.to_string(), start);
        }
        limiter.reserve("busy", start + Duration::from_secs(5));
        let windows = limiter.windows.lock().unwrap();
        assert_eq!(windows.by_key.len(), 1, "only the key in use is kept");
    }

    #[test]
    fn huge_windows_do_not_overflow() {
        let limiter = RateLimiter::new(1, Duration::MAX);
        let start = Instant::now();
        assert_eq!(limiter.reserve("a", start), start);
        assert!(limiter.reserve("a", start) >= start);
    }

    #[test]
    fn a_spent_daily_quota_stops_calls_until_a_probe_is_due() {
        let reports = Reports::new(RateLimitReader::new(&NAMES));
        let mut spent = HeaderMap::new();
        spent.insert("x-day-remaining", HeaderValue::from_static("0"));
        reports.record("a", &Arc::new(spent));
        assert_eq!(reports.quota_spent("a"), Some(None), "no reset known");
        assert_eq!(reports.quota_spent("b"), None, "another key is not spent");
        assert_eq!(reports.for_key("a").unwrap().daily_remaining, Some(0));
        assert_eq!(reports.latest().unwrap().daily_remaining, Some(0));
        let mut with_reset = HeaderMap::new();
        with_reset.insert("x-day-remaining", HeaderValue::from_static("0"));
        with_reset.insert("x-reset", HeaderValue::from_static("0"));
        let delta = RateLimitHeaders {
            reset: Some(("x-reset", Reset::DeltaSeconds)),
            ..NAMES
        };
        let reports = Reports::new(RateLimitReader::new(&delta));
        reports.record("a", &Arc::new(with_reset));
        assert_eq!(
            reports.quota_spent("a"),
            None,
            "the reset is due: one probe goes"
        );
        assert_eq!(
            reports.quota_spent("a"),
            None,
            "a reset of 0 lets every call probe"
        );
    }
}

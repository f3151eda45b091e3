//! State shared by every process of a fleet, in Redis (the `redis` feature): one rate-limit
//! budget per key for all of them, and one pair of OAuth tokens per subject, refreshed by one
//! process at a time.
//!
//! Both plug into the traits the per-process pieces implement: [`SharedRateLimiter`] is a
//! [`Limiter`], [`SharedTokens`] a [`TokenSource`].
//!
//! # What is stored
//! Under the store's prefix (default `openapi-client:`):
//! - `rl:{app}:{key}`: a sorted set of send times (milliseconds), one entry per request in the
//!   current window; it expires with the window.
//! - `day:{app}:{key}:{day}`: the number of requests sent on one UTC day, when a daily limit is
//!   set; it expires after two days.
//! - `tokens:{subject}`: a hash with the access token (`access`), its expiry (`expires_at`,
//!   Unix milliseconds), the refresh token (`refresh`) and a `version` that every write
//!   increments. **The tokens are stored as they are**: protect the Redis instance like any
//!   store of credentials (network, `requirepass`/ACLs, TLS). [`RedisStore::token_ttl`] makes
//!   the hash expire when it is not refreshed.
//! - `lease:{subject}`: while one process refreshes, a random fencing value with an expiry.
//!
//! No value is ever logged.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use redis::Script;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::auth::{ExchangeError, Grant, OAuthRefresher, RefreshedTokens, Token, TokenSource};
use crate::boxed::{BoxError, BoxFuture};
use crate::rate_limit::{Limiter, Quota, RateLimit, RateLimiter};

/// How long a Redis command may take by default before the store counts as failing.
const DEFAULT_TIMEOUT: Duration = Duration::from_millis(500);
/// How long a refresh lease lasts by default: longer than a token endpoint's answer takes,
/// short enough that a process that died holding it does not hold the others up for long.
const DEFAULT_LEASE: Duration = Duration::from_secs(15);
/// How long an access token is assumed to live when the token endpoint does not say.
const ASSUMED_LIFETIME: Duration = Duration::from_secs(3600);
/// The first and the longest pause between looks at the store while another process refreshes.
const POLL_FIRST: Duration = Duration::from_millis(20);
const POLL_LONGEST: Duration = Duration::from_millis(250);
/// A token refreshed less than this long ago is not refreshed again after a 401.
const FRESH_MS: u64 = 30_000;
/// How often a limiter that fell back to the per-process budget says so.
const FALLBACK_WARNING: Duration = Duration::from_secs(60);

/// A connection to Redis, and how the shared pieces lay out their keys in it. Cheap to clone:
/// clones share the connection, which reconnects by itself after Redis restarts.
#[derive(Clone)]
pub struct RedisStore {
    conn: ConnectionManager,
    prefix: String,
    timeout: Duration,
    token_ttl: Option<Duration>,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .field("token_ttl", &self.token_ttl)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// Connects to the Redis at `url` (`redis://[user:password@]host:port/db`, or `rediss://`
    /// with TLS support in the `redis` crate), with the default command timeout (500 ms).
    ///
    /// # Errors
    /// When the URL is not one, or Redis cannot be reached now.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with_timeout(url, DEFAULT_TIMEOUT).await
    }

    /// Connects as [`connect`](Self::connect) does, with `timeout` for each command and for
    /// each connection attempt.
    ///
    /// # Errors
    /// When the URL is not one, or Redis cannot be reached now.
    pub async fn connect_with_timeout(url: &str, timeout: Duration) -> Result<Self, StoreError> {
        let client = redis::Client::open(url).map_err(StoreError::from)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(timeout)
            .set_response_timeout(timeout)
            .set_number_of_retries(2)
            .set_max_delay(timeout.as_millis().try_into().unwrap_or(u64::MAX));
        let conn = tokio::time::timeout(
            timeout.saturating_mul(4),
            ConnectionManager::new_with_config(client, config),
        )
        .await
        .map_err(|_| StoreError::timed_out(timeout.saturating_mul(4)))?
        .map_err(StoreError::from)?;
        Ok(Self {
            conn,
            prefix: "openapi-client:".to_owned(),
            timeout,
            token_ttl: None,
        })
    }

    /// The prefix of every key (default `openapi-client:`): to share a Redis with other
    /// applications, or to keep two fleets apart.
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Makes stored tokens expire when they have not been refreshed for `ttl` (default: they
    /// never expire). A refresh token is valid for a long time: set this to its lifetime or
    /// less, so that abandoned credentials do not stay in Redis.
    #[must_use]
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = Some(ttl);
        self
    }

    /// A limiter that holds `quota` for each key across every process that uses this store
    /// with the same `app` (the OAuth client id, say: the server counts per app and key).
    pub fn limiter(&self, app: impl Into<String>, quota: Quota) -> SharedRateLimiter {
        SharedRateLimiter {
            store: self.clone(),
            app: app.into(),
            quota,
            daily_limit: None,
            margin: quota.per / 20,
            when_failing: WhenRedisFails::Fail,
            local: RateLimiter::from(quota),
            warned: Mutex::new(None),
            taken: Mutex::new(HashMap::new()),
        }
    }

    /// A token source for `subject` (a location or company id, say) whose tokens live in this
    /// store, refreshed by one process at a time through `refresher` (its endpoint,
    /// credentials, timeouts and hook). When the store holds no tokens for `subject` yet, it
    /// starts from the refresh token `refresher` was given; give it an empty one when the
    /// tokens are stored elsewhere ([`SharedTokens::set_refresh_token`], when the app is
    /// installed), and a call for a subject without them fails, saying so.
    pub fn tokens(&self, refresher: OAuthRefresher, subject: impl Into<String>) -> SharedTokens {
        SharedTokens {
            store: self.clone(),
            subject: subject.into(),
            refresher,
            lease: DEFAULT_LEASE,
            cache: Mutex::new(None),
        }
    }

    fn key(&self, parts: &[&str]) -> String {
        let mut key = self.prefix.clone();
        key.push_str(&parts.join(":"));
        key
    }

    /// Runs one command (or script) within the store's timeout.
    async fn run<T, F>(&self, command: impl FnOnce(ConnectionManager) -> F) -> Result<T, StoreError>
    where
        F: Future<Output = redis::RedisResult<T>>,
    {
        match tokio::time::timeout(self.timeout, command(self.conn.clone())).await {
            Ok(result) => result.map_err(StoreError::from),
            Err(_) => Err(StoreError::timed_out(self.timeout)),
        }
    }
}

/// Redis could not be reached, was too slow, or refused a command. Its text never holds a
/// stored value or a password.
#[derive(Debug)]
pub struct StoreError {
    message: String,
    /// The `redis` crate's error, when there is one: its text is in `message`, so it is kept
    /// for [`is_unavailable`](Self::is_unavailable) rather than offered as the source.
    source: Option<redis::RedisError>,
}

impl StoreError {
    fn timed_out(after: Duration) -> Self {
        Self {
            message: format!("Redis did not answer within {after:?}"),
            source: None,
        }
    }

    /// Whether Redis could not be reached or did not answer in time, rather than refusing
    /// what was asked: worth trying again later.
    pub fn is_unavailable(&self) -> bool {
        self.source.as_ref().is_none_or(|e| {
            e.is_io_error()
                || e.is_timeout()
                || e.is_connection_dropped()
                || e.is_connection_refusal()
        })
    }
}

impl From<redis::RedisError> for StoreError {
    fn from(error: redis::RedisError) -> Self {
        Self {
            message: error.to_string(),
            source: Some(error),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the shared store failed: {}", self.message)
    }
}

impl std::error::Error for StoreError {}

/// What a [`SharedRateLimiter`] does while Redis cannot be reached or is too slow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenRedisFails {
    /// Refuse the call with `Error::Limiter` (the default): nothing is sent that the fleet's
    /// budget has not granted.
    Fail,
    /// Keep to the quota in this process alone, with a warning (at most one a minute): the
    /// fleet may then send more than the quota together, until Redis is back.
    LocalLimiter,
}

/// A rate limiter whose budget is kept in Redis, shared by every process of a fleet: at most
/// the quota per window for each key, however many processes send. Made by
/// [`RedisStore::limiter`].
///
/// The window is exact (a sliding log of send times, updated atomically by one script), and
/// waiting calls take the next free slot when they ask, in order. The server's reports
/// correct the budget: when it says fewer requests remain than the log does, the log is
/// filled up to match, and the daily count is set to what it reports.
pub struct SharedRateLimiter {
    store: RedisStore,
    app: String,
    quota: Quota,
    daily_limit: Option<u64>,
    /// Added to the window: requests granted a window apart may reach the server closer than
    /// that, each delayed differently on its way.
    margin: Duration,
    when_failing: WhenRedisFails,
    /// The per-process budget used while Redis fails, when so configured.
    local: RateLimiter,
    /// When the fallback last warned.
    warned: Mutex<Option<Instant>>,
    /// For each key, the fleet's counts when this process last took a slot: a server report
    /// that says no more than they did needs no correction, which saves a round trip per call.
    taken: Mutex<HashMap<String, Counts>>,
}

/// What the shared log held just after a slot was taken: requests in the window (this one
/// included) and today.
#[derive(Clone, Copy)]
struct Counts {
    window: i64,
    day: i64,
}

/// Keys remembered at most; past it the memo starts again (each key then costs one more
/// correction, nothing else).
const MEMO_KEYS: usize = 10_000;

impl fmt::Debug for SharedRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedRateLimiter")
            .field("app", &self.app)
            .field("quota", &self.quota)
            .field("daily_limit", &self.daily_limit)
            .field("margin", &self.margin)
            .field("when_failing", &self.when_failing)
            .finish_non_exhaustive()
    }
}

/// Takes the next slot of the sliding window, and counts the day. Returns the wait in
/// milliseconds, or -1 when the day's budget is spent (nothing is counted then), with the
/// requests in the window (this one included) and today.
const TAKE_SLOT: &str = r"
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local max, window, daily = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[4])
local today = tonumber(redis.call('GET', KEYS[2]) or '0')
if daily > 0 and today >= daily then
  return {-1, 0, today}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local at = now
if count >= max then
  local back = redis.call('ZRANGE', KEYS[1], count - max, count - max, 'WITHSCORES')
  at = math.max(now, tonumber(back[2]) + window)
end
redis.call('ZADD', KEYS[1], at, ARGV[3])
redis.call('PEXPIRE', KEYS[1], at - now + window)
if daily > 0 then
  today = redis.call('INCR', KEYS[2])
  redis.call('EXPIRE', KEYS[2], ARGV[5])
end
return {at - now, count + 1, today}
";

/// Makes the log say what the server said: `ARGV[1]` requests used in the current window (the
/// log is filled with sends at `now` up to it when it holds fewer), and `ARGV[4]` used today
/// (`-1`: not reported).
const CORRECT: &str = r"
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local used, window = tonumber(ARGV[1]), tonumber(ARGV[2])
if used >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[1])
  for i = count + 1, used do
    redis.call('ZADD', KEYS[1], now, ARGV[3] .. ':' .. i)
  end
  if used > count then
    redis.call('PEXPIRE', KEYS[1], window)
  end
end
local day = tonumber(ARGV[4])
if day >= 0 then
  redis.call('SET', KEYS[2], day, 'EX', ARGV[5])
end
return 0
";

/// Two days, so that a day's count outlives the day whatever the clocks say.
const DAY_COUNT_TTL: u64 = 2 * 24 * 3600;

impl SharedRateLimiter {
    /// Also holds `requests` per UTC day for each key across the fleet: a call beyond it fails
    /// with `Error::Limiter` instead of being sent.
    #[must_use]
    pub fn daily_limit(mut self, requests: u64) -> Self {
        self.daily_limit = Some(requests);
        self
    }

    /// How much longer than the quota's window the limiter spaces requests (default a
    /// twentieth of the window: 500 ms for 10 s). Requests granted exactly a window apart can
    /// reach the server closer together, each delayed differently by its process and the
    /// network; the margin absorbs that, so that the server never counts more than the quota.
    #[must_use]
    pub fn window_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// What to do while Redis fails (default [`WhenRedisFails::Fail`]).
    #[must_use]
    pub fn when_redis_fails(mut self, behaviour: WhenRedisFails) -> Self {
        self.when_failing = behaviour;
        self
    }

    fn keys(&self, key: &str) -> (String, String) {
        let day = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs()
            / 86_400;
        (
            self.store.key(&["rl", &self.app, key]),
            self.store.key(&["day", &self.app, key, &day.to_string()]),
        )
    }

    fn window_ms(&self) -> u64 {
        u64::try_from(self.quota.per.saturating_add(self.margin).as_millis())
            .unwrap_or(u64::MAX)
            .max(1)
    }

    /// Asks Redis for a slot: the wait before it, or that the day is spent.
    async fn take_slot(&self, key: &str) -> Result<Slot, BoxError> {
        let (window_key, day_key) = self.keys(key);
        let member = unique_member();
        let (max, window, daily) = (
            self.quota.requests.max(1),
            self.window_ms(),
            self.daily_limit.unwrap_or(0),
        );
        let (wait, window_count, day_count): (i64, i64, i64) = self
            .store
            .run(|mut conn| async move {
                Script::new(TAKE_SLOT)
                    .key(window_key)
                    .key(day_key)
                    .arg(max)
                    .arg(window)
                    .arg(member)
                    .arg(daily)
                    .arg(DAY_COUNT_TTL)
                    .invoke_async(&mut conn)
                    .await
            })
            .await?;
        Ok(match u64::try_from(wait) {
            Ok(wait) => {
                self.remember(
                    key,
                    Counts {
                        window: window_count,
                        day: day_count,
                    },
                );
                Slot::After(Duration::from_millis(wait))
            }
            Err(_) => Slot::DaySpent,
        })
    }

    fn remember(&self, key: &str, counts: Counts) {
        let mut taken = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        if taken.len() >= MEMO_KEYS && !taken.contains_key(key) {
            taken.clear();
        }
        taken.insert(key.to_owned(), counts);
    }

    /// Whether the server's report says something the log does not: more requests in the
    /// window than it held when this process took its slot, or a day's count that differs
    /// from it by more than a window's quota (the server's word wins, up or down).
    fn needs_correction(&self, key: &str, used_in_window: i64, used_today: i64) -> bool {
        let taken = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        let Some(counts) = taken.get(key) else {
            return true;
        };
        let window_differs = used_in_window > counts.window;
        let day_differs = used_today >= 0
            && self.daily_limit.is_some()
            && used_today.abs_diff(counts.day) > u64::from(self.quota.requests);
        window_differs || day_differs
    }

    /// The per-process budget, with a warning now and then.
    async fn fall_back(&self, key: &str, error: &BoxError) {
        let now = Instant::now();
        let due = {
            let mut warned = self.warned.lock().unwrap_or_else(|e| e.into_inner());
            let due = warned.is_none_or(|at| now.saturating_duration_since(at) >= FALLBACK_WARNING);
            if due {
                *warned = Some(now);
            }
            due
        };
        if due {
            tracing::warn!(
                error = %error,
                "the shared rate limiter cannot reach Redis; keeping to the quota in this \
                 process alone until it is back",
            );
        }
        self.local.wait_for_slot(key).await;
    }
}

enum Slot {
    After(Duration),
    DaySpent,
}

impl Limiter for SharedRateLimiter {
    fn acquire<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), BoxError>> {
        Box::pin(async move {
            match self.take_slot(key).await {
                Ok(Slot::After(wait)) => {
                    if !wait.is_zero() {
                        tokio::time::sleep(wait).await;
                    }
                    Ok(())
                }
                Ok(Slot::DaySpent) => Err(format!(
                    "the fleet's budget of {} requests today is spent for this key",
                    self.daily_limit.unwrap_or(0)
                )
                .into()),
                Err(error) => match self.when_failing {
                    WhenRedisFails::Fail => Err(error),
                    WhenRedisFails::LocalLimiter => {
                        self.fall_back(key, &error).await;
                        Ok(())
                    }
                },
            }
        })
    }

    fn observes(&self) -> bool {
        true
    }

    fn observe(&self, key: String, report: RateLimit) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let used_in_window = match (report.max, report.remaining) {
                (Some(max), Some(remaining)) => i64::try_from(max.saturating_sub(remaining))
                    .unwrap_or(i64::MAX)
                    .min(i64::from(self.quota.requests)),
                _ => -1,
            };
            let used_today = match (report.daily_limit, report.daily_remaining) {
                (Some(limit), Some(remaining)) => {
                    i64::try_from(limit.saturating_sub(remaining)).unwrap_or(i64::MAX)
                }
                _ => -1,
            };
            if (used_in_window < 0 && used_today < 0)
                || !self.needs_correction(&key, used_in_window, used_today)
            {
                return;
            }
            let (window_key, day_key) = self.keys(&key);
            let window = self.window_ms();
            let member = unique_member();
            let corrected = self
                .store
                .run(|mut conn| async move {
                    Script::new(CORRECT)
                        .key(window_key)
                        .key(day_key)
                        .arg(used_in_window)
                        .arg(window)
                        .arg(member)
                        .arg(used_today)
                        .arg(DAY_COUNT_TTL)
                        .invoke_async::<i64>(&mut conn)
                        .await
                })
                .await;
            if let Err(error) = corrected {
                tracing::debug!(error = %error, "the server's rate-limit report was not stored");
            }
        })
    }
}

/// A member no other process will pick for the same score: the process id, a counter and
/// the time.
fn unique_member() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    format!(
        "{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A token source whose tokens live in Redis, shared by every process of a fleet that uses
/// the same store and subject. Made by [`RedisStore::tokens`].
///
/// A process that finds the access token about to expire takes the subject's lease (a lock
/// with an expiry and a fencing value), reads the store again (another process may have
/// refreshed meanwhile, and then its result is used), refreshes, and writes the new pair
/// before it releases the lease; the write is one script, made only if the store's version is
/// still the one it read. The others wait for the new version, looking at the store with a
/// growing pause (20 ms up to 250 ms), and never reach the token endpoint themselves; if the
/// holder dies, its lease expires (15 s by default, see [`lease`](Self::lease)) and another
/// takes over. When the endpoint answers `invalid_grant`, the store is read once more before
/// the error is returned, since another process may have rotated the token.
///
/// The access token is kept in the process until it is about to expire, so most calls do not
/// touch Redis. While Redis cannot be reached, a cached token still valid is used; a refresh,
/// which could burn a rotating refresh token without storing its successor, is not attempted.
/// The refresher's hook is called once after each refresh this process makes, once the store
/// has the tokens, before the lease is released.
pub struct SharedTokens {
    store: RedisStore,
    subject: String,
    refresher: OAuthRefresher,
    lease: Duration,
    cache: Mutex<Option<Cached>>,
}

impl fmt::Debug for SharedTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedTokens")
            .field("subject", &self.subject)
            .field("lease", &self.lease)
            .field("refresher", &self.refresher)
            .finish_non_exhaustive()
    }
}

/// The access token as this process last saw it in the store.
#[derive(Clone)]
struct Cached {
    token: Token,
    /// When it expires, and when it should be refreshed.
    expires: Instant,
    refresh_at: Instant,
}

/// The stored pair, as read.
#[derive(Default)]
struct Stored {
    access: Option<Token>,
    /// Unix milliseconds.
    expires_at: u64,
    refresh: Option<Token>,
    version: u64,
    /// When the pair was last refreshed, in Unix milliseconds.
    refreshed_at: u64,
}

/// Writes the new pair if the version is still the one read, and increments it.
/// KEYS: hash. ARGV: expected version, access, expires_at, refresh ('' keeps the stored one),
/// ttl in ms (0: none), now in Unix ms. Returns 1 when written.
const WRITE_PAIR: &str = r"
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if version ~= tonumber(ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], 'access', ARGV[2], 'expires_at', ARGV[3], 'version', version + 1,
  'refreshed_at', ARGV[6])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[1], 'refresh', ARGV[4])
end
if tonumber(ARGV[5]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
return 1
";

/// Replaces the stored pair by a refresh token given by hand, whatever the version: the next
/// call refreshes with it. KEYS: hash. ARGV: refresh token, ttl in ms (0: none).
const REPLACE_REFRESH: &str = r"
redis.call('HDEL', KEYS[1], 'access', 'expires_at', 'refreshed_at')
redis.call('HSET', KEYS[1], 'refresh', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'version', 1)
if tonumber(ARGV[2]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
";

/// Deletes the lease if it is still this process's (its fencing value).
const RELEASE_LEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

impl SharedTokens {
    /// How long a refresh lease lasts (default 15 s): longer than the token endpoint takes to
    /// answer, and the longest the others wait when the holder dies.
    #[must_use]
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// Stores `refresh_token` as the subject's, for every process: after the app is installed
    /// or a person reconnects it, when the stored one no longer works. The stored access token
    /// is dropped, so the next call in any process refreshes with the new refresh token. A
    /// refresh under way elsewhere does not overwrite it: its write is conditional on the
    /// version this increments.
    ///
    /// # Errors
    /// When Redis fails; nothing is stored then.
    pub async fn set_refresh_token(
        &self,
        refresh_token: impl Into<Token>,
    ) -> Result<(), StoreError> {
        let refresh_token: Token = refresh_token.into();
        let key = self.hash_key();
        let ttl = self.ttl_ms();
        self.store
            .run(|mut conn| async move {
                Script::new(REPLACE_REFRESH)
                    .key(key)
                    .arg(refresh_token.expose())
                    .arg(ttl)
                    .invoke_async::<i64>(&mut conn)
                    .await
            })
            .await?;
        self.forget_cached();
        Ok(())
    }

    /// Deletes the subject's tokens from the store (when the app is uninstalled, say): calls
    /// then start again from the refresh token the refresher was given.
    ///
    /// # Errors
    /// When Redis fails.
    pub async fn remove(&self) -> Result<(), StoreError> {
        let key = self.hash_key();
        self.store
            .run(|mut conn| async move {
                redis::cmd("DEL")
                    .arg(key)
                    .query_async::<i64>(&mut conn)
                    .await
            })
            .await?;
        self.forget_cached();
        Ok(())
    }

    fn forget_cached(&self) {
        *self.cache.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn ttl_ms(&self) -> u64 {
        self.store
            .token_ttl
            .map_or(0, |ttl| u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX))
    }

    fn hash_key(&self) -> String {
        self.store.key(&["tokens", &self.subject])
    }

    fn lease_key(&self) -> String {
        self.store.key(&["lease", &self.subject])
    }

    fn cached(&self, now: Instant) -> Option<Cached> {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.clone().filter(|c| now < c.refresh_at)
    }

    async fn read(&self) -> Result<Stored, BoxError> {
        let key = self.hash_key();
        let fields: Vec<Option<String>> = self
            .store
            .run(|mut conn| async move {
                redis::cmd("HMGET")
                    .arg(key)
                    .arg(&["access", "expires_at", "refresh", "version", "refreshed_at"])
                    .query_async(&mut conn)
                    .await
            })
            .await?;
        let field = |i: usize| fields.get(i).cloned().flatten();
        Ok(Stored {
            access: field(0).filter(|t| !t.is_empty()).map(Token::new),
            expires_at: field(1).and_then(|t| t.parse().ok()).unwrap_or(0),
            refresh: field(2).filter(|t| !t.is_empty()).map(Token::new),
            version: field(3).and_then(|t| t.parse().ok()).unwrap_or(0),
            refreshed_at: field(4).and_then(|t| t.parse().ok()).unwrap_or(0),
        })
    }

    /// Keeps the stored access token in the process, if it is still worth using.
    fn adopt(&self, stored: &Stored) -> Option<Token> {
        let token = stored.access.clone()?;
        let now_unix = unix_millis();
        let left = Duration::from_millis(stored.expires_at.saturating_sub(now_unix));
        if left.is_zero() {
            return None;
        }
        let now = Instant::now();
        let margin = self.refresher.margin_for(left);
        let cached = Cached {
            token: token.clone(),
            expires: now.checked_add(left).unwrap_or(now),
            refresh_at: now.checked_add(left.saturating_sub(margin)).unwrap_or(now),
        };
        let fresh = now < cached.refresh_at;
        *self.cache.lock().unwrap_or_else(|e| e.into_inner()) = Some(cached);
        fresh.then_some(token)
    }

    /// A token for now: the cached one, the stored one, or a new one from a refresh that this
    /// process or another makes.
    async fn current(&self, rejected: Option<&Token>) -> Result<Token, BoxError> {
        if rejected.is_none()
            && let Some(cached) = self.cached(Instant::now())
        {
            return Ok(cached.token);
        }
        let started = Instant::now();
        let mut pause = POLL_FIRST;
        loop {
            let stored = match self.read().await {
                Ok(stored) => stored,
                Err(error) => return self.without_store(error),
            };
            let usable = self
                .adopt(&stored)
                .filter(|token| rejected.is_none_or(|r| r.expose() != token.expose()));
            if let Some(token) = usable {
                return Ok(token);
            }
            if let Some(token) = self.refresh_under_lease(&stored).await? {
                return Ok(token);
            }
            // Another process holds the lease: wait for its result, or for the lease to lapse.
            if started.elapsed() > self.lease.saturating_mul(3) {
                return Err(
                    "no process could refresh the shared token: the lease kept being \
                            taken without a new token being stored"
                        .into(),
                );
            }
            tokio::time::sleep(pause).await;
            pause = pause.saturating_mul(2).min(POLL_LONGEST);
        }
    }

    /// While Redis fails: the cached token if it has not expired yet, else an error (never a
    /// refresh the fleet would not know of).
    fn without_store(&self, error: BoxError) -> Result<Token, BoxError> {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        match cache.as_ref().filter(|c| Instant::now() < c.expires) {
            Some(cached) => {
                tracing::warn!(
                    error = %error,
                    "the shared token store cannot be reached; using the token in hand",
                );
                Ok(cached.token.clone())
            }
            None => Err(error),
        }
    }

    /// Takes the lease and refreshes, unless another process holds it (`Ok(None)`).
    async fn refresh_under_lease(&self, seen: &Stored) -> Result<Option<Token>, BoxError> {
        let fence = unique_member();
        let (lease_key, lease_ms) = (
            self.lease_key(),
            u64::try_from(self.lease.as_millis())
                .unwrap_or(u64::MAX)
                .max(1),
        );
        let taken: Option<String> = {
            let fence = fence.clone();
            let key = lease_key.clone();
            self.store
                .run(|mut conn| async move {
                    redis::cmd("SET")
                        .arg(key)
                        .arg(fence)
                        .arg("NX")
                        .arg("PX")
                        .arg(lease_ms)
                        .query_async(&mut conn)
                        .await
                })
                .await?
        };
        if taken.is_none() {
            return Ok(None);
        }
        let result = self.refresh_holding_lease(seen).await;
        let released = self
            .store
            .run(|mut conn| async move {
                Script::new(RELEASE_LEASE)
                    .key(lease_key)
                    .arg(fence)
                    .invoke_async::<i64>(&mut conn)
                    .await
            })
            .await;
        if let Err(error) = released {
            // It expires by itself.
            tracing::debug!(error = %error, "the refresh lease was not released");
        }
        result.map(Some)
    }

    async fn refresh_holding_lease(&self, seen: &Stored) -> Result<Token, BoxError> {
        // Another process may have refreshed between the first read and the lease.
        let mut stored = self.read().await?;
        if stored.version != seen.version
            && let Some(token) = self.adopt(&stored)
        {
            return Ok(token);
        }
        if stored.refresh.is_none() && self.refresher.grant() == Grant::RefreshToken {
            stored.refresh = self
                .refresher
                .seed_refresh_token()
                .await
                .filter(|seed| !seed.expose().is_empty());
            if stored.refresh.is_none() {
                return Err(format!(
                    "the shared store holds no refresh token for `{}`: store one with \
                     SharedTokens::set_refresh_token",
                    self.subject
                )
                .into());
            }
        }
        let exchanged = match self
            .refresher
            .exchange_for_store(stored.refresh.as_ref())
            .await
        {
            Ok(exchanged) => exchanged,
            Err(ExchangeError::InvalidGrant(error)) => {
                // Another process may have rotated the token since it was read.
                let again = self.read().await?;
                if again.version != stored.version
                    && let Some(token) = self.adopt(&again)
                {
                    return Ok(token);
                }
                return Err(error);
            }
            Err(ExchangeError::Other(error)) => return Err(error),
        };
        let (access, lifetime) = match &exchanged.access {
            Ok((access, lifetime)) => (Some(access.clone()), lifetime.unwrap_or(ASSUMED_LIFETIME)),
            Err(_) => (None, Duration::ZERO),
        };
        let expires_at =
            unix_millis().saturating_add(lifetime.as_millis().try_into().unwrap_or(u64::MAX));
        self.write(
            &stored,
            access.as_ref(),
            expires_at,
            exchanged.refresh_token.as_ref(),
        )
        .await?;
        self.refresher
            .call_hook_for_store(RefreshedTokens::new(
                access.clone(),
                exchanged.refresh_token.clone(),
                exchanged
                    .access
                    .as_ref()
                    .ok()
                    .and_then(|(_, lifetime)| *lifetime),
            ))
            .await;
        let token = exchanged.access?.0;
        self.adopt(&Stored {
            access: Some(token.clone()),
            expires_at,
            refresh: None,
            version: stored.version + 1,
            refreshed_at: unix_millis(),
        });
        Ok(token)
    }

    /// Stores the new pair, conditional on the version read; a failed condition means another
    /// process wrote in between, and its pair is kept.
    async fn write(
        &self,
        read: &Stored,
        access: Option<&Token>,
        expires_at: u64,
        refresh: Option<&Token>,
    ) -> Result<(), BoxError> {
        let key = self.hash_key();
        let version = read.version;
        let access = access.map(|t| t.expose().to_owned()).unwrap_or_default();
        let refresh = refresh.map(|t| t.expose().to_owned()).unwrap_or_default();
        let ttl = self.ttl_ms();
        let written: i64 = self
            .store
            .run(|mut conn| async move {
                Script::new(WRITE_PAIR)
                    .key(key)
                    .arg(version)
                    .arg(access)
                    .arg(expires_at)
                    .arg(refresh)
                    .arg(ttl)
                    .arg(unix_millis())
                    .invoke_async(&mut conn)
                    .await
            })
            .await?;
        if written == 0 {
            tracing::warn!("another process stored tokens during this refresh; keeping its pair");
        }
        Ok(())
    }
}

impl TokenSource for SharedTokens {
    fn token(&self) -> BoxFuture<'_, Result<Token, BoxError>> {
        Box::pin(self.current(None))
    }

    fn refresh<'a>(
        &'a self,
        rejected: &'a Token,
    ) -> BoxFuture<'a, Result<Option<Token>, BoxError>> {
        Box::pin(async move {
            // A token refreshed moments ago that the API rejects is not cured by another
            // refresh (a missing scope answers 401 too): the 401 is returned instead.
            if let Ok(stored) = self.read().await
                && stored
                    .access
                    .as_ref()
                    .is_some_and(|a| a.expose() == rejected.expose())
                && unix_millis().saturating_sub(stored.refreshed_at) < FRESH_MS
            {
                return Ok(None);
            }
            self.current(Some(rejected)).await.map(Some)
        })
    }
}

fn unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis()
        .try_into()
        .unwrap_or(u64::MAX)
}

// The store's keys and scripts are tested against a real Redis, started by the tests:
// `tests/fleet/`.

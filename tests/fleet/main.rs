//! A fleet of processes sharing one budget and one token through a real Redis: the tests
//! start `redis-server` on a free loopback port, run real processes (the README's
//! `list_accounts` example, or a worker with test knobs) against a loopback mock of the API and
//! its token endpoint, and check what the token endpoint, the API and Redis saw.

mod redis_server;

use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use highlevel_social_planner::redis::{RedisStore, WhenRedisFails};
use highlevel_social_planner::{Client, Error, Quota, RetryPolicy};
use redis::AsyncCommands;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use redis_server::RedisServer;

const LOCATION: &str = "ve9EPM428h8vShlRW1KT";
const ACCOUNTS: &str = "/social-media-posting/ve9EPM428h8vShlRW1KT/accounts";
const TOKENS_KEY: &str = "openapi-client:tokens:ve9EPM428h8vShlRW1KT";

fn listing() -> serde_json::Value {
    json!({
        "success": true, "statusCode": 200, "message": "Fetched Accounts",
        "results": {"accounts": [], "groups": []}
    })
}

/// A token endpoint that rotates: it accepts only the refresh token it issued last (starting
/// from `refresh-0`) and answers anything else with `invalid_grant`, as HighLevel does.
/// Returns the number of refreshes it granted.
async fn rotating_token_endpoint(
    server: &MockServer,
    expires_in: u64,
    delay: Duration,
) -> Arc<AtomicUsize> {
    let granted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&granted);
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(move |request: &Request| {
            let form = String::from_utf8_lossy(&request.body).into_owned();
            let n = count.load(Ordering::SeqCst);
            if !form.contains(&format!("refresh_token=refresh-{n}")) {
                return ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_grant"}));
            }
            count.fetch_add(1, Ordering::SeqCst);
            ResponseTemplate::new(200)
                .set_body_json(json!({
                    "access_token": format!("access-{}", n + 1),
                    "refresh_token": format!("refresh-{}", n + 1),
                    "expires_in": expires_in,
                }))
                .set_delay(delay)
        })
        .mount(server)
        .await;
    granted
}

/// The API's accounts, answered for `access`, else 401.
async fn accounts_for(server: &MockServer, access: &str) {
    Mock::given(method("GET"))
        .and(path(ACCOUNTS))
        .and(header("Authorization", format!("Bearer {access}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(listing()))
        .mount(server)
        .await;
}

async fn api_calls(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == ACCOUNTS)
        .count()
}

/// Stores an expired access token and `refresh` for the location, as a fleet that ran before
/// would have left them.
async fn expired_tokens(redis: &RedisServer, refresh: &str) {
    let mut conn = redis.connection().await;
    let _: () = conn
        .hset_multiple(
            TOKENS_KEY,
            &[
                ("access", "access-0"),
                ("expires_at", "1000"),
                ("refresh", refresh),
                ("version", "1"),
            ],
        )
        .await
        .unwrap();
}

async fn stored(redis: &RedisServer, field: &str) -> Option<String> {
    redis
        .connection()
        .await
        .hget(TOKENS_KEY, field)
        .await
        .unwrap()
}

fn worker(redis: &RedisServer, api: &MockServer, vars: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fleet-worker"));
    command
        .env("FLEET_REDIS_URL", redis.url())
        .env("FLEET_BASE_URL", api.uri())
        .env("FLEET_LOCATION", LOCATION)
        .envs(vars.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn finish(child: Child) -> Output {
    child.wait_with_output().expect("the process ends")
}

#[tokio::test(flavor = "multi_thread")]
async fn eight_processes_share_one_refresh_of_an_expired_token() {
    let redis = RedisServer::start();
    let api = MockServer::start().await;
    let refreshes = rotating_token_endpoint(&api, 86_399, Duration::from_millis(200)).await;
    accounts_for(&api, "access-1").await;
    expired_tokens(&redis, "refresh-0").await;

    // The README's example, eight times at once, as a fleet started from the shell.
    let children: Vec<Child> = (0..8)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_list-accounts"))
                .env("HIGHLEVEL_REDIS_URL", redis.url())
                .env("HIGHLEVEL_BASE_URL", api.uri())
                .env("HIGHLEVEL_LOCATION_ID", LOCATION)
                .env("HIGHLEVEL_CLIENT_ID", "app-id")
                .env("HIGHLEVEL_CLIENT_SECRET", "app-secret")
                .env("HIGHLEVEL_REFRESH_TOKEN", "refresh-0")
                .env_remove("HIGHLEVEL_TOKEN")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the example runs")
        })
        .collect();
    let outputs: Vec<Output> =
        tokio::task::spawn_blocking(move || children.into_iter().map(finish).collect())
            .await
            .unwrap();

    for output in &outputs {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(refreshes.load(Ordering::SeqCst), 1, "exactly one refresh");
    assert_eq!(
        api_calls(&api).await,
        8,
        "every process called with the new token"
    );
    assert_eq!(
        stored(&redis, "refresh").await.as_deref(),
        Some("refresh-1")
    );
    assert_eq!(stored(&redis, "access").await.as_deref(), Some("access-1"));
    assert_eq!(stored(&redis, "version").await.as_deref(), Some("2"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lease_holder_killed_mid_refresh_does_not_lock_the_others_out() {
    let redis = RedisServer::start();
    let api = MockServer::start().await;
    // Short-lived access tokens: the processes after the killed one must refresh again.
    let refreshes = rotating_token_endpoint(&api, 1, Duration::ZERO).await;
    accounts_for(&api, "access-1").await;
    accounts_for(&api, "access-2").await;
    expired_tokens(&redis, "refresh-0").await;
    let lease = ("FLEET_LEASE_MS", "1500");

    // The first process refreshes, stores the new pair, and hangs in its hook, holding the
    // lease, until it is killed.
    let mut holder = worker(
        &redis,
        &api,
        &[
            ("FLEET_TOKENS", "shared"),
            ("FLEET_REFRESH_TOKEN", "refresh-0"),
            ("FLEET_HOOK_SLEEP_MS", "60000"),
            lease,
        ],
    )
    .spawn()
    .unwrap();
    let started = Instant::now();
    while stored(&redis, "version").await.as_deref() != Some("2") {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the holder never stored its tokens"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    holder.kill().expect("SIGKILL");
    let _ = holder.wait();
    let killed = Instant::now();
    assert_eq!(refreshes.load(Ordering::SeqCst), 1);

    // Once the access token it stored has expired (after 1 s), the others need a refresh; the
    // dead process's lease is still there until 1.5 s, so they wait for it to lapse, then one
    // refreshes with the refresh token the dead process stored.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let others: Vec<Child> = (0..3)
        .map(|_| {
            worker(
                &redis,
                &api,
                &[
                    ("FLEET_TOKENS", "shared"),
                    ("FLEET_REFRESH_TOKEN", "refresh-0"),
                    lease,
                ],
            )
            .spawn()
            .unwrap()
        })
        .collect();
    let outputs: Vec<Output> =
        tokio::task::spawn_blocking(move || others.into_iter().map(finish).collect())
            .await
            .unwrap();
    for output in &outputs {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(
        refreshes.load(Ordering::SeqCst),
        2,
        "one more refresh, no lockout"
    );
    assert!(
        killed.elapsed() >= Duration::from_millis(1400),
        "the others waited for the lease to lapse: {:?}",
        killed.elapsed()
    );
    assert_eq!(
        stored(&redis, "refresh").await.as_deref(),
        Some("refresh-2")
    );
}

/// A mock API that counts requests per window of `window` and answers 429 past `limit` in
/// one, as a server enforcing the limit would.
async fn counting_api(window: Duration, limit: usize) -> (MockServer, Arc<Mutex<Vec<Instant>>>) {
    let api = MockServer::start().await;
    let seen: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let log = Arc::clone(&seen);
    Mock::given(method("GET"))
        .and(path(ACCOUNTS))
        .respond_with(move |_: &Request| {
            let now = Instant::now();
            let mut log = log.lock().unwrap();
            let in_window = log
                .iter()
                .filter(|t| now.duration_since(**t) < window)
                .count();
            log.push(now);
            if in_window >= limit {
                ResponseTemplate::new(429)
            } else {
                ResponseTemplate::new(200).set_body_json(listing())
            }
        })
        .mount(&api)
        .await;
    (api, seen)
}

/// The most requests any window of `window` held.
fn busiest_window(times: &[Instant], window: Duration) -> usize {
    times
        .iter()
        .map(|start| {
            times
                .iter()
                .filter(|t| **t >= *start && t.duration_since(*start) < window)
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// HighLevel's burst limit, which the hammer keeps to: 100 requests per 10 s.
const BURST: usize = 100;
const BURST_WINDOW: Duration = Duration::from_secs(10);

/// Four processes hammer one location for 30 s (three windows) with `limiter`, against a mock
/// that answers 429 past 100 requests in any 10 s. Returns the most requests any 10 s held
/// and how many 429s the processes got.
async fn hammer(limiter: &str) -> (usize, usize) {
    let redis = RedisServer::start();
    let (api, seen) = counting_api(BURST_WINDOW, BURST).await;
    let vars = [
        ("FLEET_MODE", "hammer"),
        ("FLEET_SECONDS", "30"),
        ("FLEET_LIMITER", limiter),
    ];
    let children: Vec<Child> = (0..4)
        .map(|_| worker(&redis, &api, &vars).spawn().unwrap())
        .collect();
    let outputs: Vec<Output> =
        tokio::task::spawn_blocking(move || children.into_iter().map(finish).collect())
            .await
            .unwrap();
    let mut limited = 0;
    for output in &outputs {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8_lossy(&output.stdout);
        limited += text
            .split_whitespace()
            .find_map(|part| part.strip_prefix("limited="))
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0);
    }
    let times = seen.lock().unwrap().clone();
    (busiest_window(&times, BURST_WINDOW), limited)
}

/// The shared limiter and, to show the difference, per-process limiters only; both run at
/// once (each with its own Redis and mock), so that the test takes 30 s rather than 60.
#[tokio::test(flavor = "multi_thread")]
async fn four_processes_keep_one_budget_and_collect_no_429() {
    let ((busiest, limited), (local_busiest, local_limited)) =
        tokio::join!(hammer("shared"), hammer("local"));
    println!(
        "busiest 10 s: shared {busiest} ({limited} × 429), per-process {local_busiest} \
         ({local_limited} × 429)"
    );
    assert!(busiest <= BURST, "a 10 s window held {busiest} requests");
    assert!(busiest >= BURST * 9 / 10, "the budget was used: {busiest}");
    assert_eq!(limited, 0, "no 429");

    // Each process keeping only itself under the limit: together they send four times it.
    assert!(
        local_busiest > BURST * 3,
        "the per-process limiters together kept to {local_busiest}"
    );
    assert!(local_limited > 0, "the server refused some");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_locations_do_not_share_a_budget() {
    let redis = RedisServer::start();
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(listing()))
        .mount(&api)
        .await;
    let store = RedisStore::connect(&redis.url()).await.unwrap();
    let client = Client::builder("fleet-token")
        .base_url(api.uri())
        .rate_limiter(store.limiter("app-id", Quota::new(2, Duration::from_secs(30))))
        .build()
        .unwrap();

    let started = Instant::now();
    for location in ["location-a", "location-a", "location-b", "location-b"] {
        client.list_accounts(location).await.unwrap();
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // A third call for the first location must wait for its window.
    let err = client
        .with_deadline(Duration::from_millis(300))
        .list_accounts("location-a")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Deadline { attempts: 0, .. }),
        "{err:?}"
    );
    let mut conn = redis.connection().await;
    let a: usize = conn
        .zcard("openapi-client:rl:app-id:location-a")
        .await
        .unwrap();
    let b: usize = conn
        .zcard("openapi-client:rl:app-id:location-b")
        .await
        .unwrap();
    assert_eq!((a, b), (3, 2), "the waiting call holds its slot");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_of_redis_is_ridden_through() {
    let mut redis = RedisServer::start();
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(listing()))
        .mount(&api)
        .await;
    let store = RedisStore::connect_with_timeout(&redis.url(), Duration::from_millis(200))
        .await
        .unwrap();
    let quota = Quota::new(1000, Duration::from_secs(1));
    let client = |behaviour| {
        Client::builder("fleet-token")
            .base_url(api.uri())
            .retry(RetryPolicy::none())
            .rate_limiter(store.limiter("app-id", quota).when_redis_fails(behaviour))
            .build()
            .unwrap()
    };
    let strict = client(WhenRedisFails::Fail);
    let lenient = client(WhenRedisFails::LocalLimiter);
    strict.list_accounts(LOCATION).await.unwrap();

    redis.stop();
    let unreachable = RedisStore::connect_with_timeout(&redis.url(), Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(unreachable.is_unavailable(), "{unreachable}");
    assert!(
        unreachable
            .to_string()
            .starts_with("the shared store failed: ")
    );
    let started = Instant::now();
    let err = strict.list_accounts(LOCATION).await.unwrap_err();
    assert!(matches!(err, Error::Limiter { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    lenient
        .list_accounts(LOCATION)
        .await
        .expect("the per-process fallback holds while Redis is down");
    let sent_while_down = api_calls(&api).await;

    redis.restart();
    // The connection comes back by itself.
    let started = Instant::now();
    loop {
        match strict.list_accounts(LOCATION).await {
            Ok(_) => break,
            Err(Error::Limiter { .. }) if started.elapsed() < Duration::from_secs(10) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(other) => panic!("after the restart: {other:?}"),
        }
    }
    let mut conn = redis.connection().await;
    let slots: usize = conn
        .zcard(format!("openapi-client:rl:app-id:{LOCATION}"))
        .await
        .unwrap();
    assert!(slots >= 1, "the budget is kept in Redis again");
    assert_eq!(
        sent_while_down, 2,
        "the strict client sent nothing while Redis was down"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reconnected_location_gets_its_new_refresh_token_in_every_process() {
    let redis = RedisServer::start();
    let api = MockServer::start().await;
    let refreshes = rotating_token_endpoint(&api, 86_399, Duration::ZERO).await;
    accounts_for(&api, "access-1").await;
    // The fleet holds a refresh token the endpoint no longer accepts: locked out.
    expired_tokens(&redis, "refresh-dead").await;
    let once = [("FLEET_MODE", "once"), ("FLEET_TOKENS", "shared")];
    let seed = ("FLEET_REFRESH_TOKEN", "refresh-seed");
    let locked = finish(
        worker(&redis, &api, &[once[0], once[1], seed])
            .spawn()
            .unwrap(),
    );
    assert!(!locked.status.success());
    let message = String::from_utf8_lossy(&locked.stderr);
    assert!(message.contains("invalid_grant"), "{message}");
    assert!(
        !message.contains("refresh-dead"),
        "no token in errors: {message}"
    );

    // A person reconnects the location; the app stores the new refresh token once.
    let store = RedisStore::connect(&redis.url()).await.unwrap();
    let refresher = Client::oauth_refresher("app-id", "app-secret", "refresh-seed")
        .token_url(format!("{}/oauth/token", api.uri()));
    let tokens = store.tokens(refresher, LOCATION);
    tokens.set_refresh_token("refresh-0").await.unwrap();
    assert_eq!(
        stored(&redis, "access").await,
        None,
        "the old access token is gone"
    );
    assert_eq!(stored(&redis, "version").await.as_deref(), Some("2"));

    let outputs: Vec<Output> = (0..3)
        .map(|_| {
            worker(&redis, &api, &[once[0], once[1], seed])
                .spawn()
                .unwrap()
        })
        .map(finish)
        .collect();
    for output in &outputs {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(
        refreshes.load(Ordering::SeqCst),
        1,
        "one refresh with the new token"
    );
    assert_eq!(
        stored(&redis, "refresh").await.as_deref(),
        Some("refresh-1")
    );

    // Uninstalled: the location's tokens leave the store.
    tokens.remove().await.unwrap();
    let exists: bool = redis.connection().await.exists(TOKENS_KEY).await.unwrap();
    assert!(!exists);
    // A worker that starts from the store alone (an empty seed) says what is missing.
    let empty = ("FLEET_REFRESH_TOKEN", "");
    let missing = finish(
        worker(&redis, &api, &[once[0], once[1], empty])
            .spawn()
            .unwrap(),
    );
    assert!(!missing.status.success());
    let message = String::from_utf8_lossy(&missing.stderr);
    assert!(
        message.contains("holds no refresh token for `ve9EPM428h8vShlRW1KT`"),
        "{message}"
    );
    assert_eq!(
        refreshes.load(Ordering::SeqCst),
        1,
        "nothing sent to the endpoint"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fleet_example_connects_a_location_and_watches_it() {
    let redis = RedisServer::start();
    let api = MockServer::start().await;
    let refreshes = rotating_token_endpoint(&api, 86_399, Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path(ACCOUNTS))
        .and(header("Authorization", "Bearer access-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "statusCode": 200, "message": "Fetched Accounts",
            "results": {"groups": [], "accounts": [
                {"id": "a1", "name": "Bakery", "platform": "facebook", "isExpired": true},
                {"id": "a2", "name": "Bakery IG", "platform": "instagram", "isExpired": false}
            ]}
        })))
        .mount(&api)
        .await;
    let example = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_fleet-example"));
        command
            .args(args)
            .env("HIGHLEVEL_REDIS_URL", redis.url())
            .env("HIGHLEVEL_BASE_URL", api.uri())
            .env("HIGHLEVEL_CLIENT_ID", "app-id")
            .env("HIGHLEVEL_CLIENT_SECRET", "app-secret")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    };

    let connected = finish(
        example(&["connect", LOCATION, "refresh-0"])
            .spawn()
            .unwrap(),
    );
    assert!(
        connected.status.success(),
        "{}",
        String::from_utf8_lossy(&connected.stderr)
    );
    assert_eq!(
        stored(&redis, "refresh").await.as_deref(),
        Some("refresh-0")
    );

    // Two workers; each prints the expired account on its first round, then waits a minute.
    let watchers: Vec<Child> = (0..2)
        .map(|_| example(&["watch", LOCATION]).spawn().unwrap())
        .collect();
    let (lines, watchers) = tokio::task::spawn_blocking(move || first_lines(watchers))
        .await
        .unwrap();
    for (line, output) in lines.iter().zip(&watchers) {
        assert_eq!(
            line.trim_end(),
            format!("{LOCATION}: reconnect Bakery (facebook)"),
            "stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(refreshes.load(Ordering::SeqCst), 1, "one refresh for both");
    let slots: usize = redis
        .connection()
        .await
        .zcard(format!("openapi-client:rl:app-id:{LOCATION}"))
        .await
        .unwrap();
    assert_eq!(slots, 2, "both calls went through the shared budget");
}

/// The first line each long-running process prints (empty when it prints none within 20 s),
/// and what each printed once it is killed.
fn first_lines(mut children: Vec<Child>) -> (Vec<String>, Vec<Output>) {
    use std::io::{BufRead, BufReader};

    let (sender, receiver) = std::sync::mpsc::channel();
    for (i, child) in children.iter_mut().enumerate() {
        let stdout = child.stdout.take().unwrap();
        let sender = sender.clone();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send((i, line));
        });
    }
    let mut lines = vec![String::new(); children.len()];
    let deadline = Instant::now() + Duration::from_secs(20);
    for _ in 0..children.len() {
        let left = deadline.saturating_duration_since(Instant::now());
        match receiver.recv_timeout(left) {
            Ok((i, line)) => lines[i] = line,
            Err(_) => break,
        }
    }
    let outputs = children
        .into_iter()
        .map(|mut child| {
            let _ = child.kill();
            finish(child)
        })
        .collect();
    (lines, outputs)
}

/// `INFO commandstats`' count of scripts run by hash (`EVALSHA`), the way every limiter
/// script after the first runs.
async fn scripts_run(redis: &RedisServer) -> u64 {
    let mut conn = redis.connection().await;
    let info: String = redis::cmd("INFO")
        .arg("commandstats")
        .query_async(&mut conn)
        .await
        .unwrap();
    info.lines()
        .filter(|line| line.starts_with("cmdstat_evalsha:") || line.starts_with("cmdstat_eval:"))
        .filter_map(|line| {
            line.split("calls=")
                .nth(1)?
                .split(',')
                .next()?
                .parse::<u64>()
                .ok()
        })
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_servers_count_wins_and_an_agreeing_report_costs_no_round_trip() {
    let redis = RedisServer::start();
    let api = MockServer::start().await;
    // The server has counted requests this fleet did not send (another app's tool, say): 4 of
    // its 5 used in the window after our first, and 50,000 today.
    let remaining = Arc::new(AtomicUsize::new(1));
    let served = Arc::new(Mutex::new(Vec::new()));
    {
        let (remaining, served) = (remaining.clone(), served.clone());
        Mock::given(method("GET"))
            .and(path(ACCOUNTS))
            .respond_with(move |_: &Request| {
                served.lock().unwrap().push(Instant::now());
                let left = remaining.load(Ordering::SeqCst);
                ResponseTemplate::new(200)
                    .set_body_json(listing())
                    .insert_header("X-RateLimit-Max", "5")
                    .insert_header("X-RateLimit-Remaining", left.to_string())
                    .insert_header("X-RateLimit-Interval-Milliseconds", "2000")
                    .insert_header("X-RateLimit-Limit-Daily", "200000")
                    .insert_header("X-RateLimit-Daily-Remaining", "150000")
            })
            .mount(&api)
            .await;
    }
    let store = RedisStore::connect(&redis.url()).await.unwrap();
    let limiter = store
        .limiter("app-id", Quota::new(5, Duration::from_secs(2)))
        .daily_limit(200_000)
        .window_margin(Duration::ZERO);
    let client = Client::builder("fleet-token")
        .base_url(api.uri())
        .rate_limiter(limiter)
        .build()
        .unwrap();

    client.list_accounts(LOCATION).await.unwrap();
    let mut conn = redis.connection().await;
    let window_key = format!("openapi-client:rl:app-id:{LOCATION}");
    // The report is stored by a task of its own, so that the call does not wait for Redis:
    // the log catches up shortly after the call returns.
    let deadline = Instant::now() + Duration::from_secs(10);
    let logged = loop {
        let logged: usize = conn.zcard(&window_key).await.unwrap();
        if logged >= 4 || Instant::now() >= deadline {
            break logged;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(logged, 4, "the log was filled up to the server's count");
    let day_keys: Vec<String> = conn
        .keys(format!("openapi-client:day:app-id:{LOCATION}:*"))
        .await
        .unwrap();
    assert_eq!(day_keys.len(), 1, "{day_keys:?}");
    let today: u64 = conn.get(&day_keys[0]).await.unwrap();
    assert_eq!(today, 50_000, "the day's count is the server's");

    // The fifth request of the window goes at once; the sixth waits for the window.
    remaining.store(0, Ordering::SeqCst);
    client.list_accounts(LOCATION).await.unwrap();
    client.list_accounts(LOCATION).await.unwrap();
    let times = served.lock().unwrap().clone();
    assert_eq!(times.len(), 3);
    assert!(
        times[1] - times[0] < Duration::from_millis(1000),
        "{:?}",
        times[1] - times[0]
    );
    assert!(
        times[2] - times[0] >= Duration::from_millis(1900),
        "the sixth request of the server's window waited for it: {:?}",
        times[2] - times[0]
    );

    // Reports that agree with the log (the server counts what this fleet sent) are not written
    // back: one script per call, not two.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    remaining.store(4, Ordering::SeqCst);
    let before = scripts_run(&redis).await;
    client.list_accounts(LOCATION).await.unwrap();
    assert_eq!(
        scripts_run(&redis).await - before,
        1,
        "only the slot was taken"
    );
}

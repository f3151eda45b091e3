//! What sharing a fleet's state in Redis adds to a call: the shared rate limiter (one script
//! per call) and the shared token source (a token cached in the process, and a read of the
//! store when it is not), each against the same call without them, on a loopback API and a
//! real `redis-server` on a loopback port (started here, stopped at the end).
//!
//! Run with `cargo bench -p highlevel-bench --bench fleet` (needs `redis-server` on the PATH).

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use highlevel_social_planner::redis::RedisStore;
use highlevel_social_planner::{Client, Limiter, Quota, RateLimiter, TokenSource};
use tokio::runtime::Runtime;

#[path = "loopback.rs"]
mod loopback;
// The fleet tests' Redis; the bench never restarts it.
#[path = "../../tests/fleet/redis_server.rs"]
#[allow(dead_code)]
mod redis_server;

use loopback::{ACCOUNTS, LOCATION, bare_call, serve};
use redis_server::RedisServer;

/// A quota no benchmark reaches, over a short window so that the shared log stays small.
const UNREACHED: Quota = Quota::new(u32::MAX, Duration::from_secs(1));

fn fleet(c: &mut Criterion) {
    let runtime = Runtime::new().unwrap();
    let redis = RedisServer::start();
    let base = runtime.block_on(serve());
    let store = runtime.block_on(RedisStore::connect(&redis.url())).unwrap();
    // A stored token valid for a day, so that the shared source never refreshes here.
    runtime.block_on(store_token(&redis));
    let refresher = || {
        Client::oauth_refresher("app-id", "app-secret", "").token_url(format!("{base}/oauth/token"))
    };
    let build =
        |builder: highlevel_social_planner::ClientBuilder| builder.base_url(&base).build().unwrap();

    let fixed = build(Client::builder("bench-token"));
    let local = build(Client::builder("bench-token").rate_limiter(RateLimiter::from(UNREACHED)));
    let shared_limiter =
        build(Client::builder("bench-token").rate_limiter(store.limiter("app-id", UNREACHED)));
    let shared_tokens = build(Client::builder_with_source(
        store.tokens(refresher(), LOCATION),
    ));

    let mut group = c.benchmark_group("fleet: list_accounts on loopback");
    // The peer every figure is compared with, in the same run.
    let bare = reqwest::Client::new();
    let url = format!("{base}{ACCOUNTS}");
    group.bench_function("bare reqwest + serde_json", |b| {
        b.to_async(&runtime).iter(|| bare_call(&bare, &url))
    });
    for (name, client) in [
        ("fixed token, no limiter", &fixed),
        ("per-process limiter", &local),
        ("shared limiter (Redis)", &shared_limiter),
        ("shared tokens (cached)", &shared_tokens),
    ] {
        group.bench_function(name, |b| {
            b.to_async(&runtime)
                .iter(|| async { client.list_accounts(LOCATION).await.unwrap() })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("fleet: Redis alone");
    let limiter = store.limiter("app-id", UNREACHED);
    group.bench_function("shared limiter: a slot", |b| {
        b.to_async(&runtime)
            .iter(|| async { limiter.acquire(LOCATION).await.unwrap() })
    });

    let cached = store.tokens(refresher(), LOCATION);
    group.bench_function("shared tokens: cached in the process", |b| {
        b.to_async(&runtime)
            .iter(|| async { cached.token().await.unwrap() })
    });
    // A source that has not read the store yet, as in a process that just started or after
    // the cached token neared its expiry: one HMGET.
    group.bench_function("shared tokens: read from Redis", |b| {
        b.to_async(&runtime)
            .iter(|| async { store.tokens(refresher(), LOCATION).token().await.unwrap() })
    });
    group.finish();
}

async fn store_token(redis: &RedisServer) {
    let expires_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        + 86_400_000;
    let _: () = redis::cmd("HSET")
        .arg(format!("openapi-client:tokens:{LOCATION}"))
        .arg(&[
            "access",
            "bench-token",
            "refresh",
            "bench-refresh",
            "version",
            "1",
        ])
        .arg("expires_at")
        .arg(expires_at.to_string())
        .query_async(&mut redis.connection().await)
        .await
        .unwrap();
}

criterion_group!(benches, fleet);
criterion_main!(benches);

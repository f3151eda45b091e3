//! The cost of the client's runtime layer (token source, retry loop, rate-limit parsing,
//! tracing span, typed decoding with JSON paths) over a bare `reqwest` call that sends the
//! same request and decodes the same body with plain serde, both against a loopback server.
//!
//! Run with `cargo bench -p highlevel-bench --bench overhead`.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use highlevel_social_planner::{Client, RateLimiter};
use tokio::runtime::Runtime;

#[path = "loopback.rs"]
mod loopback;

use loopback::{ACCOUNTS, LOCATION, bare_call, serve};

fn overhead(c: &mut Criterion) {
    let runtime = Runtime::new().unwrap();
    let base = runtime.block_on(serve());
    let url = format!("{base}{ACCOUNTS}");
    let bare = reqwest::Client::new();
    let client = Client::builder("bench-token")
        .base_url(&base)
        .build()
        .unwrap();
    let limited = Client::builder("bench-token")
        .base_url(&base)
        .rate_limiter(RateLimiter::new(u32::MAX, Duration::from_secs(10)))
        .build()
        .unwrap();

    let mut group = c.benchmark_group("list_accounts on loopback");
    group.bench_function("bare reqwest + serde_json", |b| {
        b.to_async(&runtime).iter(|| bare_call(&bare, &url))
    });
    group.bench_function("generated client (defaults)", |b| {
        b.to_async(&runtime)
            .iter(|| async { client.list_accounts(LOCATION).await.unwrap() })
    });
    group.bench_function("generated client (with rate limiter)", |b| {
        b.to_async(&runtime)
            .iter(|| async { limited.list_accounts(LOCATION).await.unwrap() })
    });
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);

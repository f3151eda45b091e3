//! Instructions per call, for a machine too noisy for timings: runs N calls of one variant
//! against the loopback server on one thread, to be counted by callgrind.
//!
//! ```text
//! cargo bench -p highlevel-bench --bench calls --no-run
//! valgrind --tool=callgrind target/release/deps/calls-<hash> client 300
//! ```
//!
//! The variants are `bare` (reqwest and serde_json by hand), `client` (the generated client
//! with its defaults) and `limited` (with the rate limiter). The count for N calls includes the
//! set-up and the server's side; the difference between two N is the cost of the calls alone:
//! `cargo xtask bench-calls` runs it for every variant and prints the ratios.

#[path = "loopback.rs"]
mod loopback;

use std::time::Duration;

use highlevel_social_planner::{Client, RateLimiter};
use loopback::{ACCOUNTS, LOCATION, bare_call, serve};

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let variant = args.next().unwrap_or_default();
    let calls: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100);
    if !["bare", "client", "limited"].contains(&variant.as_str()) {
        // `cargo bench` runs every bench target: without a variant there is nothing to count.
        eprintln!("usage: calls (bare|client|limited) [N]");
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let base = serve().await;
        let url = format!("{base}{ACCOUNTS}");
        let bare = reqwest::Client::new();
        let client = Client::builder("bench-token").base_url(&base).build();
        let limited = Client::builder("bench-token")
            .base_url(&base)
            .rate_limiter(RateLimiter::new(u32::MAX, Duration::from_secs(10)))
            .build();
        let (client, limited) = (client.expect("a client"), limited.expect("a client"));
        for _ in 0..calls {
            match variant.as_str() {
                "bare" => {
                    std::hint::black_box(bare_call(&bare, &url).await);
                }
                "client" => {
                    std::hint::black_box(client.list_accounts(LOCATION).await.expect("a listing"));
                }
                _ => {
                    std::hint::black_box(limited.list_accounts(LOCATION).await.expect("a listing"));
                }
            }
        }
    });
}

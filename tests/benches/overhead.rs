//! The cost of the client's runtime layer (token source, retry loop, rate-limit parsing,
//! tracing span, typed decoding with JSON paths) over a bare `reqwest` call that sends the
//! same request and decodes the same body with plain serde, both against a loopback server.
//!
//! Run with `cargo bench -p highlevel-tests --bench overhead`.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use highlevel_social_planner::types::AccountListResponse;
use highlevel_social_planner::{Client, RateLimiter};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::runtime::Runtime;

const BODY: &str = r#"{"success":true,"statusCode":200,"message":"Fetched Accounts","results":{"accounts":[{"id":"aF3KhyL8JIuBwzK3m7Ly_Lx1EI6YIgQYMQi0ytFXv_12554616564525983496","oauthId":"aF3KhyL8JIuBwzK3m7Ly","profileId":"aF3KhyL8JIuBwzK3m7Ly","name":"Sample Account","platform":"google","type":"location","expire":"2024-03-11T19:29:59.785Z","isExpired":false,"meta":{"hasGoogleUpdated":true,"canDelete":true}}],"groups":[{"id":"6284c43d519161e96cc09c13","name":"Primary","accountIds":["6494063f4260855c1c5776b5_mhoUgTPkz19vjF5Qu7Av_2774080328752823730"]}]}}"#;

/// A keep-alive HTTP/1.1 server that answers every request with `BODY` and rate-limit headers.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         X-RateLimit-Max: 100\r\nX-RateLimit-Remaining: 99\r\n\
         X-RateLimit-Interval-Milliseconds: 10000\r\n\r\n{BODY}",
        BODY.len()
    );
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0_u8; 8192];
                let mut filled = 0;
                loop {
                    match socket.read(&mut buffer[filled..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => filled += n,
                    }
                    // Requests here have no body: each ends with a blank line.
                    while let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n")
                    {
                        buffer.copy_within(end + 4..filled, 0);
                        filled -= end + 4;
                        if socket.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

fn overhead(c: &mut Criterion) {
    let runtime = Runtime::new().unwrap();
    let base = runtime.block_on(serve());
    let url = format!("{base}/social-media-posting/ve9EPM428h8vShlRW1KT/accounts");
    let bare = highlevel_social_planner::http_client_builder()
        .unwrap()
        .build()
        .unwrap();
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
        b.to_async(&runtime).iter(|| async {
            let response = bare
                .get(&url)
                .bearer_auth("bench-token")
                .header("Version", "2021-07-28")
                .header("Accept", "application/json")
                .send()
                .await
                .unwrap();
            let bytes = response.bytes().await.unwrap();
            let listing: AccountListResponse = serde_json::from_slice(&bytes).unwrap();
            listing
        })
    });
    group.bench_function("generated client (defaults)", |b| {
        b.to_async(&runtime)
            .iter(|| async { client.list_accounts("ve9EPM428h8vShlRW1KT").await.unwrap() })
    });
    group.bench_function("generated client (with rate limiter)", |b| {
        b.to_async(&runtime)
            .iter(|| async { limited.list_accounts("ve9EPM428h8vShlRW1KT").await.unwrap() })
    });
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);

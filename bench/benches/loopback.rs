//! The loopback server both benchmarks call: a keep-alive HTTP/1.1 server that answers every
//! request with one `list-accounts` body and HighLevel's rate-limit headers.

use highlevel_social_planner::types::AccountListResponse;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The path of the call both benchmarks make.
pub const ACCOUNTS: &str = "/social-media-posting/ve9EPM428h8vShlRW1KT/accounts";

/// The location of that call.
pub const LOCATION: &str = "ve9EPM428h8vShlRW1KT";

pub const BODY: &str = r#"{"success":true,"statusCode":200,"message":"Fetched Accounts","results":{"accounts":[{"id":"aF3KhyL8JIuBwzK3m7Ly_Lx1EI6YIgQYMQi0ytFXv_12554616564525983496","oauthId":"aF3KhyL8JIuBwzK3m7Ly","profileId":"aF3KhyL8JIuBwzK3m7Ly","name":"Sample Account","platform":"google","type":"location","expire":"2024-03-11T19:29:59.785Z","isExpired":false,"meta":{"hasGoogleUpdated":true,"canDelete":true}}],"groups":[{"id":"6284c43d519161e96cc09c13","name":"Primary","accountIds":["6494063f4260855c1c5776b5_mhoUgTPkz19vjF5Qu7Av_2774080328752823730"]}]}}"#;

/// A keep-alive HTTP/1.1 server that answers every request with `BODY` and rate-limit headers.
pub async fn serve() -> String {
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

/// The peer: the same call made by hand with reqwest and decoded with serde_json, as the
/// generated client sends it (bearer token, `Version` and `Accept` headers).
pub async fn bare_call(bare: &reqwest::Client, url: &str) -> AccountListResponse {
    let response = bare
        .get(url)
        .bearer_auth("bench-token")
        .header("Version", "2021-07-28")
        .header("Accept", "application/json")
        .send()
        .await
        .expect("an answer");
    let bytes = response.bytes().await.expect("a body");
    serde_json::from_slice(&bytes).expect("a listing")
}

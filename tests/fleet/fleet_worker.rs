//! One process of a test fleet (`tests/fleet/`): calls `list-accounts` through a client that
//! shares its limiter and tokens in Redis, as the environment says, and prints what happened.
//!
//! - `FLEET_REDIS_URL`, `FLEET_BASE_URL`, `FLEET_LOCATION`: where to go.
//! - `FLEET_MODE`: `once` (one call; exit 1 on failure) or `hammer` (calls for
//!   `FLEET_SECONDS`, then prints `ok=N limited=N failed=N`).
//! - `FLEET_TOKENS`: `shared` (an OAuth app, `app-id`/`app-secret`, starting from
//!   `FLEET_REFRESH_TOKEN`, its tokens in Redis; `FLEET_LEASE_MS`, and `FLEET_HOOK_SLEEP_MS` to
//!   make the refresh hook hang) or `fixed` (the token `fleet-token`).
//! - `FLEET_LIMITER`: `shared`, `local` or `none`, for `FLEET_QUOTA` requests per
//!   `FLEET_WINDOW_MS` (default: HighLevel's 100 per 10 s).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use highlevel_social_planner::redis::RedisStore;
use highlevel_social_planner::{
    Client, Error, Quota, RATE_LIMIT_QUOTA, RateLimiter, RetryPolicy, StatusCode,
};

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

fn number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> ExitCode {
    let store = RedisStore::connect(&var("FLEET_REDIS_URL"))
        .await
        .expect("Redis is up when a worker starts");
    let location = var("FLEET_LOCATION");
    let mut builder = match std::env::var("FLEET_TOKENS").as_deref() {
        Ok("shared") => {
            let sleep = Duration::from_millis(number("FLEET_HOOK_SLEEP_MS", 0));
            let refresher =
                Client::oauth_refresher("app-id", "app-secret", var("FLEET_REFRESH_TOKEN"))
                    .token_url(format!("{}/oauth/token", var("FLEET_BASE_URL")))
                    .on_refresh(move |_| async move {
                        tokio::time::sleep(sleep).await;
                        Ok(())
                    });
            let tokens = store
                .tokens(refresher, &location)
                .lease(Duration::from_millis(number("FLEET_LEASE_MS", 15_000)));
            Client::builder_with_source(tokens)
        }
        _ => Client::builder("fleet-token"),
    };
    let quota = match (
        std::env::var("FLEET_QUOTA"),
        std::env::var("FLEET_WINDOW_MS"),
    ) {
        (Ok(_), _) | (_, Ok(_)) => Quota::new(
            u32::try_from(number("FLEET_QUOTA", 100)).unwrap_or(u32::MAX),
            Duration::from_millis(number("FLEET_WINDOW_MS", 10_000)),
        ),
        // HighLevel's burst limit, as the spec states it.
        _ => RATE_LIMIT_QUOTA,
    };
    builder = match std::env::var("FLEET_LIMITER").as_deref() {
        Ok("shared") => builder.rate_limiter(store.limiter("app-id", quota)),
        Ok("local") => builder.rate_limiter(RateLimiter::from(quota)),
        _ => builder,
    };
    let client = builder
        .base_url(var("FLEET_BASE_URL"))
        .retry(RetryPolicy::none())
        .build()
        .expect("a client");

    if std::env::var("FLEET_MODE").as_deref() == Ok("hammer") {
        let until = Instant::now() + Duration::from_secs(number("FLEET_SECONDS", 3));
        let (mut ok, mut limited, mut failed) = (0, 0, 0);
        while Instant::now() < until {
            match client.list_accounts(&location).await {
                Ok(_) => ok += 1,
                Err(e) if e.status() == Some(StatusCode::TOO_MANY_REQUESTS) => limited += 1,
                Err(_) => failed += 1,
            }
        }
        println!("ok={ok} limited={limited} failed={failed}");
        return ExitCode::SUCCESS;
    }
    match client.list_accounts(&location).await {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}", describe(&error));
            ExitCode::FAILURE
        }
    }
}

fn describe(error: &Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

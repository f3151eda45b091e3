//! A small long-running worker: every few minutes it checks a location's connected accounts
//! and reports the ones whose connection has expired, as an OAuth app whose access token is
//! refreshed as it goes, kept under HighLevel's rate limit.
//!
//! ```text
//! HIGHLEVEL_CLIENT_ID=… HIGHLEVEL_CLIENT_SECRET=… HIGHLEVEL_REFRESH_TOKEN=… \
//! HIGHLEVEL_LOCATION_ID=… cargo run -p highlevel-social-planner --example worker
//! ```
//!
//! The refresher comes from `Client::oauth_refresher_from_env`. HighLevel rotates refresh
//! tokens: each refresh kills the one it used. The worker writes each new one to
//! `HIGHLEVEL_TOKEN_FILE` (default `highlevel-refresh-token`) before any call uses the new
//! access token, and on start prefers that file to `HIGHLEVEL_REFRESH_TOKEN`, so a restart
//! goes on with the latest. It checks every `HIGHLEVEL_INTERVAL_SECS` seconds (default 300),
//! stops after `HIGHLEVEL_ROUNDS` rounds when that is set, and on Ctrl-C. A round still
//! rate-limited after the client's retries waits out the server's window before the next; a
//! token the server refuses, or one that cannot be had, stops the worker. `HIGHLEVEL_BASE_URL`
//! overrides the server (the token endpoint is then under it too).

use std::process::ExitCode;
use std::time::Duration;

use highlevel_social_planner::env::BASE_URL;
use highlevel_social_planner::types::Platform;
use highlevel_social_planner::{Client, Error, LocationClient, RATE_LIMIT_QUOTA, RetryPolicy};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", describe(&*error));
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let interval = Duration::from_secs(number("HIGHLEVEL_INTERVAL_SECS", 300)?);
    let rounds = match std::env::var("HIGHLEVEL_ROUNDS") {
        Ok(_) => Some(number("HIGHLEVEL_ROUNDS", 0)?),
        Err(_) => None,
    };
    let location = client().await?.location(env("HIGHLEVEL_LOCATION_ID")?);

    let mut round = 0;
    loop {
        round += 1;
        let wait = match check(&location).await {
            Ok(report) => {
                println!("round {round}: {report}");
                interval
            }
            // Every round would fail the same way: a person has to reconnect the app.
            Err(error) if error.is_unauthorized() || matches!(error, Error::Auth { .. }) => {
                return Err(error.into());
            }
            // Back off (the client already retried): until the reset or for one window of
            // the server's, when it says, else for two intervals.
            Err(error) if error.is_rate_limited() => {
                let window = error.rate_limit().and_then(|l| l.reset.or(l.interval));
                let wait = window.unwrap_or(interval * 2);
                println!("round {round}: rate-limited; waiting {wait:?}");
                wait
            }
            // Anything else is reported; the next round may succeed.
            Err(error) => {
                eprintln!("round {round}: {}", describe(&error));
                interval
            }
        };
        if rounds.is_some_and(|rounds| round >= rounds) {
            return Ok(());
        }
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = tokio::signal::ctrl_c() => {
                println!("stopping");
                return Ok(());
            }
        }
    }
}

/// The client: the refresher from the environment storing each rotated refresh token, the
/// limiter, a few more retries than by default.
async fn client() -> Result<Client, Box<dyn std::error::Error>> {
    let token_file =
        std::env::var("HIGHLEVEL_TOKEN_FILE").unwrap_or_else(|_| "highlevel-refresh-token".into());
    let refresher = Client::oauth_refresher_from_env()?;
    if let Ok(stored) = tokio::fs::read_to_string(&token_file).await
        && !stored.trim().is_empty()
    {
        refresher.set_refresh_token(stored.trim());
    }
    let refresher = refresher.on_refresh(move |tokens| {
        let token_file = token_file.clone();
        async move {
            if let Some(refresh_token) = &tokens.refresh_token {
                tokio::fs::write(&token_file, refresh_token.expose()).await?;
                println!(
                    "refreshed the access token; stored the new refresh token in {token_file}"
                );
            }
            Ok(())
        }
    });
    let mut builder = Client::builder_with_source(refresher)
        .rate_limiter(RATE_LIMIT_QUOTA)
        .retry(RetryPolicy::default().max_retries(5));
    if let Ok(base_url) = std::env::var(BASE_URL) {
        builder = builder.base_url(base_url);
    }
    Ok(builder.build()?)
}

/// One round: the accounts whose connection expired, and what is left of the rate limit.
async fn check(location: &LocationClient) -> Result<String, Error> {
    let expired: Vec<String> = location
        .expired_accounts()
        .await?
        .iter()
        .map(|a| {
            format!(
                "{} ({})",
                a.name.as_deref().unwrap_or("-"),
                a.platform.as_ref().map_or("-", Platform::as_str)
            )
        })
        .collect();
    let remaining = location
        .client()
        .rate_limit_for(location.location_id())
        .and_then(|limit| limit.remaining)
        .map_or("-".to_owned(), |n| n.to_string());
    Ok(format!(
        "{} expired: [{}]; requests left in this window: {remaining}",
        expired.len(),
        expired.join(", ")
    ))
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name} in the environment"))
}

fn number(name: &str, default: u64) -> Result<u64, String> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(text) => text
            .parse()
            .map_err(|_| format!("{name} must be a whole number, not `{text}`")),
    }
}

/// The error and the chain of its causes, on one line.
fn describe(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}

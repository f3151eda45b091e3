//! A small long-running worker: every few minutes it checks a location's connected accounts
//! and reports the ones whose connection has expired, as an OAuth app whose access token is
//! refreshed as it goes, kept under HighLevel's rate limit.
//!
//! ```text
//! HIGHLEVEL_CLIENT_ID=… HIGHLEVEL_CLIENT_SECRET=… HIGHLEVEL_REFRESH_TOKEN=… \
//! HIGHLEVEL_LOCATION_ID=… cargo run --example worker
//! ```
//!
//! HighLevel rotates refresh tokens: each refresh kills the one it used. The worker writes
//! each new one to `HIGHLEVEL_TOKEN_FILE` (default `highlevel-refresh-token`) before any call
//! uses the new access token, and on start reads that file in preference to
//! `HIGHLEVEL_REFRESH_TOKEN`, so a restart goes on with the latest. It checks every
//! `HIGHLEVEL_INTERVAL_SECS` seconds (default 300), stops after `HIGHLEVEL_ROUNDS` rounds
//! when that is set, and on Ctrl-C. `HIGHLEVEL_BASE_URL` overrides the server (the token
//! endpoint is then under it too).

use std::error::Error as _;
use std::process::ExitCode;
use std::time::Duration;

use highlevel_social_planner::types::Platform;
use highlevel_social_planner::{Client, RATE_LIMIT_QUOTA, RetryPolicy};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let location_id = env("HIGHLEVEL_LOCATION_ID")?;
    let interval = Duration::from_secs(number("HIGHLEVEL_INTERVAL_SECS", 300)?);
    let rounds = match std::env::var("HIGHLEVEL_ROUNDS") {
        Ok(_) => Some(number("HIGHLEVEL_ROUNDS", 0)?),
        Err(_) => None,
    };
    let client = client().await?;

    let mut ticks = tokio::time::interval(interval);
    let mut round = 0;
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = tokio::signal::ctrl_c() => {
                println!("stopping");
                return Ok(());
            }
        }
        round += 1;
        // One failed round is reported, not fatal: the next may succeed. A token that cannot
        // be refreshed any more is fatal, because every round would fail the same way.
        match check(&client, &location_id).await {
            Ok(report) => println!("round {round}: {report}"),
            Err(error @ highlevel_social_planner::Error::Auth { .. }) => {
                return Err(describe(&error));
            }
            Err(error) => eprintln!("round {round}: {}", describe(&error)),
        }
        if rounds.is_some_and(|rounds| round >= rounds) {
            return Ok(());
        }
    }
}

/// The client: refresher, limiter, a few more retries than by default.
async fn client() -> Result<Client, String> {
    let token_file =
        std::env::var("HIGHLEVEL_TOKEN_FILE").unwrap_or_else(|_| "highlevel-refresh-token".into());
    let refresh_token = match tokio::fs::read_to_string(&token_file).await {
        Ok(stored) if !stored.trim().is_empty() => stored.trim().to_owned(),
        _ => env("HIGHLEVEL_REFRESH_TOKEN")?,
    };
    let base_url = std::env::var("HIGHLEVEL_BASE_URL").ok();
    let mut refresher = Client::oauth_refresher(
        env("HIGHLEVEL_CLIENT_ID")?,
        env("HIGHLEVEL_CLIENT_SECRET")?,
        refresh_token,
    )
    .form_field("user_type", "Location")
    .on_refresh(move |tokens| {
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
    if let Some(base_url) = &base_url {
        refresher = refresher.token_url(format!("{base_url}/oauth/token"));
    }
    let mut builder = Client::builder_with_source(refresher)
        .rate_limiter(RATE_LIMIT_QUOTA)
        .retry(RetryPolicy::default().max_retries(5));
    if let Some(base_url) = base_url {
        builder = builder.base_url(base_url);
    }
    builder.build().map_err(|e| describe(&e))
}

/// One round: the accounts, which of them expired, and what is left of the rate limit.
async fn check(
    client: &Client,
    location_id: &str,
) -> Result<String, highlevel_social_planner::Error> {
    let accounts = client
        .list_accounts(location_id)
        .await?
        .into_inner()
        .results
        .and_then(|r| r.accounts)
        .unwrap_or_default();
    let expired: Vec<String> = accounts
        .iter()
        .filter(|a| a.is_expired == Some(true))
        .map(|a| {
            format!(
                "{} ({})",
                a.name.as_deref().unwrap_or("-"),
                a.platform.as_ref().map_or("-", Platform::as_str)
            )
        })
        .collect();
    let remaining = client
        .rate_limit_for(location_id)
        .and_then(|limit| limit.remaining)
        .map_or("-".to_owned(), |n| n.to_string());
    Ok(format!(
        "{} accounts, expired: [{}]; requests left in this window: {remaining}",
        accounts.len(),
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
fn describe(error: &highlevel_social_planner::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}

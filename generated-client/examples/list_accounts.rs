//! Lists the social accounts connected to a location, one line per account.
//!
//! ```text
//! HIGHLEVEL_TOKEN=… HIGHLEVEL_LOCATION_ID=… cargo run --example list_accounts [PLATFORM]
//! ```
//!
//! `HIGHLEVEL_BASE_URL` overrides the server (e.g. a mock). With a platform (`instagram`,
//! `tiktok`, …) only that platform's accounts are listed.

use std::error::Error as _;
use std::process::ExitCode;

use highlevel_social_planner::Client;
use highlevel_social_planner::types::{Account, Platform};

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
    let token = env("HIGHLEVEL_TOKEN")?;
    let location_id = env("HIGHLEVEL_LOCATION_ID")?;
    let platform = match std::env::args().nth(1) {
        None => None,
        Some(arg) => Some(parse_platform(&arg)?),
    };

    let mut builder = Client::builder(token);
    if let Ok(base_url) = std::env::var("HIGHLEVEL_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let client = builder.build().map_err(|e| e.to_string())?;

    let listing = client
        .list_accounts(&location_id)
        .await
        .map_err(|e| describe(&e))?;
    let accounts = listing
        .into_inner()
        .results
        .and_then(|r| r.accounts)
        .unwrap_or_default();
    for account in accounts
        .iter()
        .filter(|a| platform.is_none() || a.platform == platform)
    {
        println!("{}", line(account));
    }
    Ok(())
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name} in the environment"))
}

fn parse_platform(arg: &str) -> Result<Platform, String> {
    let platform = Platform::from(arg);
    if let Platform::Unknown(name) = &platform {
        // A platform the spec does not list yet can still be filtered on.
        let known: Vec<_> = Platform::ALL.iter().map(Platform::as_str).collect();
        eprintln!(
            "note: `{name}` is not one of {}; listing accounts whose platform is `{name}`",
            known.join(", ")
        );
    }
    Ok(platform)
}

/// `platform  name  id  active|expired`, with `-` for what the API left out.
fn line(account: &Account) -> String {
    let platform = account.platform.as_ref().map_or("-", Platform::as_str);
    let status = match account.is_expired {
        Some(true) => "expired",
        Some(false) => "active",
        None => "unknown",
    };
    format!(
        "{platform:<10} {:<32} {:<40} {status}",
        account.name.as_deref().unwrap_or("-"),
        account.id.as_deref().unwrap_or("-"),
    )
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

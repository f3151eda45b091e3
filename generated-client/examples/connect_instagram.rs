//! Connects an Instagram professional account to a location, in the API's three steps.
//!
//! First run: prints the URL of the Instagram login to open in a browser popup (nothing is
//! sent to the API).
//!
//! ```text
//! HIGHLEVEL_TOKEN=… HIGHLEVEL_LOCATION_ID=… HIGHLEVEL_USER_ID=… \
//!   cargo run -p highlevel-social-planner --example connect_instagram
//! ```
//!
//! When the user has signed in, the popup posts a message to its opener carrying an
//! `accountId`. Second run, with it: lists the Instagram accounts that login gave access to
//! and attaches the one whose page is `HIGHLEVEL_PAGE_ID` (or, without it, the first one not
//! connected yet).
//!
//! ```text
//! HIGHLEVEL_TOKEN=… HIGHLEVEL_LOCATION_ID=… \
//!   cargo run -p highlevel-social-planner --example connect_instagram -- OAUTH_ACCOUNT_ID
//! ```
//!
//! The client comes from `Client::from_env` (`HIGHLEVEL_BASE_URL` overrides the server, and
//! the login URL is then under it).

use std::process::ExitCode;

use highlevel_social_planner::types::{AttachInstagramAccountRequest, InstagramAccount, Platform};
use highlevel_social_planner::{Client, LocationClient};

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
    let location = Client::from_env()?.location(env("HIGHLEVEL_LOCATION_ID")?);
    match std::env::args().nth(1) {
        None => {
            // Step 1: the page the user opens; it is not an API call.
            let url = location.oauth_start_url(&Platform::Instagram, &env("HIGHLEVEL_USER_ID")?)?;
            println!("open in a popup window and sign in with Instagram:\n  {url}");
            println!("then run this example again with the popup's accountId as its argument");
            Ok(())
        }
        Some(oauth_account_id) => attach(&location, &oauth_account_id).await,
    }
}

/// Steps 2 and 3: the accounts the login reached, and the one attached.
async fn attach(
    location: &LocationClient,
    oauth_account_id: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let accounts = match location.get_instagram_page_group(oauth_account_id).await {
        Ok(found) => found.into_inner().results.and_then(|r| r.accounts),
        Err(error) if error.is_not_found() => {
            return Err(format!(
                "no Instagram login {oauth_account_id} for this location: \
                 run this example without an argument to start again"
            )
            .into());
        }
        Err(error) => return Err(error.into()),
    }
    .unwrap_or_default();
    for account in &accounts {
        println!(
            "{:<24} page {:<20} {}",
            account.name.as_deref().unwrap_or("-"),
            account.page_id.as_deref().unwrap_or("-"),
            if account.is_connected == Some(true) {
                "connected"
            } else {
                "not connected"
            },
        );
    }
    let wanted = std::env::var("HIGHLEVEL_PAGE_ID").ok();
    let chosen = accounts
        .iter()
        .find(|a| match &wanted {
            Some(page) => a.page_id.as_ref() == Some(page),
            None => a.is_connected != Some(true),
        })
        .ok_or_else(|| match &wanted {
            Some(page) => format!("no account with page {page} in this login"),
            None => "every account of this login is connected already".to_owned(),
        })?;
    let attached = location
        .attach_instagram_page_group(oauth_account_id, &request(chosen)?)
        .await?;
    println!("{} {}", attached.status(), attached.message);
    if let Some(account) = attached.into_inner().results {
        println!(
            "connected {} as account {}",
            account.name.as_deref().unwrap_or("-"),
            account.id.as_deref().unwrap_or("-"),
        );
    }
    Ok(())
}

fn request(account: &InstagramAccount) -> Result<AttachInstagramAccountRequest, String> {
    let page_id = account
        .page_id
        .clone()
        .ok_or("the chosen account has no page id")?;
    let mut request = AttachInstagramAccountRequest::new(page_id);
    request.origin_id = account.id.clone();
    request.name = account.name.clone();
    request.avatar = account.avatar.clone();
    Ok(request)
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name} in the environment"))
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

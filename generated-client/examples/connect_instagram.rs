//! Connects an Instagram professional account to a location, in the API's three steps.
//!
//! First run: prints the URL of the Instagram login to open in a browser popup.
//!
//! ```text
//! HIGHLEVEL_TOKEN=… HIGHLEVEL_LOCATION_ID=… HIGHLEVEL_USER_ID=… cargo run --example connect_instagram
//! ```
//!
//! When the user has signed in, the popup posts a message to its opener carrying an
//! `accountId`. Second run, with it: lists the Instagram accounts that login gave access to
//! and attaches the one whose page is `HIGHLEVEL_PAGE_ID` (or, without it, the first one not
//! connected yet).
//!
//! ```text
//! HIGHLEVEL_TOKEN=… HIGHLEVEL_LOCATION_ID=… HIGHLEVEL_USER_ID=… \
//!   cargo run --example connect_instagram -- OAUTH_ACCOUNT_ID
//! ```
//!
//! `HIGHLEVEL_BASE_URL` overrides the server (e.g. a mock).

use std::error::Error as _;
use std::process::ExitCode;

use highlevel_social_planner::types::{
    AttachInstagramAccountRequest, InstagramAccount, StartInstagramOauthQuery,
};
use highlevel_social_planner::{Client, DEFAULT_BASE_URL};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

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
    let user_id = env("HIGHLEVEL_USER_ID")?;
    let base_url = std::env::var("HIGHLEVEL_BASE_URL").unwrap_or_else(|_| DEFAULT_BASE_URL.into());
    let client = Client::builder(env("HIGHLEVEL_TOKEN")?)
        .base_url(base_url.as_str())
        .build()
        .map_err(|e| describe(&e))?;
    match std::env::args().nth(1) {
        None => start(&client, &base_url, &location_id, &user_id).await,
        Some(oauth_account_id) => attach(&client, &location_id, &oauth_account_id).await,
    }
}

/// Step 1: checks that the server takes the token and the ids for this flow, then prints
/// the URL the user opens.
async fn start(
    client: &Client,
    base_url: &str,
    location_id: &str,
    user_id: &str,
) -> Result<(), String> {
    let query = StartInstagramOauthQuery::new(location_id, user_id);
    client
        .start_instagram_oauth(&query)
        .await
        .map_err(|e| describe(&e))?;
    println!(
        "open in a popup window and sign in with Instagram:\n  \
         {base_url}/social-media-posting/oauth/instagram/start?locationId={}&userId={}",
        utf8_percent_encode(location_id, NON_ALPHANUMERIC),
        utf8_percent_encode(user_id, NON_ALPHANUMERIC),
    );
    println!("then run this example again with the popup's accountId as its argument");
    Ok(())
}

/// Steps 2 and 3: the accounts the login reached, and the one attached.
async fn attach(client: &Client, location_id: &str, oauth_account_id: &str) -> Result<(), String> {
    let accounts = client
        .get_instagram_page_group(location_id, oauth_account_id)
        .await
        .map_err(|e| describe(&e))?
        .into_inner()
        .results
        .and_then(|r| r.accounts)
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
    let attached = client
        .attach_instagram_page_group(location_id, oauth_account_id, &request(chosen)?)
        .await
        .map_err(|e| describe(&e))?;
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
fn describe(error: &highlevel_social_planner::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}

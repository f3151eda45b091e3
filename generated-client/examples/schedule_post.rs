//! Schedules a post with an image (or video) on one or more connected accounts.
//!
//! ```text
//! HIGHLEVEL_TOKEN=… HIGHLEVEL_LOCATION_ID=… HIGHLEVEL_USER_ID=… \
//! HIGHLEVEL_ACCOUNT_IDS=acc1,acc2 HIGHLEVEL_MEDIA_URL=https://…/spring.jpg \
//! HIGHLEVEL_POST_TEXT="Spring sale starts Monday" HIGHLEVEL_SCHEDULE_AT=2026-03-02T09:00:00.000Z \
//!   cargo run --example schedule_post
//! ```
//!
//! The media is a URL the platforms can fetch (HighLevel's media library gives one for an
//! uploaded file). `HIGHLEVEL_USER_ID` is the user the post is created by;
//! `HIGHLEVEL_BASE_URL` overrides the server (e.g. a mock).

use std::error::Error as _;
use std::process::ExitCode;

use highlevel_social_planner::Client;
use highlevel_social_planner::types::{CreatePostRequest, PostMedia, PostStatus, PostType};

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
    let account_ids: Vec<String> = env("HIGHLEVEL_ACCOUNT_IDS")?
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .collect();
    let media = PostMedia::new(env("HIGHLEVEL_MEDIA_URL")?);
    let post = CreatePostRequest::new(account_ids, PostType::Post, env("HIGHLEVEL_USER_ID")?)
        .summary(env("HIGHLEVEL_POST_TEXT")?)
        .media(vec![media])
        .status(PostStatus::Scheduled)
        .schedule_date(env("HIGHLEVEL_SCHEDULE_AT")?);

    let client = client()?;
    let created = client
        .create_post(&location_id, &post)
        .await
        .map_err(|e| describe(&e))?;
    println!("{} {}", created.status(), created.message);
    if let Some(post) = created.into_inner().results.and_then(|r| r.post) {
        println!(
            "post {} scheduled for {} ({:?})",
            post.id.as_deref().unwrap_or("-"),
            post.display_date.as_deref().unwrap_or("-"),
            post.status,
        );
    }
    Ok(())
}

fn client() -> Result<Client, String> {
    let mut builder = Client::builder(env("HIGHLEVEL_TOKEN")?);
    if let Ok(base_url) = std::env::var("HIGHLEVEL_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    builder.build().map_err(|e| describe(&e))
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

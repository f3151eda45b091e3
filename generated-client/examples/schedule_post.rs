//! Schedules a post with an image (or video) on one or more connected accounts.
//!
//! ```text
//! HIGHLEVEL_TOKEN=… HIGHLEVEL_LOCATION_ID=… HIGHLEVEL_USER_ID=… \
//! HIGHLEVEL_ACCOUNT_IDS=acc1,acc2 HIGHLEVEL_MEDIA_URL=https://…/spring.jpg \
//! HIGHLEVEL_POST_TEXT="Spring sale starts Monday" HIGHLEVEL_SCHEDULE_AT=2026-03-02T09:00:00.000Z \
//!   cargo run -p highlevel-social-planner --example schedule_post
//! ```
//!
//! The client comes from `Client::from_env`: `HIGHLEVEL_TOKEN` (or an OAuth app's
//! `HIGHLEVEL_CLIENT_ID`, `HIGHLEVEL_CLIENT_SECRET` and `HIGHLEVEL_REFRESH_TOKEN`), and
//! `HIGHLEVEL_BASE_URL` to talk to another server (e.g. a mock). The media is a URL the
//! platforms can fetch (HighLevel's media library gives one for an uploaded file);
//! `HIGHLEVEL_USER_ID` is the user the post is created by.

use std::process::ExitCode;

use highlevel_social_planner::types::{CreatePostRequest, PostMedia, PostStatus, PostType};
use highlevel_social_planner::{Client, DateTime};

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
    let account_ids: Vec<String> = env("HIGHLEVEL_ACCOUNT_IDS")?
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .collect();
    let post = CreatePostRequest::new(account_ids, PostType::Post, env("HIGHLEVEL_USER_ID")?)
        .summary(env("HIGHLEVEL_POST_TEXT")?)
        .media(vec![PostMedia::new(env("HIGHLEVEL_MEDIA_URL")?)])
        .status(PostStatus::Scheduled)
        // RFC 3339; a `jiff::Timestamp` with the `date-time` feature, the text without it.
        .schedule_date(env("HIGHLEVEL_SCHEDULE_AT")?.parse::<DateTime>()?);

    let location = Client::from_env()?.location(env("HIGHLEVEL_LOCATION_ID")?);
    let created = location.create_post(&post).await?;
    println!("{} {}", created.status(), created.message);
    if let Some(post) = created.into_inner().results.and_then(|r| r.post) {
        println!(
            "post {} scheduled for {} ({:?})",
            post.id.as_deref().unwrap_or("-"),
            post.display_date
                .as_ref()
                .map_or_else(|| "-".to_owned(), ToString::to_string),
            post.status,
        );
    }
    Ok(())
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

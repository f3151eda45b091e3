//! Pages through every post of a location in one month, one line per post.
//!
//! ```text
//! HIGHLEVEL_TOKEN=… HIGHLEVEL_LOCATION_ID=… \
//!   cargo run -p highlevel-social-planner --example posts_of_month -- 2026-03
//! ```
//!
//! The month is `YYYY-MM`, in UTC. The stream asks for 50 posts a page and moves on until
//! the server's count of matches is reached. The client comes from `Client::from_env`
//! (`HIGHLEVEL_BASE_URL` overrides the server).

use std::process::ExitCode;

use futures_util::TryStreamExt;
use highlevel_social_planner::types::{ListPostsRequest, Platform, Post, PostStatus};
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
    let month = std::env::args()
        .nth(1)
        .ok_or("give the month as the argument, e.g. 2026-03")?;
    let (from, to) = month_window(&month)?;
    let location = Client::from_env()?.location(env("HIGHLEVEL_LOCATION_ID")?);

    // `DateTime` is the text without the `date-time` feature and a `jiff::Timestamp` with it:
    // parsing gives either.
    let (start, end): (DateTime, DateTime) = (from.parse()?, to.parse()?);
    let search = ListPostsRequest::new("0", "50", start, end, "false");
    let mut posts = std::pin::pin!(location.list_posts_stream(&search));
    let mut count = 0;
    while let Some(post) = posts.try_next().await? {
        println!("{}", line(&post));
        count += 1;
    }
    println!("{count} posts from {from} to {to}");
    Ok(())
}

/// The first and the last millisecond of the month `YYYY-MM`, as the API's date-times.
fn month_window(month: &str) -> Result<(String, String), String> {
    let bad = || format!("`{month}` is not a month: write it as YYYY-MM");
    let (year, number) = month.split_once('-').ok_or_else(bad)?;
    let year: u32 = year.parse().map_err(|_| bad())?;
    let number: u32 = number.parse().map_err(|_| bad())?;
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match number {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    Ok((
        format!("{year:04}-{number:02}-01T00:00:00.000Z"),
        format!("{year:04}-{number:02}-{days:02}T23:59:59.999Z"),
    ))
}

/// `date  platform  status  summary`, with `-` for what the API left out.
fn line(post: &Post) -> String {
    let summary: String = post
        .summary
        .as_deref()
        .unwrap_or("-")
        .chars()
        .take(60)
        .collect();
    format!(
        "{:<24} {:<10} {:<12} {}",
        post.display_date
            .as_ref()
            .map_or_else(|| "-".to_owned(), ToString::to_string),
        post.platform.as_ref().map_or("-", Platform::as_str),
        post.status.as_ref().map_or("-", PostStatus::as_str),
        summary.replace('\n', " "),
    )
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

//! Lists the social accounts connected to a location, one line per account.
//!
//! ```text
//! HIGHLEVEL_TOKEN=… HIGHLEVEL_LOCATION_ID=… cargo run --example list_accounts [PLATFORM]
//! ```
//!
//! `HIGHLEVEL_BASE_URL` overrides the server (e.g. a mock; the token endpoint is then under it
//! too). With a platform (`instagram`, `tiktok`, …) only that platform's accounts are listed.
//!
//! `HIGHLEVEL_CLIENT_ID`, `HIGHLEVEL_CLIENT_SECRET` and `HIGHLEVEL_REFRESH_TOKEN`, in place of
//! `HIGHLEVEL_TOKEN`, make it refresh the location's access token as an OAuth app.
//!
//! Built with the `redis` feature, `HIGHLEVEL_REDIS_URL` makes it join a fleet: the rate limit
//! and the location's tokens are shared, in that Redis, with every other process doing the
//! same, so that many copies of this binary together keep to HighLevel's limit and refresh the
//! rotating token once:
//!
//! ```text
//! cargo build -p highlevel-social-planner --features redis --example list_accounts
//! for i in 1 2 3 4; do HIGHLEVEL_REDIS_URL=redis://127.0.0.1/ … target/debug/examples/list_accounts & done
//! ```

use std::error::Error as _;
use std::process::ExitCode;

use highlevel_social_planner::env as vars;
use highlevel_social_planner::types::{Account, Platform};
use highlevel_social_planner::{Client, ClientBuilder, OAuthRefresher};
#[cfg(feature = "redis")]
use highlevel_social_planner::{RATE_LIMIT_DAILY_QUOTA, RATE_LIMIT_QUOTA};

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
    let platform = match std::env::args().nth(1) {
        None => None,
        Some(arg) => Some(parse_platform(&arg)?),
    };
    let client = client(&location_id).await?;

    let location = client.location(location_id);
    let accounts = match &platform {
        Some(platform) => location.accounts_on(platform).await,
        None => location.accounts().await,
    }
    .map_err(|e| describe(&e))?;
    for account in &accounts {
        println!("{}", line(account));
    }
    Ok(())
}

/// The client `Client::from_env` makes (a fixed `HIGHLEVEL_TOKEN`, or an OAuth app's
/// credentials), with the fleet's shared tokens and limiter when there is one.
async fn client(location_id: &str) -> Result<Client, String> {
    let fleet = Fleet::from_env().await?;
    let oauth =
        std::env::var_os(vars::TOKEN).is_none() && std::env::var_os(vars::CLIENT_ID).is_some();
    let mut builder = if oauth {
        let refresher = Client::oauth_refresher_from_env().map_err(|e| e.to_string())?;
        fleet.token_source(refresher, location_id)
    } else {
        Client::builder_from_env().map_err(|e| e.to_string())?
    };
    if let Ok(base_url) = std::env::var(vars::BASE_URL) {
        builder = builder.base_url(base_url);
    }
    fleet.limiter(builder).build().map_err(|e| e.to_string())
}

#[cfg(feature = "redis")]
struct Fleet(Option<highlevel_social_planner::redis::RedisStore>);

#[cfg(feature = "redis")]
impl Fleet {
    async fn from_env() -> Result<Self, String> {
        let Ok(url) = std::env::var("HIGHLEVEL_REDIS_URL") else {
            return Ok(Self(None));
        };
        let store = highlevel_social_planner::redis::RedisStore::connect(&url)
            .await
            .map_err(|e| format!("cannot reach Redis at HIGHLEVEL_REDIS_URL: {e}"))?;
        Ok(Self(Some(store)))
    }

    /// The location's tokens, in the fleet's store when there is one.
    fn token_source(&self, refresher: OAuthRefresher, location_id: &str) -> ClientBuilder {
        match &self.0 {
            Some(store) => Client::builder_with_source(store.tokens(refresher, location_id)),
            None => Client::builder_with_source(refresher),
        }
    }

    /// HighLevel's burst and daily limits, held for the whole fleet.
    fn limiter(&self, builder: ClientBuilder) -> ClientBuilder {
        let Some(store) = &self.0 else {
            return builder;
        };
        let app =
            std::env::var("HIGHLEVEL_CLIENT_ID").unwrap_or_else(|_| "private-integration".into());
        builder.rate_limiter(
            store
                .limiter(app, RATE_LIMIT_QUOTA)
                .daily_limit(RATE_LIMIT_DAILY_QUOTA),
        )
    }
}

/// Without the `redis` feature, every process is on its own.
#[cfg(not(feature = "redis"))]
struct Fleet;

#[cfg(not(feature = "redis"))]
impl Fleet {
    async fn from_env() -> Result<Self, String> {
        if std::env::var_os("HIGHLEVEL_REDIS_URL").is_some() {
            return Err(
                "HIGHLEVEL_REDIS_URL needs the example built with `--features redis`".into(),
            );
        }
        Ok(Self)
    }

    fn token_source(&self, refresher: OAuthRefresher, _location_id: &str) -> ClientBuilder {
        Client::builder_with_source(refresher)
    }

    fn limiter(&self, builder: ClientBuilder) -> ClientBuilder {
        builder
    }
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

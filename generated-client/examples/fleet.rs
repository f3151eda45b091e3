//! One worker of a fleet that looks after many locations for an OAuth app. Run as many copies
//! as you like, on as many machines: together they keep to HighLevel's limits for each
//! location and refresh each location's rotating token once, through one Redis.
//!
//! ```text
//! export HIGHLEVEL_REDIS_URL=redis://127.0.0.1/ HIGHLEVEL_CLIENT_ID=… HIGHLEVEL_CLIENT_SECRET=…
//! # What the app's OAuth callback does when a location installs it (or is reconnected):
//! cargo run -p highlevel-social-planner --features redis --example fleet -- connect LOCATION REFRESH_TOKEN
//! # Any number of workers, each checking the locations' accounts every minute:
//! cargo run -p highlevel-social-planner --features redis --example fleet -- watch LOCATION…
//! ```
//!
//! `watch` prints the accounts whose connection expired, which someone must reconnect.
//! `HIGHLEVEL_BASE_URL` overrides the server (and the token endpoint under it).

use std::process::ExitCode;
use std::time::Duration;

use highlevel_social_planner::redis::{RedisStore, SharedTokens, WhenRedisFails};
use highlevel_social_planner::{Client, OAuthRefresher, RATE_LIMIT_DAILY_QUOTA, RATE_LIMIT_QUOTA};

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("connect") if args.len() == 3 => connect(&args[1], &args[2]).await,
        Some("watch") if args.len() > 1 => watch(&args[1..]).await,
        _ => Err("usage: fleet connect LOCATION REFRESH_TOKEN | fleet watch LOCATION…".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Stores a location's refresh token for the whole fleet.
async fn connect(location: &str, refresh_token: &str) -> Result<(), String> {
    let fleet = Fleet::from_env().await?;
    fleet
        .tokens(location)
        .set_refresh_token(refresh_token)
        .await
        .map_err(|e| format!("cannot store the token: {e}"))?;
    println!("{location}: connected");
    Ok(())
}

/// Every minute, for each location, lists the accounts whose connection expired.
async fn watch(locations: &[String]) -> Result<(), String> {
    let fleet = Fleet::from_env().await?;
    let clients = locations
        .iter()
        .map(|location| Ok((location, fleet.client(location)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let mut every_minute = tokio::time::interval(Duration::from_secs(60));
    loop {
        every_minute.tick().await;
        for (location, client) in &clients {
            match client.location(location.as_str()).expired_accounts().await {
                Ok(expired) => {
                    for account in &expired {
                        println!(
                            "{location}: reconnect {} ({})",
                            account.name.as_deref().unwrap_or("-"),
                            account.platform.as_ref().map_or("-", |p| p.as_str()),
                        );
                    }
                }
                // Logged and retried next minute: one location's trouble (its budget spent,
                // its token revoked) does not stop the others.
                Err(error) => eprintln!("{location}: {error}"),
            }
        }
    }
}

/// What every worker shares: the Redis, and the app it calls as.
struct Fleet {
    store: RedisStore,
    client_id: String,
    client_secret: String,
    base_url: Option<String>,
}

impl Fleet {
    async fn from_env() -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
        let store = RedisStore::connect(&var("HIGHLEVEL_REDIS_URL")?)
            .await
            .map_err(|e| format!("cannot reach Redis: {e}"))?
            // HighLevel's refresh tokens live a year; abandoned ones leave the store with them.
            .token_ttl(Duration::from_secs(365 * 24 * 3600));
        Ok(Self {
            store,
            client_id: var("HIGHLEVEL_CLIENT_ID")?,
            client_secret: var("HIGHLEVEL_CLIENT_SECRET")?,
            base_url: std::env::var("HIGHLEVEL_BASE_URL").ok(),
        })
    }

    /// The location's tokens in the store. The refresher starts from no refresh token of its
    /// own: `connect` put the location's in the store.
    fn tokens(&self, location: &str) -> SharedTokens {
        let mut refresher: OAuthRefresher =
            Client::oauth_refresher(&self.client_id, &self.client_secret, "")
                .form_field("user_type", "Location");
        if let Some(base_url) = &self.base_url {
            refresher = refresher.token_url(format!("{base_url}/oauth/token"));
        }
        self.store.tokens(refresher, location)
    }

    /// A client for one location: its shared tokens, and the app's budget for it (the burst
    /// and the daily limit) held across the fleet. While Redis is down, each worker keeps to
    /// the limit on its own rather than stopping.
    fn client(&self, location: &str) -> Result<Client, String> {
        let limiter = self
            .store
            .limiter(&self.client_id, RATE_LIMIT_QUOTA)
            .daily_limit(RATE_LIMIT_DAILY_QUOTA)
            .when_redis_fails(WhenRedisFails::LocalLimiter);
        let mut builder = Client::builder_with_source(self.tokens(location)).rate_limiter(limiter);
        if let Some(base_url) = &self.base_url {
            builder = builder.base_url(base_url);
        }
        builder.build().map_err(|e| e.to_string())
    }
}

#![deny(deprecated)]

use highlevel_social_planner::{Client, Error};

async fn profiles(client: &Client) -> Result<(), Error> {
    client.get_twitter_profile("location", "account").await?;
    Ok(())
}

fn main() {
    let _ = profiles;
}

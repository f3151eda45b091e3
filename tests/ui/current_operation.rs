#![deny(deprecated)]

use highlevel_social_planner::{Client, Error};

async fn list(client: &Client) -> Result<(), Error> {
    client.list_accounts("location").await?;
    Ok(())
}

fn main() {
    let _ = list;
}

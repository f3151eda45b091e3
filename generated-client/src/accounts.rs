//! The accounts quick-start: the few things every integration does with a sub-account's
//! connected social accounts, each one call on [`LocationClient`]. Hand-written on top of the
//! generated operations, because they are HighLevel's workflow rather than the spec's.

use crate::types::{Account, DeleteAccountResponse, Platform};
use crate::{Error, LocationClient, Response};

/// The operationId named by the errors of [`LocationClient::oauth_start_url`], which sends
/// nothing.
const START_OAUTH: &str = "start-oauth";

impl LocationClient {
    /// Every social account connected to this sub-account, across platforms.
    ///
    /// ```no_run
    /// # async fn run(client: highlevel_social_planner::Client) -> Result<(), highlevel_social_planner::Error> {
    /// for account in client.location("ve9EPM428h8vShlRW1KT").accounts().await? {
    ///     println!("{:?} {:?}", account.platform, account.name);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`list_accounts`](Self::list_accounts).
    pub async fn accounts(&self) -> Result<Vec<Account>, Error> {
        let listing = self.list_accounts().await?.into_inner();
        Ok(listing
            .results
            .and_then(|results| results.accounts)
            .unwrap_or_default())
    }

    /// The connected accounts of one platform, e.g. `&Platform::Instagram`.
    ///
    /// # Errors
    /// As [`list_accounts`](Self::list_accounts).
    pub async fn accounts_on(&self, platform: &Platform) -> Result<Vec<Account>, Error> {
        let mut accounts = self.accounts().await?;
        accounts.retain(|account| account.platform.as_ref() == Some(platform));
        Ok(accounts)
    }

    /// The connected accounts whose connection has expired: they post nothing until a person
    /// reconnects them ([`oauth_start_url`](Self::oauth_start_url) with `reconnect`).
    ///
    /// # Errors
    /// As [`list_accounts`](Self::list_accounts).
    pub async fn expired_accounts(&self) -> Result<Vec<Account>, Error> {
        let mut accounts = self.accounts().await?;
        accounts.retain(|account| account.is_expired == Some(true));
        Ok(accounts)
    }

    /// The URL that starts connecting an account of `platform` for the HighLevel user
    /// `user_id`: open it in a browser popup (it is not an API call, and nothing is sent). A
    /// platform the spec does not list is used as the API writes it, e.g.
    /// `Platform::from("tiktok-business")`.
    ///
    /// ```no_run
    /// # fn run(client: highlevel_social_planner::Client) -> Result<(), highlevel_social_planner::Error> {
    /// use highlevel_social_planner::types::Platform;
    ///
    /// let url = client
    ///     .location("ve9EPM428h8vShlRW1KT")
    ///     .oauth_start_url(&Platform::Instagram, "u37swmmLbA02zgqKPpxITe2")?;
    /// println!("open {url}");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::Encode`] when the platform's name cannot be a path segment.
    pub fn oauth_start_url(&self, platform: &Platform, user_id: &str) -> Result<String, Error> {
        let slug = platform.as_str();
        let plain = !slug.is_empty()
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !plain {
            return Err(Error::Encode {
                operation: START_OAUTH,
                message: format!("`{slug}` is not a platform's name"),
            });
        }
        let query =
            serde_urlencoded::to_string([("locationId", self.location_id()), ("userId", user_id)])
                .map_err(|e| Error::Encode {
                    operation: START_OAUTH,
                    message: e.to_string(),
                })?;
        Ok(format!(
            "{}/social-media-posting/oauth/{slug}/start?{query}",
            self.client().base_url()
        ))
    }

    /// Disconnects the connected account `account_id` from this sub-account (and from its
    /// account groups).
    ///
    /// # Errors
    /// As [`delete_account`](Self::delete_account).
    pub async fn disconnect(
        &self,
        account_id: &str,
    ) -> Result<Response<DeleteAccountResponse>, Error> {
        self.delete_account(account_id, None).await
    }
}

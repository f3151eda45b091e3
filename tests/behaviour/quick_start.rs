//! The accounts quick-start on `client.location(id)`: listing every account or one
//! platform's, the expired ones, the OAuth start URL and disconnecting, each against what the
//! server answered or received.

use highlevel_social_planner::Error;
use highlevel_social_planner::types::Platform;
use serde_json::json;
use wiremock::matchers::query_param_is_missing;

use crate::common::{
    INSTAGRAM_ACCOUNT, LOCATION, OAUTH_USER, REMOVED_ACCOUNT, assert_one_bare_request,
    envelope_reply, expect_call, serve,
};

/// The listing the server answers: accounts on three platforms, one expired, one of a
/// platform the spec does not know.
fn listing() -> wiremock::ResponseTemplate {
    envelope_reply(
        200,
        "Fetched Accounts",
        json!({
            "accounts": [
                { "id": INSTAGRAM_ACCOUNT, "platform": "instagram", "name": "Shop", "isExpired": false },
                { "id": "g1", "platform": "google", "name": "Shop on Maps", "isExpired": true },
                { "id": "i2", "platform": "instagram", "name": "Old shop", "isExpired": true },
                { "id": "t1", "platform": "threads", "name": "Shop threads" }
            ],
            "groups": []
        }),
    )
}

fn ids(accounts: &[highlevel_social_planner::types::Account]) -> Vec<&str> {
    accounts.iter().map(|a| a.id.as_deref().unwrap()).collect()
}

fn accounts_call() -> wiremock::MockBuilder {
    expect_call("GET", &format!("/social-media-posting/{LOCATION}/accounts"))
}

#[tokio::test]
async fn every_account_in_the_servers_order() {
    let (server, client) = serve([accounts_call()], listing()).await;
    let accounts = client.location(LOCATION).accounts().await.unwrap();
    assert_eq!(ids(&accounts), [INSTAGRAM_ACCOUNT, "g1", "i2", "t1"]);
    assert_one_bare_request(&server).await;
}

#[tokio::test]
async fn one_platforms_accounts_known_or_not() {
    let server = wiremock::MockServer::start().await;
    accounts_call()
        .respond_with(listing())
        .expect(3)
        .mount(&server)
        .await;
    let location = crate::common::client_for(&server).location(LOCATION);
    let instagram = location.accounts_on(&Platform::Instagram).await.unwrap();
    assert_eq!(ids(&instagram), [INSTAGRAM_ACCOUNT, "i2"]);
    let threads = location
        .accounts_on(&Platform::from("threads"))
        .await
        .unwrap();
    assert_eq!(ids(&threads), ["t1"]);
    assert!(
        location
            .accounts_on(&Platform::Linkedin)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_expired_accounts_are_those_the_server_says_expired() {
    let (_server, client) = serve([accounts_call()], listing()).await;
    let expired = client.location(LOCATION).expired_accounts().await.unwrap();
    // `t1` says nothing about expiry: not counted as expired.
    assert_eq!(ids(&expired), ["g1", "i2"]);
}

#[tokio::test]
async fn an_empty_listing_is_no_accounts() {
    let (_server, client) = serve(
        [accounts_call()],
        envelope_reply(200, "Fetched Accounts", json!({})),
    )
    .await;
    assert!(
        client
            .location(LOCATION)
            .accounts()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_failed_listing_is_the_calls_error() {
    let (_server, client) = serve(
        [accounts_call()],
        wiremock::ResponseTemplate::new(401)
            .set_body_json(json!({ "statusCode": 401, "message": "Invalid token" })),
    )
    .await;
    let error = client
        .location(LOCATION)
        .expired_accounts()
        .await
        .unwrap_err();
    assert!(error.is_unauthorized(), "{error:?}");
    assert_eq!(error.operation(), Some("list-accounts"));
}

#[tokio::test]
async fn disconnect_deletes_the_account_without_a_query() {
    let (server, client) = serve(
        [expect_call(
            "DELETE",
            &format!("/social-media-posting/{LOCATION}/accounts/{REMOVED_ACCOUNT}"),
        )
        .and(query_param_is_missing("userId"))],
        envelope_reply(
            200,
            "Deleted",
            json!({ "locationId": LOCATION, "id": REMOVED_ACCOUNT }),
        ),
    )
    .await;
    let response = client
        .location(LOCATION)
        .disconnect(REMOVED_ACCOUNT)
        .await
        .unwrap();
    assert_eq!(response.message, "Deleted");
    assert_one_bare_request(&server).await;
}

#[test]
fn the_oauth_start_url_names_the_platform_location_and_user() {
    let client = highlevel_social_planner::Client::builder("t")
        .base_url("https://mock.test")
        .build()
        .unwrap();
    let location = client.location("loc 1&x");
    assert_eq!(
        location
            .oauth_start_url(&Platform::Instagram, OAUTH_USER)
            .unwrap(),
        format!(
            "https://mock.test/social-media-posting/oauth/instagram/start?locationId=loc+1%26x&userId={OAUTH_USER}"
        )
    );
    assert_eq!(
        location
            .oauth_start_url(&Platform::from("tiktok-business"), "u")
            .unwrap(),
        "https://mock.test/social-media-posting/oauth/tiktok-business/start?locationId=loc+1%26x&userId=u"
    );
    let refused = location
        .oauth_start_url(&Platform::from("../accounts"), "u")
        .unwrap_err();
    assert!(matches!(refused, Error::Encode { .. }), "{refused:?}");
}

//! Helpers shared by the behaviour tests of the generated client (`client*.rs`): the sample
//! ids, a client pointed at a loopback mock server, mocks that insist on the headers every
//! call carries, and checks on what the server received and what the client decoded.
//!
//! Each test target declares `mod common;` and uses only some of these.
#![allow(dead_code, reason = "each test target uses only some of the helpers")]

use highlevel_social_planner::types::{AccountType, AttachAccountResponse, Platform};
use highlevel_social_planner::{Client, Error, Response};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};

/// The token every test client sends; it must never show up in an error.
pub const TOKEN: &str = "test-token";

// ---------------------------------------------------------------------------------------------
// Sample ids, from the spec's examples. Paths are built from these with `format!` so that the
// path a mock expects and the argument a test passes cannot drift apart.
// ---------------------------------------------------------------------------------------------

/// A sub-account (location): the `{locationId}` of most paths.
pub const LOCATION: &str = "ve9EPM428h8vShlRW1KT";
/// A sub-account (location) as the spec writes a `locationId` query parameter
/// (`start-*-oauth`, `get-statistics`).
pub const QUERY_LOCATION: &str = "w37swmmLbA02zgqKPpxITe2";
/// The HighLevel user who starts an OAuth flow (`userId` of `start-*-oauth`).
pub const OAUTH_USER: &str = "u37swmmLbA02zgqKPpxITe2";
/// An OAuth account: the `{accountId}` of the `oauth/{locationId}/<platform>/...` paths.
pub const ACCOUNT: &str = "w37swmmLbA02zgqKPpxITe";
/// A user (`userId` of posts, CSV imports and account removal).
pub const USER: &str = "sdfdsfdsfEWEsdfsdsW32dd";
/// An agency (`companyId`); the spec gives it the same example string as [`USER`].
pub const COMPANY: &str = "sdfdsfdsfEWEsdfsdsW32dd";
/// A connected account to remove: the `{accountId}` of `delete-account`. The spec gives it
/// the same example string as [`POST`].
pub const REMOVED_ACCOUNT: &str = "65fac446d599990d1313c1dd";
/// A post: the `{postId}` of the post paths.
pub const POST: &str = "65fac446d599990d1313c1dd";
/// A second post, for lists of posts.
pub const OTHER_POST: &str = "662791ee3f216822d7da0c8c";
/// A CSV import: the `{csvId}` of the CSV paths.
pub const CSV: &str = "65f92e55cc884f0d0845e447";
/// A post of a CSV import: the `{postId}` of `delete-csv-post`.
pub const CSV_POST: &str = "65f92e55cc884f0d0845e448";
/// A category: the `{id}` of `get-category`.
pub const CATEGORY: &str = "6284c43d519161e96cc09c13";
/// A tag (`tagIds`, a post's `tags`): "Primary Tag".
pub const PRIMARY_TAG: &str = "65fbdcfecc884f07e645ea8b";
/// A second tag: "Launch".
pub const LAUNCH_TAG: &str = "65f151c99bc2bf3aaf970d72";
/// A connected Google Business Profile, as posts and CSV imports name it in `accountIds`.
pub const GOOGLE_ACCOUNT: &str = "aF3KhyL8JIuBwzK3m7Ly_iVrVJ2uoXNF0wzcBzgl5_12554616564525983496";
/// A connected TikTok account, as posts name it in `accountIds`.
pub const TIKTOK_ACCOUNT: &str = "660a83fc29deacac50033e2b_omaDY3RbWtTP511e808O_17841465964543589";
/// A connected Instagram account, as `list-accounts` and CSV imports name it.
pub const INSTAGRAM_ACCOUNT: &str =
    "6494063f4260855c1c5776b5_mhoUgTPkz19vjF5Qu7Av_2774080328752823730";
/// A profile's id on its own platform (`originId` of the attach bodies and accounts).
pub const ORIGIN: &str = "244405****11687";
/// An Instagram page (`pageId` of `attach-instagram-page-group`).
pub const INSTAGRAM_PAGE: &str = "234234234242sd";
/// A social profile (`profileIds` of `get-statistics`).
pub const PROFILE: &str = "67a5a9aa776c837de4aa5b12";
/// A second social profile.
pub const OTHER_PROFILE: &str = "67a5a9aa776c837de4aa5b13";
/// The user who created a post, tag or category (`createdBy`).
pub const CREATOR: &str = "Lx1EI6YIgQYMQi0ytFXv";
/// The user asked to approve a post (`approver` of `postApprovalDetails`).
pub const APPROVER: &str = "iVrVJ2uoXNF0wzcBzgl5";
/// The user asked to approve a CSV import (`approver`).
pub const CSV_APPROVER: &str = "o6241QsiRwUIJHyjuhos";
/// A category queue (`queueId`).
pub const QUEUE: &str = "686ebf10c78c233e45c28d66";
/// An item of that queue (`itemId`).
pub const QUEUE_ITEM: &str = "60af88475f1b2c001f5d5f4b";
/// An edit session of that queue (`sessionId`).
pub const EDIT_SESSION: &str = "60af88475f1b2c001f5d5f4c";
/// A comment, as HighLevel identifies it (`_id`).
pub const COMMENT: &str = "507f1f77bcf86cd799439011";

/// A client that talks to the mock server.
pub fn client_for(server: &MockServer) -> Client {
    Client::builder(TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap()
}

/// A mock for `verb path` that only matches when the headers every call must carry are
/// present; a request without them gets wiremock's 404 and the call fails.
pub fn expect_call(verb: &str, exact_path: &str) -> MockBuilder {
    expect_versioned_call(verb, exact_path, "2021-07-28")
}

/// The same, for a call that sends a JSON body (which must equal `body` exactly: a field
/// that is sent but not listed in `body` makes the mock not match).
pub fn expect_json_call(verb: &str, exact_path: &str, body: serde_json::Value) -> MockBuilder {
    expect_call(verb, exact_path)
        .and(header("Content-Type", "application/json"))
        .and(body_json(body))
}

/// A mock for an operation sent as the v3 edition: the same headers, with `Version: v3`.
pub fn expect_v3_call(verb: &str, exact_path: &str) -> MockBuilder {
    expect_versioned_call(verb, exact_path, "v3")
}

/// The same, for a v3 call that sends a JSON body (equal to `body` exactly).
pub fn expect_v3_json_call(verb: &str, exact_path: &str, body: serde_json::Value) -> MockBuilder {
    expect_v3_call(verb, exact_path)
        .and(header("Content-Type", "application/json"))
        .and(body_json(body))
}

/// A mock for `verb path` sent with the given `Version` header.
pub fn expect_versioned_call(verb: &str, exact_path: &str, version: &str) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(exact_path))
        .and(header("Authorization", "Bearer test-token"))
        .and(header("Version", version))
}

/// Starts a mock server on which each of `mocks` answers `response` and must be called exactly
/// once (wiremock checks that when the server is dropped), and a client pointed at it.
pub async fn serve(
    mocks: impl IntoIterator<Item = MockBuilder>,
    response: ResponseTemplate,
) -> (MockServer, Client) {
    let server = MockServer::start().await;
    for mock in mocks {
        mock.respond_with(response.clone())
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client_for(&server);
    (server, client)
}

/// A response with `status` and the JSON `body`.
pub fn json_reply(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// A response with `status` and the [`envelope`] of `results`, whose `statusCode` is the same.
pub fn envelope_reply(status: u16, message: &str, results: serde_json::Value) -> ResponseTemplate {
    json_reply(status, envelope(status, message, results))
}

/// A response with `status` and a success envelope without `results`, as calls that only
/// confirm answer.
pub fn confirmation_reply(status: u16, message: &str) -> ResponseTemplate {
    json_reply(
        status,
        json!({ "success": true, "statusCode": status, "message": message }),
    )
}

/// Every request the server received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

/// The one request the server received.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// The query strings of every request the server received, in order.
pub async fn received_queries(server: &MockServer) -> Vec<Option<String>> {
    received(server)
        .await
        .iter()
        .map(|r| r.url.query().map(str::to_owned))
        .collect()
}

/// The server received exactly one request, with no query string and no body.
pub async fn assert_one_bare_request(server: &MockServer) {
    let request = only_request(server).await;
    assert_eq!(request.url.query(), None);
    assert_no_body(&request);
}

/// A request without a body also carries no `Content-Type`.
#[track_caller]
pub fn assert_no_body(request: &Request) {
    assert!(request.body.is_empty(), "unexpected body");
    assert!(
        request.headers.get("content-type").is_none(),
        "Content-Type sent without a body"
    );
}

/// Neither `Display` nor `Debug` of an error may reveal the token.
pub fn assert_no_token(err: &Error) {
    let display = err.to_string();
    let debug = format!("{err:?}");
    assert!(!display.contains(TOKEN), "token in Display: {display}");
    assert!(!debug.contains(TOKEN), "token in Debug: {debug}");
}

/// The `success`/`statusCode`/`message`/`results` envelope most responses share.
pub fn envelope(status_code: u16, message: &str, results: serde_json::Value) -> serde_json::Value {
    json!({
        "success": true,
        "statusCode": status_code,
        "message": message,
        "results": results
    })
}

/// Checks the HTTP status of a response and the `success`/`statusCode`/`message` envelope of
/// its body: `assert_envelope!(response, 200, "Fetched Post")`.
macro_rules! assert_envelope {
    ($response:expr, $status:literal, $message:expr) => {{
        let response = &$response;
        assert_eq!(response.status().as_u16(), $status, "HTTP status");
        assert!(response.success, "success");
        assert_eq!(response.status_code, $status, "statusCode");
        assert_eq!(response.message, $message, "message");
    }};
}
#[allow(unused_imports, reason = "not every test target checks an envelope")]
pub(crate) use assert_envelope;

/// The shape of a successful `attach-*` response (201), as in the spec's examples.
pub fn attach_response(platform: &str, message: &str) -> serde_json::Value {
    envelope(
        201,
        message,
        json!({
            "_id": "65f2d989a4f2f1e5322c3856",
            "oAuthId": "u37swmmLbA02zgqKPpxITe2",
            "oldId": "old37swmmLbA02zgqKPpxITe2",
            "locationId": LOCATION,
            "originId": ORIGIN,
            "platform": platform,
            "type": "profile",
            "name": "Profile Name",
            "avatar": "ava37swmmLbA02zgqKPpxITe2",
            "meta": { "username": "testUser", "verified": true },
            "active": true,
            "deleted": false,
            "createdAt": "2024-03-14T11:03:37.015Z",
            "updatedAt": "2024-03-15T08:00:00.000Z"
        }),
    )
}

/// Checks a decoded `attach-*` response against [`attach_response`] (with its `type` set to
/// `account_type`): the 201 envelope and every field of the connected account.
#[track_caller]
pub fn assert_attached(
    response: &Response<AttachAccountResponse>,
    platform: Platform,
    account_type: AccountType,
    message: &str,
) {
    assert_envelope!(response, 201, message);
    let account = response.results.as_ref().expect("the connected account");
    assert_eq!(account.id.as_deref(), Some("65f2d989a4f2f1e5322c3856"));
    assert_eq!(
        account.o_auth_id.as_deref(),
        Some("u37swmmLbA02zgqKPpxITe2")
    );
    assert_eq!(account.old_id.as_deref(), Some("old37swmmLbA02zgqKPpxITe2"));
    assert_eq!(account.location_id.as_deref(), Some(LOCATION));
    assert_eq!(account.origin_id.as_deref(), Some(ORIGIN));
    assert_eq!(account.platform, Some(platform));
    assert_eq!(account.r#type, Some(account_type));
    assert_eq!(account.name.as_deref(), Some("Profile Name"));
    assert_eq!(account.avatar.as_deref(), Some("ava37swmmLbA02zgqKPpxITe2"));
    let meta = account.meta.as_ref().expect("meta");
    assert_eq!(meta["username"], "testUser");
    assert_eq!(meta["verified"], true);
    assert_eq!(account.active, Some(true));
    assert_eq!(account.deleted, Some(false));
    assert_eq!(
        account.created_at.as_deref(),
        Some("2024-03-14T11:03:37.015Z")
    );
    assert_eq!(
        account.updated_at.as_deref(),
        Some("2024-03-15T08:00:00.000Z")
    );
}

//! Helpers shared by the behaviour tests of the generated client (`client*.rs`): a client
//! pointed at a loopback mock server, mocks that insist on the headers every call carries,
//! and checks on what the server received.
//!
//! Each test target declares `mod common;` and uses only some of these.
#![allow(dead_code, reason = "each test target uses only some of the helpers")]

use highlevel_social_planner::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};

/// The token every test client sends; it must never show up in an error.
pub const TOKEN: &str = "test-token";

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
    Mock::given(method(verb))
        .and(path(exact_path))
        .and(header("Authorization", "Bearer test-token"))
        .and(header("Version", "2021-07-28"))
}

/// The same, for a call that sends a JSON body (which must equal `body` exactly: a field
/// that is sent but not listed in `body` makes the mock not match).
pub fn expect_json_call(verb: &str, exact_path: &str, body: serde_json::Value) -> MockBuilder {
    expect_call(verb, exact_path)
        .and(header("Content-Type", "application/json"))
        .and(body_json(body))
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

/// A request without a body also carries no `Content-Type`.
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

/// The shape of a successful `attach-*` response (201), as in the spec's examples.
pub fn attach_response(platform: &str, message: &str) -> serde_json::Value {
    envelope(
        201,
        message,
        json!({
            "_id": "65f2d989a4f2f1e5322c3856",
            "oAuthId": "u37swmmLbA02zgqKPpxITe2",
            "oldId": "old37swmmLbA02zgqKPpxITe2",
            "locationId": "ve9EPM428h8vShlRW1KT",
            "originId": "244405****11687",
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

/// Mounts the two calls each `start-*-oauth` test makes: one with every optional parameter
/// set, one with none. The login page is HTML, which the client must not try to decode.
pub async fn mount_start_oauth(server: &MockServer, exact_path: &str) {
    let login_page = ResponseTemplate::new(200).set_body_raw("<html>login</html>", "text/html");
    expect_call("GET", exact_path)
        .and(query_param("locationId", "loc 1"))
        .and(query_param("userId", "u/1"))
        .and(query_param("page", "integration"))
        .and(query_param("reconnect", "true"))
        .respond_with(login_page.clone())
        .expect(1)
        .mount(server)
        .await;
    expect_call("GET", exact_path)
        .and(query_param("locationId", "w37swmmLbA02zgqKPpxITe2"))
        .and(query_param("userId", "u37swmmLbA02zgqKPpxITe2"))
        .and(query_param_is_missing("page"))
        .and(query_param_is_missing("reconnect"))
        .respond_with(login_page)
        .expect(1)
        .mount(server)
        .await;
}

/// Checks the exact query strings of the two `start-*-oauth` calls.
pub async fn assert_start_oauth_queries(server: &MockServer) {
    let requests = received(server).await;
    let queries: Vec<_> = requests.iter().map(|r| r.url.query()).collect();
    assert_eq!(
        queries,
        [
            Some("locationId=loc+1&userId=u%2F1&page=integration&reconnect=true"),
            Some("locationId=w37swmmLbA02zgqKPpxITe2&userId=u37swmmLbA02zgqKPpxITe2"),
        ]
    );
    requests.iter().for_each(assert_no_body);
}

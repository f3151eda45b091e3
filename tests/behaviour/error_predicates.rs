//! The error predicates on real error responses: each decision (`is_rate_limited`,
//! `is_retryable`, `is_unauthorized`, `is_not_found`) and the status, whether the spec
//! documents the status (a parsed `Error::Api`) or not (`Error::UnexpectedStatus`).

use highlevel_social_planner::{Client, Error, RetryPolicy, StatusCode};
use serde_json::json;
use wiremock::ResponseTemplate;

use crate::common::{LOCATION, client_for, expect_call};

/// The error `get-post` returns when the server answers `response`, without retries.
async fn error_for(response: ResponseTemplate) -> Error {
    let server = wiremock::MockServer::start().await;
    expect_call("GET", &format!("/social-media-posting/{LOCATION}/posts/p1"))
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).with_retry(RetryPolicy::none());
    client.get_post(LOCATION, "p1").await.unwrap_err()
}

/// `(status, rate limited, retryable, unauthorized, not found)` of `error`.
fn decisions(error: &Error) -> (Option<u16>, bool, bool, bool, bool) {
    (
        error.status().map(|s| s.as_u16()),
        error.is_rate_limited(),
        error.is_retryable(),
        error.is_unauthorized(),
        error.is_not_found(),
    )
}

#[tokio::test]
async fn each_status_answers_its_own_question() {
    let body = json!({ "statusCode": 0, "message": "no" });
    for (status, expected) in [
        (429, (Some(429), true, true, false, false)),
        (401, (Some(401), false, false, true, false)),
        (404, (Some(404), false, false, false, true)),
        (503, (Some(503), false, true, false, false)),
        (502, (Some(502), false, true, false, false)),
        (422, (Some(422), false, false, false, false)),
        (400, (Some(400), false, false, false, false)),
        (500, (Some(500), false, false, false, false)),
    ] {
        let error = error_for(ResponseTemplate::new(status).set_body_json(&body)).await;
        assert_eq!(decisions(&error), expected, "{status}: {error}");
    }
}

#[tokio::test]
async fn documented_and_undocumented_statuses_are_asked_alike() {
    // 401 is documented (a parsed body), 404 is not: the same calls answer both.
    let unauthorized = error_for(
        ResponseTemplate::new(401).set_body_json(json!({ "statusCode": 401, "message": "no" })),
    )
    .await;
    assert!(
        matches!(unauthorized, Error::Api { .. }),
        "{unauthorized:?}"
    );
    assert_eq!(unauthorized.status(), Some(StatusCode::UNAUTHORIZED));
    let missing = error_for(ResponseTemplate::new(404).set_body_string("gone")).await;
    assert!(
        matches!(missing, Error::UnexpectedStatus { .. }),
        "{missing:?}"
    );
    assert_eq!(missing.status(), Some(StatusCode::NOT_FOUND));
    // A status matched in one `match`, without the variants or their bodies.
    let handled = |error: &Error| match error.status() {
        Some(StatusCode::UNAUTHORIZED) => "reconnect",
        Some(StatusCode::NOT_FOUND) => "skip",
        _ => "fail",
    };
    assert_eq!(handled(&unauthorized), "reconnect");
    assert_eq!(handled(&missing), "skip");
}

#[tokio::test]
async fn a_connection_that_fails_is_retryable_and_has_no_status() {
    // Nothing listens on port 1.
    let client = Client::builder("token")
        .base_url("http://127.0.0.1:1")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.get_post(LOCATION, "p1").await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(decisions(&error), (None, false, true, false, false));
}

//! Fault injection: what the client does when the network, the server or the token misbehave.
//! Each case asserts the typed outcome and how many requests the server saw.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use highlevel_social_planner::types::{CreatePostRequest, Platform, PostType};
use highlevel_social_planner::{Client, Error, RateLimiter, RetryPolicy, StatusCode};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "fault-token";
const LOCATION: &str = "ve9EPM428h8vShlRW1KT";
const ACCOUNTS: &str = "/social-media-posting/ve9EPM428h8vShlRW1KT/accounts";
const POSTS: &str = "/social-media-posting/ve9EPM428h8vShlRW1KT/posts";

/// The default policy with short waits, so that the cases run in milliseconds.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(5))
}

fn client(uri: &str) -> Client {
    Client::builder(TOKEN)
        .base_url(uri)
        .retry(quick_retries())
        .build()
        .unwrap()
}

fn listing() -> serde_json::Value {
    json!({
        "success": true,
        "statusCode": 200,
        "message": "Fetched Accounts",
        "results": {"accounts": [{"id": "acc-1", "platform": "instagram", "isExpired": false}], "groups": []}
    })
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// Mounts `status` answers for the first `times` requests to `verb route`.
async fn fail_first(
    server: &MockServer,
    verb: &str,
    route: &str,
    times: u64,
    answer: ResponseTemplate,
) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(answer)
        .up_to_n_times(times)
        .mount(server)
        .await;
}

async fn then_succeed(server: &MockServer, verb: &str, route: &str, answer: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(answer)
        .mount(server)
        .await;
}

fn assert_no_secret(err: &Error, secrets: &[&str]) {
    let text = format!("{err} {err:?}");
    for secret in secrets {
        assert!(!text.contains(secret), "secret `{secret}` in {text}");
    }
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_after_the_asked_wait() {
    let server = MockServer::start().await;
    fail_first(
        &server,
        "GET",
        ACCOUNTS,
        1,
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
    )
    .await;
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(200).set_body_json(listing()),
    )
    .await;

    let started = Instant::now();
    let response = client(&server.uri()).list_accounts(LOCATION).await.unwrap();

    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the client waited as asked"
    );
    assert_eq!(response.meta().attempts(), 2);
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_429_without_retry_after_backs_off_and_a_post_is_resent() {
    let server = MockServer::start().await;
    fail_first(&server, "POST", POSTS, 2, ResponseTemplate::new(429)).await;
    then_succeed(
        &server,
        "POST",
        POSTS,
        ResponseTemplate::new(201)
            .set_body_json(json!({"success": true, "statusCode": 201, "message": "Created"})),
    )
    .await;

    let post = CreatePostRequest::new(["acc-1"], PostType::Post, "user-1");
    let response = client(&server.uri())
        .create_post(LOCATION, &post)
        .await
        .unwrap();

    // A 429 means the server did nothing: even a POST is safe to send again.
    assert_eq!(response.meta().attempts(), 3);
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test]
async fn a_retry_after_beyond_the_policy_returns_the_429_at_once() {
    let server = MockServer::start().await;
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "3600")
            .insert_header("X-RateLimit-Remaining", "0")
            .insert_header("X-RateLimit-Max", "100")
            .set_body_string("Too Many Requests"),
    )
    .await;

    let err = client(&server.uri())
        .list_accounts(LOCATION)
        .await
        .unwrap_err();

    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(err.attempts(), 1);
    let limit = err
        .rate_limit()
        .expect("rate-limit headers are carried by the error");
    assert_eq!((limit.remaining, limit.max), (Some(0), Some(100)));
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_5xx_sequence_that_recovers_is_invisible_but_counted() {
    let server = MockServer::start().await;
    for status in [502, 503, 504] {
        fail_first(&server, "GET", ACCOUNTS, 1, ResponseTemplate::new(status)).await;
    }
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(200).set_body_json(listing()),
    )
    .await;

    let response = client(&server.uri()).list_accounts(LOCATION).await.unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.meta().attempts(), 4);
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test]
async fn a_5xx_sequence_that_does_not_recover_ends_with_the_last_answer() {
    let server = MockServer::start().await;
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(503).set_body_string("down"),
    )
    .await;

    let err = client(&server.uri())
        .list_accounts(LOCATION)
        .await
        .unwrap_err();

    let Error::UnexpectedStatus { status, body, .. } = &err else {
        panic!("expected an unexpected status, got {err:?}");
    };
    assert_eq!(*status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, "down");
    assert_eq!(err.attempts(), 4, "the first attempt and 3 retries");
    assert!(err.to_string().contains("after 4 attempts"), "{err}");
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = MockServer::start().await;
    then_succeed(&server, "GET", ACCOUNTS, ResponseTemplate::new(503)).await;

    let quiet = client(&server.uri()).with_retry(RetryPolicy::none());
    let err = quiet.list_accounts(LOCATION).await.unwrap_err();

    assert_eq!(err.attempts(), 1);
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_post_is_not_resent_after_a_503_unless_allowed() {
    let server = MockServer::start().await;
    then_succeed(&server, "POST", POSTS, ResponseTemplate::new(503)).await;
    let post = CreatePostRequest::new(["acc-1"], PostType::Post, "user-1");

    let err = client(&server.uri())
        .create_post(LOCATION, &post)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(err.attempts(), 1);
    assert_eq!(
        requests(&server).await,
        1,
        "the post may exist: it is not sent twice"
    );

    let bold = client(&server.uri()).with_retry(quick_retries().retry_unsafe(true));
    let err = bold.create_post(LOCATION, &post).await.unwrap_err();
    assert_eq!(err.attempts(), 4);
    assert_eq!(requests(&server).await, 5);
}

#[tokio::test]
async fn a_response_slower_than_the_timeout_is_a_timeout_error() {
    let server = MockServer::start().await;
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(200)
            .set_body_json(listing())
            .set_delay(Duration::from_secs(2)),
    )
    .await;
    let impatient = client(&server.uri()).with_timeout(Duration::from_millis(100));

    let err = impatient
        .with_retry(RetryPolicy::none())
        .list_accounts(LOCATION)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), 1);

    // A GET that timed out is retried: it cannot have changed anything.
    let err = impatient
        .with_retry(quick_retries().max_retries(2))
        .list_accounts(LOCATION)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test]
async fn a_default_timeout_can_be_set_per_client() {
    let server = MockServer::start().await;
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(200)
            .set_body_json(listing())
            .set_delay(Duration::from_millis(500)),
    )
    .await;
    let impatient = Client::builder(TOKEN)
        .base_url(server.uri())
        .timeout(Duration::from_millis(50))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();

    assert!(
        impatient
            .list_accounts(LOCATION)
            .await
            .unwrap_err()
            .is_timeout()
    );
    // The same client with a longer timeout for one call.
    let patient = impatient.with_timeout(Duration::from_secs(5));
    assert!(patient.list_accounts(LOCATION).await.is_ok());
}

/// A server that answers every connection with the start of a 200 and then hangs up.
async fn cut_off_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connections);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut request = [0_u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"success\":true,";
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (format!("http://{address}"), connections)
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_a_transport_error_after_retries() {
    let (uri, connections) = cut_off_server().await;

    let err = client(&uri).list_accounts(LOCATION).await.unwrap_err();

    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(err.attempts(), 4);
    assert_eq!(connections.load(Ordering::SeqCst), 4);

    // A POST cut off mid-answer may have been acted on: one attempt only.
    let post = CreatePostRequest::new(["acc-1"], PostType::Post, "user-1");
    let err = client(&uri).create_post(LOCATION, &post).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 1, .. }),
        "{err:?}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_post() {
    // Bind and drop: nothing listens on the port any more.
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let post = CreatePostRequest::new(["acc-1"], PostType::Post, "user-1");

    let err = client(&format!("http://{address}"))
        .create_post(LOCATION, &post)
        .await
        .unwrap_err();

    // The request never left, so sending it again was safe.
    assert!(
        matches!(err, Error::Transport { attempts: 4, .. }),
        "{err:?}"
    );
    assert_no_secret(&err, &[TOKEN]);
}

#[tokio::test]
async fn malformed_and_truncated_json_are_decode_errors_naming_the_place() {
    let server = MockServer::start().await;
    fail_first(
        &server,
        "GET",
        ACCOUNTS,
        1,
        ResponseTemplate::new(200).set_body_raw("{\"success\": tru", "application/json"),
    )
    .await;
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(200).set_body_raw(
            r#"{"success":true,"statusCode":200,"message":"x","results":{"accounts":[{"id":"a"#,
            "application/json",
        ),
    )
    .await;
    let client = client(&server.uri());

    let err = client.list_accounts(LOCATION).await.unwrap_err();
    let Error::Decode { path, message, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "success");
    assert!(message.contains("EOF while parsing"), "{message}");

    let err = client.list_accounts(LOCATION).await.unwrap_err();
    let Error::Decode {
        path,
        message,
        body,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(path, "results.accounts[0].id");
    assert!(message.contains("EOF"), "{message}");
    assert!(body.ends_with("\"a"), "the body is kept for diagnosis");
    // A well-formed HTTP answer with a broken body is not a transient failure.
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn an_html_error_page_is_kept_as_text() {
    let server = MockServer::start().await;
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(502).set_body_raw(page, "text/html"),
    )
    .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let client = client(&server.uri());

    let err = client.list_accounts(LOCATION).await.unwrap_err();
    let Error::UnexpectedStatus { status, body, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*status, StatusCode::BAD_GATEWAY);
    assert_eq!(body, page);
    assert_eq!(err.attempts(), 4);

    // An HTML page where JSON was promised, with a success status.
    let err = client
        .delete_account(LOCATION, "acc-1", None)
        .await
        .unwrap_err();
    let Error::Decode { path, body, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, ".");
    assert_eq!(body, page);
    assert_eq!(requests(&server).await, 5);
}

#[tokio::test]
async fn unknown_enum_values_extra_fields_and_nulls_are_tolerated() {
    let server = MockServer::start().await;
    let body = json!({
        "success": true,
        "statusCode": 200,
        "message": "Fetched Accounts",
        "addedLater": {"anything": [1, 2]},
        "results": {
            "accounts": [
                {"id": "a1", "platform": "chirpline", "type": "channel", "isExpired": null, "name": null, "shinyNewField": 7},
                {"id": "a2", "platform": "instagram"}
            ],
            "groups": null
        }
    });
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(200).set_body_json(body),
    )
    .await;

    let response = client(&server.uri())
        .list_accounts(LOCATION)
        .await
        .unwrap()
        .into_inner();

    let results = response.results.unwrap();
    assert!(results.groups.is_none(), "null reads as absent");
    let accounts = results.accounts.unwrap();
    // Kept as an opaque value: readable and printable, equal to the same text parsed again.
    let chirpline = accounts[0].platform.as_ref().unwrap();
    let Platform::Unknown(value) = chirpline else {
        panic!("{chirpline:?}")
    };
    assert_eq!(value.as_str(), "chirpline");
    assert_eq!(value.to_string(), "chirpline");
    assert_eq!(chirpline.as_str(), "chirpline");
    assert_eq!(chirpline.to_string(), "chirpline");
    assert_eq!(*chirpline, Platform::from("chirpline"));
    assert_eq!(accounts[0].is_expired, None);
    assert_eq!(accounts[0].name, None);
    assert_eq!(accounts[1].platform, Some(Platform::Instagram));
    // An unknown value goes back out as it came in.
    assert_eq!(
        serde_json::to_value(&accounts[0].platform).unwrap(),
        json!("chirpline")
    );
}

#[tokio::test]
async fn rate_limits_and_the_trace_id_are_readable_after_a_success() {
    let server = MockServer::start().await;
    let mut body = listing();
    body["traceId"] = json!("trace-7c1f");
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(200)
            .set_body_json(body)
            .insert_header("X-RateLimit-Limit-Daily", "200000")
            .insert_header("X-RateLimit-Daily-Remaining", "199321")
            .insert_header("X-RateLimit-Interval-Milliseconds", "10000")
            .insert_header("X-RateLimit-Max", "100")
            .insert_header("X-RateLimit-Remaining", "98"),
    )
    .await;
    let client = client(&server.uri());
    assert_eq!(client.rate_limit(), None, "nothing reported yet");

    let response = client.list_accounts(LOCATION).await.unwrap();

    let expected = response.rate_limit().expect("the headers are read");
    assert_eq!(expected.daily_limit, Some(200_000));
    assert_eq!(expected.daily_remaining, Some(199_321));
    assert_eq!(expected.interval, Some(Duration::from_secs(10)));
    assert_eq!(expected.max, Some(100));
    assert_eq!(expected.remaining, Some(98));
    assert_eq!(expected.reset, None, "HighLevel sends no reset header");
    assert_eq!(response.trace_id(), Some("trace-7c1f"));
    assert_eq!(
        client.rate_limit(),
        Some(expected),
        "the client keeps the latest report"
    );
}

#[tokio::test]
async fn the_limiter_keeps_a_burst_under_the_limit_per_location() {
    let server = MockServer::start().await;
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(200).set_body_json(listing()),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/social-media-posting/other-location/accounts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(listing()))
        .mount(&server)
        .await;
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .rate_limiter(RateLimiter::new(2, Duration::from_millis(400)))
        .build()
        .unwrap();

    let started = Instant::now();
    for _ in 0..2 {
        client.list_accounts(LOCATION).await.unwrap();
    }
    // Another location has a budget of its own: no wait.
    client.list_accounts("other-location").await.unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
    // The third call for the first location waits for the window to move.
    client.list_accounts(LOCATION).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await, 4);
}

/// An OAuth token endpoint that hands out `new-access-N` and `new-refresh-N`.
async fn token_endpoint(server: &MockServer, delay: Duration) {
    let issued = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("Content-Type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("client_id=app-id"))
        .and(body_string_contains("client_secret=app-secret"))
        .respond_with(move |request: &wiremock::Request| {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            let form = String::from_utf8_lossy(&request.body).into_owned();
            let expected = if n == 1 {
                "refresh_token=refresh-0".to_owned()
            } else {
                format!("refresh_token=new-refresh-{}", n - 1)
            };
            assert!(
                form.contains(&expected),
                "the rotated refresh token is used: {form}"
            );
            ResponseTemplate::new(200)
                .set_delay(delay)
                .set_body_json(json!({
                    "access_token": format!("new-access-{n}"),
                    "token_type": "Bearer",
                    "expires_in": 86399,
                    "refresh_token": format!("new-refresh-{n}"),
                    "userType": "Location"
                }))
        })
        .mount(server)
        .await;
}

fn token_requests(requests: &[wiremock::Request]) -> usize {
    requests
        .iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .count()
}

#[tokio::test]
async fn a_401_that_a_refresh_cures_is_retried_once_with_the_new_token() {
    let server = MockServer::start().await;
    token_endpoint(&server, Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path(ACCOUNTS))
        .and(header("Authorization", "Bearer new-access-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(listing()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ACCOUNTS))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"statusCode": 401, "message": "Invalid JWT"})),
        )
        .mount(&server)
        .await;
    let stored = Arc::new(Mutex::new(Vec::new()));
    let store = Arc::clone(&stored);
    let refresher = Client::oauth_refresher("app-id", "app-secret", "refresh-0")
        .token_url(format!("{}/oauth/token", server.uri()))
        .access_token("revoked-access", Duration::from_secs(3600))
        .on_refresh(move |tokens| {
            store
                .lock()
                .unwrap()
                .push(tokens.refresh_token.as_ref().unwrap().expose().to_owned());
            async { Ok(()) }
        });
    let client = Client::builder_with_source(refresher.clone())
        .base_url(server.uri())
        .build()
        .unwrap();

    let response = client.list_accounts(LOCATION).await.unwrap();

    assert_eq!(response.meta().attempts(), 2);
    let seen = server.received_requests().await.unwrap();
    assert_eq!(token_requests(&seen), 1);
    assert_eq!(seen.len(), 3, "401, refresh, retry");
    assert_eq!(
        *stored.lock().unwrap(),
        ["new-refresh-1"],
        "the rotated token is handed over"
    );
    assert_eq!(refresher.refresh_count().await, 1);
}

#[tokio::test]
async fn a_401_after_a_refresh_is_returned_not_retried_forever() {
    let server = MockServer::start().await;
    token_endpoint(&server, Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path(ACCOUNTS))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"statusCode": 401, "message": "Invalid JWT"})),
        )
        .mount(&server)
        .await;
    let refresher = Client::oauth_refresher("app-id", "app-secret", "refresh-0")
        .token_url(format!("{}/oauth/token", server.uri()))
        .access_token("revoked-access", Duration::from_secs(3600));
    let client = Client::builder_with_source(refresher)
        .base_url(server.uri())
        .build()
        .unwrap();

    let err = client.list_accounts(LOCATION).await.unwrap_err();

    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert!(matches!(err, Error::Api { .. }), "{err:?}");
    let seen = server.received_requests().await.unwrap();
    assert_eq!((seen.len(), token_requests(&seen)), (3, 1));
    assert_no_secret(
        &err,
        &[
            "app-secret",
            "refresh-0",
            "new-access-1",
            "new-refresh-1",
            "revoked-access",
        ],
    );
}

#[tokio::test]
async fn twenty_concurrent_calls_with_an_expired_token_share_one_refresh() {
    let server = MockServer::start().await;
    // A slow token endpoint, so that every call arrives while the refresh is in flight.
    token_endpoint(&server, Duration::from_millis(200)).await;
    Mock::given(method("GET"))
        .and(path(ACCOUNTS))
        .and(header("Authorization", "Bearer new-access-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(listing()))
        .mount(&server)
        .await;
    let refresher = Client::oauth_refresher("app-id", "app-secret", "refresh-0")
        .token_url(format!("{}/oauth/token", server.uri()))
        .access_token("expired-access", Duration::ZERO);
    let client = Client::builder_with_source(refresher.clone())
        .base_url(server.uri())
        .build()
        .unwrap();

    let calls = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.list_accounts(LOCATION).await })
    });
    let results = futures_util::future::join_all(calls).await;

    for result in results {
        let response = result.expect("no panic").expect("the call succeeds");
        assert_eq!(
            response.meta().attempts(),
            1,
            "the expiry was seen before sending"
        );
    }
    let seen = server.received_requests().await.unwrap();
    assert_eq!(token_requests(&seen), 1, "one refresh for all twenty");
    assert_eq!(seen.len(), 21);
    assert_eq!(refresher.refresh_count().await, 1);
}

#[tokio::test]
async fn a_refused_refresh_is_an_auth_error_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": "invalid_grant", "error_description": "refresh token is invalid"}),
        ))
        .mount(&server)
        .await;
    let refresher = Client::oauth_refresher("app-id", "app-secret", "refresh-0")
        .token_url(format!("{}/oauth/token", server.uri()));
    let client = Client::builder_with_source(refresher)
        .base_url(server.uri())
        .build()
        .unwrap();

    let err = client.list_accounts(LOCATION).await.unwrap_err();

    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert!(
        format!("{err:#}").contains("invalid_grant")
            || std::error::Error::source(&err)
                .unwrap()
                .to_string()
                .contains("invalid_grant")
    );
    assert_no_secret(&err, &["app-secret", "refresh-0"]);
    let seen = server.received_requests().await.unwrap();
    assert_eq!(
        (seen.len(), token_requests(&seen)),
        (1, 1),
        "no API call without a token"
    );
}

// ---------------------------------------------------------------------------------------------
// Secrets stay with the API's host: redirects are answers, never followed.
// ---------------------------------------------------------------------------------------------

/// A second host that records whatever reaches it.
async fn elsewhere() -> MockServer {
    let other = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(listing()))
        .mount(&other)
        .await;
    other
}

#[tokio::test]
async fn a_redirect_is_returned_and_no_credential_reaches_another_host() {
    let other = elsewhere().await;
    let server = MockServer::start().await;
    for status in [301, 302, 303, 307, 308] {
        server.reset().await;
        Mock::given(method("GET"))
            .and(path(ACCOUNTS))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("Location", format!("{}/collect", other.uri())),
            )
            .mount(&server)
            .await;

        let err = client(&server.uri())
            .list_accounts(LOCATION)
            .await
            .unwrap_err();

        assert!(
            matches!(&err, Error::UnexpectedStatus { status: s, .. } if s.as_u16() == status),
            "{status}: {err:?}"
        );
        assert_eq!(requests(&server).await, 1, "{status}: not retried");
    }
    assert_eq!(requests(&other).await, 0, "nothing reached the other host");
}

#[tokio::test]
async fn the_token_endpoint_is_not_followed_to_a_redirect() {
    let other = elsewhere().await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(307).insert_header("Location", format!("{}/token", other.uri())),
        )
        .mount(&server)
        .await;
    let refresher = Client::oauth_refresher("app-id", "app-secret", "refresh-0")
        .token_url(format!("{}/oauth/token", server.uri()));
    let client = Client::builder_with_source(refresher)
        .base_url(server.uri())
        .build()
        .unwrap();

    let err = client.list_accounts(LOCATION).await.unwrap_err();

    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert_no_secret(&err, &["app-secret", "refresh-0"]);
    assert_eq!(requests(&server).await, 1, "one refresh, no API call");
    assert_eq!(requests(&other).await, 0, "the form went nowhere else");
}

// ---------------------------------------------------------------------------------------------
// Bounded: a deadline per call, a cap on response bodies.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_deadline_covers_every_attempt_and_says_how_many_were_made() {
    let server = MockServer::start().await;
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(503).set_delay(Duration::from_millis(300)),
    )
    .await;
    let started = Instant::now();

    let err = client(&server.uri())
        .with_deadline(Duration::from_millis(500))
        .list_accounts(LOCATION)
        .await
        .unwrap_err();

    assert!(
        matches!(err, Error::Deadline { attempts: 2, .. }),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert!(err.to_string().contains("after 2 attempts"), "{err}");
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_retry_whose_wait_would_pass_the_deadline_is_not_started() {
    let server = MockServer::start().await;
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(429).insert_header("Retry-After", "2"),
    )
    .await;
    let started = Instant::now();

    let err = client(&server.uri())
        .with_deadline(Duration::from_secs(1))
        .list_accounts(LOCATION)
        .await
        .unwrap_err();

    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await, 1);
}

/// A server whose every answer is a 200 with a chunked body that never ends; counts the bytes
/// it managed to write.
async fn endless_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let written = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&written);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                let mut request = [0_u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                            Transfer-Encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("4000\r\n{}\r\n", "a".repeat(0x4000));
                while socket.write_all(chunk.as_bytes()).await.is_ok() {
                    counter.fetch_add(0x4000, Ordering::SeqCst);
                }
            });
        }
    });
    (format!("http://{address}"), written)
}

#[tokio::test]
async fn an_endless_body_stops_at_the_size_cap() {
    let (uri, written) = endless_server().await;
    let client = Client::builder(TOKEN)
        .base_url(uri)
        .max_response_size(256 * 1024)
        .build()
        .unwrap();

    let err = client.list_accounts(LOCATION).await.unwrap_err();

    assert!(
        matches!(&err, Error::TooLarge { limit: 262_144, .. }),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_eq!(err.attempts(), 1, "a body too large is not retried");
    // The client stopped reading: the server could only fill the cap and the socket buffers.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let sent = written.load(Ordering::SeqCst);
    assert!(sent < 16 * 1024 * 1024, "the server wrote {sent} bytes");
}

#[tokio::test]
async fn a_declared_length_over_the_cap_is_refused_before_reading() {
    let server = MockServer::start().await;
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(200).set_body_string("x".repeat(2048)),
    )
    .await;
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .max_response_size(1024)
        .build()
        .unwrap();

    let err = client.list_accounts(LOCATION).await.unwrap_err();
    assert!(
        matches!(err, Error::TooLarge { limit: 1024, .. }),
        "{err:?}"
    );

    let roomy = Client::builder(TOKEN)
        .base_url(server.uri())
        .max_response_size(2048)
        .build()
        .unwrap();
    let err = roomy.list_accounts(LOCATION).await.unwrap_err();
    assert!(
        matches!(err, Error::Decode { .. }),
        "a body of exactly the cap is read: {err:?}"
    );
}

#[tokio::test]
async fn an_api_error_shows_an_excerpt_and_keeps_the_whole_body() {
    let server = MockServer::start().await;
    let message = "too long ".repeat(10_000);
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(400).set_body_json(json!({"statusCode": 400, "message": message})),
    )
    .await;

    let err = client(&server.uri())
        .list_accounts(LOCATION)
        .await
        .unwrap_err();

    assert!(err.to_string().len() < 500, "{}", err.to_string().len());
    let body = err.api_body().expect("a documented error").to_json();
    assert!(body.contains(&message), "the whole message is kept");
}

// ---------------------------------------------------------------------------------------------
// The rate limiter and the server's reports.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn waiting_calls_are_served_in_the_order_they_came() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(listing()))
        .mount(&server)
        .await;
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .rate_limiter(RateLimiter::new(1, Duration::from_millis(100)))
        .build()
        .unwrap();
    let started = Instant::now();

    let mut calls = Vec::new();
    for n in 0..4 {
        let client = client.clone();
        calls.push(tokio::spawn(async move {
            // Each comes 5 ms after the one before; all but the first must wait.
            tokio::time::sleep(Duration::from_millis(5 * n)).await;
            client.get_post(LOCATION, &format!("post-{n}")).await
        }));
    }
    for call in calls {
        let _ = call.await.unwrap();
    }

    let order: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().rsplit('/').next().unwrap().to_owned())
        .collect();
    assert_eq!(order, ["post-0", "post-1", "post-2", "post-3"]);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

/// A token source that fails its first call, then hands out a token.
#[derive(Debug, Default)]
struct FailsOnce(AtomicUsize);

impl highlevel_social_planner::TokenSource for FailsOnce {
    fn token(
        &self,
    ) -> highlevel_social_planner::BoxFuture<
        '_,
        Result<highlevel_social_planner::Token, highlevel_social_planner::BoxError>,
    > {
        let first = self.0.fetch_add(1, Ordering::SeqCst) == 0;
        Box::pin(async move {
            if first {
                Err("the store is down".into())
            } else {
                Ok(TOKEN.into())
            }
        })
    }
}

#[tokio::test]
async fn the_limiter_slot_is_taken_only_once_the_token_is_ready() {
    let server = MockServer::start().await;
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(200).set_body_json(listing()),
    )
    .await;
    let client = Client::builder_with_source(FailsOnce::default())
        .base_url(server.uri())
        .rate_limiter(RateLimiter::new(1, Duration::from_secs(60)))
        .build()
        .unwrap();

    let err = client.list_accounts(LOCATION).await.unwrap_err();
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    // The failed call took no slot: the next one goes at once, not in a minute.
    let started = Instant::now();
    client.list_accounts(LOCATION).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_spent_daily_quota_fails_fast_for_that_location_only() {
    let server = MockServer::start().await;
    then_succeed(
        &server,
        "GET",
        ACCOUNTS,
        ResponseTemplate::new(200)
            .set_body_json(listing())
            .insert_header("X-RateLimit-Daily-Remaining", "0")
            .insert_header("X-RateLimit-Limit-Daily", "200000"),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/social-media-posting/other-location/accounts"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(listing())
                .insert_header("X-RateLimit-Daily-Remaining", "1500"),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri());

    client.list_accounts(LOCATION).await.unwrap();
    let err = client.list_accounts(LOCATION).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::QuotaExhausted {
                resets_in: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(requests(&server).await, 1, "the second call was not sent");

    client.list_accounts("other-location").await.unwrap();
    assert_eq!(
        requests(&server).await,
        2,
        "another location is not held back"
    );
    assert_eq!(
        client
            .rate_limit_for(LOCATION)
            .and_then(|r| r.daily_remaining),
        Some(0)
    );
    assert_eq!(
        client
            .rate_limit_for("other-location")
            .and_then(|r| r.daily_remaining),
        Some(1500)
    );
    assert_eq!(
        client.rate_limit().and_then(|r| r.daily_remaining),
        Some(1500)
    );
}

#[tokio::test]
async fn a_read_only_post_is_retried_like_a_get_and_a_create_is_not() {
    let server = MockServer::start().await;
    for route in [format!("{POSTS}/list"), POSTS.to_owned()] {
        fail_first(&server, "POST", &route, 1, ResponseTemplate::new(503)).await;
    }
    then_succeed(
        &server,
        "POST",
        &format!("{POSTS}/list"),
        ResponseTemplate::new(201).set_body_json(json!({
            "success": true, "statusCode": 201, "message": "Posts fetched",
            "results": {"posts": [], "count": 0}
        })),
    )
    .await;
    let client = client(&server.uri());

    let search = highlevel_social_planner::types::ListPostsRequest::new(
        "0",
        "10",
        "2024-01-22T05:32:49.463Z",
        "2024-03-20T05:32:49.463Z",
        "false",
    );
    client.list_posts(LOCATION, &search).await.unwrap();
    assert_eq!(requests(&server).await, 2, "the search was sent again");

    let post = CreatePostRequest::new(["acc-1"], PostType::Post, "user-1");
    let err = client.create_post(LOCATION, &post).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(requests(&server).await, 3, "the create was sent once");
}

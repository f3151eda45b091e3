//! OAuth refreshes under stress, against a loopback token endpoint and API: callers that give
//! up, hooks that fail or panic, broken and refused answers, rotated tokens reloaded from a
//! store, backoff, and answers meant to crash a parser. Each case asserts what the token
//! endpoint and the API saw.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use highlevel_social_planner::{
    BoxError, Client, Error, OAuthRefresher, RefreshedTokens, RetryPolicy, StatusCode, TokenSource,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LOCATION: &str = "ve9EPM428h8vShlRW1KT";
const ACCOUNTS: &str = "/social-media-posting/ve9EPM428h8vShlRW1KT/accounts";
const TOKEN_PATH: &str = "/oauth/token";

fn listing() -> Value {
    json!({
        "success": true,
        "statusCode": 200,
        "message": "Fetched Accounts",
        "results": {"accounts": [], "groups": []}
    })
}

/// A token endpoint that hands out `new-access-N` and `new-refresh-N` after `delay`, valid
/// for `expires_in`, and insists on the rotated refresh token.
async fn token_endpoint(server: &MockServer, delay: Duration, expires_in: Value) {
    let issued = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("client_secret=app-secret"))
        .respond_with(move |request: &wiremock::Request| {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            let form = String::from_utf8_lossy(&request.body).into_owned();
            let expected = match n {
                1 => "refresh_token=refresh-0".to_owned(),
                n => format!("refresh_token=new-refresh-{}", n - 1),
            };
            assert!(
                form.contains(&expected),
                "the rotated token is used: {form}"
            );
            ResponseTemplate::new(200)
                .set_delay(delay)
                .set_body_json(json!({
                    "access_token": format!("new-access-{n}"),
                    "token_type": "Bearer",
                    "expires_in": expires_in,
                    "refresh_token": format!("new-refresh-{n}"),
                }))
        })
        .mount(server)
        .await;
}

/// The API answers 200 to `token` and 401 to any other.
async fn api_accepting(server: &MockServer, token: &str) {
    Mock::given(method("GET"))
        .and(path(ACCOUNTS))
        .and(header("Authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(listing()))
        .mount(server)
        .await;
    api_refusing(server).await;
}

/// The API answers 401 to whatever has no more specific mock.
async fn api_refusing(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path(ACCOUNTS))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"statusCode": 401, "message": "Invalid JWT"})),
        )
        .mount(server)
        .await;
}

fn refresher(server: &MockServer) -> OAuthRefresher {
    Client::oauth_refresher("app-id", "app-secret", "refresh-0")
        .token_url(format!("{}{TOKEN_PATH}", server.uri()))
}

/// A client without retries, so that every request the API sees is one the case expects.
fn client(server: &MockServer, refresher: &OAuthRefresher) -> Client {
    Client::builder_with_source(refresher.clone())
        .base_url(server.uri())
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// How many requests the token endpoint and the API saw.
async fn seen(server: &MockServer) -> (usize, usize) {
    let requests = server.received_requests().await.unwrap();
    let token = requests
        .iter()
        .filter(|r| r.url.path() == TOKEN_PATH)
        .count();
    (token, requests.len() - token)
}

/// What a refresh hook was handed, and how often it was called.
#[derive(Clone, Default)]
struct Recorder {
    calls: Arc<AtomicUsize>,
    handed: Arc<Mutex<Vec<RefreshedTokens>>>,
}

impl Recorder {
    /// A hook that records what it is handed and answers with what `answer` says for its
    /// n-th call (from 1).
    fn hook<Fut>(
        &self,
        answer: impl Fn(usize, &RefreshedTokens) -> Fut + Send + Sync + 'static,
    ) -> impl Fn(RefreshedTokens) -> Fut + Send + Sync + 'static
    where
        Fut: Future<Output = Result<(), BoxError>> + Send + 'static,
    {
        let recorder = self.clone();
        move |tokens: RefreshedTokens| {
            let n = recorder.calls.fetch_add(1, Ordering::SeqCst) + 1;
            let outcome = answer(n, &tokens);
            recorder.handed.lock().unwrap().push(tokens);
            outcome
        }
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// The refresh tokens handed over, in order.
    fn refresh_tokens(&self) -> Vec<String> {
        self.handed
            .lock()
            .unwrap()
            .iter()
            .map(|t| t.refresh_token.as_ref().unwrap().expose().to_owned())
            .collect()
    }
}

/// Waits (polling briefly) until `done` holds; fails after 5 s.
async fn eventually(what: &str, done: impl Fn() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(5), "never: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn assert_no_secret(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "secret `{secret}` in {text}");
    }
}

/// A `tracing` writer into memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Captures what this thread logs (a `#[tokio::test]` runs its tasks on its own thread).
fn capture_logs() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

#[tokio::test]
async fn a_caller_that_gives_up_does_not_lose_the_rotated_token() {
    let server = MockServer::start().await;
    token_endpoint(&server, Duration::from_millis(300), json!(86399)).await;
    api_accepting(&server, "new-access-1").await;
    let recorder = Recorder::default();
    let hook = recorder.hook(|_, _| async { Ok(()) });
    let refresher = refresher(&server).on_refresh(hook);
    let client = client(&server, &refresher);

    let gave_up =
        tokio::time::timeout(Duration::from_millis(50), client.list_accounts(LOCATION)).await;
    assert!(gave_up.is_err(), "the caller timed out during the refresh");

    // The refresh goes on without its caller (nothing waits for it while this polls): the
    // new refresh token is kept and handed over.
    eventually("the hook runs", || recorder.calls() == 1).await;
    let current = refresher.current_refresh_token().await.unwrap();
    assert_eq!(current.expose(), "new-refresh-1");
    assert_eq!(recorder.calls(), 1);
    assert_eq!(recorder.refresh_tokens(), ["new-refresh-1"]);
    assert_eq!(seen(&server).await, (1, 0), "the API was never called");

    // The next call uses the new access token without another refresh.
    let response = client.list_accounts(LOCATION).await.unwrap();
    assert_eq!(response.meta().attempts(), 1);
    assert_eq!(seen(&server).await, (1, 1));
    assert_eq!(refresher.refresh_count().await, 1);
}

#[tokio::test]
async fn twenty_callers_whose_token_the_api_rejects_share_one_refresh() {
    let server = MockServer::start().await;
    token_endpoint(&server, Duration::from_millis(100), json!(86399)).await;
    api_accepting(&server, "new-access-1").await;
    let recorder = Recorder::default();
    let hook = recorder.hook(|_, _| async { Ok(()) });
    let refresher = refresher(&server)
        .access_token("revoked-access", Duration::from_secs(3600))
        .on_refresh(hook);
    let client = client(&server, &refresher);

    let callers = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.list_accounts(LOCATION).await })
    });
    for result in futures_util::future::join_all(callers).await {
        let response = result.expect("no panic").expect("the call succeeds");
        assert_eq!(response.meta().attempts(), 2, "401, then the new token");
    }

    assert_eq!(seen(&server).await, (1, 40), "one refresh for twenty 401s");
    assert_eq!(recorder.calls(), 1);
    assert_eq!(refresher.refresh_count().await, 1);
}

#[tokio::test]
async fn a_failing_hook_is_retried_the_tokens_are_used_and_no_secret_is_logged() {
    let (logs, _guard) = capture_logs();
    let server = MockServer::start().await;
    token_endpoint(&server, Duration::ZERO, json!(86399)).await;
    api_accepting(&server, "new-access-1").await;
    // A store whose error quotes what it was given.
    let recorder = Recorder::default();
    let hook = recorder.hook(|_, tokens| {
        let message = format!(
            "store is down; could not write {} and {}",
            tokens.refresh_token.as_ref().unwrap().expose(),
            tokens.access_token.as_ref().unwrap().expose(),
        );
        async move { Err(message.into()) }
    });
    let refresher = refresher(&server).on_refresh(hook);
    let client = client(&server, &refresher);

    let response = client.list_accounts(LOCATION).await.unwrap();

    assert_eq!(
        response.meta().attempts(),
        1,
        "the new token is used anyway"
    );
    eventually("the refresher gives up on the hook", || {
        logs.text().contains("kept failing")
    })
    .await;
    assert_eq!(recorder.calls(), 4, "the first call and 3 retries");
    let log = logs.text();
    assert_eq!(log.matches("the refresh hook failed").count(), 4, "{log}");
    assert!(log.contains("WARN") && log.contains("ERROR"), "{log}");
    assert!(
        log.contains("store is down"),
        "the hook's error is kept: {log}"
    );
    assert!(log.contains("[redacted]"), "{log}");
    assert_no_secret(
        &log,
        &["new-refresh-1", "new-access-1", "refresh-0", "app-secret"],
    );
    assert_eq!(
        refresher.current_refresh_token().await.unwrap().expose(),
        "new-refresh-1"
    );
    // Still one refresh: the hook's failures do not make the tokens unusable.
    client.list_accounts(LOCATION).await.unwrap();
    assert_eq!(seen(&server).await, (1, 2));
}

#[tokio::test]
async fn a_hook_that_fails_once_is_called_again_and_stores_the_token() {
    let server = MockServer::start().await;
    token_endpoint(&server, Duration::ZERO, json!(86399)).await;
    api_accepting(&server, "new-access-1").await;
    let recorder = Recorder::default();
    let hook = recorder.hook(|n, _| async move {
        match n {
            1 => Err("the store is busy".into()),
            _ => Ok(()),
        }
    });
    let refresher = refresher(&server).on_refresh(hook);

    client(&server, &refresher)
        .list_accounts(LOCATION)
        .await
        .unwrap();

    eventually("the hook is retried", || recorder.calls() == 2).await;
    assert_eq!(
        recorder.refresh_tokens(),
        ["new-refresh-1", "new-refresh-1"]
    );
    assert_eq!(seen(&server).await, (1, 1));
}

#[tokio::test]
async fn a_panicking_hook_neither_poisons_the_refresher_nor_stores_an_older_token_later() {
    let (logs, _guard) = capture_logs();
    let server = MockServer::start().await;
    token_endpoint(&server, Duration::ZERO, json!(86399)).await;
    // The first refreshed token is refused, as for a scope it lacks: with no minimum interval
    // between refreshes, that makes a second refresh.
    api_accepting(&server, "new-access-2").await;
    let recorder = Recorder::default();
    let hook = recorder.hook(|n, _| async move {
        if n == 1 {
            panic!("the hook panics on its first call");
        }
        Ok(())
    });
    let refresher = refresher(&server)
        .min_refresh_interval(Duration::ZERO)
        .on_refresh(hook);
    let client = client(&server, &refresher);

    let response = client.list_accounts(LOCATION).await.unwrap();

    assert_eq!(
        response.meta().attempts(),
        2,
        "401 for new-access-1, then 200"
    );
    assert_eq!(seen(&server).await, (2, 2));
    // The retry for the first refresh (due after 100 ms) finds newer tokens and is dropped:
    // `new-refresh-1` is never handed over after `new-refresh-2`.
    eventually("the retry is dropped", || {
        logs.text().contains("newer tokens exist")
    })
    .await;
    assert!(logs.text().contains("it panicked"), "{}", logs.text());
    assert_eq!(recorder.calls(), 2);
    assert_eq!(
        recorder.refresh_tokens(),
        ["new-refresh-1", "new-refresh-2"]
    );
    // The refresher still works.
    client.list_accounts(LOCATION).await.unwrap();
    assert_eq!(seen(&server).await, (2, 3));
    assert_eq!(
        refresher.current_refresh_token().await.unwrap().expose(),
        "new-refresh-2"
    );
}

#[tokio::test]
async fn a_readable_refresh_token_in_a_broken_answer_is_kept_and_handed_over() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": 42,
            "expires_in": "soon",
            "refresh_token": "new-refresh-1",
        })))
        .mount(&server)
        .await;
    api_refusing(&server).await;
    let recorder = Recorder::default();
    let hook = recorder.hook(|_, _| async { Ok(()) });
    let refresher = refresher(&server).on_refresh(hook);

    let err = client(&server, &refresher)
        .list_accounts(LOCATION)
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert!(err.to_string().contains("access_token"), "{err}");
    assert_eq!(
        refresher.current_refresh_token().await.unwrap().expose(),
        "new-refresh-1"
    );
    assert_eq!(recorder.calls(), 1);
    let handed = recorder.handed.lock().unwrap()[0].clone();
    assert!(handed.access_token.is_none());
    assert_eq!(handed.expires_in, None);
    assert_eq!(handed.refresh_token.unwrap().expose(), "new-refresh-1");
    assert_eq!(seen(&server).await, (1, 0));
    assert_eq!(refresher.refresh_count().await, 0);
}

/// A token endpoint that refuses `refresh-0` with `invalid_grant` and trades `stored-9`.
async fn rotated_elsewhere(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("refresh_token=refresh-0"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": "invalid_grant", "error_description": "Invalid refresh token"}),
        ))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("refresh_token=stored-9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "new-access-1",
            "expires_in": 86399,
            "refresh_token": "new-refresh-1",
        })))
        .mount(server)
        .await;
}

#[tokio::test]
async fn invalid_grant_reloads_the_stored_token_and_retries_once_with_a_newer_one() {
    let server = MockServer::start().await;
    rotated_elsewhere(&server).await;
    api_accepting(&server, "new-access-1").await;
    let reloads = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&reloads);
    let refresher = refresher(&server).reload_with(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        async { Ok("stored-9") }
    });

    let response = client(&server, &refresher)
        .list_accounts(LOCATION)
        .await
        .unwrap();

    assert_eq!(response.meta().attempts(), 1);
    assert_eq!(reloads.load(Ordering::SeqCst), 1);
    assert_eq!(seen(&server).await, (2, 1), "refused, then traded");
    assert_eq!(
        refresher.current_refresh_token().await.unwrap().expose(),
        "new-refresh-1"
    );
}

#[tokio::test]
async fn invalid_grant_with_the_same_token_reloaded_is_returned_without_a_retry() {
    let server = MockServer::start().await;
    rotated_elsewhere(&server).await;
    api_refusing(&server).await;
    let reloads = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&reloads);
    let refresher = refresher(&server).reload_with(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        async { Ok("refresh-0") }
    });

    let err = client(&server, &refresher)
        .list_accounts(LOCATION)
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert!(err.to_string().contains("invalid_grant"), "{err}");
    assert_eq!(reloads.load(Ordering::SeqCst), 1);
    assert_eq!(seen(&server).await, (1, 0));
}

#[tokio::test]
async fn after_a_refused_refresh_callers_get_the_error_at_once_until_the_backoff_ends() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_grant"})))
        .mount(&server)
        .await;
    let refresher = refresher(&server);
    let client = client(&server, &refresher);

    let started = Instant::now();
    let mut errors = Vec::new();
    for _ in 0..20 {
        errors.push(
            client
                .list_accounts(LOCATION)
                .await
                .unwrap_err()
                .to_string(),
        );
    }

    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(errors.iter().all(|e| *e == errors[0]), "{errors:?}");
    assert_eq!(seen(&server).await, (1, 0), "one request for twenty calls");
    // A new refresh token ends the wait.
    refresher.set_refresh_token("refresh-1");
    client.list_accounts(LOCATION).await.unwrap_err();
    assert_eq!(seen(&server).await, (2, 0));
}

#[tokio::test]
async fn a_401_right_after_a_refresh_is_returned_without_another_refresh() {
    let server = MockServer::start().await;
    token_endpoint(&server, Duration::ZERO, json!(86399)).await;
    // A 401 however fresh the token: a scope the token lacks.
    api_refusing(&server).await;
    let refresher = refresher(&server).access_token("expired", Duration::ZERO);

    let err = client(&server, &refresher)
        .list_accounts(LOCATION)
        .await
        .unwrap_err();

    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(err.attempts(), 1);
    assert_eq!(seen(&server).await, (1, 1));
    assert_eq!(refresher.refresh_count().await, 1);
}

#[tokio::test]
async fn a_token_shorter_lived_than_the_margin_is_not_refreshed_on_every_call() {
    let server = MockServer::start().await;
    token_endpoint(&server, Duration::ZERO, json!(60)).await;
    api_accepting(&server, "new-access-1").await;
    let refresher = refresher(&server);
    let client = client(&server, &refresher);

    for _ in 0..10 {
        client.list_accounts(LOCATION).await.unwrap();
    }

    assert_eq!(seen(&server).await, (1, 10));
}

#[tokio::test]
async fn any_expires_in_is_taken_without_a_panic() {
    for expires_in in [
        json!(18_446_744_073_709_551_615_u64),
        json!(-5),
        json!(1.5),
        json!("3600"),
    ] {
        let server = MockServer::start().await;
        token_endpoint(&server, Duration::ZERO, expires_in.clone()).await;
        api_accepting(&server, "new-access-1").await;
        let refresher = refresher(&server);
        let client = client(&server, &refresher);

        for _ in 0..2 {
            client
                .list_accounts(LOCATION)
                .await
                .unwrap_or_else(|e| panic!("expires_in {expires_in}: {e}"));
        }

        assert_eq!(seen(&server).await, (1, 2), "expires_in {expires_in}");
    }
}

#[tokio::test]
async fn a_token_endpoint_that_echoes_the_request_leaks_no_secret_into_the_error() {
    const SECRET: &str = "sEcReT/+&= 42";
    const REFRESH: &str = "rEfReSh/+=%7";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(|request: &wiremock::Request| {
            let echo = String::from_utf8_lossy(&request.body).into_owned();
            ResponseTemplate::new(400).set_body_string(format!(
                "bad request: {echo} (decoded: secret={SECRET} refresh={REFRESH})"
            ))
        })
        .mount(&server)
        .await;
    let refresher = Client::oauth_refresher("app-id", SECRET, REFRESH)
        .token_url(format!("{}{TOKEN_PATH}", server.uri()));

    let err = client(&server, &refresher)
        .list_accounts(LOCATION)
        .await
        .unwrap_err();

    let source = std::error::Error::source(&err).unwrap();
    let text = format!("{err} {err:?} {source} {source:?}");
    assert!(text.contains("grant_type=refresh_token"), "{text}");
    assert!(text.contains("[redacted]"), "{text}");
    assert_no_secret(&text, &["sEcReT", "rEfReSh"]);
    assert_eq!(seen(&server).await, (1, 0));
}

#[tokio::test]
async fn a_slow_token_endpoint_is_cut_off_at_the_configured_timeout() {
    let server = MockServer::start().await;
    token_endpoint(&server, Duration::from_secs(5), json!(86399)).await;
    let refresher = refresher(&server).timeouts(Duration::from_secs(1), Duration::from_millis(100));

    let started = Instant::now();
    let err = client(&server, &refresher)
        .list_accounts(LOCATION)
        .await
        .unwrap_err();

    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert!(format!("{err:?}").contains("Timeout"), "{err:?}");
    assert_eq!(seen(&server).await, (1, 0));
    // The token source answers the same without the client.
    assert!(refresher.token().await.is_err());
}

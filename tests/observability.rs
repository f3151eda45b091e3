//! Observability: one `tracing` span per call with what an operator needs, and nothing that
//! must stay secret. In a test binary of its own, because the subscriber is process-wide.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use highlevel_social_planner::{Client, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "fault-token";
const ACCOUNTS: &str = "/social-media-posting/ve9EPM428h8vShlRW1KT/accounts";

/// A `tracing` writer into memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

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

#[tokio::test]
async fn each_call_is_one_span_with_its_retries_and_never_the_token_or_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ACCOUNTS))
        .respond_with(ResponseTemplate::new(503).set_body_string("secret-body-503"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ACCOUNTS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "statusCode": 200, "message": "Fetched Accounts",
            "results": {"accounts": []}
        })))
        .mount(&server)
        .await;
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(5)))
        .build()
        .unwrap();
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");

    client.list_accounts("ve9EPM428h8vShlRW1KT").await.unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let closes: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("highlevel.call") && l.contains("close"))
        .collect();
    assert_eq!(closes.len(), 1, "one span per call:\n{log}");
    let span = closes[0];
    for field in [
        "highlevel.call{",
        "operation=\"list-accounts\"",
        "method=\"GET\"",
        "path=\"/social-media-posting/{locationId}/accounts\"",
        "attempt=2",
        "status=200",
        "latency_ms=",
    ] {
        assert!(span.contains(field), "`{field}` missing from {span}");
    }
    let retry = log
        .lines()
        .find(|l| l.contains("retrying"))
        .expect("the retry is logged");
    assert!(
        retry.contains("attempt=1") && retry.contains("503"),
        "{retry}"
    );
    assert!(!log.contains(TOKEN), "the token leaked:\n{log}");
    assert!(
        !log.contains("secret-body-503") && !log.contains("Fetched Accounts"),
        "a body leaked:\n{log}"
    );
}

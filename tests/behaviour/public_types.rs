//! The types the public API names are reachable through the crate, so that a user names
//! them without depending on `http`, `bytes` or the TLS crate. Nothing here imports those.

use std::sync::{Arc, Mutex};

use highlevel_social_planner::{
    Client, HeaderMap, HeaderName, HeaderValue, ResponseInfo, StatusCode, TlsConfig, tls,
};
use serde_json::json;
use wiremock::ResponseTemplate;

use crate::common::{LOCATION, TOKEN, expect_call};

/// What the hook saw of a response: its status and the header `x-seen`.
type Seen = (StatusCode, Option<HeaderValue>);

#[tokio::test]
async fn a_hook_reads_headers_with_the_crates_own_types() {
    let server = wiremock::MockServer::start().await;
    expect_call("GET", &format!("/social-media-posting/{LOCATION}/accounts"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-seen", "yes")
                .set_body_json(json!({ "success": true, "statusCode": 200, "message": "ok" })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let record = Arc::clone(&seen);
    let name = HeaderName::from_static("x-seen");
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .on_response(move |info: &ResponseInfo<'_>| {
            let headers: &HeaderMap = info.headers;
            record
                .lock()
                .unwrap()
                .push((info.status, headers.get(&name).cloned()));
        })
        .build()
        .unwrap();
    let response = client.list_accounts(LOCATION).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        *seen.lock().unwrap(),
        [(StatusCode::OK, Some(HeaderValue::from_static("yes")))]
    );
}

#[test]
fn a_tls_configuration_is_built_from_the_reexported_crate() {
    let provider = Arc::new(tls::crypto::ring::default_provider());
    let config: TlsConfig = tls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(tls::RootCertStore::empty())
        .with_no_client_auth();
    Client::builder(TOKEN).tls(config).build().unwrap();
}

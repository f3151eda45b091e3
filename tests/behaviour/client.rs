//! Behaviour of the generated client against a loopback mock server: what each operation
//! sends (method, path, query, headers, body), what it decodes, and how failures surface.

use highlevel_social_planner::types::{
    AccountType, AttachInstagramAccountRequest, AttachTiktokProfileRequest,
    AttachTwitterProfileRequest, DeleteAccountQuery, Platform, TiktokProfileType,
};
use highlevel_social_planner::{ApiErrorBody, Client, Error, StatusCode};
use serde_json::json;
use wiremock::ResponseTemplate;
use wiremock::matchers::{query_param, query_param_is_missing};

use crate::common;

use common::{
    ACCOUNT, COMPANY, INSTAGRAM_ACCOUNT, INSTAGRAM_PAGE, LOCATION, ORIGIN, REMOVED_ACCOUNT, TOKEN,
    assert_attached, assert_envelope, assert_no_body, assert_no_token, assert_one_bare_request,
    attach_response, envelope_reply, expect_call, expect_json_call, json_reply, only_request,
    received, received_queries, serve,
};

// ---------------------------------------------------------------------------------------------
// X (Twitter): deprecated, still callable.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
#[allow(deprecated)]
async fn get_twitter_profile_encodes_the_path_and_decodes_the_profiles() {
    let (server, client) = serve(
        [expect_call(
            "GET",
            "/social-media-posting/oauth/loc%201/twitter/accounts/acc%2F1",
        )],
        envelope_reply(
            200,
            "Fetched Twitter Account",
            json!({
                "profile": [{
                    "id": "ZHl1OWpfZEMyeWc5UjJOOU51RVNOal",
                    "name": "Twitter Account name",
                    "username": "sample_user",
                    "avatar": "ZHl1OWpfZEMyeWc5UjJOOU51RVNOal",
                    "protected": true,
                    "verified": false,
                    "isConnected": true
                }]
            }),
        ),
    )
    .await;

    let response = client.get_twitter_profile("loc 1", "acc/1").await.unwrap();

    assert_envelope!(response, 200, "Fetched Twitter Account");
    let profiles = response.into_inner().results.unwrap().profile.unwrap();
    assert_eq!(profiles.len(), 1);
    let profile = &profiles[0];
    assert_eq!(
        profile.id.as_deref(),
        Some("ZHl1OWpfZEMyeWc5UjJOOU51RVNOal")
    );
    assert_eq!(profile.name.as_deref(), Some("Twitter Account name"));
    assert_eq!(profile.username.as_deref(), Some("sample_user"));
    assert_eq!(profile.protected, Some(true));
    assert_eq!(profile.verified, Some(false));
    assert_eq!(profile.is_connected, Some(true));
    assert_one_bare_request(&server).await;
}

#[tokio::test]
#[allow(deprecated)]
async fn attach_twitter_profile_posts_the_body_and_decodes_the_account() {
    let (server, client) = serve(
        [expect_json_call(
            "POST",
            &format!("/social-media-posting/oauth/{LOCATION}/twitter/accounts/{ACCOUNT}"),
            // `avatar` is None and must not be sent.
            json!({
                "originId": ORIGIN,
                "name": "JOHN_DEO",
                "username": "user_name",
                "protected": true,
                "verified": false,
                "companyId": COMPANY
            }),
        )],
        json_reply(201, attach_response("twitter", "Added Twitter Account")),
    )
    .await;

    let body = AttachTwitterProfileRequest::default()
        .origin_id(ORIGIN)
        .name("JOHN_DEO")
        .username("user_name")
        .protected(true)
        .verified(false)
        .company_id(COMPANY);
    let response = client
        .attach_twitter_profile(LOCATION, ACCOUNT, &body)
        .await
        .unwrap();

    assert_attached(
        &response,
        Platform::Twitter,
        AccountType::Profile,
        "Added Twitter Account",
    );
    assert_eq!(only_request(&server).await.url.query(), None);
}

// ---------------------------------------------------------------------------------------------
// Instagram
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_instagram_page_group_encodes_the_path_and_decodes_the_accounts() {
    let (server, client) = serve(
        [expect_call(
            "GET",
            &format!("/social-media-posting/oauth/{LOCATION}/instagram/accounts/a%2Fb%20c"),
        )],
        envelope_reply(
            200,
            "Fetched Instagram Account",
            json!({
                "accounts": [
                    {
                        "id": "idu37swmmLbA02zgqKPpxITe2",
                        "name": "Insta account",
                        "avatar": "avau37swmmLbA02zgqKPpxITe2",
                        "pageId": "pidu37swmmLbA02zgqKPpxITe2",
                        "isConnected": true
                    },
                    { "id": "second", "isConnected": false }
                ]
            }),
        ),
    )
    .await;

    let response = client
        .get_instagram_page_group(LOCATION, "a/b c")
        .await
        .unwrap();

    assert_envelope!(response, 200, "Fetched Instagram Account");
    let accounts = response.into_inner().results.unwrap().accounts.unwrap();
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0].id.as_deref(), Some("idu37swmmLbA02zgqKPpxITe2"));
    assert_eq!(accounts[0].name.as_deref(), Some("Insta account"));
    assert_eq!(
        accounts[0].avatar.as_deref(),
        Some("avau37swmmLbA02zgqKPpxITe2")
    );
    assert_eq!(
        accounts[0].page_id.as_deref(),
        Some("pidu37swmmLbA02zgqKPpxITe2")
    );
    assert_eq!(accounts[0].is_connected, Some(true));
    assert_eq!(accounts[1].id.as_deref(), Some("second"));
    assert_eq!(accounts[1].name, None);
    assert_eq!(accounts[1].is_connected, Some(false));
    assert_one_bare_request(&server).await;
}

#[tokio::test]
async fn attach_instagram_page_group_posts_the_body_and_decodes_the_account() {
    let (server, client) = serve(
        [expect_json_call(
            "POST",
            &format!("/social-media-posting/oauth/loc%2F1/instagram/accounts/{ACCOUNT}"),
            // `avatar` and `companyId` are None and must not be sent.
            json!({
                "originId": ORIGIN,
                "name": "JOHN_DEO",
                "pageId": INSTAGRAM_PAGE
            }),
        )],
        json_reply(201, attach_response("instagram", "Added Instagram Account")),
    )
    .await;

    let body = AttachInstagramAccountRequest::new(INSTAGRAM_PAGE)
        .origin_id(ORIGIN)
        .name("JOHN_DEO");
    let response = client
        .attach_instagram_page_group("loc/1", ACCOUNT, &body)
        .await
        .unwrap();

    assert_attached(
        &response,
        Platform::Instagram,
        AccountType::Profile,
        "Added Instagram Account",
    );
    assert_eq!(only_request(&server).await.url.query(), None);
}

// ---------------------------------------------------------------------------------------------
// TikTok
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_tiktok_profile_encodes_the_path_and_decodes_the_profiles() {
    let (server, client) = serve(
        [expect_call(
            "GET",
            &format!("/social-media-posting/oauth/{LOCATION}/tiktok/accounts/w37%2Fswmm"),
        )],
        envelope_reply(
            200,
            "Fetched Tiktok Account",
            json!({
                "profile": [{
                    "id": "w37swmmLbA02zgqKPpxITe",
                    "name": "Account Name",
                    "username": "User_name",
                    "avatar": "w37swmmLbA02zgqKPpxITe",
                    "verified": true,
                    "isConnected": false,
                    "type": "BUSINESS"
                }]
            }),
        ),
    )
    .await;

    let response = client
        .get_tiktok_profile(LOCATION, "w37/swmm")
        .await
        .unwrap();

    assert_envelope!(response, 200, "Fetched Tiktok Account");
    let profiles = response.into_inner().results.unwrap().profile.unwrap();
    assert_eq!(profiles.len(), 1);
    let profile = &profiles[0];
    assert_eq!(profile.id.as_deref(), Some("w37swmmLbA02zgqKPpxITe"));
    assert_eq!(profile.name.as_deref(), Some("Account Name"));
    assert_eq!(profile.username.as_deref(), Some("User_name"));
    assert_eq!(profile.avatar.as_deref(), Some("w37swmmLbA02zgqKPpxITe"));
    assert_eq!(profile.verified, Some(true));
    assert_eq!(profile.is_connected, Some(false));
    assert_eq!(profile.r#type, Some(TiktokProfileType::Business));
    assert_one_bare_request(&server).await;
}

#[tokio::test]
async fn attach_tiktok_profile_posts_the_body_and_decodes_the_account() {
    let (server, client) = serve(
        [expect_json_call(
            "POST",
            &format!("/social-media-posting/oauth/{LOCATION}/tiktok/accounts/{ACCOUNT}"),
            // `avatar` is None and must not be sent; `type` is the lower-case wire value.
            json!({
                "type": "business",
                "originId": ORIGIN,
                "name": "JOHN_DEO",
                "verified": true,
                "username": "JOHN_DEO",
                "companyId": COMPANY
            }),
        )],
        json_reply(201, attach_response("tiktok", "Added Tiktok Account")),
    )
    .await;

    let body = AttachTiktokProfileRequest::default()
        .r#type(AccountType::Business)
        .origin_id(ORIGIN)
        .name("JOHN_DEO")
        .verified(true)
        .username("JOHN_DEO")
        .company_id(COMPANY);
    let response = client
        .attach_tiktok_profile(LOCATION, ACCOUNT, &body)
        .await
        .unwrap();

    assert_attached(
        &response,
        Platform::Tiktok,
        AccountType::Profile,
        "Added Tiktok Account",
    );
    assert_eq!(only_request(&server).await.url.query(), None);
}

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_accounts_encodes_the_path_and_decodes_accounts_and_groups() {
    let (server, client) = serve(
        [expect_call(
            "GET",
            "/social-media-posting/loc%2F1%20x/accounts",
        )],
        envelope_reply(
            200,
            "Fetched Accounts",
            json!({
                "accounts": [
                    {
                        "id": "aF3KhyL8JIuBwzK3m7Ly_Lx1EI6YIgQYMQi0ytFXv_12554616564525983496",
                        "oauthId": "aF3KhyL8JIuBwzK3m7Ly",
                        "profileId": "pF3KhyL8JIuBwzK3m7Ly",
                        "name": "Sample Account",
                        "platform": "google",
                        "type": "location",
                        "expire": "2024-03-11T19:29:59.785Z",
                        "isExpired": false,
                        "meta": { "hasGoogleUpdated": true, "canDelete": true }
                    },
                    {
                        "id": INSTAGRAM_ACCOUNT,
                        "name": "Insta Profile",
                        "platform": "instagram",
                        "type": "profile",
                        "isExpired": true
                    }
                ],
                "groups": [{
                    "id": "6284c43d519161e96cc09c13",
                    "name": "Primary",
                    "accountIds": [INSTAGRAM_ACCOUNT]
                }]
            }),
        ),
    )
    .await;

    let response = client.list_accounts("loc/1 x").await.unwrap();

    assert_envelope!(response, 200, "Fetched Accounts");
    let results = response.into_inner().results.unwrap();
    let accounts = results.accounts.unwrap();
    assert_eq!(accounts.len(), 2);

    let google = &accounts[0];
    assert_eq!(
        google.id.as_deref(),
        Some("aF3KhyL8JIuBwzK3m7Ly_Lx1EI6YIgQYMQi0ytFXv_12554616564525983496")
    );
    assert_eq!(google.oauth_id.as_deref(), Some("aF3KhyL8JIuBwzK3m7Ly"));
    assert_eq!(google.profile_id.as_deref(), Some("pF3KhyL8JIuBwzK3m7Ly"));
    assert_eq!(google.name.as_deref(), Some("Sample Account"));
    assert_eq!(google.platform, Some(Platform::Google));
    assert_eq!(google.r#type, Some(AccountType::Location));
    assert_eq!(google.expire.as_deref(), Some("2024-03-11T19:29:59.785Z"));
    assert_eq!(google.is_expired, Some(false));
    let meta = google.meta.as_ref().unwrap();
    assert_eq!(meta["hasGoogleUpdated"], true);
    assert_eq!(meta["canDelete"], true);

    let instagram = &accounts[1];
    assert_eq!(instagram.platform, Some(Platform::Instagram));
    assert_eq!(instagram.r#type, Some(AccountType::Profile));
    assert_eq!(instagram.is_expired, Some(true));
    assert_eq!(instagram.oauth_id, None);
    assert_eq!(instagram.meta, None);

    let groups = results.groups.unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].id, "6284c43d519161e96cc09c13");
    assert_eq!(groups[0].name, "Primary");
    assert_eq!(groups[0].account_ids, [INSTAGRAM_ACCOUNT]);
    assert_one_bare_request(&server).await;
}

#[tokio::test]
async fn delete_account_sends_set_query_params_only_and_decodes_the_result() {
    let account_path = &format!("/social-media-posting/{LOCATION}/accounts/65fac446%2Fd5%20x");
    let (server, client) = serve(
        [
            expect_call("DELETE", account_path)
                .and(query_param("companyId", COMPANY))
                .and(query_param("userId", "user 1")),
            expect_call("DELETE", account_path)
                .and(query_param_is_missing("companyId"))
                .and(query_param("userId", "user 1")),
            expect_call("DELETE", account_path)
                .and(query_param_is_missing("companyId"))
                .and(query_param_is_missing("userId")),
        ],
        envelope_reply(
            200,
            "Deleted Account",
            json!({ "locationId": LOCATION, "id": "65fac446/d5 x" }),
        ),
    )
    .await;

    let both = DeleteAccountQuery::default()
        .company_id(COMPANY)
        .user_id("user 1");
    let only_user = DeleteAccountQuery::default().user_id("user 1");
    for query in [both, only_user, DeleteAccountQuery::default()] {
        let response = client
            .delete_account(LOCATION, "65fac446/d5 x", &query)
            .await
            .unwrap();
        assert_envelope!(response, 200, "Deleted Account");
        let results = response.into_inner().results.unwrap();
        assert_eq!(results.location_id.as_deref(), Some(LOCATION));
        assert_eq!(results.id.as_deref(), Some("65fac446/d5 x"));
    }

    assert_eq!(
        received_queries(&server).await,
        [
            Some(format!("companyId={COMPANY}&userId=user+1")),
            Some("userId=user+1".to_owned()),
            None,
        ]
    );
    received(&server).await.iter().for_each(assert_no_body);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_400_is_an_api_error_with_the_bad_request_body() {
    let (_server, client) = serve(
        [expect_json_call(
            "POST",
            &format!("/social-media-posting/oauth/{LOCATION}/instagram/accounts/{ACCOUNT}"),
            json!({ "pageId": INSTAGRAM_PAGE }),
        )],
        json_reply(400, json!({"statusCode": 400, "message": "Bad Request"})),
    )
    .await;

    let body = AttachInstagramAccountRequest::new(INSTAGRAM_PAGE);
    let err = client
        .attach_instagram_page_group(LOCATION, ACCOUNT, &body)
        .await
        .unwrap_err();

    assert_no_token(&err);
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(err.operation(), Some("attach-instagram-page-group"));
    let Error::Api {
        operation,
        status,
        body: ApiErrorBody::BadRequest(bad),
        ..
    } = &err
    else {
        panic!("expected a 400 API error, got {err:?}");
    };
    assert_eq!(*operation, "attach-instagram-page-group");
    assert_eq!(*status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.status_code, Some(400));
    assert_eq!(bad.message.as_deref(), Some("Bad Request"));
    assert!(matches!(err.api_body(), Some(ApiErrorBody::BadRequest(b)) if b == bad));
    assert!(err.to_string().contains("Bad Request"), "{err}");
}

#[tokio::test]
async fn a_401_is_an_api_error_with_the_unauthorized_body() {
    let (_server, client) = serve(
        [expect_call(
            "GET",
            &format!("/social-media-posting/{LOCATION}/accounts"),
        )],
        json_reply(
            401,
            json!({
                "statusCode": 401,
                "message": "Invalid token: access token is invalid",
                "error": "Unauthorized"
            }),
        ),
    )
    .await;

    let err = client.list_accounts(LOCATION).await.unwrap_err();

    assert_no_token(&err);
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(err.operation(), Some("list-accounts"));
    let Some(ApiErrorBody::Unauthorized(body)) = err.api_body() else {
        panic!("expected a 401 API error, got {err:?}");
    };
    assert_eq!(body.status_code, Some(401));
    assert_eq!(
        body.message.as_deref(),
        Some("Invalid token: access token is invalid")
    );
    assert_eq!(body.error.as_deref(), Some("Unauthorized"));
    assert!(matches!(
        err,
        Error::Api {
            status: StatusCode::UNAUTHORIZED,
            ..
        }
    ));
}

#[tokio::test]
async fn a_422_is_an_api_error_with_the_list_of_validation_messages() {
    let (_server, client) = serve(
        [expect_call(
            "DELETE",
            &format!("/social-media-posting/{LOCATION}/accounts/{REMOVED_ACCOUNT}"),
        )],
        json_reply(
            422,
            json!({
                "statusCode": 422,
                "message": ["locationId must be a string"],
                "error": "Unprocessable Entity"
            }),
        ),
    )
    .await;

    let err = client
        .delete_account(LOCATION, REMOVED_ACCOUNT, &DeleteAccountQuery::default())
        .await
        .unwrap_err();

    assert_no_token(&err);
    assert_eq!(err.status(), Some(StatusCode::UNPROCESSABLE_ENTITY));
    assert_eq!(err.operation(), Some("delete-account"));
    let Error::Api {
        status,
        body: ApiErrorBody::UnprocessableEntity(body),
        ..
    } = &err
    else {
        panic!("expected a 422 API error, got {err:?}");
    };
    assert_eq!(*status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body.status_code, Some(422));
    assert_eq!(
        body.message.as_deref(),
        Some(&["locationId must be a string".to_owned()][..])
    );
    assert_eq!(body.error.as_deref(), Some("Unprocessable Entity"));
    let display = err.to_string();
    assert!(display.contains("locationId must be a string"), "{display}");
    assert!(display.contains("422"), "{display}");
    assert!(display.contains("delete-account"), "{display}");
}

#[tokio::test]
async fn an_undocumented_status_keeps_the_status_and_raw_body() {
    let (_server, client) = serve(
        [expect_call(
            "GET",
            &format!("/social-media-posting/oauth/{LOCATION}/tiktok/accounts/{ACCOUNT}"),
        )],
        ResponseTemplate::new(500).set_body_raw("upstream exploded: try later", "text/plain"),
    )
    .await;

    let err = client
        .get_tiktok_profile(LOCATION, ACCOUNT)
        .await
        .unwrap_err();

    assert_no_token(&err);
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(err.operation(), Some("get-tiktok-profile"));
    assert!(err.api_body().is_none());
    let Error::UnexpectedStatus {
        operation,
        status,
        body,
        ..
    } = &err
    else {
        panic!("expected an undocumented status, got {err:?}");
    };
    assert_eq!(*operation, "get-tiktok-profile");
    assert_eq!(*status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body, "upstream exploded: try later");
    assert!(err.to_string().contains("500"), "{err}");
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_a_decode_error_naming_the_json_path() {
    let raw = json!({
        "success": true,
        "statusCode": 200,
        "message": "Fetched Accounts",
        "results": {
            "accounts": [{ "id": "a1", "platform": "google", "isExpired": "yes" }],
            "groups": []
        }
    })
    .to_string();
    let (_server, client) = serve(
        [expect_call(
            "GET",
            &format!("/social-media-posting/{LOCATION}/accounts"),
        )],
        ResponseTemplate::new(200).set_body_raw(raw.clone(), "application/json"),
    )
    .await;

    let err = client.list_accounts(LOCATION).await.unwrap_err();

    assert_no_token(&err);
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_eq!(err.operation(), Some("list-accounts"));
    assert!(err.api_body().is_none());
    let Error::Decode {
        operation,
        status,
        path,
        message,
        body,
        ..
    } = &err
    else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(*operation, "list-accounts");
    assert_eq!(*status, StatusCode::OK);
    assert_eq!(path, "results.accounts[0].isExpired");
    assert!(message.contains("\"yes\""), "{message}");
    assert_eq!(body, &raw);
    assert!(
        err.to_string().contains("results.accounts[0].isExpired"),
        "{err}"
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_decode_error() {
    let (_server, client) = serve(
        [expect_call(
            "GET",
            &format!("/social-media-posting/oauth/{LOCATION}/instagram/accounts/{ACCOUNT}"),
        )],
        ResponseTemplate::new(200).set_body_raw("<html>oops</html>", "text/html"),
    )
    .await;

    let err = client
        .get_instagram_page_group(LOCATION, ACCOUNT)
        .await
        .unwrap_err();

    assert_no_token(&err);
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_eq!(err.operation(), Some("get-instagram-page-group"));
    assert!(err.api_body().is_none());
    let Error::Decode {
        status, path, body, ..
    } = &err
    else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(*status, StatusCode::OK);
    assert_eq!(path, ".");
    assert_eq!(body, "<html>oops</html>");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();

    let err = client.list_accounts(LOCATION).await.unwrap_err();

    assert_no_token(&err);
    assert_eq!(err.status(), None);
    assert_eq!(err.operation(), Some("list-accounts"));
    assert!(err.api_body().is_none());
    let Error::Transport {
        operation, source, ..
    } = &err
    else {
        panic!("expected a transport error, got {err:?}");
    };
    assert_eq!(*operation, "list-accounts");
    assert!(source.is_connect(), "{source:?}");
}

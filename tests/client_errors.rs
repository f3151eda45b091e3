//! Every operation turns the error statuses the spec documents (400, 401, 422) into
//! [`Error::Api`] with the matching parsed [`ApiErrorBody`], names itself in the error, and
//! never shows the token.
//!
//! The operations are called from one table: each row names the operationId, the request the
//! mock server expects (method and exact path) and how to call the method with valid
//! arguments. A test checks that the table lists every operation of the spec.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use highlevel_social_planner::types::{
    AttachFacebookPageRequest, AttachGoogleLocationRequest, AttachInstagramAccountRequest,
    AttachLinkedInAccountRequest, AttachTiktokProfileRequest, AttachTwitterProfileRequest,
    BulkDeletePostsRequest, CreatePostRequest, DeleteAccountQuery, EditPostRequest,
    GetCsvPostQuery, GetStatisticsQuery, GetTagsByIdsRequest, GetUploadStatusQuery,
    ListCategoriesQuery, ListPostsRequest, ListTagsQuery, PostType, SetCsvAccountsRequest,
    StartCsvFinalizeRequest, StartFacebookOauthQuery, StartGoogleOauthQuery,
    StartInstagramOauthQuery, StartLinkedinOauthQuery, StartTiktokBusinessOauthQuery,
    StartTiktokOauthQuery, StartTwitterOauthQuery, StatisticsRequest, UploadCsvRequest,
};
use highlevel_social_planner::{ApiErrorBody, Client, Error, FilePart, StatusCode};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

mod common;

use common::{assert_no_token, client_for, expect_call};

/// Path parameters and other arguments, from the spec's examples.
const LOC: &str = "ve9EPM428h8vShlRW1KT";
const ACCOUNT: &str = "w37swmmLbA02zgqKPpxITe";
const POST: &str = "65fac446d599990d1313c1dd";
const CSV: &str = "65f92e55cc884f0d0845e447";
const CSV_POST: &str = "65f92e55cc884f0d0845e448";
const CATEGORY: &str = "6284c43d519161e96cc09c13";
const USER: &str = "sdfdsfdsfEWEsdfsdsW32dd";
const CONNECTED: &str = "aF3KhyL8JIuBwzK3m7Ly_iVrVJ2uoXNF0wzcBzgl5_12554616564525983496";

/// What a call returns once its successful body, if any, is dropped.
type Outcome = Pin<Box<dyn Future<Output = Result<(), Error>>>>;

/// One operation: the request it must send and how to make it.
struct Case {
    operation: &'static str,
    method: &'static str,
    path: &'static str,
    call: fn(Client) -> Outcome,
}

/// `case!("operation-id", "METHOD", "/exact/path", |client| client.method(args))`
macro_rules! case {
    ($operation:literal, $method:literal, $path:literal, |$client:ident| $call:expr) => {
        Case {
            operation: $operation,
            method: $method,
            path: $path,
            call: |$client| Box::pin(async move { $call.await.map(drop) }),
        }
    };
}

/// Every operation of the spec, in the spec's order.
#[allow(
    deprecated,
    reason = "the retired X operations are still callable and documented"
)]
fn cases() -> Vec<Case> {
    vec![
        // Accounts
        case!(
            "list-accounts",
            "GET",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/accounts",
            |c| c.list_accounts(LOC)
        ),
        case!(
            "delete-account",
            "DELETE",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/accounts/65fac446d599990d1313c1dd",
            |c| c.delete_account(LOC, POST, &DeleteAccountQuery::default())
        ),
        // Posts
        case!(
            "list-posts",
            "POST",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/posts/list",
            |c| c.list_posts(
                LOC,
                &ListPostsRequest::new(
                    "0",
                    "10",
                    "2024-01-22T05:32:49.463Z",
                    "2024-03-20T05:32:49.463Z",
                    "false"
                )
            )
        ),
        case!(
            "create-post",
            "POST",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/posts",
            |c| c.create_post(
                LOC,
                &CreatePostRequest::new([CONNECTED], PostType::Post, USER)
            )
        ),
        case!(
            "get-post",
            "GET",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/posts/65fac446d599990d1313c1dd",
            |c| c.get_post(LOC, POST)
        ),
        case!(
            "edit-post",
            "PUT",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/posts/65fac446d599990d1313c1dd",
            |c| c.edit_post(LOC, POST, &EditPostRequest::new(PostType::Post))
        ),
        case!(
            "delete-post",
            "DELETE",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/posts/65fac446d599990d1313c1dd",
            |c| c.delete_post(LOC, POST)
        ),
        case!(
            "bulk-delete-posts",
            "POST",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/posts/bulk-delete",
            |c| c.bulk_delete_posts(LOC, &BulkDeletePostsRequest::new([POST]))
        ),
        // OAuth: Google
        case!(
            "start-google-oauth",
            "GET",
            "/social-media-posting/oauth/google/start",
            |c| c.start_google_oauth(&StartGoogleOauthQuery::new(LOC, USER))
        ),
        case!(
            "get-google-locations",
            "GET",
            "/social-media-posting/oauth/ve9EPM428h8vShlRW1KT/google/locations/w37swmmLbA02zgqKPpxITe",
            |c| c.get_google_locations(LOC, ACCOUNT)
        ),
        case!(
            "set-google-locations",
            "POST",
            "/social-media-posting/oauth/ve9EPM428h8vShlRW1KT/google/locations/w37swmmLbA02zgqKPpxITe",
            |c| c.set_google_locations(LOC, ACCOUNT, &AttachGoogleLocationRequest::default())
        ),
        // OAuth: Facebook
        case!(
            "start-facebook-oauth",
            "GET",
            "/social-media-posting/oauth/facebook/start",
            |c| c.start_facebook_oauth(&StartFacebookOauthQuery::new(LOC, USER))
        ),
        case!(
            "get-facebook-page-group",
            "GET",
            "/social-media-posting/oauth/ve9EPM428h8vShlRW1KT/facebook/accounts/w37swmmLbA02zgqKPpxITe",
            |c| c.get_facebook_page_group(LOC, ACCOUNT)
        ),
        case!(
            "attach-facebook-page-group",
            "POST",
            "/social-media-posting/oauth/ve9EPM428h8vShlRW1KT/facebook/accounts/w37swmmLbA02zgqKPpxITe",
            |c| c.attach_facebook_page_group(LOC, ACCOUNT, &AttachFacebookPageRequest::default())
        ),
        // OAuth: Instagram
        case!(
            "start-instagram-oauth",
            "GET",
            "/social-media-posting/oauth/instagram/start",
            |c| c.start_instagram_oauth(&StartInstagramOauthQuery::new(LOC, USER))
        ),
        case!(
            "get-instagram-page-group",
            "GET",
            "/social-media-posting/oauth/ve9EPM428h8vShlRW1KT/instagram/accounts/w37swmmLbA02zgqKPpxITe",
            |c| c.get_instagram_page_group(LOC, ACCOUNT)
        ),
        case!(
            "attach-instagram-page-group",
            "POST",
            "/social-media-posting/oauth/ve9EPM428h8vShlRW1KT/instagram/accounts/w37swmmLbA02zgqKPpxITe",
            |c| c.attach_instagram_page_group(
                LOC,
                ACCOUNT,
                &AttachInstagramAccountRequest::new("234234234242sd")
            )
        ),
        // OAuth: LinkedIn
        case!(
            "start-linkedin-oauth",
            "GET",
            "/social-media-posting/oauth/linkedin/start",
            |c| c.start_linkedin_oauth(&StartLinkedinOauthQuery::new(LOC, USER))
        ),
        case!(
            "get-linkedin-page-profile",
            "GET",
            "/social-media-posting/oauth/ve9EPM428h8vShlRW1KT/linkedin/accounts/w37swmmLbA02zgqKPpxITe",
            |c| c.get_linkedin_page_profile(LOC, ACCOUNT)
        ),
        case!(
            "attach-linkedin-page-profile",
            "POST",
            "/social-media-posting/oauth/ve9EPM428h8vShlRW1KT/linkedin/accounts/w37swmmLbA02zgqKPpxITe",
            |c| c.attach_linkedin_page_profile(
                LOC,
                ACCOUNT,
                &AttachLinkedInAccountRequest::default()
            )
        ),
        // OAuth: TikTok
        case!(
            "start-tiktok-oauth",
            "GET",
            "/social-media-posting/oauth/tiktok/start",
            |c| c.start_tiktok_oauth(&StartTiktokOauthQuery::new(LOC, USER))
        ),
        case!(
            "get-tiktok-profile",
            "GET",
            "/social-media-posting/oauth/ve9EPM428h8vShlRW1KT/tiktok/accounts/w37swmmLbA02zgqKPpxITe",
            |c| c.get_tiktok_profile(LOC, ACCOUNT)
        ),
        case!(
            "attach-tiktok-profile",
            "POST",
            "/social-media-posting/oauth/ve9EPM428h8vShlRW1KT/tiktok/accounts/w37swmmLbA02zgqKPpxITe",
            |c| c.attach_tiktok_profile(LOC, ACCOUNT, &AttachTiktokProfileRequest::default())
        ),
        // OAuth: TikTok Business
        case!(
            "start-tiktok-business-oauth",
            "GET",
            "/social-media-posting/oauth/tiktok-business/start",
            |c| c.start_tiktok_business_oauth(&StartTiktokBusinessOauthQuery::new(LOC, USER))
        ),
        case!(
            "get-tiktok-business-profile",
            "GET",
            "/social-media-posting/oauth/ve9EPM428h8vShlRW1KT/tiktok-business/accounts/w37swmmLbA02zgqKPpxITe",
            |c| c.get_tiktok_business_profile(LOC, ACCOUNT)
        ),
        // OAuth: X (Twitter), deprecated
        case!(
            "start-twitter-oauth",
            "GET",
            "/social-media-posting/oauth/twitter/start",
            |c| c.start_twitter_oauth(&StartTwitterOauthQuery::new(LOC, USER))
        ),
        case!(
            "get-twitter-profile",
            "GET",
            "/social-media-posting/oauth/ve9EPM428h8vShlRW1KT/twitter/accounts/w37swmmLbA02zgqKPpxITe",
            |c| c.get_twitter_profile(LOC, ACCOUNT)
        ),
        case!(
            "attach-twitter-profile",
            "POST",
            "/social-media-posting/oauth/ve9EPM428h8vShlRW1KT/twitter/accounts/w37swmmLbA02zgqKPpxITe",
            |c| c.attach_twitter_profile(LOC, ACCOUNT, &AttachTwitterProfileRequest::default())
        ),
        // CSV import
        case!(
            "upload-csv",
            "POST",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/csv",
            |c| c.upload_csv(
                LOC,
                &UploadCsvRequest::new(FilePart::new("posts.csv", "summary\nHello\n"))
            )
        ),
        case!(
            "get-upload-status",
            "GET",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/csv",
            |c| c.get_upload_status(LOC, &GetUploadStatusQuery::default())
        ),
        case!(
            "set-csv-accounts",
            "POST",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/set-accounts",
            |c| c.set_csv_accounts(
                LOC,
                &SetCsvAccountsRequest::new(
                    [CONNECTED],
                    "o6241QsiRwUIJHyjuhos/a.csv",
                    1,
                    "test.csv"
                )
            )
        ),
        case!(
            "get-csv-post",
            "GET",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/csv/65f92e55cc884f0d0845e447",
            |c| c.get_csv_post(LOC, CSV, &GetCsvPostQuery::default())
        ),
        case!(
            "start-csv-finalize",
            "PATCH",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/csv/65f92e55cc884f0d0845e447",
            |c| c.start_csv_finalize(LOC, CSV, &StartCsvFinalizeRequest::default())
        ),
        case!(
            "delete-csv",
            "DELETE",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/csv/65f92e55cc884f0d0845e447",
            |c| c.delete_csv(LOC, CSV)
        ),
        case!(
            "delete-csv-post",
            "DELETE",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/csv/65f92e55cc884f0d0845e447/post/65f92e55cc884f0d0845e448",
            |c| c.delete_csv_post(LOC, CSV, CSV_POST)
        ),
        // Categories
        case!(
            "list-categories",
            "GET",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/categories",
            |c| c.list_categories(LOC, &ListCategoriesQuery::default())
        ),
        case!(
            "get-category",
            "GET",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/categories/6284c43d519161e96cc09c13",
            |c| c.get_category(LOC, CATEGORY)
        ),
        // Tags
        case!(
            "list-tags",
            "GET",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/tags",
            |c| c.list_tags(LOC, &ListTagsQuery::default())
        ),
        case!(
            "get-tags-by-ids",
            "POST",
            "/social-media-posting/ve9EPM428h8vShlRW1KT/tags/details",
            |c| c.get_tags_by_ids(LOC, &GetTagsByIdsRequest::new(["65fbdcfecc884f07e645ea8b"]))
        ),
        // Statistics
        case!(
            "get-statistics",
            "POST",
            "/social-media-posting/statistics",
            |c| c.get_statistics(
                &GetStatisticsQuery::new(LOC),
                &StatisticsRequest::new(["67a5a9aa776c837de4aa5b12"])
            )
        ),
    ]
}

/// The error responses the spec documents for every operation, with its example bodies.
fn documented_errors() -> [(StatusCode, serde_json::Value); 3] {
    [
        (
            StatusCode::BAD_REQUEST,
            json!({ "statusCode": 400, "message": "Bad Request" }),
        ),
        (
            StatusCode::UNAUTHORIZED,
            json!({
                "statusCode": 401,
                "message": "Invalid token: access token is invalid",
                "error": "Unauthorized"
            }),
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({
                "statusCode": 422,
                "message": ["Unprocessable Entity"],
                "error": "Unprocessable Entity"
            }),
        ),
    ]
}

/// Checks that `err` is the documented API error for `expected` with the spec's body.
fn assert_documented_error(err: &Error, operation: &str, expected: StatusCode) {
    let context = format!("{operation} answered {expected}");
    assert_no_token(err);
    assert_eq!(err.operation(), Some(operation), "{context}");
    assert_eq!(err.status(), Some(expected), "{context}");
    assert!(
        err.to_string().contains(operation),
        "{context}: the message does not name the operation: {err}"
    );
    match err {
        Error::Api {
            operation: got,
            status: StatusCode::BAD_REQUEST,
            body: ApiErrorBody::BadRequest(body),
            ..
        } if expected == StatusCode::BAD_REQUEST => {
            assert_eq!(got, &operation, "{context}");
            assert_eq!(body.status_code, Some(400), "{context}");
            assert_eq!(body.message.as_deref(), Some("Bad Request"), "{context}");
        }
        Error::Api {
            operation: got,
            status: StatusCode::UNAUTHORIZED,
            body: ApiErrorBody::Unauthorized(body),
            ..
        } if expected == StatusCode::UNAUTHORIZED => {
            assert_eq!(got, &operation, "{context}");
            assert_eq!(body.status_code, Some(401), "{context}");
            assert_eq!(
                body.message.as_deref(),
                Some("Invalid token: access token is invalid"),
                "{context}"
            );
            assert_eq!(body.error.as_deref(), Some("Unauthorized"), "{context}");
        }
        Error::Api {
            operation: got,
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: ApiErrorBody::UnprocessableEntity(body),
            ..
        } if expected == StatusCode::UNPROCESSABLE_ENTITY => {
            assert_eq!(got, &operation, "{context}");
            assert_eq!(body.status_code, Some(422), "{context}");
            assert_eq!(
                body.message.as_deref(),
                Some(&["Unprocessable Entity".to_owned()][..]),
                "{context}"
            );
            assert_eq!(
                body.error.as_deref(),
                Some("Unprocessable Entity"),
                "{context}"
            );
        }
        other => panic!("{context}: expected the documented API error, got {other:?}"),
    }
}

#[tokio::test]
async fn every_operation_maps_400_401_and_422_to_the_documented_error_bodies() {
    let server = MockServer::start().await;
    let client = client_for(&server);

    for case in cases() {
        for (status, body) in documented_errors() {
            server.reset().await;
            // Only the operation's own method and path, with the required headers, get the
            // error; anything else gets wiremock's 404, an undocumented status.
            expect_call(case.method, case.path)
                .respond_with(ResponseTemplate::new(status.as_u16()).set_body_json(body))
                .named(format!("{} answering {status}", case.operation))
                .expect(1)
                .mount(&server)
                .await;

            let err = (case.call)(client.clone())
                .await
                .expect_err(&format!("{} must fail with {status}", case.operation));

            assert_documented_error(&err, case.operation, status);
            server.verify().await;
        }
    }
}

#[test]
fn the_table_lists_every_operation_of_the_spec_once() {
    let spec =
        std::fs::read_to_string(highlevel_tests::repo_root().join("spec/social-planner.yaml"))
            .expect("the spec is readable");
    let in_spec: BTreeSet<&str> = spec
        .lines()
        .filter_map(|line| line.trim().strip_prefix("operationId: "))
        .collect();

    let cases = cases();
    let in_table: BTreeSet<&str> = cases.iter().map(|case| case.operation).collect();
    assert_eq!(in_table.len(), cases.len(), "an operation is listed twice");
    assert_eq!(in_table, in_spec);
    assert_eq!(in_table.len(), 40);

    let requests: BTreeSet<(&str, &str)> = cases.iter().map(|c| (c.method, c.path)).collect();
    assert_eq!(
        requests.len(),
        cases.len(),
        "two rows expect the same request"
    );
}

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
use highlevel_social_planner::types::{
    AttachOAuthAccountRequest, AttachPinterestAccountRequest, CloneQueueItemRequest,
    CreateCommentQuery, CreateCommentRequest, CreateQueueItemRequest, CreateQueueRequest,
    DeleteActiveQueuePostQuery, DeleteQueueItemQuery, GetOauthAccountsQuery, GetQueueQuery,
    LikeCommentQuery, ListCommentsQuery, ListCommentsRequest, ListQueueCategoriesQuery,
    ListQueueItemsRequest, ListQueueSlotsRequest, ListQueuesRequest, QueueCalendarRequest,
    QueueEditCalendarRequest, QueueEditRequest, ResetQueueItemRequest, StartOauthQuery,
    StartQueueEditRequest, TimeSlot, UnlikeCommentQuery, UpdateQueueItemRequest,
    UpdateQueueRequest,
};
use highlevel_social_planner::{ApiErrorBody, Client, Error, FilePart, StatusCode};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

use crate::common;

use common::{
    ACCOUNT, CATEGORY, COMMENT, CSV, CSV_POST, EDIT_SESSION, GOOGLE_ACCOUNT, INSTAGRAM_PAGE,
    LOCATION, ORIGIN, POST, PRIMARY_TAG, PROFILE, QUEUE, QUEUE_ITEM, REMOVED_ACCOUNT, USER,
    assert_no_token, client_for, expect_versioned_call,
};

/// What a call returns once its successful body, if any, is dropped.
type Outcome = Pin<Box<dyn Future<Output = Result<(), Error>>>>;

/// One operation: the request it must send and how to make it.
struct Case {
    operation: &'static str,
    /// The `Version` header the operation sends.
    version: &'static str,
    method: &'static str,
    path: String,
    call: fn(Client) -> Outcome,
}

/// `case!("operation-id", "METHOD", format!("/exact/{PATH}"), |client| client.method(args))`,
/// with `v3` before the operation ID for an operation sent as the v3 edition.
macro_rules! case {
    (v3 $($rest:tt)*) => {
        Case {
            version: "v3",
            ..case!($($rest)*)
        }
    };
    ($operation:literal, $method:literal, $path:expr, |$client:ident| $call:expr) => {
        Case {
            operation: $operation,
            version: "2021-07-28",
            method: $method,
            path: $path.into(),
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
            format!("/social-media-posting/{LOCATION}/accounts"),
            |c| c.list_accounts(LOCATION)
        ),
        case!(
            "delete-account",
            "DELETE",
            format!("/social-media-posting/{LOCATION}/accounts/{REMOVED_ACCOUNT}"),
            |c| c.delete_account(LOCATION, REMOVED_ACCOUNT, &DeleteAccountQuery::default())
        ),
        // Posts
        case!(
            "list-posts",
            "POST",
            format!("/social-media-posting/{LOCATION}/posts/list"),
            |c| c.list_posts(
                LOCATION,
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
            v3 "create-post",
            "POST",
            format!("/social-media-posting/{LOCATION}/posts"),
            |c| c.create_post(
                LOCATION,
                &CreatePostRequest::new([GOOGLE_ACCOUNT], PostType::Post, USER)
            )
        ),
        case!(
            "get-post",
            "GET",
            format!("/social-media-posting/{LOCATION}/posts/{POST}"),
            |c| c.get_post(LOCATION, POST)
        ),
        case!(
            v3 "edit-post",
            "PUT",
            format!("/social-media-posting/{LOCATION}/posts/{POST}"),
            |c| c.edit_post(LOCATION, POST, &EditPostRequest::new(PostType::Post))
        ),
        case!(
            "delete-post",
            "DELETE",
            format!("/social-media-posting/{LOCATION}/posts/{POST}"),
            |c| c.delete_post(LOCATION, POST)
        ),
        case!(
            "bulk-delete-posts",
            "POST",
            format!("/social-media-posting/{LOCATION}/posts/bulk-delete"),
            |c| c.bulk_delete_posts(LOCATION, &BulkDeletePostsRequest::new([POST]))
        ),
        // OAuth: Google
        case!(
            "start-google-oauth",
            "GET",
            "/social-media-posting/oauth/google/start",
            |c| c.start_google_oauth(&StartGoogleOauthQuery::new(LOCATION, USER))
        ),
        case!(
            "get-google-locations",
            "GET",
            format!("/social-media-posting/oauth/{LOCATION}/google/locations/{ACCOUNT}"),
            |c| c.get_google_locations(LOCATION, ACCOUNT)
        ),
        case!(
            "set-google-locations",
            "POST",
            format!("/social-media-posting/oauth/{LOCATION}/google/locations/{ACCOUNT}"),
            |c| c.set_google_locations(LOCATION, ACCOUNT, &AttachGoogleLocationRequest::default())
        ),
        // OAuth: Facebook
        case!(
            "start-facebook-oauth",
            "GET",
            "/social-media-posting/oauth/facebook/start",
            |c| c.start_facebook_oauth(&StartFacebookOauthQuery::new(LOCATION, USER))
        ),
        case!(
            "get-facebook-page-group",
            "GET",
            format!("/social-media-posting/oauth/{LOCATION}/facebook/accounts/{ACCOUNT}"),
            |c| c.get_facebook_page_group(LOCATION, ACCOUNT)
        ),
        case!(
            "attach-facebook-page-group",
            "POST",
            format!("/social-media-posting/oauth/{LOCATION}/facebook/accounts/{ACCOUNT}"),
            |c| c.attach_facebook_page_group(
                LOCATION,
                ACCOUNT,
                &AttachFacebookPageRequest::default()
            )
        ),
        // OAuth: Instagram
        case!(
            "start-instagram-oauth",
            "GET",
            "/social-media-posting/oauth/instagram/start",
            |c| c.start_instagram_oauth(&StartInstagramOauthQuery::new(LOCATION, USER))
        ),
        case!(
            "get-instagram-page-group",
            "GET",
            format!("/social-media-posting/oauth/{LOCATION}/instagram/accounts/{ACCOUNT}"),
            |c| c.get_instagram_page_group(LOCATION, ACCOUNT)
        ),
        case!(
            "attach-instagram-page-group",
            "POST",
            format!("/social-media-posting/oauth/{LOCATION}/instagram/accounts/{ACCOUNT}"),
            |c| c.attach_instagram_page_group(
                LOCATION,
                ACCOUNT,
                &AttachInstagramAccountRequest::new(INSTAGRAM_PAGE)
            )
        ),
        // OAuth: LinkedIn
        case!(
            "start-linkedin-oauth",
            "GET",
            "/social-media-posting/oauth/linkedin/start",
            |c| c.start_linkedin_oauth(&StartLinkedinOauthQuery::new(LOCATION, USER))
        ),
        case!(
            "get-linkedin-page-profile",
            "GET",
            format!("/social-media-posting/oauth/{LOCATION}/linkedin/accounts/{ACCOUNT}"),
            |c| c.get_linkedin_page_profile(LOCATION, ACCOUNT)
        ),
        case!(
            "attach-linkedin-page-profile",
            "POST",
            format!("/social-media-posting/oauth/{LOCATION}/linkedin/accounts/{ACCOUNT}"),
            |c| c.attach_linkedin_page_profile(
                LOCATION,
                ACCOUNT,
                &AttachLinkedInAccountRequest::default()
            )
        ),
        // OAuth: TikTok
        case!(
            "start-tiktok-oauth",
            "GET",
            "/social-media-posting/oauth/tiktok/start",
            |c| c.start_tiktok_oauth(&StartTiktokOauthQuery::new(LOCATION, USER))
        ),
        case!(
            "get-tiktok-profile",
            "GET",
            format!("/social-media-posting/oauth/{LOCATION}/tiktok/accounts/{ACCOUNT}"),
            |c| c.get_tiktok_profile(LOCATION, ACCOUNT)
        ),
        case!(
            "attach-tiktok-profile",
            "POST",
            format!("/social-media-posting/oauth/{LOCATION}/tiktok/accounts/{ACCOUNT}"),
            |c| c.attach_tiktok_profile(LOCATION, ACCOUNT, &AttachTiktokProfileRequest::default())
        ),
        // OAuth: TikTok Business
        case!(
            "start-tiktok-business-oauth",
            "GET",
            "/social-media-posting/oauth/tiktok-business/start",
            |c| c.start_tiktok_business_oauth(&StartTiktokBusinessOauthQuery::new(LOCATION, USER))
        ),
        case!(
            "get-tiktok-business-profile",
            "GET",
            format!("/social-media-posting/oauth/{LOCATION}/tiktok-business/accounts/{ACCOUNT}"),
            |c| c.get_tiktok_business_profile(LOCATION, ACCOUNT)
        ),
        // OAuth: X (Twitter), deprecated
        case!(
            "start-twitter-oauth",
            "GET",
            "/social-media-posting/oauth/twitter/start",
            |c| c.start_twitter_oauth(&StartTwitterOauthQuery::new(LOCATION, USER))
        ),
        case!(
            "get-twitter-profile",
            "GET",
            format!("/social-media-posting/oauth/{LOCATION}/twitter/accounts/{ACCOUNT}"),
            |c| c.get_twitter_profile(LOCATION, ACCOUNT)
        ),
        case!(
            "attach-twitter-profile",
            "POST",
            format!("/social-media-posting/oauth/{LOCATION}/twitter/accounts/{ACCOUNT}"),
            |c| c.attach_twitter_profile(
                LOCATION,
                ACCOUNT,
                &AttachTwitterProfileRequest::default()
            )
        ),
        // CSV import
        case!(
            v3 "upload-csv",
            "POST",
            format!("/social-media-posting/{LOCATION}/csv"),
            |c| c.upload_csv(
                LOCATION,
                &UploadCsvRequest::new(FilePart::new("posts.csv", "summary\nHello\n"))
            )
        ),
        case!(
            v3 "get-upload-status",
            "GET",
            format!("/social-media-posting/{LOCATION}/csv"),
            |c| c.get_upload_status(LOCATION, &GetUploadStatusQuery::new(USER))
        ),
        case!(
            v3 "set-csv-accounts",
            "POST",
            format!("/social-media-posting/{LOCATION}/set-accounts"),
            |c| c.set_csv_accounts(
                LOCATION,
                &SetCsvAccountsRequest::new(
                    [GOOGLE_ACCOUNT],
                    "o6241QsiRwUIJHyjuhos/a.csv",
                    1,
                    "test.csv",
                    USER
                )
            )
        ),
        case!(
            "get-csv-post",
            "GET",
            format!("/social-media-posting/{LOCATION}/csv/{CSV}"),
            |c| c.get_csv_post(LOCATION, CSV, &GetCsvPostQuery::default())
        ),
        case!(
            "start-csv-finalize",
            "PATCH",
            format!("/social-media-posting/{LOCATION}/csv/{CSV}"),
            |c| c.start_csv_finalize(LOCATION, CSV, &StartCsvFinalizeRequest::default())
        ),
        case!(
            "delete-csv",
            "DELETE",
            format!("/social-media-posting/{LOCATION}/csv/{CSV}"),
            |c| c.delete_csv(LOCATION, CSV)
        ),
        case!(
            "delete-csv-post",
            "DELETE",
            format!("/social-media-posting/{LOCATION}/csv/{CSV}/post/{CSV_POST}"),
            |c| c.delete_csv_post(LOCATION, CSV, CSV_POST)
        ),
        // Categories
        case!(
            "list-categories",
            "GET",
            format!("/social-media-posting/{LOCATION}/categories"),
            |c| c.list_categories(LOCATION, &ListCategoriesQuery::default())
        ),
        case!(
            "get-category",
            "GET",
            format!("/social-media-posting/{LOCATION}/categories/{CATEGORY}"),
            |c| c.get_category(LOCATION, CATEGORY)
        ),
        // Tags
        case!(
            "list-tags",
            "GET",
            format!("/social-media-posting/{LOCATION}/tags"),
            |c| c.list_tags(LOCATION, &ListTagsQuery::default())
        ),
        case!(
            "get-tags-by-ids",
            "POST",
            format!("/social-media-posting/{LOCATION}/tags/details"),
            |c| c.get_tags_by_ids(LOCATION, &GetTagsByIdsRequest::new([PRIMARY_TAG]))
        ),
        // Statistics
        case!(
            v3 "get-statistics",
            "POST",
            "/social-media-posting/statistics",
            |c| c.get_statistics(
                &GetStatisticsQuery::new(LOCATION),
                &StatisticsRequest::new([PROFILE])
            )
        ),
        // OAuth, any platform (v3)
        case!(
            v3 "start-oauth",
            "GET",
            "/social-media-posting/oauth/youtube/start",
            |c| c.start_oauth("youtube", &StartOauthQuery::new(LOCATION, USER))
        ),
        case!(
            v3 "get-oauth-accounts",
            "GET",
            format!("/social-media-posting/oauth/{LOCATION}/pinterest/accounts/{ACCOUNT}"),
            |c| c.get_oauth_accounts(
                LOCATION,
                "pinterest",
                ACCOUNT,
                &GetOauthAccountsQuery::default()
            )
        ),
        case!(
            v3 "attach-oauth-account",
            "POST",
            format!("/social-media-posting/oauth/{LOCATION}/threads/accounts/{ACCOUNT}"),
            |c| c.attach_oauth_account(
                LOCATION,
                "threads",
                ACCOUNT,
                &AttachOAuthAccountRequest::AttachPinterestAccountRequest(
                    AttachPinterestAccountRequest::new(ORIGIN)
                )
            )
        ),
        // Category queues (v3)
        case!(
            v3 "list-queue-categories",
            "GET",
            "/social-media-posting/category/queues/available-categories",
            |c| c.list_queue_categories(&ListQueueCategoriesQuery::new(LOCATION))
        ),
        case!(
            v3 "create-queue",
            "POST",
            "/social-media-posting/category/queues",
            |c| c.create_queue(&CreateQueueRequest::new(
                LOCATION,
                CATEGORY,
                [TimeSlot::new(1, "09:00")],
                USER
            ))
        ),
        case!(
            v3 "list-queues",
            "POST",
            "/social-media-posting/category/queues/list",
            |c| c.list_queues(&ListQueuesRequest::new(LOCATION))
        ),
        case!(
            v3 "get-queue-calendar",
            "POST",
            "/social-media-posting/category/queues/list/calendar",
            |c| c.get_queue_calendar(&QueueCalendarRequest::new(
                LOCATION,
                "2025-10-01T00:00:00.000Z",
                "2025-10-31T23:59:59.999Z"
            ))
        ),
        case!(
            v3 "get-queue",
            "GET",
            format!("/social-media-posting/category/queues/{QUEUE}"),
            |c| c.get_queue(QUEUE, &GetQueueQuery::new(LOCATION))
        ),
        case!(
            v3 "update-queue",
            "PUT",
            format!("/social-media-posting/category/queues/{QUEUE}"),
            |c| c.update_queue(QUEUE, &UpdateQueueRequest::new(LOCATION))
        ),
        case!(
            v3 "list-queue-items",
            "POST",
            format!("/social-media-posting/category/queues/{QUEUE}/items"),
            |c| c.list_queue_items(QUEUE, &ListQueueItemsRequest::new(LOCATION))
        ),
        case!(
            v3 "create-queue-item",
            "POST",
            format!("/social-media-posting/category/queues/{QUEUE}/create/item"),
            |c| c.create_queue_item(QUEUE, &CreateQueueItemRequest::new(LOCATION))
        ),
        case!(
            v3 "update-queue-item",
            "PUT",
            format!("/social-media-posting/category/queues/{QUEUE}/items/{QUEUE_ITEM}"),
            |c| c.update_queue_item(QUEUE, QUEUE_ITEM, &UpdateQueueItemRequest::new(LOCATION))
        ),
        case!(
            v3 "delete-queue-item",
            "DELETE",
            format!("/social-media-posting/category/queues/{QUEUE}/items/{QUEUE_ITEM}"),
            |c| c.delete_queue_item(QUEUE, QUEUE_ITEM, &DeleteQueueItemQuery::new(LOCATION))
        ),
        case!(
            v3 "reset-queue-item",
            "PUT",
            format!("/social-media-posting/category/queues/{QUEUE}/items/{QUEUE_ITEM}/reset"),
            |c| c.reset_queue_item(QUEUE, QUEUE_ITEM, &ResetQueueItemRequest::new(LOCATION))
        ),
        case!(
            v3 "clone-queue-item",
            "POST",
            format!("/social-media-posting/category/queues/{QUEUE}/items/{QUEUE_ITEM}/clone"),
            |c| c.clone_queue_item(
                QUEUE,
                QUEUE_ITEM,
                &CloneQueueItemRequest::new(LOCATION, EDIT_SESSION, 1500.0)
            )
        ),
        case!(
            v3 "start-queue-edit",
            "POST",
            format!("/social-media-posting/category/queues/{QUEUE}/edit/start"),
            |c| c.start_queue_edit(QUEUE, &StartQueueEditRequest::new(LOCATION))
        ),
        case!(
            v3 "save-queue-edit",
            "POST",
            format!("/social-media-posting/category/queues/{QUEUE}/edit/save"),
            |c| c.save_queue_edit(QUEUE, &QueueEditRequest::new(LOCATION, EDIT_SESSION))
        ),
        case!(
            v3 "discard-queue-edit",
            "POST",
            format!("/social-media-posting/category/queues/{QUEUE}/edit/discard"),
            |c| c.discard_queue_edit(QUEUE, &QueueEditRequest::new(LOCATION, EDIT_SESSION))
        ),
        case!(
            v3 "get-queue-edit-calendar",
            "POST",
            format!("/social-media-posting/category/queues/{QUEUE}/edit/calendar"),
            |c| c.get_queue_edit_calendar(
                QUEUE,
                &QueueEditCalendarRequest::new(
                    LOCATION,
                    EDIT_SESSION,
                    "2025-10-01T00:00:00.000Z",
                    "2025-10-31T23:59:59.999Z"
                )
            )
        ),
        case!(
            v3 "list-queue-slots",
            "POST",
            format!("/social-media-posting/category/queues/{QUEUE}/slots"),
            |c| c.list_queue_slots(QUEUE, &ListQueueSlotsRequest::new(LOCATION))
        ),
        case!(
            v3 "delete-active-queue-post",
            "DELETE",
            format!("/social-media-posting/category/queues/{POST}/active-post"),
            |c| c.delete_active_queue_post(POST, &DeleteActiveQueuePostQuery::new(LOCATION))
        ),
        // Comments (v3)
        case!(
            v3 "create-comment",
            "POST",
            "/social-media-posting/comments/facebook",
            |c| c.create_comment(
                "facebook",
                &CreateCommentQuery::new(LOCATION),
                &CreateCommentRequest::new(POST, true, "Thanks!")
            )
        ),
        case!(
            v3 "list-comments",
            "POST",
            "/social-media-posting/comments/threads/list",
            |c| c.list_comments(
                "threads",
                &ListCommentsQuery::new(LOCATION),
                &ListCommentsRequest::new([ORIGIN])
            )
        ),
        case!(
            v3 "like-comment",
            "POST",
            format!("/social-media-posting/comments/linkedin/{COMMENT}/like"),
            |c| c.like_comment("linkedin", COMMENT, &LikeCommentQuery::new(LOCATION))
        ),
        case!(
            v3 "unlike-comment",
            "DELETE",
            format!("/social-media-posting/comments/bluesky/{COMMENT}/like"),
            |c| c.unlike_comment("bluesky", COMMENT, &UnlikeCommentQuery::new(LOCATION))
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
            expect_versioned_call(case.method, &case.path, case.version)
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
    assert_eq!(in_table.len(), 65);

    let requests: BTreeSet<(&str, &str)> =
        cases.iter().map(|c| (c.method, c.path.as_str())).collect();
    assert_eq!(
        requests.len(),
        cases.len(),
        "two rows expect the same request"
    );
}

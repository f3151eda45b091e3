//! Path arguments cannot move a request: every path argument of every operation is tried
//! with text that would leave its segment or walk the path (`/`, `?`, `#`, `..`, `%2e%2e`, a
//! line break, non-ASCII). What can be encoded arrives percent-encoded in its own segment;
//! an empty argument, `.` and `..` are refused before anything is sent.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use highlevel_social_planner::types::{
    AttachFacebookPageRequest, AttachGoogleLocationRequest, AttachInstagramAccountRequest,
    AttachLinkedInAccountRequest, AttachTiktokProfileRequest, AttachTwitterProfileRequest,
    BulkDeletePostsRequest, CreatePostRequest, DeleteAccountQuery, EditPostRequest,
    GetCsvPostQuery, GetTagsByIdsRequest, GetUploadStatusQuery, ListCategoriesQuery,
    ListPostsRequest, ListTagsQuery, PostType, SetCsvAccountsRequest, StartCsvFinalizeRequest,
    UploadCsvRequest,
};
use highlevel_social_planner::types::{
    AttachOAuthAccountRequest, AttachPinterestAccountRequest, CloneQueueItemRequest,
    CreateCommentQuery, CreateCommentRequest, CreateQueueItemRequest, DeleteActiveQueuePostQuery,
    DeleteQueueItemQuery, GetOauthAccountsQuery, GetQueueQuery, LikeCommentQuery,
    ListCommentsQuery, ListCommentsRequest, ListQueueItemsRequest, ListQueueSlotsRequest,
    QueueEditCalendarRequest, QueueEditRequest, ResetQueueItemRequest, StartOauthQuery,
    StartQueueEditRequest, UnlikeCommentQuery, UpdateQueueItemRequest, UpdateQueueRequest,
};
use highlevel_social_planner::{Client, Error, FilePart};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common;

use common::{
    ACCOUNT, CATEGORY, COMMENT, CSV, CSV_POST, EDIT_SESSION, GOOGLE_ACCOUNT, INSTAGRAM_PAGE,
    LOCATION, ORIGIN, POST, PRIMARY_TAG, QUEUE, QUEUE_ITEM, REMOVED_ACCOUNT, USER, client_for,
};

type Outcome = Pin<Box<dyn Future<Output = Result<(), Error>>>>;

/// One operation with path arguments: its request line with `{}` for each argument, valid
/// values for them, and how to call it with given ones.
struct PathCase {
    operation: &'static str,
    method: &'static str,
    template: &'static str,
    valid: Vec<&'static str>,
    call: fn(Client, Vec<String>) -> Outcome,
}

macro_rules! path_case {
    ($operation:literal, $method:literal, $template:literal, [$($valid:expr),+], |$client:ident, $args:ident| $call:expr) => {
        PathCase {
            operation: $operation,
            method: $method,
            template: $template,
            valid: vec![$($valid),+],
            call: |$client, $args| Box::pin(async move { $call.await.map(drop) }),
        }
    };
}

/// The hostile values, and how each must arrive: `None` when it must be refused.
const HOSTILE: &[(&str, Option<&str>)] = &[
    ("a/b", Some("a%2Fb")),
    ("a?b=1", Some("a%3Fb%3D1")),
    ("a#b", Some("a%23b")),
    ("%2e%2e", Some("%252e%252e")),
    ("a\r\nX-Evil: 1", Some("a%0D%0AX-Evil%3A%201")),
    ("Zürich 東京", Some("Z%C3%BCrich%20%E6%9D%B1%E4%BA%AC")),
    ("...", Some("...")),
    ("..", None),
    (".", None),
    ("", None),
];

/// Every operation of the spec that has path arguments.
#[allow(
    deprecated,
    reason = "the retired X operations are still callable and documented"
)]
fn cases() -> Vec<PathCase> {
    vec![
        path_case!(
            "list-accounts",
            "GET",
            "/social-media-posting/{}/accounts",
            [LOCATION],
            |c, a| c.list_accounts(&a[0])
        ),
        path_case!(
            "delete-account",
            "DELETE",
            "/social-media-posting/{}/accounts/{}",
            [LOCATION, REMOVED_ACCOUNT],
            |c, a| c.delete_account(&a[0], &a[1], &DeleteAccountQuery::default())
        ),
        path_case!(
            "list-posts",
            "POST",
            "/social-media-posting/{}/posts/list",
            [LOCATION],
            |c, a| c.list_posts(
                &a[0],
                &ListPostsRequest::new(
                    "0",
                    "10",
                    "2024-01-22T05:32:49.463Z",
                    "2024-03-20T05:32:49.463Z",
                    "false"
                )
            )
        ),
        path_case!(
            "create-post",
            "POST",
            "/social-media-posting/{}/posts",
            [LOCATION],
            |c, a| c.create_post(
                &a[0],
                &CreatePostRequest::new([GOOGLE_ACCOUNT], PostType::Post, USER)
            )
        ),
        path_case!(
            "get-post",
            "GET",
            "/social-media-posting/{}/posts/{}",
            [LOCATION, POST],
            |c, a| c.get_post(&a[0], &a[1])
        ),
        path_case!(
            "edit-post",
            "PUT",
            "/social-media-posting/{}/posts/{}",
            [LOCATION, POST],
            |c, a| c.edit_post(&a[0], &a[1], &EditPostRequest::new(PostType::Post))
        ),
        path_case!(
            "delete-post",
            "DELETE",
            "/social-media-posting/{}/posts/{}",
            [LOCATION, POST],
            |c, a| c.delete_post(&a[0], &a[1])
        ),
        path_case!(
            "bulk-delete-posts",
            "POST",
            "/social-media-posting/{}/posts/bulk-delete",
            [LOCATION],
            |c, a| c.bulk_delete_posts(&a[0], &BulkDeletePostsRequest::new([POST]))
        ),
        path_case!(
            "get-google-locations",
            "GET",
            "/social-media-posting/oauth/{}/google/locations/{}",
            [LOCATION, ACCOUNT],
            |c, a| c.get_google_locations(&a[0], &a[1])
        ),
        path_case!(
            "set-google-locations",
            "POST",
            "/social-media-posting/oauth/{}/google/locations/{}",
            [LOCATION, ACCOUNT],
            |c, a| c.set_google_locations(&a[0], &a[1], &AttachGoogleLocationRequest::default())
        ),
        path_case!(
            "get-facebook-page-group",
            "GET",
            "/social-media-posting/oauth/{}/facebook/accounts/{}",
            [LOCATION, ACCOUNT],
            |c, a| c.get_facebook_page_group(&a[0], &a[1])
        ),
        path_case!(
            "attach-facebook-page-group",
            "POST",
            "/social-media-posting/oauth/{}/facebook/accounts/{}",
            [LOCATION, ACCOUNT],
            |c, a| c.attach_facebook_page_group(
                &a[0],
                &a[1],
                &AttachFacebookPageRequest::default()
            )
        ),
        path_case!(
            "get-instagram-page-group",
            "GET",
            "/social-media-posting/oauth/{}/instagram/accounts/{}",
            [LOCATION, ACCOUNT],
            |c, a| c.get_instagram_page_group(&a[0], &a[1])
        ),
        path_case!(
            "attach-instagram-page-group",
            "POST",
            "/social-media-posting/oauth/{}/instagram/accounts/{}",
            [LOCATION, ACCOUNT],
            |c, a| c.attach_instagram_page_group(
                &a[0],
                &a[1],
                &AttachInstagramAccountRequest::new(INSTAGRAM_PAGE)
            )
        ),
        path_case!(
            "get-linkedin-page-profile",
            "GET",
            "/social-media-posting/oauth/{}/linkedin/accounts/{}",
            [LOCATION, ACCOUNT],
            |c, a| c.get_linkedin_page_profile(&a[0], &a[1])
        ),
        path_case!(
            "attach-linkedin-page-profile",
            "POST",
            "/social-media-posting/oauth/{}/linkedin/accounts/{}",
            [LOCATION, ACCOUNT],
            |c, a| c.attach_linkedin_page_profile(
                &a[0],
                &a[1],
                &AttachLinkedInAccountRequest::default()
            )
        ),
        path_case!(
            "get-tiktok-profile",
            "GET",
            "/social-media-posting/oauth/{}/tiktok/accounts/{}",
            [LOCATION, ACCOUNT],
            |c, a| c.get_tiktok_profile(&a[0], &a[1])
        ),
        path_case!(
            "attach-tiktok-profile",
            "POST",
            "/social-media-posting/oauth/{}/tiktok/accounts/{}",
            [LOCATION, ACCOUNT],
            |c, a| c.attach_tiktok_profile(&a[0], &a[1], &AttachTiktokProfileRequest::default())
        ),
        path_case!(
            "get-tiktok-business-profile",
            "GET",
            "/social-media-posting/oauth/{}/tiktok-business/accounts/{}",
            [LOCATION, ACCOUNT],
            |c, a| c.get_tiktok_business_profile(&a[0], &a[1])
        ),
        path_case!(
            "get-twitter-profile",
            "GET",
            "/social-media-posting/oauth/{}/twitter/accounts/{}",
            [LOCATION, ACCOUNT],
            |c, a| c.get_twitter_profile(&a[0], &a[1])
        ),
        path_case!(
            "attach-twitter-profile",
            "POST",
            "/social-media-posting/oauth/{}/twitter/accounts/{}",
            [LOCATION, ACCOUNT],
            |c, a| c.attach_twitter_profile(&a[0], &a[1], &AttachTwitterProfileRequest::default())
        ),
        path_case!(
            "upload-csv",
            "POST",
            "/social-media-posting/{}/csv",
            [LOCATION],
            |c, a| c.upload_csv(
                &a[0],
                &UploadCsvRequest::new(FilePart::new("posts.csv", "summary\nHello\n"))
            )
        ),
        path_case!(
            "get-upload-status",
            "GET",
            "/social-media-posting/{}/csv",
            [LOCATION],
            |c, a| c.get_upload_status(&a[0], &GetUploadStatusQuery::new(USER))
        ),
        path_case!(
            "set-csv-accounts",
            "POST",
            "/social-media-posting/{}/set-accounts",
            [LOCATION],
            |c, a| c.set_csv_accounts(
                &a[0],
                &SetCsvAccountsRequest::new(
                    [GOOGLE_ACCOUNT],
                    "o6241QsiRwUIJHyjuhos/a.csv",
                    1,
                    "test.csv",
                    USER
                )
            )
        ),
        path_case!(
            "get-csv-post",
            "GET",
            "/social-media-posting/{}/csv/{}",
            [LOCATION, CSV],
            |c, a| c.get_csv_post(&a[0], &a[1], &GetCsvPostQuery::default())
        ),
        path_case!(
            "start-csv-finalize",
            "PATCH",
            "/social-media-posting/{}/csv/{}",
            [LOCATION, CSV],
            |c, a| c.start_csv_finalize(&a[0], &a[1], &StartCsvFinalizeRequest::default())
        ),
        path_case!(
            "delete-csv",
            "DELETE",
            "/social-media-posting/{}/csv/{}",
            [LOCATION, CSV],
            |c, a| c.delete_csv(&a[0], &a[1])
        ),
        path_case!(
            "delete-csv-post",
            "DELETE",
            "/social-media-posting/{}/csv/{}/post/{}",
            [LOCATION, CSV, CSV_POST],
            |c, a| c.delete_csv_post(&a[0], &a[1], &a[2])
        ),
        path_case!(
            "list-categories",
            "GET",
            "/social-media-posting/{}/categories",
            [LOCATION],
            |c, a| c.list_categories(&a[0], &ListCategoriesQuery::default())
        ),
        path_case!(
            "get-category",
            "GET",
            "/social-media-posting/{}/categories/{}",
            [LOCATION, CATEGORY],
            |c, a| c.get_category(&a[0], &a[1])
        ),
        path_case!(
            "list-tags",
            "GET",
            "/social-media-posting/{}/tags",
            [LOCATION],
            |c, a| c.list_tags(&a[0], &ListTagsQuery::default())
        ),
        path_case!(
            "get-tags-by-ids",
            "POST",
            "/social-media-posting/{}/tags/details",
            [LOCATION],
            |c, a| c.get_tags_by_ids(&a[0], &GetTagsByIdsRequest::new([PRIMARY_TAG]))
        ),
        path_case!(
            "start-oauth",
            "GET",
            "/social-media-posting/oauth/{}/start",
            ["youtube"],
            |c, a| c.start_oauth(&a[0], &StartOauthQuery::new(LOCATION, USER))
        ),
        path_case!(
            "get-oauth-accounts",
            "GET",
            "/social-media-posting/oauth/{}/{}/accounts/{}",
            [LOCATION, "pinterest", ACCOUNT],
            |c, a| c.get_oauth_accounts(&a[0], &a[1], &a[2], &GetOauthAccountsQuery::default())
        ),
        path_case!(
            "attach-oauth-account",
            "POST",
            "/social-media-posting/oauth/{}/{}/accounts/{}",
            [LOCATION, "threads", ACCOUNT],
            |c, a| c.attach_oauth_account(
                &a[0],
                &a[1],
                &a[2],
                &AttachOAuthAccountRequest::AttachPinterestAccountRequest(
                    AttachPinterestAccountRequest::new(ORIGIN)
                )
            )
        ),
        path_case!(
            "get-queue",
            "GET",
            "/social-media-posting/category/queues/{}",
            [QUEUE],
            |c, a| c.get_queue(&a[0], &GetQueueQuery::new(LOCATION))
        ),
        path_case!(
            "update-queue",
            "PUT",
            "/social-media-posting/category/queues/{}",
            [QUEUE],
            |c, a| c.update_queue(&a[0], &UpdateQueueRequest::new(LOCATION))
        ),
        path_case!(
            "list-queue-items",
            "POST",
            "/social-media-posting/category/queues/{}/items",
            [QUEUE],
            |c, a| c.list_queue_items(&a[0], &ListQueueItemsRequest::new(LOCATION))
        ),
        path_case!(
            "create-queue-item",
            "POST",
            "/social-media-posting/category/queues/{}/create/item",
            [QUEUE],
            |c, a| c.create_queue_item(&a[0], &CreateQueueItemRequest::new(LOCATION))
        ),
        path_case!(
            "update-queue-item",
            "PUT",
            "/social-media-posting/category/queues/{}/items/{}",
            [QUEUE, QUEUE_ITEM],
            |c, a| c.update_queue_item(&a[0], &a[1], &UpdateQueueItemRequest::new(LOCATION))
        ),
        path_case!(
            "delete-queue-item",
            "DELETE",
            "/social-media-posting/category/queues/{}/items/{}",
            [QUEUE, QUEUE_ITEM],
            |c, a| c.delete_queue_item(&a[0], &a[1], &DeleteQueueItemQuery::new(LOCATION))
        ),
        path_case!(
            "reset-queue-item",
            "PUT",
            "/social-media-posting/category/queues/{}/items/{}/reset",
            [QUEUE, QUEUE_ITEM],
            |c, a| c.reset_queue_item(&a[0], &a[1], &ResetQueueItemRequest::new(LOCATION))
        ),
        path_case!(
            "clone-queue-item",
            "POST",
            "/social-media-posting/category/queues/{}/items/{}/clone",
            [QUEUE, QUEUE_ITEM],
            |c, a| c.clone_queue_item(
                &a[0],
                &a[1],
                &CloneQueueItemRequest::new(LOCATION, EDIT_SESSION, 1500.0)
            )
        ),
        path_case!(
            "start-queue-edit",
            "POST",
            "/social-media-posting/category/queues/{}/edit/start",
            [QUEUE],
            |c, a| c.start_queue_edit(&a[0], &StartQueueEditRequest::new(LOCATION))
        ),
        path_case!(
            "save-queue-edit",
            "POST",
            "/social-media-posting/category/queues/{}/edit/save",
            [QUEUE],
            |c, a| c.save_queue_edit(&a[0], &QueueEditRequest::new(LOCATION, EDIT_SESSION))
        ),
        path_case!(
            "discard-queue-edit",
            "POST",
            "/social-media-posting/category/queues/{}/edit/discard",
            [QUEUE],
            |c, a| c.discard_queue_edit(&a[0], &QueueEditRequest::new(LOCATION, EDIT_SESSION))
        ),
        path_case!(
            "get-queue-edit-calendar",
            "POST",
            "/social-media-posting/category/queues/{}/edit/calendar",
            [QUEUE],
            |c, a| c.get_queue_edit_calendar(
                &a[0],
                &QueueEditCalendarRequest::new(
                    LOCATION,
                    EDIT_SESSION,
                    "2025-10-01T00:00:00.000Z",
                    "2025-10-31T23:59:59.999Z"
                )
            )
        ),
        path_case!(
            "list-queue-slots",
            "POST",
            "/social-media-posting/category/queues/{}/slots",
            [QUEUE],
            |c, a| c.list_queue_slots(&a[0], &ListQueueSlotsRequest::new(LOCATION))
        ),
        path_case!(
            "delete-active-queue-post",
            "DELETE",
            "/social-media-posting/category/queues/{}/active-post",
            [POST],
            |c, a| c.delete_active_queue_post(&a[0], &DeleteActiveQueuePostQuery::new(LOCATION))
        ),
        path_case!(
            "create-comment",
            "POST",
            "/social-media-posting/comments/{}",
            ["facebook"],
            |c, a| c.create_comment(
                &a[0],
                &CreateCommentQuery::new(LOCATION),
                &CreateCommentRequest::new(POST, true, "Thanks!")
            )
        ),
        path_case!(
            "list-comments",
            "POST",
            "/social-media-posting/comments/{}/list",
            ["threads"],
            |c, a| c.list_comments(
                &a[0],
                &ListCommentsQuery::new(LOCATION),
                &ListCommentsRequest::new([ORIGIN])
            )
        ),
        path_case!(
            "like-comment",
            "POST",
            "/social-media-posting/comments/{}/{}/like",
            ["linkedin", COMMENT],
            |c, a| c.like_comment(&a[0], &a[1], &LikeCommentQuery::new(LOCATION))
        ),
        path_case!(
            "unlike-comment",
            "DELETE",
            "/social-media-posting/comments/{}/{}/like",
            ["bluesky", COMMENT],
            |c, a| c.unlike_comment(&a[0], &a[1], &UnlikeCommentQuery::new(LOCATION))
        ),
    ]
}

/// The request line a call must send: `template` with each argument in place.
fn expected_path(template: &str, args: &[&str]) -> String {
    let mut path = String::new();
    let mut args = args.iter();
    let mut pieces = template.split("{}").peekable();
    while let Some(piece) = pieces.next() {
        path.push_str(piece);
        if pieces.peek().is_some() {
            path.push_str(args.next().expect("one argument per placeholder"));
        }
    }
    path
}

#[tokio::test]
async fn no_path_argument_can_move_a_request() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let mut failures = Vec::new();
    for case in cases() {
        for position in 0..case.valid.len() {
            for (hostile, arrives) in HOSTILE {
                let mut args: Vec<String> = case.valid.iter().map(|v| (*v).to_owned()).collect();
                args[position] = (*hostile).to_owned();
                server.reset().await;
                Mock::given(any())
                    .respond_with(ResponseTemplate::new(404))
                    .mount(&server)
                    .await;
                let result = (case.call)(client.clone(), args).await;
                let seen = server.received_requests().await.expect("recording is on");
                let what = format!("{} argument {position} = {hostile:?}", case.operation);
                match arrives {
                    None => {
                        let refused = matches!(
                            &result,
                            Err(Error::Encode { operation, .. }) if *operation == case.operation
                        );
                        if !refused || !seen.is_empty() {
                            failures.push(format!(
                                "{what}: must be refused unsent, got {result:?} after {} request(s)",
                                seen.len()
                            ));
                        }
                    }
                    Some(encoded) => {
                        let mut values = case.valid.clone();
                        values[position] = encoded;
                        let wanted = expected_path(case.template, &values);
                        let sent: Vec<(String, String)> = seen
                            .iter()
                            .map(|r| (r.method.to_string(), r.url.path().to_owned()))
                            .collect();
                        if sent != [(case.method.to_owned(), wanted.clone())] {
                            failures.push(format!(
                                "{what}: wanted {} {wanted}, server saw {sent:?}",
                                case.method
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_table_lists_every_operation_with_path_arguments() {
    let text =
        std::fs::read_to_string(highlevel_tests::repo_root().join("spec/social-planner.yaml"))
            .expect("the spec is readable");
    let api = generator::model("spec/social-planner.yaml", &text).expect("the spec is valid");
    let in_spec: BTreeMap<String, usize> = api
        .operations
        .iter()
        .filter(|op| !op.path_params.is_empty())
        .map(|op| (op.id.clone(), op.path_params.len()))
        .collect();
    let in_table: BTreeMap<String, usize> = cases()
        .iter()
        .map(|case| (case.operation.to_owned(), case.valid.len()))
        .collect();
    assert_eq!(in_table, in_spec);
    assert_eq!(in_table.len(), 53);
}

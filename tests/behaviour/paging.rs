//! The `*_pages` and `*_stream` methods of paged operations: every page and every item, page
//! by page, stopping at the total the body reports or at an empty page, never at a short page;
//! a server that ignores the offset, or pages without end, stop the stream with an error.

use futures_util::{StreamExt, TryStreamExt};
use highlevel_social_planner::types::{
    ListCategoriesQuery, ListCommentsQuery, ListCommentsRequest, ListPostsRequest,
    ListQueuesRequest, ListTagsQuery,
};
use highlevel_social_planner::{
    Client, ClientBuilder, Error, PagingError, RetryPolicy, StatusCode,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::common;

use common::LOCATION;

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder("paging-token")
        .base_url(server.uri())
        .retry(RetryPolicy::none())
}

fn client(server: &MockServer) -> Client {
    builder(server).build().unwrap()
}

/// A number from the query string.
fn query_number(request: &Request, name: &str) -> Option<usize> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .and_then(|(_, value)| value.parse().ok())
}

/// The `(skip, limit)` of every request the server saw, in order.
async fn windows(server: &MockServer) -> Vec<(Option<usize>, Option<usize>)> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| (query_number(r, "skip"), query_number(r, "limit")))
        .collect()
}

/// The category numbered `i`.
fn category(i: usize) -> Value {
    json!({"_id": format!("cat-{i}"), "name": format!("Category {i}"), "deleted": false})
}

/// Serves `total` categories, honouring `skip` and `limit` from the query.
fn categories(total: usize) -> impl Fn(&Request) -> ResponseTemplate + Send + Sync {
    capped_categories(total, usize::MAX)
}

/// Serves `total` categories, honouring `skip`, and `limit` up to `cap`: a server that caps
/// the page size below what is asked.
fn capped_categories(
    total: usize,
    cap: usize,
) -> impl Fn(&Request) -> ResponseTemplate + Send + Sync {
    move |request: &Request| {
        let skip = query_number(request, "skip").unwrap_or(0);
        let limit = query_number(request, "limit").unwrap_or(10).min(cap);
        let page: Vec<Value> = (skip..total.min(skip.saturating_add(limit)))
            .map(category)
            .collect();
        ResponseTemplate::new(200)
            .set_body_json(json!({
                "success": true,
                "statusCode": 200,
                "message": "Fetched",
                "results": {"count": total, "categories": page}
            }))
            .insert_header("x-served-skip", skip.to_string())
    }
}

/// Serves `total` tags without a count, honouring `skip`, and `limit` up to `cap`.
fn uncounted_tags(total: usize, cap: usize) -> impl Fn(&Request) -> ResponseTemplate + Send + Sync {
    move |request: &Request| {
        let skip = query_number(request, "skip").unwrap_or(0);
        let limit = query_number(request, "limit").unwrap_or(10).min(cap);
        let tags: Vec<Value> = (skip..total.min(skip.saturating_add(limit)))
            .map(|i| json!({"_id": format!("tag-{i}"), "tag": format!("tag {i}")}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "statusCode": 200, "message": "Fetched",
            "results": {"tags": tags}
        }))
    }
}

#[tokio::test]
async fn a_query_paged_operation_streams_every_item_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/social-media-posting/{LOCATION}/categories")))
        .respond_with(categories(25))
        .mount(&server)
        .await;

    let query = ListCategoriesQuery::default()
        .limit(10)
        .search_text("spring");
    let names: Vec<String> = client(&server)
        .list_categories_stream(LOCATION, &query)
        .map_ok(|category| category.id.unwrap())
        .try_collect()
        .await
        .unwrap();

    let expected: Vec<String> = (0..25).map(|i| format!("cat-{i}")).collect();
    assert_eq!(names, expected);
    let queries: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        queries,
        [
            "searchText=spring&limit=10&skip=0",
            "searchText=spring&limit=10&skip=10",
            "searchText=spring&limit=10&skip=20",
        ],
        "the caller's other parameters are kept on every page"
    );
}

/// A body-paged v3 listing whose total is a number in a string (`results.meta.count`): the
/// offset and size travel in the JSON body, the caller's other fields stay on every page, and
/// the stream stops at the total.
#[tokio::test]
async fn a_body_paged_listing_with_a_string_total_streams_every_queue() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/social-media-posting/category/queues/list"))
        .respond_with(|request: &Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            assert_eq!(body["locationId"], LOCATION, "kept on every page");
            let skip = body["skip"].as_u64().unwrap() as usize;
            let limit = body["limit"].as_u64().unwrap() as usize;
            let queues: Vec<Value> = (skip..7.min(skip + limit))
                .map(|i| json!({"_id": format!("queue-{i}")}))
                .collect();
            ResponseTemplate::new(201).set_body_json(json!({
                "success": true, "statusCode": 201,
                "results": {"queues": queues, "meta": {"count": "7"}}
            }))
        })
        .mount(&server)
        .await;

    let ids: Vec<String> = client(&server)
        .list_queues_stream(&ListQueuesRequest::new(LOCATION).limit(3))
        .map_ok(|queue| queue.id.unwrap())
        .try_collect()
        .await
        .unwrap();

    let expected: Vec<String> = (0..7).map(|i| format!("queue-{i}")).collect();
    assert_eq!(ids, expected);
    let offsets: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap()["skip"].clone())
        .collect();
    assert_eq!(offsets, [json!(0), json!(3), json!(6)]);
}

/// Comments are paged in the body and counted in `results.meta.total`.
#[tokio::test]
async fn comments_stream_to_their_total() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/social-media-posting/comments/facebook/list"))
        .respond_with(|request: &Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            let skip = body["skip"].as_u64().unwrap() as usize;
            let comments: Vec<Value> = (skip..5.min(skip + 2))
                .map(|i| {
                    json!({
                        "_id": format!("c-{i}"), "platform": "facebook", "postId": "p",
                        "originId": "o", "isPost": false, "likeCount": 0, "reactionCount": 0,
                        "replyCount": 0, "shareCount": 0, "repostCount": 0, "quoteCount": 0,
                        "isRead": false, "isDeleted": false, "isEdited": false
                    })
                })
                .collect();
            ResponseTemplate::new(201).set_body_json(json!({
                "success": true, "statusCode": 201, "message": "Fetched Comments",
                "results": {
                    "comments": comments,
                    "meta": {"total": 5, "skip": skip, "limit": 2, "hasMore": skip + 2 < 5}
                }
            }))
        })
        .mount(&server)
        .await;

    let ids: Vec<String> = client(&server)
        .list_comments_stream(
            "facebook",
            &ListCommentsQuery::new(LOCATION),
            &ListCommentsRequest::new(["o"]).limit(2),
        )
        .map_ok(|comment| comment.id)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(ids, ["c-0", "c-1", "c-2", "c-3", "c-4"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn an_unset_page_size_uses_the_default_and_the_stream_stops_at_the_total() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/social-media-posting/{LOCATION}/categories")))
        .respond_with(categories(200))
        .mount(&server)
        .await;

    let count = client(&server)
        .list_categories_stream(LOCATION, &ListCategoriesQuery::default())
        .count()
        .await;

    assert_eq!(count, 200);
    // The second page brings the offset to the count: no empty page is asked for.
    assert_eq!(
        windows(&server).await,
        [(Some(0), Some(100)), (Some(100), Some(100))]
    );
}

#[tokio::test]
async fn a_server_that_caps_the_page_size_gives_short_pages_and_the_stream_goes_on_to_the_total() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/social-media-posting/{LOCATION}/categories")))
        .respond_with(capped_categories(10, 4))
        .mount(&server)
        .await;

    let ids: Vec<String> = client(&server)
        .list_categories_stream(LOCATION, &ListCategoriesQuery::default().limit(10))
        .map_ok(|category| category.id.unwrap())
        .try_collect()
        .await
        .unwrap();

    let expected: Vec<String> = (0..10).map(|i| format!("cat-{i}")).collect();
    assert_eq!(ids, expected);
    // Pages of 4, 4 and 2 where 10 were asked for; the offset moves by what came.
    assert_eq!(
        windows(&server).await,
        [
            (Some(0), Some(10)),
            (Some(4), Some(10)),
            (Some(8), Some(10))
        ]
    );
}

#[tokio::test]
async fn without_a_count_short_pages_go_on_until_an_empty_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/social-media-posting/{LOCATION}/tags")))
        .respond_with(uncounted_tags(5, 2))
        .mount(&server)
        .await;

    let ids: Vec<String> = client(&server)
        .list_tags_stream(LOCATION, &ListTagsQuery::default().limit(5))
        .map_ok(|tag| tag.id.unwrap())
        .try_collect()
        .await
        .unwrap();

    assert_eq!(ids, ["tag-0", "tag-1", "tag-2", "tag-3", "tag-4"]);
    assert_eq!(
        windows(&server).await,
        [
            (Some(0), Some(5)),
            (Some(2), Some(5)),
            (Some(4), Some(5)),
            (Some(5), Some(5))
        ]
    );
}

#[tokio::test]
async fn a_server_that_ignores_skip_ends_the_stream_with_an_error_after_two_requests() {
    let server = MockServer::start().await;
    // Always the first three of ten categories, whatever the offset.
    let first_page: Vec<Value> = (0..3).map(category).collect();
    Mock::given(method("GET"))
        .and(path(format!("/social-media-posting/{LOCATION}/categories")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "statusCode": 200, "message": "Fetched",
            "results": {"count": 10, "categories": first_page}
        })))
        .mount(&server)
        .await;

    let results: Vec<Result<_, Error>> = client(&server)
        .list_categories_stream(LOCATION, &ListCategoriesQuery::default().limit(3))
        .collect()
        .await;

    assert_eq!(results.len(), 4, "three items, then the error");
    let ids: Vec<String> = results[..3]
        .iter()
        .map(|r| r.as_ref().unwrap().id.clone().unwrap())
        .collect();
    assert_eq!(ids, ["cat-0", "cat-1", "cat-2"]);
    let err = results[3].as_ref().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Paging {
                operation: "list-categories",
                reason: PagingError::RepeatedPage { offset: 3 },
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.operation(), Some("list-categories"));
    assert_eq!(err.status(), None);
    assert!(err.to_string().contains("ignores the offset"), "{err}");
    assert_eq!(
        windows(&server).await,
        [(Some(0), Some(3)), (Some(3), Some(3))]
    );
}

#[tokio::test]
async fn the_pages_stream_yields_each_response_with_its_meta() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/social-media-posting/{LOCATION}/categories")))
        .respond_with(categories(7))
        .mount(&server)
        .await;

    let pages: Vec<_> = client(&server)
        .list_categories_pages(LOCATION, &ListCategoriesQuery::default().limit(3))
        .try_collect()
        .await
        .unwrap();

    let sizes: Vec<usize> = pages
        .iter()
        .map(|page| page.results.as_ref().unwrap().categories.len())
        .collect();
    assert_eq!(sizes, [3, 3, 1]);
    let served: Vec<&str> = pages
        .iter()
        .map(|page| page.headers()["x-served-skip"].to_str().unwrap())
        .collect();
    assert_eq!(served, ["0", "3", "6"], "each page keeps its own headers");
    assert!(pages.iter().all(|page| page.status() == StatusCode::OK));
    assert!(
        pages
            .iter()
            .all(|page| page.results.as_ref().unwrap().count == 7)
    );
    assert_eq!(
        windows(&server).await,
        [(Some(0), Some(3)), (Some(3), Some(3)), (Some(6), Some(3))]
    );
}

#[tokio::test]
async fn the_page_cap_ends_an_endless_stream_with_an_error() {
    let server = MockServer::start().await;
    // New tags on every page, no count: paging would never end.
    Mock::given(method("GET"))
        .and(path(format!("/social-media-posting/{LOCATION}/tags")))
        .respond_with(uncounted_tags(usize::MAX, usize::MAX))
        .mount(&server)
        .await;

    let client = builder(&server).max_pages(3).build().unwrap();
    let results: Vec<Result<_, Error>> = client
        .list_tags_pages(LOCATION, &ListTagsQuery::default().limit(2))
        .collect()
        .await;

    assert_eq!(results.len(), 4, "three pages, then the error");
    assert!(results[..3].iter().all(Result::is_ok));
    assert!(
        matches!(
            results[3],
            Err(Error::Paging {
                operation: "list-tags",
                reason: PagingError::TooManyPages { pages: 3 },
            })
        ),
        "{:?}",
        results[3]
    );
    assert_eq!(
        windows(&server).await,
        [(Some(0), Some(2)), (Some(2), Some(2)), (Some(4), Some(2))]
    );
}

#[tokio::test]
async fn a_body_paged_operation_moves_the_offset_in_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/social-media-posting/{LOCATION}/posts/list")))
        .respond_with(|request: &Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            // The list search takes its paging numbers as strings.
            let skip: usize = body["skip"].as_str().unwrap().parse().unwrap();
            let limit: usize = body["limit"].as_str().unwrap().parse().unwrap();
            let posts: Vec<Value> = (skip..7.min(skip + limit))
                .map(
                    |i| json!({"_id": format!("post-{i}"), "locationId": LOCATION, "type": "post"}),
                )
                .collect();
            ResponseTemplate::new(201).set_body_json(json!({
                "success": true, "statusCode": 201, "message": "Posts fetched",
                "results": {"posts": posts, "count": 7}
            }))
        })
        .mount(&server)
        .await;

    let search = ListPostsRequest::new(
        "2",
        "3",
        "2024-03-01T00:00:00.000Z",
        "2024-03-31T23:59:59.999Z",
        "false",
    );
    let ids: Vec<String> = client(&server)
        .list_posts_stream(LOCATION, &search)
        .map_ok(|post| post.id.unwrap())
        .try_collect()
        .await
        .unwrap();

    assert_eq!(ids, ["post-2", "post-3", "post-4", "post-5", "post-6"]);
    let bodies: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let windows: Vec<(&str, &str)> = bodies
        .iter()
        .map(|b| (b["skip"].as_str().unwrap(), b["limit"].as_str().unwrap()))
        .collect();
    assert_eq!(windows, [("2", "3"), ("5", "3")]);
    assert!(
        bodies
            .iter()
            .all(|b| b["fromDate"] == "2024-03-01T00:00:00.000Z")
    );
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_its_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/social-media-posting/{LOCATION}/tags")))
        .respond_with(|request: &Request| match query_number(request, "skip") {
            Some(0) => ResponseTemplate::new(200).set_body_json(json!({
                "success": true, "statusCode": 200, "message": "Fetched",
                "results": {"tags": [{"_id": "t1", "tag": "sale"}, {"_id": "t2", "tag": "spring"}], "count": 9}
            })),
            _ => ResponseTemplate::new(422).set_body_json(json!({
                "statusCode": 422, "message": ["skip must not be greater than count"], "error": "Unprocessable Entity"
            })),
        })
        .mount(&server)
        .await;

    let query = highlevel_social_planner::types::ListTagsQuery::default().limit(2);
    let results: Vec<Result<_, Error>> = client(&server)
        .list_tags_stream(LOCATION, &query)
        .collect()
        .await;

    assert_eq!(results.len(), 3);
    assert!(results[..2].iter().all(Result::is_ok));
    let err = results[2].as_ref().unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNPROCESSABLE_ENTITY));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

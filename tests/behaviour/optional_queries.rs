//! Operations whose query parameters are all optional take `None` for none: the request is
//! the one an empty query sends (no query string), and `&query` still works beside it.

use futures_util::TryStreamExt;
use highlevel_social_planner::types::DeleteAccountQuery;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{LOCATION, REMOVED_ACCOUNT, client_for, envelope, received_queries};

#[tokio::test]
async fn none_sends_what_an_empty_query_sends() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!(
            "/social-media-posting/{LOCATION}/accounts/{REMOVED_ACCOUNT}"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(200, "Deleted", json!({}))))
        .expect(3)
        .mount(&server)
        .await;
    let client = client_for(&server);

    client
        .delete_account(LOCATION, REMOVED_ACCOUNT, None)
        .await
        .unwrap();
    client
        .delete_account(LOCATION, REMOVED_ACCOUNT, &DeleteAccountQuery::default())
        .await
        .unwrap();
    let query = DeleteAccountQuery::default().user_id("u1");
    client
        .delete_account(LOCATION, REMOVED_ACCOUNT, &query)
        .await
        .unwrap();

    assert_eq!(
        received_queries(&server).await,
        [None, None, Some("userId=u1".to_owned())]
    );
}

#[tokio::test]
async fn a_stream_without_a_query_pages_from_the_start_with_the_default_size() {
    let server = MockServer::start().await;
    let tags: Vec<_> = (0..3)
        .map(|i| json!({ "_id": format!("tag-{i}"), "tag": format!("t{i}") }))
        .collect();
    Mock::given(method("GET"))
        .and(path(format!("/social-media-posting/{LOCATION}/tags")))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(
            200,
            "Fetched",
            json!({ "tags": tags, "count": 3 }),
        )))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);

    let every: Vec<_> = client
        .list_tags_stream(LOCATION, None)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(every.len(), 3);
    assert_eq!(
        received_queries(&server).await,
        [Some("limit=100&skip=0".to_owned())],
        "the same first page as `&ListTagsQuery::default()` asks for"
    );
}

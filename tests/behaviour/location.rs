//! `client.location(id)`: each method of the view sends exactly the request the client's
//! method sends with that `locationId` (method, path, query, headers, body) and returns the
//! same answer.

use futures_util::TryStreamExt;
use highlevel_social_planner::types::{
    CreatePostRequest, DeleteAccountQuery, ListCategoriesQuery, PostType, UploadCsvRequest,
};
use highlevel_social_planner::{Client, Error, FilePart, Response};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::common::{CSV, CSV_POST, GOOGLE_ACCOUNT, LOCATION, REMOVED_ACCOUNT, USER, envelope};

/// A server that answers every request with one envelope, and a client for it.
async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(
            200,
            "ok",
            json!({ "categories": [{ "_id": "c1", "deleted": false }], "count": 1 }),
        )))
        .mount(&server)
        .await;
    let client = crate::common::client_for(&server);
    (server, client)
}

/// What identifies a request, leaving out what differs per send (multipart boundaries).
fn fingerprint(request: &Request) -> (String, String, Vec<(String, String)>, Vec<u8>) {
    let boundary = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split("boundary=").nth(1))
        .map(str::to_owned);
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(name, value)| {
            let value = value.to_str().unwrap_or_default().to_owned();
            (name.to_string(), strip(&value, boundary.as_deref()))
        })
        .collect();
    headers.sort();
    let body = String::from_utf8_lossy(&request.body);
    (
        request.method.to_string(),
        request.url.to_string(),
        headers,
        strip(&body, boundary.as_deref()).into_bytes(),
    )
}

fn strip(text: &str, boundary: Option<&str>) -> String {
    match boundary {
        Some(boundary) => text.replace(boundary, "BOUNDARY"),
        None => text.to_owned(),
    }
}

/// Both calls ended alike: the same decoded body, or the same error.
#[track_caller]
fn same<T: std::fmt::Debug>(plain: Result<Response<T>, Error>, scoped: Result<Response<T>, Error>) {
    let outcome = |result: Result<Response<T>, Error>| match result {
        Ok(response) => Ok(format!("{:?}", response.into_inner())),
        Err(error) => Err(error.to_string()),
    };
    assert_eq!(outcome(plain), outcome(scoped));
}

/// The requests the server received, as pairs (the client's, the view's) in call order.
async fn assert_pairs_equal(server: &MockServer, calls: usize) {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), calls * 2, "two requests per call");
    for pair in requests.chunks(2) {
        let (plain, scoped) = (fingerprint(&pair[0]), fingerprint(&pair[1]));
        assert_eq!(plain, scoped, "the view sent another request");
        assert!(plain.1.contains(LOCATION), "{}", plain.1);
    }
}

#[tokio::test]
#[allow(
    deprecated,
    reason = "the view keeps the X operations, deprecated like the client's"
)]
async fn each_view_method_sends_the_clients_request() {
    let (server, client) = server().await;
    let location = client.location(LOCATION);
    assert_eq!(location.location_id(), LOCATION);
    assert_eq!(location.client().base_url(), client.base_url());

    // Path parameters only.
    let a = client.list_accounts(LOCATION).await.unwrap();
    let b = location.list_accounts().await.unwrap();
    assert_eq!(a.status(), b.status());
    assert_eq!(*a, *b, "the same answer");
    // Two text arguments after the location, in order. The one answer does not fit every
    // operation: what counts is the request, and that both calls end alike.
    same(
        client.delete_csv_post(LOCATION, CSV, CSV_POST).await,
        location.delete_csv_post(CSV, CSV_POST).await,
    );
    // A query, given and left out.
    let query = DeleteAccountQuery::default().user_id(USER);
    same(
        client
            .delete_account(LOCATION, REMOVED_ACCOUNT, &query)
            .await,
        location.delete_account(REMOVED_ACCOUNT, &query).await,
    );
    same(
        client.delete_account(LOCATION, REMOVED_ACCOUNT, None).await,
        location.delete_account(REMOVED_ACCOUNT, None).await,
    );
    // A JSON body.
    let post = CreatePostRequest::new([GOOGLE_ACCOUNT], PostType::Post, USER).summary("hi");
    same(
        client.create_post(LOCATION, &post).await,
        location.create_post(&post).await,
    );
    // A multipart body.
    let csv = UploadCsvRequest::new(FilePart::new("posts.csv", "a,b\n1,2\n"));
    same(
        client.upload_csv(LOCATION, &csv).await,
        location.upload_csv(&csv).await,
    );
    // A deprecated operation.
    same(
        client.get_twitter_profile(LOCATION, "acc").await,
        location.get_twitter_profile("acc").await,
    );

    assert_pairs_equal(&server, 7).await;
}

#[tokio::test]
async fn the_views_streams_page_like_the_clients() {
    let (server, client) = server().await;
    let location = client.location(LOCATION);
    let query = ListCategoriesQuery::default().limit(5);

    let plain: Vec<_> = client
        .list_categories_stream(LOCATION, &query)
        .try_collect()
        .await
        .unwrap();
    let scoped: Vec<_> = location
        .list_categories_stream(&query)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(plain, scoped);
    assert_eq!(scoped.len(), 1);
    let pages: Vec<_> = client
        .list_categories_pages(LOCATION, None)
        .try_collect()
        .await
        .unwrap();
    let view_pages: Vec<_> = location
        .list_categories_pages(None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), view_pages.len());

    assert_pairs_equal(&server, 2).await;
}

#[tokio::test]
async fn a_view_outlives_the_client_and_the_id_it_was_made_from() {
    let (server, client) = server().await;
    let location = {
        let id = String::from(LOCATION);
        client.with_retry(Default::default()).location(id)
    };
    drop(client);
    location.list_accounts().await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        request.url.path(),
        format!("/social-media-posting/{LOCATION}/accounts")
    );
}

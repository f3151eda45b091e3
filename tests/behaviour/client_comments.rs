//! Behaviour of the comment operations (v3 edition) against a loopback mock server: each sends
//! `Version: v3`, the network in the path and the sub-account in the query, and decodes what
//! the server answers.

use highlevel_social_planner::types::{
    CommentImage, CommentImageType, CommentMention, CreateCommentQuery, CreateCommentRequest,
    LikeCommentQuery, ListCommentsQuery, ListCommentsRequest, ListCommentsRequestSortBy,
    UnlikeCommentQuery,
};
use serde_json::json;
use wiremock::matchers::query_param;

use crate::common;

use common::{
    COMMENT, LOCATION, POST, assert_envelope, assert_no_body, confirmation_reply, envelope_reply,
    expect_v3_call, expect_v3_json_call, only_request, serve,
};

/// The connected Facebook page that comments (`originId`).
const PAGE: &str = "956033194258752";

/// A comment record with every required field.
fn comment_json() -> serde_json::Value {
    json!({
        "_id": COMMENT,
        "platform": "facebook",
        "platformCommentId": "122129390871181019_974705035458625",
        "postId": POST,
        "originId": PAGE,
        "isParentThread": true,
        "isPost": false,
        "content": "Thanks!",
        "attachments": [{ "type": "image/jpeg", "url": "https://example.com/a.jpg" }],
        "author": { "id": "123456789", "name": "Jane Doe" },
        "level": 1,
        "likeCount": 2,
        "reactionCount": 3,
        "replyCount": 0,
        "shareCount": 0,
        "repostCount": 0,
        "quoteCount": 0,
        "isRead": false,
        "isDeleted": false,
        "isEdited": true,
        "publishedAt": "2026-04-01T10:00:00.000Z"
    })
}

#[tokio::test]
async fn create_comment_posts_the_comment_and_decodes_it() {
    let (server, client) = serve(
        [expect_v3_json_call(
            "POST",
            "/social-media-posting/comments/facebook",
            json!({
                "parentId": POST,
                "isParentThread": true,
                "content": "Thanks!",
                "attachments": [{ "url": "https://example.com/a.jpg", "type": "image" }],
                "mentions": [{ "name": "Jane Doe", "id": "102694781978972", "offset": 0, "length": 8 }],
                "notifyAllGroupMembers": false
            }),
        )
        .and(query_param("locationId", LOCATION))],
        envelope_reply(201, "Created Comment", comment_json()),
    )
    .await;

    let body = CreateCommentRequest::new(POST, true, "Thanks!")
        .attachments(vec![CommentImage::new(
            "https://example.com/a.jpg",
            CommentImageType::Image,
        )])
        .mentions(vec![CommentMention::new(
            "Jane Doe",
            "102694781978972",
            0,
            8,
        )])
        .notify_all_group_members(false);
    let response = client
        .create_comment("facebook", &CreateCommentQuery::new(LOCATION), &body)
        .await
        .unwrap();

    assert_envelope!(response, 201, "Created Comment");
    let comment = response.into_inner().results;
    assert_eq!(comment.id, COMMENT);
    assert_eq!(comment.post_id, POST);
    assert_eq!(comment.origin_id, PAGE);
    assert_eq!(comment.is_parent_thread, Some(true));
    assert_eq!((comment.like_count, comment.reaction_count), (2, 3));
    assert!(comment.is_edited);
    assert_eq!(comment.level, Some(1));
    assert_eq!(comment.author.unwrap().name.as_deref(), Some("Jane Doe"));
    assert_eq!(
        comment.attachments.unwrap()[0].r#type.as_deref(),
        Some("image/jpeg")
    );
    assert_eq!(
        only_request(&server).await.url.query(),
        Some(format!("locationId={LOCATION}").as_str())
    );
}

#[tokio::test]
async fn list_comments_posts_the_filters_and_decodes_the_page() {
    let (_server, client) = serve(
        [expect_v3_json_call(
            "POST",
            "/social-media-posting/comments/instagram/list",
            json!({
                "originIds": [PAGE],
                "parentId": POST,
                "fromDate": "2026-05-22T00:00:00.000Z",
                "toDate": "2026-05-29T00:00:00.000Z",
                "sortBy": "top",
                "search": "price",
                "skip": 10,
                "limit": 5
            }),
        )
        .and(query_param("locationId", LOCATION))],
        envelope_reply(
            201,
            "Fetched Comments",
            json!({
                "comments": [comment_json()],
                "meta": { "total": 11, "totalUnread": 4, "skip": 10, "limit": 5, "hasMore": false }
            }),
        ),
    )
    .await;

    let body = ListCommentsRequest::new([PAGE])
        .parent_id(POST)
        .from_date("2026-05-22T00:00:00.000Z")
        .to_date("2026-05-29T00:00:00.000Z")
        .sort_by(ListCommentsRequestSortBy::Top)
        .search("price")
        .skip(10)
        .limit(5);
    let response = client
        .list_comments("instagram", &ListCommentsQuery::new(LOCATION), &body)
        .await
        .unwrap();

    assert_envelope!(response, 201, "Fetched Comments");
    let list = response.into_inner().results;
    assert_eq!(list.comments.len(), 1);
    assert_eq!(list.comments[0].platform, "facebook");
    let meta = list.meta;
    assert_eq!(
        (
            meta.total,
            meta.total_unread,
            meta.skip,
            meta.limit,
            meta.has_more
        ),
        (11, Some(4), 10, 5, false)
    );
}

#[tokio::test]
async fn like_and_unlike_comment_send_the_comment_in_the_path() {
    let like = format!("/social-media-posting/comments/linkedin/{COMMENT}/like");
    let (server, client) = serve(
        [expect_v3_call("POST", &like).and(query_param("locationId", LOCATION))],
        confirmation_reply(201, "Created Like"),
    )
    .await;
    let response = client
        .like_comment("linkedin", COMMENT, &LikeCommentQuery::new(LOCATION))
        .await
        .unwrap();
    assert_envelope!(response, 201, "Created Like");
    assert_no_body(&only_request(&server).await);

    let (server, client) = serve(
        [expect_v3_call("DELETE", &like).and(query_param("locationId", LOCATION))],
        confirmation_reply(200, "Deleted Like"),
    )
    .await;
    let response = client
        .unlike_comment("linkedin", COMMENT, &UnlikeCommentQuery::new(LOCATION))
        .await
        .unwrap();
    assert_envelope!(response, 200, "Deleted Like");
    assert_no_body(&only_request(&server).await);
}

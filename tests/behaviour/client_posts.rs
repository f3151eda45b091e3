//! Behaviour of the post operations (`list-posts`, `create-post`, `get-post`, `edit-post`,
//! `delete-post`, `bulk-delete-posts`) against a loopback mock server: what each call sends
//! (method, path, query, headers, JSON body) and what it decodes.

use highlevel_social_planner::types::{
    ApprovalStatus, BulkDeletePostsRequest, CalendarDate, CreatePostRequest, EditPostRequest,
    FacebookPostDetails, GoogleBusinessActionType, GoogleBusinessEndDateTime,
    GoogleBusinessEventType, GoogleBusinessPostDetails, GoogleBusinessStartDateTime,
    InstagramPostDetails, LinkedInPoll, LinkedInPollDuration, LinkedInPollOption,
    LinkedInPollSettings, LinkedInPostDetails, ListPostsRequest, MediaType, OpenGraphTags,
    PinterestBoards, PinterestPostDetails, Platform, PostApproval, PostListFilter, PostMedia,
    PostSource, PostStatus, PostType, PostUser, TiktokPostDetails, TiktokPrivacyLevel, TimeOfDay,
    YoutubePostDetails, YoutubePostDetailsPrivacyLevel, YoutubePostDetailsType,
};
use serde_json::json;

use crate::common;

use common::{
    APPROVER, CREATOR, GOOGLE_ACCOUNT, LAUNCH_TAG, LOCATION, OTHER_POST, POST, PRIMARY_TAG,
    TIKTOK_ACCOUNT, USER, assert_envelope, assert_one_bare_request, confirmation_reply,
    envelope_reply, expect_call, expect_json_call, expect_v3_json_call, only_request, received,
    serve,
};

const STAIRS_JPG: &str = "https://i0.wp.com/www.lifeofanarchitect.com/wp-content/uploads/2021/10/architectural-model-making-stairs.jpg";
const OG_IMAGE: &str = "https://wwww.lifeofanarchitect.com/wp-content/uploads/2021/10/architectural-model-making-stairs.jpg";
const OG_LINK: &str = "https://www.lifeofanarchitect.com/architectural-model-making/";
const PROFILE_PHOTO: &str =
    "https://storage.googleapis.com/user/kCrjKGHZQ2/profile/1dca8c-61c9-404d-a459-751fbcb.jpeg";

/// The user record the spec uses for a post's author and approver.
fn user_json() -> serde_json::Value {
    json!({
        "id": "6284c43d519161e96cc09c13",
        "title": "Mr",
        "firstName": "Harry",
        "lastName": "Spencer",
        "profilePhoto": PROFILE_PHOTO,
        "phone": "901111119",
        "email": "abc@xyc.com"
    })
}

/// The same user, as the client decodes it.
fn user() -> PostUser {
    PostUser::new(
        "6284c43d519161e96cc09c13",
        "Mr",
        "Harry",
        "Spencer",
        PROFILE_PHOTO,
        "901111119",
        "abc@xyc.com",
    )
}

/// A published Google Business Profile event post with every field the spec shows.
fn google_event_post_json() -> serde_json::Value {
    json!({
        "_id": "61bb16833b3f2791f9715be2",
        "source": "composer",
        "locationId": LOCATION,
        "platform": "google",
        "displayDate": "2023-08-02T00:00:00.000Z",
        "createdAt": "2023-08-01T09:15:00.000Z",
        "updatedAt": "2023-08-02T10:30:00.000Z",
        "accountId": "w37swmmLbA02zgqKPpxITe",
        "postId": "323534534435",
        "publishedAt": "2023-08-02T00:00:05.000Z",
        "accountIds": [GOOGLE_ACCOUNT],
        "summary": "Sample Summary",
        "media": [{
            "url": STAIRS_JPG,
            "caption": "Caption 1",
            "type": "image/png",
            "id": "Edf3323fsfsdsd"
        }],
        "status": "published",
        "createdBy": CREATOR,
        "type": "post",
        "tags": [LAUNCH_TAG],
        "ogTagsDetails": { "metaImage": OG_IMAGE, "metaLink": OG_LINK },
        "postApprovalDetails": {
            "approver": APPROVER,
            "requesterNote": "Please check the offer dates.",
            "approverNote": "Looks good.",
            "approvalStatus": "approved",
            "approverUser": user_json()
        },
        "gmbPostDetails": {
            "gmbEventType": "EVENT",
            "title": "Event Title",
            "startDate": {
                "startDate": { "year": 2024, "month": 1, "day": 15 },
                "startTime": { "hours": 10, "minutes": 0, "seconds": 0 }
            },
            "endDate": {
                "endDate": { "year": 2024, "month": 1, "day": 20 },
                "endTime": { "hours": 18, "minutes": 30, "seconds": 0 }
            },
            "url": "https://google.com",
            "actionType": "book"
        },
        "user": user_json()
    })
}

// ---------------------------------------------------------------------------------------------
// list-posts
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_posts_sends_the_filters_and_decodes_the_page_of_posts() {
    let accounts = format!(
        "{TIKTOK_ACCOUNT}, 38bF83fc29deacac50033e2b_omaDY3RbWtr3P11e808O_17841465964543998"
    );
    let (server, client) = serve(
        [expect_json_call(
            "POST",
            "/social-media-posting/loc%2F1%20x/posts/list",
            json!({
                "type": "failed",
                "accounts": accounts,
                "skip": "0",
                "limit": "10",
                "fromDate": "2024-01-22T05:32:49.463Z",
                "toDate": "2024-03-20T05:32:49.463Z",
                "includeUsers": "true",
                "postType": "reel"
            }),
        )],
        envelope_reply(
            201,
            "Fetched Posts",
            json!({
                "posts": [
                    {
                        "_id": OTHER_POST,
                        "source": "csv",
                        "locationId": LOCATION,
                        "platform": "tiktok",
                        "accountId": TIKTOK_ACCOUNT,
                        "error": "Failed due to auth token",
                        "accountIds": [TIKTOK_ACCOUNT],
                        "summary": "Behind the scenes",
                        "status": "failed",
                        "type": "reel",
                        "tiktokPostDetails": {
                            "privacyLevel": "SELF_ONLY",
                            "enableComment": true,
                            "enableDuet": false,
                            "enableStitch": false
                        },
                        "user": user_json()
                    },
                    // Only the two required fields.
                    { "locationId": LOCATION, "type": "story" }
                ],
                "count": 6
            }),
        ),
    )
    .await;

    let body = ListPostsRequest::new(
        "0",
        "10",
        "2024-01-22T05:32:49.463Z",
        "2024-03-20T05:32:49.463Z",
        "true",
    )
    .r#type(PostListFilter::Failed)
    .accounts(accounts)
    .post_type(PostType::Reel);
    let response = client.list_posts("loc/1 x", &body).await.unwrap();

    assert_envelope!(response, 201, "Fetched Posts");
    let page = response.into_inner().results.unwrap();
    assert_eq!(page.count, Some(6));
    let posts = page.posts.unwrap();
    assert_eq!(posts.len(), 2);

    let failed = &posts[0];
    assert_eq!(failed.id.as_deref(), Some(OTHER_POST));
    assert_eq!(failed.source, Some(PostSource::Csv));
    assert_eq!(failed.location_id, LOCATION);
    assert_eq!(failed.platform, Some(Platform::Tiktok));
    assert_eq!(failed.account_id.as_deref(), Some(TIKTOK_ACCOUNT));
    assert_eq!(failed.error.as_deref(), Some("Failed due to auth token"));
    assert_eq!(
        failed.account_ids.as_deref(),
        Some(&[TIKTOK_ACCOUNT.to_owned()][..])
    );
    assert_eq!(failed.summary.as_deref(), Some("Behind the scenes"));
    assert_eq!(failed.status, Some(PostStatus::Failed));
    assert_eq!(failed.r#type, PostType::Reel);
    assert_eq!(
        failed.tiktok_post_details,
        Some(
            TiktokPostDetails::default()
                .privacy_level(TiktokPrivacyLevel::SelfOnly)
                .enable_comment(true)
                .enable_duet(false)
                .enable_stitch(false)
        )
    );
    assert_eq!(failed.user, Some(user()));
    assert_eq!(failed.gmb_post_details, None);

    let minimal = &posts[1];
    assert_eq!(minimal.location_id, LOCATION);
    assert_eq!(minimal.r#type, PostType::Story);
    assert_eq!(minimal.id, None);
    assert_eq!(minimal.status, None);
    assert_eq!(minimal.user, None);

    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn list_posts_leaves_unset_filters_out_of_the_body() {
    let (server, client) = serve(
        [
            // `type`, `accounts` and `postType` are None and must not be sent.
            expect_json_call(
                "POST",
                &format!("/social-media-posting/{LOCATION}/posts/list"),
                json!({
                    "skip": "20",
                    "limit": "5",
                    "fromDate": "2024-01-22T05:32:49.463Z",
                    "toDate": "2024-03-20T05:32:49.463Z",
                    "includeUsers": "false"
                }),
            ),
        ],
        envelope_reply(201, "Fetched Posts", json!({ "posts": [], "count": 0 })),
    )
    .await;

    let body = ListPostsRequest::new(
        "20",
        "5",
        "2024-01-22T05:32:49.463Z",
        "2024-03-20T05:32:49.463Z",
        "false",
    );
    let results = client
        .list_posts(LOCATION, &body)
        .await
        .unwrap()
        .into_inner()
        .results
        .unwrap();

    assert_eq!(results.posts, Some(vec![]));
    assert_eq!(results.count, Some(0));
    assert_eq!(only_request(&server).await.url.query(), None);
}

// ---------------------------------------------------------------------------------------------
// create-post
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_post_sends_every_field_that_is_set_and_decodes_the_post() {
    let start = json!({
        "startDate": { "year": 2024, "month": 1, "day": 15 },
        "startTime": { "hours": 10, "minutes": 0, "seconds": 0 }
    });
    let end = json!({
        "endDate": { "year": 2024, "month": 1, "day": 20 },
        "endTime": { "hours": 18, "minutes": 0, "seconds": 0 }
    });
    let offer = json!({
        "gmbEventType": "OFFER",
        "offerTitle": "Hey",
        "startDate": start,
        "endDate": end,
        "termsConditions": "https://google.com/privacy",
        "couponCode": "BOGO-50",
        "redeemOnlineUrl": "https://google.com",
        "actionType": "learn_more"
    });
    let sent = json!({
        "accountIds": [GOOGLE_ACCOUNT],
        "summary": "Hello World",
        "media": [
            { "url": STAIRS_JPG, "caption": "Caption 1", "type": "image/png" },
            {
                "url": "https://storage.googleapis.com/test/test/media/test.mp4",
                "type": "video/mp4",
                "thumbnail": "https://storage.googleapis.com/test/test/media/test.jpeg",
                "defaultThumb": "https://storage.googleapis.com/test/test/media/default.jpeg",
                "id": "Edf3323fsfsdsd"
            }
        ],
        "status": "scheduled",
        "scheduleDate": "2024-03-20T05:32:49.463Z",
        "createdBy": CREATOR,
        "followUpComment": "First comment",
        "ogTagsDetails": { "metaImage": OG_IMAGE, "metaLink": OG_LINK },
        "type": "post",
        // `approverNote` is None and must not be sent.
        "postApprovalDetails": {
            "approver": APPROVER,
            "requesterNote": "Please check the offer dates.",
            "approvalStatus": "pending"
        },
        "scheduleTimeUpdated": true,
        "tags": [LAUNCH_TAG, PRIMARY_TAG],
        "categoryId": "65f151c99bc2bf3aaf970d72",
        "gmbPostDetails": offer,
        "userId": USER
    });
    let (server, client) = serve(
        [expect_v3_json_call(
            "POST",
            &format!("/social-media-posting/{LOCATION}/posts"),
            sent,
        )],
        envelope_reply(
            201,
            "Created Post",
            json!({
                "post": {
                    "_id": POST,
                    "source": "composer",
                    "locationId": LOCATION,
                    "platform": "google",
                    "accountIds": [GOOGLE_ACCOUNT],
                    "summary": "Hello World",
                    "status": "scheduled",
                    "createdBy": CREATOR,
                    "type": "post",
                    "tags": [LAUNCH_TAG, PRIMARY_TAG],
                    "postApprovalDetails": {
                        "approver": APPROVER,
                        "approvalStatus": "pending"
                    },
                    "gmbPostDetails": offer
                }
            }),
        ),
    )
    .await;

    let offer_details = GoogleBusinessPostDetails::default()
        .gmb_event_type(GoogleBusinessEventType::Offer)
        .offer_title("Hey")
        .start_date(
            GoogleBusinessStartDateTime::default()
                .start_date(CalendarDate::new(2024, 1, 15))
                .start_time(TimeOfDay::new(10, 0, 0)),
        )
        .end_date(
            GoogleBusinessEndDateTime::default()
                .end_date(CalendarDate::new(2024, 1, 20))
                .end_time(TimeOfDay::new(18, 0, 0)),
        )
        .terms_conditions("https://google.com/privacy")
        .coupon_code("BOGO-50")
        .redeem_online_url("https://google.com")
        .action_type(GoogleBusinessActionType::LearnMore);
    let body = CreatePostRequest::new([GOOGLE_ACCOUNT], PostType::Post, USER)
        .summary("Hello World")
        .media(vec![
            PostMedia::new(STAIRS_JPG)
                .caption("Caption 1")
                .r#type(MediaType::ImagePng),
            PostMedia::new("https://storage.googleapis.com/test/test/media/test.mp4")
                .r#type(MediaType::VideoMp4)
                .thumbnail("https://storage.googleapis.com/test/test/media/test.jpeg")
                .default_thumb("https://storage.googleapis.com/test/test/media/default.jpeg")
                .id("Edf3323fsfsdsd"),
        ])
        .status(PostStatus::Scheduled)
        .schedule_date("2024-03-20T05:32:49.463Z")
        .created_by(CREATOR)
        .follow_up_comment("First comment")
        .og_tags_details(
            OpenGraphTags::default()
                .meta_image(OG_IMAGE)
                .meta_link(OG_LINK),
        )
        .post_approval_details(
            PostApproval::default()
                .approver(APPROVER)
                .requester_note("Please check the offer dates.")
                .approval_status(ApprovalStatus::Pending),
        )
        .schedule_time_updated(true)
        .tags([LAUNCH_TAG, PRIMARY_TAG])
        .category_id("65f151c99bc2bf3aaf970d72")
        .gmb_post_details(offer_details.clone());
    let response = client.create_post(LOCATION, &body).await.unwrap();

    assert_envelope!(response, 201, "Created Post");
    let response = response.into_inner();
    let post = response.results.unwrap().post.unwrap();
    assert_eq!(post.id.as_deref(), Some(POST));
    assert_eq!(post.source, Some(PostSource::Composer));
    assert_eq!(post.location_id, LOCATION);
    assert_eq!(post.platform, Some(Platform::Google));
    assert_eq!(post.status, Some(PostStatus::Scheduled));
    assert_eq!(post.r#type, PostType::Post);
    assert_eq!(
        post.tags.as_deref(),
        Some(&[LAUNCH_TAG.to_owned(), PRIMARY_TAG.to_owned()][..])
    );
    let approval = post.post_approval_details.unwrap();
    assert_eq!(approval.approver.as_deref(), Some(APPROVER));
    assert_eq!(approval.approval_status, Some(ApprovalStatus::Pending));
    assert_eq!(approval.approver_user, None);
    // The offer comes back as it was sent.
    assert_eq!(post.gmb_post_details, Some(offer_details));
    assert_eq!(post.media, None);

    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn create_post_with_only_the_required_fields_sends_nothing_else() {
    let (_server, client) = serve(
        [expect_v3_json_call(
            "POST",
            &format!("/social-media-posting/{LOCATION}/posts"),
            json!({
                "accountIds": [GOOGLE_ACCOUNT, TIKTOK_ACCOUNT],
                "type": "story",
                "userId": USER
            }),
        )],
        envelope_reply(
            201,
            "Created Post",
            json!({ "post": { "locationId": LOCATION, "type": "story", "status": "draft" } }),
        ),
    )
    .await;

    let body = CreatePostRequest::new(
        vec![GOOGLE_ACCOUNT.to_owned(), TIKTOK_ACCOUNT.to_owned()],
        PostType::Story,
        USER,
    );
    let post = client
        .create_post(LOCATION, &body)
        .await
        .unwrap()
        .into_inner()
        .results
        .unwrap()
        .post
        .unwrap();

    assert_eq!(post.r#type, PostType::Story);
    assert_eq!(post.status, Some(PostStatus::Draft));
    assert_eq!(post.id, None);
}

/// The fields the v3 edition adds: sent as v3, and read back from the post, including the
/// enum values it adds (a queue's post source, the pending status, the new platforms).
#[tokio::test]
async fn create_post_sends_the_v3_fields_and_reads_the_v3_post() {
    let (server, client) = serve(
        [expect_v3_json_call(
            "POST",
            &format!("/social-media-posting/{LOCATION}/posts"),
            json!({
                "accountIds": [GOOGLE_ACCOUNT],
                "media": [{ "url": STAIRS_JPG, "type": "image/jpeg", "altText": "Stairs of a model" }],
                "type": "reel",
                "applyWatermark": true,
                "selectedBestTime": "2024-01-15T10:00:00.000Z",
                "facebookPostDetails": { "type": "reel" },
                "instagramPostDetails": {
                    "type": "reel",
                    "collaborators": { "acc-1": ["jane"] },
                    "showOnFeed": true
                },
                "linkedinPostDetails": {
                    "poll": {
                        "question": "Which colour?",
                        "options": [{ "text": "Red" }, { "text": "Blue" }],
                        "settings": { "duration": "THREE_DAYS" }
                    }
                },
                "pinterestPostDetails": {
                    "title": "Stairs",
                    "pinterestBoards": [{ "accountId": "pin-1", "boards": ["b-1", "b-2"] }]
                },
                "youtubePostDetails": { "type": "short", "privacyLevel": "unlisted" },
                "userId": USER
            }),
        )],
        envelope_reply(
            201,
            "Created Post",
            json!({
                "post": {
                    "locationId": LOCATION,
                    "type": "reel",
                    "status": "pending",
                    "source": "category-queue",
                    "platform": "youtube",
                    "thumbnail": "https://example.com/cover.jpeg",
                    "media": [{
                        "url": STAIRS_JPG,
                        "type": "image/jpeg",
                        "watermarkedUrl": "https://example.com/watermarked.jpeg",
                        "isModified": true
                    }],
                    "youtubePostDetails": { "type": "short", "title": "Stairs" },
                    "blueskyPostDetails": { "language": "en" },
                    "mediaOptimization": true,
                    "insights": { "like": 12, "share": 3, "comment": 5 }
                }
            }),
        ),
    )
    .await;

    let body = CreatePostRequest::new([GOOGLE_ACCOUNT], PostType::Reel, USER)
        .media(vec![
            PostMedia::new(STAIRS_JPG)
                .r#type(MediaType::ImageJpeg)
                .alt_text("Stairs of a model"),
        ])
        .apply_watermark(true)
        .selected_best_time("2024-01-15T10:00:00.000Z")
        .facebook_post_details(FacebookPostDetails::new(PostType::Reel))
        .instagram_post_details(
            InstagramPostDetails::new(PostType::Reel)
                .collaborators([("acc-1".to_owned(), vec!["jane".to_owned()])].into())
                .show_on_feed(true),
        )
        .linkedin_post_details(LinkedInPostDetails::default().poll(LinkedInPoll::new(
            "Which colour?",
            [
                LinkedInPollOption::new("Red"),
                LinkedInPollOption::new("Blue"),
            ],
            LinkedInPollSettings::new(LinkedInPollDuration::ThreeDays),
        )))
        .pinterest_post_details(
            PinterestPostDetails::default()
                .title("Stairs")
                .pinterest_boards(vec![PinterestBoards::new("pin-1", ["b-1", "b-2"])]),
        )
        .youtube_post_details(
            YoutubePostDetails::new(YoutubePostDetailsType::Short)
                .privacy_level(YoutubePostDetailsPrivacyLevel::Unlisted),
        );
    let post = client
        .create_post(LOCATION, &body)
        .await
        .unwrap()
        .into_inner()
        .results
        .unwrap()
        .post
        .unwrap();

    assert_eq!(post.status, Some(PostStatus::Pending));
    assert_eq!(post.source, Some(PostSource::CategoryQueue));
    assert_eq!(post.platform, Some(Platform::Youtube));
    assert_eq!(
        post.thumbnail.as_deref(),
        Some("https://example.com/cover.jpeg")
    );
    let media = &post.media.unwrap()[0];
    assert_eq!(media.r#type, Some(MediaType::ImageJpeg));
    assert_eq!(
        media.watermarked_url.as_deref(),
        Some("https://example.com/watermarked.jpeg")
    );
    assert_eq!(media.is_modified, Some(true));
    let youtube = post.youtube_post_details.unwrap();
    assert_eq!(youtube.r#type, YoutubePostDetailsType::Short);
    assert_eq!(youtube.title.as_deref(), Some("Stairs"));
    assert_eq!(
        post.bluesky_post_details.unwrap().language.as_deref(),
        Some("en")
    );
    assert_eq!(post.media_optimization, Some(true));
    let insights = post.insights.unwrap();
    assert_eq!(
        (insights.like, insights.share, insights.comment),
        (Some(12), Some(3), Some(5))
    );
    assert_eq!(only_request(&server).await.url.query(), None);
}

// ---------------------------------------------------------------------------------------------
// get-post
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_post_encodes_the_path_and_decodes_every_nested_object() {
    let (server, client) = serve(
        [expect_call(
            "GET",
            &format!("/social-media-posting/{LOCATION}/posts/61bb%2F1683%3Fx%23y%20z"),
        )],
        envelope_reply(
            200,
            "Fetched Post",
            json!({ "post": google_event_post_json() }),
        ),
    )
    .await;

    let response = client.get_post(LOCATION, "61bb/1683?x#y z").await.unwrap();

    assert_envelope!(response, 200, "Fetched Post");
    let response = response.into_inner();
    let post = response.results.unwrap().post.unwrap();
    assert_eq!(post.id.as_deref(), Some("61bb16833b3f2791f9715be2"));
    assert_eq!(post.source, Some(PostSource::Composer));
    assert_eq!(post.location_id, LOCATION);
    assert_eq!(post.platform, Some(Platform::Google));
    assert_eq!(
        post.display_date.as_deref(),
        Some("2023-08-02T00:00:00.000Z")
    );
    assert_eq!(post.created_at.as_deref(), Some("2023-08-01T09:15:00.000Z"));
    assert_eq!(post.updated_at.as_deref(), Some("2023-08-02T10:30:00.000Z"));
    assert_eq!(post.account_id.as_deref(), Some("w37swmmLbA02zgqKPpxITe"));
    assert_eq!(post.error, None);
    assert_eq!(post.post_id.as_deref(), Some("323534534435"));
    assert_eq!(
        post.published_at.as_deref(),
        Some("2023-08-02T00:00:05.000Z")
    );
    assert_eq!(post.account_ids, Some(vec![GOOGLE_ACCOUNT.to_owned()]));
    assert_eq!(post.summary.as_deref(), Some("Sample Summary"));
    assert_eq!(
        post.media,
        Some(vec![
            PostMedia::new(STAIRS_JPG)
                .caption("Caption 1")
                .r#type(MediaType::ImagePng)
                .id("Edf3323fsfsdsd")
        ])
    );
    assert_eq!(post.status, Some(PostStatus::Published));
    assert_eq!(post.created_by.as_deref(), Some(CREATOR));
    assert_eq!(post.r#type, PostType::Post);
    assert_eq!(post.tags, Some(vec![LAUNCH_TAG.to_owned()]));
    assert_eq!(
        post.og_tags_details,
        Some(
            OpenGraphTags::default()
                .meta_image(OG_IMAGE)
                .meta_link(OG_LINK)
        )
    );

    let approval = post.post_approval_details.unwrap();
    assert_eq!(approval.approver.as_deref(), Some(APPROVER));
    assert_eq!(
        approval.requester_note.as_deref(),
        Some("Please check the offer dates.")
    );
    assert_eq!(approval.approver_note.as_deref(), Some("Looks good."));
    assert_eq!(approval.approval_status, Some(ApprovalStatus::Approved));
    assert_eq!(approval.approver_user, Some(user()));

    let event = post.gmb_post_details.unwrap();
    assert_eq!(event.gmb_event_type, Some(GoogleBusinessEventType::Event));
    assert_eq!(event.title.as_deref(), Some("Event Title"));
    let start = event.start_date.unwrap();
    assert_eq!(start.start_date, Some(CalendarDate::new(2024, 1, 15)));
    assert_eq!(start.start_time, Some(TimeOfDay::new(10, 0, 0)));
    let end = event.end_date.unwrap();
    assert_eq!(end.end_date, Some(CalendarDate::new(2024, 1, 20)));
    let end_time = end.end_time.unwrap();
    assert_eq!(
        (end_time.hours, end_time.minutes, end_time.seconds),
        (18, 30, 0)
    );
    assert_eq!(event.url.as_deref(), Some("https://google.com"));
    assert_eq!(event.action_type, Some(GoogleBusinessActionType::Book));
    assert_eq!(event.offer_title, None);
    assert_eq!(event.coupon_code, None);

    assert_eq!(post.tiktok_post_details, None);
    let author = post.user.unwrap();
    assert_eq!(author.id, "6284c43d519161e96cc09c13");
    assert_eq!(author.first_name, "Harry");
    assert_eq!(author.last_name, "Spencer");
    assert_eq!(author.email, "abc@xyc.com");

    assert_one_bare_request(&server).await;
}

// ---------------------------------------------------------------------------------------------
// edit-post
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn edit_post_puts_the_set_fields_and_decodes_the_confirmation() {
    let path = &format!("/social-media-posting/{LOCATION}/posts/65fac446%2Fd5%20x");
    let updated = confirmation_reply(200, "Updated Post");
    let (server, client) = serve(
        [
            expect_v3_json_call(
                "PUT",
                path,
                json!({
                    "accountIds": [TIKTOK_ACCOUNT],
                    "summary": "Behind the scenes, take two",
                    "media": [{ "url": "https://storage.googleapis.com/test/test/media/test.mp4" }],
                    "status": "in_review",
                    "scheduleDate": "2024-03-21T08:00:00.000Z",
                    "type": "reel",
                    "scheduleTimeUpdated": true,
                    "tiktokPostDetails": {
                        "privacyLevel": "PUBLIC_TO_EVERYONE",
                        "promoteOtherBrand": false,
                        "enableComment": true,
                        "enableDuet": true,
                        "enableStitch": false,
                        "videoDisclosure": true,
                        "promoteYourBrand": true
                    },
                    "userId": USER
                }),
            ),
            // Only `type` is required: nothing else may be sent.
            expect_v3_json_call("PUT", path, json!({ "type": "story" })),
        ],
        updated,
    )
    .await;

    let full = EditPostRequest::new(PostType::Reel)
        .account_ids([TIKTOK_ACCOUNT])
        .summary("Behind the scenes, take two")
        .media(vec![PostMedia::new(
            "https://storage.googleapis.com/test/test/media/test.mp4",
        )])
        .status(PostStatus::InReview)
        .schedule_date("2024-03-21T08:00:00.000Z")
        .schedule_time_updated(true)
        .tiktok_post_details(
            TiktokPostDetails::default()
                .privacy_level(TiktokPrivacyLevel::PublicToEveryone)
                .promote_other_brand(false)
                .enable_comment(true)
                .enable_duet(true)
                .enable_stitch(false)
                .video_disclosure(true)
                .promote_your_brand(true),
        )
        .user_id(USER);
    for body in [full, EditPostRequest::new(PostType::Story)] {
        let response = client
            .edit_post(LOCATION, "65fac446/d5 x", &body)
            .await
            .unwrap();
        assert_envelope!(response, 200, "Updated Post");
    }

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.url.query().is_none()));
}

// ---------------------------------------------------------------------------------------------
// delete-post
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn delete_post_encodes_the_path_and_decodes_the_deleted_id() {
    let (server, client) = serve(
        [expect_call(
            "DELETE",
            &format!("/social-media-posting/loc%2F1/posts/{POST}"),
        )],
        envelope_reply(200, "Deleted Post", json!({ "postId": POST })),
    )
    .await;

    let response = client.delete_post("loc/1", POST).await.unwrap();

    assert_envelope!(response, 200, "Deleted Post");
    let response = response.into_inner();
    assert_eq!(response.results.unwrap().post_id.as_deref(), Some(POST));

    assert_one_bare_request(&server).await;
}

// ---------------------------------------------------------------------------------------------
// bulk-delete-posts
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn bulk_delete_posts_sends_the_ids_and_decodes_the_count() {
    let (server, client) = serve(
        [expect_json_call(
            "POST",
            &format!("/social-media-posting/{LOCATION}/posts/bulk-delete"),
            json!({ "postIds": [OTHER_POST, POST] }),
        )],
        envelope_reply(
            201,
            "Posts Deleted Successfully",
            json!({ "message": "Posts deleted successfully", "deletedCount": 2 }),
        ),
    )
    .await;

    let body = BulkDeletePostsRequest::new([OTHER_POST, POST]);
    let response = client.bulk_delete_posts(LOCATION, &body).await.unwrap();

    assert_envelope!(response, 201, "Posts Deleted Successfully");
    let response = response.into_inner();
    let results = response.results.unwrap();
    assert_eq!(
        results.message.as_deref(),
        Some("Posts deleted successfully")
    );
    assert_eq!(results.deleted_count, Some(2));
    assert_eq!(only_request(&server).await.url.query(), None);
}

//! Behaviour of the category-queue operations (v3 edition) against a loopback mock server:
//! each sends `Version: v3` with its method, path, query and body, and decodes what the
//! server answers. Queue envelopes carry no top-level `message`, and a `traceId`.

use highlevel_social_planner::types::{
    CloneQueueItemRequest, CreateQueueItemRequest, CreateQueueRequest, DeleteActiveQueuePostQuery,
    DeleteQueueItemQuery, GetQueueQuery, ListQueueCategoriesQuery, ListQueueItemsRequest,
    ListQueueSlotsRequest, ListQueuesRequest, PostType, QueueCalendarRequest,
    QueueCategoryStateStatus, QueueEditCalendarRequest, QueueEditRequest, QueueLinkPreview,
    QueueOrder, QueuePosition, QueuePostInput, QueueStatus, QueueVariation, ResetQueueItemRequest,
    StartQueueEditRequest, TimeSlot, UpdateQueueItemRequest, UpdateQueueRequest,
};
use serde_json::json;
use wiremock::ResponseTemplate;
use wiremock::matchers::{query_param, query_param_is_missing};

use crate::common;

use common::{
    CATEGORY, EDIT_SESSION, GOOGLE_ACCOUNT, LOCATION, POST, QUEUE, QUEUE_ITEM, USER,
    assert_no_body, expect_v3_call, expect_v3_json_call, json_reply, only_request,
    received_queries, serve,
};

const TRACE: &str = "5b5dc1ae-3b7c-4a51-9f46-7b6a4c1f2d10";
const QUEUES: &str = "/social-media-posting/category/queues";

/// A queue envelope: `success`, `statusCode`, `results` and a `traceId`, no `message`.
fn queue_reply(status: u16, results: serde_json::Value) -> ResponseTemplate {
    json_reply(
        status,
        json!({ "success": true, "statusCode": status, "results": results, "traceId": TRACE }),
    )
}

/// A queue as the server describes it.
fn queue_json() -> serde_json::Value {
    json!({
        "_id": QUEUE,
        "locationId": LOCATION,
        "categoryId": CATEGORY,
        "timeSlots": [
            { "_id": "686ebf10c78c23d665c28d67", "dayOfWeek": 1, "time": "09:00" },
            { "dayOfWeek": 4, "time": "17:30" }
        ],
        "enableFuturePosts": true,
        "prioritizeNewContent": false,
        "currentOrder": 1000,
        "status": "paused",
        "skipDateTime": ["2025-07-14T09:00:00.000Z"],
        "currentPostId": null,
        "totalPosts": 10,
        "lastScheduledTime": null,
        "createdBy": USER,
        "category": { "_id": CATEGORY, "name": "Evergreen tips", "primaryColor": "#004EEB" }
    })
}

/// A queue item as the server describes it.
fn item_json() -> serde_json::Value {
    json!({
        "_id": QUEUE_ITEM,
        "queueId": QUEUE,
        "order": 1500,
        "variations": [
            { "_id": "v-1", "content": "Tip one", "ogTags": { "metaLink": "https://example.com/tip" } },
            { "_id": "v-2", "content": "Tip one, again", "mentions": [{ "platform": "instagram", "username": "jane" }] }
        ],
        "currentVariation": 1,
        "post": { "locationId": LOCATION, "type": "post", "summary": "Tip one", "source": "category-queue" },
        "errors": ["PIXABAY_MEDIA"],
        "scheduledDateTime": "2025-10-15T10:00:00.000Z",
        "isSkipped": false
    })
}

#[tokio::test]
async fn list_queue_categories_sends_its_query_and_decodes_each_state() {
    let (server, client) = serve(
        [
            expect_v3_call("GET", &format!("{QUEUES}/available-categories"))
                .and(query_param("locationId", LOCATION))
                .and(query_param("skip", "20"))
                .and(query_param("limit", "10"))
                .and(query_param("q", "Tips")),
        ],
        queue_reply(
            200,
            json!({
                "message": "Available categories fetched successfully",
                "categories": [
                    {
                        "_id": CATEGORY,
                        "name": "Evergreen tips",
                        "publishedPostsCount": 80,
                        "status": "in_queue",
                        "queueDetails": { "queueId": QUEUE, "prioritizeNewContent": true }
                    },
                    { "_id": "c-2", "status": "available", "queueDetails": null }
                ],
                "meta": { "count": "22" }
            }),
        ),
    )
    .await;

    let query = ListQueueCategoriesQuery::new(LOCATION)
        .skip(20)
        .limit(10)
        .q("Tips");
    let response = client.list_queue_categories(&query).await.unwrap();

    assert_eq!(response.status().as_u16(), 200);
    let response = response.into_inner();
    assert!(response.success);
    assert_eq!(response.trace_id.as_deref(), Some(TRACE));
    let list = response.results;
    assert_eq!(list.meta.unwrap().count.as_deref(), Some("22"));
    let categories = list.categories.unwrap();
    let queued = &categories[0];
    assert_eq!(queued.id.as_deref(), Some(CATEGORY));
    assert_eq!(queued.published_posts_count, Some(80));
    assert_eq!(queued.status, Some(QueueCategoryStateStatus::InQueue));
    let details = queued.queue_details.as_ref().unwrap();
    assert_eq!(details.queue_id.as_deref(), Some(QUEUE));
    assert_eq!(details.prioritize_new_content, Some(true));
    assert_eq!(
        categories[1].status,
        Some(QueueCategoryStateStatus::Available)
    );
    assert_eq!(categories[1].queue_details, None);
    assert_no_body(&only_request(&server).await);
}

#[tokio::test]
async fn create_queue_posts_the_timetable_and_decodes_the_draft() {
    let (_server, client) = serve(
        [expect_v3_json_call(
            "POST",
            QUEUES,
            json!({
                "locationId": LOCATION,
                "categoryId": CATEGORY,
                "timeSlots": [{ "dayOfWeek": 1, "time": "09:00" }, { "dayOfWeek": 4, "time": "17:30" }],
                "prioritizeNewContent": true,
                "userId": USER
            }),
        )],
        queue_reply(
            201,
            json!({
                "message": "Queue created successfully",
                "queue": { "_id": QUEUE, "status": "draft", "totalPosts": 0, "skipDateTime": [] }
            }),
        ),
    )
    .await;

    let body = CreateQueueRequest::new(
        LOCATION,
        CATEGORY,
        [TimeSlot::new(1, "09:00"), TimeSlot::new(4, "17:30")],
        USER,
    )
    .prioritize_new_content(true);
    let response = client.create_queue(&body).await.unwrap();

    assert_eq!(response.status().as_u16(), 201);
    let result = response.into_inner().results;
    assert_eq!(
        result.message.as_deref(),
        Some("Queue created successfully")
    );
    let queue = result.queue.unwrap();
    assert_eq!(queue.id.as_deref(), Some(QUEUE));
    assert_eq!(queue.status, Some(QueueStatus::Draft));
    assert_eq!(queue.total_posts, Some(0));
    assert_eq!(queue.skip_date_time, Some(vec![]));
}

#[tokio::test]
async fn list_queues_posts_the_paging_in_the_body_and_decodes_the_queues() {
    let (server, client) = serve(
        [expect_v3_json_call(
            "POST",
            &format!("{QUEUES}/list"),
            json!({ "locationId": LOCATION, "skip": 10, "limit": 5 }),
        )],
        queue_reply(
            201,
            json!({ "message": "Queues fetched successfully", "queues": [queue_json()], "meta": { "count": "11" } }),
        ),
    )
    .await;

    let response = client
        .list_queues(&ListQueuesRequest::new(LOCATION).skip(10).limit(5))
        .await
        .unwrap();

    let list = response.into_inner().results;
    assert_eq!(list.meta.unwrap().count.as_deref(), Some("11"));
    let queue = &list.queues.unwrap()[0];
    assert_eq!(queue.status, Some(QueueStatus::Paused));
    assert_eq!(queue.current_order, Some(1000.0));
    assert_eq!(queue.current_post_id, None);
    assert_eq!(queue.last_scheduled_time, None);
    let slots = queue.time_slots.as_ref().unwrap();
    assert_eq!(slots[0].id.as_deref(), Some("686ebf10c78c23d665c28d67"));
    assert_eq!((slots[1].day_of_week, slots[1].time.as_str()), (4, "17:30"));
    let category = queue.category.as_ref().unwrap();
    assert_eq!(category.name.as_deref(), Some("Evergreen tips"));
    assert_eq!(category.deleted, None);
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn get_queue_calendar_posts_the_window_and_decodes_the_scheduled_posts() {
    let (_server, client) = serve(
        [expect_v3_json_call(
            "POST",
            &format!("{QUEUES}/list/calendar"),
            json!({
                "locationId": LOCATION,
                "startDate": "2025-10-01T00:00:00.000Z",
                "endDate": "2025-10-31T23:59:59.999Z",
                "categoryIds": [CATEGORY],
                "accountIds": [GOOGLE_ACCOUNT]
            }),
        )],
        queue_reply(
            201,
            json!({
                "message": "Calendar list fetched successfully",
                "scheduledPosts": [{
                    "scheduledDateTime": "2025-10-15T10:00:00.000Z",
                    "queueItemId": QUEUE_ITEM,
                    "queueId": QUEUE,
                    "post": { "locationId": LOCATION, "type": "post" },
                    "category": null,
                    "timezone": "America/New_York"
                }],
                "total": 1,
                "timezone": "America/New_York"
            }),
        ),
    )
    .await;

    let body = QueueCalendarRequest::new(
        LOCATION,
        "2025-10-01T00:00:00.000Z",
        "2025-10-31T23:59:59.999Z",
    )
    .category_ids([CATEGORY])
    .account_ids([GOOGLE_ACCOUNT]);
    let calendar = client
        .get_queue_calendar(&body)
        .await
        .unwrap()
        .into_inner()
        .results;

    assert_eq!(calendar.total, Some(1));
    assert_eq!(calendar.timezone.as_deref(), Some("America/New_York"));
    let scheduled = &calendar.scheduled_posts.unwrap()[0];
    assert_eq!(scheduled.queue_item_id.as_deref(), Some(QUEUE_ITEM));
    assert_eq!(
        scheduled.scheduled_date_time.as_deref(),
        Some("2025-10-15T10:00:00.000Z")
    );
    assert_eq!(scheduled.post.as_ref().unwrap().r#type, PostType::Post);
    assert_eq!(scheduled.category, None);
    assert_eq!(scheduled.is_draft, None);
}

#[tokio::test]
async fn get_queue_encodes_the_path_and_sends_the_location_in_the_query() {
    let (server, client) = serve(
        [expect_v3_call("GET", &format!("{QUEUES}/q%2F1"))
            .and(query_param("locationId", LOCATION))],
        queue_reply(
            200,
            json!({ "message": "Queue fetched successfully", "queue": queue_json() }),
        ),
    )
    .await;

    let response = client
        .get_queue("q/1", &GetQueueQuery::new(LOCATION))
        .await
        .unwrap();

    let queue = response.into_inner().results.queue.unwrap();
    assert_eq!(queue.id.as_deref(), Some(QUEUE));
    assert_eq!(queue.enable_future_posts, Some(true));
    assert_eq!(
        queue.skip_date_time,
        Some(vec!["2025-07-14T09:00:00.000Z".to_owned()])
    );
    assert_no_body(&only_request(&server).await);
}

#[tokio::test]
async fn update_queue_puts_only_the_fields_that_are_set() {
    let path = format!("{QUEUES}/{QUEUE}");
    let (server, client) = serve(
        [
            expect_v3_json_call(
                "PUT",
                &path,
                json!({
                    "locationId": LOCATION,
                    "status": "active",
                    "skipDateTime": "2025-10-05T09:00:00.000Z",
                    "timeSlots": [{ "dayOfWeek": 0, "time": "12:00" }],
                    "skipLegacyWatermark": true
                }),
            ),
            expect_v3_json_call("PUT", &path, json!({ "locationId": "other-location" })),
        ],
        queue_reply(
            200,
            json!({ "message": "Queue resumed successfully.", "queue": { "_id": QUEUE, "status": "active" } }),
        ),
    )
    .await;

    let every = UpdateQueueRequest::new(LOCATION)
        .status(QueueStatus::Active)
        .skip_date_time("2025-10-05T09:00:00.000Z")
        .time_slots(vec![TimeSlot::new(0, "12:00")])
        .skip_legacy_watermark(true);
    for body in [every, UpdateQueueRequest::new("other-location")] {
        let result = client
            .update_queue(QUEUE, &body)
            .await
            .unwrap()
            .into_inner()
            .results;
        assert_eq!(
            result.message.as_deref(),
            Some("Queue resumed successfully.")
        );
        assert_eq!(result.queue.unwrap().status, Some(QueueStatus::Active));
    }
    assert_eq!(received_queries(&server).await, [None, None]);
}

#[tokio::test]
async fn list_queue_items_posts_its_filters_and_decodes_the_items() {
    let (_server, client) = serve(
        [expect_v3_json_call(
            "POST",
            &format!("{QUEUES}/{QUEUE}/items"),
            json!({
                "locationId": LOCATION,
                "sessionId": EDIT_SESSION,
                "limit": 10,
                "errorFilter": true,
                "itemId": QUEUE_ITEM
            }),
        )],
        queue_reply(
            201,
            json!({
                "message": "Queue items fetched successfully",
                "items": [item_json()],
                "meta": { "count": "100", "skip": 40, "limit": 10 }
            }),
        ),
    )
    .await;

    let body = ListQueueItemsRequest::new(LOCATION)
        .session_id(EDIT_SESSION)
        .limit(10)
        .error_filter(true)
        .item_id(QUEUE_ITEM);
    let list = client
        .list_queue_items(QUEUE, &body)
        .await
        .unwrap()
        .into_inner()
        .results;

    let meta = list.meta.unwrap();
    assert_eq!(
        (meta.count.as_deref(), meta.skip, meta.limit),
        (Some("100"), Some(40), Some(10))
    );
    let item = &list.items.unwrap()[0];
    assert_eq!(item.id.as_deref(), Some(QUEUE_ITEM));
    assert_eq!(item.order, Some(1500.0));
    assert_eq!(item.current_variation, Some(1));
    assert_eq!(item.errors, Some(vec!["PIXABAY_MEDIA".to_owned()]));
    assert_eq!(item.is_skipped, Some(false));
    let variations = item.variations.as_ref().unwrap();
    assert_eq!(
        variations[0].og_tags.as_ref().unwrap().meta_link.as_deref(),
        Some("https://example.com/tip")
    );
    let mention = &variations[1].mentions.as_ref().unwrap()[0];
    assert_eq!(mention.get("username"), Some(&json!("jane")));
    assert_eq!(
        item.post.as_ref().unwrap().summary.as_deref(),
        Some("Tip one")
    );
}

#[tokio::test]
async fn create_queue_item_posts_the_item_with_a_keyword_position() {
    let (_server, client) = serve(
        [expect_v3_json_call(
            "POST",
            &format!("{QUEUES}/{QUEUE}/create/item"),
            json!({
                "locationId": LOCATION,
                "sessionId": EDIT_SESSION,
                "modifiedPostPayload": { "summary": "Tip two", "type": "post", "applyWatermark": true },
                "order": "top",
                "variations": [
                    { "content": "Tip two" },
                    { "content": "Tip two, again", "ogTags": { "ogTitle": "Tip" } }
                ],
                "primaryImage": "https://example.com/tip.png"
            }),
        )],
        queue_reply(
            201,
            json!({
                "message": "Queue item created successfully",
                "queueItem": {
                    "_id": "new-item",
                    "queueId": QUEUE,
                    "order": 500,
                    "modifiedPostPayload": { "locationId": LOCATION, "type": "post", "summary": "Tip two" },
                    "deleted": false,
                    "createdAt": "2024-12-09T13:41:21.385Z"
                }
            }),
        ),
    )
    .await;

    let body = CreateQueueItemRequest::new(LOCATION)
        .session_id(EDIT_SESSION)
        .modified_post_payload(
            QueuePostInput::default()
                .summary("Tip two")
                .r#type(PostType::Post)
                .apply_watermark(true),
        )
        .order(QueueOrder::QueuePosition(QueuePosition::Top))
        .variations(vec![
            QueueVariation::default().content("Tip two"),
            QueueVariation::default()
                .content("Tip two, again")
                .og_tags(QueueLinkPreview::default().og_title("Tip")),
        ])
        .primary_image("https://example.com/tip.png");
    let response = client.create_queue_item(QUEUE, &body).await.unwrap();

    assert_eq!(response.status().as_u16(), 201);
    let item = response.into_inner().results.queue_item.unwrap();
    assert_eq!(item.id.as_deref(), Some("new-item"));
    assert_eq!(item.order, Some(500.0));
    assert_eq!(item.deleted, Some(false));
    assert_eq!(
        item.modified_post_payload.unwrap().summary.as_deref(),
        Some("Tip two")
    );
}

#[tokio::test]
async fn update_queue_item_moves_it_by_number_and_decodes_the_moved_slots() {
    let (_server, client) = serve(
        [expect_v3_json_call(
            "PUT",
            &format!("{QUEUES}/{QUEUE}/items/{QUEUE_ITEM}"),
            json!({ "locationId": LOCATION, "newOrder": 1250.5 }),
        )],
        queue_reply(
            200,
            json!({
                "message": "Queue item updated successfully",
                "queueItem": { "_id": QUEUE_ITEM, "order": 1250.5 },
                "updatedSlots": [
                    { "itemId": QUEUE_ITEM, "scheduledDateTime": "2025-10-16T10:00:00.000Z", "isSkipped": false },
                    { "itemId": "next", "scheduledDateTime": null, "isSkipped": true }
                ],
                "totalPostsChanged": 2
            }),
        ),
    )
    .await;

    let body = UpdateQueueItemRequest::new(LOCATION).new_order(QueueOrder::Value(1250.5));
    let result = client
        .update_queue_item(QUEUE, QUEUE_ITEM, &body)
        .await
        .unwrap()
        .into_inner()
        .results;

    assert_eq!(result.total_posts_changed, Some(2));
    let slots = result.updated_slots.unwrap();
    assert_eq!(
        slots[0].scheduled_date_time.as_deref(),
        Some("2025-10-16T10:00:00.000Z")
    );
    assert_eq!(
        (slots[1].scheduled_date_time.as_deref(), slots[1].is_skipped),
        (None, Some(true))
    );
    assert_eq!(result.queue_item.unwrap().order, Some(1250.5));
}

#[tokio::test]
async fn delete_queue_item_sends_the_session_in_the_query_only_when_set() {
    let path = format!("{QUEUES}/{QUEUE}/items/{QUEUE_ITEM}");
    let (server, client) = serve(
        [
            expect_v3_call("DELETE", &path)
                .and(query_param("locationId", LOCATION))
                .and(query_param("sessionId", EDIT_SESSION)),
            expect_v3_call("DELETE", &path)
                .and(query_param("locationId", "other-location"))
                .and(query_param_is_missing("sessionId")),
        ],
        queue_reply(
            200,
            json!({ "message": "The queue item has been successfully deleted.", "updatedSlots": [], "totalPostsChanged": 0 }),
        ),
    )
    .await;

    for query in [
        DeleteQueueItemQuery::new(LOCATION).session_id(EDIT_SESSION),
        DeleteQueueItemQuery::new("other-location"),
    ] {
        let change = client
            .delete_queue_item(QUEUE, QUEUE_ITEM, &query)
            .await
            .unwrap()
            .into_inner()
            .results;
        assert_eq!(
            change.message.as_deref(),
            Some("The queue item has been successfully deleted.")
        );
        assert_eq!(change.total_posts_changed, Some(0));
    }
    assert_eq!(
        received_queries(&server).await,
        [
            Some(format!("locationId={LOCATION}&sessionId={EDIT_SESSION}")),
            Some("locationId=other-location".to_owned()),
        ]
    );
}

#[tokio::test]
async fn reset_queue_item_puts_the_session_and_decodes_the_item() {
    let (_server, client) = serve(
        [expect_v3_json_call(
            "PUT",
            &format!("{QUEUES}/{QUEUE}/items/{QUEUE_ITEM}/reset"),
            json!({ "locationId": LOCATION, "sessionId": EDIT_SESSION }),
        )],
        queue_reply(
            200,
            json!({ "message": "Queue item reset successfully", "queueItem": item_json() }),
        ),
    )
    .await;

    let body = ResetQueueItemRequest::new(LOCATION).session_id(EDIT_SESSION);
    let result = client
        .reset_queue_item(QUEUE, QUEUE_ITEM, &body)
        .await
        .unwrap()
        .into_inner()
        .results;

    assert_eq!(
        result.message.as_deref(),
        Some("Queue item reset successfully")
    );
    assert_eq!(result.queue_item.unwrap().current_variation, Some(1));
}

#[tokio::test]
async fn clone_queue_item_posts_the_position_of_the_copy() {
    let (_server, client) = serve(
        [expect_v3_json_call(
            "POST",
            &format!("{QUEUES}/{QUEUE}/items/{QUEUE_ITEM}/clone"),
            json!({ "locationId": LOCATION, "sessionId": EDIT_SESSION, "order": 1500.5 }),
        )],
        queue_reply(
            201,
            json!({ "message": "Queue item cloned successfully", "queueItem": { "_id": "copy", "order": 1500.5, "parentPostId": POST } }),
        ),
    )
    .await;

    let body = CloneQueueItemRequest::new(LOCATION, EDIT_SESSION, 1500.5);
    let copy = client
        .clone_queue_item(QUEUE, QUEUE_ITEM, &body)
        .await
        .unwrap()
        .into_inner()
        .results
        .queue_item
        .unwrap();

    assert_eq!(copy.id.as_deref(), Some("copy"));
    assert_eq!(copy.parent_post_id.as_deref(), Some(POST));
}

#[tokio::test]
async fn start_queue_edit_posts_the_location_and_decodes_the_session() {
    let (server, client) = serve(
        [expect_v3_json_call(
            "POST",
            &format!("{QUEUES}/{QUEUE}/edit/start"),
            json!({ "locationId": LOCATION }),
        )],
        queue_reply(
            201,
            json!({ "message": "Edit session started successfully", "sessionId": EDIT_SESSION, "itemCount": 25 }),
        ),
    )
    .await;

    let session = client
        .start_queue_edit(QUEUE, &StartQueueEditRequest::new(LOCATION))
        .await
        .unwrap()
        .into_inner()
        .results;

    assert_eq!(session.session_id.as_deref(), Some(EDIT_SESSION));
    assert_eq!(session.item_count, Some(25));
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn an_edit_session_is_saved_or_discarded() {
    let edit = format!("{QUEUES}/{QUEUE}/edit");
    let (server, client) = serve(
        [
            expect_v3_json_call(
                "POST",
                &format!("{edit}/save"),
                json!({ "locationId": LOCATION, "sessionId": EDIT_SESSION, "keepInDraft": true }),
            ),
            // `keepInDraft` unset is not sent: the server's default (false) applies.
            expect_v3_json_call(
                "POST",
                &format!("{edit}/discard"),
                json!({ "locationId": LOCATION, "sessionId": EDIT_SESSION }),
            ),
        ],
        queue_reply(
            200,
            json!({
                "message": "Edit session saved successfully",
                "updatedSlots": [{ "itemId": QUEUE_ITEM, "isSkipped": false }],
                "totalPostsChanged": 1
            }),
        ),
    )
    .await;

    let save = QueueEditRequest::new(LOCATION, EDIT_SESSION).keep_in_draft(true);
    let saved = client
        .save_queue_edit(QUEUE, &save)
        .await
        .unwrap()
        .into_inner()
        .results;
    assert_eq!(saved.total_posts_changed, Some(1));
    assert_eq!(
        saved.updated_slots.unwrap()[0].item_id.as_deref(),
        Some(QUEUE_ITEM)
    );

    let discard = QueueEditRequest::new(LOCATION, EDIT_SESSION);
    let discarded = client.discard_queue_edit(QUEUE, &discard).await.unwrap();
    assert_eq!(discarded.status().as_u16(), 200);
    assert_eq!(received_queries(&server).await, [None, None]);
}

#[tokio::test]
async fn get_queue_edit_calendar_posts_the_session_window_and_reads_draft_items() {
    let (_server, client) = serve(
        [expect_v3_json_call(
            "POST",
            &format!("{QUEUES}/{QUEUE}/edit/calendar"),
            json!({
                "locationId": LOCATION,
                "sessionId": EDIT_SESSION,
                "startDate": "2025-10-01T00:00:00.000Z",
                "endDate": "2025-10-31T23:59:59.999Z"
            }),
        )],
        queue_reply(
            201,
            json!({
                "scheduledPosts": [{ "queueItemId": "staged", "isDraft": true, "originalItemId": QUEUE_ITEM }],
                "total": 1
            }),
        ),
    )
    .await;

    let body = QueueEditCalendarRequest::new(
        LOCATION,
        EDIT_SESSION,
        "2025-10-01T00:00:00.000Z",
        "2025-10-31T23:59:59.999Z",
    );
    let calendar = client
        .get_queue_edit_calendar(QUEUE, &body)
        .await
        .unwrap()
        .into_inner()
        .results;

    assert_eq!(calendar.message, None);
    let staged = &calendar.scheduled_posts.unwrap()[0];
    assert_eq!(staged.is_draft, Some(true));
    assert_eq!(staged.original_item_id.as_deref(), Some(QUEUE_ITEM));
}

#[tokio::test]
async fn list_queue_slots_posts_the_paging_and_decodes_the_slots() {
    let (_server, client) = serve(
        [expect_v3_json_call(
            "POST",
            &format!("{QUEUES}/{QUEUE}/slots"),
            json!({ "locationId": LOCATION, "sessionId": EDIT_SESSION, "skip": 20, "limit": 20 }),
        )],
        queue_reply(
            201,
            json!({
                "message": "Slots fetched successfully",
                "slots": [{ "itemId": QUEUE_ITEM, "scheduledDateTime": "2025-10-15T10:00:00.000Z", "isSkipped": false }],
                "total": 21,
                "skip": 20,
                "limit": 20,
                "timezone": "Europe/Paris"
            }),
        ),
    )
    .await;

    let body = ListQueueSlotsRequest::new(LOCATION)
        .session_id(EDIT_SESSION)
        .skip(20)
        .limit(20);
    let list = client
        .list_queue_slots(QUEUE, &body)
        .await
        .unwrap()
        .into_inner()
        .results;

    assert_eq!(
        (list.total, list.skip, list.limit),
        (Some(21), Some(20), Some(20))
    );
    assert_eq!(list.timezone.as_deref(), Some("Europe/Paris"));
    assert_eq!(list.slots.unwrap()[0].item_id.as_deref(), Some(QUEUE_ITEM));
}

#[tokio::test]
async fn delete_active_queue_post_deletes_by_post_and_location() {
    let (server, client) = serve(
        [
            expect_v3_call("DELETE", &format!("{QUEUES}/{POST}/active-post"))
                .and(query_param("locationId", LOCATION)),
        ],
        queue_reply(
            200,
            json!({ "message": "Current post deleted and next post scheduled successfully" }),
        ),
    )
    .await;

    let change = client
        .delete_active_queue_post(POST, &DeleteActiveQueuePostQuery::new(LOCATION))
        .await
        .unwrap()
        .into_inner()
        .results;

    assert_eq!(
        change.message.as_deref(),
        Some("Current post deleted and next post scheduled successfully")
    );
    assert_eq!(change.updated_slots, None);
    assert_no_body(&only_request(&server).await);
}

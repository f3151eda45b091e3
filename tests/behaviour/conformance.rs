//! Conformance with the spec, judged by an independent implementation of it: the Prism mock
//! server (`@stoplight/prism-cli`, pinned in `package.json`) serves `spec/social-planner.yaml`,
//! validates every request the generated client sends against it, answers from the spec's
//! examples, and validates its own answer too. Both findings arrive in the `sl-violations`
//! response header.
//!
//! Prism is installed by `cargo xtask test` (`npm ci`); without it this test fails and says so.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use highlevel_social_planner::types::{
    AttachFacebookPageRequest, AttachGoogleLocationRequest, AttachInstagramAccountRequest,
    AttachLinkedInAccountRequest, AttachTiktokProfileRequest, AttachTwitterProfileRequest,
    BulkDeletePostsRequest, CreatePostRequest, DeleteAccountQuery, EditPostRequest,
    GetCsvPostQuery, GetStatisticsQuery, GetTagsByIdsRequest, GetUploadStatusQuery,
    ListCategoriesQuery, ListPostsRequest, ListTagsQuery, PostStatus, PostType,
    SetCsvAccountsRequest, StartCsvFinalizeRequest, StartFacebookOauthQuery, StartGoogleOauthQuery,
    StartInstagramOauthQuery, StartLinkedinOauthQuery, StartTiktokBusinessOauthQuery,
    StartTiktokOauthQuery, StartTwitterOauthQuery, StatisticsPlatform, StatisticsRequest,
    UploadCsvRequest,
};
use highlevel_social_planner::types::{
    AttachOAuthAccountRequest, AttachYoutubeChannelRequest, AttachYoutubeChannelRequestType,
    CloneQueueItemRequest, CommentMention, CreateCommentQuery, CreateCommentRequest,
    CreateQueueItemRequest, CreateQueueRequest, CsvFileType, DeleteActiveQueuePostQuery,
    DeleteQueueItemQuery, FacebookPostDetails, GetOauthAccountsQuery, GetQueueQuery,
    LikeCommentQuery, ListCommentsQuery, ListCommentsRequest, ListQueueCategoriesQuery,
    ListQueueItemsRequest, ListQueueSlotsRequest, ListQueuesRequest, MediaType, PinterestBoards,
    PinterestPostDetails, PostMedia, QueueCalendarRequest, QueueEditCalendarRequest,
    QueueEditRequest, QueueOrder, QueuePosition, QueuePostInput, QueueStatus, QueueVariation,
    ResetQueueItemRequest, StartOauthQuery, StartQueueEditRequest, StatisticsRange, TimeSlot,
    UnlikeCommentQuery, UpdateQueueItemRequest, UpdateQueueRequest, YoutubePostDetails,
    YoutubePostDetailsType,
};
use highlevel_social_planner::{Client, Error, FilePart};
use highlevel_tests::repo_root;

const SPEC: &str = "spec/social-planner.yaml";
const LOCATION: &str = "ve9EPM428h8vShlRW1KT";
const ACCOUNT: &str = "w37swmmLbA02zgqKPpxITe";
const USER: &str = "u37swmmLbA02zgqKPpxITe2";

/// A running Prism, stopped when dropped.
struct Prism {
    child: Child,
    base_url: String,
}

impl Prism {
    /// Starts `prism mock` on the curated spec on a free port and waits until it listens.
    fn start() -> Prism {
        let root = repo_root();
        let binary = root.join("node_modules/.bin/prism");
        assert!(
            binary.exists(),
            "Prism is not installed ({} is missing). Run the tests with `cargo xtask test`, \
             which installs it with `npm ci`, or run `npm ci` once.",
            binary.display()
        );
        // The binary itself, not `npx`: a signal to npx would leave the server running.
        let mut child = Command::new(&binary)
            .args(["mock", "--host", "127.0.0.1", "--port", "0"])
            .arg(root.join(SPEC))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel();
        // Reads Prism's log to the end so that the pipe never fills; the first
        // "listening" line carries the port.
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !sent && let Some((_, url)) = line.split_once("Prism is listening on ") {
                    let _ = tx.send(url.trim().to_owned());
                    sent = true;
                }
            }
        });
        let base_url = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                panic!("Prism did not report its port within 120 s");
            }
        };
        Prism { child, base_url }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the client saw of one response.
#[derive(Debug)]
struct Seen {
    operation: &'static str,
    status: u16,
    violations: Vec<Violation>,
}

#[derive(Debug, serde::Deserialize)]
struct Violation {
    location: Vec<String>,
    message: String,
}

/// A client for `prism` that records every response's operation, status and violations.
fn recording_client(prism: &Prism) -> (Client, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let client = Client::builder("conformance-token")
        .base_url(&prism.base_url)
        .on_response(move |info| {
            let violations = info
                .headers
                .get("sl-violations")
                .map(|value| {
                    serde_json::from_slice(value.as_bytes())
                        .unwrap_or_else(|e| panic!("unreadable sl-violations ({e}): {value:?}"))
                })
                .unwrap_or_default();
            record.lock().unwrap().push(Seen {
                operation: info.operation,
                status: info.status.as_u16(),
                violations,
            });
        })
        .build()
        .expect("client");
    (client, seen)
}

/// Every operation of the spec, called once with valid arguments. Returns the failures.
#[allow(deprecated)] // The X (Twitter) operations are part of the spec, and so of the check.
async fn call_every_operation(client: &Client) -> Vec<String> {
    let mut failures = Vec::new();
    // A call fails the check when it errs: transport, status, or a body that does not decode
    // into the generated type.
    macro_rules! check {
        ($call:expr) => {
            if let Err(error) = $call.await {
                failures.push(describe(&error));
            }
        };
    }

    // Accounts.
    check!(client.list_accounts(LOCATION));
    check!(client.delete_account(
        LOCATION,
        "65fac446d599990d1313c1dd",
        &DeleteAccountQuery::default().user_id(USER)
    ));

    // Posts.
    let search = ListPostsRequest::new(
        "0",
        "10",
        "2024-03-01T00:00:00.000Z",
        "2024-03-31T23:59:59.999Z",
        "true",
    )
    .post_type(PostType::Post);
    check!(client.list_posts(LOCATION, &search));
    let post = CreatePostRequest::new(["acc-1", "acc-2"], PostType::Post, USER)
        .summary("Spring sale starts Monday")
        .status(PostStatus::Scheduled)
        .schedule_date("2026-03-02T09:00:00.000Z")
        .tags(["sale"])
        .media(vec![
            PostMedia::new("https://example.com/sale.png")
                .r#type(MediaType::ImagePng)
                .alt_text("Sale banner"),
        ])
        .apply_watermark(true)
        .selected_best_time("2026-03-02T09:00:00.000Z")
        .facebook_post_details(FacebookPostDetails::new(PostType::Post))
        .youtube_post_details(YoutubePostDetails::new(YoutubePostDetailsType::Short))
        .pinterest_post_details(
            PinterestPostDetails::default()
                .pinterest_boards(vec![PinterestBoards::new("pin-1", ["board-1"])]),
        );
    check!(client.create_post(LOCATION, &post));
    check!(client.get_post(LOCATION, "65f2d989a4f2f1e5322c3856"));
    let edit = EditPostRequest::new(PostType::Post).summary("Spring sale starts Tuesday");
    check!(client.edit_post(LOCATION, "65f2d989a4f2f1e5322c3856", &edit));
    check!(client.delete_post(LOCATION, "65f2d989a4f2f1e5322c3856"));
    let doomed = BulkDeletePostsRequest::new(["65f2d989a4f2f1e5322c3856"]);
    check!(client.bulk_delete_posts(LOCATION, &doomed));

    // OAuth, per platform: start, the accounts to attach, attach.
    check!(client.start_google_oauth(&StartGoogleOauthQuery::new(LOCATION, USER)));
    check!(client.get_google_locations(LOCATION, ACCOUNT));
    check!(client.set_google_locations(LOCATION, ACCOUNT, &AttachGoogleLocationRequest::default()));
    check!(client.start_facebook_oauth(&StartFacebookOauthQuery::new(LOCATION, USER)));
    check!(client.get_facebook_page_group(LOCATION, ACCOUNT));
    let page = AttachFacebookPageRequest::default()
        .origin_id("244405111687")
        .name("Sample Page");
    check!(client.attach_facebook_page_group(LOCATION, ACCOUNT, &page));
    let start = StartInstagramOauthQuery::new(LOCATION, USER).reconnect("true");
    check!(client.start_instagram_oauth(&start));
    check!(client.get_instagram_page_group(LOCATION, ACCOUNT));
    let instagram = AttachInstagramAccountRequest::new("234234234242sd").name("JOHN_DEO");
    check!(client.attach_instagram_page_group(LOCATION, ACCOUNT, &instagram));
    check!(client.start_linkedin_oauth(&StartLinkedinOauthQuery::new(LOCATION, USER)));
    check!(client.get_linkedin_page_profile(LOCATION, ACCOUNT));
    check!(client.attach_linkedin_page_profile(
        LOCATION,
        ACCOUNT,
        &AttachLinkedInAccountRequest::default().name("Sample Page")
    ));
    check!(client.start_tiktok_oauth(&StartTiktokOauthQuery::new(LOCATION, USER)));
    check!(client.get_tiktok_profile(LOCATION, ACCOUNT));
    check!(client.attach_tiktok_profile(
        LOCATION,
        ACCOUNT,
        &AttachTiktokProfileRequest::default().username("JOHN_DEO")
    ));
    check!(client.start_tiktok_business_oauth(&StartTiktokBusinessOauthQuery::new(LOCATION, USER)));
    check!(client.get_tiktok_business_profile(LOCATION, ACCOUNT));
    check!(client.start_twitter_oauth(&StartTwitterOauthQuery::new(LOCATION, USER)));
    check!(client.get_twitter_profile(LOCATION, ACCOUNT));
    check!(client.attach_twitter_profile(
        LOCATION,
        ACCOUNT,
        &AttachTwitterProfileRequest::default().username("user_name")
    ));

    // CSV import, from upload to deletion.
    let csv = FilePart::new("posts.csv", "summary,date\nHello,2026-01-01\n");
    check!(client.upload_csv(LOCATION, &UploadCsvRequest::new(csv)));
    check!(
        client.get_upload_status(
            LOCATION,
            &GetUploadStatusQuery::new(USER)
                .limit(5)
                .is_from_template("true")
        )
    );
    let accounts = SetCsvAccountsRequest::new(
        ["acc-1"],
        "https://storage.example.com/posts.csv",
        2,
        "posts.csv",
        USER,
    )
    .csv_file_type(CsvFileType::Basic);
    check!(client.set_csv_accounts(LOCATION, &accounts));
    check!(client.get_csv_post(
        LOCATION,
        "65f2d989a4f2f1e5322c3856",
        &GetCsvPostQuery::default().skip(0).limit(10)
    ));
    check!(client.start_csv_finalize(
        LOCATION,
        "65f2d989a4f2f1e5322c3856",
        &StartCsvFinalizeRequest::default().user_id(USER)
    ));
    check!(client.delete_csv(LOCATION, "65f2d989a4f2f1e5322c3856"));
    check!(client.delete_csv_post(LOCATION, "65f2d989a4f2f1e5322c3856", "post-1"));

    // Categories, tags, statistics.
    check!(client.list_categories(LOCATION, &ListCategoriesQuery::default().limit(10)));
    check!(client.get_category(LOCATION, "65f2d989a4f2f1e5322c3856"));
    check!(client.list_tags(LOCATION, &ListTagsQuery::default().search_text("sale")));
    check!(client.get_tags_by_ids(LOCATION, &GetTagsByIdsRequest::new(["tag-1"])));
    let statistics = StatisticsRequest::new(["67a5a9aa776c837de4aa5b12"])
        .platforms(vec![
            StatisticsPlatform::Facebook,
            StatisticsPlatform::Instagram,
        ])
        .current_range(StatisticsRange::new(
            "2025-03-01T00:00:00.000Z",
            "2025-03-31T23:59:59.999Z",
        ))
        .prev_range(StatisticsRange::new(
            "2025-02-01T00:00:00.000Z",
            "2025-02-28T23:59:59.999Z",
        ));
    check!(client.get_statistics(&GetStatisticsQuery::new(LOCATION), &statistics));

    // OAuth, any platform (v3).
    check!(client.start_oauth("youtube", &StartOauthQuery::new(LOCATION, USER)));
    check!(client.get_oauth_accounts(
        LOCATION,
        "pinterest",
        ACCOUNT,
        &GetOauthAccountsQuery::default().search("My Business")
    ));
    let youtube = AttachYoutubeChannelRequest::new(
        AttachYoutubeChannelRequestType::Profile,
        "UCabcdefghijklmnop",
        "My Channel",
        "https://yt3.ggpht.com/avatar",
    );
    check!(client.attach_oauth_account(
        LOCATION,
        "youtube",
        ACCOUNT,
        &AttachOAuthAccountRequest::AttachYoutubeChannelRequest(youtube)
    ));

    // Category queues (v3).
    const QUEUE: &str = "686ebf10c78c233e45c28d66";
    const ITEM: &str = "60af88475f1b2c001f5d5f4b";
    const SESSION: &str = "60af88475f1b2c001f5d5f4c";
    check!(client.list_queue_categories(&ListQueueCategoriesQuery::new(LOCATION).q("Tips")));
    check!(client.create_queue(&CreateQueueRequest::new(
        LOCATION,
        "683702938b19583ce320e5eb",
        [TimeSlot::new(1, "09:00"), TimeSlot::new(4, "17:30")],
        USER,
    )));
    check!(client.list_queues(&ListQueuesRequest::new(LOCATION).skip(0).limit(10)));
    check!(
        client.get_queue_calendar(
            &QueueCalendarRequest::new(
                LOCATION,
                "2025-10-01T00:00:00.000Z",
                "2025-10-31T23:59:59.999Z"
            )
            .category_ids(["683702938b19583ce320e5eb"])
        )
    );
    check!(client.get_queue(QUEUE, &GetQueueQuery::new(LOCATION)));
    check!(client.update_queue(
        QUEUE,
        &UpdateQueueRequest::new(LOCATION).status(QueueStatus::Paused)
    ));
    check!(client.list_queue_items(
        QUEUE,
        &ListQueueItemsRequest::new(LOCATION).error_filter(true)
    ));
    check!(client.start_queue_edit(QUEUE, &StartQueueEditRequest::new(LOCATION)));
    let item = CreateQueueItemRequest::new(LOCATION)
        .session_id(SESSION)
        .order(QueueOrder::QueuePosition(QueuePosition::Top))
        .variations(vec![QueueVariation::default().content("Tip of the week")])
        .modified_post_payload(
            QueuePostInput::default()
                .summary("Tip of the week")
                .r#type(PostType::Post),
        );
    check!(client.create_queue_item(QUEUE, &item));
    check!(
        client.update_queue_item(
            QUEUE,
            ITEM,
            &UpdateQueueItemRequest::new(LOCATION)
                .session_id(SESSION)
                .new_order(QueueOrder::Value(1500.0))
        )
    );
    check!(client.reset_queue_item(
        QUEUE,
        ITEM,
        &ResetQueueItemRequest::new(LOCATION).session_id(SESSION)
    ));
    check!(client.clone_queue_item(
        QUEUE,
        ITEM,
        &CloneQueueItemRequest::new(LOCATION, SESSION, 1500.0)
    ));
    check!(client.get_queue_edit_calendar(
        QUEUE,
        &QueueEditCalendarRequest::new(
            LOCATION,
            SESSION,
            "2025-10-01T00:00:00.000Z",
            "2025-10-31T23:59:59.999Z"
        )
    ));
    check!(client.list_queue_slots(QUEUE, &ListQueueSlotsRequest::new(LOCATION).limit(20)));
    check!(client.delete_queue_item(
        QUEUE,
        ITEM,
        &DeleteQueueItemQuery::new(LOCATION).session_id(SESSION)
    ));
    check!(client.save_queue_edit(
        QUEUE,
        &QueueEditRequest::new(LOCATION, SESSION).keep_in_draft(true)
    ));
    check!(client.discard_queue_edit(QUEUE, &QueueEditRequest::new(LOCATION, SESSION)));
    check!(client.delete_active_queue_post(
        "65f2d989a4f2f1e5322c3856",
        &DeleteActiveQueuePostQuery::new(LOCATION)
    ));

    // Comments (v3).
    let comment =
        CreateCommentRequest::new("6975b186f3442844ec07665b", true, "Thanks!").mentions(vec![
            CommentMention::new("Jane Doe", "102694781978972", 0, 8),
        ]);
    check!(client.create_comment("facebook", &CreateCommentQuery::new(LOCATION), &comment));
    check!(client.list_comments(
        "threads",
        &ListCommentsQuery::new(LOCATION),
        &ListCommentsRequest::new(["956033194258752"]).limit(20)
    ));
    check!(client.like_comment(
        "linkedin",
        "507f1f77bcf86cd799439011",
        &LikeCommentQuery::new(LOCATION)
    ));
    check!(client.unlike_comment(
        "bluesky",
        "507f1f77bcf86cd799439011",
        &UnlikeCommentQuery::new(LOCATION)
    ));

    failures
}

/// An error with what a reader needs to fix it: the body a mock answered with, if any.
fn describe(error: &Error) -> String {
    match error {
        Error::UnexpectedStatus { body, .. } | Error::Decode { body, .. } => {
            format!("{error}\n    body: {body}")
        }
        _ => error.to_string(),
    }
}

#[tokio::test]
async fn every_operation_is_accepted_and_answered_as_the_spec_says() {
    let prism = Prism::start();
    let (client, seen) = recording_client(&prism);

    let failures = call_every_operation(&client).await;
    assert!(
        failures.is_empty(),
        "calls failed against the mock:\n{}",
        failures.join("\n")
    );

    let seen = seen.lock().unwrap();
    // Every operation of the spec was called (and nothing else).
    let spec = std::fs::read_to_string(repo_root().join(SPEC)).expect("spec");
    let model = generator::model(SPEC, &spec).expect("the spec generates");
    let mut expected: Vec<&str> = model.operations.iter().map(|op| op.id.as_str()).collect();
    let mut called: Vec<&str> = seen.iter().map(|s| s.operation).collect();
    expected.sort_unstable();
    called.sort_unstable();
    assert_eq!(called, expected, "each operation is called exactly once");

    // Prism found nothing wrong with any request or with its own answers.
    let mut problems = Vec::new();
    for s in seen.iter() {
        if !(200..300).contains(&s.status) {
            problems.push(format!("{}: status {}", s.operation, s.status));
        }
        for v in &s.violations {
            problems.push(format!(
                "{}: {} violation at {}: {}",
                s.operation,
                v.location.first().map_or("unknown", String::as_str),
                v.location.join("."),
                v.message
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "Prism reported {} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The check above could pass vacuously if Prism accepted anything: a request that breaks the
/// spec (a body without its required `pageId`) must come back as a request violation.
#[tokio::test]
async fn a_request_that_breaks_the_spec_is_rejected() {
    let prism = Prism::start();
    let path = format!("/social-media-posting/oauth/{LOCATION}/instagram/accounts/{ACCOUNT}");
    let (status, headers) = raw_post(
        &prism.base_url,
        &path,
        &[
            ("Authorization", "Bearer conformance-token"),
            ("Version", "2021-07-28"),
            ("Content-Type", "application/json"),
        ],
        r#"{"name":"JOHN_DEO"}"#,
    )
    .await;

    assert_eq!(status, 422);
    let explanation = headers
        .iter()
        .find(|(name, _)| name == "sl-violations")
        .map(|(_, value)| value.as_str())
        .expect("Prism explains the rejection");
    let violations: Vec<Violation> =
        serde_json::from_str(explanation).expect("violations are JSON");
    assert!(
        violations
            .iter()
            .any(|v| v.location == ["request", "body"] && v.message.contains("pageId")),
        "{violations:?}"
    );
}

/// One HTTP/1.1 exchange by hand, the connection closed after it: the status and the headers
/// (names lowercase). The client cannot send a request that breaks the spec; this test needs
/// one.
async fn raw_post(
    base_url: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Vec<(String, String)>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let address = base_url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("Prism listens");
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.expect("sent");
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .await
        .expect("Prism answers");
    let response = String::from_utf8_lossy(&response);
    let head = response.split("\r\n\r\n").next().unwrap_or_default();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    (status, headers)
}

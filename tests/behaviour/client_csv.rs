//! Behaviour of the CSV import, category, tag and statistics operations against a loopback
//! mock server: what each call sends (method, path, query, headers, JSON or multipart body)
//! and what it decodes.

use highlevel_social_planner::types::{
    CsvFileType, CsvImportStatus, GetCsvPostQuery, GetStatisticsQuery, GetTagsByIdsRequest,
    GetUploadStatusQuery, GoogleBusinessActionType, GoogleBusinessEventType,
    GoogleBusinessPostDetails, ListCategoriesQuery, ListTagsQuery, MediaValidationCode, PostType,
    SetCsvAccountsRequest, StartCsvFinalizeRequest, StatisticsPlatform, StatisticsRange,
    StatisticsRequest, TiktokPostDetails, TiktokPrivacyLevel, UploadCsvRequest,
};
use highlevel_social_planner::{FilePart, StatusCode};
use serde_json::json;
use wiremock::matchers::{query_param, query_param_is_missing};

use crate::common;

use common::{
    CATEGORY, CREATOR, CSV, CSV_APPROVER, CSV_POST, GOOGLE_ACCOUNT, INSTAGRAM_ACCOUNT, LAUNCH_TAG,
    LOCATION, OTHER_PROFILE, PRIMARY_TAG, PROFILE, QUERY_LOCATION, USER, assert_envelope,
    assert_no_body, assert_one_bare_request, confirmation_reply, envelope_reply, expect_call,
    expect_json_call, expect_v3_call, expect_v3_json_call, json_reply, only_request, received,
    received_queries, serve,
};

const FILE_PATH: &str = "omaDY3RbWtTP511e/social-import/d23d68c2-82c0-1db6e2.csv";

// ---------------------------------------------------------------------------------------------
// A strict reader of the multipart bodies the client sends.
// ---------------------------------------------------------------------------------------------

/// One part of a `multipart/form-data` body: its header lines and its exact content.
#[derive(Debug)]
struct FormPart {
    headers: Vec<(String, String)>,
    content: Vec<u8>,
}

impl FormPart {
    /// The value of a header of this part (names are case-insensitive).
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Splits a `multipart/form-data` body (RFC 7578) into its parts, failing on anything that is
/// not laid out exactly as the RFC says: the body must start with the first delimiter, end
/// with the close delimiter, and each part must have a blank line after its headers.
fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<FormPart> {
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not a multipart/form-data content type: {content_type}"));
    assert!(
        (1..=70).contains(&boundary.len())
            && boundary
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"'()+_,-./:=?".contains(&b)),
        "boundary {boundary:?} is not a valid RFC 2046 boundary"
    );
    let first = format!("--{boundary}\r\n");
    let between = format!("\r\n--{boundary}\r\n");
    let close = format!("\r\n--{boundary}--\r\n");
    let mut rest = body
        .strip_prefix(first.as_bytes())
        .expect("the body starts with the first delimiter")
        .strip_suffix(close.as_bytes())
        .expect("the body ends with the close delimiter");

    let mut parts = Vec::new();
    loop {
        let (part, next) = match find(rest, between.as_bytes()) {
            Some(at) => (&rest[..at], Some(&rest[at + between.len()..])),
            None => (rest, None),
        };
        let blank = find(part, b"\r\n\r\n").expect("a blank line ends the part's headers");
        let headers = std::str::from_utf8(&part[..blank])
            .expect("part headers are UTF-8")
            .split("\r\n")
            .map(|line| {
                let (name, value) = line.split_once(": ").expect("a `Name: value` header line");
                (name.to_owned(), value.to_owned())
            })
            .collect();
        parts.push(FormPart {
            headers,
            content: part[blank + 4..].to_vec(),
        });
        match next {
            Some(next) => rest = next,
            None => return parts,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// upload-csv
// ---------------------------------------------------------------------------------------------

/// A CSV file as a spreadsheet exports it: CRLF line ends, quoted fields with commas, non-ASCII
/// text, a line that starts like a delimiter, and a final line break.
const POSTS_CSV: &[u8] = "postAtSpecificTime (YYYY-MM-DD HH:mm:ss),content,imageUrls\r\n\
2024-03-20 09:00:00,\"Hello, world \u{2014} caf\u{e9} opening!\",https://storage.googleapis.com/ghl-test/omaDY3RbWtTP511e808O/media/38e53059-b92706571605.png\r\n\
2024-03-21 09:00:00,\"--\r\nsecond line of a quoted field\",\r\n"
    .as_bytes();

#[tokio::test]
async fn upload_csv_sends_one_multipart_file_part_and_decodes_the_stored_file() {
    let (server, client) = serve(
        [expect_v3_call(
            "POST",
            "/social-media-posting/loc%2F1%20x/csv",
        )],
        envelope_reply(
            201,
            "Uploaded CSV",
            json!({
                "filePath": FILE_PATH,
                "rowsCount": 2,
                "fileName": "posts.csv",
                "fileSize": 2048,
                "csvFileType": "advance"
            }),
        ),
    )
    .await;

    let body = UploadCsvRequest::new(FilePart::new("posts.csv", POSTS_CSV));
    let response = client.upload_csv("loc/1 x", &body).await.unwrap();

    assert_envelope!(response, 201, "Uploaded CSV");
    let response = response.into_inner();
    let stored = response.results.unwrap();
    assert_eq!(stored.file_path.as_deref(), Some(FILE_PATH));
    assert_eq!(stored.rows_count, Some(2));
    assert_eq!(stored.file_name.as_deref(), Some("posts.csv"));
    assert_eq!(stored.file_size, Some(2048));
    assert_eq!(stored.csv_file_type, Some(CsvFileType::Advance));

    let request = only_request(&server).await;
    assert_eq!(request.url.query(), None);
    let content_type = request
        .headers
        .get("content-type")
        .expect("a Content-Type header")
        .to_str()
        .unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let parts = parse_multipart(content_type, &request.body);
    assert_eq!(parts.len(), 1, "{parts:?}");
    let file = &parts[0];
    assert_eq!(file.headers.len(), 2, "{:?}", file.headers);
    assert_eq!(
        file.header("Content-Disposition"),
        Some(r#"form-data; name="file"; filename="posts.csv""#)
    );
    assert_eq!(file.header("Content-Type"), Some("text/csv"));
    assert_eq!(file.content, POSTS_CSV);
}

#[tokio::test]
async fn upload_csv_sends_the_chosen_content_type_and_file_name() {
    let (server, client) = serve(
        [expect_v3_call(
            "POST",
            &format!("/social-media-posting/{LOCATION}/csv"),
        )],
        envelope_reply(
            201,
            "Uploaded CSV",
            json!({
                "filePath": FILE_PATH,
                "rowsCount": 6,
                "fileName": "CSV Import Sample - CSV Import Sample.csv"
            }),
        ),
    )
    .await;

    // Binary content with bytes that are not UTF-8 must arrive byte for byte.
    let content: Vec<u8> = vec![0xEF, 0xBB, 0xBF, b'a', b',', b'b', b'\n', 0xFF, 0x00, b'\r'];
    let file = FilePart::new("CSV Import Sample - CSV Import Sample.csv", content.clone())
        .content_type("text/csv; charset=utf-8");
    let stored = client
        .upload_csv(LOCATION, &UploadCsvRequest::new(file))
        .await
        .unwrap()
        .into_inner()
        .results
        .unwrap();
    assert_eq!(stored.rows_count, Some(6));

    let request = only_request(&server).await;
    let content_type = request
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    let parts = parse_multipart(content_type, &request.body);
    assert_eq!(parts.len(), 1);
    assert_eq!(
        parts[0].header("Content-Disposition"),
        Some(r#"form-data; name="file"; filename="CSV Import Sample - CSV Import Sample.csv""#)
    );
    assert_eq!(
        parts[0].header("Content-Type"),
        Some("text/csv; charset=utf-8")
    );
    assert_eq!(parts[0].content, content);
}

// ---------------------------------------------------------------------------------------------
// get-upload-status
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_upload_status_sends_set_query_params_only_and_decodes_the_imports() {
    let listing = envelope_reply(
        200,
        "Fetched CSV Upload Status",
        json!({
            "csvs": [
                {
                    "_id": CSV,
                    "locationId": LOCATION,
                    "fileName": "sample.csv",
                    "accountIds": [GOOGLE_ACCOUNT],
                    "file": FILE_PATH,
                    "status": "importing",
                    "count": 5,
                    "createdBy": "SDsdfdf45Dgs4w3ssss",
                    "traceId": "FSeSDsdfdf45Dgs4w3ssss",
                    "originId": "GReSDsdfdf45Dgs4w3ssss",
                    "approver": CSV_APPROVER,
                    "createdAt": "2023-08-02T00:00:00.000Z",
                    "csvFileType": "basic",
                    "applyWatermark": false,
                    "channel": "oauth"
                },
                { "_id": "65f92e55cc884f0d0845e450", "status": "in_review", "count": 1 }
            ],
            "count": 6
        }),
    );
    let path = &format!("/social-media-posting/{LOCATION}/csv");
    let (server, client) = serve(
        [
            expect_v3_call("GET", path)
                .and(query_param("skip", "10"))
                .and(query_param("limit", "5"))
                .and(query_param("includeUsers", "true"))
                .and(query_param("isFromTemplate", "true"))
                .and(query_param("userId", USER)),
            // Only the required `userId`.
            expect_v3_call("GET", path)
                .and(query_param_is_missing("skip"))
                .and(query_param_is_missing("limit"))
                .and(query_param_is_missing("includeUsers"))
                .and(query_param_is_missing("isFromTemplate"))
                .and(query_param("userId", CREATOR)),
        ],
        listing,
    )
    .await;

    let every = GetUploadStatusQuery::new(USER)
        .skip(10)
        .limit(5)
        .include_users("true")
        .is_from_template("true");
    for query in [every, GetUploadStatusQuery::new(CREATOR)] {
        let response = client.get_upload_status(LOCATION, &query).await.unwrap();
        assert_envelope!(response, 200, "Fetched CSV Upload Status");
        let response = response.into_inner();
        let list = response.results.unwrap();
        assert_eq!(list.count, 6);
        assert_eq!(list.csvs.len(), 2);
        let import = &list.csvs[0];
        assert_eq!(import.id.as_deref(), Some(CSV));
        assert_eq!(import.location_id.as_deref(), Some(LOCATION));
        assert_eq!(import.file_name.as_deref(), Some("sample.csv"));
        assert_eq!(import.account_ids, Some(vec![GOOGLE_ACCOUNT.to_owned()]));
        assert_eq!(import.file.as_deref(), Some(FILE_PATH));
        assert_eq!(import.status, Some(CsvImportStatus::Importing));
        assert_eq!(import.count, Some(5));
        assert_eq!(import.created_by.as_deref(), Some("SDsdfdf45Dgs4w3ssss"));
        assert_eq!(import.trace_id.as_deref(), Some("FSeSDsdfdf45Dgs4w3ssss"));
        assert_eq!(import.origin_id.as_deref(), Some("GReSDsdfdf45Dgs4w3ssss"));
        assert_eq!(import.approver.as_deref(), Some(CSV_APPROVER));
        assert_eq!(
            import.created_at.as_deref(),
            Some("2023-08-02T00:00:00.000Z")
        );
        assert_eq!(import.csv_file_type, Some(CsvFileType::Basic));
        assert_eq!(import.apply_watermark, Some(false));
        assert_eq!(import.channel.as_deref(), Some("oauth"));
        let reviewing = &list.csvs[1];
        assert_eq!(reviewing.status, Some(CsvImportStatus::InReview));
        assert_eq!(reviewing.file_name, None);
    }

    assert_eq!(
        received_queries(&server).await,
        [
            Some(format!(
                "skip=10&limit=5&includeUsers=true&isFromTemplate=true&userId={USER}"
            )),
            Some(format!("userId={CREATOR}")),
        ]
    );
    received(&server).await.iter().for_each(assert_no_body);
}

// ---------------------------------------------------------------------------------------------
// set-csv-accounts
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn set_csv_accounts_posts_the_body_and_decodes_the_confirmation() {
    let path = &format!("/social-media-posting/{LOCATION}/set-accounts");
    let done = envelope_reply(201, "Accounts Set Successfully", json!({ "csvId": CSV }));
    let (server, client) = serve(
        [
            expect_v3_json_call(
                "POST",
                path,
                json!({
                    "accountIds": [GOOGLE_ACCOUNT, INSTAGRAM_ACCOUNT],
                    "filePath": FILE_PATH,
                    "rowsCount": 6,
                    "fileName": "CSV Import Sample - CSV Import Sample.csv",
                    "approver": CSV_APPROVER,
                    "userId": USER,
                    "csvFileType": "advance"
                }),
            ),
            // `approver` and `csvFileType` are None and must not be sent.
            expect_v3_json_call(
                "POST",
                path,
                json!({
                    "accountIds": [GOOGLE_ACCOUNT],
                    "filePath": FILE_PATH,
                    "rowsCount": 1,
                    "fileName": "test.csv",
                    "userId": CREATOR
                }),
            ),
        ],
        done,
    )
    .await;

    let every = SetCsvAccountsRequest::new(
        [GOOGLE_ACCOUNT, INSTAGRAM_ACCOUNT],
        FILE_PATH,
        6,
        "CSV Import Sample - CSV Import Sample.csv",
        USER,
    )
    .approver(CSV_APPROVER)
    .csv_file_type(CsvFileType::Advance);
    let required = SetCsvAccountsRequest::new([GOOGLE_ACCOUNT], FILE_PATH, 1, "test.csv", CREATOR);
    for body in [every, required] {
        let response = client.set_csv_accounts(LOCATION, &body).await.unwrap();
        assert_envelope!(response, 201, "Accounts Set Successfully");
        assert_eq!(response.into_inner().results.unwrap().csv_id, CSV);
    }
    assert_eq!(received_queries(&server).await, [None, None]);
}

// ---------------------------------------------------------------------------------------------
// get-csv-post
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_csv_post_sends_the_paging_and_decodes_the_import_and_its_posts() {
    let video = "https://storage.googleapis.com/ghl-test/omaDY3RbWtTP511e808O/media/teaser.mp4";
    let posts = envelope_reply(
        200,
        "Fetched CSV Post",
        json!({
            "csv": {
                "_id": CSV,
                "locationId": LOCATION,
                "fileName": "sample.csv",
                "status": "in_review",
                "count": 6
            },
            "count": 6,
            "posts": [
                {
                    "accountIds": [GOOGLE_ACCOUNT],
                    "link": {
                        "url": "https://knowledge.wharton.upenn.edu/article/impact-of-social-media/",
                        "ogTitle": "The Impact of Social Media: Is it Irreplaceable?",
                        "ogDescription": "Social media as we know it has barely",
                        "ogImage": {
                            "url": "https://knowledge.wharton.upenn.edu/wp-content/uploads/2019/07/072619_socialmedia_phonelikes-600x440.jpg",
                            "width": 400,
                            "height": 440,
                            "type": "image/jpg"
                        },
                        "ogUrl": "https://knowledge.wharton.upenn.edu/article/impact-of-social-media/",
                        "ogSiteName": "Knowledge at Wharton"
                    },
                    "medias": [
                        {
                            "url": "https://storage.googleapis.com/ghl-test/omaDY3RbWtTP511e808O/media/38e53059-b92706571605.png",
                            "type": "image/webp",
                            "size": 18362,
                            "width": 500,
                            "height": 500,
                            "aspectRatio": 1.5,
                            "format": "jpg",
                            "instagramError": "imageAspectRatio",
                            "gmbError": "imageDimension",
                            "invalidError": "imageWidth"
                        },
                        {
                            "url": video,
                            "type": "video/mp4",
                            "duration": 60.5,
                            "videoCodecName": "h264",
                            "frameRate": 29.97,
                            "audioCodecName": "aac",
                            "audioChannels": 2,
                            "displayAspectRatio": "250 : 167",
                            "frames": [
                                "https://storage.googleapis.com/ghl-test/omaDY3RbWtTP511e808O/media/frame-0.png",
                                "https://storage.googleapis.com/ghl-test/omaDY3RbWtTP511e808O/media/frame-1.png"
                            ],
                            "selectedPoster": 1,
                            "error": "Video is longer than 60 seconds",
                            "facebookError": "videoDuration",
                            "linkedinError": "videoSize",
                            "twitterError": "videoType",
                            "tiktokError": "videoFrameRate",
                            "tiktokBusinessError": "audioCodecChannels"
                        }
                    ],
                    "scheduleDate": "2022-11-23T05:53:00.000Z",
                    "summary": "First post",
                    "followUpComment": "Initial Comment",
                    "type": "post",
                    "tiktokPostDetails": { "privacyLevel": "MUTUAL_FOLLOW_FRIENDS", "enableDuet": true },
                    "gmbPostDetails": {
                        "gmbEventType": "STANDARD",
                        "url": "https://google.com",
                        "actionType": "call"
                    }
                },
                { "summary": "Broken row", "type": "story", "errorMessage": "Invalid media format" }
            ]
        }),
    );
    let path = &format!("/social-media-posting/{LOCATION}/csv/{CSV}");
    let (server, client) = serve(
        [
            expect_call("GET", path)
                .and(query_param("skip", "0"))
                .and(query_param("limit", "10")),
            expect_call("GET", path)
                .and(query_param_is_missing("skip"))
                .and(query_param_is_missing("limit")),
        ],
        posts,
    )
    .await;

    let paged = GetCsvPostQuery::default().skip(0).limit(10);
    for query in [paged, GetCsvPostQuery::default()] {
        let response = client.get_csv_post(LOCATION, CSV, &query).await.unwrap();
        assert_envelope!(response, 200, "Fetched CSV Post");
        let response = response.into_inner();
        let results = response.results.unwrap();
        let csv = results.csv.unwrap();
        assert_eq!(csv.id.as_deref(), Some(CSV));
        assert_eq!(csv.status, Some(CsvImportStatus::InReview));
        assert_eq!(csv.count, Some(6));
        assert_eq!(results.count, Some(6));
        let posts = results.posts.unwrap();
        assert_eq!(posts.len(), 2);

        let post = &posts[0];
        assert_eq!(post.account_ids, Some(vec![GOOGLE_ACCOUNT.to_owned()]));
        let link = post.link.as_ref().unwrap();
        assert_eq!(
            link.og_title.as_deref(),
            Some("The Impact of Social Media: Is it Irreplaceable?")
        );
        assert_eq!(
            link.og_description.as_deref(),
            Some("Social media as we know it has barely")
        );
        assert_eq!(link.og_site_name.as_deref(), Some("Knowledge at Wharton"));
        assert_eq!(link.error, None);
        let image = link.og_image.as_ref().unwrap();
        assert_eq!((image.width, image.height), (Some(400), Some(440)));
        assert_eq!(image.r#type.as_deref(), Some("image/jpg"));

        let medias = post.medias.as_ref().unwrap();
        assert_eq!(medias.len(), 2);
        let picture = &medias[0];
        assert_eq!(picture.r#type.as_deref(), Some("image/webp"));
        assert_eq!(picture.size, Some(18362));
        assert_eq!((picture.width, picture.height), (Some(500), Some(500)));
        assert_eq!(picture.aspect_ratio, Some(1.5));
        assert_eq!(picture.format.as_deref(), Some("jpg"));
        assert_eq!(
            picture.instagram_error,
            Some(MediaValidationCode::ImageAspectRatio)
        );
        assert_eq!(picture.gmb_error, Some(MediaValidationCode::ImageDimension));
        assert_eq!(picture.invalid_error, Some(MediaValidationCode::ImageWidth));
        assert_eq!(picture.facebook_error, None);
        let clip = &medias[1];
        assert_eq!(clip.url.as_deref(), Some(video));
        assert_eq!(clip.duration, Some(60.5));
        assert_eq!(clip.video_codec_name.as_deref(), Some("h264"));
        assert_eq!(clip.frame_rate, Some(29.97));
        assert_eq!(clip.audio_codec_name.as_deref(), Some("aac"));
        assert_eq!(clip.audio_channels, Some(2));
        assert_eq!(clip.display_aspect_ratio.as_deref(), Some("250 : 167"));
        assert_eq!(clip.frames.as_ref().map(Vec::len), Some(2));
        assert_eq!(clip.selected_poster, Some(1));
        assert_eq!(
            clip.error.as_deref(),
            Some("Video is longer than 60 seconds")
        );
        assert_eq!(
            clip.facebook_error,
            Some(MediaValidationCode::VideoDuration)
        );
        assert_eq!(clip.linkedin_error, Some(MediaValidationCode::VideoSize));
        assert_eq!(clip.twitter_error, Some(MediaValidationCode::VideoType));
        assert_eq!(clip.tiktok_error, Some(MediaValidationCode::VideoFrameRate));
        assert_eq!(
            clip.tiktok_business_error,
            Some(MediaValidationCode::AudioCodecChannels)
        );
        assert_eq!(clip.instagram_error, None);

        assert_eq!(
            post.schedule_date.as_deref(),
            Some("2022-11-23T05:53:00.000Z")
        );
        assert_eq!(post.summary.as_deref(), Some("First post"));
        assert_eq!(post.follow_up_comment.as_deref(), Some("Initial Comment"));
        assert_eq!(post.r#type, Some(PostType::Post));
        assert_eq!(
            post.tiktok_post_details,
            Some(
                TiktokPostDetails::default()
                    .privacy_level(TiktokPrivacyLevel::MutualFollowFriends)
                    .enable_duet(true)
            )
        );
        assert_eq!(
            post.gmb_post_details,
            Some(
                GoogleBusinessPostDetails::default()
                    .gmb_event_type(GoogleBusinessEventType::Standard)
                    .url("https://google.com")
                    .action_type(GoogleBusinessActionType::Call)
            )
        );
        assert_eq!(post.error_message, None);

        let broken = &posts[1];
        assert_eq!(broken.r#type, Some(PostType::Story));
        assert_eq!(
            broken.error_message.as_deref(),
            Some("Invalid media format")
        );
        assert_eq!(broken.medias, None);
    }

    assert_eq!(
        received_queries(&server).await,
        [Some("skip=0&limit=10".to_owned()), None]
    );
    received(&server).await.iter().for_each(assert_no_body);
}

// ---------------------------------------------------------------------------------------------
// start-csv-finalize
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn start_csv_finalize_patches_the_import_and_decodes_the_confirmation() {
    let path = &format!("/social-media-posting/{LOCATION}/csv/65f92e55%2Fcc88%3F");
    let started = confirmation_reply(200, "Finalizing CSV Import");
    let (server, client) = serve(
        [
            expect_json_call("PATCH", path, json!({ "userId": USER })),
            // `userId` is None: the body is an empty object.
            expect_json_call("PATCH", path, json!({})),
        ],
        started,
    )
    .await;

    for body in [
        StartCsvFinalizeRequest::default().user_id(USER),
        StartCsvFinalizeRequest::default(),
    ] {
        let response = client
            .start_csv_finalize(LOCATION, "65f92e55/cc88?", &body)
            .await
            .unwrap();
        assert_envelope!(response, 200, "Finalizing CSV Import");
    }
    assert_eq!(received_queries(&server).await, [None, None]);
}

// ---------------------------------------------------------------------------------------------
// delete-csv
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn delete_csv_encodes_the_path_and_decodes_the_deleted_import() {
    let (server, client) = serve(
        [expect_call(
            "DELETE",
            &format!("/social-media-posting/{LOCATION}/csv/{CSV}"),
        )],
        envelope_reply(
            200,
            "Deleted Post",
            // As the spec notes, this record has no `_id` and no `createdAt`.
            json!({
                "csv": {
                    "locationId": LOCATION,
                    "fileName": "sample.csv",
                    "accountIds": [GOOGLE_ACCOUNT],
                    "file": FILE_PATH,
                    "status": "deleted",
                    "count": 5,
                    "createdBy": "SDsdfdf45Dgs4w3ssss"
                }
            }),
        ),
    )
    .await;

    let response = client.delete_csv(LOCATION, CSV).await.unwrap();

    assert_envelope!(response, 200, "Deleted Post");
    let response = response.into_inner();
    let csv = response.results.unwrap().csv.unwrap();
    assert_eq!(csv.id, None);
    assert_eq!(csv.location_id.as_deref(), Some(LOCATION));
    assert_eq!(csv.file_name.as_deref(), Some("sample.csv"));
    assert_eq!(csv.account_ids, Some(vec![GOOGLE_ACCOUNT.to_owned()]));
    assert_eq!(csv.file.as_deref(), Some(FILE_PATH));
    assert_eq!(csv.status, Some(CsvImportStatus::Deleted));
    assert_eq!(csv.count, Some(5));
    assert_eq!(csv.created_at, None);

    assert_one_bare_request(&server).await;
}

// ---------------------------------------------------------------------------------------------
// delete-csv-post
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn delete_csv_post_encodes_both_ids_and_decodes_the_removed_post() {
    let (server, client) = serve(
        [expect_call(
            "DELETE",
            &format!(
                "/social-media-posting/{LOCATION}/csv/65f92e55%2Fcc88/post/row%207%3Fa%3D1%26b"
            ),
        )],
        envelope_reply(200, "Deleted Post", json!({ "postId": CSV_POST })),
    )
    .await;

    let response = client
        .delete_csv_post(LOCATION, "65f92e55/cc88", "row 7?a=1&b")
        .await
        .unwrap();

    assert_envelope!(response, 200, "Deleted Post");
    let response = response.into_inner();
    assert_eq!(response.results.unwrap().post_id, CSV_POST);

    assert_one_bare_request(&server).await;
}

// ---------------------------------------------------------------------------------------------
// list-categories, get-category
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_categories_sends_set_query_params_only_and_decodes_the_categories() {
    let listing = envelope_reply(
        200,
        "Fetched Categories by Location ID",
        json!({
            "count": 3,
            "categories": [
                {
                    "_id": "Lx1EI6YIgQYMQi0ytFXv",
                    "name": "Primary",
                    "primaryColor": "#FFFFFF",
                    "secondaryColor": "#32a852",
                    "locationId": LOCATION,
                    "createdBy": CREATOR,
                    "deleted": false,
                    "createdAt": "2023-08-02T00:00:00.000Z",
                    "updatedAt": "2023-08-03T00:00:00.000Z"
                },
                { "_id": CATEGORY, "name": "Summer & Sale", "deleted": true }
            ]
        }),
    );
    let path = &format!("/social-media-posting/{LOCATION}/categories");
    let (server, client) = serve(
        [
            expect_call("GET", path)
                .and(query_param("searchText", "summer & sale"))
                .and(query_param("limit", "10"))
                .and(query_param("skip", "20")),
            expect_call("GET", path)
                .and(query_param_is_missing("searchText"))
                .and(query_param_is_missing("limit"))
                .and(query_param_is_missing("skip")),
        ],
        listing,
    )
    .await;

    let searched = ListCategoriesQuery::default()
        .search_text("summer & sale")
        .limit(10)
        .skip(20);
    for query in [searched, ListCategoriesQuery::default()] {
        let response = client.list_categories(LOCATION, &query).await.unwrap();
        assert_envelope!(response, 200, "Fetched Categories by Location ID");
        let response = response.into_inner();
        let list = response.results.unwrap();
        assert_eq!(list.count, 3);
        assert_eq!(list.categories.len(), 2);
        let primary = &list.categories[0];
        assert_eq!(primary.id.as_deref(), Some("Lx1EI6YIgQYMQi0ytFXv"));
        assert_eq!(primary.name.as_deref(), Some("Primary"));
        assert_eq!(primary.primary_color.as_deref(), Some("#FFFFFF"));
        assert_eq!(primary.secondary_color.as_deref(), Some("#32a852"));
        assert_eq!(primary.location_id.as_deref(), Some(LOCATION));
        assert_eq!(primary.created_by.as_deref(), Some(CREATOR));
        assert!(!primary.deleted);
        assert_eq!(primary.message, None);
        assert_eq!(
            primary.created_at.as_deref(),
            Some("2023-08-02T00:00:00.000Z")
        );
        assert_eq!(
            primary.updated_at.as_deref(),
            Some("2023-08-03T00:00:00.000Z")
        );
        let sale = &list.categories[1];
        assert_eq!(sale.name.as_deref(), Some("Summer & Sale"));
        assert!(sale.deleted);
        assert_eq!(sale.primary_color, None);
    }

    assert_eq!(
        received_queries(&server).await,
        [
            Some("searchText=summer+%26+sale&limit=10&skip=20".to_owned()),
            None
        ]
    );
    received(&server).await.iter().for_each(assert_no_body);
}

#[tokio::test]
async fn get_category_encodes_the_path_and_decodes_the_category() {
    let (server, client) = serve(
        [expect_call(
            "GET",
            &format!("/social-media-posting/{LOCATION}/categories/6284c43d%2F5191%20x"),
        )],
        envelope_reply(
            200,
            "Fetched Category",
            json!({
                "category": {
                    "_id": CATEGORY,
                    "name": "Primary",
                    "primaryColor": "#FFFFFF",
                    "secondaryColor": "#32a852",
                    "locationId": LOCATION,
                    "deleted": false,
                    "message": "Category found"
                }
            }),
        ),
    )
    .await;

    let response = client
        .get_category(LOCATION, "6284c43d/5191 x")
        .await
        .unwrap();

    assert_envelope!(response, 200, "Fetched Category");
    let response = response.into_inner();
    let category = response.results.unwrap().category.unwrap();
    assert_eq!(category.id.as_deref(), Some(CATEGORY));
    assert_eq!(category.name.as_deref(), Some("Primary"));
    assert_eq!(category.primary_color.as_deref(), Some("#FFFFFF"));
    assert_eq!(category.secondary_color.as_deref(), Some("#32a852"));
    assert_eq!(category.location_id.as_deref(), Some(LOCATION));
    assert!(!category.deleted);
    assert_eq!(category.message.as_deref(), Some("Category found"));
    assert_eq!(category.created_by, None);

    assert_one_bare_request(&server).await;
}

// ---------------------------------------------------------------------------------------------
// list-tags, get-tags-by-ids
// ---------------------------------------------------------------------------------------------

/// The tags of the spec's examples.
fn tags_json() -> serde_json::Value {
    json!([
        {
            "_id": PRIMARY_TAG,
            "tag": "Primary Tag",
            "locationId": LOCATION,
            "createdBy": CREATOR,
            "deleted": false,
            "createdAt": "2023-08-02T00:00:00.000Z",
            "updatedAt": "2023-08-02T00:00:00.000Z"
        },
        { "_id": LAUNCH_TAG, "tag": "Launch" }
    ])
}

#[tokio::test]
async fn list_tags_sends_set_query_params_only_and_decodes_the_tags() {
    let listing = envelope_reply(
        200,
        "Fetched Tags by Location ID",
        json!({ "tags": tags_json(), "count": 3 }),
    );
    let path = "/social-media-posting/loc%2F1/tags";
    let (server, client) = serve(
        [
            expect_call("GET", path)
                .and(query_param("searchText", "Primary"))
                .and(query_param("limit", "5"))
                .and(query_param("skip", "0")),
            expect_call("GET", path)
                .and(query_param("searchText", "test"))
                .and(query_param_is_missing("limit"))
                .and(query_param_is_missing("skip")),
            expect_call("GET", path)
                .and(query_param_is_missing("searchText"))
                .and(query_param_is_missing("limit"))
                .and(query_param_is_missing("skip")),
        ],
        listing,
    )
    .await;

    // A `skip` of 0 is a value that is set, not left out.
    let every = ListTagsQuery::default()
        .search_text("Primary")
        .limit(5)
        .skip(0);
    let only_search = ListTagsQuery::default().search_text("test");
    for query in [every, only_search, ListTagsQuery::default()] {
        let response = client.list_tags("loc/1", &query).await.unwrap();
        assert_envelope!(response, 200, "Fetched Tags by Location ID");
        let response = response.into_inner();
        let list = response.results.unwrap();
        assert_eq!(list.count, Some(3));
        let tags = list.tags.unwrap();
        assert_eq!(tags.len(), 2);
        let primary = &tags[0];
        assert_eq!(primary.id.as_deref(), Some(PRIMARY_TAG));
        assert_eq!(primary.tag.as_deref(), Some("Primary Tag"));
        assert_eq!(primary.location_id.as_deref(), Some(LOCATION));
        assert_eq!(primary.created_by.as_deref(), Some(CREATOR));
        assert_eq!(primary.deleted, Some(false));
        assert_eq!(
            primary.updated_at.as_deref(),
            Some("2023-08-02T00:00:00.000Z")
        );
        assert_eq!(tags[1].tag.as_deref(), Some("Launch"));
        assert_eq!(tags[1].deleted, None);
    }

    assert_eq!(
        received_queries(&server).await,
        [
            Some("searchText=Primary&limit=5&skip=0".to_owned()),
            Some("searchText=test".to_owned()),
            None,
        ]
    );
    received(&server).await.iter().for_each(assert_no_body);
}

#[tokio::test]
async fn get_tags_by_ids_posts_the_ids_and_decodes_the_tags() {
    let (server, client) = serve(
        [expect_json_call(
            "POST",
            &format!("/social-media-posting/{LOCATION}/tags/details"),
            json!({ "tagIds": [PRIMARY_TAG, LAUNCH_TAG] }),
        )],
        envelope_reply(
            201,
            "Fetched Tags by Tag IDs",
            // `count` is optional: this response leaves it out.
            json!({ "tags": tags_json() }),
        ),
    )
    .await;

    let body = GetTagsByIdsRequest::new([PRIMARY_TAG, LAUNCH_TAG]);
    let response = client.get_tags_by_ids(LOCATION, &body).await.unwrap();

    assert_envelope!(response, 201, "Fetched Tags by Tag IDs");
    let response = response.into_inner();
    let list = response.results.unwrap();
    assert_eq!(list.count, None);
    let names: Vec<_> = list
        .tags
        .iter()
        .flatten()
        .map(|t| t.tag.as_deref())
        .collect();
    assert_eq!(names, [Some("Primary Tag"), Some("Launch")]);
    assert_eq!(only_request(&server).await.url.query(), None);
}

// ---------------------------------------------------------------------------------------------
// get-statistics
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_statistics_sends_query_and_body_and_decodes_every_breakdown() {
    let week = json!(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
    let zeros = json!([0, 0, 0, 0, 0, 0, 0]);
    let statistics = json_reply(
        201,
        json!({
            "message": "Analytics Built Successfully",
            "traceId": "42fc8dd8-d55b-475f-944f-9efb90d77564",
            "results": {
                "dayRange": week,
                "totals": { "posts": 12, "likes": 30, "followers": 1250, "impressions": 944, "comments": 11 },
                "postPerformance": {
                    "posts": { "google": zeros, "instagram": [2, 1, 3, 0, 1, 2, 4] },
                    "impressions": [120, 80, 95, 200, 150, 180, 119],
                    "likes": [3, 5, 2, 8, 4, 6, 2],
                    "comments": [1, 0, 2, 3, 1, 2, 2]
                },
                "breakdowns": {
                    "posts": {
                        "total": 13,
                        "totalChange": 30,
                        "platforms": { "instagram": { "value": 13, "change": 30 } }
                    },
                    "impressions": {
                        "total": 356,
                        "totalChange": -39.35,
                        "platforms": {
                            "instagram": { "value": 46, "change": -71.95 },
                            "google": { "value": 310, "change": -20.5 }
                        }
                    },
                    "reach": { "total": 201 },
                    "engagement": {
                        "facebook": { "likes": 0, "comments": 11, "shares": 0, "change": -66.67 }
                    }
                },
                "platformTotals": {
                    "impressions": { "google": { "total": 239, "series": [22, 6, 4, 69, 138, 0, 0] } },
                    "followers": { "google": { "total": 0, "series": zeros } },
                    "likes": { "google": { "total": 1, "series": [0, 0, 0, 1, 0, 0, 0] } }
                },
                "demographics": {
                    "gender": {
                        "totals": {
                            "male": { "total": 52, "percentage": 54.17 },
                            "female": { "total": 40, "percentage": 41.67 },
                            "unknown": { "total": 4, "percentage": 4.16 }
                        }
                    },
                    "age": {
                        "totals": {
                            "13-17": 0, "18-24": 12, "25-34": 40, "35-44": 31,
                            "45-54": 9, "55-64": 4, "65+": 1
                        }
                    }
                }
            }
        }),
    );
    let (server, client) = serve(
        [
            expect_v3_json_call(
                "POST",
                "/social-media-posting/statistics",
                json!({
                    "profileIds": [PROFILE, OTHER_PROFILE],
                    "platforms": ["facebook", "instagram", "tiktok"],
                    "currentRange": {
                        "startDate": "2025-03-01T00:00:00.000Z",
                        "endDate": "2025-03-31T23:59:59.999Z"
                    },
                    "prevRange": {
                        "startDate": "2025-02-01T00:00:00.000Z",
                        "endDate": "2025-02-28T23:59:59.999Z"
                    }
                }),
            )
            .and(query_param("locationId", "loc/1 x")),
            // `platforms` and the ranges are None and must not be sent.
            expect_v3_json_call(
                "POST",
                "/social-media-posting/statistics",
                json!({ "profileIds": [PROFILE] }),
            )
            .and(query_param("locationId", QUERY_LOCATION)),
        ],
        statistics,
    )
    .await;

    let narrowed = StatisticsRequest::new([PROFILE, OTHER_PROFILE])
        .platforms(vec![
            StatisticsPlatform::Facebook,
            StatisticsPlatform::Instagram,
            StatisticsPlatform::Tiktok,
        ])
        .current_range(StatisticsRange::new(
            "2025-03-01T00:00:00.000Z",
            "2025-03-31T23:59:59.999Z",
        ))
        .prev_range(StatisticsRange::new(
            "2025-02-01T00:00:00.000Z",
            "2025-02-28T23:59:59.999Z",
        ));
    let response = client
        .get_statistics(&GetStatisticsQuery::new("loc/1 x"), &narrowed)
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::CREATED);
    let response = response.into_inner();
    assert_eq!(
        response.message.as_deref(),
        Some("Analytics Built Successfully")
    );
    assert_eq!(
        response.trace_id.as_deref(),
        Some("42fc8dd8-d55b-475f-944f-9efb90d77564")
    );
    let stats = response.results.unwrap();
    assert_eq!(
        stats.day_range.unwrap(),
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    );

    let totals = stats.totals.unwrap();
    assert_eq!(
        (
            totals.posts,
            totals.likes,
            totals.followers,
            totals.impressions,
            totals.comments
        ),
        (Some(12), Some(30), Some(1250), Some(944), Some(11))
    );

    let performance = stats.post_performance.unwrap();
    let per_platform = performance.posts.unwrap();
    assert_eq!(
        per_platform.keys().collect::<Vec<_>>(),
        ["google", "instagram"]
    );
    assert_eq!(per_platform["google"], [0; 7]);
    assert_eq!(per_platform["instagram"], [2, 1, 3, 0, 1, 2, 4]);
    assert_eq!(
        performance.impressions.unwrap(),
        [120, 80, 95, 200, 150, 180, 119]
    );
    assert_eq!(performance.likes.unwrap(), [3, 5, 2, 8, 4, 6, 2]);
    assert_eq!(performance.comments.unwrap(), [1, 0, 2, 3, 1, 2, 2]);

    let breakdowns = stats.breakdowns.unwrap();
    let posts = breakdowns.posts.unwrap();
    assert_eq!(posts.total, Some(13));
    assert_eq!(posts.total_change, Some(30.0));
    let impressions = breakdowns.impressions.unwrap();
    assert_eq!(impressions.total, Some(356));
    assert_eq!(impressions.total_change, Some(-39.35));
    let platforms = impressions.platforms.unwrap();
    assert_eq!(platforms.len(), 2);
    assert_eq!(platforms["instagram"].value, Some(46));
    assert_eq!(platforms["instagram"].change, Some(-71.95));
    assert_eq!(platforms["google"].value, Some(310));
    assert_eq!(platforms["google"].change, Some(-20.5));
    let reach = breakdowns.reach.unwrap();
    assert_eq!(reach.total, Some(201));
    assert_eq!(reach.total_change, None);
    assert_eq!(reach.platforms, None);
    let engagement = breakdowns.engagement.unwrap();
    let facebook = &engagement["facebook"];
    assert_eq!(
        (facebook.likes, facebook.comments, facebook.shares),
        (Some(0), Some(11), Some(0))
    );
    assert_eq!(facebook.change, Some(-66.67));

    let platform_totals = stats.platform_totals.unwrap();
    let google_impressions = &platform_totals.impressions.unwrap()["google"];
    assert_eq!(google_impressions.total, Some(239));
    assert_eq!(
        google_impressions.series.as_deref(),
        Some(&[22, 6, 4, 69, 138, 0, 0][..])
    );
    assert_eq!(platform_totals.followers.unwrap()["google"].total, Some(0));
    assert_eq!(
        platform_totals.likes.unwrap()["google"].series.as_deref(),
        Some(&[0, 0, 0, 1, 0, 0, 0][..])
    );

    let demographics = stats.demographics.unwrap();
    let gender = demographics.gender.unwrap().totals.unwrap();
    let male = gender.male.unwrap();
    assert_eq!((male.total, male.percentage), (Some(52), Some(54.17)));
    let female = gender.female.unwrap();
    assert_eq!((female.total, female.percentage), (Some(40), Some(41.67)));
    let unknown = gender.unknown.unwrap();
    assert_eq!((unknown.total, unknown.percentage), (Some(4), Some(4.16)));
    let age = demographics.age.unwrap().totals.unwrap();
    assert_eq!(
        [
            age._13_17, age._18_24, age._25_34, age._35_44, age._45_54, age._55_64, age._65
        ],
        [
            Some(0),
            Some(12),
            Some(40),
            Some(31),
            Some(9),
            Some(4),
            Some(1)
        ]
    );

    // Every platform, and a plain location ID.
    let all = StatisticsRequest::new([PROFILE]);
    let response = client
        .get_statistics(&GetStatisticsQuery::new(QUERY_LOCATION), &all)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        response.message.as_deref(),
        Some("Analytics Built Successfully")
    );

    assert_eq!(
        received_queries(&server).await,
        [
            Some("locationId=loc%2F1+x".to_owned()),
            Some(format!("locationId={QUERY_LOCATION}")),
        ]
    );
}

//! Behaviour of the OAuth operations against a loopback mock server: the `start-*-oauth`
//! browser flows of every platform (query only, HTML answer, one table), and for Google
//! Business Profile, Facebook, LinkedIn and TikTok Business the listings of what an OAuth
//! account reaches and the attach calls.

use std::future::Future;
use std::pin::Pin;

use highlevel_social_planner::types::{
    AccountType, AttachFacebookPageRequest, AttachGoogleLocationRequest,
    AttachLinkedInAccountRequest, GoogleAccount, GoogleLocation, GoogleStorefrontAddress, Platform,
    StartFacebookOauthQuery, StartGoogleOauthQuery, StartInstagramOauthQuery,
    StartLinkedinOauthQuery, StartTiktokBusinessOauthQuery, StartTiktokOauthQuery,
    StartTwitterOauthQuery, TiktokProfileType,
};
use highlevel_social_planner::types::{
    AttachOAuthAccountRequest, AttachThreadsProfileRequest, AttachThreadsProfileRequestType,
    GetOauthAccountsQuery, StartOauthQuery,
};
use highlevel_social_planner::{Client, Error, Response, StatusCode};
use serde_json::json;
use wiremock::matchers::{query_param, query_param_is_missing};
use wiremock::{MockServer, ResponseTemplate};

use crate::common;

use common::{
    ACCOUNT, COMPANY, LOCATION, OAUTH_USER, ORIGIN, QUERY_LOCATION, assert_attached,
    assert_envelope, assert_one_bare_request, attach_response, client_for, envelope,
    envelope_reply, expect_call, expect_json_call, expect_v3_call, expect_v3_json_call, json_reply,
    only_request, received, serve,
};

const AVATAR: &str = "https://storage.googleapis.com/2ad21ebc23/test";

// ---------------------------------------------------------------------------------------------
// start-*-oauth, every platform
// ---------------------------------------------------------------------------------------------

/// What the two calls of a `start-*-oauth` row return, in order.
type StartOutcome = Pin<Box<dyn Future<Output = [Result<Response<()>, Error>; 2]>>>;

/// One `start-*-oauth` operation: the path it must request, and its two calls: the first with
/// every optional parameter set (and required ones that need encoding), the second with none.
struct StartOauth {
    operation: &'static str,
    path: &'static str,
    calls: fn(Client) -> StartOutcome,
}

/// The two calls each row makes, as the mocks and the checks below name them.
const START_CALLS: [&str; 2] = ["with every optional parameter", "with none"];

/// Makes a row's two calls in order, with one client.
fn two_calls<Q: 'static>(
    client: Client,
    call: impl AsyncFn(&Client, &Q) -> Result<Response<()>, Error> + 'static,
    [every, none]: [Q; 2],
) -> StartOutcome {
    Box::pin(async move { [call(&client, &every).await, call(&client, &none).await] })
}

/// Every `start-*-oauth` operation of the spec.
fn start_oauth_cases() -> [StartOauth; 7] {
    [
        StartOauth {
            operation: "start-google-oauth",
            path: "/social-media-posting/oauth/google/start",
            calls: |client| {
                let every = StartGoogleOauthQuery::new("loc 1", "u/1")
                    .page("integration")
                    .reconnect("true");
                let none = StartGoogleOauthQuery::new(QUERY_LOCATION, OAUTH_USER);
                two_calls(client, Client::start_google_oauth, [every, none])
            },
        },
        StartOauth {
            operation: "start-facebook-oauth",
            path: "/social-media-posting/oauth/facebook/start",
            calls: |client| {
                let every = StartFacebookOauthQuery::new("loc 1", "u/1")
                    .page("integration")
                    .reconnect("true");
                let none = StartFacebookOauthQuery::new(QUERY_LOCATION, OAUTH_USER);
                two_calls(client, Client::start_facebook_oauth, [every, none])
            },
        },
        StartOauth {
            operation: "start-instagram-oauth",
            path: "/social-media-posting/oauth/instagram/start",
            calls: |client| {
                let every = StartInstagramOauthQuery::new("loc 1", "u/1")
                    .page("integration")
                    .reconnect("true");
                let none = StartInstagramOauthQuery::new(QUERY_LOCATION, OAUTH_USER);
                two_calls(client, Client::start_instagram_oauth, [every, none])
            },
        },
        StartOauth {
            operation: "start-linkedin-oauth",
            path: "/social-media-posting/oauth/linkedin/start",
            calls: |client| {
                let every = StartLinkedinOauthQuery::new("loc 1", "u/1")
                    .page("integration")
                    .reconnect("true");
                let none = StartLinkedinOauthQuery::new(QUERY_LOCATION, OAUTH_USER);
                two_calls(client, Client::start_linkedin_oauth, [every, none])
            },
        },
        StartOauth {
            operation: "start-tiktok-oauth",
            path: "/social-media-posting/oauth/tiktok/start",
            calls: |client| {
                let every = StartTiktokOauthQuery::new("loc 1", "u/1")
                    .page("integration")
                    .reconnect("true");
                let none = StartTiktokOauthQuery::new(QUERY_LOCATION, OAUTH_USER);
                two_calls(client, Client::start_tiktok_oauth, [every, none])
            },
        },
        StartOauth {
            operation: "start-tiktok-business-oauth",
            path: "/social-media-posting/oauth/tiktok-business/start",
            calls: |client| {
                let every = StartTiktokBusinessOauthQuery::new("loc 1", "u/1")
                    .page("integration")
                    .reconnect("true");
                let none = StartTiktokBusinessOauthQuery::new(QUERY_LOCATION, OAUTH_USER);
                two_calls(client, Client::start_tiktok_business_oauth, [every, none])
            },
        },
        #[allow(
            deprecated,
            reason = "X is no longer supported, but start-twitter-oauth is still callable"
        )]
        StartOauth {
            operation: "start-twitter-oauth",
            path: "/social-media-posting/oauth/twitter/start",
            calls: |client| {
                let every = StartTwitterOauthQuery::new("loc 1", "u/1")
                    .page("integration")
                    .reconnect("true");
                let none = StartTwitterOauthQuery::new(QUERY_LOCATION, OAUTH_USER);
                two_calls(client, Client::start_twitter_oauth, [every, none])
            },
        },
    ]
}

/// Mounts the two calls of a row, named after its operation: one with every optional
/// parameter set, one with none. The login page is HTML, which the client must not try to
/// decode.
async fn mount_start_oauth(server: &MockServer, case: &StartOauth) {
    let login_page = ResponseTemplate::new(200).set_body_raw("<html>login</html>", "text/html");
    expect_call("GET", case.path)
        .and(query_param("locationId", "loc 1"))
        .and(query_param("userId", "u/1"))
        .and(query_param("page", "integration"))
        .and(query_param("reconnect", "true"))
        .respond_with(login_page.clone())
        .named(format!("{} {}", case.operation, START_CALLS[0]))
        .expect(1)
        .mount(server)
        .await;
    expect_call("GET", case.path)
        .and(query_param("locationId", QUERY_LOCATION))
        .and(query_param("userId", OAUTH_USER))
        .and(query_param_is_missing("page"))
        .and(query_param_is_missing("reconnect"))
        .respond_with(login_page)
        .named(format!("{} {}", case.operation, START_CALLS[1]))
        .expect(1)
        .mount(server)
        .await;
}

/// Checks the exact query strings of a row's two calls, and that neither sent a body.
async fn assert_start_oauth_requests(server: &MockServer, operation: &str) {
    let requests = received(server).await;
    let queries: Vec<_> = requests.iter().map(|r| r.url.query()).collect();
    let without_options = format!("locationId={QUERY_LOCATION}&userId={OAUTH_USER}");
    assert_eq!(
        queries,
        [
            Some("locationId=loc+1&userId=u%2F1&page=integration&reconnect=true"),
            Some(without_options.as_str()),
        ],
        "{operation}: query strings"
    );
    for (call, request) in START_CALLS.iter().zip(&requests) {
        assert!(
            request.body.is_empty(),
            "{operation} {call}: unexpected body"
        );
        assert!(
            request.headers.get("content-type").is_none(),
            "{operation} {call}: Content-Type sent without a body"
        );
    }
}

#[tokio::test]
async fn every_start_oauth_operation_sends_the_query_and_accepts_a_bodiless_200() {
    for case in start_oauth_cases() {
        let operation = case.operation;
        let server = MockServer::start().await;
        mount_start_oauth(&server, &case).await;

        let results = (case.calls)(client_for(&server)).await;

        for (call, result) in START_CALLS.iter().zip(results) {
            let response = result.unwrap_or_else(|err| panic!("{operation} {call}: {err}"));
            assert_eq!(response.status(), StatusCode::OK, "{operation} {call}");
            // There is no body to decode: the call returns `Response<()>`.
            let () = response.into_inner();
        }
        assert_start_oauth_requests(&server, operation).await;
        server.verify().await;
    }
}

// ---------------------------------------------------------------------------------------------
// Google Business Profile
// ---------------------------------------------------------------------------------------------

/// The `location` object of `get-google-locations`, as in the spec's examples.
fn google_location_json() -> serde_json::Value {
    json!({
        "name": "locations/12345678901234567890",
        "storeCode": "w37swmmLbA02zgqKPpxITe",
        "title": "Location Title",
        "metadata": { "hasGoogleUpdated": true, "canDelete": true },
        "storefrontAddress": {
            "regionCode": "US",
            "languageCode": "E001",
            "postalCode": "1221",
            "administrativeArea": "Down Town",
            "locality": "Louis Street",
            "addressLines": ["207", "county"]
        },
        "relationshipData": {},
        "maxLocation": false,
        "isVerified": true,
        "isConnected": false
    })
}

/// The `account` object of `get-google-locations`, as in the spec's examples.
fn google_account_json() -> serde_json::Value {
    json!({
        "name": "accounts/114659701071209971352",
        "accountName": "Account Name Test",
        "type": "PERSONAL",
        "verificationState": "UNVERIFIED",
        "vettedState": "NOT_VETTED"
    })
}

/// The `get-google-locations` response: one location and its account.
fn google_listing() -> serde_json::Value {
    envelope(
        200,
        "Fetched Google Business Account",
        json!({
            "locations": {
                "location": google_location_json(),
                "account": google_account_json()
            }
        }),
    )
}

/// The Google attach response: a connected Business Profile location.
fn google_attached() -> serde_json::Value {
    let mut response = attach_response("google", "Added Google Business Account");
    response["results"]["type"] = json!("location");
    response
}

#[tokio::test]
async fn get_google_locations_encodes_the_path_and_decodes_the_location_and_account() {
    let (server, client) = serve(
        [expect_call(
            "GET",
            "/social-media-posting/oauth/loc%201/google/locations/acc%2F1%3Fx%23y",
        )],
        json_reply(200, google_listing()),
    )
    .await;

    let response = client
        .get_google_locations("loc 1", "acc/1?x#y")
        .await
        .unwrap();

    assert_envelope!(response, 200, "Fetched Google Business Account");
    let response = response.into_inner();
    let pair = response.results.unwrap().locations.unwrap();

    let location = pair.location.unwrap();
    assert_eq!(
        location.name.as_deref(),
        Some("locations/12345678901234567890")
    );
    assert_eq!(
        location.store_code.as_deref(),
        Some("w37swmmLbA02zgqKPpxITe")
    );
    assert_eq!(location.title.as_deref(), Some("Location Title"));
    let metadata = location.metadata.unwrap();
    assert_eq!(metadata["hasGoogleUpdated"], true);
    assert_eq!(metadata["canDelete"], true);
    assert_eq!(
        location.storefront_address,
        Some(
            GoogleStorefrontAddress::default()
                .region_code("US")
                .language_code("E001")
                .postal_code("1221")
                .administrative_area("Down Town")
                .locality("Louis Street")
                .address_lines(["207", "county"])
        )
    );
    assert_eq!(location.relationship_data, Some(serde_json::Map::new()));
    assert_eq!(location.max_location, Some(false));
    assert_eq!(location.is_verified, Some(true));
    assert_eq!(location.is_connected, Some(false));

    let account = pair.account.unwrap();
    assert_eq!(
        account.name.as_deref(),
        Some("accounts/114659701071209971352")
    );
    assert_eq!(account.account_name.as_deref(), Some("Account Name Test"));
    assert_eq!(account.r#type.as_deref(), Some("PERSONAL"));
    assert_eq!(account.verification_state.as_deref(), Some("UNVERIFIED"));
    assert_eq!(account.vetted_state.as_deref(), Some("NOT_VETTED"));

    assert_one_bare_request(&server).await;
}

#[tokio::test]
async fn set_google_locations_posts_the_body_built_with_setters_and_decodes_the_account() {
    let (server, client) = serve(
        [expect_json_call(
            "POST",
            &format!("/social-media-posting/oauth/{LOCATION}/google/locations/{ACCOUNT}"),
            // Unset fields of the location (metadata, relationshipData, ...) must not be sent.
            json!({
                "location": {
                    "name": "locations/12345678901234567890",
                    "title": "Location Title",
                    "storefrontAddress": { "regionCode": "US", "addressLines": ["207", "county"] },
                    "isVerified": true
                },
                "account": { "name": "accounts/114659701071209971352", "type": "PERSONAL" },
                "companyId": COMPANY
            }),
        )],
        json_reply(201, google_attached()),
    )
    .await;

    let body = AttachGoogleLocationRequest::default()
        .location(
            GoogleLocation::default()
                .name("locations/12345678901234567890")
                .title("Location Title")
                .storefront_address(
                    GoogleStorefrontAddress::default()
                        .region_code("US")
                        .address_lines(["207", "county"]),
                )
                .is_verified(true),
        )
        .account(
            GoogleAccount::default()
                .name("accounts/114659701071209971352")
                .r#type("PERSONAL"),
        )
        .company_id(COMPANY);
    let response = client
        .set_google_locations(LOCATION, ACCOUNT, &body)
        .await
        .unwrap();

    assert_attached(
        &response,
        Platform::Google,
        AccountType::Location,
        "Added Google Business Account",
    );
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn set_google_locations_sends_the_listed_objects_back_unchanged() {
    let path = &format!("/social-media-posting/oauth/{LOCATION}/google/locations/{ACCOUNT}");
    let (server, client) = serve(
        [expect_call("GET", path)],
        json_reply(200, google_listing()),
    )
    .await;
    // Exactly the objects the listing returned: no field lost, renamed or added.
    expect_json_call(
        "POST",
        path,
        json!({ "location": google_location_json(), "account": google_account_json() }),
    )
    .respond_with(json_reply(201, google_attached()))
    .expect(1)
    .mount(&server)
    .await;

    let listed = client
        .get_google_locations(LOCATION, ACCOUNT)
        .await
        .unwrap()
        .into_inner()
        .results
        .unwrap()
        .locations
        .unwrap();
    let body = AttachGoogleLocationRequest::default()
        .location(listed.location.unwrap())
        .account(listed.account.unwrap());
    let attached = client
        .set_google_locations(LOCATION, ACCOUNT, &body)
        .await
        .unwrap();

    assert_attached(
        &attached,
        Platform::Google,
        AccountType::Location,
        "Added Google Business Account",
    );
    let methods: Vec<_> = received(&server)
        .await
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, ["GET", "POST"]);
}

// ---------------------------------------------------------------------------------------------
// Facebook
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_facebook_page_group_encodes_the_path_and_decodes_the_pages() {
    let (server, client) = serve(
        [expect_call(
            "GET",
            &format!("/social-media-posting/oauth/{LOCATION}/facebook/accounts/fb%2F1%20a"),
        )],
        envelope_reply(
            200,
            "Fetched Facebook Account",
            json!({
                "pages": [
                    {
                        "id": "u37swmmLbA02zgqKPpxITe2",
                        "name": "FB Page",
                        "avatar": "u37swmmLbA02zgqKPpxITe2",
                        "isOwned": true,
                        "isConnected": true
                    },
                    {
                        "id": ORIGIN,
                        "name": "Shared Page",
                        "isOwned": false,
                        "isConnected": false
                    }
                ]
            }),
        ),
    )
    .await;

    let response = client
        .get_facebook_page_group(LOCATION, "fb/1 a")
        .await
        .unwrap();

    assert_envelope!(response, 200, "Fetched Facebook Account");
    let response = response.into_inner();
    let pages = response.results.unwrap().pages.unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].id.as_deref(), Some("u37swmmLbA02zgqKPpxITe2"));
    assert_eq!(pages[0].name.as_deref(), Some("FB Page"));
    assert_eq!(pages[0].avatar.as_deref(), Some("u37swmmLbA02zgqKPpxITe2"));
    assert_eq!(pages[0].is_owned, Some(true));
    assert_eq!(pages[0].is_connected, Some(true));
    assert_eq!(pages[1].id.as_deref(), Some(ORIGIN));
    assert_eq!(pages[1].name.as_deref(), Some("Shared Page"));
    assert_eq!(pages[1].avatar, None);
    assert_eq!(pages[1].is_owned, Some(false));
    assert_eq!(pages[1].is_connected, Some(false));

    assert_one_bare_request(&server).await;
}

#[tokio::test]
async fn attach_facebook_page_group_posts_only_the_set_fields_and_decodes_the_account() {
    let path = &format!("/social-media-posting/oauth/{LOCATION}/facebook/accounts/{ACCOUNT}");
    let (server, client) = serve(
        [
            expect_json_call(
                "POST",
                path,
                json!({
                    "type": "page",
                    "originId": ORIGIN,
                    "name": "JOHN_DEO",
                    "avatar": AVATAR,
                    "companyId": COMPANY
                }),
            ),
            // Every field is optional: with none set, the body is an empty object.
            expect_json_call("POST", path, json!({})),
        ],
        json_reply(201, attach_response("facebook", "Added Facebook Page")),
    )
    .await;

    let full = AttachFacebookPageRequest::default()
        .r#type(AccountType::Page)
        .origin_id(ORIGIN)
        .name("JOHN_DEO")
        .avatar(AVATAR)
        .company_id(COMPANY);
    for body in [full, AttachFacebookPageRequest::default()] {
        let response = client
            .attach_facebook_page_group(LOCATION, ACCOUNT, &body)
            .await
            .unwrap();
        assert_attached(
            &response,
            Platform::Facebook,
            AccountType::Profile,
            "Added Facebook Page",
        );
    }
    assert!(
        received(&server)
            .await
            .iter()
            .all(|r| r.url.query().is_none())
    );
}

// ---------------------------------------------------------------------------------------------
// LinkedIn
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_linkedin_page_profile_encodes_the_path_and_decodes_pages_and_profile() {
    let (server, client) = serve(
        [expect_call(
            "GET",
            &format!("/social-media-posting/oauth/{LOCATION}/linkedin/accounts/li%3A1%2F2"),
        )],
        envelope_reply(
            200,
            "Fetched LinkedIn Account",
            json!({
                "pages": [{
                    "id": "w37swmmLbA02zgqKPpxITe",
                    "name": "Sample Name",
                    "avatar": "w37swmmLbA02zgqKPpxITe",
                    "urn": "urn:li:organization:80847980",
                    "isConnected": true
                }],
                "profile": [{
                    "id": "p37swmmLbA02zgqKPpxITe",
                    "name": "Sample Person",
                    "urn": "urn:li:person:8675309",
                    "isConnected": false
                }]
            }),
        ),
    )
    .await;

    let response = client
        .get_linkedin_page_profile(LOCATION, "li:1/2")
        .await
        .unwrap();

    assert_envelope!(response, 200, "Fetched LinkedIn Account");
    let response = response.into_inner();
    let results = response.results.unwrap();
    let pages = results.pages.unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].id.as_deref(), Some("w37swmmLbA02zgqKPpxITe"));
    assert_eq!(pages[0].name.as_deref(), Some("Sample Name"));
    assert_eq!(pages[0].avatar.as_deref(), Some("w37swmmLbA02zgqKPpxITe"));
    assert_eq!(
        pages[0].urn.as_deref(),
        Some("urn:li:organization:80847980")
    );
    assert_eq!(pages[0].is_connected, Some(true));
    let profile = results.profile.unwrap();
    assert_eq!(profile.len(), 1);
    assert_eq!(profile[0].id.as_deref(), Some("p37swmmLbA02zgqKPpxITe"));
    assert_eq!(profile[0].name.as_deref(), Some("Sample Person"));
    assert_eq!(profile[0].avatar, None);
    assert_eq!(profile[0].urn.as_deref(), Some("urn:li:person:8675309"));
    assert_eq!(profile[0].is_connected, Some(false));

    assert_one_bare_request(&server).await;
}

#[tokio::test]
async fn attach_linkedin_page_profile_posts_the_body_and_decodes_the_account() {
    let path = &format!("/social-media-posting/oauth/{LOCATION}/linkedin/accounts/{ACCOUNT}");
    let (server, client) = serve(
        [
            expect_json_call(
                "POST",
                path,
                json!({
                    "type": "page",
                    "originId": ORIGIN,
                    "name": "JOHN_DEO",
                    "avatar": AVATAR,
                    "urn": "urn:li:organization:80847980",
                    "companyId": COMPANY
                }),
            ),
            // A personal profile; `name`, `avatar` and `companyId` are unset and must not be sent.
            expect_json_call(
                "POST",
                path,
                json!({
                    "type": "profile",
                    "originId": "p37swmmLbA02zgqKPpxITe",
                    "urn": "urn:li:person:8675309"
                }),
            ),
        ],
        json_reply(201, attach_response("linkedin", "Added LinkedIn Account")),
    )
    .await;

    let page = AttachLinkedInAccountRequest::default()
        .r#type(AccountType::Page)
        .origin_id(ORIGIN)
        .name("JOHN_DEO")
        .avatar(AVATAR)
        .urn("urn:li:organization:80847980")
        .company_id(COMPANY);
    let profile = AttachLinkedInAccountRequest::default()
        .r#type(AccountType::Profile)
        .origin_id("p37swmmLbA02zgqKPpxITe")
        .urn("urn:li:person:8675309");
    for body in [page, profile] {
        let response = client
            .attach_linkedin_page_profile(LOCATION, ACCOUNT, &body)
            .await
            .unwrap();
        assert_attached(
            &response,
            Platform::Linkedin,
            AccountType::Profile,
            "Added LinkedIn Account",
        );
    }
    assert_eq!(received(&server).await.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// TikTok Business
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_tiktok_business_profile_encodes_the_path_and_decodes_the_profiles() {
    let (server, client) = serve(
        [expect_call(
            "GET",
            &format!("/social-media-posting/oauth/loc%2F1/tiktok-business/accounts/{ACCOUNT}"),
        )],
        envelope_reply(
            200,
            "Fetched Tiktok Business Account",
            json!({
                "profile": [
                    {
                        "id": "w37swmmLbA02zgqKPpxITe",
                        "name": "Account Name",
                        "username": "User_name",
                        "avatar": "w37swmmLbA02zgqKPpxITe",
                        "verified": true,
                        "isConnected": true,
                        "type": "BUSINESS"
                    },
                    { "id": "x48txnnMcB13ahrLqqQyJUf", "isConnected": false, "type": "PROFILE" }
                ]
            }),
        ),
    )
    .await;

    let response = client
        .get_tiktok_business_profile("loc/1", ACCOUNT)
        .await
        .unwrap();

    assert_envelope!(response, 200, "Fetched Tiktok Business Account");
    let response = response.into_inner();
    let profiles = response.results.unwrap().profile.unwrap();
    assert_eq!(profiles.len(), 2);
    let business = &profiles[0];
    assert_eq!(business.id.as_deref(), Some("w37swmmLbA02zgqKPpxITe"));
    assert_eq!(business.name.as_deref(), Some("Account Name"));
    assert_eq!(business.username.as_deref(), Some("User_name"));
    assert_eq!(business.avatar.as_deref(), Some("w37swmmLbA02zgqKPpxITe"));
    assert_eq!(business.verified, Some(true));
    assert_eq!(business.is_connected, Some(true));
    assert_eq!(business.r#type, Some(TiktokProfileType::Business));
    let other = &profiles[1];
    assert_eq!(other.id.as_deref(), Some("x48txnnMcB13ahrLqqQyJUf"));
    assert_eq!(other.name, None);
    assert_eq!(other.verified, None);
    assert_eq!(other.is_connected, Some(false));
    assert_eq!(other.r#type, Some(TiktokProfileType::Profile));

    assert_one_bare_request(&server).await;
}

// ---------------------------------------------------------------------------------------------
// Any platform (v3): start-oauth, get-oauth-accounts, attach-oauth-account
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn start_oauth_puts_the_platform_in_the_path_and_accepts_a_bodiless_200() {
    let (server, client) = serve(
        [
            expect_v3_call("GET", "/social-media-posting/oauth/pinterest/start")
                .and(query_param("locationId", QUERY_LOCATION))
                .and(query_param("userId", OAUTH_USER))
                .and(query_param("page", "integration"))
                .and(query_param("reconnect", "true")),
            expect_v3_call("GET", "/social-media-posting/oauth/threads/start")
                .and(query_param("locationId", QUERY_LOCATION))
                .and(query_param("userId", OAUTH_USER))
                .and(query_param_is_missing("page"))
                .and(query_param_is_missing("reconnect")),
        ],
        ResponseTemplate::new(200).set_body_string("<html>login</html>"),
    )
    .await;

    let every = StartOauthQuery::new(QUERY_LOCATION, OAUTH_USER)
        .page("integration")
        .reconnect("true");
    let response = client.start_oauth("pinterest", &every).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = client
        .start_oauth("threads", &StartOauthQuery::new(QUERY_LOCATION, OAUTH_USER))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn get_oauth_accounts_sends_the_search_and_decodes_each_platforms_list() {
    let path = format!("/social-media-posting/oauth/{LOCATION}/youtube/accounts/{ACCOUNT}");
    let (_server, client) = serve(
        [expect_v3_call("GET", &path).and(query_param("search", "My Channel"))],
        envelope_reply(
            200,
            "Fetched YouTube Account",
            json!({
                "pages": [{ "id": "urn:li:organization:1", "urn": "urn:li:organization:1", "isConnected": false }],
                "profile": [{
                    "id": "UCabcdefghijklmnop",
                    "name": "My Channel",
                    "username": "@mychannel",
                    "verified": true,
                    "isConnected": false,
                    "type": "PROFILE"
                }]
            }),
        ),
    )
    .await;

    let query = GetOauthAccountsQuery::default().search("My Channel");
    let response = client
        .get_oauth_accounts(LOCATION, "youtube", ACCOUNT, &query)
        .await
        .unwrap();

    assert_envelope!(response, 200, "Fetched YouTube Account");
    let choices = response.into_inner().results.unwrap();
    let channel = &choices.profile.unwrap()[0];
    assert_eq!(channel.id.as_deref(), Some("UCabcdefghijklmnop"));
    assert_eq!(channel.username.as_deref(), Some("@mychannel"));
    assert_eq!(channel.r#type.as_deref(), Some("PROFILE"));
    assert_eq!(
        choices.pages.unwrap()[0].urn.as_deref(),
        Some("urn:li:organization:1")
    );
    assert_eq!(choices.accounts, None);
    assert_eq!(choices.locations, None);
}

#[tokio::test]
async fn attach_oauth_account_posts_the_platforms_own_body_and_decodes_the_account() {
    let path = format!("/social-media-posting/oauth/{LOCATION}/threads/accounts/{ACCOUNT}");
    let (server, client) = serve(
        [
            expect_v3_json_call(
                "POST",
                &path,
                json!({
                    "type": "profile",
                    "originId": ORIGIN,
                    "name": "JOHN_DEO",
                    "avatar": "https://example.com/avatar.png"
                }),
            ),
            // The body of another platform's attach operation goes out as it is.
            expect_v3_json_call("POST", &path, json!({ "type": "page", "originId": ORIGIN })),
        ],
        json_reply(201, attach_response("threads", "Added Threads Account")),
    )
    .await;

    let threads =
        AttachOAuthAccountRequest::AttachThreadsProfileRequest(AttachThreadsProfileRequest::new(
            AttachThreadsProfileRequestType::Profile,
            ORIGIN,
            "JOHN_DEO",
            "https://example.com/avatar.png",
        ));
    let page = AttachOAuthAccountRequest::AttachFacebookPageRequest(
        AttachFacebookPageRequest::default()
            .r#type(AccountType::Page)
            .origin_id(ORIGIN),
    );
    for body in [threads, page] {
        let response = client
            .attach_oauth_account(LOCATION, "threads", ACCOUNT, &body)
            .await
            .unwrap();
        assert_attached(
            &response,
            Platform::Threads,
            AccountType::Profile,
            "Added Threads Account",
        );
    }
    assert!(
        server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .all(|r| r.url.query().is_none())
    );
}

//! The generated code of fixtures, as checked in under `tests/fixtures/*/expected/`, driven
//! against a loopback server: what each construct changes in what is sent or read.

use std::collections::BTreeMap;

use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[path = "../fixtures/parameter_styles/expected/mod.rs"]
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[rustfmt::skip]
mod parameter_styles;

#[path = "../fixtures/no_success_response/expected/mod.rs"]
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[rustfmt::skip]
mod no_success_response;

#[path = "../fixtures/optional_path_param/expected/mod.rs"]
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[rustfmt::skip]
mod optional_path_param;

#[path = "../fixtures/parameter_content/expected/mod.rs"]
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[rustfmt::skip]
mod parameter_content;

#[path = "../fixtures/equivalent_paths/expected/mod.rs"]
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[rustfmt::skip]
mod equivalent_paths;

#[path = "../fixtures/unit_values/expected/mod.rs"]
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[rustfmt::skip]
mod unit_values;

#[path = "../fixtures/example_refs/expected/mod.rs"]
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[rustfmt::skip]
mod example_refs;

#[path = "../fixtures/free_form_bodies/expected/mod.rs"]
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[rustfmt::skip]
mod free_form_bodies;

#[path = "../fixtures/large_types/expected/mod.rs"]
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[rustfmt::skip]
mod large_types;

#[path = "../fixtures/status_ranges/expected/mod.rs"]
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[rustfmt::skip]
mod status_ranges;

#[path = "../fixtures/api_key/expected/mod.rs"]
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[rustfmt::skip]
mod api_key;

#[path = "../fixtures/more_methods/expected/mod.rs"]
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[rustfmt::skip]
mod more_methods;

#[path = "../fixtures/multipart/expected/mod.rs"]
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[rustfmt::skip]
mod multipart;

/// A fixture's client for `server`, without retries: what every test here starts from.
fn client_for<C>(server: &MockServer) -> C
where
    C: openapi_client_runtime::codegen::GeneratedClient<ErrorBody: std::fmt::Debug>,
{
    openapi_client_runtime::ClientBuilder::<C>::new("token")
        .base_url(server.uri())
        .retry(openapi_client_runtime::RetryPolicy::none())
        .build()
        .expect("a client")
}

/// A server that answers every request with `response`.
async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A server that answers every request with `body`.
async fn server(body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("requests are recorded");
    assert_eq!(requests.len(), 1, "one request");
    requests.remove(0)
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("ASCII"))
}

mod styles {
    use super::parameter_styles::types::{
        Filter, ListReportsColor, ListReportsHeaders, ListReportsQuery, ListReportsWindow, Metric,
    };
    use super::parameter_styles::{Client, RetryPolicy};
    use super::*;

    fn client(server: &MockServer) -> Client {
        Client::builder("styles-token")
            .base_url(server.uri())
            .retry(RetryPolicy::none())
            .build()
            .expect("a client")
    }

    #[tokio::test]
    async fn each_query_style_writes_the_string_openapi_defines() {
        let server = server(json!(["weekly"])).await;
        let query = ListReportsQuery::new(["a b", "c/d"])
            .fields([Metric::Impressions, Metric::Clicks])
            .words(["spring", "sale"])
            .sizes([10, 20])
            .filter(Filter {
                status: Some("live".to_owned()),
                min: Some(3),
            })
            .window(ListReportsWindow {
                from: Some("2026-01-01".to_owned()),
                to: None,
            })
            .color(ListReportsColor {
                r: Some(100),
                g: Some(200),
            })
            .labels(BTreeMap::from([
                ("team".to_owned(), "north".to_owned()),
                ("env".to_owned(), "prod".to_owned()),
            ]))
            .limit(5);
        let reports = client(&server)
            .list_reports(&query, &ListReportsHeaders::default())
            .await
            .expect("the call succeeds");
        assert_eq!(reports.into_inner(), ["weekly"]);
        let request = only_request(&server).await;
        assert_eq!(
            request.url.query(),
            Some(
                "ids=a+b&ids=c%2Fd&fields=impressions,clicks&words=spring%20sale&sizes=10|20\
                 &filter[status]=live&filter[min]=3&from=2026-01-01&color=r,100,g,200\
                 &labels[env]=prod&labels[team]=north&limit=5"
            )
        );
        assert_eq!(header(&request, "x-metrics"), None);
        assert_eq!(header(&request, "cookie"), None);
    }

    #[tokio::test]
    async fn an_empty_exploded_list_sends_nothing_and_an_empty_joined_one_its_key() {
        let server = server(json!([])).await;
        client(&server)
            .list_reports(
                &ListReportsQuery::new(Vec::<String>::new()).fields([]),
                &ListReportsHeaders::default(),
            )
            .await
            .expect("the call succeeds");
        let request = only_request(&server).await;
        // An empty joined list is the key with no value: the list is there, and empty.
        assert_eq!(request.url.query(), Some("fields="));
    }

    #[tokio::test]
    async fn headers_are_simple_and_cookies_form() {
        let server = server(json!([])).await;
        let headers = ListReportsHeaders {
            x_metrics: Some(vec![Metric::Reach, Metric::from("saves")]),
            x_origin: Some(Filter {
                status: Some("draft".to_owned()),
                min: Some(1),
            }),
            seen: Some(vec![4, 5, 6]),
        };
        client(&server)
            .list_reports(&ListReportsQuery::new(["x"]), &headers)
            .await
            .expect("the call succeeds");
        let request = only_request(&server).await;
        assert_eq!(request.url.query(), Some("ids=x"));
        assert_eq!(header(&request, "x-metrics"), Some("reach,saves"));
        assert_eq!(header(&request, "x-origin"), Some("status=draft,min=1"));
        assert_eq!(header(&request, "cookie"), Some("seen=4,5,6"));
    }
}

mod no_success {
    use super::no_success_response::{ApiErrorBody, Client, Error, StatusCode};
    use super::*;

    fn client(server: &MockServer) -> Client {
        client_for::<Client>(server)
    }

    #[tokio::test]
    async fn a_default_response_alone_is_read_for_any_2xx_status() {
        let server =
            answering(ResponseTemplate::new(203).set_body_json(json!({"state": "up"}))).await;
        let status = client(&server).get_status().await.expect("a success");
        assert_eq!(status.status(), StatusCode::NON_AUTHORITATIVE_INFORMATION);
        assert_eq!(status.state, "up");
    }

    #[tokio::test]
    async fn a_documented_redirect_is_the_answer_with_its_location() {
        let server = answering(
            ResponseTemplate::new(302).insert_header("Location", "https://files.example/e1"),
        )
        .await;
        let answer = client(&server)
            .download_export("e1")
            .await
            .expect("the redirect is the success");
        assert_eq!(answer.status(), StatusCode::FOUND);
        assert_eq!(answer.headers()["location"], "https://files.example/e1");
        // Another redirect is not documented: not followed, not a success.
        let server = answering(ResponseTemplate::new(301)).await;
        let error = client(&server).download_export("e1").await.unwrap_err();
        assert!(matches!(error, Error::UnexpectedStatus { .. }), "{error:?}");
    }

    #[tokio::test]
    async fn nothing_documented_gives_the_raw_body_with_status_and_headers() {
        let server = answering(
            ResponseTemplate::new(202)
                .insert_header("X-Queue", "7")
                .set_body_string("queued"),
        )
        .await;
        let answer = client(&server).ping().await.expect("a success");
        assert_eq!(answer.status(), StatusCode::ACCEPTED);
        assert_eq!(answer.headers()["x-queue"], "7");
        assert_eq!(&answer.into_inner()[..], b"queued");
    }

    #[tokio::test]
    async fn an_operation_with_only_an_error_still_decodes_the_error() {
        let server =
            answering(ResponseTemplate::new(409).set_body_json(json!({"message": "in use"}))).await;
        let error = client(&server).delete_thing("t1").await.unwrap_err();
        match error {
            Error::Api {
                status,
                body: ApiErrorBody::DeleteThingError409(body),
                ..
            } => {
                assert_eq!(status, StatusCode::CONFLICT);
                assert_eq!(body.message.as_deref(), Some("in use"));
            }
            other => panic!("not the documented error: {other:?}"),
        }
        let server = answering(ResponseTemplate::new(204)).await;
        let answer = client(&server).delete_thing("t1").await.expect("a success");
        assert!(answer.into_inner().is_empty());
    }
}

mod optional_path {
    use super::optional_path_param::{Client, Error};
    use super::*;

    fn client(server: &MockServer) -> Client {
        client_for::<Client>(server)
    }

    #[tokio::test]
    async fn a_path_parameter_declared_optional_is_always_in_the_path() {
        let server = answering(ResponseTemplate::new(200).set_body_string("Dune")).await;
        let title = client(&server)
            .get_book("s 1", "b/2")
            .await
            .expect("a success");
        assert_eq!(title.into_inner(), "Dune");
        let request = only_request(&server).await;
        assert_eq!(request.url.path(), "/shelves/s%201/books/b%2F2");
        // Leaving it out would move the request to another path: refused before sending.
        let error = client(&server).get_book("s1", "").await.unwrap_err();
        assert!(matches!(error, Error::Encode { .. }), "{error:?}");
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}

mod content {
    use super::parameter_content::Client;
    use super::parameter_content::types::{
        SearchFilter, SearchHeaders, SearchQuery, SearchXContext,
    };
    use super::*;

    fn client(server: &MockServer) -> Client {
        client_for::<Client>(server)
    }

    #[tokio::test]
    async fn a_json_content_parameter_is_sent_as_json_text() {
        let server = answering(ResponseTemplate::new(200).set_body_string("a\nb")).await;
        let filter = SearchFilter {
            min: Some(2),
            tags: Some(vec!["x y".to_owned()]),
        };
        let query = SearchQuery::new(filter).q("red shoes").locale("fr");
        let headers = SearchHeaders {
            x_context: Some(SearchXContext {
                trace: Some("t-1".to_owned()),
            }),
        };
        let lines = client(&server)
            .search(&query, &headers)
            .await
            .expect("a success");
        assert_eq!(lines.into_inner(), "a\nb");
        let request = only_request(&server).await;
        assert_eq!(
            request.url.query(),
            Some("filter=%7B%22min%22%3A2%2C%22tags%22%3A%5B%22x+y%22%5D%7D&q=red+shoes&locale=fr")
        );
        let filter: serde_json::Value = request
            .url
            .query_pairs()
            .find(|(key, _)| key == "filter")
            .map(|(_, value)| serde_json::from_str(&value).expect("JSON"))
            .expect("the filter");
        assert_eq!(filter, json!({"min": 2, "tags": ["x y"]}));
        assert_eq!(header(&request, "x-context"), Some(r#"{"trace":"t-1"}"#));
    }
}

mod equivalent {
    use super::equivalent_paths::Client;
    use super::*;

    #[tokio::test]
    async fn each_method_of_a_split_path_goes_to_its_own_template() {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string("lamp"))
            .mount(&server)
            .await;
        Mock::given(wiremock::matchers::method("DELETE"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let client = client_for::<Client>(&server);
        assert_eq!(client.get_thing("t 1").await.unwrap().into_inner(), "lamp");
        client.delete_thing("t/2").await.expect("deleted");
        let seen: Vec<(String, String)> = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(|r| (r.method.to_string(), r.url.path().to_owned()))
            .collect();
        assert_eq!(
            seen,
            [
                ("GET".to_owned(), "/things/t%201".to_owned()),
                ("DELETE".to_owned(), "/things/t%2F2".to_owned()),
            ]
        );
    }
}

mod unit {
    use super::unit_values::{Client, Error};
    use super::*;

    fn client(server: &MockServer) -> Client {
        client_for::<Client>(server)
    }

    #[tokio::test]
    async fn a_null_only_response_has_nothing_to_read() {
        for body in ["null", ""] {
            let server = answering(ResponseTemplate::new(200).set_body_string(body)).await;
            let answer = client(&server).ping().await.expect("a success");
            assert_eq!(answer.into_inner(), ());
        }
    }

    #[tokio::test]
    async fn a_null_only_field_reads_null_and_refuses_anything_else() {
        let server = answering(
            ResponseTemplate::new(200).set_body_json(json!({"status": "ok", "error": null})),
        )
        .await;
        let reply = client(&server).get_reply().await.expect("a success");
        assert_eq!(reply.status, "ok");
        assert_eq!(reply.legacy, None);
        let server = answering(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "ok", "error": null, "legacy": 3})),
        )
        .await;
        let error = client(&server).get_reply().await.unwrap_err();
        assert!(
            matches!(&error, Error::Decode { .. }) && error.to_string().contains("legacy"),
            "{error}"
        );
    }
}

mod examples {
    use super::example_refs::Client;
    use super::*;

    #[tokio::test]
    async fn a_property_called_example_is_read_as_its_schema() {
        let server = answering(ResponseTemplate::new(200).set_body_json(
            json!({"name": "first", "example": {"text": "hello", "$ref": "#/ignored"}}),
        ))
        .await;
        let client = client_for::<Client>(&server);
        let sample = client.get_sample("s1").await.expect("a success");
        assert_eq!(sample.name, "first");
        let snippet = sample.example.as_ref().expect("the snippet");
        assert_eq!(snippet.text.as_deref(), Some("hello"));
        assert_eq!(only_request(&server).await.url.path(), "/samples/s1");
    }
}

mod free_form {
    use super::free_form_bodies::{Client, FilePart, FormParts};
    use super::*;

    fn client(server: &MockServer) -> Client {
        client_for::<Client>(server)
    }

    #[tokio::test]
    async fn undescribed_multipart_parts_go_as_the_caller_adds_them() {
        let server = answering(ResponseTemplate::new(201)).await;
        let parts = FormParts::new()
            .text("title", "Spring sale")
            .file("image", FilePart::new("sale.png", b"PNG-bytes".to_vec()))
            .text("title", "again");
        client(&server).upload(&parts).await.expect("stored");
        let request = only_request(&server).await;
        let content_type = header(&request, "content-type").expect("a content type");
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("multipart");
        let body = String::from_utf8(request.body.clone()).expect("text");
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nSpring sale\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"sale.png\"\r\n\
             Content-Type: image/png\r\n\r\nPNG-bytes\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nagain\r\n\
             --{boundary}--\r\n"
        );
        assert_eq!(body, expected);
    }

    #[tokio::test]
    async fn an_undescribed_form_sends_its_fields_by_name() {
        let server = answering(ResponseTemplate::new(204)).await;
        let fields = BTreeMap::from([
            ("user".to_owned(), "ann@example.com".to_owned()),
            ("code".to_owned(), "a b&c".to_owned()),
        ]);
        client(&server)
            .create_session(&fields)
            .await
            .expect("signed in");
        let request = only_request(&server).await;
        assert_eq!(
            header(&request, "content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(request.body, b"code=a+b%26c&user=ann%40example.com");
    }
}

mod large {
    use super::large_types::Client;
    use super::large_types::types::{Column, Line, Page, PageOrNote, Paragraph, Section};
    use super::*;

    fn section(title: &str) -> Section {
        let paragraph = Paragraph::new(Line::new("first line")).second(Line::new("second line"));
        Section::new(Column::new(paragraph.clone()).second(paragraph)).title(title)
    }

    #[tokio::test]
    async fn boxed_fields_go_and_come_as_the_plain_json_of_their_values() {
        let server = answering(ResponseTemplate::new(200).set_body_json(json!({
            "first": {"first": {"first": {"text": "only"}}}, "title": "Answer"
        })))
        .await;
        let client = client_for::<Client>(&server);
        let page = Page::new(section("One")).second(section("Two"));
        let answer = client.create_page(&page).await.expect("a success");

        let sent: serde_json::Value =
            serde_json::from_slice(&only_request(&server).await.body).expect("JSON");
        let line = json!({"text": "first line"});
        let paragraph = json!({"first": line, "second": {"text": "second line"}});
        let column = json!({"first": paragraph, "second": paragraph});
        assert_eq!(
            sent,
            json!({
                "first": {"first": column, "title": "One"},
                "second": {"first": column, "title": "Two"},
            })
        );
        // Not a page (it has no `first` that is a section), but a section: the boxed variant.
        let PageOrNote::Section(section) = answer.into_inner() else {
            panic!("read as another variant")
        };
        assert_eq!(section.title.as_deref(), Some("Answer"));
        assert_eq!(section.first.first.first.text, "only");
    }
}

mod ranges {
    use super::status_ranges::types::Thing;
    use super::status_ranges::{ApiErrorBody, Client, Error};
    use super::*;

    fn client(server: &MockServer) -> Client {
        client_for::<Client>(server)
    }

    #[tokio::test]
    async fn a_2xx_class_reads_its_body_whatever_the_2xx_status() {
        for status in [200, 202, 299] {
            let server = answering(
                ResponseTemplate::new(status).set_body_json(json!({"id": "t1", "note": "ok"})),
            )
            .await;
            let thing = client(&server)
                .annotate_thing("t1", &Thing::new("t1"))
                .await
                .unwrap_or_else(|e| panic!("{status} is a success: {e}"));
            assert_eq!(thing.note.as_deref(), Some("ok"));
        }
        // `default` is not the success: a problem stays an error, with its status.
        let server =
            answering(ResponseTemplate::new(409).set_body_json(json!({"title": "conflict"}))).await;
        let error = client(&server)
            .annotate_thing("t1", &Thing::new("t1"))
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::UnexpectedStatus { .. })
                && error.status().map(|s| s.as_u16()) == Some(409),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn a_listed_code_keeps_its_body_and_the_classes_take_the_others() {
        let read = |status: u16, body: serde_json::Value| async move {
            let server = answering(ResponseTemplate::new(status).set_body_json(body)).await;
            client(&server).get_thing("t1").await.unwrap_err()
        };
        let missing = read(404, json!({"id": "t1"})).await;
        assert!(
            matches!(missing.api_body(), Some(ApiErrorBody::Missing(m)) if m.id == "t1"),
            "{missing:?}"
        );
        for status in [400, 418, 503] {
            let error = read(status, json!({"title": "no", "status": status})).await;
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
            assert!(
                matches!(error.api_body(), Some(ApiErrorBody::ClientProblem(p))
                    if p.title == "no" && p.status == Some(i64::from(status))),
                "{status}: {error:?}"
            );
        }
        // No class covers a redirect: it stays unexpected.
        let error = read(302, json!({})).await;
        assert!(matches!(error, Error::UnexpectedStatus { .. }), "{error:?}");
    }
}

mod api_keys {
    use openapi_client_runtime::codegen::{
        ClientCore, Credential, GeneratedClient, Method, Operation, Profile,
    };

    use super::api_key::types::ListArticlesQuery;
    use super::api_key::{Client, RetryPolicy};
    use super::*;

    /// A key with characters a URL, a header and a cookie each treat apart.
    const KEY: &str = "k+y/z=1";

    #[tokio::test]
    async fn a_query_key_goes_in_the_query_of_authenticated_calls_only() {
        let server = answering(ResponseTemplate::new(200).set_body_json(json!(["a"]))).await;
        let client = Client::builder(KEY)
            .base_url(server.uri())
            .retry(RetryPolicy::none())
            .build()
            .expect("a client");
        let query = ListArticlesQuery::default().q("rust");
        client.list_articles(&query).await.expect("a success");
        client.list_articles(None).await.expect("a success");
        client.get_status().await.expect("a success");
        let requests = server.received_requests().await.expect("recorded");
        let queries: Vec<Option<&str>> = requests.iter().map(|r| r.url.query()).collect();
        assert_eq!(
            queries,
            [
                Some("q=rust&api%2Dkey=k%2By%2Fz%3D1"),
                Some("api%2Dkey=k%2By%2Fz%3D1"),
                None
            ]
        );
        assert!(
            requests
                .iter()
                .all(|r| header(r, "authorization").is_none())
        );
    }

    #[tokio::test]
    async fn an_error_does_not_show_the_url_that_holds_the_key() {
        let server = answering(ResponseTemplate::new(500).set_body_string("oops")).await;
        let client = Client::builder(KEY)
            .base_url(server.uri())
            .retry(RetryPolicy::none())
            .build()
            .expect("a client");
        let error = client.list_articles(None).await.unwrap_err();
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains("k%2By") && !text.contains(KEY), "{text}");
        }
    }

    static HEADER: Profile = Profile::new("test/1").credential(Credential::Header("X-Api-Key"));
    static COOKIE: Profile = Profile::new("test/1").credential(Credential::Cookie("session"));

    /// A client as a generated crate makes one, for a profile chosen by the test.
    struct Keyed<const COOKIE_PLACE: bool>(ClientCore);

    impl<const COOKIE_PLACE: bool> GeneratedClient for Keyed<COOKIE_PLACE> {
        type ErrorBody = String;

        fn profile() -> &'static Profile {
            if COOKIE_PLACE { &COOKIE } else { &HEADER }
        }

        fn from_core(core: ClientCore) -> Self {
            Self(core)
        }
    }

    const PING: Operation = Operation {
        id: "ping",
        method: Method::Get,
        path: "/ping",
        authenticated: true,
        idempotent: true,
        headers: &[],
    };

    async fn ping<const COOKIE_PLACE: bool>(server: &MockServer) -> Request {
        let client = openapi_client_runtime::ClientBuilder::<Keyed<COOKIE_PLACE>>::new(KEY)
            .base_url(server.uri())
            .retry(RetryPolicy::none())
            .build()
            .expect("a client");
        let sent = openapi_client_runtime::codegen::Request::new(&PING, "/ping")
            .cookie("theme", &"dark")
            .expect("a cookie");
        client.0.execute(sent).await.expect("a success");
        only_request(server).await
    }

    #[tokio::test]
    async fn a_header_key_goes_alone_in_its_header() {
        let server = answering(ResponseTemplate::new(204)).await;
        let request = ping::<false>(&server).await;
        assert_eq!(header(&request, "x-api-key"), Some(KEY));
        assert_eq!(header(&request, "authorization"), None);
        assert_eq!(header(&request, "cookie"), Some("theme=dark"));
        assert_eq!(request.url.query(), None);
    }

    #[tokio::test]
    async fn a_cookie_key_joins_the_other_cookies() {
        let server = answering(ResponseTemplate::new(204)).await;
        let request = ping::<true>(&server).await;
        assert_eq!(
            header(&request, "cookie"),
            Some("theme=dark; session=k+y/z=1")
        );
        assert_eq!(header(&request, "authorization"), None);
    }
}

mod methods {
    use super::more_methods::Client;
    use super::*;

    #[tokio::test]
    async fn head_options_and_trace_go_as_themselves() {
        let server = answering(
            ResponseTemplate::new(200)
                .insert_header("x-file-size", "42")
                .set_body_json(json!({"methods": ["GET", "HEAD"]})),
        )
        .await;
        let client = client_for::<Client>(&server);
        // A HEAD's answer is its headers: no body is read, whatever the spec describes.
        let checked = client.check_file("f1").await.expect("the file exists");
        assert_eq!(
            checked
                .meta()
                .headers()
                .get("x-file-size")
                .map(|v| v.as_bytes()),
            Some(&b"42"[..])
        );
        let options = client.file_options().await.expect("options");
        assert_eq!(
            options.methods.as_deref(),
            Some(&["GET".to_owned(), "HEAD".to_owned()][..])
        );
        client.echo().await.expect("an echo");
        let requests = server.received_requests().await.expect("recorded");
        let sent: Vec<(String, &str)> = requests
            .iter()
            .map(|r| (r.method.to_string(), r.url.path()))
            .collect();
        assert_eq!(
            sent,
            [
                ("HEAD".to_owned(), "/files/f1"),
                ("OPTIONS".to_owned(), "/files"),
                ("TRACE".to_owned(), "/echo"),
            ]
        );
    }
}

mod multipart_lists {
    use super::multipart::types::UploadCsvRequest;
    use super::multipart::{Client, FilePart};
    use super::*;

    #[tokio::test]
    async fn a_list_is_one_part_per_item_under_its_name() {
        let server =
            answering(ResponseTemplate::new(201).set_body_json(json!({"rowsCount": 2}))).await;
        let client = client_for::<Client>(&server);
        let body = UploadCsvRequest::new(FilePart::new("posts.csv", b"a,b".to_vec()))
            .columns(["title", "date"])
            .attachments([
                FilePart::new("one.png", b"1".to_vec()),
                FilePart::new("two.png", b"2".to_vec()),
            ]);
        client.upload_csv("loc", &body).await.expect("uploaded");
        let request = only_request(&server).await;
        let text = String::from_utf8(request.body.clone()).expect("text");
        // Each part's disposition line, in the order sent.
        let parts: Vec<&str> = text
            .lines()
            .filter(|line| line.starts_with("Content-Disposition"))
            .collect();
        assert_eq!(
            parts,
            [
                "Content-Disposition: form-data; name=\"file\"; filename=\"posts.csv\"",
                "Content-Disposition: form-data; name=\"columns\"",
                "Content-Disposition: form-data; name=\"columns\"",
                "Content-Disposition: form-data; name=\"attachments\"; filename=\"one.png\"",
                "Content-Disposition: form-data; name=\"attachments\"; filename=\"two.png\"",
            ]
        );
        assert!(text.contains("\r\n\r\ntitle\r\n") && text.contains("\r\n\r\ndate\r\n"));
    }
}

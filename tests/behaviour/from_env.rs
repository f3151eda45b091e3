//! `Client::from_env` and its lookup form: the variables it reads, the client they make (the
//! token it sends, the server and token endpoint it uses), and errors that name a missing
//! variable without showing any value. The process environment itself is read in a child
//! process, so that no test mutates the environment of this multi-threaded binary.

use std::collections::BTreeMap;
use std::process::Command;

use highlevel_social_planner::{Client, ClientBuilder, Error, env};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::LOCATION;

fn from(vars: &[(&str, &str)]) -> Result<ClientBuilder, Error> {
    let vars: BTreeMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Client::builder_from_vars(|name| vars.get(name).cloned())
}

fn listing() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({ "success": true, "statusCode": 200, "message": "ok" }))
}

#[tokio::test]
async fn a_token_and_a_base_url_make_a_client_that_sends_the_token_there() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/social-media-posting/{LOCATION}/accounts")))
        .and(header("Authorization", "Bearer env-token"))
        .respond_with(listing())
        .expect(1)
        .mount(&server)
        .await;
    let client = from(&[(env::TOKEN, "env-token"), (env::BASE_URL, &server.uri())])
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(client.base_url(), server.uri());
    client.list_accounts(LOCATION).await.unwrap();
}

#[tokio::test]
async fn the_oauth_variables_make_a_client_that_refreshes_under_the_base_url() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("refresh_token=stored-refresh"))
        .and(body_string_contains("client_id=app-id"))
        .and(body_string_contains("client_secret=app-secret"))
        .and(body_string_contains("user_type=Location"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "fresh-access",
            "refresh_token": "next-refresh",
            "expires_in": 86399,
            "token_type": "Bearer"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/social-media-posting/{LOCATION}/accounts")))
        .and(header("Authorization", "Bearer fresh-access"))
        .respond_with(listing())
        .expect(1)
        .mount(&server)
        .await;
    let client = from(&[
        (env::CLIENT_ID, "app-id"),
        (env::CLIENT_SECRET, "app-secret"),
        (env::REFRESH_TOKEN, "stored-refresh"),
        (env::BASE_URL, &server.uri()),
    ])
    .unwrap()
    .build()
    .unwrap();
    client.list_accounts(LOCATION).await.unwrap();
}

#[test]
fn a_missing_variable_is_named_and_no_value_is_shown() {
    for (vars, named) in [
        (&[][..], env::TOKEN),
        (&[(env::TOKEN, "")][..], env::TOKEN),
        (&[(env::BASE_URL, "http://mock.test")][..], env::TOKEN),
        (
            &[
                (env::CLIENT_ID, "app-id"),
                (env::REFRESH_TOKEN, "secret-refresh"),
            ][..],
            env::CLIENT_SECRET,
        ),
        (
            &[
                (env::CLIENT_SECRET, "secret-secret"),
                (env::CLIENT_ID, "app-id"),
            ][..],
            env::REFRESH_TOKEN,
        ),
        (
            &[(env::REFRESH_TOKEN, "secret-refresh")][..],
            env::CLIENT_ID,
        ),
    ] {
        let error = from(vars).unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(matches!(error, Error::Config(_)), "{text}");
        assert!(text.contains(named), "{vars:?}: {text}");
        assert!(!text.contains("secret-"), "a value shown: {text}");
    }
}

#[test]
fn the_token_wins_over_an_incomplete_oauth_app() {
    // A fixed token needs nothing else, even when some OAuth variables linger.
    from(&[(env::TOKEN, "t"), (env::CLIENT_ID, "app-id")])
        .unwrap()
        .build()
        .unwrap();
}

/// Run by [`from_env_reads_the_process_environment`] in a child process with the environment
/// it sets: prints what `Client::from_env` gave.
#[test]
#[ignore = "run in a child process by from_env_reads_the_process_environment"]
fn child_reads_the_environment() {
    match Client::from_env() {
        Ok(client) => println!("from_env: ok {}", client.base_url()),
        Err(error) => println!("from_env: error {error}"),
    }
}

/// What the child printed when started with `vars` on top of an environment without any
/// `HIGHLEVEL_` variable.
fn child(vars: &[(&str, &std::ffi::OsStr)]) -> String {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args([
        "--exact",
        "from_env::child_reads_the_environment",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    for name in [
        env::TOKEN,
        env::BASE_URL,
        env::CLIENT_ID,
        env::CLIENT_SECRET,
        env::REFRESH_TOKEN,
    ] {
        command.env_remove(name);
    }
    command.envs(vars.iter().copied());
    let output = command.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .find_map(|line| {
            line.split_once("from_env: ")
                .map(|(_, said)| said.to_owned())
        })
        .expect("the child ran")
}

#[test]
fn from_env_reads_the_process_environment() {
    use std::ffi::OsStr;
    assert_eq!(
        child(&[
            (env::TOKEN, OsStr::new("t")),
            (env::BASE_URL, OsStr::new("http://mock.test"))
        ]),
        "ok http://mock.test"
    );
    assert_eq!(
        child(&[(env::TOKEN, OsStr::new("t"))]),
        "ok https://services.leadconnectorhq.com"
    );
    let missing = child(&[]);
    assert!(
        missing.starts_with("error ") && missing.contains(env::TOKEN),
        "{missing}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let garbled = child(&[(env::TOKEN, OsStr::from_bytes(b"secret-\xff"))]);
        assert!(
            garbled.contains("HIGHLEVEL_TOKEN is not valid Unicode"),
            "{garbled}"
        );
        assert!(!garbled.contains("secret-"), "{garbled}");
    }
}

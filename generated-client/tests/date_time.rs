//! Fields of `format: date-time` read as timestamps with the `date-time` feature and as the
//! text the server sent without it. `cargo test` runs the second half; the first runs with
//! `--features date-time` (in the `builds` tests of `highlevel-tests`, and in CI).

use highlevel_social_planner::types::{Account, CreatePostRequest, PostType};
use serde_json::json;

/// An account as `list-accounts` sends it, expiring at `expire`.
fn account(expire: &str) -> Result<Account, serde_json::Error> {
    serde_json::from_value(json!({ "id": "a1", "platform": "instagram", "expire": expire }))
}

#[cfg(feature = "date-time")]
mod with_the_feature {
    use super::*;
    use highlevel_social_planner::DateTime;
    use highlevel_social_planner::jiff::{Timestamp, ToSpan};

    #[test]
    fn an_rfc_3339_field_is_an_instant() {
        let expire = account("2024-03-14T11:03:37.015Z").unwrap().expire.unwrap();
        let expected: Timestamp = "2024-03-14T11:03:37.015Z".parse().unwrap();
        assert_eq!(expire, expected);
        assert_eq!(expire.as_millisecond(), 1_710_414_217_015);
        // An offset is the same instant.
        let shifted = account("2024-03-14T12:03:37.015+01:00")
            .unwrap()
            .expire
            .unwrap();
        assert_eq!(shifted, expected);
        assert!(expire < expected.checked_add(1.second()).unwrap());
    }

    #[test]
    fn a_field_that_is_no_date_time_fails_to_decode_at_its_place() {
        let error = account("next tuesday").unwrap_err();
        assert!(error.is_data(), "{error}");
    }

    #[test]
    fn a_date_time_is_sent_as_rfc_3339() {
        let when: DateTime = "2026-03-02T09:00:00Z".parse().unwrap();
        let post = CreatePostRequest::new(["acc"], PostType::Post, "user").schedule_date(when);
        let sent = serde_json::to_value(&post).unwrap();
        assert_eq!(sent["scheduleDate"], "2026-03-02T09:00:00Z");
    }
}

#[cfg(not(feature = "date-time"))]
mod without_the_feature {
    use super::*;

    #[test]
    fn a_field_is_the_text_the_server_sent() {
        let expire = account("2024-03-14T11:03:37.015Z").unwrap().expire;
        assert_eq!(expire.as_deref(), Some("2024-03-14T11:03:37.015Z"));
        // Not checked: whatever the server sends is kept.
        let loose = account("next tuesday").unwrap().expire;
        assert_eq!(loose.as_deref(), Some("next tuesday"));
    }

    #[test]
    fn a_date_time_is_sent_as_given() {
        let post = CreatePostRequest::new(["acc"], PostType::Post, "user")
            .schedule_date("2026-03-02T09:00:00.000Z");
        let sent = serde_json::to_value(&post).unwrap();
        assert_eq!(sent["scheduleDate"], "2026-03-02T09:00:00.000Z");
    }
}

//! Imports posts from a CSV file and watches the import until it is done.
//!
//! ```text
//! HIGHLEVEL_TOKEN=… HIGHLEVEL_LOCATION_ID=… HIGHLEVEL_USER_ID=… HIGHLEVEL_ACCOUNT_IDS=acc1,acc2 \
//!   cargo run -p highlevel-social-planner --example csv_import -- posts.csv
//! ```
//!
//! The steps are the API's: upload the file, choose the accounts its posts go to (which
//! creates the import), then check the import every `HIGHLEVEL_POLL_SECS` seconds (default
//! 5, at most `HIGHLEVEL_MAX_POLLS` times, default 60). When the import waits for review,
//! it is finalized, which schedules its posts. A check that fails for a passing reason (a
//! rate limit, a server error, the network) is reported and the next one made. The client
//! comes from `Client::from_env` (`HIGHLEVEL_BASE_URL` overrides the server).

use std::process::ExitCode;
use std::time::Duration;

use highlevel_social_planner::types::{
    CsvImport, CsvImportStatus, GetUploadStatusQuery, SetCsvAccountsRequest,
    StartCsvFinalizeRequest, UploadCsvRequest,
};
use highlevel_social_planner::{Client, FilePart, LocationClient};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", describe(&*error));
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("give the CSV file to import as the argument")?;
    let user_id = env("HIGHLEVEL_USER_ID")?;
    let account_ids = env("HIGHLEVEL_ACCOUNT_IDS")?;
    let poll = Duration::from_secs(number("HIGHLEVEL_POLL_SECS", 5)?);
    let max_polls = number("HIGHLEVEL_MAX_POLLS", 60)?;
    let location = Client::from_env()?.location(env("HIGHLEVEL_LOCATION_ID")?);

    // 1. Upload: the server parses the file and says where it keeps it.
    let file = FilePart::from_path(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let uploaded = location
        .upload_csv(&UploadCsvRequest::new(file))
        .await?
        .into_inner()
        .results
        .ok_or("the upload's answer has no results")?;
    let (Some(file_path), Some(rows), Some(file_name)) =
        (uploaded.file_path, uploaded.rows_count, uploaded.file_name)
    else {
        return Err("the upload's answer lacks the file's path, name or row count".into());
    };
    println!("uploaded {file_name}: {rows} rows at {file_path}");

    // 2. Choose the accounts: this creates the import.
    let accounts = account_ids
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty());
    let request = SetCsvAccountsRequest::new(accounts, &file_path, rows, &file_name, &user_id);
    let set = location.set_csv_accounts(&request).await?;
    println!("accounts set: {}", set.message);

    // 3. Watch it.
    let mut finalized = false;
    for check in 1..=max_polls {
        if check > 1 {
            tokio::time::sleep(poll).await;
        }
        let import = match find_import(&location, &user_id, &file_path).await {
            Ok(Some(import)) => import,
            Ok(None) => return Err("the location lists no CSV imports".into()),
            Err(error) if error.is_retryable() => {
                println!("check {check}: {}; trying again", describe(&error));
                continue;
            }
            Err(error) => return Err(error.into()),
        };
        let id = import.id.ok_or("the import has no id")?;
        println!(
            "check {check}: import {id} of {} is {}",
            import.file_name.as_deref().unwrap_or("-"),
            import.status.as_ref().map_or("-", CsvImportStatus::as_str),
        );
        match import.status {
            Some(CsvImportStatus::Completed) => return Ok(()),
            Some(CsvImportStatus::Failed) => return Err(format!("import {id} failed").into()),
            Some(CsvImportStatus::InReview) if !finalized => {
                let body = StartCsvFinalizeRequest::default().user_id(user_id.as_str());
                let answer = location.start_csv_finalize(&id, &body).await?;
                println!("finalizing import {id}: {}", answer.message);
                finalized = true;
            }
            _ => {}
        }
    }
    Err(format!("the import was not done after {max_polls} checks").into())
}

/// The import made from our file (v3 lists a user's imports), from the first page of the location's imports (the most
/// recent); while the list does not show it yet, the first listed.
async fn find_import(
    location: &LocationClient,
    user_id: &str,
    file_path: &str,
) -> Result<Option<CsvImport>, highlevel_social_planner::Error> {
    let query = GetUploadStatusQuery::new(user_id).limit(50);
    let imports = location
        .get_upload_status(&query)
        .await?
        .into_inner()
        .results
        .map(|list| list.csvs)
        .unwrap_or_default();
    let ours = imports
        .iter()
        .position(|i| i.file.as_deref() == Some(file_path));
    Ok(imports.into_iter().nth(ours.unwrap_or(0)))
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name} in the environment"))
}

fn number(name: &str, default: u64) -> Result<u64, String> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(text) => text
            .parse()
            .map_err(|_| format!("{name} must be a whole number, not `{text}`")),
    }
}

/// The error and the chain of its causes, on one line.
fn describe(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}

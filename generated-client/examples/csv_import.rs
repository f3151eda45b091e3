//! Imports posts from a CSV file and watches the import until it is done.
//!
//! ```text
//! HIGHLEVEL_TOKEN=… HIGHLEVEL_LOCATION_ID=… HIGHLEVEL_USER_ID=… HIGHLEVEL_ACCOUNT_IDS=acc1,acc2 \
//!   cargo run --example csv_import -- posts.csv
//! ```
//!
//! The steps are the API's: upload the file, choose the accounts its posts go to (which
//! creates the import), then check the import every `HIGHLEVEL_POLL_SECS` seconds (default
//! 5, at most `HIGHLEVEL_MAX_POLLS` times, default 60). When the import waits for review,
//! it is finalized, which schedules its posts. `HIGHLEVEL_BASE_URL` overrides the server.

use std::error::Error as _;
use std::process::ExitCode;
use std::time::Duration;

use highlevel_social_planner::types::{
    CsvImport, CsvImportStatus, GetUploadStatusQuery, SetCsvAccountsRequest,
    StartCsvFinalizeRequest, UploadCsvRequest,
};
use highlevel_social_planner::{Client, FilePart};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let path = std::env::args()
        .nth(1)
        .ok_or("give the CSV file to import as the argument")?;
    let location_id = env("HIGHLEVEL_LOCATION_ID")?;
    let user_id = env("HIGHLEVEL_USER_ID")?;
    let account_ids = env("HIGHLEVEL_ACCOUNT_IDS")?;
    let poll = Duration::from_secs(number("HIGHLEVEL_POLL_SECS", 5)?);
    let max_polls = number("HIGHLEVEL_MAX_POLLS", 60)?;
    let client = client()?;

    // 1. Upload: the server parses the file and says where it keeps it.
    let file = FilePart::from_path(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let uploaded = client
        .upload_csv(&location_id, &UploadCsvRequest::new(file))
        .await
        .map_err(|e| describe(&e))?
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
    let request =
        SetCsvAccountsRequest::new(accounts, file_path.as_str(), rows, file_name.as_str())
            .user_id(user_id.as_str());
    let set = client
        .set_csv_accounts(&location_id, &request)
        .await
        .map_err(|e| describe(&e))?;
    println!("accounts set: {}", set.message);

    // 3. Watch it.
    let mut finalized = false;
    for check in 1..=max_polls {
        let import = find_import(&client, &location_id, &file_path).await?;
        let id = import.id.clone().ok_or("the import has no id")?;
        let status = import.status.clone();
        println!(
            "check {check}: import {id} of {} is {}",
            import.file_name.as_deref().unwrap_or("-"),
            status.as_ref().map_or("-", CsvImportStatus::as_str),
        );
        match status {
            Some(CsvImportStatus::Completed) => return Ok(()),
            Some(CsvImportStatus::Failed) => return Err(format!("import {id} failed")),
            Some(CsvImportStatus::InReview) if !finalized => {
                let body = StartCsvFinalizeRequest::default().user_id(user_id.as_str());
                let answer = client
                    .start_csv_finalize(&location_id, &id, &body)
                    .await
                    .map_err(|e| describe(&e))?;
                println!("finalizing import {id}: {}", answer.message);
                finalized = true;
            }
            _ => {}
        }
        if check < max_polls {
            tokio::time::sleep(poll).await;
        }
    }
    Err(format!("the import was not done after {max_polls} checks"))
}

/// The import made from our file, from the first page of the location's imports (the most
/// recent); while the list does not show it yet, the first listed.
async fn find_import(
    client: &Client,
    location_id: &str,
    file_path: &str,
) -> Result<CsvImport, String> {
    let imports = client
        .get_upload_status(location_id, &GetUploadStatusQuery::default().limit(50))
        .await
        .map_err(|e| describe(&e))?
        .into_inner()
        .results
        .map(|list| list.csvs)
        .unwrap_or_default();
    let ours = imports
        .iter()
        .position(|i| i.file.as_deref() == Some(file_path));
    imports
        .into_iter()
        .nth(ours.unwrap_or(0))
        .ok_or_else(|| "the location lists no CSV imports".into())
}

fn client() -> Result<Client, String> {
    let mut builder = Client::builder(env("HIGHLEVEL_TOKEN")?);
    if let Ok(base_url) = std::env::var("HIGHLEVEL_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    builder.build().map_err(|e| describe(&e))
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
fn describe(error: &highlevel_social_planner::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}

//! The generated client's behaviour, in one test binary so that its modules share one build:
//! what each operation sends and decodes against a loopback mock server (`client*`), how
//! failures are ridden through (`faults`), token refreshes (`refresh`), paging streams
//! (`paging`), path arguments that try to move a request (`path_arguments`), and conformance
//! with the spec as the Prism mock server checks it (`conformance`).

#[path = "../common/mod.rs"]
mod common;

mod client;
mod client_comments;
mod client_csv;
mod client_errors;
mod client_oauth;
mod client_posts;
mod client_queues;
mod conformance;
mod error_predicates;
mod faults;
mod fixtures;
mod from_env;
mod location;
mod optional_queries;
mod paging;
mod path_arguments;
mod public_types;
mod quick_start;
mod refresh;

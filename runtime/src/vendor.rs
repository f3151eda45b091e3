//! The files that make this crate, for `cargo xtask generate --vendor-runtime`, which copies
//! them into a generated crate that must build without this repository. `xtask` includes this
//! file as it is; a test checks that the list names every file of the crate.

/// Paths relative to the crate's root.
pub const FILES: &[&str] = &[
    "Cargo.toml",
    "src/auth.rs",
    "src/client.rs",
    "src/codegen.rs",
    "src/error.rs",
    "src/http.rs",
    "src/lib.rs",
    "src/multipart.rs",
    "src/operation.rs",
    "src/paging.rs",
    "src/profile.rs",
    "src/rate_limit.rs",
    "src/raw.rs",
    "src/request.rs",
    "src/response.rs",
    "src/retry.rs",
    "src/vendor.rs",
];

//! What a crate that depends on this one needs to know about it, for `cargo xtask generate`:
//! the files to copy with `--vendor-runtime`, and the TLS features to pass on. `xtask`
//! includes this file as it is (it does not build the runtime); tests check that it matches
//! the crate.

/// Calls the macro `$then` with the files that make this crate, relative to its root: one list
/// for [`FILES`] and for the copy of the crate that `xtask` embeds for `--vendor-runtime`.
macro_rules! with_files {
    ($then:ident) => {
        $then!(
            "Cargo.toml",
            "LICENSE-APACHE",
            "LICENSE-MIT",
            "README.md",
            "src/auth.rs",
            "src/boxed.rs",
            "src/client.rs",
            "src/codegen.rs",
            "src/error.rs",
            "src/lib.rs",
            "src/multipart.rs",
            "src/operation.rs",
            "src/paging.rs",
            "src/profile.rs",
            "src/query.rs",
            "src/rate_limit.rs",
            "src/raw.rs",
            "src/redis.rs",
            "src/request.rs",
            "src/response.rs",
            "src/retry.rs",
            "src/transport.rs",
            "src/unknown.rs",
            "src/vendor.rs",
        )
    };
}

/// The literals it is given, as a slice.
macro_rules! file_list {
    ($($file:literal,)*) => {
        &[$($file),*]
    };
}

/// The files that make this crate, relative to its root.
pub const FILES: &[&str] = with_files!(file_list);

/// The features that choose the TLS implementation; a dependent crate offers the same ones.
pub const TLS_FEATURES: &[&str] = &["rustls-ring", "rustls-aws-lc", "native-tls"];

/// Features that are not about TLS, passed on too.
pub const OTHER_FEATURES: &[&str] = &["redis", "date-time"];

/// The TLS feature enabled by default.
pub const DEFAULT_TLS_FEATURE: &str = "rustls-ring";

//! The boxed types that keep the runtime's traits object-safe and its errors open-ended.

use std::future::Future;
use std::pin::Pin;

/// A boxed future, as [`TokenSource`](crate::TokenSource) returns them (the trait stays
/// object-safe).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An error of a [`TokenSource`](crate::TokenSource), or the cause of another error.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

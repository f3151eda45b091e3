//! `client.rs`: the crate's `Client`, a typed face over the runtime's `ClientCore`, and the
//! profile of the API that the runtime works from.

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime;
use crate::model::{
    Api, Credential, Grant, OAuth, Profile, RateLimitHeaders, ResetFormat, TimeUnit, TraceId,
};

pub fn module(api: &Api) -> TokenStream {
    let rt = runtime();
    let profile = profile(&api.profile);
    let title = &api.title;
    let client_doc = format!(" A client for the {title}.");
    let oauth_const = api.profile.oauth.as_ref().map(oauth_endpoint);
    let methods = methods(api);
    let oauth_imports = api
        .profile
        .oauth
        .as_ref()
        .map(|_| quote!(use #rt::{Grant, OAuthEndpoint, OAuthRefresher};));
    let rate_limit_import = api
        .profile
        .rate_limit
        .as_ref()
        .filter(|limit| limit.headers.any())
        .map(|_| quote!(use #rt::RateLimit;));
    quote! {
        //! The client: its configuration, and what the runtime is told about the API.

        use std::time::Duration;

        #oauth_imports
        #rate_limit_import
        use #rt::codegen::{self, ClientCore, GeneratedClient, Profile};
        use #rt::{RetryPolicy, Token, TokenSource};

        use super::ApiErrorBody;

        // Code generated for another revision of the runtime's contract fails here, with a
        // message that says so.
        const _: () = codegen::require_contract(3);

        /// What the runtime is told about the API, from the spec.
        static PROFILE: Profile = #profile;

        #oauth_const

        #[doc = #client_doc]
        ///
        /// Cheap to clone: clones share one connection pool, token source, rate limiter and
        /// rate-limit state. [`with_timeout`](Self::with_timeout) and
        /// [`with_retry`](Self::with_retry) make a view of the same client with other
        /// settings for the calls made through it.
        #[derive(Clone, Debug)]
        pub struct Client {
            pub(super) core: ClientCore,
        }

        /// Configures a [`Client`]; made by [`Client::builder`] or
        /// [`Client::builder_with_source`].
        pub type ClientBuilder = #rt::ClientBuilder<Client>;

        impl GeneratedClient for Client {
            type ErrorBody = ApiErrorBody;

            fn profile() -> &'static Profile {
                &PROFILE
            }

            fn from_core(core: ClientCore) -> Self {
                Self { core }
            }
        }

        impl Client {
            #methods
        }
    }
}

/// The `static PROFILE` initializer: only what the spec says is set.
fn profile(profile: &Profile) -> TokenStream {
    let rt = runtime();
    let mut expression = quote! {
        Profile::new(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
    };
    if let Some(url) = &profile.base_url {
        expression = quote!(#expression.base_url(#url));
    }
    let credential = match &profile.credential {
        Credential::Bearer => None,
        Credential::Header(name) => Some(quote!(Header(#name))),
        Credential::Query(name) => Some(quote!(Query(#name))),
        Credential::Cookie(name) => Some(quote!(Cookie(#name))),
    };
    if let Some(place) = credential {
        expression = quote!(#expression.credential(codegen::Credential::#place));
    }
    if let Some(limit) = profile.rate_limit.as_ref().filter(|l| l.headers.any()) {
        let headers = rate_limit_headers(&limit.headers);
        expression = quote!(#expression.rate_limit_headers(#headers));
    }
    if let Some(trace) = &profile.trace_id {
        let source = trace_id(trace);
        expression = quote!(#expression.trace_id(#source));
    }
    if let Some(span) = &profile.span {
        expression = quote!(#expression.span(#rt::operation_span!(#span)));
    }
    expression
}

/// Every field spelled out, `None` where the spec names no header: the reader of the
/// generated code sees what is read and what is not.
fn rate_limit_headers(headers: &RateLimitHeaders) -> TokenStream {
    let name = |name: &Option<String>| match name {
        Some(name) => quote!(Some(#name)),
        None => quote!(None),
    };
    let (limit, remaining) = (name(&headers.limit), name(&headers.remaining));
    let (daily_limit, daily_remaining) =
        (name(&headers.daily_limit), name(&headers.daily_remaining));
    let window = match &headers.window {
        Some((header, TimeUnit::Seconds)) => quote!(Some((#header, codegen::TimeUnit::Seconds))),
        Some((header, TimeUnit::Milliseconds)) => {
            quote!(Some((#header, codegen::TimeUnit::Milliseconds)))
        }
        None => quote!(None),
    };
    let reset = match &headers.reset {
        Some((header, ResetFormat::DeltaSeconds)) => {
            quote!(Some((#header, codegen::Reset::DeltaSeconds)))
        }
        Some((header, ResetFormat::UnixSeconds)) => {
            quote!(Some((#header, codegen::Reset::UnixSeconds)))
        }
        None => quote!(None),
    };
    quote! {
        codegen::RateLimitHeaders {
            limit: #limit,
            remaining: #remaining,
            window: #window,
            reset: #reset,
            daily_limit: #daily_limit,
            daily_remaining: #daily_remaining,
        }
    }
}

fn trace_id(trace: &TraceId) -> TokenStream {
    let body_field = match &trace.body_field {
        Some(field) => quote!(Some(#field)),
        None => quote!(None),
    };
    let headers = &trace.headers;
    quote! {
        codegen::TraceIdSource {
            body_field: #body_field,
            headers: &[#(#headers),*],
        }
    }
}

fn oauth_endpoint(oauth: &OAuth) -> TokenStream {
    let url = &oauth.token_url;
    let grant = match oauth.grant {
        Grant::RefreshToken => quote!(RefreshToken),
        Grant::ClientCredentials => quote!(ClientCredentials),
    };
    let doc = format!(
        " The token endpoint of the `{}` security scheme.",
        oauth.scheme
    );
    quote! {
        #[doc = #doc]
        const OAUTH: OAuthEndpoint = OAuthEndpoint::new(#url, Grant::#grant);
    }
}

/// The constructors and settings of `Client`; what the spec does not support is left out.
fn methods(api: &Api) -> TokenStream {
    let profile = &api.profile;
    let new = profile.base_url.as_ref().map(|url| {
        let doc = format!(
            " A client for the API's server (`{url}`) with a fixed token, the default \
             timeouts and the default [`RetryPolicy`]."
        );
        quote! {
            #[doc = #doc]
            ///
            /// # Errors
            /// [`Error::Config`](super::Error::Config) when the token cannot be sent as a
            /// header or the HTTP client cannot be set up.
            pub fn new(token: impl Into<Token>) -> Result<Self, super::Error> {
                Self::builder(token).build()
            }
        }
    });
    let rate_limit = profile
        .rate_limit
        .as_ref()
        .filter(|limit| limit.headers.any())
        .map(|_| {
            quote! {
                /// The rate-limit state the server reported with the latest response, if any
                /// did.
                pub fn rate_limit(&self) -> Option<RateLimit> {
                    self.core.rate_limit()
                }

                /// The rate-limit state the server reported with the latest response for
                /// `key`, the value of the parameter the API counts its limit by.
                pub fn rate_limit_for(&self, key: &str) -> Option<RateLimit> {
                    self.core.rate_limit_for(key)
                }
            }
        });
    let oauth = profile.oauth.as_ref().map(|oauth| match oauth.grant {
        Grant::RefreshToken => {
            let doc = format!(
                " An [`OAuthRefresher`] for the app `client_id`/`client_secret` holding \
                 `refresh_token`, against the spec's token endpoint (`{}`). Pass it to \
                 [`builder_with_source`](Self::builder_with_source).",
                oauth.token_url
            );
            quote! {
                #[doc = #doc]
                pub fn oauth_refresher(
                    client_id: impl Into<String>,
                    client_secret: impl Into<String>,
                    refresh_token: impl Into<Token>,
                ) -> OAuthRefresher {
                    OAuthRefresher::new(OAUTH, client_id, client_secret, refresh_token)
                }
            }
        }
        Grant::ClientCredentials => {
            let doc = format!(
                " An [`OAuthRefresher`] that buys access tokens with the app's own \
                 credentials (the client-credentials grant) from the spec's token endpoint \
                 (`{}`). Pass it to [`builder_with_source`](Self::builder_with_source).",
                oauth.token_url
            );
            quote! {
                #[doc = #doc]
                pub fn oauth_client_credentials(
                    client_id: impl Into<String>,
                    client_secret: impl Into<String>,
                ) -> OAuthRefresher {
                    OAuthRefresher::client_credentials(OAUTH, client_id, client_secret)
                }
            }
        }
    });
    let server = match &profile.base_url {
        Some(url) => format!(" for the API's server (`{url}`)"),
        None => " (the spec names no server: give one with `base_url`)".to_owned(),
    };
    // Where the token goes, as the spec's security scheme says: a caller holding an API key
    // needs to know that this is where it goes.
    let sent = match &profile.credential {
        Credential::Bearer => String::new(),
        Credential::Header(name) => format!(" (the API key, sent in the header `{name}`)"),
        Credential::Query(name) => format!(" (the API key, sent as the query parameter `{name}`)"),
        Credential::Cookie(name) => format!(" (the API key, sent as the cookie `{name}`)"),
    };
    let builder_doc = format!(" A builder{server} with a fixed token{sent}.");
    let source_doc =
        format!(" A builder{server} whose token comes from `source`, such as an OAuth refresher.");
    quote! {
        #new

        #[doc = #builder_doc]
        pub fn builder(token: impl Into<Token>) -> ClientBuilder {
            ClientBuilder::new(token)
        }

        #[doc = #source_doc]
        pub fn builder_with_source(source: impl TokenSource) -> ClientBuilder {
            ClientBuilder::with_source(source)
        }

        #oauth

        /// The base URL requests go to.
        pub fn base_url(&self) -> &str {
            self.core.base_url()
        }

        #rate_limit

        /// This client, with `timeout` for each attempt of the calls made through the
        /// result (connecting, sending and reading the whole response).
        #[must_use]
        pub fn with_timeout(&self, timeout: Duration) -> Self {
            Self { core: self.core.with_timeout(timeout) }
        }

        /// This client, with `policy` for the calls made through the result.
        #[must_use]
        pub fn with_retry(&self, policy: RetryPolicy) -> Self {
            Self { core: self.core.with_retry(policy) }
        }

        /// This client, with `deadline` for each whole call made through the result: the
        /// rate limiter, the token, every attempt and the waits between them.
        #[must_use]
        pub fn with_deadline(&self, deadline: Duration) -> Self {
            Self { core: self.core.with_deadline(deadline) }
        }
    }
}

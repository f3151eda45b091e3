//! The API's profile: what the generated crate tells the runtime besides its operations. It
//! comes from `servers`, from the `oauth2` security scheme the operations use, and from three
//! extensions at the top of the spec, since OpenAPI has no field for these facts:
//!
//! ```yaml
//! x-rate-limit:
//!   key: [accountId]                 # parameters the server counts its limit by
//!   quota: {requests: 100, window-ms: 10000, daily: 200000}   # per window, per UTC day
//!   headers:                         # the response headers that report it
//!     limit: X-Limit
//!     remaining: X-Remaining
//!     window: X-Window
//!     window-unit: milliseconds      # or seconds
//!     reset: X-Reset
//!     reset-format: unix-seconds     # or delta-seconds
//!     daily-limit: X-Daily-Limit
//!     daily-remaining: X-Daily-Remaining
//! x-trace-id: {body-field: requestId, headers: [X-Request-Id]}
//! x-tracing: {span: myapi.call}
//! ```

use std::collections::BTreeSet;

use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};
use serde_json::{Map, Value};

use crate::error::{Located, Pointer, Result};
use crate::model::{
    Grant, OAuth, Profile, RateLimit, RateLimitHeaders, ResetFormat, TimeUnit, TraceId, Warning,
};
use crate::validate::suggest;

pub(crate) const RATE_LIMIT: &str = "x-rate-limit";
pub(crate) const TRACE_ID: &str = "x-trace-id";
pub(crate) const TRACING: &str = "x-tracing";

/// The profile of `doc`; approximations are added to `warnings`.
pub(crate) fn profile(doc: &OpenAPI, warnings: &mut Vec<Warning>) -> Result<Profile> {
    let base_url = base_url(doc, warnings);
    let oauth = oauth(doc, base_url.as_deref(), warnings)?;
    let extension = |name: &str| {
        doc.extensions
            .get(name)
            .map(|v| (v, Pointer::root().push(name)))
    };
    Ok(Profile {
        rate_limit: extension(RATE_LIMIT)
            .map(|(v, at)| rate_limit(v, &at))
            .transpose()?,
        trace_id: extension(TRACE_ID)
            .map(|(v, at)| trace_id(v, &at))
            .transpose()?,
        span: extension(TRACING)
            .map(|(v, at)| span_name(v, &at))
            .transpose()?,
        base_url,
        oauth,
        // Decided once every operation's requirements are read.
        credential: crate::model::Credential::Bearer,
    })
}

/// The first server's URL with its variables at their defaults; a relative URL is no base.
fn base_url(doc: &OpenAPI, warnings: &mut Vec<Warning>) -> Option<String> {
    let server = doc.servers.first()?;
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    let url = url.trim_end_matches('/').to_owned();
    if url.starts_with("https://") || url.starts_with("http://") {
        return Some(url);
    }
    warnings.push(Warning {
        pointer: Pointer::root()
            .push("servers")
            .push(0)
            .push("url")
            .to_string(),
        message: format!(
            "the server URL `{}` is not an absolute http(s) URL; clients must be given a base \
             URL",
            server.url
        ),
        fallback: false,
    });
    None
}

/// The token endpoint of the first `oauth2` scheme that the spec's security requirements
/// use, with the grant its flows allow (authorization code, then password, then client
/// credentials).
fn oauth(
    doc: &OpenAPI,
    base_url: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> Result<Option<OAuth>> {
    let used = used_schemes(doc);
    let Some(schemes) = doc.components.as_ref().map(|c| &c.security_schemes) else {
        return Ok(None);
    };
    let mut found: Option<OAuth> = None;
    for (name, scheme) in schemes {
        let ReferenceOr::Item(SecurityScheme::OAuth2 { flows, .. }) = scheme else {
            continue;
        };
        if !used.contains(name.as_str()) {
            continue;
        }
        let at = Pointer::root()
            .push("components")
            .push("securitySchemes")
            .push(name)
            .push("flows");
        let flow = [
            flows.authorization_code.as_ref().map(|f| {
                let url = f.refresh_url.as_deref().unwrap_or(&f.token_url);
                ("authorizationCode", url, Grant::RefreshToken)
            }),
            flows.password.as_ref().map(|f| {
                let url = f.refresh_url.as_deref().unwrap_or(&f.token_url);
                ("password", url, Grant::RefreshToken)
            }),
            flows.client_credentials.as_ref().map(|f| {
                (
                    "clientCredentials",
                    f.token_url.as_str(),
                    Grant::ClientCredentials,
                )
            }),
        ]
        .into_iter()
        .flatten()
        .next();
        let Some((flow, url, grant)) = flow else {
            continue;
        };
        let at = at.push(flow);
        let token_url = match absolute(url, base_url) {
            Some(url) => url,
            None => {
                warnings.push(Warning {
                    pointer: at.to_string(),
                    message: format!(
                        "the token URL `{url}` is neither absolute nor relative to an absolute \
                         server URL; the crate gets no OAuth refresher"
                    ),
                    fallback: false,
                });
                continue;
            }
        };
        match &found {
            None => {
                found = Some(OAuth {
                    scheme: name.clone(),
                    token_url,
                    grant,
                })
            }
            Some(first) => warnings.push(Warning {
                pointer: at.to_string(),
                message: format!(
                    "the OAuth refresher uses the scheme `{}`; this one is not used for refreshes",
                    first.scheme
                ),
                fallback: false,
            }),
        }
    }
    Ok(found)
}

/// Every security scheme a requirement (of the document or of an operation) names.
fn used_schemes(doc: &OpenAPI) -> BTreeSet<&str> {
    let operations = doc
        .paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .flat_map(|item| item.iter().map(|(_, op)| op));
    doc.security
        .iter()
        .chain(operations.filter_map(|op| op.security.as_ref()))
        .flatten()
        .flat_map(|requirement| requirement.keys())
        .map(String::as_str)
        .collect()
}

/// `url`, made absolute against `base` when it starts with `/`.
fn absolute(url: &str, base: Option<&str>) -> Option<String> {
    if url.starts_with("https://") || url.starts_with("http://") {
        return Some(url.to_owned());
    }
    let base = base?;
    url.starts_with('/').then(|| {
        // The origin of the base: the scheme and host, without its path.
        let after_scheme = base.find("://").map_or(0, |i| i + 3);
        let origin_end = base[after_scheme..]
            .find('/')
            .map_or(base.len(), |i| after_scheme + i);
        format!("{}{url}", &base[..origin_end])
    })
}

fn rate_limit(value: &Value, at: &Pointer) -> Result<RateLimit> {
    let object = Object::new(
        value,
        at,
        &["key", "quota", "headers"],
        "`{key: [accountId], headers: {remaining: RateLimit-Remaining}}`",
    )?;
    let keys = object.strings("key")?;
    let (quota, daily_quota) = match object.object(
        "quota",
        &["requests", "window-ms", "daily"],
        "`{requests: 100, window-ms: 10000, daily: 200000}`",
    )? {
        None => (None, None),
        Some(quota) => {
            let requests = quota.integer("requests", 1, u64::from(u32::MAX))?;
            let window = quota.integer("window-ms", 1, u64::MAX)?;
            let daily = quota.integer("daily", 1, u64::MAX)?;
            let burst = match (requests, window) {
                (Some(requests), Some(window)) => Some((requests as u32, window)),
                (None, None) if daily.is_some() => None,
                _ => {
                    return Err(Located::new(
                        &quota.at,
                        "a quota needs both `requests` and `window-ms` (or only `daily`)",
                    ));
                }
            };
            (burst, daily)
        }
    };
    let headers = match object.object(
        "headers",
        &[
            "limit",
            "remaining",
            "window",
            "window-unit",
            "reset",
            "reset-format",
            "daily-limit",
            "daily-remaining",
        ],
        "`{remaining: RateLimit-Remaining}`",
    )? {
        None => RateLimitHeaders::default(),
        Some(headers) => rate_limit_headers(&headers)?,
    };
    if keys.is_empty() && quota.is_none() && daily_quota.is_none() && !headers.any() {
        return Err(Located::new(
            at,
            "says nothing: give a `key`, a `quota` or `headers` (or remove the extension)",
        ));
    }
    Ok(RateLimit {
        keys,
        quota,
        daily_quota,
        headers,
    })
}

fn rate_limit_headers(headers: &Object<'_>) -> Result<RateLimitHeaders> {
    let window = match headers.header("window")? {
        None => None,
        Some(name) => {
            let unit = headers.choice(
                "window-unit",
                "window",
                &[
                    ("seconds", TimeUnit::Seconds),
                    ("milliseconds", TimeUnit::Milliseconds),
                ],
            )?;
            Some((name, unit))
        }
    };
    let reset = match headers.header("reset")? {
        None => None,
        Some(name) => {
            let format = headers.choice(
                "reset-format",
                "reset",
                &[
                    ("delta-seconds", ResetFormat::DeltaSeconds),
                    ("unix-seconds", ResetFormat::UnixSeconds),
                ],
            )?;
            Some((name, format))
        }
    };
    Ok(RateLimitHeaders {
        limit: headers.header("limit")?,
        remaining: headers.header("remaining")?,
        window,
        reset,
        daily_limit: headers.header("daily-limit")?,
        daily_remaining: headers.header("daily-remaining")?,
    })
}

fn trace_id(value: &Value, at: &Pointer) -> Result<TraceId> {
    let object = Object::new(
        value,
        at,
        &["body-field", "headers"],
        "`{body-field: requestId, headers: [X-Request-Id]}`",
    )?;
    let body_field = object.string("body-field")?.map(str::to_owned);
    let headers = object
        .strings("headers")?
        .into_iter()
        .enumerate()
        .map(|(i, name)| header_name(&name, &object.at.push("headers").push(i)))
        .collect::<Result<Vec<_>>>()?;
    if body_field.is_none() && headers.is_empty() {
        return Err(Located::new(
            at,
            "says nowhere to look: give a `body-field`, `headers`, or both",
        ));
    }
    Ok(TraceId {
        body_field,
        headers,
    })
}

fn span_name(value: &Value, at: &Pointer) -> Result<String> {
    let object = Object::new(value, at, &["span"], "`{span: myapi.call}`")?;
    match object.string("span")? {
        Some(name) if !name.is_empty() && !name.chars().any(char::is_control) => {
            Ok(name.to_owned())
        }
        Some(_) => Err(Located::new(
            &at.push("span"),
            "the span name must be a non-empty line of text",
        )),
        None => Err(Located::new(at, "name the span: `{span: myapi.call}`")),
    }
}

/// A header name as HTTP allows it (RFC 9110 token characters), lowercased.
fn header_name(name: &str, at: &Pointer) -> Result<String> {
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if valid {
        Ok(name.to_ascii_lowercase())
    } else {
        Err(Located::new(
            at,
            format!("`{name}` is not an HTTP header name"),
        ))
    }
}

/// An extension's object, read strictly: a key it does not know is an error, so that a typo
/// cannot silently turn a feature off.
pub(super) struct Object<'v> {
    map: &'v Map<String, Value>,
    pub(super) at: Pointer,
}

impl<'v> Object<'v> {
    pub(super) fn new(
        value: &'v Value,
        at: &Pointer,
        known: &[&str],
        example: &str,
    ) -> Result<Self> {
        let Value::Object(map) = value else {
            return Err(Located::new(
                at,
                format!("must be an object such as {example}"),
            ));
        };
        if let Some(unknown) = map.keys().find(|k| !known.contains(&k.as_str())) {
            let hint = match suggest(unknown, known) {
                none if none.is_empty() => format!(
                    "; the keys are {}",
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                hint => hint,
            };
            return Err(Located::new(
                &at.push(unknown),
                format!("`{unknown}` is not a key here{hint}"),
            ));
        }
        Ok(Self {
            map,
            at: at.clone(),
        })
    }

    fn object(&self, key: &str, known: &[&str], example: &str) -> Result<Option<Object<'v>>> {
        self.map
            .get(key)
            .map(|value| Object::new(value, &self.at.push(key), known, example))
            .transpose()
    }

    pub(super) fn string(&self, key: &str) -> Result<Option<&'v str>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(Located::new(&self.at.push(key), "must be a string")),
        }
    }

    /// A list of non-empty strings; a single string is a list of one.
    fn strings(&self, key: &str) -> Result<Vec<String>> {
        let at = self.at.push(key);
        let items: Vec<&Value> = match self.map.get(key) {
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => items.iter().collect(),
            Some(single) => vec![single],
        };
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(text) if !text.is_empty() => Ok(text.clone()),
                _ => Err(Located::new(&at.push(i), "must be a non-empty string")),
            })
            .collect()
    }

    fn integer(&self, key: &str, min: u64, max: u64) -> Result<Option<u64>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(value) => match value.as_u64() {
                Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
                _ => Err(Located::new(
                    &self.at.push(key),
                    format!("must be a whole number from {min} to {max}"),
                )),
            },
        }
    }

    fn header(&self, key: &str) -> Result<Option<String>> {
        self.string(key)?
            .map(|name| header_name(name, &self.at.push(key)))
            .transpose()
    }

    /// One of `options`, by name; required because `companion` is given.
    fn choice<T: Copy>(&self, key: &str, companion: &str, options: &[(&str, T)]) -> Result<T> {
        let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
        let listed = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        match self.string(key)? {
            Some(given) => options
                .iter()
                .find(|(name, _)| *name == given)
                .map(|(_, value)| *value)
                .ok_or_else(|| {
                    Located::new(
                        &self.at.push(key),
                        format!(
                            "`{given}` is not a choice here{}; use {listed}",
                            suggest(given, &names)
                        ),
                    )
                }),
            None => Err(Located::new(
                &self.at.push(key),
                format!("`{key}` is required with `{companion}`: {listed}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(extra: &str) -> OpenAPI {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\nservers: [{{url: 'https://api.example.test/v1/'}}]\npaths: {{}}\n{extra}"
        );
        serde_norway::from_str(&text).unwrap()
    }

    fn profile_of(extra: &str) -> Result<Profile> {
        profile(&spec(extra), &mut Vec::new())
    }

    #[test]
    fn a_spec_without_extensions_has_only_a_base_url() {
        let read = profile_of("").unwrap();
        assert_eq!(
            read.base_url.as_deref(),
            Some("https://api.example.test/v1")
        );
        assert_eq!(
            read,
            Profile {
                base_url: read.base_url.clone(),
                ..Profile::default()
            }
        );
    }

    #[test]
    fn the_extensions_are_read_with_lowercase_header_names() {
        let read = profile_of(
            "x-rate-limit:\n  key: [accountId, tenantId]\n  quota: {requests: 50, window-ms: 1000, daily: 5000}\n  headers: {remaining: X-Left, window: X-Win, window-unit: seconds, reset: X-Reset, reset-format: unix-seconds}\nx-trace-id: {body-field: requestId, headers: [X-Request-Id]}\nx-tracing: {span: example.call}\n",
        )
        .unwrap();
        let limit = read.rate_limit.unwrap();
        assert_eq!(limit.keys, ["accountId", "tenantId"]);
        assert_eq!(limit.quota, Some((50, 1000)));
        assert_eq!(limit.daily_quota, Some(5000));
        assert_eq!(limit.headers.remaining.as_deref(), Some("x-left"));
        assert_eq!(
            limit.headers.window,
            Some(("x-win".to_owned(), TimeUnit::Seconds))
        );
        assert_eq!(
            limit.headers.reset,
            Some(("x-reset".to_owned(), ResetFormat::UnixSeconds))
        );
        let trace = read.trace_id.unwrap();
        assert_eq!(trace.body_field.as_deref(), Some("requestId"));
        assert_eq!(trace.headers, ["x-request-id"]);
        assert_eq!(read.span.as_deref(), Some("example.call"));
    }

    #[test]
    fn a_broken_extension_is_an_error_at_its_place() {
        for (extra, pointer, words) in [
            (
                "x-rate-limit: {headers: {remainig: X-Left}}",
                "#/x-rate-limit/headers/remainig",
                "did you mean `remaining`",
            ),
            (
                "x-rate-limit: {headers: {window: X-Win}}",
                "#/x-rate-limit/headers/window-unit",
                "is required",
            ),
            (
                "x-rate-limit: {headers: {window: X-Win, window-unit: minutes}}",
                "#/x-rate-limit/headers/window-unit",
                "`seconds` or `milliseconds`",
            ),
            (
                "x-rate-limit: {quota: {requests: 0, window-ms: 10}}",
                "#/x-rate-limit/quota/requests",
                "from 1",
            ),
            (
                "x-rate-limit: {quota: {daily: 0}}",
                "#/x-rate-limit/quota/daily",
                "from 1",
            ),
            (
                "x-rate-limit: {quota: {requests: 5, daily: 9}}",
                "#/x-rate-limit/quota",
                "both",
            ),
            (
                "x-rate-limit: {quota: {requests: 5}}",
                "#/x-rate-limit/quota",
                "both",
            ),
            (
                "x-rate-limit: {key: [7]}",
                "#/x-rate-limit/key/0",
                "non-empty string",
            ),
            ("x-rate-limit: {}", "#/x-rate-limit", "says nothing"),
            (
                "x-rate-limit: {headers: {limit: 'X Limit'}}",
                "#/x-rate-limit/headers/limit",
                "not an HTTP header name",
            ),
            ("x-trace-id: requestId", "#/x-trace-id", "must be an object"),
            ("x-trace-id: {}", "#/x-trace-id", "says nowhere"),
            ("x-tracing: {span: ''}", "#/x-tracing/span", "non-empty"),
        ] {
            let error = profile_of(extra).unwrap_err();
            assert_eq!(
                error.pointer.to_string(),
                pointer,
                "{extra}: {}",
                error.message
            );
            assert!(error.message.contains(words), "{extra}: {}", error.message);
        }
    }

    #[test]
    fn the_oauth_endpoint_comes_from_the_scheme_operations_use() {
        let security = "components:\n  securitySchemes:\n    unused:\n      type: oauth2\n      flows: {clientCredentials: {tokenUrl: 'https://other.test/token', scopes: {}}}\n    oauth:\n      type: oauth2\n      flows:\n        authorizationCode: {authorizationUrl: 'https://auth.test/a', tokenUrl: /auth/token, scopes: {}}\n        clientCredentials: {tokenUrl: 'https://auth.test/cc', scopes: {}}\nsecurity: [{oauth: []}]\n";
        let mut warnings = Vec::new();
        let read = profile(&spec(security), &mut warnings).unwrap();
        assert_eq!(
            read.oauth,
            Some(OAuth {
                scheme: "oauth".to_owned(),
                token_url: "https://api.example.test/auth/token".to_owned(),
                grant: Grant::RefreshToken,
            })
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn server_variables_take_their_defaults_and_relative_servers_are_no_base() {
        let doc: OpenAPI = serde_norway::from_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://{region}.example.test', variables: {region: {default: eu}}}]\npaths: {}\n",
        )
        .unwrap();
        let read = profile(&doc, &mut Vec::new()).unwrap();
        assert_eq!(read.base_url.as_deref(), Some("https://eu.example.test"));
        let doc: OpenAPI = serde_norway::from_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: /api}]\npaths: {}\n",
        )
        .unwrap();
        let mut warnings = Vec::new();
        assert_eq!(profile(&doc, &mut warnings).unwrap().base_url, None);
        assert!(
            warnings[0].message.contains("not an absolute"),
            "{warnings:?}"
        );
    }
}

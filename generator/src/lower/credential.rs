//! Where the client's token travels: the security schemes the operations name, reduced to one
//! place for the whole API (the runtime's `Credential`).
//!
//! An operation lists alternatives (any one suffices), each a set of schemes that are all
//! sent. The client holds one token, so an alternative is usable when its schemes all send
//! it the same way (a bearer scheme beside an OAuth scheme, say), and the API's place is one
//! that every authenticated operation can use: `Authorization: Bearer` when it can be,
//! else the first the operations share.

use openapiv3::{APIKeyLocation, SecurityScheme};

use crate::error::{Located, Pointer, Result};
use crate::model::Credential;

/// The places an operation can send its token, found operation by operation.
#[derive(Debug, Default)]
pub(super) struct Credentials {
    /// Per authenticated operation: the places its alternatives allow, and where its
    /// requirements are.
    operations: Vec<(Vec<Credential>, Pointer)>,
}

impl Credentials {
    /// Records the places an authenticated operation's alternatives allow.
    pub(super) fn record(&mut self, places: Vec<Credential>, at: Pointer) {
        if !places.is_empty() {
            self.operations.push((places, at));
        }
    }

    /// The one place every authenticated operation can send the token.
    pub(super) fn decide(&self) -> Result<Credential> {
        let Some((first, _)) = self.operations.first() else {
            return Ok(Credential::Bearer);
        };
        let shared: Vec<&Credential> = first
            .iter()
            .filter(|place| {
                self.operations
                    .iter()
                    .all(|(places, _)| places.contains(place))
            })
            .collect();
        if shared.contains(&&Credential::Bearer) {
            return Ok(Credential::Bearer);
        }
        if let Some(place) = shared.first() {
            return Ok((*place).clone());
        }
        // Name the first operation that shares nothing with the first one.
        let (first, first_at) = &self.operations[0];
        let (other, other_at) = self
            .operations
            .iter()
            .find(|(places, _)| !places.iter().any(|p| first.contains(p)))
            .unwrap_or(&self.operations[0]);
        Err(Located::new(
            other_at,
            format!(
                "this operation sends its token {}, and the one at `{first_at}` {}; the \
                 generated client holds one token and sends it one way for the whole API",
                describe(other),
                describe(first)
            ),
        ))
    }
}

fn describe(places: &[Credential]) -> String {
    places
        .iter()
        .map(|place| match place {
            Credential::Bearer => "as `Authorization: Bearer`".to_owned(),
            Credential::Header(name) => format!("in the header `{name}`"),
            Credential::Query(name) => format!("as the query parameter `{name}`"),
            Credential::Cookie(name) => format!("as the cookie `{name}`"),
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Where `scheme` sends the token, or why the generator cannot send it. `at` is the scheme's
/// pointer in `components/securitySchemes`.
pub(super) fn place(scheme: &SecurityScheme, at: &Pointer) -> Result<Credential> {
    match scheme {
        SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
            Ok(Credential::Bearer)
        }
        SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => {
            Ok(Credential::Bearer)
        }
        SecurityScheme::APIKey { location, name, .. } => {
            let named = |valid: bool, what: &str| {
                if valid {
                    Ok(())
                } else {
                    Err(Located::new(
                        &at.push("name"),
                        format!("`{name}` cannot be {what}"),
                    ))
                }
            };
            match location {
                APIKeyLocation::Header => {
                    named(is_token(name), "the name of an HTTP header")?;
                    Ok(Credential::Header(name.clone()))
                }
                APIKeyLocation::Cookie => {
                    named(is_token(name), "the name of a cookie")?;
                    Ok(Credential::Cookie(name.clone()))
                }
                APIKeyLocation::Query => {
                    named(!name.is_empty(), "the name of a query parameter")?;
                    Ok(Credential::Query(name.clone()))
                }
            }
        }
        SecurityScheme::HTTP { scheme, .. } => Err(Located::new(
            at,
            format!(
                "the HTTP `{scheme}` scheme is not supported by the generator yet (bearer, \
                 OAuth 2.0, OpenID Connect and API keys are)"
            ),
        )),
    }
}

/// Whether `name` is an RFC 9110 token: what header and cookie names are made of.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(name: &str) -> Pointer {
        Pointer::root().push(name)
    }

    #[test]
    fn bearer_wins_when_every_operation_can_use_it() {
        let mut credentials = Credentials::default();
        let key = Credential::Header("X-Api-Key".into());
        credentials.record(vec![key.clone(), Credential::Bearer], at("a"));
        credentials.record(vec![Credential::Bearer, key.clone()], at("b"));
        assert_eq!(credentials.decide().unwrap(), Credential::Bearer);
        credentials.record(vec![key.clone()], at("c"));
        assert_eq!(credentials.decide().unwrap(), key);
        credentials.record(vec![Credential::Query("key".into())], at("d"));
        let error = credentials.decide().unwrap_err();
        assert_eq!(error.pointer, at("d"));
        assert!(
            error.message.contains("the query parameter `key`") && error.message.contains("`#/a`"),
            "{}",
            error.message
        );
    }

    #[test]
    fn no_authenticated_operation_means_bearer() {
        assert_eq!(Credentials::default().decide().unwrap(), Credential::Bearer);
    }

    #[test]
    fn header_names_are_checked() {
        assert!(is_token("X-API-Key"));
        assert!(!is_token("X API Key"));
        assert!(!is_token(""));
        assert!(!is_token("Schlüssel"));
    }
}

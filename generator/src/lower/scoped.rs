//! `x-scoped-client`: a view of the client bound to one value of a path parameter, so that
//! callers who work on one tenant, account or project say it once:
//!
//! ```yaml
//! x-scoped-client:
//!   parameter: accountId   # required: the path parameter the view holds
//!   method: account        # optional: `client.account(id)` (default: the parameter in
//!                          # snake case without its `_id`)
//!   type: AccountClient    # optional: the view's type (default: the method in UpperCamelCase
//!                          # and `Client`)
//! ```
//!
//! Every operation with that path parameter gets a method on the view that takes the other
//! arguments; the others stay on the client only.

use openapiv3::OpenAPI;

use super::profile::Object;
use crate::error::{Located, Pointer, Result};
use crate::model::{Operation, ScopedClient};
use crate::names::{self, Scope};
use crate::validate::suggest;

pub(crate) const SCOPED_CLIENT: &str = "x-scoped-client";

/// The methods `Client` has besides the operations (see `emit/client.rs`): the view's method
/// may not take their names.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "builder_with_source",
    "oauth_refresher",
    "base_url",
    "rate_limit",
    "rate_limit_for",
    "with_timeout",
    "with_retry",
    "with_deadline",
];

/// Type names the generated crate's root already has: its own and the runtime's it
/// re-exports (see `emit/mod.rs`).
const ROOT_TYPES: &[&str] = &[
    "ApiErrorBody",
    "BoxError",
    "BoxFuture",
    "Bytes",
    "Client",
    "ClientBuilder",
    "Error",
    "FilePart",
    "Grant",
    "HeaderMap",
    "HeaderName",
    "HeaderValue",
    "IntoLimiter",
    "Limiter",
    "OAuthEndpoint",
    "OAuthRefresher",
    "PagingError",
    "Quota",
    "RateLimit",
    "RateLimiter",
    "RefreshedTokens",
    "Response",
    "ResponseInfo",
    "ResponseMeta",
    "RetryPolicy",
    "StatusCode",
    "Stream",
    "TlsConfig",
    "Token",
    "TokenSource",
    "TransportError",
];

/// The view the spec asks for, if any; marks each operation that has the parameter.
pub(crate) fn scoped_client(
    doc: &OpenAPI,
    operations: &mut [Operation],
    fn_names: &Scope,
) -> Result<Option<ScopedClient>> {
    let Some(value) = doc.extensions.get(SCOPED_CLIENT) else {
        return Ok(None);
    };
    let at = Pointer::root().push(SCOPED_CLIENT);
    let object = Object::new(
        value,
        &at,
        &["parameter", "method", "type"],
        "`{parameter: accountId}`",
    )?;
    let parameter = match object.string("parameter")? {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => {
            return Err(Located::new(
                &at,
                "name the path parameter the view holds: `{parameter: accountId}`",
            ));
        }
    };
    let scoped = names(&object, &parameter)?;
    check_names(&scoped, &object.at, fn_names)?;
    let mut any = false;
    for op in operations.iter_mut() {
        op.scoped_param = op.path_params.iter().position(|p| p.wire_name == parameter);
        any |= op.scoped_param.is_some();
    }
    if !any {
        let mut known: Vec<&str> = operations
            .iter()
            .flat_map(|op| op.path_params.iter().map(|p| p.wire_name.as_str()))
            .collect();
        known.sort_unstable();
        known.dedup();
        return Err(Located::new(
            &at.push("parameter"),
            format!(
                "no operation has a path parameter `{parameter}`{}",
                suggest(&parameter, &known)
            ),
        ));
    }
    // The view's own accessors beside the operations' methods.
    for op in operations.iter().filter(|op| op.scoped_param.is_some()) {
        if op.fn_name == scoped.field || op.fn_name == "client" {
            return Err(Located::new(
                &at,
                format!(
                    "the view would have two methods named `{}`: the operation `{}` and its \
                     own accessor; rename the operation",
                    op.fn_name, op.id
                ),
            ));
        }
    }
    Ok(Some(scoped))
}

/// The names of the view: given in the extension, or made from the parameter.
fn names(object: &Object<'_>, parameter: &str) -> Result<ScopedClient> {
    let field = names::snake(parameter);
    let method = match object.string("method")? {
        Some(method) => method.to_owned(),
        None => {
            let stem = field.trim_start_matches("r#");
            match stem.strip_suffix("_id") {
                Some(short) if !short.is_empty() => short.to_owned(),
                _ => stem.to_owned(),
            }
        }
    };
    let type_name = match object.string("type")? {
        Some(name) => name.to_owned(),
        None => format!("{}Client", names::camel(&method)),
    };
    Ok(ScopedClient {
        parameter: parameter.to_owned(),
        method,
        type_name,
        field,
    })
}

/// The method and the type must be plain Rust names that nothing else in the crate has.
fn check_names(scoped: &ScopedClient, at: &Pointer, fn_names: &Scope) -> Result<()> {
    let method = &scoped.method;
    if names::snake(method) != *method {
        return Err(Located::new(
            &at.push("method"),
            format!(
                "`{method}` is not a snake_case Rust name; write it as `{}`",
                names::snake(method).trim_start_matches("r#")
            ),
        ));
    }
    if fn_names.contains(method) || CLIENT_METHODS.contains(&method.as_str()) {
        return Err(Located::new(
            &at.push("method"),
            format!("`Client` already has a method `{method}`; choose another `method`"),
        ));
    }
    let type_name = &scoped.type_name;
    if ROOT_TYPES.contains(&type_name.as_str()) {
        return Err(Located::new(
            &at.push("type"),
            format!("the crate already has a type `{type_name}`; choose another `type`"),
        ));
    }
    if names::camel(type_name) != *type_name {
        return Err(Located::new(
            &at.push("type"),
            format!(
                "`{type_name}` is not an UpperCamelCase Rust name; write it as `{}`",
                names::camel(type_name)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::lower::lower;
    use crate::model::Api;

    /// A spec with `extension` at the top and operations with `{accountId}` first, second and
    /// not at all.
    fn api(extension: &str) -> crate::error::Result<Api> {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{extension}\npaths:\n  /accounts/{{accountId}}:\n    get:\n      operationId: get-account\n      parameters: [{{name: accountId, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{'204': {{description: ok}}}}\n  /teams/{{teamId}}/accounts/{{accountId}}:\n    delete:\n      operationId: remove-member\n      parameters:\n        - {{name: teamId, in: path, required: true, schema: {{type: string}}}}\n        - {{name: accountId, in: path, required: true, schema: {{type: string}}}}\n      responses: {{'204': {{description: ok}}}}\n  /health:\n    get:\n      operationId: health\n      responses: {{'204': {{description: ok}}}}\n"
        );
        lower(&serde_norway::from_str(&text).unwrap())
    }

    #[test]
    fn the_view_is_named_from_the_parameter_and_marks_where_it_sits() {
        let api = api("x-scoped-client: {parameter: accountId}").unwrap();
        let scoped = api.scoped.unwrap();
        assert_eq!(scoped.method, "account");
        assert_eq!(scoped.type_name, "AccountClient");
        assert_eq!(scoped.field, "account_id");
        let marks: Vec<_> = api.operations.iter().map(|op| op.scoped_param).collect();
        assert_eq!(marks, [Some(0), Some(1), None]);
    }

    #[test]
    fn the_names_can_be_given() {
        let api =
            api("x-scoped-client: {parameter: accountId, method: member, type: Member}").unwrap();
        let scoped = api.scoped.unwrap();
        assert_eq!(
            (scoped.method.as_str(), scoped.type_name.as_str()),
            ("member", "Member")
        );
    }

    #[test]
    fn without_the_extension_there_is_no_view() {
        let api = api("").unwrap();
        assert_eq!(api.scoped, None);
        assert!(api.operations.iter().all(|op| op.scoped_param.is_none()));
    }

    #[test]
    fn a_broken_extension_is_an_error_at_its_place() {
        for (extension, pointer, words) in [
            (
                "x-scoped-client: accountId",
                "#/x-scoped-client",
                "must be an object",
            ),
            (
                "x-scoped-client: {}",
                "#/x-scoped-client",
                "name the path parameter",
            ),
            (
                "x-scoped-client: {parameter: accountId, methd: x}",
                "#/x-scoped-client/methd",
                "did you mean `method`",
            ),
            (
                "x-scoped-client: {parameter: accountid}",
                "#/x-scoped-client/parameter",
                "did you mean `accountId`",
            ),
            (
                "x-scoped-client: {parameter: accountId, method: health}",
                "#/x-scoped-client/method",
                "already has a method `health`",
            ),
            (
                "x-scoped-client: {parameter: accountId, method: with_retry}",
                "#/x-scoped-client/method",
                "already has a method",
            ),
            (
                "x-scoped-client: {parameter: accountId, method: forAccount}",
                "#/x-scoped-client/method",
                "`for_account`",
            ),
            (
                "x-scoped-client: {parameter: accountId, type: account_view}",
                "#/x-scoped-client/type",
                "`AccountView`",
            ),
            (
                "x-scoped-client: {parameter: accountId, type: Client}",
                "#/x-scoped-client/type",
                "already has a type `Client`",
            ),
            (
                "x-scoped-client: {parameter: 7}",
                "#/x-scoped-client/parameter",
                "must be a string",
            ),
        ] {
            let error = api(extension).unwrap_err();
            assert_eq!(
                error.pointer.to_string(),
                pointer,
                "{extension}: {}",
                error.message
            );
            assert!(
                error.message.contains(words),
                "{extension}: {}",
                error.message
            );
        }
    }
}

//! What a change of spec means for the users of the generated crate: the differences between
//! two checked models, in the Rust names users see, each classified by the semver bump it
//! implies.
//!
//! The classification follows the generated code, not the wire. Structs and enums are
//! `#[non_exhaustive]` and built with `new`, `Default` and setters, so a new optional field or
//! a new enum value is an addition; what changes a signature (a new required field, which
//! `new` takes; a field that becomes or stops being an `Option`; a removed item; a method's
//! arguments or return type) is breaking. So is a documented error status that goes away,
//! though it compiles: code that handled it as `Error::Api` no longer sees it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::{
    Api, ErrorVariant, Field, Operation, ResponseBody, Status, Success, TypeDef, TypeKind, TypeRef,
};

/// How much of a change an entry is, in semver's terms; ordered from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Nothing a caller's code depends on changes shape: what is sent or documented does.
    Fix,
    /// Something new that no existing code can trip on.
    Addition,
    /// Existing code may stop compiling, or stop handling what it handled.
    Breaking,
}

impl Impact {
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::Fix => "fix",
            Impact::Addition => "addition",
            Impact::Breaking => "breaking",
        }
    }

    /// The bump this impact asks for, said for a 1.x crate and for a 0.x one (where Cargo
    /// treats the minor number as the major).
    pub fn bump(self) -> &'static str {
        match self {
            Impact::Breaking => {
                "a major version bump; while the crate is 0.x, a minor bump (0.x.y → 0.(x+1).0)"
            }
            Impact::Addition => {
                "a minor version bump; while the crate is 0.x, a patch bump (0.x.y → 0.x.(y+1))"
            }
            Impact::Fix => "a patch version bump (x.y.z → x.y.(z+1))",
        }
    }

    /// The version after `current` (`major.minor.patch`) that this impact asks for, or `None`
    /// when `current` is not of that form.
    pub fn next_version(self, current: &str) -> Option<String> {
        let mut numbers = current.split('.').map(|n| n.parse::<u64>().ok());
        let (Some(Some(major)), Some(Some(minor)), Some(Some(patch)), None) = (
            numbers.next(),
            numbers.next(),
            numbers.next(),
            numbers.next(),
        ) else {
            return None;
        };
        // Cargo reads 0.x.y as x.y: the first non-zero number is the major one.
        let next = match (self, major) {
            (Impact::Breaking, 0) => (0, minor + 1, 0),
            (Impact::Breaking, _) => (major + 1, 0, 0),
            (Impact::Addition, 0) | (Impact::Fix, _) => (major, minor, patch + 1),
            (Impact::Addition, _) => (major, minor + 1, 0),
        };
        Some(format!("{}.{}.{}", next.0, next.1, next.2))
    }
}

/// The sections of a Keep a Changelog release, in that format's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Added,
    Changed,
    Deprecated,
    Removed,
    Fixed,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Added,
        Section::Changed,
        Section::Deprecated,
        Section::Removed,
        Section::Fixed,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Added => "Added",
            Section::Changed => "Changed",
            Section::Deprecated => "Deprecated",
            Section::Removed => "Removed",
            Section::Fixed => "Fixed",
        }
    }
}

/// One change, as a line of the changelog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub section: Section,
    pub impact: Impact,
    /// What changed, in Markdown, without the breaking mark.
    pub text: String,
}

impl Entry {
    /// The Markdown bullet, breaking changes marked as such.
    pub fn bullet(&self) -> String {
        match self.impact {
            Impact::Breaking => format!("- **Breaking:** {}", self.text),
            Impact::Addition | Impact::Fix => format!("- {}", self.text),
        }
    }
}

/// Every difference between two models, operations first (in the new spec's order, then the
/// removed ones), then types by name, then error bodies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changelog {
    pub entries: Vec<Entry>,
}

impl Changelog {
    /// The largest impact of any entry: the bump the change asks for. `None` when nothing that
    /// users see changed.
    pub fn verdict(&self) -> Option<Impact> {
        self.entries.iter().map(|e| e.impact).max()
    }

    /// The entries under Keep a Changelog's `###` headings, sections in that format's order.
    pub fn sections(&self) -> Vec<(Section, Vec<String>)> {
        Section::ALL
            .into_iter()
            .map(|section| {
                let bullets = self
                    .entries
                    .iter()
                    .filter(|e| e.section == section)
                    .map(Entry::bullet)
                    .collect();
                (section, bullets)
            })
            .filter(|(_, bullets): &(Section, Vec<String>)| !bullets.is_empty())
            .collect()
    }

    /// The changelog as Markdown: the sections, then the verdict.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        for (section, bullets) in self.sections() {
            let _ = writeln!(out, "### {}\n", section.title());
            for bullet in bullets {
                let _ = writeln!(out, "{bullet}");
            }
            out.push('\n');
        }
        match self.verdict() {
            None => out.push_str("No change that users of the crate can see.\n"),
            Some(impact) => {
                let counts = [Impact::Breaking, Impact::Addition, Impact::Fix]
                    .into_iter()
                    .map(|i| {
                        let n = self.entries.iter().filter(|e| e.impact == i).count();
                        format!("{n} {}", i.as_str())
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let _ = writeln!(
                    out,
                    "Verdict: {} ({counts}): {}.",
                    impact.as_str(),
                    impact.bump()
                );
            }
        }
        out
    }
}

/// The changes from `before` to `after`, as users of the crate generated from each see them.
pub fn compare(before: &Api, after: &Api) -> Changelog {
    let mut log = Log::default();
    let old_ops: BTreeMap<&str, &Operation> = before
        .operations
        .iter()
        .map(|op| (op.fn_name.as_str(), op))
        .collect();
    let new_ops: BTreeMap<&str, &Operation> = after
        .operations
        .iter()
        .map(|op| (op.fn_name.as_str(), op))
        .collect();
    for op in &after.operations {
        match old_ops.get(op.fn_name.as_str()) {
            Some(old) => operation(&mut log, old, op),
            None => log.push(
                Section::Added,
                Impact::Addition,
                format!("New operation {} ({}).", method(op), endpoint(op)),
            ),
        }
    }
    for op in &before.operations {
        if !new_ops.contains_key(op.fn_name.as_str()) {
            log.push(
                Section::Removed,
                Impact::Breaking,
                format!("Operation {} ({}) is removed.", method(op), endpoint(op)),
            );
        }
    }
    for (name, new) in &after.types {
        match before.types.get(name) {
            Some(old) => type_def(&mut log, old, new),
            None => log.push(
                Section::Added,
                Impact::Addition,
                format!("New type `types::{name}`."),
            ),
        }
    }
    for name in before.types.keys() {
        if !after.types.contains_key(name) {
            log.push(
                Section::Removed,
                Impact::Breaking,
                format!("Type `types::{name}` is removed."),
            );
        }
    }
    error_variants(&mut log, &before.error_variants, &after.error_variants);
    constants(&mut log, before, after);
    Changelog { entries: log.0 }
}

/// The crate's constants and the OAuth refresher, from `info` and the profile: a value that
/// changes is a fix, one that appears an addition, one that goes away breaking.
fn constants(log: &mut Log, before: &Api, after: &Api) {
    let base_url = |api: &Api| {
        api.profile
            .base_url
            .as_ref()
            .map(|url| format!("`\"{url}\"`"))
    };
    let quota = |api: &Api| {
        let limit = api.profile.rate_limit.as_ref()?;
        limit
            .quota
            .map(|(requests, window_ms)| format!("{requests} requests per {window_ms} ms"))
    };
    let daily = |api: &Api| {
        let limit = api.profile.rate_limit.as_ref()?;
        limit
            .daily_quota
            .map(|daily| format!("{daily} requests a day"))
    };
    let version = |api: &Api| Some(format!("`\"{}\"`", api.version));
    for (name, value) in [
        ("`API_VERSION`", &version as &dyn Fn(&Api) -> Option<String>),
        ("`DEFAULT_BASE_URL`", &base_url),
        ("`RATE_LIMIT_QUOTA`", &quota),
        ("`RATE_LIMIT_DAILY_QUOTA`", &daily),
    ] {
        match (value(before), value(after)) {
            (None, Some(new)) => log.push(
                Section::Added,
                Impact::Addition,
                format!("New constant {name}: {new}."),
            ),
            (Some(old), None) => log.push(
                Section::Removed,
                Impact::Breaking,
                format!("Constant {name} ({old}) is removed."),
            ),
            (Some(old), Some(new)) if old != new => log.push(
                Section::Changed,
                Impact::Fix,
                format!("{name} is {new}, was {old}."),
            ),
            _ => {}
        }
    }
    let token_url = |api: &Api| api.profile.oauth.as_ref().map(|o| o.token_url.clone());
    match (token_url(before), token_url(after)) {
        (None, Some(url)) => log.push(
            Section::Added,
            Impact::Addition,
            format!("`Client::oauth_refresher` refreshes tokens at `{url}`."),
        ),
        (Some(url), None) => log.push(
            Section::Removed,
            Impact::Breaking,
            format!("`Client::oauth_refresher` (which refreshed tokens at `{url}`) is removed."),
        ),
        (Some(old), Some(new)) if old != new => log.push(
            Section::Changed,
            Impact::Fix,
            format!("`Client::oauth_refresher` refreshes tokens at `{new}`, was `{old}`."),
        ),
        _ => {}
    }
}

#[derive(Default)]
struct Log(Vec<Entry>);

impl Log {
    fn push(&mut self, section: Section, impact: Impact, text: String) {
        self.0.push(Entry {
            section,
            impact,
            text,
        });
    }
}

fn method(op: &Operation) -> String {
    format!("`Client::{}`", op.fn_name)
}

fn endpoint(op: &Operation) -> String {
    format!("`{} {}`", op.method.as_str(), op.path)
}

fn operation(log: &mut Log, old: &Operation, new: &Operation) {
    let name = method(new);
    match (&old.deprecated, &new.deprecated) {
        (None, Some(note)) => log.push(
            Section::Deprecated,
            Impact::Addition,
            format!("{name} is deprecated: {note}"),
        ),
        (Some(_), None) => log.push(
            Section::Changed,
            Impact::Fix,
            format!("{name} is no longer deprecated."),
        ),
        _ => {}
    }
    if (old.method, &old.path) != (new.method, &new.path) {
        log.push(
            Section::Changed,
            Impact::Fix,
            format!(
                "{name} now sends {} (was {}).",
                endpoint(new),
                endpoint(old)
            ),
        );
    }
    let path_args = |op: &Operation| {
        op.path_params
            .iter()
            .map(|p| format!("`{}`", p.rust_name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if old.path_params.len() != new.path_params.len() {
        log.push(
            Section::Changed,
            Impact::Breaking,
            format!(
                "{name} takes the path arguments ({}), was ({}).",
                path_args(new),
                path_args(old)
            ),
        );
    }
    argument(
        log,
        &name,
        "query parameters",
        old.query
            .as_ref()
            .map(|q| format!("`types::{}`", q.type_name)),
        new.query
            .as_ref()
            .map(|q| format!("`types::{}`", q.type_name)),
    );
    argument(
        log,
        &name,
        "header parameters",
        old.headers
            .as_ref()
            .map(|h| format!("`types::{}`", h.type_name)),
        new.headers
            .as_ref()
            .map(|h| format!("`types::{}`", h.type_name)),
    );
    argument(
        log,
        &name,
        "request body",
        old.body.as_ref().map(|b| format!("`{}`", show(&b.ty))),
        new.body.as_ref().map(|b| format!("`{}`", show(&b.ty))),
    );
    if let (Some(old_body), Some(new_body)) = (&old.body, &new.body)
        && old_body.ty == new_body.ty
        && old_body.encoding != new_body.encoding
    {
        log.push(
            Section::Changed,
            Impact::Fix,
            format!("{name} sends its body {}.", encoding(new_body)),
        );
    }
    let (old_returns, new_returns) = (returns(&old.success), returns(&new.success));
    if old_returns != new_returns {
        log.push(
            Section::Changed,
            Impact::Breaking,
            format!("{name} returns `Response<{new_returns}>`, was `Response<{old_returns}>`."),
        );
    }
    errors(log, &name, &old.errors, &new.errors);
    match (&old.pagination, &new.pagination) {
        (None, Some(paging)) => log.push(
            Section::Added,
            Impact::Addition,
            format!(
                "`Client::{}` and `Client::{}` page through {name}.",
                paging.pages_fn, paging.stream_fn
            ),
        ),
        (Some(paging), None) => log.push(
            Section::Removed,
            Impact::Breaking,
            format!(
                "`Client::{}` and `Client::{}` are removed: {name} is no longer paged.",
                paging.pages_fn, paging.stream_fn
            ),
        ),
        (Some(old_paging), Some(new_paging)) if old_paging.item != new_paging.item => log.push(
            Section::Changed,
            Impact::Breaking,
            format!(
                "`Client::{}` yields `{}`, was `{}`.",
                new_paging.stream_fn,
                show(&new_paging.item),
                show(&old_paging.item)
            ),
        ),
        _ => {}
    }
    if old.scopes != new.scopes {
        let list = |scopes: &[String]| match scopes {
            [] => "none".to_owned(),
            _ => scopes
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        log.push(
            Section::Changed,
            Impact::Fix,
            format!(
                "{name} needs the scopes {} (was {}).",
                list(&new.scopes),
                list(&old.scopes)
            ),
        );
    }
    if old.idempotent != new.idempotent {
        let text = if new.idempotent {
            format!("{name} is retried after any transient failure, as safe to send twice.")
        } else {
            format!("{name} is no longer retried after a failure that may have reached the server.")
        };
        log.push(Section::Changed, Impact::Fix, text);
    }
}

/// An argument of a method that is there or not: adding, removing or retyping it changes the
/// method's signature.
fn argument(log: &mut Log, name: &str, what: &str, old: Option<String>, new: Option<String>) {
    let text = match (old, new) {
        (None, Some(new)) => format!("{name} takes its {what} as a new argument, {new}."),
        (Some(old), None) => format!("{name} no longer takes {what} (was {old})."),
        (Some(old), Some(new)) if old != new => {
            format!("{name} takes its {what} as {new}, was {old}.")
        }
        _ => return,
    };
    log.push(Section::Changed, Impact::Breaking, text);
}

fn encoding(body: &crate::model::RequestBody) -> String {
    use crate::model::BodyEncoding;
    match &body.encoding {
        BodyEncoding::Json => "as JSON".to_owned(),
        BodyEncoding::Multipart(_) => "as `multipart/form-data`".to_owned(),
        BodyEncoding::FreeMultipart => "as free-form `multipart/form-data` parts".to_owned(),
        BodyEncoding::Form => "as `application/x-www-form-urlencoded`".to_owned(),
        BodyEncoding::Text(content) | BodyEncoding::Binary(content) => format!("as `{content}`"),
    }
}

/// The Rust type a method's response holds.
fn returns(success: &Success) -> String {
    if let Some(several) = &success.several {
        return format!("types::{several}");
    }
    match success.cases.first() {
        None | Some((_, ResponseBody::Empty)) => "()".to_owned(),
        Some((_, ResponseBody::Json(ty))) => show(ty),
        Some((_, ResponseBody::Text)) => "String".to_owned(),
        Some((_, ResponseBody::Binary)) => "Bytes".to_owned(),
    }
}

fn errors(log: &mut Log, name: &str, old: &[(Status, String)], new: &[(Status, String)]) {
    let old: BTreeMap<Status, &str> = old.iter().map(|(s, v)| (*s, v.as_str())).collect();
    let new: BTreeMap<Status, &str> = new.iter().map(|(s, v)| (*s, v.as_str())).collect();
    for (status, variant) in &new {
        match old.get(status) {
            None => log.push(
                Section::Added,
                Impact::Addition,
                format!(
                    "{name} documents its {status} response: `Error::Api` with \
                     `ApiErrorBody::{variant}` (was `Error::UnexpectedStatus`)."
                ),
            ),
            Some(was) if was != variant => log.push(
                Section::Changed,
                Impact::Breaking,
                format!(
                    "A {status} response of {name} is `ApiErrorBody::{variant}`, was \
                     `ApiErrorBody::{was}`."
                ),
            ),
            Some(_) => {}
        }
    }
    for (status, variant) in &old {
        if !new.contains_key(status) {
            log.push(
                Section::Removed,
                Impact::Breaking,
                format!(
                    "{name} no longer documents its {status} response: it is \
                     `Error::UnexpectedStatus`, was `Error::Api` with `ApiErrorBody::{variant}`."
                ),
            );
        }
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "a struct",
        TypeKind::Enum { .. } => "an enum of strings",
        TypeKind::IntEnum { .. } => "an enum of integers",
        TypeKind::Union { .. } => "a union",
        TypeKind::Responses { .. } => "an enum of responses",
        TypeKind::Alias(_) => "an alias",
    }
}

fn type_def(log: &mut Log, old: &TypeDef, new: &TypeDef) {
    let name = &new.name;
    match (&old.kind, &new.kind) {
        (
            TypeKind::Struct {
                fields: old_fields, ..
            },
            TypeKind::Struct { fields, .. },
        ) => struct_fields(log, name, old_fields, fields),
        (
            TypeKind::Enum {
                variants: old_variants,
                unknown: old_unknown,
            },
            TypeKind::Enum { variants, unknown },
        ) => {
            let values = |vs: &[crate::model::Variant]| {
                vs.iter()
                    .map(|v| (v.rust_name.clone(), format!("\"{}\"", v.wire_name)))
                    .collect()
            };
            enum_values(log, name, values(old_variants), values(variants));
            unknown_variant(log, name, old_unknown, unknown);
        }
        (
            TypeKind::IntEnum {
                variants: old_variants,
                unknown: old_unknown,
            },
            TypeKind::IntEnum { variants, unknown },
        ) => {
            let values = |vs: &[crate::model::IntVariant]| {
                vs.iter()
                    .map(|v| (v.rust_name.clone(), v.value.to_string()))
                    .collect()
            };
            enum_values(log, name, values(old_variants), values(variants));
            unknown_variant(log, name, old_unknown, unknown);
        }
        (
            TypeKind::Union {
                variants: old_variants,
                unknown: old_unknown,
                ..
            },
            TypeKind::Union {
                variants, unknown, ..
            },
        ) => {
            let holds = |vs: &[crate::model::UnionVariant]| {
                vs.iter()
                    .map(|v| (v.rust_name.clone(), show(&v.ty)))
                    .collect()
            };
            variants_holding(log, name, holds(old_variants), holds(variants));
            if let (Some(old_unknown), Some(unknown)) = (old_unknown, unknown) {
                unknown_variant(log, name, old_unknown, unknown);
            }
        }
        (
            TypeKind::Responses {
                variants: old_variants,
            },
            TypeKind::Responses { variants },
        ) => {
            let holds = |vs: &[crate::model::ResponseVariant]| {
                vs.iter()
                    .map(|v| {
                        let body = returns(&Success {
                            cases: vec![(v.status, v.body.clone())],
                            several: None,
                            any_2xx: false,
                        });
                        (v.rust_name.clone(), body)
                    })
                    .collect()
            };
            variants_holding(log, name, holds(old_variants), holds(variants));
        }
        (TypeKind::Alias(old_target), TypeKind::Alias(target)) if old_target != target => log.push(
            Section::Changed,
            Impact::Breaking,
            format!(
                "`types::{name}` is `{}`, was `{}`.",
                show(target),
                show(old_target)
            ),
        ),
        (TypeKind::Alias(_), TypeKind::Alias(_)) => {}
        (old_kind, kind) => log.push(
            Section::Changed,
            Impact::Breaking,
            format!(
                "`types::{name}` is {}, was {}.",
                kind_name(kind),
                kind_name(old_kind)
            ),
        ),
    }
}

/// Whether `new` takes the field as an argument (as the emitter decides).
fn in_constructor(field: &Field) -> bool {
    field.required && !field.flatten
}

/// The declared Rust type of a field, as the emitter writes it.
fn field_type(field: &Field) -> String {
    let (inner, nullable) = field.ty.strip_nullable();
    let mut ty = show(inner);
    if field.boxed {
        ty = format!("Box<{ty}>");
    }
    if !field.required || nullable {
        ty = format!("Option<{ty}>");
    }
    ty
}

fn struct_fields(log: &mut Log, name: &str, old: &[Field], new: &[Field]) {
    let old_by_name: BTreeMap<&str, &Field> =
        old.iter().map(|f| (f.rust_name.as_str(), f)).collect();
    let new_by_name: BTreeMap<&str, &Field> =
        new.iter().map(|f| (f.rust_name.as_str(), f)).collect();
    let had_default = !old.iter().any(in_constructor);
    let constructor_note = |adds: bool| {
        if adds && had_default {
            format!(
                " `types::{name}::new` takes it, and `types::{name}` no longer implements \
                 `Default`."
            )
        } else if adds {
            format!(" `types::{name}::new` takes it.")
        } else if !new.iter().any(in_constructor) {
            format!(" `types::{name}::new` is gone: `types::{name}` implements `Default` instead.")
        } else {
            format!(" `types::{name}::new` no longer takes it.")
        }
    };
    for field in new {
        let place = format!("`types::{name}.{}`", field.rust_name);
        let Some(was) = old_by_name.get(field.rust_name.as_str()) else {
            if in_constructor(field) {
                log.push(
                    Section::Added,
                    Impact::Breaking,
                    format!(
                        "New required field {place} (`{}`).{}",
                        field.wire_name,
                        constructor_note(true)
                    ),
                );
            } else {
                let setter = field
                    .setter
                    .as_ref()
                    .map(|s| format!(", set with `.{s}(…)`"))
                    .unwrap_or_default();
                log.push(
                    Section::Added,
                    Impact::Addition,
                    format!(
                        "New optional field {place} (`{}`): `{}`{setter}.",
                        field.wire_name,
                        field_type(field)
                    ),
                );
            }
            continue;
        };
        let (old_type, new_type) = (field_type(was), field_type(field));
        if in_constructor(was) != in_constructor(field) {
            let now = if field.required {
                "required"
            } else {
                "optional"
            };
            let retyped = if old_type != new_type {
                format!(": `{new_type}`, was `{old_type}`.")
            } else {
                ".".to_owned()
            };
            // The setter comes and goes with optionality: said here, not as a change apart.
            let setter = match (&was.setter, &field.setter) {
                (Some(setter), None) => {
                    format!(" The setter `types::{name}::{setter}` is removed.")
                }
                (None, Some(setter)) => format!(" The setter `types::{name}::{setter}` sets it."),
                _ => String::new(),
            };
            log.push(
                Section::Changed,
                Impact::Breaking,
                format!(
                    "{place} is now {now}{retyped}{}{setter}",
                    constructor_note(in_constructor(field))
                ),
            );
        } else if old_type != new_type {
            log.push(
                Section::Changed,
                Impact::Breaking,
                format!("{place} is `{new_type}`, was `{old_type}`."),
            );
        }
        if was.wire_name != field.wire_name {
            log.push(
                Section::Fixed,
                Impact::Fix,
                format!(
                    "{place} is `{}` on the wire, was `{}`.",
                    field.wire_name, was.wire_name
                ),
            );
        }
        match (&was.setter, &field.setter) {
            _ if in_constructor(was) != in_constructor(field) => {}
            (None, Some(setter)) => log.push(
                Section::Added,
                Impact::Addition,
                format!("`types::{name}::{setter}` sets {place}."),
            ),
            (Some(setter), None) => log.push(
                Section::Removed,
                Impact::Breaking,
                format!("`types::{name}::{setter}` is removed."),
            ),
            _ => {}
        }
    }
    for field in old {
        if !new_by_name.contains_key(field.rust_name.as_str()) {
            log.push(
                Section::Removed,
                Impact::Breaking,
                format!(
                    "Field `types::{name}.{}` (`{}`) is removed.{}",
                    field.rust_name,
                    field.wire_name,
                    if in_constructor(field) {
                        constructor_note(false)
                    } else {
                        String::new()
                    }
                ),
            );
        }
    }
    // `new` takes the required fields in order: the same set in another order is another
    // signature.
    let order = |fields: &[Field]| -> Vec<String> {
        fields
            .iter()
            .filter(|f| in_constructor(f))
            .map(|f| f.rust_name.clone())
            .collect()
    };
    let (old_order, new_order) = (order(old), order(new));
    let mut sorted_old = old_order.clone();
    let mut sorted_new = new_order.clone();
    sorted_old.sort();
    sorted_new.sort();
    if old_order != new_order && sorted_old == sorted_new {
        log.push(
            Section::Changed,
            Impact::Breaking,
            format!(
                "`types::{name}::new` takes its arguments in the order {}.",
                new_order.join(", ")
            ),
        );
    }
}

/// The values of an enum of strings or integers, each as (variant, value as written).
fn enum_values(log: &mut Log, name: &str, old: Vec<(String, String)>, new: Vec<(String, String)>) {
    let old_by_name: BTreeMap<_, _> = old.iter().cloned().collect();
    let new_by_name: BTreeMap<_, _> = new.iter().cloned().collect();
    for (variant, value) in &new {
        match old_by_name.get(variant) {
            None => log.push(
                Section::Added,
                Impact::Addition,
                format!(
                    "New value `types::{name}::{variant}` ({value}), which read as \
                     `types::{name}::Unknown` before."
                ),
            ),
            Some(was) if was != value => log.push(
                Section::Fixed,
                Impact::Fix,
                format!("`types::{name}::{variant}` is {value} on the wire, was {was}."),
            ),
            Some(_) => {}
        }
    }
    for (variant, value) in &old {
        if !new_by_name.contains_key(variant) {
            log.push(
                Section::Removed,
                Impact::Breaking,
                format!(
                    "`types::{name}::{variant}` ({value}) is removed: the value reads as \
                     `types::{name}::Unknown`."
                ),
            );
        }
    }
}

fn unknown_variant(log: &mut Log, name: &str, old: &str, new: &str) {
    if old != new {
        log.push(
            Section::Changed,
            Impact::Breaking,
            format!("`types::{name}::{old}` is renamed `types::{name}::{new}`."),
        );
    }
}

/// The variants of a union or of an enum of responses, each as (variant, the type it holds).
fn variants_holding(
    log: &mut Log,
    name: &str,
    old: Vec<(String, String)>,
    new: Vec<(String, String)>,
) {
    holdings(
        log,
        &format!("types::{name}"),
        ("variant", "Variant"),
        &old,
        &new,
    );
}

fn error_variants(log: &mut Log, old: &[ErrorVariant], new: &[ErrorVariant]) {
    let holds = |vs: &[ErrorVariant]| {
        vs.iter()
            .map(|v| (v.name.clone(), show(&v.ty)))
            .collect::<Vec<_>>()
    };
    let noun = ("error body", "Error body");
    holdings(log, "ApiErrorBody", noun, &holds(old), &holds(new));
}

/// Variants of `owner` (each with the type it holds) added, changed and removed; `noun` is
/// what a variant is called, in lower case and at the start of a sentence.
fn holdings(
    log: &mut Log,
    owner: &str,
    (noun, noun_capitalised): (&str, &str),
    old: &[(String, String)],
    new: &[(String, String)],
) {
    let old_by_name: BTreeMap<_, _> = old.iter().cloned().collect();
    let new_by_name: BTreeMap<_, _> = new.iter().cloned().collect();
    for (variant, holds) in new {
        match old_by_name.get(variant) {
            None => log.push(
                Section::Added,
                Impact::Addition,
                format!("New {noun} `{owner}::{variant}`, holding `{holds}`."),
            ),
            Some(was) if was != holds => log.push(
                Section::Changed,
                Impact::Breaking,
                format!("`{owner}::{variant}` holds `{holds}`, was `{was}`."),
            ),
            Some(_) => {}
        }
    }
    for (variant, holds) in old {
        if !new_by_name.contains_key(variant) {
            log.push(
                Section::Removed,
                Impact::Breaking,
                format!("{noun_capitalised} `{owner}::{variant}` (holding `{holds}`) is removed."),
            );
        }
    }
}

/// A use of a type as Rust writes it, named types under `types::`.
fn show(ty: &TypeRef) -> String {
    use crate::model::IntegerWidth;
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Integer(IntegerWidth::I32) => "i32".to_owned(),
        TypeRef::Integer(IntegerWidth::I64) => "i64".to_owned(),
        TypeRef::Number => "f64".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::Object => "serde_json::Map<String, serde_json::Value>".to_owned(),
        TypeRef::Any => "serde_json::Value".to_owned(),
        TypeRef::Array(inner) => format!("Vec<{}>", show(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", show(inner)),
        TypeRef::Named(name) => format!("types::{name}"),
        TypeRef::File => "FilePart".to_owned(),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::DateTime => "DateTime".to_owned(),
        TypeRef::Unit => "()".to_owned(),
        TypeRef::Parts => "FormParts".to_owned(),
        TypeRef::Nullable(inner) => format!("Option<{}>", show(inner)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_version_follows_cargo_for_0x_and_1x() {
        assert_eq!(Impact::Breaking.next_version("0.1.3").unwrap(), "0.2.0");
        assert_eq!(Impact::Addition.next_version("0.1.3").unwrap(), "0.1.4");
        assert_eq!(Impact::Fix.next_version("0.1.3").unwrap(), "0.1.4");
        assert_eq!(Impact::Breaking.next_version("1.4.2").unwrap(), "2.0.0");
        assert_eq!(Impact::Addition.next_version("1.4.2").unwrap(), "1.5.0");
        assert_eq!(Impact::Fix.next_version("1.4.2").unwrap(), "1.4.3");
        assert_eq!(Impact::Fix.next_version("1.4"), None);
        assert_eq!(Impact::Fix.next_version("1.4.2-beta"), None);
    }

    #[test]
    fn the_same_spec_has_no_change_and_says_so() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: get-a\n      responses:\n        '204': {description: ok}\n";
        let api = crate::model("t.yaml", spec).unwrap();
        let log = compare(&api, &api);
        assert_eq!(log.verdict(), None);
        assert_eq!(
            log.markdown(),
            "No change that users of the crate can see.\n"
        );
    }
}

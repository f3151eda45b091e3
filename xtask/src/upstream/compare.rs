//! The walk: operations matched by method and path, then their parameters, request bodies and
//! responses compared by structure (schemas with their references followed and `allOf`s
//! merged), so that what our spec names differently still meets its upstream counterpart.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::documents::{Documents, Node};
use super::view::{KEYWORDS, View};
use super::{Difference, Edition};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What one side has of something the other side lacks.
pub(crate) const PRESENT: &str = "present";
pub(crate) const ABSENT: &str = "absent";

/// Everything found by comparing the two sides.
pub(crate) struct Comparison {
    /// (place, key, upstream as JSON) → the difference, with every site it was seen at.
    pub found: BTreeMap<(String, String, String), Difference>,
    /// Upstream references that lead nowhere: what they stand for was not compared.
    pub unresolved: BTreeSet<String>,
    /// How many operations each edition documents, in the editions' order.
    pub edition_operations: Vec<usize>,
    /// How many operations our spec has.
    pub our_operations: usize,
}

/// Where a difference was seen: the edition, the operation, the part of it, and the field.
#[derive(Clone)]
struct Site {
    prefix: String,
    field: String,
}

impl Site {
    fn new(prefix: String) -> Self {
        Self {
            prefix,
            field: String::new(),
        }
    }

    fn part(&self, part: &str) -> Self {
        Self::new(format!("{}: {part}", self.prefix))
    }

    /// One level deeper: a property name, `[]` for the items of an array, `{}` for the values
    /// of a map, `|n` for the n-th alternative.
    fn push(&self, step: &str) -> Self {
        let field = if self.field.is_empty() || step.starts_with(['[', '{', '|']) {
            format!("{}{step}", self.field)
        } else {
            format!("{}.{step}", self.field)
        };
        Self {
            prefix: self.prefix.clone(),
            field,
        }
    }
}

impl std::fmt::Display for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.prefix)
        } else {
            write!(f, "{} {}", self.prefix, self.field)
        }
    }
}

impl Comparison {
    /// Compares every operation of the editions (the newest that has an operation wins) with
    /// ours.
    pub(crate) fn run(
        ours: &Documents,
        ours_file: &str,
        upstream: &Documents,
        editions: &[Edition],
    ) -> Result<Self, String> {
        let mut comparison = Comparison {
            found: BTreeMap::new(),
            unresolved: BTreeSet::new(),
            edition_operations: Vec::new(),
            our_operations: 0,
        };
        let our_root = ours
            .root(ours_file)
            .ok_or_else(|| format!("{ours_file} is not loaded"))?;
        let our_ops = operations(&our_root);
        comparison.our_operations = our_ops.len();

        let mut upstream_ops = BTreeMap::new();
        for edition in editions {
            let root = upstream
                .root(&edition.file)
                .ok_or_else(|| format!("{} is not loaded", edition.file))?;
            let ops = operations(&root);
            comparison.edition_operations.push(ops.len());
            for (key, op) in ops {
                upstream_ops.insert(key, (edition, root.clone(), op));
            }
        }

        for (key, (edition, up_root, up)) in &upstream_ops {
            let site = Site::new(format!(
                "{} {} {}",
                edition.label,
                key.0.to_uppercase(),
                up.path
            ));
            match our_ops.get(key) {
                Some(our) => {
                    let sides = Sides {
                        ours,
                        upstream,
                        our_root: &our_root,
                        up_root,
                    };
                    comparison.operation(&sides, our, up, &site);
                }
                None => comparison.note(
                    std::slice::from_ref(&our_root),
                    &our_root,
                    &format!("operation {} {}", key.0.to_uppercase(), up.path),
                    PRESENT.into(),
                    ABSENT.into(),
                    &site,
                ),
            }
        }
        for (key, our) in &our_ops {
            if !upstream_ops.contains_key(key) {
                let site = Site::new(format!("ours {} {}", key.0.to_uppercase(), our.path));
                comparison.note(
                    std::slice::from_ref(&our.op),
                    &our.op,
                    "operation",
                    ABSENT.into(),
                    PRESENT.into(),
                    &site,
                );
            }
        }
        Ok(comparison)
    }

    /// Records a difference about `place` (markers may also sit on any node of `chain`).
    fn note(
        &mut self,
        chain: &[Node<'_>],
        place: &Node<'_>,
        key: &str,
        upstream: Value,
        ours: Value,
        site: &Site,
    ) {
        let place = place.pointer.to_string();
        let entry = self
            .found
            .entry((place.clone(), key.to_owned(), upstream.to_string()))
            .or_insert_with(|| Difference {
                place,
                key: key.to_owned(),
                upstream,
                ours,
                chain: BTreeSet::new(),
                sites: BTreeSet::new(),
            });
        entry
            .chain
            .extend(chain.iter().map(|n| n.pointer.to_string()));
        entry.sites.insert(site.to_string());
    }

    fn operation(
        &mut self,
        sides: &Sides<'_>,
        our: &Operation<'_>,
        up: &Operation<'_>,
        site: &Site,
    ) {
        let op_chain = std::slice::from_ref(&our.op);
        let flag =
            |node: &Node<'_>, key: &str| node.value.get(key).cloned().unwrap_or(false.into());
        let (u, o) = (flag(&up.op, "deprecated"), flag(&our.op, "deprecated"));
        if u != o {
            self.note(op_chain, &our.op, "deprecated", u, o, site);
        }
        let (u, o) = (
            scopes(&up.op, sides.up_root),
            scopes(&our.op, sides.our_root),
        );
        if u != o {
            self.note(op_chain, &our.op, "scopes", u, o, site);
        }
        self.parameters(sides, our, up, site);
        self.request_body(sides, our, up, site);
        self.responses(sides, our, up, site);
    }

    fn parameters(
        &mut self,
        sides: &Sides<'_>,
        our: &Operation<'_>,
        up: &Operation<'_>,
        site: &Site,
    ) {
        let ours = self.parameter_list(sides.ours, our);
        let theirs = self.parameter_list(sides.upstream, up);
        for (id, up_chain) in &theirs {
            let name = describe_parameter(up_chain);
            let key = format!("parameter {name}");
            let Some(our_chain) = ours.get(id) else {
                self.note(
                    std::slice::from_ref(&our.op),
                    &our.op,
                    &key,
                    PRESENT.into(),
                    ABSENT.into(),
                    site,
                );
                continue;
            };
            let (our_param, up_param) = (last(our_chain), last(up_chain));
            let site = site.part(&format!("parameter {name}"));
            for flag in ["required", "deprecated"] {
                let get = |n: &Node<'_>| n.value.get(flag).cloned().unwrap_or(false.into());
                let (u, o) = (get(up_param), get(our_param));
                if u != o {
                    self.note(our_chain, our_param, flag, u, o, &site);
                }
            }
            if let (Some(o), Some(u)) = (our_param.get("schema"), up_param.get("schema")) {
                self.schema(sides, o, u, &site, &mut Vec::new());
            }
        }
        for (id, our_chain) in &ours {
            if !theirs.contains_key(id) {
                let key = format!("parameter {}", describe_parameter(our_chain));
                self.note(
                    std::slice::from_ref(&our.op),
                    &our.op,
                    &key,
                    ABSENT.into(),
                    PRESENT.into(),
                    site,
                );
            }
        }
    }

    /// An operation's parameters (the path item's, then its own), by place and name; a
    /// header's name in lower case, since HTTP ignores its case.
    fn parameter_list<'d>(
        &mut self,
        docs: &'d Documents,
        op: &Operation<'d>,
    ) -> BTreeMap<(String, String), Vec<Node<'d>>> {
        let mut found = BTreeMap::new();
        for parameter in op
            .item
            .items("parameters")
            .into_iter()
            .chain(op.op.items("parameters"))
        {
            let chain = match docs.resolve(parameter) {
                Ok(chain) => chain,
                Err(why) => {
                    self.unresolved.insert(why);
                    continue;
                }
            };
            let param = last(&chain);
            let place = text(param.value.get("in"));
            let mut name = text(param.value.get("name"));
            if place == "header" {
                name = name.to_lowercase();
            }
            // A path parameter is its place in the template: its name is not sent.
            if place == "path"
                && let Some(i) = template_names(&op.path).iter().position(|n| *n == name)
            {
                name = format!("#{i}");
            }
            found.insert((place, name), chain);
        }
        found
    }

    fn request_body(
        &mut self,
        sides: &Sides<'_>,
        our: &Operation<'_>,
        up: &Operation<'_>,
        site: &Site,
    ) {
        let (o, u) = (our.op.get("requestBody"), up.op.get("requestBody"));
        let (o, u) = match (o, u) {
            (None, None) => return,
            (o @ Some(_), None) | (o @ None, Some(_)) => {
                let (u, o) = if o.is_none() {
                    (PRESENT, ABSENT)
                } else {
                    (ABSENT, PRESENT)
                };
                self.note(
                    std::slice::from_ref(&our.op),
                    &our.op,
                    "request-body",
                    u.into(),
                    o.into(),
                    site,
                );
                return;
            }
            (Some(o), Some(u)) => (o, u),
        };
        let Some((our_chain, up_chain)) = self.resolve_pair(sides, o, u) else {
            return;
        };
        let (our_body, up_body) = (last(&our_chain), last(&up_chain));
        let get = |n: &Node<'_>| n.value.get("required").cloned().unwrap_or(false.into());
        let (u, o) = (get(up_body), get(our_body));
        if u != o {
            self.note(&our_chain, our_body, "required", u, o, site);
        }
        self.content(sides, &our_chain, &up_chain, &site.part("request"));
    }

    fn responses(
        &mut self,
        sides: &Sides<'_>,
        our: &Operation<'_>,
        up: &Operation<'_>,
        site: &Site,
    ) {
        let ours: BTreeMap<_, _> = our
            .op
            .get("responses")
            .map_or_else(Vec::new, |r| r.members_here())
            .into_iter()
            .collect();
        let theirs: BTreeMap<_, _> = up
            .op
            .get("responses")
            .map_or_else(Vec::new, |r| r.members_here())
            .into_iter()
            .collect();
        let mut pairs = Vec::new();
        for status in ours.keys().chain(theirs.keys()).collect::<BTreeSet<_>>() {
            match (ours.get(status), theirs.get(status)) {
                (Some(o), Some(u)) => pairs.push((format!("response {status}"), o, u)),
                (o, _) => {
                    let (u, o) = if o.is_none() {
                        (PRESENT, ABSENT)
                    } else {
                        (ABSENT, PRESENT)
                    };
                    self.note(
                        std::slice::from_ref(&our.op),
                        &our.op,
                        &format!("status {status}"),
                        u.into(),
                        o.into(),
                        site,
                    );
                }
            }
        }
        // One success each, under different statuses (201 here, 200 there): the bodies are
        // still the same answer, and compared as such.
        if let ([(ours_status, o)], [(up_status, u)]) =
            (successes(&ours).as_slice(), successes(&theirs).as_slice())
            && ours_status != up_status
        {
            pairs.push((
                format!("response {ours_status} (upstream {up_status})"),
                o,
                u,
            ));
        }
        for (part, o, u) in pairs {
            if let Some((our_chain, up_chain)) = self.resolve_pair(sides, o.clone(), u.clone()) {
                self.content(sides, &our_chain, &up_chain, &site.part(&part));
            }
        }
    }

    /// The media types of a request body or response, and the schema of each.
    fn content(
        &mut self,
        sides: &Sides<'_>,
        our_chain: &[Node<'_>],
        up_chain: &[Node<'_>],
        site: &Site,
    ) {
        let (o, u) = (last(our_chain), last(up_chain));
        let ours: BTreeMap<_, _> = o.members("content").into_iter().collect();
        let theirs: BTreeMap<_, _> = u.members("content").into_iter().collect();
        for media in ours.keys().chain(theirs.keys()).collect::<BTreeSet<_>>() {
            match (ours.get(media), theirs.get(media)) {
                (Some(om), Some(um)) => {
                    if let (Some(os), Some(us)) = (om.get("schema"), um.get("schema")) {
                        self.schema(
                            sides,
                            os,
                            us,
                            &Site::new(format!("{} {media}", site.prefix)),
                            &mut Vec::new(),
                        );
                    }
                }
                (om, _) => {
                    let (u, o) = if om.is_none() {
                        (PRESENT, ABSENT)
                    } else {
                        (ABSENT, PRESENT)
                    };
                    self.note(
                        our_chain,
                        place_of(our_chain),
                        &format!("media-type {media}"),
                        u.into(),
                        o.into(),
                        site,
                    );
                }
            }
        }
    }

    /// Both sides' reference chains, or `None` (noted as unresolved) when one leads nowhere.
    fn resolve_pair<'d>(
        &mut self,
        sides: &Sides<'d>,
        ours: Node<'d>,
        up: Node<'d>,
    ) -> Option<(Vec<Node<'d>>, Vec<Node<'d>>)> {
        let ours = sides
            .ours
            .resolve(ours)
            .map_err(|why| self.unresolved.insert(why))
            .ok()?;
        let up = sides
            .upstream
            .resolve(up)
            .map_err(|why| self.unresolved.insert(why))
            .ok()?;
        Some((ours, up))
    }

    fn schema<'d>(
        &mut self,
        sides: &Sides<'d>,
        ours: Node<'d>,
        up: Node<'d>,
        site: &Site,
        stack: &mut Vec<(String, String)>,
    ) {
        let (ov, uv) = match (View::of(sides.ours, ours), View::of(sides.upstream, up)) {
            (Ok(ov), Ok(uv)) => (ov, uv),
            (Err(why), _) | (_, Err(why)) => {
                self.unresolved.insert(why);
                return;
            }
        };
        let pair = (ov.identity(), uv.identity());
        if stack.contains(&pair) || stack.len() > 64 {
            return;
        }
        stack.push(pair);
        let place = ov.place().clone();
        for keyword in KEYWORDS {
            let (u, o) = (uv.keyword(keyword), ov.keyword(keyword));
            if u != o {
                // Upstream's enum as it wrote it, so that a marker can be copied from it.
                let u = match (keyword, uv.keywords.get(keyword)) {
                    (&"enum", Some(written)) => written.clone(),
                    _ => u,
                };
                self.note(&ov.chain, &place, keyword, u, o, site);
            }
        }
        let same_type = uv.keyword("type") == ov.keyword("type");
        self.properties(sides, &ov, &uv, &place, same_type, site, stack);
        let (u, o) = (uv.additional(), ov.additional());
        if u != o && same_type {
            self.note(&ov.chain, &place, "additionalProperties", u, o, site);
        }
        if let (Some(o), Some(u)) = (&ov.additional, &uv.additional)
            && o.value.is_object()
            && u.value.is_object()
        {
            self.schema(sides, o.clone(), u.clone(), &site.push("{}"), stack);
        }
        if let (Some(o), Some(u)) = (&ov.items, &uv.items) {
            self.schema(sides, o.clone(), u.clone(), &site.push("[]"), stack);
        }
        if uv.variants.len() != ov.variants.len() {
            let count = |n: usize| Value::from(n);
            self.note(
                &ov.chain,
                &place,
                "oneOf",
                count(uv.variants.len()),
                count(ov.variants.len()),
                site,
            );
        } else {
            for (i, (o, u)) in ov.variants.iter().zip(&uv.variants).enumerate() {
                self.schema(
                    sides,
                    o.clone(),
                    u.clone(),
                    &site.push(&format!("|{i}")),
                    stack,
                );
            }
        }
        stack.pop();
    }

    #[allow(clippy::too_many_arguments)]
    fn properties<'d>(
        &mut self,
        sides: &Sides<'d>,
        ov: &View<'d>,
        uv: &View<'d>,
        place: &Node<'d>,
        same_type: bool,
        site: &Site,
        stack: &mut Vec<(String, String)>,
    ) {
        let names =
            |v: &View<'_>| -> Vec<String> { v.properties.iter().map(|(n, _)| n.clone()).collect() };
        if ov.properties.is_empty() || uv.properties.is_empty() {
            // One side is free-form (or no object at all): one difference, not one per field.
            if ov.properties.len() != uv.properties.len() && same_type {
                let (u, o) = (names(uv), names(ov));
                self.note(&ov.chain, place, "properties", u.into(), o.into(), site);
            }
            return;
        }
        for (name, up_property) in &uv.properties {
            let Some((_, our_property)) = ov.properties.iter().find(|(n, _)| n == name) else {
                self.note(
                    &ov.chain,
                    place,
                    &format!("property {name}"),
                    PRESENT.into(),
                    ABSENT.into(),
                    site,
                );
                continue;
            };
            let (u, o) = (uv.required.contains(name), ov.required.contains(name));
            if u != o {
                self.note(
                    &ov.chain,
                    place,
                    &format!("required {name}"),
                    u.into(),
                    o.into(),
                    site,
                );
            }
            self.schema(
                sides,
                our_property.clone(),
                up_property.clone(),
                &site.push(name),
                stack,
            );
        }
        for (name, _) in &ov.properties {
            if !uv.properties.iter().any(|(n, _)| n == name) {
                self.note(
                    &ov.chain,
                    place,
                    &format!("property {name}"),
                    ABSENT.into(),
                    PRESENT.into(),
                    site,
                );
            }
        }
    }
}

/// The two sides' documents and roots, for one operation.
struct Sides<'d> {
    ours: &'d Documents,
    upstream: &'d Documents,
    our_root: &'d Node<'d>,
    up_root: &'d Node<'d>,
}

/// An operation with its path and path item.
struct Operation<'d> {
    path: String,
    item: Node<'d>,
    op: Node<'d>,
}

/// The operations of a document by (method, path with its parameters' names left out).
fn operations<'d>(root: &Node<'d>) -> BTreeMap<(String, String), Operation<'d>> {
    let mut found = BTreeMap::new();
    for (path, item) in root.members("paths") {
        for (method, op) in item.members_here() {
            if METHODS.contains(&method.as_str()) {
                let key = (method, shape(path));
                let operation = Operation {
                    path: path.to_owned(),
                    item: item.clone(),
                    op,
                };
                found.insert(key, operation);
            }
        }
    }
    found
}

/// The 2xx responses of an operation.
fn successes<'m, 'd>(responses: &'m BTreeMap<String, Node<'d>>) -> Vec<(&'m str, &'m Node<'d>)> {
    responses
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .map(|(status, node)| (status.as_str(), node))
        .collect()
}

/// The names of a path template's parameters, in order.
fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

/// `/a/{id}/b` → `/a/{}/b`: a path parameter's name is not part of the request.
fn shape(path: &str) -> String {
    let mut shape = String::new();
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                shape.push_str("{}");
            }
            '}' => in_name = false,
            c if !in_name => shape.push(c),
            _ => {}
        }
    }
    shape
}

/// The scopes an operation needs, in order: `null` when it declares no security at all (nor
/// does the document), else the union of its requirements' scopes.
fn scopes(op: &Node<'_>, root: &Node<'_>) -> Value {
    let Some(security) = op
        .value
        .get("security")
        .or_else(|| root.value.get("security"))
    else {
        return Value::Null;
    };
    let mut scopes: Vec<&str> = security
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.values())
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    scopes.sort_unstable();
    scopes.dedup();
    scopes.into()
}

fn last<'a, 'd>(chain: &'a [Node<'d>]) -> &'a Node<'d> {
    chain.last().expect("never empty")
}

/// The place of a chain: the first node that is not a bare reference.
fn place_of<'a, 'd>(chain: &'a [Node<'d>]) -> &'a Node<'d> {
    chain
        .iter()
        .find(|n| !n.is_bare_ref())
        .unwrap_or_else(|| last(chain))
}

fn text(value: Option<&Value>) -> String {
    value.and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// `query:skip`, as the report names a parameter.
fn describe_parameter(chain: &[Node<'_>]) -> String {
    let param = last(chain);
    format!(
        "{}:{}",
        text(param.value.get("in")),
        text(param.value.get("name"))
    )
}

impl<'d> Node<'d> {
    /// The members of this mapping, with owned names.
    fn members_here(&self) -> Vec<(String, Node<'d>)> {
        let Some(map) = self.value.as_object() else {
            return Vec::new();
        };
        map.iter()
            .map(|(name, value)| {
                let node = Node {
                    file: self.file,
                    pointer: self.pointer.push(name),
                    value,
                };
                (name.clone(), node)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_ignore_parameter_names() {
        assert_eq!(shape("/a/{id}/b/{x}"), "/a/{}/b/{}");
        assert_eq!(shape("/a"), "/a");
        assert_eq!(template_names("/a/{id}/b/{x}"), ["id", "x"]);
    }
}

//! A schema as the comparison sees it: one value, its references followed and its `allOf`
//! parts merged, whatever names and shapes the document gave it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::documents::{Documents, Node};

/// The schema keywords compared as values, in the order they are reported.
pub(crate) const KEYWORDS: &[&str] = &[
    "type",
    "format",
    "enum",
    "nullable",
    "deprecated",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
];

/// Keywords whose absence means `false`.
const FALSE_WHEN_ABSENT: &[&str] = &[
    "nullable",
    "deprecated",
    "uniqueItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
];

/// A schema as one value: its references followed and its `allOf` parts merged.
pub(crate) struct View<'d> {
    /// Every object merged into the view, the site's own first.
    pub chain: Vec<Node<'d>>,
    pub keywords: BTreeMap<&'static str, Value>,
    pub properties: Vec<(String, Node<'d>)>,
    pub required: BTreeSet<String>,
    pub items: Option<Node<'d>>,
    pub additional: Option<Node<'d>>,
    pub variants: Vec<Node<'d>>,
}

impl<'d> View<'d> {
    pub fn of(docs: &'d Documents, node: Node<'d>) -> Result<Self, String> {
        let mut view = View {
            chain: Vec::new(),
            keywords: BTreeMap::new(),
            properties: Vec::new(),
            required: BTreeSet::new(),
            items: None,
            additional: None,
            variants: Vec::new(),
        };
        view.merge(docs, node, 0)?;
        Ok(view)
    }

    fn merge(&mut self, docs: &'d Documents, node: Node<'d>, depth: usize) -> Result<(), String> {
        let chain = docs.resolve(node)?;
        let last = chain.last().expect("never empty").clone();
        self.chain.extend(chain);
        if !last.value.is_object() {
            return Ok(());
        }
        for keyword in KEYWORDS {
            if let Some(value) = last.value.get(keyword) {
                self.keywords
                    .entry(keyword)
                    .or_insert_with(|| value.clone());
            }
        }
        for (name, property) in last.members("properties") {
            if !self.properties.iter().any(|(known, _)| known == name) {
                self.properties.push((name.to_owned(), property));
            }
        }
        if let Some(required) = last.value.get("required").and_then(Value::as_array) {
            self.required
                .extend(required.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        self.items = self.items.take().or_else(|| last.get("items"));
        self.additional = self
            .additional
            .take()
            .or_else(|| last.get("additionalProperties"));
        if self.variants.is_empty() {
            self.variants = last.items("oneOf");
        }
        if self.variants.is_empty() {
            self.variants = last.items("anyOf");
        }
        if depth < 16 {
            for part in last.items("allOf") {
                self.merge(docs, part, depth + 1)?;
            }
        }
        Ok(())
    }

    /// The place a marker for this schema goes: its own object, or the definition a bare
    /// reference leads to.
    pub fn place(&self) -> &Node<'d> {
        self.chain
            .iter()
            .find(|n| !n.is_bare_ref())
            .unwrap_or_else(|| self.chain.last().expect("never empty"))
    }

    /// The value of `keyword` as compared: absent flags are `false`, enum values in a set's
    /// order, an object without `type` that has properties is an `object`.
    pub fn keyword(&self, keyword: &str) -> Value {
        match self.keywords.get(keyword) {
            Some(Value::Array(values)) if keyword == "enum" => {
                let mut values = values.clone();
                values.sort_by_key(Value::to_string);
                Value::Array(values)
            }
            Some(value) => value.clone(),
            None if FALSE_WHEN_ABSENT.contains(&keyword) => Value::Bool(false),
            None if keyword == "type" && !self.properties.is_empty() => "object".into(),
            None => Value::Null,
        }
    }

    /// `additionalProperties` as compared: `true` when absent (OpenAPI's default), or
    /// `"schema"` when it is one.
    pub fn additional(&self) -> Value {
        match &self.additional {
            None => Value::Bool(true),
            Some(node) if node.value.is_boolean() => node.value.clone(),
            Some(_) => "schema".into(),
        }
    }

    /// The last object of the chain: what the view is, for cycle detection.
    pub fn identity(&self) -> String {
        let last = self.chain.last().expect("never empty");
        format!("{}{}", last.file, last.pointer)
    }
}

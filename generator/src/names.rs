//! Every Rust name the generator emits is decided here, from the spec's name, once.
//!
//! heck does the case conversion; this module makes the result a legal, unsurprising Rust
//! identifier (keywords, leading digits, punctuation, non-ASCII) and resolves collisions
//! between spec names that convert to the same Rust name.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of Rust 2024, strict and reserved: usable only as raw identifiers (`r#type`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static",
    "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual",
    "where", "while", "yield", "extern",
];

/// Keywords that cannot be raw identifiers either: they get a trailing underscore.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self"];

/// Type names the generated code itself uses unqualified; a spec type may not shadow them.
const RESERVED_TYPES: &[&str] = &[
    "ApiErrorBody",
    "Box",
    "Client",
    "Error",
    "Map",
    "Option",
    "Result",
    "String",
    "Value",
    "Vec",
];

/// Keeps ASCII letters, digits and underscores of a heck-converted word.
fn ascii_only(converted: &str) -> String {
    converted
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// Spells a name in ASCII before case conversion: Latin letters lose their accents
/// (`größe` → `grosse`, `café` → `cafe`); any other character becomes its code
/// point (`名前` → `u540d u524d`), so that distinct names stay distinct and nothing vanishes.
fn transliterate(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let latin = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
            'æ' => "ae",
            'Æ' => "Ae",
            'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
            'Ç' | 'Ć' | 'Č' | 'Ĉ' | 'Ċ' => "C",
            'ď' | 'đ' | 'ð' => "d",
            'Ď' | 'Đ' | 'Ð' => "D",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
            'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
            'ğ' | 'ĝ' | 'ġ' | 'ģ' => "g",
            'Ğ' | 'Ĝ' | 'Ġ' | 'Ģ' => "G",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
            'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "I",
            'ł' | 'ľ' | 'ĺ' | 'ļ' => "l",
            'Ł' | 'Ľ' | 'Ĺ' | 'Ļ' => "L",
            'ñ' | 'ń' | 'ň' | 'ņ' => "n",
            'Ñ' | 'Ń' | 'Ň' | 'Ņ' => "N",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => "O",
            'œ' => "oe",
            'Œ' => "Oe",
            'ŕ' | 'ř' | 'ŗ' => "r",
            'Ŕ' | 'Ř' | 'Ŗ' => "R",
            'ś' | 'š' | 'ş' | 'ŝ' | 'ș' => "s",
            'Ś' | 'Š' | 'Ş' | 'Ŝ' | 'Ș' => "S",
            'ß' => "ss",
            'ť' | 'ţ' | 'ț' => "t",
            'Ť' | 'Ţ' | 'Ț' => "T",
            'þ' => "th",
            'Þ' => "Th",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
            'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
            'ý' | 'ÿ' | 'ŷ' => "y",
            'Ý' | 'Ÿ' | 'Ŷ' => "Y",
            'ź' | 'ż' | 'ž' => "z",
            'Ź' | 'Ż' | 'Ž' => "Z",
            _ => "",
        };
        if latin.is_empty() {
            out.push_str(&format!(" u{:x} ", c as u32));
        } else {
            out.push_str(latin);
        }
    }
    out
}

/// A snake_case identifier: a field, an argument or a method.
pub fn snake(raw: &str) -> String {
    let mut name = ascii_only(&transliterate(raw).to_snake_case());
    if name.trim_matches('_').is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    escape_keyword(name)
}

/// A name usable where raw identifiers are not (`format!` captures): `r#type` → `type_`.
pub fn plain(name: &str) -> String {
    match name.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => name.to_owned(),
    }
}

/// An UpperCamelCase identifier: a type or an enum variant.
pub fn camel(raw: &str) -> String {
    let mut name = ascii_only(&transliterate(raw).to_upper_camel_case());
    if name.is_empty() {
        name = "Value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    escape_keyword(name)
}

/// A type name: camel case that also stays clear of the names the generated code relies on.
pub fn type_name(raw: &str) -> String {
    let name = camel(raw);
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The names taken in one scope (a struct's fields, an enum's variants, the crate's types).
///
/// A second spec name that converts to a taken Rust name gets a numbered suffix, in document
/// order, so the result is stable; the caller reports the rename.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Reserves `name`, or `name2`, `name3`, … if it is taken. Returns the name reserved.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let (prefix, base) = match name.strip_prefix("r#") {
            Some(base) => ("", base.to_owned()),
            None => ("", name.trim_end_matches('_').to_owned()),
        };
        (2..)
            .map(|n| format!("{prefix}{base}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_handles_case_punctuation_and_keywords() {
        assert_eq!(snake("accountId"), "account_id");
        assert_eq!(snake("kebab-case"), "kebab_case");
        assert_eq!(snake("oAuthId"), "o_auth_id");
        assert_eq!(snake("_id"), "id");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("super"), "super_");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("$"), "value");
        assert_eq!(snake("naïve"), "naive");
        assert_eq!(snake("größe"), "grosse");
        assert_eq!(snake("名前"), "u540d_u524d");
    }

    #[test]
    fn plain_names_are_never_raw() {
        assert_eq!(plain("r#type"), "type_");
        assert_eq!(plain("self_"), "self_");
        assert_eq!(plain("location_id"), "location_id");
    }

    #[test]
    fn camel_handles_case_punctuation_and_keywords() {
        assert_eq!(camel("in_review"), "InReview");
        assert_eq!(camel("tiktok-business"), "TiktokBusiness");
        assert_eq!(camel("PUBLIC_TO_EVERYONE"), "PublicToEveryone");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(camel("404"), "V404");
        assert_eq!(camel("crème brûlée"), "CremeBrulee");
        assert_eq!(camel("Menü"), "Menu");
        assert_eq!(camel(""), "Value");
    }

    #[test]
    fn type_names_do_not_shadow_what_generated_code_uses() {
        assert_eq!(type_name("result"), "ResultType");
        assert_eq!(type_name("Account"), "Account");
    }

    #[test]
    fn scope_numbers_collisions_in_order() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim(snake("userId")), "user_id");
        assert_eq!(scope.claim(snake("user_id")), "user_id2");
        assert_eq!(scope.claim(snake("user-id")), "user_id3");
        assert_eq!(scope.claim(snake("type")), "r#type");
        assert_eq!(scope.claim(snake("Type")), "type2");
    }
}

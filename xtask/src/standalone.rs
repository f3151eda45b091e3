//! `cargo xtask generate --spec FILE --out DIR [--name CRATE] [--vendor-runtime]`: a crate of
//! its own for any OpenAPI 3.0 document.
//!
//! The crate holds what the generator writes (`src/generated/`) and depends on this
//! repository's runtime crate: by a path, or, with `--vendor-runtime`, on a copy of it inside
//! the crate: the files the runtime declares (`runtime/src/vendor.rs`), as they were when this
//! generator was built, so that the copy matches the code it writes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::files::read_spec;

/// What the runtime declares about itself for dependent crates: its files and TLS features.
/// `bench_build` reads the TLS features from here too.
#[path = "../../runtime/src/vendor.rs"]
#[macro_use]
#[allow(
    dead_code,
    reason = "`FILES` is the runtime's; xtask takes the same list through `with_files!`"
)]
pub(crate) mod runtime_vendor;

/// Where the runtime crate is, relative to the repository root.
const RUNTIME_DIR: &str = "runtime";
/// The runtime's files as this binary was built with them, so that a vendored runtime is
/// always the one the generated code was written for: a copy read from the tree when the
/// command runs could be newer than this generator. Cargo rebuilds xtask when one of them
/// changes. The list is the runtime's own (`with_files!` in `runtime/src/vendor.rs`).
macro_rules! embedded {
    ($($file:literal,)*) => {
        &[$(($file, include_str!(concat!("../../runtime/", $file))),)*]
    };
}
const EMBEDDED_RUNTIME: &[(&str, &str)] = with_files!(embedded);

/// Where a vendored runtime goes, relative to the generated crate.
const VENDORED_DIR: &str = "runtime";

/// What `generate` was asked for.
pub struct Request {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub name: Option<String>,
    /// Copy the runtime into the crate instead of depending on it by path.
    pub vendor_runtime: bool,
}

impl Request {
    /// Reads `--spec FILE --out DIR [--name CRATE] [--vendor-runtime]`.
    pub fn parse(args: &[String]) -> Result<Request, String> {
        let mut spec = None;
        let mut out = None;
        let mut name = None;
        let mut vendor_runtime = false;
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut value = || {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("`{flag}` needs a value"))
            };
            match flag.as_str() {
                "--spec" => spec = Some(PathBuf::from(value()?)),
                "--out" => out = Some(PathBuf::from(value()?)),
                "--name" => name = Some(value()?),
                "--vendor-runtime" => vendor_runtime = true,
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        Ok(Request {
            spec: spec.ok_or("`--spec FILE` is required")?,
            out: out.ok_or("`--out DIR` is required")?,
            name,
            vendor_runtime,
        })
    }
}

/// Everything the crate holds, path → text, before anything is written.
pub fn crate_files(
    root: &Path,
    request: &Request,
) -> Result<(BTreeMap<String, String>, generator::Generated), String> {
    let (source, text, loader) = read_spec(&request.spec)?;
    let generated = generator::generate_with(&source, &text, &loader).map_err(|e| e.to_string())?;
    let name = match &request.name {
        Some(name) => {
            check_crate_name(name)?;
            name.clone()
        }
        None => crate_name_from(&generated.title),
    };
    let runtime = root.join(RUNTIME_DIR);
    let mut files = BTreeMap::new();
    let runtime_path = if request.vendor_runtime {
        for (file, text) in EMBEDDED_RUNTIME {
            files.insert(format!("{VENDORED_DIR}/{file}"), (*text).to_owned());
        }
        VENDORED_DIR.to_owned()
    } else {
        relative_path(&request.out, &runtime)?
    };
    files.insert(
        "Cargo.toml".to_owned(),
        manifest(&name, &generated.title, &runtime_path),
    );
    files.insert(
        "src/lib.rs".to_owned(),
        root_module(&generated.title, &source),
    );
    for (path, text) in &generated.files {
        files.insert(path.clone(), text.clone());
    }
    Ok((files, generated))
}

/// The crate's root: its documentation, and everything the generated module exports.
fn root_module(title: &str, source: &str) -> String {
    format!(
        "//! A typed, async client for {title}, generated from `{source}` by `cargo xtask \
         generate`.\n//!\n//! The operations are methods of [`Client`]; the types are in \
         [`types`].\n\n#![deny(missing_docs)]\n\n// Formatted by the generator \
         (prettyplease), not rustfmt.\n#[rustfmt::skip]\nmod generated;\n\npub use \
         generated::*;\n"
    )
}

/// `Cargo.toml`: the package, the TLS features passed on to the runtime, and what the
/// generated code depends on.
fn manifest(name: &str, title: &str, runtime_path: &str) -> String {
    let description = format!("Typed async client for {title}, generated by cargo xtask generate.")
        .replace(['"', '\\'], "'");
    let runtime = generator::RUNTIME_PACKAGE;
    let features: String = runtime_vendor::TLS_FEATURES
        .iter()
        .chain(runtime_vendor::OTHER_FEATURES)
        .map(|feature| format!("{feature} = [\"{runtime}/{feature}\"]\n"))
        .collect();
    let dependencies: String = generator::DEPENDENCIES
        .iter()
        .map(|(name, requirement)| format!("{name} = {requirement}\n"))
        .collect();
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\
         rust-version = \"1.88\"\ndescription = \"{description}\"\npublish = false\n\n\
         # The TLS implementation, passed on to the runtime; one must be enabled.\n[features]\n\
         default = [\"{default}\"]\n{features}\n[dependencies]\n\
         {runtime} = {{ path = \"{runtime_path}\", default-features = false }}\n{dependencies}\n\
         # A crate of its own, not a member of any workspace around it.\n[workspace]\n",
        default = runtime_vendor::DEFAULT_TLS_FEATURE,
    )
}

/// `to` relative to the directory `from` (which need not exist yet), with `/` separators, as
/// Cargo wants a path dependency.
fn relative_path(from: &Path, to: &Path) -> Result<String, String> {
    let absolute = |path: &Path| {
        std::path::absolute(path)
            .map(|p| normalize(&p))
            .map_err(|e| format!("cannot resolve {}: {e}", path.display()))
    };
    let (from, to) = (absolute(from)?, absolute(to)?);
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        // Different roots (drives): only an absolute path reaches the runtime.
        return Ok(to.to_string_lossy().replace('\\', "/"));
    }
    let ups = from.components().count() - common;
    let mut parts: Vec<String> = vec!["..".to_owned(); ups];
    parts.extend(
        to.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Ok(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

/// `path` without `.` and `..` components (lexically: the runtime's path is not a symlink
/// puzzle).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A crate name from the spec's title: `HighLevel Social Planner API` → `highlevel-social-planner-api`.
pub fn crate_name_from(title: &str) -> String {
    let name: String = heck_kebab(title)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let name = name.trim_matches('-').to_owned();
    match name.chars().next() {
        None => "api-client".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("api-{name}"),
        Some(_) => name,
    }
}

fn heck_kebab(text: &str) -> String {
    let mut out = String::new();
    let mut last_dash = true;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            last_dash = false;
        } else if !last_dash {
            out.push('-');
            last_dash = true;
        }
    }
    out
}

fn check_crate_name(name: &str) -> Result<(), String> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a crate name: use ASCII letters, digits, `-` and `_`, starting with \
             a letter"
        ))
    }
}

/// Writes the crate into `out`: first into a fresh directory beside it, then moved into place,
/// so that `out` is either as it was or complete.
pub fn write(out: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let stem = out
        .file_name()
        .ok_or_else(|| format!("{} is not a directory name", out.display()))?
        .to_string_lossy()
        .into_owned();
    let staging = parent.join(format!(".{stem}.new-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let result = (|| {
        for (relative, text) in files {
            let path = staging.join(relative);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        let previous = parent.join(format!(".{stem}.old-{}", std::process::id()));
        if out.exists() {
            fs::rename(out, &previous)
                .map_err(|e| format!("cannot move {} aside: {e}", out.display()))?;
        }
        if let Err(e) = fs::rename(&staging, out) {
            let _ = fs::rename(&previous, out);
            return Err(format!("cannot move the crate into {}: {e}", out.display()));
        }
        let _ = fs::remove_dir_all(&previous);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_is_found_relative_to_the_crate() {
        let root = Path::new("/repo");
        assert_eq!(
            relative_path(
                &root.join("target/fixture-crates/enums"),
                &root.join("runtime")
            )
            .unwrap(),
            "../../../runtime"
        );
        assert_eq!(
            relative_path(
                Path::new("/repo/./out/../client"),
                Path::new("/repo/runtime")
            )
            .unwrap(),
            "../runtime"
        );
        assert_eq!(
            relative_path(Path::new("/a"), Path::new("/a")).unwrap(),
            "."
        );
    }

    #[test]
    fn the_manifest_passes_every_tls_feature_on() {
        let text = manifest("my-client", "My \"API\"", "../runtime");
        assert!(text.contains("default = [\"rustls-ring\"]"), "{text}");
        for feature in runtime_vendor::TLS_FEATURES {
            assert!(
                text.contains(&format!(
                    "{feature} = [\"openapi-client-runtime/{feature}\"]"
                )),
                "{text}"
            );
        }
        assert!(
            text.contains(
                "openapi-client-runtime = { path = \"../runtime\", default-features = false }"
            ),
            "{text}"
        );
        assert!(
            text.contains("description = \"Typed async client for My 'API'"),
            "{text}"
        );
    }

    #[test]
    fn crate_names_come_from_titles() {
        assert_eq!(
            crate_name_from("HighLevel Social Planner API"),
            "highlevel-social-planner-api"
        );
        assert_eq!(crate_name_from("  Pet-Store (v2) "), "pet-store-v2");
        assert_eq!(crate_name_from("2024 API"), "api-2024-api");
        assert_eq!(crate_name_from("Ünïcode"), "n-code");
        assert_eq!(crate_name_from("???"), "api-client");
        assert!(check_crate_name("my-client").is_ok());
        assert!(check_crate_name("9lives").is_err());
        assert!(check_crate_name("a b").is_err());
    }
}

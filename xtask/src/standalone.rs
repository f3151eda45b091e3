//! `cargo xtask generate --spec FILE --out DIR [--name CRATE]`: a crate of its own for any
//! OpenAPI 3.0 document.
//!
//! The crate is this repository's client, made for another spec: the same generator writes
//! `src/generated/`, and the hand-written runtime of `generated-client/src` is copied beside
//! it, with `generated-client`'s `[dependencies]`. So every improvement to the runtime reaches
//! generated crates, and the curated client is the proof that the design works.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::files::read_spec;

/// What `generate` was asked for.
pub struct Request {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub name: Option<String>,
}

impl Request {
    /// Reads `--spec FILE --out DIR [--name CRATE]`.
    pub fn parse(args: &[String]) -> Result<Request, String> {
        let mut spec = None;
        let mut out = None;
        let mut name = None;
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
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        Ok(Request {
            spec: spec.ok_or("`--spec FILE` is required")?,
            out: out.ok_or("`--out DIR` is required")?,
            name,
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
    let runtime = root.join("generated-client");
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        manifest(&runtime, &name, &generated.title)?,
    );
    for entry in
        fs::read_dir(runtime.join("src")).map_err(|e| format!("cannot read the runtime: {e}"))?
    {
        let entry = entry.map_err(|e| e.to_string())?;
        let file = entry.file_name().to_string_lossy().into_owned();
        if !file.ends_with(".rs") {
            continue;
        }
        let text =
            fs::read_to_string(entry.path()).map_err(|e| format!("cannot read {file}: {e}"))?;
        let text = if file == "lib.rs" {
            root_module(&text, &generated.title, &source)
        } else {
            text
        };
        files.insert(format!("src/{file}"), text);
    }
    for (path, text) in &generated.files {
        files.insert(path.clone(), text.clone());
    }
    Ok((files, generated))
}

/// The curated crate's root, with its own docs and README doctests replaced by the new
/// crate's: the module tree and the re-exports are the same.
fn root_module(curated: &str, title: &str, source: &str) -> String {
    let body: Vec<String> = curated
        .lines()
        .skip_while(|line| line.starts_with("//!"))
        .take_while(|line| !line.starts_with("/// The README's examples"))
        .map(|line| match line.strip_prefix("mod ") {
            // The runtime serves every spec; this one may not use all of it.
            Some(module) if module != "generated;" => format!(
                "#[allow(dead_code, reason = \"the runtime serves every spec; this one may use \
                 less of it\")]\n{line}"
            ),
            _ => line.to_owned(),
        })
        .collect();
    format!(
        "//! A typed, async client for {title}, generated from `{source}` by `cargo xtask \
         generate`.\n//!\n//! The operations are methods of [`Client`]; the types are in \
         [`types`].\n{}\n",
        body.join("\n").trim_end()
    )
}

/// `Cargo.toml`: the package, and `generated-client`'s dependencies.
fn manifest(runtime: &Path, name: &str, title: &str) -> Result<String, String> {
    let curated = fs::read_to_string(runtime.join("Cargo.toml"))
        .map_err(|e| format!("cannot read the runtime's Cargo.toml: {e}"))?;
    let section = |name: &str| -> String {
        let header = format!("[{name}]");
        curated
            .lines()
            .skip_while(|line| *line != header)
            .take_while(|line| !line.starts_with('[') || *line == header)
            .filter(|line| !line.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n")
    };
    // The runtime's own unit tests come along, with what they need.
    let dependencies = [section("dependencies"), section("dev-dependencies")];
    if dependencies[0].is_empty() {
        return Err("generated-client/Cargo.toml has no [dependencies] section".to_owned());
    }
    let description = format!("Typed async client for {title}, generated by cargo xtask generate.")
        .replace('"', "'");
    Ok(format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\
         rust-version = \"1.88\"\ndescription = \"{description}\"\npublish = false\n\n\
         {}\n\n# A crate of its own, not a member of any workspace around it.\n[workspace]\n",
        dependencies.join("\n\n").trim_end()
    ))
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

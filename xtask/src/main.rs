//! `cargo xtask regen`: regenerate the client from the spec.
//! `cargo xtask check`: fail, with a diff, when the checked-in client is not what the spec gives.
//! `cargo xtask test`: install the test tools when missing (Prism, with `npm ci`), then run
//! every test of the workspace.
//!
//! Both run the same function (`sync`), so what `check` accepts is exactly what `regen` writes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use similar::TextDiff;

/// The curated spec and the crate generated from it, relative to the repository root.
const SPEC: &str = "spec/social-planner.yaml";
const CLIENT: &str = "generated-client";

/// The Prism mock server the conformance tests start, installed by `npm ci`.
const PRISM: &str = "node_modules/.bin/prism";

const USAGE: &str = "usage: cargo xtask <regen|check|test [cargo test args]>

  regen   regenerate generated-client/src/generated/ from spec/social-planner.yaml
  check   exit non-zero, printing a diff, when those files are stale
  test    install Prism (npm ci) if it is missing, then `cargo test --workspace`";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("test") {
        return match test(&repo_root(), &args[1..]) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        };
    }
    let mode = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["regen"] => Mode::Regen,
        ["check"] => Mode::Check,
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match sync(&repo_root(), mode) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Regen,
    Check,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_owned()
}

/// Generates from the spec and either writes what changed (`Regen`) or reports it (`Check`).
fn sync(root: &Path, mode: Mode) -> Result<(), String> {
    let spec_path = root.join(SPEC);
    let text = fs::read_to_string(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    // Nothing is written unless generation succeeds as a whole.
    let generated =
        generator::generate(SPEC, &text).map_err(|e| format!("{e}\nNo file was changed."))?;
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }

    let client = root.join(CLIENT);
    let mut stale = Vec::new();
    for (relative, content) in &generated.files {
        let path = client.join(relative);
        let current = fs::read_to_string(&path).unwrap_or_default();
        if current != *content {
            stale.push((relative.clone(), Some(current), Some(content.as_str())));
        }
    }
    // Files in the generated directory that the generator no longer produces.
    let generated_dir = client.join(generator::GENERATED_DIR);
    if let Ok(entries) = fs::read_dir(&generated_dir) {
        let mut extra: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| {
                format!(
                    "{}/{}",
                    generator::GENERATED_DIR,
                    e.file_name().to_string_lossy()
                )
            })
            .filter(|relative| !generated.files.contains_key(relative))
            .collect();
        extra.sort();
        for relative in extra {
            let current = fs::read_to_string(client.join(&relative)).unwrap_or_default();
            stale.push((relative, Some(current), None));
        }
    }

    match mode {
        Mode::Check if stale.is_empty() => {
            println!(
                "check: {CLIENT} is up to date with {SPEC} ({} operations, {} types, {} files)",
                generated.operations,
                generated.types,
                generated.files.len()
            );
            Ok(())
        }
        Mode::Check => {
            for (relative, current, wanted) in &stale {
                let old = current.as_deref().unwrap_or_default();
                let new = wanted.unwrap_or_default();
                let diff = TextDiff::from_lines(old, new);
                let name = format!("{CLIENT}/{relative}");
                print!(
                    "{}",
                    diff.unified_diff().context_radius(3).header(&name, &name)
                );
            }
            Err(format!(
                "{} generated file(s) are not what {SPEC} gives (diff above: - checked in, + \
                 generated).\nRun `cargo xtask regen` and commit the result.",
                stale.len()
            ))
        }
        Mode::Regen => {
            for (relative, _, wanted) in &stale {
                let path = client.join(relative);
                match wanted {
                    Some(content) => write_atomically(&path, content)?,
                    None => fs::remove_file(&path)
                        .map_err(|e| format!("cannot remove {}: {e}", path.display()))?,
                }
            }
            println!(
                "regen: {} operations, {} types, {} files ({} changed)",
                generated.operations,
                generated.types,
                generated.files.len(),
                stale.len()
            );
            for (relative, _, wanted) in &stale {
                let verb = if wanted.is_some() { "wrote" } else { "removed" };
                println!("  {verb} {CLIENT}/{relative}");
            }
            Ok(())
        }
    }
}

/// Makes sure Prism is installed, then runs the workspace's tests with `extra` arguments.
fn test(root: &Path, extra: &[String]) -> Result<ExitCode, String> {
    if !root.join(PRISM).exists() {
        println!("test: {PRISM} is missing; installing it with `npm ci` (package-lock.json)");
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(root)
            .status()
            .map_err(|e| {
                format!("cannot run npm ({e}); install Node.js 20 and npm, then run `npm ci`")
            })?;
        if !status.success() {
            return Err(format!("`npm ci` failed ({status})"));
        }
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["test", "--workspace"])
        .args(extra)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Writes through a temporary file in the same directory and a rename, so that a reader (or
/// an interrupted run) never sees half a file.
fn write_atomically(path: &Path, content: &str) -> Result<(), String> {
    let dir = path.parent().expect("generated files live in a directory");
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let file_name = path.file_name().expect("a file path").to_string_lossy();
    let temporary = dir.join(format!(".{file_name}.tmp"));
    fs::write(&temporary, content)
        .map_err(|e| format!("cannot write {}: {e}", temporary.display()))?;
    fs::rename(&temporary, path).map_err(|e| {
        let _ = fs::remove_file(&temporary);
        format!("cannot move {} into place: {e}", path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch repository: a spec and a checked-in generated file.
    fn scratch(name: &str, spec: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("spec")).unwrap();
        fs::create_dir_all(root.join(CLIENT).join(generator::GENERATED_DIR)).unwrap();
        fs::write(root.join(SPEC), spec).unwrap();
        fs::write(
            root.join(CLIENT)
                .join(generator::GENERATED_DIR)
                .join("mod.rs"),
            "old\n",
        )
        .unwrap();
        root
    }

    const BROKEN: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n";

    const GOOD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: get-a\n      responses:\n        '204': {description: ok}\n";

    #[test]
    fn a_broken_spec_names_the_place_and_changes_nothing() {
        let root = scratch("broken", BROKEN);
        let err = sync(&root, Mode::Regen).unwrap_err();
        assert!(
            err.starts_with(
                "spec/social-planner.yaml#/paths/~1a~1{id}/get/responses/200/content/application~1json/schema: "
            ),
            "{err}"
        );
        assert!(err.contains("No file was changed"), "{err}");
        let kept = fs::read_to_string(
            root.join(CLIENT)
                .join(generator::GENERATED_DIR)
                .join("mod.rs"),
        );
        assert_eq!(kept.unwrap(), "old\n");
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn check_fails_on_stale_files_and_regen_fixes_them() {
        let root = scratch("stale", GOOD);
        let err = sync(&root, Mode::Check).unwrap_err();
        assert!(err.contains("cargo xtask regen"), "{err}");
        sync(&root, Mode::Regen).unwrap();
        sync(&root, Mode::Check).unwrap();
        let dir = root.join(CLIENT).join(generator::GENERATED_DIR);
        let mut names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["mod.rs", "operations.rs", "types.rs"],
            "no temporary file is left"
        );
        let _ = fs::remove_dir_all(&root);
    }
}

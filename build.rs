//! Records where the binary comes from, for `oncall --version` and for the
//! workflows `oncall init` writes:
//!
//! - `ONCALL_COMMIT`: the commit it was built from: `ONCALL_COMMIT` or
//!   `GITHUB_SHA` when set (the release workflow), else `git rev-parse HEAD`
//!   in the source tree, else the commit cargo recorded when it packaged
//!   the crate (`.cargo_vcs_info.json`), else `unknown`.
//! - `ONCALL_REPOSITORY`: the GitHub repository it was released from
//!   (`ONCALL_REPOSITORY` when set, as the release workflow and the action's
//!   source build do), else `repository` in Cargo.toml.
//! - `ONCALL_TARGET`: the target triple.

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn is_commit(s: &str) -> bool {
    (7..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&dir);
    for var in ["ONCALL_COMMIT", "GITHUB_SHA", "ONCALL_REPOSITORY"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    // Rebuild when HEAD moves: HEAD itself, the branch it points at, and
    // the packed refs. Only files that exist (cargo reruns the script on
    // every build for a missing one).
    let mut watch = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    watch.extend(git(dir, &["symbolic-ref", "-q", "HEAD"]));
    for file in watch {
        if let Some(p) = git(dir, &["rev-parse", "--git-path", &file]) {
            let p = dir.join(p);
            if p.exists() {
                println!("cargo:rerun-if-changed={}", p.display());
            }
        }
    }

    let from_env = ["ONCALL_COMMIT", "GITHUB_SHA"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|s| is_commit(s));
    let from_vcs_info = || {
        let text = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")).ok()?;
        let at = text.find("\"sha1\"")?;
        let rest = &text[at + 6..];
        let start = rest.find('"')? + 1;
        let end = start + rest[start..].find('"')?;
        Some(rest[start..end].to_owned()).filter(|s| is_commit(s))
    };
    let commit = from_env
        .or_else(|| git(dir, &["rev-parse", "HEAD"]).filter(|s| is_commit(s)))
        .or_else(from_vcs_info)
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=ONCALL_COMMIT={commit}");

    let repository = std::env::var("ONCALL_REPOSITORY")
        .ok()
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| {
            std::env::var("CARGO_PKG_REPOSITORY")
                .unwrap_or_default()
                .trim_start_matches("https://github.com/")
                .trim_end_matches('/')
                .to_owned()
        });
    println!("cargo:rustc-env=ONCALL_REPOSITORY={repository}");
    println!(
        "cargo:rustc-env=ONCALL_TARGET={}",
        std::env::var("TARGET").unwrap_or_default()
    );
}

//! The release workflow (.github/workflows/release.yml): what it may do
//! (least privilege: the jobs that build cannot write; pinned actions and
//! tools), that it builds exactly the archives the action downloads and
//! attests them where they are built, that it publishes only what the
//! tag's action/digests.txt lists, that it never moves a tag backwards,
//! and that its scripts run as written. tests/it/action/tag.rs runs the digests
//! job end to end, into the tag the action then verifies.
//!
//! This file holds the helpers the files beside it share: the workflow's
//! steps, a script run as the runner runs it, and a stand-in `gh`.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

mod build;
mod privileges;
mod publish;

const TARGETS: [&str; 3] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "aarch64-apple-darwin",
];

fn load(path: &str) -> Value {
    serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn release() -> Value {
    load(".github/workflows/release.yml")
}

fn steps(job: &str) -> Vec<Value> {
    release()["jobs"][job]["steps"].as_array().unwrap().clone()
}

fn step(job: &str, name: &str) -> Value {
    steps(job)
        .into_iter()
        .find(|s| s["name"] == name || s["id"] == name)
        .unwrap_or_else(|| panic!("no step {name} in {job}"))
}

fn run_step(job: &str, name: &str) -> (String, Value) {
    let s = step(job, name);
    (s["run"].as_str().unwrap().to_owned(), s["env"].clone())
}

fn env_keys(env: &Value) -> Vec<String> {
    env.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn bash(dir: &Path, script: &str, env: &[(&str, &str)]) -> Output {
    Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("RUNNER_TEMP", dir)
        .env("GITHUB_OUTPUT", dir.join("output.txt"))
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

/// A stand-in `gh` in DIR/fake-bin: `api` answers the matching-refs query
/// from DIR/refs (one `refs/tags/…` a line) and logs every other call to
/// DIR/gh.log.
fn fake_gh(dir: &Path, refs: &[&str]) -> String {
    let bin = dir.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(dir.join("refs"), refs.concat()).unwrap();
    std::fs::write(
        bin.join("gh"),
        format!(
            r#"#!/usr/bin/env bash
set -euo pipefail
dir='{}'
args="$*"
case "${{args}}" in
  *git/matching-refs/tags/*)
    prefix=${{args##*git/matching-refs/}}; prefix=${{prefix%% *}}
    grep "^refs/${{prefix}}" "$dir/refs" || true ;;
  *git/ref/tags/*)
    ref=${{args##*git/ref/}}; ref=${{ref%% *}}
    grep -qx "refs/${{ref}}" "$dir/refs" ;;
  *) echo "gh ${{args}}" >> "$dir/gh.log" ;;
esac
"#,
            dir.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(bin.join("gh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap())
}

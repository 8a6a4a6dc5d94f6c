//! Adoption: `oncall init` in an empty Git repository, and `oncall import
//! slack-first` of the Operate First bot's real config (a fixture: nothing
//! here contacts or requests reviews from the people in it; no test of
//! these files starts a network server or has a token).
//!
//! This file holds the helpers the files beside it (and adoption.rs)
//! share; `init` and `import` have the tests.

use crate::support;

use assert_cmd::Command;
use chrono::{Datelike, NaiveDate};
use std::path::Path;

mod import;
mod init;

/// Friday morning in Berlin: the next working day is Monday 2026-11-30.
pub(crate) const NOW: &str = "2026-11-27T08:00:00Z";
/// The bot's real config (a copy of the public file; real people: a fixture
/// only, never contacted).
pub(crate) const FIXTURE: &str = "tests/fixtures/slack-first/config.yaml";

/// The commit the fake GitHub's tag `vX.Y.Z` (this version) points at:
/// the commit `oncall init` pins the workflows to.
const TAG_COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

/// A fake GitHub that holds this version's release tag.
fn releases() -> &'static support::fake_github::FakeGitHub {
    static FAKE: std::sync::OnceLock<support::fake_github::FakeGitHub> = std::sync::OnceLock::new();
    FAKE.get_or_init(|| {
        let f = support::fake_github::FakeGitHub::start(&[]);
        f.with(|s| {
            s.refs.insert(
                format!("refs/tags/v{}", env!("CARGO_PKG_VERSION")),
                TAG_COMMIT.to_owned(),
            )
        });
        f
    })
}

pub(crate) fn oncall(dir: &Path, now: &str) -> Command {
    let mut c = Command::cargo_bin("oncall").unwrap();
    c.current_dir(dir)
        .env("GITHUB_API_URL", &releases().url)
        .env_remove("GITHUB_TOKEN")
        .env_remove("SLACK_WEBHOOK_URL")
        .env_remove("GITHUB_ACTIONS")
        .env("ONCALL_NOW", now)
        .env("TZ", "Europe/Berlin");
    c
}

pub(crate) fn git_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ok = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .unwrap()
        .success();
    assert!(ok);
    dir
}

/// Every file under `dir` (but .git), with its content.
pub(crate) fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.ends_with(".git") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    files.sort();
    files
}

// ---- import from the slack-first bot -------------------------------------

/// The fixture's list, in its order (read here independently of the
/// importer, with a plain YAML parse).
pub(crate) fn fixture_members() -> Vec<String> {
    let v: serde_json::Value =
        serde_saphyr::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    v["onCall"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["github"].as_str().unwrap().to_owned())
        .collect()
}

/// Whom the bot names on `d`: members[getDayOfYear(d) % n], day 1 being
/// 1 January.
pub(crate) fn bot_daily(members: &[String], d: NaiveDate) -> &str {
    &members[d.ordinal() as usize % members.len()]
}

pub(crate) fn import(dir: &Path, date: &str, extra: &[&str]) -> std::process::Output {
    oncall(dir, &format!("{date}T08:00:00Z"))
        .args(["import", "slack-first"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE))
        .args(["--timezone", "Europe/Berlin", "--team", "Imported SRE"])
        .args(extra)
        .output()
        .unwrap()
}

pub(crate) fn who(dir: &Path, date: NaiveDate) -> String {
    let out = oncall(dir, &format!("{date}T08:00:00Z"))
        .args(["who", &date.to_string()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

//! `oncall advance --pr` against the fake GitHub: the scenarios of a
//! handover pull request's life, request counts, faults and secrets.
//!
//! This file holds the fake repository and the run of the command the
//! files beside it share.

use crate::support;

use support::fake_github::FakeGitHub;
use support::repo::Repo;

mod days;
mod faults;
mod left_alone;
mod races;
mod with_slack;

const TEAM: &str = "team: PR team
timezone: Europe/Berlin
start: 2026-11-23
members:
  - { github: ana, name: Ana }
  - { github: ben, name: Ben }
  - { github: cai, name: Cai }
";

fn fake() -> FakeGitHub {
    let f = FakeGitHub::start(&[("rotation.yaml", TEAM), ("README.md", "# ops\n")]);
    f.with(|s| {
        s.users = vec![
            ("ana".into(), "U_ana".into()),
            ("ben".into(), "U_ben".into()),
            ("cai".into(), "U_cai".into()),
        ];
    });
    f
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    requests: usize,
}

/// Runs `oncall advance --pr --date DATE [args]` in an empty directory.
fn run(f: &FakeGitHub, date: &str, args: &[&str]) -> Run {
    let before = f.requests().len();
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    let out = repo
        .oncall()
        .args(["advance", "--pr", "--date", date])
        .args(args)
        .envs(f.env())
        .env("ONCALL_HTTP_TIMEOUT", "2")
        .output()
        .unwrap();
    let r = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        requests: f.requests().len() - before,
    };
    support::secrets::assert_no_secret(&r.stdout, "stdout", &[]);
    support::secrets::assert_no_secret(&r.stderr, "stderr", &[]);
    for req in &f.requests()[before..] {
        if let Some(doc) = &req.document {
            support::graphql::assert_valid(doc, &req.what);
        }
        assert_eq!(
            req.api_version.as_deref(),
            Some("2022-11-28"),
            "the API version is pinned"
        );
    }
    r
}

fn ok(r: &Run) {
    assert_eq!(
        r.code,
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        r.stdout,
        r.stderr
    );
}

fn branch_file(f: &FakeGitHub, path: &str) -> String {
    f.with(|s| s.file("oncall/handover", path))
        .unwrap_or_default()
}

const NOTES: &str = "Rebooted the flaky node; runbook updated.";

/// An engineer writes notes into the day's Topics on the bot branch.
fn write_notes(f: &FakeGitHub, date: &str) {
    let log = branch_file(f, "oncall-log.md");
    let marker = format!("## {date}");
    let at = log.find(&marker).expect("the day's section");
    let topics = log[at..].find("### Topics\n\n").unwrap() + at + "### Topics\n\n".len();
    let edited = format!("{}{NOTES}\n{}", &log[..topics], &log[topics..]);
    f.with(|s| {
        s.commit(
            "oncall/handover",
            &[("oncall-log.md", Some(&edited))],
            "Notes",
        )
    });
}

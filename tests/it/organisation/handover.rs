//! Each rotation's handover: it posts to the webhook its file names, and a
//! pull-request run reads the shared calendar from GitHub.

use super::{FIXTURE, NOW, Org, stderr, stdout};
use crate::support;
use std::path::Path;

/// Each rotation's webhook is in the variable its rotation.yaml names;
/// a missing one is named; every webhook variable is masked in Actions.
#[test]
fn each_rotation_posts_to_the_webhook_its_file_names() {
    let org = Org::new();
    let sre = support::fake_slack::FakeSlack::start();
    let other = support::fake_slack::FakeSlack::start();
    // SRE's variable unset: the run stops before writing, naming it.
    let out = org
        .cmd()
        .env("SLACK_WEBHOOK_URL", &other.url)
        .args(["--rotation", "sre", "advance", "--slack"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Slack: SLACK_WEBHOOK_SRE is not set"),
        "{}",
        stderr(&out)
    );
    assert!(
        !org.path("rotations/sre/oncall-log.md").exists(),
        "nothing written"
    );
    assert_eq!(other.requests(), 0, "not the default channel instead");
    // Set: posted there, and only there; in Actions, masked first.
    let out = org
        .cmd()
        .env("SLACK_WEBHOOK_URL", &other.url)
        .env("SLACK_WEBHOOK_SRE", &sre.url)
        .env("GITHUB_ACTIONS", "true")
        .args(["--rotation", "sre", "advance", "--slack"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sre.posts().len(), 1);
    assert_eq!(other.requests(), 0);
    let text = stdout(&out);
    assert!(
        text.contains(&format!("::add-mask::{}", sre.url)),
        "the rotation's webhook is masked: {text}"
    );
    let first_mask = text.find("::add-mask::").unwrap();
    assert_eq!(first_mask, 0, "masks come before anything else: {text}");
    // --webhook-env overrides the file (the action's explicit input).
    let out = org
        .cmd()
        .env("SLACK_WEBHOOK_URL", &other.url)
        .args([
            "--rotation",
            "platform",
            "advance",
            "--slack",
            "--webhook-env",
            "SLACK_WEBHOOK_URL",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(other.posts().len(), 1);
    // A name that is not a webhook's is refused with its position.
    org.edit("rotations/db/rotation.yaml", |t| {
        t.replace("SLACK_WEBHOOK_DB", "GITHUB_TOKEN")
    });
    let out = org.run(&["--rotation", "db", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("rotations/db/rotation.yaml:10:16: error: `slack.webhook_env` is \"GITHUB_TOKEN\", not the name of a webhook's variable"),
        "{}",
        stdout(&out)
    );
}

/// On GitHub (`advance --pr`, no checkout), the calendar is read at the
/// base commit: its holiday stops the handover there, and a calendar that
/// is not on the branch is reported at the include, on that branch.
#[test]
fn a_pull_request_run_reads_the_calendar_from_github() {
    use support::fake_github::FakeGitHub;
    let files: Vec<(String, String)> = ["calendars/berlin.yaml", "rotations/sre/rotation.yaml"]
        .iter()
        .map(|p| {
            (
                p.to_string(),
                std::fs::read_to_string(Path::new(FIXTURE).join(p)).unwrap(),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let empty = tempfile::tempdir().unwrap();
    let run = |f: &FakeGitHub, now: &str| {
        assert_cmd::Command::cargo_bin("oncall")
            .unwrap()
            .current_dir(empty.path())
            .args(["--rotation", "sre", "advance", "--pr"])
            .env("ONCALL_NOW", now)
            .envs(f.env())
            .env("ONCALL_HTTP_TIMEOUT", "2")
            .env_remove("GITHUB_ACTIONS")
            .output()
            .unwrap()
    };
    // Christmas Eve, a Thursday, is in the calendar only: read in the
    // same query as the rotation, no request of its own (issue 23).
    let f = FakeGitHub::start(&refs);
    let out = run(&f, "2026-12-24T08:00:00Z");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2026-12-24 is not a working day"),
        "{}",
        stdout(&out)
    );
    assert_eq!(f.with(|s| s.prs.len()), 0);
    let asked: Vec<String> = f.with(|s| s.requests.iter().map(|r| r.what.clone()).collect());
    assert_eq!(asked, ["query HandoverState"], "one request");
    // A first morning: the query, the branch with its commit and pull
    // request, then the label on it; the calendar costs nothing more.
    let f = FakeGitHub::start(&refs);
    let out = run(&f, NOW);
    assert!(out.status.success(), "{}", stderr(&out));
    let asked: Vec<String> = f.with(|s| s.requests.iter().map(|r| r.what.clone()).collect());
    assert_eq!(
        asked,
        [
            "query HandoverState",
            "mutation createBranch,commit,createPullRequest",
            "mutation addLabels"
        ]
    );
    // Without the calendar on the branch: the include's line, on main.
    let f = FakeGitHub::start(&refs[1..]);
    let out = run(&f, NOW);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("rotations/sre/rotation.yaml (on main):5:5: error: the calendar calendars/berlin.yaml cannot be read: the file does not exist"),
        "{}",
        stderr(&out)
    );
    assert_eq!(f.with(|s| s.prs.len()), 0);
}

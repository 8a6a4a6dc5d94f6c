//! The incoming webhook, end to end: one post and no second on a rerun,
//! Slack's errors, rate limits, faults and slow answers, a missing or
//! unreachable webhook, a dry run, a day off, masking in Actions, and a
//! broken roster told to the team.

use super::{TEAM, advance_slack, assert_no_secret, text};
use crate::support;
use predicates::prelude::*;
use std::time::Duration;
use support::fake_slack::{FakeSlack, Reply, SECRET_PATH};
use support::repo::Repo;

#[test]
fn posts_once_and_a_rerun_does_not_post_again() {
    let fake = FakeSlack::start();
    let repo = Repo::with(TEAM, None);
    let out = advance_slack(&repo, &fake, "2026-11-23");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(fake.posts().len(), 1);
    assert!(
        repo.read("oncall-log.md")
            .contains("<!-- oncall: announced in Slack -->")
    );
    let post = &fake.posts()[0];
    assert_eq!(
        post["text"],
        "Slack team: <@U0SLACK001> is on call today (2026-11-23)"
    );
    let out = advance_slack(&repo, &fake, "2026-11-23");
    assert!(out.status.success());
    assert!(text(&out).contains("announced already"));
    assert_eq!(fake.requests(), 1, "no second request");
    // The next day posts again, once.
    let out = advance_slack(&repo, &fake, "2026-11-24");
    assert!(out.status.success());
    assert_eq!(fake.posts().len(), 2);
    assert_eq!(
        repo.read("oncall-log.md")
            .matches("announced in Slack")
            .count(),
        2
    );
}

#[test]
fn each_slack_error_code_fails_with_a_hint_and_the_rerun_posts() {
    let cases = [
        (400, "invalid_payload", "report this"),
        (404, "channel_not_found", "create a new incoming webhook"),
        (410, "channel_is_archived", "unarchive"),
        (403, "action_prohibited", "admin"),
        (404, "no_service", "disabled or removed"),
        (403, "posting_to_general_channel_denied", "another channel"),
    ];
    for (status, code, hint) in cases {
        let fake = FakeSlack::start();
        fake.script([Reply::Error(status, code)]);
        let repo = Repo::with(TEAM, None);
        let out = advance_slack(&repo, &fake, "2026-11-23");
        assert_eq!(out.status.code(), Some(1), "{code}");
        let msg = text(&out);
        assert!(msg.contains(&format!("{code} (HTTP {status})")), "{msg}");
        assert!(msg.contains(hint), "{code}: {msg}");
        assert_eq!(fake.requests(), 1, "{code} is not retried");
        // The handover itself was made; the post was not recorded.
        assert!(repo.read("rotation.yaml").contains("since: 2026-11-23"));
        assert!(!repo.read("oncall-log.md").contains("announced in Slack"));
        let out = advance_slack(&repo, &fake, "2026-11-23");
        assert!(out.status.success(), "{}", text(&out));
        assert_eq!(fake.posts().len(), 1, "{code}: the rerun posts once");
        assert!(repo.read("oncall-log.md").contains("announced in Slack"));
    }
}

#[test]
fn rate_limit_waits_for_retry_after() {
    let fake = FakeSlack::start();
    fake.script([Reply::RateLimited(1)]);
    let repo = Repo::with(TEAM, None);
    let out = advance_slack(&repo, &fake, "2026-11-23");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(fake.requests(), 2);
    // The fake saw the retry come after the Retry-After it asked for.
    assert!(
        fake.gap(0, 1) >= Duration::from_secs(1),
        "waited for Retry-After"
    );
    assert_eq!(fake.posts().len(), 1);
}

#[test]
fn server_errors_and_dropped_connections_are_retried_three_times_at_most() {
    let fake = FakeSlack::start();
    fake.script([Reply::ServerError(503), Reply::Drop]);
    let repo = Repo::with(TEAM, None);
    let out = advance_slack(&repo, &fake, "2026-11-23");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(fake.requests(), 3);
    assert_eq!(fake.posts().len(), 1);

    let fake = FakeSlack::start();
    fake.script([
        Reply::ServerError(500),
        Reply::ServerError(502),
        Reply::ServerError(500),
    ]);
    let repo = Repo::with(TEAM, None);
    let out = advance_slack(&repo, &fake, "2026-11-23");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("http_error (HTTP 500)"),
        "{}",
        text(&out)
    );
    assert_eq!(fake.requests(), 3, "three tries in all");
    assert!(!repo.read("oncall-log.md").contains("announced in Slack"));
}

#[test]
fn a_slow_answer_times_out_and_is_not_blindly_resent() {
    let fake = FakeSlack::start();
    fake.script([Reply::Slow(Duration::from_secs(5))]);
    let repo = Repo::with(TEAM, None);
    let out = advance_slack(&repo, &fake, "2026-11-23");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("did not answer in time"),
        "{}",
        text(&out)
    );
    assert_eq!(fake.requests(), 1);
    // Slack probably posted: it is recorded, and a rerun does not post again.
    assert!(repo.read("oncall-log.md").contains("announced in Slack"));
    let out = advance_slack(&repo, &fake, "2026-11-23");
    assert!(out.status.success());
    assert_eq!(fake.requests(), 1, "at most one post");
}

#[test]
fn missing_or_bad_webhook_url_fails_before_anything_is_written() {
    let repo = Repo::with(TEAM, None);
    repo.oncall()
        .args(["advance", "--slack", "--date", "2026-11-23"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("SLACK_WEBHOOK_URL is not set"));
    repo.oncall()
        .args(["advance", "--slack", "--date", "2026-11-23"])
        .env("SLACK_WEBHOOK_URL", "hooks/s3cr3tW3bh00kT0k3nXYZ")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a URL"))
        .stderr(predicate::str::contains("s3cr3t").not());
    assert_eq!(repo.files(), (TEAM.to_owned(), String::new()));
}

#[test]
fn an_unreachable_webhook_fails_without_printing_the_url() {
    // A port nobody listens on: every try fails to connect.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let repo = Repo::with(TEAM, None);
    let out = repo
        .oncall()
        .args(["advance", "--slack", "--date", "2026-11-23"])
        .env(
            "SLACK_WEBHOOK_URL",
            format!("http://127.0.0.1:{port}{SECRET_PATH}"),
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("could not reach Slack"),
        "{}",
        text(&out)
    );
    assert_no_secret(&out);
}

#[test]
fn dry_run_prints_the_payload_and_sends_nothing() {
    let fake = FakeSlack::start();
    let repo = Repo::with(TEAM, None);
    let out = repo
        .oncall()
        .args(["advance", "--slack", "--dry-run", "--date", "2026-11-23"])
        .env("SLACK_WEBHOOK_URL", &fake.url)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(text(&out).contains("Slack payload (dry run, not sent)"));
    assert!(text(&out).contains("\"type\": \"header\""));
    assert_no_secret(&out);
    assert_eq!(fake.requests(), 0);
    assert_eq!(repo.files(), (TEAM.to_owned(), String::new()));
}

#[test]
fn a_non_working_day_posts_nothing() {
    let fake = FakeSlack::start();
    let repo = Repo::with(TEAM, None);
    let out = advance_slack(&repo, &fake, "2026-11-28");
    assert!(out.status.success());
    assert_eq!(fake.requests(), 0);
}

#[test]
fn in_github_actions_the_secrets_are_masked_first() {
    let fake = FakeSlack::start();
    let repo = Repo::with(TEAM, None);
    let out = repo
        .oncall()
        .args(["advance", "--slack", "--date", "2026-11-23"])
        .env("SLACK_WEBHOOK_URL", &fake.url)
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let first = stdout.lines().next().unwrap();
    assert_eq!(first, format!("::add-mask::{}", fake.url));
    assert!(stdout.contains(&format!("::add-mask::{SECRET_PATH}")));
    // Only the secret parts: masking the fixed `services` hid every later
    // "services" in the job's log.
    assert!(!stdout.contains("::add-mask::services\n"), "{stdout}");
    assert!(stdout.contains("::add-mask::s3cr3tW3bh00kT0k3nXYZ"));
}

#[test]
fn a_broken_roster_tells_the_team_instead_of_failing_silently() {
    // Previously: exit 2 in an Actions log nobody reads, and no message.
    let fake = FakeSlack::start();
    let broken = TEAM.replace(
        "timezone: Europe/Berlin",
        "timezone: \"<!channel> Europe/Berln\"",
    ) + "overrides:\n  - { date: 2026-12-14, github: zed }\n";
    let repo = Repo::with(&broken, None);
    let summary = repo.path("summary.md");
    let out = repo
        .oncall()
        .args(["advance", "--slack"])
        .env("SLACK_WEBHOOK_URL", &fake.url)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_no_secret(&out);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    // Nothing is written.
    assert_eq!(repo.read("rotation.yaml"), broken);
    assert_eq!(repo.read("oncall-log.md"), "");
    // One message: the handover did not happen, how many problems, the first.
    let posts = fake.posts();
    assert_eq!(posts.len(), 1);
    let body = posts[0].to_string();
    assert!(body.contains("did not happen"), "{body}");
    assert!(body.contains("rotation.yaml has 2 problems"), "{body}");
    assert!(
        body.contains("rotation.yaml:2:11: error: unknown time zone"),
        "{body}"
    );
    assert!(!body.contains("<!channel>"), "escaped for Slack: {body}");
    assert!(body.contains("&lt;!channel&gt;"), "{body}");
    // Annotations for each problem, and the step summary.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error file=rotation.yaml,line=2,col=11"),
        "{stdout}"
    );
    assert!(
        stdout.contains("::error file=rotation.yaml,line=9,col=33"),
        "{stdout}"
    );
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("## No on-call handover today"),
        "{summary}"
    );
    assert!(summary.contains("has 2 problems"), "{summary}");
    // Without --slack, nothing is posted; a dry run posts nothing either.
    for args in [vec!["advance"], vec!["advance", "--slack", "--dry-run"]] {
        let out = repo
            .oncall()
            .args(&args)
            .env("SLACK_WEBHOOK_URL", &fake.url)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
    }
    assert_eq!(fake.posts().len(), 1);
}

//! `advance --pr --slack`: Slack is told once, after the pull request and
//! with its link; a failed post leaves the pull request and the rerun
//! posts; a broken rotation tells Slack and writes nothing.

use super::*;
use support::fake_slack::{FakeSlack, Reply};

fn run_both(f: &FakeGitHub, slack: &FakeSlack, date: &str) -> Run {
    let before = f.requests().len();
    let repo = Repo::with("", None);
    let out = repo
        .oncall()
        .args(["advance", "--pr", "--slack", "--date", date])
        .envs(f.env())
        .env("SLACK_WEBHOOK_URL", &slack.url)
        .env("ONCALL_HTTP_TIMEOUT", "2")
        .output()
        .unwrap();
    let r = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        requests: f.requests().len() - before,
    };
    for text in [&r.stdout, &r.stderr] {
        support::secrets::assert_no_secret(text, "output", &[]);
    }
    r
}

#[test]
fn a_broken_rotation_on_the_base_tells_slack_and_writes_nothing() {
    let f = FakeGitHub::start(&[(
        "rotation.yaml",
        "team: x\ntimezone: Mars/Base\nstart: 2026-11-23\nmembers:\n  - github: ana\n",
    )]);
    let slack = FakeSlack::start();
    let r = run_both(&f, &slack, "2026-11-23");
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let posts = slack.posts();
    assert_eq!(
        posts.len(),
        1,
        "one message that the handover did not happen"
    );
    let text = posts[0].to_string();
    assert!(text.contains("did not happen"), "{text}");
    assert!(
        text.contains("rotation.yaml (on main):2:11: error: unknown time zone"),
        "{text}"
    );
    assert_eq!(
        f.with(|s| s.head("oncall/handover")),
        None,
        "nothing written"
    );
    // In Actions, the annotation names the file's path in the repository.
    let out = Repo::with("", None)
        .oncall()
        .args(["advance", "--pr", "--date", "2026-11-23"])
        .envs(f.env())
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error file=rotation.yaml,line=2,col=11,"),
        "{stdout}"
    );
}

#[test]
fn slack_is_told_after_the_pr_with_its_link_once() {
    let f = fake();
    let slack = FakeSlack::start();
    let r = run_both(&f, &slack, "2026-11-23");
    ok(&r);
    assert_eq!(
        r.requests, 5,
        "3 for the PR, 1 to claim the post, 1 to record it"
    );
    let posts = slack.posts();
    assert_eq!(posts.len(), 1);
    let text = posts[0].to_string();
    assert!(
        text.contains("<https://github.com/acme/ops/pull/1|Handover pull request>"),
        "{text}"
    );
    assert!(text.contains("oncall-log.md#L"), "{text}");
    let pr = &f.with(|s| s.open_prs())[0];
    assert!(
        pr.body
            .contains("<!-- oncall: announced in Slack 2026-11-23 -->")
    );
    // A rerun: nothing on GitHub, nothing in Slack.
    let r = run_both(&f, &slack, "2026-11-23");
    ok(&r);
    assert_eq!(r.requests, 1);
    assert!(r.stdout.contains("announced already"));
    assert_eq!(slack.requests(), 1);
    // The next day posts again, once.
    ok(&run_both(&f, &slack, "2026-11-24"));
    assert_eq!(slack.posts().len(), 2);
}

#[test]
fn when_slack_fails_the_pr_stays_and_the_rerun_posts() {
    let f = fake();
    let slack = FakeSlack::start();
    slack.script([Reply::Error(404, "channel_not_found")]);
    let r = run_both(&f, &slack, "2026-11-23");
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("channel_not_found"), "{}", r.stderr);
    assert_eq!(f.with(|s| s.open_prs().len()), 1, "the PR is in place");
    assert!(!f.with(|s| s.open_prs()[0].body.contains("announced in Slack")));
    let r = run_both(&f, &slack, "2026-11-23");
    ok(&r);
    assert_eq!(slack.posts().len(), 1);
    assert_eq!(r.requests, 3, "read, claim, record the post");
}

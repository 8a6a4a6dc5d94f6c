//! R13, takeover (issue 24): Bob is handed Monday; at 11:02 Dave takes
//! over by an override for that day. The next run applies it: the day's
//! section keeps its handover and gains a note, the state names Dave,
//! Slack hears it once however often the run repeats, the user group,
//! `who`, the schedule, the page, the feed and `stats` follow; `check`
//! explains it beforehand; an override of an earlier day changes nothing
//! and `check` says so. Locally; the pull-request backend does not apply
//! takeovers yet (README, "Take over today").

use crate::support;

use support::fake_slack::FakeSlack;
use support::fake_slack_api::{BOT_TOKEN, FakeSlackApi};
use support::repo::Repo;

const TEAM: &str = "team: Ops team
timezone: Europe/Berlin
start: 2026-11-30
slack:
  usergroup: S0FAKEGROUP1
members:
  - { github: demo-bob, name: Bob Example, slack: U0BBBBBBB2 }
  - { github: demo-dave, name: Dave Example, slack: U0DDDDDDD4 }
  - { github: demo-erin, name: Erin Example }
";
const OVERRIDE: &str =
    "overrides:\n  - { date: 2026-11-30, github: demo-dave, reason: Bob is sick }\n";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(repo: &Repo, now: &str, args: &[&str], slack: &FakeSlack, api: &FakeSlackApi) -> Run {
    let out = repo
        .oncall()
        .env("ONCALL_NOW", now)
        .env("SLACK_WEBHOOK_URL", &slack.url)
        .env("SLACK_API_URL", &api.url)
        .env("SLACK_BOT_TOKEN", BOT_TOKEN)
        .env("ONCALL_HTTP_TIMEOUT", "3")
        .args(args)
        .output()
        .unwrap();
    let r = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    for text in [&r.stdout, &r.stderr] {
        assert!(!text.contains(&slack.url), "the webhook URL was printed");
        assert!(!text.contains(BOT_TOKEN), "the token was printed");
    }
    r
}

/// Monday handed over to Bob at 08:00, then Dave's override for Monday.
fn handed_over_then_overridden() -> (Repo, FakeSlack, FakeSlackApi) {
    let repo = Repo::with(TEAM, None);
    let (slack, api) = (FakeSlack::start(), FakeSlackApi::start());
    let r = run(
        &repo,
        "2026-11-30T07:00:00Z",
        &["advance", "--slack"],
        &slack,
        &api,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(slack.posts().len(), 1, "the handover");
    let text = repo.read("rotation.yaml") + OVERRIDE;
    std::fs::write(repo.path("rotation.yaml"), text).unwrap();
    (repo, slack, api)
}

#[test]
fn r13_a_takeover_is_applied_and_announced_once_and_everything_follows_it() {
    let (repo, slack, api) = handed_over_then_overridden();
    // `check` explains it before the run.
    let r = run(&repo, "2026-11-30T09:30:00Z", &["check"], &slack, &api);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains("rotation.yaml:28:13: warning: takes over 2026-11-30, a day handed over already, from `demo-bob`, on call now: the next handover run (`oncall advance`, with or without `--pr`) applies it"),
        "{}",
        r.stdout
    );
    // The run at 11:02 in Berlin applies it.
    let log_before = repo.read("oncall-log.md");
    let r = run(
        &repo,
        "2026-11-30T10:02:00Z",
        &["advance", "--slack"],
        &slack,
        &api,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains("Takeover on 2026-11-30: Dave Example (@demo-dave) takes over from Bob Example (@demo-bob) for the rest of the day: Bob is sick."),
        "{}",
        r.stdout
    );
    let log = repo.read("oncall-log.md");
    // One section: the handover stays, a note is added (who, from whom,
    // when, why), and the Slack marker of the takeover.
    assert!(
        log.starts_with(&log_before),
        "the section keeps its handover"
    );
    assert_eq!(log.matches("\n## 2026-11-30").count(), 1);
    assert!(log.contains("> **Takeover:** Dave Example (`@demo-dave`) takes over from Bob Example (`@demo-bob`) at 11:02. Reason: Bob is sick.\n"), "{log}");
    assert!(log.contains("<!-- oncall: takeover 1 by demo-dave announced in Slack -->"));
    assert!(
        repo.read("rotation.yaml")
            .contains("  on_call: demo-dave\n")
    );
    // Slack: one takeover message, mentioning Dave, naming Bob.
    let posts = slack.posts();
    assert_eq!(posts.len(), 2, "{posts:?}");
    let text = posts[1].to_string();
    assert!(
        text.contains("<@U0DDDDDDD4> takes over from *Bob Example*"),
        "{text}"
    );
    assert_eq!(posts[1]["blocks"][1]["text"]["verbatim"], true);
    assert!(
        !text.contains("U0BBBBBBB2"),
        "Bob is named, not mentioned: {text}"
    );
    support::validators::slack_payloads(&[
        serde_json::json!({ "what": "takeover", "payload": posts[1] }),
    ])
    .unwrap();
    // The user group follows.
    assert_eq!(api.calls().last().unwrap()["users"], "U0DDDDDDD4");

    // Exactly once, however often the run repeats.
    for now in ["2026-11-30T10:05:00Z", "2026-11-30T15:00:00Z"] {
        let r = run(&repo, now, &["advance", "--slack"], &slack, &api);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert!(
            r.stdout.contains("The takeover is recorded"),
            "{}",
            r.stdout
        );
    }
    assert_eq!(slack.posts().len(), 2);
    assert_eq!(repo.read("oncall-log.md"), log);

    // `who`, the schedule, the feed and stats name Dave for Monday.
    let now = "2026-11-30T15:00:00Z";
    let who = run(&repo, now, &["who"], &slack, &api).stdout;
    assert!(who.starts_with("2026-11-30: Dave Example (@demo-dave) [override for Bob Example (@demo-bob): Bob is sick]"), "{who}");
    let json = run(
        &repo,
        now,
        &["schedule", "--days", "1", "--format", "json"],
        &slack,
        &api,
    )
    .stdout;
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["github"], "demo-dave");
    assert_eq!(rows[0]["why"], "override");
    assert_eq!(rows[0]["replaces"], "demo-bob");
    let feed = run(
        &repo,
        now,
        &["schedule", "--days", "1", "--format", "ics"],
        &slack,
        &api,
    )
    .stdout;
    let read = support::validators::ics(&feed).unwrap();
    assert_eq!(
        read["events"][0]["summary"],
        "On call: Dave Example (Ops team)"
    );
    let site = tempfile::tempdir().unwrap();
    let r = run(
        &repo,
        now,
        &["site", "--out", site.path().to_str().unwrap()],
        &slack,
        &api,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let page = std::fs::read_to_string(site.path().join("index.html")).unwrap();
    assert!(
        page.contains(
            "<strong>Dave Example <span class=\"login\">@demo-dave</span></strong> is on call"
        ),
        "{page}"
    );
    // Stats: the day is Dave's, by override; the rotation does not change
    // (Dave keeps Tuesday, his own day).
    let stats = run(
        &repo,
        now,
        &["stats", "--format", "json", "--until", "2026-12-01"],
        &slack,
        &api,
    )
    .stdout;
    let stats: serde_json::Value = serde_json::from_str(&stats).unwrap();
    let member = |g: &str| {
        stats["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["github"] == g)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (
            member("demo-dave")["served"].as_u64(),
            member("demo-dave")["overrides"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(member("demo-bob")["served"].as_u64(), Some(0));
    assert_eq!(
        member("demo-dave")["scheduled"].as_u64(),
        Some(1),
        "Tuesday is still Dave's"
    );
}

#[test]
fn r13_a_run_stopped_between_the_note_and_the_state_is_completed_without_a_second_note() {
    let (repo, slack, api) = handed_over_then_overridden();
    let r = run(&repo, "2026-11-30T10:02:00Z", &["advance"], &slack, &api);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let log = repo.read("oncall-log.md");
    // As if the run had stopped after the log: the state still names Bob.
    let rotation = repo
        .read("rotation.yaml")
        .replace("  on_call: demo-dave\n", "  on_call: demo-bob\n");
    std::fs::write(repo.path("rotation.yaml"), &rotation).unwrap();
    let r = run(
        &repo,
        "2026-11-30T10:30:00Z",
        &["advance", "--slack"],
        &slack,
        &api,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        repo.read("rotation.yaml")
            .contains("  on_call: demo-dave\n")
    );
    let after = repo.read("oncall-log.md");
    assert_eq!(after.matches("**Takeover:**").count(), 1, "{after}");
    assert!(after.starts_with(&log));
    assert_eq!(slack.posts().len(), 2, "the takeover, once");
}

#[test]
fn r13_an_override_of_an_earlier_day_changes_nothing_and_check_says_so() {
    let (repo, slack, api) = handed_over_then_overridden();
    // Tuesday is handed over; Monday's override came too late.
    let r = run(&repo, "2026-12-01T07:00:00Z", &["advance"], &slack, &api);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(!r.stdout.contains("Takeover"), "{}", r.stdout);
    assert!(!repo.read("oncall-log.md").contains("**Takeover:**"));
    let r = run(&repo, "2026-12-01T09:00:00Z", &["check"], &slack, &api);
    assert!(
        r.stdout.contains("warning: the override for 2026-11-30 is for a day handed over already: it changes nothing (the log says `demo-bob` was on call that day)"),
        "{}",
        r.stdout
    );
    let who = run(
        &repo,
        "2026-12-01T09:00:00Z",
        &["who", "2026-11-30"],
        &slack,
        &api,
    )
    .stdout;
    assert!(
        who.starts_with("2026-11-30: Bob Example (@demo-bob)"),
        "{who}"
    );
}

/// The day's own override, planned before the handover, is no takeover.
#[test]
fn r13_an_override_made_before_the_handover_is_not_a_takeover() {
    let repo = Repo::with(&format!("{TEAM}{OVERRIDE}"), None);
    let (slack, api) = (FakeSlack::start(), FakeSlackApi::start());
    let r = run(
        &repo,
        "2026-11-30T07:00:00Z",
        &["advance", "--slack"],
        &slack,
        &api,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = run(
        &repo,
        "2026-11-30T10:00:00Z",
        &["advance", "--slack"],
        &slack,
        &api,
    );
    assert!(!r.stdout.contains("Takeover"), "{}", r.stdout);
    let r = run(&repo, "2026-11-30T10:00:00Z", &["check"], &slack, &api);
    assert!(!r.stdout.contains("takes over"), "{}", r.stdout);
    assert_eq!(slack.posts().len(), 1);
}

/// A team, a member and a reason that read like Slack's own markup: the
/// takeover message shows them as text, pinging nobody.
#[test]
fn r13_the_takeover_message_escapes_what_the_file_says() {
    let team = TEAM
        .replace("team: Ops team", "team: \"Ops <!channel> team\"")
        .replace(
            "name: Dave Example, slack: U0DDDDDDD4",
            "name: \"Dave <!here> *x*\"",
        );
    let repo = Repo::with(&team, None);
    let (slack, api) = (FakeSlack::start(), FakeSlackApi::start());
    let r = run(
        &repo,
        "2026-11-30T07:00:00Z",
        &["advance", "--slack"],
        &slack,
        &api,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let text = repo.read("rotation.yaml")
        + "overrides:\n  - { date: 2026-11-30, github: demo-dave, reason: \"<!everyone> <https://evil|docs>\" }\n";
    std::fs::write(repo.path("rotation.yaml"), text).unwrap();
    let r = run(
        &repo,
        "2026-11-30T10:02:00Z",
        &["advance", "--slack"],
        &slack,
        &api,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let post = slack.posts()[1].clone();
    // The header is plain text, shown as written (Slack parses no markup
    // there); the fallback and the section are mrkdwn.
    let all = format!("{} {}", post["text"], post["blocks"][1]["text"]["text"]);
    for raw in [
        "<!channel>",
        "<!here>",
        "<!everyone>",
        "<https://evil|docs>",
    ] {
        assert!(!all.contains(raw), "{raw} reached Slack as markup: {all}");
    }
    support::validators::slack_payloads(&[
        serde_json::json!({ "what": "takeover", "payload": post }),
    ])
    .unwrap();
}

/// `oncall cover LOGIN --reason …`: the override for today, written for a
/// roster change; on a day handed over already, a takeover the next run
/// applies. Its refusals name what to do, and write nothing.
#[test]
fn r13_cover_writes_the_takeover_that_the_next_run_applies() {
    let repo = Repo::with(TEAM, None);
    let (slack, api) = (FakeSlack::start(), FakeSlackApi::start());
    let now = "2026-11-30T09:30:00Z";
    let r = run(&repo, "2026-11-30T07:00:00Z", &["advance"], &slack, &api);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let before = repo.read("rotation.yaml");
    for (args, says) in [
        (
            &["cover", "demo-dvae", "--reason", "x"][..],
            "`demo-dvae` is not a member: did you mean `demo-dave`?",
        ),
        (
            &["cover", "demo-bob", "--reason", "x"][..],
            "`demo-bob` is on call on 2026-11-30 already: there is nothing to cover",
        ),
        (
            &[
                "cover",
                "demo-dave",
                "--date",
                "2026-11-27",
                "--reason",
                "x",
            ][..],
            "2026-11-27 is before today (2026-11-30): the log is the record of past days",
        ),
        (
            &[
                "cover",
                "demo-dave",
                "--date",
                "2026-12-05",
                "--reason",
                "x",
            ][..],
            "2026-12-05 (Saturday) is not a working day",
        ),
    ] {
        let r = run(&repo, now, args, &slack, &api);
        assert_eq!(r.code, Some(2), "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert_eq!(repo.read("rotation.yaml"), before, "nothing written");
    }
    let r = run(
        &repo,
        now,
        &["cover", "demo-dave", "--reason", "Bob is sick"],
        &slack,
        &api,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("@demo-dave covers 2026-11-30 (Mon) for @demo-bob: an override added to"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("this is a takeover (R13)"),
        "{}",
        r.stdout
    );
    assert!(
        repo.read("rotation.yaml")
            .contains("- { date: 2026-11-30, github: demo-dave, reason: \"Bob is sick\" }"),
        "{}",
        repo.read("rotation.yaml")
    );
    // A second cover of the day says how to change the override.
    let r = run(
        &repo,
        now,
        &["cover", "demo-erin", "--reason", "x"],
        &slack,
        &api,
    );
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("change that override's `github` to `demo-erin`"),
        "{}",
        r.stderr
    );
    let r = run(
        &repo,
        "2026-11-30T10:02:00Z",
        &["advance", "--slack"],
        &slack,
        &api,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("Takeover on 2026-11-30: Dave Example (@demo-dave) takes over from Bob Example (@demo-bob)"), "{}", r.stdout);
    assert_eq!(
        slack.posts().len(),
        2,
        "the handover's post was due too, then the takeover's"
    );
    // Today, before its handover: it may be on an open pull request.
    let fresh = Repo::with(TEAM, None);
    let r = run(
        &fresh,
        "2026-11-30T06:00:00Z",
        &["cover", "demo-dave", "--reason", "sick"],
        &slack,
        &api,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains("If today's handover pull request is open (not merged yet), the next handover run once this is on the default branch applies it as a takeover (R13)"),
        "{}",
        r.stdout
    );
    // A day ahead: a plain override, which its handover applies.
    let r = run(
        &repo,
        now,
        &[
            "cover",
            "demo-bob",
            "--date",
            "2026-12-01",
            "--reason",
            "trade",
        ],
        &slack,
        &api,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "The handover of 2026-12-01 puts @demo-bob on call in place of @demo-dave (R6)"
        ),
        "{}",
        r.stdout
    );
}

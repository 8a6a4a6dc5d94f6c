//! R13, takeover, with `advance --pr` (issue 24): Bob is handed Monday by
//! the handover pull request; at 11:02 the lead merges Dave's override for
//! Monday. The daily workflow's next run (`--takeover-only`, as on a push
//! of the roster) applies it on the handover branch: the day's section
//! keeps its handover and gains the note, the state names Dave, the pull
//! request says so and asks Bob and Dave, Slack hears it once however
//! often the run repeats (a claim and a marker in the pull request), the
//! user group follows. The same files as a local run. Also when the
//! handover pull request was merged before the takeover: a pull request
//! of its own, and the handover is not announced again.

mod once;

use crate::support;

use support::fake_github::FakeGitHub;
use support::fake_slack::{FakeSlack, Reply};
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

const MORNING: &str = "2026-11-30T07:00:00Z";
/// 11:02 in Berlin.
const TAKEOVER_AT: &str = "2026-11-30T10:02:00Z";

struct Fakes {
    github: FakeGitHub,
    slack: FakeSlack,
    api: FakeSlackApi,
}

struct Run {
    ok: bool,
    text: String,
    requests: usize,
}

fn start() -> Fakes {
    let github = FakeGitHub::start(&[("rotation.yaml", TEAM), ("oncall-log.md", "")]);
    github.with(|s| {
        s.users = ["bob", "dave", "erin"]
            .iter()
            .map(|m| (format!("demo-{m}"), format!("U_{m}")))
            .collect();
    });
    Fakes {
        github,
        slack: FakeSlack::start(),
        api: FakeSlackApi::start(),
    }
}

/// `oncall advance --pr --slack ARGS` at `now`, from a checkout without
/// the files (they are read from GitHub); every GraphQL document it sends
/// is checked against GitHub's schema.
fn pr_run(f: &Fakes, now: &str, args: &[&str]) -> Run {
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    let before = f.github.requests().len();
    let out = repo
        .oncall()
        .args(["advance", "--pr", "--slack"])
        .args(args)
        .env("ONCALL_NOW", now)
        .envs(f.github.env())
        .env("SLACK_WEBHOOK_URL", &f.slack.url)
        .env("SLACK_API_URL", &f.api.url)
        .env("SLACK_BOT_TOKEN", BOT_TOKEN)
        .env("ONCALL_HTTP_TIMEOUT", "2")
        .output()
        .unwrap();
    let requests = f.github.requests();
    for req in &requests[before..] {
        if let Some(doc) = &req.document {
            support::graphql::assert_valid(doc, &req.what);
        }
    }
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!text.contains(&f.slack.url), "the webhook URL was printed");
    assert!(!text.contains(BOT_TOKEN), "the token was printed");
    Run {
        ok: out.status.success(),
        text,
        requests: requests.len() - before,
    }
}

fn ok(f: &Fakes, now: &str, args: &[&str]) -> Run {
    let r = pr_run(f, now, args);
    assert!(r.ok, "{}", r.text);
    r
}

/// The lead merges Dave's override for Monday into main.
fn merge_override(f: &Fakes) {
    f.github.with(|s| {
        let text = s.file("main", "rotation.yaml").unwrap() + OVERRIDE;
        s.commit(
            "main",
            &[("rotation.yaml", Some(&text))],
            "Dave takes over Monday",
        );
    });
}

/// A file without oncall's Slack markers (a local run records its posts in
/// the log; `--pr` in the pull request's body).
fn without_markers(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("<!-- oncall:") || !l.contains("announced in Slack"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The same takeover, run locally: rotation.yaml and the log.
fn local_takeover() -> (String, String) {
    let repo = Repo::with(TEAM, None);
    let run = |now: &str| {
        let out = repo
            .oncall()
            .env("ONCALL_NOW", now)
            .arg("advance")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(MORNING);
    let text = repo.read("rotation.yaml") + OVERRIDE;
    std::fs::write(repo.path("rotation.yaml"), text).unwrap();
    run(TAKEOVER_AT);
    (repo.read("rotation.yaml"), repo.read("oncall-log.md"))
}

#[test]
fn r13_with_pr_a_takeover_of_the_day_on_the_handover_branch_is_announced_once() {
    let f = start();
    let r = ok(&f, MORNING, &[]);
    assert!(
        r.text.contains("On-call 2026-11-30: demo-bob"),
        "{}",
        r.text
    );
    assert_eq!(f.slack.posts().len(), 1, "the handover");
    let handover_head = f.github.with(|s| s.head("oncall/handover")).unwrap();

    // Before the override: a `--takeover-only` run (the one a push of the
    // roster starts) has nothing to do and makes one request.
    let r = ok(&f, "2026-11-30T09:00:00Z", &["--takeover-only"]);
    assert!(r.text.contains("no takeover to apply"), "{}", r.text);
    assert_eq!(r.requests, 1, "{}", r.text);
    assert_eq!(
        f.github.with(|s| s.head("oncall/handover")),
        Some(handover_head.clone())
    );

    merge_override(&f);
    // The takeover's message fails once: the claim is given back, and the
    // rerun posts it.
    f.slack.script([Reply::Error(404, "channel_not_found")]);
    let r = pr_run(&f, TAKEOVER_AT, &["--takeover-only"]);
    assert!(!r.ok, "a failed post fails the run: {}", r.text);
    assert!(
        r.text.contains("Takeover on 2026-11-30: Dave Example (@demo-dave) takes over from Bob Example (@demo-bob) for the rest of the day: Bob is sick."),
        "{}",
        r.text
    );
    let r = ok(&f, TAKEOVER_AT, &["--takeover-only"]);
    assert!(
        r.text.contains("Slack: posted the takeover of 2026-11-30."),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains("Slack: 2026-11-30 was announced already; not posting again."),
        "the handover is not posted again: {}",
        r.text
    );
    let posts = f.slack.posts();
    assert_eq!(posts.len(), 2, "the handover, then the takeover: {posts:?}");
    let text = posts[1].to_string();
    assert!(
        text.contains("<@U0DDDDDDD4> takes over from *Bob Example*"),
        "{text}"
    );
    assert!(!text.contains("U0BBBBBBB2"), "Bob is named, not mentioned");
    support::validators::slack_payloads(&[
        serde_json::json!({ "what": "takeover with --pr", "payload": posts[1] }),
    ])
    .unwrap();
    assert_eq!(f.api.calls().last().unwrap()["users"], "U0DDDDDDD4");

    // The branch: rebuilt on the base with the override, the section keeps
    // its handover and gains the note; the same files as a local run.
    let branch = f.github.with(|s| s.files("oncall/handover"));
    let (local_rotation, local_log) = local_takeover();
    // The same state (the override sits before the block on the branch,
    // whose base had none, and after it locally).
    let state = |text: &str| -> String {
        let block = &text[text.find("\nstate:\n").unwrap()..];
        block
            .split("\noverrides:")
            .next()
            .unwrap()
            .trim_end()
            .to_owned()
    };
    assert_eq!(state(&branch["rotation.yaml"]), state(&local_rotation));
    assert!(branch["rotation.yaml"].contains(OVERRIDE));
    assert_eq!(branch["oncall-log.md"], without_markers(&local_log));
    let log = &branch["oncall-log.md"];
    assert_eq!(log.matches("\n## 2026-11-30").count(), 1, "{log}");
    assert!(
        log.contains("On call: **Bob Example (`@demo-bob`)**"),
        "{log}"
    );
    assert!(log.contains("> **Takeover:** Dave Example (`@demo-dave`) takes over from Bob Example (`@demo-bob`) at 11:02. Reason: Bob is sick.\n"), "{log}");

    // The pull request says it, asks Bob and Dave, and records both posts.
    let pr = &f.github.with(|s| s.open_prs())[0];
    assert_eq!(
        pr.title,
        "On-call 2026-11-30: demo-dave takes over from demo-bob"
    );
    assert!(
        pr.body.contains("> **Takeover:** Dave Example (`@demo-dave`) takes over from Bob Example (`@demo-bob`) for the rest of the day. Reason: Bob is sick."),
        "{}",
        pr.body
    );
    assert!(
        pr.body
            .contains("<!-- oncall: announced in Slack 2026-11-30 -->")
    );
    assert!(
        pr.body
            .contains("<!-- oncall: announced in Slack 2026-11-30 takeover 1 by demo-dave -->")
    );
    for who in ["demo-bob", "demo-dave"] {
        assert!(pr.reviewers.iter().any(|r| r == who), "{:?}", pr.reviewers);
    }
    // Its one link: today's section of the log on the branch.
    let at = pr
        .body
        .find("/blob/oncall/handover/oncall-log.md#L")
        .unwrap();
    let link = &pr.body[pr.body[..at].rfind("http").unwrap()..at];
    support::validators::github_markdown(&[
        serde_json::json!({ "what": "takeover PR body", "text": pr.body, "links": [link] }),
        serde_json::json!({ "what": "takeover PR title", "text": pr.title, "plain": true }),
    ])
    .unwrap();

    // However often the run repeats (the push's run, the next manual run,
    // a plain run): nothing is written, nothing posted again.
    let head = f.github.with(|s| s.head("oncall/handover"));
    for (now, args) in [
        ("2026-11-30T10:05:00Z", &["--takeover-only"][..]),
        ("2026-11-30T15:00:00Z", &[][..]),
    ] {
        let r = ok(&f, now, args);
        assert_eq!(r.requests, 1, "{}", r.text);
        assert_eq!(f.github.with(|s| s.head("oncall/handover")), head);
    }
    assert_eq!(f.slack.posts().len(), 2);

    // The override removed again on main: the takeover stays (the log is
    // the record), as a local run keeps it; nothing is announced.
    f.github.with(|s| {
        let text = s
            .file("main", "rotation.yaml")
            .unwrap()
            .replace(OVERRIDE, "");
        s.commit("main", &[("rotation.yaml", Some(&text))], "no override");
    });
    ok(&f, "2026-11-30T16:00:00Z", &[]);
    let branch = f.github.with(|s| s.files("oncall/handover"));
    assert!(!branch["rotation.yaml"].contains(OVERRIDE));
    assert_eq!(state(&branch["rotation.yaml"]), state(&local_rotation));
    assert_eq!(branch["oncall-log.md"].matches("**Takeover:**").count(), 1);
    assert_eq!(
        f.github.with(|s| s.open_prs())[0].title,
        "On-call 2026-11-30: demo-dave takes over from demo-bob"
    );
    assert_eq!(f.slack.posts().len(), 2);
    assert_eq!(f.api.calls().last().unwrap()["users"], "U0DDDDDDD4");

    // Merged: Monday reads as Dave's, and Tuesday is handed over as planned
    // (the rotation underneath did not change, R6).
    f.github.with(|s| s.merge(1));
    let main = f.github.with(|s| s.files("main"));
    let repo = Repo::with(&main["rotation.yaml"], Some(&main["oncall-log.md"]));
    let who = repo
        .oncall()
        .env("ONCALL_NOW", "2026-11-30T16:00:00Z")
        .args(["who", "2026-11-30"])
        .output()
        .unwrap();
    let who = String::from_utf8_lossy(&who.stdout).into_owned();
    assert!(
        who.starts_with("2026-11-30: Dave Example (@demo-dave) [override for Bob Example (@demo-bob): Bob is sick]"),
        "{who}"
    );
    let r = ok(&f, "2026-12-01T07:00:00Z", &[]);
    assert!(
        r.text.contains("On-call 2026-12-01: demo-dave → demo-dave"),
        "{}",
        r.text
    );
    assert_eq!(f.slack.posts().len(), 3);
}

#[test]
fn r13_with_pr_a_takeover_after_the_handover_was_merged_opens_its_own_pull_request() {
    let f = start();
    ok(&f, MORNING, &[]);
    f.github.with(|s| s.merge(1));
    merge_override(&f);
    let r = ok(&f, TAKEOVER_AT, &[]);
    assert!(
        r.text.contains("Slack: posted the takeover of 2026-11-30."),
        "{}",
        r.text
    );
    let posts = f.slack.posts();
    assert_eq!(
        posts.len(),
        2,
        "the handover is not posted again: {posts:?}"
    );
    assert!(
        posts[1]
            .to_string()
            .contains("takes over from *Bob Example*")
    );
    let prs = f.github.with(|s| s.open_prs());
    assert_eq!(prs.len(), 1);
    assert_eq!(
        prs[0].title,
        "On-call 2026-11-30: demo-dave takes over from demo-bob"
    );
    let main = f.github.with(|s| s.files("main"));
    let branch = f.github.with(|s| s.files("oncall/handover"));
    assert!(
        branch["oncall-log.md"].starts_with(&main["oncall-log.md"]),
        "only the note is added"
    );
    assert_eq!(branch["oncall-log.md"].matches("**Takeover:**").count(), 1);
    assert!(branch["rotation.yaml"].contains("  on_call: demo-dave\n"));

    // A rerun later in the day keeps the note as it is (its time is the
    // run that applied it) and posts nothing.
    let head = f.github.with(|s| s.head("oncall/handover"));
    let r = ok(&f, "2026-11-30T14:00:00Z", &[]);
    assert_eq!(r.requests, 1, "{}", r.text);
    assert_eq!(f.github.with(|s| s.head("oncall/handover")), head);
    assert_eq!(f.slack.posts().len(), 2);

    // Merged too: nothing left to do that day.
    let number = prs[0].number;
    // (Before that, in a copy: the next day's handover, with the takeover's
    // pull request still open, is by Dave, who had Monday last, and keeps
    // Monday's note.)
    let g = start();
    ok(&g, MORNING, &[]);
    g.github.with(|s| s.merge(1));
    merge_override(&g);
    ok(&g, TAKEOVER_AT, &[]);
    let r = ok(&g, "2026-12-01T07:00:00Z", &[]);
    assert!(
        r.text.contains("On-call 2026-12-01: demo-dave → demo-dave"),
        "{}",
        r.text
    );
    let log = g
        .github
        .with(|s| s.file("oncall/handover", "oncall-log.md").unwrap());
    assert_eq!(log.matches("> **Takeover:**").count(), 1, "{log}");
    assert!(log.contains("handed over by Dave Example"), "{log}");
    f.github.with(|s| s.merge(number));
    let r = ok(&f, "2026-11-30T15:00:00Z", &[]);
    assert!(r.text.contains("handed over already"), "{}", r.text);
    assert_eq!(f.slack.posts().len(), 2);
}

/// Three takeovers in a day, the last back to Dave (Dave, Erin, Dave):
/// each is announced once, with `--pr` and locally alike; the next day's
/// handover is by the member who had the day last.
#[test]
fn r13_a_takeover_back_to_an_earlier_member_is_announced_too() {
    let with_override = |text: &str, login: &str| -> String {
        let (head, _) = text.split_once("overrides:\n").unwrap_or((text, ""));
        let kept: String = text
            .strip_prefix(head)
            .unwrap_or("")
            .lines()
            .skip(2)
            .map(|l| format!("{l}\n"))
            .collect();
        format!(
            "{head}overrides:\n  - {{ date: 2026-11-30, github: {login}, reason: swap back }}\n{kept}"
        )
    };
    // With --pr.
    let f = start();
    ok(&f, MORNING, &[]);
    for (i, (login, at)) in [
        ("demo-dave", "2026-11-30T10:00:00Z"),
        ("demo-erin", "2026-11-30T11:00:00Z"),
        ("demo-dave", "2026-11-30T12:00:00Z"),
    ]
    .into_iter()
    .enumerate()
    {
        f.github.with(|s| {
            let text = with_override(&s.file("main", "rotation.yaml").unwrap(), login);
            s.commit("main", &[("rotation.yaml", Some(&text))], "takeover");
        });
        let r = ok(&f, at, &["--takeover-only"]);
        assert!(
            r.text.contains("Slack: posted the takeover of 2026-11-30."),
            "{}",
            r.text
        );
        assert_eq!(f.slack.posts().len(), 2 + i);
        // A rerun: nothing again.
        ok(&f, at, &["--takeover-only"]);
        assert_eq!(f.slack.posts().len(), 2 + i);
    }
    let log = f
        .github
        .with(|s| s.file("oncall/handover", "oncall-log.md").unwrap());
    assert_eq!(log.matches("> **Takeover:**").count(), 3, "{log}");
    // Locally.
    let repo = Repo::with(TEAM, None);
    let slack = FakeSlack::start();
    let run = |now: &str| {
        let out = repo
            .oncall()
            .env("ONCALL_NOW", now)
            .env("SLACK_WEBHOOK_URL", &slack.url)
            .args(["advance", "--slack"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(MORNING);
    for login in ["demo-dave", "demo-erin", "demo-dave"] {
        let text = with_override(&repo.read("rotation.yaml"), login);
        std::fs::write(repo.path("rotation.yaml"), text).unwrap();
        run("2026-11-30T12:00:00Z");
        run("2026-11-30T12:00:00Z");
    }
    assert_eq!(slack.posts().len(), 4, "the handover and three takeovers");
    assert!(
        repo.read("rotation.yaml")
            .contains("  on_call: demo-dave\n")
    );
    // The override removed: the day stays Dave's, nothing is posted.
    let entry = "overrides:\n  - { date: 2026-11-30, github: demo-dave, reason: swap back }\n";
    let text = repo.read("rotation.yaml");
    assert!(text.contains(entry), "{text}");
    std::fs::write(repo.path("rotation.yaml"), text.replace(entry, "")).unwrap();
    let log = repo.read("oncall-log.md");
    run("2026-11-30T15:00:00Z");
    assert!(
        repo.read("rotation.yaml")
            .contains("  on_call: demo-dave\n")
    );
    assert_eq!(repo.read("oncall-log.md"), log);
    assert_eq!(slack.posts().len(), 4);
}

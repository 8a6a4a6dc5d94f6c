//! Open threads and runbook debt, carried until closed: a fixture log with
//! task-list items under two days' Topics (tests/fixtures/topics), against
//! a hand count, in every place a handover shows them, and gone once
//! ticked on the base branch.
//!
//! Hand count of the fixture, as of Monday 2027-01-25 (the last handover
//! was Friday 2027-01-22):
//! - 2027-01-05 (`@demo-b`): `- [ ] waiting for the storage team on the
//!   quota request` (open thread), `- [x] answered … GH-42` (closed),
//!   `- [ ] runbook: restore etcd from backup` (runbook debt);
//! - 2027-01-11 (`@demo-c`): an item in a code block and one in an HTML
//!   comment (neither counts), `* [ ] ask <b>Bob</b> about the *DNS* flake`
//!   (open thread), `- [x] runbook: rotate certs https://…` (paid),
//!   `  - [ ] runbook: node drain (nested)` (runbook debt).
//!
//! So: 2 open threads, 2 runbooks to write, 1 written.

use crate::support;

use serde_json::{Value, json};
use support::fake_github::FakeGitHub;
use support::fake_slack::FakeSlack;
use support::repo::Repo;

const NOW: &str = "2027-01-25T08:00:00Z";
const THREADS: [(&str, &str, &str); 2] = [
    (
        "2027-01-05",
        "demo-b",
        "waiting for the storage team on the quota request",
    ),
    (
        "2027-01-11",
        "demo-c",
        "ask <b>Bob</b> about the *DNS* flake",
    ),
];
const DEBT: [(&str, &str, &str); 2] = [
    ("2027-01-05", "demo-b", "runbook: restore etcd from backup"),
    ("2027-01-11", "demo-c", "runbook: node drain (nested)"),
];

fn text(path: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/topics/{path}")).unwrap()
}

fn fixture() -> Repo {
    Repo::with(&text("rotation.yaml"), Some(&text("oncall-log.md")))
}

fn run(repo: &Repo, args: &[&str]) -> String {
    let out = repo
        .oncall()
        .env("ONCALL_NOW", NOW)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn items(v: &Value) -> Vec<(String, String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["date"].as_str().unwrap().to_owned(),
                t["by"].as_str().unwrap().to_owned(),
                t["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn expected(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|(d, b, t)| (d.to_string(), b.to_string(), t.to_string()))
        .collect()
}

/// The block a handover shows for the hand count: as written (issue 22,
/// bug 5: the engineers' Markdown is carried byte for byte), oldest first.
const BLOCK: &str = "### Open from earlier days

Each is ticked in its own day's section when it is done.

**Open threads (2)**

- 2027-01-05 (`@demo-b`): waiting for the storage team on the quota request
- 2027-01-11 (`@demo-c`): ask <b>Bob</b> about the *DNS* flake

**Runbook debt (2)**

- 2027-01-05 (`@demo-b`): restore etcd from backup
- 2027-01-11 (`@demo-c`): node drain (nested)
";

#[test]
fn open_and_runbooks_list_what_the_hand_count_says() {
    let repo = fixture();
    let open: Value = serde_json::from_str(&run(&repo, &["open", "--format", "json"])).unwrap();
    assert_eq!(items(&open["open_threads"]), expected(&THREADS));
    assert_eq!(open["open_threads"][0]["age_days"], 20);
    let rb: Value = serde_json::from_str(&run(&repo, &["runbooks", "--format", "json"])).unwrap();
    assert_eq!(items(&rb["open"]), expected(&DEBT));
    assert_eq!(
        items(&rb["paid"]),
        expected(&[(
            "2027-01-11",
            "demo-c",
            "runbook: rotate certs https://example.org/certs.md"
        )])
    );
    let text = run(&repo, &["open"]);
    assert!(text.starts_with("Open threads (2), oldest first:\n  2027-01-05    20 d  @demo-b  waiting for the storage team"), "{text}");
    let md = run(&repo, &["runbooks", "--format", "markdown"]);
    assert!(md.contains("**Runbooks still to write (2)**"), "{md}");
    support::validators::github_markdown(&[
        json!({ "what": "runbooks", "text": md, "links": ["https://example.org/certs.md"] }),
    ])
    .unwrap();
}

#[test]
fn the_next_log_section_and_the_slack_message_carry_them() {
    let repo = fixture();
    run(&repo, &["advance"]);
    let log = repo.read("oncall-log.md");
    let section = &log[log.find("## 2027-01-25").unwrap()..];
    assert!(section.contains(BLOCK), "{section}");
    // The engineers' text is never rewritten: the earlier sections are as
    // they were.
    assert!(log.starts_with(&text("oncall-log.md")));

    // Slack: the counts and the three oldest of each (here, all two).
    let repo = fixture();
    let out = run(&repo, &["advance", "--slack", "--dry-run"]);
    let json_start = out.find('{').unwrap();
    let json_end = out.rfind('}').unwrap();
    let payload: Value = serde_json::from_str(&out[json_start..=json_end]).unwrap();
    let all = payload.to_string();
    assert!(all.contains("*Open threads: 2*\\n• 2027-01-05 (demo-b): waiting for the storage team on the quota request\\n• 2027-01-11 (demo-c): ask &lt;b&gt;Bob&lt;/b&gt; about the *DNS* flake"), "{all}");
    assert!(
        all.contains("*Runbook debt: 2*\\n• 2027-01-05 (demo-b): restore etcd from backup"),
        "{all}"
    );
    support::validators::slack_payloads(&[json!({ "what": "open items", "payload": payload })])
        .unwrap();
}

/// Ticked in its own section, an item is no longer carried.
#[test]
fn a_ticked_item_is_no_longer_carried() {
    let repo = fixture();
    let log = repo.read("oncall-log.md").replace(
        "- [ ] waiting for the storage team",
        "- [x] waiting for the storage team",
    );
    std::fs::write(repo.path("oncall-log.md"), log).unwrap();
    let open: Value = serde_json::from_str(&run(&repo, &["open", "--format", "json"])).unwrap();
    assert_eq!(items(&open["open_threads"]), expected(&THREADS[1..]));
    run(&repo, &["advance"]);
    let log = repo.read("oncall-log.md");
    let section = &log[log.find("## 2027-01-25").unwrap()..];
    assert!(section.contains("**Open threads (1)**"), "{section}");
    assert!(!section.contains("storage team"), "{section}");
}

fn pr_run(f: &FakeGitHub, slack: &FakeSlack, date: &str) {
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    let out = repo
        .oncall()
        .args(["advance", "--pr", "--slack", "--date", date])
        .env("ONCALL_NOW", format!("{date}T08:00:00Z"))
        .envs(f.env())
        .env("SLACK_WEBHOOK_URL", &slack.url)
        .env("ONCALL_HTTP_TIMEOUT", "2")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// With `--pr`: the pull request's body, the new section on the branch and
/// the Slack post carry them; ticked on the base branch, the next day's
/// handover no longer does.
#[test]
fn the_pull_request_carries_them_until_ticked_on_the_base() {
    let f = FakeGitHub::start(&[
        ("rotation.yaml", &text("rotation.yaml")),
        ("oncall-log.md", &text("oncall-log.md")),
    ]);
    f.with(|s| {
        s.users = ["demo-a", "demo-b", "demo-c", "demo-d", "demo-e"]
            .iter()
            .map(|l| (l.to_string(), format!("U_{l}")))
            .collect()
    });
    let slack = FakeSlack::start();
    pr_run(&f, &slack, "2027-01-25");
    let body = f.with(|s| s.open_prs()[0].body.clone());
    assert!(body.contains(BLOCK), "{body}");
    let branch_log = f
        .with(|s| s.file("oncall/handover", "oncall-log.md"))
        .unwrap();
    assert!(branch_log[branch_log.find("## 2027-01-25").unwrap()..].contains(BLOCK));
    assert!(slack.posts()[0].to_string().contains("*Open threads: 2*"));

    // Someone ticks the storage thread in its section on main.
    let main_log = f
        .with(|s| s.file("main", "oncall-log.md"))
        .unwrap()
        .replace(
            "- [ ] waiting for the storage team",
            "- [x] waiting for the storage team",
        );
    f.with(|s| {
        s.commit(
            "main",
            &[("oncall-log.md", Some(&main_log))],
            "Storage answered",
        )
    });
    pr_run(&f, &slack, "2027-01-26");
    let body = f.with(|s| s.open_prs()[0].body.clone());
    assert!(body.contains("**Open threads (1)**"), "{body}");
    assert!(!body.contains("storage team"), "{body}");
    let branch_log = f
        .with(|s| s.file("oncall/handover", "oncall-log.md"))
        .unwrap();
    let new = &branch_log[branch_log.find("## 2027-01-26").unwrap()..];
    assert!(
        new.contains("**Open threads (1)**") && !new.contains("storage team"),
        "{new}"
    );
    assert!(slack.posts()[1].to_string().contains("*Open threads: 1*"));
}

/// The engineers' text goes to GitHub with its mentions and references in
/// code spans (their links carried as written, issue 22) and to Slack
/// escaped: no mention, no reference, no Slack broadcast forms from it.
#[test]
fn hostile_items_are_inert_everywhere_they_are_carried() {
    let repo = fixture();
    let hostile = "ping @octocat and @org/team about owner/repo#42, #7, GH-9 <!channel> <https://evil|docs> www.evil.example";
    let log = repo.read("oncall-log.md").replace(
        "* [ ] ask <b>Bob</b>",
        &format!("- [ ] {hostile}\n* [ ] ask <b>Bob</b>"),
    );
    std::fs::write(repo.path("oncall-log.md"), log).unwrap();
    let out = run(&repo, &["advance", "--slack", "--dry-run"]);
    let payload: Value =
        serde_json::from_str(&out[out.find('{').unwrap()..=out.rfind('}').unwrap()]).unwrap();
    let all = payload.to_string();
    assert!(all.contains("&lt;!channel&gt;"), "{all}");
    assert!(
        !all.contains("<!channel>") && !all.contains("<https://evil"),
        "{all}"
    );
    support::validators::slack_payloads(&[json!({ "what": "hostile item", "payload": payload })])
        .unwrap();
    run(&repo, &["advance"]);
    let log = repo.read("oncall-log.md");
    let section = log[log.find("## 2027-01-25").unwrap()..].to_owned();
    assert!(section.contains("**Open threads (3)**"), "{section}");
    assert!(
        section.contains("ping `@octocat` and `@org/team` about `owner/repo#42`, `#7`, `GH-9`"),
        "{section}"
    );
    let md = run(&repo, &["open", "--format", "markdown"]);
    // The item's own links, as written, are the only ones.
    let links = ["https://evil%7Cdocs", "http://www.evil.example"];
    support::validators::github_markdown(&[
        json!({ "what": "carried in the log section", "text": section, "links": links }),
        json!({ "what": "oncall open --format markdown", "text": md, "links": links }),
    ])
    .unwrap();
}

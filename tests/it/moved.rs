//! `oncall preview --base DIR --slack`: tells the people whose days moved
//! (issue 24, item 3), against the fake Slack (payloads validated with
//! slack_sdk) and, with `--once-for COMMIT`, the fake GitHub (the claim
//! that makes a rerun post nothing; requests counted).

use crate::support;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;
use support::fake_github::FakeGitHub;
use support::fake_slack::{FakeSlack, Reply};
use support::repo::Repo;
use support::validators;

/// Monday 2027-03-01 (`Repo`'s fixed now); Ana and Cai have Slack IDs,
/// Ben's name holds what must not become a mention or a link.
const TEAM: &str = "team: Moved team\ntimezone: Europe/Berlin\nstart: 2027-03-01\nmembers:\n  - { github: ana, name: Ana, slack: U0MOVED001 }\n  - { github: ben, name: \"Ben <!here> & co\" }\n  - { github: cai, slack: U0MOVED003 }\n  - { github: dan, name: Dan }\n";

/// The working tree (`repo`) and the base tree (a copy of the files before
/// the change).
struct Change {
    repo: Repo,
    base: tempfile::TempDir,
}

impl Change {
    fn of(rotation: &str) -> Change {
        let repo = Repo::with(rotation, None);
        let base = tempfile::tempdir().unwrap();
        std::fs::write(base.path().join("rotation.yaml"), rotation).unwrap();
        Change { repo, base }
    }
    fn base(&self) -> String {
        self.base.path().display().to_string()
    }
    /// `oncall preview --base BASE --slack` and `extra`, with the fake's
    /// webhook (and the fake GitHub's environment, when given).
    fn tell(&self, slack: &FakeSlack, github: Option<&FakeGitHub>, extra: &[&str]) -> Output {
        let mut cmd = self.repo.oncall();
        cmd.args(["preview", "--base", &self.base(), "--slack"])
            .args(extra)
            .env("SLACK_WEBHOOK_URL", &slack.url)
            .env("ONCALL_HTTP_TIMEOUT", "2");
        if let Some(g) = github {
            cmd.envs(g.env());
        }
        let out = cmd.output().unwrap();
        support::secrets::assert_output_has_no_secret(&out, &[&slack.url, "127.0.0.1"]);
        out
    }
    /// Each person's days in the next 8 weeks in one tree, from `oncall
    /// schedule` (not from the code under test).
    fn days_in(&self, dir: &Path) -> BTreeMap<String, Vec<String>> {
        let mut cmd = self.repo.oncall();
        cmd.current_dir(dir)
            // The message's window: the eight weeks from tomorrow (today
            // is the handover's and a takeover's to announce).
            .args([
                "schedule",
                "--from",
                "2027-03-02",
                "--days",
                "56",
                "--format",
                "json",
            ]);
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", text(&out));
        let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        let mut by = BTreeMap::<String, Vec<String>>::new();
        for r in rows {
            if let Some(g) = r["github"].as_str() {
                by.entry(g.to_owned())
                    .or_default()
                    .push(r["date"].as_str().unwrap().to_owned());
            }
        }
        by
    }
    /// The people whose days differ between the two trees.
    fn moved(&self) -> BTreeSet<String> {
        let (b, a) = (
            self.days_in(self.base.path()),
            self.days_in(self.repo.dir.path()),
        );
        b.keys()
            .chain(a.keys())
            .filter(|g| b.get(*g) != a.get(*g))
            .cloned()
            .collect()
    }
}

/// slack_sdk's Block Kit models accept every payload.
fn slack_accepts(posts: &[Value]) {
    let items: Vec<Value> = posts
        .iter()
        .map(|p| serde_json::json!({ "what": "moved", "payload": p }))
        .collect();
    validators::slack_payloads(&items).unwrap();
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A person's section: (who, before, after), as the message shows them.
fn people(post: &Value) -> Vec<(String, String, String)> {
    let blocks = post["blocks"].as_array().unwrap();
    blocks[2..blocks.len() - 1]
        .iter()
        .map(|b| {
            let t = b["text"]["text"].as_str().unwrap();
            let lines: Vec<&str> = t.lines().collect();
            assert_eq!(lines.len(), 3, "{t}");
            (
                lines[0].to_owned(),
                lines[1].strip_prefix("*Before:* ").unwrap().to_owned(),
                lines[2].strip_prefix("*After:* ").unwrap().to_owned(),
            )
        })
        .collect()
}

/// How the message names a login of [`TEAM`].
fn named(login: &str) -> &'static str {
    match login {
        "ana" => "<@U0MOVED001>",
        "ben" => "Ben &lt;!here&gt; &amp; co (@ben)",
        "cai" => "<@U0MOVED003>",
        "dan" => "Dan (@dan)",
        "eve" => "Eve (@eve)",
        other => panic!("{other}"),
    }
}

/// Every `<@…>` mention anywhere in a payload.
fn mentions(post: &Value) -> BTreeSet<String> {
    let all = post.to_string();
    all.match_indices("<@")
        .map(|(i, _)| all[i..i + all[i..].find('>').unwrap() + 1].to_owned())
        .collect()
}

fn who_is_on(change: &Change, date: &str) -> String {
    let days = change.days_in(change.repo.dir.path());
    days.into_iter()
        .find(|(_, ds)| ds.iter().any(|d| d == date))
        .map(|(g, _)| g)
        .unwrap()
}

#[test]
fn a_swap_mentions_exactly_the_two_people_with_their_days_before_and_after() {
    let slack = FakeSlack::start();
    let change = Change::of(TEAM);
    let (a, b) = (
        who_is_on(&change, "2027-03-03"),
        who_is_on(&change, "2027-03-05"),
    );
    assert_ne!(a, b);
    let before = change.days_in(change.base.path());
    let swapped = change
        .repo
        .oncall()
        .args(["swap", "2027-03-03", "2027-03-05", "--reason", "dentist"])
        .output()
        .unwrap();
    assert!(swapped.status.success(), "{}", text(&swapped));

    let out = change.tell(&slack, None, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let posts = slack.posts();
    assert_eq!(posts.len(), 1, "one message for the rotation");
    slack_accepts(&posts);
    let post = &posts[0];
    let shown = people(post);
    let logins: BTreeSet<String> = [a.clone(), b.clone()].into();
    assert_eq!(change.moved(), logins);
    assert_eq!(
        shown.iter().map(|p| p.0.clone()).collect::<BTreeSet<_>>(),
        logins.iter().map(|g| named(g).to_owned()).collect(),
        "exactly the two"
    );
    // Each with their days before and after: Wed 3 and Fri 5 trade places.
    let fmt = |ds: &[String]| {
        ds.iter()
            .map(|d| {
                let day = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
                day.format("%a %Y-%m-%d").to_string()
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Only the days that changed for them: theirs before, theirs after.
    let after = change.days_in(change.repo.dir.path());
    let minus = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter().filter(|d| !b.contains(d)).cloned().collect()
    };
    for (who, shown_before, shown_after) in &shown {
        let g = logins.iter().find(|g| named(g) == who).unwrap();
        assert_eq!(
            shown_before,
            &fmt(&minus(&before[g], &after[g])),
            "{g} before"
        );
        assert_eq!(
            shown_after,
            &fmt(&minus(&after[g], &before[g])),
            "{g} after"
        );
    }
    assert_eq!(
        (shown[0].1.as_str(), shown[0].2.as_str()),
        ("Wed 2027-03-03", "Fri 2027-03-05")
    );
    assert_eq!(
        (shown[1].1.as_str(), shown[1].2.as_str()),
        ("Fri 2027-03-05", "Wed 2027-03-03")
    );
    // Mentions only of those two; nobody else is named at all.
    let expected: BTreeSet<String> = logins
        .iter()
        .map(|g| named(g))
        .filter(|n| n.starts_with("<@"))
        .map(str::to_owned)
        .collect();
    assert_eq!(mentions(post), expected);
    let all = post.to_string();
    for other in ["ana", "ben", "cai", "dan"]
        .iter()
        .filter(|g| !logins.contains(**g))
    {
        assert!(!all.contains(named(other)), "{other} is named: {all}");
    }
    // Text from rotation.yaml is escaped: no `<!here>`, and Slack links
    // nothing of its own accord.
    assert!(!all.contains("<!here>"), "{all}");
    for b in post["blocks"].as_array().unwrap() {
        if let Some(t) = b.get("text").filter(|t| t["type"] == "mrkdwn") {
            assert_eq!(t["verbatim"], true);
        }
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Slack (default): posted the days that moved for 2 people"),
        "{stdout}"
    );
    // The preview is printed as without --slack.
    assert!(stdout.contains("**2 day(s) change.**"), "{stdout}");
}

#[test]
fn a_change_that_moves_nobody_posts_nothing() {
    let slack = FakeSlack::start();
    // A duty added: the file changes, nobody's days do.
    let change = Change::of(TEAM);
    std::fs::write(
        change.repo.path("rotation.yaml"),
        format!("{TEAM}duties:\n  - Watch the queue\n"),
    )
    .unwrap();
    let out = change.tell(&slack, None, &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(
            "Slack (default): nobody's on-call days within the next 8 weeks moved: nothing posted."
        ),
        "{}",
        text(&out)
    );
    assert_eq!(slack.requests(), 0);

    // The daily handover lands (state and log): nobody moves either.
    let change = Change::of(TEAM);
    let advanced = change.repo.oncall().args(["advance"]).output().unwrap();
    assert!(advanced.status.success(), "{}", text(&advanced));
    assert_ne!(change.repo.read("rotation.yaml"), TEAM);
    let out = change.tell(&slack, None, &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("nothing posted"), "{}", text(&out));
    assert_eq!(slack.requests(), 0);
}

#[test]
fn a_member_joining_mentions_exactly_those_whose_days_moved() {
    let slack = FakeSlack::start();
    // A team of 30: the cycle that runs keeps its order (R7), the next
    // one, in the last two of the eight weeks, takes Eve in.
    let mut team = TEAM.to_owned();
    for i in 5..=30 {
        team.push_str(&format!("  - {{ github: m{i:02} }}\n"));
    }
    let change = Change::of(&team);
    std::fs::write(
        change.repo.path("rotation.yaml"),
        format!("{team}  - {{ github: eve, name: Eve }}\n"),
    )
    .unwrap();
    let moved = change.moved();
    assert!(moved.contains("eve"), "{moved:?}");
    assert!(moved.len() < 20, "most keep their days: {moved:?}");
    let out = change.tell(&slack, None, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let posts = slack.posts();
    assert_eq!(posts.len(), 1);
    slack_accepts(&posts);
    let name = |g: &str| match g {
        g if g.starts_with('m') => format!("@{g}"),
        g => named(g).to_owned(),
    };
    let shown: BTreeSet<String> = people(&posts[0]).into_iter().map(|p| p.0).collect();
    assert_eq!(
        shown,
        moved.iter().map(|g| name(g)).collect::<BTreeSet<_>>()
    );
    // Nobody else is named.
    let all = posts[0].to_string();
    for i in 5..=30 {
        let g = format!("m{i:02}");
        assert_eq!(
            all.contains(&format!("@{g} "))
                || all.contains(&format!("@{g}\\n"))
                || all.contains(&format!("@{g}\"")),
            moved.contains(&g),
            "{g}: {all}"
        );
    }
    // Eve had no day before.
    let eve = people(&posts[0])
        .into_iter()
        .find(|p| p.0 == "Eve (@eve)")
        .unwrap();
    assert_eq!(eve.1, "no day");
}

#[test]
fn without_the_webhook_nothing_is_posted_and_the_variable_is_named() {
    let slack = FakeSlack::start();
    let change = Change::of(TEAM);
    std::fs::write(
        change.repo.path("rotation.yaml"),
        format!("{TEAM}overrides:\n  - {{ date: 2027-03-02, github: dan }}\n"),
    )
    .unwrap();
    let out = change
        .repo
        .oncall()
        .args(["preview", "--base", &change.base(), "--slack"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("Slack (default): Slack: SLACK_WEBHOOK_URL is not set"),
        "{}",
        text(&out)
    );
    assert_eq!(slack.requests(), 0);
    // --once-for takes a full commit name.
    let out = change.tell(&slack, None, &["--once-for", "HEAD"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("--once-for HEAD: give the commit's full object name"));
}

/// The fake GitHub with the rotation on `main`; the commit to key by.
fn github() -> (FakeGitHub, String) {
    let g = FakeGitHub::start(&[("rotation.yaml", TEAM)]);
    let head = g.with(|s| s.head("main").unwrap());
    (g, head)
}

fn whats(g: &FakeGitHub) -> Vec<String> {
    g.requests().into_iter().map(|r| r.what).collect()
}

#[test]
fn once_for_a_commit_a_rerun_posts_nothing() {
    let slack = FakeSlack::start();
    let (g, commit) = github();
    let change = Change::of(TEAM);
    std::fs::write(
        change.repo.path("rotation.yaml"),
        format!("{TEAM}overrides:\n  - {{ date: 2027-03-02, github: dan }}\n"),
    )
    .unwrap();
    let claim = format!("refs/oncall/moved/{commit}/default");

    let out = change.tell(&slack, Some(&g), &["--once-for", &commit]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(slack.posts().len(), 1);
    // One query (the claims made, the repository's ID), one claim.
    assert_eq!(whats(&g), ["query MovedClaims", "mutation createClaim"]);
    assert_eq!(
        g.with(|s| s.refs.get(&claim).cloned()),
        Some(commit.clone())
    );
    assert!(text(&out).contains("GitHub requests: 2"), "{}", text(&out));

    // The rerun reads the claim and posts nothing.
    let out = change.tell(&slack, Some(&g), &["--once-for", &commit]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!(
            "Slack (default): this change was announced already (the claim `{claim}` exists): not posting again."
        )),
        "{}",
        text(&out)
    );
    assert_eq!(slack.posts().len(), 1);
    assert_eq!(g.requests().len(), 3, "one query more");

    // Another run that read no claim yet loses the compare-and-swap.
    let (g2, commit2) = github();
    let taken = format!("refs/oncall/moved/{commit2}/default");
    g2.with(|s| {
        s.before_mutation = Some(Box::new(move |s| {
            let head = s.head("main").unwrap();
            s.refs.insert(taken, head);
        }))
    });
    let out = change.tell(&slack, Some(&g2), &["--once-for", &commit2]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("announced already"), "{}", text(&out));
    assert_eq!(slack.posts().len(), 1, "the other run posts, not this one");
    assert_eq!(whats(&g2), ["query MovedClaims", "mutation createClaim"]);

    // A change that moves nobody asks GitHub nothing.
    let quiet = Change::of(TEAM);
    let (g3, commit3) = github();
    let out = quiet.tell(&slack, Some(&g3), &["--once-for", &commit3]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(g3.requests().is_empty());
}

#[test]
fn a_failed_post_gives_the_claim_back_and_the_rerun_posts() {
    let slack = FakeSlack::start();
    let (g, commit) = github();
    let change = Change::of(TEAM);
    std::fs::write(
        change.repo.path("rotation.yaml"),
        format!("{TEAM}overrides:\n  - {{ date: 2027-03-02, github: dan }}\n"),
    )
    .unwrap();
    slack.script([Reply::Error(404, "channel_not_found")]);
    let out = change.tell(&slack, Some(&g), &["--once-for", &commit]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("channel_not_found"), "{}", text(&out));
    assert!(slack.posts().is_empty());
    assert_eq!(
        whats(&g),
        [
            "query MovedClaims",
            "mutation createClaim",
            "mutation deleteClaim"
        ]
    );
    assert!(g.with(|s| !s.refs.keys().any(|r| r.starts_with("refs/oncall/moved/"))));

    let out = change.tell(&slack, Some(&g), &["--once-for", &commit]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(slack.posts().len(), 1);
    assert_eq!(g.requests().len(), 5);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A shared calendar's new holiday moves days in both rotations that
/// include it: one message each, on each rotation's own webhook; the
/// rotation that does not include it posts nothing.
#[test]
fn each_rotation_gets_one_message_on_its_own_webhook() {
    let (sre, platform, db) = (FakeSlack::start(), FakeSlack::start(), FakeSlack::start());
    let dir = tempfile::tempdir().unwrap();
    let base = tempfile::tempdir().unwrap();
    copy_tree(Path::new("tests/fixtures/organisation"), dir.path());
    copy_tree(Path::new("tests/fixtures/organisation"), base.path());
    let cal = dir.path().join("calendars/berlin.yaml");
    let text_of = std::fs::read_to_string(&cal).unwrap();
    std::fs::write(&cal, text_of + "  - { date: 2026-12-01, name: Team day }\n").unwrap();
    let out = assert_cmd::Command::cargo_bin("oncall")
        .unwrap()
        .current_dir(dir.path())
        .env_clear()
        .env("ONCALL_NOW", "2026-11-23T07:00:00Z")
        .env("SLACK_WEBHOOK_SRE", &sre.url)
        .env("SLACK_WEBHOOK_PLATFORM", &platform.url)
        .env("SLACK_WEBHOOK_DB", &db.url)
        .args(["preview", "--base"])
        .arg(base.path())
        .arg("--slack")
        .output()
        .unwrap();
    support::secrets::assert_output_has_no_secret(&out, &[&sre.url, &platform.url, &db.url]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(sre.posts().len(), 1);
    assert_eq!(platform.posts().len(), 1);
    assert_eq!(db.requests(), 0);
    let mut all = sre.posts();
    all.extend(platform.posts());
    slack_accepts(&all);
    for post in &all {
        let ctx = post["blocks"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .to_string();
        assert!(ctx.contains("calendars/berlin.yaml"), "{ctx}");
    }
    assert!(
        sre.posts()[0]["blocks"][0]["text"]["text"]
            .as_str()
            .unwrap()
            .starts_with("On-call days moved: ")
    );
}

//! `oncall advance --slack` against a fake incoming webhook.

use crate::common;
use crate::support;

use common::*;
use oncall_core::plan::Plan;
use oncall_core::slack::{self, Announcement, Links};
use predicates::prelude::*;
use std::time::Duration;
use support::fake_slack::{FakeSlack, Reply, SECRET_PATH};
use support::repo::Repo;

const TEAM: &str = "team: Slack team\ntimezone: Europe/Berlin\nstart: 2026-11-23\nmembers:\n  - { github: ana, name: Ana, slack: U0SLACK001 }\n  - { github: ben, name: Ben }\n  - { github: cai, slack: U0SLACK003 }\n";

/// Runs `oncall advance --slack` for `date` with the fake's URL.
fn advance_slack(repo: &Repo, fake: &FakeSlack, date: &str) -> std::process::Output {
    let out = repo
        .oncall()
        .args(["advance", "--slack", "--date", date])
        .env("SLACK_WEBHOOK_URL", &fake.url)
        .env("ONCALL_HTTP_TIMEOUT", "2")
        .output()
        .unwrap();
    assert_no_secret(&out);
    out
}

/// Neither the webhook URL nor any part of its secret path, nor the
/// webhook's host, is printed.
fn assert_no_secret(out: &std::process::Output) {
    support::secrets::assert_output_has_no_secret(out, &["127.0.0.1"]);
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

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

// The payloads, as Slack receives them.

const SNAP: &str = "team: Payload team
timezone: Europe/Berlin
start: 2026-11-23
members:
  - { github: ana, name: Ana, slack: U0SNAP0001 }
  - { github: ben, name: Ben, slack: U0SNAP0002, away: [{ from: 2026-12-01, to: 2026-12-01 }] }
  - { github: cai, name: Cai, away: [{ from: 2026-12-01, to: 2026-12-01 }] }
overrides:
  - { date: 2026-11-26, github: ana, reason: release day }
";

fn payload(text_in: &str, log_in: &str, date: &str, links: Links) -> serde_json::Value {
    let (_, _, plan) = advance(text_in, log_in, d(date));
    let Plan::Advance(a) = plan else {
        panic!("{date}")
    };
    let r = rot(text_in);
    let next_state = oncall_core::config::Rotation {
        state: Some(a.state.clone()),
        ..r.clone()
    };
    let upcoming = oncall_core::schedule::rows(
        &next_state,
        &oncall_core::log::Log::default(),
        r.next_working_day(d(date)).unwrap(),
        10,
    )
    .into_iter()
    .take(5)
    .collect();
    slack::message(
        &r,
        &Announcement {
            today: a.today(),
            missed: a.missed().map(|h| h.day.date).collect(),
            upcoming,
            links,
        },
    )
}

#[test]
fn payload_of_a_normal_day() {
    let links = Links {
        pr: Some("https://github.com/acme/ops/pull/7".into()),
        log: Some("https://github.com/acme/ops/blob/main/oncall-log.md#L12".into()),
    };
    insta::assert_json_snapshot!("payload_normal_day", payload(SNAP, "", "2026-11-23", links));
}

#[test]
fn payload_of_a_catch_up_day() {
    let (t, l, _) = advance(SNAP, "", d("2026-11-23"));
    insta::assert_json_snapshot!(
        "payload_catch_up_day",
        payload(&t, &l, "2026-11-26", Links::default())
    );
}

#[test]
fn payload_of_an_uncovered_day() {
    let y = SNAP.replace("  - { github: ana, name: Ana, slack: U0SNAP0001 }", "  - { github: ana, name: Ana, slack: U0SNAP0001, away: [{ from: 2026-12-01, to: 2026-12-01 }] }");
    let (t, l, _) = advance(&y, "", d("2026-11-30"));
    let p = payload(&t, &l, "2026-12-01", Links::default());
    assert!(p["text"].as_str().unwrap().contains("uncovered"));
    insta::assert_json_snapshot!("payload_uncovered_day", p);
}

/// Hostile text in every field of rotation.yaml.
pub const HOSTILE: &[&str] = &[
    "<!channel>",
    "<!here|here>",
    "<@U0SNAP0001>",
    "<https://evil.example|docs>",
    "&lt;!everyone&gt;",
    "*bold* _it_ ~s~ `code` ```block```",
    "[x](https://evil.example) <b>html</b> <script>alert(1)</script>",
    "@everyone #123 ::set-output name=x::y ::add-mask::z",
    "\u{1b}[31mred\u{1b}[0m \u{7} \u{0}",
    "rtl \u{202E}gnp.exe\u{202C} \u{2066}x",
    "line1\nline2\r\n## 2026-01-01 fake heading",
];

fn hostile_team(s: &str) -> String {
    let q = serde_json::to_string(s).unwrap(); // a valid YAML double-quoted string
    format!(
        "team: {q}\ntimezone: UTC\nstart: 2026-11-23\nmembers:\n  - {{ github: ana, name: {q}, slack: U0SNAP0001 }}\n  - {{ github: ben, name: {q} }}\n  - {{ github: cai, name: {q}, away: [{{ from: 2026-11-30, to: 2026-11-30, reason: {q} }}] }}\nholidays:\n  - {{ date: 2026-12-25, name: {q} }}\noverrides:\n  - {{ date: 2026-11-26, github: ben, reason: {q} }}\nduties:\n  - {q}\n  - ok\n"
    )
}

fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

fn assert_inert(p: &serde_json::Value, what: &str) {
    let blocks = p["blocks"].as_array().unwrap();
    assert!(blocks.len() <= slack::MAX_BLOCKS);
    for b in blocks {
        if let Some(t) = b["text"]["text"].as_str() {
            assert!(
                t.chars().count() <= slack::MAX_SECTION_TEXT,
                "{what}: section too long"
            );
        }
    }
    let mut all = Vec::new();
    strings(p, &mut all);
    for s in all {
        // The only `<…>` allowed are mentions built from member IDs.
        // and the PR link, whose URL has its `<`, `>` and `|` percent-encoded.
        let cleaned = s.replace("<@U0SNAP0001>", "").replace(
            "<https://example.com/%3C!channel%3E%7Cx|Handover pull request>",
            "",
        );
        assert!(
            !cleaned.contains('<') && !cleaned.contains('>'),
            "{what}: unescaped angle bracket in {s:?}"
        );
        assert!(
            !s.chars().any(|c| c.is_control() && c != '\n'),
            "{what}: control character in {s:?}"
        );
        assert!(
            !s.chars().any(|c| ('\u{202A}'..='\u{202E}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)),
            "{what}: bidi control in {s:?}"
        );
    }
}

#[test]
fn hostile_text_reaches_slack_inert() {
    let long = "<!channel>".repeat(10_000);
    let mut corpus: Vec<String> = HOSTILE.iter().map(|s| (*s).to_owned()).collect();
    corpus.push(long);
    let mut checked = 0;
    for s in &corpus {
        let y = hostile_team(s);
        if s.chars().any(oncall_core::escape::is_unsafe_in_text) {
            // A control character is refused before it can reach Slack
            // (tests/it/free_text.rs); `escape::slack` still drops them.
            assert!(
                oncall_core::config::load("rotation.yaml", &y).is_err(),
                "{s:?}"
            );
            checked += 3;
            continue;
        }
        for date in ["2026-11-23", "2026-11-26", "2026-11-30"] {
            let (t, l, _) = advance(&y, "", d("2026-11-23"));
            let p = if date == "2026-11-23" {
                payload(&y, "", date, Links::default())
            } else {
                payload(
                    &t,
                    &l,
                    date,
                    Links {
                        pr: Some("https://example.com/<!channel>|x".into()),
                        log: None,
                    },
                )
            };
            assert_inert(&p, &format!("{s:?} on {date}"));
            checked += 1;
        }
    }
    assert_eq!(checked, corpus.len() * 3);
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

#[test]
fn long_text_is_never_cut_inside_a_mention_and_the_fallback_keeps_who() {
    // Previously a section cut at 3000 characters could end in
    // `<@U0AAAA00…`, and the 300-character fallback lost the on-call
    // engineer's mention behind a long team name.
    for len in [280, 290, 2950, 2990, 2995, 3000] {
        let long = "x".repeat(len);
        let text = SNAP
            .replace("team: Payload team", &format!("team: \"{long}\""))
            .replace("name: Cai", &format!("name: \"{long}\""));
        for date in ["2026-11-23", "2026-11-24", "2026-11-25"] {
            let p = payload(&text, "", date, Links::default());
            let fallback = p["text"].as_str().unwrap();
            assert!(fallback.chars().count() <= slack::MAX_FALLBACK_TEXT);
            assert!(
                fallback.contains("is on call today"),
                "{len} {date}: {fallback}"
            );
            let who = match date {
                "2026-11-23" => "<@U0SNAP0001>",
                "2026-11-24" => "<@U0SNAP0002>",
                _ => "xxxxxxxxxx",
            };
            assert!(
                fallback.contains(who),
                "{len} {date}: the engineer is in the fallback: {fallback}"
            );
            assert!(fallback.contains(&format!("({date})")), "{fallback}");
            let mut texts = Vec::new();
            strings(&p, &mut texts);
            for s in texts {
                let opens = s.matches('<').count();
                let closes = s.matches('>').count();
                assert_eq!(opens, closes, "{len} {date}: a cut mention or link: {s}");
                if let Some(at) = s.rfind('&') {
                    assert!(s[at..].contains(';'), "{len} {date}: a cut entity: {s}");
                }
            }
        }
    }
}

/// Validates payloads with Slack's own SDK (slack_sdk's Block Kit models).
fn assert_slack_accepts(payloads: &[(String, serde_json::Value)]) {
    let items: Vec<_> = payloads
        .iter()
        .map(|(what, p)| serde_json::json!({ "what": what, "payload": p }))
        .collect();
    if let Err(found) = support::validators::slack_payloads(&items) {
        panic!("Slack's SDK rejects:\n{found}");
    }
}

#[test]
fn slacks_sdk_accepts_every_payload() {
    let mut payloads = Vec::new();
    let links = Links {
        pr: Some("https://github.com/acme/ops/pull/1".into()),
        log: Some("https://github.com/acme/ops/blob/oncall/handover/oncall-log.md#L9".into()),
    };
    // Ordinary, override, catch-up and uncovered days; long and hostile text.
    for date in ["2026-11-23", "2026-11-26", "2026-11-27", "2026-12-01"] {
        payloads.push((
            format!("snap {date}"),
            payload(SNAP, "", date, links.clone()),
        ));
    }
    // (The 100 KB name is checked for inertness above; here the lengths
    // near Slack's limits matter.)
    let mut corpus: Vec<String> = HOSTILE.iter().map(|s| (*s).to_owned()).collect();
    corpus.push("<!channel>".repeat(299));
    corpus.push("x".repeat(2990));
    for s in corpus
        .iter()
        .filter(|s| !s.chars().any(oncall_core::escape::is_unsafe_in_text))
    {
        let y = hostile_team(s);
        for date in ["2026-11-23", "2026-11-26"] {
            let short: String = s.chars().take(20).collect();
            payloads.push((
                format!("hostile {short:?} {date}"),
                payload(&y, "", date, links.clone()),
            ));
        }
    }
    // The message of a morning whose rotation.yaml is broken.
    for s in &corpus {
        let bad = hostile_team(s).replace(
            "timezone: UTC",
            &format!("timezone: {}", serde_json::to_string(s).unwrap()),
        );
        let report = match oncall_core::config::load("rotation.yaml", &bad) {
            Err(e) => e.0,
            Ok(_) => panic!("expected an invalid file"),
        };
        payloads.push(("broken roster".into(), slack::failure_message(&report)));
    }
    assert!(payloads.len() > 30);
    assert_slack_accepts(&payloads);
}

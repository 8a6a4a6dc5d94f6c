//! `oncall advance --slack` against a fake incoming webhook.
//!
//! This file holds what the files beside it share: the rotation and the
//! run of `advance --slack`, and the payload of a day built in process with
//! the hostile corpus; `webhook` has the delivery's tests, `payloads` the
//! payloads'.

use crate::common;
use crate::support;

use common::*;
use oncall_core::plan::Plan;
use oncall_core::slack::{self, Announcement, Links};
use support::fake_slack::FakeSlack;
use support::repo::Repo;

mod payloads;
mod webhook;

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

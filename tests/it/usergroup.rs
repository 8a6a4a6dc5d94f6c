//! The @oncall handle: the daily run sets the Slack user group in
//! `slack.usergroup` to today's engineer, against a fake of Slack's Web API
//! that can fail with each of Slack's error codes.

use crate::support;

use support::fake_github::FakeGitHub;
use support::fake_slack_api::{ApiReply, BOT_TOKEN, FakeSlackApi};
use support::repo::Repo;

const TEAM: &str = "team: Group team
timezone: Europe/Berlin
start: 2026-11-23
slack:
  usergroup: S0FAKEGROUP1
members:
  - { github: ana, slack: U0AAAAAAA1, away: [{ from: 2026-11-26, to: 2026-11-26 }] }
  - { github: ben, slack: U0BBBBBBB2, away: [{ from: 2026-11-26, to: 2026-11-26 }] }
  - { github: cai }
";

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn advance(repo: &Repo, api: &FakeSlackApi, date: &str, token: &str) -> Out {
    let out = repo
        .oncall()
        .env("ONCALL_NOW", format!("{date}T08:00:00Z"))
        .env("SLACK_API_URL", &api.url)
        .env("SLACK_BOT_TOKEN", token)
        .env("ONCALL_HTTP_TIMEOUT", "3")
        .arg("advance")
        .output()
        .unwrap();
    let o = Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    for text in [&o.stdout, &o.stderr] {
        assert!(!text.contains(BOT_TOKEN), "the token was printed");
        assert!(!text.contains("s3cr3t"), "part of the token was printed");
    }
    o
}

#[test]
fn the_group_is_set_to_todays_engineer_after_the_handover() {
    let repo = Repo::with(TEAM, None);
    let api = FakeSlackApi::start();
    let o = advance(&repo, &api, "2026-11-23", BOT_TOKEN);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(
        o.stdout
            .contains("Slack user group S0FAKEGROUP1: set to ana."),
        "{}",
        o.stdout
    );
    assert_eq!(
        api.calls(),
        [serde_json::json!({ "usergroup": "S0FAKEGROUP1", "users": "U0AAAAAAA1" })]
    );
    // A rerun the same day sets it again (the same value: harmless).
    let o = advance(&repo, &api, "2026-11-23", BOT_TOKEN);
    assert_eq!(o.code, Some(0));
    assert_eq!(api.calls().len(), 2);
    let o = advance(&repo, &api, "2026-11-24", BOT_TOKEN);
    assert_eq!(o.code, Some(0));
    assert_eq!(api.calls()[2]["users"], "U0BBBBBBB2");
}

#[test]
fn a_rate_limit_is_waited_for() {
    let repo = Repo::with(TEAM, None);
    let api = FakeSlackApi::start();
    api.script([ApiReply::RateLimited(1), ApiReply::Ok]);
    let o = advance(&repo, &api, "2026-11-23", BOT_TOKEN);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(api.calls().len(), 2);
    // The fake saw the retry come after the Retry-After it asked for.
    assert!(
        api.gap(0, 1) >= std::time::Duration::from_secs(1),
        "Retry-After was honoured"
    );
}

/// Each of Slack's refusals: reported with its code and what to do, exit
/// code 1, and the handover stays made.
#[test]
fn each_refusal_is_reported_with_a_hint_and_the_handover_stays() {
    for (code, hint) in [
        ("not_allowed_token_type", "must be the bot token (xoxb-…)"),
        ("missing_scope", "usergroups:write scope"),
        ("no_such_subteam", "names no user group of this workspace"),
        ("invalid_auth", "SLACK_BOT_TOKEN is not valid"),
    ] {
        let repo = Repo::with(TEAM, None);
        let api = FakeSlackApi::start();
        api.script([ApiReply::Error(code)]);
        let o = advance(&repo, &api, "2026-11-23", BOT_TOKEN);
        assert_eq!(o.code, Some(1), "{code}: {}", o.stderr);
        assert!(
            o.stderr
                .contains(&format!("Slack refused to update the user group: {code}")),
            "{}",
            o.stderr
        );
        assert!(o.stderr.contains(hint), "{code}: {}", o.stderr);
        assert_eq!(api.calls().len(), 1, "{code}: not retried");
        // The handover was made before, and is not undone.
        assert!(
            repo.read("rotation.yaml").contains("since: 2026-11-23"),
            "{code}"
        );
        assert!(
            repo.read("oncall-log.md").contains("## 2026-11-23"),
            "{code}"
        );
    }
    // A wrong token is Slack's invalid_auth too (the fake checks it).
    let repo = Repo::with(TEAM, None);
    let api = FakeSlackApi::start();
    let o = advance(&repo, &api, "2026-11-23", "xoxb-wrong-token");
    assert_eq!(o.code, Some(1));
    assert!(o.stderr.contains("invalid_auth"), "{}", o.stderr);
    assert!(!o.stderr.contains("xoxb-wrong-token"));
}

#[test]
fn uncovered_days_no_slack_id_and_no_token_leave_the_group_alone() {
    let repo = Repo::with(TEAM, None);
    let api = FakeSlackApi::start();
    for date in ["2026-11-23", "2026-11-24", "2026-11-25"] {
        assert_eq!(advance(&repo, &api, date, BOT_TOKEN).code, Some(0));
    }
    let calls = api.calls().len();
    // 26th: cai is due but... ana and ben are away; cai has no Slack ID.
    let o = advance(&repo, &api, "2026-11-26", BOT_TOKEN);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(
        o.stdout
            .contains("has no `slack` member ID in rotation.yaml, so it is left as it is")
            || o.stdout
                .contains("today is uncovered, so it is left as it is"),
        "{}",
        o.stdout
    );
    assert_eq!(api.calls().len(), calls, "no request");
    // Without a token: a notice, no request, exit 0.
    let repo = Repo::with(TEAM, None);
    let o = advance(&repo, &api, "2026-11-23", "");
    assert_eq!(o.code, Some(0));
    assert!(
        o.stdout
            .contains("SLACK_BOT_TOKEN is not set, so it is left as it is")
    );
    assert_eq!(api.calls().len(), calls);
}

#[test]
fn an_uncovered_day_leaves_the_group_as_it_was() {
    let team = TEAM
        .replace(
            "  - { github: cai }\n",
            "  - { github: cai, away: [{ from: 2026-11-23, to: 2026-11-23 }] }\n",
        )
        .replace(
            "from: 2026-11-26, to: 2026-11-26",
            "from: 2026-11-23, to: 2026-11-23",
        );
    let repo = Repo::with(&team, None);
    let api = FakeSlackApi::start();
    let o = advance(&repo, &api, "2026-11-23", BOT_TOKEN);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(
        o.stdout
            .contains("Slack user group S0FAKEGROUP1: today is uncovered, so it is left as it is."),
        "{}",
        o.stdout
    );
    assert!(api.calls().is_empty());
}

#[test]
fn a_wrong_group_id_is_refused_at_its_line() {
    let repo = Repo::with(&TEAM.replace("S0FAKEGROUP1", "sre-oncall"), None);
    let out = repo
        .oncall()
        .env("ONCALL_NOW", "2026-11-23T08:00:00Z")
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("rotation.yaml:5:14: error: \"sre-oncall\" is not a Slack user group ID"),
        "{text}"
    );
}

/// With `--pr`: the group follows the pull request's handover.
#[test]
fn with_a_pull_request_the_group_is_set_too() {
    let f = FakeGitHub::start(&[("rotation.yaml", TEAM)]);
    f.with(|s| {
        s.users = ["ana", "ben", "cai"]
            .iter()
            .map(|l| (l.to_string(), format!("U_{l}")))
            .collect()
    });
    let api = FakeSlackApi::start();
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    let out = repo
        .oncall()
        .args(["advance", "--pr", "--date", "2026-11-23"])
        .env("ONCALL_NOW", "2026-11-23T08:00:00Z")
        .envs(f.env())
        .env("SLACK_API_URL", &api.url)
        .env("SLACK_BOT_TOKEN", BOT_TOKEN)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(f.with(|s| s.open_prs().len()), 1);
    assert_eq!(
        api.calls(),
        [serde_json::json!({ "usergroup": "S0FAKEGROUP1", "users": "U0AAAAAAA1" })]
    );
}

//! The composite action's hand-over step (action.yml), run as written:
//! the env it takes, the pull request and the Slack post, and one job per
//! rotation with its own webhook.

use super::{Runner, TEAM, env_of, fake_repo, load, step};
use crate::support::fake_github::{FakeGitHub, TOKEN};
use crate::support::fake_slack::FakeSlack;
use std::collections::BTreeMap;

fn assert_clean(out: &std::process::Output, slack: &FakeSlack) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let visible: String = text
        .lines()
        .filter(|l| !l.starts_with("::add-mask::"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        !visible.contains(TOKEN),
        "the token was printed:\n{visible}"
    );
    assert!(
        !visible.contains(&slack.url),
        "the webhook URL was printed:\n{visible}"
    );
    assert!(out.status.success(), "{text}");
}

#[test]
fn the_composite_action_hands_over_as_written() {
    let action = load("action.yml");
    let steps = &action["runs"]["steps"];
    let hand_over = step(steps, "oncall");
    let env = env_of(hand_over);
    let keys: Vec<&str> = env.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "GITHUB_TOKEN",
            "ONCALL_BIN",
            "ONCALL_CONFIG",
            "ONCALL_DATE",
            "ONCALL_DRY_RUN",
            "ONCALL_LOG",
            "ONCALL_NOTIFY",
            "ONCALL_ROTATION",
            "ONCALL_TAKEOVER_ONLY",
            "SLACK_BOT_TOKEN",
            "SLACK_WEBHOOK_URL"
        ]
    );
    let f = fake_repo();
    let slack = FakeSlack::start();
    let runner = Runner::new();
    let values = BTreeMap::from([
        ("GITHUB_TOKEN".to_owned(), TOKEN.to_owned()),
        (
            "ONCALL_BIN".to_owned(),
            runner.path("target/release/oncall").display().to_string(),
        ),
        (
            "ONCALL_CONFIG".to_owned(),
            action["inputs"]["config"]["default"]
                .as_str()
                .unwrap()
                .to_owned(),
        ),
        (
            "ONCALL_LOG".to_owned(),
            action["inputs"]["log"]["default"]
                .as_str()
                .unwrap()
                .to_owned(),
        ),
        ("ONCALL_DATE".to_owned(), "2026-11-23".to_owned()),
        (
            "ONCALL_DRY_RUN".to_owned(),
            action["inputs"]["dry-run"]["default"]
                .as_str()
                .unwrap()
                .to_owned(),
        ),
        (
            "ONCALL_NOTIFY".to_owned(),
            action["inputs"]["notify"]["default"]
                .as_str()
                .unwrap()
                .to_owned(),
        ),
        ("SLACK_WEBHOOK_URL".to_owned(), slack.url.clone()),
        ("SLACK_BOT_TOKEN".to_owned(), String::new()),
        ("ONCALL_ROTATION".to_owned(), String::new()),
    ]);
    let out = runner.run(hand_over["run"].as_str().unwrap(), &values, Some(&f));
    assert_clean(&out, &slack);
    assert_eq!(f.with(|s| s.open_prs().len()), 1);
    assert_eq!(slack.posts().len(), 1);
    assert!(runner.read("output.txt").contains("oncall=ana\n"));
    assert_eq!(
        action["outputs"]["oncall"]["value"],
        "${{ steps.oncall.outputs.oncall }}"
    );
    // One job per rotation with the action: the `rotation` input, and the
    // job's webhook in `slack-webhook-url`, whatever variable the
    // rotation's file names for the matrix workflow.
    let sre_team = format!("{TEAM}slack:\n  webhook_env: SLACK_WEBHOOK_SRE\n");
    let f = FakeGitHub::start(&[("rotations/sre/rotation.yaml", sre_team.as_str())]);
    f.with(|s| s.users = vec![("ana".into(), "U_ana".into())]);
    let sre_slack = FakeSlack::start();
    let mut values = values.clone();
    values.insert("ONCALL_ROTATION".into(), "sre".into());
    values.insert("SLACK_WEBHOOK_URL".into(), sre_slack.url.clone());
    let runner = Runner::new();
    let out = runner.run(hand_over["run"].as_str().unwrap(), &values, Some(&f));
    assert_clean(&out, &sre_slack);
    assert_eq!(sre_slack.posts().len(), 1);
    assert_eq!(
        f.with(|s| s.open_prs()[0].head.clone()),
        "oncall/sre/handover"
    );
}

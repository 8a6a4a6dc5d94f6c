//! The days-moved workflow (.github/workflows/oncall-moved.yml), played on
//! a push as GitHub would: one Slack message per commit, and the workflow
//! checkers accept it.

use super::{
    Runner, TEAM, assert_no_secret, env_in, env_of, eval, fake_repo, git, load, outputs_of,
    secrets, step, truthy,
};
use crate::support;
use serde_json::Value;
use std::process::Command;
use support::fake_github::{FakeGitHub, TOKEN};
use support::fake_slack::FakeSlack;

/// The days-moved workflow's jobs, played as GitHub would on a push: each
/// `run:` step of `job` whose `if:` holds, in `runner`, with `ctx` (its
/// `steps` filled in as they run). Returns (ok, the job's log).
fn play_steps(
    job: &Value,
    ctx: &Value,
    runner: &Runner,
    github: &FakeGitHub,
) -> (bool, String, Value) {
    let mut ctx = ctx.clone();
    ctx["steps"] = serde_json::json!({});
    let mut text = String::new();
    for st in job["steps"].as_array().unwrap() {
        if let Some(cond) = st["if"].as_str()
            && !truthy(&eval(cond, &ctx))
        {
            continue;
        }
        let Some(script) = st["run"].as_str() else {
            continue;
        };
        let _ = std::fs::remove_file(runner.path("output.txt"));
        let out = runner.run(script, &env_in(st, &ctx), Some(github));
        text.push_str(&String::from_utf8_lossy(&out.stdout));
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        if let Some(id) = st["id"].as_str() {
            ctx["steps"][id] =
                serde_json::json!({ "outputs": outputs_of(&runner.read("output.txt")) });
        }
        if !out.status.success() {
            return (false, text, ctx["steps"].clone());
        }
    }
    (true, text, ctx["steps"].clone())
}

/// The days-moved workflow (.github/workflows/oncall-moved.yml) on a push
/// that swaps two days: as written, against the fake GitHub and Slack. It
/// posts one message naming the two, once for the commit however often it
/// is re-run; not live, or with no earlier commit, it tells nobody.
#[test]
fn the_days_moved_workflow_tells_once_per_commit_as_written() {
    let wf = load(".github/workflows/oncall-moved.yml");
    assert_eq!(
        wf["on"]["push"],
        serde_json::json!({ "branches": ["main"], "paths": ["rotation.yaml", "rotations/**", "calendars/**"] })
    );
    assert_eq!(wf["permissions"], serde_json::json!({}));
    let (build, tell) = (&wf["jobs"]["build"], &wf["jobs"]["tell"]);
    assert_eq!(
        build["permissions"],
        serde_json::json!({ "contents": "read" })
    );
    assert_eq!(
        tell["permissions"],
        serde_json::json!({ "contents": "write" })
    );
    // Secrets only where the message is posted; the step that writes the
    // job summary has none in its environment.
    assert_eq!(
        env_of(step(&tell["steps"], "base"))
            .keys()
            .collect::<Vec<_>>(),
        ["BEFORE"]
    );
    for (j, job) in wf["jobs"].as_object().unwrap() {
        for s in job["steps"].as_array().unwrap() {
            if s["id"] != "oncall" {
                assert!(!s.to_string().contains("secrets."), "{j}: {s}");
            }
        }
    }

    // The push: a base commit, then the swap of Wed 25 and Thu 26.
    let f = fake_repo();
    let slack = FakeSlack::start();
    let runner = Runner::new();
    let dir = runner.dir.path();
    git(dir, &["init", "-q"]);
    std::fs::write(dir.join("rotation.yaml"), TEAM).unwrap();
    git(dir, &["add", "rotation.yaml"]);
    git(dir, &["commit", "-qm", "base"]);
    let before = git(dir, &["rev-parse", "HEAD"]);
    let swap = Command::new(runner.path("target/release/oncall"))
        .current_dir(dir)
        .env("ONCALL_NOW", "2026-11-23T07:00:00Z")
        .args(["swap", "2026-11-25", "2026-11-26"])
        .output()
        .unwrap();
    assert!(
        swap.status.success(),
        "{}",
        String::from_utf8_lossy(&swap.stderr)
    );
    git(dir, &["commit", "-qam", "swap"]);
    let sha = git(dir, &["rev-parse", "HEAD"]);
    // The commit that landed is on GitHub too (the claim points at it).
    f.with(|s| {
        s.commits.insert(
            sha.clone(),
            support::fake_github::CommitObj {
                parents: vec![],
                files: [(
                    "rotation.yaml".to_owned(),
                    std::fs::read_to_string(dir.join("rotation.yaml")).unwrap(),
                )]
                .into(),
                message: "swap".into(),
            },
        )
    });
    let ctx = |live: &str, before: &str| {
        serde_json::json!({
            "github": { "event_name": "push", "token": TOKEN, "sha": sha, "event": { "before": before } },
            "secrets": secrets(&slack),
            "vars": { "ONCALL_LIVE": live },
            "runner": { "os": "Linux" },
        })
    };
    let play = |c: &Value| {
        let build_runner = Runner::new();
        let (ok, text, steps) = play_steps(build, c, &build_runner, &f);
        assert!(ok, "{text}");
        let mut c = c.clone();
        c["needs"] = serde_json::json!({ "build": { "outputs": {
            "mode": steps["live"]["outputs"]["mode"],
            "oncall-sha256": steps["build"]["outputs"]["sha256"],
        } } });
        if !truthy(&eval(tell["if"].as_str().unwrap(), &c)) {
            return None;
        }
        let _ = std::fs::remove_file(runner.path("summary.md"));
        let (ok, text, _) = play_steps(tell, &c, &runner, &f);
        assert_no_secret(&text, &[&slack.url]);
        assert!(ok, "{text}");
        assert!(
            runner.read("tmp/cargo.log").is_empty(),
            "the build job's binary runs"
        );
        Some((text, runner.read("summary.md")))
    };

    // Not live: nothing is built, nobody is told.
    assert!(play(&ctx("", &before)).is_none());
    assert!(slack.posts().is_empty());

    let (text, summary) = play(&ctx("true", &before)).unwrap();
    let posts = slack.posts();
    assert_eq!(posts.len(), 1, "{text}");
    let all = posts[0].to_string();
    assert!(
        all.contains("<@U0WORKFL01>") && all.contains("@ben"),
        "{all}"
    );
    assert!(
        text.contains("Slack (default): posted the days that moved for 2 people"),
        "{text}"
    );
    assert!(summary.contains("**2 day(s) change.**"), "{summary}");
    assert!(!summary.contains("::add-mask::"), "{summary}");
    let whats: Vec<String> = f.requests().into_iter().map(|r| r.what).collect();
    assert_eq!(whats, ["query MovedClaims", "mutation createClaim"]);
    assert_eq!(
        f.with(|s| s
            .refs
            .get(&format!("refs/oncall/moved/{sha}/default"))
            .cloned()),
        Some(sha.clone())
    );

    // Re-run: the claim is there, nothing is posted.
    let (text, _) = play(&ctx("true", &before)).unwrap();
    assert!(text.contains("announced already"), "{text}");
    assert_eq!(slack.posts().len(), 1);
    assert_eq!(f.requests().len(), 3);

    // A new branch's first push (no earlier commit): nobody is told.
    let (text, _) = play(&ctx("true", &"0".repeat(40))).unwrap();
    assert!(
        text.contains("no earlier commit here to compare with"),
        "{text}"
    );
    assert_eq!((slack.posts().len(), f.requests().len()), (1, 3));

    // No webhook secret: a notice, nobody is told, GitHub is not asked.
    let mut no_webhook = ctx("true", &before);
    no_webhook["secrets"] = serde_json::json!({});
    let (text, _) = play(&no_webhook).unwrap();
    assert!(
        text.contains("::notice title=oncall::no Slack webhook is set"),
        "{text}"
    );
    assert_eq!((slack.posts().len(), f.requests().len()), (1, 3));
}

/// actionlint (with shellcheck on the scripts), zizmor and the workflow
/// schema accept the days-moved workflow.
#[test]
fn the_days_moved_workflow_passes_the_workflow_checkers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
    std::fs::copy(
        ".github/workflows/oncall-moved.yml",
        dir.path().join(".github/workflows/oncall-moved.yml"),
    )
    .unwrap();
    git(dir.path(), &["init", "-q"]);
    support::validators::github_workflows(dir.path()).unwrap();
}

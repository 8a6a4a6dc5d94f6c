//! The daily workflow (.github/workflows/oncall-daily.yml) for one
//! rotation: it hands over as written, runs only the binary its list job
//! built, writes nothing on a dispatched dry run, hands over without a
//! Slack secret, and acts only where the rotation is live.

use super::{Daily, Runner, TEAM, assert_no_secret, fake_repo, load, secrets, step};
use crate::support::fake_slack::FakeSlack;
use std::collections::BTreeMap;

#[test]
fn the_daily_workflow_hands_over_as_written() {
    let wf = load(".github/workflows/oncall-daily.yml");
    let steps = &wf["jobs"]["handover"]["steps"];
    let hand_over = step(steps, "oncall");
    let script = hand_over["run"].as_str().unwrap();
    assert!(script.contains("./target/release/oncall"));
    for job in ["rotations", "handover"] {
        let steps = &wf["jobs"][job]["steps"];
        let build = step(steps, "Build oncall")["run"].as_str().unwrap();
        assert!(
            build.contains("cargo build --release --locked --bin oncall"),
            "{build}"
        );
        let cache = step(steps, "Cache the oncall binary");
        assert_eq!(cache["with"]["path"], "target/release/oncall");
    }
    // Both jobs cache the binary under one key: the matrix's jobs restore
    // what the list job built.
    assert_eq!(
        step(&wf["jobs"]["rotations"]["steps"], "Cache the oncall binary")["with"]["key"],
        step(steps, "Cache the oncall binary")["with"]["key"]
    );
    let f = fake_repo();
    let slack = FakeSlack::start();
    let daily = Daily::new(&[("rotation.yaml", TEAM)], secrets(&slack));
    let (list, jobs) = daily.run(&f);
    assert_no_secret(&list.text, &[&slack.url]);
    assert_eq!(jobs.len(), 1, "the single top-level rotation: one job");
    let job = &jobs[0];
    assert_no_secret(&job.text, &[&slack.url]);
    assert!(job.ok, "{}", job.text);
    assert_eq!(job.name, "Hand over (default)");
    assert_eq!(job.concurrency, "oncall-handover-default");
    assert_eq!(f.with(|s| s.open_prs().len()), 1);
    assert_eq!(
        f.with(|s| s.open_prs()[0].head.clone()),
        "oncall/handover",
        "the single rotation keeps its branch"
    );
    assert_eq!(slack.posts().len(), 1);
    assert!(
        job.text
            .contains("pull request: https://github.com/acme/ops/pull/1"),
        "{}",
        job.text
    );
    let summary = &job.summary;
    assert!(
        summary.contains("## On-call handover Monday 2026-11-23: Workflow team"),
        "{summary}"
    );
    assert!(summary.contains("- Slack: posted"), "{summary}");
    assert!(
        summary.contains("| 2026-11-24 | Tue | `@ben` | rotation |"),
        "{summary}"
    );
    // The fairness table, folded, with its chart.
    assert!(
        summary.contains("<summary>Fairness: days on call per member</summary>"),
        "{summary}"
    );
    assert!(summary.contains("```mermaid\nxychart-beta\n"), "{summary}");
    let body = f.with(|s| s.open_prs()[0].body.clone());
    assert!(
        body.contains("<summary>Fairness: days on call per member</summary>"),
        "{body}"
    );
    assert!(
        body.contains("| `@ana` | 1 | 32 | 33 | 0 | 0 | 0 | 0 | 65 | 0.508 |"),
        "{body}"
    );
    // A repeated run (a retried cron) changes nothing and posts nothing.
    let (_, jobs) = daily.run(&f);
    assert!(jobs[0].ok, "{}", jobs[0].text);
    assert_eq!(slack.posts().len(), 1);
    assert_eq!(f.with(|s| s.prs.len()), 1);
}

/// The rotations' jobs hold a write token: the binary the cache restores
/// there runs only if it is the one the list job built from this commit in
/// this run (its SHA-256, a job output), like a download. A planted entry
/// (any workflow of the repository can write the cache) is removed unrun
/// and the job builds from source; so does a job that finds none. The list
/// job, with a read token, builds every time and never runs what is there.
#[test]
fn a_binary_planted_in_the_cache_never_runs() {
    let f = fake_repo();
    let slack = FakeSlack::start();
    let marker = tempfile::tempdir().unwrap();
    let ran = marker.path().join("ran");
    let mut daily = Daily::new(&[("rotation.yaml", TEAM)], secrets(&slack));
    // The list job's build is the one taken.
    let (list, jobs) = daily.run(&f);
    assert!(list.ok && list.built, "{}", list.text);
    assert!(jobs[0].ok && !jobs[0].built, "{}", jobs[0].text);
    assert!(
        jobs[0]
            .text
            .contains("the binary the list job built (SHA-256 "),
        "{}",
        jobs[0].text
    );
    // A planted binary: never run, replaced by a build.
    daily.cached = Some(format!("#!/bin/sh\necho planted >> '{}'\n", ran.display()));
    let (list, jobs) = daily.run(&f);
    assert!(list.ok && list.built, "{}", list.text);
    assert!(jobs[0].ok, "{}", jobs[0].text);
    assert!(jobs[0].built, "{}", jobs[0].text);
    assert!(
        jobs[0].text.contains(
            "::warning title=oncall::the cached binary is not the one the list job built"
        ),
        "{}",
        jobs[0].text
    );
    assert!(!ran.exists(), "the planted binary ran");
    // Nothing in the cache: built, no warning.
    daily.cached = Some(String::new());
    let (_, jobs) = daily.run(&f);
    assert!(jobs[0].ok && jobs[0].built, "{}", jobs[0].text);
    assert!(!jobs[0].text.contains("::warning"), "{}", jobs[0].text);
    // Both jobs name the same key, made of the commit and the run.
    let wf = load(".github/workflows/oncall-daily.yml");
    let key = |job: &str| {
        step(&wf["jobs"][job]["steps"], "Cache the oncall binary")["with"]["key"].clone()
    };
    assert_eq!(key("rotations"), key("handover"));
    let key = key("rotations");
    assert!(
        key.as_str().unwrap().contains("${{ github.sha }}")
            && key.as_str().unwrap().contains("${{ github.run_id }}"),
        "{key}"
    );
}

#[test]
fn a_dispatched_dry_run_writes_nothing() {
    let f = fake_repo();
    let slack = FakeSlack::start();
    let mut daily = Daily::new(&[("rotation.yaml", TEAM)], secrets(&slack));
    daily.event = "workflow_dispatch";
    daily.inputs =
        serde_json::json!({ "dry_run": true, "notify": true, "date": "", "rotation": "" });
    let (_, jobs) = daily.run(&f);
    assert!(jobs[0].ok, "{}", jobs[0].text);
    assert!(jobs[0].text.contains("Would open the pull request"));
    assert_eq!(f.with(|s| s.prs.len()), 0);
    assert_eq!(slack.requests(), 0);
}

#[test]
fn without_a_slack_secret_the_workflow_still_hands_over() {
    let f = fake_repo();
    let slack = FakeSlack::start();
    let daily = Daily::new(&[("rotation.yaml", TEAM)], serde_json::json!({}));
    let (_, jobs) = daily.run(&f);
    assert!(jobs[0].ok, "{}", jobs[0].text);
    assert!(
        jobs[0]
            .text
            .contains("::notice title=oncall::SLACK_WEBHOOK_URL is not set"),
        "{}",
        jobs[0].text
    );
    assert!(
        jobs[0]
            .text
            .contains("\"SLACK_WEBHOOK_URL: ${{ secrets.SLACK_WEBHOOK_URL }}\""),
        "the notice says what to add: {}",
        jobs[0].text
    );
    assert_eq!(f.with(|s| s.prs.len()), 1);
    assert_eq!(slack.requests(), 0);
}

/// This repository holds an example team: its own daily workflow acts only
/// where the variable ONCALL_LIVE says the rotation is live.
#[test]
fn the_daily_workflow_acts_only_where_the_rotation_is_live() {
    let wf = load(".github/workflows/oncall-daily.yml");
    let steps = wf["jobs"]["rotations"]["steps"].as_array().unwrap();
    let gate = step(&wf["jobs"]["rotations"]["steps"], "live");
    assert_eq!(steps[0]["id"], "live", "the gate comes first");
    // Every later step, checkout and build included, waits for the gate.
    for s in &steps[1..] {
        let cond = s["if"].as_str().unwrap_or("");
        assert!(
            cond.contains("steps.live.outputs.mode"),
            "step {} runs without the gate",
            s["name"]
        );
    }
    // The hand-over jobs run only when the gate lets them, and a run that
    // is not live is a dry run.
    let handover = &wf["jobs"]["handover"];
    assert!(
        handover["if"]
            .as_str()
            .unwrap()
            .contains("needs.rotations.outputs.mode != 'off'")
    );
    let hand_over = step(&handover["steps"], "oncall");
    assert_eq!(
        hand_over["env"]["ONCALL_DRY_RUN"],
        "${{ inputs.dry_run || needs.rotations.outputs.mode == 'dry-run' }}"
    );
    // Played through: a scheduled run with the variable unset hands over
    // nothing.
    let f = fake_repo();
    let slack = FakeSlack::start();
    let mut daily = Daily::new(&[("rotation.yaml", TEAM)], secrets(&slack));
    daily.vars = serde_json::json!({});
    let (list, jobs) = daily.run(&f);
    assert!(jobs.is_empty(), "no hand-over job");
    assert!(list.summary.contains("this scheduled run did nothing"));
    assert_eq!(f.requests().len(), 0);
    let script = gate["run"].as_str().unwrap();
    for (live, event, mode, says) in [
        ("true", "schedule", "live", None),
        (
            "",
            "schedule",
            "off",
            Some("this scheduled run did nothing"),
        ),
        (
            "false",
            "schedule",
            "off",
            Some("this scheduled run did nothing"),
        ),
        ("", "push", "off", Some("this push's run did nothing")),
        ("true", "push", "live", None),
        (
            "",
            "workflow_dispatch",
            "dry-run",
            Some("this run is a dry run"),
        ),
        ("true", "workflow_dispatch", "live", None),
    ] {
        let runner = Runner::new();
        let env = BTreeMap::from([
            ("ONCALL_LIVE".to_owned(), live.to_owned()),
            ("EVENT".to_owned(), event.to_owned()),
        ]);
        let out = runner.run(script, &env, None);
        assert!(out.status.success());
        assert_eq!(runner.read("output.txt"), format!("mode={mode}\n"));
        let summary = runner.read("summary.md");
        match says {
            Some(text) => assert!(summary.contains(text), "{summary}"),
            None => assert_eq!(summary, ""),
        }
    }
}

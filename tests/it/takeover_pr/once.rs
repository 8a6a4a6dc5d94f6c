//! Announced once, however the runs go: the daily workflow as written on
//! a push of the takeover, and a handover's or a takeover's post whose
//! record on the pull request was lost (the claim stands for it).

use super::*;

/// The daily workflow as written: the morning's scheduled run hands Monday
/// to ana; the push of an override for Monday (ben) starts a run with
/// `--takeover-only`, which applies and announces it; a push that asks
/// for no takeover hands nothing over. Only a push to the default branch
/// counts.
#[test]
fn r13_the_push_of_a_takeover_starts_the_daily_workflow_that_applies_it() {
    use crate::workflows::{Daily, TEAM, fake_repo, secrets};
    let wf = crate::workflows::load(".github/workflows/oncall-daily.yml");
    assert_eq!(
        wf["on"]["push"]["paths"],
        serde_json::json!(["rotation.yaml", "rotations/*/rotation.yaml"])
    );
    assert_eq!(
        wf["jobs"]["rotations"]["if"],
        "github.event_name != 'push' || github.ref_name == github.event.repository.default_branch"
    );
    let f = fake_repo();
    let slack = FakeSlack::start();
    let mut daily = Daily::new(&[("rotation.yaml", TEAM)], secrets(&slack));
    let (_, jobs) = daily.run(&f);
    assert!(jobs[0].ok, "{}", jobs[0].text);
    assert_eq!(slack.posts().len(), 1);

    // A push that asks for no takeover (the handover's own merge, a new
    // duty): nothing handed over, nothing posted.
    assert_eq!(jobs[0].concurrency, "oncall-handover-default");
    daily.event = "push";
    let (_, jobs) = daily.run(&f);
    assert!(jobs[0].ok, "{}", jobs[0].text);
    // Its own concurrency group: a push never cancels a waiting morning run.
    assert_eq!(jobs[0].concurrency, "oncall-handover-default-push");
    assert!(
        jobs[0].text.contains("no takeover to apply"),
        "{}",
        jobs[0].text
    );
    assert_eq!(slack.posts().len(), 1);

    f.with(|s| {
        let text = s.file("main", "rotation.yaml").unwrap()
            + "overrides:\n  - { date: 2026-11-23, github: ben, reason: ana is sick }\n";
        s.commit("main", &[("rotation.yaml", Some(&text))], "ben takes over");
    });
    let (_, jobs) = daily.run(&f);
    assert!(jobs[0].ok, "{}", jobs[0].text);
    assert!(
        jobs[0]
            .text
            .contains("Slack: posted the takeover of 2026-11-23."),
        "{}",
        jobs[0].text
    );
    assert_eq!(slack.posts().len(), 2);
    assert!(
        slack.posts()[1]
            .to_string()
            .contains("takes over from *ana*")
    );
    assert!(
        jobs[0]
            .summary
            .contains("- On call: `@ben`\n- Takeover: `@ben` takes over from `@ana`\n"),
        "{}",
        jobs[0].summary
    );
    // The push's rerun: announced once.
    let (_, jobs) = daily.run(&f);
    assert!(jobs[0].ok, "{}", jobs[0].text);
    assert_eq!(slack.posts().len(), 2);
}

/// The handover was posted but its record on the pull request failed: the
/// claim still points at the day's handover commit, so the takeover's
/// run (a new commit) does not post the handover again, only the takeover.
#[test]
fn a_handover_posted_without_its_record_is_not_posted_again_by_the_takeovers_run() {
    use support::fake_github::{Fault, Target};
    let f = start();
    // Mutations: the commit and pull request, the reviews and label, the
    // claim, then the record: that one fails.
    f.github.fail_nth(Target::Mutation, 3, Fault::Status(403));
    let r = pr_run(&f, MORNING, &[]);
    assert!(!r.ok, "the record failed: {}", r.text);
    assert!(
        r.text.contains("recording it on the pull request failed"),
        "{}",
        r.text
    );
    assert_eq!(f.slack.posts().len(), 1);
    let pr = &f.github.with(|s| s.open_prs())[0];
    assert!(!pr.body.contains("announced in Slack"), "{}", pr.body);
    merge_override(&f);
    let r = ok(&f, TAKEOVER_AT, &["--takeover-only"]);
    assert!(
        r.text
            .contains("Slack: 2026-11-30 was announced already; not posting again."),
        "{}",
        r.text
    );
    let posts = f.slack.posts();
    assert_eq!(posts.len(), 2, "the handover once, then the takeover");
    assert!(posts[1].to_string().contains("takes over from"));
}

/// The takeover was posted but its record is not in the body (its update
/// failed): the claim still points at the takeover's commit, so a later
/// run that rebuilds the branch (the base moved) posts nothing again.
#[test]
fn a_takeover_posted_without_its_record_is_not_posted_again() {
    let f = start();
    ok(&f, MORNING, &[]);
    merge_override(&f);
    ok(&f, TAKEOVER_AT, &["--takeover-only"]);
    assert_eq!(f.slack.posts().len(), 2);
    // The record lost (as when its update failed).
    f.github.with(|s| {
        for p in s.prs.iter_mut() {
            p.body = p
                .body
                .lines()
                .filter(|l| !l.contains("takeover 1 by"))
                .map(|l| format!("{l}\n"))
                .collect();
        }
    });
    // The base moves on: the branch is rebuilt.
    f.github.with(|s| {
        let text = s
            .file("main", "rotation.yaml")
            .unwrap()
            .replace("members:\n", "duties:\n  - Watch the queue\nmembers:\n");
        s.commit("main", &[("rotation.yaml", Some(&text))], "a duty");
    });
    let before = f.github.with(|s| s.head("oncall/handover"));
    let r = ok(&f, "2026-11-30T13:00:00Z", &[]);
    assert_ne!(
        f.github.with(|s| s.head("oncall/handover")),
        before,
        "rebuilt"
    );
    assert!(
        r.text.contains(
            "Slack: the takeover of 2026-11-30 was announced already; not posting again."
        ),
        "{}",
        r.text
    );
    assert_eq!(f.slack.posts().len(), 2);
    // The record is written back, so the run after it (the claim still on
    // the commit the branch no longer has) does not post either.
    let pr = &f.github.with(|s| s.open_prs())[0];
    assert!(pr.body.contains("takeover 1 by demo-dave"), "{}", pr.body);
    ok(&f, "2026-11-30T14:00:00Z", &["--takeover-only"]);
    assert_eq!(f.slack.posts().len(), 2);
}

/// The morning's post failed (the claim given back); the takeover's run
/// then posts the handover, whose record fails: the takeover is posted all
/// the same, once, and the run after it posts nothing.
#[test]
fn a_failed_record_of_the_handover_does_not_keep_the_takeover_from_slack() {
    use support::fake_github::{Fault, Target};
    // The scenario, played once without faults to find the mutation that
    // records the handover's post in the takeover's run.
    let script = |f: &Fakes| {
        f.slack.script([Reply::Error(404, "channel_not_found")]);
        let r = pr_run(f, MORNING, &[]);
        assert!(!r.ok, "{}", r.text);
        assert_eq!(f.slack.posts().len(), 0);
        merge_override(f);
    };
    let mutations = |f: &Fakes| -> Vec<String> {
        f.github
            .requests()
            .iter()
            .filter(|r| r.what.starts_with("mutation "))
            .map(|r| r.what.clone())
            .collect()
    };
    let twin = start();
    script(&twin);
    let done = mutations(&twin).len();
    ok(&twin, TAKEOVER_AT, &["--takeover-only"]);
    let run: Vec<String> = mutations(&twin)[done..].to_vec();
    let records: Vec<usize> = run
        .iter()
        .enumerate()
        .filter(|(_, w)| *w == "mutation updatePullRequest")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(records.len(), 2, "the two records: {run:?}");
    assert_eq!(twin.slack.posts().len(), 2);

    let f = start();
    script(&f);
    f.github
        .fail_nth(Target::Mutation, records[0], Fault::Status(403));
    let r = pr_run(&f, TAKEOVER_AT, &["--takeover-only"]);
    assert!(!r.ok, "the record failed: {}", r.text);
    assert!(
        r.text.contains("Slack: posted the takeover of 2026-11-30."),
        "{}",
        r.text
    );
    assert_eq!(f.slack.posts().len(), 2, "the handover, then the takeover");
    let r = ok(&f, "2026-11-30T12:00:00Z", &["--takeover-only"]);
    assert!(r.text.contains("was announced already"), "{}", r.text);
    assert_eq!(f.slack.posts().len(), 2);
}

//! The workflows init wrote, played as GitHub plays them: the daily
//! workflow hands over both teams from the verified release, each with its
//! environment's webhook, and the check workflow previews every team.

use super::{CHECK, MOVED, Play, Ran, files, organisation};
use crate::support;
use serde_json::{Value, json};
use support::fake_github::FakeGitHub;
use support::fake_slack::FakeSlack;

fn github_requests(j: &Ran) -> Vec<&str> {
    j.text
        .lines()
        .filter(|l| l.starts_with("GitHub requests: "))
        .collect()
}

/// The daily workflow init wrote, end to end for both teams through the
/// release path: the list job's matrix, then each team's job in its own
/// environment, with its own branch, pull request and webhook (the
/// environment's secret over the repository's), the binary downloaded and
/// verified, never built; no secret printed; the requests of one rotation
/// each; a retried run does nothing.
#[test]
fn the_daily_workflow_init_wrote_hands_over_both_teams_from_the_release() {
    let (repo, _, _) = organisation();
    let files = files(repo.path());
    let on_github: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let f = FakeGitHub::start(&on_github);
    f.with(|s| {
        s.users = ["ana", "ben", "cara"]
            .iter()
            .map(|l| (l.to_string(), format!("U_{l}")))
            .collect()
    });
    let (sre, platform, repository) = (FakeSlack::start(), FakeSlack::start(), FakeSlack::start());
    let mut play = Play::new(files, json!({ "SLACK_WEBHOOK_URL": repository.url }));
    play.environments
        .insert("oncall-sre".into(), json!({ "SLACK_WEBHOOK_URL": sre.url }));
    play.environments.insert(
        "oncall-platform".into(),
        json!({ "SLACK_WEBHOOK_URL": platform.url }),
    );
    let urls = [
        sre.url.as_str(),
        platform.url.as_str(),
        repository.url.as_str(),
    ];
    let (list, jobs) = play.daily(&f);
    support::secrets::assert_no_secret(&list.text, "the list job's log", &urls);
    let matrix: Value = serde_json::from_str(list.outputs["rotations"].as_str().unwrap()).unwrap();
    assert_eq!(matrix[0]["name"], "platform");
    assert_eq!(matrix[1]["name"], "sre");
    // The list job read the checkout; no GitHub request, no Slack.
    assert!(
        list.text.contains("sre  rotations/sre/rotation.yaml  SRE"),
        "{}",
        list.text
    );
    let names: Vec<&str> = jobs.iter().map(|j| j.name.as_str()).collect();
    assert_eq!(names, ["Hand over (platform)", "Hand over (sre)"]);
    for (job, name, hook, team) in [
        (&jobs[0], "platform", &platform, "Platform"),
        (&jobs[1], "sre", &sre, "SRE"),
    ] {
        assert!(job.ok, "{name}: {}", job.text);
        support::secrets::assert_no_secret(&job.text, "the job's log", &urls);
        assert_eq!(job.environment, format!("oncall-{name}"));
        assert_eq!(job.concurrency, format!("oncall-handover-{name}"));
        // The release, verified against the pinned commit's digests.
        assert_eq!(job.installed.len(), 1);
        assert_eq!(job.installed[0]["mode"], "release", "{}", job.text);
        assert!(
            job.text
                .contains("verified against action/digests.txt at commit"),
            "{}",
            job.text
        );
        assert_eq!(
            hook.posts().len(),
            1,
            "{name}: one post, in its own channel"
        );
        assert!(hook.posts()[0].to_string().contains(team));
        assert!(
            job.summary
                .contains(&format!("## On-call handover Monday 2026-11-23: {team}")),
            "{}",
            job.summary
        );
        let branch = format!("oncall/{name}/handover");
        let pr = f.with(|s| s.open_prs().into_iter().find(|p| p.head == branch));
        let pr = pr.unwrap_or_else(|| panic!("no pull request from {branch}"));
        assert!(pr.body.contains(team), "{}", pr.body);
        assert_eq!(
            job.outputs.as_object().map(|o| o.len()),
            Some(0),
            "the handover job has no outputs"
        );
        // Requests of one rotation (docs/internals.md, "Round trips"): a
        // new pull request 3, the Slack claim and record 2; the shared
        // calendar comes with the query.
        assert_eq!(github_requests(job), ["GitHub requests: 5"], "{name}");
    }
    assert_eq!(list.installed[0]["mode"], "release");
    assert!(play.action.executed(), "the release's binary ran");
    assert!(
        play.release
            .requests()
            .iter()
            .all(|r| r.ends_with("oncall-x86_64-unknown-linux-musl.tar.gz")),
        "{:?}",
        play.release.requests()
    );
    assert_eq!(play.release.requests().len(), 3, "one download per job");
    assert_eq!(
        repository.requests(),
        0,
        "each team's own webhook, not the repository's"
    );
    assert_eq!(f.with(|s| s.open_prs().len()), 2);
    assert_eq!(f.requests().len(), 10);
    assert!(
        !f.requests().iter().any(|r| r.path.contains("/contents/")),
        "no file read on its own"
    );

    // A retried run: one query per team, nothing posted, no new pull request.
    let (_, again) = play.daily(&f);
    for j in &again {
        assert!(j.ok, "{}", j.text);
        assert_eq!(github_requests(j), ["GitHub requests: 1"]);
    }
    assert_eq!(sre.posts().len() + platform.posts().len(), 2);
    assert_eq!(f.with(|s| s.prs.len()), 2);

    // A dispatched dry run of one team: one job, nothing written.
    play.event = "workflow_dispatch";
    play.inputs =
        json!({ "dry_run": true, "notify": true, "date": "2026-11-24", "rotation": "sre" });
    let prs = f.with(|s| s.prs.len());
    let (_, jobs) = play.daily(&f);
    assert_eq!(jobs.len(), 1);
    assert!(
        jobs[0].ok && jobs[0].name == "Hand over (sre)",
        "{}",
        jobs[0].text
    );
    assert!(jobs[0].text.contains("Would "), "{}", jobs[0].text);
    assert_eq!(f.with(|s| s.prs.len()), prs);
    assert_eq!(sre.posts().len(), 1);
}

/// Without an environment secret, a team's job posts to the repository's
/// webhook: the environment only overrides.
#[test]
fn without_its_environment_secret_a_team_posts_to_the_repositorys_webhook() {
    let (repo, _, _) = organisation();
    let files = files(repo.path());
    let on_github: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let f = FakeGitHub::start(&on_github);
    let (sre, repository) = (FakeSlack::start(), FakeSlack::start());
    let mut play = Play::new(files, json!({ "SLACK_WEBHOOK_URL": repository.url }));
    play.environments
        .insert("oncall-sre".into(), json!({ "SLACK_WEBHOOK_URL": sre.url }));
    let (_, jobs) = play.daily(&f);
    assert!(jobs.iter().all(|j| j.ok));
    assert_eq!(sre.posts().len(), 1);
    assert_eq!(repository.posts().len(), 1);
    assert!(repository.posts()[0].to_string().contains("Platform"));
}

/// The check workflow init wrote, on a pull request that changes the
/// shared calendar and sre's order: every rotation is checked, and both
/// are previewed (the calendar touches platform, the order sre).
#[test]
fn the_check_workflow_init_wrote_checks_and_previews_every_team() {
    let (repo, _, _) = organisation();
    let files = files(repo.path());
    let f = FakeGitHub::start(&[]);
    let mut play = Play::new(files.clone(), json!({}));
    play.event = "pull_request";
    let calendar = files["calendars/berlin.yaml"].replace(
        "holidays: []\n",
        "holidays:\n  - { date: 2026-11-25, name: Team day }\n",
    );
    let sre = files["rotations/sre/rotation.yaml"].replace(
        "  - github: ana\n    slack: U0AAAA0001\n  - github: ben\n",
        "  - github: ben\n  - github: ana\n    slack: U0AAAA0001\n",
    );
    assert_ne!(sre, files["rotations/sre/rotation.yaml"]);
    play.changes = vec![
        ("calendars/berlin.yaml".into(), calendar),
        ("rotations/sre/rotation.yaml".into(), sre),
    ];
    let wf: Value = serde_saphyr::from_str(&files[CHECK]).unwrap();
    let paths = &wf["on"]["pull_request"]["paths"];
    assert_eq!(
        paths,
        &json!([
            "rotation.yaml",
            "oncall-log.md",
            "log/**",
            "rotations/**",
            "calendars/**"
        ])
    );
    let none = json!({});
    let run = play.job(&wf["jobs"]["check"], &none, &none, &f);
    assert!(run.ok, "{}", run.text);
    assert_eq!(run.installed[0]["mode"], "release");
    for says in [
        "rotations/platform/rotation.yaml: ok",
        "rotations/sre/rotation.yaml: ok",
    ] {
        assert!(run.text.contains(says), "{says:?} not in {}", run.text);
    }
    let summary = &run.summary;
    assert!(summary.contains("### Rotation `platform`"), "{summary}");
    assert!(summary.contains("### Rotation `sre`"), "{summary}");
    assert!(summary.contains("***holiday: Team day***"), "{summary}");
    assert_eq!(f.requests().len(), 0, "the check reads the checkout only");
}

/// The days-moved workflow init wrote, played on a push that gives ana's
/// Tuesday to cara in Platform: the list job's matrix, then one job per
/// team in its own environment; Platform's message goes to the webhook of
/// its environment only (no repository secret: the case the repository's
/// own workflow, which lists webhooks by name, could not serve), mentions
/// ana and names cara; SRE, whose days did not move, posts nothing; the
/// binary comes from the verified release; a rerun posts nothing.
#[test]
fn the_days_moved_workflow_init_wrote_tells_each_team_on_its_environments_webhook() {
    let (repo, _, _) = organisation();
    let files = files(repo.path());
    let wf: Value = serde_saphyr::from_str(&files[MOVED]).unwrap();
    assert_eq!(
        wf["jobs"]["rotations"]["if"],
        "github.ref_name == github.event.repository.default_branch"
    );
    assert_eq!(
        wf["jobs"]["tell"]["permissions"],
        json!({ "contents": "write" })
    );
    let on_github: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let f = FakeGitHub::start(&on_github);
    let (sre, platform) = (FakeSlack::start(), FakeSlack::start());
    let mut play = Play::new(files.clone(), json!({}));
    play.event = "push";
    play.environments.insert(
        "oncall-platform".into(),
        json!({ "SLACK_WEBHOOK_URL": platform.url }),
    );
    play.environments
        .insert("oncall-sre".into(), json!({ "SLACK_WEBHOOK_URL": sre.url }));
    let changed = files["rotations/platform/rotation.yaml"].replace(
        "overrides: []\n",
        "overrides:\n  - { date: 2026-11-24, github: cara, reason: trade }\n",
    );
    assert_ne!(changed, files["rotations/platform/rotation.yaml"]);
    // The push, on GitHub: the claims point at its commit.
    play.pushed = f.with(|s| {
        s.commit(
            "main",
            &[("rotations/platform/rotation.yaml", Some(&changed))],
            "trade",
        )
    });
    play.changes = vec![("rotations/platform/rotation.yaml".into(), changed)];
    let (_, jobs) = play.moved(&f);
    assert_eq!(jobs.len(), 2, "one job per team");
    for j in &jobs {
        assert!(j.ok, "{}: {}", j.name, j.text);
        assert_eq!(j.installed[0]["mode"], "release", "{}", j.text);
        support::secrets::assert_no_secret(&j.text, "the job's log", &[&sre.url, &platform.url]);
    }
    let envs: Vec<&str> = jobs.iter().map(|j| j.environment.as_str()).collect();
    assert_eq!(envs, ["oncall-platform", "oncall-sre"]);
    assert!(sre.posts().is_empty(), "SRE's days did not move");
    let posts = platform.posts();
    assert_eq!(posts.len(), 1, "{}", jobs[0].text);
    let text = posts[0].to_string();
    assert!(text.contains("<@U0AAAA0001>"), "ana is mentioned: {text}");
    assert!(text.contains("2026-11-24"), "{text}");
    support::validators::slack_payloads(&[
        json!({ "what": "days moved, from init's workflow", "payload": posts[0] }),
    ])
    .unwrap();
    assert!(
        jobs[0]
            .summary
            .contains("The next 40 working days, before and after this change"),
        "{}",
        jobs[0].summary
    );
    // Claimed for the commit: the rerun posts nothing.
    let (_, again) = play.moved(&f);
    assert!(again.iter().all(|j| j.ok));
    assert_eq!(platform.posts().len(), 1);
    // Without a webhook anywhere, the job says so and succeeds.
    let mut bare = Play::new(files.clone(), json!({}));
    bare.event = "push";
    bare.changes = play.changes.clone();
    bare.pushed = play.pushed.clone();
    let g = FakeGitHub::start(&on_github);
    let (_, jobs) = bare.moved(&g);
    assert!(jobs.iter().all(|j| j.ok));
    assert!(
        jobs[0]
            .text
            .contains("no slack-webhook-url: nobody is told that their days moved"),
        "{}",
        jobs[0].text
    );
}

//! The daily workflow's matrix over an organisation's rotations: one job
//! per rotation, each with its own branch, pull request, Slack webhook and
//! summary, a broken rotation failing its own job only.

use super::{Daily, JobRun, assert_no_secret, env_of, load, organisation, step};
use crate::support::fake_github::FakeGitHub;
use crate::support::fake_slack::FakeSlack;

/// The daily workflow's matrix: one job per rotation, each with its own
/// branch, pull request, Slack webhook and summary; a broken rotation file
/// fails its own job only, and tells its own team.
#[test]
fn the_daily_matrix_hands_over_each_rotation_on_its_own() {
    let mut files = organisation();
    // The database team's file breaks (a typo in the time zone).
    for (p, t) in &mut files {
        if p == "rotations/db/rotation.yaml" {
            *t = t.replace("America/New_York", "America/New_Yrok");
        }
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let f = FakeGitHub::start(&refs);
    f.with(|s| {
        s.users = ["ana", "ben", "cara", "dan", "fay", "gus"]
            .iter()
            .map(|l| (l.to_string(), format!("U_{l}")))
            .collect()
    });
    let (sre, platform, db, default) = (
        FakeSlack::start(),
        FakeSlack::start(),
        FakeSlack::start(),
        FakeSlack::start(),
    );
    let mut daily = Daily::new(
        &refs,
        serde_json::json!({
            "SLACK_WEBHOOK_URL": default.url,
            "SLACK_WEBHOOK_SRE": sre.url,
            "SLACK_WEBHOOK_PLATFORM": platform.url,
            "SLACK_WEBHOOK_DB": db.url,
        }),
    );
    // What the step's env asks an adopter to add: one line per webhook
    // variable, in the form of the line that is there.
    let wf = load(".github/workflows/oncall-daily.yml");
    let env = env_of(step(&wf["jobs"]["handover"]["steps"], "oncall"));
    assert_eq!(env["SLACK_WEBHOOK_URL"], "${{ secrets.SLACK_WEBHOOK_URL }}");
    assert_eq!(env["WEBHOOK_ENV"], "${{ matrix.rotation.webhook_env }}");
    assert_eq!(env["ONCALL_ROTATION"], "${{ matrix.rotation.name }}");
    for var in [
        "SLACK_WEBHOOK_SRE",
        "SLACK_WEBHOOK_PLATFORM",
        "SLACK_WEBHOOK_DB",
    ] {
        daily
            .extra_env
            .push((var.to_owned(), format!("${{{{ secrets.{var} }}}}")));
    }
    let urls = [
        sre.url.as_str(),
        platform.url.as_str(),
        db.url.as_str(),
        default.url.as_str(),
    ];
    let (list, jobs) = daily.run(&f);
    assert_no_secret(&list.text, &urls);
    let names: Vec<&str> = jobs.iter().map(|j| j.name.as_str()).collect();
    assert_eq!(
        names,
        ["Hand over (db)", "Hand over (platform)", "Hand over (sre)"]
    );
    let groups: Vec<&str> = jobs.iter().map(|j| j.concurrency.as_str()).collect();
    assert_eq!(
        groups,
        [
            "oncall-handover-db",
            "oncall-handover-platform",
            "oncall-handover-sre"
        ],
        "one concurrency group per rotation"
    );
    for j in &jobs {
        assert_no_secret(&j.text, &urls);
    }
    // The broken file fails its own job (exit 2, the check's code) ...
    let (db_job, platform_job, sre_job) = (&jobs[0], &jobs[1], &jobs[2]);
    assert!(!db_job.ok);
    assert_eq!(db_job.code, Some(2), "{}", db_job.text);
    assert!(
        db_job
            .text
            .contains("rotations/db/rotation.yaml (on main):2:11: error: unknown time zone"),
        "{}",
        db_job.text
    );
    // ... tells its own channel, and only that one ...
    assert_eq!(db.posts().len(), 1);
    assert!(
        db.posts()[0].to_string().contains("did not happen"),
        "{}",
        db.posts()[0]
    );
    assert!(db_job.summary.contains("## No on-call handover today"));
    // ... and the others, run after it, hand over.
    for (job, team, hook, branch) in [
        (sre_job, "SRE", &sre, "oncall/sre/handover"),
        (
            platform_job,
            "Platform",
            &platform,
            "oncall/platform/handover",
        ),
    ] {
        assert!(job.ok, "{}", job.text);
        assert_eq!(
            hook.posts().len(),
            1,
            "{team}: one post, in its own channel"
        );
        assert!(hook.posts()[0].to_string().contains(team));
        assert!(
            job.summary
                .contains(&format!("## On-call handover Monday 2026-11-23: {team}")),
            "{}",
            job.summary
        );
        let pr = f.with(|s| s.open_prs().into_iter().find(|p| p.head == branch));
        let pr = pr.unwrap_or_else(|| panic!("no pull request from {branch}"));
        assert_eq!(pr.labels, ["oncall"]);
        assert!(pr.body.contains(team), "{}", pr.body);
    }
    assert_eq!(f.with(|s| s.open_prs().len()), 2, "no pull request for db");
    // Requests per rotation stay what one rotation makes (docs/internals.md,
    // "Round trips"): a new pull request 3, the Slack claim and record 2;
    // the shared calendar comes with the query.
    let requests = |j: &JobRun| -> Vec<String> {
        j.text
            .lines()
            .filter(|l| l.starts_with("GitHub requests: "))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(requests(sre_job), ["GitHub requests: 5"]);
    assert_eq!(requests(platform_job), ["GitHub requests: 5"]);
    assert_eq!(default.requests(), 0, "nothing in the default channel");
    // The shared calendar was read from GitHub, in the query.
    assert!(
        !f.requests().iter().any(|r| r.path.contains("/contents/")),
        "no file read on its own"
    );
    // A second morning's run (a retried cron): nothing new anywhere.
    let (_, again) = daily.run(&f);
    assert!(again[1].ok && again[2].ok);
    // The query: nothing else to do.
    assert_eq!(requests(&again[2]), ["GitHub requests: 1"]);
    assert_eq!(sre.posts().len() + platform.posts().len(), 2);
    assert_eq!(f.with(|s| s.prs.len()), 2);
}

//! The workflows' and the action's scripts, run exactly as they are written
//! (same env names, same flags) against the fake GitHub and Slack.

mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use support::fake_github::{FakeGitHub, NAME, OWNER, TOKEN};
use support::fake_slack::FakeSlack;

fn load(path: &str) -> Value {
    serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The step with this id (or name) in a list of steps.
fn step<'a>(steps: &'a Value, key: &str) -> &'a Value {
    steps
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == key || s["name"] == key)
        .unwrap_or_else(|| panic!("no step {key}"))
}

fn env_of(step: &Value) -> BTreeMap<String, String> {
    step["env"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

const TEAM: &str = "team: Workflow team\ntimezone: Europe/Berlin\nstart: 2026-11-23\nmembers:\n  - { github: ana, slack: U0WORKFL01 }\n  - { github: ben }\n";

struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    /// A job's workspace with the binary where the workflow builds it.
    fn new() -> Runner {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("target/release")).unwrap();
        std::fs::create_dir_all(dir.path().join("tmp")).unwrap();
        std::fs::copy(
            assert_cmd::cargo::cargo_bin("oncall"),
            dir.path().join("target/release/oncall"),
        )
        .unwrap();
        Runner { dir }
    }
    fn path(&self, p: &str) -> std::path::PathBuf {
        self.dir.path().join(p)
    }
    fn read(&self, p: &str) -> String {
        std::fs::read_to_string(self.path(p)).unwrap_or_default()
    }
    /// Runs a `run:` script as Actions does (`bash -e` with pipefail), with
    /// the runner's variables and the step's `env:`.
    fn run(
        &self,
        script: &str,
        env: &BTreeMap<String, String>,
        github: Option<&FakeGitHub>,
    ) -> std::process::Output {
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap())
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_REPOSITORY", format!("{OWNER}/{NAME}"))
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("GITHUB_STEP_SUMMARY", self.path("summary.md"))
            .env("GITHUB_OUTPUT", self.path("output.txt"))
            .env("RUNNER_TEMP", self.path("tmp"))
            .env("ONCALL_HTTP_TIMEOUT", "2")
            // The morning of the scheduled run the tests play: no test
            // depends on the day it runs.
            .env("ONCALL_NOW", "2026-11-23T07:00:00Z");
        if let Some(f) = github {
            cmd.env("GITHUB_API_URL", &f.url);
        }
        cmd.envs(env);
        cmd.output().unwrap()
    }
}

fn fake_repo() -> FakeGitHub {
    let f = FakeGitHub::start(&[("rotation.yaml", TEAM)]);
    f.with(|s| {
        s.users = vec![
            ("ana".into(), "U_ana".into()),
            ("ben".into(), "U_ben".into()),
        ]
    });
    f
}

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

/// The env the daily workflow's step declares, with the values a
/// scheduled run has.
fn scheduled_env(env: &BTreeMap<String, String>, slack: &FakeSlack) -> BTreeMap<String, String> {
    let keys: Vec<&str> = env.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "GITHUB_TOKEN",
            "ONCALL_DATE",
            "ONCALL_DRY_RUN",
            "ONCALL_NOTIFY",
            "SLACK_BOT_TOKEN",
            "SLACK_WEBHOOK_URL"
        ]
    );
    assert!(env["GITHUB_TOKEN"].contains("github.token"));
    assert!(env["SLACK_WEBHOOK_URL"].contains("secrets.SLACK_WEBHOOK_URL"));
    assert!(env["ONCALL_NOTIFY"].contains("github.event_name == 'schedule'"));
    BTreeMap::from([
        ("GITHUB_TOKEN".to_owned(), TOKEN.to_owned()),
        ("SLACK_WEBHOOK_URL".to_owned(), slack.url.clone()),
        ("ONCALL_DATE".to_owned(), "2026-11-23".to_owned()),
        // On a schedule, the dispatch inputs are empty.
        ("ONCALL_DRY_RUN".to_owned(), String::new()),
        ("ONCALL_NOTIFY".to_owned(), "true".to_owned()),
    ])
}

#[test]
fn the_daily_workflow_hands_over_as_written() {
    let wf = load(".github/workflows/oncall-daily.yml");
    let steps = &wf["jobs"]["handover"]["steps"];
    let hand_over = step(steps, "oncall");
    let script = hand_over["run"].as_str().unwrap();
    assert!(script.contains("./target/release/oncall"));
    let build = step(steps, "Build oncall")["run"].as_str().unwrap();
    assert!(
        build.contains("cargo build --release --locked --bin oncall"),
        "{build}"
    );
    let cache = step(steps, "Cache the oncall binary");
    assert_eq!(cache["with"]["path"], "target/release/oncall");
    let f = fake_repo();
    let slack = FakeSlack::start();
    let runner = Runner::new();
    let env = scheduled_env(&env_of(hand_over), &slack);
    let out = runner.run(script, &env, Some(&f));
    assert_clean(&out, &slack);
    assert_eq!(f.with(|s| s.open_prs().len()), 1);
    assert_eq!(slack.posts().len(), 1);
    let outputs = runner.read("output.txt");
    assert!(outputs.contains("oncall=ana\n"), "{outputs}");
    assert!(
        outputs.contains("pr-url=https://github.com/acme/ops/pull/1\n"),
        "{outputs}"
    );
    let summary = runner.read("summary.md");
    assert!(
        summary.contains("## On-call handover Monday 2026-11-23"),
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
    let out = runner.run(script, &env, Some(&f));
    assert_clean(&out, &slack);
    assert_eq!(slack.posts().len(), 1);
    assert_eq!(f.with(|s| s.prs.len()), 1);
    // The job's outputs are the step's.
    let outputs = &wf["jobs"]["handover"]["outputs"];
    assert_eq!(outputs["pr-url"], "${{ steps.oncall.outputs.pr-url }}");
}

#[test]
fn a_dispatched_dry_run_writes_nothing() {
    let wf = load(".github/workflows/oncall-daily.yml");
    let hand_over = step(&wf["jobs"]["handover"]["steps"], "oncall");
    let f = fake_repo();
    let slack = FakeSlack::start();
    let runner = Runner::new();
    let mut env = scheduled_env(&env_of(hand_over), &slack);
    env.insert("ONCALL_DRY_RUN".into(), "true".into());
    let out = runner.run(hand_over["run"].as_str().unwrap(), &env, Some(&f));
    assert_clean(&out, &slack);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Would open the pull request"));
    assert_eq!(f.with(|s| s.prs.len()), 0);
    assert_eq!(slack.requests(), 0);
}

#[test]
fn without_a_slack_secret_the_workflow_still_hands_over() {
    let wf = load(".github/workflows/oncall-daily.yml");
    let hand_over = step(&wf["jobs"]["handover"]["steps"], "oncall");
    let f = fake_repo();
    let slack = FakeSlack::start();
    let runner = Runner::new();
    let mut env = scheduled_env(&env_of(hand_over), &slack);
    env.insert("SLACK_WEBHOOK_URL".into(), String::new());
    let out = runner.run(hand_over["run"].as_str().unwrap(), &env, Some(&f));
    assert_clean(&out, &slack);
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("::notice title=oncall::SLACK_WEBHOOK_URL is not set")
    );
    assert_eq!(f.with(|s| s.prs.len()), 1);
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
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn the_check_workflow_annotates_and_previews_as_written() {
    let wf = load(".github/workflows/oncall-check.yml");
    let steps = &wf["jobs"]["check"]["steps"];
    assert_eq!(
        wf["on"]["pull_request"]["paths"],
        serde_json::json!(["rotation.yaml", "oncall-log.md"])
    );
    assert!(wf["on"].get("pull_request_target").is_none());
    assert_eq!(
        wf["jobs"]["check"]["permissions"],
        serde_json::json!({ "contents": "read" })
    );
    // The workflow runs this repository's action with `command: check`.
    let uses = step(steps, "Check rotation.yaml and the log");
    assert_eq!(uses["uses"], "./");
    assert_eq!(uses["with"]["command"], "check");

    let action = load("action.yml");
    let check = step(&action["runs"]["steps"], "check");
    assert_eq!(check["if"], "inputs.command == 'check'");
    let script = check["run"].as_str().unwrap();
    let mut env = env_of(check);
    assert_eq!(
        env.keys().collect::<Vec<_>>(),
        ["BASE_SHA", "ONCALL_BIN", "ONCALL_CONFIG", "ONCALL_LOG"]
    );
    let runner = Runner::new();
    let dir = runner.dir.path();
    git(dir, &["init", "-q"]);
    std::fs::write(dir.join("rotation.yaml"), TEAM).unwrap();
    git(dir, &["add", "rotation.yaml"]);
    git(dir, &["commit", "-qm", "base"]);
    let base = git(dir, &["rev-parse", "HEAD"]);
    // The pull request swaps the order and adds an override.
    let changed = TEAM.replace(
        "  - { github: ana, slack: U0WORKFL01 }\n  - { github: ben }\n",
        "  - { github: ben }\n  - { github: ana, slack: U0WORKFL01 }\n",
    );
    std::fs::write(dir.join("rotation.yaml"), &changed).unwrap();
    env.insert("BASE_SHA".into(), base);
    env.insert(
        "ONCALL_BIN".into(),
        runner.path("target/release/oncall").display().to_string(),
    );
    for (input, var) in [("config", "ONCALL_CONFIG"), ("log", "ONCALL_LOG")] {
        env.insert(
            var.into(),
            action["inputs"][input]["default"].as_str().unwrap().into(),
        );
    }
    let out = runner.run(script, &env, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = runner.read("summary.md");
    assert!(summary.contains("## Schedule preview"), "{summary}");
    assert!(summary.contains("| changed |"), "{summary}");

    // A broken rotation: annotations on the line, the step fails, and the
    // preview still says what it can.
    std::fs::write(
        dir.join("rotation.yaml"),
        TEAM.replace("timezone: Europe/Berlin", "timezone: Europe/Berlni"),
    )
    .unwrap();
    let out = runner.run(script, &env, None);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("::error file=rotation.yaml,line=2,col=11,title=oncall check%3A rotation.yaml::unknown time zone \"Europe/Berlni\""), "{stdout}");
}

/// This repository holds an example team: its own daily workflow acts only
/// where the variable ONCALL_LIVE says the rotation is live.
#[test]
fn the_daily_workflow_acts_only_where_the_rotation_is_live() {
    let wf = load(".github/workflows/oncall-daily.yml");
    let steps = wf["jobs"]["handover"]["steps"].as_array().unwrap();
    let gate = step(&wf["jobs"]["handover"]["steps"], "live");
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
    let hand_over = step(&wf["jobs"]["handover"]["steps"], "oncall");
    assert_eq!(
        hand_over["env"]["ONCALL_DRY_RUN"],
        "${{ inputs.dry_run || steps.live.outputs.mode == 'dry-run' }}"
    );
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

/// The Pages workflow: least privilege (read to build; `pages` and
/// `id-token` only to deploy), and the action's `site` step, run as
/// written, writes the page and the feeds where the upload looks.
#[test]
fn the_pages_workflow_publishes_the_site_the_action_writes() {
    let wf = load(".github/workflows/oncall-pages.yml");
    assert_eq!(wf["permissions"], serde_json::json!({}));
    assert_eq!(
        wf["jobs"]["build"]["permissions"],
        serde_json::json!({ "contents": "read" })
    );
    assert_eq!(
        wf["jobs"]["deploy"]["permissions"],
        serde_json::json!({ "pages": "write", "id-token": "write" })
    );
    assert!(wf["on"]["schedule"].is_array(), "once a day");
    assert_eq!(wf["on"]["push"]["branches"], serde_json::json!(["main"]));
    let build = &wf["jobs"]["build"]["steps"];
    let site_step = step(build, "site");
    assert_eq!(site_step["uses"], "./");
    assert_eq!(site_step["with"]["command"], "site");
    let upload = build
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .unwrap();
    assert_eq!(upload["with"]["path"], "${{ steps.site.outputs.site-dir }}");

    let action = load("action.yml");
    let script_step = step(&action["runs"]["steps"], "site");
    assert_eq!(script_step["if"], "inputs.command == 'site'");
    let runner = Runner::new();
    std::fs::write(runner.path("rotation.yaml"), TEAM).unwrap();
    let mut env = env_of(script_step);
    assert_eq!(
        env.keys().collect::<Vec<_>>(),
        ["ONCALL_BIN", "ONCALL_CONFIG", "ONCALL_LOG", "SITE_DIR"]
    );
    env.insert(
        "ONCALL_BIN".into(),
        runner.path("target/release/oncall").display().to_string(),
    );
    env.insert("ONCALL_CONFIG".into(), "rotation.yaml".into());
    env.insert("ONCALL_LOG".into(), "oncall-log.md".into());
    env.insert(
        "SITE_DIR".into(),
        runner.path("tmp/oncall-site").display().to_string(),
    );
    let out = runner.run(script_step["run"].as_str().unwrap(), &env, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = runner.read("output.txt");
    let dir = dir.trim().strip_prefix("site-dir=").unwrap();
    for f in [
        "index.html",
        "oncall.ics",
        "oncall-ana.ics",
        "oncall-ben.ics",
    ] {
        assert!(std::path::Path::new(dir).join(f).is_file(), "{f}");
    }
    assert_eq!(
        action["outputs"]["site-dir"]["value"],
        "${{ steps.site.outputs.site-dir }}"
    );
}

//! An organisation set up one team at a time (issue 23, item 1): from an
//! empty repository, `oncall init --rotation sre` then `oncall init
//! --rotation platform --calendar calendars/berlin.yaml`; the second run
//! touches nothing of the first team's and leaves the workflows as they
//! are. The workflows init wrote are then played as GitHub would play
//! them (the simulation of tests/it/workflows.rs, taught `uses:` of the
//! composite action and job environments): the action's own steps, its
//! binary downloaded from a release and verified against the pinned
//! commit's action/digests.txt (tests/it/action.rs's release server), the
//! list job, then one handover job per team, each with its own pull request
//! and its own Slack webhook, an environment secret.

use crate::action::{COMMIT, Job, REPO, Release, TEST_HTTP, good_release};
use crate::setup::{git_repo, oncall, snapshot};
use crate::support;
use crate::workflows::{Runner, eval, expand, git, load, outputs_of, text_of, truthy};

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;
use support::fake_github::{FakeGitHub, TOKEN};
use support::fake_slack::FakeSlack;
use support::validators;

/// Friday 2026-11-20, 09:00 in Berlin: the teams start on Monday.
const NOW: &str = "2026-11-20T08:00:00Z";
const DAILY: &str = ".github/workflows/oncall.yml";
const CHECK: &str = ".github/workflows/oncall-check.yml";
const MARKER: &str = "# oncall: these workflows serve every rotation of this repository.";

fn action() -> String {
    format!("{REPO}@{COMMIT}")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn init_sre(dir: &Path) -> Output {
    oncall(dir, NOW)
        .args(["init", "--rotation", "sre", "--team", "SRE"])
        .args(["--timezone", "Europe/Berlin", "--start", "2026-11-23"])
        .args(["--member", "ana:U0AAAA0001", "--member", "ben"])
        .args(["--action", &action()])
        .output()
        .unwrap()
}

fn init_platform(dir: &Path) -> Output {
    oncall(dir, NOW)
        .args(["init", "--rotation", "platform", "--team", "Platform"])
        .args(["--timezone", "Europe/Berlin", "--start", "2026-11-23"])
        .args(["--member", "cara", "--member", "ana:U0AAAA0001"])
        .args(["--calendar", "calendars/berlin.yaml"])
        .args(["--action", &action()])
        .output()
        .unwrap()
}

/// Every file of the repository (but .git), by its path in it.
fn files(dir: &Path) -> BTreeMap<String, String> {
    snapshot(dir)
        .into_iter()
        .map(|(p, bytes)| {
            let rel = Path::new(&p).strip_prefix(dir).unwrap();
            (rel.display().to_string(), String::from_utf8(bytes).unwrap())
        })
        .collect()
}

/// The two teams, set up from an empty repository.
fn organisation() -> (tempfile::TempDir, Output, Output) {
    let repo = git_repo();
    let sre = init_sre(repo.path());
    assert!(sre.status.success(), "{}", text(&sre));
    let platform = init_platform(repo.path());
    assert!(platform.status.success(), "{}", text(&platform));
    (repo, sre, platform)
}

#[test]
fn a_new_team_in_one_command_then_a_second_beside_it() {
    let repo = git_repo();
    let dir = repo.path();
    let out = init_sre(dir);
    assert!(out.status.success(), "{}", text(&out));
    let first = files(dir);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        [
            CHECK,
            DAILY,
            "rotations/sre/oncall-log.md",
            "rotations/sre/rotation.yaml"
        ]
    );
    for f in first.keys() {
        assert!(
            text(&out).contains(&format!("wrote {f}\n")),
            "{}",
            text(&out)
        );
    }
    // The team's environment holds its webhook; the dry run names it.
    for says in [
        "the secret SLACK_WEBHOOK_URL of the GitHub environment oncall-sre",
        "gh secret set SLACK_WEBHOOK_URL --env oncall-sre",
        "-f dry_run=true -f rotation=sre -f date=2026-11-23",
        "oncall --rotation sre\n   advance --dry-run --date 2026-11-23",
        "Allow GitHub Actions to create and approve pull requests",
    ] {
        assert!(text(&out).contains(says), "{says:?} not in {}", text(&out));
    }
    for w in [DAILY, CHECK] {
        assert!(first[w].lines().any(|l| l == MARKER), "{}", first[w]);
    }

    let out = init_platform(dir);
    assert!(out.status.success(), "{}", text(&out));
    let second = files(dir);
    // Nothing of sre's changed, and the workflows are byte for byte the
    // same; the second team's files and the calendar are new.
    for (path, before) in &first {
        assert_eq!(&second[path], before, "{path} changed");
    }
    let new: Vec<&String> = second.keys().filter(|p| !first.contains_key(*p)).collect();
    assert_eq!(
        new,
        [
            "calendars/berlin.yaml",
            "rotations/platform/oncall-log.md",
            "rotations/platform/rotation.yaml"
        ]
    );
    let said = text(&out);
    assert!(
        said.contains("The workflows serve every rotation already: .github/workflows/oncall.yml and .github/workflows/oncall-check.yml hand over and check rotations/platform/ too. Left as they are."),
        "{said}"
    );
    assert!(!said.contains(&format!("wrote {DAILY}")), "{said}");
    assert!(!said.contains("Allow GitHub Actions"), "{said}");
    assert!(
        said.contains("calendars/berlin.yaml has no holidays yet: `oncall holidays import FILE.ics --out calendars/berlin.yaml` fills it"),
        "{said}"
    );
    let platform = &second["rotations/platform/rotation.yaml"];
    assert!(
        platform.contains("\nholidays:\n  - include: \"../../calendars/berlin.yaml\"\n"),
        "{platform}"
    );
    let calendar = &second["calendars/berlin.yaml"];
    assert!(calendar.ends_with("\nholidays: []\n"), "{calendar}");
    assert!(
        calendar.contains("#   oncall holidays import FILE.ics --out calendars/berlin.yaml\n"),
        "{calendar}"
    );

    // check passes over both (and the calendar); list gives both.
    let check = oncall(dir, NOW).arg("check").output().unwrap();
    assert!(check.status.success(), "{}", text(&check));
    for f in [
        "rotations/platform/rotation.yaml: ok",
        "rotations/sre/rotation.yaml: ok",
    ] {
        assert!(text(&check).contains(f), "{}", text(&check));
    }
    let list = oncall(dir, NOW)
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(rows[0]["name"], "platform");
    assert_eq!(rows[0]["calendars"], json!(["calendars/berlin.yaml"]));
    assert_eq!(rows[1]["name"], "sre");
    validators::github_workflows(dir).unwrap();
    validators::rotation_schema(&[
        &dir.join("rotations/sre/rotation.yaml"),
        &dir.join("rotations/platform/rotation.yaml"),
    ])
    .unwrap();
    validators::schema(
        "calendar.schema.json",
        &[&dir.join("calendars/berlin.yaml")],
    )
    .unwrap();

    // The calendar fills as it says (a holiday on Platform's Wednesday).
    std::fs::write(
        dir.join("berlin.ics"),
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:1@t\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;VALUE=DATE:20261125\r\nSUMMARY:Team day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let import = oncall(dir, NOW)
        .args([
            "holidays",
            "import",
            "berlin.ics",
            "--out",
            "calendars/berlin.yaml",
        ])
        .output()
        .unwrap();
    assert!(import.status.success(), "{}", text(&import));
    let who = oncall(dir, NOW)
        .args(["--rotation", "platform", "who", "2026-11-25"])
        .output()
        .unwrap();
    assert!(text(&who).contains("holiday"), "{}", text(&who));
}

/// A named rotation that exists is refused as init refuses any file:
/// nothing written (unless --force, which rewrites that team's two files
/// only). Workflows of another form are left, with the way to rewrite
/// them; `--workflows-only --force` does, in a repository with no
/// top-level rotation.
#[test]
fn an_existing_team_is_refused_and_other_workflows_are_left_with_the_way_out() {
    let (repo, _, _) = organisation();
    let dir = repo.path();
    let before = snapshot(dir);
    let out = oncall(dir, NOW)
        .args([
            "init",
            "--rotation",
            "sre",
            "--team",
            "Other",
            "--member",
            "zed",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("rotations/sre/rotation.yaml, rotations/sre/oncall-log.md already exist; nothing was written. Run with --force"),
        "{}",
        text(&out)
    );
    assert_eq!(snapshot(dir), before);
    // A calendar path that leaves the repository: nothing written.
    for bad in ["/etc/holidays.yaml", "../outside.yaml"] {
        let out = oncall(dir, NOW)
            .args([
                "init",
                "--rotation",
                "db",
                "--team",
                "DB",
                "--member",
                "dan",
            ])
            .args(["--calendar", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", text(&out));
        assert!(text(&out).contains("--calendar"), "{}", text(&out));
        assert_eq!(snapshot(dir), before);
    }
    // --force: sre's files again, nothing else.
    let out = oncall(dir, NOW)
        .args([
            "init",
            "--rotation",
            "sre",
            "--team",
            "Other",
            "--member",
            "zed",
        ])
        .args(["--timezone", "UTC", "--force"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let after = files(dir);
    assert!(after["rotations/sre/rotation.yaml"].contains("team: \"Other\""));
    let unchanged = |a: &BTreeMap<String, String>| {
        a.iter()
            .filter(|(p, _)| !p.starts_with("rotations/sre/"))
            .map(|(p, t)| (p.clone(), t.clone()))
            .collect::<Vec<_>>()
    };
    let before_files: BTreeMap<String, String> = before
        .iter()
        .map(|(p, b)| {
            (
                Path::new(p)
                    .strip_prefix(dir)
                    .unwrap()
                    .display()
                    .to_string(),
                String::from_utf8(b.clone()).unwrap(),
            )
        })
        .collect();
    assert_eq!(unchanged(&after), unchanged(&before_files));

    // Workflows of another form (an older init's, or the team's own).
    std::fs::write(dir.join(DAILY), "name: mine\n").unwrap();
    let out = oncall(dir, NOW)
        .args([
            "init",
            "--rotation",
            "db",
            "--team",
            "DB",
            "--member",
            "dan",
        ])
        .args(["--timezone", "America/New_York"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Note: .github/workflows/oncall.yml and .github/workflows/oncall-check.yml are not the form `oncall init` writes for every rotation: they may not hand over or check rotations/db/. Left as they are; `oncall init --workflows-only --force` rewrites the two workflows to serve every rotation."),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(DAILY)).unwrap(),
        "name: mine\n"
    );
    // No top-level rotation.yaml: the first rotation `list` gives (db)
    // sets the schedule's zone.
    let out = oncall(dir, NOW)
        .args(["init", "--workflows-only", "--force", "--action", &action()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let daily = std::fs::read_to_string(dir.join(DAILY)).unwrap();
    assert!(daily.lines().any(|l| l == MARKER), "{daily}");
    assert!(daily.contains("timezone: \"America/New_York\""), "{daily}");
}

/// Beside a top-level rotation.yaml: a plain init writes the same
/// every-rotation workflows, and a named team is added beside it.
#[test]
fn a_named_team_beside_a_top_level_rotation() {
    let repo = git_repo();
    let dir = repo.path();
    let out = oncall(dir, NOW)
        .args([
            "init",
            "--team",
            "Ops",
            "--timezone",
            "UTC",
            "--member",
            "gus",
        ])
        .args(["--action", &action()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let daily = std::fs::read_to_string(dir.join(DAILY)).unwrap();
    let out = init_sre(dir);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("The workflows serve every rotation already"),
        "{}",
        text(&out)
    );
    assert_eq!(std::fs::read_to_string(dir.join(DAILY)).unwrap(), daily);
    let list = oncall(dir, NOW)
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    let names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["default", "sre"]);
    let check = oncall(dir, NOW).arg("check").output().unwrap();
    assert!(check.status.success(), "{}", text(&check));
    // The workflows hand over both; the top-level rotation keeps its branch.
    let files = files(dir);
    let on_github: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let f = FakeGitHub::start(&on_github);
    let slack = FakeSlack::start();
    let play = Play::new(files, json!({ "SLACK_WEBHOOK_URL": slack.url }));
    let (_, jobs) = play.daily(&f);
    let names: Vec<(&str, bool)> = jobs.iter().map(|j| (j.name.as_str(), j.ok)).collect();
    assert_eq!(
        names,
        [("Hand over (default)", true), ("Hand over (sre)", true)],
        "{}",
        jobs[0].text
    );
    let mut heads: Vec<String> = f.with(|s| s.open_prs().into_iter().map(|p| p.head).collect());
    heads.sort();
    assert_eq!(heads, ["oncall/handover", "oncall/sre/handover"]);
    assert_eq!(slack.posts().len(), 2);
}

// ---- the workflows init wrote, played as GitHub plays them ---------------

/// A run of one of the workflows init wrote: the repository's files (what
/// `actions/checkout` gives; with `base`, a Git checkout whose HEAD is the
/// base and whose work tree has the pull request's changes), the
/// repository's secrets and each environment's, the event and its inputs,
/// and the action at the pinned commit with its release.
struct Play {
    files: BTreeMap<String, String>,
    /// The pull request's changes over `files` (the check workflow).
    changes: Vec<(String, String)>,
    secrets: Value,
    environments: BTreeMap<String, Value>,
    event: &'static str,
    inputs: Value,
    /// The action's checkout at the pinned commit (action/install.sh and an
    /// action/digests.txt that vouches for `release`).
    action: Job,
    release: Release,
}

/// One job's run.
struct Ran {
    name: String,
    ok: bool,
    text: String,
    summary: String,
    concurrency: String,
    environment: String,
    outputs: Value,
    /// What the action's install step wrote (mode, bin, version).
    installed: Vec<serde_json::Map<String, Value>>,
}

impl Play {
    fn new(files: BTreeMap<String, String>, secrets: Value) -> Play {
        let action = Job::new();
        let (release, _) = good_release(&action);
        Play {
            files,
            changes: Vec::new(),
            secrets,
            environments: BTreeMap::new(),
            event: "schedule",
            inputs: json!({}),
            action,
            release,
        }
    }

    /// `actions/checkout` in `runner`.
    fn checkout(&self, runner: &Runner) {
        let dir = runner.dir.path();
        let write = |p: &str, t: &str| {
            let path = dir.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        };
        for (p, t) in &self.files {
            write(p, t);
        }
        if !self.changes.is_empty() {
            git(dir, &["init", "-q"]);
            let paths: Vec<&str> = self.files.keys().map(String::as_str).collect();
            git(dir, &[&["add", "--"][..], &paths].concat());
            git(dir, &["commit", "-qm", "base"]);
            for (p, t) in &self.changes {
                write(p, t);
            }
        }
    }

    fn base(&self, runner: &Runner) -> String {
        // Before the checkout there is no commit.
        match runner.path(".git").exists() {
            false => String::new(),
            true => git(runner.dir.path(), &["rev-parse", "HEAD"]),
        }
    }

    /// Plays the composite action (action.yml, as written) for a step
    /// `uses:` it at the pinned commit, `with` its inputs (evaluated in
    /// the job's `ctx`): every step of the action whose `if` holds, in a
    /// context of its inputs (the defaults, then `with`), its own steps'
    /// outputs, and the runner's `github.action_*`. Returns the action's
    /// outputs, whether it succeeded, and what it printed.
    fn action_step(
        &self,
        with: &Value,
        ctx: &Value,
        runner: &Runner,
        github: &FakeGitHub,
        ran: &mut Ran,
    ) -> (Value, bool) {
        let action = load("action.yml");
        let mut inputs = serde_json::Map::new();
        for (name, input) in action["inputs"].as_object().unwrap() {
            let default = input["default"].as_str().unwrap_or("");
            inputs.insert(name.clone(), Value::String(text_of(&expand(default, ctx))));
        }
        for (name, value) in with.as_object().into_iter().flatten() {
            assert!(inputs.contains_key(name), "the action has no input {name}");
            let v = expand(value.as_str().unwrap_or(&text_of(value)), ctx);
            inputs.insert(name.clone(), Value::String(text_of(&v)));
        }
        let mut steps = json!({});
        for st in action["runs"]["steps"].as_array().unwrap() {
            let inner = json!({
                "inputs": inputs,
                "steps": steps,
                "github": {
                    "action_path": self.action.action_path(),
                    "action_ref": COMMIT,
                    "action_repository": REPO,
                    "token": TOKEN,
                    "event_name": self.event,
                },
                "runner": { "temp": runner.path("tmp") },
            });
            if let Some(cond) = st["if"].as_str()
                && !truthy(&eval(cond, &inner))
            {
                continue;
            }
            let mut env: BTreeMap<String, String> = st["env"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), text_of(&expand(v.as_str().unwrap(), &inner))))
                .collect();
            // The runner's variables; the release server stands in for
            // the GitHub server's downloads.
            env.insert("RUNNER_OS".into(), "Linux".into());
            env.insert("RUNNER_ARCH".into(), "X64".into());
            if st["id"] == "install" {
                env.insert("GITHUB_SERVER_URL".into(), self.release.url.clone());
                env.insert(TEST_HTTP.into(), "1".into());
            }
            let _ = std::fs::remove_file(runner.path("output.txt"));
            let out = runner.run(st["run"].as_str().unwrap(), &env, Some(github));
            ran.text.push_str(&text(&out));
            let outputs = outputs_of(&runner.read("output.txt"));
            if st["id"] == "install" {
                ran.installed.push(outputs.clone());
            }
            if let Some(id) = st["id"].as_str() {
                steps[id] = json!({ "outputs": outputs });
            }
            if !out.status.success() {
                return (json!({}), false);
            }
        }
        let inner = json!({ "inputs": inputs, "steps": steps });
        let outputs: serde_json::Map<String, Value> = action["outputs"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), expand(v["value"].as_str().unwrap(), &inner)))
            .collect();
        (Value::Object(outputs), true)
    }

    /// One job of `wf`, as GitHub runs it: its environment's secrets over
    /// the repository's, its steps in order (`actions/checkout`, the action
    /// at the pinned commit, nothing else), stopping at the first failure.
    fn job(&self, job: &Value, needs: &Value, matrix: &Value, github: &FakeGitHub) -> Ran {
        let runner = Runner::new();
        // Only the release the action downloads runs, never a build.
        std::fs::remove_file(runner.path("target/release/oncall")).unwrap();
        let base_ctx = |secrets: &Value, steps: &Value| {
            json!({
                "github": {
                    "event_name": self.event,
                    "token": TOKEN,
                    "event": { "pull_request": { "number": 7, "base": { "sha": self.base(&runner) } } },
                },
                "secrets": secrets,
                "inputs": self.inputs,
                "steps": steps,
                "needs": needs,
                "matrix": matrix,
            })
        };
        let none = json!({});
        let environment = text_of(&expand(
            job["environment"].as_str().unwrap_or(""),
            &base_ctx(&none, &none),
        ));
        let mut secrets = self.secrets.clone();
        if let Some(env) = self.environments.get(&environment) {
            for (k, v) in env.as_object().unwrap() {
                secrets[k] = v.clone();
            }
        }
        let mut steps = json!({});
        let mut ran = Ran {
            name: text_of(&expand(
                job["name"].as_str().unwrap(),
                &base_ctx(&secrets, &steps),
            )),
            ok: true,
            text: String::new(),
            summary: String::new(),
            concurrency: text_of(&expand(
                job["concurrency"]["group"].as_str().unwrap_or(""),
                &base_ctx(&secrets, &steps),
            )),
            environment,
            outputs: json!({}),
            installed: Vec::new(),
        };
        for st in job["steps"].as_array().unwrap() {
            let ctx = base_ctx(&secrets, &steps);
            if let Some(cond) = st["if"].as_str()
                && !truthy(&eval(cond, &ctx))
            {
                continue;
            }
            let uses = st["uses"].as_str().expect("every step uses an action");
            if uses.starts_with("actions/checkout@") {
                assert_eq!(st["with"]["persist-credentials"], false);
                self.checkout(&runner);
                continue;
            }
            assert_eq!(uses, action(), "a step uses another action");
            let (outputs, ok) = self.action_step(&st["with"], &ctx, &runner, github, &mut ran);
            if let Some(id) = st["id"].as_str() {
                steps[id] = json!({ "outputs": outputs });
            }
            if !ok {
                ran.ok = false;
                break;
            }
        }
        let ctx = base_ctx(&secrets, &steps);
        ran.outputs = Value::Object(
            job["outputs"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), expand(v.as_str().unwrap(), &ctx)))
                .collect(),
        );
        ran.summary = runner.read("summary.md");
        ran
    }

    /// The daily workflow init wrote: the list job, then one job per
    /// matrix entry (on GitHub side by side; here in turn).
    fn daily(&self, github: &FakeGitHub) -> (Ran, Vec<Ran>) {
        let wf: Value = serde_saphyr::from_str(&self.files[DAILY]).unwrap();
        let none = json!({});
        let list = self.job(&wf["jobs"]["rotations"], &none, &none, github);
        assert!(list.ok, "the list job failed:\n{}", list.text);
        let handover = &wf["jobs"]["handover"];
        assert_eq!(handover["needs"], "rotations");
        assert_eq!(handover["strategy"]["fail-fast"], false);
        let needs = json!({ "rotations": { "outputs": list.outputs } });
        let ctx = json!({ "needs": needs });
        if !truthy(&eval(handover["if"].as_str().unwrap(), &ctx)) {
            return (list, Vec::new());
        }
        let matrix = expand(
            handover["strategy"]["matrix"]["rotation"].as_str().unwrap(),
            &ctx,
        );
        let jobs = matrix
            .as_array()
            .expect("the matrix is a list")
            .iter()
            .map(|entry| self.job(handover, &needs, &json!({ "rotation": entry }), github))
            .collect();
        (list, jobs)
    }
}

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

/// A rotation file elsewhere than `rotation.yaml` or `rotations/NAME/`
/// would be written and never handed over by the workflows init writes:
/// init refuses it and writes nothing.
#[test]
fn init_refuses_a_rotation_the_workflows_would_not_serve() {
    let dir = tempfile::tempdir().unwrap();
    let out = oncall(dir.path(), NOW)
        .args(["--config", "team/rotation.yaml", "--log", "team/log.md"])
        .args(["init", "--team", "SRE", "--timezone", "Europe/Berlin"])
        .args(["--member", "ana", "--member", "ben", "--action", &action()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("with --rotation NAME: the workflows it writes serve those"),
        "{}",
        text(&out)
    );
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
}

//! An organisation set up one team at a time (issue 23, item 1): from an
//! empty repository, `oncall init --rotation sre` then `oncall init
//! --rotation platform --calendar calendars/berlin.yaml`; the second run
//! touches nothing of the first team's and leaves the workflows as they
//! are. The workflows init wrote are then played as GitHub would play
//! them (the simulation of tests/it/workflows/, taught `uses:` of the
//! composite action and job environments): the action's own steps, its
//! binary downloaded from a release and verified against the pinned
//! commit's action/digests.txt (tests/it/action/'s release server), the
//! list job, then one handover job per team, each with its own pull request
//! and its own Slack webhook, an environment secret.
//!
//! This file holds the two teams' setup and the simulation of the
//! workflows init wrote (`Play`); `init` has the commands' tests, `played`
//! the workflows'.

use crate::action::{COMMIT, Job, REPO, Release, TEST_HTTP, good_release};
use crate::setup::{git_repo, oncall, snapshot};
use crate::support;
use crate::workflows::{Runner, eval, expand, git, load, outputs_of, text_of, truthy};

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;
use support::fake_github::{FakeGitHub, TOKEN};

mod init;
mod played;

/// Friday 2026-11-20, 09:00 in Berlin: the teams start on Monday.
const NOW: &str = "2026-11-20T08:00:00Z";
const DAILY: &str = ".github/workflows/oncall.yml";
const CHECK: &str = ".github/workflows/oncall-check.yml";
const MOVED: &str = ".github/workflows/oncall-moved.yml";
/// The commit a push landed (`github.sha`).
const PUSHED: &str = "0123456789abcdef0123456789abcdef01234567";
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
    /// The commit a push landed (`github.sha`).
    pushed: String,
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
            pushed: PUSHED.to_owned(),
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
                    "sha": self.pushed,
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
                    "sha": self.pushed,
                    "event": {
                        "pull_request": { "number": 7, "base": { "sha": self.base(&runner) } },
                        "before": self.base(&runner),
                    },
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
        self.matrix(DAILY, "handover", github)
    }

    /// The days-moved workflow init wrote, as [`Play::daily`] (a push: the
    /// base is the checkout's HEAD, the change is in its work tree).
    fn moved(&self, github: &FakeGitHub) -> (Ran, Vec<Ran>) {
        self.matrix(MOVED, "tell", github)
    }

    /// A workflow of two jobs: `rotations` (the list), then `job` once per
    /// rotation it lists.
    fn matrix(&self, workflow: &str, job: &str, github: &FakeGitHub) -> (Ran, Vec<Ran>) {
        let wf: Value = serde_saphyr::from_str(&self.files[workflow]).unwrap();
        let none = json!({});
        let list = self.job(&wf["jobs"]["rotations"], &none, &none, github);
        assert!(list.ok, "the list job failed:\n{}", list.text);
        let handover = &wf["jobs"][job];
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

//! The workflows' and the action's scripts, run exactly as they are written
//! (same env names, same flags) against the fake GitHub and Slack. This
//! file holds what the files beside it share: a job's runner, the daily
//! workflow played job by job (`Daily`), and small helpers; `expr` holds
//! the expressions of Actions.

use crate::support;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use support::fake_github::{FakeGitHub, NAME, OWNER, TOKEN};
use support::fake_slack::FakeSlack;

mod check;
mod composite;
mod daily;
mod expr;
mod matrix;
mod moved;
mod pages;
mod routing;

pub(crate) use expr::{eval, expand, outputs_of, text_of, truthy};

pub(crate) fn load(path: &str) -> Value {
    serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The step with this id (or name) in a list of steps.
pub(crate) fn step<'a>(steps: &'a Value, key: &str) -> &'a Value {
    steps
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == key || s["name"] == key)
        .unwrap_or_else(|| panic!("no step {key}"))
}

pub(crate) fn env_of(step: &Value) -> BTreeMap<String, String> {
    step["env"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) const TEAM: &str = "team: Workflow team\ntimezone: Europe/Berlin\nstart: 2026-11-23\nmembers:\n  - { github: ana, slack: U0WORKFL01 }\n  - { github: ben }\n";

pub(crate) struct Runner {
    pub(crate) dir: tempfile::TempDir,
}

impl Runner {
    /// A job's workspace with the binary where the workflow builds it (as
    /// a cache restore leaves it), and a `cargo` on the PATH whose `build`
    /// puts the binary there (and notes in `tmp/cargo.log` that it built).
    pub(crate) fn new() -> Runner {
        let dir = tempfile::tempdir().unwrap();
        for d in ["target/release", "tmp", "bin"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        let bin = assert_cmd::cargo::cargo_bin("oncall");
        std::fs::copy(&bin, dir.path().join("target/release/oncall")).unwrap();
        let cargo = dir.path().join("bin/cargo");
        std::fs::write(
            &cargo,
            format!(
                "#!/bin/sh\necho \"$*\" >> '{}'\nmkdir -p target/release && cp '{}' target/release/oncall\n",
                dir.path().join("tmp/cargo.log").display(),
                bin.display()
            ),
        )
        .unwrap();
        let mut perms = std::fs::metadata(&cargo).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&cargo, perms).unwrap();
        Runner { dir }
    }
    pub(crate) fn path(&self, p: &str) -> std::path::PathBuf {
        self.dir.path().join(p)
    }
    pub(crate) fn read(&self, p: &str) -> String {
        std::fs::read_to_string(self.path(p)).unwrap_or_default()
    }
    /// Runs a `run:` script as Actions does (`bash -e` with pipefail), with
    /// the runner's variables and the step's `env:`.
    pub(crate) fn run(
        &self,
        script: &str,
        env: &BTreeMap<String, String>,
        github: Option<&FakeGitHub>,
    ) -> std::process::Output {
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(self.dir.path())
            .env_clear()
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    self.path("bin").display(),
                    std::env::var("PATH").unwrap()
                ),
            )
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

pub(crate) fn fake_repo() -> FakeGitHub {
    let f = FakeGitHub::start(&[("rotation.yaml", TEAM)]);
    f.with(|s| {
        s.users = vec![
            ("ana".into(), "U_ana".into()),
            ("ben".into(), "U_ben".into()),
        ]
    });
    f
}

/// A step's `env:`, expanded in `ctx`.
fn env_in(step: &Value, ctx: &Value) -> BTreeMap<String, String> {
    env_of(step)
        .into_iter()
        .map(|(k, v)| (k, text_of(&expand(&v, ctx))))
        .collect()
}

/// One job's run: its exit status, what it printed, its summary and the
/// outputs of its steps.
pub(crate) struct JobRun {
    name: String,
    pub(crate) ok: bool,
    code: Option<i32>,
    pub(crate) text: String,
    pub(crate) summary: String,
    pub(crate) concurrency: String,
    /// The job ran `cargo build`.
    built: bool,
}

/// The daily workflow (.github/workflows/oncall-daily.yml), run as GitHub
/// would: the list job in a checkout of `files`, then one job per matrix
/// entry, each in its own fresh checkout, against the fake GitHub, with
/// the repository's `secrets` and `vars` and the dispatch `inputs`.
pub(crate) struct Daily {
    files: Vec<(String, String)>,
    secrets: Value,
    vars: Value,
    pub(crate) event: &'static str,
    inputs: Value,
    /// Lines an adopter adds to the hand-over step's env (one per webhook
    /// variable their rotations name).
    extra_env: Vec<(String, String)>,
    /// What the cache restores where the binary goes, in every job: the
    /// list job's build (`None`), or this (a file someone else put in the
    /// cache under the key; empty: nothing restored).
    cached: Option<String>,
}

impl Daily {
    pub(crate) fn new(files: &[(&str, &str)], secrets: Value) -> Daily {
        Daily {
            files: files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
            secrets,
            vars: serde_json::json!({ "ONCALL_LIVE": "true" }),
            event: "schedule",
            inputs: serde_json::json!({}),
            extra_env: Vec::new(),
            cached: None,
        }
    }

    /// A runner with the repository checked out.
    fn checkout(&self) -> Runner {
        let runner = Runner::new();
        match self.cached.as_deref() {
            None => {}
            Some("") => std::fs::remove_file(runner.path("target/release/oncall")).unwrap(),
            Some(planted) => {
                let path = runner.path("target/release/oncall");
                std::fs::write(&path, planted).unwrap();
                let mut perms = std::fs::metadata(&path).unwrap().permissions();
                std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
                std::fs::set_permissions(&path, perms).unwrap();
            }
        }
        for (p, t) in &self.files {
            let path = runner.path(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        }
        runner
    }

    fn ctx(&self, steps: &Value, needs: &Value, matrix: &Value) -> Value {
        serde_json::json!({
            "github": { "event_name": self.event, "token": TOKEN },
            "secrets": self.secrets,
            "vars": self.vars,
            "inputs": self.inputs,
            "steps": steps,
            "needs": needs,
            "matrix": matrix,
        })
    }

    /// Runs a job's `run:` steps in order (the `uses:` ones are the
    /// checkout, the cache and the App token, played by `checkout` and the
    /// binary in place); stops at the first failing step, as Actions does.
    fn job(
        &self,
        job: &Value,
        needs: &Value,
        matrix: &Value,
        github: &FakeGitHub,
    ) -> (JobRun, Value) {
        let runner = self.checkout();
        let mut steps = serde_json::json!({ "app-token": { "outputs": {} } });
        let name = text_of(&expand(
            job["name"].as_str().unwrap(),
            &self.ctx(&steps, needs, matrix),
        ));
        let concurrency = text_of(&expand(
            job["concurrency"]["group"].as_str().unwrap_or(""),
            &self.ctx(&steps, needs, matrix),
        ));
        let mut text = String::new();
        let (mut ok, mut code) = (true, Some(0));
        for st in job["steps"].as_array().unwrap() {
            let ctx = self.ctx(&steps, needs, matrix);
            if let Some(cond) = st["if"].as_str()
                && !truthy(&eval(cond, &ctx))
            {
                continue;
            }
            let Some(script) = st["run"].as_str() else {
                continue;
            };
            let mut env = env_in(st, &ctx);
            if st["id"] == "oncall" {
                for (k, v) in &self.extra_env {
                    env.insert(k.clone(), text_of(&expand(v, &ctx)));
                }
            }
            let _ = std::fs::remove_file(runner.path("output.txt"));
            let out = runner.run(script, &env, Some(github));
            text.push_str(&String::from_utf8_lossy(&out.stdout));
            text.push_str(&String::from_utf8_lossy(&out.stderr));
            if let Some(id) = st["id"].as_str() {
                steps[id] =
                    serde_json::json!({ "outputs": outputs_of(&runner.read("output.txt")) });
            }
            if !out.status.success() {
                (ok, code) = (false, out.status.code());
                break;
            }
        }
        let ctx = self.ctx(&steps, needs, matrix);
        let outputs: serde_json::Map<String, Value> = job["outputs"]
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), expand(v.as_str().unwrap(), &ctx)))
                    .collect()
            })
            .unwrap_or_default();
        let run = JobRun {
            name,
            ok,
            code,
            text,
            summary: runner.read("summary.md"),
            concurrency,
            built: !runner.read("tmp/cargo.log").is_empty(),
        };
        (run, Value::Object(outputs))
    }

    /// The whole workflow: the list job, then the matrix (each entry's job
    /// in turn; on GitHub they run side by side).
    pub(crate) fn run(&self, github: &FakeGitHub) -> (JobRun, Vec<JobRun>) {
        let wf = load(".github/workflows/oncall-daily.yml");
        let none = serde_json::json!({});
        let (list, outputs) = self.job(&wf["jobs"]["rotations"], &none, &none, github);
        assert!(list.ok, "the list job failed:\n{}", list.text);
        let handover = &wf["jobs"]["handover"];
        assert_eq!(handover["needs"], "rotations");
        let needs = serde_json::json!({ "rotations": { "outputs": outputs } });
        let ctx = self.ctx(&none, &needs, &none);
        if !truthy(&eval(handover["if"].as_str().unwrap(), &ctx)) {
            return (list, Vec::new());
        }
        assert_eq!(handover["strategy"]["fail-fast"], false);
        let matrix = expand(
            handover["strategy"]["matrix"]["rotation"].as_str().unwrap(),
            &ctx,
        );
        let jobs = matrix
            .as_array()
            .expect("the matrix is a list")
            .iter()
            .map(|entry| {
                let m = serde_json::json!({ "rotation": entry });
                self.job(handover, &needs, &m, github).0
            })
            .collect();
        (list, jobs)
    }
}

/// Secrets of a scheduled run: the default webhook.
pub(crate) fn secrets(slack: &FakeSlack) -> Value {
    serde_json::json!({ "SLACK_WEBHOOK_URL": slack.url })
}

fn assert_no_secret(text: &str, slack_urls: &[&str]) {
    support::secrets::assert_no_secret(text, "the job's log", slack_urls);
}

/// The organisation of tests/fixtures/organisation: three rotations (SRE
/// and Platform share calendars/berlin.yaml and Ana), each with its own
/// webhook variable.
fn organisation() -> Vec<(String, String)> {
    let root = Path::new("tests/fixtures/organisation");
    let mut files = Vec::new();
    for p in [
        "calendars/berlin.yaml",
        "rotations/sre/rotation.yaml",
        "rotations/platform/rotation.yaml",
        "rotations/db/rotation.yaml",
    ] {
        files.push((p.to_owned(), std::fs::read_to_string(root.join(p)).unwrap()));
    }
    files
}

pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
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

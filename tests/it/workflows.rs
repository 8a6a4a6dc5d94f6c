//! The workflows' and the action's scripts, run exactly as they are written
//! (same env names, same flags) against the fake GitHub and Slack.

use crate::support;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use support::fake_github::{FakeGitHub, NAME, OWNER, TOKEN};
use support::fake_slack::FakeSlack;

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

/// A GitHub Actions expression (`${{ … }}`), evaluated in `ctx` for the
/// forms the workflows use: context paths (`matrix.rotation.name`,
/// `secrets.X`, `steps.id.outputs.x`), string literals, `==`, `!=`, `&&`,
/// `||`, parentheses, `true` and `false`, `fromJSON(…)`, `toJSON(…)` and `startsWith(…, …)`
/// (case-insensitive, as Actions has it). Anything else fails the test, so
/// the workflow cannot use an expression this simulation does not
/// understand.
pub(crate) fn eval(expr: &str, ctx: &Value) -> Value {
    let e = expr.trim();
    if e.starts_with('(') && closing(e, 0) == Some(e.len() - 1) {
        return eval(&e[1..e.len() - 1], ctx);
    }
    for (op, is_or) in [("||", true), ("&&", false)] {
        if let Some((a, b)) = split_top(e, op) {
            let a = eval(a, ctx);
            return match (truthy(&a), is_or) {
                (true, true) | (false, false) => a,
                _ => eval(b, ctx),
            };
        }
    }
    for (op, eq) in [("==", true), ("!=", false)] {
        if let Some((a, b)) = split_top(e, op) {
            let same = text_of(&eval(a, ctx)) == text_of(&eval(b, ctx));
            return Value::Bool(same == eq);
        }
    }
    if let Some(inner) = e
        .strip_prefix("fromJSON(")
        .and_then(|r| r.strip_suffix(')'))
    {
        return serde_json::from_str(&text_of(&eval(inner, ctx))).expect("fromJSON of JSON");
    }
    if let Some(inner) = e.strip_prefix("toJSON(").and_then(|r| r.strip_suffix(')')) {
        return Value::String(serde_json::to_string_pretty(&eval(inner, ctx)).unwrap());
    }
    if let Some(args) = e
        .strip_prefix("startsWith(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let (a, b) = split_top(args, ",").expect("startsWith(a, b)");
        let (a, b) = (text_of(&eval(a, ctx)), text_of(&eval(b, ctx)));
        return Value::Bool(a.to_lowercase().starts_with(&b.to_lowercase()));
    }
    if let Some(lit) = e.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return Value::String(lit.to_owned());
    }
    if let Ok(b) = e.parse::<bool>() {
        return Value::Bool(b);
    }
    assert!(
        e.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
        "an expression the simulation does not know: {e}"
    );
    let mut v = ctx;
    for part in e.split('.') {
        v = &v[part];
    }
    v.clone()
}

/// The index of the `)` that closes the `(` at `open`.
fn closing(e: &str, open: usize) -> Option<usize> {
    let (mut depth, mut quoted) = (0, false);
    for (i, c) in e.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `e` split at the first `op` outside quotes and parentheses.
fn split_top<'a>(e: &'a str, op: &str) -> Option<(&'a str, &'a str)> {
    let (mut depth, mut quoted) = (0, false);
    for (i, c) in e.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            _ if !quoted && depth == 0 && e[i..].starts_with(op) => {
                return Some((&e[..i], &e[i + op.len()..]));
            }
            _ => {}
        }
    }
    None
}

pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => n.as_f64() != Some(0.0),
        _ => true,
    }
}

pub(crate) fn text_of(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A workflow string with its `${{ … }}` replaced (a whole-expression
/// string keeps the value's type, as Actions does for `matrix:`).
pub(crate) fn expand(text: &str, ctx: &Value) -> Value {
    let t = text.trim();
    if let Some(inner) = t.strip_prefix("${{").and_then(|r| r.strip_suffix("}}"))
        && !inner.contains("${{")
    {
        return eval(inner, ctx);
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${{") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find("}}").expect("closed expression") + at;
        out.push_str(&text_of(&eval(&rest[at + 3..end], ctx)));
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    Value::String(out)
}

/// A step's `env:`, expanded in `ctx`.
fn env_in(step: &Value, ctx: &Value) -> BTreeMap<String, String> {
    env_of(step)
        .into_iter()
        .map(|(k, v)| (k, text_of(&expand(&v, ctx))))
        .collect()
}

/// `name=value` lines of a `$GITHUB_OUTPUT` file.
pub(crate) fn outputs_of(text: &str) -> serde_json::Map<String, Value> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
        .collect()
}

/// One job's run: its exit status, what it printed, its summary and the
/// outputs of its steps.
pub(crate) struct JobRun {
    name: String,
    pub(crate) ok: bool,
    code: Option<i32>,
    pub(crate) text: String,
    summary: String,
    concurrency: String,
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

/// The values of the action's check step (`env:` keys already checked):
/// the base commit, the binary, and the `config` and `log` inputs' defaults.
fn check_env(env: &mut BTreeMap<String, String>, action: &Value, runner: &Runner, base: String) {
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
}

#[test]
fn the_check_workflow_annotates_and_previews_as_written() {
    let wf = load(".github/workflows/oncall-check.yml");
    let steps = &wf["jobs"]["check"]["steps"];
    assert_eq!(
        wf["on"]["pull_request"]["paths"],
        serde_json::json!([
            "rotation.yaml",
            "oncall-log.md",
            "rotations/**",
            "calendars/**"
        ])
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
    check_env(&mut env, &action, &runner, base);
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

/// The roster check of an organisation's pull request, as the action's
/// step is written: a change to the shared calendar is previewed for both
/// rotations that include it (and not for the third), and a broken
/// calendar is annotated on its own line.
#[test]
fn the_check_previews_every_rotation_a_calendar_change_touches() {
    let action = load("action.yml");
    let check = step(&action["runs"]["steps"], "check");
    let script = check["run"].as_str().unwrap();
    let runner = Runner::new();
    let dir = runner.dir.path();
    git(dir, &["init", "-q"]);
    for (p, t) in organisation() {
        let path = dir.join(&p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, t).unwrap();
    }
    git(dir, &["add", "calendars", "rotations"]);
    git(dir, &["commit", "-qm", "base"]);
    let base = git(dir, &["rev-parse", "HEAD"]);
    let calendar = dir.join("calendars/berlin.yaml");
    let text = std::fs::read_to_string(&calendar).unwrap();
    std::fs::write(
        &calendar,
        format!("{text}  - {{ date: 2026-11-25, name: Team day }}\n"),
    )
    .unwrap();
    let mut env = env_of(check);
    check_env(&mut env, &action, &runner, base);
    let out = runner.run(script, &env, None);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = runner.read("summary.md");
    assert!(summary.contains("### Rotation `platform`"), "{summary}");
    assert!(summary.contains("### Rotation `sre`"), "{summary}");
    assert!(!summary.contains("### Rotation `db`"), "{summary}");
    assert!(
        summary.contains(
            "| 2026-11-25 | Wed | ~~Cara Example (`@cara`)~~ | ***holiday: Team day*** | changed |"
        ),
        "{summary}"
    );
    // The base tree was unpacked outside the checkout.
    assert!(!dir.join("oncall-base").exists());

    // A broken calendar: annotated on its line; the step fails.
    std::fs::write(&calendar, format!("{text}  - 2026-02-30\n")).unwrap();
    std::fs::remove_file(runner.path("summary.md")).unwrap();
    let out = runner.run(script, &env, None);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error file=calendars/berlin.yaml,line=9,col=5,"),
        "{stdout}"
    );
    let summary = runner.read("summary.md");
    assert!(
        summary.contains("Not previewed: rotations/sre/rotation.yaml has problems"),
        "{summary}"
    );
}

/// The routing workflow starts a job only for an event that can route: a
/// label added, an issue opened with a label, a comment that starts with a
/// command (`/`); never for another comment. Every event `oncall assign`
/// would route passes the filter (but a command after leading blanks, which
/// starts no job).
#[test]
fn the_routing_workflow_starts_no_job_for_an_ordinary_comment() {
    let wf = load(".github/workflows/oncall-assign.yml");
    let cond = wf["jobs"]["assign"]["if"].as_str().unwrap();
    let runs = |event_name: &str, event: &Value, live: bool| {
        let ctx = serde_json::json!({
            "github": { "event_name": event_name, "event": event },
            "vars": if live { serde_json::json!({ "ONCALL_LIVE": "true" }) } else { serde_json::json!({}) },
        });
        truthy(&eval(cond, &ctx))
    };
    let comment = |body: &str| serde_json::json!({ "action": "created", "issue": { "number": 7, "state": "open" }, "comment": { "body": body, "user": { "login": "ana" }, "author_association": "MEMBER" } });
    let labeled = serde_json::json!({ "action": "labeled", "label": { "name": "kind/question" }, "issue": { "number": 7, "state": "open", "labels": [{ "name": "kind/question" }] } });
    let opened = |labels: Value| serde_json::json!({ "action": "opened", "issue": { "number": 7, "state": "open", "labels": labels } });
    assert!(runs("issues", &labeled, true));
    assert!(runs(
        "issues",
        &opened(serde_json::json!([{ "name": "kind/question" }])),
        true
    ));
    assert!(!runs("issues", &opened(serde_json::json!([])), true));
    assert!(runs("issue_comment", &comment("/assign-to-oncall"), true));
    assert!(runs("issue_comment", &comment("/oncall\nplease"), true));
    // The swap commands too (README, "Ask for a swap by comment").
    assert!(runs("issue_comment", &comment("/swap 2027-01-12"), true));
    assert!(runs("issue_comment", &comment("/take 2027-01-19"), true));
    for body in [
        "thanks!",
        "",
        "LGTM\n/assign-to-oncall",
        "see https://example.org/x",
    ] {
        assert!(!runs("issue_comment", &comment(body), true), "{body:?}");
    }
    // Not live: nothing runs.
    assert!(!runs("issues", &labeled, false));
    assert!(!runs("issue_comment", &comment("/assign-to-oncall"), false));
    // The filter lets through every comment that oncall routes.
    let rot = oncall_core::config::load(
        "rotation.yaml",
        "team: T\ntimezone: UTC\nstart: 2026-11-23\nmembers:\n  - github: ana\n",
    )
    .unwrap()
    .0;
    for body in [
        "/assign-to-oncall",
        "/assign-to-oncall \nplease",
        "/assign-to-oncall\r\nplease",
        "/ASSIGN-TO-ONCALL",
        "hello",
        " /assign-to-oncall",
    ] {
        let routes = !matches!(
            oncall_core::routing::route("issue_comment", &comment(body), &rot),
            oncall_core::routing::Route::Skip(_)
        );
        let starts = runs("issue_comment", &comment(body), true);
        match body.starts_with(char::is_whitespace) {
            false => assert!(!routes || starts, "{body:?} routes but starts no job"),
            true => assert!(
                routes && !starts,
                "{body:?}: the one difference, documented"
            ),
        }
    }
}

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

//! Snapshots of what `oncall advance` says, before a restructure of the
//! code behind it: the terminal output (stdout and stderr) of the local
//! path and of `--pr` against the fake GitHub, for an ordinary day and for
//! each "nothing to do", and the GitHub Actions step summary and outputs of
//! the same runs. All on the frozen example files (tests/fixtures/example:
//! last handover Thursday 2026-11-26), with the clock pinned by ONCALL_NOW.

use crate::support;

use assert_cmd::Command;
use std::path::Path;
use support::fake_github::{FakeGitHub, NAME, OWNER, TOKEN};
use support::repo::Repo;

/// The example files, as the fake GitHub's `main` holds them for `--pr`.
fn example(name: &str) -> String {
    std::fs::read_to_string(Path::new("tests/fixtures/example").join(name)).unwrap()
}

/// Dates of the example rotation (Europe/Berlin; holidays from 2026-12-24;
/// start Monday 2026-11-16; state at Thursday 2026-11-26).
const ORDINARY: &str = "2026-11-27"; // Friday: the next working day
const WEEKEND: &str = "2026-11-28"; // Saturday
const HOLIDAY: &str = "2026-12-24"; // Christmas Eve
const BEFORE_START: &str = "2026-11-13"; // the Friday before the start
const BEFORE_LAST: &str = "2026-11-25"; // before the last handover

/// 09:00 UTC on `date` (10:00 in Berlin): the daily run's "now".
fn now(date: &str) -> String {
    format!("{date}T09:00:00Z")
}

/// The GitHub Actions environment of a run: the step summary and the
/// outputs are files in a temporary directory.
struct Actions {
    dir: tempfile::TempDir,
}

impl Actions {
    fn new() -> Actions {
        Actions {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn summary(&self) -> std::path::PathBuf {
        self.dir.path().join("step_summary.md")
    }
    fn output(&self) -> std::path::PathBuf {
        self.dir.path().join("output.txt")
    }
    fn apply(&self, cmd: &mut Command) {
        cmd.env("GITHUB_ACTIONS", "true")
            .env("GITHUB_STEP_SUMMARY", self.summary())
            .env("GITHUB_OUTPUT", self.output())
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("GITHUB_REPOSITORY", format!("{OWNER}/{NAME}"))
            .env("GITHUB_REF_NAME", "main");
    }
    /// Both files, as one snapshot.
    fn files(&self) -> String {
        let read = |p: std::path::PathBuf| {
            std::fs::read_to_string(p).unwrap_or_else(|_| "(not written)\n".to_owned())
        };
        format!(
            "--- GITHUB_STEP_SUMMARY ---\n{}--- GITHUB_OUTPUT ---\n{}",
            read(self.summary()),
            read(self.output())
        )
    }
}

/// What a run printed, with what varies between runs replaced.
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn snapshot(&self) -> String {
        format!(
            "exit code: {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Strips the environment the test inherits (any SLACK_*, GITHUB_* or
/// ONCALL_* variable) and pins the clock.
fn hermetic(cmd: &mut Command, now: &str) {
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if ["SLACK_", "GITHUB_", "ONCALL_"]
            .iter()
            .any(|p| key.starts_with(p))
        {
            cmd.env_remove(key.as_ref());
        }
    }
    cmd.env("ONCALL_NOW", now);
}

/// Runs `cmd`, replacing each `(from, to)` in its output.
fn output(cmd: &mut Command, redact: &[(String, &str)]) -> Ran {
    let out = cmd.output().unwrap();
    let clean = |bytes: &[u8]| {
        let mut s = String::from_utf8_lossy(bytes).into_owned();
        for (from, to) in redact {
            s = s.replace(from.as_str(), to);
        }
        s
    };
    Ran {
        code: out.status.code(),
        stdout: clean(&out.stdout),
        stderr: clean(&out.stderr),
    }
}

fn redactions(dirs: &[&Path]) -> Vec<(String, &'static str)> {
    let mut r = vec![(TOKEN.to_owned(), "[TOKEN]")];
    for d in dirs {
        r.push((d.display().to_string(), "[TMP]"));
    }
    r
}

// ---------------------------------------------------------------- local

/// `oncall advance ARGS` on `repo` at 09:00 UTC on `date`.
fn local(repo: &Repo, date: &str, args: &[&str], actions: Option<&Actions>) -> Ran {
    let mut cmd = repo.oncall();
    hermetic(&mut cmd, &now(date));
    cmd.arg("advance").args(args);
    let mut dirs = vec![repo.dir.path()];
    if let Some(a) = actions {
        a.apply(&mut cmd);
        dirs.push(a.dir.path());
    }
    output(&mut cmd, &redactions(&dirs))
}

/// The files a case starts from.
#[derive(Clone, Copy)]
enum Fixture {
    /// The example files (state at 2026-11-26).
    Example,
    /// The example rotation without its `state:` block and no log: a team
    /// whose rotation has not started (a state after today is refused).
    NotStarted,
}

/// The example rotation before its first handover.
fn not_started() -> String {
    let text = example("rotation.yaml");
    let at = text
        .find("# Where the rotation stands.")
        .expect("the state block's comment");
    text[..at].to_owned()
}

/// A local case that writes or decides (not the dry run): its name, its
/// files, the runs before it, and its own (date, args).
struct Case {
    name: &'static str,
    fixture: Fixture,
    before: &'static [&'static str],
    date: &'static str,
    args: &'static [&'static str],
}

const LOCAL: &[Case] = &[
    Case {
        name: "ordinary",
        fixture: Fixture::Example,
        before: &[],
        date: ORDINARY,
        args: &[],
    },
    Case {
        name: "weekend",
        fixture: Fixture::Example,
        before: &[],
        date: WEEKEND,
        args: &[],
    },
    Case {
        name: "holiday",
        fixture: Fixture::Example,
        before: &[],
        date: HOLIDAY,
        args: &[],
    },
    Case {
        name: "before_start",
        fixture: Fixture::NotStarted,
        before: &[],
        date: BEFORE_START,
        args: &[],
    },
    Case {
        name: "rerun_already_done",
        fixture: Fixture::Example,
        before: &[ORDINARY],
        date: ORDINARY,
        args: &[],
    },
    Case {
        name: "date_before_last_handover",
        fixture: Fixture::Example,
        before: &[],
        date: ORDINARY,
        args: &["--date", BEFORE_LAST],
    },
];

fn local_case(case: &Case, actions: Option<&Actions>) -> Ran {
    let repo = match case.fixture {
        Fixture::Example => Repo::example(),
        Fixture::NotStarted => Repo::with(&not_started(), None),
    };
    for d in case.before {
        let r = local(&repo, d, &[], None);
        assert_eq!(r.code, Some(0), "{}: {}", case.name, r.snapshot());
    }
    local(&repo, case.date, case.args, actions)
}

#[test]
fn local_terminal_output() {
    let repo = Repo::example();
    let before = repo.files();
    let r = local(&repo, ORDINARY, &["--dry-run"], None);
    assert_eq!(repo.files(), before, "a dry run writes nothing");
    insta::assert_snapshot!("local_ordinary_dry_run", r.snapshot());
    for case in LOCAL {
        let r = local_case(case, None);
        insta::assert_snapshot!(format!("local_{}", case.name), r.snapshot());
    }
}

#[test]
fn local_step_summary_and_outputs() {
    for case in LOCAL {
        let actions = Actions::new();
        let r = local_case(case, Some(&actions));
        assert_eq!(r.code, Some(0), "{}: {}", case.name, r.snapshot());
        insta::assert_snapshot!(format!("summary_local_{}", case.name), actions.files());
    }
}

// ---------------------------------------------------------------- --pr

/// A fake GitHub whose `main` holds the example files, every member a
/// collaborator (so that review requests succeed).
fn fake(fixture: Fixture) -> FakeGitHub {
    let f = match fixture {
        Fixture::Example => FakeGitHub::start(&[
            ("rotation.yaml", &example("rotation.yaml")),
            ("oncall-log.md", &example("oncall-log.md")),
            ("README.md", "# ops\n"),
        ]),
        Fixture::NotStarted => {
            FakeGitHub::start(&[("rotation.yaml", &not_started()), ("README.md", "# ops\n")])
        }
    };
    f.with(|s| {
        s.users = [
            "amara", "bruno", "chen", "dalia", "emil", "farah", "goran", "hana",
        ]
        .iter()
        .map(|m| (format!("demo-{m}"), format!("U_{m}")))
        .collect();
    });
    f
}

/// `oncall advance --pr ARGS` at 09:00 UTC on `date`, in an empty
/// directory (`--pr` reads the files from GitHub).
fn pr(f: &FakeGitHub, date: &str, args: &[&str], actions: Option<&Actions>) -> Ran {
    let empty = tempfile::tempdir().unwrap();
    let mut cmd = Command::cargo_bin("oncall").unwrap();
    cmd.current_dir(empty.path());
    hermetic(&mut cmd, &now(date));
    cmd.args(["advance", "--pr"])
        .args(args)
        .envs(f.env())
        .env("GITHUB_GRAPHQL_URL", format!("{}/graphql", f.url));
    let mut dirs = vec![empty.path()];
    if let Some(a) = actions {
        a.apply(&mut cmd);
        dirs.push(a.dir.path());
    }
    let mut redact = redactions(&dirs);
    redact.push((f.url.clone(), "http://127.0.0.1:[PORT]"));
    output(&mut cmd, &redact)
}

/// What happens on the fake before a case's own run.
#[derive(Clone, Copy)]
enum Before {
    Nothing,
    /// The ordinary day's pull request is open.
    Opened,
    /// The ordinary day's pull request was opened and merged.
    Merged,
}

type PrCase = (
    &'static str,
    Fixture,
    Before,
    &'static str,
    &'static [&'static str],
);

const PR: &[PrCase] = &[
    (
        "ordinary_opens_pr",
        Fixture::Example,
        Before::Nothing,
        ORDINARY,
        &[],
    ),
    (
        "rerun_nothing_to_do",
        Fixture::Example,
        Before::Opened,
        ORDINARY,
        &[],
    ),
    (
        "merged_already",
        Fixture::Example,
        Before::Merged,
        ORDINARY,
        &[],
    ),
    ("weekend", Fixture::Example, Before::Nothing, WEEKEND, &[]),
    ("holiday", Fixture::Example, Before::Nothing, HOLIDAY, &[]),
    (
        "before_start",
        Fixture::NotStarted,
        Before::Nothing,
        BEFORE_START,
        &[],
    ),
    (
        "date_before_last_handover",
        Fixture::Example,
        Before::Nothing,
        ORDINARY,
        &["--date", BEFORE_LAST],
    ),
];

fn pr_case(case: &PrCase, actions: Option<&Actions>) -> Ran {
    let &(_, fixture, before, date, args) = case;
    let f = fake(fixture);
    if let Before::Opened | Before::Merged = before {
        let r = pr(&f, ORDINARY, &[], None);
        assert_eq!(r.code, Some(0), "{}", r.snapshot());
        assert_eq!(f.with(|s| s.open_prs().len()), 1);
    }
    if let Before::Merged = before {
        f.with(|s| s.merge(1));
    }
    pr(&f, date, args, actions)
}

#[test]
fn pr_terminal_output() {
    let f = fake(Fixture::Example);
    let r = pr(&f, ORDINARY, &["--dry-run"], None);
    assert_eq!(
        f.with(|s| s.head("oncall/handover")),
        None,
        "nothing written"
    );
    insta::assert_snapshot!("pr_ordinary_dry_run", r.snapshot());
    for case in PR {
        let r = pr_case(case, None);
        insta::assert_snapshot!(format!("pr_{}", case.0), r.snapshot());
    }
}

#[test]
fn pr_step_summary_and_outputs() {
    for case in PR {
        let actions = Actions::new();
        let r = pr_case(case, Some(&actions));
        assert_eq!(r.code, Some(0), "{}: {}", case.0, r.snapshot());
        insta::assert_snapshot!(format!("summary_pr_{}", case.0), actions.files());
    }
}

// ------------------------------------------------- the lint on both paths

/// The example rotation with an override that names the member on call
/// that day anyway (a lint warning), found by asking `oncall who`.
fn with_idle_override() -> String {
    let repo = Repo::example();
    let mut cmd = repo.oncall();
    hermetic(&mut cmd, &now(ORDINARY));
    let who = cmd.args(["who", "2026-12-01"]).output().unwrap();
    let who = String::from_utf8_lossy(&who.stdout);
    let login = who.split("(@").nth(1).and_then(|r| r.split(')').next());
    let login = login.expect("a member on call on 2026-12-01").to_owned();
    example("rotation.yaml").replace(
        "overrides:\n",
        &format!("overrides:\n  - date: 2026-12-01\n    github: {login}\n"),
    )
}

#[test]
fn the_lint_refuses_a_state_in_the_future_on_both_paths() {
    // The example's state is at 2026-11-26; on 2026-11-13 that is the
    // future. The local path always refused it; `--pr` now does too,
    // before any write.
    let repo = Repo::example();
    let local = local(&repo, BEFORE_START, &[], None);
    assert_eq!(local.code, Some(2), "{}", local.snapshot());
    assert!(
        local
            .stderr
            .contains("`state.since` is 2026-11-26, after today (2026-11-13"),
        "{}",
        local.snapshot()
    );

    let f = fake(Fixture::Example);
    let actions = Actions::new();
    let remote = pr(&f, BEFORE_START, &[], Some(&actions));
    assert_eq!(remote.code, Some(2), "{}", remote.snapshot());
    assert!(
        remote.stderr.contains("rotation.yaml (on main):"),
        "{}",
        remote.snapshot()
    );
    assert!(
        remote
            .stderr
            .contains("`state.since` is 2026-11-26, after today (2026-11-13"),
        "{}",
        remote.snapshot()
    );
    // Annotated on the file's path in the repository, and nothing written.
    assert!(
        remote.stdout.contains("::error file=rotation.yaml,"),
        "{}",
        remote.snapshot()
    );
    assert_eq!(f.with(|s| s.head("oncall/handover")), None);
    assert!(
        actions.files().contains("No on-call handover today"),
        "{}",
        actions.files()
    );
}

#[test]
fn the_lint_warnings_are_printed_and_annotated_on_both_paths() {
    let text = with_idle_override();
    let warning = "the override on 2026-12-01 names";
    // Local.
    let repo = Repo::with(&text, Some(&example("oncall-log.md")));
    let actions = Actions::new();
    let r = local(&repo, ORDINARY, &[], Some(&actions));
    assert_eq!(r.code, Some(0), "{}", r.snapshot());
    assert!(r.stderr.contains(warning), "{}", r.snapshot());
    assert!(
        r.stdout.contains("::warning file=rotation.yaml,line="),
        "{}",
        r.snapshot()
    );
    // --pr, from the base branch's file.
    let f = FakeGitHub::start(&[
        ("rotation.yaml", &text),
        ("oncall-log.md", &example("oncall-log.md")),
    ]);
    let actions = Actions::new();
    let r = pr(&f, ORDINARY, &[], Some(&actions));
    assert_eq!(r.code, Some(0), "{}", r.snapshot());
    assert!(
        r.stderr.contains("rotation.yaml (on main):"),
        "{}",
        r.snapshot()
    );
    assert!(r.stderr.contains(warning), "{}", r.snapshot());
    assert!(
        r.stdout.contains("::warning file=rotation.yaml,line="),
        "{}",
        r.snapshot()
    );
    assert_eq!(
        f.with(|s| s.open_prs().len()),
        1,
        "the warning does not stop the handover"
    );
}

#[test]
fn in_actions_a_warning_never_mixes_into_a_commands_json() {
    // Only the daily run annotates warnings: `schedule --format json` is
    // read by programs, and its stdout stays JSON.
    let repo = Repo::with(&with_idle_override(), Some(&example("oncall-log.md")));
    let mut cmd = repo.oncall();
    hermetic(&mut cmd, &now(ORDINARY));
    let out = cmd
        .args(["schedule", "--format", "json"])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str::<serde_json::Value>(&stdout).expect("stdout is JSON");
    assert!(String::from_utf8_lossy(&out.stderr).contains("the override on 2026-12-01 names"));
}

//! An organisation's repository with several rotations
//! (tests/fixtures/organisation): SRE and Platform include the shared
//! calendar calendars/berlin.yaml and both have Ana; Database keeps its
//! own holidays in another time zone. `oncall check` over all of them,
//! shared calendars with their positions, `schedule --member` across
//! rotations, `oncall preview` of a change, and each rotation's webhook
//! variable.

use crate::support;

use serde_json::Value;
use std::path::Path;
use std::process::Output;

const FIXTURE: &str = "tests/fixtures/organisation";
/// Monday 2026-11-23, 08:00 in Berlin.
const NOW: &str = "2026-11-23T07:00:00Z";

struct Org {
    dir: tempfile::TempDir,
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

impl Org {
    fn new() -> Org {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(Path::new(FIXTURE), dir.path());
        Org { dir }
    }
    fn path(&self, p: &str) -> std::path::PathBuf {
        self.dir.path().join(p)
    }
    fn edit(&self, p: &str, f: impl Fn(String) -> String) {
        let text = std::fs::read_to_string(self.path(p)).unwrap();
        std::fs::write(self.path(p), f(text)).unwrap();
    }
    fn cmd(&self) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::cargo_bin("oncall").unwrap();
        c.current_dir(self.dir.path())
            .env("ONCALL_NOW", NOW)
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_STEP_SUMMARY");
        c
    }
    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Done when: three rotations, one calendar shared by two, one person on
/// two, pass `oncall check`; the double days are warnings in both files.
#[test]
fn three_rotations_with_a_shared_calendar_and_a_shared_person_pass_check() {
    let org = Org::new();
    let out = org.run(&["check"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    for name in ["db", "platform", "sre"] {
        assert!(
            text.contains(&format!("rotations/{name}/rotation.yaml: ok")),
            "{text}"
        );
    }
    // Ana is first in both lists: Monday 2026-11-23 is a double day, named
    // in each file at her line, with the other file and line.
    assert!(text.contains("rotations/platform/rotation.yaml:8:15: warning: ana is on call on 2026-11-23 (Monday) in this rotation and in rotations/sre/rotation.yaml (line 7)"), "{text}");
    assert!(text.contains("rotations/sre/rotation.yaml:7:15: warning: ana is on call on 2026-11-23 (Monday) in this rotation and in rotations/platform/rotation.yaml (line 8)"), "{text}");
    // Nobody else is on two rotations.
    assert!(!text.contains("fay is on call"), "{text}");
    // The files, `include:` and `webhook_env` included, follow the
    // published schema (check-jsonschema).
    let files: Vec<std::path::PathBuf> = ["sre", "platform", "db"]
        .iter()
        .map(|n| org.path(&format!("rotations/{n}/rotation.yaml")))
        .collect();
    let refs: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    support::validators::rotation_schema(&refs).unwrap();
    // The calendar follows its own, which has no includes.
    let calendar = org.path("calendars/berlin.yaml");
    support::validators::schema("calendar.schema.json", &[&calendar]).unwrap();
    org.edit("calendars/berlin.yaml", |t| {
        t + "  - include: ../more.yaml\n"
    });
    assert!(support::validators::schema("calendar.schema.json", &[&calendar]).is_err());
}

/// The shared calendar's holidays are each including rotation's; the
/// rotation that does not include it works on those days.
#[test]
fn a_shared_calendar_gives_its_holidays_to_every_rotation_that_includes_it() {
    let org = Org::new();
    for name in ["sre", "platform"] {
        let out = org.run(&["--rotation", name, "who", "2026-12-24"]);
        assert_eq!(
            stdout(&out),
            "2026-12-24: nobody (not a working day: holiday: Christmas Eve)\n",
            "{name}: {}",
            stderr(&out)
        );
    }
    let out = org.run(&["--rotation", "db", "who", "2026-12-24"]);
    assert_eq!(stdout(&out), "2026-12-24: Fay Example (@fay)\n");
    // Platform's own holiday is its own.
    let out = org.run(&["--rotation", "platform", "who", "2026-12-30"]);
    assert_eq!(
        stdout(&out),
        "2026-12-30: nobody (not a working day: holiday: Platform offsite)\n"
    );
    let out = org.run(&["--rotation", "sre", "who", "2026-12-30"]);
    assert!(
        stdout(&out).starts_with("2026-12-30: ") && stdout(&out).contains("(@"),
        "{}",
        stdout(&out)
    );
    // The list says which calendars each rotation includes.
    let out = org.run(&["list", "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let cals: Vec<(String, Value)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["calendars"].clone(),
            )
        })
        .collect();
    assert_eq!(
        cals,
        [
            ("db".to_owned(), serde_json::json!([])),
            (
                "platform".to_owned(),
                serde_json::json!(["calendars/berlin.yaml"])
            ),
            (
                "sre".to_owned(),
                serde_json::json!(["calendars/berlin.yaml"])
            ),
        ]
    );
}

/// A broken calendar is reported in the calendar, at its line, for each
/// rotation that includes it; an include in a calendar is refused; a
/// missing calendar is reported at the include.
#[test]
fn calendar_problems_are_reported_with_their_file_and_position() {
    let org = Org::new();
    org.edit("calendars/berlin.yaml", |t| {
        t.replace("2026-12-26", "2026-12-32") + "  - include: ../more.yaml\n"
    });
    let out = org.run(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out) + &stderr(&out);
    assert!(
        text.contains("calendars/berlin.yaml:6:13: error: `holidays[2].date` is not a valid date"),
        "{text}"
    );
    assert!(
        text.contains(
            "calendars/berlin.yaml:9:5: error: a shared calendar may not include another file"
        ),
        "{text}"
    );
    assert!(text.contains("rotations/db/rotation.yaml: ok"), "{text}");
    // Listed once, though two rotations include the calendar (issue 23).
    assert_eq!(
        text.matches("calendars/berlin.yaml:9:5: error:").count(),
        1,
        "{text}"
    );
    assert!(
        text.contains("rotations/sre/rotation.yaml: 2 errors"),
        "{text}"
    );
    assert!(
        text.contains("rotations/platform/rotation.yaml: 2 errors"),
        "{text}"
    );
    // As annotations: on the calendar's own lines, once, though two
    // rotations include it.
    let out = org.run(&["check", "--format", "github"]);
    assert_eq!(
        stdout(&out)
            .matches("::error file=calendars/berlin.yaml,line=9,col=5,")
            .count(),
        1,
        "{}",
        stdout(&out)
    );
    // A run of the rotation stops, and names the calendar's line.
    let out = org.run(&["--rotation", "sre", "who"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("calendars/berlin.yaml:9:5: error:"),
        "{}",
        stderr(&out)
    );

    let org = Org::new();
    org.edit("rotations/platform/rotation.yaml", |t| {
        t.replace("calendars/berlin.yaml", "calendars/munich.yaml")
    });
    let out = org.run(&["--rotation", "platform", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("rotations/platform/rotation.yaml:5:5: error: the calendar calendars/munich.yaml cannot be read: the file does not exist (check the path: it is relative to this file)"),
        "{}",
        stdout(&out)
    );
    org.edit("rotations/platform/rotation.yaml", |t| {
        t.replace(
            "../../calendars/munich.yaml",
            "../../../calendars/berlin.yaml",
        )
    });
    let out = org.run(&["--rotation", "platform", "check"]);
    assert!(
        stdout(&out).contains("points outside the repository"),
        "{}",
        stdout(&out)
    );
}

/// A command for one rotation, in a repository of several without a
/// top-level one, says which there are.
#[test]
fn a_command_without_rotation_names_the_rotations_there_are() {
    let org = Org::new();
    let out = org.run(&["who"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("there is no top-level rotation.yaml here, but 3 rotation(s) under rotations/: add --rotation NAME (one of: db, platform, sre)"),
        "{}",
        stderr(&out)
    );
}

/// One person's days across every rotation, by date, with the rotation.
#[test]
fn schedule_member_shows_one_persons_days_across_rotations() {
    let org = Org::new();
    let out = org.run(&[
        "schedule",
        "--member",
        "ana",
        "--from",
        "2026-12-21",
        "--days",
        "14",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let days: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap().to_owned(),
                r["rotation"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(!days.is_empty());
    let rotations: std::collections::BTreeSet<&str> = days.iter().map(|d| d.1.as_str()).collect();
    assert_eq!(
        rotations.into_iter().collect::<Vec<_>>(),
        ["platform", "sre"]
    );
    // Never on a shared holiday, in either.
    for (date, _) in &days {
        assert!(
            !["2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01"].contains(&date.as_str()),
            "{days:?}"
        );
    }
    let mut sorted = days.clone();
    sorted.sort();
    assert_eq!(days, sorted, "by date");
}

/// `oncall preview --base DIR`: a change to the shared calendar previews
/// every rotation that includes it, and only those.
#[test]
fn preview_shows_every_rotation_a_change_touches() {
    let org = Org::new();
    let base = tempfile::tempdir().unwrap();
    copy_tree(Path::new(FIXTURE), base.path());
    let base_dir = base.path().display().to_string();

    let out = org.run(&["preview", "--base", &base_dir, "--working-days", "10"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "This change touches no rotation file, log or shared calendar: the schedule stays as it is.\n"
    );

    // A new holiday on Tuesday 2026-12-01 in the shared calendar.
    org.edit("calendars/berlin.yaml", |t| {
        t + "  - { date: 2026-12-01, name: Team day }\n"
    });
    let out = org.run(&["preview", "--base", &base_dir, "--working-days", "10"]);
    let md = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(md.contains("### Rotation `platform`"), "{md}");
    assert!(md.contains("### Rotation `sre`"), "{md}");
    assert!(!md.contains("`db`"), "db does not include it: {md}");
    assert_eq!(md.matches("Changed: calendars/berlin.yaml.").count(), 2);
    assert!(
        md.contains(
            "| 2026-12-01 | Tue | ~~Ben Example (`@ben`)~~ | ***holiday: Team day*** | changed |"
        ),
        "{md}"
    );
    support::validators::github_markdown(&[serde_json::json!({
        "what": "the preview", "text": md, "plain": false, "links": []
    })])
    .unwrap();

    // A change to one rotation's file previews that rotation alone.
    let org = Org::new();
    org.edit("rotations/db/rotation.yaml", |t| {
        t.replace(
            "  - { github: fay, name: Fay Example }\n  - { github: gus, name: Gus Example }\n",
            "  - { github: gus, name: Gus Example }\n  - { github: fay, name: Fay Example }\n",
        )
    });
    let md = stdout(&org.run(&["preview", "--base", &base_dir, "--working-days", "4"]));
    assert!(md.contains("### Rotation `db`"), "{md}");
    assert!(!md.contains("`sre`") && !md.contains("`platform`"), "{md}");
    assert!(md.contains("**4 day(s) change.**"), "{md}");
    // With --rotation, that rotation only.
    let md = stdout(&org.run(&["--rotation", "sre", "preview", "--base", &base_dir]));
    assert!(md.contains("the schedule stays as it is"), "{md}");

    // A new rotation and a removed one.
    let org = Org::new();
    std::fs::create_dir_all(org.path("rotations/web")).unwrap();
    std::fs::copy(
        org.path("rotations/db/rotation.yaml"),
        org.path("rotations/web/rotation.yaml"),
    )
    .unwrap();
    std::fs::remove_dir_all(org.path("rotations/sre")).unwrap();
    let md = stdout(&org.run(&["preview", "--base", &base_dir, "--working-days", "3"]));
    assert!(md.contains("### Rotation `web`"), "{md}");
    assert!(md.contains("(a new rotation)"), "{md}");
    assert!(md.contains("### Rotation `sre`"), "{md}");
    assert!(md.contains("The change removes this rotation."), "{md}");
}

/// A change to a log alone (notes written during the day) moves no
/// upcoming day: the preview names it in one line and previews nothing
/// (issue 23). With a roster change beside it, that one is previewed.
#[test]
fn preview_does_not_report_a_rotation_whose_log_alone_changed() {
    let org = Org::new();
    let base = tempfile::tempdir().unwrap();
    copy_tree(Path::new(FIXTURE), base.path());
    let base_dir = base.path().display().to_string();
    std::fs::write(
        org.path("rotations/sre/oncall-log.md"),
        "# On-call log\n\nA note written during the day.\n",
    )
    .unwrap();
    let out = org.run(&["preview", "--base", &base_dir, "--working-days", "10"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "This change touches only the log of sre, and no upcoming day moves.\n"
    );

    org.edit("rotations/db/rotation.yaml", |t| {
        t.replace(
            "  - { github: fay, name: Fay Example }\n  - { github: gus, name: Gus Example }\n",
            "  - { github: gus, name: Gus Example }\n  - { github: fay, name: Fay Example }\n",
        )
    });
    let md = stdout(&org.run(&["preview", "--base", &base_dir, "--working-days", "4"]));
    assert!(md.contains("### Rotation `db`"), "{md}");
    assert!(!md.contains("### Rotation `sre`"), "{md}");
    assert!(
        md.ends_with("It also changes the log of sre, and no upcoming day moves.\n"),
        "{md}"
    );
}

/// Each rotation's webhook is in the variable its rotation.yaml names;
/// a missing one is named; every webhook variable is masked in Actions.
#[test]
fn each_rotation_posts_to_the_webhook_its_file_names() {
    let org = Org::new();
    let sre = support::fake_slack::FakeSlack::start();
    let other = support::fake_slack::FakeSlack::start();
    // SRE's variable unset: the run stops before writing, naming it.
    let out = org
        .cmd()
        .env("SLACK_WEBHOOK_URL", &other.url)
        .args(["--rotation", "sre", "advance", "--slack"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Slack: SLACK_WEBHOOK_SRE is not set"),
        "{}",
        stderr(&out)
    );
    assert!(
        !org.path("rotations/sre/oncall-log.md").exists(),
        "nothing written"
    );
    assert_eq!(other.requests(), 0, "not the default channel instead");
    // Set: posted there, and only there; in Actions, masked first.
    let out = org
        .cmd()
        .env("SLACK_WEBHOOK_URL", &other.url)
        .env("SLACK_WEBHOOK_SRE", &sre.url)
        .env("GITHUB_ACTIONS", "true")
        .args(["--rotation", "sre", "advance", "--slack"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sre.posts().len(), 1);
    assert_eq!(other.requests(), 0);
    let text = stdout(&out);
    assert!(
        text.contains(&format!("::add-mask::{}", sre.url)),
        "the rotation's webhook is masked: {text}"
    );
    let first_mask = text.find("::add-mask::").unwrap();
    assert_eq!(first_mask, 0, "masks come before anything else: {text}");
    // --webhook-env overrides the file (the action's explicit input).
    let out = org
        .cmd()
        .env("SLACK_WEBHOOK_URL", &other.url)
        .args([
            "--rotation",
            "platform",
            "advance",
            "--slack",
            "--webhook-env",
            "SLACK_WEBHOOK_URL",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(other.posts().len(), 1);
    // A name that is not a webhook's is refused with its position.
    org.edit("rotations/db/rotation.yaml", |t| {
        t.replace("SLACK_WEBHOOK_DB", "GITHUB_TOKEN")
    });
    let out = org.run(&["--rotation", "db", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("rotations/db/rotation.yaml:10:16: error: `slack.webhook_env` is \"GITHUB_TOKEN\", not the name of a webhook's variable"),
        "{}",
        stdout(&out)
    );
}

/// On GitHub (`advance --pr`, no checkout), the calendar is read at the
/// base commit: its holiday stops the handover there, and a calendar that
/// is not on the branch is reported at the include, on that branch.
#[test]
fn a_pull_request_run_reads_the_calendar_from_github() {
    use support::fake_github::FakeGitHub;
    let files: Vec<(String, String)> = ["calendars/berlin.yaml", "rotations/sre/rotation.yaml"]
        .iter()
        .map(|p| {
            (
                p.to_string(),
                std::fs::read_to_string(Path::new(FIXTURE).join(p)).unwrap(),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let empty = tempfile::tempdir().unwrap();
    let run = |f: &FakeGitHub, now: &str| {
        assert_cmd::Command::cargo_bin("oncall")
            .unwrap()
            .current_dir(empty.path())
            .args(["--rotation", "sre", "advance", "--pr"])
            .env("ONCALL_NOW", now)
            .envs(f.env())
            .env("ONCALL_HTTP_TIMEOUT", "2")
            .env_remove("GITHUB_ACTIONS")
            .output()
            .unwrap()
    };
    // Christmas Eve, a Thursday, is in the calendar only: read in the
    // same query as the rotation, no request of its own (issue 23).
    let f = FakeGitHub::start(&refs);
    let out = run(&f, "2026-12-24T08:00:00Z");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2026-12-24 is not a working day"),
        "{}",
        stdout(&out)
    );
    assert_eq!(f.with(|s| s.prs.len()), 0);
    let asked: Vec<String> = f.with(|s| s.requests.iter().map(|r| r.what.clone()).collect());
    assert_eq!(asked, ["query HandoverState"], "one request");
    // A first morning: the query, the branch with its commit and pull
    // request, then the label on it; the calendar costs nothing more.
    let f = FakeGitHub::start(&refs);
    let out = run(&f, NOW);
    assert!(out.status.success(), "{}", stderr(&out));
    let asked: Vec<String> = f.with(|s| s.requests.iter().map(|r| r.what.clone()).collect());
    assert_eq!(
        asked,
        [
            "query HandoverState",
            "mutation createBranch,commit,createPullRequest",
            "mutation addLabels"
        ]
    );
    // Without the calendar on the branch: the include's line, on main.
    let f = FakeGitHub::start(&refs[1..]);
    let out = run(&f, NOW);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("rotations/sre/rotation.yaml (on main):5:5: error: the calendar calendars/berlin.yaml cannot be read: the file does not exist"),
        "{}",
        stderr(&out)
    );
    assert_eq!(f.with(|s| s.prs.len()), 0);
}

/// A calendar whose every holiday is behind the last handover is last
/// year's: the warning points at the calendar's last line of holidays.
#[test]
fn a_calendar_left_behind_is_warned_about_in_the_calendar() {
    let org = Org::new();
    let out = org
        .cmd()
        .env("ONCALL_NOW", "2027-01-05T08:00:00Z")
        .args(["--rotation", "sre", "advance", "--date", "2027-01-04"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = org
        .cmd()
        .env("ONCALL_NOW", "2027-01-05T08:00:00Z")
        .args(["--rotation", "sre", "check"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("calendars/berlin.yaml:8:5: warning: every holiday is before the last handover (2027-01-04)"),
        "{}",
        stdout(&out)
    );
}

/// A calendar's path is text from rotation.yaml: in the preview (a job
/// summary on GitHub) it can mention or reference nobody.
#[test]
fn a_hostile_calendar_path_is_inert_in_the_preview() {
    let org = Org::new();
    let name = "@octocat #42 GH-7 `x` <b>.yaml";
    let cal = std::fs::read_to_string(org.path("calendars/berlin.yaml")).unwrap();
    std::fs::write(org.path(&format!("calendars/{name}")), &cal).unwrap();
    org.edit("rotations/sre/rotation.yaml", |t| {
        t.replace(
            "../../calendars/berlin.yaml",
            &format!("\"../../calendars/{name}\""),
        )
    });
    let base = tempfile::tempdir().unwrap();
    copy_tree(org.dir.path(), base.path());
    org.edit(&format!("calendars/{name}"), |t| {
        t + "  - { date: 2026-11-25, name: \"@here #1\" }\n"
    });
    let out = org.run(&[
        "preview",
        "--base",
        &base.path().display().to_string(),
        "--working-days",
        "5",
    ]);
    let md = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(md.contains("### Rotation `sre`"), "{md}");
    support::validators::github_markdown(&[serde_json::json!({
        "what": "the preview", "text": md, "plain": false, "links": []
    })])
    .unwrap();
}

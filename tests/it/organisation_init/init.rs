//! `oncall init --rotation`, one team at a time: a second team beside the
//! first (and beside a top-level rotation) leaves the first team's files
//! and the workflows as they are; an existing team, a calendar outside
//! the repository and a rotation the workflows would not serve are refused.

use super::{
    CHECK, DAILY, MARKER, MOVED, NOW, Play, action, files, init_platform, init_sre, organisation,
    text,
};
use crate::setup::{git_repo, oncall, snapshot};
use crate::support;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use support::fake_github::FakeGitHub;
use support::fake_slack::FakeSlack;
use support::validators;

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
            MOVED,
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
        said.contains("The workflows serve every rotation already: .github/workflows/oncall.yml and .github/workflows/oncall-check.yml and .github/workflows/oncall-moved.yml serve rotations/platform/ too. Left as they are."),
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
        text(&out).contains("Note: .github/workflows/oncall.yml is not the form `oncall init` writes for every rotation: it may not serve rotations/db/. Left as it is; `oncall init --workflows-only --force` rewrites the workflows to serve every rotation."),
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

//! `oncall check` and the other commands over an organisation's
//! rotations: a shared calendar and a shared person, a calendar's problems
//! with their file and position, `schedule --member` across rotations.

use super::{Org, stderr, stdout};
use crate::support;
use serde_json::Value;
use std::path::Path;

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

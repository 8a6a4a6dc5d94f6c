//! Plausible mistakes in rotation.yaml and on the command line, caught with
//! their position before they bite (R12). Each test names what passed
//! silently, or was reported without a position, before.

mod common;
mod support;

use common::*;
use predicates::prelude::*;
use std::fs;
use support::repo::Repo;

const FOUR: [&str; 4] = ["ana", "ben", "cai", "dee"];

/// The warnings of a valid file, one per line.
fn warnings(text: &str) -> String {
    match oncall::config::load("rotation.yaml", text) {
        Ok((_, report)) => report
            .warnings()
            .map(|w| report.line(w))
            .collect::<Vec<_>>()
            .join("\n"),
        Err(e) => panic!("expected a valid file:\n{e}"),
    }
}

#[test]
fn weekday_names_are_read_in_any_case_and_in_full() {
    // `[Mon, Tue]` was refused.
    for days in [
        "[Mon, Tue, Wed, Thu, Fri]",
        "[MON, TUE, WED, THU, FRI]",
        "[monday, Tuesday, WEDNESDAY, thu, Fri]",
    ] {
        let r = rot(&yaml(&FOUR, &format!("working_days: {days}\n")));
        assert_eq!(
            r.working_days,
            oncall::calendar::DEFAULT_WORKING_DAYS,
            "{days}"
        );
    }
    let out = problems(&yaml(&FOUR, "working_days: [Mon, Tues]\n"));
    assert!(
        out.contains("rotation.yaml:9:21: error: `working_days[1]` is not a weekday: \"Tues\" (did you mean `tue`?"),
        "{out}"
    );
}

#[test]
fn the_schema_accepts_the_weekday_names_the_reader_accepts() {
    // The schema's pattern and `Weekday::parse` describe the same names:
    // every case variant of every short and full name, and nothing else
    // among near misses. (check-jsonschema validates the repository's own
    // file against the schema in CI.)
    use oncall::config::schema::{WEEKDAY_NAMES, WEEKDAY_PATTERN, Weekday};
    for full in WEEKDAY_NAMES {
        for name in [&full[..3], full] {
            for v in [
                name.to_owned(),
                name.to_uppercase(),
                format!("{}{}", name[..1].to_uppercase(), &name[1..]),
            ] {
                assert!(Weekday::parse(&v).is_some(), "{v}");
                // Each letter of the pattern is a [Xx] class.
                let first = v.chars().next().unwrap();
                let class = format!(
                    "[{}{}]",
                    first.to_ascii_uppercase(),
                    first.to_ascii_lowercase()
                );
                assert!(WEEKDAY_PATTERN.contains(&class), "{v}");
            }
        }
    }
    for bad in ["tues", "mo", "mondays", "thurs", "", "sunday "] {
        assert!(Weekday::parse(bad).is_none(), "{bad:?}");
    }
    // The fixture that .ci/run validates against the schema reads here too.
    let text = std::fs::read_to_string("tests/fixtures/valid/weekdays-any-case.yaml").unwrap();
    assert_eq!(rot(&text).working_days.len(), 6);
}

#[test]
fn state_since_in_the_future_is_an_error_at_its_line() {
    // It passed `check`, then `advance` failed with no position.
    let text = format!(
        "{}state:\n  since: 2027-03-10\n  on_call: ana\n  cycle: 1\n  order: [ana, ben, cai, dee]\n  served: [ana]\n",
        yaml(&FOUR, "")
    );
    let repo = Repo::with(&text, None);
    // FIXED_NOW is 2027-03-01.
    repo.oncall()
        .arg("check")
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "rotation.yaml:10:10: error: `state.since` is 2027-03-10, after today (2027-03-01 in UTC)",
        ));
    repo.oncall()
        .arg("advance")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rotation.yaml:10:10: error: `state.since` is 2027-03-10",
        ));
    assert_eq!(repo.read("rotation.yaml"), text, "nothing written");
}

#[test]
fn invalid_utf8_is_reported_as_file_line_column() {
    // Was `error: bad.yaml:5: the file is not valid UTF-8`.
    let repo = Repo::with("", None);
    let mut bytes = yaml(&FOUR, "").into_bytes();
    bytes.extend_from_slice(b"  - github: e\xffi\n");
    fs::write(repo.path("rotation.yaml"), bytes).unwrap();
    for args in [vec!["check"], vec!["advance"], vec!["who"]] {
        repo.oncall()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with(
                "rotation.yaml:9:14: error: the file is not valid UTF-8 here",
            ));
    }
}

#[test]
fn a_tab_in_the_indentation_is_reported_on_its_own_line() {
    // Was reported on the line before it.
    let text =
        "team: T\ntimezone: UTC\nstart: 2026-01-05\nmembers:\n  - github: ana\n\t  name: Ana\n";
    let out = problems(text);
    assert!(
        out.contains("rotation.yaml:6:1: error: a tab in the indentation"),
        "{out}"
    );
}

#[test]
fn dates_are_exactly_yyyy_mm_dd() {
    // These passed: chrono reads them, and `start: -2026-01-01` made the
    // first advance log a million days.
    for (bad, col) in [
        ("2026-3-2", 8),
        ("+12026-01-01", 8),
        ("-2026-01-01", 8),
        ("0000-01-01", 8),
        ("\" 2026-03-02\"", 8),
    ] {
        let out = problems(&yaml(&FOUR, "").replace("start: 2026-01-05", &format!("start: {bad}")));
        assert!(
            out.contains(&format!(
                "rotation.yaml:3:{col}: error: `start` is not a valid date"
            )),
            "{bad}: {out}"
        );
    }
    assert!(oncall::cli::parse_date("2026-3-2").is_err());
    assert!(oncall::cli::parse_date("0000-01-01").is_err());
}

#[test]
fn an_override_before_start_is_an_error() {
    let out = problems(&yaml(
        &FOUR,
        "overrides:\n  - { date: 2026-01-02, github: ben }\n",
    ));
    assert!(
        out.contains("rotation.yaml:10:13: error: override on 2026-01-02, before the rotation starts (2026-01-05)"),
        "{out}"
    );
}

#[test]
fn an_override_that_changes_nobody_is_a_warning() {
    // ben is on call on Tue 6 anyway.
    let repo = Repo::with(
        &yaml(&FOUR, "overrides:\n  - { date: 2026-01-06, github: ben }\n"),
        None,
    );
    repo.oncall()
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "rotation.yaml:10:13: warning: the override on 2026-01-06 names `ben`, who is on call that day anyway",
        ));
}

#[test]
fn lists_that_lie_entirely_in_the_past_are_warned_about() {
    // A holiday list copied from last year passed silently: `who
    // 2026-12-25` then named someone on Christmas.
    let text = format!(
        "{}holidays:\n  - {{ date: 2025-12-25, name: Christmas }}\n  - 2025-12-26\noverrides:\n  - {{ date: 2026-01-07, github: dee }}\nstate:\n  since: 2026-03-02\n  on_call: ana\n  cycle: 4\n  order: [ana, ben, cai, dee]\n  served: [ana]\n",
        yaml(&FOUR, "").replace(
            "  - github: ben\n",
            "  - github: ben\n    away:\n      - { from: 2026-02-02, to: 2026-02-06 }\n"
        )
    );
    let w = warnings(&text);
    assert!(w.contains("rotation.yaml:13:5: warning: every holiday is before the last handover (2026-03-02); none lies ahead"), "{w}");
    assert!(
        w.contains("rotation.yaml:8:9: warning: all time off ended before the last handover"),
        "{w}"
    );
    assert!(
        w.contains("rotation.yaml:15:13: warning: every override is before the last handover"),
        "{w}"
    );
    // One holiday ahead: nothing to say.
    let ahead = text.replace("  - 2025-12-26\n", "  - 2026-12-26\n");
    assert!(!warnings(&ahead).contains("every holiday"));
}

#[test]
fn a_duty_cut_by_an_unquoted_hash_is_a_warning() {
    let text = yaml(
        &FOUR,
        "duties:\n  - Triage new issues in #ops\n  - \"Watch #alerts\"\n  - Check the console # a real comment\n",
    );
    let w = warnings(&text);
    assert!(
        w.contains("rotation.yaml:10:5: warning: this duty ends before ` #ops`: YAML reads ` #` and the rest of the line as a comment, so the duty is \"Triage new issues in\""),
        "{w}"
    );
    assert!(!w.contains(":11:"), "a quoted duty is fine: {w}");
    assert!(w.contains(":12:5: warning:"), "{w}");
}

#[test]
fn a_time_zone_without_a_location_is_a_warning() {
    for (tz, hint) in [
        ("EST", "America/New_York"),
        ("MST", "America/Denver"),
        ("EST5EDT", "America/New_York"),
    ] {
        let w = warnings(&yaml(&FOUR, "").replace("timezone: UTC", &format!("timezone: {tz}")));
        assert!(
            w.contains(&format!(
                "rotation.yaml:2:11: warning: time zone \"{tz}\" names no location"
            )) && w.contains(hint),
            "{tz}: {w}"
        );
    }
    assert_eq!(warnings(&yaml(&FOUR, "")), "", "UTC is fine");
}

#[test]
fn advance_to_a_future_date_needs_future() {
    // A year typo in the manual run's input planned 256 missed days.
    let repo = Repo::with(&yaml(&FOUR, ""), None);
    repo.oncall()
        .args(["advance", "--date", "2028-03-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--date 2028-03-01 is after today (2027-03-01 in the team's time zone)",
        ));
    assert_eq!(repo.read("oncall-log.md"), "", "nothing written");
    // A dry run may look ahead; --future goes ahead.
    repo.oncall()
        .args(["advance", "--date", "2027-03-02", "--dry-run"])
        .assert()
        .success();
    repo.oncall()
        .env("ONCALL_NOW", "2026-01-05T09:00:00Z")
        .args(["advance", "--date", "2026-01-07", "--future"])
        .assert()
        .success();
    assert!(repo.read("rotation.yaml").contains("since: 2026-01-07"));
}

#[test]
fn the_first_day_reads_first_day_everywhere() {
    // The terminal said "handed over by: nobody (uncovered)" on the first
    // day, where the log said "first day".
    let repo = Repo::with(&yaml(&FOUR, ""), None);
    let out = repo
        .oncall()
        .args(["advance", "--date", "2026-01-05"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("handed over by: nobody (first day of the rotation)"),
        "{stdout}"
    );
    assert!(
        repo.read("oncall-log.md")
            .contains("no handover (first day of the rotation)")
    );
}

//! Plausible mistakes met on the command line, caught with their position
//! before they bite (R12); crates/core/tests/mistakes.rs has the ones in
//! rotation.yaml alone. Each test names what passed
//! silently, or was reported without a position, before.

use crate::common;
use crate::support;

use common::*;
use predicates::prelude::*;
use std::fs;
use support::repo::Repo;

const FOUR: [&str; 4] = ["ana", "ben", "cai", "dee"];

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
fn an_override_that_changes_nobody_is_a_warning() {
    // ben is on call on Tue 6 anyway.
    let repo = Repo::with(
        &yaml(&FOUR, "overrides:\n  - { date: 2026-01-06, github: ben }\n"),
        None,
    );
    // Within a year of `start` (a catch-up of more than a year is an error).
    repo.oncall()
        .env("ONCALL_NOW", "2026-01-05T09:00:00Z")
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "rotation.yaml:10:13: warning: the override on 2026-01-06 names `ben`, who is on call that day anyway",
        ));
}

#[test]
fn advance_to_a_future_date_needs_future() {
    // A year typo in the manual run's input planned 256 missed days.
    // Today is within a year of `start` (a catch-up of more than a year
    // is an error of its own).
    let repo = Repo::with(&yaml(&FOUR, ""), None);
    repo.oncall()
        .env("ONCALL_NOW", "2026-03-02T09:00:00Z")
        .args(["advance", "--date", "2027-03-02"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--date 2027-03-02 is after today (2026-03-02 in the team's time zone)",
        ));
    assert_eq!(repo.read("oncall-log.md"), "", "nothing written");
    // A dry run may look ahead; --future goes ahead.
    repo.oncall()
        .env("ONCALL_NOW", "2026-03-02T09:00:00Z")
        .args(["advance", "--date", "2026-03-03", "--dry-run"])
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
        .env("ONCALL_NOW", "2026-01-05T09:00:00Z")
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

/// Issue 22, bug 3: six days after a swap and ten after a vacation, every
/// command warned that every override and all time off lay before the last
/// handover, and advised removing them (which took the days away out of
/// `oncall stats`). They are the record: nothing to warn about.
#[test]
fn past_swaps_and_time_off_raise_no_warning() {
    let text = yaml(
        &["ana", "ben", "cai", "dee", "eli", "fay", "gus"],
        "overrides:\n  - { date: 2026-01-12, github: gus, reason: swap }\n  - { date: 2026-01-13, github: ana, reason: swap }\n",
    )
    .replace(
        "  - github: cai\n",
        "  - github: cai\n    away:\n      - { from: 2026-01-05, to: 2026-01-09 }\n",
    );
    let repo = Repo::with(&text, None);
    let now = "2026-01-19T09:00:00Z";
    repo.oncall()
        .env("ONCALL_NOW", now)
        .arg("advance")
        .assert()
        .success();
    repo.oncall()
        .env("ONCALL_NOW", now)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("warning").not());
    repo.oncall()
        .env("ONCALL_NOW", now)
        .arg("schedule")
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

/// Issue 22: an uncovered day was reported at rotation.yaml:1:1 with "add
/// an override", which cannot work (an override must name a member who is
/// not away). It points at the time off that made the day uncovered.
#[test]
fn an_uncovered_day_points_at_the_time_off_and_says_what_works() {
    let text = yaml(&["ana", "ben"], "")
        .replace(
            "  - github: ana\n",
            "  - github: ana\n    away:\n      - { from: 2026-01-12, to: 2026-01-16 }\n",
        )
        .replace(
            "  - github: ben\n",
            "  - github: ben\n    away:\n      - { from: 2026-01-14, to: 2026-01-14 }\n",
        );
    let repo = Repo::with(&text, None);
    repo.oncall()
        .env("ONCALL_NOW", "2026-01-05T09:00:00Z")
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "rotation.yaml:10:9: warning: 2026-01-14 (Wednesday) is uncovered: all 2 members are away that day; the last of their time off to start is `ben`'s, 2026-01-14 to 2026-01-14 (shorten someone's time off (this one, or another member's) so that one member is available, or add a member; an override cannot cover the day, as it must name a member who is not away)",
        ))
        .stdout(predicate::str::contains(":1:1:").not());
}

/// `state.on_call` naming someone not in `members` is the record when they
/// left after the handover (no warning, issue 22); it is a typo when the
/// log's section for that day names someone else.
#[test]
fn a_state_on_call_that_the_log_contradicts_is_a_warning_at_its_line() {
    let repo = Repo::with(&yaml(&FOUR, ""), None);
    let now = "2026-01-06T09:00:00Z";
    repo.oncall()
        .env("ONCALL_NOW", now)
        .arg("advance")
        .assert()
        .success();
    let text = repo
        .read("rotation.yaml")
        .replace("on_call: ben\n", "on_call: bne\n");
    fs::write(repo.path("rotation.yaml"), &text).unwrap();
    let line = text.lines().position(|l| l == "  on_call: bne").unwrap() + 1;
    repo.oncall()
        .env("ONCALL_NOW", now)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "rotation.yaml:{line}:12: warning: `state.on_call` names `bne`, who is not in `members`, and the log's section for 2026-01-06 says `ben` was on call"
        )));
}

//! `oncall swap` and `oncall leave`: roster edits for a pull request,
//! written with yaml-edit (comments kept), validated before they are saved.

use crate::support;

use predicates::prelude::*;
use support::repo::Repo;

const NOW: &str = "2026-01-05T08:00:00Z";

const TEAM: &str = "# Our rotation (comments stay)
team: Roster team
timezone: UTC
start: 2026-01-05
members:
  - github: ana   # lead
  - github: ben
  - github: cai
    away:
      - { from: 2026-01-12, to: 2026-01-16 }
  - github: dee
  - github: eli
  - github: fay
# duties follow
duties:
  - Answer questions
";

fn changed_days(repo: &Repo, base: &str) -> Vec<String> {
    let out = repo
        .oncall()
        .env("ONCALL_NOW", NOW)
        .args([
            "schedule",
            "--from",
            "2026-01-05",
            "--days",
            "60",
            "--format",
            "json",
            "--compare",
            base,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let changes: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    changes
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["changed"] == true)
        .map(|c| c["date"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn swap_writes_two_overrides_and_changes_exactly_two_days() {
    let repo = Repo::with(TEAM, None);
    std::fs::write(repo.path("base.yaml"), TEAM).unwrap();
    repo.oncall()
        .env("ONCALL_NOW", NOW)
        .args([
            "swap",
            "2026-01-06",
            "2026-01-09",
            "--reason",
            "dentist #2 @ 9",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("2026-01-06 Tue: @eli (was @ben)"))
        .stdout(predicate::str::contains("2026-01-09 Fri: @ben (was @eli)"));
    let after = repo.read("rotation.yaml");
    assert!(
        after.starts_with(TEAM),
        "the file before the new key is kept byte for byte:\n{after}"
    );
    assert!(after.ends_with(
        "overrides:\n  - { date: 2026-01-06, github: eli, reason: \"dentist #2 @ 9\" }\n  - { date: 2026-01-09, github: ben, reason: \"dentist #2 @ 9\" }\n"
    ), "{after}");
    assert_eq!(
        changed_days(&repo, "base.yaml"),
        ["2026-01-06", "2026-01-09"]
    );
    // The text form says so too, with whom each override replaces.
    repo.oncall()
        .env("ONCALL_NOW", NOW)
        .args(["schedule", "--from", "2026-01-05", "--days", "7"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2026-01-06 Tue  @eli  [override for @ben: dentist #2 @ 9]",
        ));
    // A second swap appends to the existing list.
    repo.oncall()
        .env("ONCALL_NOW", NOW)
        .args(["swap", "2026-01-07", "2026-01-08"])
        .assert()
        .success();
    assert!(repo.read("rotation.yaml").ends_with(
        "  - { date: 2026-01-07, github: dee }\n  - { date: 2026-01-08, github: cai }\n"
    ));
    assert_eq!(
        changed_days(&repo, "base.yaml"),
        ["2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"]
    );
}

#[test]
fn swap_refuses_what_cannot_be_swapped_and_writes_nothing() {
    let repo = Repo::with(TEAM, None);
    for (a, b, why) in [
        (
            "2026-01-06",
            "2026-01-10",
            "2026-01-10 (Saturday) is not a working day",
        ),
        ("2026-01-06", "2026-01-06", "is given twice"),
        // cai (Wed 7) would take ben's Tue 13, but is away all that week.
        ("2026-01-07", "2026-01-13", "`cai` is away on 2026-01-13"),
        ("2026-01-02", "2026-01-06", "before the rotation starts"),
    ] {
        repo.oncall()
            .env("ONCALL_NOW", NOW)
            .args(["swap", a, b])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(why));
        assert_eq!(repo.read("rotation.yaml"), TEAM, "{a} {b}: nothing written");
    }
    // A day already handed over cannot be swapped.
    repo.oncall()
        .env("ONCALL_NOW", NOW)
        .args(["advance", "--date", "2026-01-05"])
        .assert()
        .success();
    repo.oncall()
        .env("ONCALL_NOW", NOW)
        .args(["swap", "2026-01-05", "2026-01-06"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "2026-01-05 was handed over already",
        ));
}

#[test]
fn leave_removes_a_member_from_the_roster_and_the_state_in_one_edit() {
    let repo = Repo::with(TEAM, None);
    repo.oncall()
        .env("ONCALL_NOW", NOW)
        .args(["advance", "--date", "2026-01-05"])
        .assert()
        .success();
    let before = repo.read("rotation.yaml");
    assert!(before.contains("order: [ana, ben, cai, dee, eli, fay]"));
    let schedule = |repo: &Repo| {
        repo.oncall()
            .env("ONCALL_NOW", NOW)
            .args(["schedule", "--from", "2026-01-06", "--working-days", "4"])
            .output()
            .unwrap()
            .stdout
    };
    assert!(String::from_utf8_lossy(&schedule(&repo)).contains("2026-01-07 Wed  @cai"));
    repo.oncall()
        .env("ONCALL_NOW", NOW)
        .args(["leave", "cai"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Removed `cai`"))
        .stdout(predicate::str::contains("still due in this cycle"));
    let after = repo.read("rotation.yaml");
    assert!(!after.contains("github: cai"), "{after}");
    assert!(
        after.contains("order: [ana, ben, dee, eli, fay]"),
        "{after}"
    );
    assert!(
        after.contains("# Our rotation (comments stay)")
            && after.contains("  - github: ana   # lead")
    );
    // Without hand-editing the state, the file is valid and nobody else's
    // turn moves: dee, eli, fay follow ben.
    repo.oncall()
        .env("ONCALL_NOW", NOW)
        .arg("check")
        .assert()
        .success();
    let out = String::from_utf8_lossy(&schedule(&repo)).into_owned();
    assert!(
        out.contains("2026-01-06 Tue  @ben")
            && out.contains("2026-01-07 Wed  @dee")
            && out.contains("2026-01-08 Thu  @eli"),
        "{out}"
    );
}

#[test]
fn leave_refuses_an_unknown_login_or_a_member_with_an_override() {
    let text = format!("{TEAM}overrides:\n  - {{ date: 2026-01-09, github: cai, reason: swap }}\n");
    let repo = Repo::with(&text, None);
    repo.oncall()
        .args(["leave", "zed"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`zed` is not a member of rotation.yaml: nothing to remove",
        ));
    repo.oncall()
        .args(["leave", "cai"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing was written"))
        .stderr(predicate::str::contains(
            "rotation.yaml:18:13: error: the override on 2026-01-09 names `cai`, who is leaving",
        ));
    assert_eq!(repo.read("rotation.yaml"), text, "nothing written");
}

/// Probe 9's team: a to g, cycle 1 from 5 to 13 January with a swap on
/// the 7th and 9th (`e` and `c`), cycle 2 from the 14th.
const SEVEN: &str = "team: Team 40
timezone: UTC
start: 2026-01-05
members:
  - github: a
  - github: b
  - github: c
  - github: d
  - github: e
  - github: f
  - github: g
overrides:
  - { date: 2026-01-07, github: e, reason: swap }
  - { date: 2026-01-09, github: c, reason: swap }
";

fn seven_days(repo: &Repo, now: &str) -> String {
    let out = repo
        .oncall()
        .env("ONCALL_NOW", now)
        .args(["schedule", "--from", "2026-01-14", "--days", "9"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split_whitespace().nth(2).unwrap_or("").to_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

const JAN_14: &str = "2026-01-14T09:00:00Z";

#[test]
fn leave_after_serving_moves_nobody_and_says_that_todays_handover_stands() {
    let repo = Repo::with(SEVEN, None);
    repo.oncall()
        .env("ONCALL_NOW", JAN_14)
        .arg("advance")
        .assert()
        .success();
    assert_eq!(seven_days(&repo, JAN_14), "@a @b @g @c @d @e @f");
    repo.oncall()
        .env("ONCALL_NOW", JAN_14)
        .args(["leave", "a"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Their turn in this cycle stays served; nobody else's turn moves.",
        ))
        .stdout(predicate::str::contains(
            "`a` is on call today (2026-01-14), handed over already: today's handover stands, and they stay on call (who, the page, the user group) until the next handover, on 2026-01-15 (`b`).",
        ));
    // Before issue 22, `g` moved behind `c` (a b c g d e f).
    assert_eq!(seven_days(&repo, JAN_14), "@a @b @g @c @d @e @f");
    // `state.on_call` still names `a` (the record), and `check` is quiet.
    let after = repo.read("rotation.yaml");
    assert!(
        after.contains("on_call: a\n") && after.contains("held_for: 1\n"),
        "{after}"
    );
    repo.oncall()
        .env("ONCALL_NOW", JAN_14)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("warning").not());
}

#[test]
fn leave_keeps_past_overrides_and_finishes_a_removal_made_by_hand() {
    let repo = Repo::with(SEVEN, None);
    repo.oncall()
        .env("ONCALL_NOW", JAN_14)
        .arg("advance")
        .assert()
        .success();
    // `e`'s override of the 7th was served: it is the record, kept, and
    // no reason to refuse.
    repo.oncall()
        .env("ONCALL_NOW", JAN_14)
        .args(["leave", "e"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Kept the override(s) naming them on 2026-01-07: days handed over are the record.",
        ));
    let after = repo.read("rotation.yaml");
    assert!(
        after.contains("  - { date: 2026-01-07, github: e, reason: swap }\n"),
        "{after}"
    );
    repo.oncall()
        .env("ONCALL_NOW", JAN_14)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("warning").not());
    // `d` removed from `members` by hand: the state still names them,
    // and `leave d` finishes the job instead of failing on it.
    std::fs::write(
        repo.path("rotation.yaml"),
        after.replacen("  - github: d\n", "", 1),
    )
    .unwrap();
    repo.oncall()
        .env("ONCALL_NOW", JAN_14)
        .args(["leave", "d"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "`d` is not in `members` any more (removed by hand); removed them from the state block of rotation.yaml too.",
        ));
    assert!(
        repo.read("rotation.yaml")
            .contains("order: [a, b, g, c, f]\n")
    );
    // Gone from both: said so.
    repo.oncall()
        .env("ONCALL_NOW", JAN_14)
        .args(["leave", "d"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`d` is not a member of rotation.yaml",
        ));
}

#[test]
fn leave_of_the_member_due_today_says_who_serves_today_instead() {
    let repo = Repo::with(SEVEN, None);
    repo.oncall()
        .env("ONCALL_NOW", JAN_14)
        .arg("advance")
        .assert()
        .success();
    // The 15th is `b`'s, not handed over yet; `g` is still held back for
    // one turn, so `c` takes it.
    repo.oncall()
        .env("ONCALL_NOW", "2026-01-15T09:00:00Z")
        .args(["leave", "b"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "`b` was due today (2026-01-15), not handed over yet: today's handover will put `c` on call instead.",
        ));
}

#[test]
fn swap_writes_a_block_list_where_the_file_had_an_empty_flow_list() {
    let text = format!("{TEAM}overrides: []\n");
    let repo = Repo::with(&text, None);
    for (a, b) in [("2026-01-06", "2026-01-09"), ("2026-01-07", "2026-01-08")] {
        repo.oncall()
            .env("ONCALL_NOW", NOW)
            .args(["swap", a, b])
            .assert()
            .success();
    }
    assert!(
        repo.read("rotation.yaml").ends_with(
            "overrides:\n  - { date: 2026-01-06, github: eli }\n  - { date: 2026-01-09, github: ben }\n  - { date: 2026-01-07, github: dee }\n  - { date: 2026-01-08, github: cai }\n"
        ),
        "{}",
        repo.read("rotation.yaml")
    );
}

/// Issue 22, bug 3: what a change adds in days handed over already (an
/// override, a time off with last year's date) moves nobody: the preview
/// of the change says so, as nothing else would.
#[test]
fn preview_notes_an_override_or_time_off_added_in_days_handed_over() {
    let repo = Repo::with(SEVEN, None);
    repo.oncall()
        .env("ONCALL_NOW", JAN_14)
        .arg("advance")
        .assert()
        .success();
    std::fs::create_dir(repo.path("base")).unwrap();
    for f in ["rotation.yaml", "oncall-log.md"] {
        std::fs::write(repo.path(&format!("base/{f}")), repo.read(f)).unwrap();
    }
    let text = repo
        .read("rotation.yaml")
        .replacen(
            "  - github: b\n",
            "  - github: b\n    away:\n      - { from: 2025-01-19, to: 2025-01-23 }\n",
            1,
        )
        .replacen(
            "  - { date: 2026-01-09, github: c, reason: swap }\n",
            "  - { date: 2026-01-09, github: c, reason: swap }\n  - { date: 2026-01-12, github: a }\n",
            1,
        );
    std::fs::write(repo.path("rotation.yaml"), text).unwrap();
    let out = repo
        .oncall()
        .env("ONCALL_NOW", JAN_14)
        .args(["preview", "--base", "base", "--config", "rotation.yaml"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(md.contains("- The override on 2026-01-12 (`a`) is for a day handed over already (2026-01-14 was the last): it changes nobody's day, the log is the record. Check its date.\n"), "{md}");
    assert!(md.contains("- `b`'s time off from 2025-01-19 to 2025-01-23 lies wholly in days handed over already (2026-01-14 was the last): it moves nobody's day (`oncall stats` counts it). Check the year if it is meant to be ahead.\n"), "{md}");
    // The swap of last week, in the base already, is not noted.
    assert!(!md.contains("2026-01-09 ("), "{md}");
}

//! The daily run at the edges of time: the cron firing just before and
//! just after midnight in the team's zone, both daylight-saving changes,
//! 29 February, New Year, and a rotation that starts in the future. The
//! binary is run as the workflow runs it, with the clock set by ONCALL_NOW.

use crate::support;

use support::repo::Repo;

const TEAM: &str = "team: Time team\ntimezone: Europe/Berlin\nstart: 2026-01-05\nholidays:\n  - 2027-01-01\nmembers:\n  - { github: ana }\n  - { github: ben }\n  - { github: cai }\n";

/// Runs `oncall advance` at the UTC instant `now`; returns stdout.
fn advance_at(repo: &Repo, now: &str) -> String {
    let out = repo
        .oncall()
        .arg("advance")
        .env("ONCALL_NOW", now)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{now}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn since(repo: &Repo) -> String {
    let text = repo.read("rotation.yaml");
    text.lines()
        .find_map(|l| l.strip_prefix("  since: "))
        .unwrap_or("none")
        .to_owned()
}

#[test]
fn around_midnight_in_the_team_zone() {
    let repo = Repo::with(TEAM, None);
    // 22:59 UTC on Thursday 2026-02-05 is 23:59 in Berlin: still Thursday.
    advance_at(&repo, "2026-02-05T22:59:00Z");
    assert_eq!(since(&repo), "2026-02-05");
    // 23:01 UTC is 00:01 on Friday in Berlin: Friday's handover.
    advance_at(&repo, "2026-02-05T23:01:00Z");
    assert_eq!(since(&repo), "2026-02-06");
    // Run again a minute later: nothing changes (R10).
    let before = repo.files();
    assert!(advance_at(&repo, "2026-02-05T23:02:00Z").contains("handed over already"));
    assert_eq!(repo.files(), before);
}

#[test]
fn across_both_daylight_saving_changes() {
    let repo = Repo::with(TEAM, None);
    // Spring forward: Berlin moves from UTC+1 to UTC+2 on Sunday 2026-03-29.
    // 22:30 UTC on Sunday is 00:30 on Monday 30 March in Berlin.
    advance_at(&repo, "2026-03-29T22:30:00Z");
    assert_eq!(since(&repo), "2026-03-30");
    // Fall back on Sunday 2026-10-25: 23:30 UTC is 00:30 on Monday 26.
    advance_at(&repo, "2026-10-25T23:30:00Z");
    assert_eq!(since(&repo), "2026-10-26");
    // 22:30 UTC that Sunday is 23:30 in Berlin: still Sunday, no handover.
    let repo = Repo::with(TEAM, None);
    assert!(advance_at(&repo, "2026-10-25T22:30:00Z").contains("not a working day"));
    assert_eq!(since(&repo), "none");
}

#[test]
fn on_29_february_and_across_new_year() {
    let leap = TEAM.replace("start: 2026-01-05", "start: 2028-02-28");
    let repo = Repo::with(&leap, None);
    advance_at(&repo, "2028-02-29T06:23:00Z");
    assert_eq!(since(&repo), "2028-02-29");
    assert!(
        repo.read("oncall-log.md")
            .contains("## 2028-02-29 · Tuesday")
    );
    let repo = Repo::with(TEAM, None);
    advance_at(&repo, "2026-12-31T06:23:00Z");
    // 1 January 2027 is a holiday: nothing happens.
    assert!(advance_at(&repo, "2027-01-01T06:23:00Z").contains("holiday"));
    advance_at(&repo, "2027-01-04T06:23:00Z");
    assert_eq!(since(&repo), "2027-01-04");
    let log = repo.read("oncall-log.md");
    assert!(!log.contains("## 2027-01-01"), "no section on the holiday");
    assert!(log.contains("## 2026-12-31") && log.contains("## 2027-01-04"));
}

#[test]
fn a_rotation_that_starts_in_the_future_waits() {
    let future = TEAM.replace("start: 2026-01-05", "start: 2027-03-01");
    let repo = Repo::with(&future, None);
    assert!(advance_at(&repo, "2026-11-27T06:23:00Z").contains("starts on 2027-03-01"));
    assert_eq!(repo.files(), (future.clone(), String::new()));
    let out = repo
        .oncall()
        .args(["schedule", "--from", "2027-02-26", "--days", "4"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "2027-03-01 Mon  @ana\n"
    );
}

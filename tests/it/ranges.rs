//! `oncall schedule`'s ranges say what is true (issue 22, bug 7), and
//! `--member` suggests the login meant (issue 22, friction): a team of
//! seven whose rotation starts on Monday 7 December 2026, asked on
//! Wednesday 2 December.

use crate::support::repo::Repo;

const TEAM: &str = "team: Berlin SRE
timezone: Europe/Berlin
start: 2026-12-07
members:
  - { github: anna, name: Anna Schmidt }
  - { github: ben, name: Ben Müller }
  - { github: clara, name: Clara Weber }
  - { github: david, name: David Fischer }
  - { github: eva, name: Eva Wagner }
  - { github: felix, name: Felix Becker }
  - { github: greta, name: Greta Hoffmann }
";

/// Wednesday, before the start.
const NOW: &str = "2026-12-02T09:00:00Z";

fn schedule(args: &[&str]) -> std::process::Output {
    Repo::with(TEAM, None)
        .oncall()
        .env("ONCALL_NOW", NOW)
        .arg("schedule")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = schedule(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn working_days_before_the_start_are_counted_from_the_start() {
    assert_eq!(
        stdout(&["--working-days", "3"]),
        "2026-12-07 Mon  Anna Schmidt (@anna)\n\
         2026-12-08 Tue  Ben Müller (@ben)\n\
         2026-12-09 Wed  Clara Weber (@clara)\n"
    );
}

#[test]
fn a_range_before_the_start_says_when_it_starts() {
    assert_eq!(
        stdout(&["--days", "1"]),
        "the rotation starts on Monday 2026-12-07: nobody is on call before it\n"
    );
    // A weekend is what it is.
    assert_eq!(
        stdout(&["--from", "2026-12-12", "--days", "2"]),
        "no working days in this range (2026-12-12 to 2026-12-13)\n"
    );
}

#[test]
fn a_member_without_a_day_in_the_range_is_told_so() {
    // Greta's first day is the 15th.
    assert_eq!(
        stdout(&["--days", "10", "--member", "greta"]),
        "greta has no on-call day in this range (2026-12-02 to 2026-12-11)\n"
    );
    assert_eq!(
        stdout(&["--days", "14", "--member", "greta"]),
        "2026-12-15 Tue  Greta Hoffmann (@greta)\n"
    );
}

#[test]
fn a_misspelt_member_gets_a_suggestion() {
    let out = schedule(&["--member", "gerta"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "--member \"gerta\" is not in `members` of rotation.yaml: did you mean `greta`?"
        ),
        "{err}"
    );
}

/// The same across the rotations of a repository (`rotations/NAME/`).
#[test]
fn across_rotations_too() {
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    std::fs::create_dir_all(repo.path("rotations/sre")).unwrap();
    std::fs::write(repo.path("rotations/sre/rotation.yaml"), TEAM).unwrap();
    let run = |args: &[&str]| {
        repo.oncall()
            .env("ONCALL_NOW", NOW)
            .arg("schedule")
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["--member", "gerta"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("\"gerta\" is not a member of any rotation here: did you mean `greta`?"),
        "{err}"
    );
    let out = run(&["--member", "greta", "--days", "5"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "greta has no on-call day in this range\n"
    );
    // Counted from the start: Greta's first day is the seventh working day.
    let out = run(&["--member", "greta", "--working-days", "7"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "2026-12-15 Tue  sre  Berlin SRE  rotation\n"
    );
}

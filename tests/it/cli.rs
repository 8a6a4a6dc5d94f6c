//! The `oncall` binary on fixture files.

use crate::support;
use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::Path;
use support::repo::Repo;

const SMALL: &str = "team: CLI team\ntimezone: Europe/Berlin\nstart: 2026-11-23\nmembers:\n  - { github: ana, name: Ana }\n  - { github: ben }\n  - { github: cai }\n";

#[test]
fn check_accepts_the_repository_files() {
    // The live files, on the day after their last handover (they move
    // every working day: no fixed date).
    let repo = Repo::own();
    let (_, now) = repo.live_today();
    repo.oncall()
        .env("ONCALL_NOW", &now)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("rotation.yaml: ok ("));
    Repo::example()
        .oncall()
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "rotation.yaml: ok (8 members, Europe/Berlin)",
        ));
}

#[test]
fn the_repository_files_advanced_by_30_working_days_still_run_the_quick_start() {
    // The daily workflow advances the live files: the suite and the quick
    // start must keep working on them. Advance a copy day by day, as the
    // workflow would, then run the quick start's command.
    let repo = Repo::own();
    for _ in 0..30 {
        let (day, now) = repo.live_today();
        repo.oncall()
            .env("ONCALL_NOW", &now)
            .arg("advance")
            .assert()
            .success();
        assert!(
            repo.read("rotation.yaml")
                .contains(&format!("since: {day}"))
        );
    }
    let (_, now) = repo.live_today();
    repo.oncall()
        .env("ONCALL_NOW", &now)
        .args(["advance", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Dry run: nothing is written."));
    repo.oncall()
        .env("ONCALL_NOW", &now)
        .arg("check")
        .assert()
        .success();
}

#[test]
fn check_reports_problems_with_positions_and_exits_2() {
    let repo = Repo::with(
        &SMALL.replace(
            "timezone: Europe/Berlin",
            "timezone: Mars/Olympus\ncolour: red",
        ),
        Some("## 2026-11-24\n## 2026-11-23\n"),
    );
    repo.oncall()
        .arg("check")
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "rotation.yaml:3:1: error: unknown key `colour`",
        ))
        .stdout(predicate::str::contains(
            "oncall-log.md:2:4: error: section 2026-11-23 comes after 2026-11-24 (line 1)",
        ));
}

#[test]
fn check_warns_about_uncovered_days_ahead() {
    let y = SMALL.replace("members:\n  - { github: ana, name: Ana }\n  - { github: ben }\n  - { github: cai }\n",
        "members:\n  - { github: ana, away: [{ from: 2026-12-01, to: 2026-12-01 }] }\n  - { github: ben, away: [{ from: 2026-11-30, to: 2026-12-01 }] }\n");
    Repo::with(&y, None)
        .oncall()
        .arg("check")
        .env("ONCALL_NOW", "2026-11-27T08:00:00Z")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "warning: 2026-12-01 (Tuesday) is uncovered",
        ))
        .stdout(predicate::str::contains("1 uncovered day(s)"));
}

#[test]
fn schedule_json_has_date_github_and_why() {
    let out = Repo::with(SMALL, None)
        .oncall()
        .args([
            "schedule",
            "--from",
            "2026-11-23",
            "--days",
            "7",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 5, "five working days in a week");
    assert_eq!(rows[0]["date"], "2026-11-23");
    assert_eq!(rows[0]["github"], "ana");
    assert_eq!(rows[0]["why"], "rotation");
    // Cycle 2 begins on Thursday; its first day is not cai's, who served
    // Wednesday (R4 spacing), and its order is pinned by the shuffle.
    assert_eq!(rows[3]["github"], "ana");
    assert_eq!(rows[4]["github"], "cai");
}

#[test]
fn schedule_then_advance_agree_for_thirty_days() {
    let repo = Repo::example();
    let out = repo
        .oncall()
        .args([
            "schedule",
            "--from",
            "2026-11-27",
            "--days",
            "30",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows.len() >= 18);
    for row in &rows {
        let date = row["date"].as_str().unwrap();
        repo.oncall()
            .args(["advance", "--date", date])
            .assert()
            .success();
        let who = repo.oncall().args(["who", date]).output().unwrap();
        let who = String::from_utf8(who.stdout).unwrap();
        let expected = match row["github"].as_str() {
            Some(g) => format!("(@{g})"),
            None => "uncovered".to_owned(),
        };
        assert!(
            who.contains(&expected),
            "{date}: schedule said {expected}, advance made {who}"
        );
        let state = repo.read("rotation.yaml");
        assert!(state.contains(&format!("since: {date}")), "{date}");
        match row["github"].as_str() {
            Some(g) => assert!(state.contains(&format!("on_call: {g}\n")), "{date}"),
            None => assert!(state.contains("on_call: null\n"), "{date}"),
        }
    }
    repo.oncall().arg("check").assert().success();
}

#[test]
fn advance_twice_on_the_same_day_changes_nothing() {
    let repo = Repo::example();
    repo.oncall()
        .args(["advance", "--date", "2026-11-27"])
        .assert()
        .success();
    let first = repo.files();
    repo.oncall()
        .args(["advance", "--date", "2026-11-27"])
        .assert()
        .success()
        .stdout(predicate::str::contains("handed over already"));
    assert_eq!(repo.files(), first);
}

#[test]
fn advance_keeps_comments_and_changes_only_the_state() {
    let repo = Repo::example();
    let before = repo.read("rotation.yaml");
    repo.oncall()
        .args(["advance", "--date", "2026-11-27"])
        .assert()
        .success();
    let after = repo.read("rotation.yaml");
    let changed: Vec<_> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(before.lines().count(), after.lines().count());
    assert!(changed.len() <= 3, "a few lines change: {changed:?}");
    assert!(changed.iter().all(|(a, _)| a.starts_with("  since:")
        || a.starts_with("  on_call:")
        || a.starts_with("  served:")));
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let repo = Repo::example();
    let before = repo.files();
    repo.oncall()
        .args(["advance", "--date", "2026-11-27", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Dry run: nothing is written."))
        .stdout(predicate::str::contains("+  since: 2026-11-27"))
        .stdout(predicate::str::contains("+## 2026-11-27 · Friday"))
        .stdout(predicate::str::contains("on call:"));
    assert_eq!(repo.files(), before);
    // The log's hunk starts two lines before its end (the last two lines
    // are the context), counted right.
    let lines = before.1.lines().count();
    let out = repo
        .oncall()
        .args(["advance", "--date", "2026-11-27", "--dry-run"])
        .output()
        .unwrap();
    let hunk = format!("@@ -{},2 +{},", lines - 1, lines - 1);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&hunk),
        "{hunk}"
    );
}

#[test]
fn invalid_input_exits_2_and_writes_nothing() {
    let bad = SMALL.replace("  - { github: cai }\n", "  - { github: ana }\n");
    let repo = Repo::with(&bad, Some("# log\n"));
    let before = repo.files();
    repo.oncall()
        .args(["advance", "--date", "2026-11-27"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rotation.yaml:7:15: error: member `ana` is listed twice",
        ));
    assert_eq!(repo.files(), before);
    // A log whose headings are out of order is refused the same way.
    let repo = Repo::with(SMALL, Some("## 2026-11-24 · x\n\n## 2026-11-24 · y\n"));
    let before = repo.files();
    repo.oncall()
        .args(["advance", "--date", "2026-11-27"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "oncall-log.md:3:4: error: a second section for 2026-11-24",
        ));
    assert_eq!(repo.files(), before);
}

#[test]
fn bad_arguments_and_missing_files_exit_2() {
    let repo = Repo::with(SMALL, None);
    repo.oncall()
        .args(["who", "27.11.2026"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("write YYYY-MM-DD"));
    repo.oncall()
        .args(["--config", "nope.yaml", "who"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.yaml"));
    let bytes = [b"team: \xff\xfe\n".as_slice()].concat();
    fs::write(repo.path("rotation.yaml"), bytes).unwrap();
    repo.oncall()
        .arg("who")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not valid UTF-8"));
}

#[test]
fn today_is_taken_in_the_team_time_zone() {
    let repo = Repo::with(SMALL, None);
    // 23:30 UTC on Monday 23 is Tuesday 24 in Berlin: ben's day.
    repo.oncall()
        .arg("who")
        .env("ONCALL_NOW", "2026-11-23T23:30:00Z")
        .assert()
        .success()
        .stdout("2026-11-24: @ben\n");
    repo.oncall()
        .arg("who")
        .env("ONCALL_NOW", "2026-11-23T22:30:00Z")
        .assert()
        .success()
        .stdout("2026-11-23: Ana (@ana)\n");
}

#[test]
fn non_working_days_and_days_before_start_do_nothing() {
    let repo = Repo::with(SMALL, None);
    repo.oncall()
        .args(["advance", "--date", "2026-11-28"])
        .assert()
        .success()
        .stdout(predicate::str::contains("not a working day"));
    repo.oncall()
        .args(["advance", "--date", "2026-11-20"])
        .assert()
        .success()
        .stdout(predicate::str::contains("starts on 2026-11-23"));
    assert_eq!(repo.files(), (SMALL.to_owned(), String::new()));
}

#[test]
fn the_first_advance_adds_the_state_block_and_the_log() {
    let repo = Repo::with(SMALL, None);
    repo.oncall()
        .args(["advance", "--date", "2026-11-24"])
        .assert()
        .success()
        .stdout(predicate::str::contains("caught up:      1 missed day(s)"));
    let (rotation, log) = repo.files();
    assert!(
        rotation.starts_with(SMALL),
        "the file is kept and the state appended"
    );
    assert!(rotation.ends_with("state:\n  since: 2026-11-24\n  on_call: ben\n  cycle: 1\n  order: [ana, ben, cai]\n  served: [ana, ben]\n"), "{rotation}");
    assert!(log.starts_with("# On-call log: CLI team\n"));
    assert_eq!(log.matches("\n## 2026-11-2").count(), 2);
}

#[test]
fn terminal_output_escapes_control_characters_from_the_files() {
    // A control character in free text is refused (tests/it/free_text.rs).
    let y = SMALL.replace("name: Ana", "name: \"Ana\\e[31mRED\\u202Eevil\"");
    Repo::with(&y, None)
        .oncall()
        .args(["who", "2026-11-23"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rotation.yaml:5:26: error: `members[0].name` contains an escape character (U+001B)",
        ));
    // What is echoed from a file shows its control characters escaped.
    let y = format!("{SMALL}\"x\\e[31mRED\\u202Eevil\": 1\n");
    Repo::with(&y, None)
        .oncall()
        .arg("check")
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "unknown key `x\\u{1b}[31mRED\\u{202e}evil`",
        ))
        .stdout(predicate::str::contains("\u{1b}").not())
        .stdout(predicate::str::contains("\u{202e}").not());
}

#[test]
fn schema_matches_the_committed_file() {
    let out = Command::cargo_bin("oncall")
        .unwrap()
        .arg("schema")
        .output()
        .unwrap();
    let committed = fs::read_to_string(Path::new("rotation.schema.json")).unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        committed,
        "rotation.schema.json is stale: run `cargo run -- schema > rotation.schema.json`"
    );
    let out = Command::cargo_bin("oncall")
        .unwrap()
        .args(["schema", "--calendar"])
        .output()
        .unwrap();
    let committed = fs::read_to_string(Path::new("calendar.schema.json")).unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        committed,
        "calendar.schema.json is stale: run `cargo run -- schema --calendar > calendar.schema.json`"
    );
}

#[test]
fn schedule_compare_marks_the_changed_days() {
    let repo = Repo::with(SMALL, None);
    let base = repo.path("base.yaml");
    fs::write(
        &base,
        SMALL.replace(
            "  - { github: ana, name: Ana }\n  - { github: ben }\n",
            "  - { github: ben }\n  - { github: ana, name: Ana }\n",
        ),
    )
    .unwrap();
    let out = repo
        .oncall()
        .args([
            "schedule",
            "--from",
            "2026-11-23",
            "--working-days",
            "3",
            "--format",
            "json",
            "--compare",
        ])
        .arg(&base)
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 3, "three working days");
    assert_eq!(
        (
            rows[0]["before"].as_str(),
            rows[0]["after"].as_str(),
            rows[0]["changed"].as_bool()
        ),
        (Some("ben"), Some("ana"), Some(true))
    );
    assert_eq!(rows[2]["changed"], false, "cai's day does not move");
    // The text form has a header and names people as `schedule` does
    // (it printed `@Ana`, a name as if it were a login, and no header).
    let out = repo
        .oncall()
        .args([
            "schedule",
            "--from",
            "2026-11-23",
            "--working-days",
            "3",
            "--compare",
        ])
        .arg(&base)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["Date", "Before", "After"], "{text}");
    assert!(text.contains("2026-11-23 Mon  @ben"), "{text}");
    assert!(text.contains("Ana (@ana)"), "{text}");
    assert!(!text.contains("@Ana"), "{text}");
}

#[test]
fn a_50_mb_rotation_file_is_refused_before_it_is_read() {
    let repo = Repo::with(SMALL, Some("# log\n"));
    let mut big = SMALL.to_owned();
    big.push_str(&format!("# {}\n", "x".repeat(50 * 1024 * 1024)));
    fs::write(repo.path("rotation.yaml"), &big).unwrap();
    repo.oncall()
        .args(["advance", "--date", "2026-11-23"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("more than the 33554432 bytes"));
    assert_eq!(repo.read("oncall-log.md"), "# log\n", "nothing written");
}

#[test]
fn a_date_before_the_last_handover_says_it_was_handed_over_already() {
    // Previously: `error: oncall-log.md:3: a section for 2026-11-30, after
    // 2026-11-24 …` and exit 2.
    let log = "# log\n\n## 2026-11-30 · Monday · x\n";
    let repo = Repo::with(SMALL, Some(log));
    repo.oncall()
        .args(["advance", "--date", "2026-11-24"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2026-11-24 was handed over already (the last handover is 2026-11-30): nothing to do",
        ));
    assert_eq!(repo.read("oncall-log.md"), log, "nothing written");
}

/// `oncall --version` names the version and the commit the binary was
/// built from (here: this checkout's HEAD, unless the build was told
/// another commit).
#[test]
fn version_names_the_commit_it_was_built_from() {
    let out = Command::cargo_bin("oncall")
        .unwrap()
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let rest = text
        .strip_prefix(&format!("oncall {} (commit ", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("{text}"));
    let (commit, target) = rest.split_once(", ").unwrap();
    assert!(target.ends_with(")\n") && target.contains('-'), "{text}");
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_owned());
    let told = ["ONCALL_COMMIT", "GITHUB_SHA"]
        .iter()
        .any(|v| std::env::var(v).is_ok_and(|s| !s.is_empty()));
    match head {
        Some(head) if !told => assert_eq!(commit, head, "{text}"),
        _ => assert!(
            commit == "unknown"
                || (commit.len() >= 7 && commit.bytes().all(|b| b.is_ascii_hexdigit())),
            "{text}"
        ),
    }
}

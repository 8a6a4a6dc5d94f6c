//! A small file cannot exhaust the runner (issue 21, finding 5): a
//! catch-up of more than a year is refused with the way out, a log the next
//! run could not read is never written, and the roster and its texts have
//! limits, each refused at its position. (The engine's cost, linear in days
//! plus members, is in crates/core/tests/engine.rs and BENCHMARKS.md.)

use crate::support;

use support::fake_github::FakeGitHub;
use support::repo::Repo;

/// FIXED_NOW is Monday 2027-03-01.
fn team(start: &str, extra: &str) -> String {
    format!(
        "team: Limits\ntimezone: UTC\nstart: {start}\nmembers:\n  - github: ana\n  - github: ben\n  - github: cai\n{extra}"
    )
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_catch_up_of_more_than_a_year_is_refused_with_the_way_out() {
    // Never handed over, started 14 months ago: every command that walks
    // the days refuses at `start`, and nothing is written.
    let repo = Repo::with(&team("2026-01-04", ""), Some(""));
    let at_start = "rotation.yaml:3:8: error: `start` is 2026-01-04 and nothing was handed over yet: the first handover would catch up 301 working days, more than a year, up to 2027-03-01 (oncall catches up at most a year: set `start` to the first day you run it)";
    for args in [
        &["check"][..],
        &["advance"],
        &["advance", "--dry-run"],
        &["schedule"],
        &["who"],
    ] {
        let out = repo.oncall().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(text(&out).contains(at_start), "{args:?}: {}", text(&out));
    }
    assert_eq!(repo.read("oncall-log.md"), "", "nothing written");
    let list = repo.oncall().args(["list"]).output().unwrap();
    assert!(
        text(&list).contains("`start` is 2026-01-04"),
        "{}",
        text(&list)
    );

    // The last handover more than a year ago: refused at `state.since`.
    let state = "state:\n  since: 2026-02-27\n  on_call: ana\n  cycle: 1\n  order: [ana, ben, cai]\n  served: [ana]\n";
    let repo = Repo::with(&team("2026-02-27", state), Some(""));
    let out = repo.oncall().arg("advance").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("rotation.yaml:9:10: error: `state.since` is 2026-02-27, more than a year before 2027-03-01: the next handover would catch up 261 working days (oncall catches up at most a year: set `state.since` to a recent working day"),
        "{}",
        text(&out)
    );
    // Within a year, it catches up.
    let repo = Repo::with(&team("2026-03-02", ""), Some(""));
    let out = repo.oncall().arg("advance").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(repo.read("rotation.yaml").contains("since: 2027-03-01"));

    // A date more than a year past the last handover, even asked for.
    let recent = "state:\n  since: 2027-02-26\n  on_call: ana\n  cycle: 1\n  order: [ana, ben, cai]\n  served: [ana]\n";
    let repo = Repo::with(&team("2027-02-26", recent), Some(""));
    let out = repo
        .oncall()
        .args(["advance", "--dry-run", "--date", "2028-03-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("rotation.yaml:9:10: error: `state.since` is 2027-02-26, more than a year before 2028-03-01"),
        "{}",
        text(&out)
    );
}

/// The same refusal where the files are read from GitHub: one read, no
/// write.
#[test]
fn a_catch_up_of_more_than_a_year_is_refused_on_github_too() {
    let f = FakeGitHub::start(&[("rotation.yaml", &team("2026-01-04", ""))]);
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    let out = repo
        .oncall()
        .args(["advance", "--pr"])
        .envs(f.env())
        .env("ONCALL_HTTP_TIMEOUT", "2")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("error: `start` is 2026-01-04 and nothing was handed over yet"),
        "{}",
        text(&out)
    );
    let requests = f.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert!(requests.iter().all(|r| !r.what.starts_with("mutation")));
}

/// Each day's section repeats the duties: 200 sections of 200,000
/// characters would be a 40 MB log, which the next run would refuse to
/// read. It is never made, never written.
#[test]
fn a_log_the_next_run_could_not_read_is_never_written() {
    let duty = |c: char| format!("  - {}\n", c.to_string().repeat(99_000));
    let extra = format!("duties:\n{}{}", duty('x'), duty('y'));
    let repo = Repo::with(&team("2026-05-03", &extra), Some(""));
    let before = repo.files();
    for args in [&["advance"][..], &["advance", "--dry-run"]] {
        let out = repo.oncall().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(
            text(&out).contains("the log with the 216 new day section(s) would be more than the 33554432 bytes oncall reads, so nothing was written: each section repeats the duties"),
            "{args:?}: {}",
            text(&out)
        );
        assert_eq!(repo.files(), before, "{args:?} wrote");
    }
}

/// The roster and every free text have limits, refused at their position
/// (rotation.yaml's and a shared calendar's).
#[test]
fn the_roster_and_its_texts_are_refused_beyond_their_limits() {
    let members: String = (0..5_001).map(|i| format!("  - github: m{i}\n")).collect();
    let repo = Repo::with(
        &format!("team: Many\ntimezone: UTC\nstart: 2027-03-01\nmembers:\n{members}"),
        None,
    );
    let out = repo.oncall().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("rotation.yaml:5005:13: error: this is member 5001 of 5001: a rotation has at most 5000 members (split the team into several rotations"),
        "{}",
        text(&out)
    );
    let long = "n".repeat(100_001);
    let repo = Repo::with(
        &format!(
            "team: Long\ntimezone: UTC\nstart: 2027-03-01\nholidays:\n  - include: calendars/x.yaml\nmembers:\n  - github: ana\n  - {{ github: ben, name: {long} }}\n"
        ),
        None,
    );
    std::fs::create_dir(repo.path("calendars")).unwrap();
    std::fs::write(
        repo.path("calendars/x.yaml"),
        format!("holidays:\n  - {{ date: 2027-12-24, name: {long} }}\n"),
    )
    .unwrap();
    let out = repo.oncall().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    for expected in [
        "rotation.yaml:8:15: error: this member's name is 100001 characters long, more than the 100000 oncall takes",
        "calendars/x.yaml:2:5: error: this holiday's name is 100001 characters long, more than the 100000 oncall takes",
    ] {
        assert!(text(&out).contains(expected), "{}", text(&out));
    }
}

//! Substitute days (issue 22, bugs 2 and 4), handed over day by day: a team
//! of seven from Monday 7 December 2026, Clara away 14-18 December.
//!
//! Counted by hand from the rules: cycle 1 is the written order, anna (7th)
//! to greta (15th); cycle 2 begins on the 16th in its shuffled order, david
//! first, then clara, who is away. With felix and greta held back for the
//! cycle's first two turns (R4), anna serves the 17th in clara's place: a
//! substitute day. Had clara been there, she would have served the 17th
//! and greta the 18th, as greta does: the 18th is greta's own day, not a
//! substitute day. Clara serves the 21st, back from her time off.

use crate::support::repo::Repo;
use serde_json::Value;

const TEAM: &str = "team: Berlin SRE
timezone: Europe/Berlin
start: 2026-12-07
members:
  - { github: anna, name: Anna Schmidt }
  - { github: ben, name: Ben Müller }
  - github: clara
    name: Clara Weber
    away: [{ from: 2026-12-14, to: 2026-12-18 }]
  - { github: david, name: David Fischer }
  - { github: eva, name: Eva Wagner }
  - { github: felix, name: Felix Becker }
  - { github: greta, name: Greta Hoffmann }
";

/// The team, handed over each working day up to and including `last`
/// (a day of December).
fn handed_over(last: u32) -> Repo {
    let repo = Repo::with(TEAM, None);
    for day in [7, 8, 9, 10, 11, 14, 15, 16, 17, 18]
        .into_iter()
        .filter(|d| *d <= last)
    {
        run(&repo, &format!("2026-12-{day:02}T07:00:00Z"), &["advance"]);
    }
    repo
}

fn run(repo: &Repo, now: &str, args: &[&str]) -> String {
    let out = repo
        .oncall()
        .env("ONCALL_NOW", now)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The page and the feed, as `oncall site` writes them (the feed unfolded).
fn site(repo: &Repo, now: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    run(repo, now, &["site", "--out", out]);
    let page = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    let feed = std::fs::read_to_string(dir.path().join("oncall.ics"))
        .unwrap()
        .replace("\r\n ", "");
    (page, feed)
}

const AFTER_17: &str = "2026-12-17T12:00:00Z";

#[test]
fn a_handed_over_substitute_day_says_whom_it_stood_in_for() {
    let repo = handed_over(17);
    let log = repo.read("oncall-log.md");
    assert!(
        log.contains("Anna Schmidt (`@anna`) stands in for Clara Weber (`@clara`), away"),
        "{log}"
    );
    // Text: the day handed over and the day ahead, each as it is.
    let text = run(
        &repo,
        AFTER_17,
        &["schedule", "--from", "2026-12-16", "--days", "3"],
    );
    assert_eq!(
        text,
        "2026-12-16 Wed  David Fischer (@david)\n\
         2026-12-17 Thu  Anna Schmidt (@anna)  [substitute for Clara Weber (@clara) (away)]\n\
         2026-12-18 Fri  Greta Hoffmann (@greta)\n"
    );
    // JSON: the log's facts, the cycle included.
    let json: Value = serde_json::from_str(&run(
        &repo,
        AFTER_17,
        &[
            "schedule",
            "--from",
            "2026-12-16",
            "--days",
            "3",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let day = |i: usize| &json.as_array().unwrap()[i];
    assert_eq!(day(1)["why"], "substitute");
    assert_eq!(day(1)["substitute_for"], serde_json::json!(["clara"]));
    assert_eq!(day(1)["cycle"], 2);
    assert_eq!(day(1)["past"], true);
    assert_eq!(day(0)["cycle"], 2);
    assert_eq!(day(2)["why"], "rotation");
    assert_eq!(day(2)["past"], false);
    assert!(day(2).get("substitute_for").is_none());
    // Markdown.
    let md = run(
        &repo,
        AFTER_17,
        &[
            "schedule",
            "--from",
            "2026-12-17",
            "--days",
            "1",
            "--format",
            "markdown",
        ],
    );
    assert!(
        md.contains("| 2026-12-17 | Thu | Anna Schmidt (`@anna`) | substitute for Clara Weber (`@clara`) (away) |"),
        "{md}"
    );
    // The page's today cell and the feed.
    let (page, feed) = site(&repo, AFTER_17);
    assert!(
        page.contains("Substitute for Clara Weber (away)."),
        "{page}"
    );
    assert!(!page.contains("Substitute for  (away)"));
    assert!(
        feed.contains("Substitute for Clara Weber (@clara)\\, who is away."),
        "{feed}"
    );
    assert!(!feed.contains("Substitute for \\,"));
}

/// A log written before its substitute note named the logins (or by hand)
/// still reads: the day is a substitute day, and nothing prints an empty
/// "for".
#[test]
fn an_old_substitute_note_without_logins_names_nobody() {
    let repo = handed_over(17);
    let log = repo.read("oncall-log.md").replace(
        "stands in for Clara Weber (`@clara`), away",
        "stands in for Clara Weber, away",
    );
    std::fs::write(repo.path("oncall-log.md"), log).unwrap();
    let text = run(
        &repo,
        AFTER_17,
        &["schedule", "--from", "2026-12-17", "--days", "1"],
    );
    assert_eq!(text, "2026-12-17 Thu  Anna Schmidt (@anna)  [substitute]\n");
    let (page, feed) = site(&repo, AFTER_17);
    assert!(
        page.contains("Substitute for a member who is away."),
        "{page}"
    );
    assert!(
        feed.contains("Substitute for a member who is away."),
        "{feed}"
    );
    assert!(!feed.contains("Substitute for \\,") && !page.contains("Substitute for  "));
}

/// Stats count one substitute day (anna's), handed over or ahead; greta's
/// own day is not one.
#[test]
fn stats_count_only_the_day_that_moved() {
    for last in [15, 18] {
        let repo = handed_over(last);
        let v: Value = serde_json::from_str(&run(
            &repo,
            "2026-12-18T12:00:00Z",
            &[
                "stats",
                "--since",
                "2026-12-14",
                "--until",
                "2026-12-18",
                "--format",
                "json",
            ],
        ))
        .unwrap();
        let substitute = |login: &str| {
            v["members"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["github"] == login)
                .unwrap()["substitute"]
                .clone()
        };
        assert_eq!(substitute("anna"), 1, "handed over up to the {last}th");
        assert_eq!(substitute("greta"), 0, "handed over up to the {last}th");
        let all: u64 = v["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["substitute"].as_u64().unwrap())
            .sum();
        assert_eq!(all, 1);
    }
}

/// The keys of `schedule --format json` are the README's: the ones every
/// object has, and the optional ones only where they apply (each seen on
/// the stats fixture's days: past and ahead, overrides with reasons,
/// substitutes, lost turns).
#[test]
fn the_schedule_json_keys_are_the_documented_ones() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("`oncall schedule --format json` prints an array of objects")
        .expect("the README documents the JSON");
    let para = &readme[start..start + readme[start..].find("The text format").unwrap()];
    let (always, optional) = para.split_once("Optional").expect("the optional keys");
    let always = &always[always.find("Every object has").unwrap()..];
    let keys = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .filter(|k| !["null", "rotation", "substitute", "override", "uncovered"].contains(k))
            .map(str::to_owned)
            .collect()
    };
    let (always, optional) = (keys(always), keys(optional));
    assert_eq!(always, ["date", "github", "name", "why", "cycle", "past"]);
    assert_eq!(
        optional,
        ["reason", "replaces", "substitute_for", "lost_turn"]
    );
    let repo = Repo::with(
        &std::fs::read_to_string("tests/fixtures/stats/rotation.yaml").unwrap(),
        Some(&std::fs::read_to_string("tests/fixtures/stats/oncall-log.md").unwrap()),
    );
    let json: Value = serde_json::from_str(&run(
        &repo,
        "2027-01-25T06:00:00Z",
        &[
            "schedule",
            "--from",
            "2027-01-04",
            "--days",
            "24",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for day in json.as_array().unwrap() {
        let obj = day.as_object().unwrap();
        for k in &always {
            assert!(obj.contains_key(k), "{k} missing in {day}");
        }
        for k in obj.keys() {
            assert!(
                always.contains(k) || optional.contains(k),
                "{k} undocumented"
            );
            seen.insert(k.clone());
        }
        if day["past"] == true {
            assert!(day["cycle"].is_u64(), "a handed-over day's cycle: {day}");
        }
    }
    for k in &optional {
        assert!(seen.contains(k), "{k} never seen");
    }
}

//! `oncall stats` against a hand count of tests/fixtures/stats: a team of
//! four, a fifth who joined on 2027-01-13, three weeks handed over (the
//! log), then three days ahead. The counts below were made by reading the
//! log's headings and notes and the rules, not by running the tool:
//!
//! | day | on call | why |
//! |---|---|---|
//! | 01-04 Mon | a | rotation (cycle 1: a b c d) |
//! | 01-05 Tue | b | rotation |
//! | 01-06 Wed | - | holiday |
//! | 01-07 Thu | c | rotation (b away, already served) |
//! | 01-08 Fri | d | rotation |
//! | 01-11 Mon | c | override in place of a; cycle 2 begins |
//! | 01-12 Tue | b | rotation (d away from here to 01-29) |
//! | 01-13 Wed | c | rotation (e joins at the cycle's end) |
//! | 01-14 Thu | e | substitute for d |
//! | 01-15 Fri | c | cycle 3 begins; d lost their turn in cycle 2 |
//! | 01-18 Mon | b | rotation |
//! | 01-19 Tue | e | substitute for d |
//! | 01-20 Wed | a | substitute for d |
//! | 01-21 Thu | b | cycle 4 begins; d lost their turn in cycle 3 |
//! | 01-22 Fri | a | rotation (the last handover) |
//! | 01-25 Mon | c | ahead: cycle 4's order is b a c d e |
//! | 01-26 Tue | e | ahead: substitute for d |
//! | 01-27 Wed | b | ahead: override in place of the next cycle's first; d loses cycle 4's turn |
//!
//! 17 working days; e on the roster for the 11 from 01-13.

use crate::support;

use serde_json::{Value, json};
use support::repo::Repo;

fn fixture() -> Repo {
    let dir = tempfile::tempdir().unwrap();
    for f in ["rotation.yaml", "oncall-log.md"] {
        std::fs::copy(format!("tests/fixtures/stats/{f}"), dir.path().join(f)).unwrap();
    }
    Repo { dir }
}

/// Monday morning, before that day's run: handed over up to Friday.
const NOW: &str = "2027-01-25T06:00:00Z";

fn stats(args: &[&str]) -> String {
    let out = fixture()
        .oncall()
        .env("ONCALL_NOW", NOW)
        .arg("stats")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn stats_agree_with_the_hand_count() {
    let v: Value =
        serde_json::from_str(&stats(&["--until", "2027-01-27", "--format", "json"])).unwrap();
    assert_eq!(v["since"], "2027-01-04");
    assert_eq!(v["until"], "2027-01-27");
    assert_eq!(v["last_handover"], "2027-01-22");
    assert_eq!(v["working_days"], 17);
    assert_eq!(v["uncovered"], 0);
    let row = |login: &str| {
        let m = v["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["github"] == login)
            .unwrap()
            .clone();
        json!([
            m["served"],
            m["scheduled"],
            m["total"],
            m["overrides"],
            m["substitute"],
            m["turns_lost"],
            m["away_days"],
            m["roster_days"],
            m["share"]
        ])
    };
    //                          served sched total ovr sub lost away roster share
    assert_eq!(row("demo-a"), json!([3, 0, 3, 0, 1, 0, 0, 17, 0.176]));
    assert_eq!(row("demo-b"), json!([4, 1, 5, 1, 0, 0, 1, 17, 0.294]));
    assert_eq!(row("demo-c"), json!([4, 1, 5, 1, 0, 0, 0, 17, 0.294]));
    assert_eq!(row("demo-d"), json!([1, 0, 1, 0, 0, 3, 12, 17, 0.059]));
    assert_eq!(row("demo-e"), json!([2, 1, 3, 0, 3, 0, 0, 11, 0.273]));
    let e = v["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["github"] == "demo-e")
        .unwrap();
    assert_eq!(e["on_roster_since"], "2027-01-13");
    assert_eq!(v["max_share"], 0.294);
    assert_eq!(v["min_share"], 0.059);
    assert_eq!(v["spread"], 0.235);
}

/// A window inside the log: nothing scheduled, the same days served.
#[test]
fn a_window_counts_only_its_days() {
    let v: Value = serde_json::from_str(&stats(&[
        "--since",
        "2027-01-11",
        "--until",
        "2027-01-15",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(v["working_days"], 5);
    let total = |login: &str| {
        v["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["github"] == login)
            .unwrap()["total"]
            .clone()
    };
    assert_eq!(
        [
            total("demo-a"),
            total("demo-b"),
            total("demo-c"),
            total("demo-d"),
            total("demo-e")
        ],
        [0, 1, 3, 0, 1].map(|n| json!(n))
    );
}

#[test]
fn the_markdown_has_the_table_and_a_mermaid_chart() {
    let md = stats(&["--until", "2027-01-27", "--format", "markdown"]);
    assert!(
        md.contains("| `@demo-d` | 1 | 0 | 1 | 0 | 0 | 3 | 12 | 17 | 0.059 |"),
        "{md}"
    );
    assert!(md.contains("```mermaid\nxychart-beta\n"), "{md}");
    assert!(md.contains("    x-axis [\"demo-a\", \"demo-b\", \"demo-c\", \"demo-e\", \"demo-d\"]\n    y-axis \"days\"\n    bar [3, 5, 5, 3, 1]\n"), "{md}");
    support::validators::github_markdown(&[json!({ "name": "stats", "text": md })]).unwrap();
    let text = stats(&["--until", "2027-01-27"]);
    assert!(
        text.contains("spread 0.235 (highest 0.294, lowest 0.059)"),
        "{text}"
    );
}

//! The calendar feed (`oncall schedule --format ics`), parsed back with an
//! independent parser (Python's `icalendar`) and checked event for event
//! against `oncall schedule --format json`.

use crate::support;

use serde_json::Value;
use support::repo::Repo;
use support::validators;

/// A team whose two weeks hold every kind of day: rotation, a substitute,
/// an override with a reason, a holiday, an uncovered day; and text that
/// needs TEXT escaping (`,` `;` `\`) and folding (a long non-ASCII name).
const TEAM: &str = r#"team: 'Ops, Platform; SRE \ Berlin'
timezone: Europe/Berlin
start: 2027-03-01
holidays:
  - { date: 2027-03-08, name: Women's Day }
members:
  - github: demo-zoe
    name: Zoë Ångström-Łukasiewicz, whose name is long enough to be folded twice over 🎉
    away: [{ from: 2027-03-10, to: 2027-03-10 }]
  - github: demo-ben
    away: [{ from: 2027-03-02, to: 2027-03-02 }, { from: 2027-03-10, to: 2027-03-10 }]
  - github: demo-cem
    away: [{ from: 2027-03-10, to: 2027-03-10 }]
overrides:
  - { date: 2027-03-05, github: demo-cem, reason: "release day; Cem ships it, with care" }
"#;

fn run(repo: &Repo, now: &str, args: &[&str]) -> String {
    let out = repo
        .oncall()
        .env("ONCALL_NOW", now)
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

const NOW: &str = "2027-03-01T07:00:00Z";

#[test]
fn the_feed_parses_and_matches_the_schedule_event_for_event() {
    let repo = Repo::with(TEAM, None);
    let feed = run(&repo, NOW, &["schedule", "--days", "14", "--format", "ics"]);
    let rows: Vec<Value> = serde_json::from_str(&run(
        &repo,
        NOW,
        &["schedule", "--days", "14", "--format", "json"],
    ))
    .unwrap();
    // RFC 5545's shape: CRLF line ends, no line over 75 octets.
    assert!(feed.ends_with("END:VCALENDAR\r\n"));
    for line in feed.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
        assert!(!line.contains('\n'), "a bare LF: {line:?}");
    }
    let parsed = validators::ics(&feed).unwrap();
    assert_eq!(parsed["name"], r"On call: Ops, Platform; SRE \ Berlin");
    let events = parsed["events"].as_array().unwrap();
    assert_eq!(events.len(), rows.len(), "one event per working day");
    let kinds: Vec<&str> = rows.iter().map(|r| r["why"].as_str().unwrap()).collect();
    for kind in ["rotation", "substitute", "override", "uncovered"] {
        assert!(
            kinds.contains(&kind),
            "the fixture has no {kind} day: {kinds:?}"
        );
    }
    let mut uids = std::collections::BTreeSet::new();
    for (row, ev) in rows.iter().zip(events) {
        let date = row["date"].as_str().unwrap();
        assert_eq!(ev["start"], date, "{ev}");
        let next = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .unwrap()
            .succ_opt()
            .unwrap();
        assert_eq!(
            ev["end"],
            next.to_string(),
            "an all-day event ends the next day"
        );
        assert_eq!(ev["stamp"], "2027-03-01T07:00:00+00:00");
        assert!(
            uids.insert(ev["uid"].as_str().unwrap().to_owned()),
            "duplicate UID"
        );
        let summary = ev["summary"].as_str().unwrap();
        let description = ev["description"].as_str().unwrap();
        assert!(
            summary.ends_with(r"(Ops, Platform; SRE \ Berlin)"),
            "{summary}"
        );
        match row["github"].as_str() {
            Some(login) => {
                let name = row["name"].as_str().unwrap_or(login);
                assert_eq!(
                    summary,
                    format!(r"On call: {name} (Ops, Platform; SRE \ Berlin)")
                );
                assert!(
                    description.contains(&format!("(@{login})")),
                    "{description}"
                );
                assert!(description.contains("Duties:\n- "), "{description}");
            }
            None => {
                assert!(
                    summary.starts_with("Uncovered: nobody on call"),
                    "{summary}"
                );
                assert!(ev["uid"].as_str().unwrap().contains("-uncovered-"));
            }
        }
        match row["why"].as_str().unwrap() {
            "override" => {
                assert!(
                    description.contains("Override, in place of ")
                        && description.contains(": release day; Cem ships it, with care."),
                    "{description}"
                );
            }
            "substitute" => assert!(
                description.contains("Substitute for demo-ben (@demo-ben), who is away."),
                "{description}"
            ),
            _ => {}
        }
    }
    // The holiday has no event.
    assert!(events.iter().all(|e| e["start"] != "2027-03-08"));
}

/// A UID is the team, the date and the role: after a swap, the two days'
/// events keep their UIDs (a calendar updates them instead of adding new
/// ones), while the summaries change.
#[test]
fn uids_are_stable_when_who_serves_changes() {
    let repo = Repo::with(TEAM, None);
    let before = validators::ics(&run(
        &repo,
        NOW,
        &["schedule", "--days", "14", "--format", "ics"],
    ))
    .unwrap();
    run(&repo, NOW, &["swap", "2027-03-03", "2027-03-04"]);
    let after = validators::ics(&run(
        &repo,
        "2027-03-01T08:00:00Z",
        &["schedule", "--days", "14", "--format", "ics"],
    ))
    .unwrap();
    let pick = |v: &Value, day: &str| {
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["start"] == day)
            .unwrap()
            .clone()
    };
    for day in ["2027-03-03", "2027-03-04"] {
        let (b, a) = (pick(&before, day), pick(&after, day));
        assert_eq!(b["uid"], a["uid"]);
        assert_ne!(b["summary"], a["summary"]);
    }
    let uids = |v: &Value| {
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["uid"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(uids(&before), uids(&after));
}

/// One member's feed: their days only, the same events as the team's.
#[test]
fn a_member_feed_has_their_days_only() {
    let repo = Repo::with(TEAM, None);
    let team = validators::ics(&run(
        &repo,
        NOW,
        &["schedule", "--days", "14", "--format", "ics"],
    ))
    .unwrap();
    let mine = validators::ics(&run(
        &repo,
        NOW,
        &[
            "schedule", "--days", "14", "--format", "ics", "--member", "demo-cem",
        ],
    ))
    .unwrap();
    let rows: Vec<Value> = serde_json::from_str(&run(
        &repo,
        NOW,
        &[
            "schedule", "--days", "14", "--format", "json", "--member", "demo-cem",
        ],
    ))
    .unwrap();
    let events = mine["events"].as_array().unwrap();
    assert!(!events.is_empty());
    assert_eq!(events.len(), rows.len());
    assert!(rows.iter().all(|r| r["github"] == "demo-cem"));
    for ev in events {
        let same = team["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["uid"] == ev["uid"])
            .unwrap();
        assert_eq!(same["start"], ev["start"]);
        assert!(ev["summary"].as_str().unwrap().starts_with("On call ("));
    }
    assert_eq!(
        mine["name"],
        r"On call: demo-cem (Ops, Platform; SRE \ Berlin)"
    );
    // An unknown member is a usage error.
    let out = repo
        .oncall()
        .env("ONCALL_NOW", NOW)
        .args(["schedule", "--format", "ics", "--member", "nobody"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

//! The message that people's days moved (`oncall_core::moved`), alone:
//! who is named and how, the days before and after, nothing when nobody
//! moved, escaping, and Slack's limits with a large team.

use chrono::NaiveDate;
use oncall_core::config::{self, Rotation};
use oncall_core::log::Log;
use oncall_core::moved::{self, Moved};
use oncall_core::schedule;
use serde_json::Value;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn rot(yaml: &str) -> Rotation {
    config::load("rotation.yaml", yaml).expect("valid").0
}

const TEAM: &str = "team: \"Ops <!channel> & co\"\ntimezone: UTC\nstart: 2027-03-01\nmembers:\n  - { github: ana, name: Ana, slack: U0MOVED001 }\n  - { github: ben, name: \"Ben *bold* <https://evil|docs>\" }\n  - { github: cai, slack: U0MOVED003 }\n";

/// Before and after, the people who moved and the message.
fn change(before: &str, after: &str) -> (Vec<Moved>, Option<Value>) {
    let (b, a) = (rot(before), rot(after));
    let window = moved::window(d("2027-02-28"));
    let rows = |r: &Rotation| schedule::rows(r, &Log::default(), window.0, window.1);
    let changes = schedule::compare(&rows(&b), &rows(&a));
    let people = moved::people(&changes);
    let message = moved::message(&b, &a, &people, window, &["rotation.yaml".to_owned()]);
    (people, message)
}

/// Who is on call on `date` in `yaml`.
fn on(yaml: &str, date: &str) -> String {
    let r = rot(yaml);
    schedule::rows(&r, &Log::default(), d(date), 1)[0]
        .github
        .clone()
        .unwrap()
}

#[test]
fn a_change_that_moves_nobody_has_no_message() {
    let (people, message) = change(TEAM, &format!("{TEAM}duties:\n  - Watch\n"));
    assert!(people.is_empty());
    assert!(message.is_none());
}

#[test]
fn a_swap_names_the_two_with_the_days_that_changed() {
    let (x, y) = (on(TEAM, "2027-03-01"), on(TEAM, "2027-03-02"));
    let swapped = format!(
        "{TEAM}overrides:\n  - {{ date: 2027-03-01, github: {y} }}\n  - {{ date: 2027-03-02, github: {x} }}\n"
    );
    let (people, message) = change(TEAM, &swapped);
    assert_eq!(
        people,
        [
            Moved {
                github: x.clone(),
                before: vec![d("2027-03-01")],
                after: vec![d("2027-03-02")],
            },
            Moved {
                github: y.clone(),
                before: vec![d("2027-03-02")],
                after: vec![d("2027-03-01")],
            },
        ]
    );
    let message = message.unwrap();
    insta::assert_snapshot!(
        format!("swap_{x}_{y}"),
        serde_json::to_string_pretty(&message).unwrap()
    );
    let all = message.to_string();
    // Text from rotation.yaml can neither mention nor link.
    assert!(
        !all.contains("<!channel>") && !all.contains("<https://evil"),
        "{all}"
    );
    assert!(all.contains("Ops &lt;!channel&gt; &amp; co"), "{all}");
}

#[test]
fn a_member_who_leaves_is_mentioned_by_the_id_the_base_gave_them() {
    let after = TEAM.replace("  - { github: ana, name: Ana, slack: U0MOVED001 }\n", "");
    let (people, message) = change(TEAM, &after);
    let ana = people
        .iter()
        .find(|m| m.github == "ana")
        .expect("ana moved");
    assert!(ana.after.is_empty());
    assert!(message.unwrap().to_string().contains("<@U0MOVED001>"));
}

#[test]
fn a_large_team_stays_within_slacks_limits_and_names_everyone_who_moved() {
    let mut team = String::from("team: Big\ntimezone: UTC\nstart: 2027-03-01\nmembers:\n");
    for i in 0..80 {
        team.push_str(&format!("  - {{ github: m{i:02} }}\n"));
    }
    let mut overrides = String::from("overrides:\n");
    for (i, day) in schedule::rows(&rot(&team), &Log::default(), d("2027-03-01"), 56)
        .iter()
        .enumerate()
    {
        // Every day of the eight weeks goes to someone else.
        let next = format!("m{:02}", (i + 41) % 80);
        overrides.push_str(&format!("  - {{ date: {}, github: {next} }}\n", day.date));
    }
    let (people, message) = change(&team, &format!("{team}{overrides}"));
    assert!(people.len() > 40, "{}", people.len());
    let message = message.unwrap();
    let blocks = message["blocks"].as_array().unwrap();
    assert!(blocks.len() <= 50, "{}", blocks.len());
    for b in blocks {
        if let Some(t) = b["text"]["text"].as_str() {
            assert!(t.chars().count() <= 3000);
        }
    }
    assert!(message["text"].as_str().unwrap().chars().count() <= 300);
    let all = message.to_string();
    for m in &people {
        assert!(all.contains(&format!("@{}", m.github)), "{}", m.github);
    }
}

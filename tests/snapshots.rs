//! Snapshots of everything a person reads: `check` messages for one invalid
//! fixture per validation problem, a log section, the schedule formats.

mod common;
use common::*;
use oncall::config;
use oncall::log;
use oncall::plan::Plan;
use oncall::schedule::{self, Format};
use std::path::Path;

#[test]
fn every_invalid_fixture_is_refused_with_positions() {
    let dir = Path::new("tests/fixtures/invalid");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 20);
    for path in names {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let err = match config::load("rotation.yaml", &text) {
            Ok(_) => panic!("{name} was accepted"),
            Err(e) => e,
        };
        for p in err.0.errors() {
            assert!(p.pos.line > 0, "{name}: every error has a line: {p:?}");
            assert!(
                !p.hint.is_empty(),
                "{name}: every error says what to do: {p:?}"
            );
        }
        insta::assert_snapshot!(format!("check_{name}"), err.to_string());
    }
}

const TEAM: &str = "team: Snapshot team
timezone: Europe/Berlin
start: 2026-11-23
holidays:
  - { date: 2026-11-26, name: Team day }
members:
  - { github: ana, name: Ana Pérez, slack: U0SNAP0001 }
  - { github: ben, name: \"Ben <b>Bold</b> [x](http://e)\" }
  - github: cai
    away:
      - { from: 2026-11-24, to: 2026-11-25 }
  - { github: dee }
overrides:
  - { date: 2026-11-30, github: ana, reason: swap with dee }
";

#[test]
fn log_section_of_a_normal_a_substitute_and_a_catch_up_day() {
    let (text, log1, _) = advance(TEAM, "", d("2026-11-23"));
    insta::assert_snapshot!("log_first_day", log1);
    let (_, log2, plan) = advance(&text, &log1, d("2026-11-27"));
    let Plan::Advance(a) = plan else { panic!() };
    assert_eq!(a.handovers.len(), 3);
    insta::assert_snapshot!("log_catch_up", &log2[log1.len()..]);
}

#[test]
fn schedule_in_each_format() {
    let r = rot(TEAM);
    let rows = schedule::rows(&r, &log::Log::default(), d("2026-11-23"), 14);
    insta::assert_snapshot!("schedule_text", schedule::render(&r, &rows, Format::Text));
    insta::assert_snapshot!(
        "schedule_markdown",
        schedule::render(&r, &rows, Format::Markdown)
    );
    insta::assert_snapshot!("schedule_json", schedule::render(&r, &rows, Format::Json));
}

//! Snapshots of everything a person reads: `check` messages for one invalid
//! fixture per validation problem, a log section, the schedule formats.

// A test reads its fixtures; the core itself does no I/O (clippy.toml).
#![allow(clippy::disallowed_methods)]

#[path = "../../../tests/common/mod.rs"]
mod common;
use common::*;
use oncall_core::config;
use oncall_core::log;
use oncall_core::plan::Plan;
use oncall_core::schedule::{self, Format};
use std::path::Path;

#[test]
fn every_invalid_fixture_is_refused_with_positions() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/invalid"
    ));
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

/// The pull request's body for the handover of `date` after advancing to
/// `from` (a day before it, or none).
fn pr_body(text: &str, from: Option<&str>, date: &str) -> String {
    let (text, log_text) = match from {
        Some(f) => {
            let (t, l, _) = advance(text, "", d(f));
            (t, l)
        }
        None => (text.to_owned(), String::new()),
    };
    let r = rot(&text);
    let l = log::parse("oncall-log.md", &log_text).unwrap();
    let Plan::Advance(a) = oncall_core::plan::advance(&r, &l, d(date)) else {
        panic!("{date}")
    };
    let paths = oncall_core::pr::Paths {
        config: "rotation.yaml".into(),
        log: "oncall-log.md".into(),
        branch: "oncall/handover".into(),
        label: "oncall".into(),
        web_repo: "https://github.com/acme/ops".into(),
    };
    let missed: Vec<_> = a.missed().map(|h| h.day.date).collect();
    // As the handover does: the rotation and the log after it.
    let after = oncall_core::files::after(&r, &text, &l, &log_text, &a).unwrap();
    let r_after = rot(&after.rotation_text);
    oncall_core::pr::body(
        &r_after,
        &paths,
        a.today(),
        &missed,
        Some(42),
        &after.log_text,
        None,
    )
}

#[test]
fn pr_body_of_an_ordinary_a_catch_up_an_override_and_an_uncovered_day() {
    insta::assert_snapshot!(
        "pr_body_ordinary",
        pr_body(TEAM, Some("2026-11-23"), "2026-11-24")
    );
    insta::assert_snapshot!(
        "pr_body_catch_up",
        pr_body(TEAM, Some("2026-11-23"), "2026-11-27")
    );
    insta::assert_snapshot!(
        "pr_body_override",
        pr_body(TEAM, Some("2026-11-27"), "2026-11-30")
    );
    let everyone_away = TEAM.replace(
        "overrides:",
        "  - { github: eve, away: [{ from: 2026-12-01, to: 2026-12-01 }] }\noverrides:",
    )
    .replace("{ github: ana, name: Ana Pérez, slack: U0SNAP0001 }", "{ github: ana, name: Ana Pérez, slack: U0SNAP0001, away: [{ from: 2026-12-01, to: 2026-12-01 }] }")
    .replace("{ github: ben, name: \"Ben <b>Bold</b> [x](http://e)\" }", "{ github: ben, name: \"Ben <b>Bold</b> [x](http://e)\", away: [{ from: 2026-12-01, to: 2026-12-01 }] }")
    .replace("      - { from: 2026-11-24, to: 2026-11-25 }", "      - { from: 2026-11-24, to: 2026-11-25 }\n      - { from: 2026-12-01, to: 2026-12-01 }")
    .replace("  - { github: dee }", "  - { github: dee, away: [{ from: 2026-12-01, to: 2026-12-01 }] }");
    let body = pr_body(&everyone_away, Some("2026-11-30"), "2026-12-01");
    assert!(body.contains("is uncovered"), "{body}");
    insta::assert_snapshot!("pr_body_uncovered", body);
}

//! Helpers shared by the integration tests.
#![allow(dead_code)]

use chrono::NaiveDate;
use oncall_core::config::{self, Rotation};
use oncall_core::log;
use oncall_core::plan::{self, Plan};
use oncall_core::rotation::{Day, Engine};

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Loads rotation.yaml text that must be valid.
pub fn rot(yaml: &str) -> Rotation {
    match config::load("rotation.yaml", yaml) {
        Ok((r, _)) => r,
        Err(e) => panic!("invalid fixture:\n{e}\n---\n{yaml}"),
    }
}

/// The problems of rotation.yaml text that must be invalid, one per line.
pub fn problems(yaml: &str) -> String {
    match config::load("rotation.yaml", yaml) {
        Ok(_) => panic!("expected problems in:\n{yaml}"),
        Err(e) => e.to_string(),
    }
}

/// A minimal rotation.yaml with `members` (logins) and extra top-level text.
pub fn yaml(members: &[&str], extra: &str) -> String {
    let mut s = String::from("team: Test\ntimezone: UTC\nstart: 2026-01-05\nmembers:\n");
    for m in members {
        s.push_str(&format!("  - github: {m}\n"));
    }
    s.push_str(extra);
    s
}

/// Who is on call on each working day up to `to`, as (date, login).
pub fn run(r: &Rotation, to: &str) -> Vec<Day> {
    Engine::new(r).run_until(d(to))
}

pub fn who(days: &[Day], date: &str) -> Option<String> {
    days.iter()
        .find(|x| x.date == d(date))
        .unwrap_or_else(|| panic!("{date} is not a working day of the run"))
        .on_call
        .clone()
}

/// Applies `oncall advance` for `date` to the texts, as the CLI would.
pub fn advance(rotation: &str, log_text: &str, date: NaiveDate) -> (String, String, Plan) {
    let (r, _) = config::load("rotation.yaml", rotation).expect("valid rotation");
    let l = log::parse("oncall-log.md", log_text).expect("valid log");
    let p = plan::advance(&r, &l, date);
    match &p {
        Plan::Advance(a) => {
            let f = oncall_core::files::after(&r, rotation, &l, log_text, a).expect("files");
            (f.rotation_text, f.log_text, p.clone())
        }
        _ => (rotation.to_owned(), log_text.to_owned(), p.clone()),
    }
}

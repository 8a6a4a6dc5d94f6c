//! Benchmarks of the pure core, and the fixtures for the whole-process
//! figures of `bench/run.sh`. Run with `cargo bench --bench oncall`.
//!
//! Rosters of 10, 100, 1,000 and 5,000 members (the most a rotation may
//! have: `config::limits::MAX_MEMBERS`), with time off for one
//! member in ten and twenty overrides and ten holidays a year; logs of one
//! day and of ten years. Prints a Markdown table of medians.

use chrono::{Days, NaiveDate};
use oncall_core::config;
use oncall_core::log::{self, Log};
use oncall_core::plan::{self, Plan};
use oncall_core::schedule;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

const START: &str = "2026-01-05";

fn start() -> NaiveDate {
    NaiveDate::parse_from_str(START, "%Y-%m-%d").unwrap()
}

/// A rotation.yaml with `n` members over `years` years.
pub fn roster(n: usize, years: u64) -> String {
    let mut s = format!("team: Bench {n}\ntimezone: Europe/Berlin\nstart: {START}\nholidays:\n");
    let day = |k: u64| start().checked_add_days(Days::new(k)).unwrap();
    let mut holidays = Vec::new();
    for y in 0..years {
        for k in 0..10 {
            holidays.push(day(y * 365 + 17 + k * 31));
        }
    }
    for h in &holidays {
        s.push_str(&format!("  - {h}\n"));
    }
    s.push_str("members:\n");
    for i in 0..n {
        s.push_str(&format!(
            "  - github: m{i:05}\n    name: Member {i}\n    slack: U{i:09}\n"
        ));
        if i % 10 == 3 {
            s.push_str("    away:\n");
            for y in 0..years {
                let from = day(y * 365 + (i as u64 * 7) % 300);
                s.push_str(&format!(
                    "      - {{ from: {from}, to: {} }}\n",
                    from.checked_add_days(Days::new(9)).unwrap()
                ));
            }
        }
    }
    s.push_str("overrides:\n");
    let mut taken = std::collections::HashSet::new();
    let rot_plain = config::load("bench", &s.replace("overrides:\n", ""))
        .unwrap()
        .0;
    for y in 0..years {
        for k in 0..20u64 {
            let mut d = day(y * 365 + 5 + k * 17);
            while !rot_plain.is_working_day(d) || !taken.insert(d) {
                d = d.succ_opt().unwrap();
            }
            let m = ((y * 20 + k) as usize * 37) % n;
            let member = &rot_plain.members[m];
            if !member.is_away(d) {
                s.push_str(&format!(
                    "  - {{ date: {d}, github: {}, reason: bench }}\n",
                    member.github
                ));
            }
        }
    }
    s
}

fn median(mut f: impl FnMut(), runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let fixtures = Path::new("target/bench-fixtures");
    std::fs::create_dir_all(fixtures).unwrap();
    println!("| members | load + validate | schedule 1 year | schedule 10 years |");
    println!("|---:|---:|---:|---:|");
    for n in [10usize, 100, 1_000, 5_000] {
        let text = roster(n, 10);
        std::fs::write(fixtures.join(format!("rotation-{n}.yaml")), &text).unwrap();
        let runs = if n >= 5_000 { 5 } else { 21 };
        let load = median(
            || drop(black_box(config::load("bench", &text).unwrap())),
            runs,
        );
        let rot = config::load("bench", &text).unwrap().0;
        let empty = Log::default();
        let one = median(
            || drop(black_box(schedule::rows(&rot, &empty, start(), 365))),
            runs,
        );
        let ten = median(
            || drop(black_box(schedule::rows(&rot, &empty, start(), 3652))),
            runs,
        );
        println!(
            "| {n} | {} ms | {} ms | {} ms |",
            ms(load),
            ms(one),
            ms(ten)
        );
    }

    // Logs of one day and of ten years for the 1,000-member roster, with the
    // state at their last day: `advance --dry-run` then hands over one day.
    let text = roster(1_000, 11);
    for (name, days) in [("1day", 0u64), ("10years", 3651)] {
        let last = start().checked_add_days(Days::new(days)).unwrap();
        let rot = config::load("bench", &text).unwrap().0;
        let last = if rot.is_working_day(last) {
            last
        } else {
            rot.next_working_day(last).unwrap()
        };
        let Plan::Advance(adv) = plan::advance(&rot, &Log::default(), last) else {
            panic!("no advance")
        };
        let a = oncall_core::files::after(&rot, &text, &Log::default(), "", &adv).unwrap();
        std::fs::write(
            fixtures.join(format!("rotation-1000-{name}.yaml")),
            &a.rotation_text,
        )
        .unwrap();
        std::fs::write(fixtures.join(format!("log-{name}.md")), &a.log_text).unwrap();
        let next = rot.next_working_day(last).unwrap();
        std::fs::write(fixtures.join(format!("next-{name}.txt")), next.to_string()).unwrap();
        let sections = log::parse("log", &a.log_text).unwrap().records.len();
        let rot_after = config::load("bench", &a.rotation_text).unwrap().0;
        let parsed = log::parse("log", &a.log_text).unwrap();
        let t = median(
            || {
                let l = log::parse("log", &a.log_text).unwrap();
                let Plan::Advance(adv) = plan::advance(&rot_after, &l, next) else {
                    panic!("no advance")
                };
                drop(black_box(
                    oncall_core::files::after(&rot_after, &a.rotation_text, &l, &a.log_text, &adv)
                        .unwrap(),
                ));
            },
            11,
        );
        drop(parsed);
        println!(
            "\nadvance (plan, in process), 1,000 members, log of {name} ({sections} sections, {} KB): {} ms",
            a.log_text.len() / 1024,
            ms(t)
        );
    }
}

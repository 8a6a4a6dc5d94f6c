//! `oncall schedule`: who is on call on each working day, as text, JSON
//! or Markdown, and the comparison of two schedules. The answers come
//! from `day` (who is on call on day D, in one place).

use crate::config::Rotation;
use crate::escape;
use crate::rotation::Why;
use chrono::NaiveDate;
use serde::Serialize;

pub use crate::day::{Row, rows};

/// Output formats of `oncall schedule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

/// The schedule in the chosen format (ends with a newline).
pub fn render(rot: &Rotation, rows: &[Row], format: Format) -> String {
    let mut s = String::new();
    render_each(rot, rows, format, &mut |part| s.push_str(part));
    s
}

/// [`render`], a line (or the JSON) at a time: a long schedule is written
/// as it is made, never held whole.
pub fn render_each(rot: &Rotation, rows: &[Row], format: Format, emit: &mut dyn FnMut(&str)) {
    match format {
        Format::Json => emit(&escape::json_pretty(rows)),
        Format::Text => {
            for r in rows {
                let who = match &r.github {
                    Some(g) => rot.label(g),
                    None => "— uncovered —".to_owned(),
                };
                let mut line = format!("{} {}  {who}", r.date, r.date.format("%a"));
                if let Some(why) = why_text(rot, r) {
                    line.push_str(&format!("  [{why}]"));
                }
                let mut line = escape::terminal(&line);
                line.push('\n');
                emit(&line);
            }
            if rows.is_empty() {
                emit("no working days in this range\n");
            }
        }
        Format::Markdown => {
            emit("| Date | Day | On call | Why |\n|---|---|---|---|\n");
            for r in rows {
                let who = match &r.github {
                    Some(g) => crate::render::person(rot, g),
                    None => "**uncovered**".to_owned(),
                };
                let mut why = r.why.as_str().to_owned();
                let people = |gs: &[String]| -> String {
                    gs.iter()
                        .map(|g| crate::render::person(rot, g))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                match (r.why, &r.replaces) {
                    (Why::Override, Some(g)) => {
                        why.push_str(&format!(" for {}", people(std::slice::from_ref(g))));
                    }
                    (Why::Substitute, _) if !r.substitute_for.is_empty() => {
                        why.push_str(&format!(" for {} (away)", people(&r.substitute_for)));
                    }
                    _ => {}
                }
                if let Some(reason) = &r.reason {
                    why.push_str(": ");
                    why.push_str(&escape::markdown(reason));
                }
                emit(&format!(
                    "| {} | {} | {who} | {why} |\n",
                    r.date,
                    r.date.format("%a")
                ));
            }
        }
    }
}

/// What `schedule` says when a range shows no day (one line of text,
/// without its newline): the truth of the range `from..from + days`, which is before
/// `start`, holds no working day, or (with `member`) holds days but none
/// of theirs. `member` is a login of `rot`.
pub fn nothing_shown(rot: &Rotation, from: NaiveDate, days: u32, member: Option<&str>) -> String {
    let to = from
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(from);
    let starts = format!(
        "the rotation starts on {} {}",
        rot.start.format("%A"),
        rot.start
    );
    if days == 0 {
        return "the range holds no day: give --days 1 or more".to_owned();
    }
    if to < rot.start {
        return format!("{starts}: nobody is on call before it");
    }
    let working = rot
        .working_days_in(from.max(rot.start), to)
        .next()
        .is_some();
    match member {
        Some(m) if working => format!("{m} has no on-call day in this range ({from} to {to})"),
        _ if from < rot.start => format!("no working days in this range ({starts})"),
        _ => format!("no working days in this range ({from} to {to})"),
    }
}

/// Why a day is not a plain rotation day, for the terminal: `override for
/// Ben (@ben): reason`, `substitute for @ben (away)`, `uncovered`.
pub fn why_text(rot: &Rotation, r: &Row) -> Option<String> {
    let who = |g: &str| rot.label(g);
    let mut s = match r.why {
        Why::Rotation => return None,
        Why::Uncovered => return Some("uncovered: every member is away".to_owned()),
        Why::Override => match &r.replaces {
            Some(g) => format!("override for {}", who(g)),
            None => "override".to_owned(),
        },
        Why::Substitute if r.substitute_for.is_empty() => "substitute".to_owned(),
        Why::Substitute => format!(
            "substitute for {} (away)",
            r.substitute_for
                .iter()
                .map(|g| who(g))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    if let Some(reason) = &r.reason {
        s.push_str(": ");
        s.push_str(reason);
    }
    Some(s)
}

/// One day of a comparison: who is on call before and after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub date: NaiveDate,
    pub before: Option<String>,
    pub after: Option<String>,
    pub changed: bool,
}

/// Compares two schedules day by day (working days of either).
pub fn compare(before: &[Row], after: &[Row]) -> Vec<Change> {
    // Each side by date: who is on call (the first row of a date counts).
    let by_date = |rows: &[Row]| {
        let mut m = std::collections::BTreeMap::new();
        for r in rows {
            m.entry(r.date).or_insert_with(|| r.github.clone());
        }
        m
    };
    let (b, a) = (by_date(before), by_date(after));
    let dates: std::collections::BTreeSet<NaiveDate> = b.keys().chain(a.keys()).copied().collect();
    dates
        .into_iter()
        .map(|d| {
            let (was, is) = (b.get(&d), a.get(&d));
            Change {
                date: d,
                changed: was != is,
                before: was.cloned().flatten(),
                after: is.cloned().flatten(),
            }
        })
        .collect()
}

/// Why nobody is on call on `date`: a holiday (with its name), a day
/// without duty, or uncovered.
fn nobody(rot: &Rotation, date: NaiveDate) -> String {
    match rot.holidays.get(&date) {
        Some(Some(name)) => format!("holiday: {name}"),
        Some(None) => "holiday".to_owned(),
        None if !rot.is_working_day(date) => "no duty".to_owned(),
        None => "uncovered".to_owned(),
    }
}

/// The comparison in the chosen format.
pub fn render_compare(
    before_rot: &Rotation,
    after_rot: &Rotation,
    changes: &[Change],
    format: Format,
) -> String {
    let n = changes.iter().filter(|c| c.changed).count();
    match format {
        Format::Json => escape::json_pretty(changes),
        Format::Text => {
            // The same form as `schedule`: `Name (@login)`, or `@login`.
            let who = |rot: &Rotation, g: &Option<String>, d: NaiveDate| match g {
                None => format!("— {} —", nobody(rot, d)),
                Some(g) => rot.label(g),
            };
            let mut s = format!("{:<14} {:<24} {:<24}\n", "Date", "Before", "After");
            for c in changes {
                let line = format!(
                    "{} {}  {:<24} {:<24}{}",
                    c.date,
                    c.date.format("%a"),
                    who(before_rot, &c.before, c.date),
                    who(after_rot, &c.after, c.date),
                    if c.changed { "  ← changed" } else { "" }
                );
                s.push_str(&escape::terminal(&line));
                s.push('\n');
            }
            s.push_str(&format!("{n} day(s) change\n"));
            s
        }
        Format::Markdown => {
            let who = |rot: &Rotation, g: &Option<String>, d: NaiveDate| match g {
                Some(g) => crate::render::person(rot, g),
                None => format!("*{}*", escape::markdown(&nobody(rot, d))),
            };
            let mut s = format!(
                "**{n} day(s) change.**\n\n| Date | Day | Before | After | |\n|---|---|---|---|---|\n"
            );
            for c in changes {
                let (b, a) = (
                    who(before_rot, &c.before, c.date),
                    who(after_rot, &c.after, c.date),
                );
                let (b, a, mark) = if c.changed {
                    (format!("~~{b}~~"), format!("**{a}**"), "changed")
                } else {
                    (b, a, "")
                };
                s.push_str(&format!(
                    "| {} | {} | {b} | {a} | {mark} |\n",
                    c.date,
                    c.date.format("%a")
                ));
            }
            s
        }
    }
}

/// `oncall who DATE`: who is on call on a day and why, one line (escaped
/// for the terminal).
pub fn who_text(rot: &Rotation, log: &crate::log::Log, date: NaiveDate) -> String {
    use crate::day::OnDay;
    let line = match crate::day::on(rot, log, date) {
        OnDay::BeforeStart { start } => format!("{date}: nobody (the rotation starts on {start})"),
        OnDay::Off { holiday } => {
            let what = match holiday {
                Some(Some(name)) => format!("holiday: {}", escape::terminal(&name)),
                Some(None) => "holiday".to_owned(),
                None => format!("{}", date.format("%A")),
            };
            format!("{date}: nobody (not a working day: {what})")
        }
        OnDay::Working(r) => {
            let who = match &r.github {
                Some(g) => rot.label(g),
                None => "nobody: the day is uncovered".to_owned(),
            };
            let why = match r.why {
                Why::Uncovered => String::new(),
                _ => why_text(rot, &r)
                    .map(|w| format!(" [{w}]"))
                    .unwrap_or_default(),
            };
            escape::terminal(&format!("{date}: {who}{why}"))
        }
        OnDay::NoRecord => format!(
            "{date}: no record (the day is before the last handover and has no section in the log)"
        ),
    };
    format!("{line}\n")
}

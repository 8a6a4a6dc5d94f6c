//! Who is on call on day D, and why: the one place that answers it, past
//! or future. Days already handed over come from the log (what happened),
//! the last handover's day from the state block, days ahead from the
//! rotation rules (`rotation::Engine`, R8). `schedule`, `who`, `advance`,
//! `swap`, the Slack message, the pull request and the step summary all
//! ask here.

use crate::config::Rotation;
use crate::log::Log;
use crate::rotation::{Day, Engine, Why};
use chrono::{Days, NaiveDate};
use serde::Serialize;

/// A date on the calendar (R1): before the rotation, a day off, or a
/// working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Calendar {
    /// Before `start`: nobody is on call yet.
    BeforeStart {
        start: NaiveDate,
    },
    /// Not a working day; `Some(name)` when it is a holiday.
    Off {
        holiday: Option<Option<String>>,
    },
    Working,
}

/// What kind of day `date` is (R1, R2).
pub fn calendar(rot: &Rotation, date: NaiveDate) -> Calendar {
    if date < rot.start {
        Calendar::BeforeStart { start: rot.start }
    } else if !rot.is_working_day(date) {
        Calendar::Off {
            holiday: rot.holidays.get(&date).cloned(),
        }
    } else {
        Calendar::Working
    }
}

/// The answer for one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnDay {
    BeforeStart {
        start: NaiveDate,
    },
    Off {
        holiday: Option<Option<String>>,
    },
    /// A working day: who, why, handed over or ahead.
    Working(Row),
    /// A working day before the last handover with no section in the log.
    NoRecord,
}

/// Who is on call on `date`, and why.
pub fn on(rot: &Rotation, log: &Log, date: NaiveDate) -> OnDay {
    match calendar(rot, date) {
        Calendar::BeforeStart { start } => OnDay::BeforeStart { start },
        Calendar::Off { holiday } => OnDay::Off { holiday },
        Calendar::Working => rows(rot, log, date, 1)
            .into_iter()
            .next()
            .map_or(OnDay::NoRecord, OnDay::Working),
    }
}

/// The rotation's decision for a working day ahead of the last handover
/// (R8), or `None` for a day handed over already or not a working day.
pub fn ahead(rot: &Rotation, date: NaiveDate) -> Option<Day> {
    let mut engine = Engine::new(rot);
    engine.skip_until(date.pred_opt()?);
    match engine.next_date() {
        Some(d) if d == date => engine.step(),
        _ => None,
    }
}

/// One working day of the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// YYYY-MM-DD
    pub date: NaiveDate,
    /// The on-call member's login (null when uncovered).
    pub github: Option<String>,
    /// Their display name.
    pub name: Option<String>,
    pub why: Why,
    /// The cycle (null for a day whose log section does not say it).
    pub cycle: Option<u32>,
    /// The override's reason, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For an override: the member the rotation had that day (R6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    /// For a substitute: the away members they stand in for (R5); for a
    /// day handed over, as its log section says (empty when it does not).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub substitute_for: Vec<String>,
    /// On a cycle's first day: who lost their turn in the previous cycle,
    /// away until it ended (R5).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lost_turn: Vec<String>,
    /// True for days already handed over (read from the state or the log).
    pub past: bool,
}

/// A day handed over already, as the log says; the last handover's day
/// from the state block when the log has no section for it.
pub fn handed_over(rot: &Rotation, log: &Log, date: NaiveDate) -> Option<Row> {
    let name = |g: &Option<String>| g.as_deref().map(|g| rot.display(g).to_owned());
    if let Some(r) = log.record(date) {
        return Some(Row {
            date,
            github: r.on_call.clone(),
            name: name(&r.on_call),
            why: r.why,
            cycle: r.cycle,
            // What the log says happened, not today's rotation.yaml.
            reason: r.reason.clone(),
            replaces: r.replaces.clone(),
            substitute_for: r.substitute_for.clone(),
            lost_turn: r.lost_turn.clone(),
            past: true,
        });
    }
    let st = rot.state.as_ref().filter(|s| s.since == date)?;
    let why = match (&st.on_call, rot.overrides.get(&date)) {
        (None, _) => Why::Uncovered,
        (Some(_), Some(_)) => Why::Override,
        (Some(_), None) => Why::Rotation,
    };
    Some(Row {
        date,
        github: st.on_call.clone(),
        name: name(&st.on_call),
        why,
        cycle: Some(st.cycle),
        reason: rot.overrides.get(&date).and_then(|o| o.reason.clone()),
        // The member the rotation had that day is the last who served.
        replaces: match why {
            Why::Override => st.served.last().cloned(),
            _ => None,
        },
        substitute_for: Vec::new(),
        lost_turn: Vec::new(),
        past: true,
    })
}

/// The working days of the `days` calendar days starting at `from`:
/// handed over ([`handed_over`]) up to the last handover, then ahead (the
/// rules, R8). Past days with no record are left out.
pub fn rows(rot: &Rotation, log: &Log, from: NaiveDate, days: u32) -> Vec<Row> {
    let Some(to) = from
        .checked_add_days(Days::new(u64::from(days)))
        .and_then(|d| d.pred_opt())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut engine = Engine::new(rot);
    if let Some(since) = engine.since() {
        for day in rot.working_days_in(from.max(rot.start), since.min(to)) {
            out.extend(handed_over(rot, log, day));
        }
    }
    // The days before `from` are walked without describing them.
    if let Some(before) = from.pred_opt() {
        engine.skip_until(before);
    }
    while let Some(d) = engine.next_date().filter(|d| *d <= to) {
        let day = engine.step().expect("a next date");
        if d >= from {
            out.push(Row::ahead(rot, &day));
        }
    }
    out
}

impl Row {
    /// The row of a day the rules decided (not handed over yet).
    pub fn ahead(rot: &Rotation, day: &Day) -> Row {
        Row {
            date: day.date,
            name: day.on_call.as_deref().map(|g| rot.display(g).to_owned()),
            github: day.on_call.clone(),
            why: day.why,
            cycle: Some(day.cycle),
            reason: day.reason.clone(),
            replaces: day.replaces.clone(),
            substitute_for: day.away_due.clone(),
            lost_turn: day.lost_turn.clone(),
            past: false,
        }
    }
}

/// The next `n` working days after `date`, as the rules have them (the
/// schedule the morning message, the step summary and the pull request
/// show). Days before the rotation starts are not working days here.
pub fn upcoming(rot: &Rotation, date: NaiveDate, n: u32) -> Vec<Row> {
    let Some(from) = rot.next_working_day(date) else {
        return Vec::new();
    };
    let days = rot.calendar_days_for(from, n);
    let mut out = rows(rot, &Log::default(), from, days);
    out.truncate(n as usize);
    out
}

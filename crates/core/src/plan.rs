//! Today's plan: from rotation.yaml, the log and a date, everything the
//! handover will do. Pure: no clock, no disk, no network.

use crate::config::{Rotation, State};
use crate::day;
use crate::log::Log;
use crate::rotation::{Day, Engine, Why};
use chrono::NaiveDate;

/// Where a member stands in the current cycle (the ADR's checkbox list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Served,
    /// On call today, in their turn.
    OnCall,
    Due,
    /// Their turn today, taken by an override (R6): it counts as had.
    Replaced,
    /// On call today by an override; their own turn is still to come.
    OverrideDue,
    /// On call today by an override, after their turn in this cycle.
    OverrideServed,
}

/// One day's handover: who, why, from whom, and the cycle after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub day: Day,
    /// Who was on call the working day before (None: uncovered or first day).
    pub previous: Option<String>,
    /// The cycle as it stands after this day.
    pub cycle: Vec<(String, Status)>,
    /// The next working day and who will be on call then.
    pub next: Option<(NaiveDate, Option<String>)>,
    /// False for days handed over late by a catch-up run (R9): nobody
    /// announced them on the day.
    pub announced: bool,
    /// What earlier days left open, oldest first: threads, and runbook
    /// debt (unticked items under their `### Topics`; see `log::Topic`).
    pub open_threads: Vec<crate::log::Topic>,
    pub runbook_debt: Vec<crate::log::Topic>,
}

impl Handover {
    /// Why nobody handed over, when nobody did: the same words in the log,
    /// the pull request, the step summary and the terminal.
    pub fn no_handover_reason(&self, rot: &Rotation) -> &'static str {
        if rot.first_day() == Some(self.day.date) {
            "first day of the rotation"
        } else {
            "the day before was uncovered"
        }
    }
}

/// What `oncall advance` does on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// No handover to make, and why.
    Nothing(NoHandover),
    /// Hand over: new log sections (the last one is today's) and new files.
    Advance(Box<Advance>),
}

/// Why there is no handover: each reason worded once, for the terminal,
/// the step summary and the pull-request run alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoHandover {
    /// Not a working day (R1); carries the holiday's name.
    NotWorkingDay {
        date: NaiveDate,
        holiday: Option<Option<String>>,
    },
    /// The rotation begins later.
    BeforeStart { date: NaiveDate, start: NaiveDate },
    /// This day was handed over already (R10).
    AlreadyDone { date: NaiveDate },
    /// A day before the last handover.
    HandedOverAlready { date: NaiveDate, last: NaiveDate },
}

impl NoHandover {
    pub fn date(&self) -> NaiveDate {
        match self {
            NoHandover::NotWorkingDay { date, .. }
            | NoHandover::BeforeStart { date, .. }
            | NoHandover::AlreadyDone { date }
            | NoHandover::HandedOverAlready { date, .. } => *date,
        }
    }

    /// One line, for people (not escaped: holiday names come from the file).
    pub fn message(&self) -> String {
        match self {
            NoHandover::NotWorkingDay { date, holiday } => {
                let what = match holiday {
                    Some(Some(name)) => format!("a holiday: {name}"),
                    Some(None) => "a holiday".to_owned(),
                    None => format!("a {}", date.format("%A")),
                };
                format!("{date} is not a working day ({what}): no handover.")
            }
            NoHandover::BeforeStart { date, start } => {
                format!("{date}: the rotation starts on {start}: no handover yet.")
            }
            NoHandover::AlreadyDone { date } => already_done(*date),
            NoHandover::HandedOverAlready { date, last } => format!(
                "{date} was handed over already (the last handover is {last}): nothing to do. `oncall who {date}` shows who was on call."
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advance {
    pub date: NaiveDate,
    /// One per working day from the last handover to today (R9), oldest first.
    pub handovers: Vec<Handover>,
    pub state: State,
}

impl Advance {
    /// Today's handover.
    pub fn today(&self) -> &Handover {
        self.handovers.last().expect("an advance has a day")
    }
    /// Days handed over late (catch-up).
    pub fn missed(&self) -> impl Iterator<Item = &Handover> {
        self.handovers.iter().filter(|h| !h.announced)
    }
}

/// The words for a day handed over already.
pub fn already_done(date: NaiveDate) -> String {
    format!("{date} was handed over already: nothing to do.")
}

/// Plans the handover for `date` (R9 catch-up, R10 idempotence).
pub fn advance(rot: &Rotation, log: &Log, date: NaiveDate) -> Plan {
    match day::calendar(rot, date) {
        day::Calendar::BeforeStart { start } => {
            return Plan::Nothing(NoHandover::BeforeStart { date, start });
        }
        day::Calendar::Off { holiday } => {
            return Plan::Nothing(NoHandover::NotWorkingDay { date, holiday });
        }
        day::Calendar::Working => {}
    }
    if let Some(last) = log.records.last()
        && last.date > date
    {
        return Plan::Nothing(NoHandover::HandedOverAlready {
            date,
            last: last.date,
        });
    }
    let mut engine = Engine::new(rot);
    match engine.since() {
        Some(since) if since == date => return Plan::Nothing(NoHandover::AlreadyDone { date }),
        Some(since) if since > date => {
            return Plan::Nothing(NoHandover::HandedOverAlready { date, last: since });
        }
        _ => {}
    }
    let mut previous = engine.state().and_then(|s| s.on_call);
    let mut handovers = Vec::new();
    while engine.next_date().is_some_and(|d| d <= date) {
        let day = engine.step().expect("next_date is Some");
        let next = {
            let mut peek = engine.clone();
            peek.step().map(|d| (d.date, d.on_call))
        };
        let cycle = cycle_status(&engine, &day);
        let on_call = day.on_call.clone();
        handovers.push(Handover {
            // A day is announced by the run on that day; a catch-up run
            // only announces today. A section already in the log (e.g.
            // on the handover branch) was written on its day.
            announced: day.date == date || log.has(day.date),
            open_threads: log.open_threads(day.date).into_iter().cloned().collect(),
            runbook_debt: log.runbook_debt(day.date).into_iter().cloned().collect(),
            day,
            previous: previous.take(),
            cycle,
            next,
        });
        previous = on_call;
    }
    let state = engine.state().expect("at least one day was decided");
    Plan::Advance(Box::new(Advance {
        date,
        handovers,
        state,
    }))
}

/// The handover of `date` when it was done already (the state is at
/// `date`): rebuilt from the state, the log and the engine, so that a rerun
/// can still announce it (R10: the post that failed is made on the rerun).
pub fn done_handover(rot: &Rotation, log: &Log, date: NaiveDate) -> Option<Handover> {
    let st = rot.state.as_ref().filter(|s| s.since == date)?;
    let engine = Engine::new(rot);
    let row = day::handed_over(rot, log, date)?;
    let day = Day {
        date,
        on_call: row.github,
        why: row.why,
        cycle: st.cycle,
        // Today's member is the first of a cycle after the first.
        new_cycle: st.cycle > 1 && st.served.len() == 1 && st.served.first() == st.on_call.as_ref(),
        away_due: Vec::new(),
        lost_turn: Vec::new(),
        reason: row.reason,
        replaces: row.replaces,
    };
    let previous = log
        .records
        .iter()
        .rev()
        .find(|r| r.date < date)
        .and_then(|r| r.on_call.clone());
    let next = {
        let mut peek = engine.clone();
        peek.step().map(|d| (d.date, d.on_call))
    };
    let cycle = cycle_status(&engine, &day);
    Some(Handover {
        open_threads: log.open_threads(date).into_iter().cloned().collect(),
        runbook_debt: log.runbook_debt(date).into_iter().cloned().collect(),
        day,
        previous,
        cycle,
        next,
        announced: true,
    })
}

fn cycle_status(engine: &Engine, day: &Day) -> Vec<(String, Status)> {
    engine
        .cycle_view()
        .into_iter()
        .map(|(g, served)| {
            let on_call = day.on_call.as_deref() == Some(g.as_str());
            let status = match (day.why, on_call, served) {
                (Why::Override, true, true) => Status::OverrideServed,
                (Why::Override, true, false) => Status::OverrideDue,
                (Why::Override, false, _) if day.replaces.as_deref() == Some(g.as_str()) => {
                    Status::Replaced
                }
                (_, true, _) => Status::OnCall,
                (_, false, true) => Status::Served,
                (_, false, false) => Status::Due,
            };
            (g, status)
        })
        .collect()
}

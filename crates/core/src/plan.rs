//! Today's plan: from rotation.yaml, the log and a date, everything the
//! handover will do. Pure: no clock, no disk, no network.

use crate::config::{Rotation, State};
use crate::day;
use crate::log::{Log, Topic};
use crate::rotation::{Day, Engine, Why};
use chrono::NaiveDate;
use std::sync::Arc;

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
    /// The cycle as it stands after this day, as its checklist shows it.
    pub cycle: CycleList,
    /// The next working day and who will be on call then.
    pub next: Option<(NaiveDate, Option<String>)>,
    /// False for days handed over late by a catch-up run (R9): nobody
    /// announced them on the day.
    pub announced: bool,
    /// What earlier days left open, oldest first: threads, and runbook
    /// debt (unticked items under their `### Topics`; see `log::Topic`).
    /// Shared by the days of a catch-up that have the same.
    pub open_threads: Arc<[Topic]>,
    pub runbook_debt: Arc<[Topic]>,
}

/// A cycle listed in full up to this many members; larger cycles are
/// summarised, so that a section stays small for a large team.
pub const FULL_CYCLE_LIST: usize = 20;

/// The cycle as a handover's checklist shows it
/// (`render::cycle_checklist`): every member in order, up to
/// [`FULL_CYCLE_LIST`]; for a larger cycle, the last five who served, who
/// is on call and the next ten due, with how many more there are of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleList {
    pub shown: Vec<(String, Status)>,
    /// Served (or lost their turn) before the ones shown.
    pub more_served: usize,
    /// Still due after the ones shown.
    pub more_due: usize,
}

impl CycleList {
    /// The list of a whole cycle, in order.
    pub fn from_full(cycle: Vec<(String, Status)>) -> CycleList {
        if cycle.len() <= FULL_CYCLE_LIST {
            return CycleList {
                shown: cycle,
                more_served: 0,
                more_due: 0,
            };
        }
        let served: Vec<_> = cycle
            .iter()
            .filter(|(_, st)| matches!(st, Status::Served | Status::Replaced))
            .cloned()
            .collect();
        let on_call = cycle.iter().filter(|(_, st)| {
            matches!(
                st,
                Status::OnCall | Status::OverrideDue | Status::OverrideServed
            )
        });
        let due: Vec<_> = cycle.iter().filter(|(_, st)| *st == Status::Due).collect();
        let more_served = served.len().saturating_sub(SHOWN_SERVED);
        let mut shown: Vec<(String, Status)> = served[more_served..].to_vec();
        shown.extend(on_call.cloned());
        shown.extend(due.iter().take(SHOWN_DUE).map(|e| (*e).clone()));
        CycleList {
            shown,
            more_served,
            more_due: due.len().saturating_sub(SHOWN_DUE),
        }
    }
}

/// How many of a large cycle's served and due members a checklist shows.
const SHOWN_SERVED: usize = 5;
const SHOWN_DUE: usize = 10;

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
    // Who was on call on the last day handed over: as its log section
    // reads (a takeover's note names the member who took it over, R13,
    // also while the pull request that writes it to the state is open),
    // else as the state says.
    let mut previous = engine.state().and_then(|s| match log.record(s.since) {
        Some(r) => r.on_call.clone(),
        None => s.on_call,
    });
    let mut handovers: Vec<Handover> = Vec::new();
    let mut carried = Carried::default();
    while engine.next_date().is_some_and(|d| d <= date) {
        let day = engine.step().expect("next_date is Some");
        let cycle = cycle_list(&engine, &day);
        let on_call = day.on_call.clone();
        if let Some(before) = handovers.last_mut() {
            before.next = Some((day.date, day.on_call.clone()));
        }
        let (open_threads, runbook_debt) = carried.on(log, day.date);
        handovers.push(Handover {
            // A day is announced by the run on that day; a catch-up run
            // only announces today. A section already in the log (e.g.
            // on the handover branch) was written on its day.
            announced: day.date == date || log.has(day.date),
            open_threads,
            runbook_debt,
            day,
            previous: previous.take(),
            cycle,
            next: None,
        });
        previous = on_call;
    }
    // The day after the last: one look ahead.
    if let Some(last) = handovers.last_mut() {
        let mut peek = engine.clone();
        last.next = peek.step().map(|d| (d.date, d.on_call));
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
    let cycle = cycle_list(&engine, &day);
    let (open_threads, runbook_debt) = Carried::default().on(log, date);
    Some(Handover {
        open_threads,
        runbook_debt,
        day,
        previous,
        cycle,
        next,
        announced: true,
    })
}

/// What earlier days left open, as of each day of a catch-up: the same
/// list (shared) until a day adds to it.
#[derive(Default)]
struct Carried {
    threads: Option<Arc<[Topic]>>,
    debt: Option<Arc<[Topic]>>,
}

impl Carried {
    fn on(&mut self, log: &Log, date: NaiveDate) -> (Arc<[Topic]>, Arc<[Topic]>) {
        let keep = |kept: &mut Option<Arc<[Topic]>>, now: Vec<&Topic>| -> Arc<[Topic]> {
            // Open before a later day means open before this one too, or
            // added since: the same list when the count is the same.
            match kept {
                Some(k) if k.len() == now.len() => k.clone(),
                _ => {
                    let list: Arc<[Topic]> = now.into_iter().cloned().collect();
                    *kept = Some(list.clone());
                    list
                }
            }
        };
        (
            keep(&mut self.threads, log.open_threads(date)),
            keep(&mut self.debt, log.runbook_debt(date)),
        )
    }
}

/// Where a member stands in the cycle on `day` (after it), given whether
/// they served.
fn status(day: &Day, g: &str, served: bool) -> Status {
    let on_call = day.on_call.as_deref() == Some(g);
    match (day.why, on_call, served) {
        (Why::Override, true, true) => Status::OverrideServed,
        (Why::Override, true, false) => Status::OverrideDue,
        (Why::Override, false, _) if day.replaces.as_deref() == Some(g) => Status::Replaced,
        (_, true, _) => Status::OnCall,
        (_, false, true) => Status::Served,
        (_, false, false) => Status::Due,
    }
}

/// The whole cycle after `day`, in order, with where each member stands.
pub fn cycle_status(engine: &Engine, day: &Day) -> Vec<(String, Status)> {
    engine
        .cycle_view()
        .into_iter()
        .map(|(g, served)| {
            let st = status(day, &g, served);
            (g, st)
        })
        .collect()
}

/// The cycle's checklist after `day` ([`CycleList`]): for a large cycle
/// only the part it shows is looked up, so that a day of a catch-up costs
/// the same for any team (`CycleList::from_full(cycle_status(…))` is the
/// same list).
pub fn cycle_list(engine: &Engine, day: &Day) -> CycleList {
    let n = engine.cycle_len();
    if n <= FULL_CYCLE_LIST {
        return CycleList::from_full(cycle_status(engine, day));
    }
    let part = engine.cycle_part(day.on_call.as_deref(), SHOWN_SERVED, SHOWN_DUE);
    // Grouped as the checklist shows them: served, on call, due.
    let shown: Vec<(String, Status)> = part
        .last_served
        .into_iter()
        .chain(part.on_call)
        .chain(part.first_due)
        .map(|(g, served)| {
            let st = status(day, &g, served);
            (g, st)
        })
        .collect();
    CycleList {
        shown,
        more_served: part.served_total.saturating_sub(SHOWN_SERVED),
        more_due: part.due_total.saturating_sub(SHOWN_DUE),
    }
}

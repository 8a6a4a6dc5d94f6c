//! Checks of rotation.yaml that need the rotation engine or today's date.
//!
//! `config` validates the file on its own (R12); it cannot run the engine,
//! which is built on it. These checks run after it, in every command that
//! reads the file, and in `oncall check`.

use crate::config::Rotation;
use crate::diag::Problem;
use crate::rotation::{Engine, Why};
use chrono::{Months, NaiveDate};

/// The problems found: errors stop the run like any invalid input.
pub fn problems(rot: &Rotation, today: NaiveDate) -> Vec<Problem> {
    let mut out = Vec::new();
    state_is_not_in_the_future(rot, today, &mut out);
    // A rotation more than a year behind is refused before anything walks
    // the days between (see `catch_up`).
    if let Some(p) = catch_up(rot, today) {
        out.push(p);
        return out;
    }
    overrides_change_someone(rot, today, &mut out);
    out
}

/// The longest catch-up a handover makes (R9): a year.
pub const MAX_CATCH_UP: Months = Months::new(12);

/// A handover on `date` would catch up more than a year (R9): the days
/// since the last handover (`state.since`), or since `start` when nothing
/// was handed over yet. Refused with the way out: a rotation that stood
/// still that long is brought forward by hand, not replayed day by day
/// (which would also write a log section for every one of those days).
pub fn catch_up(rot: &Rotation, date: NaiveDate) -> Option<Problem> {
    let (from, pos) = match (&rot.state, rot.state_since_pos) {
        (Some(st), Some(pos)) => (st.since, pos),
        (Some(st), None) => (st.since, rot.start_pos),
        (None, _) => (rot.start.pred_opt().unwrap_or(rot.start), rot.start_pos),
    };
    if from
        .checked_add_months(MAX_CATCH_UP)
        .is_none_or(|limit| date <= limit)
    {
        return None;
    }
    let days = rot.working_days_in(from.succ_opt()?, date).count();
    let (message, hint) = match &rot.state {
        Some(st) => (
            format!(
                "`state.since` is {}, more than a year before {date}: the next handover would catch up {days} working days",
                st.since
            ),
            "oncall catches up at most a year: set `state.since` to a recent working day (the last real handover, or the last working day: the cycle goes on from there), then run `oncall check`",
        ),
        None => (
            format!(
                "`start` is {} and nothing was handed over yet: the first handover would catch up {days} working days, more than a year, up to {date}",
                rot.start
            ),
            "oncall catches up at most a year: set `start` to the first day you run it",
        ),
    };
    Some(Problem::error(pos, message, hint))
}

/// [`catch_up`] as a refusal of `file` (the advance on `date`).
pub fn refuse_catch_up(
    file: &str,
    rot: &Rotation,
    date: NaiveDate,
) -> Result<(), crate::diag::InvalidInput> {
    match catch_up(rot, date) {
        Some(p) => Err(crate::diag::InvalidInput(crate::diag::Report::new(
            file,
            vec![p],
        ))),
        None => Ok(()),
    }
}

/// The state says days that have not come yet were handed over: `advance`
/// would do nothing until then, and the schedule would be wrong.
fn state_is_not_in_the_future(rot: &Rotation, today: NaiveDate, out: &mut Vec<Problem>) {
    let (Some(st), Some(pos)) = (&rot.state, rot.state_since_pos) else {
        return;
    };
    if st.since > today {
        out.push(Problem::error(
            pos,
            format!(
                "`state.since` is {}, after today ({today} in {}): the state says days that have not come yet were handed over",
                st.since,
                rot.timezone.name()
            ),
            "set `state` back to the last real handover (see the log), or run `oncall advance --date` only with dates that have come",
        ));
    }
}

/// R6: an override that names the member the rotation has on call that day
/// anyway changes nothing (most likely the wrong date or person). Checked
/// for the overrides of the coming year (the rules are walked to the last
/// of them).
fn overrides_change_someone(rot: &Rotation, today: NaiveDate, out: &mut Vec<Problem>) {
    let since = rot.state.as_ref().map(|s| s.since);
    let horizon = today.checked_add_months(MAX_CATCH_UP).unwrap_or(today);
    let Some(last) = rot
        .overrides
        .keys()
        .copied()
        .filter(|d| since.is_none_or(|s| *d > s) && *d <= horizon)
        .max()
    else {
        return;
    };
    for day in Engine::new(rot).run_until(last) {
        if day.why != Why::Override || day.replaces != day.on_call {
            continue;
        }
        let (Some(o), Some(g)) = (rot.overrides.get(&day.date), &day.on_call) else {
            continue;
        };
        out.push(Problem::warning(
            o.pos,
            format!(
                "the override on {} names `{g}`, who is on call that day anyway: it changes nothing",
                day.date
            ),
            "check the date and the person, or remove the override",
        ));
    }
}

/// The lint of a rotation file for `today`, as every path that reads one
/// runs it (local and `--pr`): its errors refuse the run, its warnings are
/// for the caller to print.
pub fn check(
    file: &str,
    rot: &Rotation,
    today: NaiveDate,
) -> Result<crate::diag::Report, crate::diag::InvalidInput> {
    let report = crate::diag::Report::new(file, problems(rot, today));
    match report.has_errors() {
        true => Err(crate::diag::InvalidInput(report)),
        false => Ok(report),
    }
}

/// What `oncall check` finds that needs the engine, the log and a horizon.
pub struct Ahead {
    /// The lint's problems, the uncovered days ahead and a late first run.
    pub problems: Vec<Problem>,
    /// How many working days in the horizon are uncovered.
    pub uncovered: usize,
}

/// `oncall check`'s rules beyond validation: the lint ([`problems`]), a
/// warning for each uncovered day in the next `ahead` days, and one when
/// the first handover would log more than ten missed days.
pub fn check_ahead(rot: &Rotation, log: &crate::log::Log, today: NaiveDate, ahead: u32) -> Ahead {
    let mut found = problems(rot, today);
    // Too far behind: nothing ahead is worth walking to.
    if catch_up(rot, today).is_some() {
        return Ahead {
            problems: found,
            uncovered: 0,
        };
    }
    let rows = crate::day::rows(rot, log, today, ahead);
    let uncovered: Vec<_> = rows
        .iter()
        .filter(|r| r.why == Why::Uncovered && !r.past)
        .collect();
    for r in &uncovered {
        found.push(uncovered_day(rot, r.date));
    }
    if rot.state.is_none() && today > rot.start {
        let missed = rot.working_days_in(rot.start, today).count();
        if missed > 10 {
            found.push(Problem::warning(
                rot.start_pos,
                format!("`start` is {} and no handover was made yet: the first `oncall advance` will log {missed} days", rot.start),
                "set `start` to the first day you run it",
            ));
        }
    }
    found.extend(on_call_disagrees_with_the_log(rot, log));
    found.extend(crate::takeover::problems(rot, log));
    Ahead {
        problems: found,
        uncovered: uncovered.len(),
    }
}

/// R5: `date` is uncovered, every member being away: the warning points at
/// the time off that starts last among those covering the day (most likely
/// the one that made it uncovered) and says what works. An override cannot
/// help: it must name a member who is not away that day.
fn uncovered_day(rot: &Rotation, date: NaiveDate) -> Problem {
    let covering = rot.members.iter().enumerate().flat_map(|(i, m)| {
        m.away
            .iter()
            .enumerate()
            .filter(move |(_, (from, to))| *from <= date && date <= *to)
            .map(move |(j, range)| (*range, i, j))
    });
    let last = covering.max_by_key(|((from, _), i, j)| (*from, std::cmp::Reverse((*i, *j))));
    let (at, whose) = match last {
        Some(((from, to), i, j)) => (
            rot.away_pos
                .get(i)
                .and_then(|p| p.get(j))
                .copied()
                .unwrap_or(rot.start_pos),
            format!(
                "; the last of their time off to start is `{}`'s, {from} to {to}",
                rot.members[i].github
            ),
        ),
        None => (rot.start_pos, String::new()),
    };
    Problem::warning(
        at,
        format!(
            "{date} ({}) is uncovered: all {} members are away that day{whose}",
            date.format("%A"),
            rot.members.len()
        ),
        "shorten someone's time off (this one, or another member's) so that one member is available, or add a member; an override cannot cover the day, as it must name a member who is not away",
    )
}

/// `state.on_call` names someone who is not a member, and the log's section
/// for that day names someone else: a typo. (A member who left after the
/// handover stays named there: that is the record.)
fn on_call_disagrees_with_the_log(rot: &Rotation, log: &crate::log::Log) -> Option<Problem> {
    let st = rot.state.as_ref()?;
    let named = st.on_call.as_deref()?;
    let record = log.record(st.since)?;
    if rot.member(named).is_some() || record.on_call.as_deref() == Some(named) {
        return None;
    }
    let logged = match &record.on_call {
        Some(g) => format!("`{g}`"),
        None => "nobody (uncovered)".to_owned(),
    };
    Some(Problem::warning(
        rot.state_on_call_pos.unwrap_or(rot.start_pos),
        format!(
            "`state.on_call` names `{named}`, who is not in `members`, and the log's section for {} says {logged} was on call",
            st.since
        ),
        "correct `state.on_call` to who was on call that day (the log's)",
    ))
}

/// What a change (`base` → `head`) adds that lies wholly in days handed
/// over already (on or before the base's `state.since`): an override or a
/// time off that moves nobody. Past entries are the record and are never
/// warned about on their own; one added after its days were handed over
/// is most likely a wrong date (last year's, typed out of habit). For the
/// preview of a change, one note each.
pub fn added_in_the_past(base: &Rotation, head: &Rotation) -> Vec<String> {
    let Some(since) = base.state.as_ref().map(|s| s.since) else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    let on_call = base.state.as_ref().and_then(|s| s.on_call.as_deref());
    for (date, o) in head.overrides.range(..=since) {
        if *date == since && on_call != Some(o.github.as_str()) {
            // R13: the last day handed over, to someone else: a takeover.
            notes.push(format!(
                "The override on {date} (`{}`) takes over the day handed over last: once merged, the next handover run applies it and announces it (R13); the days after it do not change.",
                o.github
            ));
        } else if base
            .overrides
            .get(date)
            .is_none_or(|b| b.github != o.github)
        {
            notes.push(format!(
                "The override on {date} (`{}`) is for a day handed over already ({since} was the last): it changes nobody's day, the log is the record. Check its date.",
                o.github
            ));
        }
    }
    for m in &head.members {
        let before = base.member(&m.github).map_or(&[][..], |b| &b.away[..]);
        for &(from, to) in m.away.iter().filter(|r| r.1 <= since) {
            if !before.contains(&(from, to)) {
                notes.push(format!(
                    "`{}`'s time off from {from} to {to} lies wholly in days handed over already ({since} was the last): it moves nobody's day (`oncall stats` counts it). Check the year if it is meant to be ahead.",
                    m.github
                ));
            }
        }
    }
    notes
}

//! Checks of rotation.yaml that need the rotation engine or today's date.
//!
//! `config` validates the file on its own (R12); it cannot run the engine,
//! which is built on it. These checks run after it, in every command that
//! reads the file, and in `oncall check`.

use crate::config::Rotation;
use crate::diag::Problem;
use crate::rotation::{Engine, Why};
use chrono::NaiveDate;

/// The problems found: errors stop the run like any invalid input.
pub fn problems(rot: &Rotation, today: NaiveDate) -> Vec<Problem> {
    let mut out = Vec::new();
    state_is_not_in_the_future(rot, today, &mut out);
    overrides_change_someone(rot, &mut out);
    out
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
/// anyway changes nothing (most likely the wrong date or person).
fn overrides_change_someone(rot: &Rotation, out: &mut Vec<Problem>) {
    let since = rot.state.as_ref().map(|s| s.since);
    let Some(last) = rot
        .overrides
        .keys()
        .copied()
        .filter(|d| since.is_none_or(|s| *d > s))
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

//! Roster edits as text transformations (`oncall swap`, `oncall leave`):
//! rotation.yaml's text in, the edited text out, with yaml-edit (comments
//! and layout elsewhere kept). The binary validates the result and writes
//! it only when it is valid.

use crate::config::{self, Rotation, edit};
use crate::day;
use crate::rotation::Day;
use chrono::NaiveDate;
use std::str::FromStr;
use yaml_edit::Document;

/// What a swap does: who serves which day after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swap {
    pub a: NaiveDate,
    pub b: NaiveDate,
    /// The member on call on `a` before the swap (on `b` after it).
    pub member_a: String,
    /// The member on call on `b` before the swap (on `a` after it).
    pub member_b: String,
}

/// Plans a swap of two future working days: checks both can be swapped and
/// returns who moves where.
/// The error is the message for the user.
pub fn plan_swap(rot: &Rotation, a: NaiveDate, b: NaiveDate) -> Result<Swap, String> {
    if a == b {
        return Err(format!("{a} is given twice: name two different days"));
    }
    let since = rot.state.as_ref().map(|s| s.since);
    for d in [a, b] {
        match day::calendar(rot, d) {
            day::Calendar::BeforeStart { start } => {
                return Err(format!("{d} is before the rotation starts ({start})"));
            }
            day::Calendar::Off { .. } => {
                return Err(format!(
                    "{d} ({}) is not a working day: nobody is on call then",
                    d.format("%A")
                ));
            }
            day::Calendar::Working => {}
        }
        if since.is_some_and(|s| d <= s) {
            return Err(format!(
                "{d} was handed over already (the last handover is {}): only days ahead can be swapped",
                since.unwrap_or(d)
            ));
        }
        if let Some(o) = rot.overrides.get(&d) {
            return Err(format!(
                "{d} has an override already (line {}, `{}`): edit or remove it first",
                o.pos.line, o.github
            ));
        }
    }
    let who = |d: NaiveDate| -> Result<String, String> {
        match day::ahead(rot, d) {
            Some(Day {
                on_call: Some(g), ..
            }) => Ok(g),
            _ => Err(format!(
                "{d} is uncovered (everyone is away): there is nobody to swap; add an override instead"
            )),
        }
    };
    let (member_a, member_b) = (who(a)?, who(b)?);
    if member_a == member_b {
        return Err(format!(
            "`{member_a}` is on call on both {a} and {b}: there is nothing to swap"
        ));
    }
    for (member, day) in [(&member_b, a), (&member_a, b)] {
        if rot.member(member).is_some_and(|m| m.is_away(day)) {
            return Err(format!(
                "`{member}` is away on {day} and cannot take that day: pick another day"
            ));
        }
    }
    Ok(Swap {
        a,
        b,
        member_a,
        member_b,
    })
}

/// What `oncall cover LOGIN` does: who covers which day for whom, and
/// whether the day was handed over already (then it is a takeover, R13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    pub date: NaiveDate,
    pub login: String,
    /// Who is on call that day now (None: uncovered).
    pub from: Option<String>,
    /// The day was handed over already: the next handover run takes it
    /// over (R13); else its handover puts `login` on call (R6).
    pub takeover: bool,
}

/// Plans `oncall cover LOGIN --date DATE`: an override for `date` (today
/// or a day ahead) naming a member who is not away then. The error is the
/// message for the user.
pub fn plan_cover(
    rot: &Rotation,
    login: &str,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<Cover, String> {
    let Some(member) = rot.member(login) else {
        let hint = config::structure::suggest(login, rot.members.iter().map(|m| m.github.as_str()))
            .map(|n| format!(": did you mean `{n}`?"))
            .unwrap_or_else(|| ": name one of `members`".to_owned());
        return Err(format!("`{login}` is not a member{hint}"));
    };
    if date < today {
        return Err(format!(
            "{date} is before today ({today}): the log is the record of past days, and an override of one changes nothing"
        ));
    }
    match day::calendar(rot, date) {
        day::Calendar::BeforeStart { start } => {
            return Err(format!("{date} is before the rotation starts ({start})"));
        }
        day::Calendar::Off { .. } => {
            return Err(format!(
                "{date} ({}) is not a working day: nobody is on call then",
                date.format("%A")
            ));
        }
        day::Calendar::Working => {}
    }
    if member.is_away(date) {
        return Err(format!(
            "`{login}` is away on {date} (their time off in rotation.yaml): they cannot cover it"
        ));
    }
    if let Some(o) = rot.overrides.get(&date) {
        return Err(match o.github == login {
            true => format!(
                "`{login}` covers {date} already (the override on line {})",
                o.pos.line
            ),
            false => format!(
                "{date} has an override already (line {}, `{}`): to give the day to `{login}`, change that override's `github` to `{login}` (and its `reason`)",
                o.pos.line, o.github
            ),
        });
    }
    let handed_over = rot.state.as_ref().filter(|s| s.since >= date);
    let from = match handed_over {
        Some(st) if st.since == date => st.on_call.clone(),
        _ => day::ahead(rot, date).and_then(|d| d.on_call),
    };
    if from.as_deref() == Some(login) {
        return Err(format!(
            "`{login}` is on call on {date} already: there is nothing to cover"
        ));
    }
    Ok(Cover {
        date,
        login: login.to_owned(),
        from,
        takeover: handed_over.is_some(),
    })
}

/// A YAML flow scalar for any text: a JSON string is a valid YAML
/// double-quoted scalar.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// rotation.yaml with the swap's two overrides added.
pub fn write_swap(text: &str, swap: &Swap, reason: Option<&str>) -> Result<String, String> {
    write_overrides(
        text,
        &[(swap.a, &swap.member_b), (swap.b, &swap.member_a)],
        reason,
    )
}

/// rotation.yaml with these overrides (date, member) added, each with the
/// reason (a swap's two, or a day taken without one given back).
pub fn write_overrides(
    text: &str,
    overrides: &[(NaiveDate, &str)],
    reason: Option<&str>,
) -> Result<String, String> {
    let entry = |date: NaiveDate, github: &str| {
        let mut s = format!("{{ date: {date}, github: {}", edit::scalar(github));
        if let Some(r) = reason.filter(|r| !r.trim().is_empty()) {
            s.push_str(&format!(", reason: {}", quoted(r)));
        }
        s.push_str(" }");
        s
    };
    let items: Vec<String> = overrides.iter().map(|(d, g)| entry(*d, g)).collect();
    edit::append_to_list(text, "overrides", &items)
}

/// rotation.yaml without `login`: removed from `members` and from the
/// state's `order`, `served` and `held_back` (R7: nobody else's turn moves;
/// `held_for` is kept, so the cycle's hold-back does not change, and
/// `on_call` too: who was on call on the last handover's day is the record).
pub fn write_leave(text: &str, rot: &Rotation, login: &str) -> Result<String, String> {
    let index = rot
        .position(login)
        .ok_or_else(|| format!("`{login}` is not in `members`"))?;
    let doc = Document::from_str(text).map_err(|e| format!("cannot parse the file: {e}"))?;
    let top = doc.as_mapping().ok_or("the file is not a mapping")?;
    let members = top
        .get_sequence("members")
        .ok_or("`members` is not a list")?;
    if members.len() != rot.members.len() {
        return Err("`members` reads differently from the file: edit it by hand".into());
    }
    members
        .remove(index)
        .ok_or("internal: the member's entry was not found")?;
    let out = doc.to_string();
    match &rot.state {
        None => Ok(out),
        Some(st) => edit::write_state(&out, &state_without(st, login)),
    }
}

/// The state with `login` out of the cycle (R7).
fn state_without(st: &config::State, login: &str) -> config::State {
    let keep = |v: &[String]| v.iter().filter(|g| *g != login).cloned().collect();
    config::State {
        order: keep(&st.order),
        served: keep(&st.served),
        held_back: keep(&st.held_back),
        ..st.clone()
    }
}

/// The overrides that would keep `login` from leaving: those of days not
/// handed over yet. An override of a day handed over already is the record
/// and stays (validation accepts it for a former member).
pub fn pending_overrides<'a>(
    rot: &'a Rotation,
    login: &str,
) -> Vec<(NaiveDate, &'a config::Override)> {
    let since = rot.state.as_ref().map(|s| s.since);
    rot.overrides
        .iter()
        .filter(|(d, o)| o.github == login && since.is_none_or(|s| **d > s))
        .map(|(d, o)| (*d, o))
        .collect()
}

/// The days handed over already whose override names `login`: kept.
pub fn past_overrides(rot: &Rotation, login: &str) -> Vec<NaiveDate> {
    let since = rot.state.as_ref().map(|s| s.since);
    rot.overrides
        .iter()
        .filter(|(d, o)| o.github == login && since.is_some_and(|s| **d <= s))
        .map(|(d, _)| *d)
        .collect()
}

/// When `login` was removed from `members` by hand but the state block
/// still names them (which validation refuses): the file with them removed
/// from the state too, as `oncall leave` would have. `None` when the file
/// does not read that way (they are still a member, or the state does not
/// name them, or the file does not parse).
pub fn finish_leave(text: &str, login: &str) -> Option<Result<String, String>> {
    #[derive(serde::Deserialize)]
    struct Light {
        #[serde(default)]
        members: Vec<LightMember>,
        state: Option<config::schema::State>,
    }
    #[derive(serde::Deserialize)]
    struct LightMember {
        github: String,
    }
    let light: Light = serde_saphyr::from_str_with_options(text, config::node::options()).ok()?;
    if light.members.iter().any(|m| m.github == login) {
        return None;
    }
    let s = light.state?;
    let names = |v: Vec<serde_saphyr::Spanned<String>>| -> Vec<String> {
        v.into_iter().map(|o| o.value).collect()
    };
    let st = config::State {
        since: s.since.value.0,
        on_call: s.on_call.map(|o| o.value),
        cycle: s.cycle.value,
        order: names(s.order),
        served: names(s.served),
        held_back: names(s.held_back),
        held_for: s.held_for.map(|h| h.value),
    };
    let named = [&st.order, &st.served, &st.held_back]
        .iter()
        .any(|v| v.iter().any(|g| g == login));
    named.then(|| edit::write_state(text, &state_without(&st, login)))
}

/// What `oncall leave` says about today, when the member leaving is on
/// call today (`before`: the rotation before the edit, `after`: after it).
pub fn leave_today(
    before: &Rotation,
    after: &Rotation,
    login: &str,
    today: NaiveDate,
) -> Option<String> {
    // A rotation too far behind to walk to today (`lint::catch_up`): the
    // daily run refuses it and says why; nothing to say about today here.
    if crate::lint::catch_up(before, today).is_some() {
        return None;
    }
    let next = || match day::upcoming(after, today, 1).into_iter().next() {
        Some(r) => match r.github {
            Some(g) => format!("{} (`{g}`)", r.date),
            None => format!("{} (uncovered)", r.date),
        },
        None => "the next working day".to_owned(),
    };
    match &before.state {
        Some(st) if st.since == today => (st.on_call.as_deref() == Some(login)).then(|| {
            format!(
                "`{login}` is on call today ({today}), handed over already: today's handover stands, and they stay on call (who, the page, the user group) until the next handover, on {}.",
                next()
            )
        }),
        _ => {
            let due = day::ahead(before, today)?;
            (due.on_call.as_deref() == Some(login)).then(|| {
                let instead = match day::ahead(after, today).and_then(|d| d.on_call) {
                    Some(g) => format!("`{g}`"),
                    None => "nobody (the day is uncovered)".to_owned(),
                };
                format!(
                    "`{login}` was due today ({today}), not handed over yet: today's handover will put {instead} on call instead."
                )
            })
        }
    }
}

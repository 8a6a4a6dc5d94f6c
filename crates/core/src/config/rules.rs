//! The checks of rotation.yaml that need more than one field: R6's
//! overrides, the state block, lists left behind, duties cut by a comment,
//! zones without a location. `validate::load_from` runs them on the typed
//! file and the rotation it resolves.

use super::Rotation;
use super::node::Pos;
use super::schema::RotationFile;
use super::structure;
use crate::diag::Problem;
use chrono::NaiveDate;
use serde_saphyr::Spanned;
use std::collections::{HashMap, HashSet};

fn pos<T>(s: &Spanned<T>) -> Pos {
    Pos::of(s)
}
use super::resolve::Included;

/// R6: an override names a member, on a working day, when they are not away.
pub(super) fn overrides_follow_r6(f: &RotationFile, rot: &Rotation, out: &mut Vec<Problem>) {
    let mut seen: HashMap<NaiveDate, Pos> = HashMap::new();
    let since = rot.state.as_ref().map(|s| s.since);
    for o in &f.overrides {
        let date = o.date.value.0;
        let login = &o.github.value;
        if let Some(first) = seen.insert(date, pos(&o.date)) {
            out.push(Problem::error(
                pos(&o.date),
                format!(
                    "two overrides for {date} (the first on line {})",
                    first.line
                ),
                "one person is on call per day: keep one override for this date",
            ));
        }
        if date < rot.start {
            out.push(Problem::error(
                pos(&o.date),
                format!(
                    "override on {date}, before the rotation starts ({})",
                    rot.start
                ),
                "nobody is on call before `start`: move the override or remove it",
            ));
        } else if !rot.is_working_day(date) {
            let why = match rot.holidays.get(&date) {
                Some(_) => "a holiday",
                None => "not a working day",
            };
            out.push(Problem::error(
                pos(&o.date),
                format!(
                    "override on {date} ({}), which is {why}",
                    date.format("%A")
                ),
                "nobody is on call on non-working days: move the override to a working day or remove it",
            ));
        }
        // A day handed over already is the record: its override may name
        // someone who has left since, or who is now marked away that day
        // (the rotation never decides that day again).
        if since.is_some_and(|s| date <= s) {
            continue;
        }
        match rot.member(login) {
            None => {
                let hint = match structure::suggest(
                    login,
                    rot.members.iter().map(|m| m.github.as_str()),
                ) {
                    Some(n) => {
                        format!("did you mean `{n}`? an override must name a login from `members`")
                    }
                    None => {
                        "an override must name a login from `members`; add the member first".into()
                    }
                };
                out.push(Problem::error(
                    pos(&o.github),
                    format!("override on {date} names `{login}`, who is not in `members`"),
                    hint,
                ));
            }
            Some(m) if m.is_away(date) => out.push(Problem::error(
                pos(&o.github),
                format!("override puts `{login}` on call on {date}, but they are away that day"),
                "change the override or the member's `away` range",
            )),
            Some(_) => {}
        }
    }
}

/// A warning for a holiday list that lies entirely before the last
/// handover: most likely last year's, copied, and this year's days off
/// would be working days (who is on call next Christmas would then be
/// anyone's guess). The way out is adding the holidays ahead: past
/// holidays, time off and overrides are the record of what happened (the
/// log and `oncall stats` read them), never a mistake on their own, and
/// nothing here advises removing them.
pub(super) fn nothing_left_ahead(f: &RotationFile, included: &[Included], out: &mut Vec<Problem>) {
    let Some(st) = &f.state else { return };
    let since = st.since.value.0;
    // Every dated holiday, the rotation's own and its calendars', with
    // where it is written.
    let own = f
        .holidays
        .iter()
        .filter_map(|h| Some((h.value.date()?, pos(h), None)));
    let shared = included
        .iter()
        .map(|i| (i.entry.date, i.entry.pos, Some(i.file.clone())));
    let all: Vec<(NaiveDate, Pos, Option<String>)> = own.chain(shared).collect();
    if let Some((last, at, file)) = all.iter().max_by_key(|h| h.0).cloned()
        && last < since
    {
        let warning = Problem::warning(
            at,
            format!(
                "every holiday is before the last handover ({since}); none lies ahead: is this last year's list?"
            ),
            "add the holidays ahead (keep the past ones: they are the record)",
        );
        out.push(match file {
            Some(file) => warning.in_file(file),
            None => warning,
        });
    }
}

/// A duty written without quotes ends at ` #`: YAML reads the rest of the
/// line as a comment (`- Triage new issues in #ops` is "Triage new issues
/// in").
pub(super) fn duties_are_not_cut_by_comments(f: &RotationFile, text: &str, out: &mut Vec<Problem>) {
    let lines: Vec<&str> = text.lines().collect();
    for d in f.duties.iter().flatten() {
        let p = pos(d);
        let Some(line) = lines.get((p.line as usize).wrapping_sub(1)) else {
            continue;
        };
        let start = line
            .char_indices()
            .nth((p.col as usize).saturating_sub(1))
            .map_or(line.len(), |(i, _)| i);
        let rest = &line[start..];
        if rest.starts_with(['"', '\'', '|', '>']) {
            continue;
        }
        if let Some(at) = rest.find(" #") {
            // The comment as the file has it, from its `#`.
            let comment = rest[at + 1..].trim_end();
            if comment.len() > 1 {
                out.push(Problem::warning(
                    p,
                    format!(
                        "this duty ends before `{comment}`: YAML reads ` #` and the rest of the line as a comment, so the duty is {:?}",
                        d.value.trim()
                    ),
                    "put the whole duty in quotes, e.g. - \"Triage new issues in #ops\"; ignore this if the rest is meant as a comment",
                ));
            }
        }
    }
}

/// A time zone without a location (`EST`, `MST7MDT`) keeps a fixed offset
/// or an old US rule: name a city's zone, which follows its daylight
/// saving time.
pub(super) fn time_zone_has_a_location(f: &RotationFile, out: &mut Vec<Problem>) {
    let tz = f.timezone.value.trim();
    if tz.contains('/') || tz.parse::<chrono_tz::Tz>().is_err() {
        return;
    }
    if matches!(
        tz,
        "UTC" | "UCT" | "GMT" | "Zulu" | "Universal" | "Greenwich"
    ) {
        return;
    }
    let suggestion = match tz {
        "EST" | "EST5EDT" => "America/New_York",
        "CST6CDT" => "America/Chicago",
        "MST" | "MST7MDT" => {
            "America/Denver (or America/Phoenix, which has no daylight saving time)"
        }
        "PST8PDT" => "America/Los_Angeles",
        "HST" => "Pacific/Honolulu",
        "CET" | "MET" => "Europe/Berlin, Europe/Paris or another city's zone",
        "EET" => "Europe/Athens or another city's zone",
        "WET" => "Europe/Lisbon",
        _ => "the zone of the team's city, e.g. Europe/Berlin or America/New_York",
    };
    out.push(Problem::warning(
        pos(&f.timezone),
        format!(
            "time zone {tz:?} names no location: it may not follow the team's daylight saving time"
        ),
        format!("use {suggestion}"),
    ));
}

/// The state block names members consistently (it may be corrected by hand).
pub(super) fn state_is_consistent(f: &RotationFile, rot: &Rotation, out: &mut Vec<Problem>) {
    let Some(st) = &f.state else { return };
    let hint_fix =
        "correct the `state` block by hand or remove it (the rotation then restarts from `start`)";
    if st.since.value.0 < rot.start {
        out.push(Problem::error(
            pos(&st.since),
            format!(
                "`state.since` ({}) is before `start` ({})",
                st.since.value.0, rot.start
            ),
            hint_fix,
        ));
    }
    if !(1..=super::schema::MAX_CYCLE).contains(&st.cycle.value) {
        out.push(cycle_out_of_range(pos(&st.cycle)));
    }
    let mut seen = HashSet::new();
    for o in &st.order {
        if !seen.insert(o.value.as_str()) {
            out.push(Problem::error(
                pos(o),
                format!("`{}` appears twice in `state.order`", o.value),
                hint_fix,
            ));
        }
        if rot.member(&o.value).is_none() {
            let hint = match structure::suggest(
                &o.value,
                rot.members.iter().map(|m| m.github.as_str()),
            ) {
                Some(n) => format!(
                    "did you mean `{n}`? if `{}` left the team, remove them from `state.order` and `state.served` too",
                    o.value
                ),
                None => format!(
                    "if `{}` left the team, remove them from `state.order` and `state.served` too (R7: nobody else's turn moves)",
                    o.value
                ),
            };
            out.push(Problem::error(
                pos(o),
                format!("`{}` is in `state.order` but not in `members`", o.value),
                hint,
            ));
        }
    }
    let mut served_seen = HashSet::new();
    for s in &st.served {
        if !seen.contains(s.value.as_str()) {
            out.push(Problem::error(
                pos(s),
                format!(
                    "`{}` is in `state.served` but not in `state.order`",
                    s.value
                ),
                hint_fix,
            ));
        }
        if !served_seen.insert(s.value.as_str()) {
            out.push(Problem::error(
                pos(s),
                format!("`{}` appears twice in `state.served`", s.value),
                hint_fix,
            ));
        }
    }
    for h in &st.held_back {
        if rot.member(&h.value).is_none() {
            out.push(Problem::error(
                pos(h),
                format!("`{}` is in `state.held_back` but not in `members`", h.value),
                "remove them from `state.held_back` (it only keeps the first days of a cycle spaced)",
            ));
        }
    }
}

/// `state.cycle` is not a cycle number: what it must be.
pub(super) fn cycle_out_of_range(at: Pos) -> Problem {
    Problem::error(
        at,
        format!(
            "`state.cycle` must be a whole number from 1 to {}",
            super::schema::MAX_CYCLE
        ),
        "write the cycle's number, or remove the `state` block (the rotation then restarts from `start`)",
    )
}

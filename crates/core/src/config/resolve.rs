//! The typed rotation.yaml resolved into a [`Rotation`]: the included
//! calendars read (`calendars`), defaults applied.

use super::node::Pos;
use super::schema::{self, RotationFile};
use super::{DEFAULT_DUTIES, DEFAULT_WORKING_DAYS, Member, Override, Rotation, State, calendars};
use crate::diag::Problem;
use chrono::NaiveDate;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

fn pos<T>(s: &Spanned<T>) -> Pos {
    Pos::of(s)
}

/// A holiday from an included calendar, with the calendar it is in.
pub(super) struct Included {
    pub(super) entry: calendars::Entry,
    /// The calendar's label, for messages.
    pub(super) file: String,
}

/// Reads the calendars `f` includes (each once; problems in a calendar are
/// reported in that file, a path or read problem at the include). Returns
/// their holidays in the order included.
pub(super) fn read_includes(
    f: &RotationFile,
    path: &str,
    source: &mut dyn calendars::Calendars,
    out: &mut Vec<Problem>,
) -> (Vec<String>, Vec<Included>) {
    let mut paths: Vec<String> = Vec::new();
    let mut holidays = Vec::new();
    for h in &f.holidays {
        let schema::Holiday::Include(inc) = &h.value else {
            continue;
        };
        let resolved = match calendars::resolve(path, &inc.include) {
            Ok(p) => p,
            Err(message) => {
                out.push(Problem::error(pos(h), message, ""));
                continue;
            }
        };
        if paths.contains(&resolved) {
            out.push(Problem::error(
                pos(h),
                format!("the calendar {resolved} is included twice"),
                "include each calendar once",
            ));
            continue;
        }
        paths.push(resolved.clone());
        let text = match source.read(&resolved) {
            Ok(t) => t,
            Err(why) => {
                out.push(Problem::error(
                    pos(h),
                    format!("the calendar {resolved} cannot be read: {why}"),
                    "check the path: it is relative to this file",
                ));
                continue;
            }
        };
        let label = source.label(&resolved);
        match calendars::parse(&text) {
            Ok(entries) => holidays.extend(entries.into_iter().map(|entry| Included {
                entry,
                file: label.clone(),
            })),
            Err(problems) => out.extend(problems.into_iter().map(|p| p.in_file(label.clone()))),
        }
    }
    (paths, holidays)
}

/// The typed file as a [`Rotation`] (defaults applied). Called only when
/// the structural check passed, before the cross-field checks.
pub(super) fn resolve(
    f: &RotationFile,
    (calendars, included): &(Vec<String>, Vec<Included>),
) -> Rotation {
    let working_days = match &f.working_days {
        Some(days) => days.value.iter().map(|d| (*d).into()).collect(),
        None => DEFAULT_WORKING_DAYS.to_vec(),
    };
    // The rotation's own holidays, then its calendars' (the first entry
    // for a date gives its name).
    let mut holidays: BTreeMap<NaiveDate, Option<String>> = BTreeMap::new();
    let own = f
        .holidays
        .iter()
        .filter_map(|h| Some((h.value.date()?, h.value.name().map(str::to_owned))));
    let shared = included
        .iter()
        .map(|i| (i.entry.date, i.entry.name.clone()));
    for (date, name) in own.chain(shared) {
        holidays.entry(date).or_insert(name);
    }
    let members: Vec<Member> = f
        .members
        .value
        .iter()
        .map(|m| Member {
            github: m.github.value.clone(),
            name: m.name.clone().filter(|n| !n.trim().is_empty()),
            slack: m.slack.as_ref().map(|s| s.value.clone()),
            away: m
                .away
                .iter()
                .map(|a| (a.value.from.0, a.value.to.0))
                .collect(),
        })
        .collect();
    let overrides = f
        .overrides
        .iter()
        .map(|o| {
            (
                o.date.value.0,
                Override {
                    github: o.github.value.clone(),
                    reason: o.reason.clone().filter(|r| !r.trim().is_empty()),
                    pos: pos(&o.date),
                },
            )
        })
        .collect();
    let duties = match &f.duties {
        Some(d) => d.iter().map(|s| s.value.trim().to_owned()).collect(),
        None => DEFAULT_DUTIES.iter().map(|s| (*s).to_owned()).collect(),
    };
    let state = f.state.as_ref().map(|s| State {
        since: s.since.value.0,
        on_call: s.on_call.as_ref().map(|o| o.value.clone()),
        cycle: s.cycle.value,
        order: s.order.iter().map(|o| o.value.clone()).collect(),
        served: s.served.iter().map(|o| o.value.clone()).collect(),
        held_back: s.held_back.iter().map(|o| o.value.clone()).collect(),
        held_for: s.held_for.as_ref().map(|h| h.value),
    });
    let index = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.github.clone(), i))
        .collect();
    Rotation {
        index,
        team: f.team.value.trim().to_owned(),
        timezone: f.timezone.value.parse().unwrap_or(chrono_tz::UTC),
        start: f.start.value.0,
        working_days,
        holidays,
        members,
        overrides,
        duties,
        state,
        state_since_pos: f.state.as_ref().map(|s| pos(&s.since)),
        start_pos: pos(&f.start),
        member_pos: f.members.value.iter().map(|m| pos(&m.github)).collect(),
        away_pos: f
            .members
            .value
            .iter()
            .map(|m| m.away.iter().map(pos).collect())
            .collect(),
        state_on_call_pos: f.state.as_ref().and_then(|s| s.on_call.as_ref()).map(pos),
        routing_labels: match f.routing.as_ref().and_then(|r| r.labels.as_ref()) {
            Some(labels) => labels.iter().map(|l| l.value.trim().to_owned()).collect(),
            None => vec![crate::config::DEFAULT_ROUTING_LABEL.to_owned()],
        },
        routing_command: f
            .routing
            .as_ref()
            .and_then(|r| r.command.as_ref())
            .map_or_else(
                || crate::config::DEFAULT_ROUTING_COMMAND.to_owned(),
                |c| c.value.clone(),
            ),
        routing_named: crate::config::RoutingNamed {
            labels: f
                .routing
                .iter()
                .flat_map(|r| r.labels.iter().flatten())
                .map(|l| (l.value.trim().to_owned(), pos(l)))
                .collect(),
            command: f
                .routing
                .as_ref()
                .and_then(|r| r.command.as_ref())
                .map(|c| (c.value.clone(), pos(c))),
        },
        usergroup: f
            .slack
            .as_ref()
            .and_then(|s| s.usergroup.as_ref())
            .map(|u| u.value.clone()),
        webhook_env: f
            .slack
            .as_ref()
            .and_then(|s| s.webhook_env.as_ref())
            .map_or_else(
                || crate::config::DEFAULT_WEBHOOK_ENV.to_owned(),
                |w| w.value.clone(),
            ),
        log_archive: f
            .log
            .as_ref()
            .and_then(|l| l.archive.as_ref())
            .map(|a| a.value)
            .unwrap_or_default(),
        calendars: calendars.clone(),
    }
}

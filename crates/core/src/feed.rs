//! The calendar feed (`oncall schedule --format ics`): one all-day event
//! per on-call day, RFC 5545, written with the `icalendar` crate (which
//! folds lines at 75 octets and escapes TEXT values). Pure: the schedule's
//! rows and the stamp in, the feed out. Every TEXT value is escaped: the
//! crate escapes SUMMARY, DESCRIPTION and X-WR-CALNAME, and NAME is
//! escaped here (`escape::ical_text`); no value can hold a bare CR or
//! another control character (`escape::ical_plain`; rotation.yaml cannot
//! carry one either).
//!
//! A UID is derived from the team, the date and the role (`oncall` or
//! `uncovered`), never from who serves: when a swap or time off changes who
//! is on call, a calendar that re-reads the feed updates the day's event
//! instead of adding a second one.

use crate::config::Rotation;
use crate::day::Row;
use crate::escape::{ical_plain, ical_text};
use crate::rotation::Why;
use chrono::{DateTime, Days, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};

/// A short, stable tag of the team's name.
fn team_tag(team: &str) -> String {
    crate::escape::fingerprint(team)
}

/// The event's UID: team, date and role.
pub fn uid(team: &str, row: &Row) -> String {
    let role = if row.github.is_some() {
        "oncall"
    } else {
        "uncovered"
    };
    format!(
        "{}-{role}-{}@oncall",
        row.date.format("%Y%m%d"),
        team_tag(team)
    )
}

fn description(rot: &Rotation, row: &Row) -> String {
    let mut s = String::new();
    match &row.github {
        Some(g) => s.push_str(&format!(
            "On call for {}: {} (@{g}).\n",
            rot.team,
            rot.display(g)
        )),
        None => s.push_str(&format!(
            "Nobody from {} is on call: everyone is away. Whoever is off call watches the support channels.\n",
            rot.team
        )),
    }
    match row.why {
        Why::Override => {
            if let Some(r) = &row.replaces {
                s.push_str(&format!("Override, in place of {} (@{r})", rot.display(r)));
            } else {
                s.push_str("Override");
            }
            match &row.reason {
                Some(reason) => s.push_str(&format!(": {reason}.\n")),
                None => s.push_str(".\n"),
            }
        }
        Why::Substitute => {
            let away: Vec<String> = row
                .substitute_for
                .iter()
                .map(|m| format!("{} (@{m})", rot.display(m)))
                .collect();
            // A log section that does not name them: nobody is named.
            if away.is_empty() {
                s.push_str("Substitute for a member who is away.\n");
            } else {
                s.push_str(&format!(
                    "Substitute for {}, who is away.\n",
                    away.join(", ")
                ));
            }
        }
        Why::Rotation | Why::Uncovered => {}
    }
    if row.github.is_some() && !rot.duties.is_empty() {
        s.push_str("\nDuties:\n");
        for d in &rot.duties {
            s.push_str(&format!("- {d}\n"));
        }
    }
    s
}

fn summary(rot: &Rotation, row: &Row, member_feed: bool) -> String {
    match (&row.github, member_feed) {
        (Some(_), true) => format!("On call ({})", rot.team),
        (Some(g), false) => format!("On call: {} ({})", rot.display(g), rot.team),
        (None, _) => format!("Uncovered: nobody on call ({})", rot.team),
    }
}

/// The feed of `rows`: the whole team's, or one member's days. `stamp` is
/// the DTSTAMP of every event (when the feed was made).
pub fn ics(rot: &Rotation, rows: &[Row], member: Option<&str>, stamp: DateTime<Utc>) -> String {
    let mut cal = Calendar::new();
    let name = match member {
        Some(m) => format!("On call: {} ({})", rot.display(m), rot.team),
        None => format!("On call: {}", rot.team),
    };
    // `Calendar::name` writes NAME unescaped (X-WR-CALNAME escaped): a
    // `,` `;` `\` or line break in a team's name would break the feed.
    cal.append_property(Property::new("NAME", ical_text(&name)));
    cal.append_property(Property::new("X-WR-CALNAME", ical_plain(&name)));
    for row in rows {
        if let Some(m) = member
            && row.github.as_deref() != Some(m)
        {
            continue;
        }
        cal.push(event(rot, row, member.is_some(), stamp));
    }
    cal.done().to_string()
}

/// One day's all-day event, with its rotation's UID.
fn event(rot: &Rotation, row: &Row, member_feed: bool, stamp: DateTime<Utc>) -> Event {
    let next = row.date.checked_add_days(Days::new(1)).unwrap_or(row.date);
    Event::new()
        .uid(&uid(&rot.team, row))
        .summary(&ical_plain(&summary(rot, row, member_feed)))
        .description(&ical_plain(&description(rot, row)))
        .starts(row.date)
        .ends(next)
        .timestamp(stamp)
        .done()
}

/// One person's days in every rotation they are on (`parts`: each
/// rotation and its rows), by date: each event is the one its rotation's
/// own feed has (the same UID), so a calendar subscribed to both shows a
/// day once.
pub fn ics_across(parts: &[(&Rotation, &[Row])], login: &str, stamp: DateTime<Utc>) -> String {
    let mut cal = Calendar::new();
    let display = parts
        .iter()
        .find_map(|(rot, _)| rot.member(login).map(|m| m.display().to_owned()))
        .unwrap_or_else(|| login.to_owned());
    let name = format!("On call: {display} (every team)");
    cal.append_property(Property::new("NAME", ical_text(&name)));
    cal.append_property(Property::new("X-WR-CALNAME", ical_plain(&name)));
    let mut days: Vec<(&Rotation, &Row)> = parts
        .iter()
        .flat_map(|(rot, rows)| rows.iter().map(move |r| (*rot, r)))
        .filter(|(_, r)| {
            r.github
                .as_deref()
                .is_some_and(|g| g.eq_ignore_ascii_case(login))
        })
        .collect();
    days.sort_by(|a, b| (a.1.date, &a.0.team).cmp(&(b.1.date, &b.0.team)));
    for (rot, row) in days {
        cal.push(event(rot, row, true, stamp));
    }
    cal.done().to_string()
}

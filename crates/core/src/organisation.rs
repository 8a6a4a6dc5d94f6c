//! The organisation's page (`oncall site --out DIR` in a repository with
//! several rotations): an index with every team's engineer today and on
//! the next working day, links to each team's page and feed, the shared
//! holidays ahead, and one feed per person on more than one rotation;
//! each team's own page and feeds under `NAME/` ([`crate::site::build`]).
//! Pure: every text comes from the rotation files, the logs and the
//! shared calendars, escaped for HTML.

use crate::config::Rotation;
use crate::config::calendars::Entry;
use crate::day::{self, OnDay, Row};
use crate::escape::html;
use crate::feed;
use crate::log::Log;
use crate::site::{STYLE, Site};
use chrono::{DateTime, Days, NaiveDate, Utc};
use std::collections::BTreeMap;

/// One rotation of the organisation, as read.
pub struct Team<'a> {
    /// Its name in the repository (`rotations/NAME/`; `default` for the
    /// top-level one): the directory of its page.
    pub name: &'a str,
    pub rotation: &'a Rotation,
    pub log: &'a Log,
    pub log_text: &'a str,
}

/// A shared calendar a rotation includes: its path and its holidays.
pub struct Shared<'a> {
    pub path: &'a str,
    pub entries: &'a [Entry],
}

/// A person's feed file, for someone on more than one rotation.
pub fn person_feed(login: &str) -> String {
    format!("people/oncall-{login}.ics")
}

/// Who is on call on `date` in a rotation, as the index says it.
fn who(rot: &Rotation, log: &Log, date: NaiveDate) -> String {
    match day::on(rot, log, date) {
        OnDay::Working(Row {
            github: Some(g), ..
        }) => crate::site::person(rot, &g),
        OnDay::Working(_) => "nobody (uncovered)".to_owned(),
        OnDay::Off {
            holiday: Some(Some(n)),
        } => format!("nobody: {}", html(&n)),
        OnDay::Off {
            holiday: Some(None),
        } => "nobody: a holiday".to_owned(),
        OnDay::Off { holiday: None } => "nobody: not a working day".to_owned(),
        OnDay::BeforeStart { start } => format!("nobody: starts on {start}"),
        OnDay::NoRecord => "handed over, not in the log".to_owned(),
    }
}

/// The people on more than one rotation: login → (display name, the
/// names of their rotations).
fn shared_people(teams: &[Team]) -> BTreeMap<String, (String, Vec<String>)> {
    let mut all: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for t in teams {
        for m in &t.rotation.members {
            let e = all
                .entry(m.github.to_ascii_lowercase())
                .or_insert_with(|| (m.display().to_owned(), Vec::new()));
            e.1.push(t.rotation.team.clone());
        }
    }
    all.retain(|_, (_, on)| on.len() > 1);
    all
}

/// The index page and every team's site (under its name), and the feeds
/// of the people on more than one rotation. `shared`: the calendars the
/// rotations include; their holidays of the next year are listed.
pub fn build(teams: &[Team], shared: &[Shared], now: DateTime<Utc>) -> Site {
    let mut files = Vec::new();
    let mut rows_of = Vec::new();
    let mut table = String::new();
    for t in teams {
        let rot = t.rotation;
        let today = crate::calendar::today(rot.timezone, now);
        let next = rot
            .next_working_day(today)
            .map(|n| {
                format!(
                    "{} <span class=\"login\">{}</span>",
                    who(rot, t.log, n),
                    n.format("%a %-d %b")
                )
            })
            .unwrap_or_default();
        table.push_str(&format!(
            "<tr><td><a href=\"{dir}/index.html\">{team}</a></td><td>{today}</td><td class=\"hide-narrow\">{next}</td><td><a href=\"{dir}/oncall.ics\">feed<span class=\"sr\"> of {team}</span></a></td></tr>\n",
            dir = html(t.name),
            team = html(&rot.team),
            today = who(rot, t.log, today),
        ));
        for (name, text) in crate::site::build(rot, t.log, t.log_text, now).files {
            files.push((format!("{}/{name}", t.name), text));
        }
        let from = (today - Days::new(30)).max(rot.start);
        rows_of.push(day::rows(rot, t.log, from, 396));
    }
    let people = shared_people(teams);
    let mut page = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>On call: every team</title>\n<style>{STYLE}.sr {{ position: absolute; left: -10000px; }}</style>\n</head>\n<body>\n<header>\n<h1>On call: every team</h1>\n<p class=\"now\" id=\"today\">Who is on call today in each of {} team(s), each in its own time zone.</p>\n</header>\n<main>\n<section id=\"teams\">\n<h2>Teams</h2>\n<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Teams: who is on call\"><table>\n<thead><tr><th>team</th><th>today</th><th class=\"hide-narrow\">next working day</th><th>calendar</th></tr></thead>\n<tbody>\n{table}</tbody>\n</table></div>\n<p>Each team's name leads to its page: the month, the cycle, fairness and a feed per member.</p>\n</section>\n",
        teams.len(),
    );
    page.push_str(&holidays(teams, shared, now));
    if !people.is_empty() {
        page.push_str("<section id=\"people\">\n<h2>People on several teams</h2>\n<p>One feed with a person's days in every team they are on. Each day is the event of its team's feed (the same UID), so a change to either team's rotation updates it in place.</p>\n<ul>\n");
        for (login, (name, on)) in &people {
            page.push_str(&format!(
                "<li><a href=\"{}\">{}</a> <span class=\"login\">@{}</span>: {}</li>\n",
                html(&person_feed(login)),
                html(name),
                html(login),
                html(&on.join(", "))
            ));
        }
        page.push_str("</ul>\n</section>\n");
        for login in people.keys() {
            let parts: Vec<(&Rotation, &[Row])> = teams
                .iter()
                .zip(&rows_of)
                .map(|(t, rows)| (t.rotation, rows.as_slice()))
                .collect();
            files.push((person_feed(login), feed::ics_across(&parts, login, now)));
        }
    }
    page.push_str(&format!(
        "</main>\n<footer><p>Made by oncall {} from the rotation files, the on-call logs and the shared calendars at {} UTC.</p></footer>\n</body>\n</html>\n",
        crate::VERSION,
        now.format("%Y-%m-%d %H:%M")
    ));
    files.insert(0, ("index.html".to_owned(), page));
    Site { files }
}

/// The shared calendars' holidays of the next year, with the teams that
/// include each calendar.
fn holidays(teams: &[Team], shared: &[Shared], now: DateTime<Utc>) -> String {
    // From the earliest team's today: a holiday that is still today
    // somewhere is listed.
    let today = teams
        .iter()
        .map(|t| crate::calendar::today(t.rotation.timezone, now))
        .min()
        .unwrap_or_else(|| now.date_naive());
    let until = today + Days::new(366);
    let mut s = String::from("<section id=\"holidays\">\n<h2>Shared holidays</h2>\n");
    if shared.is_empty() {
        s.push_str("<p>No rotation includes a shared calendar.</p>\n</section>\n");
        return s;
    }
    for cal in shared {
        let by: Vec<&str> = teams
            .iter()
            .filter(|t| t.rotation.calendars.iter().any(|c| c == cal.path))
            .map(|t| t.rotation.team.as_str())
            .collect();
        s.push_str(&format!(
            "<h3>{}</h3>\n<p>Included by {}.</p>\n<ul>\n",
            html(cal.path),
            html(&by.join(", "))
        ));
        let mut ahead: Vec<&Entry> = cal
            .entries
            .iter()
            .filter(|e| e.date >= today && e.date <= until)
            .collect();
        ahead.sort_by_key(|e| e.date);
        if ahead.is_empty() {
            s.push_str("<li>None in the next year.</li>\n");
        }
        for e in ahead {
            s.push_str(&format!(
                "<li>{} {}{}</li>\n",
                e.date.format("%a"),
                e.date,
                e.name
                    .as_deref()
                    .map(|n| format!(": {}", html(n)))
                    .unwrap_or_default()
            ));
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</section>\n");
    s
}

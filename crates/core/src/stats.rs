//! Fairness (`oncall stats`): per member, the days served (the log) and
//! scheduled (the rules), the days got by override or as a substitute,
//! the turns lost to time off, and each one's share of the working days
//! they were on the roster. Pure: the rotation, the log and a window in;
//! the figures out. Every day comes from `day::rows`, the one answer to
//! "who is on call on day D".

use crate::config::Rotation;
use crate::day::{self, Row};
use crate::escape::markdown;
use crate::log::Log;
use crate::rotation::Why;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// One member's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberStats {
    pub github: String,
    pub name: String,
    /// Days on call, handed over (from the log).
    pub served: u32,
    /// Days on call ahead, up to the window's end (from the rules).
    pub scheduled: u32,
    /// `served + scheduled`.
    pub total: u32,
    /// Of those, days got by an override (R6).
    pub overrides: u32,
    /// Of those, days served as a substitute for someone away (R5).
    pub substitute: u32,
    /// Turns lost because they were away until a cycle ended (R5).
    pub turns_lost: u32,
    /// Working days in the window on which they were away.
    pub away_days: u32,
    /// The first day they were on the roster (the window's start, or the
    /// first log section that lists them, or the first day ahead).
    pub on_roster_since: NaiveDate,
    /// Working days in the window from then on.
    pub roster_days: u32,
    /// `total / roster_days`: the share of their days on the roster that
    /// they were on call (0 when they had none).
    pub share: f64,
}

/// The figures of a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub team: String,
    pub since: NaiveDate,
    pub until: NaiveDate,
    /// The last day handed over (days after it are scheduled).
    pub last_handover: Option<NaiveDate>,
    pub working_days: u32,
    pub uncovered: u32,
    pub members: Vec<MemberStats>,
    /// The highest and lowest share among members with roster days, and
    /// their difference: 0 is perfectly even.
    pub max_share: f64,
    pub min_share: f64,
    pub spread: f64,
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The first log section that names each login as code (`` `@login` ``):
/// the day a member is known to be on the roster (the cycle checklist of
/// each section lists the whole cycle).
fn first_seen(log_text: &str) -> HashMap<String, NaiveDate> {
    let mut seen = HashMap::new();
    let mut current: Option<NaiveDate> = None;
    for (_, line) in crate::log_format::read_lines(log_text) {
        if let Some((word, _)) = crate::log_format::read_heading(line) {
            if let Some(d) = crate::config::parse_date(word) {
                current = Some(d);
            }
            continue;
        }
        let Some(date) = current else { continue };
        for login in crate::log::code_logins(line) {
            seen.entry(login).or_insert(date);
        }
    }
    seen
}

/// The figures for `since..=until`.
pub fn compute(
    rot: &Rotation,
    log: &Log,
    log_text: &str,
    since: NaiveDate,
    until: NaiveDate,
) -> Stats {
    let days = (until - since).num_days().max(-1) + 1;
    let rows: Vec<Row> = day::rows(rot, log, since, days.max(0) as u32);
    let working: Vec<NaiveDate> = rot.working_days_in(since.max(rot.start), until).collect();
    let last_handover = rot.state.as_ref().map(|s| s.since);
    let seen = first_seen(log_text);
    let first_ahead = match last_handover {
        Some(d) => rot.next_working_day(d).unwrap_or(d),
        None => rot.first_day().unwrap_or(rot.start),
    };
    let mut members: Vec<MemberStats> = rot
        .members
        .iter()
        .map(|m| {
            // In the log: from its first section naming them. Not in the
            // log: on the roster since the rotation began when nothing was
            // handed over yet, else from the first day ahead.
            let joined = match (seen.get(&m.github), log.records.is_empty()) {
                (Some(d), _) => *d,
                (None, true) => rot.start,
                (None, false) => first_ahead,
            };
            let on_roster_since = joined.max(since);
            let roster_days = working.iter().filter(|d| **d >= on_roster_since).count() as u32;
            let away_days = working.iter().filter(|d| m.is_away(**d)).count() as u32;
            MemberStats {
                github: m.github.clone(),
                name: m.display().to_owned(),
                served: 0,
                scheduled: 0,
                total: 0,
                overrides: 0,
                substitute: 0,
                turns_lost: 0,
                away_days,
                on_roster_since,
                roster_days,
                share: 0.0,
            }
        })
        .collect();
    let index: HashMap<&str, usize> = rot
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.github.as_str(), i))
        .collect();
    let mut uncovered = 0;
    for row in &rows {
        for lost in &row.lost_turn {
            if let Some(&i) = index.get(lost.as_str()) {
                members[i].turns_lost += 1;
            }
        }
        let Some(g) = &row.github else {
            uncovered += 1;
            continue;
        };
        // Someone who left the roster since is not in the table.
        let Some(&i) = index.get(g.as_str()) else {
            continue;
        };
        let m = &mut members[i];
        if row.past {
            m.served += 1;
        } else {
            m.scheduled += 1;
        }
        match row.why {
            Why::Override => m.overrides += 1,
            Why::Substitute => m.substitute += 1,
            Why::Rotation | Why::Uncovered => {}
        }
    }
    for m in &mut members {
        m.total = m.served + m.scheduled;
        m.share = if m.roster_days == 0 {
            0.0
        } else {
            round3(f64::from(m.total) / f64::from(m.roster_days))
        };
    }
    let shares: Vec<f64> = members
        .iter()
        .filter(|m| m.roster_days > 0)
        .map(|m| m.share)
        .collect();
    let max_share = shares.iter().copied().fold(0.0, f64::max);
    let min_share = shares.iter().copied().reduce(f64::min).unwrap_or(0.0);
    Stats {
        team: rot.team.clone(),
        since,
        until,
        last_handover,
        working_days: working.len() as u32,
        uncovered,
        members,
        max_share,
        min_share,
        spread: round3(max_share - min_share),
    }
}

/// The figures as a table for the terminal.
pub fn text(s: &Stats) -> String {
    let mut out = format!(
        "{} · {} to {} · {} working days{}\n\n",
        crate::escape::terminal(&s.team),
        s.since,
        s.until,
        s.working_days,
        match s.last_handover {
            Some(d) => format!(" · handed over up to {d}"),
            None => String::new(),
        }
    );
    let width = s
        .members
        .iter()
        .map(|m| m.github.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    out.push_str(&format!(
        "{:<width$}  served  scheduled  total  override  substitute  lost  away  on roster  share\n",
        "member"
    ));
    for m in &s.members {
        out.push_str(&format!(
            "{:<width$}  {:>6}  {:>9}  {:>5}  {:>8}  {:>10}  {:>4}  {:>4}  {:>9}  {:>5.3}\n",
            m.github,
            m.served,
            m.scheduled,
            m.total,
            m.overrides,
            m.substitute,
            m.turns_lost,
            m.away_days,
            m.roster_days,
            m.share
        ));
    }
    out.push_str(&format!(
        "\nshare = days on call / working days on the roster; spread {:.3} (highest {:.3}, lowest {:.3}); uncovered days: {}\n",
        s.spread, s.max_share, s.min_share, s.uncovered
    ));
    out
}

/// The figures in Markdown: a table and a Mermaid bar chart of the days
/// per member (GitHub renders Mermaid). Logins only in the chart (letters,
/// digits, hyphens: nothing to escape); names escaped in the table.
pub fn markdown_table(s: &Stats) -> String {
    let mut out = format!(
        "On-call load of {}, {} to {} ({} working days; handed over up to {}). *Share* is the days on call over the working days on the roster: the spread between the highest and the lowest is **{:.3}**.\n\n",
        markdown(&s.team),
        s.since,
        s.until,
        s.working_days,
        s.last_handover
            .map_or_else(|| "none yet".to_owned(), |d| d.to_string()),
        s.spread
    );
    out.push_str("| member | served | scheduled | total | by override | as substitute | turns lost | days away | on roster | share |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for m in &s.members {
        let who = if m.name == m.github {
            format!("`@{}`", m.github)
        } else {
            format!("{} (`@{}`)", markdown(&m.name), m.github)
        };
        out.push_str(&format!(
            "| {who} | {} | {} | {} | {} | {} | {} | {} | {} | {:.3} |\n",
            m.served,
            m.scheduled,
            m.total,
            m.overrides,
            m.substitute,
            m.turns_lost,
            m.away_days,
            m.roster_days,
            m.share
        ));
    }
    if s.uncovered > 0 {
        out.push_str(&format!("\nUncovered days: {}.\n", s.uncovered));
    }
    let labels: Vec<String> = s
        .members
        .iter()
        .map(|m| format!("\"{}\"", m.github))
        .collect();
    let values: Vec<String> = s.members.iter().map(|m| m.total.to_string()).collect();
    out.push_str(&format!(
        "\n```mermaid\nxychart-beta\n    title \"Days on call, {} to {}\"\n    x-axis [{}]\n    y-axis \"days\"\n    bar [{}]\n```\n",
        s.since,
        s.until,
        labels.join(", "),
        values.join(", ")
    ));
    out
}

/// The most members the handover's fairness block lists (a pull request's
/// body has a size limit); a larger team gets a pointer to `oncall stats`.
pub const BLOCK_MEMBERS: usize = 60;

/// The fairness block of the handover pull request and the daily step
/// summary: a year back (from `start` at the earliest) to 90 days ahead of
/// `date`, collapsed. Empty when the log cannot be read.
pub fn collapsed(rot: &Rotation, log_text: &str, date: NaiveDate) -> String {
    let Ok(log) = crate::log::parse("log", log_text) else {
        return String::new();
    };
    let since = (date - chrono::Days::new(365)).max(rot.start);
    let until = date + chrono::Days::new(90);
    let body = if rot.members.len() > BLOCK_MEMBERS {
        format!(
            "{} members: run `oncall stats --since {since} --until {until}` for the table.\n",
            rot.members.len()
        )
    } else {
        markdown_table(&compute(rot, &log, log_text, since, until))
    };
    format!(
        "<details>\n<summary>Fairness: days on call per member</summary>\n\n{body}\n</details>\n"
    )
}

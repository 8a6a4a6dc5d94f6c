//! oncall-log.md: one section per working day, appended at the end.
//!
//! A section begins with a level-2 heading that starts with its ISO date
//! (`## 2026-11-27 · …`); the date is the key that makes handovers
//! idempotent (R10). Existing text is never rewritten.

use crate::config::Rotation;
use crate::config::node::Pos;
use crate::diag::{InvalidInput, Problem, Report};
use crate::escape::markdown;
use crate::plan::{Handover, Status};
use crate::rotation::Why;
use chrono::NaiveDate;

/// The day sections found in the log, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Log {
    /// The file's name, for messages.
    pub file: String,
    /// One record per day section, in date order.
    pub records: Vec<Record>,
}

/// Who was on call on a logged day, read back from its section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub date: NaiveDate,
    /// The 1-based line of the section's heading.
    pub line: u32,
    pub on_call: Option<String>,
    pub why: Why,
    /// For an override: the member it replaced, as the section says.
    pub replaces: Option<String>,
    /// For an override: its reason, as the section says.
    pub reason: Option<String>,
}

/// The login at the end of a heading: `… · Name (@login)` or `… · @login`.
fn heading_login(heading: &str) -> Option<String> {
    let last = heading.rsplit(" · ").next()?;
    let at = last.rfind('@')?;
    let login: String = last[at + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (!login.is_empty()).then_some(login)
}

impl Log {
    /// The record of a logged day.
    pub fn record(&self, date: NaiveDate) -> Option<&Record> {
        let i = self.records.binary_search_by_key(&date, |r| r.date).ok()?;
        Some(&self.records[i])
    }

    pub fn has(&self, date: NaiveDate) -> bool {
        self.records.binary_search_by_key(&date, |r| r.date).is_ok()
    }
    pub fn last_date(&self) -> Option<NaiveDate> {
        self.records.last().map(|r| r.date)
    }
}

/// Reads the day headings of the log. Headings must be valid dates in
/// increasing order, each at most once; lines inside fenced code blocks are
/// not headings.
pub fn parse(file: &str, text: &str) -> Result<Log, InvalidInput> {
    let mut log = Log {
        file: file.to_owned(),
        ..Log::default()
    };
    let mut problems = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let trimmed = line.trim_start();
        for marker in ["```", "~~~"] {
            if trimmed.starts_with(marker) {
                fence = match fence {
                    None => Some(marker),
                    Some(m) if m == marker => None,
                    other => other,
                };
            }
        }
        if fence.is_some() {
            continue;
        }
        if let Some(record) = log.records.last_mut() {
            if line.starts_with("> **Override") {
                record.why = Why::Override;
                record.replaces = line
                    .split_once(" replaces ")
                    .and_then(|(_, rest)| rest.split_once("`@"))
                    .map(|(_, rest)| {
                        rest.chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                            .collect::<String>()
                    })
                    .filter(|g| !g.is_empty());
                record.reason = line
                    .split_once(". Reason: ")
                    .map(|(_, r)| crate::escape::unmarkdown(r.strip_suffix('.').unwrap_or(r)));
            } else if line.starts_with("> **Substitute") {
                record.why = Why::Substitute;
            } else if line.starts_with("> **Uncovered") {
                record.why = Why::Uncovered;
            }
        }
        let Some(rest) = line.strip_prefix("## ") else {
            continue;
        };
        let looks_dated = rest.len() >= 5
            && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && rest.as_bytes()[4] == b'-';
        if !looks_dated {
            continue;
        }
        let word = rest.split_whitespace().next().unwrap_or("");
        let pos = Pos::new(line_no, 4);
        let Some(date) = crate::config::structure::parse_date(word) else {
            problems.push(Problem::error(
                pos,
                format!("day heading with an invalid date {word:?}"),
                "a day section's heading starts with its date as YYYY-MM-DD",
            ));
            continue;
        };
        if let Some((prev, prev_line)) = log.records.last().map(|r| (r.date, r.line)) {
            if date == prev || log.has(date) {
                problems.push(Problem::error(
                    pos,
                    format!("a second section for {date} (the first is on line {prev_line})"),
                    "merge the two sections into one; each day has one section",
                ));
                continue;
            }
            if date < prev {
                problems.push(Problem::error(
                    pos,
                    format!("section {date} comes after {prev} (line {prev_line})"),
                    "day sections are in date order, oldest first: move this section up",
                ));
                continue;
            }
        }
        log.records.push(Record {
            date,
            line: line_no,
            on_call: heading_login(rest),
            why: Why::Rotation,
            replaces: None,
            reason: None,
        });
    }
    if problems.is_empty() {
        Ok(log)
    } else {
        Err(InvalidInput(Report::new(file, problems)))
    }
}

/// The text a new log starts with.
pub fn header(rot: &Rotation) -> String {
    format!(
        "# On-call log: {}\n\n\
         One section per working day, added by `oncall advance`. The on-call\n\
         engineer ticks the duties and writes the day's topics under \"Topics\".\n\
         Keep each day's `## YYYY-MM-DD` heading as it is: it is how `oncall`\n\
         finds the day.\n",
        markdown(&rot.team)
    )
}

/// Appends a section, with one blank line between sections.
pub fn append(log_text: &mut String, section: &str) {
    if !log_text.is_empty() {
        while !log_text.ends_with("\n\n") {
            log_text.push('\n');
        }
    }
    log_text.push_str(section);
}

/// The line that records, in a day's section, that Slack was told.
pub const SLACK_MARKER: &str = "<!-- oncall: announced in Slack -->";

/// Whether the section of `date` records a Slack post.
pub fn announced_in_slack(log: &Log, log_text: &str, date: NaiveDate) -> bool {
    let Some(record) = log.record(date) else {
        return false;
    };
    let end = log
        .records
        .iter()
        .find(|r| r.date > date)
        .map_or(u32::MAX, |r| r.line);
    log_text
        .lines()
        .enumerate()
        .skip(record.line as usize)
        .take_while(|(i, _)| (*i as u32 + 1) < end)
        .any(|(_, l)| l.trim() == SLACK_MARKER)
}

/// The log with the Slack marker appended to its last section (today's).
pub fn mark_announced(log_text: &str) -> String {
    let mut out = log_text.to_owned();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push('\n');
    out.push_str(SLACK_MARKER);
    out.push('\n');
    out
}

/// `Name (@login)` for Markdown, the name escaped.
///
/// The login is written as code, `` `@login` ``: readable, but never an
/// @-mention, so that no text `oncall` writes to GitHub pings anyone (the
/// review request is what notifies the engineers).
pub fn person(rot: &Rotation, github: &str) -> String {
    let display = rot.display(github);
    // A login holds letters, digits and hyphens only: safe inside a code span.
    if display == github {
        format!("`@{github}`")
    } else {
        format!("{} (`@{github}`)", markdown(display))
    }
}

/// A day's section: who is on call, the duties as a checklist, the cycle,
/// and a place for the day's topics.
pub fn render_section(rot: &Rotation, h: &Handover) -> String {
    let day = &h.day;
    let mut s = String::new();
    let who = match &day.on_call {
        Some(g) => person(rot, g),
        None => "uncovered".to_owned(),
    };
    s.push_str(&format!(
        "## {} · {} · {}\n\n",
        day.date,
        day.date.format("%A"),
        who
    ));
    let mut facts = vec![match &day.on_call {
        Some(g) => format!("On call: **{}**", person(rot, g)),
        None => "On call: **nobody** (uncovered)".to_owned(),
    }];
    facts.push(match &h.previous {
        Some(p) => format!("handed over by {}", person(rot, p)),
        None => format!("no handover ({})", h.no_handover_reason(rot)),
    });
    facts.push(format!("cycle {}", day.cycle));
    s.push_str(&facts.join(" · "));
    s.push_str("\n\n");
    let mut notes = Vec::new();
    if !h.announced {
        notes.push(
            "**Not announced:** the daily run did not happen on this day; this section was added late by a catch-up run."
                .to_owned(),
        );
    }
    match day.why {
        Why::Uncovered => notes.push(
            "**Uncovered:** every member is away. Everyone off call, please watch the support channels today."
                .to_owned(),
        ),
        Why::Override => notes.push(override_note(rot, day)),
        Why::Substitute => notes.push(format!(
            "**Substitute:** {} stands in for {}, away; they stay due in this cycle.",
            day.on_call.as_deref().map_or_else(String::new, |g| person(rot, g)),
            list(rot, &day.away_due)
        )),
        Why::Rotation => {}
    }
    if day.new_cycle {
        notes.push(format!(
            "**Cycle {} begins** in a new shuffled order.",
            day.cycle
        ));
    }
    if !day.lost_turn.is_empty() {
        notes.push(format!(
            "{} lost their turn in cycle {} (away until it ended).",
            list(rot, &day.lost_turn),
            day.cycle - 1
        ));
    }
    if !notes.is_empty() {
        let quoted: Vec<String> = notes.iter().map(|n| format!("> {n}\n")).collect();
        s.push_str(&quoted.join(">\n"));
        s.push('\n');
    }
    s.push_str("### Duties\n\n");
    for d in &rot.duties {
        s.push_str(&format!("- [ ] {}\n", markdown(d)));
    }
    s.push_str(&format!("\n### Cycle {}\n\n", day.cycle));
    s.push_str(&cycle_checklist(rot, &h.cycle));
    if let Some((date, next)) = &h.next {
        let who = match next {
            Some(g) => person(rot, g),
            None => "nobody (uncovered)".to_owned(),
        };
        s.push_str(&format!("\nNext: {who} on {} {date}.\n", date.format("%A")));
    }
    s.push_str("\n### Topics\n\n<!-- What came up today: questions, incidents, changes, runbooks written or updated. -->\n");
    s
}

/// A cycle listed in full up to this many members; larger cycles are
/// summarised, so that a section stays small for a large team.
pub const FULL_CYCLE_LIST: usize = 20;

/// The cycle as a checklist (the ADR's "move the checkbox"): `[x]` served,
/// `← on call`, `[ ]` still due. Large cycles show the last five who
/// served, the one on call and the next ten due, with counts.
pub fn cycle_checklist(rot: &Rotation, cycle: &[(String, Status)]) -> String {
    let line = |(g, status): &(String, Status)| {
        let (mark, note) = match status {
            Status::Served => ("x", ""),
            Status::OnCall => ("x", " ← on call"),
            Status::Due => (" ", ""),
        };
        format!("- [{mark}] {}{note}\n", person(rot, g))
    };
    if cycle.len() <= FULL_CYCLE_LIST {
        return cycle.iter().map(line).collect();
    }
    let served: Vec<_> = cycle
        .iter()
        .filter(|(_, st)| *st == Status::Served)
        .collect();
    let on_call: Vec<_> = cycle
        .iter()
        .filter(|(_, st)| *st == Status::OnCall)
        .collect();
    let due: Vec<_> = cycle.iter().filter(|(_, st)| *st == Status::Due).collect();
    let mut s = String::new();
    let shown_served = served.len().saturating_sub(5);
    if shown_served > 0 {
        s.push_str(&format!(
            "- [x] … {shown_served} more have served in this cycle\n"
        ));
    }
    served[shown_served..]
        .iter()
        .for_each(|e| s.push_str(&line(e)));
    on_call.iter().for_each(|e| s.push_str(&line(e)));
    due.iter().take(10).for_each(|e| s.push_str(&line(e)));
    if due.len() > 10 {
        s.push_str(&format!("- [ ] … {} more are still due\n", due.len() - 10));
    }
    s
}

/// An override day's note (Markdown): who replaces whom, and why. The log
/// reads the replaced member back from the first login after "replaces".
pub fn override_note(rot: &Rotation, day: &crate::rotation::Day) -> String {
    let on = day
        .on_call
        .as_deref()
        .map_or_else(String::new, |g| person(rot, g));
    let mut s = match &day.replaces {
        Some(r) => format!("**Override:** {on} replaces {}", person(rot, r)),
        None => format!("**Override:** {on}"),
    };
    // Always one final period, which the log's reader strips again.
    match &day.reason {
        Some(reason) => s.push_str(&format!(". Reason: {}.", markdown(reason))),
        None => s.push_str(" (rotation.yaml gives no reason)."),
    }
    s
}

fn list(rot: &Rotation, logins: &[String]) -> String {
    logins
        .iter()
        .map(|g| person(rot, g))
        .collect::<Vec<_>>()
        .join(", ")
}

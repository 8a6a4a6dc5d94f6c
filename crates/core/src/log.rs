//! oncall-log.md: one section per working day, appended at the end. This
//! module reads the log back and appends to it; `render` writes the
//! sections.
//!
//! A section begins with a level-2 heading that starts with its ISO date
//! (`## 2026-11-27 · …`); the date is the key that makes handovers
//! idempotent (R10). Existing text is never rewritten.

use crate::diag::Pos;
use crate::diag::{InvalidInput, Problem, Report};
use crate::log_format::{self as format, Note};
use crate::rotation::Why;

pub use crate::log_format::code_logins;
use chrono::NaiveDate;

/// The day sections found in the log, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Log {
    /// The file's name, for messages.
    pub file: String,
    /// One record per day section, in date order.
    pub records: Vec<Record>,
    /// The task-list items under each section's `### Topics`, in file
    /// order: open threads and runbook debt (see [`Topic`]).
    pub topics: Vec<Topic>,
    /// The number of lines of the text read.
    pub line_count: usize,
    /// The year whose open items the log's carried block holds (`## Carried
    /// over from YYYY`, written by a yearly archive), if it has one.
    pub carried_from: Option<i32>,
    /// The yearly archives read with the log (`log.archive: yearly`): each
    /// year's text, or none when only its existence is known.
    pub archives: Vec<(i32, Option<String>)>,
}

/// A task-list item an engineer wrote under a day's `### Topics`:
/// `- [ ] waiting for the storage team` is an open thread; one whose text
/// starts with `runbook:` is runbook debt, paid when ticked
/// (`- [x] runbook: restore etcd https://…`). The tool never rewrites it;
/// it is closed by ticking it where it was written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Topic {
    /// The day of the section it was written in.
    pub date: NaiveDate,
    /// Who was on call that day (from the section's heading).
    pub by: Option<String>,
    /// Its line in the log.
    pub line: u32,
    /// Ticked.
    pub done: bool,
    /// A `runbook:` item.
    pub runbook: bool,
    /// The item's text, as written.
    pub text: String,
    /// The yearly archive it was read from (none: the log).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl Topic {
    /// The text to show: a runbook item's without its `runbook:`.
    pub fn shown(&self) -> &str {
        if self.runbook {
            self.text[self.text.find(':').map_or(0, |i| i + 1)..].trim()
        } else {
            &self.text
        }
    }
}

impl Log {
    /// The open threads (unticked, not runbook items) of sections before
    /// `date`, oldest first.
    pub fn open_threads(&self, date: NaiveDate) -> Vec<&Topic> {
        self.topics
            .iter()
            .filter(|t| t.date < date && !t.done && !t.runbook)
            .collect()
    }
    /// The unpaid runbook debt of sections before `date`, oldest first.
    pub fn runbook_debt(&self, date: NaiveDate) -> Vec<&Topic> {
        self.topics
            .iter()
            .filter(|t| t.date < date && !t.done && t.runbook)
            .collect()
    }
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
    /// Who lost their turn in the previous cycle (R5), as the section says.
    pub lost_turn: Vec<String>,
    /// For a substitute: whom they stood in for (R5), as the section says
    /// (empty when its note does not name them).
    pub substitute_for: Vec<String>,
    /// The cycle, as the section's facts line says (None when it does not).
    pub cycle: Option<u32>,
    /// R13: the last takeover its notes record, as (from, to): `on_call`
    /// is then `to`, and the day reads as an override in place of `from`.
    pub takeover: Option<(Option<String>, String)>,
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
    // Inside the current section's `### Topics`.
    let mut in_topics = false;
    log.line_count = text.lines().count();
    for (line_no, line) in format::read_lines(text) {
        if log.records.is_empty()
            && let Some(year) = format::read_carried(line)
        {
            log.carried_from = Some(year);
        } else if let Some(year) = log.carried_from.filter(|_| log.records.is_empty())
            && let Some((done, item)) = format::task_item(line)
        {
            // The carried block: each item says its day and who wrote it.
            let (date, by, item) = format::read_carried_item(item).unwrap_or((
                NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
                None,
                item,
            ));
            log.topics.push(Topic {
                date,
                by,
                line: line_no,
                done,
                runbook: format::is_runbook(item),
                text: item.to_owned(),
                file: None,
            });
        } else if line.trim_end() == format::TOPICS {
            in_topics = !log.records.is_empty();
        } else if in_topics
            && let Some((done, item)) = format::task_item(line)
            && let Some(record) = log.records.last()
        {
            log.topics.push(Topic {
                date: record.date,
                by: record.on_call.clone(),
                line: line_no,
                done,
                runbook: format::is_runbook(item),
                text: item.to_owned(),
                file: None,
            });
        }
        if let Some(record) = log.records.last_mut() {
            match format::read_note(line) {
                Some(Note::Override(text)) => {
                    let (replaces, reason) = format::read_override(text);
                    record.why = Why::Override;
                    record.replaces = replaces;
                    record.reason = reason.map(crate::escape::unmarkdown);
                }
                Some(Note::Substitute(text)) => {
                    record.why = Why::Substitute;
                    record.substitute_for = format::read_substitute(text);
                }
                Some(Note::Takeover(text)) => {
                    if let Some((to, from, reason)) = format::read_takeover(text) {
                        record.takeover = Some((from.clone(), to.clone()));
                        record.on_call = Some(to);
                        record.why = Why::Override;
                        record.replaces = from;
                        record.reason = reason.map(crate::escape::unmarkdown);
                        record.substitute_for.clear();
                    }
                }
                Some(Note::Uncovered) => record.why = Why::Uncovered,
                Some(Note::LostTurn(logins)) => record.lost_turn = logins,
                None => {}
            }
            if record.cycle.is_none() {
                record.cycle = format::read_cycle(line);
            }
        }
        let Some((word, rest)) = format::read_heading(line) else {
            continue;
        };
        let pos = Pos::new(line_no, 4);
        let Some(date) = crate::config::parse_date(word) else {
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
        in_topics = false;
        log.records.push(Record {
            date,
            line: line_no,
            on_call: format::heading_login(rest),
            why: Why::Rotation,
            replaces: None,
            reason: None,
            lost_turn: Vec::new(),
            substitute_for: Vec::new(),
            cycle: None,
            takeover: None,
        });
    }
    if problems.is_empty() {
        Ok(log)
    } else {
        Err(InvalidInput(Report::new(file, problems)))
    }
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

pub use crate::log_format::SLACK_MARKER;

/// Whether the section of `date` has the hidden line `marker` (a record
/// that Slack was told, R10).
pub fn section_has(log: &Log, log_text: &str, date: NaiveDate, marker: &str) -> bool {
    section_text(log, log_text, date)
        .is_some_and(|(_, section)| section.lines().skip(1).any(|l| l.trim() == marker))
}

/// The section of `date` in `text` (the log `log` was read from),
/// verbatim from its heading to the next section or the end, and where it
/// starts (a byte offset).
pub fn section_text<'a>(log: &Log, text: &'a str, date: NaiveDate) -> Option<(usize, &'a str)> {
    let i = log.records.binary_search_by_key(&date, |r| r.date).ok()?;
    let offset = |line: u32| -> usize {
        text.split_inclusive('\n')
            .take(line as usize - 1)
            .map(str::len)
            .sum()
    };
    let start = offset(log.records[i].line);
    let end = log
        .records
        .get(i + 1)
        .map_or(text.len(), |n| offset(n.line));
    Some((start, &text[start..end]))
}

/// Whether the section of `date` records the handover's Slack post.
pub fn announced_in_slack(log: &Log, log_text: &str, date: NaiveDate) -> bool {
    section_has(log, log_text, date, SLACK_MARKER)
}

/// The log with the hidden line `marker` appended to its last section
/// (today's).
pub fn mark(log_text: &str, marker: &str) -> String {
    let mut out = log_text.to_owned();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push('\n');
    out.push_str(marker);
    out.push('\n');
    out
}

/// The log with the Slack marker appended to its last section (today's).
pub fn mark_announced(log_text: &str) -> String {
    mark(log_text, SLACK_MARKER)
}

//! oncall-log.md: one section per working day, appended at the end. This
//! module reads the log back and appends to it; `render` writes the
//! sections.
//!
//! A section begins with a level-2 heading that starts with its ISO date
//! (`## 2026-11-27 · …`); the date is the key that makes handovers
//! idempotent (R10). Existing text is never rewritten.

use crate::diag::Pos;
use crate::diag::{InvalidInput, Problem, Report};
use crate::rotation::Why;
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

/// A task-list item: `- [ ] text`, `* [x] text` (any indentation).
fn task_item(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    let rest = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("+ "))?;
    let (done, text) = if let Some(r) = rest.strip_prefix("[ ] ") {
        (false, r)
    } else if let Some(r) = rest
        .strip_prefix("[x] ")
        .or_else(|| rest.strip_prefix("[X] "))
    {
        (true, r)
    } else {
        return None;
    };
    let text = text.trim();
    (!text.is_empty()).then_some((done, text))
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
}

/// The logins written as code (`` `@login` ``) in a line.
pub fn code_logins(line: &str) -> Vec<String> {
    line.split("`@")
        .skip(1)
        .filter_map(|rest| {
            let login: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            (!login.is_empty() && rest[login.len()..].starts_with('`')).then_some(login)
        })
        .collect()
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
    // Inside the current section's `### Topics`; inside an HTML comment.
    let mut in_topics = false;
    let mut in_comment = false;
    for (i, line) in text.lines().enumerate() {
        log.line_count = i + 1;
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
        if in_comment || trimmed.starts_with("<!--") {
            in_comment = !line.contains("-->");
            continue;
        }
        if line.trim_end() == "### Topics" {
            in_topics = !log.records.is_empty();
        } else if in_topics
            && let Some((done, item)) = task_item(line)
            && let Some(record) = log.records.last()
        {
            log.topics.push(Topic {
                date: record.date,
                by: record.on_call.clone(),
                line: line_no,
                done,
                runbook: item.to_ascii_lowercase().starts_with("runbook:"),
                text: item.to_owned(),
            });
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
            } else if line.starts_with("> ") && line.contains(" lost their turn in cycle ") {
                record.lost_turn = code_logins(line);
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
        in_topics = false;
        log.records.push(Record {
            date,
            line: line_no,
            on_call: heading_login(rest),
            why: Why::Rotation,
            replaces: None,
            reason: None,
            lost_turn: Vec::new(),
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

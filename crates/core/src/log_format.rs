//! The log's format, in one place: every marker and phrase that the
//! writer (`render`) emits and the reader (`log`) recognises, as pairs.
//! Changing one side without the other is impossible by construction, and
//! `tests/log_format.rs` checks that any section the writer produces reads
//! back to the same facts.

use chrono::NaiveDate;

/// A day section's heading: `## 2026-11-27 · Friday · Name (`@login`)`.
pub const HEADING: &str = "## ";
/// Between the heading's parts.
pub const HEADING_SEPARATOR: &str = " · ";

/// The heading of a day section; `who` is already Markdown.
pub fn heading(date: NaiveDate, who: &str) -> String {
    format!(
        "{HEADING}{date}{HEADING_SEPARATOR}{}{HEADING_SEPARATOR}{who}\n",
        date.format("%A")
    )
}

/// The heading's date and the rest, for a line that looks like a day
/// heading (`## ` and four digits and a dash); the date may be invalid.
pub fn read_heading(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix(HEADING)?;
    let looks_dated = rest.len() >= 5
        && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && rest.as_bytes()[4] == b'-';
    if !looks_dated {
        return None;
    }
    let word = rest.split_whitespace().next().unwrap_or("");
    Some((word, rest))
}

/// The login at the end of a heading: `… · Name (`@login`)` or `… · @login`.
pub fn heading_login(heading: &str) -> Option<String> {
    let last = heading.rsplit(HEADING_SEPARATOR).next()?;
    let at = last.rfind('@')?;
    let login: String = last[at + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (!login.is_empty()).then_some(login)
}

/// A login as the log writes it: code, `` `@login` ``, readable but never
/// an @-mention.
pub fn code_login(login: &str) -> String {
    format!("`@{login}`")
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

/// A note of the section: a quoted line under the facts.
pub const NOTE: &str = "> ";

/// The notes that mark a day's kind, as written after [`NOTE`].
pub const OVERRIDE: &str = "**Override:**";
pub const SUBSTITUTE: &str = "**Substitute:**";
pub const UNCOVERED: &str = "**Uncovered:**";
pub const NOT_ANNOUNCED: &str = "**Not announced:**";

/// The override note's words: who replaces whom, and why.
pub const REPLACES: &str = " replaces ";
pub const REASON: &str = ". Reason: ";
pub const NO_REASON: &str = " (rotation.yaml gives no reason).";

/// `**Override:** ON replaces REPLACED. Reason: REASON.` (Markdown in;
/// `reason` already escaped). Always one final period, which the reader
/// strips again.
pub fn override_note(on: &str, replaced: Option<&str>, reason: Option<&str>) -> String {
    let mut s = match replaced {
        Some(r) => format!("{OVERRIDE} {on}{REPLACES}{r}"),
        None => format!("{OVERRIDE} {on}"),
    };
    match reason {
        Some(reason) => s.push_str(&format!("{REASON}{reason}.")),
        None => s.push_str(NO_REASON),
    }
    s
}

/// What an override note says: the member replaced and the reason (still
/// Markdown). Read by position, not by searching for the words: each
/// person ends with their login as code (which names, escaped, cannot
/// contain), so a name that reads ". Reason: " is still a name.
pub fn read_override(note: &str) -> (Option<String>, Option<&str>) {
    let rest = note.strip_prefix(OVERRIDE).unwrap_or(note);
    // The person on call.
    let Some((_, mut rest)) = after_person(rest) else {
        return (None, None);
    };
    let mut replaces = None;
    if let Some(after) = rest.strip_prefix(REPLACES)
        && let Some((login, after)) = after_person(after)
    {
        replaces = Some(login);
        rest = after;
    }
    let reason = rest
        .strip_prefix(REASON)
        .map(|r| r.strip_suffix('.').unwrap_or(r));
    (replaces, reason)
}

/// The first person in `s` (`Name (`@login`)` or `` `@login` ``): their
/// login and the text after them.
fn after_person(s: &str) -> Option<(String, &str)> {
    let mut from = 0;
    while let Some(at) = s[from..].find("`@").map(|i| i + from) {
        let escaped = s[..at].ends_with('\\');
        let login: String = s[at + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let end = at + 2 + login.len();
        if !escaped && !login.is_empty() && s[end..].starts_with('`') {
            let rest = &s[end + 1..];
            return Some((login, rest.strip_prefix(')').unwrap_or(rest)));
        }
        from = at + 2;
    }
    None
}

/// The substitute note's words: who stands in for whom (R5).
pub const STANDS_IN_FOR: &str = " stands in for ";
/// After the members stood in for.
pub const STAY_DUE: &str = ", away; they stay due in this cycle.";

/// `**Substitute:** ON stands in for AWAY, away; …` (Markdown in; each
/// person ends with their login as code, which the reader reads back).
pub fn substitute_note(on: &str, away: &str) -> String {
    format!("{SUBSTITUTE} {on}{STANDS_IN_FOR}{away}{STAY_DUE}")
}

/// The logins a substitute note says the member on call stands in for, in
/// order; empty for a note without them (a log written by hand, or before
/// the note named them): then nobody is named, never an empty "for".
pub fn read_substitute(note: &str) -> Vec<String> {
    let rest = note.strip_prefix(SUBSTITUTE).unwrap_or(note);
    let Some((_, rest)) = after_person(rest) else {
        return Vec::new();
    };
    let Some(mut rest) = rest.strip_prefix(STANDS_IN_FOR) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while let Some((login, after)) = after_person(rest) {
        out.push(login);
        match after.strip_prefix(", ") {
            Some(more) => rest = more,
            None => break,
        }
    }
    out
}

/// R13: the note a takeover adds to its day's section (the section keeps
/// its handover; there is no second section).
pub const TAKEOVER: &str = "**Takeover:**";
pub const TAKES_OVER_FROM: &str = " takes over from ";
pub const TAKES_OVER_UNCOVERED: &str = " takes over the uncovered day";
pub const TAKEOVER_AT: &str = " at ";

/// Whether a log line is a takeover's note (`> **Takeover:** …`).
pub fn is_takeover_note(line: &str) -> bool {
    line.strip_prefix(NOTE)
        .is_some_and(|rest| rest.starts_with(TAKEOVER))
}

/// `**Takeover:** ON takes over from FROM at HH:MM. Reason: REASON.`
/// (Markdown in; `reason` already escaped; each person ends with their
/// login as code, which the reader reads back).
pub fn takeover_note(on: &str, from: Option<&str>, at: &str, reason: Option<&str>) -> String {
    let mut s = match from {
        Some(f) => format!("{TAKEOVER} {on}{TAKES_OVER_FROM}{f}{TAKEOVER_AT}{at}"),
        None => format!("{TAKEOVER} {on}{TAKES_OVER_UNCOVERED}{TAKEOVER_AT}{at}"),
    };
    match reason {
        Some(reason) => s.push_str(&format!("{REASON}{reason}.")),
        None => s.push_str(NO_REASON),
    }
    s
}

/// What a takeover note says: who takes over, from whom (None: the day
/// was uncovered) and why (still Markdown); None when the note does not
/// name who takes over.
pub fn read_takeover(note: &str) -> Option<(String, Option<String>, Option<&str>)> {
    let rest = note.strip_prefix(TAKEOVER).unwrap_or(note);
    let (to, mut rest) = after_person(rest)?;
    let mut from = None;
    if let Some(after) = rest.strip_prefix(TAKES_OVER_FROM)
        && let Some((login, after)) = after_person(after)
    {
        from = Some(login);
        rest = after;
    } else if let Some(after) = rest.strip_prefix(TAKES_OVER_UNCOVERED) {
        rest = after;
    }
    // ` at HH:MM` (five characters), then the reason.
    if let Some(after) = rest.strip_prefix(TAKEOVER_AT) {
        rest = after.get(5..).unwrap_or("");
    }
    let reason = rest
        .strip_prefix(REASON)
        .map(|r| r.strip_suffix('.').unwrap_or(r));
    Some((to, from, reason))
}

/// The hidden line in a day's section once Slack was told that `login`
/// took the day over, the day's `nth` takeover (R13: announced once, like
/// a handover; a takeover back to an earlier member is a new one).
pub fn takeover_slack_marker(nth: usize, login: &str) -> String {
    format!("<!-- oncall: takeover {nth} by {login} announced in Slack -->")
}

/// The section's facts line: `On call: … · handed over by … · cycle N`.
pub const ON_CALL: &str = "On call: ";
/// The facts line's last part.
pub const CYCLE: &str = "cycle ";

/// The facts line's part that says the day's cycle.
pub fn cycle_fact(cycle: u32) -> String {
    format!("{CYCLE}{cycle}")
}

/// The cycle a facts line gives, if the line is one and says it (the last
/// part, so that a name cannot pass for it).
pub fn read_cycle(line: &str) -> Option<u32> {
    if !line.starts_with(ON_CALL) {
        return None;
    }
    line.trim_end()
        .rsplit(HEADING_SEPARATOR)
        .next()?
        .strip_prefix(CYCLE)?
        .parse()
        .ok()
}

/// `** lost their turn in cycle N (away until it ended).`
pub const LOST_TURN: &str = " lost their turn in cycle ";

/// The note for members who lost their turn in `cycle` (Markdown `who`).
pub fn lost_turn_note(who: &str, cycle: u32) -> String {
    format!("{who}{LOST_TURN}{cycle} (away until it ended).")
}

/// The kind of a note line of a day section, as the reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note<'a> {
    Override(&'a str),
    Takeover(&'a str),
    Substitute(&'a str),
    Uncovered,
    LostTurn(Vec<String>),
}

/// Reads a line of a day section as a note, if it is one.
pub fn read_note(line: &str) -> Option<Note<'_>> {
    let text = line.strip_prefix(NOTE)?;
    // The word in bold is enough (a hand-written note may lack the colon).
    let kind = |marker: &str| text.starts_with(marker.trim_end_matches(":**"));
    if kind(TAKEOVER) {
        Some(Note::Takeover(text))
    } else if kind(OVERRIDE) {
        Some(Note::Override(text))
    } else if kind(SUBSTITUTE) {
        Some(Note::Substitute(text))
    } else if kind(UNCOVERED) {
        Some(Note::Uncovered)
    } else if text.contains(LOST_TURN) {
        Some(Note::LostTurn(code_logins(text)))
    } else {
        None
    }
}

/// The heading under which the engineer writes the day's topics.
pub const TOPICS: &str = "### Topics";
/// A topic that is runbook debt starts with this (any case).
pub const RUNBOOK: &str = "runbook:";

/// A task-list item: `- [ ] text`, `* [x] text` (any indentation).
pub fn task_item(line: &str) -> Option<(bool, &str)> {
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

/// Whether a topic's text is runbook debt.
pub fn is_runbook(text: &str) -> bool {
    text.to_ascii_lowercase().starts_with(RUNBOOK)
}

/// Code fences: lines inside are not read.
pub const FENCES: [&str; 2] = ["```", "~~~"];
/// HTML comments: lines inside are not read.
pub const COMMENT_OPEN: &str = "<!--";
pub const COMMENT_CLOSE: &str = "-->";

/// The lines of a log that are read, numbered from 1: not those inside a
/// fenced code block (from the opening fence to the line before the
/// closing one) or an HTML comment. Every reader of the log reads these.
pub fn read_lines(text: &str) -> impl Iterator<Item = (u32, &str)> {
    let mut fence: Option<&str> = None;
    let mut in_comment = false;
    text.lines().enumerate().filter_map(move |(i, line)| {
        let trimmed = line.trim_start();
        for marker in FENCES {
            if trimmed.starts_with(marker) {
                fence = match fence {
                    None => Some(marker),
                    Some(m) if m == marker => None,
                    other => other,
                };
            }
        }
        if fence.is_some() {
            return None;
        }
        if in_comment || trimmed.starts_with(COMMENT_OPEN) {
            in_comment = !line.contains(COMMENT_CLOSE);
            return None;
        }
        Some((i as u32 + 1, line))
    })
}

/// The hidden line in a day's log section once Slack was told (R10).
pub const SLACK_MARKER: &str = "<!-- oncall: announced in Slack -->";
/// The hidden line's beginning in the pull request's body.
const PR_SLACK_MARKER_START: &str = "<!-- oncall: announced in Slack";

/// The hidden line in the handover pull request's body once Slack was told
/// about `date`.
pub fn pr_slack_marker(date: NaiveDate) -> String {
    format!("{PR_SLACK_MARKER_START} {date} -->")
}

/// Whether a pull request's body records the Slack post of `date`.
pub fn pr_announced(body: &str, date: NaiveDate) -> bool {
    pr_records(body, &pr_slack_marker(date))
}

/// Whether a pull request's body has `marker` (a handover's or a
/// takeover's) as one of its lines.
pub fn pr_records(body: &str, marker: &str) -> bool {
    body.lines().any(|l| l == marker)
}

/// The hidden line in the handover pull request's body once Slack was
/// told that `login` took `date` over, its `nth` takeover (R13).
pub fn pr_takeover_marker(date: NaiveDate, nth: usize, login: &str) -> String {
    format!("{PR_SLACK_MARKER_START} {date} takeover {nth} by {login} -->")
}

/// The Slack markers of `date` in a pull request's body (the handover's,
/// a takeover's), to keep in a new body of the same day.
pub fn pr_markers_of(body: &str, date: NaiveDate) -> Vec<&str> {
    let of_day = format!("{PR_SLACK_MARKER_START} {date} ");
    body.lines().filter(|l| l.starts_with(&of_day)).collect()
}

/// A pull request body without its Slack markers (to compare bodies).
pub fn without_slack_markers(body: &str) -> String {
    body.lines()
        .filter(|l| !l.starts_with(PR_SLACK_MARKER_START))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The heading of the block a yearly archive leaves at the top of the log
/// (`## Carried over from 2026`): the finished year's open threads and
/// runbook debt, ticked there from then on.
pub const CARRIED: &str = "## Carried over from ";

/// The carried block's heading for `year`.
pub fn carried_heading(year: i32) -> String {
    format!("{CARRIED}{year}\n")
}

/// The year a carried block's heading names, for a line that is one.
pub fn read_carried(line: &str) -> Option<i32> {
    let year = line.strip_prefix(CARRIED)?.trim_end();
    (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
        .then(|| year.parse().ok())
        .flatten()
}

/// A carried item: `- [ ] 2026-11-03 · `@bob` · text` (`by` none: an
/// uncovered day's, `- [ ] 2026-11-03 · text`), the text as written.
pub fn carried_item(done: bool, date: NaiveDate, by: Option<&str>, text: &str) -> String {
    let mark = if done { "x" } else { " " };
    match by {
        Some(login) => format!(
            "- [{mark}] {date}{HEADING_SEPARATOR}{}{HEADING_SEPARATOR}{text}\n",
            code_login(login)
        ),
        None => format!("- [{mark}] {date}{HEADING_SEPARATOR}{text}\n"),
    }
}

/// What a carried item says (its text after the task mark): the day it was
/// written, who was on call then, and its text; none for an item without
/// the date (one written there by hand).
pub fn read_carried_item(item: &str) -> Option<(NaiveDate, Option<String>, &str)> {
    let (date, rest) = item.split_once(HEADING_SEPARATOR)?;
    let date = crate::config::parse_date(date)?;
    if let Some(after) = rest.strip_prefix("`@")
        && let Some((login, text)) = after.split_once(&format!("`{HEADING_SEPARATOR}"))
        && !login.is_empty()
        && login.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Some((date, Some(login.to_owned()), text));
    }
    Some((date, None, rest))
}

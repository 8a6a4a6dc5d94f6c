//! "Your on-call days moved": when a change to a rotation's files lands,
//! the people whose days within the next eight weeks changed, each with
//! their days before and after, as one Slack message (Block Kit, pure; the
//! binary's `commands::moved` posts it). Nobody whose days did not change
//! is named; a change that moves nobody has no message.
//!
//! Text from rotation.yaml goes through [`escape::slack`]; a mention is
//! built only from an ID that looks like a Slack member ID, else the
//! member is named as text (name and login). Every mrkdwn text is
//! `verbatim`, so Slack links nothing of its own accord (a login written
//! `@ana` stays text).

use crate::config::Rotation;
use crate::config::validate::is_slack_member_id;
use crate::escape;
use crate::schedule::Change;
use chrono::{Days, NaiveDate};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// How far ahead the message looks: the next eight weeks.
pub const WEEKS: u32 = 8;

/// Block Kit limits (see `slack`).
const MAX_SECTION_TEXT: usize = crate::slack::MAX_SECTION_TEXT;
const MAX_FALLBACK_TEXT: usize = crate::slack::MAX_FALLBACK_TEXT;
/// Sections for people: the header, the intro and the context take three
/// of Slack's 50 blocks.
const MAX_PEOPLE_SECTIONS: usize = crate::slack::MAX_BLOCKS - 3;

/// The calendar days the message looks at: eight weeks from tomorrow.
/// Today is the handover's and, when it changes after the handover, the
/// takeover's (R13), each announced once on its own: a change to today
/// is not told a second time here.
pub fn window(today: NaiveDate) -> (NaiveDate, u32) {
    (today.succ_opt().unwrap_or(today), WEEKS * 7)
}

/// One person whose days changed: the days that changed for them, as
/// they were before the change (theirs no longer) and as they are after
/// it (theirs now), in date order. Their other days stay as they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub github: String,
    pub before: Vec<NaiveDate>,
    pub after: Vec<NaiveDate>,
}

/// The people whose days changed, by the first day that changed for them
/// (on one day, who had it first): everyone on call, before or after, on a day that
/// changed. Empty when no day changed.
pub fn people(changes: &[Change]) -> Vec<Moved> {
    let mut by: BTreeMap<&str, Moved> = BTreeMap::new();
    let mut order = Vec::new();
    for c in changes.iter().filter(|c| c.changed) {
        for (g, after) in [(&c.before, false), (&c.after, true)] {
            let Some(g) = g else { continue };
            let m = by.entry(g.as_str()).or_insert_with(|| {
                order.push(g.clone());
                Moved {
                    github: g.clone(),
                    before: Vec::new(),
                    after: Vec::new(),
                }
            });
            match after {
                true => m.after.push(c.date),
                false => m.before.push(c.date),
            }
        }
    }
    order.iter().filter_map(|g| by.remove(g.as_str())).collect()
}

/// The member as the message names them: `<@U…>` when rotation.yaml gives
/// a valid Slack ID (the rotation after the change, else before: someone
/// who left), else their name and login as escaped text.
pub fn mention(after: &Rotation, before: &Rotation, github: &str) -> String {
    let rot = match after.member(github) {
        Some(_) => after,
        None => before,
    };
    match rot
        .member(github)
        .and_then(|m| m.slack.as_deref())
        .filter(|id| is_slack_member_id(id))
    {
        Some(id) => format!("<@{id}>"),
        None => escape::slack(&rot.label(github)),
    }
}

/// A list of days, or "no day".
fn days_text(days: &[NaiveDate]) -> String {
    match days {
        [] => "no day".to_owned(),
        _ => days
            .iter()
            .map(|d| d.format("%a %Y-%m-%d").to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// One person's text: who, then their days before and after, a line each.
fn line(after: &Rotation, before: &Rotation, m: &Moved) -> String {
    format!(
        "{}\n*Before:* {}\n*After:* {}",
        mention(after, before, &m.github),
        days_text(&m.before),
        days_text(&m.after)
    )
}

fn mrkdwn(text: &str) -> Value {
    json!({
        "type": "mrkdwn",
        "text": escape::truncate(text, MAX_SECTION_TEXT),
        "verbatim": true
    })
}

fn section(text: &str) -> Value {
    json!({ "type": "section", "text": mrkdwn(text) })
}

/// The last day of a window of `days` calendar days from `from`.
fn last_day(from: NaiveDate, days: u32) -> NaiveDate {
    from.checked_add_days(Days::new(u64::from(days.max(1) - 1)))
        .unwrap_or(from)
}

/// The message, or `None` when nobody's days moved. `before` and `after`
/// are the rotation before and after the change; `moved` comes from
/// [`people`] over the window `from` + `days`; `changed` names the files
/// the change touched (paths in the repository).
pub fn message(
    before: &Rotation,
    after: &Rotation,
    moved: &[Moved],
    (from, days): (NaiveDate, u32),
    changed: &[String],
) -> Option<Value> {
    if moved.is_empty() {
        return None;
    }
    let team = escape::slack(&after.team);
    let to = last_day(from, days);
    let header = escape::truncate(
        &format!("On-call days moved: {}", escape::slack(&after.team)),
        crate::slack::MAX_HEADER_TEXT,
    );
    let mut blocks = vec![
        json!({
            "type": "header",
            "text": { "type": "plain_text", "text": header, "emoji": false }
        }),
        section(&format!(
            "A change to the rotation moves the on-call days of {} between {from} and {to} (the next {WEEKS} weeks): each with the days that changed, before and after; their other days stay as they were. If a new day does not suit you, ask for a swap now.",
            match moved.len() {
                1 => "one person".to_owned(),
                n => format!("{n} people"),
            }
        )),
    ];
    // One section per person while there is room, then the rest together
    // (a section holds at most 3000 characters: cut, never split a mention).
    let lines: Vec<String> = moved.iter().map(|m| line(after, before, m)).collect();
    let (each, rest) = lines.split_at(lines.len().min(MAX_PEOPLE_SECTIONS - 1));
    blocks.extend(each.iter().map(|l| section(l)));
    if !rest.is_empty() {
        blocks.push(section(&rest.join("\n")));
    }
    let files: Vec<String> = changed.iter().map(|f| escape::slack(f)).collect();
    blocks.push(json!({
        "type": "context",
        "elements": [mrkdwn(&format!(
            "Changed: {}. Nobody else's days within these weeks moved.",
            files.join(", ")
        ))]
    }));
    let who: Vec<String> = moved
        .iter()
        .map(|m| mention(after, before, &m.github))
        .collect();
    let fallback = format!("{team}: on-call days moved for {}", who.join(", "));
    Some(json!({
        "text": escape::truncate(&fallback, MAX_FALLBACK_TEXT),
        "blocks": blocks,
        "unfurl_links": false,
        "unfurl_media": false
    }))
}

/// What `preview --slack` says about a rotation whose days moved (one line
/// for the terminal, without its newline; `name` is the rotation's name).
pub fn posted_text(name: &str, moved: &[Moved]) -> String {
    let who: Vec<&str> = moved.iter().map(|m| m.github.as_str()).collect();
    escape::terminal(&format!(
        "Slack ({name}): posted the days that moved for {}: {}.",
        match moved.len() {
            1 => "one person".to_owned(),
            n => format!("{n} people"),
        },
        who.join(", ")
    ))
}

/// What `preview --slack` says about a rotation it posts nothing for, and
/// why (one line, without its newline).
pub fn not_posted_text(name: &str, why: &NotPosted) -> String {
    let why = match why {
        NotPosted::NobodyMoved => {
            format!("nobody's on-call days within the next {WEEKS} weeks moved: nothing posted")
        }
        NotPosted::New => {
            "a new rotation: nothing posted (its first handover announces it)".to_owned()
        }
        NotPosted::Removed => "the change removes this rotation: nothing posted".to_owned(),
        NotPosted::DidNotLoad => {
            "its files did not load before or after the change (see `oncall check`): nothing posted"
                .to_owned()
        }
        NotPosted::Claimed(claim) => format!(
            "this change was announced already (the claim `{claim}` exists): not posting again"
        ),
    };
    escape::terminal(&format!("Slack ({name}): {why}."))
}

/// Why a rotation's change posts nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotPosted {
    NobodyMoved,
    New,
    Removed,
    DidNotLoad,
    /// Posted already for this commit: the claim ref's name.
    Claimed(String),
}

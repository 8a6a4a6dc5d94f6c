//! The Slack handover message: Block Kit, pure (the binary's `webhook` module posts it).
//!
//! Every piece of text from rotation.yaml goes through [`escape::slack`];
//! mentions are built only from IDs that look like Slack member IDs.

use crate::config::Rotation;
use crate::config::validate::is_slack_member_id;
use crate::escape;
use crate::plan::Handover;
use crate::rotation::Why;
use crate::schedule::Row;
use chrono::NaiveDate;
use serde_json::{Value, json};

/// Block Kit limits (https://api.slack.com/reference/block-kit/blocks).
pub const MAX_BLOCKS: usize = 50;
pub const MAX_SECTION_TEXT: usize = 3000;
pub const MAX_HEADER_TEXT: usize = 150;
/// The notification fallback is kept short.
pub const MAX_FALLBACK_TEXT: usize = 300;

/// How many of the next working days the message shows.
pub const UPCOMING: u32 = 5;

/// Links to show under the message, when they exist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    pub pr: Option<String>,
    pub log: Option<String>,
}

/// What the message announces.
#[derive(Debug, Clone)]
pub struct Announcement<'a> {
    pub today: &'a Handover,
    /// Working days handed over late by this run (R9).
    pub missed: Vec<NaiveDate>,
    /// The next working days (uncovered or changed ones are called out).
    pub upcoming: Vec<Row>,
    pub links: Links,
}

/// `<@U…>` for a member with a valid Slack ID, their escaped name in bold
/// otherwise.
pub fn mention(rot: &Rotation, github: &str) -> String {
    match slack_id(rot, github) {
        Some(id) => format!("<@{id}>"),
        None => format!("*{}*", escape::slack(rot.display(github))),
    }
}

/// A member's Slack ID, only if it looks like one.
fn slack_id<'a>(rot: &'a Rotation, github: &str) -> Option<&'a str> {
    rot.member(github)
        .and_then(|m| m.slack.as_deref())
        .filter(|id| is_slack_member_id(id))
}

/// A plain name (no mention), escaped.
fn name(rot: &Rotation, github: &str) -> String {
    escape::slack(rot.display(github))
}

/// A URL made safe for `<url|label>`: characters that would end or split
/// the link are percent-encoded.
fn link(url: &str, label: &str) -> String {
    let url: String = url
        .chars()
        .map(|c| match c {
            '<' => "%3C".to_owned(),
            '>' => "%3E".to_owned(),
            '|' => "%7C".to_owned(),
            ' ' => "%20".to_owned(),
            c if c.is_control() => String::new(),
            c => c.to_string(),
        })
        .collect();
    format!("<{url}|{label}>")
}

fn section(text: &str) -> Value {
    json!({
        "type": "section",
        "text": { "type": "mrkdwn", "text": escape::truncate(text, MAX_SECTION_TEXT) }
    })
}

/// The notification text: `{team}: {what}`, cut in the team's name when
/// too long, so that who is on call (the mention) always stays whole.
fn fallback(team: &str, what: &str) -> String {
    let what = escape::truncate(what, MAX_FALLBACK_TEXT);
    let room = MAX_FALLBACK_TEXT.saturating_sub(what.chars().count() + 2);
    if room < 2 {
        return what;
    }
    format!("{}: {what}", escape::truncate(team, room))
}

fn day_name(d: NaiveDate) -> String {
    d.format("%A %Y-%m-%d").to_string()
}

/// The morning message of a handover, for both backends: `after` is the
/// rotation as it stands after the handover (the next five working days
/// come from it), `missed` the days handed over late by this run.
pub fn handover_message(
    after: &Rotation,
    today: &Handover,
    missed: Vec<NaiveDate>,
    links: Links,
) -> Value {
    let upcoming = crate::day::upcoming(after, today.day.date, UPCOMING);
    message(
        after,
        &Announcement {
            today,
            missed,
            upcoming,
            links,
        },
    )
}

/// What a dry run prints instead of posting: the payload it would send.
pub fn dry_run_text(payload: &Value) -> String {
    let text = serde_json::to_string_pretty(payload).expect("a payload serializes");
    format!(
        "Slack payload (dry run, not sent):\n{}\n",
        escape::terminal(&text).replace("\\u{a}", "\n")
    )
}

/// The message of a morning when the handover could not run because an
/// input file is invalid: that it did not happen, how many problems there
/// are, and the first one with its position (escaped; no secret is in it).
pub fn failure_message(report: &crate::diag::Report) -> Value {
    let errors: Vec<_> = report.errors().collect();
    let file = escape::slack(&report.file);
    let first = errors
        .first()
        .map(|p| escape::slack(&report.line(p)))
        .unwrap_or_default();
    let text = format!(
        "*Today's on-call handover did not happen:* {file} has {} problem{}. Nothing was changed.\n*First:* `{}`\nRun `oncall check` to see them all, fix the file on the default branch, then run the workflow again.",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
        escape::truncate(&first.replace('`', "'"), 1500)
    );
    let fallback = escape::truncate(
        &format!(
            "On-call handover did not happen: {file} has {} problem(s)",
            errors.len()
        ),
        MAX_FALLBACK_TEXT,
    );
    json!({
        "text": fallback,
        "blocks": [
            {
                "type": "header",
                "text": { "type": "plain_text", "text": "No on-call handover today", "emoji": false }
            },
            section(&text)
        ]
    })
}

/// The Block Kit payload of the morning message.
pub fn message(rot: &Rotation, a: &Announcement) -> Value {
    let h = a.today;
    let date = h.day.date;
    let team = escape::slack(&rot.team);
    let mut blocks = Vec::new();
    let (header, fallback) = match &h.day.on_call {
        Some(g) => (
            format!("On call {}: {}", day_name(date), rot.display(g)),
            fallback(
                &team,
                &format!(
                    "{} is on call today ({date})",
                    slack_id(rot, g).map_or_else(
                        || escape::truncate(&name(rot, g), 100),
                        |id| format!("<@{id}>")
                    )
                ),
            ),
        ),
        None => (
            format!("Nobody is on call {}", day_name(date)),
            fallback(
                &team,
                &format!("today ({date}) is uncovered, please watch the support channels"),
            ),
        ),
    };
    blocks.push(json!({
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": escape::truncate(&escape::slack(&header), MAX_HEADER_TEXT),
            "emoji": false
        }
    }));

    let mut who = Vec::new();
    match &h.day.on_call {
        Some(g) => {
            let mut line = format!("*On call:* {}", mention(rot, g));
            match h.day.why {
                Why::Override => {
                    line.push_str(" (override");
                    if let Some(r) = &h.day.replaces {
                        line.push_str(&format!(" in place of {}", name(rot, r)));
                    }
                    if let Some(r) = &h.day.reason {
                        line.push_str(": ");
                        line.push_str(&escape::slack(r));
                    }
                    line.push(')');
                }
                Why::Substitute => {
                    let away: Vec<String> = h.day.away_due.iter().map(|x| name(rot, x)).collect();
                    line.push_str(&format!(" (for {}, who is away)", away.join(", ")));
                }
                _ => {}
            }
            who.push(line);
        }
        None => who.push(format!(
            "*Today ({}) is uncovered:* every member of {team} is away. Everyone off call, please watch the support channels and the cluster console today.",
            day_name(date)
        )),
    }
    if let Some(p) = &h.previous {
        who.push(format!("*Handed over by:* {}", name(rot, p)));
    }
    if let Some((next_date, next)) = &h.next {
        who.push(match next {
            Some(g) => format!("*Next:* {} on {}", mention(rot, g), day_name(*next_date)),
            None => format!("*Next:* nobody, {} is uncovered", day_name(*next_date)),
        });
    }
    if h.day.new_cycle {
        who.push(format!(
            "Cycle {} begins today, in a new shuffled order.",
            h.day.cycle
        ));
    }
    blocks.push(section(&who.join("\n")));

    if h.day.on_call.is_some() && !rot.duties.is_empty() {
        let duties: Vec<String> = rot
            .duties
            .iter()
            .map(|d| format!("• {}", escape::truncate(&escape::slack(d), 200)))
            .collect();
        blocks.push(section(&format!("*Today's duties*\n{}", duties.join("\n"))));
    }

    // What earlier days left open: counts, and the three oldest of each.
    let mut open = Vec::new();
    for (title, items) in [
        ("Open threads", &h.open_threads),
        ("Runbook debt", &h.runbook_debt),
    ] {
        if items.is_empty() {
            continue;
        }
        let oldest: Vec<String> = items
            .iter()
            .take(3)
            .map(|t| {
                format!(
                    "• {}{}: {}",
                    t.date,
                    t.by.as_deref()
                        .map(|g| format!(" ({})", name(rot, g)))
                        .unwrap_or_default(),
                    escape::truncate(&escape::slack(t.shown()), 200)
                )
            })
            .collect();
        open.push(format!(
            "*{title}: {}*{}\n{}",
            items.len(),
            if items.len() > 3 {
                " (the three oldest)"
            } else {
                ""
            },
            oldest.join("\n")
        ));
    }
    if !open.is_empty() {
        blocks.push(section(&open.join("\n")));
    }

    let mut notes = Vec::new();
    if !a.missed.is_empty() {
        let days: Vec<String> = a
            .missed
            .iter()
            .map(|d| d.format("%a %Y-%m-%d").to_string())
            .collect();
        notes.push(format!(
            "*Not announced:* {} working day(s) were missed by the daily run and are now in the log: {}.",
            a.missed.len(),
            days.join(", ")
        ));
    }
    for row in &a.upcoming {
        let day = row.date.format("%a %Y-%m-%d");
        match (&row.github, row.why) {
            (None, _) => notes.push(format!(
                "*{day} is uncovered:* everyone is away. Plan cover or an override now."
            )),
            (Some(g), Why::Override) => notes.push(format!(
                "*{day}:* {} by override{}{}",
                name(rot, g),
                row.replaces
                    .as_deref()
                    .map(|r| format!(" in place of {}", name(rot, r)))
                    .unwrap_or_default(),
                row.reason
                    .as_deref()
                    .map(|r| format!(" ({})", escape::slack(r)))
                    .unwrap_or_default()
            )),
            (Some(g), Why::Substitute) if row.substitute_for.is_empty() => notes.push(format!(
                "*{day}:* {} substitutes for a member who is away",
                name(rot, g),
            )),
            (Some(g), Why::Substitute) => notes.push(format!(
                "*{day}:* {} substitutes for {} (away)",
                name(rot, g),
                row.substitute_for
                    .iter()
                    .map(|x| name(rot, x))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            _ => {}
        }
    }
    if !notes.is_empty() {
        blocks.push(section(&notes.join("\n")));
    }

    let mut links = Vec::new();
    if let Some(pr) = &a.links.pr {
        links.push(link(pr, "Handover pull request"));
    }
    if let Some(log) = &a.links.log {
        links.push(link(log, "Today's log section"));
    }
    if !links.is_empty() {
        blocks.push(json!({
            "type": "context",
            "elements": [{ "type": "mrkdwn", "text": escape::truncate(&links.join(" · "), MAX_SECTION_TEXT) }]
        }));
    }
    blocks.truncate(MAX_BLOCKS);
    json!({
        "text": escape::truncate(&fallback, MAX_FALLBACK_TEXT),
        "blocks": blocks,
        "unfurl_links": false,
        "unfurl_media": false
    })
}

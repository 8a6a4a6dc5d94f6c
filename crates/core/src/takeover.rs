//! R13, takeover: an override for a day already handed over. From the run
//! that applies it, its member is on call for the rest of that day; the
//! rotation underneath does not change (R6). The day's log section keeps
//! its handover and gains a takeover note (who, from whom, when, why);
//! the state's `on_call` names the new member, so everything that follows
//! "who is on call now" (`who`, the page, the feed, routing, the user
//! group) follows it; Slack hears it once. Pure: the texts in, the plan out.

use crate::config::{Rotation, State, edit};
use crate::diag::Problem;
use crate::escape::{self, markdown};
use crate::files::{EditError, Files};
use crate::log::{self, Log};
use crate::log_format as format;
use crate::render::person;
use chrono::{NaiveDate, NaiveTime};
use serde_json::{Value, json};

/// A takeover of a day handed over already.
#[derive(Debug, Clone, PartialEq)]
pub struct Takeover {
    pub date: NaiveDate,
    /// Who takes over: the override's member.
    pub to: String,
    /// Who was on call until then (None: the day was uncovered).
    pub from: Option<String>,
    /// Which takeover of the day it is (1: the first): each is announced
    /// once, also one back to a member who had the day earlier.
    pub nth: usize,
    /// The override's reason.
    pub reason: Option<String>,
    /// The files' new texts; None when a run applied the takeover already
    /// (only its Slack message may still be due).
    pub files: Option<Files>,
    /// The rotation after it (the state's `on_call` is `to`).
    pub after: Rotation,
}

/// The takeover of `date` that rotation.yaml asks for, if any: `state`
/// (the state after the day's handover, as the run leaves it) is at
/// `date`, the log's last section is the day's, and the override for
/// `date` names someone other than the member that section has on call
/// now (its handover, or its last takeover note). `rotation_text` and
/// `log_text` are the files as the handover leaves them: the note is
/// appended to the log's last section (the day's). `at`: the run's time of
/// day in the team's time zone, written in the note.
///
/// The log's section decides, not the state: on a handover branch that is
/// not merged yet, the base's state is the day before's, and the day's
/// plan already puts the override's member on call (R6); the section on
/// the branch still names whom the morning's handover named.
pub fn plan(
    rot: &Rotation,
    state: &State,
    rotation_text: &str,
    log: &Log,
    log_text: &str,
    date: NaiveDate,
    at: NaiveTime,
) -> Result<Option<Takeover>, EditError> {
    if state.since != date {
        return Ok(None);
    }
    // The note is appended to the day's section, the log's last: without
    // it (a log that lost the section), nothing is taken over and `check`
    // says why.
    let Some(record) = log.record(date).filter(|_| log.last_date() == Some(date)) else {
        return Ok(None);
    };
    // Who takes the day over: the override's member; without an override
    // (removed after the takeover), the section's last takeover note still
    // says who has the day: the log is the record, whichever backend
    // reads it.
    let kept;
    let o = match (rot.overrides.get(&date), &record.takeover) {
        (Some(o), _) => o,
        (None, Some((_, to))) => {
            kept = crate::config::Override {
                github: to.clone(),
                reason: record.reason.clone(),
                pos: crate::diag::Pos::default(),
            };
            &kept
        }
        (None, None) => return Ok(None),
    };
    // The last takeover the section records, if it is to this member.
    let noted = record.takeover.as_ref().filter(|(_, to)| *to == o.github);
    if record.on_call.as_deref() == Some(o.github.as_str()) && noted.is_none() {
        // The day's own override (planned before the handover), or the
        // member's own turn: nothing to take over.
        return Ok(None);
    }
    let from = match noted {
        Some((from, _)) => from.clone(),
        None => record.on_call.clone(),
    };
    // The notes the day's section (the log's last) has, this one included.
    let section = log_text
        .rfind(&format!("\n## {date}"))
        .map_or("", |at| &log_text[at..]);
    let notes = section
        .lines()
        .filter(|l| format::is_takeover_note(l))
        .count();
    let nth = notes + usize::from(noted.is_none());
    let after = Rotation {
        state: Some(State {
            on_call: Some(o.github.clone()),
            ..state.clone()
        }),
        ..rot.clone()
    };
    let state_says = state.on_call.as_deref() == Some(o.github.as_str());
    let files = match (state_says, noted) {
        (true, Some(_)) => None,
        _ => {
            let rotation_text =
                edit::write_state(rotation_text, after.state.as_ref().expect("a state"))
                    .map_err(EditError::State)?;
            let mut log_text = log_text.to_owned();
            if noted.is_none() {
                let note = format::takeover_note(
                    &person(rot, &o.github),
                    from.as_deref().map(|f| person(rot, f)).as_deref(),
                    &at.format("%H:%M").to_string(),
                    o.reason.as_deref().map(markdown).as_deref(),
                );
                if !log_text.ends_with('\n') {
                    log_text.push('\n');
                }
                log_text.push_str(&format!("\n{}{note}\n", format::NOTE));
            }
            Some(Files {
                rotation_text,
                log_text,
                archives: Vec::new(),
            })
        }
    };
    Ok(Some(Takeover {
        date,
        to: o.github.clone(),
        from,
        nth,
        reason: o.reason.clone(),
        files,
        after,
    }))
}

impl Takeover {
    /// Whether the day's section records the Slack message of this takeover.
    pub fn announced(&self, log_text: &str) -> bool {
        log::parse("", log_text).is_ok_and(|log| {
            log::section_has(
                &log,
                log_text,
                self.date,
                &format::takeover_slack_marker(self.nth, &self.to),
            )
        })
    }

    /// The log with this takeover's Slack marker appended to its last
    /// section (the day's).
    pub fn mark_announced(&self, log_text: &str) -> String {
        log::mark(log_text, &format::takeover_slack_marker(self.nth, &self.to))
    }

    /// One line for the terminal and the step summary (not escaped: names
    /// come from the file).
    pub fn summary(&self, rot: &Rotation) -> String {
        let to = format!("{} (@{})", rot.display(&self.to), self.to);
        let from = match &self.from {
            Some(f) => format!("from {} (@{f})", rot.display(f)),
            None => "the uncovered day".to_owned(),
        };
        let why = self
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        format!(
            "Takeover on {}: {to} takes over {from} for the rest of the day{why}.",
            self.date
        )
    }

    /// The Slack message (Block Kit): who is on call now, from whom, why;
    /// the new member is mentioned (they are on call), the one replaced is
    /// named.
    pub fn slack_message(&self) -> Value {
        let rot = &self.after;
        let now = crate::slack::mention(rot, &self.to);
        let from = match &self.from {
            Some(f) => format!("from *{}*", escape::slack(rot.display(f))),
            None => "the day, which was uncovered".to_owned(),
        };
        let mut text = format!(
            "{now} takes over {from} and is on call for the rest of {}.",
            self.date.format("%A %Y-%m-%d")
        );
        if let Some(r) = &self.reason {
            text.push_str(&format!("\n*Why:* {}", escape::slack(r)));
        }
        text.push_str("\nThe rotation does not change: tomorrow's handover is as planned.");
        // The header is plain text (Slack shows it as written); the
        // fallback and the section are mrkdwn: escaped, and verbatim, so
        // that Slack makes no link or mention of its own from a name or
        // the reason.
        let header = escape::truncate(
            &format!("Takeover: {} is on call", rot.display(&self.to)),
            crate::slack::MAX_HEADER_TEXT,
        );
        json!({
            "text": escape::truncate(
                &format!(
                    "{}: {} takes over today",
                    escape::slack(&rot.team),
                    escape::slack(rot.display(&self.to))
                ),
                crate::slack::MAX_FALLBACK_TEXT
            ),
            "blocks": [
                { "type": "header", "text": { "type": "plain_text", "text": header } },
                { "type": "section", "text": { "type": "mrkdwn", "verbatim": true, "text": escape::truncate(&text, crate::slack::MAX_SECTION_TEXT) } }
            ]
        })
    }
}

/// What `oncall check` says about overrides of days handed over (R13): an
/// override of the day handed over last that names someone other than the
/// member on call is a takeover the next run applies (said, so that the
/// lead knows what merging it does); one of an earlier day that differs
/// from the log changes nothing, the log being the record of the past.
pub fn problems(rot: &Rotation, log: &Log) -> Vec<Problem> {
    let Some(st) = &rot.state else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (date, o) in rot.overrides.range(..=st.since) {
        let record = log.record(*date);
        let logged = record.and_then(|r| r.on_call.clone());
        if *date == st.since {
            let noted = record
                .and_then(|r| r.takeover.as_ref())
                .is_some_and(|(_, to)| *to == o.github);
            let asks = st.on_call.as_deref() != Some(o.github.as_str());
            if asks && log.last_date() != Some(*date) {
                out.push(Problem::warning(
                    o.pos,
                    format!("a takeover of {date} needs the day's section in the log, which has none: it changes nothing"),
                    "restore the day's section (its handover), or correct the override's date",
                ));
            } else if st.on_call.as_deref() != Some(o.github.as_str()) && !noted {
                let from = logged.or_else(|| st.on_call.clone());
                out.push(Problem::warning(
                    o.pos,
                    format!(
                        "takes over {date}, a day handed over already, from {}, on call now: the next handover run (`oncall advance`, with or without `--pr`) applies it and announces it (R13)",
                        from.map_or("nobody (uncovered)".to_owned(), |f| format!("`{f}`"))
                    ),
                    "nothing to fix if a takeover is meant; the rotation after today does not change",
                ));
            }
        } else if let Some(r) = record
            && r.on_call.as_deref() != Some(o.github.as_str())
        {
            out.push(Problem::warning(
                o.pos,
                format!(
                    "the override for {date} is for a day handed over already: it changes nothing (the log says {} was on call that day)",
                    r.on_call.as_deref().map_or("nobody".to_owned(), |g| format!("`{g}`"))
                ),
                "the log is the record of that day; if the override is meant for a day ahead, correct its date",
            ));
        }
    }
    out
}

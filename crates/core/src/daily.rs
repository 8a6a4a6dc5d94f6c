//! The day's plan, one value for both backends: from rotation.yaml, the
//! log and a date, what the daily run does. The local backend (files on
//! disk) and the pull-request backend (a branch on GitHub) only read their
//! inputs, apply this plan and record what they did; every outcome, every
//! "nothing to do" and every rendering of the day is decided here, once.

use crate::config::Rotation;
use crate::escape::terminal;
use crate::files::{self, EditError, Files};
use crate::log::Log;
use crate::plan::{self, Advance, Handover, Plan};
use crate::schedule;
use chrono::NaiveDate;

/// What the daily run does on a date.
#[derive(Debug, Clone, PartialEq)]
pub enum Daily {
    /// The day's handover: made by this run (`files` set), or made already
    /// (`files` none: the Slack post and the user group may still be due).
    Day(Box<DayPlan>),
    /// No handover, and why.
    Nothing(NoHandover),
}

/// The day's handover and everything that follows from it.
#[derive(Debug, Clone, PartialEq)]
pub struct DayPlan {
    pub date: NaiveDate,
    /// The handover of `date`.
    pub handover: Handover,
    /// Days handed over late by this run (R9).
    pub missed: Vec<NaiveDate>,
    /// The rotation as it stands after the day (the next days come from it).
    pub after: Rotation,
    /// The files' new texts; none when the day was handed over already.
    pub files: Option<Files>,
    /// The advance this run makes; none when the day was handed over already.
    pub advance: Option<Advance>,
}

impl DayPlan {
    /// Whether this run hands the day over (rather than finding it done).
    pub fn hands_over(&self) -> bool {
        self.files.is_some()
    }

    /// The morning's Slack message (Block Kit), for either backend: the
    /// links are where the backend put the day (the log's line, the pull
    /// request).
    pub fn slack_message(&self, links: crate::slack::Links) -> serde_json::Value {
        crate::slack::handover_message(&self.after, &self.handover, self.missed.clone(), links)
    }

    /// The step summary (Markdown) and the step outputs of the day:
    /// `log_text` is the log as it stands after the run (for the fairness
    /// table), `pr_url` the pull request the backend opened or updated.
    pub fn step_record(
        &self,
        log_text: Option<&str>,
        pr_url: Option<&str>,
        slack: &str,
    ) -> (String, Vec<(&'static str, String)>) {
        crate::actions::run_record(
            Some((&self.after, &self.handover, log_text)),
            Some(self.date),
            "",
            pr_url,
            slack,
        )
    }
}

impl NoHandover {
    /// The step summary and outputs of a day without a handover.
    pub fn step_record(
        &self,
        pr_url: Option<&str>,
        slack: &str,
    ) -> (String, Vec<(&'static str, String)>) {
        crate::actions::run_record(None, Some(self.date()), &self.message(), pr_url, slack)
    }
}

pub use crate::plan::{NoHandover, already_done};

/// The day's plan (R9 catch-up, R10 once a day).
pub fn plan(
    rot: &Rotation,
    rotation_text: &str,
    log: &Log,
    log_text: &str,
    date: NaiveDate,
) -> Result<Daily, EditError> {
    Ok(match plan::advance(rot, log, date) {
        Plan::Nothing(NoHandover::AlreadyDone { date }) => {
            match plan::done_handover(rot, log, date) {
                Some(handover) => Daily::Day(Box::new(DayPlan {
                    date,
                    handover,
                    missed: Vec::new(),
                    after: rot.clone(),
                    files: None,
                    advance: None,
                })),
                None => Daily::Nothing(NoHandover::AlreadyDone { date }),
            }
        }
        Plan::Nothing(why) => Daily::Nothing(why),
        Plan::Advance(adv) => {
            let files = files::after(rot, rotation_text, log, log_text, &adv)?;
            Daily::Day(Box::new(DayPlan {
                date,
                handover: adv.today().clone(),
                missed: adv.missed().map(|h| h.day.date).collect(),
                after: Rotation {
                    state: Some(adv.state.clone()),
                    ..rot.clone()
                },
                files: Some(files),
                advance: Some(*adv),
            }))
        }
    })
}

/// The handover in a few lines, for the terminal: each value escaped
/// before the lines are made, so that no text from a file can start a line.
pub fn terminal_summary(rot: &Rotation, day: &DayPlan) -> String {
    let person = |g: &Option<String>| match g {
        Some(g) => terminal(&rot.label(g)),
        None => "nobody (uncovered)".to_owned(),
    };
    let h = &day.handover;
    let mut s = format!(
        "Handover {} ({}), {} cycle {}\n",
        h.day.date,
        h.day.date.format("%A"),
        terminal(&rot.team),
        h.day.cycle
    );
    s.push_str(&format!("  on call:        {}", person(&h.day.on_call)));
    if let Some(why) = schedule::why_text(rot, &schedule::Row::ahead(rot, &h.day)) {
        s.push_str(&format!(" [{}]", terminal(&why)));
    }
    s.push('\n');
    match &h.previous {
        Some(_) => s.push_str(&format!("  handed over by: {}\n", person(&h.previous))),
        None => s.push_str(&format!(
            "  handed over by: nobody ({})\n",
            h.no_handover_reason(rot)
        )),
    }
    if let Some((date, next)) = &h.next {
        s.push_str(&format!(
            "  next:           {} on {} {date}\n",
            person(next),
            date.format("%A")
        ));
    }
    if !day.missed.is_empty() {
        let missed: Vec<String> = day.missed.iter().map(NaiveDate::to_string).collect();
        s.push_str(&format!(
            "  caught up:      {} missed day(s), logged as not announced: {}\n",
            missed.len(),
            missed.join(", ")
        ));
    }
    s
}

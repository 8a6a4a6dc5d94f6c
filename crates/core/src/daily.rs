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
use crate::takeover::{self, Takeover};
use chrono::{NaiveDate, NaiveTime};

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
    /// The files' new texts (the handover's, with the takeover's note and
    /// state on top); none when the run has nothing to write.
    pub files: Option<Files>,
    /// The advance this run makes; none when the day was handed over already.
    pub advance: Option<Advance>,
    /// R13: an override of the day takes it over from the member its
    /// handover named (`files` has its note and state, unless a run
    /// applied it already: its Slack message may still be due).
    pub takeover: Option<Takeover>,
}

impl DayPlan {
    /// Whether this run hands the day over (rather than finding it done).
    pub fn hands_over(&self) -> bool {
        self.advance.is_some()
    }

    /// Whether this run writes anything: the handover, or a takeover.
    pub fn writes(&self) -> bool {
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
        let (mut summary, outputs) = crate::actions::run_record(
            Some((&self.after, &self.handover, log_text)),
            Some(self.date),
            "",
            pr_url,
            slack,
        );
        // A takeover (R13): who took the day over from whom, under who
        // is on call.
        if let Some(t) = &self.takeover {
            let person = |g: &str| crate::render::person(&self.after, g);
            let from = t
                .from
                .as_deref()
                .map_or("the uncovered day".to_owned(), |f| {
                    format!("from {}", person(f))
                });
            let line = format!("- Takeover: {} takes over {from}\n", person(&t.to));
            match summary.find("- Handed over by:") {
                Some(at) => summary.insert_str(at, &line),
                None => summary.push_str(&line),
            }
        }
        (summary, outputs)
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

/// The words of a `--takeover-only` run without a takeover.
pub fn no_takeover(date: NaiveDate) -> String {
    format!(
        "{date}: no takeover to apply (no override names someone else for a day handed over already): nothing to do."
    )
}

/// The day's plan (R9 catch-up, R10 once a day, R13 takeover). `at`: the
/// run's time of day in the team's time zone (a takeover's note says it).
pub fn plan(
    rot: &Rotation,
    rotation_text: &str,
    log: &Log,
    log_text: &str,
    date: NaiveDate,
    at: NaiveTime,
) -> Result<Daily, EditError> {
    let day = match plan::advance(rot, log, date) {
        Plan::Nothing(NoHandover::AlreadyDone { date }) => {
            match plan::done_handover(rot, log, date) {
                Some(handover) => DayPlan {
                    date,
                    handover,
                    missed: Vec::new(),
                    after: rot.clone(),
                    files: None,
                    advance: None,
                    takeover: None,
                },
                None => return Ok(Daily::Nothing(NoHandover::AlreadyDone { date })),
            }
        }
        Plan::Nothing(why) => return Ok(Daily::Nothing(why)),
        Plan::Advance(adv) => {
            let files = files::after(rot, rotation_text, log, log_text, &adv)?;
            DayPlan {
                date,
                handover: adv.today().clone(),
                missed: adv.missed().map(|h| h.day.date).collect(),
                after: Rotation {
                    state: Some(adv.state.clone()),
                    ..rot.clone()
                },
                files: Some(files),
                advance: Some(*adv),
                takeover: None,
            }
        }
    };
    Ok(Daily::Day(Box::new(with_takeover(
        day,
        rotation_text,
        log,
        log_text,
        at,
    )?)))
}

/// The day's plan with the takeover its override asks for (R13), if any:
/// decided against the day's section as `log` has it (the file, or the
/// base's log with the handover branch's sections), applied on top of the
/// files the handover writes.
fn with_takeover(
    mut day: DayPlan,
    rotation_text: &str,
    log: &Log,
    log_text: &str,
    at: NaiveTime,
) -> Result<DayPlan, EditError> {
    let Some(state) = day.after.state.clone() else {
        return Ok(day);
    };
    let (text, written_log) = match &day.files {
        Some(f) => (f.rotation_text.as_str(), f.log_text.as_str()),
        None => (rotation_text, log_text),
    };
    let Some(t) = takeover::plan(&day.after, &state, text, log, written_log, day.date, at)? else {
        return Ok(day);
    };
    if let Some(f) = &t.files {
        let archives = day.files.take().map(|f| f.archives).unwrap_or_default();
        day.files = Some(Files {
            archives,
            ..f.clone()
        });
    }
    // The day as the log reads after the takeover: its member, why (an
    // override in place of the one taken over from) and reason.
    let final_log = day.files.as_ref().map_or(log_text, |f| f.log_text.as_str());
    if let Ok(mut after) = crate::log::parse("", final_log)
        && let Some(h) = {
            after.archives = log.archives.clone();
            plan::done_handover(&t.after, &after, day.date)
        }
    {
        day.handover = Handover {
            announced: day.handover.announced,
            ..h
        };
    }
    day.after = t.after.clone();
    day.takeover = Some(t);
    Ok(day)
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

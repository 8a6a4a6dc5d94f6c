//! What both backends of `oncall advance` do after the handover: the
//! Slack post, at most once a day, recorded the backend's way; the Slack
//! user group; the step summary and outputs.

use crate::actions;
use crate::commands::Ctx;
use crate::error::UserError;
use crate::webhook;
use anyhow::Result;
use chrono::NaiveDate;
use oncall_core::config::Rotation;
use oncall_core::daily::{DayPlan, NoHandover};
use oncall_core::escape::terminal;
use reqwest::Url;

/// Where a backend records that a day's handover was posted to Slack, so
/// that it is posted once: the log section (local files), or the pull
/// request (with a claim ref, so that of two runs at once one posts).
pub(crate) trait SlackRecord {
    /// The day was posted already.
    fn announced(&self) -> bool;
    /// Claims the post before it is made: `Some(why)` when another run
    /// holds it.
    fn claim(&mut self, _ctx: &Ctx) -> Result<Option<String>> {
        Ok(None)
    }
    /// Records the post (made, or timed out: Slack may well have posted).
    fn record(&mut self, ctx: &Ctx) -> Result<()>;
    /// Gives the claim back after a failed post, so that a rerun posts.
    fn release(&mut self, _ctx: &Ctx) {}
}

/// What a daily run posts to Slack, each at most once.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Post {
    /// The day's handover.
    Handover(NaiveDate),
    /// A takeover of the day (R13).
    Takeover(NaiveDate),
}

impl Post {
    /// How the terminal names the post's day.
    fn subject(self) -> String {
        match self {
            Post::Handover(date) => date.to_string(),
            Post::Takeover(date) => format!("the takeover of {date}"),
        }
    }
    fn posted(self) -> String {
        match self {
            Post::Handover(date) => format!("the handover for {date}"),
            Post::Takeover(date) => format!("the takeover of {date}"),
        }
    }
}

/// Posts the handover (or a takeover) to Slack at most once, for either
/// backend: not again when `record` says it was; without a webhook (a dry
/// run) the payload is printed; a timeout counts as posted (the error says
/// to check), any other failure gives the claim back.
pub(crate) fn post_once(
    record: &mut dyn SlackRecord,
    payload: &serde_json::Value,
    what: Post,
    webhook: Option<&Url>,
    ctx: &mut Ctx,
) -> Result<()> {
    let subject = what.subject();
    if record.announced() {
        writeln!(
            ctx.out,
            "Slack: {subject} was announced already; not posting again."
        )?;
        return Ok(());
    }
    let Some(url) = webhook else {
        ctx.out
            .write_all(oncall_core::slack::dry_run_text(payload).as_bytes())?;
        return Ok(());
    };
    if let Some(why) = record.claim(ctx)? {
        writeln!(ctx.out, "Slack: {subject} {why}")?;
        return Ok(());
    }
    let posted = ctx
        .net
        .block_on(webhook::post(ctx.net.client()?, url, payload))?;
    if webhook::counts_as_posted(&posted) {
        record.record(ctx)?;
    } else {
        record.release(ctx);
    }
    posted?;
    writeln!(ctx.out, "Slack: posted {}.", what.posted())?;
    Ok(())
}

/// The Slack webhook, checked before anything is written; none for a dry
/// run (which prints the payload) or without `--slack`.
/// `var`: the environment variable with the webhook's URL.
pub(crate) fn webhook(slack: bool, dry_run: bool, var: &str) -> Result<Option<Url>> {
    Ok(match (slack, dry_run) {
        (true, false) => Some(
            webhook::webhook_url(var, crate::env::var(var))
                .map_err(|e| UserError::Usage(e.to_string()))?,
        ),
        _ => None,
    })
}

/// The Slack line of the step summary.
pub(crate) fn slack_status(announced: &Result<()>, requested: bool) -> String {
    match (announced, requested) {
        (_, false) => "not requested".to_owned(),
        (Ok(()), true) => "posted (or announced already)".to_owned(),
        (Err(e), true) => format!("failed: {}", terminal(&e.to_string())),
    }
}

/// What a daily run records for GitHub Actions.
pub(crate) enum Record<'a> {
    /// The day's handover, and the log as it stands after the run.
    Day(&'a DayPlan, Option<&'a str>),
    /// No handover, and why.
    Nothing(&'a NoHandover),
}

/// The step summary and outputs of a daily run, for both backends (the
/// core renders them: `DayPlan::step_record`, `NoHandover::step_record`).
pub(crate) fn record_in_actions(record: Record, pr_url: Option<&str>, slack: &str) -> Result<()> {
    let (summary, outputs) = match record {
        Record::Day(day, log_text) => day.step_record(log_text, pr_url, slack),
        Record::Nothing(why) => why.step_record(pr_url, slack),
    };
    actions::append_summary(&summary)?;
    actions::set_outputs(&outputs)
}

/// Sets the Slack user group (`slack.usergroup`) to the day's engineer,
/// after the handover: when `SLACK_BOT_TOKEN` is set. An uncovered day, or
/// an engineer without a Slack ID, leaves the group as it was and says so.
/// A failure is reported (exit code 1) but never undoes the handover.
pub(crate) fn sync_usergroup(
    rot: &Rotation,
    handover: Option<&oncall_core::plan::Handover>,
    dry_run: bool,
    ctx: &mut Ctx,
) -> Result<()> {
    let (Some(group), Some(h)) = (&rot.usergroup, handover) else {
        return Ok(());
    };
    let token = crate::env::var("SLACK_BOT_TOKEN").unwrap_or_default();
    let group_t = terminal(group);
    if token.trim().is_empty() {
        writeln!(
            ctx.out,
            "Slack user group {group_t}: SLACK_BOT_TOKEN is not set, so it is left as it is."
        )?;
        return Ok(());
    }
    let Some(g) = &h.day.on_call else {
        writeln!(
            ctx.out,
            "Slack user group {group_t}: today is uncovered, so it is left as it is."
        )?;
        return Ok(());
    };
    let Some(id) = rot.member(g).and_then(|m| m.slack.clone()) else {
        writeln!(
            ctx.out,
            "Slack user group {group_t}: {} has no `slack` member ID in rotation.yaml, so it is left as it is.",
            terminal(g)
        )?;
        return Ok(());
    };
    if dry_run {
        writeln!(
            ctx.out,
            "Slack user group {group_t}: would be set to {} ({}).",
            terminal(g),
            terminal(&id)
        )?;
        return Ok(());
    }
    let api = crate::env::var("SLACK_API_URL")
        .unwrap_or_else(|| crate::usergroup::DEFAULT_API_URL.to_owned());
    let set = crate::usergroup::set_members(
        ctx.net.client()?,
        &api,
        token.trim(),
        group,
        std::slice::from_ref(&id),
    );
    ctx.net.block_on(set)??;
    writeln!(
        ctx.out,
        "Slack user group {group_t}: set to {}.",
        terminal(g)
    )?;
    Ok(())
}

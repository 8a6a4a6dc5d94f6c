//! The local backend of `oncall advance`: reads rotation.yaml and the log
//! from the disk, applies the day's plan to them, and records the Slack
//! post in the day's log section.

use super::after::{
    Post, Record, SlackRecord, post_once, record_in_actions, slack_status, sync_usergroup, webhook,
};
use crate::cli::AdvanceArgs;
use crate::commands::{Ctx, Inputs, Target, label, open};
use crate::error::UserError;
use crate::fsio;
use anyhow::Result;
use oncall_core::calendar;
use oncall_core::daily::{self, Daily, DayPlan};
use oncall_core::diff::unified;
use oncall_core::log;
use std::path::Path;

pub fn run(args: &AdvanceArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    let inputs = open(target, ctx)?;
    crate::commands::annotate_warnings(&inputs.warnings, ctx)?;
    let rot = &inputs.rotation;
    let today = calendar::today(rot.timezone, ctx.now);
    let date = args.date.unwrap_or(today);
    crate::error::refuse_future(date, today, args.dry_run, args.future)?;
    oncall_core::lint::refuse_catch_up(&label(&target.config), rot, date)
        .map_err(UserError::from)?;
    // The run's time of day, for a takeover's note (R13).
    let at = ctx.now.with_timezone(&rot.timezone).time();
    let daily = daily::plan(
        rot,
        &inputs.rotation_text,
        &inputs.log,
        &inputs.log_text,
        date,
        at,
    )
    .map_err(UserError::from)?;
    // Check the Slack setting before anything is written.
    let var = args.webhook_env.as_deref().unwrap_or(&rot.webhook_env);
    let webhook = webhook(args.slack, args.dry_run, var)?;
    let day = match &daily {
        Daily::Nothing(why) => {
            writeln!(ctx.out, "{}", oncall_core::escape::terminal(&why.message()))?;
            if args.slack {
                writeln!(ctx.out, "Slack: nothing to post today.")?;
            }
            if !args.dry_run {
                let status = slack_status(&Ok(()), args.slack);
                record_in_actions(Record::Nothing(why), None, &status)?;
            }
            return Ok(());
        }
        Daily::Day(day) => day,
    };
    if args.takeover_only && day.takeover.is_none() {
        writeln!(ctx.out, "{}", daily::no_takeover(day.date))?;
        return Ok(());
    }
    apply(target, &inputs, day, args.dry_run, ctx)?;
    let announced = match args.slack {
        true => announce(target, &inputs, day, webhook.as_ref(), ctx),
        false => Ok(()),
    };
    let grouped = sync_usergroup(&day.after, Some(&day.handover), args.dry_run, ctx);
    if !args.dry_run {
        let status = slack_status(&announced, args.slack);
        let log_after = day
            .files
            .as_ref()
            .map_or(inputs.log_text.as_str(), |f| f.log_text.as_str());
        record_in_actions(Record::Day(day, Some(log_after)), None, &status)?;
    }
    announced?;
    grouped
}

/// Writes the day's files (or, in a dry run, prints them as a diff), then
/// what the run did: the handover's summary, a takeover's (R13).
fn apply(
    target: &Target,
    inputs: &Inputs,
    day: &DayPlan,
    dry_run: bool,
    ctx: &mut Ctx,
) -> Result<()> {
    let rot = &inputs.rotation;
    let takeover = day
        .takeover
        .as_ref()
        .map(|t| oncall_core::escape::terminal(&t.summary(rot)));
    let Some(new) = &day.files else {
        let done = daily::already_done(day.date);
        match takeover {
            Some(t) => writeln!(ctx.out, "{done} The takeover is recorded: {t}")?,
            None => writeln!(ctx.out, "{done}")?,
        }
        return Ok(());
    };
    write_or_show(target, inputs, new, dry_run, ctx)?;
    if day.hands_over() {
        ctx.out
            .write_all(daily::terminal_summary(rot, day).as_bytes())?;
    }
    if let Some(t) = takeover {
        writeln!(ctx.out, "{t}")?;
    }
    Ok(())
}

/// Where an archive the plan names (beside the log) is.
fn archive_path(log: &Path, beside: &str) -> std::path::PathBuf {
    log.parent().unwrap_or(Path::new("")).join(beside)
}

/// New files, written (the archives, then the log, then rotation.yaml: a
/// run stopped between them leaves what the next run completes) or, in a
/// dry run, shown as a diff.
fn write_or_show(
    target: &Target,
    inputs: &Inputs,
    new: &oncall_core::files::Files,
    dry_run: bool,
    ctx: &mut Ctx,
) -> Result<()> {
    if dry_run {
        writeln!(ctx.out, "Dry run: nothing is written.\n")?;
        let rotation_diff = unified(
            &label(&target.config),
            &inputs.rotation_text,
            &new.rotation_text,
            None,
        );
        let log_diff = unified(
            &label(&target.log),
            &inputs.log_text,
            &new.log_text,
            Some(inputs.log.line_count),
        );
        writeln!(ctx.out, "{rotation_diff}{log_diff}")?;
        for (path, text) in &new.archives {
            let path = archive_path(&target.log, path);
            writeln!(ctx.out, "{}", unified(&label(&path), "", text, None))?;
        }
    } else {
        // The archives first (a yearly move), then the log: while the log
        // still holds a year, its archive is not read, and the next run
        // writes it again with the same text (`oncall_core::archive`).
        for (path, text) in &new.archives {
            let path = archive_path(&target.log, path);
            if let Some(dir) = path.parent() {
                fsio::create_dir_all(dir).map_err(crate::error::fs)?;
            }
            fsio::write_atomic(&path, text).map_err(crate::error::fs)?;
        }
        // The log next: if writing rotation.yaml then fails, the next run
        // finds the sections already there and does not add them again.
        if new.log_text != inputs.log_text {
            fsio::write_atomic(&target.log, &new.log_text).map_err(crate::error::fs)?;
        }
        fsio::write_atomic(&target.config, &new.rotation_text).map_err(crate::error::fs)?;
    }
    Ok(())
}

/// Posts the day's handover to Slack, once (R10), and the day's takeover,
/// once (R13): each post is recorded in the day's log section, and a rerun
/// after a failed post posts. With no webhook (a dry run), prints the
/// payloads instead.
fn announce(
    target: &Target,
    inputs: &Inputs,
    day: &DayPlan,
    webhook: Option<&reqwest::Url>,
    ctx: &mut Ctx,
) -> Result<()> {
    // In a dry run nothing was written: the files are as they were.
    let mut log_text = match (webhook, &day.files) {
        (Some(_), Some(new)) => new.log_text.clone(),
        _ => inputs.log_text.clone(),
    };
    let log = log::parse(&label(&target.log), &log_text).map_err(UserError::from)?;
    let links = oncall_core::slack::Links {
        pr: None,
        log: log_link(&target.log, log.record(day.date).map(|r| r.line)),
    };
    let payload = day.slack_message(links);
    let mut record = LogRecord {
        announced: log::announced_in_slack(&log, &log_text, day.date),
        path: &target.log,
        marked: log::mark_announced(&log_text),
        written: false,
    };
    post_once(
        &mut record,
        &payload,
        Post::Handover(day.date),
        webhook,
        ctx,
    )?;
    if let Some(t) = &day.takeover {
        if record.written {
            log_text = record.marked;
        }
        let mut record = LogRecord {
            announced: t.announced(&log_text),
            path: &target.log,
            marked: t.mark_announced(&log_text),
            written: false,
        };
        post_once(
            &mut record,
            &t.slack_message(),
            Post::Takeover(day.date),
            webhook,
            ctx,
        )?;
    }
    Ok(())
}

/// The local backend's record: a marker in the day's log section.
struct LogRecord<'a> {
    announced: bool,
    path: &'a Path,
    /// The log with the post's marker, written once it is made.
    marked: String,
    /// `marked` was written.
    written: bool,
}

impl SlackRecord for LogRecord<'_> {
    fn announced(&self) -> bool {
        self.announced
    }
    fn record(&mut self, _ctx: &Ctx) -> Result<()> {
        fsio::write_atomic(self.path, &self.marked).map_err(crate::error::fs)?;
        self.written = true;
        Ok(())
    }
}

/// A link to a line of the log on GitHub, when running in GitHub Actions.
fn log_link(log_path: &Path, line: Option<u32>) -> Option<String> {
    let server = crate::env::var("GITHUB_SERVER_URL")?;
    let repo = crate::env::var("GITHUB_REPOSITORY")?;
    let branch = crate::env::var("GITHUB_REF_NAME")?;
    let line = line?;
    let path = log_path.to_string_lossy().replace('\\', "/");
    Some(format!("{server}/{repo}/blob/{branch}/{path}#L{line}"))
}

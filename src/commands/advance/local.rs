//! The local backend of `oncall advance`: reads rotation.yaml and the log
//! from the disk, applies the day's plan to them, and records the Slack
//! post in the day's log section.

use super::after::{
    Record, SlackRecord, post_once, record_in_actions, slack_status, sync_usergroup, webhook,
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
    let daily = daily::plan(
        rot,
        &inputs.rotation_text,
        &inputs.log,
        &inputs.log_text,
        date,
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
    // R13: an override for the day handed over already is a takeover.
    let at = ctx.now.with_timezone(&rot.timezone).time();
    let takeover = match day.files {
        Some(_) => None,
        None => oncall_core::takeover::plan(
            rot,
            &inputs.rotation_text,
            &inputs.log,
            &inputs.log_text,
            date,
            at,
        )
        .map_err(UserError::from)?,
    };
    if let Some(t) = &takeover {
        return take_over(args, target, &inputs, t, webhook.as_ref(), ctx);
    }
    apply(target, &inputs, day, args.dry_run, ctx)?;
    let announced = match args.slack {
        true => announce(target, &inputs, day, webhook.as_ref(), ctx),
        false => Ok(()),
    };
    let grouped = sync_usergroup(rot, Some(&day.handover), args.dry_run, ctx);
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
/// the handover's summary.
fn apply(
    target: &Target,
    inputs: &Inputs,
    day: &DayPlan,
    dry_run: bool,
    ctx: &mut Ctx,
) -> Result<()> {
    let Some(new) = &day.files else {
        writeln!(ctx.out, "{}", daily::already_done(day.date))?;
        return Ok(());
    };
    write_or_show(target, inputs, new, dry_run, ctx)?;
    ctx.out
        .write_all(daily::terminal_summary(&inputs.rotation, day).as_bytes())?;
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

/// Posts the day's handover to Slack, once (R10): the post is recorded in
/// the day's log section, and a rerun after a failed post posts. With no
/// webhook (a dry run), prints the payload instead.
fn announce(
    target: &Target,
    inputs: &Inputs,
    day: &DayPlan,
    webhook: Option<&reqwest::Url>,
    ctx: &mut Ctx,
) -> Result<()> {
    // In a dry run nothing was written: the files are as they were.
    let log_text = match (webhook, &day.files) {
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
    };
    post_once(&mut record, &payload, day.date, webhook, ctx)
}

/// The local backend's record: a marker in the day's log section.
struct LogRecord<'a> {
    announced: bool,
    path: &'a Path,
    /// The log with the post's marker, written once it is made.
    marked: String,
}

impl SlackRecord for LogRecord<'_> {
    fn announced(&self) -> bool {
        self.announced
    }
    fn record(&mut self, _ctx: &Ctx) -> Result<()> {
        fsio::write_atomic(self.path, &self.marked).map_err(crate::error::fs)
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

/// R13: applies a takeover (the log's note first, then the state, so that
/// a run stopped between them is completed by the next), announces it in
/// Slack once (a marker in the day's section), and moves the user group to
/// the new member. The day's handover itself was made already: if its own
/// post failed earlier, it is made first.
fn take_over(
    args: &AdvanceArgs,
    target: &Target,
    inputs: &Inputs,
    t: &oncall_core::takeover::Takeover,
    webhook: Option<&reqwest::Url>,
    ctx: &mut Ctx,
) -> Result<()> {
    let rot = &inputs.rotation;
    let (rotation_text, log_text) = match &t.files {
        Some(f) => (f.rotation_text.clone(), f.log_text.clone()),
        None => (inputs.rotation_text.clone(), inputs.log_text.clone()),
    };
    let summary = oncall_core::escape::terminal(&t.summary(rot));
    match &t.files {
        Some(f) => {
            write_or_show(target, inputs, f, args.dry_run, ctx)?;
            writeln!(ctx.out, "{summary}")?;
        }
        None => writeln!(
            ctx.out,
            "{} The takeover is recorded: {summary}",
            daily::already_done(t.date)
        )?,
    }
    // The day as it stands after the takeover: its handover now names the
    // new member (the log's note), for the user group and the step record.
    let log = log::parse(&label(&target.log), &log_text).map_err(UserError::from)?;
    let daily =
        daily::plan(&t.after, &rotation_text, &log, &log_text, t.date).map_err(UserError::from)?;
    let Daily::Day(day) = &daily else {
        anyhow::bail!("internal: the day handed over is gone after the takeover");
    };
    let written = Inputs {
        rotation: t.after.clone(),
        warnings: inputs.warnings.clone(),
        rotation_text: rotation_text.clone(),
        log: log.clone(),
        log_text: log_text.clone(),
        // The day is in the log itself: its archives are not needed here.
        archives: Vec::new(),
    };
    let announced = match args.slack {
        true => announce(target, &written, day, webhook, ctx).and_then(|()| {
            // Re-read: the handover's own post may have marked the log.
            let log_text = match webhook {
                Some(_) => fsio::read_text(&target.log, false).map_err(UserError::from)?,
                None => log_text.clone(),
            };
            let mut record = LogRecord {
                announced: t.announced(&log_text),
                path: &target.log,
                marked: t.mark_announced(&log_text),
            };
            post_once(&mut record, &t.slack_message(), t.date, webhook, ctx)
        }),
        false => Ok(()),
    };
    let grouped = sync_usergroup(&t.after, Some(&day.handover), args.dry_run, ctx);
    if !args.dry_run {
        let status = slack_status(&announced, args.slack);
        record_in_actions(Record::Day(day, Some(&log_text)), None, &status)?;
    }
    announced?;
    grouped
}

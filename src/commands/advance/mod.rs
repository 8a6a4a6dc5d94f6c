//! `oncall advance`: the day's handover. The core decides the day
//! (`oncall_core::daily`); two thin backends apply it: `local` (the files
//! on disk) and `pr` (a pull request on GitHub). What both do after the
//! handover (Slack once a day, the user group, the step summary) is in
//! `after`.

mod after;
mod local;
mod pr;

use super::{Ctx, Target, input_report};
use crate::actions;
use crate::cli::AdvanceArgs;
use crate::fsio;
use crate::webhook;
use anyhow::Result;
use oncall_core::diag::Report;
use oncall_core::escape::terminal;

/// `oncall advance`.
pub fn run(args: &AdvanceArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    let result = match args.pr {
        true => pr::run(args, target, ctx),
        false => local::run(args, target, ctx),
    };
    if let Err(e) = &result
        && let Some(report) = input_report(e)
    {
        // The webhook of the rotation, as far as the file says (read
        // without validating it; a --pr run without a checkout: the
        // default).
        let var = args.webhook_env.clone().unwrap_or_else(|| {
            let text = fsio::read_text(&target.config, false).unwrap_or_default();
            oncall_core::config::webhook_env_in(&text)
        });
        report_broken_input(&report, args.slack && !args.dry_run, &var, ctx)?;
    }
    result
}

/// A daily run that could not read its files tells the team: the problems
/// as annotations and in the step summary, and with `--slack` a short
/// message that the handover did not happen. Nothing is written.
fn report_broken_input(
    report: &Report,
    to_slack: bool,
    webhook_env: &str,
    ctx: &mut Ctx,
) -> Result<()> {
    if crate::env::in_actions() {
        // An annotation names the file's path in the repository: without
        // the " (on main)" that says where `--pr` read it.
        let mut in_repo = report.clone();
        in_repo.map_files(|file| {
            if let Some(at) = file.find(" (on ") {
                file.truncate(at);
            }
        });
        ctx.out
            .command(&oncall_core::actions::annotations(&in_repo))?;
    }
    actions::append_summary(&oncall_core::actions::failure_summary(report))?;
    if !to_slack {
        return Ok(());
    }
    let Ok(url) = webhook::webhook_url(webhook_env, crate::env::var(webhook_env)) else {
        return Ok(());
    };
    let message = oncall_core::slack::failure_message(report);
    match ctx
        .net
        .block_on(webhook::post(ctx.net.client()?, &url, &message))?
    {
        Ok(()) => writeln!(
            ctx.out,
            "Slack: told the team that today's handover did not happen."
        )?,
        Err(e) => writeln!(
            ctx.out,
            "Slack: could not tell the team that the handover did not happen: {}",
            terminal(&e.to_string())
        )?,
    }
    Ok(())
}

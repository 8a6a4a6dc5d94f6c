//! The pull-request backend of `oncall advance --pr`: reads the base
//! branch's files from GitHub, applies the day's plan as a commit on the
//! handover branch and a pull request (`github::run`), and records the
//! Slack post on the pull request.

use super::after::{
    Post, Record, SlackRecord, post_once, record_in_actions, slack_status, sync_usergroup, webhook,
};
use crate::cli::AdvanceArgs;
use crate::commands::{Ctx, Target};
use crate::github::client::Client;
use crate::github::settings::{repo_path, settings, web_repo};
use crate::github::{self, Outcome};
use anyhow::{Context, Result};
use oncall_core::daily::DayPlan;
use oncall_core::diff::unified;
use oncall_core::escape::terminal;
use oncall_core::pr::{self as handover, Paths};

pub fn run(args: &AdvanceArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    let settings = settings(args.repo.as_deref(), args.api_url.as_deref())?;
    // A named rotation's handover has its own branch (and so its own pull
    // request and Slack claim): oncall/NAME/handover.
    let branch = match target.named() {
        Some(name) if args.branch == github::DEFAULT_BRANCH => format!("oncall/{name}/handover"),
        _ => args.branch.clone(),
    };
    let paths = Paths {
        config: repo_path(&target.config)?,
        log: repo_path(&target.log)?,
        branch,
        label: args.label.clone(),
        web_repo: web_repo(&settings),
    };
    // The webhook is checked once the base branch's rotation.yaml, which
    // may name its variable, is read, and before anything is written.
    let mut webhook_url = None;
    let mut check_slack = |rotation_text: &str| -> Result<()> {
        let var = args
            .webhook_env
            .clone()
            .unwrap_or_else(|| oncall_core::config::webhook_env_in(rotation_text));
        webhook_url = webhook(args.slack, args.dry_run, &var)?;
        Ok(())
    };
    let client = {
        let _entered = ctx.net.enter()?;
        Client::new(settings, ctx.net.client()?.clone())?
    };
    let work = github::run(
        &client,
        args.base.as_deref(),
        &paths,
        github::When {
            date: args.date,
            now: ctx.now,
            dry_run: args.dry_run,
            future: args.future,
            takeover_only: args.takeover_only,
        },
        &mut check_slack,
    );
    let outcome = ctx
        .net
        .block_on_within(github::client::RUN_BUDGET, work)?
        .ok_or_else(|| {
            anyhow::anyhow!(
                "GitHub did not finish within {} s: run again later",
                github::client::RUN_BUDGET.as_secs()
            )
        })??;
    crate::commands::print_warnings(&outcome.report, ctx)?;
    crate::commands::annotate_warnings(&outcome.report, ctx)?;
    for w in &outcome.warnings {
        writeln!(ctx.err, "warning: {}", terminal(w))?;
    }
    for m in &outcome.messages {
        writeln!(ctx.out, "{}", terminal(m))?;
    }
    if args.dry_run {
        print_dry_run(&outcome, &paths, ctx)?;
    }
    let day = outcome.day();
    if let Some(d) = day {
        match &d.takeover {
            Some(t) => writeln!(ctx.out, "{}", terminal(&t.summary(&d.after)))?,
            None => writeln!(ctx.out, "{}", terminal(&handover::title(&d.handover)))?,
        }
    }
    if let Some(url) = &outcome.pr_url {
        writeln!(ctx.out, "pull request: {}", terminal(url))?;
    }
    let announced = match (args.slack, day) {
        (true, Some(d)) => announce(&client, &outcome, d, &paths, webhook_url.as_ref(), ctx),
        (true, None) if outcome.decision.is_none() => {
            writeln!(ctx.out, "Slack: nothing to post.")?;
            Ok(())
        }
        _ => Ok(()),
    };
    if !args.dry_run {
        let status = slack_status(&announced, args.slack);
        let log_text = outcome
            .decision
            .as_ref()
            .and_then(|d| d.files.as_ref().map(|f| f.1.as_str()));
        let record = match (day, &outcome.nothing) {
            (Some(d), _) => Some(Record::Day(d, log_text)),
            (None, Some(why)) => Some(Record::Nothing(why)),
            (None, None) => None,
        };
        if let Some(record) = record {
            record_in_actions(record, outcome.pr_url.as_deref(), &status)?;
        }
    }
    writeln!(ctx.err, "GitHub requests: {}", client.requests())?;
    // The user group follows the handover (from the base branch's
    // rotation.yaml), whatever happened to the Slack post.
    let grouped = match day {
        Some(d) => sync_usergroup(&d.after, Some(&d.handover), args.dry_run, ctx),
        None => Ok(()),
    };
    announced?;
    grouped
}

fn print_dry_run(outcome: &Outcome, paths: &Paths, ctx: &mut Ctx) -> Result<()> {
    let Some(d) = &outcome.decision else {
        return Ok(());
    };
    let out = &mut ctx.out;
    writeln!(out, "Dry run: no write request is made.\n")?;
    let action = if d.pr_id.is_some() { "update" } else { "open" };
    writeln!(
        out,
        "Would {action} the pull request `{}` → `{}`:",
        paths.branch, outcome.base
    )?;
    writeln!(out, "title: {}", terminal(&d.title))?;
    writeln!(
        out,
        "body:\n{}",
        d.body.lines().map(terminal).collect::<Vec<_>>().join("\n")
    )?;
    writeln!(out, "branch: {:?}", d.branch)?;
    if let (Some((rotation, log)), Some((base_rotation, base_log))) =
        (&d.files, &outcome.base_files)
    {
        writeln!(
            out,
            "\nThe files on the branch, against `{}`:",
            outcome.base
        )?;
        out.write_all(unified(&paths.config, base_rotation, rotation, None).as_bytes())?;
        out.write_all(unified(&paths.log, base_log, log, None).as_bytes())?;
        for (path, text) in &d.archives {
            out.write_all(unified(path, "", text, None).as_bytes())?;
        }
    }
    if !d.reviewers.is_empty() {
        writeln!(
            out,
            "review requested from: {}",
            d.reviewers
                .iter()
                .map(|r| format!("@{r}"))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    Ok(())
}

/// Posts the day's handover (unless the base has the day: it was merged,
/// and announced then) and the day's takeover (R13), each once.
fn announce(
    client: &Client,
    outcome: &Outcome,
    day: &DayPlan,
    paths: &Paths,
    webhook: Option<&reqwest::Url>,
    ctx: &mut Ctx,
) -> Result<()> {
    let decision = outcome.decision.as_ref();
    let mut record = PrRecord {
        client,
        outcome,
        body: outcome.pr_body.clone(),
        marker: oncall_core::log_format::pr_slack_marker(day.date),
        claimed: false,
        claimed_before: false,
    };
    // Each post is tried even when the one before failed (a failed record
    // of a post that was made must not keep the takeover from Slack); the
    // first error is returned at the end.
    let mut handover = Ok(());
    if decision.is_none_or(|d| d.announce_handover) {
        record.claimed_before = decision.is_some_and(|d| d.handover_claimed);
        let log_line = decision.and_then(|d| d.log_line);
        let links = oncall_core::slack::Links {
            pr: outcome.pr_url.clone(),
            log: log_line.map(|l| {
                format!(
                    "{}/blob/{}/{}#L{l}",
                    paths.web_repo, paths.branch, paths.log
                )
            }),
        };
        let payload = day.slack_message(links);
        handover = record.restore(webhook.is_some(), ctx).and_then(|()| {
            post_once(
                &mut record,
                &payload,
                Post::Handover(day.date),
                webhook,
                ctx,
            )
        });
    }
    let mut takeover = Ok(());
    if let Some(t) = &day.takeover {
        record.claimed_before = decision.is_some_and(|d| d.takeover_claimed);
        record.marker = oncall_core::log_format::pr_takeover_marker(day.date, t.nth, &t.to);
        takeover = record.restore(webhook.is_some(), ctx).and_then(|()| {
            post_once(
                &mut record,
                &t.slack_message(),
                Post::Takeover(day.date),
                webhook,
                ctx,
            )
        });
    }
    handover.and(takeover)
}

/// The pull request backend's record: a marker in the pull request's body,
/// after a compare-and-swap claim on the claim ref (once a run: the
/// handover and a takeover posted by one run share it).
struct PrRecord<'a> {
    client: &'a Client,
    outcome: &'a Outcome,
    /// The pull request's body as it is now.
    body: Option<String>,
    /// The marker of the post at hand.
    marker: String,
    /// This run holds the claim.
    claimed: bool,
    /// An earlier run claimed this post (and so made it).
    claimed_before: bool,
}

impl PrRecord<'_> {
    /// A post counted as made by its claim (`claimed_before`) whose marker
    /// the body lacks gets it back now, so that a run after the claim has
    /// moved on (a rebuilt branch) still finds the post recorded. Not in a
    /// dry run (`live` false), which writes nothing.
    fn restore(&mut self, live: bool, ctx: &Ctx) -> Result<()> {
        match live && self.claimed_before && !self.recorded() {
            true => self.record(ctx),
            false => Ok(()),
        }
    }

    /// The body has the marker of the post at hand.
    fn recorded(&self) -> bool {
        self.body
            .as_deref()
            .is_some_and(|b| oncall_core::log_format::pr_records(b, &self.marker))
    }
}

impl SlackRecord for PrRecord<'_> {
    fn announced(&self) -> bool {
        self.claimed_before || self.recorded()
    }
    fn claim(&mut self, ctx: &Ctx) -> Result<Option<String>> {
        if self.claimed {
            return Ok(None);
        }
        // Of two runs at once, only the one that claims the day posts.
        Ok(
            match ctx
                .net
                .block_on(github::claim_slack(self.client, self.outcome))??
            {
                true => {
                    self.claimed = true;
                    None
                }
                false => Some(format!(
                    "is being announced by another run (the claim `{}` points at the handover branch's head); not posting. If no message arrives, post it by hand.",
                    terminal(&self.outcome.claim_ref)
                )),
            },
        )
    }
    fn record(&mut self, ctx: &Ctx) -> Result<()> {
        if let (Some(id), Some(body)) = (&self.outcome.pr_id, &self.body) {
            let now = ctx
                .net
                .block_on(github::record_slack(self.client, id, body, &self.marker))?
                .context("Slack was told, but recording it on the pull request failed")?;
            self.body = Some(now);
        }
        Ok(())
    }
    fn release(&mut self, ctx: &Ctx) {
        self.claimed = false;
        let _ = ctx
            .net
            .block_on(github::release_slack(self.client, self.outcome));
    }
}

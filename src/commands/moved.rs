//! `oncall preview --base DIR --slack`: tells the people whose days moved.
//! For each rotation the change touches, the next eight weeks before and
//! after (`oncall_core::moved`); a rotation where someone's days changed
//! gets one message on its own webhook (rotation.yaml's
//! `slack.webhook_env`). With `--once-for COMMIT` each message is claimed
//! on GitHub first (`github::moved`), so that a rerun posts nothing.

use super::Ctx;
use super::preview::{self, Sides, Trees};
use crate::error::UserError;
use crate::github::client::{self, Client};
use crate::github::moved::{self as claims, Claim, Claims};
use crate::layout::Located;
use crate::webhook;
use anyhow::Result;
use oncall_core::calendar;
use oncall_core::escape::terminal;
use oncall_core::moved::{self, Moved, NotPosted};
use oncall_core::schedule;
use serde_json::Value;
use std::path::Path;

/// One rotation's message.
struct Message {
    rotation: String,
    webhook_env: String,
    payload: Value,
    moved: Vec<Moved>,
}

/// The message of one rotation the change touches, or why there is none.
fn message_of(
    l: &Located,
    trees: &Trees,
    changed: &[String],
    ctx: &Ctx,
) -> Result<Message, NotPosted> {
    let (after, before) = match preview::sides(l, trees, ctx.now) {
        Sides::Removed => return Err(NotPosted::Removed),
        Sides::Broken => return Err(NotPosted::DidNotLoad),
        Sides::Loaded {
            before: None,
            existed,
            ..
        } => {
            return Err(match existed {
                true => NotPosted::DidNotLoad,
                false => NotPosted::New,
            });
        }
        Sides::Loaded {
            after,
            before: Some(before),
            ..
        } => (after, before),
    };
    let today = calendar::today(after.rotation.timezone, ctx.now);
    let window = moved::window(today);
    let rows = |i: &super::Inputs| schedule::rows(&i.rotation, &i.log, window.0, window.1);
    let changes = schedule::compare(&rows(&before), &rows(&after));
    let people = moved::people(&changes);
    let payload = moved::message(&before.rotation, &after.rotation, &people, window, changed)
        .ok_or(NotPosted::NobodyMoved)?;
    Ok(Message {
        rotation: l.name.clone(),
        webhook_env: after.rotation.webhook_env.clone(),
        payload,
        moved: people,
    })
}

/// `oncall preview --slack`, after the preview: tells the people whose
/// days moved (nothing without `--slack`).
pub fn run(args: &crate::cli::PreviewArgs, target: &super::Target, ctx: &mut Ctx) -> Result<()> {
    if !args.slack {
        return Ok(());
    }
    tell(
        preview::named(target),
        &args.base,
        args.once_for.as_deref(),
        args.webhook_env.as_deref(),
        ctx,
    )
}

/// Posts, for each rotation whose days moved, its message (claimed first
/// with `once_for`), on its webhook (`webhook_env`: the variable that
/// holds it for every rotation, else the one its rotation.yaml names). A
/// rotation's failure does not stop the others; the run then fails,
/// naming each.
fn tell(
    named: Option<Located>,
    base: &Path,
    once_for: Option<&str>,
    webhook_env: Option<&str>,
    ctx: &mut Ctx,
) -> Result<()> {
    // Everything the run needs is checked before anything is read or sent.
    let github = match once_for {
        Some(c) if !claims::is_commit(c) => {
            return Err(UserError::Usage(format!(
                "--once-for {}: give the commit's full object name (40 hexadecimal digits, e.g. `${{{{ github.sha }}}}`)",
                terminal(c)
            ))
            .into());
        }
        Some(c) => {
            if crate::env::var("GITHUB_TOKEN").is_none_or(|t| t.trim().is_empty()) {
                return Err(UserError::Usage(
                    "GITHUB_TOKEN is not set: --once-for claims each message on GitHub before posting it, with a token that may write contents (in a workflow: `env: GITHUB_TOKEN: ${{ github.token }}` and `permissions: contents: write`)".into(),
                )
                .into());
            }
            Some((c, crate::github::settings::settings(None, None)?))
        }
        None => None,
    };
    let trees = Trees::new(base)?;
    let mut messages = Vec::new();
    for l in preview::rotations(named, base)? {
        let Some(changed) = preview::touched(&l, &trees) else {
            continue;
        };
        match message_of(&l, &trees, &changed, ctx) {
            // Each webhook is checked before anything is sent.
            Ok(mut m) => {
                if let Some(var) = webhook_env {
                    m.webhook_env = var.to_owned();
                }
                let url = webhook::webhook_url(&m.webhook_env, crate::env::var(&m.webhook_env));
                messages.push((m, url));
            }
            Err(why) => writeln!(ctx.out, "{}", moved::not_posted_text(&l.name, &why))?,
        }
    }
    if messages.is_empty() {
        return Ok(());
    }
    let client = match github {
        // No claim for a message that cannot be posted.
        Some(_) if messages.iter().all(|(_, url)| url.is_err()) => None,
        Some((commit, settings)) => {
            let client = {
                let _entered = ctx.net.enter()?;
                Client::new(settings, ctx.net.client()?.clone())?
            };
            let read = claims::read(&client, commit);
            let read = ctx
                .net
                .block_on_within(client::RUN_BUDGET, read)?
                .ok_or_else(|| {
                    anyhow::anyhow!("GitHub did not answer in time: run again later")
                })??;
            Some((client, read))
        }
        None => None,
    };
    let mut failed = Vec::new();
    // Exit code 2 when every failure is the user's to fix (a webhook's
    // variable not set).
    let mut theirs = true;
    for (m, url) in &messages {
        let posted = match url {
            Ok(url) => post(m, url, client.as_ref(), ctx),
            Err(e) => Err(UserError::Usage(e.to_string()).into()),
        };
        if let Err(e) = posted {
            writeln!(
                ctx.err,
                "Slack ({}): {}",
                terminal(&m.rotation),
                terminal(&format!("{e:#}"))
            )?;
            theirs &= e.downcast_ref::<UserError>().is_some();
            failed.push(m.rotation.clone());
        }
    }
    if let Some((client, _)) = &client {
        writeln!(ctx.err, "GitHub requests: {}", client.requests())?;
    }
    if failed.is_empty() {
        return Ok(());
    }
    let why = format!(
        "the message that days moved was not posted for: {} (see above; a rerun posts it)",
        terminal(&failed.join(", "))
    );
    match theirs {
        true => Err(UserError::Usage(why).into()),
        false => Err(anyhow::anyhow!(why)),
    }
}

/// Posts one rotation's message to `url`: claimed first (with
/// `--once-for`); a failed post gives the claim back.
fn post(
    m: &Message,
    url: &reqwest::Url,
    github: Option<&(Client, Claims)>,
    ctx: &mut Ctx,
) -> Result<()> {
    let mut held = None;
    if let Some((client, read)) = github {
        let taken = || NotPosted::Claimed(claims::claim_ref(&read.commit, &m.rotation));
        if read.taken.contains(&m.rotation) {
            writeln!(ctx.out, "{}", moved::not_posted_text(&m.rotation, &taken()))?;
            return Ok(());
        }
        let claim = ctx
            .net
            .block_on(claims::claim(client, read, &m.rotation))??;
        match claim {
            Claim::Taken => {
                writeln!(ctx.out, "{}", moved::not_posted_text(&m.rotation, &taken()))?;
                return Ok(());
            }
            Claim::Held(id) => held = id,
        }
    }
    let posted = ctx
        .net
        .block_on(webhook::post(ctx.net.client()?, url, &m.payload))?;
    if !webhook::counts_as_posted(&posted)
        && let (Some((client, _)), Some(id)) = (github, &held)
        && let Err(e) = ctx.net.block_on(claims::release(client, id))?
    {
        writeln!(
            ctx.err,
            "Slack ({}): could not give the claim back, so a rerun will not post: {}",
            terminal(&m.rotation),
            terminal(&format!("{e:#}"))
        )?;
    }
    posted?;
    writeln!(ctx.out, "{}", moved::posted_text(&m.rotation, &m.moved))?;
    Ok(())
}

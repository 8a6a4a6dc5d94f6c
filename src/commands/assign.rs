//! `oncall assign`: routes an issue to today's on-call engineer (reads
//! rotation.yaml from the default branch; `github::assign` reads and
//! writes, `oncall_core::routing` decides).

use super::{Ctx, Target};
use crate::cli::AssignArgs;
use crate::env;
use crate::error::UserError;
use crate::github::client::Client;
use crate::github::settings::{repo_path, settings};
use crate::github::{self};
use anyhow::{Result, bail};
use oncall_core::escape::terminal;

fn settings_error(message: String) -> UserError {
    UserError::Usage(message)
}

pub fn run(args: &AssignArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    // The event, when no issue is given: untrusted JSON, only compared.
    let event = match args.issue {
        Some(_) => None,
        None => {
            let name = env::var("GITHUB_EVENT_NAME").ok_or_else(|| {
                settings_error("give --issue N, or run in GitHub Actions (GITHUB_EVENT_NAME and GITHUB_EVENT_PATH name the event)".into())
            })?;
            let path = env::var("GITHUB_EVENT_PATH")
                .ok_or_else(|| settings_error("GITHUB_EVENT_PATH is not set".into()))?;
            let text = crate::fsio::read_text(std::path::Path::new(&path), false)
                .map_err(UserError::from)?;
            let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                settings_error(format!("the event at GITHUB_EVENT_PATH is not JSON: {e}"))
            })?;
            Some((name, json))
        }
    };
    let number = match (args.issue, &event) {
        (Some(n), _) => n,
        (None, Some((name, json))) => match json["issue"]["number"].as_u64() {
            Some(n) => n,
            None => {
                writeln!(
                    ctx.out,
                    "nothing to do: the {} event names no issue",
                    terminal(name)
                )?;
                return Ok(());
            }
        },
        (None, None) => bail!("internal: no issue and no event"),
    };
    // A swap command (`/swap`, `/take`): the same workflow serves every
    // comment command; `github::swap` handles these.
    let mut swapping = event.as_ref().and_then(|(n, j)| swap_comment(n, j));
    // Several rotations, none named: the event's label or command picks
    // one (the routing workflow's checkout is the default branch), or
    // nothing is done, without a request. A swap command is for the
    // rotation the commenter is a member of.
    let mut config = target.config.clone();
    let several =
        target.names_no_file() && crate::layout::has_rotations_dir().map_err(crate::error::fs)?;
    if several && let Some(c) = &mut swapping {
        let picked = match &c.rotation {
            Some(name) => named_rotation(name)?,
            None => pick_member(&c.login)?,
        };
        match picked {
            Ok((name, path)) => {
                // The answer's commands name it (`… in NAME`).
                c.rotation = Some(name);
                config = path;
            }
            Err(why) => {
                writeln!(ctx.out, "nothing to do: {}", terminal(&why))?;
                return Ok(());
            }
        }
    } else if let Some(name) = swapping
        .as_ref()
        .and_then(|c| c.rotation.as_deref())
        .filter(|n| *n != crate::layout::DEFAULT_NAME && !several)
    {
        writeln!(
            ctx.out,
            "nothing to do: the swap command names the rotation {:?}, and this repository has one rotation only, so it is ignored",
            terminal(name)
        )?;
        return Ok(());
    } else if several {
        let Some((name, json)) = &event else {
            return Err(settings_error(
                "this repository has several rotations: add --rotation NAME to route issue --issue N to one of them".into(),
            )
            .into());
        };
        match pick(name, json, ctx)? {
            Ok(path) => config = path,
            Err(why) => {
                writeln!(ctx.out, "nothing to do: {}", terminal(&why))?;
                return Ok(());
            }
        }
    }
    let settings = settings(args.repo.as_deref(), args.api_url.as_deref())?;
    let client = {
        let _entered = ctx.net.enter()?;
        Client::new(settings, ctx.net.client()?.clone())?
    };
    let config = repo_path(&config)?;
    let now = ctx.now;
    let date = args.date;
    let today = |rot: &oncall_core::config::Rotation| {
        date.unwrap_or_else(|| oncall_core::calendar::today(rot.timezone, now))
    };
    if let Some(c) = &swapping {
        let work = github::swap::run(&client, &config, number, c, today, args.dry_run);
        return finish(ctx, &client, work);
    }
    let route = |rot: &oncall_core::config::Rotation| match &event {
        None => oncall_core::routing::Route::Assign(number),
        Some((name, json)) => oncall_core::routing::route(name, json, rot),
    };
    let work = github::assign::run(&client, &config, number, route, today, args.dry_run);
    finish(ctx, &client, work)
}

/// Runs the GitHub work within the run's budget and prints what it did.
fn finish(
    ctx: &mut Ctx,
    client: &Client,
    work: impl std::future::Future<Output = Result<github::assign::Said>>,
) -> Result<()> {
    let said = ctx
        .net
        .block_on_within(github::client::RUN_BUDGET, work)?
        .ok_or_else(|| anyhow::anyhow!("GitHub did not answer in time: run again later"))??;
    writeln!(ctx.out, "{}", terminal(&said))?;
    writeln!(ctx.err, "GitHub requests: {}", client.requests())?;
    Ok(())
}

/// The swap command of an `issue_comment` event (`created`), if its
/// comment's first line is one (`oncall_core::swap::parse`).
fn swap_comment(name: &str, event: &serde_json::Value) -> Option<github::swap::Comment> {
    if (name, event["action"].as_str()) != ("issue_comment", Some("created")) {
        return None;
    }
    let comment = &event["comment"];
    let body = comment["body"].as_str().unwrap_or("");
    let command = oncall_core::swap::parse(body)?;
    Some(github::swap::Comment {
        command,
        rotation: oncall_core::swap::rotation_named(body),
        login: comment["user"]["login"].as_str().unwrap_or("").to_owned(),
        association: comment["author_association"]
            .as_str()
            .unwrap_or("")
            .to_owned(),
        id: comment["id"].as_u64().unwrap_or(0),
    })
}

/// In a repository of several rotations: the rotation file of the one a
/// swap command names (`… in NAME`), read from this checkout; `Err` with
/// why when there is no such rotation.
fn named_rotation(name: &str) -> Result<Result<(String, std::path::PathBuf), String>> {
    let all = crate::layout::discover(std::path::Path::new(".")).map_err(crate::error::usage)?;
    Ok(match all.into_iter().find(|l| l.name == name) {
        Some(l) => Ok((l.name, l.config)),
        None => Err(format!(
            "the swap command names the rotation {name:?}, which this repository does not have, so it is ignored"
        )),
    })
}

/// In a repository of several rotations: the rotation file of the one
/// rotation `login` is a member of (read from this checkout, the default
/// branch); `Err` with why when there is none, or several.
fn pick_member(login: &str) -> Result<Result<(String, std::path::PathBuf), String>> {
    let all = crate::layout::discover(std::path::Path::new(".")).map_err(crate::error::usage)?;
    let mut found = Vec::new();
    for l in all {
        let loaded = crate::fsio::read_text(&l.config, false)
            .ok()
            .and_then(|text| crate::fsio::load_rotation(&super::label(&l.config), &text).ok());
        if let Some((rot, _)) = loaded
            && rot
                .members
                .iter()
                .any(|m| m.github.eq_ignore_ascii_case(login))
        {
            found.push((l.name.clone(), l.config));
        }
    }
    Ok(match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(format!(
            "{login:?} is a member of no rotation here, so the swap command is ignored (a writer names the rotation: `… in NAME`)"
        )),
        _ => Err(format!(
            "{login:?} is a member of several rotations ({}): a swap command without `in NAME` at its end cannot tell which, so it is ignored",
            found
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    })
}

/// The rotation file of the rotation whose `routing` names the event's
/// label or command (`routing::pick`), read from this checkout; `Err` with
/// why when none does. A rotation that does not load is left out, and
/// said so on stderr (`oncall check` reports its problems).
fn pick(
    event_name: &str,
    event: &serde_json::Value,
    ctx: &mut Ctx,
) -> Result<Result<std::path::PathBuf, String>> {
    let all = crate::layout::discover(std::path::Path::new(".")).map_err(crate::error::usage)?;
    let mut rotations = Vec::new();
    let mut paths = Vec::new();
    for l in all {
        let loaded = crate::fsio::read_text(&l.config, false)
            .ok()
            .and_then(|text| crate::fsio::load_rotation(&super::label(&l.config), &text).ok());
        match loaded {
            Some((rot, _)) => {
                rotations.push((l.name.clone(), rot));
                paths.push(l.config);
            }
            None => writeln!(
                ctx.err,
                "{} does not load, so it routes nothing: run oncall check",
                terminal(&super::label(&l.config))
            )?,
        }
    }
    Ok(
        match oncall_core::routing::pick(event_name, event, &rotations) {
            oncall_core::routing::Pick::Rotation(i) => Ok(paths.swap_remove(i)),
            oncall_core::routing::Pick::Skip(why) => Err(why),
        },
    )
}

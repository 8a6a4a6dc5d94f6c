//! `oncall swap`, `oncall cover` and `oncall leave`: edit rotation.yaml for a roster pull
//! request (the edit is `oncall_core::roster`'s), validate the result, and
//! write it only when it is valid.

use super::{Ctx, Target};
use crate::cli::{CoverArgs, LeaveArgs, SwapArgs};
use crate::error::{UserError, usage};
use crate::fsio;
use anyhow::Result;
use chrono::NaiveDate;
use oncall_core::config::Rotation;
use oncall_core::diag::{InvalidInput, Report};
use oncall_core::escape::terminal;
use oncall_core::roster::{
    finish_leave, leave_today, past_overrides, pending_overrides, plan_cover, plan_swap,
    write_leave, write_overrides, write_swap,
};
use std::io::Write;
use std::path::Path;

/// Reads rotation.yaml as the roster commands need it.
fn read(config: &Path) -> Result<(String, Rotation)> {
    let text = fsio::read_text(config, false).map_err(UserError::from)?;
    let (rot, _) = crate::fsio::load_rotation(&config.display().to_string(), &text)
        .map_err(UserError::from)?;
    Ok((text, rot))
}

/// Validates an edited file; writes it only when it is valid, and
/// returns it as read.
fn validate_and_write(
    config: &Path,
    new_text: &str,
    err: &mut dyn Write,
) -> Result<(Rotation, Report)> {
    let label = config.display().to_string();
    match crate::fsio::load_rotation(&label, new_text) {
        Ok(read) => {
            fsio::write_atomic(config, new_text).map_err(crate::error::fs)?;
            Ok(read)
        }
        Err(InvalidInput(report)) => {
            writeln!(
                err,
                "{}: the edited file would have these problems (lines as after the edit), so nothing was written:",
                terminal(&label)
            )?;
            Err(UserError::from(InvalidInput(report)).into())
        }
    }
}

/// `oncall swap DATE_A DATE_B [--reason …]`.
pub fn swap(args: &SwapArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    let (config, a, b) = (target.config.as_path(), args.a, args.b);
    let out = &mut *ctx.out;
    let (text, rot) = read(config)?;
    super::lint_for_today(config, &rot, ctx.now)?;
    let swap = plan_swap(&rot, a, b).map_err(usage)?;
    let new_text = write_swap(&text, &swap, args.reason.as_deref()).map_err(usage)?;
    let (_, warnings) = validate_and_write(config, &new_text, ctx.err)?;
    for w in warnings.warnings() {
        writeln!(out, "{}", warnings.line(w))?;
    }
    let line = |d: NaiveDate, before: &str, after: &str| {
        format!("  {d} {}: @{after} (was @{before})", d.format("%a"))
    };
    for l in [
        format!("Swapped in {}: two overrides added.", config.display()),
        line(a, &swap.member_a, &swap.member_b),
        line(b, &swap.member_b, &swap.member_a),
        "Open a pull request with this change; its check shows the two changed days.".to_owned(),
    ] {
        writeln!(out, "{}", terminal(&l))?;
    }
    Ok(())
}

/// `oncall cover LOGIN [--date DATE] --reason TEXT`: one override. On a
/// day handed over already it is a takeover (R13).
pub fn cover(args: &CoverArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    let config = target.config.as_path();
    let (text, rot) = read(config)?;
    super::lint_for_today(config, &rot, ctx.now)?;
    let today = oncall_core::calendar::today(rot.timezone, ctx.now);
    let date = args.date.unwrap_or(today);
    let cover = plan_cover(&rot, &args.login, date, today).map_err(|e| usage(terminal(&e)))?;
    let new_text = write_overrides(&text, &[(date, &cover.login)], Some(&args.reason))
        .map_err(|e| usage(terminal(&e)))?;
    let (_, warnings) = validate_and_write(config, &new_text, ctx.err)?;
    for w in warnings.warnings() {
        writeln!(ctx.out, "{}", warnings.line(w))?;
    }
    let from = cover
        .from
        .as_deref()
        .map_or("nobody (uncovered)".to_owned(), |f| format!("@{f}"));
    let next = match cover.takeover {
        true => format!(
            "{date} was handed over already: this is a takeover (R13). Once it is on the default branch, the next handover run (`oncall advance`, with or without `--pr`; the daily workflow runs on its push) adds the takeover note, names @{} in the state and tells Slack once.",
            cover.login
        ),
        // Today, not handed over in these files: maybe by a handover pull
        // request not merged yet, which this checkout cannot see.
        false if date == today => format!(
            "If today's handover pull request is open (not merged yet), the next handover run once this is on the default branch applies it as a takeover (R13) and announces it; else today's handover puts @{} on call in place of {from} (R6). Nobody else's day moves.",
            cover.login
        ),
        false => format!(
            "The handover of {date} puts @{} on call in place of {from} (R6); nobody else's day moves.",
            cover.login
        ),
    };
    for l in [
        format!(
            "@{} covers {date} ({}) for {from}: an override added to {}.",
            cover.login,
            date.format("%a"),
            config.display()
        ),
        next,
    ] {
        writeln!(ctx.out, "{}", terminal(&l))?;
    }
    Ok(())
}

/// `oncall leave LOGIN`.
pub fn leave(args: &LeaveArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    let (config, login) = (target.config.as_path(), args.login.as_str());
    let label = config.display().to_string();
    let text = fsio::read_text(config, false).map_err(UserError::from)?;
    let rot = match crate::fsio::load_rotation(&label, &text) {
        Ok((rot, _)) => rot,
        // Removed from `members` by hand, still in the state block: finish
        // the job (or say what else is wrong).
        Err(e) => match finish_leave(&text, login) {
            Some(Ok(new_text)) => {
                validate_and_write(config, &new_text, ctx.err)?;
                writeln!(
                    ctx.out,
                    "{}",
                    terminal(&format!(
                        "`{login}` is not in `members` any more (removed by hand); removed them from the state block of {label} too. Nobody else's turn moves."
                    ))
                )?;
                return Ok(());
            }
            Some(Err(why)) => return Err(usage(terminal(&why))),
            None => return Err(UserError::from(e).into()),
        },
    };
    if rot.position(login).is_none() {
        return Err(usage(terminal(&format!(
            "`{login}` is not a member of {label}: nothing to remove"
        ))));
    }
    if rot.members.len() == 1 {
        return Err(usage(format!(
            "`{}` is the only member: a rotation needs at least one",
            terminal(login)
        )));
    }
    // Their overrides of days ahead would name someone not in `members`:
    // point at them in the file as it is. Those of days handed over are
    // the record and stay.
    let theirs: Vec<oncall_core::diag::Problem> = pending_overrides(&rot, login)
        .into_iter()
        .map(|(date, o)| {
            oncall_core::diag::Problem::error(
                o.pos,
                format!("the override on {date} names `{login}`, who is leaving"),
                "remove the override or give the day to someone else first",
            )
        })
        .collect();
    if !theirs.is_empty() {
        writeln!(ctx.err, "{}: nothing was written:", terminal(&label))?;
        return Err(UserError::from(InvalidInput(Report::new(label, theirs))).into());
    }
    let new_text = write_leave(&text, &rot, login).map_err(|e| usage(terminal(&e)))?;
    let (after, _) = validate_and_write(config, &new_text, ctx.err)?;
    let in_state = |v: fn(&oncall_core::config::State) -> &Vec<String>| {
        rot.state
            .as_ref()
            .is_some_and(|s| v(s).iter().any(|g| g == login))
    };
    let served = in_state(|s| &s.served);
    let due = in_state(|s| &s.order) && !served;
    let mut lines = vec![format!(
        "Removed `{login}` from {label}{}.{}",
        if rot.state.is_some() {
            " (members and the state block)"
        } else {
            ""
        },
        match (due, served) {
            (true, _) => " They were still due in this cycle; nobody else's turn moves.",
            (_, true) => " Their turn in this cycle stays served; nobody else's turn moves.",
            _ => "",
        }
    )];
    let past = past_overrides(&rot, login);
    if !past.is_empty() {
        let days: Vec<String> = past.iter().map(ToString::to_string).collect();
        lines.push(format!(
            "Kept the override(s) naming them on {}: days handed over are the record.",
            days.join(", ")
        ));
    }
    let today = oncall_core::calendar::today(rot.timezone, ctx.now);
    lines.extend(leave_today(&rot, &after, login, today));
    for l in lines {
        writeln!(ctx.out, "{}", terminal(&l))?;
    }
    Ok(())
}

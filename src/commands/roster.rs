//! `oncall swap` and `oncall leave`: edit rotation.yaml for a roster pull
//! request (the edit is `oncall_core::roster`'s), validate the result, and
//! write it only when it is valid.

use super::{Ctx, Target};
use crate::cli::{LeaveArgs, SwapArgs};
use crate::error::{UserError, usage};
use crate::fsio;
use anyhow::Result;
use chrono::NaiveDate;
use oncall_core::config::Rotation;
use oncall_core::diag::{InvalidInput, Report};
use oncall_core::escape::terminal;
use oncall_core::roster::{plan_swap, write_leave, write_swap};
use std::io::Write;
use std::path::Path;

/// Reads rotation.yaml as the roster commands need it.
fn read(config: &Path) -> Result<(String, Rotation)> {
    let text = fsio::read_text(config, false).map_err(UserError::from)?;
    let (rot, _) = crate::fsio::load_rotation(&config.display().to_string(), &text)
        .map_err(UserError::from)?;
    Ok((text, rot))
}

/// Validates an edited file; writes it only when it is valid.
fn validate_and_write(config: &Path, new_text: &str, err: &mut dyn Write) -> Result<Report> {
    let label = config.display().to_string();
    match crate::fsio::load_rotation(&label, new_text) {
        Ok((_, warnings)) => {
            fsio::write_atomic(config, new_text).map_err(crate::error::fs)?;
            Ok(warnings)
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
    let warnings = validate_and_write(config, &new_text, ctx.err)?;
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

/// `oncall leave LOGIN`.
pub fn leave(args: &LeaveArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    let (config, login) = (target.config.as_path(), args.login.as_str());
    let (text, rot) = read(config)?;
    if rot.members.len() == 1 {
        return Err(usage(format!(
            "`{}` is the only member: a rotation needs at least one",
            terminal(login)
        )));
    }
    // Their overrides would name someone not in `members`: point at them
    // in the file as it is.
    let theirs: Vec<oncall_core::diag::Problem> = rot
        .overrides
        .iter()
        .filter(|(_, o)| o.github == login)
        .map(|(date, o)| {
            oncall_core::diag::Problem::error(
                o.pos,
                format!("the override on {date} names `{login}`, who is leaving"),
                "remove the override or give the day to someone else first",
            )
        })
        .collect();
    if !theirs.is_empty() {
        writeln!(
            ctx.err,
            "{}: nothing was written:",
            terminal(&config.display().to_string())
        )?;
        return Err(UserError::from(InvalidInput(Report::new(
            config.display().to_string(),
            theirs,
        )))
        .into());
    }
    let new_text = write_leave(&text, &rot, login).map_err(|e| usage(terminal(&e)))?;
    validate_and_write(config, &new_text, ctx.err)?;
    let due = rot.state.as_ref().is_some_and(|s| {
        s.order.iter().any(|g| g == login) && !s.served.iter().any(|g| g == login)
    });
    writeln!(
        ctx.out,
        "{}",
        terminal(&format!(
            "Removed `{login}` from {}{}.{}",
            config.display(),
            if rot.state.is_some() {
                " (members and the state block)"
            } else {
                ""
            },
            if due {
                " They were still due in this cycle; nobody else's turn moves."
            } else {
                ""
            }
        ))
    )?;
    Ok(())
}

//! `oncall check`: one rotation's files, or with no file named every
//! rotation of the repository and the days someone is on call in two.

use super::{Ctx, Target, label};
use crate::cli::{CheckArgs, CheckFormat};
use crate::error::UserError;
use crate::fsio;
use crate::joblog::Kept;
use crate::layout;
use anyhow::Result;
use oncall_core::calendar;
use oncall_core::config::Rotation;
use oncall_core::diag::{InvalidInput, Report};
use oncall_core::escape::terminal;
use oncall_core::log::{self, Log};
use std::path::Path;

pub fn run(args: &CheckArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    // With no file named, every rotation of the repository.
    if !(target.names_no_file() && layout::has_rotations_dir().map_err(crate::error::fs)?) {
        return one(&target.config, &target.log, args, ctx).map(|_| ());
    }
    let all = layout::discover(Path::new(".")).map_err(crate::error::usage)?;
    let mut failed = false;
    let mut valid = Vec::new();
    // A shared calendar's problem is found once per rotation that includes
    // it: one annotation on its line, or one line of text, is enough.
    let mut annotated = std::collections::HashSet::new();
    let mut said = std::collections::HashSet::new();
    for located in &all {
        let mut kept = Kept::default();
        let checked = {
            let mut one_ctx = Ctx {
                now: ctx.now,
                net: ctx.net,
                out: &mut kept,
                err: &mut *ctx.err,
            };
            one(&located.config, &located.log, args, &mut one_ctx)
        };
        for (command, bytes) in kept.parts() {
            if !command {
                for line in String::from_utf8_lossy(bytes).split_inclusive('\n') {
                    let problem = line.contains(": error: ") || line.contains(": warning: ");
                    if !problem || said.insert(line.to_owned()) {
                        ctx.out.write_all(line.as_bytes())?;
                    }
                }
                continue;
            }
            for line in String::from_utf8_lossy(bytes).split_inclusive('\n') {
                if annotated.insert(line.to_owned()) {
                    ctx.out.command(line)?;
                }
            }
        }
        match checked {
            Ok(loaded) => valid.extend(loaded.map(|(r, l)| (label(&located.config), r, l))),
            Err(e) if matches!(e.downcast_ref::<UserError>(), Some(UserError::CheckFailed)) => {
                failed = true
            }
            Err(e) => return Err(e),
        }
    }
    let clash = across_rotations(&valid, args, ctx)?;
    match failed || clash {
        true => Err(UserError::CheckFailed.into()),
        false => Ok(()),
    }
}

/// `oncall check` of one rotation's files; when they are valid, returns
/// them as read (for the checks across rotations).
fn one(
    config: &Path,
    log_path: &Path,
    args: &CheckArgs,
    ctx: &mut Ctx,
) -> Result<Option<(Rotation, Log)>> {
    let rotation_text = fsio::read_text(config, false).map_err(UserError::from)?;
    let log_text = fsio::read_text(log_path, true).map_err(UserError::from)?;
    let (rotation, mut rotation_report) = match fsio::load_rotation(&label(config), &rotation_text)
    {
        Ok((rot, report)) => (Some(rot), report),
        Err(InvalidInput(report)) => (None, report),
    };
    let (log, log_report) = match log::parse(&label(log_path), &log_text) {
        Ok(log) => (Some(log), Report::new(label(log_path), Vec::new())),
        Err(InvalidInput(report)) => (None, report),
    };
    // The yearly archives, read and checked with the log.
    let (log, log_report, archived) = match (&rotation, log) {
        (Some(rot), Some(log)) => {
            match super::archives::read(None, rot, log_path)
                .and_then(|a| Ok((super::archives::merged(log, &a)?, a.len())))
            {
                Ok((log, n)) => (Some(log), log_report, n),
                Err(e) => match super::input_report(&e) {
                    Some(report) => (None, report, 0),
                    None => return Err(e),
                },
            }
        }
        (_, log) => (log, log_report, 0),
    };
    let mut summary = None;
    if let (Some(rot), Some(log)) = (&rotation, &log) {
        let today = calendar::today(rot.timezone, ctx.now);
        let found = oncall_core::lint::check_ahead(rot, log, today, args.ahead);
        rotation_report.problems.extend(found.problems);
        summary = Some(format!(
            "{}: ok ({} members, {}); {}: ok ({} day sections{}); {} uncovered day(s) in the next {} days",
            label(config),
            rot.members.len(),
            rot.timezone.name(),
            label(log_path),
            log.records.len(),
            match archived {
                0 => String::new(),
                n => format!(
                    ", with {n} yearly archive(s) in {}",
                    label(&super::archives::dir(log_path))
                ),
            },
            found.uncovered,
            args.ahead
        ));
    }
    let failed = rotation_report.has_errors() || log_report.has_errors();
    for report in [&rotation_report, &log_report] {
        print(report, args.format, ctx)?;
    }
    if let Some(line) = summary {
        writeln!(ctx.out, "{}", terminal(&line))?;
    }
    if failed {
        return Err(UserError::CheckFailed.into());
    }
    Ok(rotation.zip(log))
}

fn print(report: &Report, format: CheckFormat, ctx: &mut Ctx) -> Result<()> {
    match format {
        CheckFormat::Github => ctx
            .out
            .command(&oncall_core::actions::annotations(report))?,
        CheckFormat::Text if report.has_errors() => writeln!(ctx.out, "{report}")?,
        CheckFormat::Text => {
            for w in report.warnings() {
                writeln!(ctx.out, "{}", report.line(w))?;
            }
        }
    }
    Ok(())
}

/// `oncall check` over several rotations: a warning in both files for each
/// day someone is on call in two of them, within the horizon, and an error
/// in both for a routing label or command two of them name. `valid`: the
/// rotations that passed their own check, as it read them. True when
/// there is an error.
fn across_rotations(
    valid: &[(String, Rotation, Log)],
    args: &CheckArgs,
    ctx: &mut Ctx,
) -> Result<bool> {
    let Some((_, first, _)) = valid.first() else {
        return Ok(false);
    };
    // The horizon from the first rotation's today (zones differ by hours).
    let today = calendar::today(first.timezone, ctx.now);
    let named: Vec<oncall_core::conflicts::Named> = valid
        .iter()
        .map(|(file, rotation, log)| oncall_core::conflicts::Named {
            file,
            rotation,
            log,
        })
        .collect();
    let mut per_file: Vec<Vec<_>> = vec![Vec::new(); named.len()];
    for (i, p) in oncall_core::conflicts::warnings(&named, today, args.ahead) {
        per_file[i].push(p);
    }
    let files: Vec<(&str, &Rotation)> = valid.iter().map(|(f, r, _)| (f.as_str(), r)).collect();
    let claims = oncall_core::routing::claims_across(&files);
    let clash = !claims.is_empty();
    for (i, p) in claims {
        per_file[i].push(p);
    }
    for ((file, _, _), problems) in valid.iter().zip(per_file) {
        if problems.is_empty() {
            continue;
        }
        let report = Report::new(file.clone(), problems);
        match args.format {
            CheckFormat::Github => print(&report, args.format, ctx)?,
            CheckFormat::Text => {
                for p in &report.problems {
                    writeln!(ctx.out, "{}", report.line(p))?;
                }
            }
        }
    }
    Ok(clash)
}

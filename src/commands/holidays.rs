//! `oncall holidays import FILE.ics --out calendars/NAME.yaml`: a shared
//! calendar's holidays from a public-holiday iCalendar file, written out
//! as dates (the rotation never reads the iCalendar file itself, R8).

use super::Ctx;
use crate::cli::{HolidaysArgs, HolidaysCommand};
use crate::error::{UserError, usage};
use crate::fsio;
use anyhow::Result;
use oncall_core::config::calendars;
use oncall_core::diag::{InvalidInput, Report};
use oncall_core::escape::terminal;
use oncall_core::holidays;

pub fn run(args: &HolidaysArgs, ctx: &mut Ctx) -> Result<()> {
    let HolidaysCommand::Import {
        file,
        out: path,
        from,
        until,
    } = &args.command;
    let from = from.unwrap_or_else(|| ctx.now.date_naive());
    let until = until.unwrap_or_else(|| holidays::default_until(from));
    if until < from {
        return Err(usage(format!(
            "--until {until} is before --from {from}: give an --until on or after it"
        )));
    }
    let label = |p: &std::path::Path| p.display().to_string();
    let ics = fsio::read_text(file, false).map_err(UserError::from)?;
    let read = holidays::from_ics(&ics, from, until)
        .map_err(|e| usage(format!("{}: {e}", label(file))))?;
    // The calendar file as it is (if it is), checked before it is changed.
    let existing = fsio::read_text(path, true).map_err(UserError::from)?;
    let exists = fsio::kind(path).map_err(crate::error::fs)? != fsio::Kind::Missing;
    let entries = match exists {
        false => Vec::new(),
        true => calendars::parse(&existing).map_err(|problems| {
            UserError::from(InvalidInput(Report::new(label(path), problems)))
        })?,
    };
    // The iCalendar file's name only: the path is the importing machine's.
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let header = holidays::header(&name, from, until);
    let merged = holidays::merge(
        exists.then_some((existing.as_str(), entries.as_slice())),
        &read.holidays,
        &header,
    )
    .map_err(|e| usage(format!("{}: {e}; nothing was written", label(path))))?;
    if !merged.added.is_empty() || !exists {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fsio::create_dir_all(dir).map_err(crate::error::fs)?;
        }
        fsio::write_atomic(path, &merged.text).map_err(crate::error::fs)?;
    }
    let text = holidays::report(&label(path), &label(file), (from, until), &read, &merged);
    for line in text.lines() {
        writeln!(ctx.out, "{}", terminal(line))?;
    }
    Ok(())
}

//! The commands that show one rotation (`who`, `open`, `runbooks`,
//! `stats`, `site`) and `schema`: read, ask the core, print or write.

use super::{Ctx, Target, open};
use crate::cli::{OpenArgs, RunbooksArgs, SchemaArgs, SiteArgs, StatsArgs, WhoArgs};
use crate::fsio;
use anyhow::Result;
use oncall_core::calendar;
use oncall_core::schedule::Format;

/// `oncall schema`.
pub fn schema(args: &SchemaArgs, ctx: &mut Ctx) -> Result<()> {
    let text = match args.calendar {
        false => oncall_core::config::schema::json_schema_text(),
        true => oncall_core::config::schema::calendar_schema_text(),
    };
    ctx.out.write_all(text.as_bytes())?;
    Ok(())
}

/// `oncall who [DATE]`.
pub fn who(args: &WhoArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    let inputs = open(target, ctx)?;
    let rot = &inputs.rotation;
    let date = args
        .date
        .unwrap_or_else(|| calendar::today(rot.timezone, ctx.now));
    let text = oncall_core::schedule::who_text(rot, &inputs.log, date);
    ctx.out.write_all(text.as_bytes())?;
    Ok(())
}

/// `oncall open`.
pub fn open_threads(args: &OpenArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    let inputs = open(target, ctx)?;
    let today = calendar::today(inputs.rotation.timezone, ctx.now);
    let text = oncall_core::topics::open(&inputs.rotation, &inputs.log, today, args.format.into());
    ctx.out.write_all(text.as_bytes())?;
    Ok(())
}

/// `oncall runbooks`.
pub fn runbooks(args: &RunbooksArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    let inputs = open(target, ctx)?;
    let today = calendar::today(inputs.rotation.timezone, ctx.now);
    let text =
        oncall_core::topics::runbooks(&inputs.rotation, &inputs.log, today, args.format.into());
    ctx.out.write_all(text.as_bytes())?;
    Ok(())
}

/// `oncall stats`.
pub fn stats(args: &StatsArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    let inputs = open(target, ctx)?;
    let rot = &inputs.rotation;
    let today = calendar::today(rot.timezone, ctx.now);
    let since = args.since.unwrap_or(rot.start);
    let until = args.until.unwrap_or(today + chrono::Days::new(90));
    if until < since {
        return Err(crate::error::usage(format!(
            "--until {until} is before --since {since}"
        )));
    }
    let s = oncall_core::stats::compute(rot, &inputs.log, &inputs.history_text(), since, until);
    let text = match Format::from(args.format) {
        Format::Text => oncall_core::stats::text(&s),
        Format::Markdown => oncall_core::stats::markdown_table(&s),
        Format::Json => oncall_core::escape::json_pretty(&s),
    };
    ctx.out.write_all(text.as_bytes())?;
    Ok(())
}

/// `oncall site --out DIR`.
pub fn site(args: &SiteArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    // Several rotations, none named: the organisation's page.
    if target.names_no_file() && crate::layout::has_rotations_dir().map_err(crate::error::fs)? {
        return organisation_site(args, ctx);
    }
    let inputs = open(target, ctx)?;
    let site = oncall_core::site::build(
        &inputs.rotation,
        &inputs.log,
        &inputs.history_text(),
        ctx.now,
    );
    let dir = &args.out;
    let root = fsio::output_dir(dir).map_err(crate::error::fs)?;
    for (name, text) in &site.files {
        fsio::write_in(&root, &dir.join(name), text).map_err(crate::error::fs)?;
    }
    writeln!(
        ctx.out,
        "wrote {} files to {} (index.html, the team's feed oncall.ics, one feed per member)",
        site.files.len(),
        dir.display()
    )?;
    Ok(())
}

/// `oncall site --out DIR` with several rotations: the index, each team's
/// site under its name, and a feed per person on several teams. Every
/// rotation must load (a broken one stops the run, naming its problems:
/// the page would otherwise drop a team without a word).
fn organisation_site(args: &SiteArgs, ctx: &mut Ctx) -> Result<()> {
    let all = crate::layout::discover(std::path::Path::new(".")).map_err(crate::error::usage)?;
    let mut loaded = Vec::new();
    for l in &all {
        let inputs = super::load(&l.config, &l.log)?;
        super::lint_for_today(&l.config, &inputs.rotation, ctx.now)?;
        super::print_warnings(&inputs.warnings, ctx)?;
        loaded.push((l.name.clone(), inputs));
    }
    // The shared calendars, each read once.
    let mut paths: Vec<String> = loaded
        .iter()
        .flat_map(|(_, i)| i.rotation.calendars.iter().cloned())
        .collect();
    paths.sort();
    paths.dedup();
    let mut calendars = Vec::new();
    for p in &paths {
        let text = fsio::read_text(std::path::Path::new(p), false)
            .map_err(crate::error::UserError::from)?;
        let entries = oncall_core::config::calendars::parse(&text).map_err(|problems| {
            crate::error::UserError::from(oncall_core::diag::InvalidInput(
                oncall_core::diag::Report::new(p.clone(), problems),
            ))
        })?;
        calendars.push((p.clone(), entries));
    }
    let histories: Vec<_> = loaded.iter().map(|(_, i)| i.history_text()).collect();
    let teams: Vec<oncall_core::organisation::Team> = loaded
        .iter()
        .zip(&histories)
        .map(|((name, i), history)| oncall_core::organisation::Team {
            name,
            rotation: &i.rotation,
            log: &i.log,
            log_text: history,
        })
        .collect();
    let shared: Vec<oncall_core::organisation::Shared> = calendars
        .iter()
        .map(|(path, entries)| oncall_core::organisation::Shared { path, entries })
        .collect();
    let site = oncall_core::organisation::build(&teams, &shared, ctx.now);
    let dir = &args.out;
    let root = fsio::output_dir(dir).map_err(crate::error::fs)?;
    for (name, text) in &site.files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            root.create_dir_all(parent).map_err(crate::error::fs)?;
        }
        fsio::write_in(&root, &path, text).map_err(crate::error::fs)?;
    }
    writeln!(
        ctx.out,
        "wrote {} files to {} (index.html for every team; each team's page and feeds under its name; people/: a feed per person on several teams)",
        site.files.len(),
        dir.display()
    )?;
    Ok(())
}

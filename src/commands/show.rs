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
    let s = oncall_core::stats::compute(rot, &inputs.log, &inputs.log_text, since, until);
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
    let inputs = open(target, ctx)?;
    let site = oncall_core::site::build(&inputs.rotation, &inputs.log, &inputs.log_text, ctx.now);
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

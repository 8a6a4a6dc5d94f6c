//! `oncall schedule`: who is on call on each working day of a range, as a
//! table, JSON or a calendar feed; compared with another rotation file;
//! one person's days across every rotation of the repository.

use super::{Ctx, Target, label, load, open};
use crate::cli::ScheduleArgs;
use crate::error::UserError;
use crate::fsio;
use crate::layout;
use anyhow::Result;
use oncall_core::calendar;
use oncall_core::escape::terminal;
use oncall_core::schedule;
use std::path::Path;

pub fn run(args: &ScheduleArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    // One person's days across every rotation of the repository.
    if let Some(member) = &args.member
        && args.compare.is_none()
        && target.rotation.is_none()
        && target.config == Path::new("rotation.yaml")
        && layout::has_rotations_dir().map_err(crate::error::fs)?
    {
        return member_across_rotations(member, args, ctx);
    }
    let inputs = open(target, ctx)?;
    let rot = &inputs.rotation;
    let today = calendar::today(rot.timezone, ctx.now);
    let from = args.from.unwrap_or(today);
    let days = match args.working_days {
        None => args.days,
        Some(n) => rot.rotation_days_for(from, n),
    };
    let member = &args.member;
    if let Some(m) = member
        && rot.member(m).is_none()
    {
        let logins = rot.members.iter().map(|m| m.github.as_str());
        let hint = match oncall_core::config::structure::suggest(m, logins) {
            Some(n) => format!(": did you mean `{n}`?"),
            None => ": give a login from `members`".to_owned(),
        };
        return Err(crate::error::usage(format!(
            "--member {m:?} is not in `members` of {}{hint}",
            label(&target.config)
        )));
    }
    let mut rows = schedule::rows(rot, &inputs.log, from, days);
    let Some(table) = args.format.table() else {
        if args.compare.is_some() {
            return Err(crate::error::usage(
                "--compare shows a table: use --format text, json or markdown",
            ));
        }
        let feed = oncall_core::feed::ics(rot, &rows, member.as_deref(), ctx.now);
        ctx.out.write_all(feed.as_bytes())?;
        return Ok(());
    };
    if let Some(m) = member {
        rows.retain(|r| r.github.as_deref() == Some(m.as_str()));
    }
    match &args.compare {
        None if rows.is_empty() && table == schedule::Format::Text => {
            let said = schedule::nothing_shown(rot, from, days, member.as_deref());
            ctx.out
                .write_all(format!("{}\n", terminal(&said)).as_bytes())?;
        }
        None => {
            // Written a line at a time.
            let mut written = Ok(());
            schedule::render_each(rot, &rows, table, &mut |part| {
                if written.is_ok() {
                    written = ctx.out.write_all(part.as_bytes());
                }
            });
            written?
        }
        Some(_) if member.is_some() => {
            return Err(crate::error::usage(
                "--compare shows every member's days: leave out --member",
            ));
        }
        Some(base_path) => {
            let base_text = fsio::read_text(base_path, false).map_err(UserError::from)?;
            let (base, _) =
                fsio::load_rotation(&label(base_path), &base_text).map_err(UserError::from)?;
            super::lint_for_today(base_path, &base, ctx.now)?;
            let before = schedule::rows(&base, &inputs.log, from, days);
            let changes = schedule::compare(&before, &rows);
            ctx.out
                .write_all(schedule::render_compare(&base, rot, &changes, table).as_bytes())?;
        }
    }
    Ok(())
}

/// `oncall schedule --member LOGIN` with several rotations: the member's
/// days in each rotation they are on, by date.
fn member_across_rotations(member: &str, args: &ScheduleArgs, ctx: &mut Ctx) -> Result<()> {
    let (from, days, working_days, now) = (args.from, args.days, args.working_days, ctx.now);
    let out = &mut ctx.out;
    // A feed: the member's days in every rotation, each event its
    // rotation's own (the same UID as in that rotation's feed).
    let table = args.format.table();
    let mut feed_parts: Vec<(oncall_core::config::Rotation, Vec<oncall_core::day::Row>)> =
        Vec::new();
    let all = layout::discover(Path::new(".")).map_err(crate::error::usage)?;
    let mut rows: Vec<(String, oncall_core::day::Row, String)> = Vec::new();
    let mut found = false;
    for located in &all {
        let inputs = load(&located.config, &located.log)?;
        super::lint_for_today(&located.config, &inputs.rotation, now)?;
        let rot = &inputs.rotation;
        let Some(m) = rot.member(member) else {
            continue;
        };
        found = true;
        let from = from.unwrap_or_else(|| calendar::today(rot.timezone, now));
        let days = match working_days {
            None => days,
            Some(n) => rot.rotation_days_for(from, n),
        };
        let its = schedule::rows(rot, &inputs.log, from, days);
        for row in &its {
            if row.github.as_deref() == Some(m.github.as_str()) {
                rows.push((located.name.clone(), row.clone(), rot.team.clone()));
            }
        }
        if table.is_none() {
            feed_parts.push((inputs.rotation.clone(), its));
        }
    }
    if !found {
        let logins: Vec<String> = all
            .iter()
            .filter_map(|l| load(&l.config, &l.log).ok())
            .flat_map(|i| i.rotation.members.into_iter().map(|m| m.github))
            .collect();
        let hint = match oncall_core::config::structure::suggest(
            member,
            logins.iter().map(String::as_str),
        ) {
            Some(n) => format!(": did you mean `{n}`?"),
            None => String::new(),
        };
        return Err(crate::error::usage(format!(
            "{member:?} is not a member of any rotation here{hint}"
        )));
    }
    let Some(table) = table else {
        let parts: Vec<(&oncall_core::config::Rotation, &[oncall_core::day::Row])> = feed_parts
            .iter()
            .map(|(r, rows)| (r, rows.as_slice()))
            .collect();
        out.write_all(oncall_core::feed::ics_across(&parts, member, now).as_bytes())?;
        return Ok(());
    };
    rows.sort_by(|a, b| (a.1.date, &a.0).cmp(&(b.1.date, &b.0)));
    match table {
        schedule::Format::Json => {
            let v: Vec<serde_json::Value> = rows
                .iter()
                .map(|(name, row, team)| {
                    let mut v = serde_json::to_value(row).expect("a row serializes");
                    v["rotation"] = name.clone().into();
                    v["team"] = team.clone().into();
                    v
                })
                .collect();
            out.write_all(oncall_core::escape::json_pretty(&v).as_bytes())?;
        }
        schedule::Format::Markdown => {
            writeln!(out, "| date | day | rotation | why |\n|---|---|---|---|")?;
            for (name, row, team) in &rows {
                writeln!(
                    out,
                    "| {} | {} | {} ({}) | {} |",
                    row.date,
                    row.date.format("%a"),
                    oncall_core::escape::markdown(name),
                    oncall_core::escape::markdown(team),
                    row.why.as_str()
                )?;
            }
        }
        schedule::Format::Text => {
            for (name, row, team) in &rows {
                writeln!(
                    out,
                    "{} {}  {}  {}  {}",
                    row.date,
                    row.date.format("%a"),
                    terminal(name),
                    terminal(team),
                    row.why.as_str()
                )?;
            }
        }
    }
    if rows.is_empty() {
        writeln!(out, "{} has no on-call day in this range", terminal(member))?;
    }
    Ok(())
}

//! `oncall list`: every rotation of the repository, with today's engineer,
//! its webhook's variable and the calendars it includes.

use super::{Ctx, input_report, load};
use crate::cli::{ListArgs, ListFormat};
use crate::fsio;
use crate::layout;
use anyhow::Result;
use oncall_core::calendar;
use oncall_core::escape::{self, terminal};
use serde::Serialize;
use std::path::Path;

/// One rotation, as `list --format json` gives it (what the daily
/// workflow's matrix reads).
/// Fields in alphabetical order, as the JSON has always had them.
#[derive(Debug, Serialize)]
struct Row {
    #[serde(skip_serializing_if = "Option::is_none")]
    calendars: Option<Vec<String>>,
    config: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    log: String,
    name: String,
    /// Today's engineer; null when nobody is on call (present for a valid
    /// rotation).
    #[serde(skip_serializing_if = "Option::is_none")]
    on_call: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    today: Option<String>,
    webhook_env: String,
}

/// `oncall list`; with `--rotation NAME`, just that rotation.
pub fn run(args: &ListArgs, only: Option<&str>, ctx: &mut Ctx) -> Result<()> {
    let all = match only {
        Some(name) => vec![layout::find(Path::new("."), name).map_err(crate::error::usage)?],
        None => layout::discover(Path::new(".")).map_err(crate::error::usage)?,
    };
    let mut rows = Vec::new();
    for located in &all {
        let mut row = Row {
            name: located.name.clone(),
            config: located.config.display().to_string(),
            log: located.log.display().to_string(),
            team: None,
            webhook_env: String::new(),
            calendars: None,
            today: None,
            on_call: None,
            error: None,
        };
        let loaded = load(&located.config, &located.log).and_then(|inputs| {
            super::lint_for_today(&located.config, &inputs.rotation, ctx.now).map(|()| inputs)
        });
        match loaded {
            Ok(inputs) => {
                let rot = &inputs.rotation;
                let today = calendar::today(rot.timezone, ctx.now);
                row.team = Some(rot.team.clone());
                row.webhook_env = rot.webhook_env.clone();
                row.calendars = Some(rot.calendars.clone());
                row.today = Some(today.to_string());
                row.on_call = Some(match oncall_core::day::on(rot, &inputs.log, today) {
                    oncall_core::day::OnDay::Working(r) => r.github,
                    _ => None,
                });
            }
            Err(e) => {
                // A broken rotation's job still tells its own channel.
                let text = fsio::read_text(&located.config, false).unwrap_or_default();
                row.webhook_env = oncall_core::config::webhook_env_in(&text);
                row.error = Some(match input_report(&e) {
                    Some(report) => format!(
                        "{} problem(s), the first: {}",
                        report.errors().count(),
                        report
                            .errors()
                            .next()
                            .map(|p| report.line(p))
                            .unwrap_or_default()
                    ),
                    None => format!("{e:#}"),
                });
            }
        }
        rows.push(row);
    }
    match args.format {
        // One line: what `$GITHUB_OUTPUT` and a matrix's fromJSON take.
        ListFormat::Json => ctx.out.write_all(escape::json_line(&rows).as_bytes())?,
        ListFormat::Text => {
            if rows.is_empty() {
                writeln!(
                    ctx.out,
                    "no rotation here: no rotation.yaml, no rotations/<name>/rotation.yaml"
                )?;
            }
            for r in &rows {
                let today = r.today.as_deref().unwrap_or("");
                let who = match (&r.error, &r.on_call) {
                    (Some(e), _) => format!("invalid: {e}"),
                    (_, Some(Some(g))) => format!("{today}: @{g}"),
                    _ => format!("{today}: nobody on call"),
                };
                // The JSON's fields, in words: the webhook's variable, and
                // the calendars (unknown for an invalid rotation).
                let calendars = match &r.calendars {
                    Some(c) if c.is_empty() => "  calendars: none".to_owned(),
                    Some(c) => format!("  calendars: {}", c.join(", ")),
                    None => String::new(),
                };
                writeln!(
                    ctx.out,
                    "{}  {}  {}  {}  webhook: {}{}",
                    terminal(&r.name),
                    terminal(&r.config),
                    terminal(r.team.as_deref().unwrap_or("")),
                    terminal(&who),
                    terminal(&r.webhook_env),
                    terminal(&calendars)
                )?;
            }
        }
    }
    Ok(())
}

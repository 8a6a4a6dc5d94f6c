//! `oncall import slack-first`: the bot's config in, rotation.yaml and the
//! log's header out (the workflows come from `oncall init
//! --workflows-only`). It asks on a terminal, like `init`, for what the
//! flags do not say, and otherwise says which defaults it took.

use super::init::{
    ask, checked, first_handover, machine_timezone, refuse_existing, write_all, zone,
};
use super::{Ctx, Target, label};
use crate::cli::{ImportArgs, ImportFrom};
use crate::error::{UserError, usage};
use crate::fsio;
use anyhow::Result;
use chrono::NaiveDate;
use oncall_core::calendar;
use oncall_core::diag::InvalidInput;
use oncall_core::escape::terminal;
use oncall_core::render;
use oncall_core::setup;
use oncall_core::slack_first::{self, ImportOptions};
use std::io::{IsTerminal, Write};

/// The team's name when `--team` is not given.
const DEFAULT_TEAM: &str = "On-call rotation";

/// What the import needs besides the bot's files, from the flags, the
/// answers on a terminal, or the defaults (each default taken, described).
struct Choices {
    team: String,
    timezone: String,
    day: NaiveDate,
    defaults: Vec<String>,
}

fn choices(
    team: &Option<String>,
    timezone: &Option<String>,
    date: Option<NaiveDate>,
    now: chrono::DateTime<chrono::Utc>,
    err: &mut dyn Write,
) -> Result<Choices> {
    let machine = machine_timezone();
    let machine_zone = machine.as_deref().unwrap_or("UTC");
    let asked =
        (team.is_none() || timezone.is_none() || date.is_none()) && std::io::stdin().is_terminal();
    if asked {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        writeln!(
            err,
            "Importing the slack-first bot's rotation. Press Enter to take [the default]."
        )?;
        let team = match team {
            Some(t) => t.clone(),
            None => ask(&mut input, err, "Team name", Some(DEFAULT_TEAM))?,
        };
        let timezone = match timezone {
            Some(z) => z.clone(),
            None => ask(
                &mut input,
                err,
                "Time zone (IANA, e.g. Europe/Berlin)",
                Some(machine_zone),
            )?,
        };
        let day = match date {
            Some(d) => d,
            None => {
                let today = calendar::today(zone(&timezone)?, now).to_string();
                let answer = ask(
                    &mut input,
                    err,
                    "Switch day: oncall's first day, the bot's last day before it (YYYY-MM-DD)",
                    Some(&today),
                )?;
                crate::cli::parse_date(&answer).map_err(usage)?
            }
        };
        return Ok(Choices {
            team,
            timezone,
            day,
            defaults: Vec::new(),
        });
    }
    let mut defaults = Vec::new();
    let team = team.clone().unwrap_or_else(|| {
        defaults.push(format!(
            "--team \"{DEFAULT_TEAM}\" (the team's name; it also seeds the shuffle of every cycle after the first)"
        ));
        DEFAULT_TEAM.to_owned()
    });
    let timezone = timezone.clone().unwrap_or_else(|| {
        defaults.push(format!(
            "--timezone {machine_zone}, {} (\"today\" is the date there, and `oncall init --workflows-only` schedules the daily run in it)",
            match machine {
                Some(_) => "this machine's time zone",
                None => "as this machine's time zone is unknown",
            }
        ));
        machine_zone.to_owned()
    });
    let day = match date {
        Some(d) => d,
        None => {
            let today = calendar::today(zone(&timezone)?, now);
            defaults.push(format!("--date {today}, today (the switch day)"));
            today
        }
    };
    Ok(Choices {
        team,
        timezone,
        day,
        defaults,
    })
}

/// `oncall import slack-first`.
pub(super) fn import(args: &ImportArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    let ImportFrom::SlackFirst {
        bot_config: config,
        members,
        team,
        timezone,
        date,
        force,
    } = &args.from;
    let (now, out, err) = (ctx.now, &mut *ctx.out, &mut *ctx.err);
    // Files that exist, and the bot's files, before any question.
    refuse_existing(&[target.config.as_path(), target.log.as_path()], *force)?;
    let text = fsio::read_text(config, false).map_err(UserError::from)?;
    let members_text = match members {
        Some(p) => Some(fsio::read_text(p, false).map_err(UserError::from)?),
        None => None,
    };
    let members_label = members.as_deref().map(label);
    let bot_files = members_label.as_deref().zip(members_text.as_deref());
    // The comment in rotation.yaml is committed: the config's file name,
    // not this machine's path to it.
    let source = config
        .file_name()
        .map_or_else(|| label(config), |n| n.to_string_lossy().into_owned());
    let read = |team: &str, timezone: &str, day: NaiveDate| {
        slack_first::import(
            &label(config),
            &text,
            bot_files,
            &ImportOptions {
                team,
                timezone,
                day,
                source: &source,
            },
        )
        .map_err(|e: InvalidInput| anyhow::Error::from(UserError::from(e)))
    };
    // A broken config is refused before anything is asked.
    read(DEFAULT_TEAM, "UTC", calendar::today(chrono_tz::UTC, now))?;

    let c = choices(team, timezone, *date, now, err)?;
    let tz = zone(&c.timezone)?;
    let new = read(c.team.trim(), &c.timezone, c.day)?;
    let text = setup::rotation_yaml(&new);
    let rotation = checked(&target.config, &text, now, err)?;
    if !c.defaults.is_empty() {
        writeln!(
            out,
            "Defaults taken (give the flag to choose, or run this in a terminal to be asked):"
        )?;
        for d in &c.defaults {
            writeln!(out, "  {d}")?;
        }
    }
    write_all(
        &[
            (target.config.clone(), text),
            (target.log.clone(), render::header(&rotation)),
        ],
        *force,
        out,
    )?;
    let first = new.start;
    let on_call = match oncall_core::day::on(&rotation, &oncall_core::log::Log::default(), first) {
        oncall_core::day::OnDay::Working(row) => row.github.unwrap_or_else(|| "nobody".to_owned()),
        _ => "nobody".to_owned(),
    };
    let today = calendar::today(tz, now);
    let (until, preview) = match first_handover(&rotation, today) {
        Some(day) => (
            "; until then the bot stays in charge",
            format!("`oncall advance --dry-run --date {day}`"),
        ),
        None => ("", "`oncall advance --dry-run`".to_owned()),
    };
    writeln!(
        out,
        "\n{} members imported from {}.\n\
         On {first}, {on_call} is on call, as the bot has it{until}.\n\
         The comment at the top of {} says what changes for the team.\n\
         {preview} previews the first handover.\n\
         Next: `oncall init --workflows-only` adds the workflows.",
        rotation.members.len(),
        terminal(&label(config)),
        target.config.display()
    )?;
    Ok(())
}

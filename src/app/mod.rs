//! The shell: reads the files, runs the pure core, prints, and writes.
//! `pr.rs` is the shell of `advance --pr`, which works on GitHub.

mod init;
mod pr;
mod preview;

use crate::actions;
use crate::calendar;
use crate::cli::{CheckFormat, Cli, Command};
use crate::config::{self, Rotation};
use crate::diag::Pos;
use crate::diag::Problem;
use crate::diag::{InvalidInput, Report};
use crate::error::UserError;
use crate::escape::terminal;
use crate::files::{self, Files};
use crate::fsio;
use crate::log::{self, Log};
use crate::plan::{self, Advance, Plan};
use crate::rotation::Why;
use crate::schedule;
use crate::slack;
use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use std::io::Write;
use std::path::Path;

/// The problems of an input file behind an error, if it is one.
fn input_report(e: &anyhow::Error) -> Option<Report> {
    e.downcast_ref::<UserError>().and_then(UserError::report)
}

/// A daily run that could not read its files tells the team: the problems
/// as annotations and in the step summary, and with `--slack` a short
/// message that the handover did not happen. Nothing is written.
fn report_broken_input(
    report: &Report,
    to_slack: bool,
    webhook_env: &str,
    out: &mut dyn Write,
) -> Result<()> {
    if std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true") {
        // An annotation names the file's path in the repository: without
        // the " (on main)" that says where `--pr` read it.
        let mut in_repo = report.clone();
        in_repo.map_files(|file| {
            if let Some(at) = file.find(" (on ") {
                file.truncate(at);
            }
        });
        out.write_all(actions::annotations(&in_repo).as_bytes())?;
    }
    actions::append_summary(&actions::failure_summary(report))?;
    if !to_slack {
        return Ok(());
    }
    let Ok(url) = slack::webhook_url(webhook_env, std::env::var(webhook_env).ok()) else {
        return Ok(());
    };
    let client = crate::http::client()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match runtime.block_on(slack::post(&client, &url, &slack::failure_message(report))) {
        Ok(()) => writeln!(
            out,
            "Slack: told the team that today's handover did not happen."
        )?,
        Err(e) => writeln!(
            out,
            "Slack: could not tell the team that the handover did not happen: {}",
            terminal(&e.to_string())
        )?,
    }
    Ok(())
}

/// The two files, read and validated.
pub struct Inputs {
    pub rotation: Rotation,
    pub warnings: Report,
    pub rotation_text: String,
    pub log: Log,
    pub log_text: String,
}

pub(crate) fn label(path: &Path) -> String {
    path.display().to_string()
}

/// Reads and validates rotation.yaml and the log (a missing log is empty).
pub fn load(config: &Path, log_path: &Path) -> Result<Inputs> {
    let rotation_text = fsio::read_text(config, false).map_err(UserError::from)?;
    let (rotation, warnings) =
        crate::fsio::load_rotation(&label(config), &rotation_text).map_err(UserError::from)?;
    let log_text = fsio::read_text(log_path, true).map_err(UserError::from)?;
    let log = log::parse(&label(log_path), &log_text).map_err(UserError::from)?;
    Ok(Inputs {
        rotation,
        warnings,
        rotation_text,
        log,
        log_text,
    })
}

/// `--config` and `--log` are left at their defaults: no file was named,
/// so `check` and `preview` look at every rotation of the repository.
fn names_no_file(cli: &Cli) -> bool {
    cli.config == Path::new("rotation.yaml") && cli.log == Path::new("oncall-log.md")
}

/// Runs a command. `now` is the current instant (R11 turns it into a date).
pub fn run(cli: &Cli, now: DateTime<Utc>, out: &mut dyn Write, err: &mut dyn Write) -> Result<()> {
    if let Command::List { format } = cli.command {
        return list(now, format, cli.rotation.as_deref(), out);
    }
    // `--rotation NAME`: that rotation's files, for any command.
    if let Some(name) = &cli.rotation {
        // `advance --pr` and `assign` read the files from GitHub: no
        // checkout needed.
        let located = match cli.command {
            Command::Advance { pr: true, .. } | Command::Assign { .. } => {
                crate::layout::paths_of(name)
            }
            _ => crate::layout::find(Path::new("."), name),
        }
        .map_err(crate::error::usage)?;
        let mut one = cli.clone();
        one.config = located.config;
        one.log = located.log;
        one.rotation = None;
        // A named rotation's handover has its own branch (and so its own
        // pull request and Slack claim): oncall/NAME/handover.
        if let Command::Advance { branch, .. } = &mut one.command
            && located.name != crate::layout::DEFAULT_NAME
            && branch == crate::github::DEFAULT_BRANCH
        {
            *branch = format!("oncall/{}/handover", located.name);
        }
        return run(&one, now, out, err);
    }
    if let Command::Preview { base, working_days } = &cli.command {
        let default_files = names_no_file(cli);
        let named = (!default_files).then(|| crate::layout::Located {
            name: label(&cli.config),
            config: cli.config.clone(),
            log: cli.log.clone(),
        });
        return preview::preview(named, base, *working_days, now, out);
    }
    // One person's days across every rotation of the repository.
    if let Command::Schedule {
        member: Some(member),
        compare: None,
        from,
        days,
        working_days,
        format,
    } = &cli.command
        && cli.config == Path::new("rotation.yaml")
        && Path::new(crate::layout::ROTATIONS_DIR).is_dir()
    {
        return member_across_rotations(member, *from, *days, *working_days, *format, now, out);
    }
    if let Command::Schema { calendar } = cli.command {
        let text = match calendar {
            false => config::schema::json_schema_text(),
            true => config::schema::calendar_schema_text(),
        };
        out.write_all(text.as_bytes())?;
        return Ok(());
    }
    if let Command::Check { ahead, format } = cli.command {
        // With no file named, every rotation of the repository.
        let default_files = names_no_file(cli);
        if default_files && Path::new(crate::layout::ROTATIONS_DIR).is_dir() {
            let all = crate::layout::discover(Path::new(".")).map_err(crate::error::usage)?;
            let mut failed = false;
            let mut valid = Vec::new();
            // A shared calendar's problem is found once per rotation that
            // includes it: one annotation on its line is enough.
            let mut annotated = std::collections::HashSet::new();
            for located in &all {
                let mut one = cli.clone();
                one.config = located.config.clone();
                one.log = located.log.clone();
                let mut buf = Vec::new();
                let checked = check(&one, now, ahead, format, &mut buf);
                for line in String::from_utf8_lossy(&buf).split_inclusive('\n') {
                    if !line.starts_with("::") || annotated.insert(line.to_owned()) {
                        out.write_all(line.as_bytes())?;
                    }
                }
                match checked {
                    Ok(loaded) => valid.extend(loaded.map(|(r, l)| (label(&located.config), r, l))),
                    Err(e)
                        if matches!(
                            e.downcast_ref::<UserError>(),
                            Some(UserError::CheckFailed)
                        ) =>
                    {
                        failed = true
                    }
                    Err(e) => return Err(e),
                }
            }
            cross_rotation_warnings(&valid, now, ahead, format, out)?;
            return match failed {
                true => Err(UserError::CheckFailed.into()),
                false => Ok(()),
            };
        }
        return check(cli, now, ahead, format, out).map(|_| ());
    }
    if let Command::Assign { .. } = cli.command {
        return pr::assign(cli, now, out, err);
    }
    if let Command::Init { .. } = cli.command {
        return init::init(cli, now, out, err);
    }
    if let Command::Import { .. } = cli.command {
        return init::import(cli, now, out);
    }
    if let Command::Swap { a, b, reason } = &cli.command {
        return crate::roster::swap_command(&cli.config, *a, *b, reason.as_deref(), out);
    }
    if let Command::Leave { login } = &cli.command {
        return crate::roster::leave_command(&cli.config, login, out);
    }
    if let Command::Advance {
        pr,
        slack,
        dry_run,
        webhook_env,
        ..
    } = &cli.command
    {
        let result = match pr {
            true => pr::advance(cli, now, out, err),
            false => run_local(cli, now, out, err),
        };
        if let Err(e) = &result
            && let Some(report) = input_report(e)
        {
            // The webhook of the rotation, as far as the file says (read
            // without validating it; a --pr run without a checkout: the
            // default).
            let var = webhook_env.clone().unwrap_or_else(|| {
                let text = fsio::read_text(&cli.config, false).unwrap_or_default();
                crate::config::webhook_env_in(&text)
            });
            report_broken_input(&report, *slack && !*dry_run, &var, out)?;
        }
        return result;
    }
    run_local(cli, now, out, err)
}

/// The commands that work on the local files.
fn run_local(
    cli: &Cli,
    now: DateTime<Utc>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    // Several rotations and no top-level one: say which there are.
    if cli.config == Path::new("rotation.yaml")
        && !cli.config.exists()
        && let Ok(all) = crate::layout::discover(Path::new("."))
        && !all.is_empty()
    {
        let names: Vec<&str> = all.iter().map(|l| l.name.as_str()).collect();
        return Err(crate::error::usage(format!(
            "there is no top-level rotation.yaml here, but {} rotation(s) under {}/: add --rotation NAME (one of: {})",
            names.len(),
            crate::layout::ROTATIONS_DIR,
            names.join(", ")
        )));
    }
    let inputs = load(&cli.config, &cli.log)?;
    let rot = &inputs.rotation;
    let today = calendar::today(rot.timezone, now);
    let lint = Report::new(label(&cli.config), crate::lint::problems(rot, today));
    if lint.has_errors() {
        return Err(UserError::from(InvalidInput(lint)).into());
    }
    for report in [&inputs.warnings, &lint] {
        for w in report.warnings() {
            writeln!(err, "{}", report.line(w))?;
        }
    }
    match &cli.command {
        Command::Schedule {
            from,
            days,
            working_days,
            format,
            member,
            compare,
        } => {
            let from = from.unwrap_or(today);
            let days = match working_days {
                None => *days,
                Some(n) => rot.calendar_days_for(from, *n),
            };
            if let Some(m) = member
                && rot.member(m).is_none()
            {
                return Err(crate::error::usage(format!(
                    "--member {m:?} is not in `members` of {}",
                    label(&cli.config)
                )));
            }
            let mut rows = schedule::rows(rot, &inputs.log, from, days);
            let Some(table) = format.table() else {
                if compare.is_some() {
                    return Err(crate::error::usage(
                        "--compare shows a table: use --format text, json or markdown",
                    ));
                }
                out.write_all(crate::feed::ics(rot, &rows, member.as_deref(), now).as_bytes())?;
                return Ok(());
            };
            if let Some(m) = member {
                rows.retain(|r| r.github.as_deref() == Some(m.as_str()));
            }
            match compare {
                None => out.write_all(schedule::render(rot, &rows, table).as_bytes())?,
                Some(_) if member.is_some() => {
                    return Err(crate::error::usage(
                        "--compare shows every member's days: leave out --member",
                    ));
                }
                Some(base_path) => {
                    let base_text = fsio::read_text(base_path, false).map_err(UserError::from)?;
                    let (base, _) = crate::fsio::load_rotation(&label(base_path), &base_text)
                        .map_err(UserError::from)?;
                    let before = schedule::rows(&base, &inputs.log, from, days);
                    let changes = schedule::compare(&before, &rows);
                    out.write_all(
                        schedule::render_compare(&base, rot, &changes, table).as_bytes(),
                    )?;
                }
            }
        }
        Command::Who { date } => who(rot, &inputs.log, date.unwrap_or(today), out)?,
        Command::Open { format } => {
            out.write_all(crate::topics::open(rot, &inputs.log, today, *format).as_bytes())?
        }
        Command::Runbooks { format } => {
            out.write_all(crate::topics::runbooks(rot, &inputs.log, today, *format).as_bytes())?
        }
        Command::Site { out: dir } => {
            let site = crate::site::build(rot, &inputs.log, &inputs.log_text, now);
            std::fs::create_dir_all(dir)?;
            for (name, text) in &site.files {
                fsio::write_atomic(&dir.join(name), text)?;
            }
            writeln!(
                out,
                "wrote {} files to {} (index.html, the team's feed oncall.ics, one feed per member)",
                site.files.len(),
                dir.display()
            )?;
        }
        Command::Stats {
            since,
            until,
            format,
        } => {
            let since = since.unwrap_or(rot.start);
            let until = until.unwrap_or(today + chrono::Days::new(90));
            if until < since {
                return Err(crate::error::usage(format!(
                    "--until {until} is before --since {since}"
                )));
            }
            let s = crate::stats::compute(rot, &inputs.log, &inputs.log_text, since, until);
            let text = match format {
                schedule::Format::Text => crate::stats::text(&s),
                schedule::Format::Markdown => crate::stats::markdown_table(&s),
                schedule::Format::Json => format!(
                    "{}\n",
                    crate::escape::json(
                        &serde_json::to_string_pretty(&s).expect("stats serialize")
                    )
                ),
            };
            out.write_all(text.as_bytes())?;
        }
        Command::Advance {
            date,
            dry_run,
            future,
            slack,
            webhook_env,
            ..
        } => {
            let date = date.unwrap_or(today);
            crate::error::refuse_future(date, today, *dry_run, *future)?;
            let plan = plan::advance(rot, &inputs.log, date);
            let new_files = match &plan {
                Plan::Advance(adv) => Some(
                    files::after(
                        rot,
                        &inputs.rotation_text,
                        &inputs.log,
                        &inputs.log_text,
                        adv,
                    )
                    .map_err(UserError::from)?,
                ),
                _ => None,
            };
            // Check the Slack setting before anything is written.
            let var = webhook_env.as_deref().unwrap_or(&rot.webhook_env);
            let webhook = webhook(*slack, *dry_run, var)?;
            advance(cli, &inputs, &plan, new_files.as_ref(), *dry_run, out)?;
            let announced = match slack {
                true => announce(
                    cli,
                    &inputs,
                    &plan,
                    new_files.as_ref(),
                    date,
                    webhook.as_ref(),
                    out,
                ),
                false => Ok(()),
            };
            let today_handover = match &plan {
                Plan::Advance(adv) => Some(adv.today().clone()),
                Plan::AlreadyDone { .. } => plan::done_handover(rot, &inputs.log, date),
                _ => None,
            };
            let grouped = sync_usergroup(rot, today_handover.as_ref(), *dry_run, out);
            if !*dry_run {
                let status = slack_status(&announced, *slack);
                let log_after = new_files
                    .as_ref()
                    .map_or(inputs.log_text.as_str(), |f| f.log_text.as_str());
                record_in_actions(rot, &inputs.log, log_after, &plan, date, &status)?;
            }
            announced?;
            grouped?;
        }
        Command::Check { .. }
        | Command::Schema { .. }
        | Command::Swap { .. }
        | Command::Leave { .. }
        | Command::Init { .. }
        | Command::List { .. }
        | Command::Preview { .. }
        | Command::Assign { .. }
        | Command::Import { .. } => {
            unreachable!("handled above")
        }
    }
    Ok(())
}

/// `oncall check` of one rotation's files; when they are valid, returns
/// them as read (for the checks across rotations).
fn check(
    cli: &Cli,
    now: DateTime<Utc>,
    ahead: u32,
    format: CheckFormat,
    out: &mut dyn Write,
) -> Result<Option<(Rotation, Log)>> {
    let rotation_text = fsio::read_text(&cli.config, false).map_err(UserError::from)?;
    let log_text = fsio::read_text(&cli.log, true).map_err(UserError::from)?;
    let (rotation, mut rotation_report) =
        match crate::fsio::load_rotation(&label(&cli.config), &rotation_text) {
            Ok((rot, report)) => (Some(rot), report),
            Err(InvalidInput(report)) => (None, report),
        };
    let (log, log_report) = match log::parse(&label(&cli.log), &log_text) {
        Ok(log) => (Some(log), Report::new(label(&cli.log), Vec::new())),
        Err(InvalidInput(report)) => (None, report),
    };
    let mut summary = None;
    if let (Some(rot), Some(log)) = (&rotation, &log) {
        let today = calendar::today(rot.timezone, now);
        rotation_report
            .problems
            .extend(crate::lint::problems(rot, today));
        let rows = schedule::rows(rot, log, today, ahead);
        let uncovered: Vec<_> = rows
            .iter()
            .filter(|r| r.why == Why::Uncovered && !r.past)
            .collect();
        let top = Pos::new(1, 1);
        for r in &uncovered {
            rotation_report.problems.push(Problem::warning(
                top,
                format!(
                    "{} ({}) is uncovered: every member is away",
                    r.date,
                    r.date.format("%A")
                ),
                "shorten someone's time off, or add an override",
            ));
        }
        if rot.state.is_none() && today > rot.start {
            let missed = rot.working_days_in(rot.start, today).count();
            if missed > 10 {
                rotation_report.problems.push(Problem::warning(
                    top,
                    format!("`start` is {} and no handover was made yet: the first `oncall advance` will log {missed} days", rot.start),
                    "set `start` to the first day you run it",
                ));
            }
        }
        summary = Some(format!(
            "{}: ok ({} members, {}); {}: ok ({} day sections); {} uncovered day(s) in the next {ahead} days",
            label(&cli.config),
            rot.members.len(),
            rot.timezone.name(),
            label(&cli.log),
            log.records.len(),
            uncovered.len()
        ));
    }
    let failed = rotation_report.has_errors() || log_report.has_errors();
    for report in [&rotation_report, &log_report] {
        match format {
            CheckFormat::Github => out.write_all(actions::annotations(report).as_bytes())?,
            CheckFormat::Text if report.has_errors() => writeln!(out, "{report}")?,
            CheckFormat::Text => {
                for w in report.warnings() {
                    writeln!(out, "{}", report.line(w))?;
                }
            }
        }
    }
    if let Some(line) = summary {
        writeln!(out, "{}", terminal(&line))?;
    }
    if failed {
        return Err(UserError::CheckFailed.into());
    }
    Ok(rotation.zip(log))
}

fn who(rot: &Rotation, log: &Log, date: NaiveDate, out: &mut dyn Write) -> Result<()> {
    match crate::day::on(rot, log, date) {
        crate::day::OnDay::BeforeStart { start } => {
            writeln!(out, "{date}: nobody (the rotation starts on {start})")?;
        }
        crate::day::OnDay::Off { holiday } => {
            let what = match holiday {
                Some(Some(name)) => format!("holiday: {}", terminal(&name)),
                Some(None) => "holiday".to_owned(),
                None => format!("{}", date.format("%A")),
            };
            writeln!(out, "{date}: nobody (not a working day: {what})")?;
        }
        crate::day::OnDay::Working(r) => {
            let r = &r;
            let who = match &r.github {
                Some(g) if rot.display(g) != g => format!("{} (@{g})", rot.display(g)),
                Some(g) => format!("@{g}"),
                None => "nobody: the day is uncovered".to_owned(),
            };
            let why = match r.why {
                Why::Uncovered => String::new(),
                _ => schedule::why_text(rot, r)
                    .map(|w| format!(" [{w}]"))
                    .unwrap_or_default(),
            };
            writeln!(out, "{}", terminal(&format!("{date}: {who}{why}")))?;
        }
        crate::day::OnDay::NoRecord => writeln!(
            out,
            "{date}: no record (the day is before the last handover and has no section in the log)"
        )?,
    }
    Ok(())
}

fn advance(
    cli: &Cli,
    inputs: &Inputs,
    plan: &Plan,
    new_files: Option<&Files>,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let adv = match plan {
        Plan::NotWorkingDay { date, holiday } => {
            let what = match holiday {
                Some(Some(name)) => format!("a holiday: {}", terminal(name)),
                Some(None) => "a holiday".to_owned(),
                None => format!("a {}", date.format("%A")),
            };
            writeln!(out, "{date} is not a working day ({what}): no handover.")?;
            return Ok(());
        }
        Plan::BeforeStart { date, start } => {
            writeln!(
                out,
                "{date}: the rotation starts on {start}: no handover yet."
            )?;
            return Ok(());
        }
        Plan::AlreadyDone { date } => {
            writeln!(out, "{date} was handed over already: nothing to do.")?;
            return Ok(());
        }
        Plan::HandedOverAlready { date, last } => {
            writeln!(
                out,
                "{date} was handed over already (the last handover is {last}): nothing to do. `oncall who {date}` shows who was on call."
            )?;
            return Ok(());
        }
        Plan::Advance(adv) => adv,
    };
    let new = new_files.expect("an advance has its files");
    if dry_run {
        writeln!(out, "Dry run: nothing is written.\n")?;
        write_diff(
            out,
            &label(&cli.config),
            &inputs.rotation_text,
            &new.rotation_text,
            None,
        )?;
        write_diff(
            out,
            &label(&cli.log),
            &inputs.log_text,
            &new.log_text,
            Some(inputs.log.line_count),
        )?;
        writeln!(out)?;
    } else {
        // The log first: if writing rotation.yaml then fails, the next run
        // finds the sections already there and does not add them again.
        if new.log_text != inputs.log_text {
            fsio::write_atomic(&cli.log, &new.log_text)?;
        }
        fsio::write_atomic(&cli.config, &new.rotation_text)?;
    }
    out.write_all(summary(&inputs.rotation, adv).as_bytes())?;
    Ok(())
}

/// Posts today's handover to Slack, once (R10): the post is recorded in the
/// day's log section, and a rerun after a failed post posts. With no
/// webhook (a dry run), prints the payload instead.
pub(crate) fn announce(
    cli: &Cli,
    inputs: &Inputs,
    plan: &Plan,
    new_files: Option<&Files>,
    date: NaiveDate,
    webhook: Option<&reqwest::Url>,
    out: &mut dyn Write,
) -> Result<()> {
    let rot = &inputs.rotation;
    let (handover, missed, rot_after, log_text) = match plan {
        Plan::Advance(adv) => (
            adv.today().clone(),
            adv.missed().map(|h| h.day.date).collect(),
            Rotation {
                state: Some(adv.state.clone()),
                ..rot.clone()
            },
            // In a dry run nothing was written: the files are as they were.
            if let (Some(_), Some(new)) = (webhook, new_files) {
                new.log_text.clone()
            } else {
                inputs.log_text.clone()
            },
        ),
        Plan::AlreadyDone { .. } => match plan::done_handover(rot, &inputs.log, date) {
            Some(h) => (h, Vec::new(), rot.clone(), inputs.log_text.clone()),
            None => return Ok(()),
        },
        Plan::NotWorkingDay { .. } | Plan::BeforeStart { .. } | Plan::HandedOverAlready { .. } => {
            writeln!(out, "Slack: nothing to post today.")?;
            return Ok(());
        }
    };
    let log = log::parse(&label(&cli.log), &log_text).map_err(UserError::from)?;
    let links = slack::Links {
        pr: None,
        log: log_link(&cli.log, log.record(date).map(|r| r.line)),
    };
    let payload = slack::handover_message(&rot_after, &handover, missed, links);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut record = LogRecord {
        announced: log::announced_in_slack(&log, &log_text, date),
        path: &cli.log,
        log_text: &log_text,
    };
    post_once(&mut record, &payload, date, webhook, &runtime, out)
}

/// Where a backend records that a day's handover was posted to Slack, so
/// that it is posted once: the log section (local files), or the pull
/// request (with a claim ref, so that of two runs at once one posts).
pub(crate) trait SlackRecord {
    /// The day was posted already.
    fn announced(&self) -> bool;
    /// Claims the post before it is made: `Some(why)` when another run
    /// holds it.
    fn claim(&mut self) -> Result<Option<String>> {
        Ok(None)
    }
    /// Records the post (made, or timed out: Slack may well have posted).
    fn record(&mut self) -> Result<()>;
    /// Gives the claim back after a failed post, so that a rerun posts.
    fn release(&mut self) {}
}

/// The local backend's record: a marker in the day's log section.
struct LogRecord<'a> {
    announced: bool,
    path: &'a Path,
    log_text: &'a str,
}

impl SlackRecord for LogRecord<'_> {
    fn announced(&self) -> bool {
        self.announced
    }
    fn record(&mut self) -> Result<()> {
        fsio::write_atomic(self.path, &log::mark_announced(self.log_text))
    }
}

/// Posts the handover to Slack at most once a day, for either backend:
/// not again when `record` says it was; without a webhook (a dry run) the
/// payload is printed; a timeout counts as posted (the error says to
/// check), any other failure gives the claim back.
pub(crate) fn post_once(
    record: &mut dyn SlackRecord,
    payload: &serde_json::Value,
    date: NaiveDate,
    webhook: Option<&reqwest::Url>,
    runtime: &tokio::runtime::Runtime,
    out: &mut dyn Write,
) -> Result<()> {
    if record.announced() {
        writeln!(
            out,
            "Slack: {date} was announced already; not posting again."
        )?;
        return Ok(());
    }
    let Some(url) = webhook else {
        slack::print_payload(payload, out)?;
        return Ok(());
    };
    if let Some(why) = record.claim()? {
        writeln!(out, "Slack: {date} {why}")?;
        return Ok(());
    }
    let http = crate::http::client()?;
    let posted = runtime.block_on(slack::post(&http, url, payload));
    if slack::counts_as_posted(&posted) {
        record.record()?;
    } else {
        record.release();
    }
    posted?;
    writeln!(out, "Slack: posted the handover for {date}.")?;
    Ok(())
}

/// The Slack webhook, checked before anything is written; none for a dry
/// run (which prints the payload) or without `--slack`.
/// `var`: the environment variable with the webhook's URL.
pub(crate) fn webhook(slack: bool, dry_run: bool, var: &str) -> Result<Option<reqwest::Url>> {
    Ok(match (slack, dry_run) {
        (true, false) => Some(
            slack::webhook_url(var, std::env::var(var).ok())
                .map_err(|e| UserError::Usage(e.to_string()))?,
        ),
        _ => None,
    })
}

/// The Slack line of the step summary.
pub(crate) fn slack_status(announced: &Result<()>, requested: bool) -> String {
    match (announced, requested) {
        (_, false) => "not requested".to_owned(),
        (Ok(()), true) => "posted (or announced already)".to_owned(),
        (Err(e), true) => format!("failed: {}", terminal(&e.to_string())),
    }
}

/// The step summary and outputs of a local run (`actions::record_run`).
pub(crate) fn record_in_actions(
    rot: &Rotation,
    log: &Log,
    log_after: &str,
    plan: &Plan,
    date: NaiveDate,
    slack: &str,
) -> Result<()> {
    let (handover, rot_after) = match plan {
        Plan::Advance(adv) => (
            adv.today().clone(),
            Rotation {
                state: Some(adv.state.clone()),
                ..rot.clone()
            },
        ),
        Plan::AlreadyDone { .. } => match plan::done_handover(rot, log, date) {
            Some(h) => (h, rot.clone()),
            None => return Ok(()),
        },
        _ => return actions::record_run(None, Some(date), "No handover today.", None, slack),
    };
    actions::record_run(
        Some((&rot_after, &handover, Some(log_after))),
        Some(date),
        "",
        None,
        slack,
    )
}

/// A link to a line of the log on GitHub, when running in GitHub Actions.
fn log_link(log_path: &Path, line: Option<u32>) -> Option<String> {
    let server = std::env::var("GITHUB_SERVER_URL").ok()?;
    let repo = std::env::var("GITHUB_REPOSITORY").ok()?;
    let branch = std::env::var("GITHUB_REF_NAME").ok()?;
    let line = line?;
    let path = log_path.to_string_lossy().replace('\\', "/");
    Some(format!("{server}/{repo}/blob/{branch}/{path}#L{line}"))
}

/// The handover in a few lines, for the terminal.
pub fn summary(rot: &Rotation, adv: &Advance) -> String {
    let person = |g: &Option<String>| match g {
        Some(g) if rot.display(g) != g => format!("{} (@{g})", rot.display(g)),
        Some(g) => format!("@{g}"),
        None => "nobody (uncovered)".to_owned(),
    };
    let h = adv.today();
    let mut s = format!(
        "Handover {} ({}), {} cycle {}\n",
        h.day.date,
        h.day.date.format("%A"),
        rot.team,
        h.day.cycle
    );
    s.push_str(&format!("  on call:        {}", person(&h.day.on_call)));
    if let Some(why) = schedule::why_text(rot, &schedule::Row::ahead(rot, &h.day)) {
        s.push_str(&format!(" [{why}]"));
    }
    s.push('\n');
    match &h.previous {
        Some(_) => s.push_str(&format!("  handed over by: {}\n", person(&h.previous))),
        None => s.push_str(&format!(
            "  handed over by: nobody ({})\n",
            h.no_handover_reason(rot)
        )),
    }
    if let Some((date, next)) = &h.next {
        s.push_str(&format!(
            "  next:           {} on {} {date}\n",
            person(next),
            date.format("%A")
        ));
    }
    let missed: Vec<String> = adv.missed().map(|m| m.day.date.to_string()).collect();
    if !missed.is_empty() {
        s.push_str(&format!(
            "  caught up:      {} missed day(s), logged as not announced: {}\n",
            missed.len(),
            missed.join(", ")
        ));
    }
    s.lines().map(|l| terminal(l) + "\n").collect()
}

/// A unified diff of `old` → `new` (an append, or one contiguous change).
/// `old_lines`: the number of lines of `old` when the caller knows it (the
/// log's reader counted them), saving a pass over a large log.
pub(crate) fn write_diff(
    out: &mut dyn Write,
    name: &str,
    old: &str,
    new: &str,
    old_lines: Option<usize>,
) -> Result<()> {
    if old == new {
        writeln!(out, "{}: unchanged", terminal(name))?;
        return Ok(());
    }
    let name = terminal(name);
    // The log only grows: show the appended lines after the last two old
    // ones, without diffing megabytes of unchanged text.
    if let Some(added) = new
        .strip_prefix(old)
        .filter(|_| old.is_empty() || old.ends_with('\n'))
    {
        let old_count = old_lines.unwrap_or_else(|| old.bytes().filter(|b| *b == b'\n').count());
        let mut context: Vec<&str> = old.lines().rev().take(2).collect();
        context.reverse();
        let first = old_count - context.len() + 1;
        let added_lines = added.lines().count();
        writeln!(out, "--- a/{name}\n+++ b/{name}")?;
        writeln!(
            out,
            "@@ -{},{} +{},{} @@",
            first,
            context.len(),
            first,
            context.len() + added_lines
        )?;
        for line in &context {
            writeln!(out, " {}", terminal(line))?;
        }
        for line in added.lines() {
            writeln!(out, "+{}", terminal(line))?;
        }
        return Ok(());
    }
    // Otherwise one contiguous change (the state block): the lines between
    // the common beginning and the common end, with two lines of context.
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let from = prefix.saturating_sub(2);
    let (a_end, b_end) = (
        (a.len() - suffix + 2).min(a.len()),
        (b.len() - suffix + 2).min(b.len()),
    );
    writeln!(out, "--- a/{name}\n+++ b/{name}")?;
    writeln!(
        out,
        "@@ -{},{} +{},{} @@",
        from + 1,
        a_end - from,
        from + 1,
        b_end - from
    )?;
    for line in &a[from..prefix] {
        writeln!(out, " {}", terminal(line))?;
    }
    let (removed, added) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    if removed.len() == added.len() {
        // Line for line (the state block's values): unchanged lines stay
        // context.
        for (x, y) in removed.iter().zip(added) {
            if x == y {
                writeln!(out, " {}", terminal(x))?;
            } else {
                writeln!(out, "-{}\n+{}", terminal(x), terminal(y))?;
            }
        }
    } else {
        for line in removed {
            writeln!(out, "-{}", terminal(line))?;
        }
        for line in added {
            writeln!(out, "+{}", terminal(line))?;
        }
    }
    for line in &a[a.len() - suffix..a_end] {
        writeln!(out, " {}", terminal(line))?;
    }
    Ok(())
}

/// The instant the program runs at: `ONCALL_NOW` (RFC 3339, for tests and
/// rehearsals) or the clock.
pub fn now_from_env() -> Result<DateTime<Utc>> {
    match std::env::var("ONCALL_NOW") {
        Ok(v) if !v.is_empty() => Ok(DateTime::parse_from_rfc3339(&v)
            .map_err(|e| anyhow::anyhow!("ONCALL_NOW={v:?} is not an RFC 3339 time ({e})"))?
            .with_timezone(&Utc)),
        _ => Ok(Utc::now()),
    }
}

/// Sets the Slack user group (`slack.usergroup`) to today's engineer,
/// after the handover: when `SLACK_BOT_TOKEN` is set. An uncovered day, or
/// an engineer without a Slack ID, leaves the group as it was and says so.
/// A failure is reported (exit code 1) but never undoes the handover.
pub(crate) fn sync_usergroup(
    rot: &Rotation,
    handover: Option<&plan::Handover>,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let (Some(group), Some(h)) = (&rot.usergroup, handover) else {
        return Ok(());
    };
    let token = std::env::var("SLACK_BOT_TOKEN").unwrap_or_default();
    let group_t = terminal(group);
    if token.trim().is_empty() {
        writeln!(
            out,
            "Slack user group {group_t}: SLACK_BOT_TOKEN is not set, so it is left as it is."
        )?;
        return Ok(());
    }
    let Some(g) = &h.day.on_call else {
        writeln!(
            out,
            "Slack user group {group_t}: today is uncovered, so it is left as it is."
        )?;
        return Ok(());
    };
    let Some(id) = rot.member(g).and_then(|m| m.slack.clone()) else {
        writeln!(
            out,
            "Slack user group {group_t}: {} has no `slack` member ID in rotation.yaml, so it is left as it is.",
            terminal(g)
        )?;
        return Ok(());
    };
    if dry_run {
        writeln!(
            out,
            "Slack user group {group_t}: would be set to {} ({}).",
            terminal(g),
            terminal(&id)
        )?;
        return Ok(());
    }
    let api = std::env::var("SLACK_API_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| crate::usergroup::DEFAULT_API_URL.to_owned());
    let client = crate::http::client()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match runtime.block_on(crate::usergroup::set_members(
        &client,
        &api,
        token.trim(),
        group,
        std::slice::from_ref(&id),
    )) {
        Ok(()) => {
            writeln!(out, "Slack user group {group_t}: set to {}.", terminal(g))?;
            Ok(())
        }
        Err(e) => Err(anyhow::Error::from(e)),
    }
}

/// `oncall list`: every rotation, with today's engineer.
/// `only`: just the rotation of that name (`--rotation NAME list`).
fn list(
    now: DateTime<Utc>,
    format: crate::cli::ListFormat,
    only: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let all = match only {
        Some(name) => vec![crate::layout::find(Path::new("."), name).map_err(crate::error::usage)?],
        None => crate::layout::discover(Path::new(".")).map_err(crate::error::usage)?,
    };
    let mut rows = Vec::new();
    for located in &all {
        let mut row = serde_json::json!({
            "name": located.name,
            "config": located.config.display().to_string(),
            "log": located.log.display().to_string(),
        });
        match load(&located.config, &located.log) {
            Ok(inputs) => {
                let rot = &inputs.rotation;
                let today = calendar::today(rot.timezone, now);
                row["team"] = rot.team.clone().into();
                row["webhook_env"] = rot.webhook_env.clone().into();
                row["calendars"] = rot.calendars.clone().into();
                row["today"] = today.to_string().into();
                row["on_call"] = match crate::day::on(rot, &inputs.log, today) {
                    crate::day::OnDay::Working(r) => r.github.into(),
                    _ => serde_json::Value::Null,
                };
            }
            Err(e) => {
                // A broken rotation's job still tells its own channel.
                let text = fsio::read_text(&located.config, false).unwrap_or_default();
                row["webhook_env"] = crate::config::webhook_env_in(&text).into();
                row["error"] = match input_report(&e) {
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
                }
                .into();
            }
        }
        rows.push(row);
    }
    match format {
        crate::cli::ListFormat::Json => {
            // One line: what `$GITHUB_OUTPUT` and a matrix's fromJSON take.
            let text = serde_json::to_string(&rows).expect("rows serialize");
            writeln!(out, "{}", crate::escape::json(&text))?;
        }
        crate::cli::ListFormat::Text => {
            if rows.is_empty() {
                writeln!(
                    out,
                    "no rotation here: no rotation.yaml, no rotations/<name>/rotation.yaml"
                )?;
            }
            for r in &rows {
                let s = |k: &str| r[k].as_str().unwrap_or("").to_owned();
                let who = match (&r["error"], &r["on_call"]) {
                    (serde_json::Value::String(e), _) => format!("invalid: {e}"),
                    (_, serde_json::Value::String(g)) => format!("{}: @{g}", s("today")),
                    _ => format!("{}: nobody on call", s("today")),
                };
                writeln!(
                    out,
                    "{}  {}  {}  {}",
                    terminal(&s("name")),
                    terminal(&s("config")),
                    terminal(&s("team")),
                    terminal(&who)
                )?;
            }
        }
    }
    Ok(())
}

/// `oncall check` over several rotations: a warning in both files for each
/// day someone is on call in two of them, within the horizon. `valid`: the
/// rotations that passed their own check, as it read them.
fn cross_rotation_warnings(
    valid: &[(String, Rotation, Log)],
    now: DateTime<Utc>,
    ahead: u32,
    format: CheckFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let Some((_, first, _)) = valid.first() else {
        return Ok(());
    };
    // The horizon from the first rotation's today (zones differ by hours).
    let today = calendar::today(first.timezone, now);
    let named: Vec<crate::conflicts::Named> = valid
        .iter()
        .map(|(file, rotation, log)| crate::conflicts::Named {
            file,
            rotation,
            log,
        })
        .collect();
    let mut per_file: Vec<Vec<Problem>> = vec![Vec::new(); named.len()];
    for (i, p) in crate::conflicts::warnings(&named, today, ahead) {
        per_file[i].push(p);
    }
    for ((file, _, _), problems) in valid.iter().zip(per_file) {
        if problems.is_empty() {
            continue;
        }
        let report = Report::new(file.clone(), problems);
        match format {
            CheckFormat::Github => out.write_all(actions::annotations(&report).as_bytes())?,
            CheckFormat::Text => {
                for w in report.warnings() {
                    writeln!(out, "{}", report.line(w))?;
                }
            }
        }
    }
    Ok(())
}

/// `oncall schedule --member LOGIN` with several rotations: the member's
/// days in each rotation they are on, by date.
fn member_across_rotations(
    member: &str,
    from: Option<NaiveDate>,
    days: u32,
    working_days: Option<u32>,
    format: crate::cli::ScheduleFormat,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    let Some(table) = format.table() else {
        return Err(crate::error::usage(
            "a calendar feed is one rotation's: add --rotation NAME",
        ));
    };
    let all = crate::layout::discover(Path::new(".")).map_err(crate::error::usage)?;
    let mut rows: Vec<(String, crate::day::Row, String)> = Vec::new();
    let mut found = false;
    for located in &all {
        let inputs = load(&located.config, &located.log)?;
        let rot = &inputs.rotation;
        let Some(m) = rot.member(member) else {
            continue;
        };
        found = true;
        let from = from.unwrap_or_else(|| calendar::today(rot.timezone, now));
        let days = match working_days {
            None => days,
            Some(n) => rot.calendar_days_for(from, n),
        };
        for row in schedule::rows(rot, &inputs.log, from, days) {
            if row.github.as_deref() == Some(m.github.as_str()) {
                rows.push((located.name.clone(), row, rot.team.clone()));
            }
        }
    }
    if !found {
        return Err(crate::error::usage(format!(
            "{member:?} is not a member of any rotation here"
        )));
    }
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
            writeln!(
                out,
                "{}",
                crate::escape::json(&serde_json::to_string_pretty(&v)?)
            )?;
        }
        schedule::Format::Markdown => {
            writeln!(out, "| date | day | rotation | why |\n|---|---|---|---|")?;
            for (name, row, team) in &rows {
                writeln!(
                    out,
                    "| {} | {} | {} ({}) | {} |",
                    row.date,
                    row.date.format("%a"),
                    crate::escape::markdown(name),
                    crate::escape::markdown(team),
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
        writeln!(out, "no days for {} in this range", terminal(member))?;
    }
    Ok(())
}

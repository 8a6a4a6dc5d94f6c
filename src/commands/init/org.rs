//! What `oncall init` does for a repository of several rotations: the two
//! workflows that serve every rotation (written when missing; left as they
//! are when they exist, saying whether they serve the new rotation), a
//! shared calendar to include (`--calendar`), and the steps left for a
//! named rotation.

use crate::error::{UserError, usage};
use crate::fsio;
use anyhow::Result;
use chrono::NaiveDate;
use oncall_core::config::calendars::{self, Calendars};
use oncall_core::setup::{self, EVERY_ROTATION, Workflows};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const DAILY_WORKFLOW: &str = ".github/workflows/oncall.yml";
pub const CHECK_WORKFLOW: &str = ".github/workflows/oncall-check.yml";

/// The two workflow files (they serve every rotation).
pub fn workflow_paths() -> [&'static Path; 2] {
    [Path::new(DAILY_WORKFLOW), Path::new(CHECK_WORKFLOW)]
}

/// The two workflows, with the action they use and the daily run's zone.
pub fn workflow_files(action: &str, timezone: &str) -> Vec<(PathBuf, String)> {
    let w = Workflows { action, timezone };
    vec![
        (PathBuf::from(DAILY_WORKFLOW), w.daily()),
        (PathBuf::from(CHECK_WORKFLOW), w.check()),
    ]
}

/// The workflows that exist: each path, and whether it is the form that
/// serves every rotation (it has the line `oncall init` writes).
pub fn existing_workflows() -> Result<Vec<(&'static Path, bool)>> {
    let mut found = Vec::new();
    for path in workflow_paths() {
        if fsio::kind(path).map_err(crate::error::fs)? == fsio::Kind::Missing {
            continue;
        }
        let text = fsio::read_text(path, false).map_err(UserError::from)?;
        found.push((path, text.lines().any(|l| l.trim_end() == EVERY_ROTATION)));
    }
    Ok(found)
}

/// What a named init says about the workflows it found and left.
pub fn left_workflows(out: &mut dyn Write, found: &[(&Path, bool)], config: &Path) -> Result<()> {
    if found.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = found.iter().map(|(p, _)| p.display().to_string()).collect();
    let names = names.join(" and ");
    let dir = config.parent().unwrap_or(Path::new("")).display();
    if found.iter().all(|(_, every)| *every) {
        writeln!(
            out,
            "\nThe workflows serve every rotation already: {names} hand over and check {dir}/ too. Left as they are."
        )?;
    } else {
        writeln!(
            out,
            "\nNote: {names} {} not the form `oncall init` writes for every rotation: {} may not hand over or check {dir}/. Left as {} {}; `oncall init --workflows-only --force` rewrites the two workflows to serve every rotation.",
            if found.len() == 1 { "is" } else { "are" },
            if found.len() == 1 { "it" } else { "they" },
            if found.len() == 1 { "it" } else { "they" },
            if found.len() == 1 { "is" } else { "are" },
        )?;
    }
    Ok(())
}

/// A shared calendar the new rotation includes (`--calendar PATH`).
pub struct NewCalendar {
    /// Its path in the repository, normalised (`calendars/berlin.yaml`).
    pub path: String,
    /// The `- include:` item: the path relative to the rotation file.
    pub include: String,
    /// The file to write, when it does not exist yet (no holidays, and how
    /// to fill it).
    pub text: Option<String>,
}

/// `--calendar PATH` for the rotation file at `config`: a path in the
/// repository; one that does not exist is written with no holidays.
pub fn new_calendar(arg: &Path, config: &Path) -> Result<NewCalendar> {
    let given = arg.to_str().ok_or_else(|| {
        usage(format!(
            "--calendar {}: write the path in UTF-8; nothing was written",
            arg.display()
        ))
    })?;
    let path = calendars::resolve("rotation.yaml", given)
        .map_err(|e| usage(format!("--calendar: {e}; nothing was written")))?;
    let depth = config.parent().map(|d| d.components().count()).unwrap_or(0);
    let include = format!("{}{path}", "../".repeat(depth));
    let config_label = config.display().to_string();
    if calendars::resolve(&config_label, &include).as_deref() != Ok(path.as_str()) {
        return Err(usage(format!(
            "--calendar {given}: cannot be named from {config_label}; nothing was written"
        )));
    }
    let text = match fsio::kind(Path::new(&path)).map_err(crate::error::fs)? {
        fsio::Kind::Missing => Some(setup::empty_calendar(&path)),
        fsio::Kind::File => None,
        fsio::Kind::Dir => {
            return Err(usage(format!(
                "--calendar {path} is a directory: name a calendar file, e.g. calendars/berlin.yaml; nothing was written"
            )));
        }
    };
    Ok(NewCalendar {
        path,
        include,
        text,
    })
}

/// The calendars a new rotation file includes: the new calendar from
/// memory (it is written with the rest, or not at all), the others from
/// the disk.
pub struct WithNew<'a> {
    pub new: Option<&'a NewCalendar>,
    pub disk: fsio::DiskCalendars,
}

impl Calendars for WithNew<'_> {
    fn read(&mut self, path: &str) -> Result<String, String> {
        match self.new {
            Some(NewCalendar {
                path: p,
                text: Some(text),
                ..
            }) if p == path => Ok(text.clone()),
            _ => self.disk.read(path),
        }
    }
}

/// The steps left after `init --rotation NAME`. `action`: the action the
/// workflows just written use (none written: `None`).
pub fn next_steps_named(
    out: &mut dyn Write,
    name: &str,
    action: Option<&str>,
    first: Option<NaiveDate>,
) -> Result<()> {
    if let Some(action) = action {
        super::owner_note(out, action)?;
        writeln!(out, "\nThe workflows use the action {action}.")?;
    }
    let mut steps = vec![
        "Commit and push these files to the default branch.".to_owned(),
        format!(
            "Slack: create an incoming webhook for the team's channel and store its URL\n\
             \x20  as the secret SLACK_WEBHOOK_URL of the GitHub environment oncall-{name}\n\
             \x20  (Settings → Environments; gh secret set SLACK_WEBHOOK_URL --env oncall-{name}).\n\
             \x20  The handover job of {name} runs in that environment; without the secret\n\
             \x20  there, the repository's secret SLACK_WEBHOOK_URL is used, if there is one."
        ),
    ];
    if action.is_some() {
        steps.push(
            "Let Actions open pull requests: Settings → Actions → General → Workflow\n\
             \x20  permissions → tick \"Allow GitHub Actions to create and approve pull requests\"\n\
             \x20  (or use a GitHub App token: see docs/security.md)."
                .to_owned(),
        );
    }
    let date = |sep: &str| match first {
        Some(day) => format!("{sep}{day}"),
        None => String::new(),
    };
    steps.push(format!(
        "First run, as a dry run: Actions → On-call handover → Run workflow, with\n\
         \x20  dry_run ticked and rotation {name}{} (gh workflow run oncall.yml\n\
         \x20  -f dry_run=true -f rotation={name}{}; locally: oncall --rotation {name}\n\
         \x20  advance --dry-run{}). Its log shows the pull request and the Slack\n\
         \x20  message it would make.",
        date(", date "),
        date(" -f date="),
        date(" --date "),
    ));
    writeln!(out, "\nSteps left:")?;
    for (i, s) in steps.iter().enumerate() {
        writeln!(out, "{}. {s}", i + 1)?;
    }
    Ok(())
}

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
pub const MOVED_WORKFLOW: &str = ".github/workflows/oncall-moved.yml";

/// The workflow files (they serve every rotation).
pub fn workflow_paths() -> [&'static Path; 3] {
    [
        Path::new(DAILY_WORKFLOW),
        Path::new(CHECK_WORKFLOW),
        Path::new(MOVED_WORKFLOW),
    ]
}

/// The workflows, with the action they use and the daily run's zone.
pub fn workflow_files(action: &str, timezone: &str) -> Vec<(PathBuf, String)> {
    let w = Workflows { action, timezone };
    vec![
        (PathBuf::from(DAILY_WORKFLOW), w.daily()),
        (PathBuf::from(CHECK_WORKFLOW), w.check()),
        (PathBuf::from(MOVED_WORKFLOW), w.moved()),
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
    let found: Vec<(String, bool)> = found
        .iter()
        .map(|(p, every)| (p.display().to_string(), *every))
        .collect();
    let dir = config
        .parent()
        .unwrap_or(Path::new(""))
        .display()
        .to_string();
    if let Some(text) = setup::workflows_left(&found, &dir) {
        writeln!(out, "\n{text}")?;
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

/// The note for a binary built without its repository's name.
pub fn owner_note(out: &mut dyn Write, action: &str) -> Result<()> {
    if action.starts_with("OWNER/") {
        writeln!(
            out,
            "\nNote: this oncall was built without the name of the repository it is released from (Cargo.toml's `repository` says OWNER/oncall): replace OWNER in the workflows, or run `oncall init --workflows-only --force --action OWNER/NAME@REF`."
        )?;
    }
    Ok(())
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
        owner_note(out, action)?;
        writeln!(out, "\nThe workflows use the action {action}.")?;
    }
    writeln!(
        out,
        "\n{}",
        setup::steps_left_named(name, action.is_some(), first).trim_end()
    )?;
    Ok(())
}

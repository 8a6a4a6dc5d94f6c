//! The commands: one file each, and [`run`], the one dispatch. A command
//! reads its inputs (files, GitHub, the environment), asks `oncall_core`,
//! and writes or prints what the core returned.

mod advance;
pub(crate) mod archives;
mod assign;
mod check;
mod holidays;
mod import;
mod init;
mod list;
mod moved;
mod preview;
mod roster;
mod schedule;
mod show;

use crate::cli::{Cli, Command};
use crate::error::UserError;
use crate::fsio;
use crate::http::Net;
use crate::joblog::Out;
use crate::layout::{self, Located};
use anyhow::Result;
use chrono::{DateTime, Utc};
use oncall_core::calendar;
use oncall_core::config::Rotation;
use oncall_core::diag::Report;
use oncall_core::log::{self, Log};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What every command is given, built once in `main`.
pub struct Ctx<'a> {
    /// The instant the program runs at (`ONCALL_NOW` or the clock).
    pub now: DateTime<Utc>,
    /// The one runtime and HTTP client, built when first needed.
    pub net: &'a Net,
    /// stdout: text, and the workflow commands the program builds
    /// (`Out::command`); in Actions no other line can be one (`joblog`).
    pub out: &'a mut dyn Out,
    /// stderr (in Actions, escaped as stdout is).
    pub err: &'a mut dyn Write,
}

/// Runs a command.
pub fn run(cli: &Cli, ctx: &mut Ctx) -> Result<()> {
    let target = || Target::of(cli);
    match &cli.command {
        Command::List(a) => list::run(a, cli.rotation.as_deref(), ctx),
        Command::Schema(a) => show::schema(a, ctx),
        Command::Check(a) => check::run(a, &target()?, ctx),
        Command::Preview(a) => {
            let t = target()?;
            preview::run(a, &t, ctx)?;
            moved::run(a, &t, ctx)
        }
        Command::Schedule(a) => schedule::run(a, &target()?, ctx),
        Command::Who(a) => show::who(a, &target()?, ctx),
        Command::Open(a) => show::open_threads(a, &target()?, ctx),
        Command::Runbooks(a) => show::runbooks(a, &target()?, ctx),
        Command::Stats(a) => show::stats(a, &target()?, ctx),
        Command::Site(a) => show::site(a, &target()?, ctx),
        Command::Advance(a) => advance::run(a, &target()?, ctx),
        Command::Assign(a) => assign::run(a, &target()?, ctx),
        Command::Swap(a) => roster::swap(a, &target()?, ctx),
        Command::Leave(a) => roster::leave(a, &target()?, ctx),
        Command::Cover(a) => roster::cover(a, &target()?, ctx),
        Command::Init(a) => init::init(a, &target()?, ctx),
        Command::Import(a) => import::import(a, &target()?, ctx),
        Command::Holidays(a) => holidays::run(a, ctx),
    }
}

/// The files a command works on: `--config` and `--log`, or with
/// `--rotation NAME` that rotation's (`rotations/NAME/`).
#[derive(Debug, Clone)]
pub struct Target {
    pub config: PathBuf,
    pub log: PathBuf,
    /// `--rotation NAME`, when given.
    pub rotation: Option<String>,
    /// The paths in the repository, without a checkout: `--rotation NAME`
    /// resolved by name only (for the commands that read GitHub).
    pub on_github: Located,
}

impl Target {
    fn of(cli: &Cli) -> Result<Target> {
        let remote = matches!(
            &cli.command,
            Command::Advance(a) if a.pr
        ) || matches!(cli.command, Command::Assign(_))
            // A new rotation: named, not there yet.
            || matches!(&cli.command, Command::Init(a) if !a.workflows_only);
        let Some(name) = &cli.rotation else {
            let located = Located {
                name: layout::DEFAULT_NAME.to_owned(),
                config: cli.config.clone(),
                log: cli.log.clone(),
            };
            return Ok(Target {
                config: cli.config.clone(),
                log: cli.log.clone(),
                rotation: None,
                on_github: located,
            });
        };
        // `advance --pr` and `assign` read the files from GitHub: no
        // checkout needed.
        let located = match remote {
            true => layout::paths_of(name),
            false => layout::find(Path::new("."), name),
        }
        .map_err(crate::error::usage)?;
        Ok(Target {
            config: located.config.clone(),
            log: located.log.clone(),
            rotation: Some(located.name.clone()),
            on_github: located,
        })
    }

    /// No file was named (`--config` and `--log` left at their defaults,
    /// no `--rotation`): `check` and `preview` look at every rotation of
    /// the repository.
    pub fn names_no_file(&self) -> bool {
        self.rotation.is_none()
            && self.config == Path::new("rotation.yaml")
            && self.log == Path::new("oncall-log.md")
    }

    /// The rotation's name, when it is one of several (`rotations/NAME/`).
    pub fn named(&self) -> Option<&str> {
        self.rotation
            .as_deref()
            .filter(|n| *n != layout::DEFAULT_NAME)
    }
}

/// A path as messages show it.
pub(crate) fn label(path: &Path) -> String {
    path.display().to_string()
}

/// The problems of an input file behind an error, if it is one.
pub(crate) fn input_report(e: &anyhow::Error) -> Option<Report> {
    e.downcast_ref::<UserError>().and_then(UserError::report)
}

/// The two files, read and validated.
pub struct Inputs {
    pub rotation: Rotation,
    /// The file's warnings, and (after [`open`]) the lint's.
    pub warnings: Report,
    pub rotation_text: String,
    /// The log read across its yearly archives (`archives`).
    pub log: Log,
    /// The log's own text.
    pub log_text: String,
    /// The yearly archives read with it (none without `log.archive`).
    pub archives: Vec<oncall_core::archive::Read>,
}

impl Inputs {
    /// Every year's text, the archives' then the log's (for what scans the
    /// whole history, e.g. when a member first appears).
    pub fn history_text(&self) -> std::borrow::Cow<'_, str> {
        match self.archives.is_empty() {
            true => std::borrow::Cow::Borrowed(&self.log_text),
            false => {
                let mut all: String = self.archives.iter().map(|a| a.text.as_str()).collect();
                all.push_str(&self.log_text);
                std::borrow::Cow::Owned(all)
            }
        }
    }
}

/// Reads and validates rotation.yaml and the log (a missing log is empty).
pub fn load(config: &Path, log_path: &Path) -> Result<Inputs> {
    load_in(None, config, log_path)
}

/// [`load`] under `root` (each file's own root when `None`, see
/// `fsio::Root::of`).
pub fn load_in(root: Option<&fsio::Root>, config: &Path, log_path: &Path) -> Result<Inputs> {
    let read = |path: &Path, missing_ok: bool| match root {
        Some(root) => fsio::read_in(root, path, missing_ok),
        None => fsio::read_text(path, missing_ok),
    };
    let rotation_text = read(config, false).map_err(UserError::from)?;
    let (rotation, warnings) = match root {
        Some(root) => fsio::load_rotation_in(Some(root.clone()), &label(config), &rotation_text),
        None => fsio::load_rotation(&label(config), &rotation_text),
    }
    .map_err(UserError::from)?;
    let log_text = read(log_path, true).map_err(UserError::from)?;
    let log = log::parse(&label(log_path), &log_text).map_err(UserError::from)?;
    let archives = archives::read(root, &rotation, log_path)?;
    let log = archives::merged(log, &archives)?;
    Ok(Inputs {
        rotation,
        warnings,
        rotation_text,
        log,
        log_text,
        archives,
    })
}

/// The files of a command that works on one rotation's local files, read,
/// validated and linted for today: the lint's errors refuse, its warnings
/// and the file's are printed.
pub(crate) fn open(target: &Target, ctx: &mut Ctx) -> Result<Inputs> {
    // Several rotations and no top-level one: say which there are.
    if target.rotation.is_none()
        && target.config == Path::new("rotation.yaml")
        && fsio::kind(&target.config).is_ok_and(|k| k == fsio::Kind::Missing)
        && let Ok(all) = layout::discover(Path::new("."))
        && !all.is_empty()
    {
        let names: Vec<&str> = all.iter().map(|l| l.name.as_str()).collect();
        return Err(crate::error::usage(format!(
            "there is no top-level rotation.yaml here, but {} rotation(s) under {}/: add --rotation NAME (one of: {})",
            names.len(),
            layout::ROTATIONS_DIR,
            names.join(", ")
        )));
    }
    let mut inputs = load(&target.config, &target.log)?;
    let today = calendar::today(inputs.rotation.timezone, ctx.now);
    let lint = oncall_core::lint::check(&label(&target.config), &inputs.rotation, today)
        .map_err(UserError::from)?;
    inputs.warnings.problems.extend(lint.problems);
    print_warnings(&inputs.warnings, ctx)?;
    Ok(inputs)
}

/// For a rotation read without [`open`] (`list`, `preview`, `swap`,
/// `schedule --compare`, one member across rotations): a rotation more than
/// a year behind (`lint::catch_up`) is refused before any day is walked,
/// as `open` refuses it.
pub(crate) fn lint_for_today(config: &Path, rot: &Rotation, now: DateTime<Utc>) -> Result<()> {
    let today = calendar::today(rot.timezone, now);
    oncall_core::lint::refuse_catch_up(&label(config), rot, today).map_err(UserError::from)?;
    Ok(())
}

/// Prints a report's warnings, as lines on stderr.
pub(crate) fn print_warnings(report: &Report, ctx: &mut Ctx) -> Result<()> {
    for w in report.warnings() {
        writeln!(ctx.err, "{}", report.line(w))?;
    }
    Ok(())
}

/// In GitHub Actions, a report's warnings as annotations on the file's path
/// in the repository (the daily run's: other commands' output may be read
/// by a program, and `check --format github` annotates on its own).
pub(crate) fn annotate_warnings(report: &Report, ctx: &mut Ctx) -> Result<()> {
    if crate::env::in_actions() && report.warnings().next().is_some() {
        let mut in_repo = report.clone();
        in_repo
            .problems
            .retain(|p| p.severity == oncall_core::diag::Severity::Warning);
        in_repo.map_files(|file| {
            if let Some(at) = file.find(" (on ") {
                file.truncate(at);
            }
        });
        ctx.out
            .command(&oncall_core::actions::annotations(&in_repo))?;
    }
    Ok(())
}

//! The shell of `oncall init` (and what `import` shares with it), for the
//! top-level rotation or, with `--rotation NAME`, a new team: gathers
//! the answers (flags, or questions on a terminal), checks the files they
//! make like `oncall check`, and writes them all, or nothing.

use super::{Ctx, Target};
use crate::build_info;
use crate::cli::InitArgs;
use crate::error::{UserError, usage};
use crate::fsio;
use anyhow::Result;
use chrono::NaiveDate;
use chrono_tz::Tz;
use oncall_core::calendar;
use oncall_core::config;
use oncall_core::diag::{InvalidInput, Report};
use oncall_core::render;
use oncall_core::setup::{self, NewMember, NewRotation};
use org::{NewCalendar, WithNew};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

mod org;

/// A time zone given on the command line or in answer to a question.
pub fn zone(name: &str) -> Result<Tz> {
    name.parse().map_err(|_| {
        usage(format!(
            "{name:?} is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC); nothing was written"
        ))
    })
}

/// This machine's IANA time zone: `TZ`, else /etc/timezone, else the zone
/// /etc/localtime links to.
pub fn machine_timezone() -> Option<String> {
    let valid = |s: &str| {
        let s = s.trim().trim_start_matches(':');
        s.parse::<Tz>().ok().map(|_| s.to_owned())
    };
    if let Some(tz) = std::env::var("TZ").ok().and_then(|s| valid(&s)) {
        return Some(tz);
    }
    if let Some(tz) = fsio::machine_file(Path::new("/etc/timezone")).and_then(|s| valid(&s)) {
        return Some(tz);
    }
    let link = fsio::machine_link(Path::new("/etc/localtime"))?;
    let link = link.to_string_lossy();
    valid(link.split_once("zoneinfo/")?.1)
}

/// The action the generated workflows use: this binary's release, pinned
/// to the commit its tag `vX.Y.Z` points at, the commit whose
/// `action/digests.txt` names the release's archives (the action runs only
/// an archive whose digest its own commit names: docs/security.md). The
/// binary cannot know that commit (it is made after the build), so it is
/// looked up on GitHub (`GITHUB_API_URL`); without an answer the workflows
/// use the tag, and the returned note says how to pin its commit.
fn default_action(net: &crate::http::Net) -> (String, Option<String>) {
    let repo = build_info::REPOSITORY;
    let tag = format!("v{}", build_info::VERSION);
    let by_tag = build_info::action_ref();
    match tag_commit(net, repo, &tag) {
        Some(sha) => (format!("{repo}@{sha} # {tag}"), None),
        None => (
            by_tag,
            Some(format!(
                "Note: the commit of {tag} could not be looked up on GitHub, so the workflows use the tag {tag}. Pin its commit (a tag can be moved; a commit cannot): `git ls-remote https://github.com/{repo} refs/tags/{tag}` prints it; replace `@{tag}` with `@COMMIT # {tag}` in the workflows."
            )),
        ),
    }
}

/// The commit a release tag points at, from GitHub's REST API (a
/// lightweight tag, as the release workflow makes); `None` without a
/// clear answer (offline, no such tag, rate-limited).
fn tag_commit(net: &crate::http::Net, repo: &str, tag: &str) -> Option<String> {
    let api = crate::env::var("GITHUB_API_URL").unwrap_or_else(|| "https://api.github.com".into());
    let url = format!(
        "{}/repos/{repo}/git/ref/tags/{tag}",
        api.trim_end_matches('/')
    );
    let client = net.client().ok()?;
    let request = client
        .get(url)
        .header("accept", "application/vnd.github+json")
        .header("x-github-api-version", crate::github::client::API_VERSION)
        .timeout(std::time::Duration::from_secs(10));
    let answer = net
        .block_on(async move {
            let resp = request.send().await.ok()?;
            if !resp.status().is_success() {
                return None;
            }
            resp.json::<serde_json::Value>().await.ok()
        })
        .ok()??;
    let object = &answer["object"];
    let sha = object["sha"].as_str()?;
    (object["type"] == "commit" && sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| sha.to_owned())
}

/// `OWNER/NAME@REF` (or `OWNER/NAME/PATH@REF`), safe to write after `uses:`.
fn valid_action(s: &str) -> bool {
    let ok = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    };
    match s.split_once('@') {
        Some((path, reference)) => path.contains('/') && ok(path) && ok(reference),
        None => false,
    }
}

/// Asks one question on the terminal; an empty answer takes the default.
pub fn ask(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    question: &str,
    default: Option<&str>,
) -> Result<String> {
    loop {
        match default {
            Some(d) => write!(out, "{question} [{d}]: ")?,
            None => write!(out, "{question}: ")?,
        }
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Err(usage(format!(
                "no answer to \"{question}\": give it as a flag (see the command's --help); nothing was written"
            )));
        }
        let answer = line.trim();
        match (answer.is_empty(), default) {
            (false, _) => return Ok(answer.to_owned()),
            (true, Some(d)) => return Ok(d.to_owned()),
            (true, None) => writeln!(out, "  (an answer is needed)")?,
        }
    }
}

/// The answers `init` needs, from the flags, else asked on a terminal.
struct Answers {
    team: String,
    timezone: String,
    members: Vec<NewMember>,
    start: Option<NaiveDate>,
}

fn answers(
    team: &Option<String>,
    timezone: &Option<String>,
    members: &[String],
    start: Option<NaiveDate>,
    err: &mut dyn Write,
) -> Result<Answers> {
    let machine = machine_timezone();
    let split = |s: &str| -> Vec<NewMember> {
        s.split([',', ' '])
            .filter(|m| !m.trim().is_empty())
            .map(NewMember::parse)
            .collect()
    };
    let mut a = Answers {
        team: team.clone().unwrap_or_default(),
        timezone: timezone.clone().unwrap_or_default(),
        members: members.iter().flat_map(|m| split(m)).collect(),
        start,
    };
    let mut missing = Vec::new();
    if a.team.trim().is_empty() {
        missing.push("--team NAME");
    }
    if a.members.is_empty() {
        missing.push("--member LOGIN[:SLACK_ID] (once per member)");
    }
    if missing.is_empty() {
        if a.timezone.is_empty() {
            a.timezone = machine.unwrap_or_else(|| "UTC".to_owned());
        }
        return Ok(a);
    }
    if !std::io::stdin().is_terminal() {
        return Err(usage(format!(
            "oncall init needs {}: give them as flags, or run it in a terminal to be asked; nothing was written",
            missing.join(" and ")
        )));
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    writeln!(
        err,
        "Setting up oncall in this repository. Press Enter to take [the default]."
    )?;
    if a.team.trim().is_empty() {
        a.team = ask(&mut input, err, "Team name", None)?;
    }
    if a.timezone.is_empty() {
        a.timezone = ask(
            &mut input,
            err,
            "Time zone (IANA, e.g. Europe/Berlin)",
            Some(machine.as_deref().unwrap_or("UTC")),
        )?;
    }
    while a.members.is_empty() {
        a.members = split(&ask(
            &mut input,
            err,
            "Members in rotation order: GitHub logins, each optionally with :SLACK_MEMBER_ID, separated by spaces",
            None,
        )?);
    }
    if a.start.is_none() {
        let answer = ask(
            &mut input,
            err,
            "First day (YYYY-MM-DD)",
            Some("the next working day"),
        )?;
        if answer != "the next working day" {
            a.start = Some(crate::cli::parse_date(&answer).map_err(usage)?);
        }
    }
    Ok(a)
}

/// Checks a generated rotation.yaml as `oncall check` would (the
/// validation, and the checks of today's date and the days ahead) and
/// prints its warnings, as `check` does, to `err`. An error writes
/// nothing: its problems name the answers' lines in the file.
pub fn checked(
    config_path: &Path,
    text: &str,
    now: chrono::DateTime<chrono::Utc>,
    err: &mut dyn Write,
) -> Result<config::Rotation> {
    checked_with(config_path, text, None, now, err)
}

/// [`checked`], with a calendar the file includes that is not written yet.
fn checked_with(
    config_path: &Path,
    text: &str,
    calendar: Option<&NewCalendar>,
    now: chrono::DateTime<chrono::Utc>,
    err: &mut dyn Write,
) -> Result<config::Rotation> {
    let file = super::label(config_path);
    let refuse = |mut report: Report| -> anyhow::Error {
        report.file = format!("{file} (from your answers; nothing was written)");
        UserError::from(InvalidInput(report)).into()
    };
    let mut calendars = WithNew {
        new: calendar,
        disk: fsio::DiskCalendars {
            root: fsio::Root::of(config_path).ok(),
        },
    };
    let (rotation, mut report) = config::load_from(&file, &file, text, &mut calendars)
        .map_err(|InvalidInput(report)| refuse(report))?;
    let today = calendar::today(rotation.timezone, now);
    let ahead = oncall_core::lint::check_ahead(
        &rotation,
        &oncall_core::log::Log::default(),
        today,
        crate::cli::CHECK_AHEAD,
    );
    report.problems.extend(ahead.problems);
    if report.has_errors() {
        return Err(refuse(report));
    }
    for w in report.warnings() {
        writeln!(err, "{}", report.line(w))?;
    }
    Ok(rotation)
}

/// Refuses when any of `paths` exists (unless `force`), naming them:
/// before anything is asked or written.
pub fn refuse_existing(paths: &[&Path], force: bool) -> Result<()> {
    let mut existing = Vec::new();
    for p in paths {
        if fsio::kind(p).map_err(crate::error::fs)? != fsio::Kind::Missing {
            existing.push(p.display().to_string());
        }
    }
    if !existing.is_empty() && !force {
        return Err(usage(format!(
            "{} already exist{}; nothing was written. Run with --force to overwrite {}",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" },
            if existing.len() == 1 { "it" } else { "them" },
        )));
    }
    Ok(())
}

/// Writes every file, after checking that none exists (unless `force`):
/// all of them, or nothing. A symbolic link on the way to any of them (a
/// linked `.github`) refuses them all before anything is written.
pub fn write_all(files: &[(PathBuf, String)], force: bool, out: &mut dyn Write) -> Result<()> {
    let paths: Vec<&Path> = files.iter().map(|(p, _)| p.as_path()).collect();
    refuse_existing(&paths, force)?;
    for (path, text) in files {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fsio::create_dir_all(dir).map_err(crate::error::fs)?;
        }
        fsio::write_atomic(path, text).map_err(crate::error::fs)?;
        writeln!(out, "wrote {}", path.display())?;
    }
    Ok(())
}

/// The day whose handover the first dry run should show: the rotation's
/// first working day, when it is still ahead (before it, a dry run has no
/// handover to show).
pub fn first_handover(rotation: &config::Rotation, today: NaiveDate) -> Option<NaiveDate> {
    match rotation.state {
        Some(_) => None,
        None => rotation.first_day().filter(|d| *d > today),
    }
}

fn next_steps(out: &mut dyn Write, action: &str, first: Option<NaiveDate>) -> Result<()> {
    org::owner_note(out, action)?;
    let dry_run = match first {
        Some(day) => format!(
            "4. First run, as a dry run of the first day: Actions → On-call handover → Run\n\
             \x20  workflow, with dry_run ticked and date {day} (gh workflow run oncall.yml\n\
             \x20  -f dry_run=true -f date={day}; locally: oncall advance --dry-run --date {day}).\n\
             \x20  Its log shows the pull request and the Slack message it would make. From\n\
             \x20  {day} on, the scheduled run hands over every working morning."
        ),
        None => "4. First run, as a dry run: Actions → On-call handover → Run workflow, with\n\
                 \x20  dry_run ticked (gh workflow run oncall.yml -f dry_run=true). Its log shows the\n\
                 \x20  pull request and the Slack message it would make. Then run it for real."
            .to_owned(),
    };
    writeln!(
        out,
        "\nThe workflows use the action {action}.\n\
         \n\
         Steps left:\n\
         1. Commit and push these files to the default branch.\n\
         2. Slack: create an incoming webhook for the support channel and store its URL\n\
         \x20  as the repository secret SLACK_WEBHOOK_URL (gh secret set SLACK_WEBHOOK_URL).\n\
         \x20  Without it the handover still runs, and the job notes that nothing was posted.\n\
         3. Let Actions open pull requests: Settings → Actions → General → Workflow\n\
         \x20  permissions → tick \"Allow GitHub Actions to create and approve pull requests\"\n\
         \x20  (or use a GitHub App token: see docs/security.md).\n\
         {dry_run}"
    )?;
    Ok(())
}

/// The action the workflows use: `--action`, checked, else this binary's
/// release (looked up on GitHub; a note when that fails).
fn the_action(
    action: &Option<String>,
    net: &crate::http::Net,
    err: &mut dyn Write,
) -> Result<String> {
    match action {
        // Checked before anything is asked.
        Some(a) => Ok(a.clone()),
        None => {
            let (action, note) = default_action(net);
            if let Some(note) = note {
                writeln!(err, "{note}")?;
            }
            Ok(action)
        }
    }
}

/// The rotation `--workflows-only` takes the daily run's zone and the
/// first dry run from: the one named, else the top-level one, else (a
/// repository of named rotations only) the first `oncall list` gives.
fn rotation_for_workflows(target: &Target) -> Result<(PathBuf, PathBuf)> {
    if target.names_no_file()
        && fsio::kind(&target.config).map_err(crate::error::fs)? == fsio::Kind::Missing
        && let Some(first) = crate::layout::discover(Path::new("."))
            .map_err(usage)?
            .into_iter()
            .next()
    {
        return Ok((first.config, first.log));
    }
    Ok((target.config.clone(), target.log.clone()))
}

/// `oncall init`: a rotation (the top-level one, or with `--rotation NAME`
/// rotations/NAME/) and the workflows, which serve every rotation of
/// the repository. A named rotation leaves workflows that exist as they
/// are.
pub(super) fn init(args: &InitArgs, target: &Target, ctx: &mut Ctx) -> Result<()> {
    let InitArgs {
        team,
        timezone,
        members,
        start,
        calendar,
        workflows_only,
        action,
        force,
    } = args;
    let (now, net, out, err) = (ctx.now, ctx.net, &mut *ctx.out, &mut *ctx.err);
    let named = target.named().map(str::to_owned);
    // The workflows init writes serve the rotations `oncall list` finds:
    // the top-level rotation.yaml and rotations/NAME/. A rotation
    // elsewhere would be written and never handed over.
    if target.rotation.is_none()
        && (target.config != std::path::Path::new("rotation.yaml")
            || target.log != std::path::Path::new("oncall-log.md"))
    {
        return Err(usage(format!(
            "init writes rotation.yaml and oncall-log.md at the top, or rotations/NAME/ with --rotation NAME: the workflows it writes serve those (`oncall list`), not {} and {}; nothing was written",
            target.config.display(),
            target.log.display()
        )));
    }
    // Files that exist refuse the run before anything is asked or looked
    // up; so does a calendar path that cannot be one.
    let workflows = org::workflow_paths();
    let rotation_files = [target.config.as_path(), target.log.as_path()];
    match (workflows_only, &named) {
        (true, _) => refuse_existing(&workflows, *force)?,
        (false, Some(_)) => refuse_existing(&rotation_files, *force)?,
        (false, None) => refuse_existing(&[&rotation_files[..], &workflows[..]].concat(), *force)?,
    }
    if let Some(a) = action.as_deref().filter(|a| !valid_action(a)) {
        return Err(usage(format!(
            "--action {a:?} is not OWNER/NAME@REF (letters, digits, -, _, . and /)"
        )));
    }
    let calendar = match calendar {
        Some(path) => Some(org::new_calendar(path, &target.config)?),
        None => None,
    };
    if *workflows_only {
        let action = the_action(action, net, err)?;
        let (config, log) = rotation_for_workflows(target)?;
        let inputs = super::load(&config, &log)?;
        let rotation = &inputs.rotation;
        let tz = rotation.timezone.name().to_owned();
        write_all(&org::workflow_files(&action, &tz), *force, out)?;
        let first = first_handover(rotation, calendar::today(rotation.timezone, now));
        return next_steps(out, &action, first);
    }
    // A named rotation: the workflows that exist are left as they are.
    let found = match named {
        Some(_) => org::existing_workflows()?,
        None => Vec::new(),
    };
    let missing: Vec<&Path> = workflows
        .iter()
        .copied()
        .filter(|w| !found.iter().any(|(p, _)| p == w))
        .collect();
    let a = answers(team, timezone, members, *start, err)?;
    let tz = zone(&a.timezone)?;
    let start = a
        .start
        .unwrap_or_else(|| setup::weekday_after(calendar::today(tz, now)));
    let new = NewRotation {
        team: a.team.trim().to_owned(),
        timezone: a.timezone,
        start,
        members: a.members,
        preface: Vec::new(),
        includes: calendar.iter().map(|c| c.include.clone()).collect(),
    };
    let text = setup::rotation_yaml(&new);
    let rotation = checked_with(&target.config, &text, calendar.as_ref(), now, err)?;
    let action = match missing.is_empty() {
        true => None,
        false => Some(the_action(action, net, err)?),
    };
    let mut files = vec![
        (target.config.clone(), text),
        (target.log.clone(), render::header(&rotation)),
    ];
    if let Some(NewCalendar {
        path,
        text: Some(text),
        ..
    }) = &calendar
    {
        files.push((PathBuf::from(path), text.clone()));
    }
    if let Some(action) = &action {
        files.extend(
            org::workflow_files(action, tz.name())
                .into_iter()
                .filter(|(p, _)| missing.contains(&p.as_path())),
        );
    }
    write_all(&files, *force, out)?;
    let first = first_handover(&rotation, calendar::today(tz, now));
    let local = match &named {
        Some(name) => format!("oncall --rotation {name}"),
        None => "oncall".to_owned(),
    };
    writeln!(
        out,
        "\n{} member{}; the rotation starts on {start}. `{local} schedule` shows the first weeks{}.",
        rotation.members.len(),
        if rotation.members.len() == 1 { "" } else { "s" },
        match first {
            Some(day) => format!(", `{local} advance --dry-run --date {day}` the first handover"),
            None => String::new(),
        }
    )?;
    if let Some(c) = calendar.as_ref().filter(|c| c.text.is_some()) {
        writeln!(out, "{}", setup::calendar_to_fill(&c.path))?;
    }
    match &named {
        Some(name) => {
            org::left_workflows(out, &found, &target.config)?;
            org::next_steps_named(out, name, action.as_deref(), first)
        }
        None => next_steps(out, action.as_deref().unwrap_or_default(), first),
    }
}

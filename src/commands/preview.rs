//! `oncall preview --base DIR`: what a pull request changes in the
//! schedule, for every rotation it touches. A rotation is touched when its
//! rotation file, its log or a shared calendar it includes (before or
//! after the change) differs between the base tree `DIR` and the working
//! tree; a calendar change so shows in every rotation that includes it.
//! A change to a log alone that moves no upcoming day (notes written
//! during the day) is named in one line, not previewed.

use super::{label, load, load_in};
use crate::fsio::{self, Kind, Root};
use crate::layout::Located;
use anyhow::Result;
use chrono::{DateTime, Utc};
use oncall_core::calendar;
use oncall_core::config::calendars;
use oncall_core::escape::markdown;
use oncall_core::schedule::{self, Format};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The rotations to look at: the files named (`--config`/`--log` other
/// than the defaults, or `--rotation`), else every rotation of either tree.
pub fn rotations(named: Option<Located>, base: &Path) -> Result<Vec<Located>> {
    if let Some(one) = named {
        return Ok(vec![one]);
    }
    let mut all = crate::layout::discover(Path::new(".")).map_err(crate::error::usage)?;
    // A rotation the change removes is listed too.
    for gone in crate::layout::discover(base).unwrap_or_default() {
        if !all.iter().any(|l| l.name == gone.name) {
            all.push(gone);
        }
    }
    Ok(all)
}

/// The two trees: the working tree (the repository) and the base tree
/// (`--base DIR`, a root of its own: a link in it leads nowhere either).
pub(super) struct Trees<'a> {
    head: Root,
    base: Root,
    base_dir: &'a Path,
}

impl<'a> Trees<'a> {
    /// The working tree and the base tree `base`.
    pub(super) fn new(base: &'a Path) -> Result<Trees<'a>> {
        Ok(Trees {
            head: Root::repository().map_err(crate::error::fs)?,
            base: Root::named(base).map_err(crate::error::fs)?,
            base_dir: base,
        })
    }
    /// A file's text in the working tree, or `None` when it is not there
    /// (or unreadable: the check reports that).
    fn head_text(&self, path: &Path) -> Option<String> {
        fsio::read_in(&self.head, path, true).ok()
    }
    /// The same file's text in the base tree.
    fn base_text(&self, path: &Path) -> Option<String> {
        fsio::read_in(&self.base, &self.base_dir.join(path), true).ok()
    }
    fn head_is_file(&self, path: &Path) -> bool {
        self.head.kind(path).is_ok_and(|k| k == Kind::File)
    }
    fn base_is_file(&self, path: &Path) -> bool {
        self.base
            .kind(&self.base_dir.join(path))
            .is_ok_and(|k| k == Kind::File)
    }
}

/// The calendars a rotation file includes, resolved.
fn calendars_of(config: &Path, text: Option<&str>) -> Vec<String> {
    let config = config.to_string_lossy();
    text.map(calendars::includes_in)
        .unwrap_or_default()
        .iter()
        .filter_map(|i| calendars::resolve(&config, i).ok())
        .collect()
}

/// What changed for one rotation, and why it is previewed.
pub(super) fn touched(l: &Located, trees: &Trees) -> Option<Vec<String>> {
    let head_config = trees.head_text(&l.config);
    let base_config = trees.base_text(&l.config);
    let mut why = Vec::new();
    if head_config != base_config {
        why.push(l.config.display().to_string());
    }
    if trees.head_text(&l.log) != trees.base_text(&l.log) {
        why.push(l.log.display().to_string());
    }
    let mut cals = calendars_of(&l.config, head_config.as_deref());
    cals.extend(calendars_of(&l.config, base_config.as_deref()));
    cals.sort();
    cals.dedup();
    for c in cals {
        if trees.head_text(Path::new(&c)) != trees.base_text(Path::new(&c)) {
            why.push(c);
        }
    }
    (!why.is_empty()).then_some(why)
}

/// The preview, in Markdown, of every rotation the change touches.
pub fn preview(
    named: Option<Located>,
    base: &Path,
    working_days: u32,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    let all = rotations(named, base)?;
    let trees = Trees::new(base)?;
    let single = all.len() == 1;
    let mut shown = 0;
    let mut log_only = Vec::new();
    for l in &all {
        let Some(why) = touched(l, &trees) else {
            continue;
        };
        let mut text = Vec::new();
        let moved = section(l, &trees, working_days, now, &mut text)?;
        // A change to the log alone (notes written during the day) that
        // moves no upcoming day is not a change to the schedule.
        if why == [l.log.display().to_string()] && moved == Some(0) {
            log_only.push(markdown(&l.name));
            continue;
        }
        shown += 1;
        // Paths as escaped text, not code spans: an include's path is text
        // from rotation.yaml and could hold a backtick.
        let changed: Vec<String> = why.iter().map(|w| markdown(w)).collect();
        match single {
            true => writeln!(out, "Changed: {}.\n", changed.join(", "))?,
            false => writeln!(
                out,
                "### Rotation `{}`\n\nChanged: {}.\n",
                markdown(&l.name),
                changed.join(", ")
            )?,
        }
        out.write_all(&text)?;
        writeln!(out)?;
    }
    match (shown, log_only.is_empty()) {
        (0, true) => writeln!(
            out,
            "This change touches no rotation file, log or shared calendar: the schedule stays as it is."
        )?,
        (_, false) => writeln!(
            out,
            "{} the log of {}, and no upcoming day moves.",
            if shown == 0 {
                "This change touches only"
            } else {
                "It also changes"
            },
            log_only.join(", ")
        )?,
        _ => {}
    }
    Ok(())
}

/// A rotation before and after a change, as far as its files load.
pub(super) enum Sides {
    /// The change removes the rotation.
    Removed,
    /// Its files do not load after the change.
    Broken,
    /// After the change; before it, when the base had the rotation
    /// (`existed`) and its files loaded.
    Loaded {
        after: Box<super::Inputs>,
        before: Option<Box<super::Inputs>>,
        existed: bool,
    },
}

/// Loads a rotation's files on both sides of the change (each refused as
/// `list` refuses one a year behind).
pub(super) fn sides(l: &Located, trees: &Trees, now: DateTime<Utc>) -> Sides {
    if !trees.head_is_file(&l.config) {
        return Sides::Removed;
    }
    let Ok(after) = load(&l.config, &l.log)
        .and_then(|i| super::lint_for_today(&l.config, &i.rotation, now).map(|()| i))
    else {
        return Sides::Broken;
    };
    let base_config: PathBuf = trees.base_dir.join(&l.config);
    let base_log: PathBuf = trees.base_dir.join(&l.log);
    let existed = trees.base_is_file(&l.config);
    let before = match existed {
        true => load_in(Some(&trees.base), &base_config, &base_log)
            .and_then(|i| super::lint_for_today(&l.config, &i.rotation, now).map(|()| i))
            .ok()
            .map(Box::new),
        false => None,
    };
    Sides::Loaded {
        after: Box::new(after),
        before,
        existed,
    }
}

/// One rotation's before and after; how many of its upcoming days the
/// change moves, when both sides load.
fn section(
    l: &Located,
    trees: &Trees,
    working_days: u32,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<Option<usize>> {
    let (after, before, existed) = match sides(l, trees, now) {
        Sides::Removed => {
            writeln!(out, "The change removes this rotation.")?;
            return Ok(None);
        }
        Sides::Broken => {
            writeln!(
                out,
                "Not previewed: {} has problems after the change (see the check's annotations).",
                markdown(&label(&l.config))
            )?;
            return Ok(None);
        }
        Sides::Loaded {
            after,
            before,
            existed,
        } => (after, before, existed),
    };
    let rot = &after.rotation;
    let from = calendar::today(rot.timezone, now);
    let days = rot.calendar_days_for(from, working_days);
    let rows = schedule::rows(rot, &after.log, from, days);
    match before {
        Some(b) => {
            let before_rows = schedule::rows(&b.rotation, &b.log, from, days);
            let changes = schedule::compare(&before_rows, &rows);
            out.write_all(
                schedule::render_compare(&b.rotation, rot, &changes, Format::Markdown).as_bytes(),
            )?;
            let notes = oncall_core::lint::added_in_the_past(&b.rotation, rot);
            if !notes.is_empty() {
                writeln!(out)?;
            }
            // A note holds dates and logins only (validated: letters,
            // digits and `-`), in code spans.
            for note in notes {
                writeln!(out, "- {note}")?;
            }
            Ok(Some(changes.iter().filter(|c| c.changed).count()))
        }
        None => {
            let why = match existed {
                true => "the base's files did not load",
                false => "a new rotation",
            };
            writeln!(out, "The schedule after the change ({why}):\n")?;
            out.write_all(schedule::render(rot, &rows, Format::Markdown).as_bytes())?;
            Ok(None)
        }
    }
}

/// The rotation `preview` is limited to: the files named, if any (named
/// as `oncall list` names it with `--rotation`, so that a message's claim
/// is the same whether one rotation or every one is told).
pub(super) fn named(target: &super::Target) -> Option<Located> {
    (!target.names_no_file()).then(|| Located {
        name: target
            .rotation
            .clone()
            .unwrap_or_else(|| label(&target.config)),
        config: target.config.clone(),
        log: target.log.clone(),
    })
}

/// `oncall preview --base DIR` (with `--slack`, `moved::run` follows).
pub fn run(
    args: &crate::cli::PreviewArgs,
    target: &super::Target,
    ctx: &mut super::Ctx,
) -> Result<()> {
    preview(
        named(target),
        &args.base,
        args.working_days,
        ctx.now,
        ctx.out,
    )
}

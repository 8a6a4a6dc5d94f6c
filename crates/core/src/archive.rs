//! Yearly archives of the log (`log.archive: yearly`): the first handover
//! of a year moves the finished year's day sections to `log/YYYY.md`
//! beside the log ([`split`], with that handover's files), and carries its
//! open threads and runbook debt into a block at the top of the log
//! (`## Carried over from YYYY`), where they are ticked from then on.
//! Every reader reads the log across its archives ([`merge`]).
//!
//! A write that stops halfway (the archive written, not the log) leaves
//! the log as it was: the log is the record of every year it still holds,
//! so an archive of such a year is not read, and the next handover writes
//! it again (the same text) with the shortened log.

use crate::config::Rotation;
use crate::diag::{InvalidInput, Pos, Problem, Report};
use crate::escape::markdown;
use crate::log::{self, Log};
use crate::log_format as format;
use chrono::Datelike;

/// The archives' directory, beside the log.
pub const DIR: &str = "log";

/// An archive's path, relative to the log's directory: `log/2026.md`.
pub fn path(year: i32) -> String {
    format!("{DIR}/{year}.md")
}

/// The year of an archive's file name (`2026.md`); none for another file.
pub fn year_of(file_name: &str) -> Option<i32> {
    let year = file_name.strip_suffix(".md")?;
    (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
        .then(|| year.parse().ok())
        .flatten()
}

/// One archive as read: its year, its name for messages, its text.
#[derive(Debug, Clone)]
pub struct Read {
    pub year: i32,
    pub file: String,
    pub text: String,
}

/// The log read across its archives: the archives' day sections first,
/// then the log's; the open threads and runbook debt of a file that a
/// later file's carried block took over are left out (they are ticked
/// there now). An archive of a year the log still holds is not read (a
/// move that stopped halfway: the log is the record). An archive with a
/// section of another year, or of a year after the log's first, is an
/// error at its line.
pub fn merge(current: Log, archives: &[Read]) -> Result<Log, InvalidInput> {
    let mut sorted: Vec<&Read> = archives.iter().collect();
    sorted.sort_by_key(|a| a.year);
    let first_held = current.records.first().map(|r| r.date.year());
    let mut out = Log {
        archives: sorted
            .iter()
            .map(|a| (a.year, Some(a.text.clone())))
            .collect(),
        ..Log::default()
    };
    for a in sorted {
        if current.records.iter().any(|r| r.date.year() == a.year) {
            continue;
        }
        let read = log::parse(&a.file, &a.text)?;
        let mut problems = Vec::new();
        for r in &read.records {
            if r.date.year() != a.year {
                problems.push(Problem::error(
                    Pos::new(r.line, 4),
                    format!("a section of {} in the archive of {}", r.date, a.year),
                    format!(
                        "an archive holds one year's day sections: move it to {}",
                        path(r.date.year())
                    ),
                ));
            } else if first_held.is_some_and(|y| a.year > y) {
                problems.push(Problem::error(
                    Pos::new(r.line, 4),
                    format!(
                        "a section of {} in an archive, after the log's first section",
                        r.date
                    ),
                    "an archive holds a finished year: move the section back into the log",
                ));
                break;
            }
        }
        if !problems.is_empty() {
            return Err(InvalidInput(Report::new(&a.file, problems)));
        }
        take(&mut out, read, Some(&a.file));
    }
    let (file, line_count, carried_from) = (
        current.file.clone(),
        current.line_count,
        current.carried_from,
    );
    take(&mut out, current, None);
    out.file = file;
    out.line_count = line_count;
    out.carried_from = carried_from;
    Ok(out)
}

/// Adds a file's sections and items to the merged log.
fn take(out: &mut Log, read: Log, file: Option<&str>) {
    if read.carried_from.is_some() {
        out.topics.retain(|t| t.done);
    }
    out.records.extend(read.records);
    out.topics.extend(read.topics.into_iter().map(|mut t| {
        t.file = file.map(str::to_owned);
        t
    }));
}

/// An archive's first lines.
pub fn header(rot: &Rotation, year: i32) -> String {
    format!(
        "# On-call log: {}, {year}\n\n\
         The day sections of {year}, moved here from the log when a later year\n\
         began (`log.archive: yearly`). What was still open then was carried\n\
         into the log's \"Carried over from …\" block, and is ticked there.\n",
        markdown(&rot.team)
    )
}

/// Why the finished years could not be moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub year: i32,
}

/// The files after moving every year before `year` out of `log_text` (the
/// log with this handover's sections): the archives to write, as (path
/// beside the log, text), and the shortened log; none when the log holds
/// no earlier year. `existing`: the archives there are (`Log::archives`):
/// one of a year to move is rewritten only with the same text (a move that
/// stopped halfway), else it is a [`Conflict`].
#[allow(clippy::type_complexity)]
pub fn split(
    rot: &Rotation,
    log_text: &str,
    year: i32,
    existing: &[(i32, Option<String>)],
) -> Result<Option<(Vec<(String, String)>, String)>, Conflict> {
    let Ok(parsed) = log::parse("", log_text) else {
        return Ok(None);
    };
    let mut years: Vec<i32> = parsed
        .records
        .iter()
        .map(|r| r.date.year())
        .filter(|y| *y < year)
        .collect();
    years.dedup();
    if years.is_empty() {
        return Ok(None);
    }
    // Byte offsets of the lines' starts (1-based line n at starts[n - 1]).
    let mut starts = vec![0];
    for l in log_text.split_inclusive('\n') {
        starts.push(starts.last().copied().unwrap_or(0) + l.len());
    }
    let at = |line: u32| starts[line as usize - 1];
    let first = parsed.records[0].line;
    let kept_line = parsed
        .records
        .iter()
        .find(|r| r.date.year() >= year)
        .map(|r| r.line);
    let kept = kept_line.map_or(log_text.len(), at);
    let carry_line = format::read_lines(&log_text[..at(first)])
        .find(|(_, l)| format::read_carried(l).is_some())
        .map(|(n, _)| n);
    let head = &log_text[..carry_line.map_or(at(first), at)];
    let old_carry = carry_line.map_or("", |n| &log_text[at(n)..at(first)]);

    let mut archives = Vec::new();
    for (i, &y) in years.iter().enumerate() {
        let from = parsed.records.iter().find(|r| r.date.year() == y);
        let to = parsed.records.iter().find(|r| r.date.year() > y);
        let from = from.map_or(kept, |r| at(r.line));
        let to = to.map_or(log_text.len(), |r| at(r.line));
        let mut text = header(rot, y);
        if i == 0 && !old_carry.trim().is_empty() {
            log::append(&mut text, old_carry.trim_end());
            text.push('\n');
        }
        log::append(&mut text, &log_text[from..to]);
        let text = format!("{}\n", text.trim_end());
        match existing.iter().find(|(e, _)| *e == y) {
            Some((_, Some(same))) if *same == text => {}
            Some(_) => return Err(Conflict { year: y }),
            None => {}
        }
        archives.push((path(y), text));
    }

    let last = *years.last().unwrap_or(&year);
    let open: Vec<&log::Topic> = parsed
        .topics
        .iter()
        .filter(|t| !t.done && kept_line.is_none_or(|k| t.line < k))
        .collect();
    let mut new = match head.trim().is_empty() {
        true => crate::render::header(rot),
        false => format!("{}\n", head.trim_end()),
    };
    if !open.is_empty() {
        let mut block = format::carried_heading(last);
        block.push_str(&format!(
            "\nOpen at the end of {last}, when its day sections moved to [{p}]({p}): tick each here when it is done.\n\n",
            p = path(last)
        ));
        for t in open {
            block.push_str(&format::carried_item(
                false,
                t.date,
                t.by.as_deref(),
                &t.text,
            ));
        }
        log::append(&mut new, &block);
    }
    if kept < log_text.len() {
        log::append(&mut new, &log_text[kept..]);
    }
    Ok(Some((archives, new)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROTATION: &str = "team: T\ntimezone: UTC\nstart: 2026-12-28\nmembers: [{ github: ana }, { github: ben }]\nlog: { archive: yearly }\n";

    fn rot() -> Rotation {
        crate::config::load("rotation.yaml", ROTATION).unwrap().0
    }

    fn section(date: &str, who: &str, topics: &str) -> String {
        format!(
            "## {date} · Day · `@{who}`\n\nOn call: **`@{who}`** · cycle 1\n\n### Topics\n\n{topics}\n"
        )
    }

    fn log_2026_2027() -> String {
        let mut log = "# On-call log: T\n\nHeader.\n".to_owned();
        log::append(
            &mut log,
            &section("2026-12-30", "ana", "- [ ] open thread\n- [x] done\n"),
        );
        log::append(
            &mut log,
            &section("2026-12-31", "ben", "- [ ] runbook: etcd\n"),
        );
        log::append(
            &mut log,
            &section("2027-01-04", "ana", "- [ ] this year's\n"),
        );
        log
    }

    /// Split, then read across: the same days and the same open items.
    #[test]
    fn a_move_loses_nothing_and_a_second_move_does_nothing() {
        let text = log_2026_2027();
        let whole = log::parse("log", &text).unwrap();
        let (archives, shortened) = split(&rot(), &text, 2027, &[]).unwrap().unwrap();
        assert_eq!(archives.len(), 1);
        assert_eq!(archives[0].0, "log/2026.md");
        assert!(
            shortened.starts_with("# On-call log: T\n\nHeader.\n\n## Carried over from 2026\n")
        );
        let reads = [Read {
            year: 2026,
            file: "log/2026.md".into(),
            text: archives[0].1.clone(),
        }];
        let merged = merge(log::parse("log", &shortened).unwrap(), &reads).unwrap();
        let days = |l: &Log| {
            l.records
                .iter()
                .map(|r| (r.date, r.on_call.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(days(&merged), days(&whole));
        let items = |v: Vec<&log::Topic>| {
            v.into_iter()
                .map(|t| (t.date, t.by.clone(), t.text.clone()))
                .collect::<Vec<_>>()
        };
        let after = chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
        assert_eq!(
            items(merged.open_threads(after)),
            items(whole.open_threads(after))
        );
        assert_eq!(
            items(merged.runbook_debt(after)),
            items(whole.runbook_debt(after))
        );
        // The ticked item stays in the archive, and says so.
        let done: Vec<_> = merged.topics.iter().filter(|t| t.done).collect();
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].file.as_deref(), Some("log/2026.md"));
        // Nothing left to move.
        assert_eq!(split(&rot(), &shortened, 2027, &[]), Ok(None));
        // The same archive there already (a move that stopped halfway): the
        // same move; another text: refused.
        let existing = [(2026, Some(archives[0].1.clone()))];
        assert_eq!(
            split(&rot(), &text, 2027, &existing).unwrap().unwrap().1,
            shortened
        );
        assert_eq!(
            split(&rot(), &text, 2027, &[(2026, Some("x".into()))]),
            Err(Conflict { year: 2026 })
        );
        assert_eq!(
            split(&rot(), &text, 2027, &[(2026, None)]),
            Err(Conflict { year: 2026 })
        );
    }

    /// While the log still holds a year, its archive is not read.
    #[test]
    fn an_archive_of_a_year_the_log_holds_is_not_read() {
        let text = log_2026_2027();
        let (archives, _) = split(&rot(), &text, 2027, &[]).unwrap().unwrap();
        let reads = [Read {
            year: 2026,
            file: "log/2026.md".into(),
            text: archives[0].1.clone(),
        }];
        let whole = log::parse("log", &text).unwrap();
        let merged = merge(whole.clone(), &reads).unwrap();
        assert_eq!(merged.records, whole.records);
        assert_eq!(merged.topics, whole.topics);
    }

    #[test]
    fn archive_names() {
        assert_eq!(year_of("2026.md"), Some(2026));
        for name in ["26.md", "2026.txt", "x2026.md", "2026.md.bak"] {
            assert_eq!(year_of(name), None, "{name}");
        }
    }
}

//! `oncall holidays import`: a shared calendar's holidays from a public
//! holiday iCalendar file. The dates are written out into the calendar
//! file, so the rotation stays a pure function of the repository's files
//! (R8): nothing reads the iCalendar file again.
//!
//! icalendar reads the file; a repeat rule (`RRULE`, with its `EXDATE`s)
//! is expanded by rrule, anchored at midnight UTC so that the dates do not
//! depend on the machine's time zone.

use crate::config::{calendars, edit, text};
use chrono::{Datelike, NaiveDate, NaiveTime};
use icalendar::{Calendar, Component, DatePerhapsTime};
use std::collections::BTreeMap;
use std::str::FromStr;

/// The most days one event may span (a holiday of weeks is a mistake).
const MAX_EVENT_DAYS: i64 = 31;
/// The longest name kept (a longer summary is cut).
const MAX_NAME_CHARS: usize = 200;
/// The most dates one repeat rule may give.
const MAX_REPEATS: u16 = 1000;

/// A holiday read from the file: its date and its name (the event's
/// `SUMMARY`; several events on one date are joined with " / ").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: Option<String>,
}

/// An event that gave no holiday, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub summary: String,
    pub why: &'static str,
}

/// What an iCalendar file holds between two dates.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Read {
    /// By date, each date once.
    pub holidays: Vec<Holiday>,
    pub skipped: Vec<Skipped>,
}

/// The holidays of an iCalendar file from `from` to `until` (both
/// included). An error says why the file cannot be read at all.
pub fn from_ics(text: &str, from: NaiveDate, until: NaiveDate) -> Result<Read, String> {
    if !text.trim_start().starts_with("BEGIN:VCALENDAR") {
        return Err(
            "this is not an iCalendar file (it does not start with BEGIN:VCALENDAR)".to_owned(),
        );
    }
    let cal = Calendar::from_str(text).map_err(|e| {
        let first: String = e.chars().take(200).collect();
        format!("this iCalendar file cannot be read: {first}")
    })?;
    let mut by_date: BTreeMap<NaiveDate, Vec<String>> = BTreeMap::new();
    let mut skipped = Vec::new();
    for event in cal.events() {
        // A name as the calendar file may hold it: without the characters
        // rotation.yaml's text refuses (controls, bidi), and not too long.
        let summary: String = event
            .get_summary()
            .unwrap_or("")
            .chars()
            .map(|c| if text::is_refused(c) { ' ' } else { c })
            .take(MAX_NAME_CHARS)
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let skip = |why| Skipped {
            summary: summary.clone(),
            why,
        };
        if event
            .property_value("STATUS")
            .is_some_and(|s| s.eq_ignore_ascii_case("CANCELLED"))
        {
            skipped.push(skip("cancelled"));
            continue;
        }
        let start = match event.get_start() {
            Some(DatePerhapsTime::Date(d)) => d,
            Some(_) => {
                skipped.push(skip("not an all-day event"));
                continue;
            }
            None => {
                skipped.push(skip("it has no date (DTSTART)"));
                continue;
            }
        };
        let days = match event.get_end() {
            Some(DatePerhapsTime::Date(end)) => (end - start).num_days().max(1),
            _ => 1,
        };
        if days > MAX_EVENT_DAYS {
            skipped.push(skip("it lasts more than 31 days"));
            continue;
        }
        let starts = match event.property_value("RRULE") {
            None => vec![start],
            Some(rule) => match repeats(event, start, rule, from, until) {
                Some(starts) => starts,
                None => {
                    skipped.push(skip("its repeat rule (RRULE) cannot be read"));
                    continue;
                }
            },
        };
        for s in starts {
            for d in s.iter_days().take(days as usize) {
                if d >= from && d <= until {
                    let names = by_date.entry(d).or_default();
                    if !summary.is_empty() && !names.contains(&summary) {
                        names.push(summary.clone());
                    }
                }
            }
        }
    }
    Ok(Read {
        holidays: by_date
            .into_iter()
            .map(|(date, names)| Holiday {
                date,
                name: (!names.is_empty()).then(|| names.join(" / ")),
            })
            .collect(),
        skipped,
    })
}

/// The first days of an all-day event's repeats that can fall between
/// `from` and `until` (one day either side, for events of several days
/// the caller cuts); `None` when the rule cannot be read.
fn repeats(
    event: &icalendar::Event,
    start: NaiveDate,
    rule: &str,
    from: NaiveDate,
    until: NaiveDate,
) -> Option<Vec<NaiveDate>> {
    let utc = |d: NaiveDate| format!("{}T000000Z", d.format("%Y%m%d"));
    // A date-only UNTIL is the end of that day, in UTC like DTSTART.
    let rule = rule
        .split(';')
        .map(|part| match part.split_once('=') {
            Some((k, v)) if k.eq_ignore_ascii_case("UNTIL") && v.len() == 8 => {
                format!("UNTIL={v}T235959Z")
            }
            _ => part.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(";");
    let mut set = format!("DTSTART:{}\nRRULE:{rule}", utc(start));
    let exdates = event.multi_properties().get("EXDATE").into_iter().flatten();
    for ex in exdates {
        for value in ex.value().split(',') {
            let day = value.get(..8)?;
            let d = NaiveDate::parse_from_str(day, "%Y%m%d").ok()?;
            set.push_str(&format!("\nEXDATE:{}", utc(d)));
        }
    }
    let set = rrule::RRuleSet::from_str(&set).ok()?;
    let bound = |d: NaiveDate| {
        d.and_time(NaiveTime::MIN)
            .and_utc()
            .with_timezone(&rrule::Tz::UTC)
    };
    let earliest = from - chrono::Duration::days(MAX_EVENT_DAYS + 1);
    let latest = until + chrono::Duration::days(1);
    let found = set
        .after(bound(earliest))
        .before(bound(latest))
        .all(MAX_REPEATS);
    Some(found.dates.iter().map(|d| d.date_naive()).collect())
}

/// A calendar file after an import: its text, the holidays added and the
/// dates that were there already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub text: String,
    pub added: Vec<Holiday>,
    pub present: Vec<NaiveDate>,
}

/// The calendar file's text with `new` added: every date not in it yet,
/// as a block list item `- { date: …, name: … }` at the end of
/// `holidays:`; the rest of the file (comments, its own names) stays as
/// it is. `existing`: the file's text and holidays, if it exists (read
/// with [`calendars::parse`]); `header`: the comment a new file starts
/// with. The result is read back as a calendar before it is returned.
pub fn merge(
    existing: Option<(&str, &[calendars::Entry])>,
    new: &[Holiday],
    header: &str,
) -> Result<Merged, String> {
    let there: Vec<NaiveDate> = existing
        .map(|(_, entries)| entries.iter().map(|e| e.date).collect())
        .unwrap_or_default();
    let (present, added): (Vec<&Holiday>, Vec<&Holiday>) =
        new.iter().partition(|h| there.contains(&h.date));
    let item = |h: &Holiday| match &h.name {
        Some(name) => format!(
            "{{ date: {}, name: {} }}",
            h.date,
            serde_json::to_string(name).expect("a string serializes")
        ),
        None => h.date.to_string(),
    };
    let block = |items: Vec<String>| {
        items
            .iter()
            .map(|i| format!("  - {i}\n"))
            .collect::<String>()
    };
    let text = match existing {
        None => format!(
            "{header}holidays:\n{}",
            block(added.iter().map(|h| item(h)).collect())
        ),
        Some((text, _)) if added.is_empty() => text.to_owned(),
        Some((text, _)) => edit::append_to_list(
            text,
            "holidays",
            &added.iter().map(|h| item(h)).collect::<Vec<_>>(),
        )?,
    };
    if let Err(problems) = calendars::parse(&text) {
        let first = problems
            .first()
            .map(|p| p.message.clone())
            .unwrap_or_default();
        return Err(format!(
            "internal: the calendar written does not read back: {first}"
        ));
    }
    Ok(Merged {
        text,
        added: added.into_iter().cloned().collect(),
        present: present.iter().map(|h| h.date).collect(),
    })
}

/// The comment a new calendar file starts with: where its dates came from
/// (the iCalendar file's name, on one line) and how a rotation uses them.
pub fn header(ics_name: &str, from: NaiveDate, until: NaiveDate) -> String {
    let name: String = ics_name.chars().filter(|c| !c.is_control()).collect();
    format!(
        "# Public holidays from {name}, {from} to {until}, written by\n\
         # `oncall holidays import`. A rotation includes them with an item\n\
         # `- include: PATH` under `holidays:`, PATH relative to its rotation.yaml.\n"
    )
}

/// What an import did, for the terminal: the holidays added, the dates
/// that were there, and each event left out with why.
pub fn report(
    calendar: &str,
    ics: &str,
    (from, until): (NaiveDate, NaiveDate),
    read: &Read,
    merged: &Merged,
) -> String {
    let day = |h: &Holiday| match &h.name {
        Some(n) => format!("{} {n}", h.date),
        None => h.date.to_string(),
    };
    let mut text = format!(
        "{calendar}: {} holiday(s) added, {} there already ({ics} from {from} to {until}).\n",
        merged.added.len(),
        merged.present.len(),
    );
    for h in &merged.added {
        text.push_str(&format!("  + {}\n", day(h)));
    }
    for d in &merged.present {
        text.push_str(&format!("  = {d} (there already; its name is kept)\n"));
    }
    for s in &read.skipped {
        let what = match s.summary.is_empty() {
            true => "an event without a name".to_owned(),
            false => format!("\"{}\"", s.summary),
        };
        text.push_str(&format!("  skipped {what}: {}\n", s.why));
    }
    if read.holidays.is_empty() {
        text.push_str(&format!(
            "No holiday from {from} to {until} in {ics}: check the dates (--from, --until).\n"
        ));
    }
    text
}

/// The default end of an import: the end of the year after `from`'s.
pub fn default_until(from: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(from.year() + 1, 12, 31).unwrap_or(NaiveDate::MAX)
}

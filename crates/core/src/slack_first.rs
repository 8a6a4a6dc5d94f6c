//! Import from the Operate First slack-first bot (`oncall import
//! slack-first`): its config becomes an equivalent rotation.yaml. Pure:
//! the config's text and the switch day in, a [`NewRotation`] out.
//!
//! The bot named `members[pivot % n]`, where the pivot is date-fns's
//! `getDayOfYear(today)` (1 on 1 January) for `schedule: daily`, or
//! `getWeek(today)` (weeks from Sunday, week 1 holds 1 January) for
//! `weekly`; weekends included; `onCall.override`, when set, named that
//! member instead. The import makes the switch day `start` (the first
//! working day on or after it), so the file is valid on every day before
//! it, and lists the members in the bot's order from the one the bot names
//! then: cycle 1 (R3) goes once through the list as the bot would have,
//! with no state block.

use crate::config::node::yaml_problem;
use crate::diag::{InvalidInput, Pos, Problem, Report};
use crate::setup::{NewMember, NewRotation, weekday_after};
use chrono::{Datelike, Duration, NaiveDate};
use serde::Deserialize;
use serde_saphyr::Spanned;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Config {
    support_channel_id: Option<String>,
    on_call: Spanned<OnCall>,
    github: Option<Github>,
}

#[derive(Debug, Deserialize)]
struct OnCall {
    schedule: Option<Spanned<String>>,
    members: Option<Spanned<Vec<OldMember>>>,
    #[serde(rename = "override")]
    override_: Option<OldMember>,
}

#[derive(Debug, Clone, Deserialize)]
struct OldMember {
    slack: String,
    github: String,
}

#[derive(Debug, Deserialize)]
struct Github {
    issues: Option<Issues>,
}

#[derive(Debug, Default, Deserialize)]
struct Issues {
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    access: Vec<String>,
}

/// The bot's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    Daily,
    Weekly,
}

/// date-fns `getDayOfYear`: 1 on 1 January.
pub fn day_of_year(d: NaiveDate) -> u32 {
    d.ordinal()
}

/// date-fns `getWeek` with its defaults (weeks start on Sunday; week 1 is
/// the week that holds 1 January).
pub fn week(d: NaiveDate) -> u32 {
    let start_of_week =
        |d: NaiveDate| d - Duration::days(d.weekday().num_days_from_sunday() as i64);
    let first = |y: i32| start_of_week(NaiveDate::from_ymd_opt(y, 1, 1).expect("1 January exists"));
    let year = if d >= first(d.year() + 1) {
        d.year() + 1
    } else {
        d.year()
    };
    ((start_of_week(d) - first(year)).num_days() / 7 + 1) as u32
}

/// Whom the bot names on `day` (before any override): the index into its
/// member list.
pub fn bot_pick(schedule: Schedule, n: usize, day: NaiveDate) -> usize {
    let pivot = match schedule {
        Schedule::Daily => day_of_year(day),
        Schedule::Weekly => week(day),
    };
    pivot as usize % n
}

/// What the import needs besides the bot's files.
#[derive(Debug, Clone)]
pub struct ImportOptions<'a> {
    pub team: &'a str,
    pub timezone: &'a str,
    /// The day the team switches to `oncall`.
    pub day: NaiveDate,
    /// The bot's config file's name, for the comment (its name only: the
    /// comment is committed, and a path would be the importing machine's).
    pub source: &'a str,
}

/// No control characters in a YAML comment line: a newline would end it.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Reads the bot's config (and, for the variant that keeps the list apart,
/// its members file) into a new rotation.
pub fn import(
    file: &str,
    text: &str,
    members_file: Option<(&str, &str)>,
    opts: &ImportOptions,
) -> Result<NewRotation, InvalidInput> {
    let fail = |file: &str, p: Problem| InvalidInput(Report::new(file, vec![p]));
    let config: Config =
        serde_saphyr::from_str(text).map_err(|e| fail(file, yaml_problem(&e, text)))?;
    let on_call = &config.on_call.value;
    let schedule = match on_call
        .schedule
        .as_ref()
        .map(|s| (s.value.as_str(), Pos::of(s)))
    {
        Some(("daily", _)) => Schedule::Daily,
        Some(("weekly", _)) => Schedule::Weekly,
        Some((other, pos)) => {
            return Err(fail(
                file,
                Problem::error(
                    pos,
                    format!("`onCall.schedule` is {other:?}; the bot knows `daily` and `weekly`"),
                    "write daily or weekly, as the bot read it",
                ),
            ));
        }
        None => {
            return Err(fail(
                file,
                Problem::error(
                    Pos::of(&config.on_call),
                    "`onCall.schedule` is missing; the bot named nobody without it",
                    "add `schedule: daily` (or weekly) under `onCall`",
                ),
            ));
        }
    };
    let members: Vec<OldMember> = match (&on_call.members, members_file) {
        (Some(m), None) => m.value.clone(),
        (None, Some((mfile, mtext))) => {
            serde_saphyr::from_str(mtext).map_err(|e| fail(mfile, yaml_problem(&e, mtext)))?
        }
        (Some(m), Some((mfile, _))) => {
            return Err(fail(
                file,
                Problem::error(
                    Pos::of(m),
                    format!(
                        "`onCall.members` is here and a members file ({mfile}) was given too; the bot refused that"
                    ),
                    "give the members in one place: drop --members, or the list here",
                ),
            ));
        }
        (None, None) => {
            return Err(fail(
                file,
                Problem::error(
                    Pos::of(&config.on_call),
                    "`onCall.members` is missing: the bot read the list from a separate file",
                    "give that file with --members FILE",
                ),
            ));
        }
    };
    if members.is_empty() {
        return Err(fail(
            members_file.map_or(file, |(f, _)| f),
            Problem::error(
                Pos::new(1, 1),
                "the member list is empty",
                "list the on-call members",
            ),
        ));
    }
    let n = members.len();
    let logins: Vec<String> = members.iter().map(|m| m.github.clone()).collect();

    // The first working day from the switch day on (the bot counted
    // weekends; `oncall` does not), and whom the bot names then: that day
    // is `start`, and cycle 1 is the bot's list from that member on, once
    // round (the bot's own order: after the last comes the first). No
    // state block: nothing has been handed over before `start`, so the
    // file is valid today however far ahead the switch is (R7: before the
    // first handover, the file's order is cycle 1's order).
    let start = weekday_after(opts.day - Duration::days(1));
    let k = bot_pick(schedule, n, start);
    let order: Vec<&OldMember> = members[k..].iter().chain(&members[..k]).collect();

    let issues = config.github.and_then(|g| g.issues).unwrap_or_default();
    let mut preface = vec![
        format!(
            "Imported from the slack-first bot's config ({}) by",
            one_line(opts.source)
        ),
        format!(
            "`oncall import slack-first`, for a switch on {start} (`start`): {}, whom",
            logins[k]
        ),
        "the bot names that day, is on call then. Until that day the bot stays in".into(),
        "charge, and `oncall` hands nothing over. `members` is the bot's list in its".into(),
        "order, starting from that member: the first pass (cycle 1) follows it, one".into(),
    ];
    preface.push(match k {
        0 => "working day each.".to_owned(),
        _ => format!(
            "working day each (the bot's own list starts with {}).",
            logins[0]
        ),
    });
    preface.extend([
        String::new(),
        "What changes for the team:".into(),
        "- Weekends and holidays no longer count: one engineer per working day (Monday".into(),
        "  to Friday here; list the team's holidays under `holidays`).".into(),
        "- Adding or removing someone no longer moves everyone: the list is followed in".into(),
        "  order, and a change moves only the days it has to.".into(),
        "- When everyone on the list has served, the list is shuffled for the next pass.".into(),
        "- Swaps and cover are overrides for one date (`oncall swap`), not a standing".into(),
        "  `override` that names one person until someone removes it.".into(),
    ]);
    if schedule == Schedule::Weekly {
        preface.push("- The bot handed over weekly; `oncall` hands over every working day.".into());
    }
    let mut kept = Vec::new();
    if let Some(channel) = &config.support_channel_id {
        kept.push(format!(
            "- support channel {}: create its incoming webhook and store the URL as the",
            one_line(channel)
        ));
        kept.push("  repository secret SLACK_WEBHOOK_URL; the handover is posted there.".into());
    }
    if !issues.labels.is_empty() {
        kept.push(format!(
            "- labels the bot routed to the on-call engineer: {}",
            one_line(&issues.labels.join(", "))
        ));
    }
    if !issues.access.is_empty() {
        kept.push(format!(
            "- repositories the bot worked in: {}",
            one_line(&issues.access.join(", "))
        ));
    }
    if let Some(o) = &on_call.override_ {
        kept.push(format!(
            "- a standing override naming {} (not imported: add an override for each date",
            one_line(&o.github)
        ));
        kept.push("  it should cover).".into());
    }
    if !kept.is_empty() {
        preface.push(String::new());
        preface.push("From the bot's config, with no place in rotation.yaml:".into());
        preface.extend(kept);
    }

    Ok(NewRotation {
        team: opts.team.to_owned(),
        timezone: opts.timezone.to_owned(),
        start,
        members: order
            .into_iter()
            .map(|m| NewMember {
                github: m.github.clone(),
                slack: Some(m.slack.clone()),
            })
            .collect(),
        preface,
        includes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// date-fns: getDayOfYear(2 July 2014) = 183; getWeek(2 Jan 2005) = 2;
    /// getWeek(26 Dec 2021) = 1 (the week of 1 January 2022).
    #[test]
    fn date_fns_day_of_year_and_week() {
        assert_eq!(day_of_year(d("2014-07-02")), 183);
        assert_eq!(day_of_year(d("2026-01-01")), 1);
        assert_eq!(week(d("2005-01-02")), 2);
        assert_eq!(week(d("2021-12-26")), 1);
        assert_eq!(week(d("2026-01-01")), 1);
        assert_eq!(week(d("2026-01-04")), 2);
    }
}

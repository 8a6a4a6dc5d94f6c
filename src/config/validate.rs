//! Loading rotation.yaml: every problem in one run (R12).
//!
//! Three passes, each reporting all it finds:
//! 1. YAML syntax and the size budget (`node::parse`);
//! 2. the structure against the JSON Schema (`structure::check`): unknown
//!    keys, missing keys, types, dates;
//! 3. the rules: small named checks over the typed file, each
//!    `fn(&RotationFile, &mut Vec<Problem>)`. They run whenever serde can
//!    read the file (an unknown key does not stop them; a value of the
//!    wrong type does, as the rules cannot be checked without it).

use super::node::{self, Pos};
use super::schema::{self, RotationFile};
use super::{
    DEFAULT_DUTIES, DEFAULT_WORKING_DAYS, Member, Override, Rotation, State, calendars, structure,
};
use crate::diag::{InvalidInput, Problem, Report};
use chrono::NaiveDate;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Reads rotation.yaml on its own, without shared calendars (an include is
/// reported as unreadable; `fsio::load_rotation` reads them from the
/// disk). `file` names it in messages. Returns the rotation and its
/// warnings, or every problem found.
pub fn load(file: &str, text: &str) -> Result<(Rotation, Report), InvalidInput> {
    load_from(file, file, text, &mut calendars::NoCalendars)
}

/// Reads rotation.yaml: `file` names it in messages, `path` is where it is
/// (its includes are relative to it), the calendars come from `calendars`.
pub fn load_from(
    file: &str,
    path: &str,
    text: &str,
    calendars: &mut dyn calendars::Calendars,
) -> Result<(Rotation, Report), InvalidInput> {
    let fail = |problems| InvalidInput(Report::new(file, problems));
    // The fast path, for a well-formed file: one typed parse that notes any
    // key serde would ignore. Anything unusual takes the full structural
    // pass, which finds every problem with its position.
    let mut ignored = false;
    let fast = serde_saphyr::with_deserializer_from_str_with_options(text, node::options(), |de| {
        serde_ignored::deserialize(de, |path| {
            // serde-saphyr's `Spanned` reads its position through a private
            // field that serde_ignored reports; it is not a key of the file.
            let spanned = matches!(path, serde_ignored::Path::Map { key, .. } if key.starts_with("__serde_saphyr_private"));
            if !spanned {
                ignored = true;
            }
        })
    });
    let (raw, mut problems): (RotationFile, Vec<Problem>) = match fast {
        Ok(raw) if !ignored => (raw, Vec::new()),
        _ => {
            let tree = node::parse(text).map_err(|e| fail(vec![yaml_problem(&e, text)]))?;
            let problems = structure::check(schema::json_schema(), &tree);
            match serde_saphyr::from_str_with_options(text, node::options()) {
                Ok(raw) => (raw, problems),
                // The structural check explains a type error better than serde.
                Err(_) if !problems.is_empty() => return Err(fail(problems)),
                Err(e) => return Err(fail(vec![yaml_problem(&e, text)])),
            }
        }
    };
    let structural = !problems.is_empty();
    for check in CHECKS {
        check(&raw, &mut problems);
    }
    if !structural {
        // What the schema says, for the files that skipped the structural
        // pass (it reports these itself).
        required_values_are_present(&raw, &mut problems);
    }
    let included = read_includes(&raw, path, calendars, &mut problems);
    let rotation = resolve(&raw, &included);
    overrides_follow_r6(&raw, &rotation, &mut problems);
    state_is_consistent(&raw, &rotation, &mut problems);
    nothing_left_ahead(&raw, &included.1, &mut problems);
    duties_are_not_cut_by_comments(&raw, text, &mut problems);
    time_zone_has_a_location(&raw, &mut problems);
    let report = Report::new(file, problems);
    if report.has_errors() {
        return Err(InvalidInput(report));
    }
    Ok((rotation, report))
}

/// A YAML syntax or type error as a problem at its position.
pub fn yaml_problem(e: &serde_saphyr::Error, text: &str) -> Problem {
    let pos = e
        .location()
        .map(|l| Pos::new(l.line() as u32, l.column() as u32))
        .filter(|p| p.line > 0)
        // Every problem names a line: without one, the file's start.
        .unwrap_or(Pos::new(1, 1));
    let error_text = e.without_snippet().to_string();
    let mut message = error_text
        .lines()
        .next()
        .unwrap_or("invalid YAML")
        .to_owned();
    // The position is printed in front; drop the library's own copy.
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    if message.contains("tab") {
        // The scanner reports a tab where it began to read ahead (often the
        // end of the line before): point at the tab itself.
        if let Some(at) = first_tab_from(text, pos) {
            return Problem::error(
                at,
                "a tab in the indentation: YAML indents with spaces only",
                "replace the tab with spaces",
            );
        }
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return Problem::error(pos, format!("`{key}` is written twice"), "keep one of them");
    }
    if message.contains("budget breached") || message.contains("alias") && message.contains("limit")
    {
        return Problem::error(
            pos,
            "the file exceeds oncall's limits (too large, too deeply nested, or YAML aliases that expand too much)",
            "write the rotation out plainly: no `*alias` expansions of large blocks, no deep nesting",
        );
    }
    Problem::error(
        pos,
        message,
        "fix the YAML syntax here (indentation, quotes, `key: value`)",
    )
}

/// The first tab in a line's indentation from `from`'s line on, or after
/// `from` on its own line.
fn first_tab_from(text: &str, from: Pos) -> Option<Pos> {
    for (i, line) in text
        .lines()
        .enumerate()
        .skip((from.line as usize).saturating_sub(1))
    {
        let same_line = i + 1 == from.line as usize;
        let mut indent = true;
        for (col, c) in line.chars().enumerate() {
            if c == '\t' && (indent || (same_line && col + 1 >= from.col as usize)) {
                return Some(Pos::new(i as u32 + 1, col as u32 + 1));
            }
            if !c.is_whitespace() {
                indent = false;
                if !same_line {
                    break;
                }
            }
        }
    }
    None
}

fn pos<T>(s: &Spanned<T>) -> Pos {
    Pos::of(s)
}

type Check = fn(&RotationFile, &mut Vec<Problem>);

const CHECKS: &[Check] = &[
    time_zone_is_known,
    working_days_are_distinct,
    holidays_are_distinct,
    logins_are_valid_and_unique,
    slack_ids_look_like_slack_ids,
    usergroup_looks_like_a_usergroup_id,
    webhook_env_names_a_slack_webhook,
    routing_is_usable,
    away_ranges_are_ordered,
    duties_are_not_empty,
];

fn required_values_are_present(f: &RotationFile, out: &mut Vec<Problem>) {
    if f.team.value.trim().is_empty() {
        out.push(Problem::error(
            pos(&f.team),
            "`team` is empty",
            "write a value",
        ));
    }
    if f.timezone.value.trim().is_empty() {
        out.push(Problem::error(
            pos(&f.timezone),
            "`timezone` is empty",
            "write a value",
        ));
    }
    if f.members.value.is_empty() {
        out.push(Problem::error(
            pos(&f.members),
            "`members` is empty",
            "add at least one entry",
        ));
    }
}

fn time_zone_is_known(f: &RotationFile, out: &mut Vec<Problem>) {
    let tz = &f.timezone.value;
    if !tz.trim().is_empty() && tz.parse::<chrono_tz::Tz>().is_err() {
        let names = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name());
        let hint = match structure::suggest(tz, names) {
            Some(n) => format!("did you mean `{n}`? use an IANA time zone name"),
            None => "use an IANA time zone name such as Europe/Berlin or America/New_York".into(),
        };
        out.push(Problem::error(
            pos(&f.timezone),
            format!("unknown time zone {tz:?}"),
            hint,
        ));
    }
}

fn working_days_are_distinct(f: &RotationFile, out: &mut Vec<Problem>) {
    let Some(days) = &f.working_days else { return };
    if days.value.is_empty() {
        out.push(Problem::error(
            pos(days),
            "`working_days` is empty: nobody would ever be on call",
            "list the weekdays with on-call duty, e.g. [mon, tue, wed, thu, fri], or remove the key",
        ));
    }
    let mut seen = Vec::new();
    for d in &days.value {
        if seen.contains(d) {
            out.push(Problem::error(
                pos(days),
                format!("`working_days` lists {d:?} twice"),
                "list each weekday once",
            ));
        }
        seen.push(*d);
    }
}

fn holidays_are_distinct(f: &RotationFile, out: &mut Vec<Problem>) {
    let mut seen = HashMap::new();
    for h in &f.holidays {
        let Some(date) = h.value.date() else { continue };
        if let Some(first) = seen.insert(date, pos(h)) {
            out.push(Problem::error(
                pos(h),
                format!(
                    "holiday {date} is listed twice (first on line {})",
                    first.line
                ),
                "keep one entry per date",
            ));
        }
    }
}

/// A GitHub login: 1-39 letters, digits or single hyphens, not at either end.
pub fn is_github_login(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 39
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// A Slack member ID: U or W, then 8 or more capital letters and digits.
pub fn is_slack_member_id(s: &str) -> bool {
    s.len() >= 9
        && s.len() <= 21
        && (s.starts_with('U') || s.starts_with('W'))
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn logins_are_valid_and_unique(f: &RotationFile, out: &mut Vec<Problem>) {
    let mut seen: HashMap<String, Pos> = HashMap::new();
    for m in &f.members.value {
        let login = &m.github.value;
        if !is_github_login(login) {
            out.push(Problem::error(
                pos(&m.github),
                format!("{login:?} is not a GitHub login"),
                "write the member's GitHub username: letters, digits and single hyphens, at most 39 characters",
            ));
        }
        if let Some(first) = seen.insert(login.to_lowercase(), pos(&m.github)) {
            out.push(Problem::error(
                pos(&m.github),
                format!(
                    "member `{login}` is listed twice (first on line {})",
                    first.line
                ),
                "each GitHub login may appear once in `members`; remove one entry",
            ));
        }
    }
}

fn slack_ids_look_like_slack_ids(f: &RotationFile, out: &mut Vec<Problem>) {
    for m in &f.members.value {
        if let Some(id) = &m.slack
            && !is_slack_member_id(&id.value)
        {
            out.push(Problem::error(
                    pos(id),
                    format!("{:?} is not a Slack member ID", id.value),
                    "copy the member ID from the person's Slack profile (⋮ → Copy member ID), e.g. U012AB3CDE; not a @name",
                ));
        }
    }
}

/// A Slack user group ID: S, then 8 or more capital letters and digits.
pub fn is_usergroup_id(s: &str) -> bool {
    s.len() >= 9
        && s.starts_with('S')
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// A name `slack.webhook_env` may hold: SLACK_WEBHOOK, then capital
/// letters, digits or `_` (so that it can only name a webhook, which is
/// masked in logs like SLACK_WEBHOOK_URL).
pub fn is_webhook_env(s: &str) -> bool {
    s.strip_prefix("SLACK_WEBHOOK").is_some_and(|rest| {
        rest.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    }) && s.len() <= 100
}

fn webhook_env_names_a_slack_webhook(f: &RotationFile, out: &mut Vec<Problem>) {
    if let Some(name) = f.slack.as_ref().and_then(|s| s.webhook_env.as_ref())
        && !is_webhook_env(&name.value)
    {
        out.push(Problem::error(
            pos(name),
            format!(
                "`slack.webhook_env` is {:?}, not the name of a webhook's variable",
                name.value
            ),
            "write SLACK_WEBHOOK followed by capital letters, digits or _, e.g. SLACK_WEBHOOK_SRE, and store the webhook URL in a secret of that name",
        ));
    }
}

fn usergroup_looks_like_a_usergroup_id(f: &RotationFile, out: &mut Vec<Problem>) {
    if let Some(id) = f.slack.as_ref().and_then(|s| s.usergroup.as_ref())
        && !is_usergroup_id(&id.value)
    {
        out.push(Problem::error(
            pos(id),
            format!("{:?} is not a Slack user group ID", id.value),
            "copy the group's ID (S followed by capitals and digits, e.g. S0123ABCDE): in Slack, People → User groups → the group → ⋮ → Copy group ID; not its @handle",
        ));
    }
}

fn routing_is_usable(f: &RotationFile, out: &mut Vec<Problem>) {
    let Some(r) = &f.routing else { return };
    for l in r.labels.iter().flatten() {
        if l.value.trim().is_empty() {
            out.push(Problem::error(
                pos(l),
                "an empty routing label",
                "write the label's name, e.g. kind/question",
            ));
        }
    }
    if let Some(c) = &r.command
        && (!c.value.starts_with('/')
            || c.value.len() < 2
            || c.value.chars().any(char::is_whitespace))
    {
        out.push(Problem::error(
            pos(c),
            format!("{:?} is not a comment command", c.value),
            "write one word that starts with a slash, e.g. /assign-to-oncall",
        ));
    }
}

fn away_ranges_are_ordered(f: &RotationFile, out: &mut Vec<Problem>) {
    for m in &f.members.value {
        for a in &m.away {
            if a.value.to < a.value.from {
                out.push(Problem::error(
                    pos(a),
                    format!(
                        "time off of `{}` ends ({}) before it begins ({})",
                        m.github.value, a.value.to.0, a.value.from.0
                    ),
                    "swap `from` and `to`; both days are included",
                ));
            }
        }
    }
}

fn duties_are_not_empty(f: &RotationFile, out: &mut Vec<Problem>) {
    for d in f.duties.iter().flatten() {
        if d.value.trim().is_empty() {
            out.push(Problem::error(
                pos(d),
                "a duty is empty",
                "write the duty or remove the line",
            ));
        }
    }
}

/// R6: an override names a member, on a working day, when they are not away.
fn overrides_follow_r6(f: &RotationFile, rot: &Rotation, out: &mut Vec<Problem>) {
    let mut seen: HashMap<NaiveDate, Pos> = HashMap::new();
    for o in &f.overrides {
        let date = o.date.value.0;
        let login = &o.github.value;
        if let Some(first) = seen.insert(date, pos(&o.date)) {
            out.push(Problem::error(
                pos(&o.date),
                format!(
                    "two overrides for {date} (the first on line {})",
                    first.line
                ),
                "one person is on call per day: keep one override for this date",
            ));
        }
        if date < rot.start {
            out.push(Problem::error(
                pos(&o.date),
                format!(
                    "override on {date}, before the rotation starts ({})",
                    rot.start
                ),
                "nobody is on call before `start`: move the override or remove it",
            ));
        } else if !rot.is_working_day(date) {
            let why = match rot.holidays.get(&date) {
                Some(_) => "a holiday",
                None => "not a working day",
            };
            out.push(Problem::error(
                pos(&o.date),
                format!(
                    "override on {date} ({}), which is {why}",
                    date.format("%A")
                ),
                "nobody is on call on non-working days: move the override to a working day or remove it",
            ));
        }
        match rot.member(login) {
            None => {
                let hint = match structure::suggest(
                    login,
                    rot.members.iter().map(|m| m.github.as_str()),
                ) {
                    Some(n) => {
                        format!("did you mean `{n}`? an override must name a login from `members`")
                    }
                    None => {
                        "an override must name a login from `members`; add the member first".into()
                    }
                };
                out.push(Problem::error(
                    pos(&o.github),
                    format!("override on {date} names `{login}`, who is not in `members`"),
                    hint,
                ));
            }
            Some(m) if m.is_away(date) => out.push(Problem::error(
                pos(&o.github),
                format!("override puts `{login}` on call on {date}, but they are away that day"),
                "change the override or the member's `away` range",
            )),
            Some(_) => {}
        }
    }
}

/// Warnings for lists that lie entirely before the last handover, when
/// nothing in them lies ahead: most likely last year's list, copied (who is
/// on call next Christmas would then be anyone's guess).
fn nothing_left_ahead(f: &RotationFile, included: &[Included], out: &mut Vec<Problem>) {
    let Some(st) = &f.state else { return };
    let since = st.since.value.0;
    let hint = "past entries no longer matter once handed over: add the ones ahead, or remove the old ones to silence this";
    // Every dated holiday, the rotation's own and its calendars', with
    // where it is written.
    let own = f
        .holidays
        .iter()
        .filter_map(|h| Some((h.value.date()?, pos(h), None)));
    let shared = included
        .iter()
        .map(|i| (i.entry.date, i.entry.pos, Some(i.file.clone())));
    let all: Vec<(NaiveDate, Pos, Option<String>)> = own.chain(shared).collect();
    if let Some((last, at, file)) = all.iter().max_by_key(|h| h.0).cloned()
        && last < since
    {
        let warning = Problem::warning(
            at,
            format!(
                "every holiday is before the last handover ({since}); none lies ahead: is this last year's list?"
            ),
            hint,
        );
        out.push(match file {
            Some(file) => warning.in_file(file),
            None => warning,
        });
    }
    let ranges: Vec<_> = f.members.value.iter().flat_map(|m| &m.away).collect();
    if let Some(last) = ranges.iter().map(|a| a.value.to.0).max()
        && last < since
    {
        let at = ranges.iter().find(|a| a.value.to.0 == last).map(|a| pos(a));
        out.push(Problem::warning(
            at.unwrap_or_default(),
            format!("all time off ended before the last handover ({since}); none lies ahead"),
            hint,
        ));
    }
    if let Some(last) = f.overrides.iter().map(|o| o.date.value.0).max()
        && last < since
    {
        let at = f
            .overrides
            .iter()
            .find(|o| o.date.value.0 == last)
            .map(|o| pos(&o.date));
        out.push(Problem::warning(
            at.unwrap_or_default(),
            format!("every override is before the last handover ({since}); none lies ahead"),
            hint,
        ));
    }
}

/// A duty written without quotes ends at ` #`: YAML reads the rest of the
/// line as a comment (`- Triage new issues in #ops` is "Triage new issues
/// in").
fn duties_are_not_cut_by_comments(f: &RotationFile, text: &str, out: &mut Vec<Problem>) {
    let lines: Vec<&str> = text.lines().collect();
    for d in f.duties.iter().flatten() {
        let p = pos(d);
        let Some(line) = lines.get((p.line as usize).wrapping_sub(1)) else {
            continue;
        };
        let start = line
            .char_indices()
            .nth((p.col as usize).saturating_sub(1))
            .map_or(line.len(), |(i, _)| i);
        let rest = &line[start..];
        if rest.starts_with(['"', '\'', '|', '>']) {
            continue;
        }
        if let Some(at) = rest.find(" #") {
            let comment = rest[at + 2..].trim();
            if !comment.is_empty() {
                out.push(Problem::warning(
                    p,
                    format!(
                        "this duty ends before ` #{comment}`: YAML reads ` #` and the rest of the line as a comment, so the duty is {:?}",
                        d.value.trim()
                    ),
                    "put the whole duty in quotes, e.g. - \"Triage new issues in #ops\"; ignore this if the rest is meant as a comment",
                ));
            }
        }
    }
}

/// A time zone without a location (`EST`, `MST7MDT`) keeps a fixed offset
/// or an old US rule: name a city's zone, which follows its daylight
/// saving time.
fn time_zone_has_a_location(f: &RotationFile, out: &mut Vec<Problem>) {
    let tz = f.timezone.value.trim();
    if tz.contains('/') || tz.parse::<chrono_tz::Tz>().is_err() {
        return;
    }
    if matches!(
        tz,
        "UTC" | "UCT" | "GMT" | "Zulu" | "Universal" | "Greenwich"
    ) {
        return;
    }
    let suggestion = match tz {
        "EST" | "EST5EDT" => "America/New_York",
        "CST6CDT" => "America/Chicago",
        "MST" | "MST7MDT" => {
            "America/Denver (or America/Phoenix, which has no daylight saving time)"
        }
        "PST8PDT" => "America/Los_Angeles",
        "HST" => "Pacific/Honolulu",
        "CET" | "MET" => "Europe/Berlin, Europe/Paris or another city's zone",
        "EET" => "Europe/Athens or another city's zone",
        "WET" => "Europe/Lisbon",
        _ => "the zone of the team's city, e.g. Europe/Berlin or America/New_York",
    };
    out.push(Problem::warning(
        pos(&f.timezone),
        format!(
            "time zone {tz:?} names no location: it may not follow the team's daylight saving time"
        ),
        format!("use {suggestion}"),
    ));
}

/// The state block names members consistently (it may be corrected by hand).
fn state_is_consistent(f: &RotationFile, rot: &Rotation, out: &mut Vec<Problem>) {
    let Some(st) = &f.state else { return };
    let hint_fix =
        "correct the `state` block by hand or remove it (the rotation then restarts from `start`)";
    if st.since.value.0 < rot.start {
        out.push(Problem::error(
            pos(&st.since),
            format!(
                "`state.since` ({}) is before `start` ({})",
                st.since.value.0, rot.start
            ),
            hint_fix,
        ));
    }
    if st.cycle.value == 0 {
        out.push(Problem::error(
            pos(&st.cycle),
            "`state.cycle` must be 1 or more",
            hint_fix,
        ));
    }
    let mut seen = HashSet::new();
    for o in &st.order {
        if !seen.insert(o.value.as_str()) {
            out.push(Problem::error(
                pos(o),
                format!("`{}` appears twice in `state.order`", o.value),
                hint_fix,
            ));
        }
        if rot.member(&o.value).is_none() {
            let hint = match structure::suggest(
                &o.value,
                rot.members.iter().map(|m| m.github.as_str()),
            ) {
                Some(n) => format!(
                    "did you mean `{n}`? if `{}` left the team, remove them from `state.order` and `state.served` too",
                    o.value
                ),
                None => format!(
                    "if `{}` left the team, remove them from `state.order` and `state.served` too (R7: nobody else's turn moves)",
                    o.value
                ),
            };
            out.push(Problem::error(
                pos(o),
                format!("`{}` is in `state.order` but not in `members`", o.value),
                hint,
            ));
        }
    }
    let mut served_seen = HashSet::new();
    for s in &st.served {
        if !seen.contains(s.value.as_str()) {
            out.push(Problem::error(
                pos(s),
                format!(
                    "`{}` is in `state.served` but not in `state.order`",
                    s.value
                ),
                hint_fix,
            ));
        }
        if !served_seen.insert(s.value.as_str()) {
            out.push(Problem::error(
                pos(s),
                format!("`{}` appears twice in `state.served`", s.value),
                hint_fix,
            ));
        }
    }
    for h in &st.held_back {
        if rot.member(&h.value).is_none() {
            out.push(Problem::error(
                pos(h),
                format!("`{}` is in `state.held_back` but not in `members`", h.value),
                "remove them from `state.held_back` (it only keeps the first days of a cycle spaced)",
            ));
        }
    }
    if let Some(on) = &st.on_call
        && rot.member(&on.value).is_none()
        && !seen.contains(on.value.as_str())
    {
        out.push(Problem::warning(
            pos(on),
            format!(
                "`state.on_call` names `{}`, who is not in `members`",
                on.value
            ),
            "fine if they just left the roster; otherwise correct the name",
        ));
    }
}

/// A holiday from an included calendar, with the calendar it is in.
struct Included {
    entry: calendars::Entry,
    /// The calendar's label, for messages.
    file: String,
}

/// Reads the calendars `f` includes (each once; problems in a calendar are
/// reported in that file, a path or read problem at the include). Returns
/// their holidays in the order included.
fn read_includes(
    f: &RotationFile,
    path: &str,
    source: &mut dyn calendars::Calendars,
    out: &mut Vec<Problem>,
) -> (Vec<String>, Vec<Included>) {
    let mut paths: Vec<String> = Vec::new();
    let mut holidays = Vec::new();
    for h in &f.holidays {
        let schema::Holiday::Include(inc) = &h.value else {
            continue;
        };
        let resolved = match calendars::resolve(path, &inc.include) {
            Ok(p) => p,
            Err(message) => {
                out.push(Problem::error(pos(h), message, ""));
                continue;
            }
        };
        if paths.contains(&resolved) {
            out.push(Problem::error(
                pos(h),
                format!("the calendar {resolved} is included twice"),
                "include each calendar once",
            ));
            continue;
        }
        paths.push(resolved.clone());
        let text = match source.read(&resolved) {
            Ok(t) => t,
            Err(why) => {
                out.push(Problem::error(
                    pos(h),
                    format!("the calendar {resolved} cannot be read: {why}"),
                    "check the path: it is relative to this file",
                ));
                continue;
            }
        };
        let label = source.label(&resolved);
        match calendars::parse(&text) {
            Ok(entries) => holidays.extend(entries.into_iter().map(|entry| Included {
                entry,
                file: label.clone(),
            })),
            Err(problems) => out.extend(problems.into_iter().map(|p| p.in_file(label.clone()))),
        }
    }
    (paths, holidays)
}

/// The typed file as a [`Rotation`] (defaults applied). Called only when
/// the structural check passed, before the cross-field checks.
fn resolve(f: &RotationFile, (calendars, included): &(Vec<String>, Vec<Included>)) -> Rotation {
    let working_days = match &f.working_days {
        Some(days) => days.value.iter().map(|d| (*d).into()).collect(),
        None => DEFAULT_WORKING_DAYS.to_vec(),
    };
    // The rotation's own holidays, then its calendars' (the first entry
    // for a date gives its name).
    let mut holidays: BTreeMap<NaiveDate, Option<String>> = BTreeMap::new();
    let own = f
        .holidays
        .iter()
        .filter_map(|h| Some((h.value.date()?, h.value.name().map(str::to_owned))));
    let shared = included
        .iter()
        .map(|i| (i.entry.date, i.entry.name.clone()));
    for (date, name) in own.chain(shared) {
        holidays.entry(date).or_insert(name);
    }
    let members: Vec<Member> = f
        .members
        .value
        .iter()
        .map(|m| Member {
            github: m.github.value.clone(),
            name: m.name.clone().filter(|n| !n.trim().is_empty()),
            slack: m.slack.as_ref().map(|s| s.value.clone()),
            away: m
                .away
                .iter()
                .map(|a| (a.value.from.0, a.value.to.0))
                .collect(),
        })
        .collect();
    let overrides = f
        .overrides
        .iter()
        .map(|o| {
            (
                o.date.value.0,
                Override {
                    github: o.github.value.clone(),
                    reason: o.reason.clone().filter(|r| !r.trim().is_empty()),
                    pos: pos(&o.date),
                },
            )
        })
        .collect();
    let duties = match &f.duties {
        Some(d) => d.iter().map(|s| s.value.trim().to_owned()).collect(),
        None => DEFAULT_DUTIES.iter().map(|s| (*s).to_owned()).collect(),
    };
    let state = f.state.as_ref().map(|s| State {
        since: s.since.value.0,
        on_call: s.on_call.as_ref().map(|o| o.value.clone()),
        cycle: s.cycle.value,
        order: s.order.iter().map(|o| o.value.clone()).collect(),
        served: s.served.iter().map(|o| o.value.clone()).collect(),
        held_back: s.held_back.iter().map(|o| o.value.clone()).collect(),
    });
    let index = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.github.clone(), i))
        .collect();
    Rotation {
        index,
        team: f.team.value.trim().to_owned(),
        timezone: f.timezone.value.parse().unwrap_or(chrono_tz::UTC),
        start: f.start.value.0,
        working_days,
        holidays,
        members,
        overrides,
        duties,
        state,
        state_since_pos: f.state.as_ref().map(|s| pos(&s.since)),
        member_pos: f.members.value.iter().map(|m| pos(&m.github)).collect(),
        routing_labels: match f.routing.as_ref().and_then(|r| r.labels.as_ref()) {
            Some(labels) => labels.iter().map(|l| l.value.trim().to_owned()).collect(),
            None => vec![crate::config::DEFAULT_ROUTING_LABEL.to_owned()],
        },
        routing_command: f
            .routing
            .as_ref()
            .and_then(|r| r.command.as_ref())
            .map_or_else(
                || crate::config::DEFAULT_ROUTING_COMMAND.to_owned(),
                |c| c.value.clone(),
            ),
        usergroup: f
            .slack
            .as_ref()
            .and_then(|s| s.usergroup.as_ref())
            .map(|u| u.value.clone()),
        webhook_env: f
            .slack
            .as_ref()
            .and_then(|s| s.webhook_env.as_ref())
            .map_or_else(
                || crate::config::DEFAULT_WEBHOOK_ENV.to_owned(),
                |w| w.value.clone(),
            ),
        calendars: calendars.clone(),
    }
}

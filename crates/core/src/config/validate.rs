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

use super::node::{self, Pos, yaml_problem};
use super::resolve::{read_includes, resolve};
use super::rules::{
    duties_are_not_cut_by_comments, nothing_left_ahead, overrides_follow_r6, state_is_consistent,
    time_zone_has_a_location,
};
use super::schema::{self, Holiday, RotationFile};
use super::{Rotation, calendars, structure, text};
use crate::diag::{InvalidInput, Problem, Report};
use serde_saphyr::Spanned;
use std::collections::HashMap;

/// Reads rotation.yaml on its own, without shared calendars (an include is
/// reported as unreadable; the binary's `fsio::load_rotation` reads them from the
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
        // A control character in free text is reported by the structural
        // pass, at its value's position (`text`).
        Ok(raw) if !ignored && free_text_is_plain(&raw) => (raw, Vec::new()),
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

fn pos<T>(s: &Spanned<T>) -> Pos {
    Pos::of(s)
}

/// Whether no free-text value of the typed file (the fields whose schema
/// carries `text::pattern`) holds a character that free text may not
/// (`text`): a file with one takes the structural pass, which reports each
/// one at its position.
fn free_text_is_plain(f: &RotationFile) -> bool {
    let members = f.members.value.iter().flat_map(|m| {
        m.name
            .iter()
            .map(String::as_str)
            .chain(m.away.iter().filter_map(|a| a.value.reason.as_deref()))
    });
    let holidays = f.holidays.iter().filter_map(|h| match &h.value {
        Holiday::Named(n) => Some(n.name.as_str()),
        Holiday::Include(_) | Holiday::Date(_) => None,
    });
    let overrides = f.overrides.iter().filter_map(|o| o.reason.as_deref());
    let duties = f.duties.iter().flatten().map(|d| d.value.as_str());
    let labels = f
        .routing
        .iter()
        .flat_map(|r| r.labels.iter().flatten().map(|l| l.value.as_str()));
    std::iter::once(f.team.value.as_str())
        .chain(members)
        .chain(holidays)
        .chain(overrides)
        .chain(duties)
        .chain(labels)
        .all(|s| text::first_refused(s).is_none())
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
    super::limits::sizes_are_within_limits,
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
            || c.value
                .chars()
                .any(|c| c.is_whitespace() || text::is_refused(c)))
    {
        out.push(Problem::error(
            pos(c),
            format!("{:?} is not a comment command", c.value),
            "write one word that starts with a slash, e.g. /assign-to-oncall",
        ));
    } else if let Some(c) = &r.command
        && super::SWAP_COMMANDS.contains(&c.value.as_str())
    {
        out.push(Problem::error(
            pos(c),
            format!(
                "{:?} is the swap requests' command: as the routing command it would never route",
                c.value
            ),
            "choose another word, e.g. /assign-to-oncall",
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

//! Swap requests by comment, handled by `oncall assign` on an
//! `issue_comment`: `/swap DATE [with @login]` asks who could take a day,
//! `/take [DATE]` takes it (giving DATE back: a swap). Pure: the comment,
//! the rotation, the issue's own comments and the swap branch's pull
//! request in; what to write out. Logins are written as code
//! (`` `@login` ``): a comment pings nobody; the review request on the
//! roster pull request is the notification.
//!
//! Markers (hidden lines, counted only in comments oncall's identity
//! wrote): every answer carries `reply=ID`, the id of the comment it
//! answers, so a rerun of the same event writes nothing; the answer to
//! `/swap` also carries the request (`swap date=… from=… [to=…]`), which a
//! later `/take` on the issue reads; the roster pull request's body
//! carries `swap-pr … taker=…`, so a second `/take` can say who took it.
//! What `/take` writes is `swap_pr`'s.

use crate::config::Rotation;
use crate::config::parse_date;
use crate::day::{self, Row};
use crate::log::Log;
use crate::log_format::code_login;
use chrono::{Days, NaiveDate};

/// A swap command, from a comment's first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/swap DATE [with @login]`.
    Swap {
        date: NaiveDate,
        with: Option<String>,
    },
    /// `/take [DATE]`: DATE is a day of the taker's given back.
    Take { back: Option<NaiveDate> },
    /// `/swap` or `/take` written wrong: how to write it (answered to a
    /// member or writer, like a request).
    Unclear { how: String },
}

fn is_login(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 39
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
}

/// The swap command in a comment's first line: `None` when its first word
/// is not `/swap` or `/take`, [`Command::Unclear`] when it is one written
/// wrong.
pub fn parse(body: &str) -> Option<Command> {
    parse_strict(body).map(|r| r.unwrap_or_else(|how| Command::Unclear { how }))
}

/// The rotation a swap command names at its end (`… in NAME`), for a
/// repository of several: a member of two rotations, or a writer outside
/// every one, says which. None when it names none (or is no swap command).
pub fn rotation_named(body: &str) -> Option<String> {
    let first = body.lines().next().unwrap_or("").trim();
    let words: Vec<&str> = first.split_whitespace().collect();
    if !crate::config::SWAP_COMMANDS.contains(words.first()?) {
        return None;
    }
    match words.as_slice() {
        [.., "in", name] => Some((*name).to_owned()),
        _ => None,
    }
}

fn parse_strict(body: &str) -> Option<Result<Command, String>> {
    let first = body.lines().next().unwrap_or("").trim();
    let mut words = first.split_whitespace();
    let verb = words.next()?;
    let mut rest: Vec<&str> = words.collect();
    // `… in NAME`: which rotation (`rotation_named`), not the command's.
    if let [.., "in", _] = rest.as_slice() {
        rest.truncate(rest.len() - 2);
    }
    match verb {
        v if v == crate::config::SWAP_COMMANDS[0] => Some(match rest.as_slice() {
            [d] => parse_date(d)
                .map(|date| Command::Swap { date, with: None })
                .ok_or(()),
            [d, "with", who] => {
                let who = who.strip_prefix('@').unwrap_or(who);
                match (parse_date(d), is_login(who)) {
                    (Some(date), true) => Ok(Command::Swap {
                        date,
                        with: Some(who.to_owned()),
                    }),
                    _ => Err(()),
                }
            }
            _ => Err(()),
        }
        .map_err(|()| {
            "write `/swap YYYY-MM-DD` (your day), or `/swap YYYY-MM-DD with @login` to ask one member (`@login` in code: it pings nobody); with several rotations, `in NAME` at the end says which".to_owned()
        })),
        v if v == crate::config::SWAP_COMMANDS[1] => Some(match rest.as_slice() {
            [] => Ok(Command::Take { back: None }),
            [d] => parse_date(d)
                .map(|d| Command::Take { back: Some(d) })
                .ok_or_else(|| {
                    "write `/take`, or `/take YYYY-MM-DD` to give one of your days back".to_owned()
                }),
            _ => Err("write `/take`, or `/take YYYY-MM-DD` to give one of your days back".to_owned()),
        }),
        _ => None,
    }
}

/// A swap request, as the answer to `/swap` records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub date: NaiveDate,
    /// Whose day it is.
    pub from: String,
    /// The one member asked, if any (`with @login`).
    pub to: Option<String>,
}

/// The hidden line of an answer to comment `reply_to`.
pub fn reply_marker(reply_to: u64) -> String {
    format!("<!-- oncall: reply={reply_to} -->")
}

fn request_marker(r: &Request, reply_to: u64) -> String {
    let to =
        r.to.as_ref()
            .map(|t| format!(" to={t}"))
            .unwrap_or_default();
    format!(
        "<!-- oncall: swap date={} from={}{to} reply={reply_to} -->",
        r.date, r.from
    )
}

/// The `key=value` fields of the marker `<!-- oncall: KIND … -->` in a
/// text (the last one).
pub(crate) fn fields<'a>(text: &'a str, kind: &str) -> Option<Vec<(&'a str, &'a str)>> {
    let head = format!("<!-- oncall: {kind} ");
    let at = text.rfind(&head)? + head.len();
    let end = text[at..].find("-->")? + at;
    Some(
        text[at..end]
            .split_whitespace()
            .filter_map(|f| f.split_once('='))
            .collect(),
    )
}

/// Whether comment `reply_to` was answered already (by oncall: `own` are
/// the bodies of the comments its identity wrote).
pub fn answered(own: &[String], reply_to: u64) -> bool {
    let mark = format!("reply={reply_to} -->");
    own.iter().any(|c| c.contains(&mark))
}

/// The swap requests answered on an issue, oldest first.
pub fn requests(own: &[String]) -> Vec<Request> {
    own.iter()
        .filter_map(|c| {
            let f = fields(c, "swap")?;
            let get = |k: &str| f.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
            Some(Request {
                date: parse_date(get("date")?)?,
                from: get("from").filter(|l| is_login(l))?.to_owned(),
                to: get("to").filter(|l| is_login(l)).map(str::to_owned),
            })
        })
        .collect()
}

/// oncall's own comments on an issue as a command for `rotation` sees
/// them: without the requests made for another rotation (their marker's
/// `rotation=`); a request without one is every rotation's (one rotation,
/// or an answer from before the field).
pub fn for_rotation(own: Vec<String>, rotation: &str) -> Vec<String> {
    own.into_iter()
        .filter(|c| {
            fields(c, "swap").is_none_or(|f| {
                f.iter()
                    .find(|(k, _)| *k == "rotation")
                    .is_none_or(|(_, v)| *v == rotation)
            })
        })
        .collect()
}

/// What to do about a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Nothing, and why (one line, for the job's log).
    Nothing(String),
    /// Comment this on the issue; `said` is the job log's line.
    Comment { body: String, said: String },
}

impl Reply {
    /// The answer for one rotation of several (`NAME` as `oncall list`
    /// names it, `default` for the top-level rotation.yaml): each `/take`
    /// command it suggests names the rotation (`… in NAME`), so that a
    /// member of two rotations can take the day as written.
    pub fn in_rotation(self, name: &str) -> Reply {
        match self {
            Reply::Comment { body, said } => {
                let mut out = String::with_capacity(body.len());
                let mut rest = body.as_str();
                while let Some(at) = rest.find("`/take") {
                    let end = rest[at + 1..].find('`').map_or(rest.len(), |e| at + 1 + e);
                    out.push_str(&rest[..end]);
                    out.push_str(&format!(" in {name}"));
                    rest = &rest[end..];
                }
                out.push_str(rest);
                // The request's marker names the rotation too, so that a
                // `/take` for another rotation on the issue passes it by.
                let out = out.replacen(
                    "<!-- oncall: swap date=",
                    &format!("<!-- oncall: swap rotation={name} date="),
                    1,
                );
                Reply::Comment { body: out, said }
            }
            nothing => nothing,
        }
    }
}

/// The answer to a command written wrong: how to write it, once.
pub fn answer_unclear(how: &str, own: &[String], reply_to: u64) -> Reply {
    if answered(own, reply_to) {
        return Reply::Nothing("this comment is answered already".into());
    }
    reply(&format!("To ask for a swap or take one, {how}."), reply_to)
}

pub(crate) fn reply(why: &str, reply_to: u64) -> Reply {
    Reply::Comment {
        body: format!("{why}\n\n{}\n", reply_marker(reply_to)),
        said: format!("answered: {}", why.replace('`', "")),
    }
}

pub(crate) fn long(d: NaiveDate) -> String {
    d.format("%A %Y-%m-%d").to_string()
}

/// Why `date` cannot be swapped (not a working day, handed over, past),
/// if it cannot.
pub(crate) fn not_ahead(rot: &Rotation, date: NaiveDate, today: NaiveDate) -> Option<String> {
    match day::calendar(rot, date) {
        day::Calendar::BeforeStart { start } => {
            return Some(format!("{date} is before the rotation starts ({start})."));
        }
        day::Calendar::Off { .. } => {
            return Some(format!(
                "{} is not a working day: nobody is on call then.",
                long(date)
            ));
        }
        day::Calendar::Working => {}
    }
    let since = rot.state.as_ref().map(|s| s.since);
    if date < today || since.is_some_and(|s| date <= s) {
        return Some(format!(
            "{date} is handed over or past: only days ahead can be swapped."
        ));
    }
    // The rules are walked up to the day: a year ahead at most, as for the
    // overrides `check` looks at.
    if today
        .checked_add_months(crate::lint::MAX_CATCH_UP)
        .is_none_or(|limit| date > limit)
    {
        return Some(format!(
            "{date} is more than a year ahead: ask for a swap within the coming year."
        ));
    }
    None
}

pub(crate) fn on_call(rot: &Rotation, date: NaiveDate) -> Option<String> {
    day::ahead(rot, date).and_then(|d| d.on_call)
}

/// Who could take a day: a member available then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub login: String,
    /// Taking the day keeps R4's spacing: none of their own days is within
    /// w = max(1, floor(n/3)) working days of it.
    pub keeps_spacing: bool,
    /// Their own day closest to it that they could give back (ahead, not
    /// overridden, and the day's owner is not away then).
    pub own: Option<NaiveDate>,
}

/// The members who could take `date` from `from`, best first: those for
/// whom it keeps R4's spacing, then those whose own day is closest to it
/// (a natural swap), then the file's order.
pub fn candidates(rot: &Rotation, date: NaiveDate, from: &str, today: NaiveDate) -> Vec<Candidate> {
    let w = crate::rotation::spacing_window(rot.members.len());
    let lo = rot.start.max(date - Days::new(28));
    let span = (date + Days::new(57) - lo).num_days().max(1) as u32;
    let rows: Vec<Row> = day::rows(rot, &Log::default(), lo, span)
        .into_iter()
        .filter(|r| rot.is_working_day(r.date))
        .collect();
    let at = rows.iter().position(|r| r.date == date);
    let since = rot.state.as_ref().map(|s| s.since);
    let away = |login: &str, d: NaiveDate| rot.member(login).is_some_and(|m| m.is_away(d));
    let mut out: Vec<(usize, Candidate)> = rot
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.github != from && !m.is_away(date))
        .map(|(i, m)| {
            let near = |r: &Row| r.github.as_deref() == Some(m.github.as_str());
            let keeps_spacing = at.is_none_or(|at| {
                (1..=w).all(|k| {
                    let before = at.checked_sub(k).and_then(|j| rows.get(j));
                    let after = rows.get(at + k);
                    !before.is_some_and(near) && !after.is_some_and(near)
                })
            });
            let own = rows
                .iter()
                .filter(|r| near(r) && r.date != date && r.date >= today)
                .filter(|r| since.is_none_or(|s| r.date > s))
                .filter(|r| !rot.overrides.contains_key(&r.date) && !away(from, r.date))
                .min_by_key(|r| ((r.date - date).num_days().abs(), r.date))
                .map(|r| r.date);
            (
                i,
                Candidate {
                    login: m.github.clone(),
                    keeps_spacing,
                    own,
                },
            )
        })
        .collect();
    out.sort_by_key(|(i, c)| {
        (
            !c.keeps_spacing,
            c.own.map_or(i64::MAX, |d| (d - date).num_days().abs()),
            *i,
        )
    });
    out.into_iter().map(|(_, c)| c).collect()
}

/// The answer to `/swap DATE [with @login]` by `commenter` (a member or a
/// writer) in comment `reply_to`: once per comment, and once per day and
/// member asked on an issue.
/// `asker`: the member who asks, when a member asks (a member asks for
/// their own day only; a writer outside the rotation, `None`, may ask on
/// someone's behalf).
pub fn answer_swap(
    rot: &Rotation,
    date: NaiveDate,
    with: Option<&str>,
    today: NaiveDate,
    own: &[String],
    reply_to: u64,
    asker: Option<&str>,
) -> Reply {
    if answered(own, reply_to) {
        return Reply::Nothing("this comment is answered already".into());
    }
    if let Some(why) = not_ahead(rot, date, today) {
        return reply(&why, reply_to);
    }
    if let Some(o) = rot.overrides.get(&date) {
        return reply(
            &format!(
                "{date} has an override already ({} is on call): change it in a roster pull request.",
                code_login(&o.github)
            ),
            reply_to,
        );
    }
    let Some(from) = on_call(rot, date) else {
        return reply(
            &format!("{date} is uncovered (everyone is away): there is no day to swap."),
            reply_to,
        );
    };
    if let Some(a) = asker
        && !a.eq_ignore_ascii_case(&from)
    {
        return reply(
            &format!(
                "{date} is the day of {}: a member asks to swap their own day (someone with write access outside the rotation may ask on their behalf).",
                code_login(&from)
            ),
            reply_to,
        );
    }
    let to = match with.map(|w| rot.member(w).map(|m| m.github.clone()).ok_or(w)) {
        None => None,
        Some(Err(w)) => {
            return reply(
                &format!("{} is not a member of the rotation.", code_login(w)),
                reply_to,
            );
        }
        Some(Ok(t)) if t == from => {
            return reply(
                &format!("{} is on call on {date} already.", code_login(&t)),
                reply_to,
            );
        }
        Some(Ok(t)) => Some(t),
    };
    let request = Request {
        date,
        from: from.clone(),
        to: to.clone(),
    };
    if requests(own).contains(&request) {
        return Reply::Nothing(format!("the swap of {date} was asked and answered already"));
    }
    let mut list = candidates(rot, date, &from, today);
    if let Some(t) = &to {
        list.retain(|c| &c.login == t);
    }
    let mut body = format!(
        "**Swap request: {}**, the day of {}.\n\n",
        long(date),
        code_login(&from)
    );
    if list.is_empty() {
        body.push_str(&match &to {
            Some(t) => format!("{} is away that day: ask someone else.\n\n", code_login(t)),
            None => "Nobody else is available that day: everyone else is away.\n\n".into(),
        });
    } else {
        body.push_str("Who could take it, best first (members available that day: first those for whom it keeps the rotation's spacing, then those whose own day is closest):\n\n| | Member | Their closest day | To swap days |\n|---|---|---|---|\n");
        for (i, c) in list.iter().enumerate() {
            let w = crate::rotation::spacing_window(rot.members.len());
            let spacing = if c.keeps_spacing {
                String::new()
            } else {
                format!(" (on call within {w} working day(s) of it)")
            };
            let (own, cmd) = match c.own {
                Some(d) => (long(d), format!("`/take {d}`")),
                None => ("—".to_owned(), "—".to_owned()),
            };
            body.push_str(&format!(
                "| {} | {}{spacing} | {own} | {cmd} |\n",
                i + 1,
                code_login(&c.login)
            ));
        }
        body.push_str(&format!(
            "\nTo take the day, comment `/take`; `/take YYYY-MM-DD` gives {} one of your days in exchange (a swap). oncall then opens a roster pull request and asks you both for a review.\n\n",
            code_login(&from)
        ));
    }
    body.push_str(&request_marker(&request, reply_to));
    body.push('\n');
    Reply::Comment {
        body,
        said: format!(
            "answered the swap request for {date} ({} listed)",
            list.len()
        ),
    }
}

//! `/take [DATE]` (see `swap`): the overrides a taking writes, what it
//! refuses, the roster pull request's text and the comment that says who
//! took the day. Pure.

use crate::config::Rotation;
use crate::day;
use crate::log::Log;
use crate::log_format::code_login;
use crate::schedule::{self, Format};
use crate::swap::{
    Reply, Request, answered, fields, long, not_ahead, on_call, reply, reply_marker, requests,
};
use chrono::NaiveDate;

/// The pull request on a request's branch, if there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    /// Its node id (for the review requests).
    pub id: String,
    pub number: u64,
    pub merged: bool,
    pub body: String,
}

/// The open pull request `taker` opened for this issue's request, when the
/// run that opened it stopped before the review requests and the "Taken
/// by" comment (no such comment of oncall's names it): a rerun finishes it
/// instead of answering that the day was taken already.
pub fn unfinished<'a>(
    existing: Option<&'a Existing>,
    taker: &str,
    own: &[String],
) -> Option<&'a Existing> {
    let e = existing.filter(|e| !e.merged)?;
    let by = fields(&e.body, "swap-pr").and_then(|f| {
        f.iter()
            .find(|(k, _)| *k == "taker")
            .map(|(_, v)| v.to_string())
    })?;
    let told = format!(
        "Taken by {}: pull request #{}.",
        code_login(taker),
        e.number
    );
    (by == taker && !own.iter().any(|c| c.starts_with(&told))).then_some(e)
}

/// A day taken: the overrides to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taking {
    pub request: Request,
    pub taker: String,
    pub back: Option<NaiveDate>,
    /// (date, member) for each override.
    pub overrides: Vec<(NaiveDate, String)>,
}

/// `/take [back]` by `taker` (a member of the rotation) in comment
/// `reply_to`: the overrides to write, or what to answer. `existing`: the
/// pull request on the request's branch, if any.
pub fn take(
    rot: &Rotation,
    back: Option<NaiveDate>,
    taker: &str,
    today: NaiveDate,
    own: &[String],
    reply_to: u64,
    existing: Option<&Existing>,
) -> Result<Taking, Reply> {
    if answered(own, reply_to) {
        return Err(Reply::Nothing("this comment is answered already".into()));
    }
    let Some(request) = requests(own).pop() else {
        return Err(reply(
            "There is no swap request on this issue: ask with `/swap YYYY-MM-DD` first.",
            reply_to,
        ));
    };
    let date = request.date;
    if let Some(e) = existing {
        let by = fields(&e.body, "swap-pr").and_then(|f| {
            f.iter()
                .find(|(k, _)| *k == "taker")
                .map(|(_, v)| v.to_string())
        });
        if !e.merged && by.as_deref() == Some(taker) {
            return Err(Reply::Nothing(format!(
                "{taker} took {date} already: pull request #{} is open",
                e.number
            )));
        }
        let by = by.map_or("another member".to_owned(), |b| code_login(&b));
        let how = if e.merged { "merged" } else { "open" };
        return Err(reply(
            &format!("Already taken by {by}, pull request #{} ({how}).", e.number),
            reply_to,
        ));
    }
    if taker == request.from {
        return Err(reply(
            &format!("{date} is your day: another member takes it with `/take`."),
            reply_to,
        ));
    }
    if let Some(t) = request.to.as_deref().filter(|t| *t != taker) {
        return Err(reply(
            &format!("This request is for {}.", code_login(t)),
            reply_to,
        ));
    }
    if let Some(why) = not_ahead(rot, date, today) {
        return Err(reply(&why, reply_to));
    }
    if rot.member(taker).is_some_and(|m| m.is_away(date)) {
        return Err(reply(
            &format!("{} is away on {date}.", code_login(taker)),
            reply_to,
        ));
    }
    let now_on = on_call(rot, date);
    if rot.overrides.contains_key(&date) || now_on.as_deref() != Some(request.from.as_str()) {
        return Err(reply(
            &format!(
                "{date} is not {}'s day any more (the rotation changed): ask again with `/swap`.",
                code_login(&request.from)
            ),
            reply_to,
        ));
    }
    let mut overrides = vec![(date, taker.to_owned())];
    if let Some(g) = back {
        if let Some(why) = not_ahead(rot, g, today) {
            return Err(reply(&why, reply_to));
        }
        let swap = crate::roster::plan_swap(rot, date, g).map_err(|why| reply(&why, reply_to))?;
        if swap.member_b != taker {
            return Err(reply(
                &format!(
                    "{g} is {}'s day, not yours: give back one of your own days.",
                    code_login(&swap.member_b)
                ),
                reply_to,
            ));
        }
        overrides.push((g, request.from.clone()));
    }
    Ok(Taking {
        request,
        taker: taker.to_owned(),
        back,
        overrides,
    })
}

/// The reason each override of a taking gives (no `#`: the log and the
/// handover pull request cross-reference nothing).
pub fn reason(issue: u64) -> String {
    format!("swap asked for by comment on issue {issue}")
}

/// The branch of a request: one per day (per rotation), so that of two
/// takers at once only one creates it.
pub fn branch(rotation: Option<&str>, date: NaiveDate) -> String {
    match rotation {
        Some(name) => format!("oncall/swap-{name}-{date}"),
        None => format!("oncall/swap-{date}"),
    }
}

/// What the names of a rotation's request branches (under `oncall/`)
/// contain, and no other rotation's, to look them up ([`branch`]'s names,
/// up to the century of the day: `swap-ops-20` is not in
/// `swap-ops-infra-2027-…`, `swap-20` not in `swap-sre-2027-…`).
pub fn branch_query(rotation: Option<&str>) -> String {
    match rotation {
        Some(name) => format!("swap-{name}-20"),
        None => "swap-20".to_owned(),
    }
}

/// The roster pull request: title, body, commit message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub title: String,
    pub body: String,
    pub headline: String,
}

fn what(t: &Taking) -> String {
    let first = format!(
        "{} takes {} from {}",
        t.taker, t.request.date, t.request.from
    );
    match t.back {
        Some(g) => format!("{first}, {} takes {g}", t.request.from),
        None => first,
    }
}

/// The roster pull request for a taking: the days that change (`schedule
/// --compare` of `before` and `after`, only the changed days), and
/// "Closes #issue" (GitHub's closing keyword: the one cross-reference,
/// which closes the request when the pull request merges).
pub fn opening(before: &Rotation, after: &Rotation, t: &Taking, issue: u64) -> Opening {
    let dates: Vec<NaiveDate> = t.overrides.iter().map(|(d, _)| *d).collect();
    let lo = dates.iter().min().copied().unwrap_or(t.request.date);
    let hi = dates.iter().max().copied().unwrap_or(t.request.date);
    let days = (hi - lo).num_days() as u32 + 1;
    let rows = |r: &Rotation| day::rows(r, &Log::default(), lo, days);
    let changes: Vec<_> = schedule::compare(&rows(before), &rows(after))
        .into_iter()
        .filter(|c| c.changed)
        .collect();
    let table = schedule::render_compare(before, after, &changes, Format::Markdown);
    let mut body = format!(
        "{} takes {} from {}",
        code_login(&t.taker),
        long(t.request.date),
        code_login(&t.request.from)
    );
    match t.back {
        Some(g) => body.push_str(&format!(
            ", and gives {} {} in exchange (a swap: two overrides).",
            code_login(&t.request.from),
            long(g)
        )),
        None => body.push_str(" (one override; nobody else's day moves)."),
    }
    body.push_str(&format!(
        " Both are asked to review. The roster check validates this change like any other.\n\n{table}\nCloses #{issue}\n\n<!-- oncall: swap-pr date={} from={} taker={}{} issue={issue} -->\n",
        t.request.date,
        t.request.from,
        t.taker,
        t.back.map(|g| format!(" back={g}")).unwrap_or_default()
    ));
    Opening {
        title: format!("Swap: {}", what(t)),
        body,
        headline: format!("Swap: {}", what(t)),
    }
}

/// The comment on the request issue once the pull request is open: it
/// tells whoever else answered `/take` that the day is taken.
pub fn taken(t: &Taking, pr: u64, reply_to: u64) -> String {
    format!(
        "Taken by {}: pull request #{pr}. {} and {} are asked to review it; merging it closes this issue.\n\n{}\n",
        code_login(&t.taker),
        code_login(&t.request.from),
        code_login(&t.taker),
        reply_marker(reply_to)
    )
}

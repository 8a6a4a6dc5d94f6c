//! The handover pull request's title and body (Markdown; every name
//! escaped, nothing that mentions or cross-references).

use super::{Paths, UPCOMING};
use crate::config::Rotation;
use crate::escape::markdown;
use crate::plan::Handover;
use crate::render::{self, person};
use crate::rotation::Why;
use crate::schedule;
use crate::takeover::Takeover;
use chrono::NaiveDate;

/// `On-call 2026-11-27: dave takes over from bob` (bare logins, as
/// [`title`]).
pub fn takeover_title(t: &Takeover) -> String {
    match &t.from {
        Some(from) => format!("On-call {}: {} takes over from {from}", t.date, t.to),
        None => format!("On-call {}: {} takes over the uncovered day", t.date, t.to),
    }
}

/// `On-call 2026-11-27: outgoing → incoming`, with bare logins: a title
/// with `@login` could notify (the review request is what notifies).
pub fn title(h: &Handover) -> String {
    let at = |g: &Option<String>| g.clone().unwrap_or_else(|| "nobody".to_owned());
    match (&h.previous, &h.day.on_call) {
        (_, None) => format!("On-call {}: uncovered", h.day.date),
        (None, on) => format!("On-call {}: {}", h.day.date, at(on)),
        (prev, on) => format!("On-call {}: {} → {}", h.day.date, at(prev), at(on)),
    }
}

/// The pull request's body (Markdown; every name escaped).
pub fn body(
    rot: &Rotation,
    paths: &Paths,
    h: &Handover,
    missed: &[NaiveDate],
    log_line: Option<u32>,
    log_text: &str,
    takeover: Option<&Takeover>,
) -> String {
    let date = h.day.date;
    let mut s = String::new();
    match &h.day.on_call {
        Some(g) => s.push_str(&format!("## On call {}: {}\n\n", date.format("%A %Y-%m-%d"), person(rot, g))),
        None => s.push_str(&format!(
            "## {} is uncovered\n\nEvery member is away. Everyone off call, please watch the support channels today.\n\n",
            date.format("%A %Y-%m-%d")
        )),
    }
    match &h.previous {
        Some(p) => s.push_str(&format!("Handed over by {}.", person(rot, p))),
        None => s.push_str(&format!("No handover ({}).", h.no_handover_reason(rot))),
    }
    if h.day.on_call.is_some() {
        s.push_str(" The engineer on call acknowledges the handover by reviewing this pull request; merging it records the day. Write the day's topics into its section of the log on this branch.");
    }
    s.push_str("\n\n");
    match (takeover, h.day.why) {
        (Some(t), _) => {
            let from = match &t.from {
                Some(f) => format!("from {}", person(rot, f)),
                None => "the uncovered day".to_owned(),
            };
            s.push_str(&format!(
                "> **Takeover:** {} takes over {from} for the rest of the day.",
                person(rot, &t.to)
            ));
            match &t.reason {
                Some(r) => s.push_str(&format!(" Reason: {}.", markdown(r))),
                None => s.push_str(" No reason given."),
            }
            s.push_str(" The rotation after today does not change.\n\n");
        }
        (None, Why::Override) => {
            s.push_str(&format!("> {}\n\n", render::override_note(rot, &h.day)))
        }
        (None, Why::Substitute) => {
            let away: Vec<String> = h.day.away_due.iter().map(|g| person(rot, g)).collect();
            s.push_str(&format!(
                "> **Substitute** for {} (away).\n\n",
                away.join(", ")
            ));
        }
        _ => {}
    }
    if !missed.is_empty() {
        let days: Vec<String> = missed.iter().map(|d| d.to_string()).collect();
        s.push_str(&format!(
            "> **Not announced:** the daily run missed {}; their sections are in the log.\n\n",
            days.join(", ")
        ));
    }
    s.push_str("### Duties\n\n");
    // A task list, as in the log: GitHub shows its progress and lets the
    // engineer tick the items.
    for d in &rot.duties {
        s.push_str(&format!("- [ ] {}\n", markdown(d)));
    }
    s.push_str(&format!("\n### Cycle {}\n\n", h.day.cycle));
    s.push_str(&render::cycle_checklist(rot, &h.cycle));
    s.push_str(&render::carried(
        rot,
        &h.open_threads,
        &h.runbook_debt,
        Some(20),
    ));
    s.push_str("\n### Next five working days\n\n");
    let rows = crate::day::upcoming(rot, date, UPCOMING);
    s.push_str(&schedule::render(rot, &rows, schedule::Format::Markdown));
    let uncovered: Vec<String> = rows
        .iter()
        .filter(|r| r.why == Why::Uncovered)
        .map(|r| r.date.to_string())
        .collect();
    if !uncovered.is_empty() {
        s.push_str(&format!("\n**Uncovered:** {}.\n", uncovered.join(", ")));
    }
    if let Some(line) = log_line {
        s.push_str(&format!(
            "\n[Today's section of the log]({}/blob/{}/{}#L{line})\n",
            paths.web_repo, paths.branch, paths.log
        ));
    }
    s.push('\n');
    s.push_str(&crate::stats::collapsed(rot, log_text, date));
    s
}

//! Markdown for people: the log's header and day sections, a member's
//! name, the cycle's checklist. Above the plan: it renders what the plan
//! decided (the log module only reads and appends).

use crate::config::Rotation;
use crate::escape::markdown;
use crate::log_format as format;
use crate::plan::{CycleList, Handover, Status};
use crate::rotation::Why;

/// The text a new log starts with.
pub fn header(rot: &Rotation) -> String {
    format!(
        "# On-call log: {}\n\n\
         One section per working day, added by `oncall advance`. The on-call\n\
         engineer ticks the duties and writes the day's topics under \"Topics\".\n\
         Something left open is a task-list item there, `- [ ] …`, and a runbook\n\
         still to write is `- [ ] runbook: …`: every handover lists them until\n\
         they are ticked where they were written.\n\
         Keep each day's `## YYYY-MM-DD` heading as it is: it is how `oncall`\n\
         finds the day.\n",
        markdown(&rot.team)
    )
}

/// `Name (@login)` for Markdown, the name escaped.
///
/// The login is written as code, `` `@login` ``: readable, but never an
/// @-mention, so that no text `oncall` writes to GitHub pings anyone (the
/// review request is what notifies the engineers).
pub fn person(rot: &Rotation, github: &str) -> String {
    let display = rot.display(github);
    // A login holds letters, digits and hyphens only: safe inside a code span.
    if display == github {
        format::code_login(github)
    } else {
        format!("{} ({})", markdown(display), format::code_login(github))
    }
}

/// A day's section: who is on call, the duties as a checklist, the cycle,
/// and a place for the day's topics.
pub fn section(rot: &Rotation, h: &Handover) -> String {
    let day = &h.day;
    let mut s = String::new();
    let who = match &day.on_call {
        Some(g) => person(rot, g),
        None => "uncovered".to_owned(),
    };
    s.push_str(&format::heading(day.date, &who));
    s.push('\n');
    let mut facts = vec![match &day.on_call {
        Some(g) => format!("{}**{}**", format::ON_CALL, person(rot, g)),
        None => format!("{}**nobody** (uncovered)", format::ON_CALL),
    }];
    facts.push(match &h.previous {
        Some(p) => format!("handed over by {}", person(rot, p)),
        None => format!("no handover ({})", h.no_handover_reason(rot)),
    });
    facts.push(format::cycle_fact(day.cycle));
    s.push_str(&facts.join(" · "));
    s.push_str("\n\n");
    let mut notes = Vec::new();
    if !h.announced {
        notes.push(format!(
            "{} the daily run did not happen on this day; this section was added late by a catch-up run.",
            format::NOT_ANNOUNCED
        ));
    }
    match day.why {
        Why::Uncovered => notes.push(format!(
            "{} every member is away. Everyone off call, please watch the support channels today.",
            format::UNCOVERED
        )),
        Why::Override => notes.push(override_note(rot, day)),
        Why::Substitute => notes.push(format::substitute_note(
            &day.on_call
                .as_deref()
                .map_or_else(String::new, |g| person(rot, g)),
            &list(rot, &day.away_due),
        )),
        Why::Rotation => {}
    }
    if day.new_cycle {
        notes.push(format!(
            "**Cycle {} begins** in a new shuffled order.",
            day.cycle
        ));
    }
    if !day.lost_turn.is_empty() {
        notes.push(format::lost_turn_note(
            &list(rot, &day.lost_turn),
            day.cycle - 1,
        ));
    }
    if !notes.is_empty() {
        let quoted: Vec<String> = notes
            .iter()
            .map(|n| format!("{}{n}\n", format::NOTE))
            .collect();
        s.push_str(&quoted.join(">\n"));
        s.push('\n');
    }
    s.push_str("### Duties\n\n");
    for d in &rot.duties {
        s.push_str(&format!("- [ ] {}\n", markdown(d)));
    }
    s.push_str(&format!("\n### Cycle {}\n\n", day.cycle));
    s.push_str(&cycle_checklist(rot, &h.cycle));
    if let Some((date, next)) = &h.next {
        let who = match next {
            Some(g) => person(rot, g),
            None => "nobody (uncovered)".to_owned(),
        };
        s.push_str(&format!("\nNext: {who} on {} {date}.\n", date.format("%A")));
    }
    s.push_str(&carried(rot, &h.open_threads, &h.runbook_debt, None));
    s.push_str(&format!("\n{}\n\n", format::TOPICS));
    s.push_str("<!-- What came up today: questions, incidents, changes, runbooks written or updated. Something left open: a task-list item, \"- [ ] what is still open\"; a runbook still to write: \"- [ ] runbook: what it covers\". Tick it here when it is done (add the runbook's link); until then every handover lists it. -->\n");
    s
}

/// One open item: its day, who logged it, its text as written (but for
/// references and mentions, `carry`).
fn carried_item(rot: &Rotation, t: &crate::log::Topic) -> String {
    let by =
        t.by.as_deref()
            .map(|g| format!(" ({})", person(rot, g)))
            .unwrap_or_default();
    // The engineer's Markdown, links intact (`carry`).
    format!("- {}{by}: {}\n", t.date, crate::carry::markdown(t.shown()))
}

/// What earlier days left open (open threads, runbook debt), oldest first,
/// for the log section and the pull request; empty when nothing is.
/// `limit` caps each list (the rest are counted).
pub fn carried(
    rot: &Rotation,
    threads: &[crate::log::Topic],
    debt: &[crate::log::Topic],
    limit: Option<usize>,
) -> String {
    if threads.is_empty() && debt.is_empty() {
        return String::new();
    }
    let mut s = String::from(
        "\n### Open from earlier days\n\nEach is ticked in its own day's section when it is done.\n",
    );
    for (title, items) in [("Open threads", threads), ("Runbook debt", debt)] {
        if items.is_empty() {
            continue;
        }
        s.push_str(&format!("\n**{title} ({})**\n\n", items.len()));
        let shown = limit.unwrap_or(usize::MAX).min(items.len());
        for t in &items[..shown] {
            s.push_str(&carried_item(rot, t));
        }
        if shown < items.len() {
            s.push_str(&format!(
                "- … and {} more (`oncall open`, `oncall runbooks`)\n",
                items.len() - shown
            ));
        }
    }
    s
}

pub use crate::plan::FULL_CYCLE_LIST;

/// The cycle as a checklist (the ADR's "move the checkbox"): `[x]` served,
/// `← on call`, `[ ]` still due. Large cycles show the last five who
/// served, the one on call and the next ten due, with counts
/// ([`CycleList`]).
pub fn cycle_checklist(rot: &Rotation, cycle: &CycleList) -> String {
    let line = |(g, status): &(String, Status)| {
        let (mark, note) = match status {
            Status::Served => ("x", ""),
            Status::OnCall => ("x", " ← on call"),
            Status::Due => (" ", ""),
            Status::Replaced => ("x", " (today was their turn; the override takes it)"),
            Status::OverrideDue => (
                " ",
                " ← on call by override; their own turn is still to come",
            ),
            Status::OverrideServed => ("x", " ← on call by override"),
        };
        format!("- [{mark}] {}{note}\n", person(rot, g))
    };
    let mut s = String::new();
    if cycle.more_served > 0 {
        s.push_str(&format!(
            "- [x] … {} more have served in this cycle\n",
            cycle.more_served
        ));
    }
    cycle.shown.iter().for_each(|e| s.push_str(&line(e)));
    if cycle.more_due > 0 {
        s.push_str(&format!("- [ ] … {} more are still due\n", cycle.more_due));
    }
    s
}

/// An override day's note (Markdown): who replaces whom, and why. The log
/// reads the replaced member back from the first login after "replaces".
pub fn override_note(rot: &Rotation, day: &crate::rotation::Day) -> String {
    let on = day
        .on_call
        .as_deref()
        .map_or_else(String::new, |g| person(rot, g));
    let replaced = day.replaces.as_deref().map(|r| person(rot, r));
    let reason = day.reason.as_deref().map(markdown);
    format::override_note(&on, replaced.as_deref(), reason.as_deref())
}

fn list(rot: &Rotation, logins: &[String]) -> String {
    logins
        .iter()
        .map(|g| person(rot, g))
        .collect::<Vec<_>>()
        .join(", ")
}

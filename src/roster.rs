//! Roster edits for a pull request: `oncall swap` and `oncall leave`.
//!
//! Each edits rotation.yaml with yaml-edit (comments and layout elsewhere
//! kept), then reads the result back and validates it; nothing is written
//! when the edited file would be invalid.

use crate::config::{self, Rotation, edit};
use crate::day;
use crate::diag::{InvalidInput, Report};
use crate::error::UserError;
use crate::error::usage;
use crate::escape::terminal;
use crate::fsio;
use crate::rotation::Day;
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;
use std::str::FromStr;
use yaml_edit::Document;

/// What a swap does: who serves which day after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swap {
    pub a: NaiveDate,
    pub b: NaiveDate,
    /// The member on call on `a` before the swap (on `b` after it).
    pub member_a: String,
    /// The member on call on `b` before the swap (on `a` after it).
    pub member_b: String,
}

/// Plans a swap of two future working days: checks both can be swapped and
/// returns who moves where.
pub fn plan_swap(rot: &Rotation, a: NaiveDate, b: NaiveDate) -> Result<Swap> {
    if a == b {
        return Err(usage(format!(
            "{a} is given twice: name two different days"
        )));
    }
    let since = rot.state.as_ref().map(|s| s.since);
    for d in [a, b] {
        match day::calendar(rot, d) {
            day::Calendar::BeforeStart { start } => {
                return Err(usage(format!(
                    "{d} is before the rotation starts ({start})"
                )));
            }
            day::Calendar::Off { .. } => {
                return Err(usage(format!(
                    "{d} ({}) is not a working day: nobody is on call then",
                    d.format("%A")
                )));
            }
            day::Calendar::Working => {}
        }
        if since.is_some_and(|s| d <= s) {
            return Err(usage(format!(
                "{d} was handed over already (the last handover is {}): only days ahead can be swapped",
                since.unwrap_or(d)
            )));
        }
        if let Some(o) = rot.overrides.get(&d) {
            return Err(usage(format!(
                "{d} has an override already (line {}, `{}`): edit or remove it first",
                o.pos.line, o.github
            )));
        }
    }
    let who = |d: NaiveDate| -> Result<String> {
        match day::ahead(rot, d) {
            Some(Day {
                on_call: Some(g), ..
            }) => Ok(g),
            _ => Err(usage(format!(
                "{d} is uncovered (everyone is away): there is nobody to swap; add an override instead"
            ))),
        }
    };
    let (member_a, member_b) = (who(a)?, who(b)?);
    if member_a == member_b {
        return Err(usage(format!(
            "`{member_a}` is on call on both {a} and {b}: there is nothing to swap"
        )));
    }
    for (member, day) in [(&member_b, a), (&member_a, b)] {
        if rot.member(member).is_some_and(|m| m.is_away(day)) {
            return Err(usage(format!(
                "`{member}` is away on {day} and cannot take that day: pick another day"
            )));
        }
    }
    Ok(Swap {
        a,
        b,
        member_a,
        member_b,
    })
}

/// A YAML flow scalar for any text: a JSON string is a valid YAML
/// double-quoted scalar.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// rotation.yaml with the swap's two overrides added.
pub fn write_swap(text: &str, swap: &Swap, reason: Option<&str>) -> Result<String, String> {
    let entry = |date: NaiveDate, github: &str| {
        let mut s = format!("{{ date: {date}, github: {}", edit::scalar(github));
        if let Some(r) = reason.filter(|r| !r.trim().is_empty()) {
            s.push_str(&format!(", reason: {}", quoted(r)));
        }
        s.push_str(" }");
        s
    };
    let items = [entry(swap.a, &swap.member_b), entry(swap.b, &swap.member_a)];
    let doc = Document::from_str(text).map_err(|e| format!("cannot parse the file: {e}"))?;
    let top = doc.as_mapping().ok_or("the file is not a mapping")?;
    let fragment_text = format!(
        "overrides:\n{}",
        items
            .iter()
            .map(|i| format!("  - {i}\n"))
            .collect::<String>()
    );
    let fragment =
        Document::from_str(&fragment_text).map_err(|e| format!("internal: fragment: {e}"))?;
    let new_items = fragment
        .as_mapping()
        .and_then(|m| m.get_sequence("overrides"))
        .ok_or("internal: fragment")?;
    match top.get_sequence("overrides") {
        Some(existing) => {
            for item in new_items.values() {
                existing.push(item);
            }
        }
        None => {
            let value = fragment
                .as_mapping()
                .and_then(|m| m.get("overrides"))
                .ok_or("internal: fragment")?;
            top.set("overrides", value);
        }
    }
    Ok(doc.to_string())
}

/// rotation.yaml without `login`: removed from `members` and from the
/// state's `order`, `served` and `held_back` (R7: nobody else's turn moves).
pub fn write_leave(text: &str, rot: &Rotation, login: &str) -> Result<String, String> {
    let index = rot
        .position(login)
        .ok_or_else(|| format!("`{login}` is not in `members`"))?;
    let doc = Document::from_str(text).map_err(|e| format!("cannot parse the file: {e}"))?;
    let top = doc.as_mapping().ok_or("the file is not a mapping")?;
    let members = top
        .get_sequence("members")
        .ok_or("`members` is not a list")?;
    if members.len() != rot.members.len() {
        return Err("`members` reads differently from the file: edit it by hand".into());
    }
    members
        .remove(index)
        .ok_or("internal: the member's entry was not found")?;
    let out = doc.to_string();
    match &rot.state {
        None => Ok(out),
        Some(st) => {
            let keep = |v: &[String]| v.iter().filter(|g| *g != login).cloned().collect();
            let state = config::State {
                order: keep(&st.order),
                served: keep(&st.served),
                held_back: keep(&st.held_back),
                ..st.clone()
            };
            edit::write_state(&out, &state)
        }
    }
}

/// Reads rotation.yaml as the roster commands need it.
fn read(config: &Path) -> Result<(String, Rotation)> {
    let text = fsio::read_text(config, false).map_err(UserError::from)?;
    let (rot, _) = crate::fsio::load_rotation(&config.display().to_string(), &text)
        .map_err(UserError::from)?;
    Ok((text, rot))
}

/// Validates an edited file; writes it only when it is valid.
fn validate_and_write(config: &Path, new_text: &str) -> Result<Report> {
    let label = config.display().to_string();
    match crate::fsio::load_rotation(&label, new_text) {
        Ok((_, warnings)) => {
            fsio::write_atomic(config, new_text)?;
            Ok(warnings)
        }
        Err(InvalidInput(report)) => {
            eprintln!(
                "{}: the edited file would have these problems (lines as after the edit), so nothing was written:",
                terminal(&label)
            );
            Err(UserError::from(InvalidInput(report)).into())
        }
    }
}

/// `oncall swap DATE_A DATE_B [--reason …]`.
pub fn swap_command(
    config: &Path,
    a: NaiveDate,
    b: NaiveDate,
    reason: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let (text, rot) = read(config)?;
    let swap = plan_swap(&rot, a, b)?;
    let new_text = write_swap(&text, &swap, reason).map_err(usage)?;
    let warnings = validate_and_write(config, &new_text)?;
    for w in warnings.warnings() {
        writeln!(out, "{}", warnings.line(w))?;
    }
    let line = |d: NaiveDate, before: &str, after: &str| {
        format!("  {d} {}: @{after} (was @{before})", d.format("%a"))
    };
    for l in [
        format!("Swapped in {}: two overrides added.", config.display()),
        line(a, &swap.member_a, &swap.member_b),
        line(b, &swap.member_b, &swap.member_a),
        "Open a pull request with this change; its check shows the two changed days.".to_owned(),
    ] {
        writeln!(out, "{}", terminal(&l))?;
    }
    Ok(())
}

/// `oncall leave LOGIN`.
pub fn leave_command(config: &Path, login: &str, out: &mut dyn Write) -> Result<()> {
    let (text, rot) = read(config)?;
    if rot.members.len() == 1 {
        return Err(usage(format!(
            "`{}` is the only member: a rotation needs at least one",
            terminal(login)
        )));
    }
    // Their overrides would name someone not in `members`: point at them
    // in the file as it is.
    let theirs: Vec<crate::diag::Problem> = rot
        .overrides
        .iter()
        .filter(|(_, o)| o.github == login)
        .map(|(date, o)| {
            crate::diag::Problem::error(
                o.pos,
                format!("the override on {date} names `{login}`, who is leaving"),
                "remove the override or give the day to someone else first",
            )
        })
        .collect();
    if !theirs.is_empty() {
        eprintln!(
            "{}: nothing was written:",
            terminal(&config.display().to_string())
        );
        return Err(UserError::from(InvalidInput(Report::new(
            config.display().to_string(),
            theirs,
        )))
        .into());
    }
    let new_text = write_leave(&text, &rot, login).map_err(|e| usage(terminal(&e)))?;
    validate_and_write(config, &new_text)?;
    let due = rot.state.as_ref().is_some_and(|s| {
        s.order.iter().any(|g| g == login) && !s.served.iter().any(|g| g == login)
    });
    writeln!(
        out,
        "{}",
        terminal(&format!(
            "Removed `{login}` from {}{}.{}",
            config.display(),
            if rot.state.is_some() {
                " (members and the state block)"
            } else {
                ""
            },
            if due {
                " They were still due in this cycle; nobody else's turn moves."
            } else {
                ""
            }
        ))
    )?;
    Ok(())
}

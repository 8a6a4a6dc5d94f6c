//! How large a valid rotation file may make the work: the number of
//! members, and the length of a free-text value. Within them, any file of
//! up to 1 MB is checked, scheduled a year ahead and handed over within a
//! second and 256 MB (BENCHMARKS.md, "Hostile files"): a day's section, row
//! or message names at most every member once, and each name is short
//! enough. A file beyond them is refused at the first value over.

use super::node::Pos;
use super::schema::RotationFile;
use crate::diag::Problem;
use serde_saphyr::Spanned;

/// The most members a rotation has. On a day when every member but one is
/// away, a cycle starts every day and names everyone else as having lost
/// their turn: what a day costs grows with the team, and a year of it with
/// 5,000 members is the most that stays within the goal.
pub const MAX_MEMBERS: usize = 5_000;

/// The longest free-text value (a team's, a member's or a holiday's name,
/// a duty, a reason), in characters: each is repeated on every day it
/// concerns.
pub const MAX_TEXT: usize = 100_000;

/// `text` (what it is, where) is at most [`MAX_TEXT`] characters long.
pub(super) fn text_within_limit(pos: Pos, what: &str, text: &str, out: &mut Vec<Problem>) {
    let n = text.chars().count();
    if n > MAX_TEXT {
        out.push(Problem::error(
            pos,
            format!("{what} is {n} characters long, more than the {MAX_TEXT} oncall takes"),
            "shorten it: it is repeated in every log section, message and schedule row it appears in",
        ));
    }
}

/// The file is within [`MAX_MEMBERS`] and [`MAX_TEXT`].
pub(super) fn sizes_are_within_limits(f: &RotationFile, out: &mut Vec<Problem>) {
    let pos = |s: &Spanned<String>| Pos::of(s);
    if let Some(m) = f.members.value.get(MAX_MEMBERS) {
        out.push(Problem::error(
            pos(&m.github),
            format!(
                "this is member {} of {}: a rotation has at most {MAX_MEMBERS} members",
                MAX_MEMBERS + 1,
                f.members.value.len()
            ),
            "split the team into several rotations (rotations/NAME/rotation.yaml), each with its own file",
        ));
    }
    text_within_limit(pos(&f.team), "the team's name", &f.team.value, out);
    for m in &f.members.value {
        if let Some(name) = &m.name {
            text_within_limit(pos(&m.github), "this member's name", name, out);
        }
        for a in &m.away {
            if let Some(reason) = &a.value.reason {
                text_within_limit(Pos::of(a), "the reason for this time off", reason, out);
            }
        }
    }
    for o in &f.overrides {
        if let Some(reason) = &o.reason {
            text_within_limit(Pos::of(&o.date), "this override's reason", reason, out);
        }
    }
    for d in f.duties.iter().flatten() {
        text_within_limit(pos(d), "this duty", &d.value, out);
    }
    for h in &f.holidays {
        if let Some(name) = h.value.name() {
            text_within_limit(Pos::of(h), "this holiday's name", name, out);
        }
    }
}

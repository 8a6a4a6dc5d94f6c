//! People on two rotations: the days someone is on call in two rotations
//! of one repository at once. Each rotation stays a pure function of its
//! own files (R8): a conflict is reported, never resolved by moving anyone.

use crate::config::Rotation;
use crate::day;
use crate::diag::Problem;
use crate::log::Log;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A rotation, its file's name for messages, and its log.
pub struct Named<'a> {
    pub file: &'a str,
    pub rotation: &'a Rotation,
    pub log: &'a Log,
}

/// Who is on call on each working day of `from..from+days` (lowercase
/// logins, as written in `members`).
fn days_on_call(r: &Named, from: NaiveDate, days: u32) -> BTreeMap<NaiveDate, String> {
    day::rows(r.rotation, r.log, from, days)
        .into_iter()
        .filter_map(|row| row.github.map(|g| (row.date, g)))
        .collect()
}

/// A warning in each of the two files for every day someone is on call in
/// both, from `today` for `days` days: `(index of the rotation, problem)`.
pub fn warnings(rotations: &[Named], today: NaiveDate, days: u32) -> Vec<(usize, Problem)> {
    let on: Vec<BTreeMap<NaiveDate, String>> = rotations
        .iter()
        .map(|r| days_on_call(r, today, days))
        .collect();
    let pos_of = |r: &Named, login: &str| {
        r.rotation
            .position(login)
            .and_then(|i| r.rotation.member_pos.get(i).copied())
            .unwrap_or(crate::diag::Pos::new(1, 1))
    };
    let mut out = Vec::new();
    for i in 0..rotations.len() {
        for j in i + 1..rotations.len() {
            for (date, login) in &on[i] {
                let Some(other) = on[j].get(date) else {
                    continue;
                };
                if !other.eq_ignore_ascii_case(login) {
                    continue;
                }
                for (me, them, mine) in [(i, j, login), (j, i, other)] {
                    let there = pos_of(&rotations[them], if them == j { other } else { login });
                    out.push((
                        me,
                        Problem::warning(
                            pos_of(&rotations[me], mine),
                            format!(
                                "{mine} is on call on {date} ({}) in this rotation and in {} (line {})",
                                date.format("%A"),
                                rotations[them].file,
                                there.line
                            ),
                            "swap one of the two days (oncall swap), or let them know it is a double day",
                        ),
                    ));
                }
            }
        }
    }
    out
}

//! The files a new setup starts with (`oncall init`, `oncall import`):
//! rotation.yaml, the log's header, and the workflows. Pure: text in,
//! text out; the shell (`src/commands/init.rs`, `import.rs`) asks, checks
//! and writes.

use crate::config::edit::scalar;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

mod steps;
mod workflows;
pub use steps::{calendar_to_fill, steps_left_named, workflows_left};
pub use workflows::{EVERY_ROTATION, Workflows};

/// The first Monday-to-Friday day after `day` (a new rotation's working
/// days; it has no holidays yet).
pub fn weekday_after(day: NaiveDate) -> NaiveDate {
    let mut d = day + Duration::days(1);
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d += Duration::days(1);
    }
    d
}

/// A member as given on the command line: `LOGIN[:SLACK_ID]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    pub github: String,
    pub slack: Option<String>,
}

impl NewMember {
    /// Reads `LOGIN[:SLACK_ID]`. The values are checked later, with the
    /// rest of the file (R12).
    pub fn parse(s: &str) -> NewMember {
        match s.trim().split_once(':') {
            Some((github, slack)) => NewMember {
                github: github.trim().to_owned(),
                slack: Some(slack.trim().to_owned()).filter(|s| !s.is_empty()),
            },
            None => NewMember {
                github: s.trim().to_owned(),
                slack: None,
            },
        }
    }
}

/// What a new rotation.yaml says.
#[derive(Debug, Clone)]
pub struct NewRotation {
    pub team: String,
    pub timezone: String,
    pub start: NaiveDate,
    pub members: Vec<NewMember>,
    /// Comment lines for the top of the file (without `# `), e.g. what an
    /// import changes for the team.
    pub preface: Vec<String>,
    /// Shared calendars, as `- include:` items of `holidays:` (each path
    /// relative to the rotation file).
    pub includes: Vec<String>,
}

/// A YAML double-quoted scalar (a JSON string is one).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

fn comment(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| {
            if l.is_empty() {
                "#\n".to_owned()
            } else {
                format!("# {l}\n")
            }
        })
        .collect()
}

/// rotation.yaml, commented like the example in this repository.
pub fn rotation_yaml(r: &NewRotation) -> String {
    let mut s = String::new();
    if !r.preface.is_empty() {
        s.push_str(&comment(&r.preface));
        s.push('\n');
    }
    s.push_str(&format!(
        "# The on-call rotation, read by `oncall` (see its README, \"rotation.yaml\n\
         # reference\"). `oncall check` validates it; `oncall schema` prints its\n\
         # JSON Schema, for editors.\n\
         \n\
         # The team's display name. It also seeds the shuffle of each new cycle.\n\
         team: {}\n\
         \n\
         # \"Today\" is the date in this IANA time zone, whatever the machine's clock says.\n\
         timezone: {}\n\
         \n\
         # The first day of the rotation. Cycle 1 follows `members` in the order written.\n\
         start: {}\n\
         \n\
         # Weekdays with an on-call engineer.\n\
         working_days: [mon, tue, wed, thu, fri]\n\
         \n\
         # Days without on-call duty: a date, or a date with a name, e.g.\n\
         #   - {{ date: 2026-12-25, name: Christmas Day }}\n\
         holidays:{}\n\
         \n\
         # The on-call list. `github` is the member's key; `name` is shown in\n\
         # messages; `slack` is the member ID used for the @-mention (in Slack:\n\
         # profile → ⋮ → Copy member ID); `away` lists time off, both days included:\n\
         #     away:\n\
         #       - {{ from: 2026-12-07, to: 2026-12-11, reason: conference }}\n\
         members:\n",
        quoted(&r.team),
        quoted(&r.timezone),
        r.start,
        match r.includes.is_empty() {
            true => " []".to_owned(),
            false => r
                .includes
                .iter()
                .map(|i| format!("\n  - include: {}", scalar(i)))
                .collect(),
        }
    ));
    for m in &r.members {
        s.push_str(&format!("  - github: {}\n", scalar(&m.github)));
        if let Some(slack) = &m.slack {
            s.push_str(&format!("    slack: {}\n", scalar(slack)));
        }
    }
    s.push_str(
        "\n# Put a member on call on one date in place of whoever the rotation has that\n\
         # day; nobody else's day moves. A swap is two overrides (`oncall swap`).\n\
         overrides: []\n\
         \n\
         # The log: the first handover of each year moves the finished year to\n\
         # log/YYYY.md beside it, so that GitHub keeps showing it (`none`: one file).\n\
         log: { archive: yearly }\n",
    );
    s
}

/// A shared calendar file with no holidays yet (`init --calendar` names
/// one that does not exist): it says how to fill it.
pub fn empty_calendar(path: &str) -> String {
    format!(
        "# A shared holiday calendar: a rotation includes it with an item\n\
         # `- include: PATH` under `holidays:`, PATH relative to its rotation.yaml.\n\
         # Written empty by `oncall init`. Fill it from a public-holiday iCalendar\n\
         # file (every country's holidays are published as one) with\n\
         #   oncall holidays import FILE.ics --out {path}\n\
         # or add dates by hand, e.g. `- {{ date: 2026-12-25, name: Christmas Day }}`.\n\
         holidays: []\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_login_and_optional_slack_id() {
        assert_eq!(
            NewMember::parse(" ana:U0AAAA0001 "),
            NewMember {
                github: "ana".into(),
                slack: Some("U0AAAA0001".into())
            }
        );
        assert_eq!(NewMember::parse("ben").slack, None);
        assert_eq!(NewMember::parse("ben:").slack, None);
    }
}

//! The files a new setup starts with (`oncall init`, `oncall import`):
//! rotation.yaml, the log's header, and the two workflows. Pure: text in,
//! text out; the shell (`src/commands/init.rs`, `import.rs`) asks, checks
//! and writes.

use crate::config::edit::scalar;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

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
         holidays: []\n\
         \n\
         # The on-call list. `github` is the member's key; `name` is shown in\n\
         # messages; `slack` is the member ID used for the @-mention (in Slack:\n\
         # profile → ⋮ → Copy member ID); `away` lists time off, both days included:\n\
         #     away:\n\
         #       - {{ from: 2026-12-07, to: 2026-12-11, reason: conference }}\n\
         members:\n",
        quoted(&r.team),
        quoted(&r.timezone),
        r.start
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

/// Where the generated files live, and which action they use.
#[derive(Debug, Clone)]
pub struct Workflows<'a> {
    /// `OWNER/NAME@REF # vX.Y.Z`, as written after `uses:`.
    pub action: &'a str,
    pub config: &'a str,
    pub log: &'a str,
    pub timezone: &'a str,
}

impl Workflows<'_> {
    /// The `with:` lines for non-default paths.
    fn paths(&self, indent: &str) -> String {
        let mut s = String::new();
        if self.config != "rotation.yaml" {
            s.push_str(&format!("{indent}config: {}\n", quoted(self.config)));
        }
        if self.log != "oncall-log.md" {
            s.push_str(&format!("{indent}log: {}\n", quoted(self.log)));
        }
        s
    }

    /// `.github/workflows/oncall.yml`: the daily handover and the manual run.
    pub fn daily(&self) -> String {
        format!(
            "# The daily handover (written by `oncall init`): every working morning,\n\
             # and by hand (Actions → On-call handover → Run workflow). It opens or\n\
             # updates the handover pull request and posts the handover to Slack.\n\
             # oncall reads rotation.yaml from the default branch on GitHub: no checkout.\n\
             name: On-call handover\n\
             \n\
             on:\n\
             \x20 schedule:\n\
             \x20   # 07:23 in the team's time zone, Monday to Friday (an odd minute:\n\
             \x20   # GitHub delays and drops runs at the top of the hour). oncall does\n\
             \x20   # nothing on a holiday, and a late or repeated run is safe.\n\
             \x20   - cron: \"23 7 * * 1-5\"\n\
             \x20     timezone: {tz}\n\
             \x20 workflow_dispatch:\n\
             \x20   inputs:\n\
             \x20     date:\n\
             \x20       description: \"Act as if it were this day (YYYY-MM-DD). Empty: today.\"\n\
             \x20       required: false\n\
             \x20       default: \"\"\n\
             \x20       type: string\n\
             \x20     dry_run:\n\
             \x20       description: \"Dry run: print the plan, write nothing, post nothing.\"\n\
             \x20       required: false\n\
             \x20       default: false\n\
             \x20       type: boolean\n\
             \x20     notify:\n\
             \x20       description: \"Post the handover to Slack.\"\n\
             \x20       required: false\n\
             \x20       default: true\n\
             \x20       type: boolean\n\
             \n\
             permissions: {{}}\n\
             \n\
             # Two runs never hand over at once; a second one waits for the first.\n\
             concurrency:\n\
             \x20 group: oncall-handover\n\
             \x20 cancel-in-progress: false\n\
             \n\
             jobs:\n\
             \x20 handover:\n\
             \x20   name: Hand over\n\
             \x20   permissions:\n\
             \x20     contents: write # commit the state and the log to the handover branch\n\
             \x20     pull-requests: write # open and update the handover pull request\n\
             \x20   runs-on: ubuntu-latest\n\
             \x20   timeout-minutes: 15\n\
             \x20   steps:\n\
             \x20     - uses: {action}\n\
             \x20       with:\n\
             \x20         slack-webhook-url: ${{{{ secrets.SLACK_WEBHOOK_URL }}}}\n\
             \x20         # Optional: keeps the Slack user group in rotation.yaml on today's engineer.\n\
             \x20         slack-bot-token: ${{{{ secrets.SLACK_BOT_TOKEN }}}}\n\
             \x20         date: ${{{{ inputs.date }}}}\n\
             \x20         dry-run: ${{{{ inputs.dry_run || false }}}}\n\
             \x20         notify: ${{{{ github.event_name == 'schedule' || inputs.notify }}}}\n\
             {paths}",
            tz = quoted(self.timezone),
            action = self.action,
            paths = self.paths("          "),
        )
    }

    /// `.github/workflows/oncall-check.yml`: the roster pull request check.
    pub fn check(&self) -> String {
        format!(
            "# Checks a pull request that changes the rotation (written by `oncall\n\
             # init`): annotations on the lines at fault, and whose days move, before\n\
             # and after, in the job summary.\n\
             name: Rotation check\n\
             \n\
             on:\n\
             \x20 pull_request:\n\
             \x20   paths:\n\
             \x20     - {config}\n\
             \x20     - {log}\n\
             \x20     - {archives} # the log's yearly archives (`log.archive`)\n\
             \x20     # Shared holiday calendars, and more rotations (see README.md,\n\
             \x20     # \"Several rotations in one repository\").\n\
             \x20     - \"calendars/**\"\n\
             \x20     - \"rotations/**\"\n\
             \n\
             permissions: {{}}\n\
             \n\
             concurrency:\n\
             \x20 group: oncall-check-${{{{ github.event.pull_request.number }}}}\n\
             \x20 cancel-in-progress: true\n\
             \n\
             jobs:\n\
             \x20 check:\n\
             \x20   name: Check the rotation\n\
             \x20   permissions:\n\
             \x20     contents: read # read the rotation files of the pull request\n\
             \x20   runs-on: ubuntu-latest\n\
             \x20   timeout-minutes: 15\n\
             \x20   steps:\n\
             \x20     - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0\n\
             \x20       with:\n\
             \x20         persist-credentials: false\n\
             \x20         fetch-depth: 0 # the base commit, for the before/after preview\n\
             \x20     - uses: {action}\n\
             \x20       with:\n\
             \x20         command: check\n\
             {paths}",
            config = quoted(self.config),
            log = quoted(self.log),
            archives = quoted(&match self.log.rsplit_once('/') {
                Some((dir, _)) => format!("{dir}/{}/**", crate::archive::DIR),
                None => format!("{}/**", crate::archive::DIR),
            }),
            action = self.action,
            paths = self.paths("          "),
        )
    }
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

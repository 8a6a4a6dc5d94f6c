//! rotation.yaml: the file format (`schema`), its structural check
//! (`structure`), the rules a valid file follows (`validate`), and the
//! resolved [`Rotation`] the rest of the program works with.

pub mod calendars;
mod date;
pub mod edit;
pub mod limits;
pub mod node;
mod resolve;
mod rules;
pub mod schema;
pub mod structure;
pub mod text;
pub mod validate;

use chrono::{NaiveDate, Weekday};
use chrono_tz::Tz;
pub use date::parse_date;
use std::collections::{BTreeMap, HashMap};

pub use validate::{load, load_from};

/// The environment variable with the Slack webhook's URL when rotation.yaml
/// names none (`slack.webhook_env`).
pub const DEFAULT_WEBHOOK_ENV: &str = "SLACK_WEBHOOK_URL";

/// Monday to Friday: the working days when rotation.yaml names none.
pub const DEFAULT_WORKING_DAYS: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// The duties of the day when rotation.yaml lists none: the on-call duties
/// of the Operate First SRE support process, in general words.
pub const DEFAULT_DUTIES: &[&str] = &[
    "Answer users' questions in the team's chat channels, mailing list and operations repositories",
    "Check the status and notifications in the cluster console",
    "Be first responder to incidents and operational issues of the team's services",
    "Follow the runbooks; write or update a runbook for every issue that had none",
    "Ask the rest of the team for help when there is no documentation",
    "Document the day's topics in the on-call log",
    "Hand over to the next on-call engineer",
];

/// `slack.webhook_env` as written in a rotation file, without validating
/// the rest (a broken file's failure message still goes to its team's
/// channel): the name when it is a webhook's variable, else the default.
pub fn webhook_env_in(text: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Top {
        #[serde(default)]
        slack: Option<serde_json::Value>,
    }
    serde_saphyr::from_str_with_options::<Top>(text, node::options())
        .ok()
        .and_then(|t| t.slack?.get("webhook_env")?.as_str().map(str::to_owned))
        .filter(|n| validate::is_webhook_env(n))
        .unwrap_or_else(|| DEFAULT_WEBHOOK_ENV.to_owned())
}

/// A validated rotation.yaml.
#[derive(Debug, Clone, PartialEq)]
pub struct Rotation {
    pub team: String,
    pub timezone: Tz,
    pub start: NaiveDate,
    pub working_days: Vec<Weekday>,
    /// Holiday dates, with their names when given.
    pub holidays: BTreeMap<NaiveDate, Option<String>>,
    /// The on-call list, in the order written.
    pub members: Vec<Member>,
    /// At most one override per date.
    pub overrides: BTreeMap<NaiveDate, Override>,
    pub duties: Vec<String>,
    /// `None` until the first `oncall advance`.
    pub state: Option<State>,
    /// Where `state.since` is written, for messages.
    pub state_since_pos: Option<node::Pos>,
    /// Where `start` is written, for messages.
    pub start_pos: node::Pos,
    /// Login → index in `members`.
    pub index: HashMap<String, usize>,
    /// The Slack user group (`slack.usergroup`) kept on today's engineer.
    pub usergroup: Option<String>,
    /// Where each member's `github` is written (parallel to `members`).
    pub member_pos: Vec<node::Pos>,
    /// Where each of a member's `away` ranges is written (parallel to
    /// `members` and to each one's `away`).
    pub away_pos: Vec<Vec<node::Pos>>,
    /// Where `state.on_call` is written, for messages.
    pub state_on_call_pos: Option<node::Pos>,
    /// `routing.labels` (default: [`DEFAULT_ROUTING_LABEL`]).
    pub routing_labels: Vec<String>,
    /// `routing.command` (default: [`DEFAULT_ROUTING_COMMAND`]).
    pub routing_command: String,
    /// What the file's `routing` names itself, with positions: in a
    /// repository of several rotations, a rotation routes only by these
    /// (the defaults would be everyone's), and no two rotations may name
    /// the same (`claims_across` in the routing module).
    pub routing_named: RoutingNamed,
    /// The environment variable with the Slack webhook's URL
    /// (`slack.webhook_env`, default [`DEFAULT_WEBHOOK_ENV`]).
    pub webhook_env: String,
    /// `log.archive` (default: one file).
    pub log_archive: schema::LogArchive,
    /// The shared calendars the file includes, as paths from where the
    /// rotation file is read (the repository's root, or the working
    /// directory), in the order included.
    pub calendars: Vec<String>,
}

/// The labels and the command a rotation file's `routing` names itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoutingNamed {
    pub labels: Vec<(String, node::Pos)>,
    pub command: Option<(String, node::Pos)>,
}

/// The label that routes an issue to the on-call engineer by default (the
/// slack-first bot's).
pub const DEFAULT_ROUTING_LABEL: &str = "kind/question";
/// The comment command that does, by default (the slack-first bot's).
pub const DEFAULT_ROUTING_COMMAND: &str = "/assign-to-oncall";
/// The comment commands of swap requests (`/swap`, `/take`): a routing
/// command may not be one of them (it would never route: the swap command
/// is read first).
pub const SWAP_COMMANDS: [&str; 2] = ["/swap", "/take"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub github: String,
    pub name: Option<String>,
    pub slack: Option<String>,
    /// Inclusive `(from, to)` ranges.
    pub away: Vec<(NaiveDate, NaiveDate)>,
}

impl Member {
    /// The display name: `name`, or the login.
    pub fn display(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.github)
    }
    pub fn is_away(&self, day: NaiveDate) -> bool {
        self.away
            .iter()
            .any(|(from, to)| *from <= day && day <= *to)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub github: String,
    pub reason: Option<String>,
    /// Where the override's date is written, for messages.
    pub pos: node::Pos,
}

/// The managed state block: where the rotation stood after the last handover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The last working day handed over.
    pub since: NaiveDate,
    /// Who was on call on `since`; `None` when that day was uncovered.
    pub on_call: Option<String>,
    pub cycle: u32,
    pub order: Vec<String>,
    pub served: Vec<String>,
    /// R4 spacing: who served the last days of the previous cycle, while
    /// this cycle's first days are decided (empty otherwise).
    pub held_back: Vec<String>,
    /// For how many more turns `held_back` is kept out: the cycle's
    /// hold-back, fixed when the cycle was drawn (R4), less the turns
    /// served since. `None` with no one held back, or in a file written
    /// before it was recorded (then it is reckoned from `order` and
    /// `served`).
    pub held_for: Option<u32>,
}

impl Rotation {
    pub fn member(&self, github: &str) -> Option<&Member> {
        self.position(github).map(|i| &self.members[i])
    }

    /// The index of a login in `members`.
    pub fn position(&self, github: &str) -> Option<usize> {
        self.index.get(github).copied()
    }

    /// A member as plain text: `Name (@login)`, or `@login` when they have
    /// no name (not escaped: the caller escapes for where it goes).
    pub fn label(&self, github: &str) -> String {
        match self.display(github) {
            d if d != github => format!("{d} (@{github})"),
            _ => format!("@{github}"),
        }
    }

    /// The display name of a login (the login itself for former members).
    pub fn display<'a>(&'a self, github: &'a str) -> &'a str {
        self.member(github).map_or(github, Member::display)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_webhook_variable_is_found_in_a_broken_file() {
        let text = "team: x\nslack: { webhook_env: SLACK_WEBHOOK_SRE }\nmembers: 3\n";
        assert_eq!(webhook_env_in(text), "SLACK_WEBHOOK_SRE");
        assert_eq!(webhook_env_in("team: x\n"), "SLACK_WEBHOOK_URL");
        assert_eq!(
            webhook_env_in("slack: { webhook_env: GITHUB_TOKEN }\n"),
            "SLACK_WEBHOOK_URL",
            "only a webhook's variable"
        );
        assert_eq!(webhook_env_in("slack: [\n"), "SLACK_WEBHOOK_URL");
    }
}

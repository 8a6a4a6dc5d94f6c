//! Routing questions to the on-call engineer (`oncall assign`): which
//! GitHub event routes an issue, and what to do with it. Pure: the event's
//! JSON, the rotation and today in; a decision out. Every field of the
//! event is untrusted: it is only compared, and printed escaped.

use crate::config::Rotation;
use crate::day::{self, OnDay, Row};
use crate::log::Log;
use chrono::NaiveDate;
use serde_json::Value;

/// What an event asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Route issue (or pull request) number N to the on-call engineer.
    Assign(u64),
    /// Route issue N if `login` can write to the repository: the command
    /// came from someone outside the rotation whose association (an
    /// organisation member, a collaborator) does not say whether they can
    /// write. The caller asks GitHub ([`can_write`]).
    AssignIfWriter { number: u64, login: String },
    /// Nothing to do, and why (one line).
    Skip(String),
}

/// The author associations that may come with write access: the
/// repository's owner has it; an organisation member or a collaborator
/// may have only read or triage, so theirs is asked ([`Route::AssignIfWriter`]).
const OWNER: &str = "OWNER";
const MAY_WRITE: [&str; 2] = ["MEMBER", "COLLABORATOR"];

/// Whether GitHub's repository permission for a user (`permission` of
/// `GET /repos/{owner}/{repo}/collaborators/{username}/permission`:
/// `admin`, `write`, `read` or `none`; `maintain` is reported as `write`)
/// lets them route with the command: write access or more.
pub fn can_write(permission: &str) -> bool {
    matches!(permission, "admin" | "maintain" | "write")
}

/// Why a command from someone outside the rotation without write access
/// is ignored (`permission` as GitHub said it; anything but its words is
/// shown as `unknown`).
pub fn not_a_writer(login: &str, permission: &str) -> String {
    let permission = match permission {
        "admin" | "maintain" | "write" | "triage" | "read" | "none" => permission,
        _ => "unknown",
    };
    format!(
        "{login:?} is not in the rotation and has {permission} access to the repository, not write, so the command is ignored"
    )
}

/// Decides from a GitHub Actions event (`GITHUB_EVENT_NAME` and the JSON
/// at `GITHUB_EVENT_PATH`): a routing label added (or present when the
/// issue was opened), or a comment whose first line is the command, by a
/// member of the rotation or someone with write access.
pub fn route(event_name: &str, event: &Value, rot: &Rotation) -> Route {
    let issue = &event["issue"];
    let Some(number) = issue["number"].as_u64() else {
        return Route::Skip(format!("the {event_name:?} event names no issue"));
    };
    if issue["state"].as_str() == Some("closed") {
        return Route::Skip(format!("#{number} is closed"));
    }
    let routes = |label: &str| rot.routing_labels.iter().any(|l| l == label);
    match (event_name, event["action"].as_str().unwrap_or("")) {
        ("issues", "labeled") => match event["label"]["name"].as_str() {
            Some(l) if routes(l) => Route::Assign(number),
            Some(l) => Route::Skip(format!(
                "the label {l:?} does not route to the on-call engineer"
            )),
            None => Route::Skip("the event names no label".into()),
        },
        ("issues", "opened") => {
            let labels: Vec<&str> = issue["labels"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|l| l["name"].as_str())
                .collect();
            if labels.iter().any(|l| routes(l)) {
                Route::Assign(number)
            } else {
                Route::Skip(format!("#{number} was opened without a routing label"))
            }
        }
        ("issue_comment", "created") => {
            let body = event["comment"]["body"].as_str().unwrap_or("");
            let first = body.lines().next().unwrap_or("").trim();
            if first != rot.routing_command {
                return Route::Skip(format!(
                    "the comment's first line is not {}",
                    rot.routing_command
                ));
            }
            let login = event["comment"]["user"]["login"].as_str().unwrap_or("");
            let association = event["comment"]["author_association"]
                .as_str()
                .unwrap_or("");
            let member = rot
                .members
                .iter()
                .any(|m| m.github.eq_ignore_ascii_case(login));
            if member || association == OWNER {
                Route::Assign(number)
            } else if MAY_WRITE.contains(&association) {
                Route::AssignIfWriter {
                    number,
                    login: login.to_owned(),
                }
            } else {
                Route::Skip(format!(
                    "{login:?} is not in the rotation and has no write access ({association}), so the command is ignored"
                ))
            }
        }
        (name, action) => Route::Skip(format!(
            "the {name:?} event ({action:?}) does not route issues"
        )),
    }
}

/// Which rotation of a repository an event is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// The index of the rotation whose `routing` names the event's label
    /// or command.
    Rotation(usize),
    /// None is: nothing to do, and why (one line).
    Skip(String),
}

/// The rotation an event is for, in a repository of several rotations
/// (`rotations`: each one's name and rotation): the one whose `routing`
/// names the label added (or, on an issue opened, the first of its labels
/// that one names) or the comment's command. A rotation that names no
/// `routing` routes nothing here: the defaults would be every rotation's.
/// [`route`] then decides with that rotation as with a single one.
pub fn pick(event_name: &str, event: &Value, rotations: &[(String, Rotation)]) -> Pick {
    let claimed = |what: &str, is: &dyn Fn(&Rotation) -> bool| -> Pick {
        let found: Vec<usize> = (0..rotations.len())
            .filter(|i| is(&rotations[*i].1))
            .collect();
        match found.as_slice() {
            [one] => Pick::Rotation(*one),
            [] => Pick::Skip(format!("{what} routes to no rotation")),
            several => Pick::Skip(format!(
                "{what} is claimed by {}: `oncall check` names both places",
                several
                    .iter()
                    .map(|i| rotations[*i].0.as_str())
                    .collect::<Vec<_>>()
                    .join(" and ")
            )),
        }
    };
    fn names_label(l: &str) -> impl Fn(&Rotation) -> bool + '_ {
        move |r: &Rotation| r.routing_named.labels.iter().any(|(n, _)| n == l)
    }
    match (event_name, event["action"].as_str().unwrap_or("")) {
        ("issues", "labeled") => match event["label"]["name"].as_str() {
            Some(l) => claimed(&format!("the label {l:?}"), &names_label(l)),
            None => Pick::Skip("the event names no label".into()),
        },
        ("issues", "opened") => {
            let labels = event["issue"]["labels"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|l| l["name"].as_str());
            for l in labels {
                if rotations.iter().any(|(_, r)| names_label(l)(r)) {
                    return claimed(&format!("the label {l:?}"), &names_label(l));
                }
            }
            Pick::Skip("the issue was opened without a label that routes to a rotation".into())
        }
        ("issue_comment", "created") => {
            let body = event["comment"]["body"].as_str().unwrap_or("");
            let first = body.lines().next().unwrap_or("").trim();
            claimed(&format!("the command {first:?}"), &|r: &Rotation| {
                r.routing_named
                    .command
                    .as_ref()
                    .is_some_and(|(c, _)| c == first)
            })
        }
        (name, action) => Pick::Skip(format!(
            "the {name:?} event ({action:?}) does not route issues"
        )),
    }
}

/// The routing labels and commands that two rotations of one repository
/// both name: an error at each place (an issue must route to one team).
/// `rotations`: each one's file (as messages name it) and rotation.
pub fn claims_across(rotations: &[(&str, &Rotation)]) -> Vec<(usize, crate::diag::Problem)> {
    let mut out = Vec::new();
    let claims = |r: &Rotation| {
        let labels = r
            .routing_named
            .labels
            .iter()
            .map(|(l, p)| (format!("routing label {l:?}"), *p));
        let command = r
            .routing_named
            .command
            .iter()
            .map(|(c, p)| (format!("routing command {c:?}"), *p));
        labels.chain(command).collect::<Vec<_>>()
    };
    for (i, (_, rot)) in rotations.iter().enumerate() {
        for (what, pos) in claims(rot) {
            let others: Vec<&str> = rotations
                .iter()
                .enumerate()
                .filter(|(j, (_, r))| *j != i && claims(r).iter().any(|(w, _)| *w == what))
                .map(|(_, (file, _))| *file)
                .collect();
            if !others.is_empty() {
                out.push((
                    i,
                    crate::diag::Problem::error(
                        pos,
                        format!("the {what} is also named by {}", others.join(", ")),
                        "give each rotation its own label and command: an issue routes to one team",
                    ),
                ));
            }
        }
    }
    out
}

/// An issue or pull request as GitHub has it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub id: String,
    pub open: bool,
    pub assignees: Vec<String>,
    /// The comments oncall's own identity wrote (GitHub's
    /// `viewerDidAuthor`): only those can carry its [`marker`]. Anyone can
    /// write a comment with the marker in it; it does not count.
    pub comments: Vec<String>,
}

/// What to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Nothing, and why.
    Nothing(String),
    /// Assign this login (if any) and leave this comment (if any).
    Write {
        assign: Option<String>,
        comment: Option<String>,
    },
}

/// The hidden line that marks the day's comment.
pub fn marker(today: NaiveDate) -> String {
    format!("<!-- oncall: assign {today} -->")
}

fn on_call(rot: &Rotation, d: NaiveDate) -> Option<String> {
    match day::on(rot, &Log::default(), d) {
        OnDay::Working(Row { github, .. }) => github,
        _ => None,
    }
}

/// Why nobody is on call on `today`.
fn nobody_because(rot: &Rotation, today: NaiveDate) -> String {
    match day::on(rot, &Log::default(), today) {
        OnDay::BeforeStart { start } => format!("the rotation starts on {start}"),
        OnDay::Off { holiday: Some(_) } => "a holiday".into(),
        OnDay::Off { holiday: None } => "not a working day".into(),
        OnDay::Working(_) | OnDay::NoRecord => "everyone is away".into(),
    }
}

/// What to do for `issue` on `today`: assign today's engineer with a short
/// comment, or, when nobody is on call, say so once and name the next
/// working day's engineer. Logins are written as code: the comment pings
/// nobody; the assignment notifies the engineer.
pub fn plan(rot: &Rotation, issue: &Issue, today: NaiveDate) -> Plan {
    if !issue.open {
        return Plan::Nothing("it is closed".into());
    }
    let said_today = issue.comments.iter().any(|c| c.contains(&marker(today)));
    let day = today.format("%A %Y-%m-%d");
    match on_call(rot, today) {
        Some(g) if issue.assignees.iter().any(|a| a.eq_ignore_ascii_case(&g)) => {
            Plan::Nothing(format!("it is assigned to today's engineer, {g}, already"))
        }
        Some(g) => Plan::Write {
            comment: (!said_today).then(|| {
                format!(
                    "Assigned to today's on-call engineer, `@{g}` ({day}).\n\n{}",
                    marker(today)
                )
            }),
            assign: Some(g),
        },
        None if said_today => {
            Plan::Nothing("nobody is on call today, and the issue says so already".into())
        }
        None => {
            let next = rot.next_working_day(today).and_then(|n| {
                on_call(rot, n).map(|g| {
                    format!(
                        " The next working day, {}, `@{g}` is on call.",
                        n.format("%A %Y-%m-%d")
                    )
                })
            });
            Plan::Write {
                assign: None,
                comment: Some(format!(
                    "Nobody is on call today ({day}: {}), so nobody was assigned.{}\n\n{}",
                    nobody_because(rot, today),
                    next.unwrap_or_default(),
                    marker(today)
                )),
            }
        }
    }
}

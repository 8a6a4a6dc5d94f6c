//! What GitHub holds, read from the `HandoverState` query's answer.

use serde_json::Value;

/// A file at a commit: its blob id and text (None when the text was too
/// large for GraphQL and must be fetched separately).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub oid: String,
    pub text: Option<String>,
}

/// A commit on the handover branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub oid: String,
    pub message: String,
    pub parents: Vec<String>,
    pub rotation_oid: Option<String>,
    pub log_oid: Option<String>,
    /// The top-level tree entries: (name, oid).
    pub tree: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    pub name: String,
    pub head: String,
    pub rotation: Option<File>,
    pub log: Option<File>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest {
    pub id: String,
    pub number: u64,
    pub url: String,
    pub title: String,
    pub body: String,
    pub base: String,
    pub labels: Vec<String>,
    pub reviewers: Vec<String>,
    pub comments: Vec<String>,
}

/// The repository as one query saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub repo_id: String,
    /// None when the base branch does not exist.
    pub base: Option<Branch>,
    pub branch: Option<Branch>,
    /// The branch's recent commits, newest first.
    pub history: Vec<Commit>,
    pub pr: Option<PullRequest>,
    pub label_id: Option<String>,
    /// Where the Slack claim ref points (the handover commit whose day was
    /// claimed for Slack), if it exists.
    pub slack_claim: Option<String>,
    /// Users who can be asked for a review: (login, node id).
    pub users: Vec<(String, String)>,
    /// The shared calendars the base branch's rotation file includes:
    /// path → text (read after the query; a missing one is absent).
    pub base_calendars: std::collections::BTreeMap<String, String>,
}

impl Remote {
    /// The base branch's calendars, for [`crate::config::load_from`].
    pub fn calendars(&self) -> crate::config::calendars::Fetched {
        crate::config::calendars::Fetched {
            files: self.base_calendars.clone(),
            on: self
                .base
                .as_ref()
                .map(|b| b.name.clone())
                .unwrap_or_default(),
        }
    }
}

/// A field the answer must have: `None` (the answer is refused) when it is
/// missing or not text, so that a missing head oid or id is never read as
/// an empty one.
fn req(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// A text field that may be empty (a body, a title, a message).
fn s(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn nodes<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key)
        .and_then(|c| c.get("nodes"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn file(v: &Value) -> Option<File> {
    let f = v.as_object()?;
    let object = f.get("object");
    let truncated = object
        .and_then(|o| o.get("isTruncated"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Some(File {
        oid: f.get("oid")?.as_str()?.to_owned(),
        text: object
            .and_then(|o| o.get("text"))
            .and_then(Value::as_str)
            .filter(|_| !truncated)
            .map(str::to_owned),
    })
}

fn branch(v: &Value) -> Option<Branch> {
    let target = v.get("target")?;
    Some(Branch {
        name: req(v, "name")?,
        head: req(target, "oid")?,
        rotation: target.get("rotation").and_then(file),
        log: target.get("log").and_then(file),
    })
}

/// Reads the query's `data`.
pub fn parse(data: &Value) -> Option<Remote> {
    let repo = data.get("repository")?;
    if repo.is_null() {
        return None;
    }
    // A branch that is there must read whole; a missing one is null.
    let base_ref = repo
        .get("defaultBranchRef")
        .filter(|b| !b.is_null())
        .or_else(|| repo.get("baseRef"))
        .filter(|b| !b.is_null());
    let base = match base_ref {
        Some(b) => Some(branch(b)?),
        None => None,
    };
    let branch_ref = repo.get("branchRef").filter(|b| !b.is_null());
    let history = branch_ref
        .and_then(|b| b.get("target"))
        .map(|t| {
            nodes(t, "history")
                .map(|c| {
                    Some(Commit {
                        oid: req(c, "oid")?,
                        message: s(c, "message"),
                        parents: nodes(c, "parents")
                            .map(|p| req(p, "oid"))
                            .collect::<Option<_>>()?,
                        rotation_oid: c
                            .get("rotation")
                            .and_then(|f| f.get("oid"))
                            .and_then(Value::as_str)
                            .map(str::to_owned),
                        log_oid: c
                            .get("log")
                            .and_then(|f| f.get("oid"))
                            .and_then(Value::as_str)
                            .map(str::to_owned),
                        tree: c
                            .get("tree")
                            .and_then(|t| t.get("entries"))
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                            .map(|e| Some((req(e, "name")?, req(e, "oid")?)))
                            .collect::<Option<_>>()?,
                    })
                })
                .collect::<Option<Vec<_>>>()
        })
        .unwrap_or(Some(Vec::new()))?;
    let pr_node = branch_ref.and_then(|b| nodes(b, "associatedPullRequests").next());
    let pr = match pr_node {
        None => None,
        Some(p) => Some(PullRequest {
            id: req(p, "id")?,
            number: p.get("number").and_then(Value::as_u64)?,
            url: req(p, "url")?,
            title: s(p, "title"),
            body: s(p, "body"),
            base: s(p, "baseRefName"),
            labels: nodes(p, "labels").map(|l| s(l, "name")).collect(),
            reviewers: nodes(p, "reviewRequests")
                .filter_map(|r| {
                    r.get("requestedReviewer")
                        .and_then(|u| u.get("login"))
                        .and_then(Value::as_str)
                })
                .map(str::to_owned)
                .collect(),
            comments: nodes(p, "comments").map(|c| s(c, "body")).collect(),
        }),
    };
    let branch = match branch_ref {
        Some(b) => Some(branch(b)?),
        None => None,
    };
    Some(Remote {
        base_calendars: Default::default(),
        repo_id: req(repo, "id")?,
        base,
        branch,
        history,
        pr,
        slack_claim: repo
            .get("slackClaim")
            .and_then(|c| c.get("target"))
            .and_then(|t| t.get("oid"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        label_id: repo
            .get("label")
            .and_then(|l| l.get("id"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        users: nodes(repo, "assignableUsers")
            .map(|u| Some((req(u, "login")?, req(u, "id")?)))
            .collect::<Option<_>>()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(head: Value) -> Value {
        json!({ "repository": {
            "id": "R_1",
            "defaultBranchRef": { "name": "main", "target": { "oid": head } },
            "branchRef": null,
            "assignableUsers": { "nodes": [] }
        }})
    }

    #[test]
    fn a_missing_field_refuses_the_answer_instead_of_reading_it_empty() {
        let ok = parse(&answer(json!("abc123"))).expect("a whole answer");
        assert_eq!(ok.base.unwrap().head, "abc123");
        // Previously a missing head oid read as "", and the next write
        // used an empty oid.
        assert_eq!(parse(&answer(Value::Null)), None);
        let mut no_id = answer(json!("abc123"));
        no_id["repository"].as_object_mut().unwrap().remove("id");
        assert_eq!(parse(&no_id), None);
    }
}

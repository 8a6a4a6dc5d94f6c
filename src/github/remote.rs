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
}

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
        name: s(v, "name"),
        head: s(target, "oid"),
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
    let base = repo
        .get("defaultBranchRef")
        .filter(|b| !b.is_null())
        .or_else(|| repo.get("baseRef"))
        .and_then(branch);
    let branch_ref = repo.get("branchRef").filter(|b| !b.is_null());
    let history = branch_ref
        .and_then(|b| b.get("target"))
        .map(|t| {
            nodes(t, "history")
                .map(|c| Commit {
                    oid: s(c, "oid"),
                    message: s(c, "message"),
                    parents: nodes(c, "parents").map(|p| s(p, "oid")).collect(),
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
                        .map(|e| (s(e, "name"), s(e, "oid")))
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    let pr = branch_ref
        .and_then(|b| nodes(b, "associatedPullRequests").next())
        .map(|p| PullRequest {
            id: s(p, "id"),
            number: p.get("number").and_then(Value::as_u64).unwrap_or(0),
            url: s(p, "url"),
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
        });
    Some(Remote {
        repo_id: s(repo, "id"),
        base,
        branch: branch_ref.and_then(branch),
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
            .map(|u| (s(u, "login"), s(u, "id")))
            .collect(),
    })
}

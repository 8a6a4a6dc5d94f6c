//! A stateful fake GitHub: commits and their files, branches (refs), pull
//! requests, labels, review requests and comments, behind the GraphQL
//! operations `oncall` sends and the REST contents endpoint. It records
//! every request and can fail any of them on demand. Answers are modelled
//! on GitHub's recorded exchanges (tests/fixtures/github/recorded/):
//! status codes, `x-github-request-id`, rate-limit headers, error bodies.

use super::http::{Answer, Request, serve};
use base64::Engine as _;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const TOKEN: &str = "ghs_FAKEt0k3nF0rT3st5Only000000000000";
/// Whom [`TOKEN`] belongs to: the author of every comment oncall writes,
/// the one for whom GraphQL's `viewerDidAuthor` is true.
pub const VIEWER: &str = "github-actions[bot]";
pub const OWNER: &str = "acme";
pub const NAME: &str = "ops";

#[derive(Debug, Clone)]
pub struct CommitObj {
    pub parents: Vec<String>,
    pub files: BTreeMap<String, String>,
    pub message: String,
}

/// A comment on an issue or a pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub author: String,
    pub body: String,
}

impl Comment {
    /// A comment someone wrote (oncall's own are [`VIEWER`]'s).
    pub fn by(author: &str, body: &str) -> Comment {
        Comment {
            author: author.to_owned(),
            body: body.to_owned(),
        }
    }
    /// As GraphQL answers it, to the holder of [`TOKEN`].
    fn json(&self) -> Value {
        json!({ "body": self.body, "viewerDidAuthor": self.author == VIEWER })
    }
}

#[derive(Debug, Clone)]
pub struct Pr {
    pub id: String,
    pub number: u64,
    pub head: String,
    pub base: String,
    pub title: String,
    pub body: String,
    pub open: bool,
    pub labels: Vec<String>,
    pub reviewers: Vec<String>,
    pub comments: Vec<Comment>,
}

/// A fault to inject into the next request that matches.
#[derive(Debug, Clone)]
pub enum Fault {
    Status(u16),
    /// 403 secondary rate limit with `retry-after` seconds.
    SecondaryRateLimit(u64),
    /// 429 with `retry-after` seconds.
    TooMany(u64),
    Drop,
    Slow(Duration),
    /// 200 with a body that is not JSON.
    Malformed,
    /// 403 with `x-ratelimit-remaining: 0` and a reset in one second.
    RateLimitExhausted,
}

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Query,
    Mutation,
    Rest,
    Any,
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// "query HandoverState", "mutation commit,createPullRequest", "GET contents"
    pub what: String,
    pub document: Option<String>,
    pub authorized: bool,
    pub api_version: Option<String>,
}

/// A change made to the fake just before a mutation document runs.
pub type Hook = Box<dyn FnOnce(&mut State) + Send>;

/// An issue (or a pull request, for `oncall assign`).
#[derive(Debug, Clone)]
pub struct Issue {
    pub number: u64,
    pub id: String,
    pub open: bool,
    pub assignees: Vec<String>,
    pub comments: Vec<Comment>,
}

pub struct State {
    /// Issues, for `oncall assign`.
    pub issues: Vec<Issue>,
    pub repo_id: String,
    pub default_branch: String,
    pub commits: BTreeMap<String, CommitObj>,
    pub refs: BTreeMap<String, String>,
    pub prs: Vec<Pr>,
    pub labels: Vec<(String, String)>,
    /// Collaborators: (login, node id).
    pub users: Vec<(String, String)>,
    /// Users' permissions on the repository (`admin`, `write`, `read`,
    /// `none`), for `GET …/collaborators/{username}/permission`; a login
    /// not here is unknown (404).
    pub permissions: BTreeMap<String, String>,
    /// The "Allow GitHub Actions to create and approve pull requests" setting.
    pub actions_may_open_prs: bool,
    /// Blobs larger than this are truncated in GraphQL (`isTruncated`).
    pub graphql_text_limit: usize,
    pub requests: Vec<Recorded>,
    /// (which requests, how many of them to let through first, the fault)
    pub faults: Vec<(Target, usize, Fault)>,
    /// Called before each mutation document is applied (e.g. to move a
    /// branch mid-run); removed after it ran once.
    pub before_mutation: Option<Hook>,
    /// Writes refused by a compare-and-swap (a stale `expectedHeadOid` or
    /// `beforeOid`).
    pub cas_refusals: usize,
    next: u64,
}

fn hash40(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}{:024x}", text.len())
}

impl State {
    fn new_id(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}_{:08}", self.next)
    }
    fn new_oid(&mut self) -> String {
        self.next += 1;
        format!("{:040x}", 0x00c0_ffee_0000_u64 + self.next)
    }
    pub fn head(&self, branch: &str) -> Option<String> {
        self.refs.get(branch).cloned()
    }
    pub fn files(&self, branch: &str) -> BTreeMap<String, String> {
        self.head(branch)
            .and_then(|h| self.commits.get(&h))
            .map(|c| c.files.clone())
            .unwrap_or_default()
    }
    pub fn file(&self, branch: &str, path: &str) -> Option<String> {
        self.files(branch).get(path).cloned()
    }
    /// Commits `changes` (path → Some(text) or None to delete) on `branch`.
    pub fn commit(
        &mut self,
        branch: &str,
        changes: &[(&str, Option<&str>)],
        message: &str,
    ) -> String {
        let parent = self.head(branch);
        let mut files = parent
            .as_ref()
            .map(|p| self.commits[p].files.clone())
            .unwrap_or_default();
        for (path, text) in changes {
            match text {
                Some(t) => files.insert((*path).to_owned(), (*t).to_owned()),
                None => files.remove(*path),
            };
        }
        let oid = self.new_oid();
        self.commits.insert(
            oid.clone(),
            CommitObj {
                parents: parent.into_iter().collect(),
                files,
                message: message.to_owned(),
            },
        );
        self.refs.insert(branch.to_owned(), oid.clone());
        oid
    }
    /// Merges an open PR the way "Squash and merge" does.
    pub fn merge(&mut self, number: u64) {
        let pr = self
            .prs
            .iter()
            .find(|p| p.number == number && p.open)
            .expect("open PR")
            .clone();
        let files = self.files(&pr.head);
        let changes: Vec<(String, String)> = files.into_iter().collect();
        let refs: Vec<(&str, Option<&str>)> = changes
            .iter()
            .map(|(p, t)| (p.as_str(), Some(t.as_str())))
            .collect();
        self.commit(&pr.base, &refs, &format!("{} (#{number})", pr.title));
        for p in self.prs.iter_mut().filter(|p| p.number == number) {
            p.open = false;
        }
    }
    pub fn open_prs(&self) -> Vec<Pr> {
        self.prs.iter().filter(|p| p.open).cloned().collect()
    }
    /// The commits of `branch`, newest first (first parents).
    fn history(&self, branch_head: &str, n: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = Some(branch_head.to_owned());
        while let Some(c) = cur {
            if out.len() >= n {
                break;
            }
            cur = self
                .commits
                .get(&c)
                .and_then(|o| o.parents.first().cloned());
            out.push(c);
        }
        out
    }
}

pub struct FakeGitHub {
    pub url: String,
    pub state: Arc<Mutex<State>>,
    /// Holds write requests at a barrier (see [`FakeGitHub::hold_writes`]).
    pub gate: Arc<Gate>,
}

/// A barrier for write requests, taken before the fake's state is locked:
/// `expected` mutation documents wait until all have arrived (or 10 s have
/// passed), so that two runs are sure to write at the same moment.
#[derive(Default)]
pub struct Gate {
    inner: Mutex<(usize, usize)>,
    all_in: std::sync::Condvar,
}

impl Gate {
    /// Waits at the gate if it is set; returns how many arrived.
    fn pass(&self) {
        let mut g = self.inner.lock().unwrap();
        if g.0 == 0 {
            return;
        }
        g.1 += 1;
        if g.1 >= g.0 {
            g.0 = 0;
            self.all_in.notify_all();
            return;
        }
        let _ = self
            .all_in
            .wait_timeout_while(g, std::time::Duration::from_secs(10), |g| g.0 != 0)
            .unwrap();
    }
    /// How many write requests reached the gate.
    pub fn arrived(&self) -> usize {
        self.inner.lock().unwrap().1
    }
}

fn gql_error(kind: &str, path: &str, message: &str) -> Value {
    json!({ "type": kind, "path": [path], "locations": [{ "line": 2, "column": 3 }], "message": message })
}

fn file_json(st: &State, commit: &CommitObj, path: &str, with_text: bool) -> Value {
    match commit.files.get(path) {
        None => Value::Null,
        Some(text) => {
            let mut object = json!({});
            if with_text {
                let truncated = text.len() > st.graphql_text_limit;
                object = json!({
                    "text": if truncated { text[..st.graphql_text_limit].to_owned() } else { text.clone() },
                    "isTruncated": truncated
                });
            }
            if with_text {
                json!({ "oid": hash40(text), "object": object })
            } else {
                json!({ "oid": hash40(text) })
            }
        }
    }
}

fn tree_entries(commit: &CommitObj) -> Value {
    let mut top: BTreeMap<String, String> = BTreeMap::new();
    for (path, text) in &commit.files {
        let first = path.split('/').next().unwrap_or(path).to_owned();
        let e = top.entry(first).or_default();
        e.push_str(path);
        e.push_str(text);
    }
    Value::Array(
        top.into_iter()
            .map(|(name, all)| json!({ "name": name, "oid": hash40(&all) }))
            .collect(),
    )
}

/// `file(path: dir)` of a directory, as GitHub answers it: the tree's
/// direct entries with their full paths, a blob's text (cut like any other
/// at the GraphQL limit), a subdirectory without one; null when absent.
fn dir_json(st: &State, commit: &CommitObj, dir: &str) -> Value {
    let prefix = format!("{dir}/");
    let mut entries = BTreeMap::new();
    for (path, text) in &commit.files {
        let Some(rest) = path.strip_prefix(&prefix) else {
            continue;
        };
        let entry = match rest.split_once('/') {
            Some((sub, _)) => (format!("{prefix}{sub}"), json!({})),
            None => {
                let truncated = text.len() > st.graphql_text_limit;
                let shown = if truncated {
                    &text[..st.graphql_text_limit]
                } else {
                    text
                };
                (
                    path.clone(),
                    json!({ "text": shown, "isTruncated": truncated }),
                )
            }
        };
        entries.insert(entry.0, entry.1);
    }
    if entries.is_empty() {
        return Value::Null;
    }
    let entries: Vec<Value> = entries
        .into_iter()
        .map(|(path, object)| json!({ "path": path, "object": object }))
        .collect();
    json!({ "object": { "entries": entries } })
}

/// `file(path: dir) { object { ... on Tree { entries { path } } } }`: the
/// directory's direct entries, by path only; null when absent.
fn dir_paths_json(st: &State, commit: &CommitObj, dir: &str) -> Value {
    let mut answer = dir_json(st, commit, dir);
    if let Some(entries) = answer["object"]["entries"].as_array_mut() {
        for e in entries {
            *e = json!({ "path": e["path"] });
        }
    }
    answer
}

fn base_branch_json(
    st: &State,
    name: &str,
    config: &str,
    log: &str,
    calendars: &str,
    archives: &str,
) -> Value {
    let Some(head) = st.head(name) else {
        return Value::Null;
    };
    let c = &st.commits[&head];
    json!({
        "id": format!("REF_{name}"),
        "name": name,
        "target": {
            "oid": head,
            "rotation": file_json(st, c, config, true),
            "log": file_json(st, c, log, true),
            "calendars": dir_json(st, c, calendars),
            "archives": dir_paths_json(st, c, archives)
        }
    })
}

fn handover_state(st: &State, vars: &Value) -> Value {
    if vars["owner"] != OWNER || vars["name"] != NAME {
        return json!({ "data": { "repository": null }, "errors": [gql_error("NOT_FOUND", "repository", &format!("Could not resolve to a Repository with the name '{}/{}'.", vars["owner"].as_str().unwrap_or(""), vars["name"].as_str().unwrap_or("")))] });
    }
    let config = vars["config"].as_str().unwrap_or("");
    let log = vars["log"].as_str().unwrap_or("");
    let calendars = vars["calendars"].as_str().unwrap_or("");
    let archives = vars["archives"].as_str().unwrap_or("");
    let use_default = vars["useDefault"].as_bool().unwrap_or(true);
    let mut repo = json!({ "id": st.repo_id });
    if use_default {
        repo["defaultBranchRef"] =
            base_branch_json(st, &st.default_branch, config, log, calendars, archives);
    } else {
        let name = vars["baseRef"]
            .as_str()
            .unwrap_or("")
            .trim_start_matches("refs/heads/");
        repo["baseRef"] = base_branch_json(st, name, config, log, calendars, archives);
    }
    let branch = vars["branchRef"]
        .as_str()
        .unwrap_or("")
        .trim_start_matches("refs/heads/");
    repo["branchRef"] = match st.head(branch) {
        None => Value::Null,
        Some(head) => {
            let c = &st.commits[&head];
            let history: Vec<Value> = st
                .history(&head, 30)
                .iter()
                .map(|oid| {
                    let h = &st.commits[oid];
                    json!({
                        "oid": oid,
                        "message": h.message,
                        "parents": { "nodes": h.parents.iter().map(|p| json!({ "oid": p })).collect::<Vec<_>>() },
                        "rotation": file_json(st, h, config, false),
                        "log": file_json(st, h, log, false),
                        "tree": { "entries": tree_entries(h) }
                    })
                })
                .collect();
            let prs: Vec<Value> = st
                .prs
                .iter()
                .filter(|p| p.open && p.head == branch)
                .take(1)
                .map(|p| {
                    json!({
                        "id": p.id, "number": p.number,
                        "url": format!("https://github.com/{OWNER}/{NAME}/pull/{}", p.number),
                        "title": p.title, "body": p.body, "baseRefName": p.base,
                        "labels": { "nodes": p.labels.iter().map(|l| json!({ "name": l })).collect::<Vec<_>>() },
                        "reviewRequests": { "nodes": p.reviewers.iter().map(|r| json!({ "requestedReviewer": { "login": r } })).collect::<Vec<_>>() },
                        "comments": { "nodes": p.comments.iter().map(Comment::json).collect::<Vec<_>>() }
                    })
                })
                .collect();
            json!({
                "id": format!("REF_{branch}"),
                "name": branch,
                "target": {
                    "oid": head,
                    "rotation": file_json(st, c, config, true),
                    "log": file_json(st, c, log, true),
                    "history": { "nodes": history }
                },
                "associatedPullRequests": { "nodes": prs }
            })
        }
    };
    let claim = vars["claimRef"].as_str().unwrap_or("");
    repo["slackClaim"] = st
        .refs
        .get(claim)
        .map_or(Value::Null, |oid| json!({ "target": { "oid": oid } }));
    let label = vars["label"].as_str().unwrap_or("");
    repo["label"] = st
        .labels
        .iter()
        .find(|(n, _)| n == label)
        .map_or(Value::Null, |(_, id)| json!({ "id": id }));
    repo["assignableUsers"] = json!({ "nodes": st.users.iter().map(|(l, id)| json!({ "id": id, "login": l })).collect::<Vec<_>>() });
    json!({ "data": { "repository": repo } })
}

fn assign_state(st: &State, vars: &Value) -> Value {
    let config = vars["config"].as_str().unwrap_or("");
    let head = st.head(&st.default_branch).unwrap_or_default();
    let rotation = st
        .commits
        .get(&head)
        .and_then(|c| c.files.get(config))
        .map_or(
            Value::Null,
            |t| json!({ "object": { "text": t, "isTruncated": false } }),
        );
    let issue = st
        .issues
        .iter()
        .find(|i| Some(i.number) == vars["number"].as_u64())
        .map_or(Value::Null, |i| {
            json!({
                "id": i.id,
                "issueState": if i.open { "OPEN" } else { "CLOSED" },
                "assignees": { "nodes": i.assignees.iter().map(|a| json!({ "login": a })).collect::<Vec<_>>() },
                "comments": { "nodes": i.comments.iter().map(Comment::json).collect::<Vec<_>>() }
            })
        });
    let calendars = st.commits.get(&head).map_or(Value::Null, |c| {
        dir_json(st, c, vars["calendars"].as_str().unwrap_or(""))
    });
    json!({ "data": { "repository": {
        "defaultBranchRef": { "name": st.default_branch, "target": { "oid": head, "rotation": rotation, "calendars": calendars } },
        "issueOrPullRequest": issue,
        "assignableUsers": { "nodes": st.users.iter().map(|(l, id)| json!({ "id": id, "login": l })).collect::<Vec<_>>() }
    } } })
}

/// `query MovedClaims`: the repository's ID and the refs under `prefix`,
/// named (as GitHub does) without the prefix.
fn moved_claims(st: &State, vars: &Value) -> Value {
    if vars["owner"] != OWNER || vars["name"] != NAME {
        return json!({ "data": { "repository": null }, "errors": [gql_error("NOT_FOUND", "repository", "Could not resolve to a Repository")] });
    }
    let prefix = vars["prefix"].as_str().unwrap_or("");
    let nodes: Vec<Value> = st
        .refs
        .keys()
        .filter_map(|r| r.strip_prefix(prefix))
        .map(|name| json!({ "name": name }))
        .collect();
    json!({ "data": { "repository": { "id": st.repo_id, "refs": { "nodes": nodes } } } })
}

/// `query SwapState`: as `AssignState` (issues only), the repository's id,
/// and the branches under `refs/heads/oncall/` whose name has the
/// variable `swapBranches`, as GitHub answers `refs(query:, orderBy:
/// ALPHABETICAL DESC, first: N)`: by name, last first, at most N (the
/// document's `first:`), each with its open or merged pull requests (this
/// fake's closed ones are merged ones).
fn swap_state(st: &State, vars: &Value, doc: &str) -> Value {
    let mut v = assign_state(st, vars);
    let repo = &mut v["data"]["repository"];
    repo["id"] = json!(st.repo_id);
    if let Some(issue) = repo["issueOrPullRequest"].as_object_mut() {
        issue.remove("assignees");
    }
    let query = vars["swapBranches"]
        .as_str()
        .expect("the variable swapBranches");
    let args = &doc[doc.find("swapBranches: refs(").expect("swapBranches")..];
    let args = &args[..args.find(')').unwrap()];
    assert!(
        args.contains("orderBy: {field: ALPHABETICAL, direction: DESC}"),
        "{args}"
    );
    let first: usize = args
        .split("first: ")
        .nth(1)
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .expect("first: N");
    let branches: Vec<Value> = st
        .refs
        .iter()
        .rev()
        .filter_map(|(name, oid)| {
            let short = name.strip_prefix("oncall/")?;
            short.contains(query).then(|| {
                let prs: Vec<Value> = st
                    .prs
                    .iter()
                    .filter(|p| &p.head == name)
                    .map(|p| json!({ "id": p.id, "number": p.number, "state": if p.open { "OPEN" } else { "MERGED" }, "body": p.body }))
                    .collect();
                json!({ "name": short, "target": { "oid": oid }, "associatedPullRequests": { "nodes": prs } })
            })
        })
        .take(first)
        .collect();
    repo["swapBranches"] = json!({ "nodes": branches });
    v
}

/// The mutations in a document, in the order they appear.
fn mutations_in(doc: &str) -> Vec<&'static str> {
    let names = [
        ("resetBranch: updateRefs(", "resetBranch"),
        ("createBranch: createRef(", "createBranch"),
        ("commit: createCommitOnBranch(", "commit"),
        ("createPullRequest(input", "createPullRequest"),
        ("updatePullRequest(input", "updatePullRequest"),
        ("requestReviews(input", "requestReviews"),
        ("addLabels: addLabelsToLabelable(", "addLabels"),
        ("comment: addComment(", "comment"),
        ("assign: addAssigneesToAssignable(", "assign"),
        ("moveClaim: updateRefs(", "moveClaim"),
        ("createClaim: createRef(", "createClaim"),
        ("deleteClaim: deleteRef(", "deleteClaim"),
    ];
    let mut found: Vec<(usize, &'static str)> = names
        .iter()
        .filter_map(|(pat, n)| doc.find(pat).map(|i| (i, *n)))
        .collect();
    found.sort();
    found.into_iter().map(|(_, n)| n).collect()
}

fn apply_mutation(st: &mut State, name: &str, input: &Value) -> Result<Value, Value> {
    let err = |kind: &str, msg: &str| Err(gql_error(kind, name, msg));
    match name {
        "resetBranch" | "moveClaim" => {
            if input["repositoryId"] != st.repo_id.as_str() {
                return err(
                    "NOT_FOUND",
                    "Could not resolve to a node with the global id",
                );
            }
            for u in input["refUpdates"].as_array().into_iter().flatten() {
                let branch = u["name"]
                    .as_str()
                    .unwrap_or("")
                    .trim_start_matches("refs/heads/")
                    .to_owned();
                let before = u["beforeOid"].as_str();
                let after = u["afterOid"].as_str().unwrap_or("").to_owned();
                match st.head(&branch) {
                    Some(h) if Some(h.as_str()) != before => {
                        return err(
                            "UNPROCESSABLE",
                            &format!(
                                "A ref update for {branch} was rejected: the ref is at {h} but expected {}",
                                before.unwrap_or("")
                            ),
                        );
                    }
                    None => return err("NOT_FOUND", "Reference does not exist"),
                    _ => {}
                }
                if !st.commits.contains_key(&after) {
                    return err("UNPROCESSABLE", "Object does not exist");
                }
                st.refs.insert(branch, after);
            }
            Ok(json!({ "clientMutationId": null }))
        }
        "createBranch" | "createClaim" => {
            let branch = input["name"]
                .as_str()
                .unwrap_or("")
                .trim_start_matches("refs/heads/")
                .to_owned();
            if st.refs.contains_key(&branch) {
                return err("UNPROCESSABLE", "Reference already exists");
            }
            let oid = input["oid"].as_str().unwrap_or("").to_owned();
            if !st.commits.contains_key(&oid) {
                return err("UNPROCESSABLE", "Object does not exist");
            }
            st.refs.insert(branch.clone(), oid);
            Ok(json!({ "ref": { "id": format!("REF_{branch}"), "name": branch } }))
        }
        "deleteClaim" => {
            let name = input["refId"]
                .as_str()
                .unwrap_or("")
                .trim_start_matches("REF_");
            match st.refs.remove(name) {
                Some(_) => Ok(json!({ "clientMutationId": null })),
                None => err(
                    "NOT_FOUND",
                    "Could not resolve to a node with the global id",
                ),
            }
        }
        "commit" => {
            let branch = input["branch"]["branchName"]
                .as_str()
                .unwrap_or("")
                .to_owned();
            if input["branch"]["repositoryNameWithOwner"] != format!("{OWNER}/{NAME}").as_str() {
                return err("NOT_FOUND", "Could not resolve to a Repository");
            }
            let Some(head) = st.head(&branch) else {
                return err(
                    "NOT_FOUND",
                    &format!("A ref named \"refs/heads/{branch}\" does not exist"),
                );
            };
            let expected = input["expectedHeadOid"].as_str().unwrap_or("");
            if head != expected {
                return err(
                    "STALE_DATA",
                    &format!(
                        "Expected branch to point to \"{expected}\" but it did not. Pull and try again."
                    ),
                );
            }
            let mut changes: Vec<(String, String)> = Vec::new();
            for a in input["fileChanges"]["additions"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(a["contents"].as_str().unwrap_or(""))
                    .map_err(|_| gql_error("UNPROCESSABLE", name, "contents must be base64"))?;
                changes.push((
                    a["path"].as_str().unwrap_or("").to_owned(),
                    String::from_utf8(bytes).expect("utf-8"),
                ));
            }
            let message = format!(
                "{}\n\n{}",
                input["message"]["headline"].as_str().unwrap_or(""),
                input["message"]["body"].as_str().unwrap_or("")
            );
            let refs: Vec<(&str, Option<&str>)> = changes
                .iter()
                .map(|(p, t)| (p.as_str(), Some(t.as_str())))
                .collect();
            let oid = st.commit(&branch, &refs, message.trim_end());
            Ok(
                json!({ "commit": { "oid": oid, "url": format!("https://github.com/{OWNER}/{NAME}/commit/{oid}") } }),
            )
        }
        "createPullRequest" => {
            if !st.actions_may_open_prs {
                return err(
                    "FORBIDDEN",
                    "GitHub Actions is not permitted to create or approve pull requests.",
                );
            }
            let head = input["headRefName"].as_str().unwrap_or("").to_owned();
            let base = input["baseRefName"].as_str().unwrap_or("").to_owned();
            if !st.refs.contains_key(&head) || !st.refs.contains_key(&base) {
                return err(
                    "UNPROCESSABLE",
                    "Head sha can't be blank, Base sha can't be blank, No commits between base and head",
                );
            }
            if st.prs.iter().any(|p| p.open && p.head == head) {
                return err(
                    "UNPROCESSABLE",
                    &format!("A pull request already exists for {OWNER}:{head}."),
                );
            }
            let number = st.prs.len() as u64 + 1;
            let id = st.new_id("PR");
            st.prs.push(Pr {
                id: id.clone(),
                number,
                head,
                base,
                title: input["title"].as_str().unwrap_or("").to_owned(),
                body: input["body"].as_str().unwrap_or("").to_owned(),
                open: true,
                labels: vec![],
                reviewers: vec![],
                comments: vec![],
            });
            Ok(
                json!({ "pullRequest": { "id": id, "number": number, "url": format!("https://github.com/{OWNER}/{NAME}/pull/{number}") } }),
            )
        }
        "updatePullRequest" => {
            let id = input["pullRequestId"].as_str().unwrap_or("");
            let Some(pr) = st.prs.iter_mut().find(|p| p.id == id) else {
                return err(
                    "NOT_FOUND",
                    "Could not resolve to a node with the global id",
                );
            };
            if let Some(t) = input["title"].as_str() {
                pr.title = t.to_owned();
            }
            if let Some(b) = input["body"].as_str() {
                pr.body = b.to_owned();
            }
            let (id, number) = (pr.id.clone(), pr.number);
            Ok(
                json!({ "pullRequest": { "id": id, "number": number, "url": format!("https://github.com/{OWNER}/{NAME}/pull/{number}") } }),
            )
        }
        "requestReviews" => {
            let id = input["pullRequestId"].as_str().unwrap_or("").to_owned();
            let mut logins = Vec::new();
            for u in input["userIds"].as_array().into_iter().flatten() {
                match st
                    .users
                    .iter()
                    .find(|(_, uid)| Some(uid.as_str()) == u.as_str())
                {
                    Some((login, _)) => logins.push(login.clone()),
                    None => {
                        return err(
                            "NOT_FOUND",
                            "Could not resolve to a node with the global id",
                        );
                    }
                }
            }
            let Some(pr) = st.prs.iter_mut().find(|p| p.id == id) else {
                return err(
                    "NOT_FOUND",
                    "Could not resolve to a node with the global id",
                );
            };
            for l in logins {
                if !pr.reviewers.contains(&l) {
                    pr.reviewers.push(l);
                }
            }
            Ok(json!({ "clientMutationId": null }))
        }
        "addLabels" => {
            let id = input["labelableId"].as_str().unwrap_or("").to_owned();
            let names: Vec<String> = input["labelIds"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|l| {
                    st.labels
                        .iter()
                        .find(|(_, i)| Some(i.as_str()) == l.as_str())
                        .map(|(n, _)| n.clone())
                })
                .collect();
            let Some(pr) = st.prs.iter_mut().find(|p| p.id == id) else {
                return err(
                    "NOT_FOUND",
                    "Could not resolve to a node with the global id",
                );
            };
            for n in names {
                if !pr.labels.contains(&n) {
                    pr.labels.push(n);
                }
            }
            Ok(json!({ "clientMutationId": null }))
        }
        "assign" => {
            let id = input["assignableId"].as_str().unwrap_or("").to_owned();
            let logins: Vec<String> = input["assigneeIds"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|u| {
                    st.users
                        .iter()
                        .find(|(_, uid)| Some(uid.as_str()) == u.as_str())
                })
                .map(|(l, _)| l.clone())
                .collect();
            let Some(issue) = st.issues.iter_mut().find(|i| i.id == id) else {
                return err(
                    "NOT_FOUND",
                    "Could not resolve to a node with the global id",
                );
            };
            for l in logins {
                if !issue.assignees.contains(&l) {
                    issue.assignees.push(l);
                }
            }
            Ok(json!({ "clientMutationId": null }))
        }
        "comment" => {
            // Written with TOKEN: by VIEWER.
            let id = input["subjectId"].as_str().unwrap_or("").to_owned();
            let comment = Comment::by(VIEWER, input["body"].as_str().unwrap_or(""));
            if let Some(issue) = st.issues.iter_mut().find(|i| i.id == id) {
                issue.comments.push(comment);
                return Ok(json!({ "clientMutationId": null }));
            }
            let Some(pr) = st.prs.iter_mut().find(|p| p.id == id) else {
                return err(
                    "NOT_FOUND",
                    "Could not resolve to a node with the global id",
                );
            };
            pr.comments.push(comment);
            Ok(json!({ "clientMutationId": null }))
        }
        _ => err("UNPROCESSABLE", "unknown mutation"),
    }
}

/// GitHub's answer to a permission request (`repository-collaborator-permission`).
fn permission_json(login: &str, permission: &str) -> Value {
    let api = "https://api.github.com/users";
    let role = permission;
    json!({
        "permission": permission,
        "role_name": role,
        "user": {
            "login": login, "id": 1, "node_id": format!("U_{login}"),
            "avatar_url": "https://github.com/images/error/octocat_happy.gif", "gravatar_id": "",
            "url": format!("{api}/{login}"), "html_url": format!("https://github.com/{login}"),
            "followers_url": format!("{api}/{login}/followers"),
            "following_url": format!("{api}/{login}/following{{/other_user}}"),
            "gists_url": format!("{api}/{login}/gists{{/gist_id}}"),
            "starred_url": format!("{api}/{login}/starred{{/owner}}{{/repo}}"),
            "subscriptions_url": format!("{api}/{login}/subscriptions"),
            "organizations_url": format!("{api}/{login}/orgs"),
            "repos_url": format!("{api}/{login}/repos"),
            "events_url": format!("{api}/{login}/events{{/privacy}}"),
            "received_events_url": format!("{api}/{login}/received_events"),
            "type": "User", "site_admin": false, "role_name": role
        }
    })
}

fn json_answer(status: u16, v: &Value, request_id: u64) -> Answer {
    Answer::new(status, serde_json::to_vec(v).unwrap())
        .header("content-type", "application/json; charset=utf-8")
        .header(
            "x-github-request-id",
            &format!("0000:{request_id:05}:0000000:0000000:00000000"),
        )
        .header("x-ratelimit-limit", "5000")
        .header("x-ratelimit-remaining", "4999")
        .header("x-ratelimit-reset", "1507651200")
        .header("x-ratelimit-resource", "graphql")
}

fn fault_answer(f: &Fault, id: u64) -> Answer {
    match f {
        Fault::Status(s) => json_answer(*s, &json!({ "message": "Server Error" }), id),
        Fault::SecondaryRateLimit(secs) => json_answer(403, &json!({ "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits" }), id).header("retry-after", &secs.to_string()),
        Fault::TooMany(secs) => json_answer(429, &json!({ "message": "API rate limit exceeded" }), id).header("retry-after", &secs.to_string()),
        Fault::Drop => Answer::Drop,
        Fault::Slow(_) => unreachable!("a slow answer is the real one, late"),
        Fault::Malformed => Answer::new(200, "<html>unicorn</html>").header("content-type", "text/html"),
        Fault::RateLimitExhausted => {
            let reset = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 1;
            Answer::new(403, serde_json::to_vec(&json!({ "message": "API rate limit exceeded for installation ID 1.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" })).unwrap())
                .header("content-type", "application/json; charset=utf-8")
                .header("x-ratelimit-limit", "5000")
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset", &reset.to_string())
                .header("x-github-request-id", &format!("0000:{id:05}:0000000:0000000:00000000"))
        }
    }
}

impl FakeGitHub {
    /// The environment `oncall advance --pr` and `oncall assign` need to
    /// reach this fake as the test repository: the token, the repository,
    /// the API's URL (GraphQL is found from it).
    pub fn env(&self) -> [(&'static str, String); 3] {
        [
            ("GITHUB_TOKEN", TOKEN.to_owned()),
            ("GITHUB_REPOSITORY", format!("{OWNER}/{NAME}")),
            ("GITHUB_API_URL", self.url.clone()),
        ]
    }

    /// A repository `acme/ops` whose `main` has these files.
    pub fn start(files: &[(&str, &str)]) -> FakeGitHub {
        let mut st = State {
            issues: Vec::new(),
            repo_id: "R_kgDOacme0001".into(),
            default_branch: "main".into(),
            commits: BTreeMap::new(),
            refs: BTreeMap::new(),
            prs: Vec::new(),
            labels: vec![("oncall".into(), "LA_kwDOoncall01".into())],
            users: Vec::new(),
            permissions: BTreeMap::new(),
            actions_may_open_prs: true,
            graphql_text_limit: 512 * 1024,
            requests: Vec::new(),
            faults: Vec::new(),
            before_mutation: None,
            cas_refusals: 0,
            next: 0,
        };
        let changes: Vec<(&str, Option<&str>)> =
            files.iter().map(|(p, t)| (*p, Some(*t))).collect();
        st.commit("main", &changes, "Initial commit");
        let state = Arc::new(Mutex::new(st));
        let s = state.clone();
        let gate = Arc::new(Gate::default());
        let g = gate.clone();
        let url = serve(Arc::new(move |req: &Request| {
            if req.path == "/graphql"
                && String::from_utf8_lossy(&req.body).contains("\"query\":\"mutation")
            {
                g.pass();
            }
            handle(&s, req)
        }));
        FakeGitHub { url, state, gate }
    }
    /// The next `n` write requests (mutation documents) wait for each
    /// other before any is applied.
    pub fn hold_writes(&self, n: usize) {
        *self.gate.inner.lock().unwrap() = (n, 0);
    }
    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }
    pub fn requests(&self) -> Vec<Recorded> {
        self.with(|s| s.requests.clone())
    }
    /// Fails the request of `target` that comes after `skip` others of it.
    pub fn fail_nth(&self, target: Target, skip: usize, fault: Fault) {
        self.with(|s| s.faults.push((target, skip, fault)));
    }
    pub fn fail_next(&self, target: Target, fault: Fault) {
        self.with(|s| s.faults.push((target, 0, fault)));
    }
}

fn handle(state: &Arc<Mutex<State>>, req: &Request) -> Answer {
    let mut st = state.lock().unwrap();
    let n = st.requests.len() as u64 + 1;
    let authorized = req.header("authorization") == Some(&format!("Bearer {TOKEN}"))
        || req.header("authorization") == Some(&format!("token {TOKEN}"));
    let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
    let document = body["query"].as_str().map(str::to_owned);
    let (target, what) = if req.path == "/graphql" {
        let doc = document.clone().unwrap_or_default();
        if doc.trim_start().starts_with("mutation") {
            (
                Target::Mutation,
                format!("mutation {}", mutations_in(&doc).join(",")),
            )
        } else if doc.contains("query AssignState") {
            (Target::Query, "query AssignState".to_owned())
        } else if doc.contains("query MovedClaims") {
            (Target::Query, "query MovedClaims".to_owned())
        } else if doc.contains("query SwapState") {
            (Target::Query, "query SwapState".to_owned())
        } else {
            (Target::Query, "query HandoverState".to_owned())
        }
    } else {
        (
            Target::Rest,
            format!(
                "{} {}",
                req.method,
                req.path.split('?').next().unwrap_or("")
            ),
        )
    };
    st.requests.push(Recorded {
        method: req.method.clone(),
        path: req.path.clone(),
        what,
        document: document.clone(),
        authorized,
        api_version: req.header("x-github-api-version").map(str::to_owned),
    });
    // GET /repos/{owner}/{repo}/git/ref/tags/{tag}: a release tag, public
    // (`oncall init` looks up the commit it points at, without a token).
    if req.method == "GET"
        && let Some(rest) = req.path.strip_prefix("/repos/")
        && let Some((_, tag)) = rest.split_once("/git/ref/tags/")
    {
        let name = format!("refs/tags/{tag}");
        return match st.refs.get(&name) {
            Some(sha) => json_answer(
                200,
                &json!({ "ref": name, "node_id": "REF_1", "url": format!("https://api.github.com/repos/{rest}"), "object": { "sha": sha, "type": "commit", "url": format!("https://api.github.com/repos/git/commits/{sha}") } }),
                n,
            ),
            None => json_answer(
                404,
                &json!({ "message": "Not Found", "documentation_url": "https://docs.github.com/rest/git/refs#get-a-reference" }),
                n,
            ),
        };
    }
    if !authorized {
        return json_answer(
            401,
            &json!({ "message": "Bad credentials", "documentation_url": "https://docs.github.com/rest" }),
            n,
        );
    }
    // A slow answer is a write that happened but was answered late: the
    // request is processed, the answer delayed.
    let mut slow = None;
    if let Some(i) = st
        .faults
        .iter()
        .position(|(t, _, _)| *t == target || *t == Target::Any)
    {
        if st.faults[i].1 > 0 {
            st.faults[i].1 -= 1;
        } else {
            let (_, _, f) = st.faults.remove(i);
            match f {
                Fault::Slow(d) => slow = Some(d),
                other => return fault_answer(&other, n),
            }
        }
    }
    let answer = answer(&mut st, target, req, &body, document, n);
    match slow {
        Some(d) => answer.delayed(d),
        None => answer,
    }
}

fn answer(
    st: &mut State,
    target: Target,
    req: &Request,
    body: &Value,
    document: Option<String>,
    n: u64,
) -> Answer {
    match target {
        Target::Query
            if document
                .as_deref()
                .is_some_and(|d| d.contains("query AssignState")) =>
        {
            let v = assign_state(st, &body["variables"]);
            json_answer(200, &v, n)
        }
        Target::Query
            if document
                .as_deref()
                .is_some_and(|d| d.contains("query MovedClaims")) =>
        {
            json_answer(200, &moved_claims(st, &body["variables"]), n)
        }
        Target::Query
            if document
                .as_deref()
                .is_some_and(|d| d.contains("query SwapState")) =>
        {
            let v = swap_state(st, &body["variables"], document.as_deref().unwrap_or(""));
            json_answer(200, &v, n)
        }
        Target::Query => {
            let v = handover_state(st, &body["variables"]);
            json_answer(200, &v, n)
        }
        Target::Mutation => {
            if let Some(hook) = st.before_mutation.take() {
                hook(st);
            }
            let doc = document.unwrap_or_default();
            let mut data = serde_json::Map::new();
            let mut errors = Vec::new();
            for m in mutations_in(&doc) {
                // Each mutation's input is the variable of its alias's name.
                match apply_mutation(st, m, &body["variables"][m]) {
                    Ok(v) => {
                        data.insert(m.to_owned(), v);
                    }
                    Err(e) => {
                        let stale = e["type"] == "STALE_DATA"
                            || e["message"]
                                .as_str()
                                .is_some_and(|m| m.contains("but expected"));
                        if stale {
                            st.cas_refusals += 1;
                        }
                        data.insert(m.to_owned(), Value::Null);
                        errors.push(e);
                    }
                }
            }
            let mut v = json!({ "data": data });
            if !errors.is_empty() {
                v["errors"] = Value::Array(errors);
            }
            json_answer(200, &v, n)
        }
        Target::Rest | Target::Any => {
            // GET /repos/{owner}/{repo}/collaborators/{username}/permission
            if req.method == "GET"
                && let Some(login) = req
                    .path
                    .strip_prefix(&format!("/repos/{OWNER}/{NAME}/collaborators/"))
                    .and_then(|r| r.strip_suffix("/permission"))
            {
                return match st.permissions.get(login) {
                    Some(p) => json_answer(200, &permission_json(login, p), n),
                    None => json_answer(
                        404,
                        &json!({ "message": "Not Found", "documentation_url": "https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user", "status": "404" }),
                        n,
                    ),
                };
            }
            // GET /repos/{owner}/{repo}/contents/{path}?ref={oid}
            let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
            let prefix = format!("/repos/{OWNER}/{NAME}/contents/");
            let oid = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("ref="))
                .unwrap_or("");
            match (req.method.as_str(), path.strip_prefix(&prefix)) {
                ("GET", Some(file)) => match st.commits.get(oid).and_then(|c| c.files.get(file)) {
                    Some(text) => Answer::new(200, text.clone())
                        .header(
                            "content-type",
                            "application/vnd.github.v3.raw; charset=utf-8",
                        )
                        .header("x-github-media-type", "github.v3; param=raw")
                        .header(
                            "x-github-request-id",
                            &format!("0000:{n:05}:0000000:0000000:00000000"),
                        ),
                    None => json_answer(
                        404,
                        &json!({ "message": "Not Found", "documentation_url": "https://docs.github.com/rest/repos/contents#get-repository-content" }),
                        n,
                    ),
                },
                _ => json_answer(
                    404,
                    &json!({ "message": "Not Found", "documentation_url": "https://docs.github.com/rest" }),
                    n,
                ),
            }
        }
    }
}

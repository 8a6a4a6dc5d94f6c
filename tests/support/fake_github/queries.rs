//! The answers to oncall's GraphQL queries (HandoverState, AssignState,
//! MovedClaims, SwapState), read from the fake's state.

use super::state::{Comment, CommitObj, State};
use super::{NAME, OWNER};
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub(super) fn gql_error(kind: &str, path: &str, message: &str) -> Value {
    json!({ "type": kind, "path": [path], "locations": [{ "line": 2, "column": 3 }], "message": message })
}

fn hash40(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}{:024x}", text.len())
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

pub(super) fn handover_state(st: &State, vars: &Value) -> Value {
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

pub(super) fn assign_state(st: &State, vars: &Value) -> Value {
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
pub(super) fn moved_claims(st: &State, vars: &Value) -> Value {
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
pub(super) fn swap_state(st: &State, vars: &Value, doc: &str) -> Value {
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

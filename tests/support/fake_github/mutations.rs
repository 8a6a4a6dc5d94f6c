//! The mutations a GraphQL document holds, and their effects on the fake's
//! state: refs, commits, pull requests, labels, reviewers, assignees, comments.

use super::queries::gql_error;
use super::state::{Comment, Pr, State};
use super::{NAME, OWNER, VIEWER};
use base64::Engine as _;
use serde_json::{Value, json};

/// The mutations in a document, in the order they appear.
pub(super) fn mutations_in(doc: &str) -> Vec<&'static str> {
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

pub(super) fn apply_mutation(st: &mut State, name: &str, input: &Value) -> Result<Value, Value> {
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

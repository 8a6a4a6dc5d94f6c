//! Writing the handover on GitHub: one mutation document (move the
//! branch, commit, open or update the pull request, request reviews), and
//! how its errors are sorted (a race starts over, the rest fail or warn).

use super::client::{Client, GitHubError};
use super::queries::{Mutation, mutation_document};
use super::{Outcome, is_race, user_id};
use base64::Engine as _;
use oncall_core::pr::remote::Remote;
use oncall_core::pr::{BranchMove, Decision, Paths};
use serde_json::{Map, Value, json};

pub(crate) enum WriteError {
    /// A compare-and-swap failed: start over from fresh data.
    Raced(String),
    Failed(anyhow::Error),
}

impl From<GitHubError> for WriteError {
    fn from(e: GitHubError) -> Self {
        WriteError::Failed(e.into())
    }
}

pub(crate) async fn write(
    client: &Client,
    remote: &Remote,
    paths: &Paths,
    d: &Decision,
    outcome: &mut Outcome,
) -> Result<(), WriteError> {
    let s = client.settings();
    let qualified = format!("refs/heads/{}", paths.branch);
    let mut muts = Vec::new();
    let mut vars = Map::new();
    let mut commit_on = None;
    match &d.branch {
        BranchMove::Keep => {}
        BranchMove::Create { at } => {
            muts.push(Mutation::CreateBranch);
            vars.insert(
                "createBranch".into(),
                json!({ "repositoryId": remote.repo_id, "name": qualified, "oid": at }),
            );
            commit_on = Some(at.clone());
        }
        BranchMove::OnTop { head } => commit_on = Some(head.clone()),
        BranchMove::Rebuild { from, to } => {
            muts.push(Mutation::ResetBranch);
            vars.insert(
                "resetBranch".into(),
                json!({ "repositoryId": remote.repo_id, "refUpdates": [{ "name": qualified, "beforeOid": from, "afterOid": to, "force": true }] }),
            );
            commit_on = Some(to.clone());
        }
    }
    if let (Some(expected), Some((rotation, log))) = (&commit_on, &d.files) {
        let b64 = |t: &str| base64::engine::general_purpose::STANDARD.encode(t);
        let (headline, body) = d
            .commit_message
            .split_once("\n\n")
            .unwrap_or((&d.commit_message, ""));
        // The yearly archives first, then the two files: one commit.
        let mut additions: Vec<Value> = d
            .archives
            .iter()
            .map(|(path, text)| json!({ "path": path, "contents": b64(text) }))
            .collect();
        additions.push(json!({ "path": paths.config, "contents": b64(rotation) }));
        additions.push(json!({ "path": paths.log, "contents": b64(log) }));
        muts.push(Mutation::Commit);
        vars.insert(
            "commit".into(),
            json!({
                "branch": { "repositoryNameWithOwner": format!("{}/{}", s.owner, s.name), "branchName": paths.branch },
                "expectedHeadOid": expected,
                "message": { "headline": headline, "body": body },
                "fileChanges": { "additions": additions }
            }),
        );
    }
    let reviewer_ids: Vec<&str> = d
        .reviewers
        .iter()
        .filter_map(|login| {
            let id = user_id(remote, login);
            if id.is_none() {
                outcome.warnings.push(format!(
                    "@{login} cannot be asked for a review (not a collaborator of the repository)"
                ));
            }
            id
        })
        .collect();
    if d.add_label && remote.label_id.is_none() {
        outcome.warnings.push(format!("the label `{}` does not exist in the repository: create it to label handover pull requests", paths.label));
    }
    let label_ids: Vec<&str> = remote
        .label_id
        .iter()
        .map(String::as_str)
        .filter(|_| d.add_label)
        .collect();
    let pr_follow_up = |muts: &mut Vec<Mutation>, vars: &mut Map<String, Value>, pr_id: &str| {
        if !reviewer_ids.is_empty() {
            muts.push(Mutation::RequestReviews);
            vars.insert(
                "requestReviews".into(),
                json!({ "pullRequestId": pr_id, "userIds": reviewer_ids, "union": true }),
            );
        }
        if !label_ids.is_empty() {
            muts.push(Mutation::AddLabels);
            vars.insert(
                "addLabels".into(),
                json!({ "labelableId": pr_id, "labelIds": label_ids }),
            );
        }
    };
    match &d.pr_id {
        None => {
            muts.push(Mutation::CreatePullRequest);
            vars.insert(
                "createPullRequest".into(),
                json!({ "repositoryId": remote.repo_id, "baseRefName": outcome.base, "headRefName": paths.branch, "title": d.title, "body": d.body }),
            );
        }
        Some(id) => {
            if d.update_title || d.update_body {
                muts.push(Mutation::UpdatePullRequest);
                let mut input = json!({ "pullRequestId": id });
                if d.update_title {
                    input["title"] = json!(d.title);
                }
                if d.update_body {
                    input["body"] = json!(d.body);
                }
                vars.insert("updatePullRequest".into(), input);
                outcome.pr_body = Some(d.body.clone());
            }
            pr_follow_up(&mut muts, &mut vars, id);
        }
    }
    if muts.is_empty() {
        return Ok(());
    }
    let (data, errors) = client
        .mutate(&mutation_document(&muts), Value::Object(vars))
        .await?;
    check_errors(
        &errors,
        &[
            Mutation::ResetBranch,
            Mutation::CreateBranch,
            Mutation::Commit,
        ],
        outcome,
    )?;
    // The pull request's own write failed (by the error's path, the
    // mutation's alias): the run fails.
    let on_pull_request =
        [Mutation::CreatePullRequest, Mutation::UpdatePullRequest].map(|m| m.alias());
    if let Some(e) = errors
        .iter()
        .find(|e| e.path().is_some_and(|p| on_pull_request.contains(&p)))
    {
        return Err(WriteError::Failed(e.clone().into()));
    }
    if let Some(oid) = data
        .get("commit")
        .and_then(|c| c.get("commit"))
        .and_then(|c| c.get("oid"))
        .and_then(Value::as_str)
    {
        outcome.branch_head = Some(oid.to_owned());
    }
    if d.branch != BranchMove::Keep {
        let what = match (&d.day.takeover, d.day.hands_over()) {
            (Some(_), false) => "the takeover",
            (Some(_), true) => "the handover and the takeover",
            (None, _) => "the handover",
        };
        outcome.messages.push(format!(
            "committed {what} for {} to `{}`",
            d.date, paths.branch
        ));
    }
    if let Some(pr) = data
        .get("createPullRequest")
        .and_then(|p| p.get("pullRequest"))
    {
        let id = pr
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        outcome.pr_url = pr.get("url").and_then(Value::as_str).map(str::to_owned);
        outcome.pr_id = Some(id.clone());
        outcome.pr_body = Some(d.body.clone());
        outcome.messages.push(format!(
            "opened the handover pull request {}",
            outcome.pr_url.clone().unwrap_or_default()
        ));
        let mut muts = Vec::new();
        let mut vars = Map::new();
        pr_follow_up(&mut muts, &mut vars, &id);
        if !muts.is_empty() {
            // Requesting reviews and adding labels again is harmless.
            let (_, errors) = client
                .mutate_with(&mutation_document(&muts), Value::Object(vars), true)
                .await?;
            check_errors(&errors, &[], outcome)?;
        }
    } else if d.update_title || d.update_body {
        outcome
            .messages
            .push("updated the handover pull request".to_owned());
    }
    Ok(())
}

/// Sorts a mutation document's errors: a failed compare-and-swap on the
/// branch means start over; review requests and labels only warn.
fn check_errors(
    errors: &[GitHubError],
    branch_fields: &[Mutation],
    outcome: &mut Outcome,
) -> Result<(), WriteError> {
    for e in errors {
        let field = e.path().unwrap_or("");
        let on_branch = branch_fields.iter().find(|m| {
            matches!(
                m,
                Mutation::ResetBranch | Mutation::CreateBranch | Mutation::Commit
            ) && m.alias() == field
        });
        if let Some(write) = on_branch {
            if is_race(e, *write) {
                return Err(WriteError::Raced(e.message().to_owned()));
            }
            return Err(WriteError::Failed(e.clone().into()));
        }
        if field == "requestReviews" || field == "addLabels" {
            outcome.warnings.push(format!("{e}"));
        }
    }
    Ok(())
}

//! `oncall assign` on a swap command (`/swap DATE`, `/take [DATE]`): one
//! query (`SWAP_STATE`), the decision (`oncall_core::swap`, pure), and the
//! writes: an answer comment (one request), or the roster pull request
//! (branch, commit and pull request in one document; the review requests
//! and the comment that says who took the day in a second). At most three
//! requests: a writer outside the rotation asking costs the permission
//! request instead of nothing, and takes nothing.

use super::assign::{Said, load_default};
use super::client::Client;
use super::queries::{Mutation, SWAP_STATE, mutation_document};
use anyhow::{Result, anyhow};
use base64::Engine as _;
use chrono::NaiveDate;
use oncall_core::config::Rotation;
use oncall_core::escape;
use oncall_core::swap::{self, Command, Reply};
use oncall_core::swap_pr::{self, Existing};
use serde_json::{Map, Value, json};

/// The comment that carries a swap command, from the event.
#[derive(Debug, Clone)]
pub struct Comment {
    pub command: Command,
    pub login: String,
    /// GitHub's `author_association` of the comment.
    pub association: String,
    /// The comment's id (what an answer's marker names).
    pub id: u64,
    /// The rotation the command is for, in a repository of several: the
    /// one it names (`… in NAME`), or the commenter's.
    pub rotation: Option<String>,
}

/// The rotation's name in a repository of several (for the branch).
pub fn rotation_name(config_path: &str) -> Option<&str> {
    let rest = config_path.strip_prefix("rotations/")?;
    rest.split_once('/').map(|(name, _)| name)
}

fn own_comments(item: &Value) -> Vec<String> {
    item["comments"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|n| n["viewerDidAuthor"] == true)
        .filter_map(|n| n["body"].as_str().map(str::to_owned))
        .collect()
}

async fn comment(client: &Client, subject: &str, body: &str) -> Result<()> {
    let (_, errors) = client
        .mutate(
            &mutation_document(&[Mutation::Comment]),
            json!({ "comment": { "subjectId": subject, "body": body } }),
        )
        .await?;
    match errors.into_iter().next() {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// Reads, decides, writes.
pub async fn run(
    client: &Client,
    config_path: &str,
    number: u64,
    c: &Comment,
    today: impl Fn(&Rotation) -> NaiveDate,
    dry_run: bool,
) -> Result<Said> {
    let s = client.settings();
    let data = client
        .query(
            SWAP_STATE,
            json!({
                "owner": s.owner,
                "name": s.name,
                "config": config_path,
                "number": number,
                "calendars": super::queries::CALENDARS_DIR,
                "swapBranches": swap_pr::branch_query(rotation_name(config_path)),
            }),
        )
        .await
        .map_err(anyhow::Error::from)?;
    let repo = &data["repository"];
    let (rot, (text, mut calendars)) = load_default(client, config_path, repo).await?;
    let today = today(&rot);
    oncall_core::lint::refuse_catch_up(
        &format!("{config_path} (on the default branch)"),
        &rot,
        today,
    )
    .map_err(|e| anyhow::Error::from(crate::error::UserError::from(e)))?;
    // Who may: a member of the rotation (as the file spells the login), or
    // someone with write access to ask; anyone else is ignored, without a
    // reply.
    let member = rot
        .members
        .iter()
        .find(|m| m.github.eq_ignore_ascii_case(&c.login))
        .map(|m| m.github.clone());
    let ignored = |why: &str| Ok(format!("nothing to do: {why}, so the command is ignored"));
    match (&c.command, &member) {
        (_, Some(_)) => {}
        (Command::Take { .. }, None) => {
            return ignored(&format!("{:?} is not a member of the rotation", c.login));
        }
        (_, None) if c.association == "OWNER" => {}
        (_, None) if ["MEMBER", "COLLABORATOR"].contains(&&*c.association) => {
            let permission = client
                .permission(&c.login)
                .await
                .map_err(anyhow::Error::from)?;
            if !oncall_core::routing::can_write(&permission) {
                return Ok(format!(
                    "nothing to do: {}",
                    oncall_core::routing::not_a_writer(&c.login, &permission)
                ));
            }
        }
        (_, None) => {
            return ignored(&format!(
                "{:?} is not in the rotation and has no write access ({})",
                c.login, c.association
            ));
        }
    }
    let item = &repo["issueOrPullRequest"];
    let Some(subject) = item["id"].as_str() else {
        return Ok(format!(
            "nothing to do: #{number} is not an issue (swap requests are made on issues)"
        ));
    };
    if item["issueState"].as_str() != Some("OPEN") {
        return Ok(format!("nothing to do: #{number} is closed"));
    }
    let own = own_comments(item);
    // A request made on the issue for another rotation is not this one's.
    let own = match &c.rotation {
        Some(name) => swap::for_rotation(own, name),
        None => own,
    };
    let taker = match (&c.command, member) {
        (Command::Swap { date, with }, member) => {
            let answer = swap::answer_swap(
                &rot,
                *date,
                with.as_deref(),
                today,
                &own,
                c.id,
                member.as_deref(),
            );
            // In a repository of several rotations, the answer's commands
            // name the one it is for (`… in NAME`; `default` for the
            // top-level rotation.yaml).
            let answer = match &c.rotation {
                Some(name) => answer.in_rotation(name),
                None => answer,
            };
            return answer_with(client, subject, number, answer, dry_run).await;
        }
        (Command::Unclear { how }, _) => {
            let answer = swap::answer_unclear(how, &own, c.id);
            return answer_with(client, subject, number, answer, dry_run).await;
        }
        (Command::Take { .. }, None) => unreachable!("refused above"),
        (Command::Take { .. }, Some(m)) => m,
    };
    let Command::Take { back } = c.command else {
        unreachable!("a swap answered above")
    };
    // The request's branch and its pull request, if any.
    let name = rotation_name(config_path);
    let request = swap::requests(&own).pop();
    let branch = request.as_ref().map(|r| swap_pr::branch(name, r.date));
    let node = branch.as_ref().and_then(|b| {
        repo["swapBranches"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|n| n["name"].as_str() == b.strip_prefix("oncall/"))
    });
    let existing = node.and_then(|n| {
        let pr = n["associatedPullRequests"]["nodes"].as_array()?.first()?;
        Some(Existing {
            id: pr["id"].as_str().unwrap_or_default().to_owned(),
            number: pr["number"].as_u64()?,
            merged: pr["state"] == "MERGED",
            body: pr["body"].as_str().unwrap_or("").to_owned(),
        })
    });
    // A run that opened the pull request but stopped before telling
    // anyone: finish it (the reviews and the comment), once.
    if let (Some(e), Some(request)) = (
        swap_pr::unfinished(existing.as_ref(), &taker, &own),
        request.clone(),
    ) {
        let taking = swap_pr::Taking {
            request,
            taker: taker.clone(),
            back,
            overrides: Vec::new(),
        };
        if dry_run {
            return Ok(format!(
                "dry run, nothing written: #{number}: would finish pull request #{}: the review requests and the comment",
                e.number
            ));
        }
        let told = tell(client, repo, subject, &taking, (&e.id, e.number), c.id).await?;
        return Ok(format!(
            "#{number}: pull request #{} was opened by an earlier run that stopped: asked for the reviews and told the issue{told}",
            e.number
        ));
    }
    let taking = match swap_pr::take(&rot, back, &taker, today, &own, c.id, existing.as_ref()) {
        Ok(t) => t,
        Err(answer) => return answer_with(client, subject, number, answer, dry_run).await,
    };
    let branch = branch.ok_or_else(|| anyhow!("internal: a taking without a request"))?;
    let overrides: Vec<(NaiveDate, &str)> = taking
        .overrides
        .iter()
        .map(|(d, g)| (*d, g.as_str()))
        .collect();
    let new_text =
        oncall_core::roster::write_overrides(&text, &overrides, Some(&swap_pr::reason(number)))
            .map_err(|e| anyhow!("{config_path}: {e}"))?;
    let after = match oncall_core::config::load_from(
        &format!("{config_path} (with the swap)"),
        config_path,
        &new_text,
        &mut calendars,
    ) {
        Ok((after, _)) => after,
        Err(e) => {
            let why = e.0.problems.first().map_or(String::new(), |p| {
                format!(": {}", escape::markdown(&p.message))
            });
            let answer = Reply::Comment {
                body: format!(
                    "The change would not pass the roster check{why}.\n\n{}\n",
                    swap::reply_marker(c.id)
                ),
                said: "answered: the change would not pass the roster check".into(),
            };
            return answer_with(client, subject, number, answer, dry_run).await;
        }
    };
    let opening = swap_pr::opening(&rot, &after, &taking, number);
    let said = format!(
        "#{number}: {} took {} from {}",
        taking.taker, taking.request.date, taking.request.from
    );
    if dry_run {
        return Ok(format!(
            "dry run, nothing written: {said}; would open a roster pull request from `{branch}`"
        ));
    }
    let base = repo["defaultBranchRef"]["name"].as_str().unwrap_or("main");
    let head = repo["defaultBranchRef"]["target"]["oid"]
        .as_str()
        .unwrap_or_default();
    let repo_id = repo["id"].as_str().unwrap_or_default();
    let qualified = format!("refs/heads/{branch}");
    // A branch left by a pull request closed unmerged is moved back to the
    // base head (a compare-and-swap on where it was); else it is created.
    // Of two takers at once, one creates (or moves) it; GitHub refuses the
    // other's ref, and its commit's expected head.
    let mut muts = Vec::new();
    let mut vars = Map::new();
    match node.and_then(|n| n["target"]["oid"].as_str()) {
        Some(old) => {
            muts.push(Mutation::ResetBranch);
            vars.insert(
                "resetBranch".into(),
                json!({ "repositoryId": repo_id, "refUpdates": [{ "name": qualified, "beforeOid": old, "afterOid": head, "force": true }] }),
            );
        }
        None => {
            muts.push(Mutation::CreateBranch);
            vars.insert(
                "createBranch".into(),
                json!({ "repositoryId": repo_id, "name": qualified, "oid": head }),
            );
        }
    }
    let b64 = |t: &str| base64::engine::general_purpose::STANDARD.encode(t);
    muts.extend([Mutation::Commit, Mutation::CreatePullRequest]);
    vars.insert(
        "commit".into(),
        json!({
            "branch": { "repositoryNameWithOwner": format!("{}/{}", s.owner, s.name), "branchName": branch },
            "expectedHeadOid": head,
            "message": { "headline": opening.headline, "body": swap_pr::reason(number) },
            "fileChanges": { "additions": [ { "path": config_path, "contents": b64(&new_text) } ] }
        }),
    );
    vars.insert(
        "createPullRequest".into(),
        json!({ "repositoryId": repo_id, "baseRefName": base, "headRefName": branch, "title": opening.title, "body": opening.body }),
    );
    let (data, errors) = client
        .mutate(&mutation_document(&muts), Value::Object(vars))
        .await
        .map_err(anyhow::Error::from)?;
    // GitHub runs a document's mutations in order, but another run's may
    // come between them. This run opened the pull request when its commit
    // and its pull request both went through (a refused ref then means the
    // other run created the branch at the same head a moment before, and
    // its commit will be refused). Neither went through: the other taker
    // won, and its comment on the issue says who (a rerun of this event
    // answers "already taken by …"). One of the two: the runs' writes
    // interleaved, which a person sorts out.
    let committed = data["commit"]["commit"]["oid"].is_string();
    let opened = data["createPullRequest"]["pullRequest"]["id"].is_string();
    let ref_write = muts[0];
    let raced = errors
        .iter()
        .find(|e| super::is_race(e, ref_write) || super::is_race(e, Mutation::Commit));
    match (committed, opened, raced) {
        (true, true, _) => {}
        (false, false, Some(e)) => {
            return Ok(format!(
                "#{number}: {} was taken by someone else a moment before ({}): nothing written; their comment on the issue says who",
                taking.request.date,
                e.message()
            ));
        }
        (_, _, Some(e)) => anyhow::bail!(
            "another run wrote to `{branch}` at the same moment ({}): check the branch and its pull request before merging",
            e.message()
        ),
        (_, _, None) => {
            if let Some(e) = errors.into_iter().next() {
                return Err(e.into());
            }
        }
    }
    let pr = &data["createPullRequest"]["pullRequest"];
    let (Some(pr_id), Some(pr_number)) = (pr["id"].as_str(), pr["number"].as_u64()) else {
        anyhow::bail!("GitHub did not say which pull request it opened");
    };
    let told = tell(client, repo, subject, &taking, (pr_id, pr_number), c.id).await?;
    Ok(format!(
        "{said}: opened pull request #{pr_number} from `{branch}`{told}"
    ))
}

/// The review requests (the notification) and the comment that says who
/// took the day, in one document, for the pull request `pr` (id, number);
/// the warnings, as text to append to the job log's line.
async fn tell(
    client: &Client,
    repo: &Value,
    subject: &str,
    taking: &swap_pr::Taking,
    (pr_id, pr_number): (&str, u64),
    reply_to: u64,
) -> Result<String> {
    let users = repo["assignableUsers"]["nodes"].as_array();
    let mut warnings = Vec::new();
    let ids: Vec<&str> = [&taking.request.from, &taking.taker]
        .into_iter()
        .filter_map(|login| {
            let id = users.into_iter().flatten().find(|u| {
                u["login"]
                    .as_str()
                    .is_some_and(|l| l.eq_ignore_ascii_case(login))
            });
            if id.is_none() {
                warnings.push(format!(
                    "; {login} cannot be asked for a review (not a collaborator of the repository)"
                ));
            }
            id.and_then(|u| u["id"].as_str())
        })
        .collect();
    let mut muts = vec![Mutation::Comment];
    let mut vars = json!({ "comment": { "subjectId": subject, "body": swap_pr::taken(taking, pr_number, reply_to) } });
    if !ids.is_empty() {
        muts.insert(0, Mutation::RequestReviews);
        vars["requestReviews"] = json!({ "pullRequestId": pr_id, "userIds": ids, "union": true });
    }
    // Not retried after an answer that may have been lost: a second
    // `addComment` would post "Taken by" twice.
    let (_, errors) = client
        .mutate(&mutation_document(&muts), vars)
        .await
        .map_err(anyhow::Error::from)?;
    for e in errors {
        warnings.push(format!("; {e}"));
    }
    Ok(warnings.concat())
}

async fn answer_with(
    client: &Client,
    subject: &str,
    number: u64,
    answer: Reply,
    dry_run: bool,
) -> Result<Said> {
    match answer {
        Reply::Nothing(why) => Ok(format!("#{number}: nothing to do: {why}")),
        Reply::Comment { said, .. } if dry_run => {
            Ok(format!("dry run, nothing written: #{number}: {said}"))
        }
        Reply::Comment { body, said } => {
            comment(client, subject, &body).await?;
            Ok(format!("#{number}: {said}"))
        }
    }
}

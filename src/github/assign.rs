//! `oncall assign` on GitHub: one query (the default branch's
//! rotation.yaml, the issue, who can be assigned), the decision
//! (`routing`, pure), and at most one write (the assignment and the
//! comment in one document).

use super::client::Client;
use super::queries::{ASSIGN_STATE, assign_document};
use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;
use oncall_core::config::Rotation;
use oncall_core::routing::{self, Issue, Plan, Route};
use serde_json::{Value, json};

/// What `oncall assign` did, in one line.
pub type Said = String;

fn strings(v: &Value, field: &str) -> Vec<String> {
    v["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n[field].as_str().map(str::to_owned))
        .collect()
}

/// The bodies of the comments oncall's own identity wrote
/// (`viewerDidAuthor`): a marker counts only there, never in a comment
/// someone else wrote (`routing::Issue::comments`).
fn own_comments(v: &Value) -> Vec<String> {
    v["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|n| n["viewerDidAuthor"] == true)
        .filter_map(|n| n["body"].as_str().map(str::to_owned))
        .collect()
}

/// Reads, decides, writes. `route` decides from the rotation whether the
/// event routes an issue at all (without a write when it does not);
/// `today` is the team's date for a rotation.
pub async fn run(
    client: &Client,
    config_path: &str,
    number: u64,
    route: impl Fn(&Rotation) -> Route,
    today: impl Fn(&Rotation) -> NaiveDate,
    dry_run: bool,
) -> Result<Said> {
    let s = client.settings();
    let data = client
        .query(
            ASSIGN_STATE,
            json!({
                "owner": s.owner,
                "name": s.name,
                "config": config_path,
                "number": number,
                "calendars": super::queries::CALENDARS_DIR,
            }),
        )
        .await
        .map_err(anyhow::Error::from)?;
    let repo = &data["repository"];
    let (rot, _) = load_default(client, config_path, repo).await?;
    // A rotation more than a year behind is refused before a day is
    // walked, as in every command.
    oncall_core::lint::refuse_catch_up(
        &format!("{config_path} (on the default branch)"),
        &rot,
        today(&rot),
    )
    .map_err(|e| anyhow::Error::from(crate::error::UserError::from(e)))?;
    match route(&rot) {
        Route::Skip(why) => return Ok(format!("nothing to do: {why}")),
        Route::Assign(n) | Route::AssignIfWriter { number: n, .. } if n != number => {
            bail!("internal: routed #{n}, read #{number}")
        }
        Route::Assign(_) => {}
        // An organisation member or a collaborator outside the rotation:
        // their association does not say they can write; GitHub does (one
        // more request).
        Route::AssignIfWriter { login, .. } => {
            let permission = client
                .permission(&login)
                .await
                .map_err(anyhow::Error::from)?;
            if !routing::can_write(&permission) {
                return Ok(format!(
                    "nothing to do: {}",
                    routing::not_a_writer(&login, &permission)
                ));
            }
        }
    }
    let item = &repo["issueOrPullRequest"];
    let Some(id) = item["id"].as_str() else {
        return Ok(format!(
            "nothing to do: #{number} is not an issue or pull request here"
        ));
    };
    let issue = Issue {
        id: id.to_owned(),
        // An issue's state, or a pull request's (OPEN, CLOSED, MERGED).
        open: item["issueState"].as_str().or(item["pullState"].as_str()) == Some("OPEN"),
        assignees: strings(&item["assignees"], "login"),
        comments: own_comments(&item["comments"]),
    };
    let today = today(&rot);
    let (assign, comment) = match routing::plan(&rot, &issue, today) {
        Plan::Nothing(why) => return Ok(format!("#{number}: nothing to do: {why}")),
        Plan::Write { assign, comment } => (assign, comment),
    };
    let user_id = match &assign {
        Some(login) => Some(
            repo["assignableUsers"]["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|u| u["login"].as_str().is_some_and(|l| l.eq_ignore_ascii_case(login)))
                .and_then(|u| u["id"].as_str().map(str::to_owned))
                .ok_or_else(|| {
                    anyhow!("{login} cannot be assigned in this repository (not a collaborator with access): add them, or correct rotation.yaml")
                })?,
        ),
        None => None,
    };
    let said = match (&assign, &comment) {
        (Some(l), Some(_)) => format!("#{number}: assigned {l} and commented"),
        (Some(l), None) => format!("#{number}: assigned {l} (the day's comment is there already)"),
        (None, _) => format!("#{number}: nobody is on call today; commented who is next"),
    };
    if dry_run {
        return Ok(format!("dry run, nothing written: {said}"));
    }
    let mut vars = json!({});
    if let Some(uid) = &user_id {
        vars["assign"] = json!({ "assignableId": issue.id, "assigneeIds": [uid] });
    }
    if let Some(body) = &comment {
        vars["comment"] = json!({ "subjectId": issue.id, "body": body });
    }
    let (_, errors) = client
        .mutate(&assign_document(user_id.is_some(), comment.is_some()), vars)
        .await
        .map_err(anyhow::Error::from)?;
    if let Some(e) = errors.into_iter().next() {
        return Err(anyhow::Error::from(e));
    }
    Ok(said)
}

/// The default branch's rotation file as a query read it (`repo`: its
/// `repository`, with `defaultBranchRef.target.rotation` and
/// `.calendars`), loaded with its shared calendars: the rotation, its text
/// and the calendars read (to validate an edit of it the same way).
pub(crate) async fn load_default(
    client: &Client,
    config_path: &str,
    repo: &Value,
) -> Result<(Rotation, (String, oncall_core::config::calendars::Fetched))> {
    let blob = &repo["defaultBranchRef"]["target"]["rotation"]["object"];
    let Some(text) = blob["text"].as_str() else {
        bail!("{config_path} is not on the default branch: oncall assign reads the rotation there");
    };
    if blob["isTruncated"] == true {
        bail!("{config_path} is too large for GitHub's GraphQL text");
    }
    let oid = repo["defaultBranchRef"]["target"]["oid"]
        .as_str()
        .unwrap_or_default();
    let read =
        oncall_core::pr::remote::calendar_dir(&repo["defaultBranchRef"]["target"]["calendars"]);
    let files = super::fetch_calendars(client, config_path, text, oid, &read)
        .await
        .map_err(anyhow::Error::from)?;
    let mut calendars = oncall_core::config::calendars::Fetched {
        files,
        on: "the default branch".into(),
    };
    let (rot, _) = oncall_core::config::load_from(
        &format!("{config_path} (on the default branch)"),
        config_path,
        text,
        &mut calendars,
    )
    .map_err(|e| anyhow::Error::from(crate::error::UserError::from(e)))?;
    Ok((rot, (text.to_owned(), calendars)))
}

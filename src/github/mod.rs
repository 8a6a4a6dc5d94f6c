//! The handover pull request on GitHub (`oncall advance --pr`): read
//! everything in one query, decide (pure, `handover.rs`), then write in
//! one or two mutation documents.

pub mod assign;
pub mod client;
pub mod moved;
pub mod queries;
pub mod settings;
pub mod swap;
mod write;

use self::client::{Client, GitHubError};
use self::queries::{HANDOVER_STATE, Mutation, mutation_document};
use crate::error::UserError;
use anyhow::Result;
use chrono::NaiveDate;
use oncall_core::daily::{DayPlan, NoHandover};
use oncall_core::diag::Report;
use oncall_core::pr::remote::{self, Remote};
use oncall_core::pr::{self as handover, Decision, Paths, Refusal};
use serde_json::{Value, json};

/// The ref that claims a day's Slack post: it points at the handover
/// commit of the day claimed. Moving it is a compare-and-swap, so of two
/// runs at once only one posts.
pub const CLAIM_REF: &str = "refs/oncall/slack-claim";

/// The default handover branch.
pub const DEFAULT_BRANCH: &str = "oncall/handover";

/// The Slack claim of a handover branch: [`CLAIM_REF`] for the default
/// branch, one of its own for another (a rotation of several), so that two
/// rotations' posts never contend for one claim.
pub fn claim_ref(branch: &str) -> String {
    if branch == DEFAULT_BRANCH {
        CLAIM_REF.to_owned()
    } else {
        format!("refs/oncall/slack-claims/{branch}")
    }
}

/// What the run did on GitHub.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub date: Option<NaiveDate>,
    pub decision: Option<Decision>,
    pub pr_id: Option<String>,
    pub pr_url: Option<String>,
    /// The PR body as it is now (for the Slack record).
    pub pr_body: Option<String>,
    /// What to tell the user (nothing to do, what was done).
    pub messages: Vec<String>,
    /// Why there is no handover, when there is none.
    pub nothing: Option<NoHandover>,
    pub warnings: Vec<String>,
    /// The warnings of the base branch's rotation file: its own and the
    /// lint's (`oncall_core::lint`), as a local run prints them.
    pub report: Report,
    /// The base branch's name.
    pub base: String,
    /// The base branch's rotation.yaml and log, as read.
    pub base_files: Option<(String, String)>,
    /// The shared calendars the base's rotation.yaml includes, as read.
    pub calendars: oncall_core::config::calendars::Fetched,
    pub repo_id: String,
    pub base_head: Option<String>,
    /// The handover branch's head after this run.
    pub branch_head: Option<String>,
    /// Where the Slack claim ref pointed when the run read it.
    pub slack_claim: Option<String>,
    /// The Slack claim ref of this handover branch ([`claim_ref`]).
    pub claim_ref: String,
}

impl Outcome {
    /// The day's plan, when there is a handover.
    pub fn day(&self) -> Option<&DayPlan> {
        self.decision.as_ref().map(|d| &*d.day)
    }
}

/// A person changed the handover branch: it is left alone.
#[derive(Debug, thiserror::Error)]
#[error(
    "the handover branch `{branch}` was changed by hand ({reason}); oncall leaves it alone. Merge or close {pr}, or delete the branch, and run again"
)]
pub struct ForeignChange {
    pub branch: String,
    pub reason: String,
    pub pr: String,
}

/// The branch or the base moved twice while the run worked.
#[derive(Debug, thiserror::Error)]
#[error(
    "the handover branch or the base branch changed while oncall was updating it, twice in a row: run again when nobody is pushing ({0})"
)]
pub struct Raced(String);

fn variables(client: &Client, base: Option<&str>, paths: &Paths) -> Value {
    let s = client.settings();
    json!({
        "owner": s.owner,
        "name": s.name,
        "useDefault": base.is_none(),
        "baseRef": format!("refs/heads/{}", base.unwrap_or("")),
        "branchRef": format!("refs/heads/{}", paths.branch),
        "claimRef": claim_ref(&paths.branch),
        "config": paths.config,
        "log": paths.log,
        "label": paths.label,
        "calendars": queries::CALENDARS_DIR,
        "archives": paths.archive_dir(),
    })
}

/// Reads the repository (one query; files too large for GraphQL are then
/// fetched through the contents API).
pub async fn read(client: &Client, base: Option<&str>, paths: &Paths) -> Result<Remote> {
    let data = client
        .query(HANDOVER_STATE, variables(client, base, paths))
        .await?;
    let mut remote = remote::parse(&data).ok_or_else(|| GitHubError::Http {
        status: 404,
        message: format!(
            "repository {}/{} not found",
            client.settings().owner,
            client.settings().name
        ),
        request_id: None,
    })?;
    for branch in [remote.base.as_mut(), remote.branch.as_mut()]
        .into_iter()
        .flatten()
    {
        for (file, path) in [
            (&mut branch.rotation, &paths.config),
            (&mut branch.log, &paths.log),
        ] {
            if let Some(f) = file.as_mut().filter(|f| f.text.is_none()) {
                f.text = Some(client.raw_file(path, &branch.head).await?);
            }
        }
    }
    // The shared calendars the base's rotation file includes, at the same
    // commit: read with it when they are in the calendars' directory, else
    // one request each (none for a rotation without includes).
    if let Some(base) = &remote.base
        && let Some(text) = base.rotation.as_ref().and_then(|f| f.text.as_deref())
    {
        remote.base_calendars =
            fetch_calendars(client, &paths.config, text, &base.head, &base.calendar_dir).await?;
    }
    Ok(remote)
}

/// The shared calendars a rotation file (`text`, at `config` on commit
/// `oid`) includes: path → text, from `read` (the files a query read at the
/// same commit) or else one request each. A calendar that does not exist
/// is left out (loading the rotation then says so, at the include).
pub async fn fetch_calendars(
    client: &Client,
    config: &str,
    text: &str,
    oid: &str,
    read: &std::collections::BTreeMap<String, String>,
) -> Result<std::collections::BTreeMap<String, String>, GitHubError> {
    let mut files = std::collections::BTreeMap::new();
    for include in oncall_core::config::calendars::includes_in(text) {
        let Ok(path) = oncall_core::config::calendars::resolve(config, &include) else {
            continue; // the rotation's check reports it
        };
        if files.contains_key(&path) {
            continue;
        }
        if let Some(text) = read.get(&path) {
            files.insert(path, text.clone());
            continue;
        }
        match client.raw_file(&path, oid).await {
            Ok(text) => {
                files.insert(path, text);
            }
            Err(e) if e.status() == Some(404) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(files)
}

pub(crate) fn user_id<'a>(remote: &'a Remote, login: &str) -> Option<&'a str> {
    remote
        .users
        .iter()
        .find(|(l, _)| l.eq_ignore_ascii_case(login))
        .map(|(_, id)| id.as_str())
}

/// Is this GraphQL error a compare-and-swap refusal on one of our writes
/// (someone moved the ref first)? Decided by the error's `type` and `path`,
/// never by its English message. GitHub answers a stale `expectedHeadOid`
/// with `"type": "STALE_DATA", "path": ["commit"]` (the mutation's alias);
/// a ref that moved or exists already (`updateRefs`, `createRef`) is
/// refused as `UNPROCESSABLE` on that write's path.
pub(crate) fn is_race(e: &GitHubError, write: Mutation) -> bool {
    let alias = write.alias();
    let on_this_write = e.path() == Some(alias);
    let kind = e.kind();
    on_this_write
        && match write {
            Mutation::Commit => kind == Some("STALE_DATA"),
            Mutation::ResetBranch
            | Mutation::CreateBranch
            | Mutation::MoveClaim
            | Mutation::CreateClaim => matches!(kind, Some("STALE_DATA" | "UNPROCESSABLE")),
            _ => false,
        }
}

/// Which day a run hands over, and how.
#[derive(Debug, Clone, Copy)]
pub struct When {
    /// The day (default: today in the team's time zone).
    pub date: Option<NaiveDate>,
    pub now: chrono::DateTime<chrono::Utc>,
    /// Decide and print, write nothing.
    pub dry_run: bool,
    /// Allow a `date` after today.
    pub future: bool,
    /// Only apply a takeover (R13); without one, write nothing.
    pub takeover_only: bool,
}

/// Opens or updates the handover pull request for `date` (default: today
/// in the time zone of the base branch's rotation.yaml, R11).
/// `before_write` sees the base branch's rotation.yaml once the handover is
/// decided and before anything is written (to check the Slack settings it
/// names); its error stops the run.
pub async fn run(
    client: &Client,
    base: Option<&str>,
    paths: &Paths,
    when: When,
    before_write: &mut dyn FnMut(&str) -> Result<()>,
) -> Result<Outcome> {
    let When {
        date,
        now,
        dry_run,
        future,
        takeover_only,
    } = when;
    let mut last_race = String::new();
    for _attempt in 0..2 {
        let remote = read(client, base, paths).await?;
        let text = remote
            .base
            .as_ref()
            .and_then(|b| b.rotation.as_ref())
            .and_then(|f| f.text.as_deref())
            .unwrap_or("");
        let base_label = |p: &str| match &remote.base {
            Some(b) => format!("{p} (on {})", b.name),
            None => p.to_owned(),
        };
        let loaded = oncall_core::config::load_from(
            &base_label(&paths.config),
            &paths.config,
            text,
            &mut remote.calendars(),
        );
        let tz = loaded.as_ref().map_or(chrono_tz::UTC, |(r, _)| r.timezone);
        let today = oncall_core::calendar::today(tz, now);
        // The same checks as a local run: a state in the future refuses
        // the run; the warnings are printed (and annotated in Actions).
        let mut report = Report::new(base_label(&paths.config), Vec::new());
        if let Ok((rot, warnings)) = &loaded {
            let lint = oncall_core::lint::check(&base_label(&paths.config), rot, today)
                .map_err(UserError::from)?;
            report.problems.extend(warnings.problems.iter().cloned());
            report.problems.extend(lint.problems);
        }
        let date = date.unwrap_or(today);
        crate::error::refuse_future(date, today, dry_run, future)?;
        let mut outcome = Outcome {
            date: Some(date),
            base: remote
                .base
                .as_ref()
                .map(|b| b.name.clone())
                .unwrap_or_default(),
            pr_id: remote.pr.as_ref().map(|p| p.id.clone()),
            pr_url: remote.pr.as_ref().map(|p| p.url.clone()),
            pr_body: remote.pr.as_ref().map(|p| p.body.clone()),
            repo_id: remote.repo_id.clone(),
            base_head: remote.base.as_ref().map(|b| b.head.clone()),
            branch_head: remote.branch.as_ref().map(|b| b.head.clone()),
            slack_claim: remote.slack_claim.clone(),
            claim_ref: claim_ref(&paths.branch),
            report,
            calendars: remote.calendars(),
            base_files: remote.base.as_ref().map(|b| {
                let text = |f: &Option<remote::File>| {
                    f.as_ref().and_then(|f| f.text.clone()).unwrap_or_default()
                };
                (text(&b.rotation), text(&b.log))
            }),
            ..Outcome::default()
        };
        let at = now.with_timezone(&tz).time();
        let decision = match handover::decide(&remote, paths, date, at) {
            Ok(d) => d,
            Err(Refusal::Nothing(why)) => {
                outcome.messages.push(why.message());
                outcome.nothing = Some(why);
                return Ok(outcome);
            }
            Err(Refusal::Invalid(e)) => return Err(UserError::from(e).into()),
            Err(Refusal::Edit(e)) => return Err(UserError::from(e).into()),
            Err(Refusal::Missing(m)) => anyhow::bail!("{m}"),
            Err(Refusal::Foreign {
                reason,
                pr,
                commented,
            }) => {
                let pr_url = pr
                    .as_ref()
                    .map_or("the pull request".to_owned(), |p| p.1.clone());
                if let (Some((id, _)), false, false) = (&pr, commented, dry_run) {
                    let body = handover::foreign_comment(&reason, &paths.branch);
                    let doc = mutation_document(&[Mutation::Comment]);
                    let _ = client
                        .mutate(
                            &doc,
                            json!({ "comment": { "subjectId": id, "body": body } }),
                        )
                        .await;
                }
                return Err(ForeignChange {
                    branch: paths.branch.clone(),
                    reason,
                    pr: pr_url,
                }
                .into());
            }
        };
        if takeover_only && decision.day.takeover.is_none() {
            outcome.messages.push(oncall_core::daily::no_takeover(date));
            return Ok(outcome);
        }
        if let Some((text, _)) = &outcome.base_files {
            before_write(text)?;
        }
        if dry_run || decision.is_noop() {
            if decision.is_noop() {
                outcome.messages.push(format!(
                    "the handover pull request is up to date for {date}: nothing to do"
                ));
            }
            outcome.decision = Some(decision);
            return Ok(outcome);
        }
        match write::write(client, &remote, paths, &decision, &mut outcome).await {
            Ok(()) => {
                outcome.decision = Some(decision);
                return Ok(outcome);
            }
            Err(write::WriteError::Raced(m)) => last_race = m,
            Err(write::WriteError::Failed(e)) => return Err(e),
        }
    }
    Err(Raced(last_race).into())
}

/// Records on the pull request that Slack was told (R10): `marker` is
/// the day's (`log_format::pr_slack_marker`) or a takeover's
/// (`pr_takeover_marker`). Returns the body as it is now.
pub async fn record_slack(
    client: &Client,
    pr_id: &str,
    body: &str,
    marker: &str,
) -> Result<String> {
    let body = format!("{}\n\n{marker}\n", body.trim_end());
    let doc = mutation_document(&[Mutation::UpdatePullRequest]);
    // Setting the same body twice is harmless: retried like a read.
    let (_, errors) = client
        .mutate_with(
            &doc,
            json!({ "updatePullRequest": { "pullRequestId": pr_id, "body": body } }),
            true,
        )
        .await?;
    if let Some(e) = errors.into_iter().next() {
        return Err(e.into());
    }
    Ok(body)
}

/// Claims today's Slack post: moves the claim ref to today's handover
/// commit with a compare-and-swap (or creates it there). `Ok(false)`: the
/// day was claimed already, by this run earlier or by another one.
pub async fn claim_slack(client: &Client, outcome: &Outcome) -> Result<bool> {
    let Some(head) = &outcome.branch_head else {
        return Ok(false);
    };
    if outcome.slack_claim.as_ref() == Some(head) {
        return Ok(false);
    }
    let (mutation, vars) = match &outcome.slack_claim {
        Some(before) => (
            Mutation::MoveClaim,
            json!({ "moveClaim": { "repositoryId": outcome.repo_id, "refUpdates": [{ "name": outcome.claim_ref, "beforeOid": before, "afterOid": head, "force": true }] } }),
        ),
        None => (
            Mutation::CreateClaim,
            json!({ "createClaim": { "repositoryId": outcome.repo_id, "name": outcome.claim_ref, "oid": head } }),
        ),
    };
    let errors = match client.mutate(&mutation_document(&[mutation]), vars).await {
        Ok((_, errors)) => errors,
        // No answer, or not GitHub's: the claim may well have been made, and
        // a rerun would then find it taken and never post. Post: a second
        // message needs another run at this very moment as well.
        Err(e) if e.unanswered() => return Ok(true),
        Err(e) => return Err(e.into()),
    };
    match errors.into_iter().next() {
        None => Ok(true),
        Some(e) if is_race(&e, mutation) => Ok(false),
        Some(e) => Err(e.into()),
    }
}

/// Gives the claim back after a failed post, so that a rerun posts.
pub async fn release_slack(client: &Client, outcome: &Outcome) -> Result<()> {
    let (Some(head), Some(base)) = (&outcome.branch_head, &outcome.base_head) else {
        return Ok(());
    };
    let vars = json!({ "moveClaim": { "repositoryId": outcome.repo_id, "refUpdates": [{ "name": outcome.claim_ref, "beforeOid": head, "afterOid": base, "force": true }] } });
    let (_, errors) = client
        .mutate_with(&mutation_document(&[Mutation::MoveClaim]), vars, true)
        .await?;
    match errors.into_iter().next() {
        None => Ok(()),
        Some(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod race_tests {
    use super::*;

    fn error(kind: &str, path: &str, message: &str) -> GitHubError {
        GitHubError::GraphQl {
            message: message.to_owned(),
            kind: Some(kind.to_owned()),
            path: Some(path.to_owned()),
            request_id: None,
        }
    }

    #[test]
    fn a_race_is_known_by_its_type_and_path_not_by_its_words() {
        // What GitHub answers a stale expectedHeadOid.
        let stale = error("STALE_DATA", "commit", "Expected branch to point to x");
        assert!(is_race(&stale, Mutation::Commit));
        // The same type on another write is not this write's race.
        assert!(!is_race(&stale, Mutation::ResetBranch));
        // Words alone do not make a race: another type with the old phrase.
        let words = error(
            "FORBIDDEN",
            "commit",
            "stale: expected branch to point to x",
        );
        assert!(!is_race(&words, Mutation::Commit));
        // A ref that moved or exists already.
        let moved = error("UNPROCESSABLE", "moveClaim", "anything");
        assert!(is_race(&moved, Mutation::MoveClaim));
        assert!(!is_race(&moved, Mutation::Commit));
        assert_eq!(Mutation::CreatePullRequest.alias(), "createPullRequest");
        assert_eq!(Mutation::Commit.alias(), "commit");
    }
}

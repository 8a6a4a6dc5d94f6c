//! `oncall advance --pr`: the handover as a pull request on GitHub.

use super::write_diff;
use crate::cli::{Cli, Command};
use crate::error::UserError;
use crate::escape::terminal;
use crate::github::client::{Client, Settings};
use crate::github::handover::{self, Paths};
use crate::github::{self, Outcome};
use crate::slack;
use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use std::io::Write;

/// A usage problem with the GitHub settings: a user error (exit code 2).
fn settings_error(message: String) -> UserError {
    UserError::Usage(message)
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Settings from the flags and the environment GitHub Actions provides.
fn settings(repo: Option<&str>, api_url: Option<&str>) -> Result<Settings, UserError> {
    let token = env("GITHUB_TOKEN").ok_or_else(|| {
        settings_error("GITHUB_TOKEN is not set: --pr needs a token that may write contents and pull requests (in a workflow: `env: GITHUB_TOKEN: ${{ github.token }}` or a GitHub App token)".into())
    })?;
    let repository = repo
        .map(str::to_owned)
        .or_else(|| env("GITHUB_REPOSITORY"))
        .ok_or_else(|| {
            settings_error("GITHUB_REPOSITORY is not set: pass --repo OWNER/NAME".into())
        })?;
    let (owner, name) = repository
        .split_once('/')
        .filter(|(o, n)| !o.is_empty() && !n.is_empty() && !n.contains('/'))
        .ok_or_else(|| settings_error(format!("{:?} is not OWNER/NAME", terminal(&repository))))?;
    let api_url = api_url
        .map(str::to_owned)
        .or_else(|| env("GITHUB_API_URL"))
        .unwrap_or_else(|| "https://api.github.com".to_owned())
        .trim_end_matches('/')
        .to_owned();
    if reqwest::Url::parse(&api_url).is_err() {
        return Err(settings_error("GITHUB_API_URL is not a URL".into()));
    }
    let graphql_url =
        env("GITHUB_GRAPHQL_URL").unwrap_or_else(|| match api_url.strip_suffix("/api/v3") {
            Some(host) => format!("{host}/api/graphql"),
            None => format!("{api_url}/graphql"),
        });
    Ok(Settings {
        api_url,
        graphql_url,
        owner: owner.to_owned(),
        name: name.to_owned(),
        token,
    })
}

/// The web address of the repository, for links.
fn web_repo(s: &Settings) -> String {
    let server = env("GITHUB_SERVER_URL").unwrap_or_else(|| {
        if s.api_url == "https://api.github.com" {
            "https://github.com".to_owned()
        } else {
            s.api_url.trim_end_matches("/api/v3").to_owned()
        }
    });
    format!("{}/{}/{}", server.trim_end_matches('/'), s.owner, s.name)
}

fn repo_path(p: &std::path::Path) -> Result<String, UserError> {
    let s = p.to_string_lossy().replace('\\', "/");
    let s = s.trim_start_matches("./").to_owned();
    if s.starts_with('/') || s.split('/').any(|c| c == "..") || s.is_empty() {
        return Err(settings_error(format!(
            "with --pr, {} must be a path inside the repository",
            terminal(&s)
        )));
    }
    Ok(s)
}

pub fn advance(
    cli: &Cli,
    now: DateTime<Utc>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let Command::Advance {
        date,
        dry_run,
        future,
        slack: to_slack,
        base,
        repo,
        api_url,
        branch,
        label,
        webhook_env,
        ..
    } = &cli.command
    else {
        bail!("internal: not an advance");
    };
    let settings = settings(repo.as_deref(), api_url.as_deref())?;
    // The webhook is checked once the base branch's rotation.yaml, which
    // may name its variable, is read, and before anything is written.
    let mut webhook = None;
    let mut check_slack = |rotation_text: &str| -> Result<()> {
        let var = webhook_env
            .clone()
            .unwrap_or_else(|| crate::config::webhook_env_in(rotation_text));
        webhook = super::webhook(*to_slack, *dry_run, &var)?;
        Ok(())
    };
    let paths = Paths {
        config: repo_path(&cli.config)?,
        log: repo_path(&cli.log)?,
        branch: branch.clone(),
        label: label.clone(),
        web_repo: web_repo(&settings),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // octocrab starts background tasks when it is built: inside the runtime.
    let _entered = runtime.enter();
    let client = Client::new(settings)?;
    let work = github::run(
        &client,
        base.as_deref(),
        &paths,
        github::When {
            date: *date,
            now,
            dry_run: *dry_run,
            future: *future,
        },
        &mut check_slack,
    );
    let outcome = runtime
        .block_on(tokio::time::timeout(github::client::RUN_BUDGET, work))
        .map_err(|_| {
            anyhow::anyhow!(
                "GitHub did not finish within {} s: run again later",
                github::client::RUN_BUDGET.as_secs()
            )
        })??;
    for w in &outcome.warnings {
        writeln!(err, "warning: {}", terminal(w))?;
    }
    for m in &outcome.messages {
        writeln!(out, "{}", terminal(m))?;
    }
    if *dry_run {
        print_dry_run(&outcome, &paths, out)?;
    }
    if let Some(d) = &outcome.decision
        && let Some(h) = &d.handover
    {
        writeln!(out, "{}", terminal(&handover::title(h)))?;
    }
    if let Some(url) = &outcome.pr_url {
        writeln!(out, "pull request: {}", terminal(url))?;
    }
    let announced = match to_slack {
        true => announce(&client, &runtime, &outcome, &paths, webhook.as_ref(), out),
        false => Ok(()),
    };
    if !*dry_run {
        record_in_actions(
            &outcome,
            &paths,
            &super::slack_status(&announced, *to_slack),
        )?;
    }
    writeln!(err, "GitHub requests: {}", client.requests())?;
    // The user group follows the handover (from the base branch's
    // rotation.yaml), whatever happened to the Slack post.
    let grouped = match (&outcome.decision, &outcome.base_files) {
        (Some(d), Some((rotation_text, _))) => match &d.handover {
            Some(h) => match load_base(&outcome, &paths, rotation_text) {
                Ok((rot, _)) => super::sync_usergroup(&rot, Some(h), *dry_run, out),
                Err(_) => Ok(()),
            },
            None => Ok(()),
        },
        _ => Ok(()),
    };
    announced?;
    grouped
}

/// A rotation file of the run, with the base branch's calendars.
fn load_base(
    outcome: &Outcome,
    paths: &Paths,
    text: &str,
) -> Result<(crate::config::Rotation, crate::diag::Report), crate::diag::InvalidInput> {
    crate::config::load_from(
        &paths.config,
        &paths.config,
        text,
        &mut outcome.calendars.clone(),
    )
}

/// The step summary and outputs of a `--pr` run.
fn record_in_actions(outcome: &Outcome, paths: &Paths, slack: &str) -> Result<()> {
    let handover = outcome
        .decision
        .as_ref()
        .and_then(|d| d.handover.as_ref().map(|h| (d, h)));
    let pr_url = outcome.pr_url.as_deref();
    let Some((d, h)) = handover else {
        let why = outcome.messages.join("; ");
        return crate::actions::record_run(None, outcome.date, &why, pr_url, slack);
    };
    let rotation_text = d.files.as_ref().map(|f| f.0.as_str()).unwrap_or_default();
    let (rot, _) = load_base(outcome, paths, rotation_text).map_err(UserError::from)?;
    let log_text = d.files.as_ref().map(|f| f.1.as_str());
    crate::actions::record_run(Some((&rot, h, log_text)), outcome.date, "", pr_url, slack)
}

fn print_dry_run(outcome: &Outcome, paths: &Paths, out: &mut dyn Write) -> Result<()> {
    let Some(d) = &outcome.decision else {
        return Ok(());
    };
    writeln!(out, "Dry run: no write request is made.\n")?;
    let action = if d.pr_id.is_some() { "update" } else { "open" };
    writeln!(
        out,
        "Would {action} the pull request `{}` → `{}`:",
        paths.branch, outcome.base
    )?;
    writeln!(out, "title: {}", terminal(&d.title))?;
    writeln!(
        out,
        "body:\n{}",
        d.body.lines().map(terminal).collect::<Vec<_>>().join("\n")
    )?;
    writeln!(out, "branch: {:?}", d.branch)?;
    if let (Some((rotation, log)), Some((base_rotation, base_log))) =
        (&d.files, &outcome.base_files)
    {
        writeln!(
            out,
            "\nThe files on the branch, against `{}`:",
            outcome.base
        )?;
        write_diff(out, &paths.config, base_rotation, rotation, None)?;
        write_diff(out, &paths.log, base_log, log, None)?;
    }
    if !d.reviewers.is_empty() {
        writeln!(
            out,
            "review requested from: {}",
            d.reviewers
                .iter()
                .map(|r| format!("@{r}"))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    Ok(())
}

fn announce(
    client: &Client,
    runtime: &tokio::runtime::Runtime,
    outcome: &Outcome,
    paths: &Paths,
    webhook: Option<&reqwest::Url>,
    out: &mut dyn Write,
) -> Result<()> {
    let (Some(d), Some(date)) = (&outcome.decision, outcome.date) else {
        writeln!(out, "Slack: nothing to post.")?;
        return Ok(());
    };
    let Some(h) = &d.handover else { return Ok(()) };
    let (rotation_text, _) = d.files.clone().unwrap_or_default();
    let (rot, _) = load_base(outcome, paths, &rotation_text).map_err(UserError::from)?;
    let links = slack::Links {
        pr: outcome.pr_url.clone(),
        log: d.log_line.map(|l| {
            format!(
                "{}/blob/{}/{}#L{l}",
                paths.web_repo, paths.branch, paths.log
            )
        }),
    };
    let payload = slack::handover_message(&rot, h, d.missed.clone(), links);
    let mut record = PrRecord {
        client,
        runtime,
        outcome,
        date,
    };
    super::post_once(&mut record, &payload, date, webhook, runtime, out)
}

/// The pull request backend's record: a marker in the pull request's body,
/// after a compare-and-swap claim on the claim ref.
struct PrRecord<'a> {
    client: &'a Client,
    runtime: &'a tokio::runtime::Runtime,
    outcome: &'a Outcome,
    date: chrono::NaiveDate,
}

impl super::SlackRecord for PrRecord<'_> {
    fn announced(&self) -> bool {
        self.outcome
            .pr_body
            .as_deref()
            .is_some_and(|b| b.contains(&handover::slack_marker(self.date)))
    }
    fn claim(&mut self) -> Result<Option<String>> {
        // Of two runs at once, only the one that claims the day posts.
        Ok(
            match self
                .runtime
                .block_on(github::claim_slack(self.client, self.outcome))?
            {
                true => None,
                false => Some(format!(
                    "is being announced by another run (the claim `{}` points at today's handover); not posting. If no message arrives, post it by hand.",
                    terminal(&self.outcome.claim_ref)
                )),
            },
        )
    }
    fn record(&mut self) -> Result<()> {
        if let (Some(id), Some(body)) = (&self.outcome.pr_id, &self.outcome.pr_body) {
            self.runtime
                .block_on(github::record_slack(self.client, id, body, self.date))
                .context("Slack was told, but recording it on the pull request failed")?;
        }
        Ok(())
    }
    fn release(&mut self) {
        let _ = self
            .runtime
            .block_on(github::release_slack(self.client, self.outcome));
    }
}

/// `oncall assign`: routes an issue to today's on-call engineer.
pub(super) fn assign(
    cli: &Cli,
    now: chrono::DateTime<chrono::Utc>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let Command::Assign {
        issue,
        repo,
        api_url,
        date,
        dry_run,
    } = &cli.command
    else {
        bail!("internal: not an assign");
    };
    // The event, when no issue is given: untrusted JSON, only compared.
    let event = match issue {
        Some(_) => None,
        None => {
            let name = env("GITHUB_EVENT_NAME").ok_or_else(|| {
                settings_error("give --issue N, or run in GitHub Actions (GITHUB_EVENT_NAME and GITHUB_EVENT_PATH name the event)".into())
            })?;
            let path = env("GITHUB_EVENT_PATH")
                .ok_or_else(|| settings_error("GITHUB_EVENT_PATH is not set".into()))?;
            let text = crate::fsio::read_text(std::path::Path::new(&path), false)
                .map_err(UserError::from)?;
            let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                settings_error(format!("the event at GITHUB_EVENT_PATH is not JSON: {e}"))
            })?;
            Some((name, json))
        }
    };
    let number = match (issue, &event) {
        (Some(n), _) => *n,
        (None, Some((name, json))) => match json["issue"]["number"].as_u64() {
            Some(n) => n,
            None => {
                writeln!(
                    out,
                    "nothing to do: the {} event names no issue",
                    terminal(name)
                )?;
                return Ok(());
            }
        },
        (None, None) => bail!("internal: no issue and no event"),
    };
    let settings = settings(repo.as_deref(), api_url.as_deref())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let _entered = runtime.enter();
    let client = Client::new(settings)?;
    let config = repo_path(&cli.config)?;
    let route = |rot: &crate::config::Rotation| match &event {
        None => crate::routing::Route::Assign(number),
        Some((name, json)) => crate::routing::route(name, json, rot),
    };
    let today = |rot: &crate::config::Rotation| {
        date.unwrap_or_else(|| crate::calendar::today(rot.timezone, now))
    };
    let work = github::assign::run(&client, &config, number, route, today, *dry_run);
    let said = runtime
        .block_on(tokio::time::timeout(github::client::RUN_BUDGET, work))
        .map_err(|_| anyhow::anyhow!("GitHub did not answer in time: run again later"))??;
    writeln!(out, "{}", terminal(&said))?;
    writeln!(err, "GitHub requests: {}", client.requests())?;
    Ok(())
}

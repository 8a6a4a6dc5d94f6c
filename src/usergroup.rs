//! The @oncall handle in Slack: the daily run sets a user group's members
//! to today's on-call engineer (`usergroups.users.update`, Slack's Web
//! API), with the webhook's failure discipline: 429 waits for its
//! `Retry-After`, Slack's `ok: false` codes come back with a hint, the
//! token is never printed, and a failure never undoes the handover.

use crate::http;
use serde_json::json;
use std::fmt;
use std::time::Duration;

/// Slack's Web API, unless `SLACK_API_URL` says otherwise (the tests' fake).
pub const DEFAULT_API_URL: &str = "https://slack.com/api";

/// Why the user group was not updated. Never contains the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupError {
    /// Slack answered `ok: false` with this code (or an HTTP error).
    Refused(String),
    /// No answer in time.
    Timeout,
    /// The connection failed on every try.
    Connection(String),
}

impl GroupError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            GroupError::Timeout | GroupError::Connection(_) => {
                "Slack could not be reached; the next run sets the group again"
            }
            GroupError::Refused(code) => match code.as_str() {
                "not_allowed_token_type" => {
                    "SLACK_BOT_TOKEN must be the bot token (xoxb-…) of a Slack app, not a user or webhook token"
                }
                "missing_scope" => {
                    "the Slack app lacks the usergroups:write scope: add it (OAuth & Permissions → Bot Token Scopes) and reinstall the app"
                }
                "no_such_subteam" => {
                    "slack.usergroup in rotation.yaml names no user group of this workspace: copy the group's ID (S…)"
                }
                "invalid_auth" | "not_authed" | "token_revoked" | "account_inactive" => {
                    "SLACK_BOT_TOKEN is not valid (mistyped, revoked, or its app was removed): update the secret"
                }
                "permission_denied" | "restricted_action" => {
                    "the workspace lets only admins change user groups: ask an admin to allow the app"
                }
                "invalid_users" => {
                    "a Slack member ID in rotation.yaml is not a member of this workspace"
                }
                "ratelimited" | "rate_limited" => {
                    "Slack rate-limited the app; the next run sets the group again"
                }
                _ => "see Slack's documentation of usergroups.users.update for this code",
            },
        }
    }
}

impl fmt::Display for GroupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupError::Refused(code) => {
                write!(f, "Slack refused to update the user group: {code}")
            }
            GroupError::Timeout => write!(f, "Slack did not answer in time"),
            GroupError::Connection(e) => write!(f, "could not reach Slack: {e}"),
        }?;
        write!(f, ". {}", self.hint())
    }
}

impl std::error::Error for GroupError {}

/// Slack's `error` code from an answer, as a short snake_case word only
/// (the body is never echoed as is).
fn code_of(body: &serde_json::Value) -> String {
    match body["error"].as_str() {
        Some(c)
            if !c.is_empty()
                && c.len() <= 64
                && c.chars().all(|c| c.is_ascii_lowercase() || c == '_') =>
        {
            c.to_owned()
        }
        _ => "unexpected_answer".to_owned(),
    }
}

/// Sets the group's members to `users` (Slack member IDs).
pub async fn set_members(
    client: &reqwest::Client,
    api: &str,
    token: &str,
    group: &str,
    users: &[String],
) -> Result<(), GroupError> {
    let url = format!("{}/usergroups.users.update", api.trim_end_matches('/'));
    let body = json!({ "usergroup": group, "users": users.join(",") });
    let mut last = GroupError::Connection("no attempt".into());
    for attempt in 1..=http::MAX_TRIES {
        let sent = client
            .post(&url)
            .bearer_auth(token)
            .json(&body)
            .send()
            .await;
        let wait = match sent {
            Ok(resp) => {
                let status = resp.status();
                let retry_after = http::retry_after(resp.headers());
                let answer: serde_json::Value = resp.json().await.unwrap_or_default();
                if status.as_u16() == 429 {
                    last = GroupError::Refused("ratelimited".into());
                    match retry_after {
                        Some(d) if d <= http::MAX_RETRY_AFTER => d,
                        Some(_) => return Err(last),
                        None => http::backoff(attempt),
                    }
                } else if status.is_server_error() {
                    last = GroupError::Refused(format!("http_{}", status.as_u16()));
                    http::backoff(attempt)
                } else if answer["ok"] == true {
                    return Ok(());
                } else {
                    return Err(GroupError::Refused(code_of(&answer)));
                }
            }
            Err(e) if e.is_timeout() => return Err(GroupError::Timeout),
            Err(e) => {
                let e = e.without_url();
                last = GroupError::Connection(e.to_string());
                if !e.is_connect() && !e.is_request() {
                    return Err(last);
                }
                http::backoff(attempt)
            }
        };
        if attempt < http::MAX_TRIES {
            tokio::time::sleep(wait.min(Duration::from_secs(60))).await;
        }
    }
    Err(last)
}

//! The @oncall handle in Slack: the daily run sets a user group's members
//! to today's on-call engineer (`usergroups.users.update`, Slack's Web
//! API), with the webhook's failure discipline: 429 waits for its
//! `Retry-After`, Slack's `ok: false` codes come back with a hint, the
//! token is never printed, and a failure never undoes the handover.

use crate::http;
use serde_json::json;
use std::fmt;

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
    http::retrying(|attempt| {
        let body = &body;
        let url = &url;
        async move {
            let sent = client.post(url).bearer_auth(token).json(body).send().await;
            let resp = match sent {
                Ok(resp) => resp,
                Err(e) if e.is_timeout() => return Err(http::Failed::stop(GroupError::Timeout)),
                Err(e) => {
                    let e = e.without_url();
                    let error = GroupError::Connection(e.to_string());
                    return Err(match e.is_connect() || e.is_request() {
                        true => http::Failed::retry(error, http::backoff(attempt)),
                        false => http::Failed::stop(error),
                    });
                }
            };
            let status = resp.status().as_u16();
            let retry_after = http::retry_after(resp.headers());
            let answer: serde_json::Value = resp.json().await.unwrap_or_default();
            match status {
                429 => Err(http::Failed {
                    error: GroupError::Refused("ratelimited".into()),
                    retry_in: http::wait_after(status, retry_after, attempt),
                }),
                500..=599 => Err(http::Failed {
                    error: GroupError::Refused(format!("http_{status}")),
                    retry_in: http::wait_after(status, retry_after, attempt),
                }),
                _ if answer["ok"] == true => Ok(()),
                _ => Err(http::Failed::stop(GroupError::Refused(code_of(&answer)))),
            }
        }
    })
    .await
}

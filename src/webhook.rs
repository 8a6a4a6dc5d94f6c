//! The Slack incoming webhook: posts a Block Kit message (built by
//! `oncall_core::slack`), with the one retry policy of `http`.

use crate::http;

use reqwest::Url;
use serde_json::Value;
use std::fmt;

/// Whether a post must be recorded as made, so that a rerun does not post
/// again: it was, or it timed out (Slack may well have posted; at most
/// once a day, the error says to check).
pub fn counts_as_posted(posted: &Result<(), SlackError>) -> bool {
    matches!(posted, Ok(()) | Err(SlackError::Timeout))
}

/// Why posting to Slack failed. Never contains the webhook URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlackError {
    /// The webhook's variable (SLACK_WEBHOOK_URL, or rotation.yaml's
    /// `slack.webhook_env`) is missing or not an http(s) URL.
    NotConfigured { var: String, why: &'static str },
    /// Slack answered with an error code (not retried, or retries used up).
    Refused { status: u16, code: String },
    /// No answer in time (not retried: Slack may have posted).
    Timeout,
    /// The connection failed on every try.
    Connection(String),
}

impl SlackError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            SlackError::NotConfigured { .. } => {
                "set it to the incoming webhook's URL (in GitHub: a repository secret of that name, passed in the step's env), or leave out --slack"
            }
            SlackError::Timeout => {
                "Slack did not answer in time, so the message was probably posted and is recorded as posted; check the channel, and if it is missing, post the handover by hand"
            }
            SlackError::Connection(_) => "Slack could not be reached; run again later",
            SlackError::Refused { code, status } => match code.as_str() {
                "invalid_payload"
                | "invalid_blocks"
                | "invalid_blocks_format"
                | "too_many_attachments" => {
                    "Slack refused the message's format: please report this (see it with --dry-run --slack)"
                }
                "channel_not_found" => {
                    "the webhook's channel no longer exists: create a new incoming webhook for the channel and update SLACK_WEBHOOK_URL"
                }
                "channel_is_archived" => {
                    "the webhook's channel is archived: unarchive it, or create a webhook for another channel and update SLACK_WEBHOOK_URL"
                }
                "action_prohibited" => {
                    "a Slack admin restricted posting in this channel: ask them to allow the app, or use another channel"
                }
                "posting_to_general_channel_denied" => {
                    "only admins may post in this channel: choose another channel for the webhook"
                }
                "no_service" | "no_service_id" | "no_team" | "team_disabled" | "invalid_token" => {
                    "the webhook was disabled or removed: create a new incoming webhook and update SLACK_WEBHOOK_URL"
                }
                "rate_limited" => "Slack rate-limited the webhook; run again in a few minutes",
                _ if *status >= 500 => {
                    "Slack is having trouble; run again later (the message posts once)"
                }
                _ => "see Slack's incoming webhook errors for this code",
            },
        }
    }
}

impl fmt::Display for SlackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlackError::NotConfigured { var, why } => write!(f, "Slack: {var} {why}"),
            SlackError::Refused { status, code } => {
                write!(f, "Slack refused the message: {code} (HTTP {status})")
            }
            SlackError::Timeout => write!(f, "Slack did not answer in time"),
            SlackError::Connection(e) => write!(f, "could not reach Slack: {e}"),
        }?;
        write!(f, ". {}", self.hint())
    }
}

impl std::error::Error for SlackError {}

/// The webhook URL in the variable `var`, checked without ever printing it.
pub fn webhook_url(var: &str, value: Option<String>) -> Result<reqwest::Url, SlackError> {
    let fail = |why| SlackError::NotConfigured {
        var: var.to_owned(),
        why,
    };
    let v = value
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| fail("is not set"))?;
    let url = reqwest::Url::parse(v.trim()).map_err(|_| fail("is not a URL"))?;
    match url.scheme() {
        "https" | "http" => Ok(url),
        _ => Err(fail("is not an http(s) URL")),
    }
}

/// Slack's error code from a response body: a short snake_case word, or
/// `http_error` (the body is never echoed as is).
fn error_code(body: &str) -> String {
    let word = body.trim();
    if !word.is_empty()
        && word.len() <= 64
        && word.chars().all(|c| c.is_ascii_lowercase() || c == '_')
    {
        word.to_owned()
    } else {
        "http_error".to_owned()
    }
}

/// Posts the payload: 429 waits for `Retry-After`; 5xx and failed
/// connections are retried with backoff, at most [`http::MAX_TRIES`] tries in
/// all; other errors are not retried.
pub async fn post(client: &reqwest::Client, url: &Url, payload: &Value) -> Result<(), SlackError> {
    http::retrying(|attempt| async move {
        let resp = match client.post(url.clone()).json(payload).send().await {
            Ok(resp) => resp,
            Err(e) if e.is_timeout() => return Err(http::Failed::stop(SlackError::Timeout)),
            Err(e) => {
                let e = e.without_url();
                let error = SlackError::Connection(describe(&e));
                return Err(match e.is_connect() || e.is_request() {
                    true => http::Failed::retry(error, http::backoff(attempt)),
                    false => http::Failed::stop(error),
                });
            }
        };
        let status = resp.status().as_u16();
        let retry_after = http::retry_after(resp.headers());
        let body = resp.text().await.unwrap_or_default();
        if (200..300).contains(&status) {
            return Ok(());
        }
        let code = match (status, error_code(&body)) {
            (429, c) if c == "http_error" => "rate_limited".to_owned(),
            (_, c) => c,
        };
        let error = SlackError::Refused { status, code };
        Err(http::Failed {
            error,
            retry_in: http::wait_after(status, retry_after, attempt),
        })
    })
    .await
}

/// A reqwest error's chain, without the URL.
fn describe(e: &reqwest::Error) -> String {
    let mut s = if e.is_connect() {
        "connection failed".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    s
}

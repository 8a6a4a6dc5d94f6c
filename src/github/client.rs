//! The one GitHub client: octocrab, on the shared reqwest client, with a
//! pinned API version, timeouts, and a retry policy written out here
//! (octocrab's own retry would re-send POSTs blindly, so it is off).

use crate::http;
use anyhow::{Context, Result};
use octocrab::Octocrab;
use serde_json::{Value, json};
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The REST API version the program is written against.
pub const API_VERSION: &str = "2022-11-28";
/// A whole run's network time is bounded by this.
pub const RUN_BUDGET: Duration = Duration::from_secs(120);

/// Where and as whom to talk to GitHub.
#[derive(Clone)]
pub struct Settings {
    /// e.g. https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.
    pub api_url: String,
    /// e.g. https://api.github.com/graphql, or https://HOST/api/graphql.
    pub graphql_url: String,
    pub owner: String,
    pub name: String,
    pub token: String,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("api_url", &self.api_url)
            .field("owner", &self.owner)
            .field("name", &self.name)
            .field("token", &"***")
            .finish()
    }
}

/// Why a GitHub request failed. Never contains the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitHubError {
    /// No answer: the connection failed or timed out. `host`: the host
    /// (and port) asked, from the API's URL (no path, user or password).
    Transport { message: String, host: String },
    /// An HTTP error status, with GitHub's message.
    Http {
        status: u16,
        message: String,
        request_id: Option<String>,
    },
    /// A GraphQL error (GitHub answered 200): its `type` (e.g. `NOT_FOUND`,
    /// `STALE_DATA`) and the first element of its `path`, the mutation's
    /// alias (e.g. `commit`).
    GraphQl {
        kind: Option<String>,
        path: Option<String>,
        message: String,
        request_id: Option<String>,
    },
    /// An answer that is not GitHub's JSON (a proxy's error page), or one
    /// without data.
    Malformed {
        message: String,
        request_id: Option<String>,
    },
}

impl GitHubError {
    /// The HTTP status GitHub answered with, for an HTTP error.
    pub fn status(&self) -> Option<u16> {
        match self {
            GitHubError::Http { status, .. } => Some(*status),
            _ => None,
        }
    }
    /// A GraphQL error's `type`.
    pub fn kind(&self) -> Option<&str> {
        match self {
            GitHubError::GraphQl { kind, .. } => kind.as_deref(),
            _ => None,
        }
    }
    /// A GraphQL error's path: the alias of the mutation that failed.
    pub fn path(&self) -> Option<&str> {
        match self {
            GitHubError::GraphQl { path, .. } => path.as_deref(),
            _ => None,
        }
    }
    /// GitHub's message (for a GraphQL error, after its path).
    pub fn message(&self) -> &str {
        match self {
            GitHubError::Transport { message, .. }
            | GitHubError::Http { message, .. }
            | GitHubError::GraphQl { message, .. }
            | GitHubError::Malformed { message, .. } => message,
        }
    }
    /// Worth trying again: no answer, not GitHub's answer, a rate limit or
    /// a server error.
    pub fn retryable(&self) -> bool {
        match self {
            GitHubError::Transport { .. } | GitHubError::Malformed { .. } => true,
            GitHubError::Http { status, .. } => matches!(status, 429 | 500 | 502 | 503 | 504),
            GitHubError::GraphQl { kind, .. } => kind.as_deref() == Some("RATE_LIMITED"),
        }
    }
    /// GitHub may have done what was asked without our knowing: no answer,
    /// or a server's error.
    pub fn unanswered(&self) -> bool {
        match self {
            GitHubError::Transport { .. } | GitHubError::Malformed { .. } => true,
            GitHubError::Http { status, .. } => *status >= 500,
            GitHubError::GraphQl { .. } => false,
        }
    }
    /// What to do about it, when known.
    pub fn hint(&self) -> Option<String> {
        match self {
            GitHubError::Transport { host, .. } if host == "api.github.com" => {
                Some("GitHub may be unavailable; run again later".into())
            }
            GitHubError::Transport { .. } => Some(
                "Check the API's address (--api-url, GITHUB_API_URL, GITHUB_GRAPHQL_URL), or run again later".into(),
            ),
            GitHubError::Http {
                status, message, ..
            } => hint_for(*status, message),
            GitHubError::GraphQl { message, .. } => hint_for(200, message),
            GitHubError::Malformed { .. } => None,
        }
    }
    fn request_id(&self) -> Option<&str> {
        match self {
            GitHubError::Http { request_id, .. }
            | GitHubError::GraphQl { request_id, .. }
            | GitHubError::Malformed { request_id, .. } => request_id.as_deref(),
            GitHubError::Transport { .. } => None,
        }
    }
}

impl fmt::Display for GitHubError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GitHubError::Transport { message, .. } => write!(f, "{message}")?,
            GitHubError::Http {
                status, message, ..
            } => write!(f, "GitHub answered HTTP {status}: {message}")?,
            GitHubError::GraphQl { message, .. } => write!(f, "GitHub answered: {message}")?,
            GitHubError::Malformed { message, .. } => write!(f, "{message}")?,
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        if let Some(h) = self.hint() {
            write!(f, ". {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for GitHubError {}

/// GitHub's known answers, turned into what to do.
fn hint_for(status: u16, message: &str) -> Option<String> {
    if message.contains("not permitted to create or approve pull requests") {
        return Some("allow it in the repository's Settings → Actions → General → Workflow permissions: tick \"Allow GitHub Actions to create and approve pull requests\" (or use a GitHub App token)".into());
    }
    match status {
        401 => Some("the token is invalid or expired: check GITHUB_TOKEN".into()),
        403 | 404 if message.contains("Resource not accessible") => Some(
            "the token lacks a permission: the workflow needs `contents: write` and `pull-requests: write`".into(),
        ),
        404 => Some("check GITHUB_REPOSITORY (owner/name) and that the token can see the repository".into()),
        _ => None,
    }
}

/// The client, and a count of the requests it made.
pub struct Client {
    octo: Octocrab,
    settings: Settings,
    requests: AtomicUsize,
    started: Instant,
}

/// A response: status, the headers we use, and the body.
struct Raw {
    status: u16,
    retry_after: Option<Duration>,
    rate_reset_wait: Option<Duration>,
    request_id: Option<String>,
    body: String,
}

impl Client {
    /// `http`: the program's one HTTP client (`http::Net`). octocrab
    /// starts background tasks when it is built: call it inside the
    /// runtime (`Net::enter`).
    pub fn new(settings: Settings, http: reqwest::Client) -> Result<Client> {
        let octo = Octocrab::builder()
            .personal_token(settings.token.clone())
            .base_uri(settings.api_url.as_str())
            .context("GITHUB_API_URL is not a valid URL")?
            .add_header(
                http::header_name("x-github-api-version"),
                API_VERSION.to_owned(),
            )
            .build_with_reqwest(http)
            .context("could not set up the GitHub client")?;
        Ok(Client {
            octo,
            settings,
            requests: AtomicUsize::new(0),
            started: Instant::now(),
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// How many HTTP requests were sent so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    async fn post_once(&self, url: &str, body: &Value) -> Result<Raw, GitHubError> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let resp = self
            .octo
            ._post(url, Some(body))
            .await
            .map_err(|e| transport_error(&e, url))?;
        read(&self.octo, resp, url).await
    }

    async fn get_once(&self, url: &str, accept: &str) -> Result<Raw, GitHubError> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header_name("accept"),
            accept.parse().expect("a header value"),
        );
        let resp = self
            .octo
            ._get_with_headers(url, Some(headers))
            .await
            .map_err(|e| transport_error(&e, url))?;
        read(&self.octo, resp, url).await
    }

    /// How long to wait before a retry, as GitHub asks: `retry-after`, else
    /// until `x-ratelimit-reset` when none is left, else backoff. None: do
    /// not retry (not retryable, or over the run's budget). The number of
    /// tries and the longest wait are `http::retrying`'s.
    fn retry_wait(&self, err: &GitHubError, raw: Option<&Raw>, attempt: u32) -> Option<Duration> {
        let retryable = err.retryable() || raw.is_some_and(rate_limited);
        if !retryable {
            return None;
        }
        let wait = raw
            .and_then(|r| r.retry_after.or(r.rate_reset_wait))
            .unwrap_or_else(|| http::backoff(attempt));
        (self.started.elapsed() + wait <= RUN_BUDGET).then_some(wait)
    }

    /// Runs `once` with the one retry policy (`http::retrying`), when
    /// `may_retry` allows and [`Self::retry_wait`] gives a wait.
    async fn retrying<T, Fut>(
        &self,
        mut once: impl FnMut() -> Fut,
        may_retry: impl Fn(&GitHubError, Option<&Raw>) -> bool,
    ) -> Result<T, GitHubError>
    where
        Fut: std::future::Future<Output = Result<T, (GitHubError, Option<Raw>)>>,
    {
        let may_retry = &may_retry;
        http::retrying(|attempt| {
            let tried = once();
            async move {
                tried.await.map_err(|(error, raw)| {
                    let retry_in = match may_retry(&error, raw.as_ref()) {
                        true => self.retry_wait(&error, raw.as_ref(), attempt),
                        false => None,
                    };
                    http::Failed { error, retry_in }
                })
            }
        })
        .await
    }

    /// One GraphQL request: `data` and the GraphQL errors, or the failure.
    async fn graphql_once(
        &self,
        body: &Value,
    ) -> Result<(Value, Vec<GitHubError>), (GitHubError, Option<Raw>)> {
        let raw = self
            .post_once(&self.settings.graphql_url, body)
            .await
            .map_err(|e| (e, None))?;
        if raw.status != 200 {
            return Err((http_error(&raw), Some(raw)));
        }
        // An answer that is not JSON (a proxy's error page) is treated as a
        // bad gateway.
        let Ok(v) = serde_json::from_str::<Value>(&raw.body) else {
            return Err((malformed(&raw), Some(raw)));
        };
        let errors = graphql_errors(&v, &raw);
        Ok((v.get("data").cloned().unwrap_or(Value::Null), errors))
    }

    /// A GraphQL query (read-only, so retried). Returns `data`; a GraphQL
    /// error fails it (`RATE_LIMITED` counts as a 429, and is retried).
    pub async fn query(&self, document: &str, variables: Value) -> Result<Value, GitHubError> {
        let body = json!({ "query": document, "variables": variables });
        self.retrying(
            || async {
                let (data, errors) = self.graphql_once(&body).await?;
                if let Some(first) = errors.into_iter().next() {
                    return Err((first, None));
                }
                if data.is_null() {
                    let message = "GitHub's answer had no data".into();
                    return Err((
                        GitHubError::Malformed {
                            message,
                            request_id: None,
                        },
                        None,
                    ));
                }
                Ok(data)
            },
            |_, _| true,
        )
        .await
    }

    /// A GraphQL mutation document. A rate-limit answer (429, or 403 with
    /// `retry-after` or no requests left) means GitHub did not run it, so it
    /// is sent again after the wait. Any other failure is returned: the
    /// document is never re-sent blindly (the caller re-reads the state and
    /// decides again), unless `idempotent` says sending it twice is harmless
    /// (setting a body, adding reviewers or labels). Returns `data` and the
    /// errors of the mutations that failed (GitHub runs the others).
    pub async fn mutate_with(
        &self,
        document: &str,
        variables: Value,
        idempotent: bool,
    ) -> Result<(Value, Vec<GitHubError>), GitHubError> {
        let body = json!({ "query": document, "variables": variables });
        self.retrying(
            || self.graphql_once(&body),
            |_, raw| idempotent || raw.is_some_and(rate_limited),
        )
        .await
    }

    /// A mutation document that must not be sent twice (see [`Self::mutate_with`]).
    pub async fn mutate(
        &self,
        document: &str,
        variables: Value,
    ) -> Result<(Value, Vec<GitHubError>), GitHubError> {
        self.mutate_with(document, variables, false).await
    }

    /// A file's full text at a commit (for files too large for GraphQL's
    /// `text`), through the REST contents API; retried.
    pub async fn raw_file(&self, path: &str, oid: &str) -> Result<String, GitHubError> {
        let url = format!(
            "{}/repos/{}/{}/contents/{}?ref={}",
            self.settings.api_url.trim_end_matches('/'),
            self.settings.owner,
            self.settings.name,
            path.split('/').map(encode).collect::<Vec<_>>().join("/"),
            oid
        );
        self.retrying(
            || async {
                match self.get_once(&url, "application/vnd.github.raw+json").await {
                    Ok(raw) if raw.status == 200 => Ok(raw.body),
                    Ok(raw) => Err((http_error(&raw), Some(raw))),
                    Err(e) => Err((e, None)),
                }
            },
            |_, _| true,
        )
        .await
    }
}

impl Client {
    /// A user's permission on the repository (`admin`, `write`, `read`,
    /// `none`), through the REST API (GraphQL names only the viewer's);
    /// `none` when GitHub knows no such user. Retried like a read.
    pub async fn permission(&self, login: &str) -> Result<String, GitHubError> {
        let url = format!(
            "{}/repos/{}/{}/collaborators/{}/permission",
            self.settings.api_url.trim_end_matches('/'),
            self.settings.owner,
            self.settings.name,
            encode(login)
        );
        self.retrying(
            || async {
                match self.get_once(&url, "application/vnd.github+json").await {
                    Ok(raw) if raw.status == 200 => {
                        match serde_json::from_str::<Value>(&raw.body)
                            .ok()
                            .and_then(|v| v["permission"].as_str().map(str::to_owned))
                        {
                            Some(p) => Ok(p),
                            None => Err((malformed(&raw), Some(raw))),
                        }
                    }
                    Ok(raw) if raw.status == 404 => Ok("none".to_owned()),
                    Ok(raw) => Err((http_error(&raw), Some(raw))),
                    Err(e) => Err((e, None)),
                }
            },
            |_, _| true,
        )
        .await
    }
}

fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn read(
    octo: &Octocrab,
    resp: ::http::Response<http_body_util::combinators::BoxBody<bytes::Bytes, octocrab::Error>>,
    url: &str,
) -> Result<Raw, GitHubError> {
    let status = resp.status().as_u16();
    let h = resp.headers();
    let get = |name: &str| h.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let retry_after = get("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let rate_reset_wait = match (get("x-ratelimit-remaining"), get("x-ratelimit-reset")) {
        (Some(rem), Some(reset)) if rem.trim() == "0" => {
            reset.trim().parse::<i64>().ok().map(|reset| {
                let now = chrono::Utc::now().timestamp();
                Duration::from_secs((reset - now).clamp(1, 3600) as u64)
            })
        }
        _ => None,
    };
    let request_id = get("x-github-request-id").filter(|v| {
        v.len() <= 64
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '-')
    });
    let body = octo
        .body_to_string(resp)
        .await
        .map_err(|e| transport_error(&e, url))?;
    Ok(Raw {
        status,
        retry_after,
        rate_reset_wait,
        request_id,
        body,
    })
}

/// The host (and a port that is not the scheme's) of a request's URL, for
/// a message: never its path, query, user or password.
pub fn host_of(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            (None, _) => "an address without a host".to_owned(),
        },
        Err(_) => "an address that is not a URL".to_owned(),
    }
}

/// A transport failure (connection, timeout), naming the host asked.
/// octocrab's errors do not carry the token; they are reduced to their
/// kind anyway.
fn transport_error(e: &octocrab::Error, url: &str) -> GitHubError {
    let host = oncall_core::escape::terminal(&host_of(url));
    let mut message = format!("could not reach GitHub at {host}");
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        if let Some(re) = s.downcast_ref::<reqwest::Error>() {
            message = if re.is_timeout() {
                format!("GitHub at {host} did not answer in time")
            } else if re.is_connect() {
                format!("could not connect to GitHub at {host}")
            } else {
                format!("the connection to GitHub at {host} failed")
            };
            break;
        }
        source = s.source();
    }
    GitHubError::Transport { message, host }
}

fn clean(s: &str) -> String {
    oncall_core::escape::terminal(&s.chars().take(500).collect::<String>())
}

fn malformed(raw: &Raw) -> GitHubError {
    GitHubError::Malformed {
        message: "GitHub's answer was not the JSON expected".into(),
        request_id: raw.request_id.clone(),
    }
}

fn http_error(raw: &Raw) -> GitHubError {
    let message = serde_json::from_str::<Value>(&raw.body)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(clean))
        .unwrap_or_else(|| format!("HTTP {}", raw.status));
    GitHubError::Http {
        status: raw.status,
        message,
        request_id: raw.request_id.clone(),
    }
}

fn graphql_errors(v: &Value, raw: &Raw) -> Vec<GitHubError> {
    v.get("errors")
        .and_then(Value::as_array)
        .map(|errs| {
            errs.iter()
                .map(|e| {
                    let message =
                        clean(e.get("message").and_then(Value::as_str).unwrap_or("error"));
                    GitHubError::GraphQl {
                        kind: e.get("type").and_then(Value::as_str).map(clean),
                        path: e
                            .get("path")
                            .and_then(Value::as_array)
                            .and_then(|p| p.first())
                            .and_then(Value::as_str)
                            .map(clean),
                        request_id: raw.request_id.clone(),
                        message: match e
                            .get("path")
                            .and_then(Value::as_array)
                            .and_then(|p| p.first())
                            .and_then(Value::as_str)
                        {
                            Some(field) => format!("{field}: {message}"),
                            None => message,
                        },
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A rate-limit answer: GitHub did not run the request.
fn rate_limited(raw: &Raw) -> bool {
    raw.status == 429
        || (raw.status == 403 && (raw.retry_after.is_some() || raw.rate_reset_wait.is_some()))
}

//! Where and as whom to reach GitHub: from the flags and the environment
//! GitHub Actions provides.

use super::client::Settings;
use crate::env;
use crate::error::UserError;
use oncall_core::escape::terminal;

/// A usage problem with the GitHub settings: a user error (exit code 2).
fn settings_error(message: String) -> UserError {
    UserError::Usage(message)
}

/// Settings from the flags and the environment GitHub Actions provides.
pub fn settings(repo: Option<&str>, api_url: Option<&str>) -> Result<Settings, UserError> {
    let token = env::var("GITHUB_TOKEN").ok_or_else(|| {
        settings_error("GITHUB_TOKEN is not set: --pr needs a token that may write contents and pull requests (in a workflow: `env: GITHUB_TOKEN: ${{ github.token }}` or a GitHub App token)".into())
    })?;
    let repository = repo
        .map(str::to_owned)
        .or_else(|| env::var("GITHUB_REPOSITORY"))
        .ok_or_else(|| {
            settings_error("GITHUB_REPOSITORY is not set: pass --repo OWNER/NAME".into())
        })?;
    let (owner, name) = repository
        .split_once('/')
        .filter(|(o, n)| !o.is_empty() && !n.is_empty() && !n.contains('/'))
        .ok_or_else(|| settings_error(format!("{:?} is not OWNER/NAME", terminal(&repository))))?;
    let api_url = api_url
        .map(str::to_owned)
        .or_else(|| env::var("GITHUB_API_URL"))
        .unwrap_or_else(|| "https://api.github.com".to_owned())
        .trim_end_matches('/')
        .to_owned();
    if reqwest::Url::parse(&api_url).is_err() {
        return Err(settings_error("GITHUB_API_URL is not a URL".into()));
    }
    let graphql_url =
        env::var("GITHUB_GRAPHQL_URL").unwrap_or_else(|| match api_url.strip_suffix("/api/v3") {
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
pub fn web_repo(s: &Settings) -> String {
    let server = env::var("GITHUB_SERVER_URL").unwrap_or_else(|| {
        if s.api_url == "https://api.github.com" {
            "https://github.com".to_owned()
        } else {
            s.api_url.trim_end_matches("/api/v3").to_owned()
        }
    });
    format!("{}/{}/{}", server.trim_end_matches('/'), s.owner, s.name)
}

pub fn repo_path(p: &std::path::Path) -> Result<String, UserError> {
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

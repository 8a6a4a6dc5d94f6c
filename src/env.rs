//! The environment the program runs in: variables and the clock. Every
//! read of the environment goes through here.

use anyhow::Result;
use chrono::{DateTime, Utc};

/// A variable that is set and not blank.
pub fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Running in GitHub Actions.
pub fn in_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true")
}

/// The instant the program runs at: `ONCALL_NOW` (RFC 3339, for tests and
/// rehearsals) or the clock.
pub fn now() -> Result<DateTime<Utc>> {
    match std::env::var("ONCALL_NOW") {
        Ok(v) if !v.is_empty() => Ok(DateTime::parse_from_rfc3339(&v)
            .map_err(|e| anyhow::anyhow!("ONCALL_NOW={v:?} is not an RFC 3339 time ({e})"))?
            .with_timezone(&Utc)),
        _ => Ok(Utc::now()),
    }
}

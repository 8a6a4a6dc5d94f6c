//! The one HTTP client (reqwest on rustls with the ring provider), shared by
//! the Slack post and, through `OctocrabBuilder::build_with_reqwest`, by
//! octocrab; and the retry timing both follow.

use anyhow::{Context, Result};
pub use reqwest::header::HeaderMap;
use std::sync::OnceLock;
use std::time::Duration;

/// Connecting to a server may take this long.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest we wait for a `Retry-After`; a longer wait fails the run.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// Total tries of one request (the first and two retries).
pub const MAX_TRIES: u32 = 3;

/// The whole-request timeout: `ONCALL_HTTP_TIMEOUT` seconds, default 20.
pub fn request_timeout() -> Duration {
    std::env::var("ONCALL_HTTP_TIMEOUT")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|s| *s > 0.0 && *s <= 300.0)
        .map_or(Duration::from_secs(20), Duration::from_secs_f64)
}

/// The pause before retry number `retry` (1-based): 0.5 s, 1 s, 2 s, …
pub fn backoff(retry: u32) -> Duration {
    Duration::from_millis(500u64 << retry.saturating_sub(1).min(6))
}

/// A failed try and what the server asked for: wait this long and try
/// again (`Some`), or stop (`None`: not worth retrying).
pub struct Failed<E> {
    pub error: E,
    pub retry_in: Option<Duration>,
}

impl<E> Failed<E> {
    /// A failure not worth retrying.
    pub fn stop(error: E) -> Failed<E> {
        Failed {
            error,
            retry_in: None,
        }
    }
    /// A failure to retry after `wait`.
    pub fn retry(error: E, wait: Duration) -> Failed<E> {
        Failed {
            error,
            retry_in: Some(wait),
        }
    }
}

/// The one retry policy of the program (Slack's webhook and Web API,
/// GitHub): runs `once` (given the try's number, from 1) at most
/// [`MAX_TRIES`] times; after a failure that asks for a retry, waits as it
/// asks, unless the wait is over [`MAX_RETRY_AFTER`] (then the failure is
/// returned at once: a run does not sleep for minutes).
pub async fn retrying<T, E, Fut>(mut once: impl FnMut(u32) -> Fut) -> Result<T, E>
where
    Fut: std::future::Future<Output = Result<T, Failed<E>>>,
{
    let mut attempt = 1;
    loop {
        let failed = match once(attempt).await {
            Ok(v) => return Ok(v),
            Err(f) => f,
        };
        match failed.retry_in {
            Some(wait) if attempt < MAX_TRIES && wait <= MAX_RETRY_AFTER => {
                tokio::time::sleep(wait).await
            }
            _ => return Err(failed.error),
        }
        attempt += 1;
    }
}

/// How long to wait after an HTTP answer that asks for a retry: 429 waits
/// for `Retry-After` (or backs off), a 5xx backs off; `None` for any other
/// status (not retried).
pub fn wait_after(status: u16, retry_after: Option<Duration>, attempt: u32) -> Option<Duration> {
    match status {
        429 => Some(retry_after.unwrap_or_else(|| backoff(attempt))),
        500..=599 => Some(backoff(attempt)),
        _ => None,
    }
}

/// `Retry-After` in seconds, if present and sane.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// The program's network: one tokio runtime and one HTTP client, each
/// built once, when first needed (`oncall check` builds neither). `main`
/// makes the one `Net`; every request of the program goes through it.
#[derive(Default)]
pub struct Net {
    runtime: OnceLock<tokio::runtime::Runtime>,
    client: OnceLock<reqwest::Client>,
}

impl Net {
    pub fn new() -> Net {
        Net::default()
    }

    /// The single-threaded runtime.
    pub fn runtime(&self) -> Result<&tokio::runtime::Runtime> {
        if let Some(rt) = self.runtime.get() {
            return Ok(rt);
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("could not start the network runtime")?;
        Ok(self.runtime.get_or_init(|| rt))
    }

    /// Runs a future on the runtime, to completion.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> Result<F::Output> {
        Ok(self.runtime()?.block_on(f))
    }

    /// Runs a future on the runtime, giving up after `budget`: `None`
    /// when it took longer.
    pub fn block_on_within<F: std::future::Future>(
        &self,
        budget: Duration,
        f: F,
    ) -> Result<Option<F::Output>> {
        let run = async move { tokio::time::timeout(budget, f).await.ok() };
        Ok(self.runtime()?.block_on(run))
    }

    /// Enters the runtime (octocrab starts tasks when it is built).
    pub fn enter(&self) -> Result<tokio::runtime::EnterGuard<'_>> {
        Ok(self.runtime()?.enter())
    }

    /// The HTTP client.
    pub fn client(&self) -> Result<&reqwest::Client> {
        if let Some(c) = self.client.get() {
            return Ok(c);
        }
        let c = build_client()?;
        Ok(self.client.get_or_init(|| c))
    }
}

/// Builds the client: rustls with ring, timeouts set, no redirects (the
/// webhook URL must never be followed to, or leaked into, another host).
fn build_client() -> Result<reqwest::Client> {
    // Both octocrab and reqwest use rustls; one process-wide provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(request_timeout())
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("oncall/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("could not set up the HTTP client")
}

/// A header name from a static lowercase string.
pub fn header_name(name: &'static str) -> reqwest::header::HeaderName {
    reqwest::header::HeaderName::from_static(name)
}

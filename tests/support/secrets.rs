//! The secrets of the tests (the token, the webhook's secret path) and the
//! one check that no output shows them.

use super::fake_github::TOKEN;
use super::fake_slack::SECRET_PATH;

/// Panics if `text` shows the token, any secret part of the webhook's
/// path, or any of `also` (e.g. a webhook's whole URL). `::add-mask::`
/// lines are the runner's instruction to hide those values, not a leak.
pub fn assert_no_secret(text: &str, what: &str, also: &[&str]) {
    let visible: String = text
        .lines()
        .filter(|l| !l.starts_with("::add-mask::"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(
        !visible.contains(TOKEN),
        "{what}: the token leaked:\n{visible}"
    );
    assert!(
        !visible.contains("t0k3n"),
        "{what}: part of the token leaked:\n{visible}"
    );
    for part in SECRET_PATH
        .split('/')
        .filter(|p| !p.is_empty() && *p != "services")
    {
        assert!(
            !visible.contains(part),
            "{what}: part {part:?} of the webhook's secret path leaked:\n{visible}"
        );
    }
    for secret in also {
        assert!(
            !visible.contains(secret),
            "{what}: {secret:?} leaked:\n{visible}"
        );
    }
}

/// [`assert_no_secret`] on a process's stdout and stderr.
pub fn assert_output_has_no_secret(out: &std::process::Output, also: &[&str]) {
    assert_no_secret(&String::from_utf8_lossy(&out.stdout), "stdout", also);
    assert_no_secret(&String::from_utf8_lossy(&out.stderr), "stderr", also);
}

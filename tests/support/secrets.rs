//! The secrets of the tests: the token and the webhook's secret path.

use super::fake_github::TOKEN;
use super::fake_slack::SECRET_PATH;

/// Panics if `text` holds the token, or any secret part of the webhook.
pub fn assert_absent(text: &str, what: &str) {
    assert!(!text.contains(TOKEN), "{what}: the token leaked");
    assert!(!text.contains("t0k3n"), "{what}: part of the token leaked");
    for part in SECRET_PATH.split('/').filter(|p| p.len() > 8) {
        assert!(
            !text.contains(part),
            "{what}: the webhook's secret path leaked"
        );
    }
}

//! Where this binary comes from (recorded by `build.rs`): its version, the
//! commit and the GitHub repository it was built from, its target.

/// The version, as in Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The commit the binary was built from (`unknown` outside a Git checkout).
pub const COMMIT: &str = env!("ONCALL_COMMIT");
/// The GitHub repository (`OWNER/NAME`) whose releases the binary belongs
/// to: the one the workflows `oncall init` writes use as the action.
pub const REPOSITORY: &str = env!("ONCALL_REPOSITORY");
/// The target triple.
pub const TARGET: &str = env!("ONCALL_TARGET");

/// `oncall --version`: `1.0.0 (commit 0123456789ab, x86_64-unknown-linux-musl)`.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("ONCALL_COMMIT"),
    ", ",
    env!("ONCALL_TARGET"),
    ")"
);

/// The action reference for a workflow: `OWNER/NAME@vX.Y.Z`.
pub fn action_ref() -> String {
    format!("{REPOSITORY}@v{VERSION}")
}

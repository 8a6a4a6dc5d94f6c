//! The core of `oncall`, pure: it reads rotation.yaml, the calendars and
//! the log from their text, applies the rotation rules, decides the day
//! (the plan, the handover pull request) and renders every output (the
//! log section, the pull request's title and body, the Slack message, the
//! step summary, the calendar feed, the page, terminal text and JSON).
//!
//! No I/O: no file, environment, network, process, clock or printing.
//! Cargo.toml has no I/O dependency; clippy.toml and the lints below make
//! std's I/O an error (`cargo clippy -- -D warnings`); tests/structure.rs
//! checks both. The binary (`oncall`, the repository's `src/`) reads the
//! inputs, gives the core the time, and applies what the core returns.
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)]
#![deny(clippy::disallowed_methods, clippy::disallowed_types)]

pub mod actions;
pub mod archive;
mod bits;
pub mod calendar;
pub mod carry;
pub mod config;
pub mod conflicts;
pub mod daily;
pub mod day;
pub mod diag;
pub mod diff;
pub mod escape;
pub mod feed;
pub mod files;
pub mod holidays;
pub mod lint;
pub mod log;
pub mod log_format;
pub mod moved;
pub mod organisation;
pub mod plan;
pub mod pr;
pub mod render;
pub mod roster;
pub mod rotation;
pub mod routing;
pub mod schedule;
pub mod setup;
pub mod site;
pub mod slack;
pub mod slack_first;
pub mod stats;
pub mod swap;
pub mod swap_pr;
pub mod takeover;
pub mod topics;

/// The version of oncall (the workspace's, as in Cargo.toml).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

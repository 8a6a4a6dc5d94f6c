//! `oncall`: a team's daily on-call rotation, kept in a Git repository.
//!
//! The core is pure (config, calendar, rotation, log, plan): it takes the
//! files' text and "today" and returns a plan. The shell (`cli`, `fsio`)
//! reads the files, applies the plan, and prints.

pub mod actions;
pub mod app;
pub mod build_info;
pub mod calendar;
pub mod cli;
pub mod config;
pub mod conflicts;
pub mod day;
pub mod diag;
pub mod error;
pub mod escape;
pub mod feed;
pub mod files;
pub mod fsio;
pub mod github;
pub mod http;
pub mod layout;
pub mod lint;
pub mod log;
pub mod plan;
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
pub mod topics;
pub mod usergroup;

//! The integration tests, one crate: the fakes (`tests/support`) and the
//! helpers (`tests/common`) compile once, and the tests of every file run
//! in parallel in one process. The core's own tests (the rules, the log
//! format, properties, snapshots, fuzzing) are in crates/core/tests.

#[path = "../common/mod.rs"]
mod common;
#[path = "../support/mod.rs"]
mod support;

mod action;
mod adoption;
mod advance_output;
mod archive;
mod assign;
mod carried_links;
mod cli;
mod feed;
mod free_text;
mod github;
mod github_contract;
mod holidays;
mod hostile;
mod job_log;
mod layout;
mod limits;
mod links;
mod mistakes;
mod moved;
mod organisation;
mod organisation_init;
mod organisation_site;
mod ranges;
mod readme;
mod release;
mod reliability;
mod roster;
mod routing_org;
mod schema;
mod setup;
mod site;
mod slack;
mod stats;
mod structure;
mod substitutes;
mod swap_comment;
mod takeover;
mod takeover_pr;
mod time;
mod topics;
mod usergroup;
mod walkthrough;
mod workflows;

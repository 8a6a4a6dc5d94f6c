//! `oncall`, the program: the shell around the pure core (`oncall_core`,
//! crates/core). It reads the files (`fsio`, `layout`), the environment
//! and the clock (`env`), talks to GitHub (`github`) and Slack (`webhook`,
//! `usergroup`) over the one HTTP client (`http`), writes what GitHub
//! Actions reads (`actions`), and runs the commands (`commands`, one file
//! each); in Actions, what it prints passes through `joblog`. Decisions and
//! texts come from the core.

pub mod actions;
pub mod build_info;
pub mod cli;
pub mod commands;
pub mod env;
pub mod error;
pub mod fsio;
pub mod github;
pub mod http;
pub mod joblog;
pub mod layout;
pub mod usergroup;
pub mod webhook;

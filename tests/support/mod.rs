//! Local fake servers for the network tests.
#![allow(dead_code)]

pub mod fake_github;
pub mod fake_slack;
pub mod fake_slack_api;
pub mod graphql;
pub mod http;
pub mod repo;
pub mod secrets;
pub mod validators;

//! GitHub Actions: appends to the step summary and sets step outputs where
//! the runner reads them (`GITHUB_STEP_SUMMARY`, `GITHUB_OUTPUT`). What is
//! written is rendered by `oncall_core::actions`.

use anyhow::{Context, Result};
use oncall_core::config::Rotation;
use oncall_core::plan::Handover;
use std::path::Path;

/// Writes the step summary and outputs of a daily run
/// ([`oncall_core::actions::run_record`]).
pub fn record_run(
    handover: Option<(&Rotation, &Handover, Option<&str>)>,
    date: Option<chrono::NaiveDate>,
    no_handover: &str,
    pr_url: Option<&str>,
    slack: &str,
) -> Result<()> {
    let (summary, outputs) =
        oncall_core::actions::run_record(handover, date, no_handover, pr_url, slack);
    append_summary(&summary)?;
    set_outputs(&outputs)
}

/// Appends Markdown to the step summary when running in Actions
/// (`GITHUB_STEP_SUMMARY`); does nothing elsewhere.
pub fn append_summary(markdown: &str) -> Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    append(Path::new(&path), markdown).context("writing the step summary")
}

/// Sets step outputs (`GITHUB_OUTPUT`). Values are single-line; anything
/// else is refused rather than written (it could forge another output).
pub fn set_outputs(outputs: &[(&str, String)]) -> Result<()> {
    let Some(path) = std::env::var_os("GITHUB_OUTPUT").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut text = String::new();
    for (name, value) in outputs {
        if value.contains(['\n', '\r']) {
            anyhow::bail!("the output {name} would span lines");
        }
        text.push_str(&format!("{name}={value}\n"));
    }
    append(Path::new(&path), &text).context("writing the step outputs")
}

fn append(path: &Path, text: &str) -> std::io::Result<()> {
    crate::fsio::append_runner_file(path, text)
}

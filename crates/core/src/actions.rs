//! GitHub Actions, as text: workflow-command annotations, the step summary
//! and the step outputs of a daily run. Text from the files is escaped so it
//! can never be read as a workflow command (`::set-output`, `::add-mask::`
//! and the like). The binary's `actions` module writes them where the
//! runner reads them.

use crate::diag::{Report, Severity};

/// How many of the next working days the step summary shows.
pub const UPCOMING: u32 = 10;

/// One annotation per problem: `::error file=F,line=L,col=C::message`.
/// Control characters other than newlines are made visible first, so that
/// nothing in the message can start a new command.
pub fn annotations(report: &Report) -> String {
    let mut out = String::new();
    for p in &report.problems {
        let level = match p.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = p.message.clone();
        if !p.hint.is_empty() {
            message.push_str(" (");
            message.push_str(&p.hint);
            message.push(')');
        }
        out.push_str(&format!(
            "::{level} file={},line={},col={},title={}::{}\n",
            crate::escape::workflow_property(report.file_of(p)),
            p.pos.line,
            p.pos.col,
            crate::escape::workflow_property(&format!("oncall check: {}", report.file_of(p))),
            crate::escape::terminal(&crate::escape::workflow_data(&message))
        ));
    }
    out
}

/// The step summary of a handover: who, the pull request, Slack, and the
/// next ten working days (names escaped for Markdown).
pub fn handover_summary(
    rot: &crate::config::Rotation,
    h: &crate::plan::Handover,
    pr_url: Option<&str>,
    slack: &str,
    log_text: Option<&str>,
) -> String {
    use crate::render::person;
    let who = |g: &Option<String>| {
        g.as_ref()
            .map_or("nobody (uncovered)".to_owned(), |g| person(rot, g))
    };
    // The team in the heading: with several rotations, each job's summary
    // says whose handover it is.
    let mut s = format!(
        "## On-call handover {}: {}\n\n",
        h.day.date.format("%A %Y-%m-%d"),
        crate::escape::markdown(&rot.team)
    );
    s.push_str(&format!("- On call: {}\n", who(&h.day.on_call)));
    match &h.previous {
        Some(p) => s.push_str(&format!("- Handed over by: {}\n", person(rot, p))),
        None => s.push_str(&format!(
            "- Handed over by: nobody ({})\n",
            h.no_handover_reason(rot)
        )),
    }
    if let Some(url) = pr_url {
        s.push_str(&format!("- Pull request: {url}\n"));
    }
    s.push_str(&format!(
        "- Open from earlier days: {} thread{}, {} runbook{} to write\n",
        h.open_threads.len(),
        if h.open_threads.len() == 1 { "" } else { "s" },
        h.runbook_debt.len(),
        if h.runbook_debt.len() == 1 { "" } else { "s" }
    ));
    s.push_str(&format!(
        "- Slack: {slack}\n\n### The next ten working days\n\n"
    ));
    let rows = crate::day::upcoming(rot, h.day.date, UPCOMING);
    s.push_str(&crate::schedule::render(
        rot,
        &rows,
        crate::schedule::Format::Markdown,
    ));
    if let Some(log_text) = log_text {
        s.push('\n');
        s.push_str(&crate::stats::collapsed(rot, log_text, h.day.date));
    }
    s
}

/// The step summary of a run stopped by invalid input: every problem,
/// escaped, and what to do.
pub fn failure_summary(report: &crate::diag::Report) -> String {
    let errors = report.errors().count();
    let mut s = format!(
        "## No on-call handover today\n\n{} has {errors} problem{}; nothing was changed. Fix the file on the default branch, then run the workflow again.\n\n",
        crate::escape::markdown(&report.file),
        if errors == 1 { "" } else { "s" }
    );
    for p in &report.problems {
        s.push_str(&format!("- {}\n", crate::escape::markdown(&report.line(p))));
    }
    s
}

/// The step summary (Markdown) and the step outputs (`oncall`, `previous`,
/// `pr-url`) of a daily run, for both backends (local files and the pull
/// request): the handover with `after` (the rotation as it stands after
/// it), or why there was none.
pub fn run_record(
    handover: Option<(
        &crate::config::Rotation,
        &crate::plan::Handover,
        Option<&str>,
    )>,
    date: Option<chrono::NaiveDate>,
    no_handover: &str,
    pr_url: Option<&str>,
    slack: &str,
) -> (String, Vec<(&'static str, String)>) {
    let pr = pr_url.unwrap_or_default().to_owned();
    match handover {
        Some((after, h, log_text)) => (
            handover_summary(after, h, pr_url, slack, log_text),
            vec![
                ("oncall", h.day.on_call.clone().unwrap_or_default()),
                ("previous", h.previous.clone().unwrap_or_default()),
                ("pr-url", pr),
            ],
        ),
        None => {
            let date = date.map_or(String::new(), |d| d.to_string());
            (
                format!(
                    "## On-call {date}\n\n{}\n",
                    crate::escape::markdown(no_handover)
                ),
                vec![
                    ("oncall", String::new()),
                    ("previous", String::new()),
                    ("pr-url", pr),
                ],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;
    use crate::diag::Problem;

    #[test]
    fn a_message_cannot_start_a_command() {
        let report = Report::new(
            "rot,ation.yaml",
            vec![Problem::error(
                Pos::new(3, 7),
                "x\n::add-mask::secret\r\n::set-output name=a::b 100%",
                "fix",
            )],
        );
        let a = annotations(&report);
        assert_eq!(a.lines().count(), 1, "{a}");
        assert!(a.starts_with("::error file=rot%2Cation.yaml,line=3,col=7,title=oncall check%3A rot%2Cation.yaml::x%0A::add-mask::secret%0D%0A::set-output name=a::b 100%25 (fix)"), "{a}");
    }
}

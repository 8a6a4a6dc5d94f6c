//! What `oncall init --rotation NAME` says after writing: the workflows it
//! found and left, an empty calendar to fill, and the steps left.

use chrono::NaiveDate;

/// The workflows a named init found and left as they are (each path, and
/// whether it serves every rotation), for the rotation in `dir`; `None`
/// when there were none.
pub fn workflows_left(found: &[(String, bool)], dir: &str) -> Option<String> {
    if found.is_empty() {
        return None;
    }
    if found.iter().all(|(_, every)| *every) {
        let names: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        return Some(format!(
            "The workflows serve every rotation already: {} serve {dir}/ too. Left as they are.",
            names.join(" and ")
        ));
    }
    // Only the ones of another form.
    let other: Vec<&str> = found
        .iter()
        .filter(|(_, every)| !*every)
        .map(|(p, _)| p.as_str())
        .collect();
    let names = other.join(" and ");
    let (is, it) = match other.len() {
        1 => ("is", "it"),
        _ => ("are", "they"),
    };
    Some(format!(
        "Note: {names} {is} not the form `oncall init` writes for every rotation: {it} may not serve {dir}/. Left as {it} {is}; `oncall init --workflows-only --force` rewrites the workflows to serve every rotation."
    ))
}

/// A calendar `init --calendar` wrote with no holidays.
pub fn calendar_to_fill(path: &str) -> String {
    format!(
        "{path} has no holidays yet: `oncall holidays import FILE.ics --out {path}` fills it from a public-holiday iCalendar file."
    )
}

/// The steps left after `init --rotation NAME`; `workflows_written`: the
/// workflows were written now (the repository's first team).
pub fn steps_left_named(name: &str, workflows_written: bool, first: Option<NaiveDate>) -> String {
    let mut steps = vec![
        "Commit and push these files to the default branch.".to_owned(),
        format!(
            "Slack: create an incoming webhook for the team's channel and store its URL\n\
             \x20  as the secret SLACK_WEBHOOK_URL of the GitHub environment oncall-{name}\n\
             \x20  (Settings → Environments; gh secret set SLACK_WEBHOOK_URL --env oncall-{name}).\n\
             \x20  The handover job of {name} runs in that environment; without the secret\n\
             \x20  there, the repository's secret SLACK_WEBHOOK_URL is used, if there is one."
        ),
    ];
    if workflows_written {
        steps.push(
            "Let Actions open pull requests: Settings → Actions → General → Workflow\n\
             \x20  permissions → tick \"Allow GitHub Actions to create and approve pull requests\"\n\
             \x20  (or use a GitHub App token: see docs/security.md)."
                .to_owned(),
        );
    }
    let date = |sep: &str| match first {
        Some(day) => format!("{sep}{day}"),
        None => String::new(),
    };
    steps.push(format!(
        "First run, as a dry run: Actions → On-call handover → Run workflow, with\n\
         \x20  dry_run ticked and rotation {name}{} (gh workflow run oncall.yml\n\
         \x20  -f dry_run=true -f rotation={name}{}; locally: oncall --rotation {name}\n\
         \x20  advance --dry-run{}). Its log shows the pull request and the Slack\n\
         \x20  message it would make.",
        date(", date "),
        date(" -f date="),
        date(" --date "),
    ));
    let mut text = "Steps left:\n".to_owned();
    for (i, s) in steps.iter().enumerate() {
        text.push_str(&format!("{}. {s}\n", i + 1));
    }
    text
}

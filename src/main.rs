use clap::Parser;
use oncall::cli::Cli;
use oncall::commands::{self, Ctx};
use oncall::error::UserError;
use oncall::fsio::ReadError;
use oncall::http::Net;
use oncall::joblog::{JobLog, Out};
use oncall_core::escape::terminal;
use std::io::Write;
use std::process::ExitCode;

/// In GitHub Actions, registers the secrets as masks before anything can
/// print them, so that even a bug cannot show them in a log.
fn mask_secrets(out: &mut dyn Out) {
    if !oncall::env::in_actions() {
        return;
    }
    // Every webhook: SLACK_WEBHOOK_URL and the variables rotation.yaml's
    // `slack.webhook_env` may name (SLACK_WEBHOOK…, nothing else).
    let webhooks = std::env::vars_os()
        .filter_map(|(k, _)| k.into_string().ok())
        .filter(|k| k.starts_with("SLACK_WEBHOOK"));
    let names: Vec<String> = ["GITHUB_TOKEN", "SLACK_BOT_TOKEN"]
        .into_iter()
        .map(str::to_owned)
        .chain(webhooks)
        .collect();
    for name in names {
        let Ok(value) = std::env::var(&name) else {
            continue;
        };
        let mut masks: Vec<String> = value.lines().map(str::to_owned).collect();
        if let Ok(url) = reqwest::Url::parse(value.trim()) {
            masks.push(url.path().to_owned());
            masks.extend(
                url.path_segments()
                    .into_iter()
                    .flatten()
                    // The fixed parts of a webhook's path are not secret:
                    // masking `services` would hide every later use of
                    // the word in the job's log.
                    .filter(|s| s.len() >= 8 && *s != "services")
                    .map(str::to_owned),
            );
        }
        for m in masks.iter().filter(|m| m.trim().len() >= 4) {
            let _ = out.command(&format!("::add-mask::{}\n", m.trim()));
        }
    }
}

fn main() -> ExitCode {
    // In Actions, every line printed passes through the job log's escaping
    // (`joblog`): only the workflow commands built here reach the runner.
    let actions = oncall::env::in_actions();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = JobLog::new(stdout.lock(), actions);
    let mut err = JobLog::new(stderr.lock(), actions);
    if actions {
        // A panic's message, escaped like the rest.
        std::panic::set_hook(Box::new(|info| {
            let text = oncall_core::escape::job_log(&terminal(&info.to_string()));
            let _ = writeln!(std::io::stderr(), "{text}");
        }));
    }
    mask_secrets(&mut out);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // clap's usage errors, help and version, escaped in Actions (an
        // argument is echoed in its error).
        Err(e) if actions => {
            let to: &mut dyn Write = match e.use_stderr() {
                true => &mut err,
                false => &mut out,
            };
            let _ = write!(to, "{}", e.render());
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
        Err(e) => e.exit(),
    };
    // The shell's services, built once: the clock (or ONCALL_NOW), and the
    // network (one runtime, one HTTP client, made when first needed).
    let net = Net::new();
    let result = oncall::env::now().and_then(|now| {
        let mut ctx = Ctx {
            now,
            net: &net,
            out: &mut out,
            err: &mut err,
        };
        commands::run(&cli, &mut ctx)
    });
    let _ = out.flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`oncall schedule | head`): not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        // The kind decides the exit code (src/error.rs): 2 for what the
        // user fixes, 1 for a failure of the run.
        Err(e) => {
            let (code, text) = match e.downcast_ref::<UserError>() {
                // `check` printed its problems already.
                Some(UserError::CheckFailed) => return ExitCode::from(2),
                // Problems in a file print as `FILE:LINE:COL: error: …` (a
                // report escapes its own lines).
                Some(UserError::Invalid(report)) => (2, report.to_string()),
                Some(UserError::Read(
                    r @ (ReadError::NotUtf8 { .. } | ReadError::TooLarge { .. }),
                )) => (2, terminal(&r.to_string())),
                Some(_) => (2, format!("error: {}", terminal(&format!("{e:#}")))),
                None => (1, format!("error: {}", terminal(&format!("{e:#}")))),
            };
            let _ = writeln!(err, "{text}");
            let _ = err.flush();
            ExitCode::from(code)
        }
    }
}

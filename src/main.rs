use clap::Parser;
use oncall::cli::Cli;
use oncall::commands::{self, Ctx};
use oncall::error::UserError;
use oncall::fsio::ReadError;
use oncall::http::Net;
use oncall_core::escape::terminal;
use std::process::ExitCode;

/// In GitHub Actions, registers the secrets as masks before anything can
/// print them, so that even a bug cannot show them in a log.
fn mask_secrets() {
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
            println!("::add-mask::{}", m.trim());
        }
    }
}

fn main() -> ExitCode {
    mask_secrets();
    let cli = Cli::parse();
    // The shell's services, built once: the clock (or ONCALL_NOW), and the
    // network (one runtime, one HTTP client, made when first needed).
    let net = Net::new();
    let result = oncall::env::now().and_then(|now| {
        let stdout = std::io::stdout();
        let stderr = std::io::stderr();
        let mut ctx = Ctx {
            now,
            net: &net,
            out: &mut stdout.lock(),
            err: &mut stderr.lock(),
        };
        commands::run(&cli, &mut ctx)
    });
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
        Err(e) => match e.downcast_ref::<UserError>() {
            // `check` printed its problems already.
            Some(UserError::CheckFailed) => ExitCode::from(2),
            // Problems in a file print as `FILE:LINE:COL: error: …` (a
            // report escapes its own lines).
            Some(UserError::Invalid(report)) => {
                eprintln!("{report}");
                ExitCode::from(2)
            }
            Some(UserError::Read(r @ (ReadError::NotUtf8 { .. } | ReadError::TooLarge { .. }))) => {
                eprintln!("{}", terminal(&r.to_string()));
                ExitCode::from(2)
            }
            Some(_) => {
                eprintln!("error: {}", terminal(&format!("{e:#}")));
                ExitCode::from(2)
            }
            None => {
                eprintln!("error: {}", terminal(&format!("{e:#}")));
                ExitCode::from(1)
            }
        },
    }
}

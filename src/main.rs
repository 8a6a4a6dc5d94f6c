use clap::Parser;
use oncall::app::{self, CheckFailed};
use oncall::cli::Cli;
use oncall::diag::InvalidInput;
use oncall::escape::terminal;
use oncall::fsio::ReadError;
use oncall::plan::PlanError;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = app::now_from_env().and_then(|now| {
        let stdout = std::io::stdout();
        let stderr = std::io::stderr();
        app::run(&cli, now, &mut stdout.lock(), &mut stderr.lock())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<CheckFailed>() => ExitCode::from(2),
        Err(e) => {
            if e.is::<InvalidInput>() {
                eprintln!("{e}");
            } else {
                eprintln!("error: {}", terminal(&format!("{e:#}")));
            }
            let invalid = e.is::<InvalidInput>() || e.is::<ReadError>() || e.is::<PlanError>();
            ExitCode::from(if invalid { 2 } else { 1 })
        }
    }
}

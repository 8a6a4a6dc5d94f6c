//! What went wrong, by who can fix it: the exit code comes from the kind.
//!
//! [`UserError`] is everything the user fixes (exit code 2): a file, an
//! argument, a setting. Its parts (`InvalidInput`, `ReadError`,
//! `EditError`) do not implement `std::error::Error` themselves, so they
//! cannot reach `main` except inside a `UserError`: the compiler refuses a
//! `?` that would turn one into an ordinary failure (exit code 1). Every
//! other error is a failure of the run (exit code 1): the network, GitHub,
//! Slack, the disk.

use crate::fsio::{PathError, ReadError};
use oncall_core::diag::InvalidInput;
use oncall_core::files::EditError;

/// An error the user fixes; exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// Problems in an input file, each with its position.
    #[error("{0}")]
    Invalid(InvalidInput),
    /// A file that cannot be read as text.
    #[error("{0}")]
    Read(ReadError),
    /// The state block cannot be written back (a block edited by hand).
    #[error("{0}")]
    Edit(EditError),
    /// A path refused: a symbolic link, not a regular file, or outside
    /// its root (`fsio`).
    #[error("{0}")]
    Path(PathError),
    /// A command-line argument or a setting in the environment.
    #[error("{0}")]
    Usage(String),
    /// `oncall check` found errors (it printed them).
    #[error("the check found errors")]
    CheckFailed,
}

impl From<InvalidInput> for UserError {
    fn from(e: InvalidInput) -> Self {
        UserError::Invalid(e)
    }
}

impl From<ReadError> for UserError {
    fn from(e: ReadError) -> Self {
        UserError::Read(e)
    }
}

impl From<EditError> for UserError {
    fn from(e: EditError) -> Self {
        UserError::Edit(e)
    }
}

/// A path's error as the run's: a refusal is the user's to fix (exit code
/// 2), the disk's own error a failure of the run (exit code 1).
pub fn fs(e: PathError) -> anyhow::Error {
    match e.io {
        true => anyhow::anyhow!("{e}"),
        false => UserError::Path(e).into(),
    }
}

/// A usage error: a wrong argument or setting, with what to do.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    UserError::Usage(message.into()).into()
}

impl UserError {
    /// The problems of an input file behind this error, if it is one.
    pub fn report(&self) -> Option<oncall_core::diag::Report> {
        match self {
            UserError::Invalid(InvalidInput(report)) => Some(report.clone()),
            UserError::Read(e) => e.report(),
            _ => None,
        }
    }
}

/// `advance --date D` with D after today is refused without `--future`: a
/// year typo in a manual run would hand over months that have not come.
pub fn refuse_future(
    date: chrono::NaiveDate,
    today: chrono::NaiveDate,
    dry_run: bool,
    future: bool,
) -> Result<(), UserError> {
    if date > today && !dry_run && !future {
        return Err(UserError::Usage(format!(
            "--date {date} is after today ({today} in the team's time zone): handing over days that have not come yet is refused; check the date, preview with --dry-run, or pass --future if you mean it"
        )));
    }
    Ok(())
}

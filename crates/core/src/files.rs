//! The files a handover writes: rotation.yaml with the new state block and
//! the log with the new day sections. Pure: the texts in, the texts out.

use crate::config::schema::LogArchive;
use crate::config::{Rotation, edit};
use crate::log::{self, Log};
use crate::plan::Advance;
use crate::render;
use chrono::Datelike;

/// The largest file oncall reads (the binary refuses a larger one before
/// reading it), and so the largest it writes: a file the next run could
/// not read is never written.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Why the files of a handover were not made. A user error (exit code 2):
/// see `src/error.rs`.
#[derive(Debug, PartialEq, Eq)]
pub enum EditError {
    /// The state block could not be written (a hand-edited block the
    /// editor cannot read).
    State(String),
    /// The log would grow past [`MAX_FILE_BYTES`]: the next run could not
    /// read it, so nothing is written.
    TooLarge {
        /// The new sections' days.
        days: usize,
        /// The log was large already (half the limit or more).
        was_large: bool,
    },
    /// An archive of a year to move exists already, with other text.
    ArchiveExists { year: i32 },
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::State(why) => write!(
                f,
                "could not update the state block of rotation.yaml: {why}"
            ),
            EditError::TooLarge { days, was_large } => {
                write!(
                    f,
                    "the log with the {days} new day section(s) would be more than the {MAX_FILE_BYTES} bytes oncall reads, so nothing was written: "
                )?;
                match was_large {
                    true => write!(
                        f,
                        "set `log: {{ archive: yearly }}` in rotation.yaml (the finished years move to log/YYYY.md), or move the oldest day sections to another file"
                    ),
                    false => write!(
                        f,
                        "each section repeats the duties and names who is due, away or on call; shorten them in rotation.yaml, or hand over fewer days at once (set `state.since` closer to the day)"
                    ),
                }
            }
            EditError::ArchiveExists { year } => write!(
                f,
                "the log still holds day sections of {year}, but {} exists already with other text, so nothing was written: keep one of the two (delete {} and the next run moves the sections again, or delete the log's sections of {year})",
                crate::archive::path(*year),
                crate::archive::path(*year)
            ),
        }
    }
}

/// The new contents of the two files, and the yearly archives the
/// handover writes with them (`log.archive: yearly`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files {
    pub rotation_text: String,
    pub log_text: String,
    /// The archives to write, as (path beside the log, text): at the first
    /// handover of a year, the finished year's (`crate::archive`); none
    /// without the setting.
    pub archives: Vec<(String, String)>,
}

/// rotation.yaml and the log after `adv`: the state block set, a section
/// appended for every day not in the log yet (R9, R10).
pub fn after(
    rot: &Rotation,
    rotation_text: &str,
    log: &Log,
    log_text: &str,
    adv: &Advance,
) -> Result<Files, EditError> {
    let rotation_text = edit::write_state(rotation_text, &adv.state).map_err(EditError::State)?;
    let before = log_text.len();
    let mut log_text = log_text.to_owned();
    if log_text.trim().is_empty() {
        log_text = render::header(rot);
    }
    let new: Vec<_> = adv
        .handovers
        .iter()
        .filter(|h| !log.has(h.day.date))
        .collect();
    for h in &new {
        log::append(&mut log_text, &render::section(rot, h));
        // Stop as soon as it is too large: never made, never written.
        if log_text.len() as u64 > MAX_FILE_BYTES {
            return Err(EditError::TooLarge {
                days: new.len(),
                was_large: before as u64 >= MAX_FILE_BYTES / 2,
            });
        }
    }
    let mut archives = Vec::new();
    if rot.log_archive == LogArchive::Yearly {
        let year = adv.today().day.date.year();
        if let Some((moved, shortened)) = crate::archive::split(rot, &log_text, year, &log.archives)
            .map_err(|c| EditError::ArchiveExists { year: c.year })?
        {
            archives = moved;
            log_text = shortened;
        }
    }
    Ok(Files {
        rotation_text,
        log_text,
        archives,
    })
}

//! The files a handover writes: rotation.yaml with the new state block and
//! the log with the new day sections. Pure: the texts in, the texts out.

use crate::config::{Rotation, edit};
use crate::log::{self, Log};
use crate::plan::Advance;
use crate::render;

/// The largest file oncall reads (the binary refuses a larger one before
/// reading it), and so the largest it writes: a file the next run could
/// not read is never written.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// The state block could not be written (a hand-edited block the editor
/// cannot read). A user error (exit code 2): see `src/error.rs`.
#[derive(Debug, PartialEq, Eq)]
pub struct EditError(pub String);

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "could not update the state block of rotation.yaml: {}",
            self.0
        )
    }
}

/// The new contents of the two files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files {
    pub rotation_text: String,
    pub log_text: String,
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
    let rotation_text = edit::write_state(rotation_text, &adv.state).map_err(EditError)?;
    let mut log_text = log_text.to_owned();
    if log_text.trim().is_empty() {
        log_text = render::header(rot);
    }
    for h in adv.handovers.iter().filter(|h| !log.has(h.day.date)) {
        log::append(&mut log_text, &render::section(rot, h));
    }
    Ok(Files {
        rotation_text,
        log_text,
    })
}

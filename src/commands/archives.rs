//! The log's yearly archives (`log.archive: yearly`, `oncall_core::archive`):
//! `log/YYYY.md` beside the log, read through the same capped reader as
//! every file (under the log's root, no link followed, regular files only).

use crate::error::UserError;
use crate::fsio::{self, Kind, ReadError, Root};
use anyhow::Result;
use oncall_core::archive::{self, Read};
use oncall_core::config::Rotation;
use oncall_core::config::schema::LogArchive;
use oncall_core::log::Log;
use std::path::{Path, PathBuf};

/// The archives' directory of a log: `log/` beside it.
pub fn dir(log_path: &Path) -> PathBuf {
    log_path
        .parent()
        .unwrap_or(Path::new(""))
        .join(archive::DIR)
}

/// The archives of the log at `log_path`, oldest first: none for a
/// rotation without `log.archive: yearly` (its `log/` is not looked at).
/// A link (the directory or a file in it), a file that is not regular or
/// is too large, is refused as any input file is.
pub fn read(root: Option<&Root>, rot: &Rotation, log_path: &Path) -> Result<Vec<Read>> {
    if rot.log_archive != LogArchive::Yearly {
        return Ok(Vec::new());
    }
    let dir = dir(log_path);
    let own;
    let root = match root {
        Some(r) => r,
        None => {
            own = Root::of(log_path).map_err(|e| UserError::from(ReadError::Path(e)))?;
            &own
        }
    };
    let entries = root
        .list(&dir)
        .map_err(|e| UserError::from(ReadError::Path(e)))?;
    let mut out = Vec::new();
    for (name, kind) in entries {
        let Some(year) = archive::year_of(&name) else {
            continue;
        };
        let path = dir.join(&name);
        if kind != Kind::File {
            continue;
        }
        let text = fsio::read_in(root, &path, false).map_err(UserError::from)?;
        out.push(Read {
            year,
            file: super::label(&path),
            text,
        });
    }
    Ok(out)
}

/// The log read across its archives (`archive::merge`).
pub fn merged(log: Log, archives: &[Read]) -> Result<Log> {
    Ok(archive::merge(log, archives).map_err(UserError::from)?)
}

//! Reading and writing the repository's files.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// Files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Why an input file could not be read as text. A user error (exit code
/// 2): see `src/error.rs`.
#[derive(Debug)]
pub enum ReadError {
    Io {
        path: String,
        source: std::io::Error,
    },
    TooLarge {
        path: String,
        size: u64,
        max: u64,
    },
    NotUtf8 {
        path: String,
        line: usize,
        col: usize,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io { path, source } => write!(
                f,
                "{path}: {source} (check the path, or pass --config/--log)"
            ),
            ReadError::TooLarge { path, size, max } => write!(
                f,
                "{path}:1:1: error: the file is {size} bytes, more than the {max} bytes a rotation file may have (split or trim it)"
            ),
            ReadError::NotUtf8 { path, line, col } => write!(
                f,
                "{path}:{line}:{col}: error: the file is not valid UTF-8 here (save it as UTF-8)"
            ),
        }
    }
}

impl ReadError {
    /// The problem as a report, when it has a place in the file.
    pub fn report(&self) -> Option<oncall_core::diag::Report> {
        use oncall_core::diag::Pos;
        use oncall_core::diag::{Problem, Report};
        let (path, pos, message) = match self {
            ReadError::Io { .. } => return None,
            ReadError::TooLarge { path, size, max } => (
                path,
                Pos::new(1, 1),
                format!(
                    "the file is {size} bytes, more than the {max} bytes a rotation file may have"
                ),
            ),
            ReadError::NotUtf8 { path, line, col } => (
                path,
                Pos::new(*line as u32, *col as u32),
                "the file is not valid UTF-8 here".to_owned(),
            ),
        };
        Some(Report::new(
            path.clone(),
            vec![Problem::error(pos, message, "save it as UTF-8 text")],
        ))
    }
}

/// Reads a UTF-8 text file. `missing_ok`: a missing file reads as empty.
pub fn read_text(path: &Path, missing_ok: bool) -> Result<String, ReadError> {
    let name = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if missing_ok && e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(String::new());
        }
        Err(source) => return Err(ReadError::Io { path: name, source }),
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            path: name,
            size: meta.len(),
            max: MAX_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
        path: name.clone(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let col = std::str::from_utf8(&valid[line_start..]).map_or(1, |s| s.chars().count() + 1);
        ReadError::NotUtf8 {
            path: name,
            line: valid.iter().filter(|b| **b == b'\n').count() + 1,
            col,
        }
    })
}

/// Writes `text` to `path` atomically: a temporary file in the same
/// directory, flushed, then renamed over the target.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile_in(dir, path)?;
    tmp.1
        .write_all(text.as_bytes())
        .and_then(|()| tmp.1.sync_all())
        .with_context(|| format!("writing {}", tmp.0.display()))?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp.0, meta.permissions());
    }
    std::fs::rename(&tmp.0, path).with_context(|| {
        let _ = std::fs::remove_file(&tmp.0);
        format!("replacing {}", path.display())
    })?;
    Ok(())
}

fn tempfile_in(dir: &Path, target: &Path) -> Result<(std::path::PathBuf, std::fs::File)> {
    let base = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    for attempt in 0..100u32 {
        let candidate = dir.join(format!(
            ".{base}.oncall-{}-{attempt}.tmp",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(f) => return Ok((candidate, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(e).with_context(|| format!("creating a file in {}", dir.display()));
            }
        }
    }
    anyhow::bail!("could not create a temporary file in {}", dir.display())
}

/// Shared holiday calendars on the disk, paths relative to the working
/// directory.
pub struct DiskCalendars;

impl oncall_core::config::calendars::Calendars for DiskCalendars {
    fn read(&mut self, path: &str) -> Result<String, String> {
        read_text(Path::new(path), false).map_err(|e| match e {
            ReadError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                "the file does not exist".to_owned()
            }
            ReadError::Io { source, .. } => source.to_string(),
            other => other.to_string(),
        })
    }
}

/// Reads rotation.yaml at `file` (its text `text`), with the calendars it
/// includes from the disk.
pub fn load_rotation(
    file: &str,
    text: &str,
) -> Result<
    (oncall_core::config::Rotation, oncall_core::diag::Report),
    oncall_core::diag::InvalidInput,
> {
    oncall_core::config::load_from(file, file, text, &mut DiskCalendars)
}

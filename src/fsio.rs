//! Reading and writing files: every read and write of the program goes
//! through here. Under a [`Root`] (the repository, or a directory the
//! command line names), only regular files, through no symbolic link
//! (`root.rs`); every read capped at [`MAX_FILE_BYTES`], whatever the
//! file's size says.

mod root;

pub use root::{Kind, PathError, Root, append_runner_file};
use std::path::{Path, PathBuf};

/// Files larger than this are refused; no file larger is ever written
/// (the next run could not read it).
pub const MAX_FILE_BYTES: u64 = oncall_core::files::MAX_FILE_BYTES;

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
    /// A link, a pipe, a device, or a path outside its root.
    Path(PathError),
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
            ReadError::Path(e) => write!(f, "{e}"),
        }
    }
}

impl ReadError {
    /// The problem as a report, when it has a place in the file.
    pub fn report(&self) -> Option<oncall_core::diag::Report> {
        use oncall_core::diag::Pos;
        use oncall_core::diag::{Problem, Report};
        let (path, pos, message) = match self {
            ReadError::Io { .. } | ReadError::Path(_) => return None,
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
/// Its root is the repository when it is under the current directory
/// ([`Root::of`]).
pub fn read_text(path: &Path, missing_ok: bool) -> Result<String, ReadError> {
    let root = Root::of(path).map_err(ReadError::Path)?;
    read_in(&root, path, missing_ok)
}

/// Reads a UTF-8 text file under `root`.
pub fn read_in(root: &Root, path: &Path, missing_ok: bool) -> Result<String, ReadError> {
    let name = path.display().to_string();
    let (bytes, size) = match root.read(path, MAX_FILE_BYTES).map_err(ReadError::Path)? {
        Some(read) => read,
        None if missing_ok => return Ok(String::new()),
        None => {
            return Err(ReadError::Io {
                path: name,
                source: std::io::ErrorKind::NotFound.into(),
            });
        }
    };
    if size > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            path: name,
            size,
            max: MAX_FILE_BYTES,
        });
    }
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

/// Writes `text` to `path` atomically (a new file beside it, renamed over
/// it), under its root ([`Root::of`]): a regular file, through no link.
/// A text over [`MAX_FILE_BYTES`] is refused: the next run could not read
/// it. (The error module's `fs` gives the error its exit code.)
pub fn write_atomic(path: &Path, text: &str) -> Result<(), PathError> {
    write_in(&Root::of(path)?, path, text)
}

/// Writes `text` to `path` under `root` ([`write_atomic`]).
pub fn write_in(root: &Root, path: &Path, text: &str) -> Result<(), PathError> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(root::refused(
            path,
            format!(
                "it would be {} bytes, more than the {MAX_FILE_BYTES} bytes oncall reads: nothing was written",
                text.len()
            ),
        ));
    }
    root.write_atomic(path, text)
}

/// Creates a directory and the ones above it: in the repository under
/// its root (a link on the way is an error); elsewhere as the command
/// line names it.
pub fn create_dir_all(path: &Path) -> Result<(), PathError> {
    let repo = Root::repository()?;
    match repo.contains(path) {
        true => repo.create_dir_all(path),
        false => root::create_named_dir(path),
    }
}

/// What is at `path` under its root (a link, a pipe or a device is an
/// error).
pub fn kind(path: &Path) -> Result<Kind, PathError> {
    Root::of(path)?.kind(path)
}

/// A directory named on the command line to write into (`site --out`),
/// made if missing ([`create_dir_all`]), as the root of what is written
/// there.
pub fn output_dir(dir: &Path) -> Result<Root, PathError> {
    create_dir_all(dir)?;
    Root::named(dir)
}

/// A text file of the machine's own settings (`/etc/timezone`), if it is
/// a regular file.
pub fn machine_file(path: &Path) -> Option<String> {
    read_text(path, false).ok()
}

/// Where a link of the machine's own settings points (`/etc/localtime`).
pub fn machine_link(path: &Path) -> Option<PathBuf> {
    root::machine_link(path)
}

/// Shared holiday calendars on the disk, paths relative to the working
/// directory, read under a root: the including file's ([`Root::of`]), or
/// the tree it is in (`preview --base`).
pub struct DiskCalendars {
    pub root: Option<Root>,
}

impl oncall_core::config::calendars::Calendars for DiskCalendars {
    fn read(&mut self, path: &str) -> Result<String, String> {
        let read = match &self.root {
            Some(root) => read_in(root, Path::new(path), false),
            None => read_text(Path::new(path), false),
        };
        read.map_err(|e| match e {
            ReadError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                "the file does not exist".to_owned()
            }
            ReadError::Io { source, .. } => source.to_string(),
            ReadError::Path(p) => p.why,
            other => other.to_string(),
        })
    }
}

/// Reads rotation.yaml at `file` (its text `text`), with the calendars it
/// includes from the disk, under the file's root.
pub fn load_rotation(
    file: &str,
    text: &str,
) -> Result<
    (oncall_core::config::Rotation, oncall_core::diag::Report),
    oncall_core::diag::InvalidInput,
> {
    let root = Root::of(Path::new(file)).ok();
    load_rotation_in(root, file, text)
}

/// [`load_rotation`] with the calendars read under `root`.
pub fn load_rotation_in(
    root: Option<Root>,
    file: &str,
    text: &str,
) -> Result<
    (oncall_core::config::Rotation, oncall_core::diag::Report),
    oncall_core::diag::InvalidInput,
> {
    oncall_core::config::load_from(file, file, text, &mut DiskCalendars { root })
}

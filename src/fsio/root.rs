//! Where a path may lead. A [`Root`] is a directory whose files oncall
//! reads and writes: the repository (the current directory), or a
//! directory the command line names (`preview --base`, `site --out`, a
//! file outside the current directory). Under it, a path is followed one
//! component at a time without following a symbolic link, it ends at a
//! regular file (or a directory, where one is asked for), and its
//! canonical form starts with the root's: a link in the repository (a
//! calendar, a log, `rotations/NAME`, `.github`) cannot lead anywhere else
//! on the machine. The root itself is taken as given: the user chose it.

use std::ffi::OsString;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// Why a path was refused (a user error, exit code 2), or the disk's own
/// error (`io`: a failure of the run when writing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// The path as the user or the file named it.
    pub path: String,
    /// Why, in a sentence that says what to do.
    pub why: String,
    /// The operating system's error, not a refusal.
    pub io: bool,
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.why)
    }
}

/// What is at a path, found without following a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Missing,
    File,
    Dir,
}

/// A directory oncall's paths must stay under.
#[derive(Debug, Clone)]
pub struct Root {
    /// The directory as the paths name it: absolute, `.` and `..` resolved
    /// as text.
    at: PathBuf,
    /// The same directory with every link resolved (the prefix every
    /// canonical path under it must have).
    real: PathBuf,
}

/// `path` made absolute against the current directory, `.` and `..`
/// resolved as text (never above `/`).
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let joined = match path.is_absolute() {
        true => path.to_path_buf(),
        false => std::env::current_dir()?.join(path),
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    Ok(out)
}

fn io_error(path: &Path, e: &io::Error) -> PathError {
    PathError {
        path: path.display().to_string(),
        why: e.to_string(),
        io: true,
    }
}

/// A refusal: `why` says what to do.
pub(super) fn refused(path: &Path, why: String) -> PathError {
    PathError {
        path: path.display().to_string(),
        why,
        io: false,
    }
}

/// `at`, a component of `path` (`None`: its last), is a link.
fn link(path: &Path, at: Option<&Path>) -> PathError {
    let what = match at {
        None => "this".to_owned(),
        Some(at) => at.display().to_string(),
    };
    refused(
        path,
        format!(
            "{what} is a symbolic link, and oncall follows none (a link can lead out of the repository): put the file or directory itself there"
        ),
    )
}

fn not_regular(path: &Path, what: &str) -> PathError {
    refused(
        path,
        format!("this is {what}, not a regular file: oncall reads and writes only regular files"),
    )
}

fn outside(path: &Path, root: &Path) -> PathError {
    refused(
        path,
        format!(
            "this leads outside {}: oncall reads and writes only files under it",
            root.display()
        ),
    )
}

/// What a file type is, in words.
fn kind_name(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

impl Root {
    /// The repository: the current directory.
    pub fn repository() -> Result<Root, PathError> {
        Root::named(Path::new("."))
    }

    /// A directory named on the command line, taken as it is.
    pub fn named(dir: &Path) -> Result<Root, PathError> {
        let at = absolute(dir).map_err(|e| io_error(dir, &e))?;
        let real = std::fs::canonicalize(&at).map_err(|e| io_error(dir, &e))?;
        Ok(Root { at, real })
    }

    /// The root of a path as the command line or a command gives it: the
    /// repository when the path is under the current directory, else the
    /// directory that holds it (so that a file elsewhere, named on purpose,
    /// can be read, but nothing it names leads further).
    pub fn of(path: &Path) -> Result<Root, PathError> {
        let repo = Root::repository()?;
        let at = absolute(path).map_err(|e| io_error(path, &e))?;
        if at.starts_with(&repo.at) {
            return Ok(repo);
        }
        let dir = at.parent().unwrap_or(Path::new("/")).to_path_buf();
        let real = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        Ok(Root { at: dir, real })
    }

    /// Whether `path` is under the root (as text: nothing is checked).
    pub fn contains(&self, path: &Path) -> bool {
        absolute(path).is_ok_and(|a| a.starts_with(&self.at))
    }

    /// The components of `path` under the root, or why it is not under it.
    fn parts(&self, path: &Path) -> Result<Vec<OsString>, PathError> {
        let at = absolute(path).map_err(|e| io_error(path, &e))?;
        let rel = at
            .strip_prefix(&self.at)
            .map_err(|_| outside(path, &self.at))?;
        Ok(rel.components().map(|c| c.as_os_str().to_owned()).collect())
    }

    /// Where `path` is on the disk, after checking every component from the
    /// root down: none is a link, every one but the last is a directory.
    /// Returns the real path and what is there.
    pub fn check(&self, path: &Path) -> Result<(PathBuf, Kind), PathError> {
        let parts = self.parts(path)?;
        let real: PathBuf = parts.iter().fold(self.real.clone(), |p, c| p.join(c));
        let mut at = self.real.clone();
        let mut shown = PathBuf::new();
        let mut kind = Kind::Dir;
        for (i, part) in parts.iter().enumerate() {
            at.push(part);
            shown.push(part);
            let meta = match std::fs::symlink_metadata(&at) {
                Ok(m) => m,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((real, Kind::Missing)),
                Err(e) => return Err(io_error(path, &e)),
            };
            let t = meta.file_type();
            let last = i + 1 == parts.len();
            if t.is_symlink() {
                return Err(link(path, (!last).then_some(shown.as_path())));
            }
            kind = match (t.is_dir(), t.is_file()) {
                (true, _) => Kind::Dir,
                (false, true) if last => Kind::File,
                (false, true) => {
                    return Err(refused(
                        path,
                        format!("{} is a file, not a directory", shown.display()),
                    ));
                }
                (false, false) => return Err(not_regular(path, kind_name(t))),
            };
        }
        // No link was followed, so the canonical path is under the root's,
        // unless something changed meanwhile.
        match std::fs::canonicalize(&real) {
            Ok(canonical) if canonical.starts_with(&self.real) => Ok((real, kind)),
            Ok(_) => Err(outside(path, &self.at)),
            Err(e) => Err(io_error(path, &e)),
        }
    }

    /// What is at `path` (a link, a pipe or a device is an error).
    pub fn kind(&self, path: &Path) -> Result<Kind, PathError> {
        self.check(path).map(|(_, k)| k)
    }

    /// The entries of the directory at `path`, by name, with what each is;
    /// a link among them is an error that names it. A missing directory has
    /// none.
    pub fn list(&self, path: &Path) -> Result<Vec<(String, Kind)>, PathError> {
        let real = match self.check(path)? {
            (_, Kind::Missing | Kind::File) => return Ok(Vec::new()),
            (real, Kind::Dir) => real,
        };
        let entries = std::fs::read_dir(&real).map_err(|e| io_error(path, &e))?;
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_error(path, &e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let t = entry.file_type().map_err(|e| io_error(path, &e))?;
            let kind = if t.is_symlink() {
                return Err(link(&path.join(&name), None));
            } else if t.is_dir() {
                Kind::Dir
            } else if t.is_file() {
                Kind::File
            } else {
                continue;
            };
            out.push((name, kind));
        }
        out.sort();
        Ok(out)
    }

    /// The bytes of the regular file at `path`, at most `limit + 1` of
    /// them whatever its size says (`None`: missing). Opened without
    /// following a link and without waiting for a writer (a FIFO swapped in
    /// after the check is refused too).
    pub fn read(&self, path: &Path, limit: u64) -> Result<Option<(Vec<u8>, u64)>, PathError> {
        let real = match self.check(path)? {
            (_, Kind::Missing) => return Ok(None),
            (_, Kind::Dir) => return Err(not_regular(path, "a directory")),
            (real, Kind::File) => real,
        };
        let file = open_read(&real).map_err(|e| match e.raw_os_error() {
            Some(code) if is_loop(code) => link(path, None),
            _ => io_error(path, &e),
        })?;
        let meta = file.metadata().map_err(|e| io_error(path, &e))?;
        if !meta.is_file() {
            return Err(not_regular(path, kind_name(meta.file_type())));
        }
        if meta.len() > limit {
            return Ok(Some((Vec::new(), meta.len())));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(path, &e))?;
        let size = (bytes.len() as u64).max(meta.len());
        Ok(Some((bytes, size)))
    }

    /// Creates the directory at `path` and the ones above it under the
    /// root; an existing link or file on the way is an error.
    pub fn create_dir_all(&self, path: &Path) -> Result<(), PathError> {
        let parts = self.parts(path)?;
        let mut sub = PathBuf::new();
        for part in parts {
            sub.push(part);
            match self.check(&self.at.join(&sub))? {
                (_, Kind::Dir) => {}
                (real, Kind::Missing) => match std::fs::create_dir(&real) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        // Made meanwhile: check what it is.
                        if self.kind(&self.at.join(&sub))? != Kind::Dir {
                            return Err(not_regular(path, "not a directory"));
                        }
                    }
                    Err(e) => return Err(io_error(path, &e)),
                },
                (_, Kind::File) => {
                    return Err(refused(
                        path,
                        format!("{} is a file, not a directory", sub.display()),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Writes `text` to the regular file at `path` (made if missing)
    /// atomically: a new file beside it, flushed, then renamed over it.
    /// The directory must exist; a link, a directory or a device there is
    /// an error.
    pub fn write_atomic(&self, path: &Path, text: &str) -> Result<(), PathError> {
        let (real, kind) = self.check(path)?;
        if kind == Kind::Dir {
            return Err(not_regular(path, "a directory"));
        }
        let dir = real.parent().unwrap_or(Path::new("/"));
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
            && self.kind(parent)? != Kind::Dir
        {
            return Err(refused(
                path,
                format!("the directory {} does not exist", parent.display()),
            ));
        }
        let (tmp, mut file) = new_file_in(dir, &real).map_err(|e| io_error(path, &e))?;
        let written =
            io::Write::write_all(&mut file, text.as_bytes()).and_then(|()| file.sync_all());
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io_error(path, &e));
        }
        if kind == Kind::File
            && let Ok(meta) = std::fs::symlink_metadata(&real)
        {
            let _ = std::fs::set_permissions(&tmp, meta.permissions());
        }
        // A rename replaces the name itself: it follows no link.
        std::fs::rename(&tmp, &real).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io_error(path, &e)
        })
    }
}

/// A new file in `dir` named after `target`, created exclusively (never
/// through an existing name, link or not).
fn new_file_in(dir: &Path, target: &Path) -> io::Result<(PathBuf, std::fs::File)> {
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
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(format!(
        "could not create a temporary file in {}",
        dir.display()
    )))
}

/// Opens a file to read it: no link followed, no wait for a FIFO's writer.
fn open_read(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options.open(path)
}

/// The error `open` gives for a link with `O_NOFOLLOW`.
fn is_loop(code: i32) -> bool {
    #[cfg(unix)]
    {
        code == libc::ELOOP
    }
    #[cfg(not(unix))]
    {
        let _ = code;
        false
    }
}

/// Appends to a file outside any root that the runner names (the step
/// summary, the step outputs): made if missing.
pub fn append_runner_file(path: &Path, text: &str) -> io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    io::Write::write_all(&mut f, text.as_bytes())
}

/// Creates a directory outside any root, as the command line names it.
pub fn create_named_dir(path: &Path) -> Result<(), PathError> {
    std::fs::create_dir_all(path).map_err(|e| io_error(path, &e))
}

/// Where a link of the machine's own settings points (`/etc/localtime`).
pub fn machine_link(path: &Path) -> Option<PathBuf> {
    std::fs::read_link(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file whose size says 0 (procfs) is still read at most to the
    /// limit and one byte more: the cap holds whatever the metadata says.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_read_stops_one_byte_over_the_limit_whatever_the_size_says() {
        let root = Root::named(Path::new("/proc/self")).unwrap();
        let path = Path::new("/proc/self/status");
        assert_eq!(std::fs::metadata(path).unwrap().len(), 0);
        let (bytes, size) = root.read(path, 10).unwrap().unwrap();
        assert_eq!((bytes.len(), size), (11, 11));
    }
}

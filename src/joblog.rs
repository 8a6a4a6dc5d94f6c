//! What `oncall` prints, on the way to the job's log. In GitHub Actions
//! the runner reads a line of a step's output that starts with `::` (after
//! its spaces) as a workflow command, and `##[` anywhere in a line as one
//! in the legacy form. So in Actions every line the program prints, on
//! stdout and stderr, passes through `oncall_core::escape::job_log`, which
//! leaves neither in it; the workflow commands the program builds on
//! purpose (annotations, masks) are written with [`Out::command`], the one
//! way past it. Outside Actions nothing is changed.

use std::io::{self, Write};

/// Where a command prints: text, and the workflow commands it built.
pub trait Out: Write {
    /// Writes workflow commands that `oncall` built (whole lines, each
    /// ending in a line break) as they are.
    fn command(&mut self, lines: &str) -> io::Result<()>;
}

/// stdout or stderr: in GitHub Actions (`actions`), every line passes
/// through `escape::job_log` (line by line, as the runner reads it: a line
/// ends with LF or CR); elsewhere, bytes pass as they are.
pub struct JobLog<W: Write> {
    inner: W,
    actions: bool,
    /// The start of a line not yet ended (Actions only).
    pending: Vec<u8>,
}

impl<W: Write> JobLog<W> {
    pub fn new(inner: W, actions: bool) -> Self {
        JobLog {
            inner,
            actions,
            pending: Vec::new(),
        }
    }

    /// Writes `bytes` (whole lines, or the rest at the end) escaped.
    fn emit(&mut self, bytes: &[u8]) -> io::Result<()> {
        let text = String::from_utf8_lossy(bytes);
        self.inner
            .write_all(oncall_core::escape::job_log(&text).as_bytes())
    }
}

impl<W: Write> Write for JobLog<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.actions {
            return self.inner.write(buf);
        }
        self.pending.extend_from_slice(buf);
        // Every line ended so far (a line break is ASCII: never inside a
        // UTF-8 sequence).
        if let Some(end) = self
            .pending
            .iter()
            .rposition(|b| matches!(b, b'\n' | b'\r'))
        {
            let rest = self.pending.split_off(end + 1);
            let lines = std::mem::replace(&mut self.pending, rest);
            self.emit(&lines)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.emit(&rest)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Out for JobLog<W> {
    fn command(&mut self, lines: &str) -> io::Result<()> {
        // A command starts a line: end any line begun before it.
        if !self.pending.is_empty() {
            let mut rest = std::mem::take(&mut self.pending);
            rest.push(b'\n');
            self.emit(&rest)?;
        }
        self.inner.write_all(lines.as_bytes())
    }
}

impl<W: Write> Drop for JobLog<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Output kept to be printed later (`check` over several rotations): the
/// text and the workflow commands, in order, told apart.
#[derive(Debug, Default)]
pub struct Kept {
    /// (is a workflow command, bytes)
    parts: Vec<(bool, Vec<u8>)>,
}

impl Kept {
    /// The parts in order: (is a workflow command, bytes).
    pub fn parts(&self) -> impl Iterator<Item = (bool, &[u8])> {
        self.parts.iter().map(|(c, b)| (*c, b.as_slice()))
    }
}

impl Write for Kept {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.parts.last_mut() {
            Some((false, text)) => text.extend_from_slice(buf),
            _ => self.parts.push((false, buf.to_vec())),
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Out for Kept {
    fn command(&mut self, lines: &str) -> io::Result<()> {
        self.parts.push((true, lines.as_bytes().to_vec()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(actions: bool, write: impl FnOnce(&mut JobLog<&mut Vec<u8>>)) -> String {
        let mut buf = Vec::new();
        {
            let mut log = JobLog::new(&mut buf, actions);
            write(&mut log);
        }
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn in_actions_only_the_commands_built_on_purpose_get_through() {
        let text = printed(true, |log| {
            write!(log, "::error::forged\n  ::warning").unwrap();
            writeln!(log, "::x").unwrap();
            log.command("::error file=a,line=1,col=1,title=t::real\n")
                .unwrap();
            write!(log, "a ##[error]b\r::set-output name=x::y").unwrap();
        });
        assert_eq!(
            text,
            "\u{FF1A}:error::forged\n  \u{FF1A}:warning::x\n::error file=a,line=1,col=1,title=t::real\na #\u{FF03}[error]b\r\u{FF1A}:set-output name=x::y"
        );
        // A line begun before a command is ended first.
        let text = printed(true, |log| {
            write!(log, "half").unwrap();
            log.command("::add-mask::s\n").unwrap();
        });
        assert_eq!(text, "half\n::add-mask::s\n");
    }

    #[test]
    fn elsewhere_nothing_changes() {
        let text = printed(false, |log| {
            writeln!(log, "::error::x ##[y]").unwrap();
            log.command("::add-mask::s\n").unwrap();
        });
        assert_eq!(text, "::error::x ##[y]\n::add-mask::s\n");
    }
}

//! Problems found in an input file, each with its file, line and column.

use std::fmt;

/// A position in a file: 1-based line and column (0 when unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }
    pub fn of<T>(s: &serde_saphyr::Spanned<T>) -> Self {
        Pos::new(s.referenced.line() as u32, s.referenced.column() as u32)
    }
}

/// How bad a problem is: an error stops the run, a warning is only shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem: where, what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub pos: Pos,
    pub message: String,
    /// What to do about it.
    pub hint: String,
    /// The file the problem is in, when it is not the report's own (a
    /// calendar the rotation file includes).
    pub file: Option<String>,
}

impl Problem {
    pub fn error(pos: Pos, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            pos,
            message: message.into(),
            hint: hint.into(),
            file: None,
        }
    }
    pub fn warning(pos: Pos, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(pos, message, hint)
        }
    }
    /// The same problem, in another file than the report's.
    pub fn in_file(self, file: impl Into<String>) -> Self {
        Problem {
            file: Some(file.into()),
            ..self
        }
    }
}

/// All problems found in one file, sorted by position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl Report {
    pub fn new(file: impl Into<String>, mut problems: Vec<Problem>) -> Self {
        // The report's own file first, then each other file.
        problems.sort_by(|a, b| (&a.file, a.pos, a.severity).cmp(&(&b.file, b.pos, b.severity)));
        problems.dedup();
        Report {
            file: file.into(),
            problems,
        }
    }
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
    }
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
    /// The file a problem is in.
    pub fn file_of<'a>(&'a self, p: &'a Problem) -> &'a str {
        p.file.as_deref().unwrap_or(&self.file)
    }
    /// Every file name (the report's, and each problem's), rewritten.
    pub fn map_files(&mut self, f: impl Fn(&mut String)) {
        f(&mut self.file);
        for p in &mut self.problems {
            if let Some(file) = &mut p.file {
                f(file);
            }
        }
    }
    /// One problem as `file:line:col: severity: message (hint)`, with every
    /// character that could move the terminal's cursor or colours escaped.
    pub fn line(&self, p: &Problem) -> String {
        let sev = match p.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut s = format!(
            "{}:{}:{}: {sev}: {}",
            self.file_of(p),
            p.pos.line,
            p.pos.col,
            p.message
        );
        if !p.hint.is_empty() {
            s.push_str(" (");
            s.push_str(&p.hint);
            s.push(')');
        }
        crate::escape::terminal(&s)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            writeln!(f, "{}", self.line(p))?;
        }
        let errors = self.errors().count();
        let warnings = self.warnings().count();
        write!(
            f,
            "{}: {errors} error{}, {warnings} warning{}",
            crate::escape::terminal(&self.file),
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        )
    }
}

/// Invalid input: the run stops, writes nothing, and exits with code 2.
#[derive(Debug)]
pub struct InvalidInput(pub Report);

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

//! Shared holiday calendars: `- include: ../../calendars/berlin.yaml` in a
//! rotation's `holidays:` reads a file whose only key is `holidays:`, in the
//! same format, without includes of its own. Where the files come from is
//! the caller's: the disk (`fsio::DiskCalendars`), or GitHub, fetched
//! beforehand ([`Fetched`]).

use super::node::{self, Pos};
use super::schema::{self, CalendarFile, Holiday};
use super::structure;
use crate::diag::Problem;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path};

/// Where the calendars a rotation file includes are read from.
pub trait Calendars {
    /// The text of the calendar at `path` (as [`resolve`] made it), or why
    /// it cannot be read.
    fn read(&mut self, path: &str) -> Result<String, String>;
    /// How messages name the calendar at `path`.
    fn label(&self, path: &str) -> String {
        path.to_owned()
    }
}

/// No calendars: for a rotation file on its own (an include is reported
/// as unreadable). The disk's are `fsio::DiskCalendars`.
pub struct NoCalendars;

impl Calendars for NoCalendars {
    fn read(&mut self, _path: &str) -> Result<String, String> {
        Err("shared calendars are not read here".to_owned())
    }
}

/// Calendars read beforehand (from a branch on GitHub): path → text.
#[derive(Debug, Clone, Default)]
pub struct Fetched {
    pub files: BTreeMap<String, String>,
    /// Where they were read, for messages (`(on main)`); empty: nothing.
    pub on: String,
}

impl Calendars for Fetched {
    fn read(&mut self, path: &str) -> Result<String, String> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| "the file does not exist".to_owned())
    }
    fn label(&self, path: &str) -> String {
        match self.on.is_empty() {
            true => path.to_owned(),
            false => format!("{path} (on {})", self.on),
        }
    }
}

/// The path of the calendar `include` names, relative to the rotation file
/// at `file`: joined and normalised (`a/b/../c` is `a/c`), with `/`
/// between parts. An absolute path, or one that leaves the repository (the
/// top of a relative `file`), is refused with what to write instead.
pub fn resolve(file: &str, include: &str) -> Result<String, String> {
    let inc = Path::new(include);
    if include.trim().is_empty() {
        return Err("`include` is empty: name a calendar file".into());
    }
    if let Some(c) = super::text::first_refused(include) {
        return Err(format!(
            "`include` contains {}: write the calendar's path on one line, without control characters",
            super::text::describe(c)
        ));
    }
    if inc.is_absolute() || include.starts_with('/') || include.contains('\\') {
        return Err(format!(
            "{include:?} is not a relative path: write the calendar's path relative to this file, e.g. ../../calendars/berlin.yaml"
        ));
    }
    let file = Path::new(file);
    let absolute = file.is_absolute();
    let dir = file.parent().unwrap_or(Path::new(""));
    // The `..` a relative `file` starts with (`../base/rotation.yaml`) say
    // where its tree is: they are kept, and an include never goes above.
    let mut prefix: Vec<String> = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    let mut leading = true;
    for c in dir.components() {
        match c {
            Component::ParentDir if leading => prefix.push("..".into()),
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(p) => {
                leading = false;
                parts.push(p.to_string_lossy().into_owned());
            }
            _ => {}
        }
    }
    for c in inc.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err(format!(
                        "{include:?} points outside the repository: keep shared calendars in the repository, e.g. in calendars/"
                    ));
                }
            }
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::RootDir | Component::Prefix(_) => {}
        }
    }
    let joined = prefix
        .into_iter()
        .chain(parts)
        .collect::<Vec<_>>()
        .join("/");
    Ok(match absolute {
        true => format!("/{joined}"),
        false => joined,
    })
}

/// The includes written in a rotation file's `holidays`, as written,
/// without validating the rest (to fetch them before the file is read).
pub fn includes_in(text: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Holidays {
        #[serde(default)]
        holidays: Vec<serde_json::Value>,
    }
    serde_saphyr::from_str_with_options::<Holidays>(text, node::options())
        .map(|h| {
            h.holidays
                .iter()
                .filter_map(|v| v.get("include")?.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// One holiday of a calendar: its date, name and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub date: NaiveDate,
    pub name: Option<String>,
    pub pos: Pos,
}

fn nested_include(pos: Pos) -> Problem {
    Problem::error(
        pos,
        "a shared calendar may not include another file",
        "list the holidays here, or include both calendars from the rotation file",
    )
}

/// Reads a calendar file: its holidays, or every problem found (positions
/// in the calendar).
pub fn parse(text: &str) -> Result<Vec<Entry>, Vec<Problem>> {
    let tree = node::parse(text).map_err(|e| vec![node::yaml_problem(&e, text)])?;
    // Includes, found in the tree: reported as what they are (the schema
    // alone would call them a holiday without a date), and even when a bad
    // date stops the typed read below.
    let mut includes = Vec::new();
    if let node::Value::Map(entries) = &tree.value {
        for (key, value) in entries {
            if let (true, node::Value::Seq(items)) = (key.name == "holidays", &value.value) {
                for item in items {
                    if let node::Value::Map(fields) = &item.value
                        && fields.iter().any(|(k, _)| k.name == "include")
                    {
                        includes.push(item.pos);
                    }
                }
            }
        }
    }
    let mut problems = structure::check(schema::calendar_schema(), &tree);
    problems.retain(|p| !includes.contains(&p.pos));
    problems.extend(includes.iter().map(|pos| nested_include(*pos)));
    let file: CalendarFile = match serde_saphyr::from_str_with_options(text, node::options()) {
        Ok(f) => f,
        Err(_) if !problems.is_empty() => return Err(problems),
        Err(e) => return Err(vec![node::yaml_problem(&e, text)]),
    };
    let mut seen: HashMap<NaiveDate, Pos> = HashMap::new();
    let mut out = Vec::new();
    for h in &file.holidays {
        let pos = Pos::of(h);
        match &h.value {
            Holiday::Include(_) => {} // reported from the tree above
            dated => {
                let date = dated.date().expect("a dated holiday");
                if let Some(first) = seen.insert(date, pos) {
                    problems.push(Problem::error(
                        pos,
                        format!(
                            "holiday {date} is listed twice (first on line {})",
                            first.line
                        ),
                        "keep one entry per date",
                    ));
                }
                if let Some(name) = dated.name() {
                    super::limits::text_within_limit(
                        pos,
                        "this holiday's name",
                        name,
                        &mut problems,
                    );
                }
                out.push(Entry {
                    date,
                    name: dated.name().map(str::to_owned),
                    pos,
                });
            }
        }
    }
    match problems.is_empty() {
        true => Ok(out),
        false => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_resolve_against_the_including_file() {
        assert_eq!(
            resolve("rotations/sre/rotation.yaml", "../../calendars/berlin.yaml").unwrap(),
            "calendars/berlin.yaml"
        );
        assert_eq!(
            resolve("rotation.yaml", "calendars/./de.yaml").unwrap(),
            "calendars/de.yaml"
        );
        assert_eq!(
            resolve("/srv/repo/rotation.yaml", "../cal.yaml").unwrap(),
            "/srv/cal.yaml"
        );
        for bad in ["", "/etc/holidays.yaml", "../x.yaml", "a\\b.yaml"] {
            assert!(resolve("rotation.yaml", bad).is_err(), "{bad}");
        }
        assert!(resolve("rotations/a/rotation.yaml", "../../../x.yaml").is_err());
        // A tree elsewhere (a base checkout beside this one).
        assert_eq!(
            resolve(
                "../base/rotations/sre/rotation.yaml",
                "../../calendars/b.yaml"
            )
            .unwrap(),
            "../base/calendars/b.yaml"
        );
    }

    #[test]
    fn includes_are_found_without_validating() {
        let text = "team: x\nholidays:\n  - 2026-12-25\n  - include: ../../calendars/berlin.yaml\n  - { date: 2026-12-26, name: B }\nbogus: [\n";
        assert!(includes_in(text).is_empty(), "broken YAML: none");
        let text = "team: x\nholidays:\n  - 2026-12-25\n  - include: ../../calendars/berlin.yaml\n";
        assert_eq!(includes_in(text), ["../../calendars/berlin.yaml"]);
    }

    #[test]
    fn a_calendar_is_checked_with_positions() {
        let ok = parse("holidays:\n  - 2026-12-25\n  - { date: 2026-12-26, name: Boxing Day }\n")
            .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].name.as_deref(), Some("Boxing Day"));
        assert_eq!(ok[1].pos.line, 3);
        let bad =
            parse("holidays:\n  - 2026-12-25\n  - include: other.yaml\n  - 2026-12-25\nteam: x\n")
                .unwrap_err();
        let lines: Vec<u32> = bad.iter().map(|p| p.pos.line).collect();
        assert!(lines.contains(&5), "the unknown key: {bad:?}");
        let bad = parse("holidays:\n  - 2026-12-25\n  - include: other.yaml\n  - 2026-12-25\n")
            .unwrap_err();
        assert_eq!(bad.len(), 2, "{bad:?}");
        assert!(bad[0].message.contains("may not include"));
        assert_eq!(bad[0].pos.line, 3);
        assert!(bad[1].message.contains("listed twice"));
        assert_eq!(bad[1].pos.line, 4);
        let bad = parse("holidays:\n  - 2026-13-01\n").unwrap_err();
        assert_eq!(bad[0].pos.line, 2, "{bad:?}");
        // Both, when a bad date stops the typed read.
        let bad = parse("holidays:\n  - include: x.yaml\n  - 2026-13-01\n").unwrap_err();
        let lines: Vec<u32> = bad.iter().map(|p| p.pos.line).collect();
        assert_eq!(lines, [3, 2], "{bad:?}");
    }
}

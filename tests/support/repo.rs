//! A temporary repository with rotation.yaml and oncall-log.md, and the
//! `oncall` binary run inside it.

use assert_cmd::Command;
use std::fs;
use std::path::PathBuf;

/// A temporary repository with a copy of the project's own rotation.yaml
/// and oncall-log.md.
pub struct Repo {
    pub dir: tempfile::TempDir,
}

/// The instant the tests' `oncall` runs at, unless a test sets another.
pub const FIXED_NOW: &str = "2027-03-01T09:00:00Z";

impl Repo {
    /// The repository's live rotation.yaml and log. The daily workflow
    /// changes them: a test on them must not assume any date (see
    /// [`Repo::live_today`]).
    pub fn own() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        fs::copy("rotation.yaml", dir.path().join("rotation.yaml")).unwrap();
        fs::copy("oncall-log.md", dir.path().join("oncall-log.md")).unwrap();
        Repo { dir }
    }
    /// A frozen copy of the example files (tests/fixtures/example), for
    /// tests with fixed dates.
    pub fn example() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        for f in ["rotation.yaml", "oncall-log.md"] {
            fs::copy(format!("tests/fixtures/example/{f}"), dir.path().join(f)).unwrap();
        }
        Repo { dir }
    }
    /// The working day after this repository's last handover (or its
    /// first day), as an `ONCALL_NOW` instant at 09:00 UTC: "today" for a
    /// test on files whose state moves every day.
    pub fn live_today(&self) -> (chrono::NaiveDate, String) {
        let text = self.read("rotation.yaml");
        let (rot, _) = oncall_core::config::load("rotation.yaml", &text).expect("valid");
        let day = match &rot.state {
            Some(st) => rot.next_working_day(st.since).unwrap(),
            None => rot.first_day().unwrap(),
        };
        (day, format!("{day}T09:00:00Z"))
    }
    pub fn with(rotation: &str, log: Option<&str>) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("rotation.yaml"), rotation).unwrap();
        if let Some(log) = log {
            fs::write(dir.path().join("oncall-log.md"), log).unwrap();
        }
        Repo { dir }
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    pub fn read(&self, name: &str) -> String {
        fs::read_to_string(self.path(name)).unwrap_or_default()
    }
    pub fn files(&self) -> (String, String) {
        (self.read("rotation.yaml"), self.read("oncall-log.md"))
    }
    pub fn oncall(&self) -> Command {
        let mut cmd = Command::cargo_bin("oncall").unwrap();
        cmd.current_dir(self.dir.path());
        // The tests decide the environment, also when they run in Actions.
        for var in [
            "ONCALL_NOW",
            "ONCALL_HTTP_TIMEOUT",
            "SLACK_WEBHOOK_URL",
            "GITHUB_ACTIONS",
            "GITHUB_TOKEN",
            "GITHUB_REPOSITORY",
            "GITHUB_SERVER_URL",
            "GITHUB_API_URL",
            "GITHUB_REF_NAME",
            "GITHUB_STEP_SUMMARY",
            "GITHUB_OUTPUT",
        ] {
            cmd.env_remove(var);
        }
        // A fixed "now", so that no test depends on the day it runs: a
        // Monday after every date the fixtures advance to (`--date` after
        // today is refused without `--future`).
        cmd.env("ONCALL_NOW", FIXED_NOW);
        cmd
    }
}

//! An organisation's repository with several rotations
//! (tests/fixtures/organisation): SRE and Platform include the shared
//! calendar calendars/berlin.yaml and both have Ana; Database keeps its
//! own holidays in another time zone. `oncall check` over all of them,
//! shared calendars with their positions, `schedule --member` across
//! rotations, `oncall preview` of a change, and each rotation's webhook
//! variable.
//!
//! This file holds the organisation's copy (`Org`) the files beside it
//! share; `check`, `preview` and `handover` have the tests.

use std::path::Path;
use std::process::Output;

mod check;
mod handover;
mod preview;

const FIXTURE: &str = "tests/fixtures/organisation";
/// Monday 2026-11-23, 08:00 in Berlin.
const NOW: &str = "2026-11-23T07:00:00Z";

struct Org {
    dir: tempfile::TempDir,
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

impl Org {
    fn new() -> Org {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(Path::new(FIXTURE), dir.path());
        Org { dir }
    }
    fn path(&self, p: &str) -> std::path::PathBuf {
        self.dir.path().join(p)
    }
    fn edit(&self, p: &str, f: impl Fn(String) -> String) {
        let text = std::fs::read_to_string(self.path(p)).unwrap();
        std::fs::write(self.path(p), f(text)).unwrap();
    }
    fn cmd(&self) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::cargo_bin("oncall").unwrap();
        c.current_dir(self.dir.path())
            .env("ONCALL_NOW", NOW)
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_STEP_SUMMARY");
        c
    }
    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

//! Routing in an organisation's repository (issue 23): each rotation names
//! its own routing label and command; `oncall assign` without `--rotation`
//! finds the rotation the event's label or command belongs to (from the
//! routing workflow's checkout of the default branch) and assigns that
//! rotation's engineer; a label no rotation names is ignored without a
//! request; two rotations naming one label is an error at both places.
//! Still at most 2 requests to act and 1 not to.

use crate::support;

use serde_json::{Value, json};
use std::path::Path;
use support::fake_github::{FakeGitHub, Issue};

const FIXTURE: &str = "tests/fixtures/organisation";
/// Tuesday 2026-11-24: Dan's day on Platform, Ben's on SRE (both second
/// in their lists), by the rules.
const TUESDAY: &str = "2026-11-24T09:00:00Z";

const ROUTES: [(&str, &str); 2] = [
    (
        "rotations/sre/rotation.yaml",
        "routing:\n  labels: [team/sre]\n  command: /sre\n",
    ),
    (
        "rotations/platform/rotation.yaml",
        "routing:\n  labels: [team/platform, kind/infra]\n  command: /platform\n",
    ),
];

/// The organisation's files, SRE and Platform with their routing (DB
/// names none): `(path, text)`.
fn files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in [
        "calendars/berlin.yaml",
        "rotations/sre/rotation.yaml",
        "rotations/platform/rotation.yaml",
        "rotations/db/rotation.yaml",
    ] {
        let mut text = std::fs::read_to_string(Path::new(FIXTURE).join(p)).unwrap();
        if let Some((_, routing)) = ROUTES.iter().find(|(f, _)| *f == p) {
            text.push_str(routing);
        }
        out.push((p.to_owned(), text));
    }
    out
}

/// The checkout the routing workflow makes of the default branch.
fn checkout(files: &[(String, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (p, t) in files {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, t).unwrap();
    }
    dir
}

fn github(files: &[(String, String)]) -> FakeGitHub {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let f = FakeGitHub::start(&refs);
    f.with(|s| {
        s.users = ["ana", "ben", "cara", "dan"]
            .iter()
            .map(|l| (l.to_string(), format!("U_{l}")))
            .collect();
        s.issues = vec![Issue {
            number: 7,
            id: "I_7".into(),
            open: true,
            assignees: vec![],
            comments: vec![],
        }];
    });
    f
}

struct Run {
    code: Option<i32>,
    text: String,
    requests: usize,
}

fn assign(dir: &Path, f: &FakeGitHub, event: Option<(&str, Value)>, args: &[&str]) -> Run {
    let before = f.requests().len();
    let mut cmd = assert_cmd::Command::cargo_bin("oncall").unwrap();
    cmd.current_dir(dir)
        .arg("assign")
        .args(args)
        .env("ONCALL_NOW", TUESDAY)
        .env("ONCALL_HTTP_TIMEOUT", "2")
        .env_remove("GITHUB_ACTIONS")
        .envs(f.env());
    let events = tempfile::tempdir().unwrap();
    if let Some((name, json)) = event {
        let path = events.path().join("event.json");
        std::fs::write(&path, json.to_string()).unwrap();
        cmd.env("GITHUB_EVENT_NAME", name)
            .env("GITHUB_EVENT_PATH", &path);
    }
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    support::secrets::assert_no_secret(&text, "output", &[]);
    Run {
        code: out.status.code(),
        text,
        requests: f.requests().len() - before,
    }
}

fn labeled(label: &str) -> (&'static str, Value) {
    (
        "issues",
        json!({ "action": "labeled", "label": { "name": label }, "issue": { "number": 7, "state": "open", "labels": [{ "name": label }] } }),
    )
}

fn commented(body: &str, login: &str, association: &str) -> (&'static str, Value) {
    (
        "issue_comment",
        json!({ "action": "created", "issue": { "number": 7, "state": "open" }, "comment": { "body": body, "user": { "login": login }, "author_association": association } }),
    )
}

fn assignees(f: &FakeGitHub) -> Vec<String> {
    f.with(|s| s.issues[0].assignees.clone())
}

#[test]
fn a_teams_label_assigns_that_teams_engineer_in_two_requests() {
    let files = files();
    let dir = checkout(&files);
    let f = github(&files);
    // Platform's second label; Platform includes the shared calendar,
    // which the query reads with the rotation file.
    let r = assign(dir.path(), &f, Some(labeled("kind/infra")), &[]);
    assert_eq!(r.code, Some(0), "{}", r.text);
    assert!(
        r.text.contains("#7: assigned dan and commented"),
        "{}",
        r.text
    );
    assert_eq!(r.requests, 2, "{}", r.text);
    assert_eq!(assignees(&f), ["dan"]);

    // SRE's label, on another issue state: SRE's engineer.
    let f = github(&files);
    let r = assign(dir.path(), &f, Some(labeled("team/sre")), &[]);
    assert!(
        r.text.contains("#7: assigned ben and commented"),
        "{}",
        r.text
    );
    assert_eq!((r.requests, assignees(&f)), (2, vec!["ben".to_owned()]));
}

#[test]
fn a_label_no_rotation_names_is_ignored_without_a_request() {
    let files = files();
    let dir = checkout(&files);
    let f = github(&files);
    // kind/question is the default label: with several rotations, only
    // what a rotation names routes.
    for label in ["kind/question", "team/unknown"] {
        let r = assign(dir.path(), &f, Some(labeled(label)), &[]);
        assert_eq!(r.code, Some(0), "{}", r.text);
        assert!(
            r.text.contains(&format!(
                "nothing to do: the label \"{label}\" routes to no rotation"
            )),
            "{}",
            r.text
        );
        assert_eq!(r.requests, 0);
    }
    assert!(assignees(&f).is_empty());
}

#[test]
fn a_teams_command_assigns_that_teams_engineer_and_only_from_someone_who_may() {
    let files = files();
    let dir = checkout(&files);
    let f = github(&files);
    // Cara is on SRE: her /sre routes to SRE's engineer.
    let r = assign(
        dir.path(),
        &f,
        Some(commented("/sre\nplease look", "cara", "NONE")),
        &[],
    );
    assert!(
        r.text.contains("#7: assigned ben and commented"),
        "{}",
        r.text
    );
    assert_eq!(r.requests, 2);
    // Someone outside Platform without write access: read, then ignored.
    let f = github(&files);
    let r = assign(
        dir.path(),
        &f,
        Some(commented("/platform", "mallory", "NONE")),
        &[],
    );
    assert!(r.text.contains("is not in the rotation"), "{}", r.text);
    assert_eq!(r.requests, 1);
    assert!(assignees(&f).is_empty());
    // The default command routes nowhere here.
    let r = assign(
        dir.path(),
        &f,
        Some(commented("/assign-to-oncall", "cara", "NONE")),
        &[],
    );
    assert!(r.text.contains("routes to no rotation"), "{}", r.text);
    assert_eq!(r.requests, 0);
}

#[test]
fn without_an_event_a_rotation_must_be_named() {
    let files = files();
    let dir = checkout(&files);
    let f = github(&files);
    let r = assign(dir.path(), &f, None, &["--issue", "7"]);
    assert_eq!(r.code, Some(2), "{}", r.text);
    assert!(r.text.contains("add --rotation NAME"), "{}", r.text);
    assert_eq!(r.requests, 0);
    let r = assign(
        dir.path(),
        &f,
        None,
        &["--issue", "7", "--rotation", "platform"],
    );
    assert!(r.text.contains("#7: assigned dan"), "{}", r.text);
}

#[test]
fn two_rotations_naming_one_label_is_an_error_at_both_places() {
    let mut files = files();
    files[3]
        .1
        .push_str("routing:\n  labels: [team/db, kind/infra]\n  command: /sre\n");
    let dir = checkout(&files);
    let out = assert_cmd::Command::cargo_bin("oncall")
        .unwrap()
        .current_dir(dir.path())
        .env("ONCALL_NOW", TUESDAY)
        .env_remove("GITHUB_ACTIONS")
        .arg("check")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(2), "{text}");
    for line in [
        "rotations/platform/rotation.yaml:13:27: error: the routing label \"kind/infra\" is also named by rotations/db/rotation.yaml",
        "rotations/db/rotation.yaml:12:21: error: the routing label \"kind/infra\" is also named by rotations/platform/rotation.yaml",
        "rotations/sre/rotation.yaml:14:12: error: the routing command \"/sre\" is also named by rotations/db/rotation.yaml",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    assert_eq!(text.matches(": error: the routing").count(), 4, "{text}");
    // And the router refuses to guess.
    let f = github(&files);
    let r = assign(dir.path(), &f, Some(labeled("kind/infra")), &[]);
    assert!(
        r.text.contains("is claimed by db and platform"),
        "{}",
        r.text
    );
    assert_eq!(r.requests, 0);
}

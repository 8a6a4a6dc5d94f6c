//! `oncall assign` and the routing workflow against the fake GitHub:
//! issues, labels, comments and assignees; the event decides; at most two
//! requests when there is something to do and one when not (one more, the
//! commenter's permission, for a command from outside the rotation).

mod setup;

use crate::support;

use serde_json::{Value, json};
use support::fake_github::{Comment, FakeGitHub, Issue};
use support::repo::Repo;

/// Monday 2026-11-23 is ana's (the first day); on the 25th everyone is
/// away (uncovered); the 28th is a Saturday.
const TEAM: &str = "team: Routing team
timezone: Europe/Berlin
start: 2026-11-23
members:
  - { github: ana, away: [{ from: 2026-11-25, to: 2026-11-25 }] }
  - { github: ben, away: [{ from: 2026-11-25, to: 2026-11-25 }] }
";

fn fake() -> FakeGitHub {
    let f = FakeGitHub::start(&[("rotation.yaml", TEAM)]);
    f.with(|s| {
        s.users = vec![
            ("ana".into(), "U_ana".into()),
            ("ben".into(), "U_ben".into()),
        ];
        s.issues = vec![
            Issue {
                number: 7,
                id: "I_7".into(),
                open: true,
                assignees: vec![],
                comments: vec![],
            },
            Issue {
                number: 8,
                id: "I_8".into(),
                open: false,
                assignees: vec![],
                comments: vec![],
            },
        ];
    });
    f
}

struct Run {
    code: Option<i32>,
    stdout: String,
    requests: usize,
    writes: usize,
}

/// Runs `oncall assign` as the workflow does: the event in
/// GITHUB_EVENT_NAME / GITHUB_EVENT_PATH, no checkout.
fn assign(f: &FakeGitHub, date: &str, event: Option<(&str, Value)>, args: &[&str]) -> Run {
    let before = f.requests().len();
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    let mut cmd = repo.oncall();
    cmd.arg("assign")
        .args(args)
        .env("ONCALL_NOW", format!("{date}T09:00:00Z"))
        .envs(f.env())
        .env("ONCALL_HTTP_TIMEOUT", "2");
    if let Some((name, json)) = event {
        let path = repo.path("event.json");
        std::fs::write(&path, json.to_string()).unwrap();
        cmd.env("GITHUB_EVENT_NAME", name)
            .env("GITHUB_EVENT_PATH", &path);
    }
    let out = cmd.output().unwrap();
    let requests = &f.requests()[before..];
    let r = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr),
        requests: requests.len(),
        writes: requests
            .iter()
            .filter(|q| q.what.starts_with("mutation"))
            .count(),
    };
    support::secrets::assert_no_secret(&r.stdout, "output", &[]);
    r
}

fn labeled(number: u64, label: &str) -> (&'static str, Value) {
    (
        "issues",
        json!({ "action": "labeled", "label": { "name": label }, "issue": { "number": number, "state": "open", "labels": [{ "name": label }] } }),
    )
}

fn commented(number: u64, body: &str, login: &str, association: &str) -> (&'static str, Value) {
    (
        "issue_comment",
        json!({ "action": "created", "issue": { "number": number, "state": "open" }, "comment": { "body": body, "user": { "login": login }, "author_association": association } }),
    )
}

fn issue(f: &FakeGitHub, n: u64) -> Issue {
    f.with(|s| s.issues.iter().find(|i| i.number == n).unwrap().clone())
}

#[test]
fn a_routing_label_assigns_todays_engineer_in_two_requests() {
    let f = fake();
    let r = assign(&f, "2026-11-23", Some(labeled(7, "kind/question")), &[]);
    assert_eq!(r.code, Some(0), "{}", r.stdout);
    assert_eq!((r.requests, r.writes), (2, 1));
    let i = issue(&f, 7);
    assert_eq!(i.assignees, ["ana"]);
    assert_eq!(i.comments.len(), 1);
    // The login is code: the comment pings nobody (the assignment notifies).
    assert!(
        i.comments[0]
            .body
            .starts_with("Assigned to today's on-call engineer, `@ana` (Monday 2026-11-23)."),
        "{}",
        i.comments[0].body
    );
    support::validators::github_markdown(&[
        json!({ "name": "assign comment", "text": i.comments[0].body }),
    ])
    .unwrap();
    // The label added twice (or the workflow rerun): one read, no write.
    let r = assign(&f, "2026-11-23", Some(labeled(7, "kind/question")), &[]);
    assert_eq!(
        (r.code, r.requests, r.writes),
        (Some(0), 1, 0),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("assigned to today's engineer, ana, already"),
        "{}",
        r.stdout
    );
    assert_eq!(issue(&f, 7).comments.len(), 1);
    // The next day, the next engineer is added.
    let r = assign(&f, "2026-11-24", Some(labeled(7, "kind/question")), &[]);
    assert_eq!((r.code, r.writes), (Some(0), 1));
    assert_eq!(issue(&f, 7).assignees, ["ana", "ben"]);
}

#[test]
fn an_issue_opened_with_the_label_is_routed_and_other_labels_are_not() {
    let f = fake();
    let opened = (
        "issues",
        json!({ "action": "opened", "issue": { "number": 7, "state": "open", "labels": [{ "name": "bug" }, { "name": "kind/question" }] } }),
    );
    let r = assign(&f, "2026-11-23", Some(opened), &[]);
    assert_eq!((r.code, r.writes), (Some(0), 1), "{}", r.stdout);
    let f = fake();
    let r = assign(&f, "2026-11-23", Some(labeled(7, "bug")), &[]);
    assert_eq!((r.code, r.requests, r.writes), (Some(0), 1, 0));
    assert!(
        r.stdout
            .contains("nothing to do: the label \"bug\" does not route to the on-call engineer"),
        "{}",
        r.stdout
    );
}

#[test]
fn the_comment_command_counts_from_members_and_writers_only() {
    let f = fake();
    // A stranger without write access: ignored, no write.
    let r = assign(
        &f,
        "2026-11-23",
        Some(commented(7, "/assign-to-oncall\nplease", "mallory", "NONE")),
        &[],
    );
    assert_eq!((r.code, r.requests, r.writes), (Some(0), 1, 0));
    assert!(
        r.stdout
            .contains("\"mallory\" is not in the rotation and has no write access (NONE)"),
        "{}",
        r.stdout
    );
    // The command not on the first line: ignored.
    let r = assign(
        &f,
        "2026-11-23",
        Some(commented(7, "hello\n/assign-to-oncall", "ben", "NONE")),
        &[],
    );
    assert_eq!(r.writes, 0);
    // A member of the rotation (no write access needed), and a collaborator.
    let r = assign(
        &f,
        "2026-11-23",
        Some(commented(7, "/assign-to-oncall", "ben", "NONE")),
        &[],
    );
    assert_eq!((r.code, r.writes), (Some(0), 1), "{}", r.stdout);
    assert_eq!(issue(&f, 7).assignees, ["ana"]);
    // A collaborator outside the rotation with write access: GitHub is
    // asked (one more request), then the issue is routed.
    let f = fake();
    f.with(|s| s.permissions.insert("carol".into(), "write".into()));
    let r = assign(
        &f,
        "2026-11-23",
        Some(commented(7, "/assign-to-oncall", "carol", "COLLABORATOR")),
        &[],
    );
    assert_eq!(
        (r.code, r.requests, r.writes),
        (Some(0), 3, 1),
        "{}",
        r.stdout
    );
    // A hostile body is only compared, and echoed escaped.
    let f = fake();
    let r = assign(
        &f,
        "2026-11-23",
        Some(commented(
            7,
            "$(rm -rf /) \u{1b}[31m",
            "eve\u{1b}[2J",
            "NONE",
        )),
        &[],
    );
    assert_eq!((r.code, r.writes), (Some(0), 0));
    assert!(!r.stdout.contains('\u{1b}'), "{:?}", r.stdout);
}

/// "Member" is not "writer": an organisation member (or a collaborator)
/// with read or triage access only is not obeyed; the repository's owner
/// is without asking. docs/security.md promises writers only.
#[test]
fn an_organisation_member_without_write_access_is_not_obeyed() {
    for (login, association, permission) in [
        ("dave", "MEMBER", Some("read")),
        ("erin", "COLLABORATOR", Some("triage")),
        ("finn", "MEMBER", None),
    ] {
        let f = fake();
        if let Some(p) = permission {
            // GitHub maps triage to read in `permission`.
            let p = if p == "triage" { "read" } else { p };
            f.with(|s| s.permissions.insert(login.into(), p.into()));
        }
        let r = assign(
            &f,
            "2026-11-23",
            Some(commented(7, "/assign-to-oncall", login, association)),
            &[],
        );
        assert_eq!(
            (r.code, r.requests, r.writes),
            (Some(0), 2, 0),
            "{}",
            r.stdout
        );
        let has = match permission {
            Some(_) => "read",
            None => "none",
        };
        assert!(
            r.stdout.contains(&format!(
                "nothing to do: \"{login}\" is not in the rotation and has {has} access to the repository, not write, so the command is ignored"
            )),
            "{}",
            r.stdout
        );
        assert!(issue(&f, 7).assignees.is_empty());
        let asked = f.requests();
        assert!(
            asked
                .iter()
                .any(|q| q.what == format!("GET /repos/acme/ops/collaborators/{login}/permission")),
            "{asked:?}"
        );
    }
    // A member with write (or maintain, reported as write) access, and
    // the owner without asking.
    let f = fake();
    f.with(|s| s.permissions.insert("gus".into(), "write".into()));
    let r = assign(
        &f,
        "2026-11-23",
        Some(commented(7, "/assign-to-oncall", "gus", "MEMBER")),
        &[],
    );
    assert_eq!(
        (r.code, r.requests, r.writes),
        (Some(0), 3, 1),
        "{}",
        r.stdout
    );
    let f = fake();
    let r = assign(
        &f,
        "2026-11-23",
        Some(commented(7, "/assign-to-oncall", "acme", "OWNER")),
        &[],
    );
    assert_eq!(
        (r.code, r.requests, r.writes),
        (Some(0), 2, 1),
        "{}",
        r.stdout
    );
}

/// The day's marker counts only in a comment oncall's own identity wrote
/// (`viewerDidAuthor`): the issue's author writing it into their own
/// comment does not stop oncall's comment.
#[test]
fn a_forged_day_marker_does_not_stop_the_comment() {
    let f = fake();
    let marker =
        oncall_core::routing::marker(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    f.with(|s| {
        s.issues[0]
            .comments
            .push(Comment::by("mallory", &format!("Please help\n\n{marker}")))
    });
    let r = assign(&f, "2026-11-23", Some(labeled(7, "kind/question")), &[]);
    assert_eq!(
        (r.code, r.requests, r.writes),
        (Some(0), 2, 1),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("#7: assigned ana and commented"),
        "{}",
        r.stdout
    );
    let i = issue(&f, 7);
    assert_eq!(i.comments.len(), 2);
    assert_eq!(i.comments[1].author, support::fake_github::VIEWER);
    assert!(i.comments[1].body.contains(&marker));
    // oncall's own comment counts: unassigned by hand, the rerun assigns
    // again but does not comment twice.
    f.with(|s| s.issues[0].assignees.clear());
    let r = assign(&f, "2026-11-23", Some(labeled(7, "kind/question")), &[]);
    assert!(
        r.stdout.contains("(the day's comment is there already)"),
        "{}",
        r.stdout
    );
    assert_eq!(issue(&f, 7).comments.len(), 2);
}

#[test]
fn a_closed_issue_is_left_alone() {
    let f = fake();
    let r = assign(&f, "2026-11-23", Some(labeled(8, "kind/question")), &[]);
    assert_eq!(
        (r.code, r.requests, r.writes),
        (Some(0), 1, 0),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("it is closed"), "{}", r.stdout);
    // Closed per the event: not even a read.
    let mut ev = labeled(7, "kind/question");
    ev.1["issue"]["state"] = json!("closed");
    let r = assign(&f, "2026-11-23", Some(ev), &[]);
    assert_eq!((r.code, r.writes), (Some(0), 0));
}

#[test]
fn on_an_uncovered_or_off_day_nobody_is_assigned_and_it_says_so_once() {
    let f = fake();
    let r = assign(&f, "2026-11-25", Some(labeled(7, "kind/question")), &[]);
    assert_eq!((r.code, r.writes), (Some(0), 1), "{}", r.stdout);
    let i = issue(&f, 7);
    assert!(i.assignees.is_empty());
    assert_eq!(i.comments.len(), 1);
    assert!(i.comments[0].body.starts_with("Nobody is on call today (Wednesday 2026-11-25: everyone is away), so nobody was assigned. The next working day, Thursday 2026-11-26, `@"), "{}", i.comments[0].body);
    let r = assign(&f, "2026-11-25", Some(labeled(7, "kind/question")), &[]);
    assert_eq!((r.requests, r.writes), (1, 0), "no second comment");
    // A Saturday: the next working day's engineer is named.
    let r = assign(&f, "2026-11-28", Some(labeled(7, "kind/question")), &[]);
    assert_eq!(r.writes, 1);
    let last = issue(&f, 7).comments.last().unwrap().body.clone();
    assert!(
        last.contains("(Saturday 2026-11-28: not a working day)")
            && last.contains("Monday 2026-11-30, `@"),
        "{last}"
    );
}

#[test]
fn an_explicit_issue_and_a_dry_run() {
    let f = fake();
    let r = assign(&f, "2026-11-23", None, &["--issue", "7", "--dry-run"]);
    assert_eq!(
        (r.code, r.requests, r.writes),
        (Some(0), 1, 0),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("dry run, nothing written: #7: assigned ana and commented")
    );
    let r = assign(&f, "2026-11-23", None, &["--issue", "7"]);
    assert_eq!((r.code, r.writes), (Some(0), 1));
    // No issue and no event: a usage error, before any request.
    let r = assign(&f, "2026-11-23", None, &[]);
    assert_eq!((r.code, r.requests), (Some(2), 0));
}

#[test]
fn routing_labels_and_command_come_from_rotation_yaml() {
    let team = format!("{TEAM}routing:\n  labels: [support]\n  command: /oncall\n");
    let f = FakeGitHub::start(&[("rotation.yaml", &team)]);
    f.with(|s| {
        s.users = vec![("ana".into(), "U_ana".into())];
        s.issues = vec![Issue {
            number: 7,
            id: "I_7".into(),
            open: true,
            assignees: vec![],
            comments: vec![],
        }];
    });
    assert_eq!(
        assign(&f, "2026-11-23", Some(labeled(7, "kind/question")), &[]).writes,
        0
    );
    assert_eq!(
        assign(
            &f,
            "2026-11-23",
            Some(commented(7, "/oncall", "ana", "NONE")),
            &[]
        )
        .writes,
        1
    );
    let bad = Repo::with(&format!("{TEAM}routing:\n  command: assign me\n"), None);
    let out = bad
        .oncall()
        .env("ONCALL_NOW", "2026-11-23T09:00:00Z")
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("rotation.yaml:8:12: error: \"assign me\" is not a comment command"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // A swap request's command would never route.
    let shadowed = Repo::with(&format!("{TEAM}routing:\n  command: /take\n"), None);
    let out = shadowed
        .oncall()
        .env("ONCALL_NOW", "2026-11-23T09:00:00Z")
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(
            "rotation.yaml:8:12: error: \"/take\" is the swap requests' command: as the routing command it would never route (choose another word, e.g. /assign-to-oncall)"
        ),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

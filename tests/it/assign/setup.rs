//! Where the routing reads its settings and runs: the routing workflow
//! as written, a shared calendar's holiday read from the default branch,
//! and a named rotation of several routing to its own engineer.

use super::*;

/// The workflow: the events, least privilege, and the action's step run as
/// written.
#[test]
fn the_routing_workflow_runs_the_action_as_written() {
    let load = |p: &str| -> Value {
        serde_saphyr::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let wf = load(".github/workflows/oncall-assign.yml");
    assert_eq!(
        wf["on"],
        json!({ "issues": { "types": ["opened", "labeled"] }, "issue_comment": { "types": ["created"] } })
    );
    assert_eq!(wf["permissions"], json!({}));
    assert_eq!(
        wf["jobs"]["assign"]["permissions"],
        json!({ "contents": "write", "issues": "write", "pull-requests": "write" })
    );
    let text = std::fs::read_to_string(".github/workflows/oncall-assign.yml").unwrap();
    assert!(
        !text.contains("run:"),
        "no script in the workflow: the rule is in oncall"
    );
    let action = load("action.yml");
    let step = action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "assign")
        .unwrap()
        .clone();
    assert_eq!(step["if"], "inputs.command == 'assign'");
    let f = fake();
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("event.json");
    std::fs::write(&event, labeled(7, "kind/question").1.to_string()).unwrap();
    let out = std::process::Command::new("bash")
        .args([
            "--noprofile",
            "--norc",
            "-eo",
            "pipefail",
            "-c",
            step["run"].as_str().unwrap(),
        ])
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("GITHUB_ACTIONS", "true")
        .envs(f.env())
        .env("GITHUB_EVENT_NAME", "issues")
        .env("GITHUB_EVENT_PATH", &event)
        .env("ONCALL_NOW", "2026-11-23T09:00:00Z")
        .env(
            "ONCALL_CONFIG",
            action["inputs"]["config"]["default"].as_str().unwrap(),
        )
        .env("ONCALL_BIN", assert_cmd::cargo::cargo_bin("oncall"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(issue(&f, 7).assignees, ["ana"]);
}

/// A rotation with a shared calendar: `assign` reads the calendar from the
/// default branch too (in the same query, from `calendars/`), so a
/// calendar holiday is a day without an engineer here as in the handover.
#[test]
fn a_shared_calendars_holiday_is_read_from_the_default_branch() {
    let rotation = format!("{TEAM}holidays:\n  - include: calendars/team.yaml\n");
    let f = FakeGitHub::start(&[
        ("rotation.yaml", rotation.as_str()),
        (
            "calendars/team.yaml",
            "holidays:\n  - { date: 2026-11-24, name: Team day }\n",
        ),
    ]);
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
    let r = assign(&f, "2026-11-24", Some(labeled(7, "kind/question")), &[]);
    assert_eq!(
        (r.code, r.requests, r.writes),
        (Some(0), 2, 1),
        "{}",
        r.stdout
    );
    let i = issue(&f, 7);
    assert!(i.assignees.is_empty());
    assert!(
        i.comments[0]
            .body
            .starts_with("Nobody is on call today (Tuesday 2026-11-24: a holiday)"),
        "{}",
        i.comments[0].body
    );
}

/// `--rotation NAME assign` reads that rotation's file from the default
/// branch: no checkout, as in the routing workflow.
#[test]
fn a_named_rotation_routes_to_its_own_engineer() {
    let f = FakeGitHub::start(&[("rotations/sre/rotation.yaml", TEAM)]);
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
    let r = assign(
        &f,
        "2026-11-23",
        Some(labeled(7, "kind/question")),
        &["--rotation", "sre"],
    );
    assert_eq!((r.code, r.writes), (Some(0), 1), "{}", r.stdout);
    assert_eq!(issue(&f, 7).assignees, ["ana"]);
}
